"""The independent plan checker: bookkeeping rules, its API, the figures, and solver plans at random.

Rules about who may go where (eligibility, one start a year, classes, budget, unit caps...)
are tested in pairs in test_rules.py; here are the rules about the plan's own records
(references, duplicates, class lists), the error type, the recomputed figures, determinism
and a property test: any small generated roster and scenario gives a plan the checker passes.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cli import main
from models import (
    STANDARD_PROGRAMS,
    Attendance,
    Budget,
    Category,
    ClassInfo,
    Decision,
    Education,
    EligibilityRule,
    Gender,
    GroupFilter,
    Level,
    Nomination,
    Official,
    Program,
    ProgramKind,
    Quota,
    Rating,
    Result,
    RoleGroup,
    Roster,
    Rules,
    Scenario,
    SolverSettings,
    Target,
    TrainingRecord,
)
from planner.analysis.check import (
    CHECKS,
    PlanCheckError,
    PlanFigures,
    Violation,
    assert_valid,
    check_plan,
    plan_figures,
    yearly_cost,
)
from planner.io.decisions import record_history
from planner.io.errors import InputError
from planner.io.export import write_roster
from planner.io.missing_data import missing_columns
from planner.io.roster import read_roster
from planner.io.scenario import load_scenario
from planner.sample import generate_roster
from planner.solver.cohorts import build_population
from planner.solver.solve import solve
from tests.factories import class_program, official, roster, scenario, slot_program
from tests.test_rules import rules_of, short_slot, solve_checked, target

# --- a small valid plan to break ---------------------------------------------------------------------


def base() -> tuple[Roster, Scenario, Result]:
    """Eight công chức, DUTY classes of exactly 3 (two left out) and OVERSEAS in 2027 only."""
    staff = roster(8)
    plan = scenario(
        [
            class_program("DUTY", class_size_min=3, class_size_max=3, classes_per_year_max=None),
            short_slot("OVERSEAS", years=[2027]),
        ],
        targets=[
            target("T_DUTY", ["DUTY"], deadline=2028),
            target("T_OVERSEAS", ["OVERSEAS"], deadline=2027),
        ],
    )
    return staff, plan, solve_checked(staff, plan)


@pytest.fixture(scope="module")
def valid() -> tuple[Roster, Scenario, Result]:
    """The base plan, solved once for the module."""
    return base()


def broken(valid: tuple[Roster, Scenario, Result], *extra: Nomination) -> list[Violation]:
    """The checker's verdict on the valid plan with extra nominations."""
    staff, plan, result = valid
    return check_plan(staff, plan, [*result.nominations, *extra], result.classes)


def outsider(valid: tuple[Roster, Scenario, Result], program: str, year: int) -> str:
    """Someone the plan sends neither to `program` nor anywhere in `year` (no program lasts longer)."""
    staff, _, result = valid
    taken = {n.official_id for n in result.nominations if n.program == program or n.year == year}
    return next(o.id for o in staff.officials if o.id not in taken)


# --- references --------------------------------------------------------------------------------------


def test_references_hold_in_the_solver_plan(valid: tuple[Roster, Scenario, Result]) -> None:
    staff, plan, result = valid
    assert result.nominations
    assert {n.official_id for n in result.nominations} <= {o.id for o in staff.officials}
    assert all(plan.runs_in(plan.program(n.program), n.year) for n in result.nominations)


def test_checker_reports_an_unknown_official(valid: tuple[Roster, Scenario, Result]) -> None:
    [violation] = broken(valid, Nomination(official_id="CB99999", program="OVERSEAS", year=2027))
    assert violation.rule == "unknown_official"
    assert violation.message_vi == "CB99999: không có trong danh sách cán bộ (OVERSEAS 2027)"


def test_checker_reports_an_unknown_program(valid: tuple[Roster, Scenario, Result]) -> None:
    [violation] = broken(valid, Nomination(official_id="CB00001", program="NOPE", year=2027))
    assert violation.rule == "unknown_program"
    assert violation.message_en == "CB00001: program NOPE is not in the scenario"


def test_checker_reports_a_year_outside_the_plan(valid: tuple[Roster, Scenario, Result]) -> None:
    [violation] = broken(valid, Nomination(official_id="CB00001", program="OVERSEAS", year=2031))
    assert violation.rule == "year_outside_plan"
    assert violation.message_en == "CB00001 OVERSEAS: year 2031 is outside the plan 2026-2028"


def test_checker_reports_a_program_that_does_not_run_that_year(
    valid: tuple[Roster, Scenario, Result],
) -> None:
    person = outsider(valid, "OVERSEAS", 2026)
    [violation] = broken(valid, Nomination(official_id=person, program="OVERSEAS", year=2026))
    assert violation.rule == "program_not_running"
    assert violation.message_vi == f"{person}: OVERSEAS không mở năm 2026"


def test_solver_nominates_only_in_the_years_a_program_runs(valid: tuple[Roster, Scenario, Result]) -> None:
    _, _, result = valid
    assert {n.year for n in result.nominations if n.program == "OVERSEAS"} == {2027}


# --- duplicates ----------------------------------------------------------------------------------------


def test_no_duplicates_in_the_solver_plan(valid: tuple[Roster, Scenario, Result]) -> None:
    _, _, result = valid
    keys = [(n.official_id, n.program, n.year) for n in result.nominations]
    assert len(keys) == len(set(keys))


def test_checker_reports_a_duplicate_nomination_once(valid: tuple[Roster, Scenario, Result]) -> None:
    _, _, result = valid
    copy = next(n for n in result.nominations if n.program == "DUTY")
    [violation] = broken(valid, copy)
    assert violation.rule == "duplicate"
    assert violation.message_en == f"{copy.official_id}: nominated 2 times for DUTY in {copy.year}"


# --- class records -------------------------------------------------------------------------------------


def test_class_records_hold_in_the_solver_plan(valid: tuple[Roster, Scenario, Result]) -> None:
    _, _, result = valid
    sizes = Counter(n.class_id for n in result.nominations if n.program == "DUTY")
    assert sizes == {c.class_id: c.size for c in result.classes}
    assert all(n.class_id is None for n in result.nominations if n.program != "DUTY")
    assert len(result.classes) == 2


def test_checker_reports_a_class_nomination_without_a_class(valid: tuple[Roster, Scenario, Result]) -> None:
    person = outsider(valid, "DUTY", 2026)
    [violation] = broken(valid, Nomination(official_id=person, program="DUTY", year=2026))
    assert violation.rule == "class_missing"


def test_checker_reports_an_unlisted_class(valid: tuple[Roster, Scenario, Result]) -> None:
    person = outsider(valid, "DUTY", 2026)
    [violation] = broken(valid, Nomination(official_id=person, program="DUTY", year=2026, class_id="X-01"))
    assert violation.rule == "class_unknown"
    assert violation.message_en == f"{person}: class X-01 is not in the list of classes"


def test_checker_reports_a_class_of_another_year(valid: tuple[Roster, Scenario, Result]) -> None:
    info = valid[2].classes[0]
    year = 2028 if info.year != 2028 else 2026
    person = outsider(valid, "DUTY", year)
    extra = Nomination(official_id=person, program="DUTY", year=year, class_id=info.class_id)
    [violation] = broken(valid, extra)
    assert violation.rule == "class_mismatch"
    assert f"but class {info.class_id} is DUTY in {info.year}" in violation.message_en


def test_checker_reports_a_slot_nomination_with_a_class(valid: tuple[Roster, Scenario, Result]) -> None:
    staff, plan, result = valid
    overseas = next(n for n in result.nominations if n.program == "OVERSEAS")
    nominations = [
        n.model_copy(update={"class_id": "OVERSEAS-01"}) if n is overseas else n for n in result.nominations
    ]
    [violation] = check_plan(staff, plan, nominations, result.classes)
    assert violation.rule == "slot_with_class"


def test_checker_reports_a_listed_size_that_does_not_match(valid: tuple[Roster, Scenario, Result]) -> None:
    staff, plan, result = valid
    first = result.classes[0]
    classes = [first.model_copy(update={"size": first.size + 1}), *result.classes[1:]]
    [violation] = check_plan(staff, plan, result.nominations, classes)
    assert violation.rule == "class_size_mismatch"
    assert violation.message_vi == (
        f"{first.class_id}: ghi sĩ số {first.size + 1} nhưng có {first.size} người được cử"
    )


def test_checker_reports_class_lists_that_name_no_valid_class(valid: tuple[Roster, Scenario, Result]) -> None:
    staff, plan, result = valid
    twice = result.classes[0]
    stray = ClassInfo(class_id="OVERSEAS-2027-01", program="OVERSEAS", year=2027, size=0)
    violations = check_plan(staff, plan, result.nominations, [*result.classes, twice, stray])
    assert [v.rule for v in violations] == ["class_duplicate", "class_invalid"]


# --- the API -------------------------------------------------------------------------------------------


def test_checks_are_listed_once_in_order() -> None:
    names = [check.__name__ for check in CHECKS]
    assert names[:3] == ["check_references", "check_duplicates", "check_eligibility"]
    assert len(names) == len(set(names)) == 11
    assert all(check.__doc__ for check in CHECKS)


def test_violation_reads_in_both_languages() -> None:
    violation = Violation("class_size", "L-01: 1 người", "L-01: 1 person", program="L", class_id="L-01")
    assert str(violation) == "[class_size] L-01: 1 người / L-01: 1 person"


def test_assert_valid_passes_a_valid_plan_and_raises_with_every_violation(
    valid: tuple[Roster, Scenario, Result],
) -> None:
    staff, plan, result = valid
    assert_valid(staff, plan, result.nominations, result.classes)
    extra = [
        Nomination(official_id="CB99999", program="OVERSEAS", year=2027),
        Nomination(official_id="CB00001", program="NOPE", year=2027),
    ]
    with pytest.raises(PlanCheckError) as raised:
        assert_valid(staff, plan, [*result.nominations, *extra], result.classes)
    assert rules_of(raised.value.violations) == {"unknown_official", "unknown_program"}
    assert "CB99999" in str(raised.value)


def test_an_empty_plan_is_valid() -> None:
    assert check_plan(roster(2), scenario([class_program()]), [], []) == []


# --- figures -------------------------------------------------------------------------------------------


def hand_made_plan() -> tuple[Roster, Scenario, list[Nomination], list[ClassInfo]]:
    """Four people in units Sở 0, 1, 2, 0; CB00003 took DUTY in 2024; a plan written by hand."""
    staff = roster(4).model_copy(
        update={"history": [TrainingRecord(official_id="CB00003", program="DUTY", year=2024)]}
    )
    plan = scenario(
        [class_program("DUTY"), slot_program("MASTER")],
        targets=[
            target("T_DUTY", ["DUTY"], deadline=2027),
            target("T_MASTER", ["MASTER"], share=None, count=2, deadline=2026),
        ],
    )
    nominations = [
        Nomination(official_id="CB00000", program="DUTY", year=2026, class_id="D1"),
        Nomination(official_id="CB00001", program="DUTY", year=2026, class_id="D1"),
        Nomination(official_id="CB00002", program="MASTER", year=2026),
        Nomination(official_id="CB00000", program="MASTER", year=2027),
        Nomination(official_id="CB00002", program="DUTY", year=2028, class_id="D2"),
    ]
    classes = [
        ClassInfo(class_id="D1", program="DUTY", year=2026, size=2),
        ClassInfo(class_id="D2", program="DUTY", year=2028, size=1),
    ]
    return staff, plan, nominations, classes


def test_figures_recompute_starts_classes_and_cost() -> None:
    figures = plan_figures(*hand_made_plan())
    assert isinstance(figures, PlanFigures)
    assert {k: v for k, v in figures.starts.items() if v} == {
        ("DUTY", 2026): 2,
        ("DUTY", 2028): 1,
        ("MASTER", 2026): 1,
        ("MASTER", 2027): 1,
    }
    assert figures.starts["MASTER", 2028] == 0
    assert figures.classes == {("DUTY", 2026): 1, ("DUTY", 2027): 0, ("DUTY", 2028): 1}
    # 2026: a class (10 M), 2 participants (2 M), a first MASTER year (50 M); 2027: two MASTER
    # years; 2028: a class, a participant, the second year of the 2027 MASTER
    assert figures.cost_by_year == {2026: 62_000_000, 2027: 100_000_000, 2028: 61_000_000}
    assert figures.total_cost == 223_000_000


def test_figures_recompute_target_coverage_year_by_year() -> None:
    figures = plan_figures(*hand_made_plan())
    duty, master = figures.targets["T_DUTY"], figures.targets["T_MASTER"]
    assert (duty.group_size, duty.covered_before, duty.required) == (4, 1, 4)
    assert duty.covered_by_year == {2026: 3, 2027: 3, 2028: 4}
    assert (duty.achieved, duty.missing) == (3, 1)  # the 2028 DUTY start comes after the deadline
    assert (master.group_size, master.covered_before, master.required) == (4, 0, 2)
    assert master.covered_by_year == {2026: 1, 2027: 2, 2028: 2}
    assert master.achieved == 1


def test_figures_count_nominations_per_unit() -> None:
    figures = plan_figures(*hand_made_plan())
    assert figures.by_unit == {
        ("Sở 0", "DUTY", 2026): 1,
        ("Sở 0", "MASTER", 2027): 1,
        ("Sở 1", "DUTY", 2026): 1,
        ("Sở 2", "DUTY", 2028): 1,
        ("Sở 2", "MASTER", 2026): 1,
    }


def test_figures_agree_with_the_solver_result(valid: tuple[Roster, Scenario, Result]) -> None:
    staff, plan, result = valid
    assert_figures_agree(staff, plan, result)


def assert_figures_agree(staff: Roster, plan: Scenario, result: Result) -> None:
    """The recomputed figures match what the solver reports about its plan."""
    figures = plan_figures(staff, plan, result.nominations, result.classes)
    assert figures.cost_by_year == result.cost_by_year
    assert figures.cost_by_year == yearly_cost(plan, result.nominations, result.classes)
    assert {k: v for k, v in figures.classes.items() if v} == dict(
        Counter((c.program, c.year) for c in result.classes)
    )
    assert sum(figures.starts.values()) == len(result.nominations)
    short = {s.code: s for s in result.shortfalls if s.kind == "target"}
    for code, target_figures in figures.targets.items():
        if code in short:
            assert (short[code].required, short[code].achieved) == (
                target_figures.required,
                target_figures.achieved,
            )
        else:
            assert target_figures.achieved >= target_figures.required


# --- determinism ---------------------------------------------------------------------------------------


def test_the_same_instance_gives_the_same_plan() -> None:
    people = [official(i, unit=f"Sở {i % 4}") for i in range(20)]
    people += [
        official(i, category=Category.VIEN_CHUC, role_group=RoleGroup.VIEN_CHUC, rating=Rating.EXCELLENT)
        for i in range(20, 30)
    ]
    staff = Roster(officials=people)
    plan = scenario(
        [
            class_program("DUTY", classes_per_year_max=3),
            class_program("VC", eligibility=EligibilityRule(categories=[Category.VIEN_CHUC])),
            slot_program("MASTER"),
        ],
        targets=[target("T", ["DUTY", "VC"], share=0.8, deadline=2027)],
        budget=Budget(default=150_000_000),
    )
    first, second = solve_checked(staff, plan), solve_checked(staff, plan)
    assert first.nominations == second.nominations
    assert first.classes == second.classes


# --- replanning around approved nominations ------------------------------------------------------------


def test_a_replan_around_the_approved_first_year_passes_the_checker() -> None:
    staff = roster(8)
    plan = scenario(
        [class_program("DUTY"), slot_program("MASTER")],
        rules=Rules(away_share_max=0.5),
        targets=[target("T", ["DUTY"], deadline=2028)],
    )
    first = solve_checked(staff, plan)
    approved = [n for n in first.nominations if n.year == 2026]
    assert approved
    again = solve(staff, plan, SolverSettings(time_limit=2), approved=approved)
    assert check_plan(staff, plan, again.nominations, again.classes) == []
    assert set(approved) <= set(again.nominations)


def test_an_approved_nomination_recorded_as_completed_is_no_repeat_of_itself() -> None:
    # Bug: once `planner record` had put a completed approved nomination into the history,
    # `planner plan --approved` refused its own plan: "not eligible for DUTY in 2026: already took
    # DUTY in 2026".
    staff = roster(8)
    plan = scenario(
        [class_program("DUTY"), slot_program("MASTER")],
        rules=Rules(away_share_max=0.5),
        targets=[target("T", ["DUTY"], deadline=2028)],
    )
    approved = [n for n in solve_checked(staff, plan).nominations if n.year == 2026]
    done = [Attendance(**n.model_dump(exclude={"class_id"}), status="completed") for n in approved]
    recorded, _ = record_history(staff, approved, done)
    again = solve(recorded, plan, SolverSettings(time_limit=2), approved=approved)
    assert check_plan(recorded, plan, again.nominations, again.classes) == []
    first = approved[0]
    moved = [n for n in again.nominations if n != first]
    moved.append(first.model_copy(update={"year": 2027, "class_id": None}))
    violations = check_plan(recorded, plan, moved, again.classes)
    assert any(v.rule == "not_eligible" and "already took" in v.message_en for v in violations)


def test_an_approved_class_a_member_left_may_fall_below_its_minimum() -> None:
    # Bug: when someone of an approved class at its minimum size had left the roster, the replan
    # kept the class without them and the checker refused the plan ("2 people, below the minimum
    # class size 3"), in `planner plan --approved` and in the web application.
    staff = roster(8)
    plan = scenario(
        [class_program("DUTY", class_size_min=3, class_size_max=3, classes_per_year_max=None)],
        targets=[target("T", ["DUTY"], deadline=2028)],
    )
    approved = [n for n in solve_checked(staff, plan).nominations if n.year == 2026]
    gone = approved[0]
    staying = Roster(officials=[o for o in staff.officials if o.id != gone.official_id])
    again = solve(staying, plan, SolverSettings(time_limit=2), approved=approved)
    assert [i.official_id for i in again.approval_issues] == [gone.official_id]
    small = {gone.class_id}
    assert {v.rule for v in check_plan(staying, plan, again.nominations, again.classes)} == {"class_size"}
    assert check_plan(staying, plan, again.nominations, again.classes, approved_classes=small) == []
    other = check_plan(staying, plan, again.nominations, again.classes, approved_classes={"DUTY-2027-01"})
    assert [v.class_id for v in other] == [gone.class_id]  # only the classes named are let off


def test_a_replan_keeps_a_switched_off_program_closed() -> None:
    staff = roster(1)
    plan = scenario([short_slot("ONE"), short_slot("OFF", years=[])])
    approved = [Nomination(official_id="CB00000", program="ONE", year=2026)]
    result = solve(staff, plan, SolverSettings(time_limit=2), approved=approved)
    assert check_plan(staff, plan, result.nominations, result.classes) == []


def test_an_approved_program_counts_as_a_prerequisite_once_finished() -> None:
    staff = roster(1)
    plan = scenario(
        [short_slot("ONE"), short_slot("TWO", eligibility=EligibilityRule(prerequisite_programs=["ONE"]))]
    )
    approved = [Nomination(official_id="CB00000", program="ONE", year=2026)]
    result = solve(staff, plan, SolverSettings(time_limit=2), approved=approved)
    assert [n.year for n in result.nominations if n.program == "TWO"] in ([2027], [2028])
    assert check_plan(staff, plan, result.nominations, result.classes) == []
    early = [*result.nominations, Nomination(official_id="CB00000", program="TWO", year=2026)]
    assert "not_eligible" in {v.rule for v in check_plan(staff, plan, early, result.classes)}


def test_a_pin_in_a_year_closed_by_approved_nominations_is_refused() -> None:
    staff = roster(2)
    plan = scenario([short_slot("ONE")])
    approved = [Nomination(official_id="CB00000", program="ONE", year=2026)]
    pin = Decision(action="pin", official_id="CB00001", program="ONE", year=2026)
    with pytest.raises(InputError):
        solve(staff, plan, SolverSettings(time_limit=2), approved=approved, decisions=[pin])


# --- any generated roster and scenario -> the solver's plan passes the checker -------------------------

START = 2026
UNITS = ["U0", "U1", "U2", "U3"]
FIELDS = ["Công nghệ thông tin", "Y tế", "Giáo dục", ""]
PROFESSIONS = ["Bác sĩ", "Dược sĩ", "Kỹ sư", "Giáo viên"]


def sometimes(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """None (no condition) three times in four, else a value of the strategy."""
    return st.sampled_from([False, False, False, True]).flatmap(lambda on: strategy if on else st.none())


def subset(values: list) -> st.SearchStrategy:
    """None (no condition) or a non-empty subset."""
    return st.none() | st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True)


@st.composite
def officials(draw: st.DrawFn, index: int) -> Official:
    """One official with random attributes."""
    return Official(
        id=f"CB{index:05d}",
        name=f"Người {index}",
        birth_date=date(draw(st.integers(1962, 2001)), draw(st.integers(1, 12)), draw(st.integers(1, 28))),
        gender=draw(st.sampled_from(list(Gender))),
        unit=draw(st.sampled_from(UNITS)),
        level=draw(st.sampled_from(list(Level))),
        category=draw(st.sampled_from(list(Category))),
        role_group=draw(st.sampled_from(list(RoleGroup))),
        field=draw(st.sampled_from(FIELDS)),
        profession=draw(st.sampled_from(PROFESSIONS)),
        education=draw(st.sampled_from(list(Education))),
        hired_date=draw(st.none() | st.dates(date(1990, 1, 1), date(2025, 12, 31))),
        rating=draw(st.none() | st.sampled_from(list(Rating))),
        rating_previous=draw(st.none() | st.sampled_from(list(Rating))),
        pipeline=draw(st.booleans()),
        title_year=draw(st.none() | st.integers(START, START + 4)),
    )


@st.composite
def eligibility_rules(draw: st.DrawFn, earlier: list[str]) -> EligibilityRule:
    """Mostly mild conditions, so that plans are not empty."""
    return EligibilityRule(
        categories=draw(sometimes(subset(list(Category)))),
        levels=draw(sometimes(subset(list(Level)))),
        role_groups=draw(sometimes(subset(list(RoleGroup)))),
        educations=draw(sometimes(subset(list(Education)))),
        professions=draw(sometimes(subset(PROFESSIONS))),
        max_age=draw(sometimes(st.integers(30, 60))),
        max_age_categories=draw(sometimes(subset(list(Category)))),
        min_rating=draw(sometimes(st.sampled_from(list(Rating)))),
        rating_years=draw(st.integers(1, 2)),
        min_service_years=draw(sometimes(st.integers(0, 10))),
        commitment_factor=draw(sometimes(st.sampled_from([1.0, 2.0, 3.0]))),
        commitment_factor_by_category=draw(
            sometimes(
                st.dictionaries(st.sampled_from(list(Category)), st.sampled_from([0.5, 2.0]), max_size=2)
            )
        )
        or {},
        min_years_left=draw(sometimes(st.sampled_from([2.0, 5.5, 10.0]))),
        before_title_year=draw(st.sampled_from([False] * 7 + [True])),
        prerequisite_educations=draw(sometimes(st.lists(st.sampled_from(list(Education)), max_size=2))) or [],
        prerequisite_programs=(draw(sometimes(st.lists(st.sampled_from(earlier), max_size=1))) or [])
        if earlier
        else [],
    )


@st.composite
def class_programs(draw: st.DrawFn, code: str, years: list[int], earlier: list[str]) -> Program:
    """A class program with classes of 1-6 and at most 0-3 classes a year."""
    size_min = draw(st.integers(1, 6))
    most = draw(st.integers(0, 3))
    return Program(
        code=code,
        name=code,
        kind=ProgramKind.CLASS,
        duration_years=draw(st.sampled_from([1, 1, 1, 2])),
        class_size_min=size_min,
        class_size_max=draw(st.integers(size_min, 6)),
        classes_per_year_min=draw(st.integers(0, most)),
        classes_per_year_max=most,
        places_per_year_max=draw(st.none() | st.none() | st.integers(0, 10)),
        years=draw(st.none() | st.lists(st.sampled_from(years), unique=True)),
        cost_per_person=draw(st.integers(0, 5)),
        cost_per_class=draw(st.integers(0, 20)),
        eligibility=draw(eligibility_rules(earlier)),
    )


@st.composite
def slot_programs(draw: st.DrawFn, code: str, years: list[int], earlier: list[str]) -> Program:
    """A slot program of 1-3 years with 0-3 places a year."""
    most = draw(st.integers(0, 3))
    return Program(
        code=code,
        name=code,
        kind=ProgramKind.SLOT,
        duration_years=draw(st.integers(1, 3)),
        places_per_year_min=draw(st.integers(0, most)),
        places_per_year_max=most,
        years=draw(st.none() | st.lists(st.sampled_from(years), unique=True)),
        cost_per_person=draw(st.integers(0, 10)),
        eligibility=draw(eligibility_rules(earlier)),
    )


@st.composite
def instances(draw: st.DrawFn) -> tuple[Roster, Scenario]:
    """A roster of 5-40 officials with some history, and a 1-3 year scenario over it."""
    years = list(range(START, draw(st.integers(START, START + 2)) + 1))
    codes: list[str] = []
    programs = []
    for i in range(draw(st.integers(1, 3))):
        programs.append(draw(class_programs(f"C{i}", years, list(codes))))
        codes.append(f"C{i}")
    for i in range(draw(st.integers(0, 2))):
        programs.append(draw(slot_programs(f"S{i}", years, list(codes))))
        codes.append(f"S{i}")
    people = [draw(officials(i)) for i in range(draw(st.integers(5, 40)))]
    history = [
        TrainingRecord(
            official_id=draw(st.sampled_from(people)).id,
            program=draw(st.sampled_from([*codes, "OLD"])),
            year=draw(st.integers(START - 4, START + 1)),
        )
        for _ in range(draw(st.integers(0, 8)))
    ]
    targets = [
        Target(
            code=f"T{i}",
            name=f"T{i}",
            programs=draw(st.lists(st.sampled_from(codes), min_size=1, unique=True)),
            group=GroupFilter(categories=draw(subset(list(Category))), levels=draw(subset(list(Level)))),
            share=share,
            count=None if share is not None else draw(st.integers(1, 10)),
            deadline=draw(st.sampled_from(years)),
            qualifying_educations=draw(st.just([]) | st.lists(st.sampled_from(list(Education)), max_size=2)),
        )
        for i in range(draw(st.integers(0, 2)))
        for share in [draw(st.none() | st.sampled_from([0.3, 0.5, 1.0]))]
    ]
    quotas = []
    if draw(st.booleans()):
        low = draw(st.integers(0, 3))
        quotas.append(
            Quota(
                code="Q",
                name="Q",
                programs=draw(st.lists(st.sampled_from(codes), min_size=1, unique=True)),
                min_per_year=low,
                max_per_year=draw(st.none() | st.integers(low, 6)),
            )
        )
    budget = draw(
        st.builds(Budget)
        | st.builds(Budget, default=st.integers(0, 60))
        | st.builds(Budget, per_year=st.dictionaries(st.sampled_from(years), st.integers(0, 60)))
    )
    plan = Scenario(
        name="generated",
        start_year=years[0],
        end_year=years[-1],
        programs=programs,
        quotas=quotas,
        targets=targets,
        budget=budget,
        rules=Rules(
            reference_day=draw(st.sampled_from(["01-01", "01-01", "07-01"])),
            retirement_age_men=draw(sometimes(st.sampled_from([60.0, 62.0]))),
            retirement_age_women=draw(sometimes(st.sampled_from([55.0, 60.0]))),
            away_share_max=draw(st.sampled_from([0.0, 0.1, 0.3, 1.0])),
            away_min_allowed=draw(st.integers(0, 2)),
        ),
    )
    return Roster(officials=people, history=history), plan


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_any_solver_plan_passes_the_checker(instance: tuple[Roster, Scenario]) -> None:
    staff, plan = instance
    result = solve(staff, plan, SolverSettings(time_limit=2))
    violations = check_plan(staff, plan, result.nominations, result.classes)
    assert violations == [], "\n".join(map(str, violations))
    assert_figures_agree(staff, plan, result)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_any_replan_around_the_approved_first_year_passes_the_checker(
    instance: tuple[Roster, Scenario],
) -> None:
    staff, plan = instance
    first = solve(staff, plan, SolverSettings(time_limit=2))
    approved = [n for n in first.nominations if n.year == plan.start_year]
    again = solve(staff, plan, SolverSettings(time_limit=2), approved=approved, previous=first.nominations)
    violations = check_plan(staff, plan, again.nominations, again.classes)
    assert violations == [], "\n".join(map(str, violations))


# --- missing data is named: `check` and `plan` say which column a rule lacks -------------------------

PLAN_2023 = str(Path(__file__).parents[2] / "scenarios" / "plan-2023-2025.toml")


@pytest.fixture(scope="module")
def roster_2023(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated province of 300 officials with every column, as the HR template has them."""
    path = tmp_path_factory.mktemp("roster") / "day-du.xlsx"
    write_roster(generate_roster(300, seed=5, structure="2023", reference_year=2023), path)
    return path


def _without(source: Path, target: Path, *headers: str) -> Path:
    """The roster workbook with these columns deleted (an HR export that lacks them)."""
    book = openpyxl.load_workbook(source)
    sheet = book.worksheets[0]
    for header in headers:
        names = [cell.value for cell in sheet[1]]
        sheet.delete_cols(names.index(header) + 1)
    book.save(target)
    return target


def _check(roster_file: Path, scenario_file: str, tmp_path: Path) -> tuple[str, dict]:
    out = tmp_path / "check.json"
    result = CliRunner().invoke(
        main, ["check", str(roster_file), "--scenario", scenario_file, "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    return result.output, json.loads(out.read_text(encoding="utf-8"))


def test_check_names_the_missing_previous_rating_and_the_programs_it_empties(
    roster_2023: Path, tmp_path: Path
):
    lacking = _without(roster_2023, tmp_path / "khong-xep-loai-truoc.xlsx", "Xếp loại năm trước")
    output, counts = _check(lacking, PLAN_2023, tmp_path)
    (missing,) = counts["missing_columns"]
    assert (missing["field"], missing["column"], missing["programs"]) == (
        "rating_previous",
        "Xếp loại năm trước",
        ["MASTER", "PHD"],
    )
    assert missing["affected"] == ["POSTGRAD"] and not missing["counted_as_latest"]
    assert counts["eligible_by_program"]["MASTER"] == counts["eligible_by_program"]["PHD"] == 0  # as it says
    assert "Thiếu dữ liệu / missing data:" in output
    assert "MASTER, PHD cần xếp loại 2 năm liền" in output and "không ai đủ điều kiện" in output
    assert "MASTER, PHD need two consecutive years rated" in output and "so nobody is eligible" in output
    assert "Add the column 'Xếp loại năm trước'" in output
    # the full roster: nothing missing, and the same programs have people
    output, counts = _check(roster_2023, PLAN_2023, tmp_path)
    assert counts["missing_columns"] == [] and "missing data" not in output
    assert counts["eligible_by_program"]["MASTER"] > 0


def test_check_says_when_a_missing_previous_rating_counts_as_the_latest(roster_2023: Path, tmp_path: Path):
    lacking = _without(roster_2023, tmp_path / "khong-xep-loai-truoc.xlsx", "Xếp loại năm trước")
    variant = tmp_path / "as-latest.toml"
    variant.write_text(
        f'extends = "{Path(PLAN_2023).resolve()}"\n[rules]\nmissing_previous_rating = "as_latest"\n',
        encoding="utf-8",
    )
    output, counts = _check(lacking, str(variant), tmp_path)
    (missing,) = counts["missing_columns"]
    assert missing["counted_as_latest"] and missing["affected"] == []
    assert counts["eligible_by_program"]["MASTER"] > 0
    assert "the previous year's rating is taken as the latest" in output
    assert "xếp loại năm trước được tính bằng xếp loại năm gần nhất" in output


def test_missing_hired_dates_and_title_years_name_their_programs(roster_2023: Path, tmp_path: Path):
    # a CSV export without 'Ngày tuyển dụng' and 'Năm dự kiến bổ nhiệm CDNN'
    book = openpyxl.load_workbook(roster_2023, read_only=True)
    rows = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    drop = [rows[0].index("Ngày tuyển dụng"), rows[0].index("Năm dự kiến bổ nhiệm CDNN")]
    path = tmp_path / "hr.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for row in rows:
            cells = [
                "" if v is None else v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v for v in row
            ]
            writer.writerow([cell for i, cell in enumerate(cells) if i not in drop])
    staff = read_roster(path, known_programs=STANDARD_PROGRAMS)
    assert {"hired_date", "title_year"}.isdisjoint(staff.columns) and "rating_previous" in staff.columns
    plan = load_scenario(PLAN_2023)
    found = {m.field: m for m in missing_columns(staff, plan)}
    assert list(found) == ["hired_date", "title_year"]
    assert found["hired_date"].programs == ("MASTER", "PHD")
    assert "'Ngày tuyển dụng'" in found["hired_date"].vi and "3 years of service" in found["hired_date"].en
    assert found["title_year"].programs == ("VC_TITLE",)
    assert found["title_year"].empty_groups == ("VC_TITLE_DUE",)
    assert "the group of target VC_TITLE_DUE is empty" in found["title_year"].en
    eligible = Counter(p for starts in build_population(staff, plan).starts_of.values() for p, _ in starts)
    assert eligible["MASTER"] == eligible["PHD"] == eligible["VC_TITLE"] == 0  # emptied, as said


def test_plan_puts_the_missing_column_in_its_notes(roster_2023: Path, tmp_path: Path):
    lacking = _without(roster_2023, tmp_path / "khong-xep-loai-truoc.xlsx", "Xếp loại năm trước")
    result = CliRunner().invoke(
        main,
        ["plan", str(lacking), "--scenario", PLAN_2023, "--out", str(tmp_path / "plan.xlsx"),
         "--json", str(tmp_path / "s.json"), "--time-limit", "5", "--quiet"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    note = next(n for n in json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["notes"])
    assert note["vi"].startswith("Danh sách cán bộ không có cột 'Xếp loại năm trước'")
    assert note["en"].startswith("The roster has no column 'Xếp loại năm trước'")
    assert f"! {note['vi']}" in result.output
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx", read_only=True)
    cells = {cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row}
    assert any(isinstance(cell, str) and "Xếp loại năm trước" in cell for cell in cells)
