"""User-facing input errors: every problem names where it is and what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in an input file, located by sheet, row and column (row 1 = header)."""

    message_vi: str
    message_en: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def where(self) -> str:
        """`sheet 'X', row N, column 'Y'` with the parts that are known."""
        parts = []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        prefix = f"{where}: " if where else ""
        return f"{prefix}{self.message_vi} / {self.message_en}"


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
