"""Scenario files: the shipped ones encode the plan, and broken ones are refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import Category, Education, Level, ProgramKind, Rating, RoleGroup, Scenario
from models.enums import STANDARD_PROGRAMS
from planner.io.errors import InputError
from planner.io.scenario import deep_merge, load_scenario, toml_path, validate_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.toml"))
PLAN = SCENARIOS / "plan-2023-2025.toml"
ORIENTATION = SCENARIOS / "orientation-2026-2030.toml"
TIGHT = SCENARIOS / "orientation-2026-2030-tight.toml"
EXPANDED = SCENARIOS / "orientation-2026-2030-expanded.toml"

MINIMAL = """
name = "mini"
start_year = 2023
end_year = 2025

[[programs]]
code = "LEAD"
name = "Lãnh đạo"
kind = "class"
"""


@pytest.fixture(scope="module")
def plan() -> Scenario:
    return load_scenario(PLAN)


@pytest.fixture(scope="module")
def orientation() -> Scenario:
    return load_scenario(ORIENTATION)


def write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[tuple[str, str]]:
    """(key, English message) of every problem reported for the file."""
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert caught.value.source == path.name
    assert all(problem.message_vi and problem.message_en for problem in caught.value.problems)
    return [(problem.key, problem.message_en) for problem in caught.value.problems]


def columns_of(path: Path) -> list[str]:
    return [column for column, _ in problems_of(path)]


# --- shipped files -----------------------------------------------------------------


def test_the_four_scenarios_are_shipped() -> None:
    assert {path.name for path in SHIPPED} >= {PLAN.name, ORIENTATION.name, TIGHT.name, EXPANDED.name}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_every_shipped_file_loads_and_validates(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.programs
    assert {p.code for p in scenario.programs} == set(STANDARD_PROGRAMS)
    assert all(scenario.budget.limit(year) for year in scenario.years), "every year has a budget"
    assert scenario.rules.legal_basis


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_every_shipped_file_says_its_costs_are_placeholders(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "PLACEHOLDER" in text
    assert "VND" in text and "đồng" in text


# --- the 2023-2025 plan, row by row of MISSION.md ------------------------------------


def test_plan_period_and_levels(plan: Scenario) -> None:
    assert (plan.start_year, plan.end_year) == (2023, 2025)
    assert plan.levels == [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]
    assert [p.code for p in plan.programs] == list(STANDARD_PROGRAMS)


def test_plan_lead_classes(plan: Scenario) -> None:
    lead = plan.program("LEAD")
    assert lead.kind is ProgramKind.CLASS
    assert (lead.class_size_min, lead.class_size_max) == (40, 50)
    assert lead.classes_per_year_min == 3
    assert lead.classes_per_year_max is not None and lead.classes_per_year_max >= 3
    assert len(lead.topics) == 7 and "Y tế" in lead.topics
    assert set(lead.eligibility.role_groups or []) == {
        RoleGroup.LANH_DAO_CAP_SO,
        RoleGroup.TRUONG_PHONG,
        RoleGroup.PHO_TRUONG_PHONG,
    }
    assert lead.eligibility.levels == [Level.PROVINCE, Level.DISTRICT]
    assert lead.eligibility.categories == [Category.CAN_BO, Category.CONG_CHUC]


def test_plan_duty_classes(plan: Scenario) -> None:
    duty = plan.program("DUTY")
    assert duty.kind is ProgramKind.CLASS
    assert (duty.class_size_min, duty.class_size_max) == (40, 50)
    assert (duty.classes_per_year_min, duty.classes_per_year_max) == (7, 10)
    assert len(duty.topics) == 5
    assert RoleGroup.CHUYEN_VIEN in (duty.eligibility.role_groups or [])
    assert duty.eligibility.levels == [Level.PROVINCE, Level.DISTRICT]


def test_plan_overseas_places(plan: Scenario) -> None:
    overseas = plan.program("OVERSEAS")
    rule = overseas.eligibility
    assert overseas.kind is ProgramKind.SLOT
    assert (overseas.places_per_year_min, overseas.places_per_year_max) == (2, 3)
    assert overseas.years == [2023, 2024, 2025]
    assert rule.max_age == 44
    assert rule.min_rating is Rating.EXCELLENT
    assert rule.requires_pipeline
    assert rule.min_years_left == 2


def test_plan_commune_and_vien_chuc_classes(plan: Scenario) -> None:
    for code in ("COMMUNE_LEAD", "COMMUNE_STAFF", "VC_MGMT", "VC_TITLE"):
        program = plan.program(code)
        assert program.kind is ProgramKind.CLASS
        assert program.class_size_max == 50 and 30 <= program.class_size_min <= 40
        assert program.classes_per_year_max, f"{code} needs a yearly class limit"
    assert plan.program("COMMUNE_LEAD").eligibility.role_groups == [
        RoleGroup.CHU_TICH_XA,
        RoleGroup.PHO_CHU_TICH_XA,
    ]
    assert plan.program("COMMUNE_STAFF").eligibility.role_groups == [RoleGroup.CONG_CHUC_XA]
    assert plan.program("VC_MGMT").eligibility.role_groups == [RoleGroup.LANH_DAO_DON_VI]
    assert plan.program("VC_TITLE").eligibility.before_title_year


def test_plan_postgraduate_under_decree_101_2017(plan: Scenario) -> None:
    master, phd = plan.program("MASTER"), plan.program("PHD")
    assert (master.kind, phd.kind) == (ProgramKind.SLOT, ProgramKind.SLOT)
    assert (master.duration_years, phd.duration_years) == (2, 3)
    assert phd.places_per_year_min == 3
    assert master.eligibility.educations == [Education.BACHELOR]
    assert phd.eligibility.prerequisite_educations == [Education.MASTER]
    assert phd.eligibility.prerequisite_programs == ["MASTER"]
    for program in (master, phd):
        rule = program.eligibility
        assert rule.max_age == 40
        assert rule.max_age_categories == [Category.CAN_BO, Category.CONG_CHUC]
        assert rule.commitment_factor == 2
        assert rule.min_service_years == 3
        assert (rule.min_rating, rule.rating_years) == (Rating.GOOD, 2)
        assert len(program.priority_fields) == 12 and "Trí tuệ nhân tạo" in program.priority_fields
    assert "101/2017" in plan.rules.legal_basis


def test_plan_medical_specialists(plan: Scenario) -> None:
    ck1, ck2 = plan.program("CK1"), plan.program("CK2")
    assert (ck1.duration_years, ck2.duration_years) == (2, 2)
    assert ck1.eligibility.professions == ["Bác sĩ", "Dược sĩ"] == ck2.eligibility.professions
    assert ck1.eligibility.categories == [Category.VIEN_CHUC]
    assert ck2.eligibility.prerequisite_educations == [Education.SPECIALIST_1]
    assert ck2.eligibility.prerequisite_programs == ["CK1"]


def test_plan_quotas(plan: Scenario) -> None:
    quotas = {q.code: q for q in plan.quotas}
    assert quotas["POSTGRAD"].programs == ["MASTER", "PHD"]
    assert (quotas["POSTGRAD"].min_per_year, quotas["POSTGRAD"].max_per_year) == (30, 50)
    assert quotas["CK"].programs == ["CK1", "CK2"]
    assert (quotas["CK"].min_per_year, quotas["CK"].max_per_year) == (50, 70)


def test_plan_targets_by_2025(plan: Scenario) -> None:
    targets = {t.code: t for t in plan.targets}
    assert set(targets) == {
        "LEAD_HEADS",
        "DUTY_ALL",
        "COMMUNE_LEAD_ALL",
        "COMMUNE_STAFF_ALL",
        "VC_MGMT_ALL",
        "VC_TITLE_DUE",
    }
    assert all(t.deadline == 2025 for t in targets.values())
    assert targets["LEAD_HEADS"].share == pytest.approx(0.30)
    assert targets["LEAD_HEADS"].programs == ["LEAD"]
    assert all(targets[code].share == 1.0 for code in targets if code != "LEAD_HEADS")
    assert targets["DUTY_ALL"].group.categories == [Category.CONG_CHUC]
    assert targets["DUTY_ALL"].group.levels == [Level.PROVINCE, Level.DISTRICT]
    assert targets["VC_TITLE_DUE"].group.due_for_title


def test_plan_rules_and_objective(plan: Scenario) -> None:
    assert plan.rules.reference_day == "01-01"
    assert plan.rules.retirement_age_men is None and plan.rules.retirement_age_women is None
    assert plan.rules.away_share_max == pytest.approx(0.10)
    assert plan.objective.order == ["shortfall", "merit", "cost"]
    assert sorted(plan.budget.per_year) == [2023, 2024, 2025]


# --- the 2026-2030 orientation -------------------------------------------------------


def test_orientation_has_no_district_level(orientation: Scenario) -> None:
    assert orientation.levels == [Level.PROVINCE, Level.COMMUNE]
    for program in orientation.programs:
        assert Level.DISTRICT not in (program.eligibility.levels or []), program.code
    for target in orientation.targets:
        assert Level.DISTRICT not in (target.group.levels or []), target.code


def test_orientation_uses_the_2025_rules(orientation: Scenario) -> None:
    assert (orientation.start_year, orientation.end_year) == (2026, 2030)
    for code in ("MASTER", "PHD"):
        rule = orientation.program(code).eligibility
        assert rule.max_age == 45
        assert rule.commitment_factor == 3
        assert rule.min_service_years == 3
        assert (rule.min_rating, rule.rating_years) == (Rating.GOOD, 2)
    assert "171/2025" in orientation.rules.legal_basis


def test_orientation_keeps_the_yearly_numbers(orientation: Scenario, plan: Scenario) -> None:
    for code in ("LEAD", "DUTY", "PHD"):
        new, old = orientation.program(code), plan.program(code)
        assert (new.classes_per_year_min, new.classes_per_year_max) == (
            old.classes_per_year_min,
            old.classes_per_year_max,
        )
        assert new.places_per_year_min == old.places_per_year_min
    assert [(q.code, q.min_per_year, q.max_per_year) for q in orientation.quotas] == [
        (q.code, q.min_per_year, q.max_per_year) for q in plan.quotas
    ]


def test_orientation_targets_to_2030_with_expert_teams(orientation: Scenario) -> None:
    assert all(t.deadline == 2030 for t in orientation.targets)
    shares = {t.code for t in orientation.targets if t.share == 1.0}
    assert {"DUTY_ALL", "COMMUNE_LEAD_ALL", "COMMUNE_STAFF_ALL", "VC_MGMT_ALL", "VC_TITLE_DUE"} <= shares
    experts = [t for t in orientation.targets if t.count is not None]
    assert len(experts) >= 3
    for target in experts:
        assert target.programs == ["MASTER", "PHD"]
        assert target.group.fields and len(target.group.fields) == 1
        assert target.qualifying_educations == [Education.MASTER, Education.DOCTOR]


def test_budget_variants_are_ordered_every_year() -> None:
    tight, base, expanded = (load_scenario(path) for path in (TIGHT, ORIENTATION, EXPANDED))
    for year in base.years:
        low, mid, high = (s.budget.limit(year) for s in (tight, base, expanded))
        assert low is not None and mid is not None and high is not None
        assert low < mid < high, year
        assert 0.6 <= low / mid <= 0.7
        assert 1.4 <= high / mid <= 1.5


def test_variants_inherit_everything_else_from_the_base() -> None:
    base, tight, expanded = (load_scenario(path) for path in (ORIENTATION, TIGHT, EXPANDED))
    assert tight.programs == base.programs
    assert tight.targets == base.targets and expanded.targets == base.targets
    assert tight.rules == base.rules
    assert expanded.program("LEAD").classes_per_year_max == 8
    assert expanded.program("LEAD").classes_per_year_min == base.program("LEAD").classes_per_year_min
    assert expanded.program("DUTY") == base.program("DUTY")
    assert [p.code for p in expanded.programs] == [p.code for p in base.programs]


def test_variant_files_do_not_copy_the_base() -> None:
    for path in (TIGHT, EXPANDED):
        text = path.read_text(encoding="utf-8")
        assert 'extends = "orientation-2026-2030.toml"' in text
        assert not any(line.startswith("[[") for line in text.splitlines()), "no list copied from the base"


def test_budget_factor_replaces_the_files_factor() -> None:
    scenario = load_scenario(PLAN, budget_factor=0.5)
    assert scenario.budget.factor == 0.5
    assert scenario.budget.limit(2023) == 6_000_000_000


def test_negative_budget_factor_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        load_scenario(PLAN, budget_factor=-1)
    assert [p.key for p in caught.value.problems] == ["budget.factor"]


# --- refused files -------------------------------------------------------------------


def test_minimal_file_is_accepted(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, MINIMAL))
    assert scenario.program("LEAD").class_size_min == 40


def test_min_above_max_names_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "class_size_min = 60\nclass_size_max = 50\n")
    problems = problems_of(path)
    assert problems == [("programs[LEAD].class_size_min", "class_size_min must not exceed class_size_max")]


def test_classes_min_above_max_names_the_key(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "classes_per_year_min = 7\nclasses_per_year_max = 3\n")
    assert columns_of(path) == ["programs[LEAD].classes_per_year_min"]


def test_negative_size_names_the_key_and_the_value(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "class_size_min = -5\n")
    [(column, message)] = problems_of(path)
    assert column == "programs[LEAD].class_size_min"
    assert "greater than or equal to 1" in message and "-5" in message


def test_target_on_an_unknown_program(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        MINIMAL
        + '\n[[targets]]\ncode = "T"\nname = "t"\nprograms = ["LEAD", "NOPE"]\nshare = 1.0\ndeadline = 2025\n',
    )
    assert problems_of(path) == [("targets[T].programs[1]", "unknown program 'NOPE'")]


def test_duplicate_program_code(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + MINIMAL.split("\n\n", 1)[1])
    [(column, message)] = problems_of(path)
    assert column == "programs[1].code"
    assert "duplicate" in message and "LEAD" in message


def test_unknown_key_is_named_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "class_size_mn = 40\n")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    [problem] = caught.value.problems
    assert problem.key == "programs[LEAD].class_size_mn"
    assert "class_size_min" in problem.message_en
    assert "khóa không được phép" in problem.message_vi


def test_missing_key_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL.replace('name = "Lãnh đạo"\n', ""))
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    [problem] = caught.value.problems
    assert problem.key == "programs[LEAD].name"
    assert "thiếu khóa bắt buộc" in problem.message_vi


def test_wrong_enum_value_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + '[programs.eligibility]\nlevels = ["tinh", "phuong"]\n')
    [(column, message)] = problems_of(path)
    assert column == "programs[LEAD].eligibility.levels[1]"
    assert "'phuong'" in message


def test_level_outside_the_scenarios_levels(tmp_path: Path) -> None:
    text = MINIMAL.replace("end_year = 2025", 'end_year = 2025\nlevels = ["tinh", "xa"]')
    path = write(tmp_path, text + '[programs.eligibility]\nlevels = ["tinh", "huyen"]\n')
    assert columns_of(path) == ["programs[LEAD].eligibility.levels[1]"]


def test_years_outside_the_plan(tmp_path: Path) -> None:
    text = MINIMAL + "years = [2022, 2023]\n\n[budget.per_year]\n2023 = 1\n2031 = 1\n"
    assert columns_of(write(tmp_path, text)) == ["programs[LEAD].years[0]", "budget.per_year.2031"]


def test_several_problems_are_all_reported(tmp_path: Path) -> None:
    text = """
name = "broken"
start_year = 2023
end_year = 2025
colour = "red"

[[programs]]
code = "LEAD"
name = "a"
kind = "class"
class_size_min = 60
class_size_max = 50

[[programs]]
code = "DUTY"
name = "b"
kind = "class"
class_size_min = -1

[[programs]]
code = "DUTY"
name = "c"
kind = "slot"

[[quotas]]
code = "Q"
name = "q"
programs = ["MASTER"]
min_per_year = 9
max_per_year = 3

[[targets]]
code = "T"
name = "t"
programs = ["NOPE"]
share = 1.0
deadline = 2030
"""
    columns = columns_of(write(tmp_path, text))
    expected = {
        "colour",
        "programs[LEAD].class_size_min",
        "programs[1].class_size_min",
        "programs[2].code",
        "quotas[Q].min_per_year",
        "quotas[Q].programs[0]",
        "targets[T].programs[0]",
        "targets[T].deadline",
    }
    assert set(columns) == expected
    assert len(columns) == len(expected), "each problem once"


def test_bad_toml_syntax_gives_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "x"\nstart_year = 2023\nend_year = \n')
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    [problem] = caught.value.problems
    assert problem.line == 3
    assert "TOML" in problem.message_en and "cú pháp" in problem.message_vi
    assert "dòng 3:" in str(problem) and "line 3:" in str(problem)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_scenario(tmp_path / "nowhere.toml")
    assert caught.value.source == "nowhere.toml"
    [problem] = caught.value.problems
    assert "not found" in problem.message_en and "không tìm thấy" in problem.message_vi


def test_report_lists_every_problem(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "class_size_min = -5\nbogus = 1\n")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    report = caught.value.report()
    assert report.startswith("scenario.toml: 2 ")
    assert "programs[LEAD].class_size_min" in report and "programs[LEAD].bogus" in report


def test_a_negative_yearly_budget_is_refused_with_its_key_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "\n[budget.per_year]\n2023 = 10\n2024 = -12_000_000_000\n")
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    [problem] = caught.value.problems
    assert (problem.key, problem.line, problem.file) == ("budget.per_year.2024", 13, "")
    assert "greater than or equal to 0" in problem.message_en and "-12000000000" in problem.message_en
    text = str(problem)
    assert "khóa 'budget.per_year.2024', dòng 13" in text and "key 'budget.per_year.2024', line 13" in text
    assert "column" not in text


def test_problems_give_the_line_of_their_key_or_of_its_table(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + 'class_size_min = -5\n\n[programs.eligibility]\nlevels = ["phuong"]\n')
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    lines = {problem.key: problem.line for problem in caught.value.problems}
    assert lines == {"programs[LEAD].class_size_min": 10, "programs[LEAD].eligibility.levels[0]": 13}
    missing = write(tmp_path, MINIMAL.replace('name = "Lãnh đạo"\n', ""), "missing.toml")
    with pytest.raises(InputError) as caught:
        load_scenario(missing)
    [problem] = caught.value.problems
    assert (problem.key, problem.line) == ("programs[LEAD].name", 6), "the [[programs]] header"


def test_a_problem_in_the_base_names_the_base_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL + "class_size_min = 0\n", "base.toml")
    variant = write(tmp_path, 'extends = "base.toml"\nname = "v"\n', "variant.toml")
    with pytest.raises(InputError) as caught:
        load_scenario(variant)
    [problem] = caught.value.problems
    assert (problem.key, problem.file, problem.line) == ("programs[LEAD].class_size_min", "base.toml", 10)
    assert "tệp 'base.toml'" in str(problem) and "file 'base.toml'" in str(problem)


def test_an_override_is_found_where_the_variant_writes_it(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL, "base.toml")
    variant = write(
        tmp_path, 'extends = "base.toml"\n\n[program_overrides.LEAD]\nclass_size_max = 0\n', "variant.toml"
    )
    with pytest.raises(InputError) as caught:
        load_scenario(variant)
    lines = {(p.key, p.file, p.line) for p in caught.value.problems}
    assert ("programs[LEAD].class_size_max", "", 4) in lines


def test_the_budget_factor_given_is_not_blamed_on_the_file() -> None:
    with pytest.raises(InputError) as caught:
        load_scenario(PLAN, budget_factor=-1)
    [problem] = caught.value.problems
    assert problem.line is None and "not the file's" in problem.message_en


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode("utf-8"))
    assert load_scenario(path).name == "mini"


# --- extends and overrides -----------------------------------------------------------


def test_extends_merges_tables_and_replaces_arrays(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL + "\n[budget.per_year]\n2023 = 10\n2024 = 20\n", "base.toml")
    variant = write(
        tmp_path,
        'extends = "base.toml"\nname = "variant"\n\n[budget.per_year]\n2024 = 5\n\n'
        '[[programs]]\ncode = "DUTY"\nname = "d"\nkind = "class"\n',
        "variant.toml",
    )
    scenario = load_scenario(variant)
    assert scenario.name == "variant"
    assert scenario.start_year == 2023
    assert scenario.budget.per_year == {2023: 10, 2024: 5}
    assert [p.code for p in scenario.programs] == ["DUTY"]


def test_program_overrides_change_single_keys(tmp_path: Path) -> None:
    write(
        tmp_path,
        MINIMAL + 'classes_per_year_max = 4\n[programs.eligibility]\nlevels = ["tinh"]\n',
        "base.toml",
    )
    variant = write(
        tmp_path,
        'extends = "base.toml"\n\n[program_overrides.LEAD]\nclasses_per_year_max = 9\n'
        "[program_overrides.LEAD.eligibility]\nmax_age = 50\n",
        "variant.toml",
    )
    lead = load_scenario(variant).program("LEAD")
    assert lead.classes_per_year_max == 9
    assert lead.eligibility.max_age == 50
    assert lead.eligibility.levels == [Level.PROVINCE]


def test_override_of_an_unknown_code_is_refused(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL, "base.toml")
    variant = write(
        tmp_path,
        'extends = "base.toml"\n\n[program_overrides.NOPE]\nclass_size_min = 30\n'
        "[program_overrides.LEAD]\nclass_size_min = 0\n",
        "variant.toml",
    )
    assert set(columns_of(variant)) == {"program_overrides.NOPE", "programs[LEAD].class_size_min"}


def test_extends_a_missing_file(tmp_path: Path) -> None:
    variant = write(tmp_path, 'extends = "gone.toml"\n', "variant.toml")
    [(column, message)] = problems_of(variant)
    assert column == "extends" and "not found" in message


def test_extends_cycle_is_refused(tmp_path: Path) -> None:
    write(tmp_path, 'extends = "b.toml"\n' + MINIMAL, "a.toml")
    b = write(tmp_path, 'extends = "a.toml"\n', "b.toml")
    with pytest.raises(InputError) as caught:
        load_scenario(b)
    assert caught.value.source == "a.toml", "the file whose extends closes the cycle"
    [problem] = caught.value.problems
    assert problem.key == "extends" and "cycle" in problem.message_en


def test_syntax_error_in_the_base_names_the_base(tmp_path: Path) -> None:
    write(tmp_path, "name = \n", "base.toml")
    variant = write(tmp_path, 'extends = "base.toml"\n', "variant.toml")
    with pytest.raises(InputError) as caught:
        load_scenario(variant)
    assert caught.value.source == "base.toml"


# --- helpers -----------------------------------------------------------------------


def test_deep_merge_merges_tables_and_replaces_the_rest() -> None:
    base = {"a": {"b": 1, "c": {"d": 2}}, "e": [1, 2], "f": 3}
    over = {"a": {"c": {"x": 9}}, "e": [3]}
    assert deep_merge(base, over) == {"a": {"b": 1, "c": {"d": 2, "x": 9}}, "e": [3], "f": 3}
    assert base == {"a": {"b": 1, "c": {"d": 2}}, "e": [1, 2], "f": 3}, "inputs untouched"


def test_toml_path_names_items_by_code() -> None:
    data = {"programs": [{"code": "LEAD"}, {"code": "X"}, {"code": "X"}]}
    assert (
        toml_path(("programs", 0, "eligibility", "levels", 1), data) == "programs[LEAD].eligibility.levels[1]"
    )
    assert toml_path(("programs", 2, "code"), data) == "programs[2].code"
    assert toml_path(("budget", "per_year", "2023")) == "budget.per_year.2023"
    assert toml_path(("weird key",)) == '"weird key"'


def test_validate_scenario_from_a_dict() -> None:
    with pytest.raises(InputError) as caught:
        validate_scenario({"name": "x", "start_year": 2026, "end_year": 2025, "programs": []}, source="dict")
    assert caught.value.source == "dict"
    assert {p.key for p in caught.value.problems} >= {"programs"}


def test_program_lookup_stays_right_and_its_cache_bounded_over_many_copies() -> None:
    from models import scenario as module

    base = load_scenario("scenarios/plan-2023-2025.toml")
    lead = base.program("LEAD")
    for cost in range(module._BY_CODE_MAX + 10):  # a sweep: one copy per budget or cost
        programs = [p.model_copy(update={"cost_per_person": cost}) for p in base.programs]
        copy = base.model_copy(update={"programs": programs})
        assert copy.program("LEAD").cost_per_person == cost
        assert len(module._BY_CODE) <= module._BY_CODE_MAX
    assert base.program("LEAD") is lead
