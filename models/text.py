"""Words in the two languages of the product: one type for every text a plan carries."""

from __future__ import annotations

from typing import Annotated, Any, NamedTuple

from pydantic import BeforeValidator, PlainSerializer


class Text(NamedTuple):
    """A text in Vietnamese and English (unpacks as `vi, en`)."""

    vi: str
    en: str

    def in_(self, lang: str) -> str:
        """The text in `lang` ('vi' or 'en'); Vietnamese when the English one is empty."""
        return self.en if lang == "en" and self.en else self.vi

    def both(self) -> str:
        """Both languages on one line, Vietnamese first (for logs and a console line in both)."""
        return f"{self.vi} / {self.en}" if self.en and self.en != self.vi else self.vi


def _text(value: Any) -> Any:
    """A Text from {'vi': ..., 'en': ...} (the JSON form) or a (vi, en) pair."""
    if isinstance(value, dict):
        return Text(str(value.get("vi", "")), str(value.get("en", "")))
    return value


#: A Text as a pydantic field: written to JSON as {"vi": ..., "en": ...}, read back from it.
Words = Annotated[
    Text, BeforeValidator(_text), PlainSerializer(lambda t: {"vi": t.vi, "en": t.en}, return_type=dict)
]

NO_TEXT = Text("", "")


def in_lang(value: Text | dict[str, str], lang: str) -> str:
    """A text in `lang`, from a Text or its JSON form."""
    return (value if isinstance(value, Text) else _text(value)).in_(lang)
