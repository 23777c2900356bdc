"""The line on which a TOML file writes a key, found in the file's text (tomllib gives no lines).

A key path is written the way `planner.io.scenario.toml_path` writes it: dotted keys, items of
arrays of tables named by index or by their `code` (`programs[LEAD].class_size_min`,
`budget.per_year.2026`). The scan knows headers (`[a.b]`, `[[a]]`), dotted and quoted keys and
values that run over several lines; keys inside inline tables are found at the line of the
key that holds the table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

Path_ = tuple[str, ...]

_KEY_PART = r'(?:"(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+)'
_DOTTED = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_ASSIGNMENT = re.compile(rf"^\s*({_DOTTED})\s*=(.*)$")
_PART = re.compile(_KEY_PART)
#: One step of a written key path: `.key`, `"quoted key"` or `[item]`.
_PATH_STEP = re.compile(r'\[([^\]]*)\]|"((?:[^"\\]|\\.)*)"|([^.\[\]"]+)')


@dataclass
class KeyLines:
    """Where one file writes each key: lines by path, items of arrays of tables, their codes."""

    lines: dict[Path_, int] = field(default_factory=dict)
    #: Paths of arrays of tables, with how many items the file gives.
    arrays: dict[Path_, int] = field(default_factory=dict)
    #: Item index by code, per array of tables.
    codes: dict[Path_, dict[str, int]] = field(default_factory=dict)

    def find(self, steps: Sequence[str]) -> tuple[int, int | None]:
        """(steps matched, line of the longest written prefix of `steps`) in this file."""
        path: Path_ = ()
        best: tuple[int, int | None] = (0, None)
        i = 0
        while i < len(steps):
            step = steps[i]
            if path in self.arrays:
                index = step if step.isdigit() else str(self.codes.get(path, {}).get(step, ""))
                if not index:
                    break
                step = index
            path = (*path, step)
            i += 1
            if path in self.lines:
                best = (i, self.lines[path])
        return best

    def defines_array_under(self, steps: Sequence[str]) -> bool:
        """True when this file writes an array of tables at a prefix of `steps` (it replaces a base's)."""
        return any(tuple(steps[: len(path)]) == path for path in self.arrays)


def scan(text: str) -> KeyLines:
    """Every header and key of a TOML text with its line (1-based)."""
    found = KeyLines()
    table: Path_ = ()
    depth = 0  # brackets and braces still open from a value that runs over lines
    in_string = ""  # the multi-line string delimiter open, if any
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string or depth:
            depth, in_string = _balance(line, depth, in_string)
            continue
        header = _HEADER.match(line)
        if header:
            parts = _parts(header.group(2))
            if header.group(1) == "[[":
                path = (*_resolve(found, parts[:-1]), parts[-1])
                index = found.arrays.get(path, 0)
                found.arrays[path] = index + 1
                path = (*path, str(index))
            else:
                path = _resolve(found, parts)
            found.lines.setdefault(path, number)
            table = path
            continue
        assignment = _ASSIGNMENT.match(line)
        if assignment:
            path = (*table, *_parts(assignment.group(1)))
            found.lines.setdefault(path, number)
            value = assignment.group(2).strip()
            if path[-1] == "code" and len(path) >= 2 and path[:-2] in found.arrays:
                code = _string_value(value)
                if code:
                    found.codes.setdefault(path[:-2], {})[code] = int(path[-2])
            depth, in_string = _balance(value, 0, "")
    return found


def line_of(key: str, files: Sequence[KeyLines], overrides: dict[str, str]) -> tuple[int, int | None]:
    """(index of the file in `files`, line) where `key` is written, or (0, None) when it is nowhere.

    `files` are the file and then its bases (`extends`), in that order; a file's keys win over
    its bases', and an array of tables written in a file hides the bases' one. `overrides` maps
    an array's name to the table that patches its items by code (`programs` ->
    `program_overrides`).
    """
    steps = _steps(key)
    best: tuple[int, int, int | None] = (0, 0, None)  # matched, file index, line
    for index, lines in enumerate(files):
        candidates = [steps]
        if len(steps) >= 2 and steps[0] in overrides and not steps[1].isdigit():
            candidates.insert(0, [overrides[steps[0]], *steps[1:]])
        for candidate in candidates:
            matched, line = lines.find(candidate)
            if line is not None and matched > best[0]:
                best = (matched, index, line)
        if lines.defines_array_under(steps):
            break
    return best[1], best[2]


def _steps(key: str) -> list[str]:
    """`programs[LEAD].eligibility.levels[0]` -> ['programs', 'LEAD', 'eligibility', 'levels', '0']."""
    steps = []
    for item, quoted, bare in _PATH_STEP.findall(key):
        steps.append(item or quoted.replace('\\"', '"') or bare)
    return steps


def _parts(dotted: str) -> list[str]:
    """The keys of a dotted key, quotes removed."""
    parts = []
    for part in _PART.findall(dotted):
        if part[:1] in "\"'":
            part = part[1:-1]
        parts.append(part)
    return parts


def _resolve(found: KeyLines, parts: list[str]) -> Path_:
    """A header's path with the last item of each array of tables on the way (`[programs.eligibility]`)."""
    path: Path_ = ()
    for part in parts:
        path = (*path, part)
        if path in found.arrays:
            path = (*path, str(found.arrays[path] - 1))
    return path


def _string_value(value: str) -> str:
    match = re.match(r'^"((?:[^"\\]|\\.)*)"|^\'([^\']*)\'', value)
    return (match.group(1) or match.group(2) or "") if match else ""


def _balance(text: str, depth: int, in_string: str) -> tuple[int, str]:
    """Brackets left open and multi-line string left open after `text`, strings and comments skipped."""
    i = 0
    while i < len(text):
        if in_string:
            end = text.find(in_string, i)
            if end < 0:
                return depth, in_string
            i, in_string = end + 3, ""
            continue
        char = text[i]
        if text.startswith(('"""', "'''"), i):
            in_string, i = text[i : i + 3], i + 3
            continue
        if char in "\"'":
            end = i + 1
            while end < len(text) and text[end] != char:
                end += 2 if char == '"' and text[end] == "\\" else 1
            i = end + 1
            continue
        if char == "#":
            break
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth = max(0, depth - 1)
        i += 1
    return depth, in_string
