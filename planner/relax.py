"""The plan model read as a linear program: a bound on each objective level and a first plan.

CP-SAT with one worker proves bounds on these count models well but improves a plan slowly
(at 25,000 officials it stayed at the greedy plan for several seconds of work). Every
constraint of `PlanModel` is linear, so the same model solved as a linear program (GLOP,
warm-started) gives a bound on a level in a fraction of a second, and its solution is integral
but for a few dozen counts. Rounding the class counts one at a time, each to the side whose
linear program is better (a dive), then fixing every count that came out integral leaves
CP-SAT a small completion problem. Measured in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

log = logging.getLogger(__name__)

#: Values closer than this to an integer count as integral.
INTEGRAL = 1e-6
#: A value this close to an integer is rounded to it in a dive without trying the other side.
NEAR = 0.3
#: GLOP without presolve re-solves from the previous basis after a bound change (~50 times faster).
GLOP_PARAMETERS = "use_preprocessing: false"


class Relaxation:
    """The linear relaxation of a CP-SAT model with linear constraints only."""

    def __init__(self, model: cp_model.CpModel):
        self.model = model
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        self.lp.SetSolverSpecificParametersAsString(GLOP_PARAMETERS)
        infinity = self.lp.infinity()
        self.columns = []
        for variable in model.proto.variables:
            domain = list(variable.domain)
            self.columns.append(self.lp.NumVar(domain[0], domain[-1], ""))
        self.bounds = [(column.lb(), column.ub()) for column in self.columns]
        for constraint in model.proto.constraints:
            if not constraint.has_linear() or len(constraint.enforcement_literal):
                raise ValueError("the relaxation reads linear constraints only")
            linear = constraint.linear
            domain = list(linear.domain)
            low = domain[0] if domain[0] > cp_model.INT_MIN else -infinity
            high = domain[-1] if domain[-1] < cp_model.INT_MAX else infinity
            row = self.lp.Constraint(low, high)
            for index, coefficient in zip(linear.vars, linear.coeffs, strict=True):
                row.SetCoefficient(self.columns[index], coefficient)
        self.offset = 0.0

    def minimize_objective(self) -> float | None:
        """Load the CP-SAT model's current objective and return its LP minimum (None if infeasible)."""
        objective = self.lp.Objective()
        objective.Clear()
        proto = self.model.proto.objective
        for index, coefficient in zip(proto.vars, proto.coeffs, strict=True):
            objective.SetCoefficient(self.columns[index], coefficient)
        self.offset = proto.offset
        objective.SetMinimization()
        self._reset()
        return self._solve()

    def add_objective_limit(self, limit: float) -> None:
        """Keep the current objective at most `limit` (a level fixed before the next)."""
        row = self.lp.Constraint(-self.lp.infinity(), limit - self.offset)
        proto = self.model.proto.objective
        for index, coefficient in zip(proto.vars, proto.coeffs, strict=True):
            row.SetCoefficient(self.columns[index], coefficient)

    def dive(self, integers: list[int], max_solves: int) -> list[float] | None:
        """An LP solution with the given variables integral, fixing one at a time: the least
        fractional first, to its nearer side, or to the side with the better LP when it is
        nearly half-way. None when out of solves or when both sides fail."""
        solves = 0
        try:
            while solves < max_solves:
                if self._solve() is None:
                    return None
                solves += 1
                fractional = [(i, v) for i in integers if _fractional(v := self.columns[i].solution_value())]
                if not fractional:
                    log.info("dive: integral after %d LP solves", solves)
                    return [column.solution_value() for column in self.columns]
                index, value = min(fractional, key=lambda item: (abs(item[1] - round(item[1])), item[0]))
                near = round(value)
                best = None
                for side in (near, math.floor(value) + math.ceil(value) - near):
                    self.columns[index].SetBounds(side, side)
                    solves += 1
                    objective = self._solve()
                    if objective is not None and (best is None or objective < best[0] - INTEGRAL):
                        best = (objective, side)
                    if best is not None and abs(value - near) < NEAR:
                        break
                if best is None:
                    return None
                self.columns[index].SetBounds(best[1], best[1])
            log.info("dive: stopped after %d LP solves", solves)
            return None
        finally:
            self._reset()

    def _solve(self) -> float | None:
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        return self.lp.Objective().Value() + self.offset

    def _reset(self) -> None:
        for column, (low, high) in zip(self.columns, self.bounds, strict=True):
            column.SetBounds(low, high)


def _fractional(value: float) -> bool:
    return abs(value - round(value)) > INTEGRAL


def complete(
    model: cp_model.CpModel,
    values: list[float],
    counts: list[int],
    related: Callable[[set[int]], set[int]],
    work: float,
) -> dict[int, int] | None:
    """A CP-SAT solution agreeing with `values` on the counts that are integral there.

    The fractional counts are left to a short CP-SAT search (`work` deterministic units, half
    per try) on a copy of the model; if that copy has no solution, the counts `related` to
    them are freed too. None when neither try finds a solution.
    """
    fractional = {i for i in counts if _fractional(values[i])}
    solution = _fix_and_solve(model, values, counts, fractional, work / 2)
    if solution is None:
        solution = _fix_and_solve(model, values, counts, fractional | related(fractional), work / 2)
    return solution


def _fix_and_solve(
    model: cp_model.CpModel, values: list[float], counts: list[int], free: set[int], work: float
) -> dict[int, int] | None:
    """A solution of a copy of the model with every count but the `free` ones fixed to its value."""
    copy = model.clone()
    for index in counts:
        domain = copy.proto.variables[index].domain
        if index not in free and len(domain) == 2:
            domain[0] = domain[1] = round(values[index])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = work
    if solver.solve(copy) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        log.info("completion with %d counts free: no plan", len(free))
        return None
    return {i: solver.value(copy.get_int_var_from_proto_index(i)) for i in range(len(values))}


def satisfies(model: cp_model.CpModel, values: dict[int, int]) -> bool:
    """Whether the values meet every variable domain and linear constraint of the model."""
    proto = model.proto
    for index, variable in enumerate(proto.variables):
        domain = list(variable.domain)
        if not any(low <= values[index] <= high for low, high in zip(domain[::2], domain[1::2], strict=True)):
            return False
    for constraint in proto.constraints:
        linear = constraint.linear
        total = sum(c * values[i] for i, c in zip(linear.vars, linear.coeffs, strict=True))
        domain = list(linear.domain)
        if not any(low <= total <= high for low, high in zip(domain[::2], domain[1::2], strict=True)):
            return False
    return True
