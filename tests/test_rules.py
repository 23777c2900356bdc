"""Each hard rule of the plan, in pairs: the solver's plan keeps it, a forced break is caught.

For every rule family: a tiny instance is solved and the checker passes the plan; the plan
is then edited by hand to break the rule and the checker reports exactly that rule; where it
makes sense, the instance is built so that the only way to meet a target would break the
rule, and the solver's plan leaves the shortfall instead.
"""

from __future__ import annotations

import re
from datetime import date

from models import (
    Budget,
    Category,
    ClassInfo,
    EligibilityRule,
    GroupFilter,
    Nomination,
    Program,
    Quota,
    Result,
    RoleGroup,
    Roster,
    Rules,
    Scenario,
    SolverSettings,
    Target,
    TrainingRecord,
)
from planner.analysis.check import Violation, check_plan
from planner.analysis.reasons import nomination_reasons
from planner.solver.cohorts import build_population
from planner.solver.solve import solve
from tests.factories import class_program, official, roster, scenario, slot_program

SETTINGS = SolverSettings(time_limit=2)
#: No unit cap: for instances about other rules that use multi-year programs.
NO_CAP = Rules(away_share_max=1.0)


# --- helpers ---------------------------------------------------------------------------------------


def solve_checked(staff: Roster, plan: Scenario) -> Result:
    """Solve with test settings and assert that the checker passes the solver's plan."""
    result = solve(staff, plan, SETTINGS)
    violations = check_plan(staff, plan, result.nominations, result.classes)
    assert violations == [], "\n".join(map(str, violations))
    return result


def rules_of(violations: list[Violation]) -> set[str]:
    """The rules the violations are about."""
    return {v.rule for v in violations}


def target(code: str, programs: list[str], **overrides: object) -> Target:
    """Everybody (unless a group is given) trained in the programs by 2026."""
    values: dict[str, object] = {"code": code, "name": code, "programs": programs, "share": 1.0}
    values["deadline"] = 2026
    values.update(overrides)
    return Target.model_validate(values)


def one_year(programs: list[Program], **overrides: object) -> Scenario:
    """A scenario of the single year 2026."""
    return scenario(programs, start_year=2026, end_year=2026, **overrides)


def short_slot(code: str, **overrides: object) -> Program:
    """A one-year slot program (OVERSEAS-like) open to everybody, 2 places a year."""
    values: dict[str, object] = {"duration_years": 1, "eligibility": EligibilityRule()}
    values.update(overrides)
    return slot_program(code, **values)


def nominated(result: Result) -> set[str]:
    """Officials with at least one nomination."""
    return {n.official_id for n in result.nominations}


def free_people(staff: Roster, result: Result) -> list[str]:
    """Officials the plan does not nominate, by id."""
    return sorted({o.id for o in staff.officials} - nominated(result))


def join_class(result: Result, official_id: str, class_id: str) -> tuple[list[Nomination], list[ClassInfo]]:
    """The plan with one more member in a class (its listed size updated)."""
    info = next(c for c in result.classes if c.class_id == class_id)
    joined = Nomination(official_id=official_id, program=info.program, year=info.year, class_id=class_id)
    classes = [c.model_copy(update={"size": c.size + 1}) if c is info else c for c in result.classes]
    return [*result.nominations, joined], classes


def leave_class(result: Result, official_id: str) -> tuple[list[Nomination], list[ClassInfo]]:
    """The plan with one member less in their class (its listed size updated)."""
    gone = next(n for n in result.nominations if n.official_id == official_id and n.class_id)
    nominations = [n for n in result.nominations if n is not gone]
    classes = [
        c.model_copy(update={"size": c.size - 1}) if c.class_id == gone.class_id else c
        for c in result.classes
    ]
    return nominations, classes


def away_per_year(staff: Roster, plan: Scenario, result: Result, unit: str) -> dict[int, int]:
    """People of a unit away on multi-year programs of the plan, per plan year."""
    units = {o.id: o.unit for o in staff.officials}
    away = dict.fromkeys(plan.years, 0)
    for n in result.nominations:
        duration = plan.program(n.program).duration_years
        if units[n.official_id] == unit and duration > 1:
            for year in range(n.year, n.year + duration):
                if year in away:
                    away[year] += 1
    return away


# --- eligibility ---------------------------------------------------------------------------------


def mixed_staff(cong_chuc: int, vien_chuc: int) -> Roster:
    """`cong_chuc` provincial công chức followed by `vien_chuc` professional viên chức."""
    people = [official(i) for i in range(cong_chuc)]
    people += [
        official(i, category=Category.VIEN_CHUC, role_group=RoleGroup.VIEN_CHUC, profession="Bác sĩ")
        for i in range(cong_chuc, cong_chuc + vien_chuc)
    ]
    return Roster(officials=people)


def test_eligibility_holds_in_the_solver_plan() -> None:
    staff = mixed_staff(4, 3)
    plan = scenario([class_program("DUTY", class_size_max=5)], targets=[target("ALL", ["DUTY"])])
    result = solve_checked(staff, plan)
    assert nominated(result) == {f"CB{i:05d}" for i in range(4)}


def test_checker_reports_a_nomination_of_an_ineligible_official() -> None:
    staff = mixed_staff(4, 3)
    plan = scenario([class_program("DUTY", class_size_max=5)], targets=[target("ALL", ["DUTY"])])
    result = solve_checked(staff, plan)
    nominations, classes = join_class(result, "CB00004", result.classes[0].class_id)
    violations = check_plan(staff, plan, nominations, classes)
    assert rules_of(violations) == {"not_eligible"}
    assert [v.official_id for v in violations] == ["CB00004"]
    assert "Viên chức" in violations[0].message_vi
    assert "category 'viên chức' not eligible" in violations[0].message_en


def test_checker_reports_every_failed_eligibility_reason() -> None:
    old = official(1, birth_date=date(1960, 1, 1), hired_date=date(2025, 6, 1))
    staff = Roster(officials=[old])
    master = slot_program("MASTER", eligibility=EligibilityRule(max_age=45, min_service_years=3))
    plan = scenario([master], rules=NO_CAP)
    nomination = Nomination(official_id=old.id, program="MASTER", year=2026)
    [violation] = check_plan(staff, plan, [nomination], [])
    assert violation.rule == "not_eligible"
    assert "66 tuổi, quá tuổi tối đa 45" in violation.message_vi
    assert "0.6 years of service, 3 needed" in violation.message_en
    assert "thâm niên công tác 0,6 năm, cần 3" in violation.message_vi  # the Vietnamese decimal comma


def test_too_few_working_years_left_are_said_with_the_vietnamese_decimal_comma() -> None:
    # born 1 July 1968: 60 years 2 months (the retirement age here) comes 1 Sep 2028, 1.7 years after
    # the start of 2027; a two-year master's with a commitment of 1.25 times it needs 4.5
    near = official(1, birth_date=date(1968, 7, 1))
    master = slot_program("MASTER", duration_years=2, eligibility=EligibilityRule(commitment_factor=1.25))
    [violation] = check_plan(
        Roster(officials=[near]),
        scenario([master], rules=NO_CAP),
        [Nomination(official_id=near.id, program="MASTER", year=2027)],
        [],
    )
    assert "năm công tác, cần 4,5 (thời gian học và cam kết)" in violation.message_vi, violation.message_vi
    assert "working years left, 4.5 needed" in violation.message_en
    assert re.search(r"còn \d+,\d năm công tác", violation.message_vi)


def test_solver_leaves_a_target_on_an_ineligible_group_short() -> None:
    staff = mixed_staff(4, 3)
    vien_chuc_target = target("VC", ["DUTY"], group=GroupFilter(categories=[Category.VIEN_CHUC]))
    plan = scenario([class_program("DUTY", class_size_max=5)], targets=[vien_chuc_target])
    result = solve_checked(staff, plan)
    assert not nominated(result) & {"CB00004", "CB00005", "CB00006"}
    [shortfall] = [s for s in result.shortfalls if s.code == "VC"]
    assert (shortfall.required, shortfall.achieved) == (3, 0)


def test_solver_respects_the_training_history() -> None:
    staff = roster(4).model_copy(
        update={"history": [TrainingRecord(official_id="CB00000", program="DUTY", year=2024)]}
    )
    plan = scenario(
        [class_program("DUTY", class_size_max=5)], targets=[target("ALL", ["DUTY"], deadline=2028)]
    )
    result = solve_checked(staff, plan)
    assert "CB00000" not in nominated(result)
    nominations, classes = join_class(result, "CB00000", result.classes[0].class_id)
    [violation] = check_plan(staff, plan, nominations, classes)
    assert violation.rule == "not_eligible"
    assert "already took DUTY in 2024" in violation.message_en


def prerequisite_chain(max_age: int | None = None, **overrides: object) -> Scenario:
    """ONE (a year), MASTER (two years), and TWO that needs one of them finished first."""
    rule = EligibilityRule(prerequisite_programs=["ONE", "MASTER"], max_age=max_age)
    after = {"duration_years": 1, "eligibility": rule}
    programs = [short_slot("ONE"), slot_program("MASTER"), short_slot("TWO", **after)]
    return scenario(programs, rules=NO_CAP, **overrides)


def test_a_program_finished_earlier_in_the_plan_meets_a_prerequisite() -> None:
    plan = prerequisite_chain()
    nominations = [
        Nomination(official_id="CB00000", program="ONE", year=2026),
        Nomination(official_id="CB00000", program="TWO", year=2027),
        Nomination(official_id="CB00001", program="MASTER", year=2026),
        Nomination(official_id="CB00001", program="TWO", year=2028),
    ]
    assert check_plan(roster(2), plan, nominations, []) == []


def test_checker_reports_a_prerequisite_not_yet_finished() -> None:
    plan = prerequisite_chain()
    nominations = [
        Nomination(official_id="CB00000", program="TWO", year=2026),
        Nomination(official_id="CB00000", program="ONE", year=2027),
    ]
    [violation] = check_plan(roster(1), plan, nominations, [])
    assert (violation.rule, violation.program, violation.year) == ("not_eligible", "TWO", 2026)
    assert "prerequisite missing (ONE, MASTER)" in violation.message_en


def test_solver_nominates_nobody_before_their_prerequisite_is_finished() -> None:
    plan = prerequisite_chain(targets=[target("T", ["TWO"], deadline=2028)])
    result = solve_checked(roster(2), plan)
    finished = {
        (n.official_id, n.year + plan.program(n.program).duration_years)
        for n in result.nominations
        if n.program in ("ONE", "MASTER")
    }
    for n in result.nominations:
        if n.program == "TWO":
            assert any(who == n.official_id and done <= n.year for who, done in finished)


def test_the_solver_chains_a_program_after_its_prerequisite_inside_the_plan() -> None:
    """Nobody may take TWO before ONE or MASTER is finished; a target on TWO by 2028 is met by
    chains inside the plan (ONE then TWO, MASTER then TWO), each by one person."""
    plan = prerequisite_chain(targets=[target("T", ["TWO"], deadline=2028)])
    result = solve_checked(roster(2), plan)
    assert result.shortfalls == []
    taken = {(n.official_id, n.program) for n in result.nominations}
    assert {("CB00000", "TWO"), ("CB00001", "TWO")} <= taken
    # the reason printed beside each name says which nomination of the plan meets the prerequisite
    reasons = nomination_reasons(build_population(roster(2), plan), result)
    for (who, program, year), (_, en) in reasons.items():
        if program == "TWO":
            first = next(n for n in result.nominations if n.official_id == who and n.year < year)
            assert f"takes {first.program} in {first.year} in this plan" in en


def test_the_solver_chains_no_further_than_the_rules_allow() -> None:
    """Too old by the time the first program is finished: no chain, and the shortfall stays."""
    goal = [target("T", ["TWO"], deadline=2028)]
    # aged 40 in 2026, 41 in 2027, 42 in 2028: TWO only in 2027, after ONE in 2026
    result = solve_checked(roster(1), prerequisite_chain(max_age=41, targets=goal))
    assert [(n.program, n.year) for n in result.nominations if n.program == "TWO"] == [("TWO", 2027)]
    result = solve_checked(roster(1), prerequisite_chain(max_age=40, targets=goal))
    assert "TWO" not in {n.program for n in result.nominations}
    assert [s.code for s in result.shortfalls] == ["T"]


# --- one start a year ------------------------------------------------------------------------------


def two_classes_one_year() -> tuple[Roster, Scenario]:
    """Three people, two class programs of 2-3 in the single year 2026, both targeted at 100 %."""
    plan = one_year(
        [class_program("DUTY"), class_program("LEAD")],
        targets=[target("T_DUTY", ["DUTY"]), target("T_LEAD", ["LEAD"])],
    )
    return roster(3), plan


def test_one_start_a_year_holds_in_the_solver_plan() -> None:
    staff, plan = two_classes_one_year()
    result = solve_checked(staff, plan)
    starts = [(n.official_id, n.year) for n in result.nominations]
    assert len(starts) == len(set(starts))


def test_checker_reports_a_second_start_in_the_same_year() -> None:
    staff, plan = two_classes_one_year()
    result = solve_checked(staff, plan)
    held = result.classes[0].program
    other = "LEAD" if held == "DUTY" else "DUTY"
    people = sorted(nominated(result))[:2]
    extra = [Nomination(official_id=p, program=other, year=2026, class_id="EXTRA") for p in people]
    classes = [*result.classes, ClassInfo(class_id="EXTRA", program=other, year=2026, size=2)]
    violations = check_plan(staff, plan, [*result.nominations, *extra], classes)
    assert rules_of(violations) == {"two_starts"}
    assert sorted(v.official_id for v in violations) == people
    assert "bắt đầu 2 chương trình năm 2026" in violations[0].message_vi


def test_solver_runs_only_one_of_two_programs_for_the_same_people_in_one_year() -> None:
    staff, plan = two_classes_one_year()
    result = solve_checked(staff, plan)
    assert len({c.program for c in result.classes}) == 1
    assert len(result.shortfalls) == 1


# --- not away on a multi-year program of the plan --------------------------------------------------


def master_or_overseas() -> tuple[Roster, Scenario]:
    """One person: MASTER (2 years) only in 2026, OVERSEAS only in 2027, both targeted."""
    plan = scenario(
        [slot_program("MASTER", years=[2026]), short_slot("OVERSEAS", years=[2027])],
        end_year=2027,
        rules=NO_CAP,
        targets=[
            target("T_MASTER", ["MASTER"], deadline=2027),
            target("T_OVERSEAS", ["OVERSEAS"], deadline=2027),
        ],
    )
    return roster(1), plan


def test_not_away_holds_in_the_solver_plan() -> None:
    staff, plan = master_or_overseas()
    result = solve_checked(staff, plan)
    assert len(result.nominations) == 1


def test_checker_reports_a_start_while_away_on_a_planned_master() -> None:
    staff, plan = master_or_overseas()
    result = solve_checked(staff, plan)
    missing = {"MASTER": 2026, "OVERSEAS": 2027}
    del missing[result.nominations[0].program]
    [(program, year)] = missing.items()
    nominations = [*result.nominations, Nomination(official_id="CB00000", program=program, year=year)]
    [violation] = check_plan(staff, plan, nominations, [])
    assert violation.rule == "away"
    assert (violation.program, violation.year) == ("OVERSEAS", 2027)
    assert "đang đi học MASTER (2026-2027)" in violation.message_vi


def test_solver_leaves_a_shortfall_rather_than_a_start_while_away() -> None:
    staff, plan = master_or_overseas()
    result = solve_checked(staff, plan)
    assert len(result.shortfalls) == 1


def test_history_away_window_blocks_a_start() -> None:
    staff = roster(2).model_copy(
        update={"history": [TrainingRecord(official_id="CB00000", program="PHD", year=2025)]}
    )
    plan = scenario(
        [short_slot("OVERSEAS"), slot_program("PHD", duration_years=3)],
        end_year=2027,
        rules=NO_CAP,
        targets=[target("T", ["OVERSEAS"], deadline=2027)],
    )
    result = solve_checked(staff, plan)
    assert "CB00000" not in nominated(result)
    nominations = [*result.nominations, Nomination(official_id="CB00000", program="OVERSEAS", year=2027)]
    [violation] = check_plan(staff, plan, nominations, result.classes)
    assert violation.rule == "not_eligible"
    assert "away on PHD (2025-2027)" in violation.message_en


# --- no repeat inside the plan ----------------------------------------------------------------------


def one_person_yearly_minimum() -> tuple[Roster, Scenario]:
    """One person and a one-year program that wants one start every year of 2026-2028."""
    plan = scenario([short_slot("OVERSEAS", places_per_year_min=1)], rules=NO_CAP)
    return roster(1), plan


def test_no_repeat_holds_in_the_solver_plan() -> None:
    staff, plan = one_person_yearly_minimum()
    result = solve_checked(staff, plan)
    assert len(result.nominations) == 1


def test_checker_reports_a_program_repeated_inside_the_plan() -> None:
    staff, plan = one_person_yearly_minimum()
    result = solve_checked(staff, plan)
    year = 2028 if result.nominations[0].year != 2028 else 2026
    nominations = [*result.nominations, Nomination(official_id="CB00000", program="OVERSEAS", year=year)]
    [violation] = check_plan(staff, plan, nominations, [])
    assert violation.rule == "repeat"
    assert "OVERSEAS 2 lần" in violation.message_vi


def test_solver_leaves_yearly_minimums_short_rather_than_repeat() -> None:
    staff, plan = one_person_yearly_minimum()
    result = solve_checked(staff, plan)
    assert sorted(s.kind for s in result.shortfalls) == ["places", "places"]


# --- class sizes -------------------------------------------------------------------------------------


def classes_of_exactly_three(pool: int, **overrides: object) -> tuple[Roster, Scenario]:
    """`pool` công chức and a DUTY class of exactly 3 people a class, everybody targeted by 2028."""
    values: dict[str, object] = {"class_size_min": 3, "class_size_max": 3}
    values.update(overrides)
    plan = scenario([class_program("DUTY", **values)], targets=[target("ALL", ["DUTY"], deadline=2028)])
    return roster(pool), plan


def test_class_sizes_hold_in_the_solver_plan() -> None:
    staff, plan = classes_of_exactly_three(4)
    result = solve_checked(staff, plan)
    assert [c.size for c in result.classes] == [3]


def test_checker_reports_a_class_below_the_minimum() -> None:
    staff, plan = classes_of_exactly_three(4)
    result = solve_checked(staff, plan)
    nominations, classes = leave_class(result, result.nominations[0].official_id)
    [violation] = check_plan(staff, plan, nominations, classes)
    assert violation.rule == "class_size"
    assert violation.class_id == classes[0].class_id
    assert violation.message_vi == f"{classes[0].class_id}: 2 người, dưới sĩ số tối thiểu 3"
    assert violation.message_en == f"{classes[0].class_id}: 2 people, below the minimum class size 3"


def test_checker_reports_a_class_above_the_maximum() -> None:
    staff, plan = classes_of_exactly_three(4)
    result = solve_checked(staff, plan)
    [left_out] = free_people(staff, result)
    nominations, classes = join_class(result, left_out, result.classes[0].class_id)
    [violation] = check_plan(staff, plan, nominations, classes)
    assert violation.rule == "class_size"
    assert "4 people, above the maximum class size 3" in violation.message_en


def test_solver_opens_no_class_when_the_minimum_exceeds_the_eligible_pool() -> None:
    staff, plan = classes_of_exactly_three(4, class_size_min=5, class_size_max=6)
    result = solve_checked(staff, plan)
    assert result.nominations == []
    assert result.classes == []
    assert [s.code for s in result.shortfalls] == ["ALL"]


# --- classes per year ------------------------------------------------------------------------------


def one_class_a_year() -> tuple[Roster, Scenario]:
    """Six people, classes of 2-3 with at most one class in the single year 2026, all targeted."""
    plan = one_year([class_program("DUTY", classes_per_year_max=1)], targets=[target("ALL", ["DUTY"])])
    return roster(6), plan


def test_classes_per_year_hold_in_the_solver_plan() -> None:
    staff, plan = one_class_a_year()
    result = solve_checked(staff, plan)
    assert len(result.classes) == 1


def test_checker_reports_too_many_classes_in_a_year() -> None:
    staff, plan = one_class_a_year()
    result = solve_checked(staff, plan)
    rest = free_people(staff, result)
    extra = [Nomination(official_id=p, program="DUTY", year=2026, class_id="DUTY-2026-02") for p in rest]
    second = ClassInfo(class_id="DUTY-2026-02", program="DUTY", year=2026, size=len(rest))
    [violation] = check_plan(staff, plan, [*result.nominations, *extra], [*result.classes, second])
    assert violation.rule == "classes_per_year"
    assert violation.message_en == "DUTY in 2026: 2 classes, above the yearly maximum 1"


def test_solver_keeps_the_yearly_class_maximum_and_reports_the_shortfall() -> None:
    staff, plan = one_class_a_year()
    result = solve_checked(staff, plan)
    assert len(result.nominations) == 3
    [shortfall] = result.shortfalls
    assert (shortfall.required, shortfall.achieved) == (6, 3)


# --- places per year ---------------------------------------------------------------------------------


def one_place_a_year() -> tuple[Roster, Scenario]:
    """Three people, a one-year slot program with one place in 2026, all targeted."""
    plan = one_year([short_slot("OVERSEAS", places_per_year_max=1)], targets=[target("ALL", ["OVERSEAS"])])
    return roster(3), plan


def test_places_per_year_hold_in_the_solver_plan() -> None:
    staff, plan = one_place_a_year()
    result = solve_checked(staff, plan)
    assert len(result.nominations) == 1


def test_checker_reports_too_many_places_in_a_year() -> None:
    staff, plan = one_place_a_year()
    result = solve_checked(staff, plan)
    extra = Nomination(official_id=free_people(staff, result)[0], program="OVERSEAS", year=2026)
    [violation] = check_plan(staff, plan, [*result.nominations, extra], [])
    assert violation.rule == "places_per_year"
    assert violation.message_vi == "OVERSEAS năm 2026: 2 người, vượt số suất tối đa 1"


def test_solver_leaves_the_target_short_rather_than_exceed_places() -> None:
    staff, plan = one_place_a_year()
    result = solve_checked(staff, plan)
    assert [(s.required, s.achieved) for s in result.shortfalls] == [(3, 1)]


# --- quota maximums -----------------------------------------------------------------------------------


def shared_quota() -> tuple[Roster, Scenario]:
    """Three people, two one-year slot programs of 2 places sharing a quota of 1 in 2026."""
    plan = one_year(
        [short_slot("ONE"), short_slot("TWO")],
        quotas=[Quota(code="Q", name="Chung", programs=["ONE", "TWO"], max_per_year=1)],
        targets=[target("T_ONE", ["ONE"]), target("T_TWO", ["TWO"])],
    )
    return roster(3), plan


def test_quota_maximum_holds_in_the_solver_plan() -> None:
    staff, plan = shared_quota()
    result = solve_checked(staff, plan)
    assert len(result.nominations) == 1


def test_checker_reports_a_quota_maximum_exceeded() -> None:
    staff, plan = shared_quota()
    result = solve_checked(staff, plan)
    extra = Nomination(official_id=free_people(staff, result)[0], program="TWO", year=2026)
    [violation] = check_plan(staff, plan, [*result.nominations, extra], [])
    assert violation.rule == "quota_max"
    assert violation.message_en == "Q in 2026: 2 people (ONE, TWO), above the maximum 1"


def test_solver_keeps_the_shared_quota_and_leaves_targets_short() -> None:
    staff, plan = shared_quota()
    result = solve_checked(staff, plan)
    assert sum(s.missing for s in result.shortfalls) == 5


# --- budget -------------------------------------------------------------------------------------------


def budget_for_two(limit: int) -> tuple[Roster, Scenario]:
    """Three people, classes of 2-3 (10 M a class + 1 M a person) in 2026 under a budget."""
    plan = one_year([class_program("DUTY")], budget=Budget(default=limit), targets=[target("ALL", ["DUTY"])])
    return roster(3), plan


def test_budget_holds_in_the_solver_plan() -> None:
    staff, plan = budget_for_two(12_000_000)
    result = solve_checked(staff, plan)
    assert result.cost_by_year == {2026: 12_000_000}
    assert [c.size for c in result.classes] == [2]


def test_checker_reports_a_year_over_budget() -> None:
    staff, plan = budget_for_two(12_000_000)
    result = solve_checked(staff, plan)
    nominations, classes = join_class(result, free_people(staff, result)[0], result.classes[0].class_id)
    [violation] = check_plan(staff, plan, nominations, classes)
    assert violation.rule == "budget"
    assert violation.message_vi == "năm 2026: chi phí 13.000.000 đồng, vượt kinh phí 12.000.000 đồng"


def test_solver_opens_no_class_when_the_budget_is_below_one_class() -> None:
    staff, plan = budget_for_two(11_000_000)
    result = solve_checked(staff, plan)
    assert result.nominations == []
    assert result.classes == []


def master_budget() -> tuple[Roster, Scenario]:
    """MASTER (2 years, 50 M a year) when 2027 has only 40 M: no start can touch 2027."""
    plan = scenario(
        [slot_program("MASTER")],
        rules=NO_CAP,
        budget=Budget(per_year={2027: 40_000_000}),
        targets=[target("ALL", ["MASTER"], deadline=2028)],
    )
    return roster(4), plan


def test_solver_counts_every_year_of_study_against_the_budget() -> None:
    staff, plan = master_budget()
    result = solve_checked(staff, plan)
    assert {n.year for n in result.nominations} == {2028}
    assert result.cost_by_year == {2026: 0, 2027: 0, 2028: 100_000_000}


def test_checker_charges_the_second_year_of_a_master_to_its_budget() -> None:
    staff, plan = master_budget()
    result = solve_checked(staff, plan)
    extra = Nomination(official_id=free_people(staff, result)[0], program="MASTER", year=2026)
    [violation] = check_plan(staff, plan, [*result.nominations, extra], [])
    assert (violation.rule, violation.year) == ("budget", 2027)
    assert "50,000,000 VND, above the budget of 40,000,000 VND" in violation.message_en


# --- unit absence cap --------------------------------------------------------------------------------


def one_unit(size: int, history: list[TrainingRecord] | None = None) -> tuple[Roster, Scenario]:
    """`size` people of one unit (cap: 10 % of the staff, at least 1), MASTER for all by 2028.

    PHD (3 years) is there for the history only: nobody has the master's it needs.
    """
    staff = roster(size, unit="Sở Tài chính").model_copy(update={"history": history or []})
    plan = scenario(
        [
            slot_program("MASTER", places_per_year_max=5),
            slot_program("PHD", duration_years=3, eligibility=EligibilityRule(educations=[])),
        ],
        targets=[target("ALL", ["MASTER"], deadline=2028)],
    )
    return staff, plan


def test_unit_cap_holds_in_the_solver_plan() -> None:
    staff, plan = one_unit(10)
    result = solve_checked(staff, plan)
    assert max(away_per_year(staff, plan, result, "Sở Tài chính").values()) == 1


def test_checker_reports_a_unit_over_its_cap() -> None:
    staff, plan = one_unit(10)
    result = solve_checked(staff, plan)
    year = result.nominations[0].year
    extra = Nomination(official_id=free_people(staff, result)[0], program="MASTER", year=year)
    violations = check_plan(staff, plan, [*result.nominations, extra], [])
    assert rules_of(violations) == {"unit_cap"}
    assert "Sở Tài chính năm" in violations[0].message_vi
    assert "2 people away on multi-year programs (2 planned, 0 from the history) of 10 staff" in (
        violations[0].message_en
    )


def test_solver_sends_at_most_the_cap_of_a_unit_away() -> None:
    staff, plan = one_unit(20)
    result = solve_checked(staff, plan)
    assert max(away_per_year(staff, plan, result, "Sở Tài chính").values()) == 2
    assert result.shortfalls[0].achieved < 20


def history_over_the_cap() -> tuple[Roster, Scenario]:
    """Ten people, three of them away on a PHD from the history in 2025-2027 (cap 1)."""
    history = [TrainingRecord(official_id=f"CB{i:05d}", program="PHD", year=2025) for i in range(3)]
    return one_unit(10, history)


def test_history_over_the_cap_is_not_the_plans_fault() -> None:
    staff, plan = history_over_the_cap()
    result = solve_checked(staff, plan)
    assert [n.year for n in result.nominations] == [2028]


def test_checker_reports_a_plan_start_in_a_year_the_history_fills() -> None:
    staff, plan = history_over_the_cap()
    result = solve_checked(staff, plan)
    at_work = [p for p in free_people(staff, result) if p not in {r.official_id for r in staff.history}]
    extra = Nomination(official_id=at_work[0], program="MASTER", year=2026)
    violations = check_plan(staff, plan, [*result.nominations, extra], [])
    assert rules_of(violations) == {"unit_cap"}
    assert [v.year for v in violations] == [2026, 2027]
    assert "(1 planned, 3 from the history)" in violations[0].message_en
