"""A `Scenario` written as a TOML file that `load_scenario` reads back to the same scenario.

Only what differs from the models' defaults is written (the defaults apply again on reading);
lists of tables become arrays of tables (`[[programs]]`), with their sub-tables after them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from models.scenario import Scenario

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
#: Arrays longer than this on one line are written one item a line.
LINE_LENGTH = 100


def scenario_toml(scenario: Scenario, header: str = "") -> str:
    """The scenario as TOML text, `header` first as comment lines."""
    comments = [f"# {line}".rstrip() for line in header.splitlines()]
    data = scenario.model_dump(mode="json", exclude_defaults=True)
    lines = _table(data, ())
    return "\n".join([*comments, *([""] if comments else []), *lines]).rstrip("\n") + "\n"


def _table(table: Mapping[str, Any], path: tuple[str, ...]) -> list[str]:
    """The lines of a table's own values, then of its sub-tables and arrays of tables."""
    lines = [_assignment(k, v) for k, v in table.items() if not _nested(v)]
    for key, value in table.items():
        inner = (*path, _key(key))
        if isinstance(value, Mapping):
            lines += ["", f"[{'.'.join(inner)}]", *_table(value, inner)]
        elif _nested(value):
            for item in value:
                lines += ["", f"[[{'.'.join(inner)}]]", *_table(item, inner)]
    return lines


def _assignment(key: Any, value: Any) -> str:
    """`key = value`; a long array one item a line."""
    line = f"{_key(key)} = {_value(value)}"
    if len(line) <= LINE_LENGTH or not isinstance(value, list):
        return line
    return "\n".join([f"{_key(key)} = [", *(f"    {_value(v)}," for v in value), "]"])


def _nested(value: Any) -> bool:
    """A table, or a non-empty list of tables: written under a header of its own."""
    return isinstance(value, Mapping) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, Mapping) for v in value)
    )


def _key(key: Any) -> str:
    text = str(key)
    return text if _BARE_KEY.match(text) else json.dumps(text, ensure_ascii=False)


def _value(value: Any) -> str:
    """A TOML value: strings as basic strings (JSON's escapes are TOML's), numbers, booleans, arrays."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 10_000 else str(value)  # 150_000_000: TOML allows it
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"a scenario holds no infinite number: {value}")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, Mapping):  # inline, inside an array
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")
