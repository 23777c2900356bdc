"""The scenario form: a stored scenario's yearly numbers, budget, targets and weights as form fields,
and a new version saved from what the form sends, validated by the scenario loader.

Each field is named by its key path as the loader's problems name it (`programs[LEAD].class_size_min`,
`budget.per_year.2027`), so a refused value's problem is shown next to its field. The new version is
the whole scenario written as TOML (`io.scenario_toml`), saved under a new name through
`services.save_scenario`: the original stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from models import Scenario
from planner.io.errors import InputError, Problem
from planner.io.scenario import toml_path, validate_scenario
from planner.io.scenario_toml import scenario_toml
from planner.io.text import format_number
from planner.report.status import level_name
from planner.web import services
from planner.web.db import ScenarioRecord

Loc = tuple[str | int, ...]
#: (key, number type, empty allowed, Vietnamese, English) of a field.
Spec = tuple[str, type, bool, str, str]

#: Each program's yearly numbers.
PROGRAM_FIELDS: list[Spec] = [
    ("class_size_min", int, False, "Sĩ số tối thiểu", "Class size min"),
    ("class_size_max", int, False, "Sĩ số tối đa", "Class size max"),
    ("classes_per_year_min", int, False, "Số lớp/năm tối thiểu", "Classes a year min"),
    ("classes_per_year_max", int, True, "Số lớp/năm tối đa", "Classes a year max"),
    ("places_per_year_min", int, False, "Số người/năm tối thiểu", "Places a year min"),
    ("places_per_year_max", int, True, "Số người/năm tối đa", "Places a year max"),
]
#: Fields only a class program has (a slot program has places, not classes).
CLASS_ONLY = {"class_size_min", "class_size_max", "classes_per_year_min", "classes_per_year_max"}
TARGET_FIELDS: list[Spec] = [
    ("share", float, True, "Tỉ lệ (0–1)", "Share (0–1)"),
    ("count", int, True, "Số người", "Count"),
    ("deadline", int, False, "Năm hạn", "Deadline"),
    ("weight", float, False, "Trọng số", "Weight"),
]
SCORE_FIELDS: list[Spec] = [
    ("rating", int, False, "Xếp loại", "Rating"),
    ("pipeline", int, False, "Quy hoạch", "Pipeline"),
    ("not_yet_trained", int, False, "Chưa được đào tạo", "Not yet trained"),
    ("priority_field", int, False, "Lĩnh vực ưu tiên", "Priority field"),
    ("years_left", int, False, "Còn nhiều năm công tác", "Years left"),
    ("long_service_years", int, False, "Số năm công tác còn lại tính là nhiều", "Long service years"),
]


@dataclass(frozen=True)
class FormField:
    """One input: its name (the key path), where its value goes in the scenario's data, its type."""

    name: str
    loc: Loc
    number: type
    optional: bool
    value: str
    #: the problems the loader found with this value (after a refused save)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class FormRow:
    """A row of a section: what it is about (a code or words, and a second line: a name or the English
    words) and its fields, one per column (None: not for this row)."""

    label: str
    note: str
    cells: Sequence[FormField | None]


@dataclass(frozen=True)
class FormSection:
    """A table of the form: column headings (vi, en) and rows."""

    key: str
    title_vi: str
    title_en: str
    columns: list[tuple[str, str]]
    rows: list[FormRow]

    def fields(self) -> list[FormField]:
        """Every field of the section."""
        return [cell for row in self.rows for cell in row.cells if cell is not None]


@dataclass(frozen=True)
class ScenarioForm:
    """The form of a stored scenario: the new version's file name and name, and the sections."""

    record: ScenarioRecord
    filename: str
    name: str
    sections: list[FormSection]
    #: problems not tied to one field of the form (with those that are, for the summary)
    problems: list[Problem] = field(default_factory=list)

    def fields(self) -> list[FormField]:
        """Every field of the form."""
        return [f for section in self.sections for f in section.fields()]


def scenario_form(session: Session, record: ScenarioRecord) -> ScenarioForm:
    """The form filled with the stored scenario's values (`InputError` when it does not load)."""
    scenario = services.load_stored_scenario(session, record)
    data = scenario.model_dump(mode="json")
    stem = Path(record.filename).stem
    return ScenarioForm(
        record,
        services.free_scenario_filename(session, f"{stem}-v2"),
        f"{scenario.name}, bản sửa",
        _sections(scenario, data, {}),
    )


def save_edited(session: Session, record: ScenarioRecord, form: Mapping[str, str]) -> ScenarioRecord:
    """Save the scenario with the form's values as a new version (the original untouched).

    Raises `FormRefused` with the form as sent and every problem, each by its field, when the
    loader refuses a value.
    """
    scenario = services.load_stored_scenario(session, record)
    data = scenario.model_dump(mode="json")
    fields = _sections(scenario, data, {})
    name = " ".join(str(form.get("name", "")).split()) or scenario.name
    data["name"] = name
    for section in fields:
        for spec in section.fields():
            if spec.name in form:
                _put(data, spec.loc, parse_number(str(form[spec.name]), spec.number), spec.optional)
    filename = str(form.get("filename", "")).strip() or f"{Path(record.filename).stem}-v2"
    try:
        edited = validate_scenario(data, source=filename)
    except InputError as error:
        sent = {k: str(v) for k, v in form.items()}
        by_key: dict[str, list[Problem]] = {}
        for problem in error.problems:
            by_key.setdefault(problem.key, []).append(problem)
        refused = ScenarioForm(
            record, filename, name, _sections(scenario, data, by_key, sent), list(error.problems)
        )
        raise FormRefused(refused, error) from None
    header = (
        f"{edited.name}: saved from {record.filename} with the scenario form of the web application.\n"
        f"Lưu từ {record.filename} bằng biểu mẫu kịch bản; nguồn của từng giá trị ghi chú trong tệp đó.\n"
        f"The sources of the values are commented in {record.filename}."
    )
    return services.save_scenario(
        session, filename, scenario_toml(edited, header), note=f"edited from #{record.id} {record.filename}"
    )


class FormRefused(InputError):
    """The loader refused the form's values: the form as sent, with the problems by field."""

    def __init__(self, form: ScenarioForm, error: InputError) -> None:
        super().__init__(error.source, error.problems)
        self.form = form


def parse_number(text: str, number: type) -> Any:
    """A typed value as a number of its field's type, None when empty, the text itself when it is
    no number (so that the loader names the field and the value). Whole numbers may group their
    thousands with '.', ',' or spaces (12.000.000.000); decimals may use a comma (0,5)."""
    text = text.strip()
    if not text:
        return None
    if number is str:
        return text
    compact = re.sub(r"[\s_]", "", text)
    if number is int:
        if re.fullmatch(r"[+-]?\d{1,3}([.,]\d{3})+", compact):
            compact = re.sub(r"[.,]", "", compact)
        return int(compact) if re.fullmatch(r"[+-]?\d+", compact) else text
    try:
        return float(compact.replace(",", "."))
    except ValueError:
        return text


def _put(data: dict[str, Any], loc: Loc, value: Any, optional: bool) -> None:
    """Set the value at `loc`; an empty optional entry of a table (a year's budget, a tolerance) is
    removed, an empty optional field is unset (None)."""
    node: Any = data
    for part in loc[:-1]:
        node = node[part]
    if value is None and optional and loc[:-1] and loc[-2] in ("per_year", "tolerance"):
        node.pop(loc[-1], None)
    else:
        node[loc[-1]] = value


def _sections(
    scenario: Scenario,
    data: dict[str, Any],
    problems: Mapping[str, list[Problem]],
    sent: Mapping[str, str] | None = None,
) -> list[FormSection]:
    """The form's sections over the scenario's data (values as sent, when given, else as stored)."""

    def cell(loc: Loc, number: type, optional: bool) -> FormField:
        name = toml_path(loc, data)
        value = sent[name] if sent is not None and name in sent else _shown(_at(data, loc))
        return FormField(name, loc, number, optional, value, problems.get(name, []))

    programs = [
        FormRow(
            p.code,
            p.name,
            [
                None if key in CLASS_ONLY and not p.is_class else cell(("programs", i, key), t, opt)
                for key, t, opt, _, _ in PROGRAM_FIELDS
            ],
        )
        for i, p in enumerate(scenario.programs)
    ]
    years = [str(y) for y in scenario.years]
    budget = [FormRow(y, "", [cell(("budget", "per_year", y), int, True)]) for y in years] + [
        FormRow("Các năm khác", "Other years", [cell(("budget", "default"), int, True)]),
        FormRow(
            "Hệ số nhân dự toán", "Factor applied to every year", [cell(("budget", "factor"), float, False)]
        ),
    ]
    targets = [
        FormRow(
            t.code, t.name, [cell(("targets", i, key), kind, opt) for key, kind, opt, _, _ in TARGET_FIELDS]
        )
        for i, t in enumerate(scenario.targets)
    ]
    score = FormRow(
        "Điểm mỗi tiêu chí",
        "Points a feature",
        [cell(("score", key), t, o) for key, t, o, _, _ in SCORE_FIELDS],
    )
    order = scenario.objective.order
    tolerance = FormRow(
        "Dung sai giữ ở mỗi mức (0–1)",
        "Tolerance kept at each level (0–1)",
        [cell(("objective", "tolerance", level), float, True) for level in order],
    )
    return [
        FormSection("programs", "Chương trình", "Programs", _heads(PROGRAM_FIELDS), programs),
        FormSection(
            "budget", "Dự toán theo năm", "Budget by year", [("Dự toán (đồng)", "Budget (VND)")], budget
        ),
        FormSection("targets", "Chỉ tiêu", "Targets", _heads(TARGET_FIELDS), targets),
        FormSection("score", "Điểm ưu tiên", "Merit score", _heads(SCORE_FIELDS), [score]),
        FormSection(
            "objective",
            "Thứ tự mục tiêu: " + " → ".join(level_name(level, "vi") for level in order),
            "Objective order: " + " → ".join(level_name(level, "en") for level in order),
            [(level_name(level, "vi"), level_name(level, "en")) for level in order],
            [tolerance],
        ),
    ]


def _heads(specs: list[Spec]) -> list[tuple[str, str]]:
    return [(vi, en) for _, _, _, vi, en in specs]


def _at(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(data, dict):
            data = data.get(str(part) if not isinstance(part, int) else part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _shown(value: Any) -> str:
    """A stored value as the form shows it: whole numbers of five digits and more grouped with '.'."""
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10_000:
        return format_number(value)
    return str(value)
