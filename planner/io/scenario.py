"""Read a scenario file (TOML) into a validated `Scenario`, reporting every problem at once.

A scenario file may build on another one:

- `extends = "other.toml"` (a path relative to the file) loads that file first, then lays
  the file's own keys over it. Tables are merged key by key, recursively (so a variant may
  set only `[budget.per_year]` or `[rules]` keys); any other value, arrays included, replaces
  the base's value whole (a variant that writes `[[programs]]` replaces the whole list).
  A base may itself extend another file.
- `[program_overrides.CODE]`, `[quota_overrides.CODE]` and `[target_overrides.CODE]` change
  single keys of the program, quota or target with that code, merged the same way, without
  copying the list. They apply after `extends` and may be used in any file.

Every problem (a wrong type, a missing or unknown key, a min above its max, a code that
appears twice or is unknown, a year outside the plan, a negative budget) becomes a `Problem`
whose `key` is the key path written the TOML way, with programs, quotas and targets named by
their code: `programs[LEAD].class_size_min`, `targets[DUTY_ALL].programs[0]`,
`budget.per_year.2031`; its `line` is where the file (or the base it extends, then named in
`file`) writes that key or, for a missing key, its table.
"""

from __future__ import annotations

import difflib
import logging
import re
import tomllib
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeGuard

from pydantic import BaseModel, ValidationError

from models.enums import Level
from models.scenario import (
    Budget,
    EligibilityRule,
    GroupFilter,
    Objective,
    Program,
    Quota,
    Rules,
    Scenario,
    ScoreWeights,
    Target,
)
from planner.io.errors import InputError, Problem
from planner.io.toml_lines import KeyLines, line_of, scan

log = logging.getLogger(__name__)

EXTENDS_KEY = "extends"
#: Top-level tables that patch one item of a list of tables, by code.
OVERRIDE_KEYS = {"program_overrides": "programs", "quota_overrides": "quotas", "target_overrides": "targets"}
OVERRIDE_SECTIONS = {section: key for key, section in OVERRIDE_KEYS.items()}
#: Lists of tables whose items carry a unique `code`.
CODED_SECTIONS = ("programs", "quotas", "targets")

Loc = tuple[str | int, ...]

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_LINE = re.compile(r"line (\d+)")
_ALL_MODELS = (
    Scenario,
    Program,
    EligibilityRule,
    Quota,
    Target,
    GroupFilter,
    Rules,
    Budget,
    ScoreWeights,
    Objective,
)
_FIELD_NAMES = frozenset(name for model in _ALL_MODELS for name in model.model_fields)
_LEVEL_VALUES = frozenset(level.value for level in Level)
_DEFAULT_LEVELS = [level.value for level in Scenario.model_fields["levels"].default]
#: (min key, max key) pairs that must be ordered, per list of tables.
_ORDERED_PAIRS = {
    "programs": [
        ("class_size_min", "class_size_max"),
        ("classes_per_year_min", "classes_per_year_max"),
        ("places_per_year_min", "places_per_year_max"),
    ],
    "quotas": [("min_per_year", "max_per_year")],
}

#: Vietnamese gist of pydantic's error types; `{...}` are filled from the error's context.
_VI_BY_TYPE = {
    "missing": "thiếu khóa bắt buộc",
    "extra_forbidden": "khóa không được phép (không có trong mẫu kịch bản)",
    "int_type": "phải là số nguyên",
    "int_parsing": "phải là số nguyên",
    "int_from_float": "phải là số nguyên (không có phần thập phân)",
    "float_type": "phải là số",
    "float_parsing": "phải là số",
    "string_type": "phải là chuỗi văn bản (trong ngoặc kép)",
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
    "list_type": "phải là danh sách [ ... ]",
    "dict_type": "phải là bảng (table)",
    "model_type": "phải là bảng (table)",
    "model_attributes_type": "phải là bảng (table)",
    "greater_than": "phải lớn hơn {gt}",
    "greater_than_equal": "phải lớn hơn hoặc bằng {ge}",
    "less_than": "phải nhỏ hơn {lt}",
    "less_than_equal": "phải nhỏ hơn hoặc bằng {le}",
    "too_short": "danh sách quá ngắn: cần ít nhất {min_length} phần tử",
    "too_long": "danh sách quá dài: tối đa {max_length} phần tử",
    "string_pattern_mismatch": "không đúng dạng quy định (mẫu {pattern})",
    "enum": "giá trị không hợp lệ; giá trị cho phép: {expected}",
    "literal_error": "giá trị không hợp lệ; giá trị cho phép: {expected}",
    "frozen_instance": "không được thay đổi",
}
#: Plain words for the patterns of models/scenario.py.
_PATTERN_HINTS = {
    r"^[A-Z][A-Z0-9_]*$": (
        "mã viết bằng chữ in hoa không dấu, số và dấu _, bắt đầu bằng chữ (ví dụ LEAD, CK1)",
        "a code of capital letters, digits and _, starting with a letter (e.g. LEAD, CK1)",
    ),
    r"^\d\d-\d\d$": ("tháng-ngày dạng MM-DD (ví dụ 01-01)", "month-day as MM-DD (e.g. 01-01)"),
}
#: Vietnamese for the reasons the models' validators (and this module) give in English.
_VI_BY_REASON = [
    (re.compile(r"^(\w+) must not exceed (\w+)$"), "{0} không được lớn hơn {1}"),
    (re.compile(r"^start_year must not be after end_year$"), "start_year không được sau end_year"),
    (
        re.compile(r"^a slot program has places, not classes"),
        "chương trình theo suất học (slot) không có lớp: dùng places_per_year_min, places_per_year_max",
    ),
    (
        re.compile(r"^give exactly one of share"),
        "cần đúng một trong hai khóa: share (tỉ lệ 0-1) hoặc count (số người)",
    ),
    (re.compile(r"duplicate code '([^']*)'"), "mã {0} bị trùng"),
    (re.compile(r"unknown program '([^']*)'"), "chương trình {0} không có trong danh sách programs"),
    (re.compile(r"(\d+) is outside (\d+)-(\d+)"), "năm {0} nằm ngoài giai đoạn kế hoạch {1}-{2}"),
]


def load_scenario(path: str | Path, budget_factor: float | None = None) -> Scenario:
    """Read, merge (`extends`, `*_overrides`) and validate a scenario file.

    `budget_factor`, when given, replaces the file's `budget.factor`. Raises `InputError`
    naming the file and listing every problem found, each located by its key path.
    """
    path = Path(path)
    files: list[tuple[str, KeyLines]] = []
    data, problems = _resolve(path, chain=(), files=files)
    if budget_factor is not None:
        budget = data.setdefault("budget", {})
        if isinstance(budget, dict):
            budget["factor"] = budget_factor
    scenario, more = _validate(data)
    problems = _unique(problems + more)
    if problems or scenario is None:
        raise InputError(path.name, [_located(p, files, budget_factor) for p in problems])
    log.info("scenario %s loaded from %s: %d programs", scenario.name, path, len(scenario.programs))
    return scenario


def validate_scenario(data: Mapping[str, Any], source: str = "scenario") -> Scenario:
    """Validate scenario data already read (a dict shaped like the TOML file).

    Raises `InputError` with `source` and every problem found, as `load_scenario` does.
    """
    scenario, problems = _validate(dict(data))
    if problems or scenario is None:
        raise InputError(source, problems)
    return scenario


# --- reading and merging ------------------------------------------------------------


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """The TOML table of a file and its text, or `InputError` for a missing, unreadable or invalid file."""
    try:
        text = path.read_bytes().decode("utf-8-sig")  # Notepad on Windows may write a BOM
        return tomllib.loads(text), text
    except FileNotFoundError:
        problem = Problem(f"không tìm thấy tệp kịch bản: {path}", f"scenario file not found: {path}")
    except tomllib.TOMLDecodeError as error:
        match = _LINE.search(str(error))
        line = int(match.group(1)) if match else None
        problem = Problem(f"lỗi cú pháp TOML: {error}", f"invalid TOML syntax: {error}", line=line)
    except UnicodeDecodeError as error:
        problem = Problem(f"tệp không phải văn bản UTF-8: {error}", f"file is not UTF-8 text: {error}")
    except OSError as error:
        problem = Problem(f"không đọc được tệp: {error}", f"cannot read the file: {error}")
    raise InputError(path.name, [problem])


def _resolve(
    path: Path, chain: tuple[Path, ...], files: list[tuple[str, KeyLines]]
) -> tuple[dict[str, Any], list[Problem]]:
    """The file's data with its `extends` base merged under it and its overrides applied.

    Appends (name, key lines) of the file, then of its bases, to `files`.
    """
    data, text = _read_toml(path)
    lines = scan(text)
    files.append((path.name, lines))
    extends_line = line_of(EXTENDS_KEY, [lines], {})[1]
    parent = data.pop(EXTENDS_KEY, None)
    overrides = {key: data.pop(key) for key in OVERRIDE_KEYS if key in data}
    problems: list[Problem] = []
    if parent is not None:
        if not isinstance(parent, str) or not parent.strip():
            raise InputError(
                path.name,
                [
                    Problem(
                        "extends phải là tên tệp kịch bản gốc (chuỗi văn bản)",
                        "extends must be the file name of the base scenario (a string)",
                        key=EXTENDS_KEY,
                        line=extends_line,
                    )
                ],
            )
        parent_path = path.parent / parent
        here = path.resolve()
        if parent_path.resolve() in (*chain, here):
            raise InputError(
                path.name,
                [
                    Problem(
                        f"extends tạo vòng lặp qua {parent}",
                        f"extends makes a cycle through {parent}",
                        key=EXTENDS_KEY,
                        line=extends_line,
                    )
                ],
            )
        if not parent_path.is_file():
            raise InputError(
                path.name,
                [
                    Problem(
                        f"không tìm thấy tệp kịch bản gốc: {parent_path}",
                        f"base scenario file not found: {parent_path}",
                        key=EXTENDS_KEY,
                        line=extends_line,
                    )
                ],
            )
        base, problems = _resolve(parent_path, (*chain, here), files)
        data = deep_merge(base, data)
    problems += _apply_overrides(data, overrides)
    return data, problems


def _located(problem: Problem, files: list[tuple[str, KeyLines]], budget_factor: float | None) -> Problem:
    """The problem with the line (and, in a base file, the file) where its key is written."""
    if not problem.key or problem.line is not None:
        return problem
    if budget_factor is not None and problem.key == "budget.factor":
        return replace(
            problem,
            message_vi=f"{problem.message_vi} (hệ số ngân sách được truyền vào, không phải trong tệp)",
            message_en=f"{problem.message_en} (the budget factor given, not the file's)",
        )
    index, line = line_of(problem.key, [lines for _, lines in files], OVERRIDE_SECTIONS)
    if line is None:
        return problem
    return replace(problem, line=line, file=files[index][0] if index else "")


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """`over` laid on `base`: tables merged recursively, any other value (arrays too) replaced."""
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _apply_overrides(data: dict[str, Any], overrides: Mapping[str, Any]) -> list[Problem]:
    """Merge each `[<section>_overrides.CODE]` table into the item with that code."""
    problems = []
    for key, section in OVERRIDE_KEYS.items():
        table = overrides.get(key)
        if table is None:
            continue
        if not isinstance(table, dict):
            problems.append(
                Problem(
                    f"{key} phải là bảng [{key}.MÃ]",
                    f"{key} must be a table of tables [{key}.CODE]",
                    key=key,
                )
            )
            continue
        items = list(data[section]) if isinstance(data.get(section), list) else []
        for code, patch in table.items():
            where = f"{key}.{code}"
            found = [i for i, item in enumerate(items) if isinstance(item, dict) and item.get("code") == code]
            if not isinstance(patch, dict):
                problems.append(
                    Problem("phải là bảng (table)", "must be a table of keys to change", key=where)
                )
            elif not found:
                problems.append(
                    Problem(
                        f"không có mục nào mã {code} trong {section} để ghi đè",
                        f"no item with code {code} in {section} to override",
                        key=where,
                    )
                )
            else:
                for i in found:
                    items[i] = deep_merge(items[i], patch)
        if isinstance(data.get(section), list):
            data[section] = items
    return problems


# --- validation --------------------------------------------------------------------


def _validate(data: dict[str, Any]) -> tuple[Scenario | None, list[Problem]]:
    """The scenario, or None, with every problem found by pydantic and by the cross-checks."""
    own = _cross_check_problems(data)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        found = [
            _problem_from_pydantic(detail, data)
            for detail in error.errors()
            # The scenario-wide validator stops at its first problem; ours lists them all.
            if detail["loc"] or not own
        ]
        return None, _unique(found + own)
    return (None if own else scenario), own


def _problem_from_pydantic(detail: Mapping[str, Any], data: Mapping[str, Any]) -> Problem:
    """A pydantic error as a Problem located by its TOML key path."""
    loc: Loc = tuple(detail["loc"])
    kind = detail["type"]
    context = detail.get("ctx") or {}
    if kind == "value_error":
        reason = str(context.get("error", detail["msg"]))
        prefix, _, rest = reason.partition(": ")
        if not loc and re.fullmatch(r"[\w.]+", prefix) and rest:
            # Scenario-wide reasons start with a dotted path: `programs.2.years: ...`.
            loc = tuple(int(part) if part.isdigit() else part for part in prefix.split("."))
            reason = rest
        field = _first_field_named(reason)
        if field and (not loc or loc[-1] != field):
            loc = (*loc, field)
        return Problem(_reason_vi(reason), reason, key=toml_path(loc, data))
    is_key = bool(loc) and loc[-1] == "[key]"
    if is_key:
        loc = loc[:-1]
    message_vi = _VI_BY_TYPE.get(kind, "giá trị không hợp lệ")
    try:
        message_vi = message_vi.format(**context).replace("' or '", "' hoặc '")
    except (KeyError, IndexError, ValueError):
        message_vi = "giá trị không hợp lệ"
    message_en = str(detail["msg"])
    if kind == "string_pattern_mismatch" and context.get("pattern") in _PATTERN_HINTS:
        hint_vi, hint_en = _PATTERN_HINTS[context["pattern"]]
        message_vi, message_en = f"phải là {hint_vi}", f"must be {hint_en}"
    if is_key:
        message_vi, message_en = f"tên khóa {message_vi}", f"key: {message_en}"
    if kind == "extra_forbidden":
        hint = _spelling_hint(loc)
        message_vi += hint[0]
        message_en += hint[1]
    elif kind != "missing" and isinstance(detail.get("input"), str | int | float | bool):
        message_vi += f" (giá trị: {detail['input']!r})"
        message_en += f" (got {detail['input']!r})"
    return Problem(message_vi, message_en, key=toml_path(loc, data))


def toml_path(loc: Iterable[str | int], data: Mapping[str, Any] | None = None) -> str:
    """A key path as written in TOML, items of coded lists named by code: `programs[LEAD].name`."""
    text = ""
    node: Any = data
    for part in loc:
        if isinstance(part, int) and (isinstance(node, list) or node is None):
            text += f"[{_item_label(node, part)}]"
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            continue
        key = str(part)
        shown = key if _BARE_KEY.match(key) else '"' + key.replace('"', '\\"') + '"'
        text = f"{text}.{shown}" if text else shown
        node = node.get(key) if isinstance(node, Mapping) else None
    return text


def _item_label(items: list[Any] | None, index: int) -> str:
    """The item's code when it has a unique one, else its index."""
    if not items or not 0 <= index < len(items) or not isinstance(items[index], dict):
        return str(index)
    code = items[index].get("code")
    codes = [item.get("code") for item in items if isinstance(item, dict)]
    if isinstance(code, str) and _CODE.match(code) and codes.count(code) == 1:
        return code
    return str(index)


def _first_field_named(reason: str) -> str | None:
    """The first model field a validator's reason mentions (`class_size_min must ...`)."""
    for word in re.findall(r"[a-z][a-z0-9_]*", reason):
        if word in _FIELD_NAMES:
            return word
    return None


def _reason_vi(reason: str) -> str:
    """Vietnamese for a validator's reason, or a generic gist with the English appended."""
    for pattern, template in _VI_BY_REASON:
        match = pattern.search(reason)
        if match:
            return template.format(*match.groups())
    return f"giá trị không hợp lệ: {reason}"


def _spelling_hint(loc: Loc) -> tuple[str, str]:
    """(vi, en) suffix proposing the closest allowed key for an unknown key."""
    model = _model_at(loc[:-1])
    if model is None or not loc:
        return "", ""
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    if close:
        return f"; có phải là '{close[0]}'?", f"; did you mean '{close[0]}'?"
    return f"; các khóa hợp lệ: {', '.join(allowed)}", f"; allowed keys: {', '.join(allowed)}"


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class that validates the table at `loc`, found from the field annotations."""
    model: type[BaseModel] | None = Scenario
    for part in loc:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        model = _model_in(field.annotation) if field else None
    return model


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The first model class inside an annotation such as `list[Program] | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for argument in typing.get_args(annotation):
            found = _model_in(argument)
            if found is not None:
                return found
    return None


def _unique(problems: list[Problem]) -> list[Problem]:
    """Problems in order, each (key, English message) once."""
    seen: set[tuple[str, str]] = set()
    kept = []
    for problem in problems:
        key = (problem.key, problem.message_en)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return kept


# --- cross-checks on the raw data --------------------------------------------------
#
# The models check the same things, but pydantic skips a model's own validator when one of
# its fields is wrong, and the scenario-wide validator stops at the first problem. These
# checks run on the raw data whatever else is wrong, so that one reading lists everything.


#: Reports one problem: the location of the key, the message in English, then in Vietnamese.
_Add = Callable[[Loc, str, str], None]


def _cross_check_problems(data: Mapping[str, Any]) -> list[Problem]:
    """Ordering, duplicate codes, unknown program codes, years and levels outside the plan."""
    problems: list[Problem] = []

    def add(loc: Loc, reason_en: str, reason_vi: str) -> None:
        problems.append(Problem(reason_vi, reason_en, key=toml_path(loc, data)))

    period = _plan_period(add, data)
    sections = {name: _tables(data, name) for name in CODED_SECTIONS}
    for name, items in sections.items():
        _check_codes_and_order(add, name, items)
    known = {item["code"] for _, item in sections["programs"] if isinstance(item.get("code"), str)}
    for i, program in sections["programs"]:
        rule = program.get("eligibility")
        if isinstance(rule, dict):
            _check_known(add, ("programs", i, "eligibility", "prerequisite_programs"), rule, known)
        if period:
            for j, year in _list_items(program.get("years")):
                if _is_int(year) and not period[0] <= year <= period[1]:
                    add(("programs", i, "years", j), *_outside(year, period))
    for name in ("quotas", "targets"):
        for i, item in sections[name]:
            _check_known(add, (name, i, "programs"), item, known)
    if period:
        _check_deadlines_and_budget(add, data, sections["targets"], period)
    _check_levels(add, data, sections)
    return problems


def _plan_period(add: _Add, data: Mapping[str, Any]) -> tuple[int, int] | None:
    """(start_year, end_year) when both are whole numbers in order (a reversed pair is reported)."""
    start, end = data.get("start_year"), data.get("end_year")
    if not (_is_int(start) and _is_int(end)):
        return None
    if start > end:
        add(("start_year",), "start_year must not be after end_year", "start_year không được sau end_year")
        return None
    return start, end


def _check_codes_and_order(add: _Add, name: str, items: list[tuple[int, dict[str, Any]]]) -> None:
    """Report codes used twice in one section, then pairs of bounds in the wrong order."""
    first_index: dict[str, int] = {}
    for i, item in items:
        code = item.get("code")
        if not isinstance(code, str):
            continue
        if code in first_index:
            add(
                (name, i, "code"),
                f"duplicate code {code!r} (also {name}[{first_index[code]}])",
                f"mã {code} bị trùng (đã có ở {name}[{first_index[code]}])",
            )
        else:
            first_index[code] = i
    for i, item in items:
        for low, high in _ORDERED_PAIRS.get(name, []):
            if _is_int(item.get(low)) and _is_int(item.get(high)) and item[low] > item[high]:
                add((name, i, low), f"{low} must not exceed {high}", f"{low} không được lớn hơn {high}")


def _check_deadlines_and_budget(
    add: _Add, data: Mapping[str, Any], targets: list[tuple[int, dict[str, Any]]], period: tuple[int, int]
) -> None:
    """Report target deadlines and budget years outside the plan period."""
    for i, target in targets:
        deadline = target.get("deadline")
        if _is_int(deadline) and not period[0] <= deadline <= period[1]:
            add(("targets", i, "deadline"), *_outside(deadline, period))
    budget = data.get("budget")
    per_year = budget.get("per_year") if isinstance(budget, dict) else None
    for key in per_year if isinstance(per_year, dict) else []:
        year = int(key) if str(key).isdigit() else None
        if year is not None and not period[0] <= year <= period[1]:
            add(("budget", "per_year", str(key)), *_outside(year, period))


def _check_levels(
    add: _Add, data: Mapping[str, Any], sections: Mapping[str, list[tuple[int, dict[str, Any]]]]
) -> None:
    """Report levels in program eligibility and target groups that the scenario's levels lack."""
    levels = data.get("levels", _DEFAULT_LEVELS)
    if not (isinstance(levels, list) and all(isinstance(level, str) for level in levels)):
        return
    for name, sub in (("programs", "eligibility"), ("targets", "group")):
        for i, item in sections[name]:
            table = item.get(sub)
            for j, level in _list_items(table.get("levels") if isinstance(table, dict) else None):
                # Values that are no level at all are reported by the model already.
                if level in _LEVEL_VALUES and level not in levels:
                    add(
                        (name, i, sub, "levels", j),
                        f"level {level!r} is not among the scenario's levels {levels}",
                        f"cấp {level!r} không có trong levels của kịch bản {levels}",
                    )


def _check_known(add: _Add, loc: Loc, table: Mapping[str, Any], known: set[str]) -> None:
    """Report each program code of `table[loc[-1]]` that no program has."""
    for j, code in _list_items(table.get(str(loc[-1]))):
        if isinstance(code, str) and code not in known:
            add(
                (*loc, j),
                f"unknown program {code!r}",
                f"chương trình {code} không có trong danh sách programs",
            )


def _outside(year: int, period: tuple[int, int]) -> tuple[str, str]:
    """(en, vi) messages for a year outside the plan period."""
    return (
        f"{year} is outside {period[0]}-{period[1]}",
        f"năm {year} nằm ngoài giai đoạn kế hoạch {period[0]}-{period[1]}",
    )


def _tables(data: Mapping[str, Any], name: str) -> list[tuple[int, dict[str, Any]]]:
    """(index, table) of the items of a list of tables that are tables."""
    return [(i, item) for i, item in _list_items(data.get(name)) if isinstance(item, dict)]


def _list_items(value: Any) -> list[tuple[int, Any]]:
    """(index, item) of a list, nothing for anything else."""
    return list(enumerate(value)) if isinstance(value, list) else []


def _is_int(value: object) -> TypeGuard[int]:
    """Whether `value` is a whole number (TOML integers; booleans are not)."""
    return isinstance(value, int) and not isinstance(value, bool)
