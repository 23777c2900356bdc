"""Fixtures of the solver tests: a small generated province and the optimum of one level."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from ortools.sat.python import cp_model

from planner.io.scenario import load_scenario
from planner.solver.cohorts import Population, build_population
from planner.solver.model import PlanModel
from planner.solver.relax import solution_values

Optimum = Callable[[PlanModel, str], tuple[float, dict[int, int]]]


@pytest.fixture(scope="module")
def small(province) -> Population:
    """600 officials under the orientation scenario."""
    return build_population(province(600, seed=5), load_scenario("scenarios/orientation-2026-2030.toml"))


def _optimum(plan_model: PlanModel, level: str) -> tuple[float, dict[int, int]]:
    plan_model.model.minimize(plan_model.objectives[level])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    assert solver.solve(plan_model.model) == cp_model.OPTIMAL
    return solver.objective_value, solution_values(solver)


@pytest.fixture
def optimum() -> Optimum:
    """The level's optimal value on the model as it stands and a plan that reaches it (CP-SAT)."""
    return _optimum
