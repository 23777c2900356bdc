"""The greedy baseline (planner/solver/greedy.py): a valid plan, the yearly minimums served first."""

from __future__ import annotations

from collections import Counter

import pytest

from models import Program, Quota, Rating, Roster, Scenario
from planner.analysis.check import check_plan
from planner.io.scenario import load_scenario
from planner.sample import generate_roster
from planner.solver.cohorts import build_population
from planner.solver.greedy import greedy_plan
from planner.solver.naming import form_classes
from tests.factories import official, scenario, slot_program


def shrunk(plan: Scenario, by: int) -> Scenario:
    """The scenario for a province `by` times smaller: class sizes, places, quotas and budget divided
    (rounded up), so that a few hundred officials fill classes and meet every limit."""

    def less(value: int | None) -> int | None:
        return None if value is None else -(-value // by)

    def program(p: Program) -> Program:
        sizes = {"class_size_min": less(p.class_size_min), "class_size_max": less(p.class_size_max)}
        places = {
            "places_per_year_min": less(p.places_per_year_min),
            "places_per_year_max": less(p.places_per_year_max),
        }
        return p.model_copy(update={**sizes, **places})

    def quota(q: Quota) -> Quota:
        return q.model_copy(
            update={"min_per_year": less(q.min_per_year), "max_per_year": less(q.max_per_year)}
        )

    budget = plan.budget.model_copy(update={"factor": plan.budget.factor / by})
    return plan.model_copy(
        update={
            "programs": [program(p) for p in plan.programs],
            "quotas": [quota(q) for q in plan.quotas],
            "budget": budget,
        }
    )


@pytest.mark.parametrize(("path", "size", "seed", "by"), [
    ("scenarios/plan-2023-2025.toml", 300, 1, 1),
    ("scenarios/plan-2023-2025.toml", 300, 2, 5),
    ("scenarios/orientation-2026-2030.toml", 300, 3, 1),
    ("scenarios/orientation-2026-2030.toml", 400, 4, 5),
    ("scenarios/orientation-2026-2030-tight.toml", 400, 5, 5),
])  # fmt: skip
def test_the_greedy_plan_passes_the_checker(path: str, size: int, seed: int, by: int) -> None:
    """The shipped scenarios as they are (`by` 1: at a few hundred officials mostly study places) and
    shrunk five times (classes form, the budget and the quotas bind)."""
    plan = shrunk(load_scenario(path), by)
    structure = "2023" if plan.start_year < 2026 else "2025"
    roster = generate_roster(size, seed=seed, structure=structure, reference_year=plan.start_year)
    chosen, classes = greedy_plan(build_population(roster, plan))
    assert chosen, "a province of a few hundred has somebody to send"
    nominations, infos, dropped = form_classes(chosen, classes, plan, roster.by_id())
    assert dropped == 0  # its class counts hold everybody it chose
    assert check_plan(roster, plan, nominations, infos) == []


def test_the_yearly_minimums_are_served_before_the_other_programs_fill_up() -> None:
    """Three interchangeable people and one year. EXTRA comes first in the scenario and could take
    all three; REQUIRED has a yearly minimum of 2 places. Filling program by program would give
    EXTRA all three and leave REQUIRED short; serving the minimums first gives REQUIRED its 2 and
    EXTRA the one left (a person starts one program a year)."""
    extra = slot_program("EXTRA", duration_years=1, places_per_year_max=3, years=[2026])
    required = slot_program(
        "REQUIRED", duration_years=1, places_per_year_min=2, places_per_year_max=2, years=[2026]
    )
    people = Roster(officials=[official(i) for i in range(3)])
    chosen, _ = greedy_plan(build_population(people, scenario([extra, required])))
    assert Counter((program, year) for _, program, year in chosen) == {
        ("REQUIRED", 2026): 2,
        ("EXTRA", 2026): 1,
    }
    assert len({official_id for official_id, _, _ in chosen}) == 3


@pytest.mark.parametrize(("overrides", "taken"), [
    ({}, "CB00001"),  # the higher merit score; between equal scores the lower id
    ({2: {"title_year": 2027}}, "CB00002"),  # a title appointment near: before any score
    ({2: {"title_year": 2027}, 1: {"title_year": 2026}}, "CB00001"),  # the nearer title first
])  # fmt: skip
def test_the_one_place_goes_to_the_first_in_the_ranking(overrides: dict[int, dict], taken: str) -> None:
    """Three people for one place: CB00000 rated done, CB00001 and CB00002 excellent."""
    program = slot_program("ONE", duration_years=1, places_per_year_max=1, years=[2026])
    ratings = [Rating.DONE, Rating.EXCELLENT, Rating.EXCELLENT]
    people = Roster(officials=[official(i, rating=r, **overrides.get(i, {})) for i, r in enumerate(ratings)])
    chosen, _ = greedy_plan(build_population(people, scenario([program])))
    assert chosen == [(taken, "ONE", 2026)]
