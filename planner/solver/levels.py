"""The objective levels of one round, solved in their strict order on one model (`LevelSearch`).

Each level starts with a branch and bound over the class counts on the model's linear relaxation
(`relax`): it gives the level's bound, and its best plan replaces the current one when better.
Unless that is within the gap of the bound or the search used the level's budget, CP-SAT improves
the plan with what is left and stops once within the gap. The level is then held for the levels
after it. Why the shares and limits below are what they are: benchmarks/RESULTS.md, section
"Why the solver is built so".
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from ortools.sat.python import cp_model

from models import LevelResult, SolverSettings
from models.scenario import Level_
from planner.solver.cohorts import Start
from planner.solver.model import PlanModel
from planner.solver.relax import (
    LinearRelaxation,
    complete,
    objective_value,
    satisfies,
    solution_values,
    within_gap,
)

log = logging.getLogger(__name__)

#: Share of the time limit (as a work budget) each objective level gets.
LEVEL_SHARE = {"shortfall": 0.65, "merit": 0.25, "cost": 0.1}
#: Units of CP-SAT deterministic work per second of time limit (one worker, this 2-core machine, idle).
DETERMINISTIC_PER_SECOND = 0.25
#: With one worker, a level's wall-clock cap is this many times its share of the time limit (and
#: never past the deadline of the whole solve).
WALL_SAFETY = 4
#: CP-SAT parameters per level: a fuller LP relaxation proves the merit and cost levels far
#: sooner but slows the shortfall level; their hint is complete and feasible, so skipping presolve
#: gives them a plan at once (else they often ended inside presolve).
LEVEL_PARAMETERS: dict[str, dict[str, int]] = {
    "merit": {"linearization_level": 2, "cp_model_presolve": False},
    "cost": {"linearization_level": 2, "cp_model_presolve": False},
}
#: CP-SAT parameters of the last level's second completions (every count free, the levels before
#: held). Without presolve: with it, a cost level's completion used its whole work and found no plan
#: at 4,000 officials, where without it one was 6 % cheaper (at the merit level of larger provinces
#: presolve pays). Without the hint phase (`hint_conflict_limit`, 10 conflicts by default): there
#: CP-SAT spent 2.5-7 s of a 5-11 s completion following the hint, and came out of it with a poor
#: plan or none; from its own search, 4,000 officials seed 7's cost level 0.65 % -> 0.085 % from its
#: bound and seed 4's 0.14 -> 0.08 %, the 8 other small provinces and the 10 larger ones measured
#: kept their levels' values (benchmarks/RESULTS.md, History).
LAST_SECOND_COMPLETION: dict[str, bool | int] = {"cp_model_presolve": False, "hint_conflict_limit": 0}
#: LP solves of a level's branch and bound per second of its budget on an LP of
#: `PRICED_COLUMNS` columns or more (25,000 officials, orientation); a smaller LP's solves are
#: priced by its size, and the fewest it gets.
SEARCH_SOLVES_PER_SECOND = 15
PRICED_COLUMNS = 17_000
MIN_SEARCH_SOLVES = 10
#: Share of a level's work budget for completing one leaf's LP plan with CP-SAT, the least work a
#: completion gets and the most.
COMPLETION_SHARE = 0.2
MIN_COMPLETION_WORK = 0.25
MAX_COMPLETION_WORK = 0.5
#: Second completions (every count free) in a row that may find no better plan before a level's
#: later leaves get the first only: where the levels held leave few whole plans (a tight budget),
#: each took 1.6-2.5 units to find none or a worse one (benchmarks/RESULTS.md, "Why the solver is
#: built so").
MAX_FAILED_WIDENINGS = 1
#: Relative slack given up on an LP bound for the LP's rounding errors; a plan this close to its
#: bound is reported optimal.
BOUND_TOLERANCE = 1e-6
#: The share of the gap the level before the last stops within (a level held within its gap
#: leaves the next one room its linear bound cannot see through). It aims at it with its own share
#: of the time limit; past that, within the full gap ends its search (its `patience`), and what
#: the levels before it left goes on to the last level: at 4,000 officials it spent all of it
#: short of 0.03 % and left the cost level 2.7-6.3 % from its bound on 4 of 10 provinces. In a
#: round after the first it has no patience left: at 25,000 officials (seed 303) the first
#: round's spent 242 LP solves short of 0.03 %, the second's 118 more for the same plan
#: (benchmarks/RESULTS.md, History).
INNER_GAP_SHARE = 0.3
#: The name of the thread a CP-SAT search runs in (the main thread stays free for Ctrl-C).
SOLVER_THREAD = "planner-cp-sat"

Counts = dict[tuple[int, str, int], int]
#: People per (cohort, first start, second start) of a chain inside the plan.
ChainCounts = dict[tuple[int, Start, Start], int]
#: A solved round: counts, chains, classes per (program, year), and each level's value at them.
Solution = tuple[Counts, ChainCounts, dict[tuple[str, int], int], dict[str, float]]
Progress = Callable[[str, float, float, float], None]


class Bound(NamedTuple):
    """What a level's branch and bound gives: the bound, the best plan it found (None if none beat
    the plan it was given), the share of its LP solves it used, whether the deadline cut it."""

    lower: float
    plan: dict[int, int] | None
    spent: float
    cut: bool
    #: Whether it ended because its last leaves gave no plan (CP-SAT would find none either).
    stalled: bool = False
    #: Whether it ended within the `patience` gap once past its patience solves.
    impatient: bool = False


class LevelSearch:
    """The levels of one round on `plan_model`: its relaxation, settings, deadline and progress
    printer, the plan at hand and what each level left of its budget."""

    def __init__(
        self,
        plan_model: PlanModel,
        settings: SolverSettings,
        deadline: float = math.inf,
        progress: Progress | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.plan_model = plan_model
        self.stop = stop
        self.model = plan_model.model
        self.settings = settings
        self.deadline = deadline
        self.progress = progress
        self.order = list(plan_model.scenario.objective.order)
        self.relaxation = LinearRelaxation(self.model)
        self.totals = self._class_totals()
        self.levels: list[LevelResult] = []
        #: (bound, limit) per level held, for the round after (`run`'s `prior`)
        self.records: list[tuple[float, int]] = []
        self.values: dict[int, int] = {}
        self.feasible = False
        self.prior: Sequence[tuple[float, int]] = ()
        #: What the levels solved so far left of their budgets, the next level, whether they ended.
        self.saved, self.position, self.ended = 0.0, 0, False
        #: Seconds spent on the levels' root LPs, which run to the end whatever the clock.
        self.roots = 0.0

    def run(
        self, start: dict[int, int], prior: Sequence[tuple[float, int]] = (), upto: int | None = None
    ) -> Solution | None:
        """Solve the levels (the first `upto` of them; `resume` goes on) from the complete
        assignment `start` (a previous draft, or a greedy plan the model may refuse); None when no
        level found a plan.

        `prior`: each level's (bound, limit) in the round before. A later round only adds
        constraints (units modelled one by one), so a level's bound from the round before still
        holds while every level before it is held to no more than it was then."""
        self.values, self.feasible = dict(start), satisfies(self.model, start)
        self.prior, self.saved, self.position, self.ended = prior, 0.0, 0, False
        return self.resume(upto)

    def resume(self, upto: int | None = None) -> Solution | None:
        """Solve the levels after those solved so far (up to the `upto`-th); the plan at their end."""
        end = len(self.order) if upto is None else upto
        while self.position < end and not self.ended:
            left = self._level(self.position, self.order[self.position], self.prior, self.saved)
            if left is None:  # stopped, or no plan
                self.ended = True
                break
            self.saved, self.position = left, self.position + 1
        if not self.feasible:
            return None
        return self._kept_solution()

    def bound(
        self,
        budget: float,
        current: dict[int, int] | None,
        gap: float,
        floor: float = -math.inf,
        second: Mapping[str, bool | int] | None = None,
        patience: tuple[float, float] | None = None,
    ) -> Bound:
        """The bound of the objective the model minimises, from its LP relaxation, and the best plan
        a branch and bound over the class counts finds, guided by the `current` plan (branching on
        each program's classes over all years first); `floor`, a bound known to hold; `second`,
        CP-SAT parameters of a leaf's second completion (every count free, from the best plan so
        far at its classes); `patience`, (seconds of budget, gap): past the LP
        solves those seconds pay for, a plan within that gap ends the search."""
        began = time.monotonic()
        lower = self.relaxation.minimize_objective()
        self.roots += time.monotonic() - began
        if lower is None:  # numerically troubled: no bound, no plan
            return Bound(-math.inf, None, 0.0, False)
        plan_model = self.plan_model
        counts = [var.index for var in plan_model.decisions]
        classes = [var.index for var in plan_model.classes.values()]
        work = min(
            MAX_COMPLETION_WORK,
            max(MIN_COMPLETION_WORK, COMPLETION_SHARE * budget * DETERMINISTIC_PER_SECOND),
        )
        total = budget * DETERMINISTIC_PER_SECOND  # the completions' work, all leaves together
        left = [total]  # what they have not used (what they used, the LP solves share: `charge`)
        failed = [0]  # second completions in a row that found no better plan
        at_hand = [current]  # the best plan so far (a second completion at its classes starts from it)

        def value_of(plan: dict[int, int] | None) -> float:  # at the objective the LP holds
            return math.inf if plan is None else self.relaxation.value(plan)

        def leaf(values: list[float], known: float) -> dict[int, int] | None:  # its fractional counts settled
            if left[0] <= 0:
                return None
            found = complete(
                self.model,
                values,
                counts,
                classes,
                min(work, left[0]),
                self.deadline,
                widen=failed[0] < MAX_FAILED_WIDENINGS,
                second=second,
                at_hand=at_hand[0],
                enough=(known, gap),
            )
            left[0] -= found.used
            value, beaten = value_of(found.plan), value_of(at_hand[0])
            if found.widened:
                failed[0] = 0 if value < beaten else failed[0] + 1
            if value < beaten:
                at_hand[0] = found.plan
            return found.plan

        per_second = SEARCH_SOLVES_PER_SECOND * max(1.0, PRICED_COLUMNS / self.relaxation.size)
        max_solves = max(MIN_SEARCH_SOLVES, round(per_second * budget))

        def charge() -> int:  # the leaves' completions, in LP solves of the same share of the budget
            return round((total - left[0]) / DETERMINISTIC_PER_SECOND * per_second)

        search = self.relaxation.search(
            classes,
            leaf,
            value_of(current),
            gap,
            max_solves=max_solves,
            guide=self._near(current) if current else None,
            strong=self.totals,
            deadline=self.deadline,
            floor=floor,
            stop=self.stop,
            patience=None if patience is None else (round(per_second * patience[0]), patience[1]),
            charge=charge,
        )
        log.info(
            "branch and bound: %d LP solves, bound %s, plan %s", search.solves, search.bound, search.upper
        )
        best = max(lower, search.bound, floor)
        best = math.ceil(best - BOUND_TOLERANCE * max(1.0, abs(best)))  # objectives take integer values
        spent = min(1.0, (search.solves + charge()) / max_solves)
        return Bound(best, search.plan, spent, search.cut, search.stalled, search.impatient)

    def _level(
        self, position: int, name: Level_, prior: Sequence[tuple[float, int]], saved: float
    ) -> float | None:
        """Solve one level and hold it; what it left of its budget, None when the levels stop here."""
        order, settings = self.order, self.settings
        remaining = max(0.0, self.deadline - time.monotonic())
        share = _share(name, order[position:])  # of the wall clock left
        own = settings.seconds * _share(name, order)  # of the work budget
        budget = saved + own
        self.model.minimize(self.plan_model.objectives[name])
        gap = settings.gap * INNER_GAP_SHARE if position == len(order) - 2 else settings.gap
        started = time.monotonic()
        records = self.records
        holds = position < len(prior) and all(records[j][1] <= prior[j][1] for j in range(position))
        try:
            found = self.bound(
                budget,
                self.values if self.feasible else None,
                gap,
                prior[position][0] if holds else -math.inf,
                second=LAST_SECOND_COMPLETION if position == len(order) - 1 else None,
                # its own budget once: a later round's (`prior` given) was spent in the first
                patience=(0.0 if prior else own, settings.gap) if gap < settings.gap else None,
            )
            interrupted = self.stop is not None and self.stop.is_set()
        except KeyboardInterrupt:
            found, interrupted = Bound(-math.inf, None, 1.0, False), True
        if found.plan is not None and (
            not self.feasible or self._value(found.plan) < self._value(self.values)
        ):
            self.values, self.feasible = found.plan, True
        if self.progress and self.feasible and found.lower > -math.inf:
            self.progress(name, time.monotonic() - started, self._value(self.values), found.lower)
        left = budget * (1 - found.spent)  # what the branch and bound left of the level's budget, for CP-SAT
        if interrupted or (
            self.feasible
            and (
                left <= 0
                or found.cut
                or found.stalled
                or found.impatient
                or within_gap(self._value(self.values), found.lower, gap)
            )
        ):
            if not self.feasible:
                self.levels.append(_unsolved(name, "UNKNOWN", started, user=interrupted))
                return None
            reached = "OPTIMAL" if self._value(self.values) <= found.lower else "FEASIBLE"
            self.levels.append(
                self._result(name, reached, found.lower, started, wall=found.cut, user=interrupted)
            )
        else:
            improved = self._improve(name, remaining, share, budget, left, found, gap, started)
            if improved is None:
                return None
            left, interrupted = improved
        if interrupted or not self._held(self._tolerance(name)):
            return None
        return left

    def _improve(
        self,
        name: str,
        remaining: float,
        share: float,
        budget: float,
        left: float,
        found: Bound,
        gap: float,
        started: float,
    ) -> tuple[float, bool] | None:
        """CP-SAT from the plan at hand with what the branch and bound left: what it left of the
        budget and whether a Ctrl-C stopped it; None when it found no plan and none was at hand."""
        self._set_hint()
        solver = _parameters(
            self.settings, remaining * share, left if self.feasible else budget, name, remaining
        )
        callback = _Watch(name, self.progress, found.lower, gap)
        status, interrupted = _solve_interruptibly(solver, self.model, callback, self.stop)
        saved = max(0.0, left - solver.deterministic_time / DETERMINISTIC_PER_SECOND)
        status_name = solver.status_name(status)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if not self.feasible or solver.objective_value < self._value(self.values):
                self.values, self.feasible = solution_values(solver), True
        elif not self.feasible:
            log.warning("level %s: %s", name, status_name)
            self.levels.append(_unsolved(name, status_name, started, user=interrupted))
            return None
        bound, status_name = _sat_level_status(solver, status, found.lower, self._value(self.values))
        stopped_by_wall_clock = found.cut or (
            status != cp_model.OPTIMAL
            and not interrupted
            and not callback.within
            and solver.deterministic_time < 0.99 * solver.parameters.max_deterministic_time
        )
        self.levels.append(
            self._result(name, status_name, bound, started, wall=stopped_by_wall_clock, user=interrupted)
        )
        return saved, interrupted

    def _tolerance(self, name: Level_) -> float:
        """How far a level may give way to the levels after it (the scenario's tolerance)."""
        return self.plan_model.scenario.objective.tolerance.get(name, 0.0)

    def _held(self, tolerance: float) -> bool:
        """Hold the last level within its tolerance of its value, in the model and the relaxation,
        for the levels after it; False when a Ctrl-C came meanwhile: the plan so far stands, its
        last level marked stopped."""
        level = self.levels[-1]
        try:
            objective = level.objective
            log.info("level %s: %s objective %s bound %s", level.name, level.status, objective, level.bound)
            limit = int(objective + abs(objective) * tolerance)
            self.model.add(self.plan_model.objectives[level.name] <= limit)
            self.relaxation.add_objective_limit(limit)
            self.records.append((level.bound, limit))
        except KeyboardInterrupt:
            self.levels[-1] = level.model_copy(update={"stopped_by_user": True})
            return False
        return True

    def _kept_solution(self) -> Solution:
        """`_solution`, also when a Ctrl-C comes while it is computed: the levels are done, so their
        plan is kept and the last level marked stopped (a second Ctrl-C aborts at once)."""
        try:
            return self._solution()
        except KeyboardInterrupt:
            self.levels[-1] = self.levels[-1].model_copy(update={"stopped_by_user": True})
            return self._solution()

    def _solution(self) -> Solution:
        """The counts, chains and classes of the final values, and each level's value at them."""
        plan_model, values = self.plan_model, self.values
        # each level's value at the final counts (a later level may improve an earlier one), with
        # the auxiliary variables recomputed from them: a level after the shortfall level only
        # bounds the shortfall variables, which may then sit above what the counts miss
        final = dict(values)
        for var, compute in plan_model.derived:
            final[var.index] = compute(final)
        counted = {}
        for level in self.levels:
            self.model.minimize(plan_model.objectives[level.name])
            counted[level.name] = objective_value(self.model, final)
        return (
            {key: values[var.index] for key, var in plan_model.n.items() if values[var.index]},
            {key: values[var.index] for key, var in plan_model.chain.items() if values[var.index]},
            {key: values[var.index] for key, var in plan_model.classes.items()},
            counted,
        )

    def _class_totals(self) -> list[int]:
        """Each class program's classes over all years, registered as sums with the relaxation.
        The search branches on them first: fixing one year's count hardly moves the bound (the
        fraction moves to another year); the total cannot dodge."""
        yearly: dict[str, list[int]] = defaultdict(list)
        for (program, _), var in self.plan_model.classes.items():
            yearly[program].append(var.index)
        return [self.relaxation.add_sum(indices) for indices in yearly.values()]

    def _near(self, plan: dict[int, int]) -> dict[int, tuple[float, float]]:
        """Bounds around a plan: its class counts, and no shortfall term worse than its own (so that
        people chosen afresh do not trade one requirement for another: whole numbers rarely allow
        that at a fixed shortfall level)."""
        plan_model = self.plan_model
        near: dict[int, tuple[float, float]] = {
            var.index: (plan[var.index], plan[var.index]) for var in plan_model.classes.values()
        }
        return near | {term.var.index: (0, plan[term.var.index]) for term in plan_model.shortfalls}

    def _value(self, values: dict[int, int]) -> float:
        return objective_value(self.model, values)

    def _result(
        self, name: str, status: str, bound: float, started: float, *, wall: bool = False, user: bool = False
    ) -> LevelResult:
        """The level's result at the plan at hand; an unknown bound is reported as a 100 % gap."""
        objective = self._value(self.values)
        return LevelResult(
            name=name,
            status=status,
            objective=objective,
            bound=bound if bound > -math.inf else objective - abs(objective),
            wall_time=round(time.monotonic() - started, 3),
            stopped_by_wall_clock=wall,
            stopped_by_user=user,
        )

    def _set_hint(self) -> None:
        model = self.model
        model.clear_hints()
        for index, value in sorted(self.values.items()):
            model.add_hint(model.get_int_var_from_proto_index(index), value)


def _share(name: str, names: Sequence[str]) -> float:
    """A level's share of what the `names` levels (its own among them) are given."""
    return LEVEL_SHARE.get(name, 0.2) / sum(LEVEL_SHARE.get(n, 0.2) for n in names)


def _parameters(
    settings: SolverSettings, seconds: float, budget: float, level: str = "shortfall", wall: float = math.inf
) -> cp_model.CpSolver:
    """A solver capped at `seconds` of wall clock and, with one worker, `budget` seconds' worth of work.

    The work budget is a fixed share of the time limit, never the wall time left, so that one
    worker gives the same plan whatever the machine's load (as long as the wall cap is not hit).
    Either way the search ends within `wall` seconds (what is left of the whole time limit).
    """
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = settings.workers
    params.random_seed = settings.seed
    params.log_search_progress = settings.log
    params.max_time_in_seconds = seconds
    if settings.workers == 1:
        params.max_deterministic_time = budget * DETERMINISTIC_PER_SECOND
        # the wall clock is only a safety net: a busy machine takes longer but gives the same plan
        params.max_time_in_seconds = WALL_SAFETY * max(seconds, budget)
    params.max_time_in_seconds = max(0.0, min(params.max_time_in_seconds, wall))
    for name, value in LEVEL_PARAMETERS.get(level, {}).items():
        setattr(params, name, value)
    for name, setting in settings.extra.items():
        setattr(params, name, setting)
    return solver


def _sat_level_status(
    solver: cp_model.CpSolver, status: cp_model.CpSolverStatus, lower: float, objective: float
) -> tuple[float, str]:
    """The bound and status of a level after CP-SAT, the plan kept having `objective` (the
    rounded relaxation's plan or the hint when CP-SAT found none better)."""
    status_name = solver.status_name(status)
    bound = max(solver.best_objective_bound, lower) if status_name != "UNKNOWN" else lower
    if status == cp_model.OPTIMAL or objective <= bound:
        return bound, "OPTIMAL"
    return bound, "FEASIBLE"


def _unsolved(name: str, status: str, started: float, *, user: bool) -> LevelResult:
    wall_time = round(time.monotonic() - started, 3)
    return LevelResult(
        name=name, status=status, objective=0, bound=0, wall_time=wall_time, stopped_by_user=user
    )


def _solve_interruptibly(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None,
    stop: threading.Event | None = None,
) -> tuple[cp_model.CpSolverStatus, bool]:
    """Solve in a worker thread so that Ctrl-C, or the `stop` event set, stops the search and keeps
    the best plan so far."""
    solver.parameters.catch_sigint_signal = False
    outcome: dict[str, cp_model.CpSolverStatus] = {}
    failure: list[BaseException] = []
    done = threading.Event()

    def work() -> None:
        try:
            outcome["status"] = solver.solve(model, callback)
        except BaseException as error:  # raised again below, in the caller's thread
            failure.append(error)
        finally:
            done.set()

    threading.Thread(target=work, name=SOLVER_THREAD, daemon=True).start()
    interrupted = False
    while not done.is_set():
        try:
            done.wait(0.1)
        except KeyboardInterrupt:  # an Event survives the interrupt, unlike Thread.join
            interrupted = True
            solver.stop_search()
        if stop is not None and stop.is_set() and not interrupted:
            interrupted = True
            solver.stop_search()
    if failure:
        raise RuntimeError(f"CP-SAT failed in its thread: {failure[0]!r}") from failure[0]
    return outcome["status"], interrupted


class _Watch(cp_model.CpSolverSolutionCallback):
    """Reports each solution (progress line) and stops the search once within the gap of the LP bound."""

    def __init__(self, level: str, report: Progress | None, lower: float, gap: float):
        super().__init__()
        self.level = level
        self.report = report
        self.lower = lower
        self.gap = gap
        self.within = False  # set when the search was stopped within the gap

    def on_solution_callback(self) -> None:
        if self.report:
            self.report(
                self.level, self.wall_time, self.objective_value, max(self.best_objective_bound, self.lower)
            )
        if within_gap(self.objective_value, self.lower, self.gap):
            self.within = True
            self.stop_search()
