"""The optimizer on the bundled sample and on small provinces: valid, explained, never worse than greedy."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from models import Nomination, Rating, Roster, Rules, SolverSettings, default_time_limit
from planner.analysis.check import check_plan
from planner.analysis.shortfalls import weighted_shortfall
from planner.io.roster import read_roster
from planner.io.scenario import load_scenario
from planner.report.status import plan_status
from planner.sample import SAMPLE_ROSTER_PATH, generate_roster
from planner.solver.solve import solve
from planner.solver.stop import stop_event, stop_with
from tests.factories import class_program, official, roster, scenario, slot_program


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


@pytest.mark.parametrize(("gap", "draft", "rounds"), [(0.5, False, 1), (0.0, False, 2), (0.5, True, 2)])
def test_a_round_models_the_units_only_when_others_in_the_empty_places_leave_a_level_s_gap(
    monkeypatch: pytest.MonkeyPatch, gap: float, draft: bool, rounds: int
) -> None:
    """Sở A may send one person away and its two best (both pipeline, rated excellent and good)
    are in two cohorts the model counts apart, so naming leaves one master's place empty. Sở B's
    person in it keeps merit 17 of the bound 22: within a gap of 0.5 that plan is written after one
    round; with no gap a second round models Sở A and names its best with Sở B's (19). Replanning
    from a draft, the units are modelled too: others in the places would move the draft's names."""
    monkeypatch.setattr("planner.solver.cohorts.likely_capped_units", lambda population: frozenset())
    plan_scenario = scenario(
        [slot_program("MASTER", years=[2026])], rules=Rules(away_share_max=0.01, away_min_allowed=1)
    )
    people = _two_units()
    previous = [Nomination(official_id=f"CB0000{i}", program="MASTER", year=2026) for i in (0, 2)]
    result = solve(people, plan_scenario, SolverSettings(gap=gap), previous=previous if draft else ())
    assert check_plan(people, plan_scenario, result.nominations, result.classes) == []
    assert result.stats["rounds"] == rounds
    assert result.stats["refilled"] == (rounds == 1)  # others took the empty place, or none was left
    assert all(level.gap <= gap for level in result.levels)
    if not draft:  # (from the draft, any plan within the wide gap: its people may differ)
        named = {n.official_id for n in result.nominations}
        assert named == {"CB00001" if rounds == 1 else "CB00000", "CB00002"}


def _two_units() -> Roster:
    """Sở A's two best (pipeline, rated excellent and good), Sở B's two others."""
    return Roster(
        officials=[
            official(
                i,
                unit="Sở A" if i < 2 else "Sở B",
                pipeline=i < 2,
                rating=Rating.GOOD if i else Rating.EXCELLENT,
            )
            for i in range(4)
        ]
    )


def test_no_round_starts_that_could_not_solve_its_roots_before_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A round's levels solve their root LPs whatever the clock: a round started just before the
    deadline ran on past it by that much (25,000 officials, `--time-limit 10`: 14.6 s). Here each
    root takes 0.6 s: a second round, due after the first two (1.2 s), could not end its three
    roots (1.8 s) in the 2.5 s; others take the place."""
    import planner.solver.relax as relax_module

    monkeypatch.setattr("planner.solver.cohorts.likely_capped_units", lambda population: frozenset())
    real = relax_module.LinearRelaxation.minimize_objective

    def slow_root(self: object) -> float | None:
        time.sleep(0.6)
        return real(self)  # type: ignore[arg-type]

    monkeypatch.setattr(relax_module.LinearRelaxation, "minimize_objective", slow_root)
    plan_scenario = scenario(
        [slot_program("MASTER", years=[2026])], rules=Rules(away_share_max=0.01, away_min_allowed=1)
    )
    people = _two_units()
    result = solve(people, plan_scenario, SolverSettings(gap=0.0, time_limit=2.5))
    assert (result.stats["rounds"], result.stats["refilled"]) == (1, 1)  # two rounds without the deadline
    assert result.wall_time < 2.5
    assert check_plan(people, plan_scenario, result.nominations, result.classes) == []


@pytest.mark.parametrize(("officials", "seconds"), [(10, 60), (150_000, 60), (225_000, 90), (300_000, 120)])
def test_the_default_time_limit_is_60_s_per_150_000_officials_and_never_less(
    officials: int, seconds: float
) -> None:
    """At 300,000 officials the search needs about 70 s on a 2-core machine: 60 s cut it."""
    assert default_time_limit(officials) == seconds
    assert SolverSettings().for_roster(officials).time_limit == seconds
    assert SolverSettings(time_limit=5).for_roster(officials).time_limit == 5


def test_a_solve_given_no_time_limit_gets_the_default_for_its_roster_s_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import planner.solver.solve as solve_module

    limits: list[float | None] = []
    real = solve_module._Rounds.__init__

    def spy(self: object, population: object, settings: SolverSettings, *rest: object) -> None:
        limits.append(settings.time_limit)
        real(self, population, settings, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(solve_module._Rounds, "__init__", spy)
    monkeypatch.setattr("models.plan.OFFICIALS_PER_DEFAULT_LIMIT", 2)
    people = _two_units()
    plan_scenario = scenario([slot_program("MASTER", years=[2026])])
    solve(people, plan_scenario)
    solve(people, plan_scenario, SolverSettings(time_limit=5))
    assert limits == [60 * len(people.officials) / 2, 5]


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
    assert solve_module.STOPPED_NOTE in result.notes and result.stop == "cut"
    assert len(calls) == 2, "named once after the Ctrl-C, no further round"


def test_a_stop_set_from_another_thread_ends_the_search_with_its_best_plan(province) -> None:
    """As a Dask task is stopped: no signal, an event; set as the merit level reports its first
    plan, the search ends and the plan so far is returned, checked and marked stopped."""
    import planner.solver.solve as solve_module

    people = province(2000, seed=7)
    plan_scenario = load_scenario("scenarios/orientation-2026-2030.toml")
    stop = threading.Event()

    def progress(level: str, *_: float) -> None:
        if level == "merit":
            stop.set()

    result = solve(people, plan_scenario, SolverSettings(time_limit=300), progress=progress, stop=stop)
    assert stop.is_set() and result.method == "cpsat"
    assert solve_module.STOPPED_NOTE in result.notes
    # the stop is seen at the next check (in the merit level, or as the cost level starts): no more
    assert result.levels[-1].stopped_by_user and result.levels[-1].name in ("merit", "cost")
    assert result.wall_time < 100
    assert check_plan(people, plan_scenario, result.nominations, result.classes) == []


def test_a_solve_in_a_thread_stops_on_the_event_set_for_that_thread(province) -> None:
    import planner.solver.solve as solve_module

    people = province(600, seed=5)
    plan_scenario = load_scenario("scenarios/orientation-2026-2030.toml")
    event, solved = threading.Event(), []

    def run() -> None:
        with stop_with(event):
            solved.append(solve(people, plan_scenario, SolverSettings(time_limit=300)))

    event.set()
    worker = threading.Thread(target=run)
    worker.start()
    worker.join(120)
    assert not worker.is_alive() and solve_module.STOPPED_NOTE in solved[0].notes
    assert stop_event() is None  # the event was this thread's only (and the other's only while it solved)


def test_a_stop_that_comes_once_the_levels_are_solved_cuts_nothing_and_says_nothing(
    province, monkeypatch
) -> None:
    """The web app's Stop clicked as the plan was being named: the plan was complete, and was
    marked "stopped: the best plan so far" beside levels proven optimal. Now the same plan as
    without the stop, not marked."""
    import planner.solver.solve as solve_module

    people = province(600, seed=5)
    plan_scenario = load_scenario("scenarios/plan-2023-2025.toml")
    settings = SolverSettings(time_limit=30)
    alone = solve(people, plan_scenario, settings)
    assert alone.stats["rounds"] == 1  # no round would follow the first
    stop = threading.Event()
    real = solve_module._Rounds._named_round

    def stopped_while_naming(self, *args):
        stop.set()
        return real(self, *args)

    monkeypatch.setattr(solve_module._Rounds, "_named_round", stopped_while_naming)
    late = solve(people, plan_scenario, settings, stop=stop)
    assert stop.is_set() and solve_module.STOPPED_NOTE not in late.notes
    assert not any(level.stopped_by_user for level in late.levels)
    assert late.nominations == alone.nominations
    assert (alone.stop, late.stop) == ("", "after"), "whoever solves more plans stops after this one"


def test_a_plan_whose_later_levels_a_stop_cut_off_is_not_called_optimal(province, monkeypatch) -> None:
    """Stopped right after a proven shortfall level, the web page said "Optimal plan, proven"
    though merit and cost were never solved."""
    import planner.solver.relax as relax_module
    import planner.solver.solve as solve_module

    stop = threading.Event()
    real = relax_module.LinearRelaxation.search

    def then_stop(self, *args, **kwargs):
        found = real(self, *args, **kwargs)
        stop.set()  # as the first level's search ends
        return found

    monkeypatch.setattr(relax_module.LinearRelaxation, "search", then_stop)
    people = province(600, seed=5)
    result = solve(people, load_scenario("scenarios/plan-2023-2025.toml"), SolverSettings(), stop=stop)
    assert [(level.name, level.status) for level in result.levels] == [("shortfall", "OPTIMAL")]
    assert result.status == "FEASIBLE" and solve_module.STOPPED_NOTE in result.notes
    assert result.unsolved_levels == ["merit", "cost"]
    assert plan_status(result, "en").startswith(
        "The plan at the stop: not solved “Highest merit”, “Lowest cost”;"
    )
    assert "chưa giải mức “Ưu tiên người có điểm cao”, “Tiết kiệm kinh phí”;" in plan_status(result, "vi")
