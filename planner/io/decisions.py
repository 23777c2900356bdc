"""Year after year: read a plan back, manual decisions and attendance results; record completed training.

The readers are the input edge for replanning. A plan is read from nominations.csv or from the
hidden `_nominations` sheet of a plan workbook. Decisions (`pin`: nominate this person to this
program in this year; `exclude`: never nominate them, to one program or to all) and attendance
results (completed or dropped) are read from .xlsx or .csv files whose headers are matched like
the roster's: Vietnamese or English, without case, accents or extra spaces. Every problem is
reported at once, with its sheet, row and column.

`record_history` is pure: it turns approved nominations that were completed into training
history rows of the roster.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path

from models import STANDARD_PROGRAMS, Attendance, Decision, Nomination, Roster, TrainingRecord
from planner.io.errors import InputError, Problem
from planner.io.export import NOMINATIONS_SHEET, read_nominations_csv
from planner.io.roster import (
    FAILED,
    HISTORY_COLUMNS,
    Column,
    Sheet,
    Table,
    choice_parser,
    parse_table,
    read_sheets,
)
from planner.io.text import normalize_key

logger = logging.getLogger(__name__)

DECISIONS_SHEET = "Quyết định"
ATTENDANCE_SHEET = "Kết quả đào tạo"
#: What '*' in the program column of an exclusion means: every program.
ALL_PROGRAMS = "*"

_DECISIONS_SHEET_NAMES = {normalize_key(n) for n in (DECISIONS_SHEET, "Decisions")}
_ATTENDANCE_SHEET_NAMES = {normalize_key(n) for n in (ATTENDANCE_SHEET, "Kết quả", "Attendance")}

#: Accepted spellings (compared with normalize_key) of each action and attendance status.
ACTION_NAMES = {
    "pin": ("pin", "cử", "ghim"),
    "exclude": ("exclude", "loại", "loại trừ", "không cử"),
}
STATUS_NAMES = {
    "completed": ("completed", "hoàn thành", "x"),
    "dropped": ("dropped", "bỏ học", "không hoàn thành"),
}
#: The values offered in dropdowns (the first Vietnamese spelling of each).
ACTION_LABELS = ("Cử", "Không cử")
STATUS_LABELS = ("Hoàn thành", "Bỏ học")


def _names(spellings: Mapping[str, tuple[str, ...]]) -> dict[str, object]:
    return {normalize_key(name): value for value, names in spellings.items() for name in names}


def _accepted(spellings: Mapping[str, tuple[str, ...]]) -> list[str]:
    return [name for names in spellings.values() for name in names]


_HISTORY = {column.field: column for column in HISTORY_COLUMNS}
_ID, _PROGRAM, _YEAR = _HISTORY["official_id"], _HISTORY["program"], _HISTORY["year"]

#: Columns of a decisions file, in the order of the template.
DECISION_COLUMNS: tuple[Column, ...] = (
    _ID,
    Column(
        "action",
        "Quyết định",
        ("action", "decision"),
        required=True,
        filled=True,
        parse=choice_parser(_names(ACTION_NAMES), _accepted(ACTION_NAMES)),
        choices=ACTION_LABELS,
    ),
    dataclasses.replace(_PROGRAM, filled=False),
    dataclasses.replace(_YEAR, filled=False),
    Column("reason", "Lý do", ("reason", "note", "Ghi chú")),
)

#: Columns of an attendance file.
ATTENDANCE_COLUMNS: tuple[Column, ...] = (
    _ID,
    _PROGRAM,
    _YEAR,
    Column(
        "status",
        "Kết quả",
        ("status", "result"),
        required=True,
        filled=True,
        parse=choice_parser(_names(STATUS_NAMES), _accepted(STATUS_NAMES)),
        choices=STATUS_LABELS,
    ),
)

#: Columns of the `_nominations` sheet: the headers of nominations.csv (export.NOMINATION_COLUMNS).
_NOMINATION_COLUMNS: tuple[Column, ...] = (
    Column("official_id", "official_id", required=True, filled=True),
    Column("program", "program", required=True, filled=True),
    Column("year", "year", required=True, filled=True, parse=_YEAR.parse),
    Column("class_id", "class_id"),
)


# ---------------------------------------------------------------------------------------------
# Plans


def read_plan(path: str | Path) -> list[Nomination]:
    """The nominations of a plan: nominations.csv, or a plan workbook written by `planner plan`.

    Raises `InputError` for a workbook without the hidden `_nominations` sheet (an older or
    hand-made workbook) and for any unreadable row.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return read_nominations_csv(path)

    def choose(names: list[str]) -> list[str]:
        if NOMINATIONS_SHEET not in names:
            raise InputError(
                path.name,
                [
                    Problem(
                        f"Tệp '{path.name}' không có danh sách cử dạng máy đọc được (sheet ẩn "
                        f"'{NOMINATIONS_SHEET}'). Dùng tệp nominations.csv hoặc tệp Excel do lệnh "
                        "`planner plan` tạo ra.",
                        f"'{path.name}' holds no machine-readable nominations (hidden sheet "
                        f"'{NOMINATIONS_SHEET}'); pass the nominations CSV or a workbook written by "
                        "`planner plan`.",
                    )
                ],
            )
        return [NOMINATIONS_SHEET]

    (sheet,) = read_sheets(path, choose)
    problems: list[Problem] = []
    table = _parse(path, sheet, _NOMINATION_COLUMNS, problems)
    if problems:
        raise InputError(path.name, problems)
    nominations = [Nomination.model_validate(row) for _, row in _records(table, _NOMINATION_COLUMNS)]
    logger.info("%s: %d nominations", path.name, len(nominations))
    return nominations


# ---------------------------------------------------------------------------------------------
# Decisions and attendance


def read_decisions(
    path: str | Path,
    known_programs: Iterable[str] = STANDARD_PROGRAMS,
    official_ids: Collection[str] | None = None,
) -> list[Decision]:
    """Manual decisions from .xlsx (sheet `Quyết định`/`Decisions`, else the first) or .csv.

    Columns: `Mã CB`, `Quyết định` (pin/exclude; cử, ghim / loại, không cử), `Chương trình`
    (a code; '*' or empty: every program, exclusions only), `Năm` (empty: every year, exclusions
    only), optional `Lý do`. Programs must be among `known_programs`; with `official_ids`, ids
    must be among them. Contradictions (a pin that an exclusion covers, two pins of one person in
    one year) are refused. Raises `InputError` listing every problem.
    """
    path = Path(path)
    codes = _program_names(known_programs)
    parse_program = choice_parser({**codes, ALL_PROGRAMS: None}, [*codes.values(), ALL_PROGRAMS])
    sheet = _read_one_sheet(path, _DECISIONS_SHEET_NAMES)
    problems: list[Problem] = []
    table = _parse(path, sheet, DECISION_COLUMNS, problems, {"program": parse_program}, {"reason": ""})
    _check_ids(sheet, table, official_ids, problems)

    def problem(row: int, field: str, message_vi: str, message_en: str) -> None:
        problems.append(Problem(message_vi, message_en, sheet.name, row, table.headers[field]))

    rows = list(_records(table, DECISION_COLUMNS))
    for row, values in rows:
        if values["action"] != "pin":
            continue
        if values["program"] is None:
            problem(
                row,
                "program",
                "Quyết định cử cần một mã chương trình (không để trống, không dùng '*'). Điền mã chương trình.",
                "A pin needs a program code (not empty, not '*'); fill in the program.",
            )
        if values["year"] is None:
            problem(
                row,
                "year",
                "Quyết định cử cần năm bắt đầu học. Điền năm 4 chữ số, ví dụ 2027.",
                "A pin needs the start year; fill in a four-digit year, e.g. 2027.",
            )
    if problems:
        raise InputError(path.name, _sorted(problems, table))
    decisions = [(row, Decision.model_validate(values)) for row, values in rows]
    for row, message_vi, message_en in _contradictions(decisions):
        problem(row, "action", message_vi, message_en)
    if problems:
        raise InputError(path.name, _sorted(problems, table))
    logger.info("%s: %d decisions", path.name, len(decisions))
    return [decision for _, decision in decisions]


def read_attendance(
    path: str | Path,
    known_programs: Iterable[str] = STANDARD_PROGRAMS,
    official_ids: Collection[str] | None = None,
) -> list[Attendance]:
    """Attendance results from .xlsx (sheet `Kết quả đào tạo`/`Attendance`, else the first) or .csv.

    Columns: `Mã CB`, `Chương trình`, `Năm`, `Kết quả` (hoàn thành, completed, x / bỏ học, không
    hoàn thành, dropped). Programs must be among `known_programs`; with `official_ids`, ids must
    be among them. A repeated row is kept once; two different results for one nomination are
    refused. Raises `InputError` listing every problem.
    """
    path = Path(path)
    codes = _program_names(known_programs)
    sheet = _read_one_sheet(path, _ATTENDANCE_SHEET_NAMES)
    problems: list[Problem] = []
    parse_program = choice_parser(dict(codes), list(codes.values()))
    table = _parse(path, sheet, ATTENDANCE_COLUMNS, problems, {"program": parse_program})
    _check_ids(sheet, table, official_ids, problems)
    results: dict[tuple[str, str, int], tuple[int, Attendance]] = {}
    for row, values in _records(table, ATTENDANCE_COLUMNS):
        attendance = Attendance.model_validate(values)
        key = (attendance.official_id, attendance.program, attendance.year)
        first = results.setdefault(key, (row, attendance))
        if first[1].status != attendance.status:
            problems.append(
                Problem(
                    f"Kết quả khác với dòng {first[0]} cho cùng cán bộ, chương trình và năm. Giữ một dòng.",
                    f"The result differs from row {first[0]} for the same official, program and year; "
                    "keep one row.",
                    sheet.name,
                    row,
                    table.headers["status"],
                )
            )
    if problems:
        raise InputError(path.name, _sorted(problems, table))
    logger.info("%s: %d attendance results", path.name, len(results))
    return [attendance for _, attendance in results.values()]


def _read_one_sheet(path: Path, preferred: set[str]) -> Sheet:
    """The sheet with one of the `preferred` names (normalize_key) or else the first; a CSV as is."""

    def choose(names: list[str]) -> list[str]:
        return [next((n for n in names if normalize_key(n) in preferred), names[0])]

    (sheet,) = read_sheets(path, choose)
    return sheet


def _parse(
    path: Path,
    sheet: Sheet,
    columns: tuple[Column, ...],
    problems: list[Problem],
    parsers: dict[str, Callable[[object], object]] | None = None,
    defaults: dict[str, object] | None = None,
) -> Table:
    """The sheet parsed by `parse_table`; raises `InputError` at once if a required column is missing."""
    table = parse_table(sheet, columns, defaults or {}, problems, parsers)
    if table is None or any(c.required and c.field not in table.values for c in columns):
        raise InputError(path.name, problems)
    return table


def _program_names(known_programs: Iterable[str]) -> dict[str, str]:
    """Program code by normalize_key (so 'duty' reads as DUTY)."""
    return {normalize_key(code): code for code in known_programs}


def _records(table: Table, columns: tuple[Column, ...]) -> Iterable[tuple[int, dict[str, object]]]:
    """(spreadsheet row, values by field) of each row whose cells were all read and filled as required.

    Rows left out have a problem reported already by `parse_table`.
    """
    fields = list(table.values)
    filled = [c.field for c in columns if c.filled and c.field in table.blank]
    for i, row in enumerate(table.rows):
        values = {field: table.values[field][i] for field in fields}
        if all(v is not FAILED for v in values.values()) and not any(
            table.blank[field][i] for field in filled
        ):
            yield row, values


def _check_ids(
    sheet: Sheet, table: Table, official_ids: Collection[str] | None, problems: list[Problem]
) -> None:
    """A problem for each id that is not among `official_ids` (when given)."""
    if official_ids is None:
        return
    for row, official_id in zip(table.rows, table.values.get("official_id", ()), strict=False):
        if isinstance(official_id, str) and official_id not in official_ids:
            problems.append(
                Problem(
                    f"Mã CB '{official_id}' không có trong danh sách cán bộ. Sửa mã cho đúng.",
                    f"Mã CB '{official_id}' is not in the roster; correct the id.",
                    sheet.name,
                    row,
                    table.headers["official_id"],
                )
            )


def _contradictions(decisions: list[tuple[int, Decision]]) -> list[tuple[int, str, str]]:
    """(row, message vi, message en) for each pin that an exclusion covers or that repeats a year."""
    by_official: dict[str, list[tuple[int, Decision]]] = defaultdict(list)
    for row, decision in decisions:
        by_official[decision.official_id].append((row, decision))
    found = []
    for rows in by_official.values():
        pins = [(row, d) for row, d in rows if d.action == "pin"]
        excludes = [(row, d) for row, d in rows if d.action == "exclude"]
        first_pin_of_year: dict[int | None, int] = {}
        for row, pin in pins:
            first = first_pin_of_year.setdefault(pin.year, row)
            if first != row:
                found.append(
                    (
                        row,
                        f"Cán bộ này đã có quyết định cử năm {pin.year} ở dòng {first}; mỗi người chỉ bắt "
                        "đầu một chương trình mỗi năm. Giữ một dòng.",
                        f"This official is already pinned for {pin.year} on row {first}; a person starts "
                        "at most one program a year. Keep one row.",
                    )
                )
            for other, exclude in excludes:
                if exclude.program in (None, pin.program) and exclude.year in (None, pin.year):
                    found.append(
                        (
                            max(row, other),
                            f"Quyết định cử (dòng {row}) và không cử (dòng {other}) mâu thuẫn nhau. "
                            "Xóa một trong hai dòng.",
                            f"The pin on row {row} and the exclusion on row {other} contradict each other; "
                            "delete one of them.",
                        )
                    )
    return found


def _sorted(problems: list[Problem], table: Table) -> list[Problem]:
    """Problems in reading order: by row, then by column."""
    order = {header: i for i, header in enumerate(table.headers.values())}
    return sorted(problems, key=lambda p: (p.row or 0, order.get(p.column, len(order))))


# ---------------------------------------------------------------------------------------------
# Recording completed training


@dataclasses.dataclass(frozen=True)
class ProgramYearOutcome:
    """What became of the approved nominations of one program and start year."""

    program: str
    year: int
    approved: int
    completed: int
    dropped: int
    #: Approved nominations with no result in the attendance file.
    no_result: int

    @property
    def still_to_come(self) -> bool:
        """No result at all for this program and year: the course has not happened (or not been reported)."""
        return self.completed == self.dropped == 0


@dataclasses.dataclass(frozen=True)
class RecordOutcome:
    """What `record_history` did: history rows added, counts per start year and program (the seed
    plan's programs first, in their order), and each nomination not recorded (Vietnamese / English),
    in the plan's order."""

    added: int
    by_program_year: list[ProgramYearOutcome]
    not_recorded: list[str]

    def count(self, field: str, still_to_come: bool | None = None) -> int:
        """The sum of one field over the programs and years (only those still to come, or only the others)."""
        return sum(
            getattr(row, field)
            for row in self.by_program_year
            if still_to_come is None or row.still_to_come == still_to_come
        )


def record_history(
    roster: Roster, approved: list[Nomination], attendance: list[Attendance], source: str = "attendance"
) -> tuple[Roster, RecordOutcome]:
    """The roster with each completed approved nomination added to its history, and what became of each.

    Existing history rows are all kept, and a nomination already in the history is not added
    again. Approved nominations without an attendance result and dropped ones are not added; each
    is listed in the outcome's messages (Vietnamese / English), and counted per program and year
    (a program and year with no result at all is still to come). Attendance rows that name no
    approved nomination, an approved nomination of an official not in the roster, or two
    different results for one nomination raise `InputError` (named `source`) listing them all.
    """
    keys = {(n.official_id, n.program, n.year) for n in approved}
    known = roster.by_id()
    problems = [
        Problem(
            f"Danh sách được duyệt cử {n.official_id} ({n.program} {n.year}) nhưng mã CB này không có "
            "trong danh sách cán bộ. Dùng đúng danh sách cán bộ của kế hoạch.",
            f"The approved plan nominates {n.official_id} ({n.program} {n.year}), who is not in the roster; "
            "use the roster the plan was made from.",
        )
        for n in approved
        if n.official_id not in known
    ]
    status: dict[tuple[str, str, int], str] = {}
    for a in attendance:
        key = (a.official_id, a.program, a.year)
        if key not in keys:
            problems.append(
                Problem(
                    f"{a.official_id} {a.program} {a.year}: không có trong danh sách cử được duyệt. "
                    "Sửa mã CB, chương trình, năm hoặc xóa dòng này.",
                    f"{a.official_id} {a.program} {a.year}: not an approved nomination; correct the id, "
                    "program or year, or delete the row.",
                )
            )
        elif status.setdefault(key, a.status) != a.status:
            problems.append(
                Problem(
                    f"{a.official_id} {a.program} {a.year}: có hai kết quả khác nhau. Giữ một kết quả.",
                    f"{a.official_id} {a.program} {a.year}: two different results; keep one.",
                )
            )
    if problems:
        raise InputError(source, problems)

    recorded = {(r.official_id, r.program, r.year) for r in roster.history}
    added: list[TrainingRecord] = []
    messages: list[str] = []
    handled: set[tuple[str, str, int]] = set()
    counts: dict[tuple[str, int], dict[str | None, int]] = defaultdict(lambda: defaultdict(int))
    for n in approved:
        key = (n.official_id, n.program, n.year)
        if key in handled:
            continue
        handled.add(key)
        result = status.get(key)
        counts[n.program, n.year][result] += 1
        if result == "completed" and key not in recorded:
            added.append(TrainingRecord(official_id=n.official_id, program=n.program, year=n.year))
        elif result is None:
            messages.append(
                f"{n.official_id} {n.program} {n.year}: chưa có kết quả, chưa ghi vào lịch sử / "
                "no result yet, not recorded"
            )
        elif result == "dropped":
            messages.append(
                f"{n.official_id} {n.program} {n.year}: bỏ học, không ghi vào lịch sử / dropped, not recorded"
            )
    logger.info("recorded %d completed nominations, %d still open or dropped", len(added), len(messages))
    order = {program: i for i, program in enumerate(STANDARD_PROGRAMS)}
    rows = [
        ProgramYearOutcome(
            program,
            year,
            approved=sum(found.values()),
            completed=found["completed"],
            dropped=found["dropped"],
            no_result=found[None],
        )
        for (year, _, program), found in sorted(
            ((year, order.get(program, len(order)), program), found)
            for (program, year), found in counts.items()
        )
    ]
    outcome = RecordOutcome(added=len(added), by_program_year=rows, not_recorded=messages)
    return roster.model_copy(update={"history": [*roster.history, *added]}), outcome
