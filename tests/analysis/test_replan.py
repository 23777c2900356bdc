"""The yearly cycle: approved lists stay, pins and excludes are honoured, changes are bounded."""

from __future__ import annotations

from datetime import date

import pytest

from models import Budget, Decision, Nomination, RoleGroup, Roster, SolverSettings, Target
from planner.analysis.check import check_plan
from planner.io.errors import InputError
from planner.solver.solve import solve
from tests.factories import class_program, official, scenario, slot_program

SETTINGS = SolverSettings(time_limit=10)


def _scenario():
    return scenario(
        [class_program("DUTY", classes_per_year_max=1), slot_program("MASTER", places_per_year_max=1)],
        start_year=2026,
        end_year=2030,
        targets=[Target(code="DUTY_ALL", name="all", programs=["DUTY"], share=1.0, deadline=2030)],
        budget=Budget(default=400_000_000),
    )


def _roster(count: int = 14) -> Roster:
    return Roster(officials=[official(i, unit=f"Sở {i % 2}") for i in range(count)])


@pytest.fixture(scope="module")
def first_plan():
    return solve(_roster(), _scenario(), SETTINGS)


def test_approved_year_is_kept_and_replanned_around_changes(first_plan):
    approved = [n for n in first_plan.nominations if n.year == 2026]
    assert approved
    removed = approved[0].official_id
    officials = [o for o in _roster().officials if o.id != removed]
    promoted = officials[1].model_copy(
        update={"role_group": RoleGroup.TRUONG_PHONG, "position": "Trưởng phòng"}
    )
    officials[1] = promoted
    officials += [official(100 + i, hired_date=date(2025, 9, 1)) for i in range(3)]
    roster = Roster(officials=officials)
    result = solve(roster, _scenario(), SETTINGS, approved=approved, previous=first_plan.nominations)
    planned = {(n.official_id, n.program, n.year) for n in result.nominations}
    for n in approved:
        if n.official_id != removed:
            assert (n.official_id, n.program, n.year) in planned
    assert [(i.official_id, i.program, i.year) for i in result.approval_issues] == [
        (removed, approved[0].program, 2026)
    ]
    assert {n.year for n in result.nominations if (n.official_id, n.program, n.year) not in {
        (a.official_id, a.program, a.year) for a in approved}} <= {2027, 2028, 2029, 2030}  # fmt: skip
    assert check_plan(roster, _scenario(), result.nominations, result.classes) == []


def test_pins_and_excludes_are_honoured(first_plan):
    nominated = {n.official_id for n in first_plan.nominations if n.program == "DUTY" and n.year == 2027}
    outsider = next(o.id for o in _roster().officials if o.id not in nominated)
    excluded = sorted(nominated)[0]
    decisions = [
        Decision(action="pin", official_id=outsider, program="DUTY", year=2027, reason="Giám đốc đề nghị"),
        Decision(action="exclude", official_id=excluded, reason="nghỉ thai sản"),
    ]
    result = solve(_roster(), _scenario(), SETTINGS, decisions=decisions)
    assert (
        Nomination(official_id=outsider, program="DUTY", year=2027, class_id="DUTY-2027-01")
        in result.nominations
    )
    assert excluded not in {n.official_id for n in result.nominations}
    assert check_plan(_roster(), _scenario(), result.nominations, result.classes) == []


def test_a_pin_that_breaks_a_rule_is_refused_naming_the_rule():
    too_old = Roster(officials=[*_roster().officials, official(99, education=official(0).education.MASTER)])
    pin = Decision(action="pin", official_id="CB00099", program="MASTER", year=2027)
    with pytest.raises(InputError) as error:
        solve(too_old, _scenario(), SETTINGS, decisions=[pin])
    assert "education" in error.value.report()


def test_changes_stay_within_the_bound(first_plan):
    gone = first_plan.nominations[-1].official_id
    roster = Roster(officials=[o for o in _roster().officials if o.id != gone])
    forced = sum(n.official_id == gone for n in first_plan.nominations)
    for bound in (0, 1, 4):
        result = solve(roster, _scenario(), SETTINGS, previous=first_plan.nominations, max_changes=bound)
        assert len(result.changes) - forced <= bound
        assert check_plan(roster, _scenario(), result.nominations, result.classes) == []


def test_unbounded_replan_lists_who_entered_and_left(first_plan):
    smaller = Roster(officials=_roster().officials[:10])
    result = solve(smaller, _scenario(), SETTINGS, previous=first_plan.nominations)
    left = {(c.official_id, c.program, c.year) for c in result.changes if c.change == "left"}
    gone = {(n.official_id, n.program, n.year) for n in first_plan.nominations if n.official_id not in
            {o.id for o in smaller.officials}}  # fmt: skip
    assert gone <= left


def test_manual_decisions_appear_in_the_reasons(first_plan):
    from planner.analysis.reasons import nomination_reasons, non_nomination_reasons
    from planner.solver.cohorts import build_population

    nominated = sorted(n.official_id for n in first_plan.nominations if (n.program, n.year) == ("DUTY", 2027))
    outsider = next(o.id for o in _roster().officials if o.id not in nominated)
    decisions = [
        Decision(action="pin", official_id=outsider, program="DUTY", year=2027, reason="Giám đốc đề nghị"),
        Decision(action="exclude", official_id=nominated[0], program="DUTY", reason="nghỉ thai sản"),
    ]
    result = solve(_roster(), _scenario(), SETTINGS, decisions=decisions)
    population = build_population(_roster(), _scenario(), decisions=decisions)
    assert "Giám đốc đề nghị" in nomination_reasons(population, result)[outsider, "DUTY", 2027][0]
    excluded = [r for r in non_nomination_reasons(population, result) if r.official_id == nominated[0]]
    assert excluded and "nghỉ thai sản" in excluded[0].reason.vi


def test_the_workbook_lists_fallen_approvals_and_moved_names(first_plan, tmp_path):
    import openpyxl

    from planner.report.workbook import write_workbook
    from planner.solver.cohorts import build_population

    approved = [n for n in first_plan.nominations if n.year == 2026]
    gone = approved[0].official_id
    roster = Roster(officials=[o for o in _roster().officials if o.id != gone])
    result = solve(roster, _scenario(), SETTINGS, approved=approved, previous=first_plan.nominations)
    path = tmp_path / "plan.xlsx"
    write_workbook(path, roster, _scenario(), result, build_population(roster, _scenario()))
    sheet = openpyxl.load_workbook(path)["Thay đổi"]
    ids = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert gone in ids
    assert len([i for i in ids if i and i.startswith("CB")]) == len(result.approval_issues) + len(
        result.changes
    )
