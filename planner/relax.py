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

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

log = logging.getLogger(__name__)

#: Values closer than this to an integer count as integral.
INTEGRAL = 1e-6
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
        """An LP solution with the given variables integral: the least fractional one is fixed
        to its better side, one at a time. None when it runs out of solves or into infeasibility."""
        solves = 0
        try:
            while solves < max_solves:
                if self._solve() is None:
                    return None
                solves += 1
                values = [column.solution_value() for column in self.columns]
                fractional = [(i, values[i]) for i in integers if _fractional(values[i])]
                if not fractional:
                    log.info("dive: integral after %d LP solves", solves)
                    return values
                index, value = min(fractional, key=lambda item: (abs(item[1] - round(item[1])), item[0]))
                best = None
                for side in (math.floor(value), math.ceil(value)):
                    self.columns[index].SetBounds(side, side)
                    solves += 1
                    objective = self._solve()
                    if objective is not None and (best is None or objective < best[0] - INTEGRAL):
                        best = (objective, side)
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
    model: cp_model.CpModel, values: list[float], counts: list[int], work: float
) -> dict[int, int] | None:
    """A CP-SAT solution agreeing with `values` on every count that is integral there.

    The few fractional counts are left to a short CP-SAT search (`work` deterministic units)
    on a copy of the model; None when that copy has no solution or none was found in time.
    """
    copy = model.clone()
    for index in counts:
        domain = copy.proto.variables[index].domain
        if not _fractional(values[index]) and len(domain) == 2:
            domain[0] = domain[1] = round(values[index])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = work
    if solver.solve(copy) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
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
