"""The model's constraint families that can be tested on their own."""

from __future__ import annotations

from planner.solver.model import conflict_cliques
from planner.solver.patterns import singles
from tests.factories import class_program, scenario, slot_program


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
