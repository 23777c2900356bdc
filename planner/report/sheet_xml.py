"""Rows of SpreadsheetML written as text and spliced into a saved workbook: for the sheets that hold
one row per person, the same cells as openpyxl's, tens of times faster.

Only the value types below have a form; anything else is refused by its type (never printed).
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date
from typing import IO
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

_LETTERS = [get_column_letter(i) for i in range(1, 200)]
#: Excel's limit on the characters of one cell.
MAX_CELL_CHARS = 32_767

#: Bytes copied at a time from a sheet's row file into the package.
COPY_CHUNK = 1 << 20
#: What a cell written as raw XML may hold (a datetime is a date, a bool an int).
CellValue = str | int | float | date | None


def excel_text(value: str) -> str:
    """Text as a cell can hold it: no control characters, at most 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_CHARS]


#: The characters `excel_text` drops (openpyxl's ILLEGAL_CHARACTERS_RE) and those XML escapes.
_NOT_AS_IS = re.compile(r"[\000-\010\013\014\016-\037&<>]")


def _xml_text(value: str) -> str:
    """`escape(excel_text(value))`, with one search for the texts that need neither (most)."""
    if len(value) <= MAX_CELL_CHARS and _NOT_AS_IS.search(value) is None:
        return value
    return escape(excel_text(value))


def unpack(value: CellValue | Cell) -> tuple[CellValue, int]:
    """(value, cell-format index) of a plain value or an openpyxl cell; TypeError for a cell of
    another type (a time, say)."""
    if isinstance(value, Cell):
        inner = value.value
        if inner is not None and not isinstance(inner, str | int | float | date):
            raise _unwritable(inner)
        return inner, value.style_id if value.has_style else 0
    return value, 0


def _unwritable(value: object) -> TypeError:
    """The error for a value the sheet XML has no form for (named by its type, never printed)."""
    kind = type(value)
    return TypeError(
        f"a cell cannot hold a {kind.__module__}.{kind.__qualname__}: "
        "write str, int, float, bool, date, datetime or None"
    )


def row_xml(row: int, cells: Sequence[tuple[CellValue, int]], height: float | None = None) -> str:
    """One <row> of SpreadsheetML: text as inline strings (never formulas), numbers, dates as serials."""
    parts = [f'<row r="{row}" ht="{height}" customHeight="1">' if height else f'<row r="{row}">']
    for column, (value, style) in enumerate(cells):
        parts.append(_cell_xml(f"{_LETTERS[column]}{row}", value, style))
    parts.append("</row>")
    return "".join(parts)


def _cell_xml(ref: str, value: CellValue, style: int) -> str:
    """One <c> at `ref` ('' for an empty cell without a style); TypeError for a value of another
    type, ValueError for a number a cell cannot hold (nan, infinity)."""
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, str):
        text = _xml_text(value)
        return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{ref}"{s}><v>{int(value)}</v></c>'
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cell {ref}: a cell cannot hold {float(value)}")
        return f'<c r="{ref}"{s}><v>{float(value)}</v></c>'
    if isinstance(value, date):  # a datetime too
        return f'<c r="{ref}"{s}><v>{to_excel(value)}</v></c>'
    raise _unwritable(value)


_NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pkg": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> its part name in the package (from the workbook and its relationships)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.findall("pkg:Relationship", _NS)}
    parts = {}
    for sheet in workbook.iterfind("main:sheets/main:sheet", _NS):
        target = targets[sheet.get(f"{{{_NS['rel']}}}id")]
        parts[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return parts


def _around_rows(sheet_xml: bytes) -> tuple[bytes, bytes]:
    """The sheet's XML before and after the place its bulk rows go (the end of its sheetData)."""
    if (end := sheet_xml.find(b"</sheetData>")) >= 0:
        return sheet_xml[:end], sheet_xml[end:]
    empty = re.search(rb"<sheetData\s*/>", sheet_xml)
    if empty is None:
        raise ValueError("no sheetData in the sheet")
    return sheet_xml[: empty.start()] + b"<sheetData>", b"</sheetData>" + sheet_xml[empty.end() :]


#: Rows of a sheet kept in memory before they go to a temporary file.
SPOOL_BYTES = 16 * 2**20


class BulkRows:
    """The rows of one sheet as they are rendered, in memory up to `SPOOL_BYTES`, then in a
    temporary file (at 300,000 officials the Reasons sheet's rows are half a gigabyte of text;
    a file for each of the 200 small class lists at 25,000 officials cost 0.2 s to open)."""

    def __init__(self) -> None:
        self._file = tempfile.SpooledTemporaryFile(SPOOL_BYTES)  # noqa: SIM115  closed by close()
        self.count = 0

    def append(self, row: str) -> None:
        self._file.write(row.encode("utf-8"))
        self.count += 1

    def copy_to(self, stream: IO[bytes]) -> None:
        """Write every row, in order, to `stream`."""
        self._file.seek(0)
        shutil.copyfileobj(self._file, stream, COPY_CHUNK)

    def close(self) -> None:
        self._file.close()


def splice(path: str, bulk: Mapping[str, BulkRows]) -> None:
    """Insert the bulk rows of each sheet into the package at `path` (rewritten in place),
    streamed from their files into the compressed part."""
    if not any(rows.count for rows in bulk.values()):
        return
    spliced = f"{path}.rows"
    try:
        with (
            zipfile.ZipFile(path) as source,
            zipfile.ZipFile(spliced, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as target,
        ):
            parts = {
                part: title
                for title, part in _sheet_parts(source).items()
                if title in bulk and bulk[title].count
            }
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename not in parts:
                    target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
                    continue
                head, tail = _around_rows(data)
                entry = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with target.open(entry, "w") as stream:
                    stream.write(head)
                    bulk[parts[info.filename]].copy_to(stream)
                    stream.write(tail)
        os.replace(spliced, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(spliced)
