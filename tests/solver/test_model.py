"""The model's constraint families that can be tested on their own."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from models import Roster
from planner.solver.cohorts import build_population
from planner.solver.model import PlanModel, conflict_cliques
from planner.solver.patterns import singles
from tests.factories import class_program, official, scenario, slot_program


def test_a_multi_year_start_conflicts_with_another_program_in_each_year_it_keeps_someone_away() -> None:
    plan_scenario = scenario([class_program("DUTY"), slot_program("MASTER", duration_years=2)])
    starts = (("DUTY", 2023), ("DUTY", 2024), ("DUTY", 2025), ("MASTER", 2023), ("MASTER", 2024))
    duration = {p.code: p.duration_years for p in plan_scenario.programs}
    cliques = [[start for (start,) in c] for c in conflict_cliques(tuple(singles(starts)), duration)]
    # one person cannot take DUTY twice, nor DUTY during a master's: DUTY 2023, DUTY 2024 and a
    # master's from 2023 need three people (the per-year and per-program rules allow two)
    assert [("DUTY", 2023), ("DUTY", 2024), ("MASTER", 2023)] in cliques
    assert all(len(set(c)) == len(c) for c in cliques)
    assert [("DUTY", 2025), ("MASTER", 2023)] not in cliques  # compatible: the master's ends in 2024


@pytest.mark.parametrize("split", [frozenset(), frozenset({"Sở A", "Sở B"})])
def test_units_send_no_more_away_than_their_caps_from_the_first_year_of_a_start(
    split: frozenset[str],
) -> None:
    """Two units of 4 (one person of each may be away a year) and a two-year program whose only
    start is the plan's last year: at most 2 people start it, whether the units are modelled one
    by one (`split`) or only through the cap their cohort's members have together."""
    program = slot_program("MASTER", duration_years=2, places_per_year_max=8, years=[2028])
    people = Roster(officials=[official(i, unit="Sở A" if i < 4 else "Sở B") for i in range(8)])
    plan_model = PlanModel(build_population(people, scenario([program]), split_units=split))
    plan_model.model.maximize(sum(plan_model.n.values()))
    solver = cp_model.CpSolver()
    assert solver.solve(plan_model.model) == cp_model.OPTIMAL
    assert solver.objective_value == 2
