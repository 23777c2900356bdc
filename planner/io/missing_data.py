"""Columns the roster lacks that a rule of the scenario needs: which programs they empty, and the fix.

HR exports often carry only some optional columns (most have only the latest rating). A rule
that needs a missing column fails for everybody, so its program silently has nobody eligible;
`missing_columns` says so by name, in Vietnamese and English, for `planner check` and the
notes of a plan. A column counts as missing when the roster file has no such column or no
value in it (`Roster.columns`).
"""

from __future__ import annotations

from dataclasses import dataclass

from models import Program, Roster, Scenario, Text
from planner.io.roster import OFFICIAL_COLUMNS
from planner.io.text import short_number

_HEADERS = {column.field: column.header for column in OFFICIAL_COLUMNS}
_ENGLISH = {column.field: next((a for a in column.aliases if a.isascii()), "") for column in OFFICIAL_COLUMNS}


def column_header(field: str) -> str:
    """The Vietnamese header of the roster column that fills an `Official` field."""
    return _HEADERS.get(field, field)


@dataclass(frozen=True)
class MissingColumn:
    """A column the roster lacks, the programs and targets it leaves empty, and what to do."""

    field: str
    header: str
    programs: tuple[str, ...]
    #: Quotas and targets that rest only on those programs.
    affected: tuple[str, ...]
    #: Targets whose group is defined by the column (due for a title appointment): left empty.
    empty_groups: tuple[str, ...]
    #: True when the programs keep their eligible people (a missing previous rating read as the latest).
    counted_as_latest: bool
    vi: str
    en: str

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {
            "field": self.field,
            "column": self.header,
            "programs": list(self.programs),
            "affected": list(self.affected),
            "empty_groups": list(self.empty_groups),
            "counted_as_latest": self.counted_as_latest,
            "message": self.vi,
            "message_en": self.en,
        }


_TITLE_YEAR = ("năm dự kiến bổ nhiệm chức danh nghề nghiệp", "a planned professional title appointment year")


def _needs(program: Program) -> dict[str, tuple[str, str]]:
    """The roster fields the program's eligibility rule reads, with what it asks (vi, en)."""
    rule = program.eligibility
    needs: dict[str, tuple[str, str]] = {}
    if rule.min_rating is not None:
        needs["rating"] = ("xếp loại chất lượng năm gần nhất", "the latest yearly rating")
        if rule.rating_years == 2:
            needs["rating_previous"] = (
                f"xếp loại 2 năm liền từ '{rule.min_rating.label}' trở lên",
                f"two consecutive years rated '{rule.min_rating.label_en}' or better",
            )
    if rule.min_service_years is not None:
        needs["hired_date"] = (
            f"thâm niên công tác từ {short_number(rule.min_service_years)} năm (tính từ ngày tuyển dụng)",
            f"{short_number(rule.min_service_years, 'en')} years of service (counted from the hired date)",
        )
    if rule.before_title_year:
        needs["title_year"] = _TITLE_YEAR
    if rule.requires_pipeline:
        needs["pipeline"] = ("có trong quy hoạch", "being in the succession pipeline")
    if rule.professions is not None:
        listed = ", ".join(rule.professions)
        needs["profession"] = (f"chuyên môn {listed}", f"profession {listed}")
    return needs


def missing_columns(roster: Roster, scenario: Scenario) -> list[MissingColumn]:
    """Each column a rule of the scenario needs and the roster lacks, in the roster's column order."""
    by_field: dict[str, list[Program]] = {}
    asks: dict[str, tuple[str, str]] = {}
    for program in scenario.programs:
        for field, ask in _needs(program).items():
            if field not in roster.columns:
                by_field.setdefault(field, []).append(program)
                asks.setdefault(field, ask)
    if "title_year" not in roster.columns and any(t.group.due_for_title for t in scenario.targets):
        by_field.setdefault("title_year", [])
        asks.setdefault("title_year", _TITLE_YEAR)
    found = []
    for field in (column.field for column in OFFICIAL_COLUMNS if column.field in by_field):
        programs = [p.code for p in by_field[field]]
        latest = field == "rating_previous" and scenario.rules.missing_previous_rating == "as_latest"
        emptied = set() if latest else set(programs)
        affected = [q.code for q in scenario.quotas if q.min_per_year and emptied.issuperset(q.programs)]
        affected += [t.code for t in scenario.targets if emptied.issuperset(t.programs)]
        empty = [t.code for t in scenario.targets if field == "title_year" and t.group.due_for_title]
        vi, en = _message(field, programs, affected, empty, asks[field], latest)
        found.append(
            MissingColumn(
                field, column_header(field), tuple(programs), tuple(affected), tuple(empty), latest, vi, en
            )
        )
    return found


def missing_column_notes(roster: Roster, scenario: Scenario) -> list[Text]:
    """The missing columns as plan notes."""
    return [Text(m.vi, m.en) for m in missing_columns(roster, scenario)]


def _message(
    field: str,
    programs: list[str],
    affected: list[str],
    empty: list[str],
    ask: tuple[str, str],
    latest: bool,
) -> tuple[str, str]:
    header, english = column_header(field), _ENGLISH.get(field, field)
    head_vi = f"Danh sách cán bộ không có cột '{header}' (hoặc cột trống)"
    head_en = f"The roster has no column '{header}' ({english}) or it is empty"
    codes = ", ".join(programs)
    if latest:
        return (
            f"{head_vi}: với {codes}, xếp loại năm trước được tính bằng xếp loại năm gần nhất "
            '([rules] missing_previous_rating = "as_latest"); hãy xác minh 2 năm liền trước khi ký '
            f"danh sách, hoặc thêm cột '{header}'.",
            f"{head_en}: for {codes} the previous year's rating is taken as the latest "
            '([rules] missing_previous_rating = "as_latest"); confirm both years before signing the '
            f"lists, or add the column '{header}'.",
        )
    parts_vi, parts_en = [], []
    if programs:
        parts_vi.append(f"{codes} cần {ask[0]} nên không ai đủ điều kiện")
        parts_en.append(f"{codes} need {ask[1]}, so nobody is eligible")
        if affected:
            parts_vi[-1] += f" (ảnh hưởng {', '.join(affected)})"
            parts_en[-1] += f" (this affects {', '.join(affected)})"
    if empty:
        parts_vi.append(f"nhóm của mục tiêu {', '.join(empty)} không có ai")
        parts_en.append(f"the group of target {', '.join(empty)} is empty")
    vi = f"{head_vi}: {'; '.join(parts_vi)}"
    en = f"{head_en}: {'; '.join(parts_en)}"
    vi += f". Thêm cột '{header}' vào danh sách cán bộ"
    en += f". Add the column '{header}' to the officials sheet"
    if field == "rating_previous":
        vi += ', hoặc đặt missing_previous_rating = "as_latest" trong [rules] của kịch bản nếu đã xác minh'
        en += ', or set missing_previous_rating = "as_latest" under [rules] in the scenario once verified'
    return vi + ".", en + "."
