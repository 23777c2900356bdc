"""Small pure helpers for Vietnamese text: read from spreadsheets, and numbers written in it."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import TextIO

# Zero-width characters and control codes that copy-paste leaves behind; str.split() keeps them,
# and Excel files cannot hold the control codes.
_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")


def clean_text(s: str) -> str:
    """Free text as it should be kept: NFC, whitespace runs (incl. non-breaking) as one space, trimmed."""
    return " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFC", s)).split())


@lru_cache(maxsize=1 << 16)
def normalize_key(s: str) -> str:
    """A matching key: `clean_text` without case or accents, đ as d (so 'Mã  CB' and 'ma cb' match)."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFC", s).casefold())
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return clean_text(bare.replace("đ", "d"))


@lru_cache(maxsize=256)
def normalized_keys(values: tuple[str, ...]) -> frozenset[str]:
    """The `normalize_key` of each value (a scenario's list of fields, say), kept per list."""
    return frozenset(normalize_key(v) for v in values)


def numbered(names: list[str], mark: str = "{name} ({n})") -> list[str]:
    """The names, each repeat after the first marked with its number: `a`, `a (2)`."""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        result.append(name if seen[name] == 1 else mark.format(name=name, n=seen[name]))
    return result


def csv_delimiter(file: TextIO) -> str:
    """The separator of an open CSV file by its header line (the file left at its start): commas,
    or semicolons or tabs where the line has more of them (Excel saves CSV with the region's list
    separator: ';' where the decimal mark is a comma, as in Vietnam)."""
    header = file.readline()
    file.seek(0)
    return max(",;\t", key=header.count) if header.strip() else ","


def format_number(value: float, lang: str = "vi", decimals: int = 0) -> str:
    """A number with thousands separators: 3.100 and 12,5 in Vietnamese, 3,100 and 12.5 in English."""
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "vi" else text


def short_number(value: float, lang: str = "vi") -> str:
    """A small number as short as it goes (2, 4.5), with the decimal comma in Vietnamese (4,5)."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "vi" else text


def counted(value: int, one: str, many: str) -> str:
    """An English count with its noun, singular for one: `1 place`, `2,000 places`."""
    return f"{format_number(value, 'en')} {one if value == 1 else many}"


def format_percent(share: float, lang: str = "vi", decimals: int = 1) -> str:
    """A share as a percentage: 0,3 % in Vietnamese, 0.3% in English."""
    number = format_number(100 * share, lang, decimals)
    return f"{number} %" if lang == "vi" else f"{number}%"
