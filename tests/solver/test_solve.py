"""The optimizer on the bundled sample and on small provinces: valid, explained, never worse than greedy."""

from __future__ import annotations

import logging

import pytest

from models import Rules, SolverSettings
from planner.analysis.check import check_plan
from planner.analysis.shortfalls import weighted_shortfall
from planner.io.roster import read_roster
from planner.io.scenario import load_scenario
from planner.sample import SAMPLE_ROSTER_PATH, generate_roster
from planner.solver.solve import solve
from tests.factories import class_program, roster, scenario, slot_program


def test_the_seed_plan_on_the_bundled_sample_passes_the_checker_with_its_shortfalls_explained() -> None:
    roster = read_roster(SAMPLE_ROSTER_PATH)
    scenario = load_scenario("scenarios/plan-2023-2025.toml")
    result = solve(roster, scenario, SolverSettings(time_limit=4))
    assert result.status in ("OPTIMAL", "FEASIBLE", "FALLBACK")
    assert check_plan(roster, scenario, result.nominations, result.classes) == []
    assert result.shortfalls, "the small sample cannot fill 3 LEAD classes a year"
    lead = [s for s in result.shortfalls if s.code == "LEAD" and s.kind == "classes"]
    assert lead and all("LEAD" in s.reason.vi and s.reason.en for s in lead)
    assert all(s.missing > 0 and s.reason.vi and s.reason.en for s in result.shortfalls)


@pytest.mark.parametrize(("size", "seed", "path"), [
    (400, 1, "scenarios/orientation-2026-2030.toml"),
    (700, 2, "scenarios/orientation-2026-2030-tight.toml"),
    (500, 3, "scenarios/plan-2023-2025.toml"),
])  # fmt: skip
def test_the_optimizer_never_falls_shorter_than_the_greedy_baseline(size: int, seed: int, path: str) -> None:
    scenario = load_scenario(path)
    structure = "2023" if scenario.start_year < 2026 else "2025"
    roster = generate_roster(size, seed=seed, structure=structure, reference_year=scenario.start_year)
    optimized = solve(roster, scenario, SolverSettings(time_limit=2))
    greedy = solve(roster, scenario, method="greedy")
    # `solve` returns the greedy plan whenever it falls shorter less (status FALLBACK), so the
    # comparison below says something only about the optimizer's own plan
    assert optimized.method == "cpsat", optimized.notes
    assert check_plan(roster, scenario, optimized.nominations, optimized.classes) == []
    assert check_plan(roster, scenario, greedy.nominations, greedy.classes) == []
    assert weighted_shortfall(scenario, optimized.shortfalls) <= weighted_shortfall(
        scenario, greedy.shortfalls
    )


def test_units_whose_cap_binds_after_naming_are_split_and_every_level_solved_again(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, province
) -> None:
    scenario = load_scenario("scenarios/orientation-2026-2030.toml")
    roster = province(600, seed=5)
    monkeypatch.setattr("planner.solver.cohorts.likely_capped_units", lambda population: frozenset())
    with caplog.at_level(logging.INFO, logger="planner.solver.solve"):
        result = solve(roster, scenario, SolverSettings(time_limit=3))
    assert any("unit caps bind" in record.getMessage() for record in caplog.records)
    assert check_plan(roster, scenario, result.nominations, result.classes) == []
    # the split round's plan is returned, every level solved: without that round the names lost
    # so much that the greedy plan fell shorter less (a unit may still bind after it: a note says
    # how many places were left without a name)
    assert result.status != "FALLBACK"
    assert [level.name for level in result.levels] == list(scenario.objective.order)
    greedy = solve(roster, scenario, method="greedy")
    assert weighted_shortfall(scenario, result.shortfalls) < weighted_shortfall(scenario, greedy.shortfalls)


def test_regression_five_cycle_of_starts_no_place_counted_that_nobody_can_take() -> None:
    """Two interchangeable people, starts MASTER 2026 (two years), LEAD 2026 and 2028, DUTY 2027
    and 2028: their conflicts form a five-cycle, so two people can take four of them. The
    clique constraints alone let the model count five, and naming dropped one (the sample's
    "places could not be given a name")."""
    programs = [
        class_program("LEAD", class_size_min=1, class_size_max=2, years=[2026, 2028]),
        class_program("DUTY", class_size_min=1, class_size_max=2, years=[2027, 2028]),
        slot_program("MASTER", years=[2026]),
    ]
    plan_scenario = scenario(programs, rules=Rules(away_share_max=1.0))
    people = roster(2, unit="Sở 0")
    result = solve(people, plan_scenario, SolverSettings(time_limit=2))
    assert check_plan(people, plan_scenario, result.nominations, result.classes) == []
    assert result.stats["unnamed"] == 0
    assert len(result.nominations) == 4  # each person two starts: the most the cycle allows
    assert result.stats["counted_merit"] == result.levels[1].objective


def test_regression_ctrl_c_after_the_levels_keeps_the_solved_plan(
    monkeypatch: pytest.MonkeyPatch, province
) -> None:
    """A Ctrl-C after a round's levels, while its people were being named, returned the greedy
    plan ('before the solver had a plan'): the solved round is named and kept, marked stopped."""
    import planner.solver.solve as solve_module

    scenario = load_scenario("scenarios/orientation-2026-2030.toml")
    real = solve_module.assign_units
    calls: list[int] = []

    def interrupted_once(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(solve_module, "assign_units", interrupted_once)
    result = solve(province(600, seed=5), scenario, SolverSettings(time_limit=5))
    assert result.method == "cpsat", result.notes
    assert solve_module.STOPPED_NOTE in result.notes
    assert len(calls) == 2, "named once after the Ctrl-C, no further round"
