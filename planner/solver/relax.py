"""The plan model read as a linear program: a bound on each objective level and a first plan.

CP-SAT with one worker improves a plan on these count models slowly. Every constraint of `PlanModel` is linear,
and once the class counts k[p, y] are whole the rest is nearly a transportation problem whose LP
solution is whole but for a few counts. So each level runs a branch and bound over the class
counts only, with HiGHS's dual simplex for the rest (each node started from a saved basis): its
open nodes give a bound that holds for every plan, and each leaf (all class counts whole) is
completed to a plan by a short CP-SAT search over the few fractional counts (over all counts, if
that finds none).
The measurements behind these choices: benchmarks/RESULTS.md, "Why the solver is built so".
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math
import operator
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import highspy
import numpy as np
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model

from planner.solver.sat import one_worker_solver

log = logging.getLogger(__name__)

#: Values closer than this to an integer count as integral.
INTEGRAL = 1e-6
#: An LP basis saved and the LP's number of rows then (reading a basis's statuses copies them all).
_Basis = tuple[highspy.HighsBasis, int]
#: A node of the branch and bound: its LP bound, the order it was made in, the bounds it fixes,
#: and the LP basis it is solved from (its parent's or its sibling's; None: the root's).
_Node = tuple[float, int, dict[int, tuple[float, float]], _Basis | None]
#: A value this close to an integer is rounded to it in a plunge without trying the other side.
NEAR = 0.3
#: The dives that look for plans before the tree: to the nearer side, then up (more classes,
#: which the shortfall level often needs).
DIVES: tuple[Callable[[float], int], ...] = (round, math.ceil)
#: Leaves in a row without a plan that end the branch and bound once its plan is within
#: `STALL_GAP` of its bound: where the levels held leave few whole plans near the LP's (a tight
#: budget), no leaf completes and the bound stays where it is. A plan further from its bound is
#: worth the search's other leaves: at 4,000 officials, cost levels 1-3 % from their bound found
#: a plan within 0.15 % after 40-74 leaves without one.
MISSED_LEAVES = 8
STALL_GAP = 0.01
#: Work of a leaf's second completion (every count free) against its first.
WIDER_WORK = 5
#: HiGHS's settings: the dual simplex without presolve (which would lose the basis a node starts
#: from), one thread, silent. GLOP, used before, cannot save or set a basis: `benchmarks/run.py
#: --sizes 25000 150000` went from 21.4 / 8.2 / 52.0 / 21.4 s to 18.9 / 4.5 / 26.8 / 18.1 s
#: (benchmarks/RESULTS.md, History and "Why the solver is built so").
HIGHS_OPTIONS: dict[str, bool | int | str] = {
    "output_flag": False,
    "presolve": "off",
    "solver": "simplex",
    "simplex_strategy": 1,
    "threads": 1,
    "parallel": "off",
    "random_seed": 0,
}


#: A leaf's plan from its LP values and the search's bound so far (`Search.known`), if it has one.
Leaf = Callable[[list[float], float], dict[int, int] | None]


@dataclass
class Search:
    """What a branch and bound found: a bound on every plan, the best plan and its value."""

    bound: float
    upper: float
    plan: dict[int, int] | None = None
    solves: int = 0
    #: Whether the wall-clock deadline, not the LP solves allowed, ended the search.
    cut: bool = False
    #: Set from outside to end the search (`planner.solver.stop`).
    stop: threading.Event | None = None
    #: Leaves in a row that gave no plan (`MISSED_LEAVES` of them may end the search).
    missed: int = 0
    #: Whether the search ended because its last leaves gave no plan.
    stalled: bool = False
    #: After this many LP solves, a plan within this gap of the bound ends the search too.
    patience: tuple[int, float] | None = None
    #: Whether the search ended so.
    impatient: bool = False
    #: The least bound of the search so far: a leaf's plan within the gap of it ends the search.
    known: float = -math.inf

    def stalls(self, bound: float) -> bool:
        """Whether the last `MISSED_LEAVES` leaves gave no plan and the plan is within
        `STALL_GAP` of the `bound` (then `stalled` is set)."""
        self.stalled = self.missed >= MISSED_LEAVES and within_gap(self.upper, bound, STALL_GAP)
        return self.stalled

    def out_of_patience(self, bound: float) -> bool:
        """Whether the search has used its `patience` solves with a plan within its gap (then
        `impatient` is set)."""
        if self.patience is not None:
            solves, gap = self.patience
            self.impatient = self.solves >= solves and within_gap(self.upper, bound, gap)
        return self.impatient

    def out_of_time(self, deadline: float) -> bool:
        """Whether the wall clock has passed the `deadline` (then `cut` is set) or a stop was asked."""
        self.cut = self.cut or time.monotonic() >= deadline
        return self.cut or (self.stop is not None and self.stop.is_set())


class LinearRelaxation:
    """The linear relaxation of a CP-SAT model with linear constraints only."""

    def __init__(self, model: cp_model.CpModel):
        self.model = model
        proto = snapshot(model)
        lp = highspy.HighsLp()
        lp.num_col_ = self.size = len(proto.variables)  # sums (`add_sum`) are numbered after
        lp.col_cost_ = np.zeros(self.size)
        low_columns = [float(variable.domain[0]) for variable in proto.variables]
        high_columns = [float(variable.domain[-1]) for variable in proto.variables]
        lp.col_lower_, lp.col_upper_ = np.array(low_columns), np.array(high_columns)
        starts, indices, coefficients, lower, upper = [0], [], [], [], []
        for constraint in proto.constraints:
            if not constraint.HasField("linear") or constraint.enforcement_literal:
                raise ValueError("the relaxation reads linear constraints only")
            linear = constraint.linear
            indices.extend(linear.vars)
            coefficients.extend(linear.coeffs)
            starts.append(len(indices))
            low, high = linear.domain[0], linear.domain[-1]
            lower.append(low if low > cp_model.INT_MIN else -highspy.kHighsInf)
            upper.append(high if high < cp_model.INT_MAX else highspy.kHighsInf)
        lp.num_row_ = self.rows = len(lower)
        lp.row_lower_, lp.row_upper_ = np.array(lower, dtype=float), np.array(upper, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(coefficients, dtype=float)
        # the bare binding: highspy.Highs adds Python callbacks and prints a banner on stdout
        self.highs = highspy._Highs()  # type: ignore[attr-defined]
        for option, setting in HIGHS_OPTIONS.items():
            self.highs.setOptionValue(option, setting)
        if self.highs.passModel(lp) != highspy.HighsStatus.kOk:
            raise ValueError("the relaxation could not be loaded")
        self.bounds = list(zip(low_columns, high_columns, strict=True))
        self.sums: list[list[int]] = []
        self.sum_rows: dict[int, int] = {}
        self.moved: set[int] = set()  # columns whose bounds differ from `bounds`
        self.offset = 0.0
        #: The objective's variables and coefficients (`minimize_objective`).
        self.terms = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        self.x: list[float] = [0.0] * self.size  # the last LP solution
        self.root_basis: _Basis | None = None  # the basis of the last root solved
        #: Whether an LP solve ended neither optimal nor infeasible since the search began.
        self.troubled = False

    def minimize_objective(self) -> float | None:
        """Load the CP-SAT model's current objective and return its LP minimum (None if infeasible)."""
        proto = self.model.proto.objective
        self.terms = (np.array(proto.vars, dtype=np.int64), np.array(proto.coeffs, dtype=np.int64))
        cost = np.zeros(self.size)
        np.add.at(cost, self.terms[0], self.terms[1].astype(float))
        self.highs.changeColsCost(self.size, np.arange(self.size, dtype=np.int32), cost)
        self.offset = proto.offset
        self.root_basis = None
        self._reset()
        return self._solve()

    def add_sum(self, indices: Sequence[int]) -> int:
        """Register a sum of columns the search may branch on (whole when they are); its index,
        after the model's columns. Its row enters the LP only when first bounded, so that the
        LP (and the plans found) stay as they were where no search needs it."""
        self.sums.append(list(indices))
        self.bounds.append((-math.inf, math.inf))
        return len(self.bounds) - 1

    def add_objective_limit(self, limit: float) -> None:
        """Keep the current objective at most `limit` (a level fixed before the next)."""
        proto = self.model.proto.objective
        self._add_row(-highspy.kHighsInf, limit - self.offset, list(proto.vars), list(proto.coeffs))

    def search(  # noqa: PLR0913  the branch and bound's limits, all but the first four with defaults
        self,
        integers: list[int],
        leaf: Leaf,
        upper: float,
        gap: float,
        max_solves: int,
        guide: dict[int, tuple[float, float]] | None = None,
        strong: Sequence[int] = (),
        deadline: float = math.inf,
        floor: float = -math.inf,
        stop: threading.Event | None = None,
        patience: tuple[int, float] | None = None,
        charge: Callable[[], int] = lambda: 0,
    ) -> Search:
        """Branch and bound over the `integers` (the class counts), the rest left to the LP.

        Plans come from leaves (every integer whole), turned into plans by `leaf`; a plan better
        than `upper` (the current plan's value) becomes the one to beat. The first leaves: the
        `guide` bounds (the current plan's class counts, say), then one dive per `DIVES`
        rounding. Then best first, plunging from each node to a leaf: the least fractional
        integer to its nearer side (both sides solved when it is nearly half-way, the better
        taken), the other side left open with its bound. The `strong` integers (whole sums of
        the integers, say) come first: the root is split on the one whose children's bounds are
        the highest, and any node with one fractional is branched on it. Stops once the best
        plan is within `gap` of the least bound left open, or after `max_solves` LP solves, or at
        the wall-clock `deadline` (time.monotonic), or once `MISSED_LEAVES` leaves in a row gave no
        plan and the plan is within `STALL_GAP`; the bound returned holds for every plan of
        the model. `floor`: a bound known to hold already (it only ends the search sooner); `stop`,
        once set, ends it too; `patience`, (LP solves, gap): past those solves, a plan within that
        gap ends it too; `charge`, what the leaves' plans cost so far, in LP solves out of
        `max_solves`.
        """
        search = Search(bound=-math.inf, upper=upper, stop=stop, patience=patience)
        self.troubled = False
        frontier: list[_Node] = []
        settled = math.inf  # least LP value of the nodes closed without a better plan in them
        order = itertools.count()
        value: float | None  # a node's LP value (None: infeasible, or left open)
        try:
            root = self._solve_fixed({}, search)
            if root is None:
                return search
            frontier.append((root, next(order), {}, None))
            at_root = [(i, self._value(i)) for i in strong]
            root = search.known = max(root, floor)
            self._first_leaves(integers, leaf, search, guide, root, gap, deadline)
            if not within_gap(search.upper, root, gap) and not search.out_of_time(deadline):
                frontier = self._root_children(at_root, root, search, order, deadline)
                heapq.heapify(frontier)
            while frontier and search.solves + charge() < max_solves and not search.out_of_time(deadline):
                open_bound = search.known = max(floor, min(frontier[0][0], settled))
                if (
                    within_gap(search.upper, open_bound, gap)
                    or search.stalls(open_bound)
                    or search.out_of_patience(open_bound)
                ):
                    break
                value, _, fixed, basis = heapq.heappop(frontier)
                if not _hopeless(value, search.upper, gap):
                    value = self._solve_fixed(fixed, search, basis)
                while value is not None and not _hopeless(value, search.upper, gap):
                    values = [(i, self.x[i]) for i in integers]
                    fractional = [(i, v) for i, v in values if _fractional(v)]
                    if not fractional:
                        self._leaf(leaf, search)
                        break
                    if search.solves + charge() >= max_solves or search.out_of_time(
                        deadline
                    ):  # the node stays open
                        heapq.heappush(frontier, (value, next(order), fixed, self._basis()))
                        value = None
                        break
                    sums = [(i, v) for i in strong if _fractional(v := self._value(i))]
                    index, at = _least_fractional(sums or fractional)
                    low, high = fixed.get(index, self.bounds[index])
                    down = {**fixed, index: (low, math.floor(at))}
                    up = {**fixed, index: (math.ceil(at), high)}
                    near, far = (up, down) if round(at) > at else (down, up)
                    if abs(at - round(at)) < NEAR:  # the far side keeps its parent's bound until opened
                        heapq.heappush(frontier, (value, next(order), far, self._basis()))
                        fixed, value = near, self._solve_fixed(near, search)
                        continue
                    step = self._both_sides(near, far, value, search, frontier, order, deadline)
                    if step is None:  # the deadline passed: both sides left open
                        value = None
                        break
                    fixed, value = step
                if value is not None:
                    settled = min(settled, value)
            search.bound = min([settled, search.upper] + [node[0] for node in frontier])
            if self.troubled:  # a node left unsolved was dropped like an infeasible one
                search.bound = min(search.bound, root)
            return search
        finally:
            self._reset()

    def _both_sides(
        self,
        near: dict[int, tuple[float, float]],
        far: dict[int, tuple[float, float]],
        parent: float,
        search: Search,
        frontier: list[_Node],
        order: itertools.count,
        deadline: float,
    ) -> tuple[dict[int, tuple[float, float]], float | None] | None:
        """Solve both sides of a branch and go on with the better (the LP left holding it), the other
        left open; when the deadline passes in between, no LP solve starts: both sides stay open
        (one not solved with its `parent`'s value, a bound that holds for it) and None."""
        far_value = self._solve_fixed(far, search)
        if search.out_of_time(deadline):
            _keep_open(frontier, order, self._basis(), (parent, near), (far_value, far))
            return None
        fixed, value = near, self._solve_fixed(near, search)  # the LP holds the near side
        if far_value is not None and (value is None or far_value < value):
            if search.out_of_time(deadline):
                _keep_open(frontier, order, self._basis(), (value, near), (far_value, far))
                return None
            fixed, value, far, far_value = far, self._solve_fixed(far, search), near, value
        if far_value is not None:
            heapq.heappush(frontier, (far_value, next(order), far, self._basis()))
        return fixed, value

    def _first_leaves(
        self,
        integers: list[int],
        leaf: Leaf,
        search: Search,
        guide: dict[int, tuple[float, float]] | None,
        root: float,
        gap: float,
        deadline: float,
    ) -> None:
        """The plans of the first leaves, while the best is not within `gap` of the `root` bound:
        the `guide` bounds' leaf, then one dive per `DIVES` rounding."""
        if guide and not within_gap(search.upper, root, gap) and not search.out_of_time(deadline):
            value = self._solve_fixed(guide, search)
            if value is not None and not _hopeless(value, search.upper, gap):
                self._leaf(leaf, search)
        for rounding in DIVES:
            if not within_gap(search.upper, root, gap) and not search.out_of_time(deadline):
                self._dive(integers, leaf, search, rounding, deadline)

    def _root_children(
        self,
        at_root: list[tuple[int, float]],
        root: float,
        search: Search,
        order: itertools.count,
        deadline: float = math.inf,
    ) -> list[_Node]:
        """The root's two children on the strong integer (its index and root value in `at_root`)
        whose weaker child is the strongest (strong branching: every plan lies in one child of
        each integer, so the lesser child value of any of them is a bound), or the root itself
        when none raises its bound."""
        best: list[_Node] = [(root, next(order), {}, None)]
        strongest = root
        for index, value in at_root:
            if not _fractional(value):
                continue
            low, high = self.bounds[index]
            children: list[_Node] = []
            sides: tuple[dict[int, tuple[float, float]], ...] = (
                {index: (low, math.floor(value))},
                {index: (math.ceil(value), high)},
            )
            for bounds in sides:
                if search.out_of_time(deadline):  # this integer's children unknown: not used
                    return best
                if (child := self._solve_fixed(bounds, search)) is not None:
                    children.append((child, next(order), bounds, None))
            if (weaker := min((child[0] for child in children), default=math.inf)) > strongest:
                best, strongest = children, weaker
        return best

    def _dive(
        self,
        integers: list[int],
        leaf: Callable,
        search: Search,
        rounding: Callable,
        deadline: float = math.inf,
    ) -> None:
        """From the root down to a leaf, fixing every integer as soon as it is whole, and the
        least fractional one to the side `rounding` gives (else the other) at each step. Not part
        of the tree: it only looks for a plan (fixing what is whole leaves fewer ways to move)."""
        if self._solve_fixed({}, search) is None:  # no LP solution to dive from (the LP solver gave up)
            return
        fixed: dict[int, tuple[float, float]] = {}
        while not search.out_of_time(deadline):
            values = [(i, self.x[i]) for i in integers if i not in fixed]
            fixed |= {i: (round(v), round(v)) for i, v in values if not _fractional(v)}
            fractional = [(i, v) for i, v in values if _fractional(v)]
            if not fractional:
                self._leaf(leaf, search)
                return
            index, at = _least_fractional(fractional)
            for side in (rounding(at), math.floor(at) + math.ceil(at) - rounding(at)):
                if self._solve_fixed(fixed | {index: (side, side)}, search) is not None:
                    fixed[index] = (side, side)
                    break
            else:
                return

    def _leaf(self, leaf: Leaf, search: Search) -> None:
        plan = leaf(list(self.x), search.known)
        search.missed = 0 if plan is not None else search.missed + 1
        if plan is not None and (objective := self.value(plan)) < search.upper:
            search.upper, search.plan = objective, plan

    def value(self, plan: dict[int, int]) -> float:
        """`objective_value` of the objective last loaded (`minimize_objective`), from its terms read
        then: each read of the model's terms copies them one by one (at 300,000 officials a leaf's
        plan, the plan at hand and the best so far each read a level's 74,000 terms: 1.7 s in all).
        The level's own bookkeeping, a few reads a level, keeps `objective_value`."""
        variables = np.fromiter(plan.keys(), dtype=np.int64, count=len(plan))
        values = np.zeros(int(variables.max(initial=-1)) + 1, dtype=np.int64)
        values[variables] = np.fromiter(plan.values(), dtype=np.int64, count=len(plan))
        return self.offset + int(self.terms[1] @ values[self.terms[0]])

    def _solve_fixed(
        self,
        fixed: dict[int, tuple[float, float]],
        search: Search,
        basis: _Basis | None = None,
    ) -> float | None:
        """The LP minimum with the given bounds on some variables: the dual simplex from `basis`,
        else from the root's for the root and its children, else from the last."""
        self._reset()
        for index, (low, high) in fixed.items():
            self._set_bounds(index, low, high)
        self.moved.update(fixed)
        if basis is None and len(fixed) <= 1:
            basis = self.root_basis
        if basis is not None:
            self._start_from(basis)
        search.solves += 1
        value = self._solve()
        if not fixed and value is not None:
            self.root_basis = self._basis()
        return value

    def _basis(self) -> _Basis:
        """The LP's basis now, to start a later solve from."""
        return self.highs.getBasis(), self.rows

    def _start_from(self, saved: _Basis) -> None:
        """Start the next solve from a saved basis (the rows added since it, basic)."""
        basis, rows = saved
        if rows < self.rows:
            grown = highspy.HighsBasis()
            grown.col_status = basis.col_status
            grown.row_status = basis.row_status + [highspy.HighsBasisStatus.kBasic] * (self.rows - rows)
            grown.valid = True
            basis = grown
        self.highs.setBasis(basis)

    def _solve(self) -> float | None:
        """The LP minimum; None if the LP is infeasible or was left unsolved (numerical trouble,
        say: then `troubled` is set, and the search's bound falls back to its root's, which holds
        whatever the node held)."""
        self.highs.run()
        status = self.highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            if status != highspy.HighsModelStatus.kInfeasible:
                log.warning("LP solve ended %s: the search's bound falls back to its root's", status)
                self.troubled = True
            return None
        self.x = self.highs.getSolution().col_value
        return float(self.highs.getInfo().objective_function_value) + self.offset

    def _reset(self) -> None:
        for index in self.moved:
            self._set_bounds(index, *self.bounds[index])
        self.moved.clear()

    def _set_bounds(self, index: int, low: float, high: float) -> None:
        if index < self.size:
            self.highs.changeColBounds(index, low, high)
            return
        if index not in self.sum_rows:
            columns = self.sums[index - self.size]
            self.sum_rows[index] = self.rows
            self._add_row(-highspy.kHighsInf, highspy.kHighsInf, columns, [1.0] * len(columns))
        infinity = highspy.kHighsInf
        self.highs.changeRowBounds(self.sum_rows[index], max(low, -infinity), min(high, infinity))

    def _add_row(
        self, low: float, high: float, columns: Sequence[int], coefficients: Sequence[float]
    ) -> None:
        self.highs.addRow(
            low, high, len(columns), np.array(columns, dtype=np.int32), np.array(coefficients, dtype=float)
        )
        self.rows += 1

    def _value(self, index: int) -> float:
        """A column's value in the last LP solution, or a registered sum's."""
        if index < self.size:
            return self.x[index]
        return sum(self.x[i] for i in self.sums[index - self.size])


def _keep_open(
    frontier: list[_Node],
    order: itertools.count,
    basis: _Basis,
    *nodes: tuple[float | None, dict[int, tuple[float, float]]],
) -> None:
    """Put nodes back on the frontier with a bound that holds for them (None: infeasible, dropped),
    to be solved from `basis`."""
    for value, fixed in nodes:
        if value is not None:
            heapq.heappush(frontier, (value, next(order), fixed, basis))


def _hopeless(value: float, upper: float, gap: float) -> bool:
    """Whether a node of LP value `value` holds no plan better than `upper` by half the gap."""
    return value > upper - max(1 - INTEGRAL, gap * abs(upper) / 2)


def _fractional(value: float) -> bool:
    return abs(value - round(value)) > INTEGRAL


def _least_fractional(items: list[tuple[int, float]]) -> tuple[int, float]:
    """The (index, value) nearest to a whole number; on a tie, the lowest index."""
    return min(items, key=lambda item: (abs(item[1] - round(item[1])), item[0]))


def objective_value(model: cp_model.CpModel, values: dict[int, int]) -> float:
    """The model's current objective at the given values."""
    objective = model.proto.objective
    return objective.offset + sum(
        c * values[i] for i, c in zip(objective.vars, objective.coeffs, strict=True)
    )


def within_gap(value: float, bound: float, gap: float) -> bool:
    """Whether a plan's `value` is within `gap` (a share of it) of the `bound`."""
    return value < math.inf and value - bound <= gap * abs(value) + 1e-9


class Completion(NamedTuple):
    """A leaf's plan (None if no search found one), the deterministic work used, and whether the
    second search (every count free) ran."""

    plan: dict[int, int] | None
    used: float
    widened: bool


def complete(  # noqa: PLR0913  a leaf, its work, and how the second search goes
    model: cp_model.CpModel,
    values: list[float],
    counts: list[int],
    classes: list[int],
    work: float,
    deadline: float = math.inf,
    widen: bool = True,
    second: Mapping[str, bool | int] | None = None,
    at_hand: dict[int, int] | None = None,
    enough: tuple[float, float] = (-math.inf, 0.0),
) -> Completion:
    """A CP-SAT solution with the `classes` (whole at a leaf) as in `values`, each search given
    `work` deterministic units on a copy of the model: first with the `counts` integral in
    `values` fixed too, the fractional ones free; failing that (and if `widen`), with every count
    free (`WIDER_WORK` times the work, with the CP-SAT parameters in `second`), hinted with the
    counts of the plan `at_hand` if the leaf has its classes, else with the rounding. Also the
    deterministic work the searches used. `enough`, (bound, gap): the second search ends at its
    first plan within that gap of that bound (the level's search ends there too).

    The second search finds what rounding cannot: with the shortfall level fixed, a plan at these
    classes may need whole people moved between targets (some more short of one target, fewer of
    others, for more merit), which no rounding near the LP's values gives. At the plan at hand's
    classes it starts from that plan, which keeps the levels held, where the rounding often breaks
    one: at 25,000 officials, plan 2023, seed 202, a merit level whose every leaf the rounding left
    without a plan ended 8 % from its bound; from the plan at hand, 0.02 % (4,000 officials seed 8,
    a cost level 4.45 % → 0.3 %). At other classes the plan is no complete hint, and starting from
    it cost 150,000 plan 2023 2 s for the same plan (benchmarks/RESULTS.md, History).
    """
    fractional = {i for i in counts if _fractional(values[i])}
    plan, used = _fix_and_solve(model, values, counts + classes, fractional, work, deadline)
    if plan is not None or not widen or len(fractional) == len(counts):
        return Completion(plan, used, widened=False)
    if at_hand is not None and any(round(values[i]) != at_hand[i] for i in classes):
        at_hand = None  # the plan at hand is a complete, feasible hint only at its own classes
    plan, more = _fix_and_solve(
        model, values, counts + classes, set(counts), WIDER_WORK * work, deadline, second, at_hand, enough
    )
    return Completion(plan, used + more, widened=True)


def _fix_and_solve(  # noqa: PLR0913  complete's searches, each with its own bounds
    model: cp_model.CpModel,
    values: list[float],
    counts: list[int],
    free: set[int],
    work: float,
    deadline: float = math.inf,
    parameters: Mapping[str, bool | int] | None = None,
    hint: dict[int, int] | None = None,
    enough: tuple[float, float] = (-math.inf, 0.0),
) -> tuple[dict[int, int] | None, float]:
    """A solution of a copy of the model with every count but the `free` ones fixed to its value,
    the free ones hinted with their `hint` values (else their rounded values), and the
    deterministic work used; the first within `enough`'s gap of its bound ends the search."""
    copy = model.clone()
    copy.clear_hints()  # the level's hint (a variable hinted twice makes the model invalid)
    variables = copy.proto.variables
    for index in counts:
        domain = variables[index].domain
        if index not in free and len(domain) == 2:
            domain[0] = domain[1] = round(values[index])
        elif index in free:
            value = round(values[index]) if hint is None else hint[index]
            copy.add_hint(copy.get_int_var_from_proto_index(index), value)
    solver = one_worker_solver(work, deadline)
    for name, setting in (parameters or {}).items():
        setattr(solver.parameters, name, setting)
    # not `repair_hint`: it completed leaves no rounding did (25,000 officials, plan 2023, seed
    # 202: merit 7.8 % -> 0.01 % from its bound), but OR-Tools 9.15 aborted the process in it
    # (a CHECK failure) in 3 of 19 runs of tests/solver
    callback = _Enough(*enough) if enough[0] > -math.inf else None  # no bound: to its best plan
    if solver.solve(copy, callback) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        log.info("completion with %d counts free: no plan", len(free))
        return None, solver.deterministic_time
    return solution_values(solver), solver.deterministic_time


class _Enough(cp_model.CpSolverSolutionCallback):
    """Stops a second completion at its first plan within `gap` of `bound`: past it, CP-SAT spent
    the rest of its work on plans nearer than the gap asks (25,000 officials, plan 2023, seed 202:
    the merit level's plan after 0.41 of 2.5 units, 1.6 of 9.3 s). Not the first completion,
    which is cheap and whose next plans are often better (150,000 officials, orientation: merit
    -70,847 within the gap, then -70,849 in the same hundredth of a second)."""

    def __init__(self, bound: float, gap: float) -> None:
        super().__init__()
        self.bound, self.gap = bound, gap

    def on_solution_callback(self) -> None:
        if within_gap(self.objective_value, self.bound, self.gap):
            self.stop_search()


def solution_values(solver: cp_model.CpSolver) -> dict[int, int]:
    """The value of each variable (by proto index) in the solver's last solution, read at once
    (~10 times faster than one `solver.value` a variable)."""
    return dict(enumerate(solver.response_proto.solution))


def satisfies(model: cp_model.CpModel, values: dict[int, int]) -> bool:
    """Whether the values meet every variable domain and linear constraint of the model."""
    proto = snapshot(model)
    flat = [values[index] for index in range(len(proto.variables))]
    if not all(
        _within(value, variable.domain) for value, variable in zip(flat, proto.variables, strict=True)
    ):
        return False
    at = flat.__getitem__  # map over the repeated fields
    return all(
        _within(sum(map(operator.mul, map(at, c.linear.vars), c.linear.coeffs)), c.linear.domain)
        for c in proto.constraints
    )


def snapshot(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    """The model as a plain protobuf message. `model.proto` wraps the C++ message field by field,
    which is slow to copy row by row; a file is the only way across that CP-SAT's Python API offers."""
    with tempfile.TemporaryDirectory(prefix="planner-model-") as folder:
        path = Path(folder) / "model.pb"
        if not model.export_to_file(str(path)):
            raise RuntimeError(f"CP-SAT could not write its model to {path}")
        return cp_model_pb2.CpModelProto.FromString(path.read_bytes())


def _within(value: int, domain: Sequence[int]) -> bool:
    """Whether a value lies in a CP-SAT domain (sorted [low, high] pairs)."""
    if len(domain) == 2:  # nearly always: one interval
        return domain[0] <= value <= domain[1]
    return any(low <= value <= high for low, high in zip(domain[::2], domain[1::2], strict=True))
