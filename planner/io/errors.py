"""User-facing input errors: every problem names where it is and what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in an input, located by sheet, row and column (row 1 = header) or by key and line.

    `key` is a key path of a TOML file (`budget.per_year.2026`), `line` its line in `file`
    (the file the problem's report is headed by, unless `file` names another one, such as the
    base of an `extends`).
    """

    message_vi: str
    message_en: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    key: str = ""
    line: int | None = None
    file: str = ""

    def where(self, lang: str = "en") -> str:
        """`sheet 'X', row N, column 'Y'` (or `file 'F', key 'K', line N`) with the parts that are known."""
        vi = lang == "vi"
        parts = []
        if self.file:
            parts.append(f"{'tệp' if vi else 'file'} '{self.file}'")
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"{'dòng' if vi else 'row'} {self.row}")
        if self.column:
            parts.append(f"{'cột' if vi else 'column'} '{self.column}'")
        if self.key:
            parts.append(f"{'khóa' if vi else 'key'} '{self.key}'")
        if self.line is not None:
            parts.append(f"{'dòng' if vi else 'line'} {self.line}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where_vi, where_en = self.where("vi"), self.where("en")
        if not where_en:
            return f"{self.message_vi} / {self.message_en}"
        return f"{where_vi}: {self.message_vi} / {where_en}: {self.message_en}"


class InputError(Exception):
    """Input refused: carries every problem found, not just the first."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: {len(problems)} problem(s)")

    def report(self) -> str:
        """All problems, one per line, headed by the file name."""
        lines = [f"{self.source}: {len(self.problems)} lỗi / problem(s)"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)
