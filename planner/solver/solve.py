"""One entry point: roster + scenario + settings -> Result (a plan, never an exception for a short one)."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from ortools.sat.python import cp_model

from models import Decision, LevelResult, Nomination, Result, Roster, Scenario, SolverSettings, Text
from planner.analysis.replan import check_decisions, plan_changes, prepare_replan
from planner.analysis.shortfalls import measure_shortfalls, plan_cost, weighted_shortfall
from planner.rules.eligibility import Context
from planner.solver.cohorts import Population, Start, build_population, split_population
from planner.solver.greedy import greedy_plan
from planner.solver.model import PlanModel
from planner.solver.naming import Naming, fill_unnamed, form_classes, name_people
from planner.solver.objectives import plan_objectives
from planner.solver.relax import (
    LinearRelaxation,
    complete,
    objective_value,
    satisfies,
    solution_values,
    within_gap,
)
from planner.solver.units import assign_units

log = logging.getLogger(__name__)

#: Share of the time limit (as a work budget) each objective level gets.
LEVEL_SHARE = {"shortfall": 0.65, "merit": 0.25, "cost": 0.1}
#: Units of CP-SAT deterministic work per second of time limit (one worker): measured on this
#: 2-core machine, idle, at about 0.25 units a second for these models (benchmarks/RESULTS.md).
DETERMINISTIC_PER_SECOND = 0.25
#: With one worker, a level's wall-clock cap is this many times its share of the time limit (and
#: never past the deadline of the whole solve).
WALL_SAFETY = 4
#: CP-SAT parameters per level, from measurements on generated provinces: a fuller LP
#: relaxation proves the merit and cost levels far sooner, but slows the shortfall level; their
#: hint is complete and feasible, so skipping presolve gives them a plan at once (else they
#: often ended UNKNOWN inside presolve at 25,000 officials).
LEVEL_PARAMETERS: dict[str, dict[str, int]] = {
    "merit": {"linearization_level": 2, "cp_model_presolve": False},
    "cost": {"linearization_level": 2, "cp_model_presolve": False},
}
#: Share of the time limit (as a work budget) of the first round, and of each round after unit
#: caps bind (a level stops once within the gap, which a later round, starting from the plan
#: named in the round before, often is at once). The wall clock caps all rounds together.
FIRST_ROUND_SHARE = 0.75
CAP_ROUND_SHARE = 0.5
#: LP solves of a level's branch and bound per second of its budget (their times: `relax.DUAL`),
#: and the fewest it gets.
SEARCH_SOLVES_PER_SECOND = 15
MIN_SEARCH_SOLVES = 10
#: Share of a level's work budget for completing one leaf's LP plan with CP-SAT, and the least
#: work a completion gets (at 25,000 officials, plan 2023, the merit level's first leaf needed
#: 0.2 units: with 0.09 both completions failed and the level kept the shortfall level's plan,
#: 10 % from its bound).
COMPLETION_SHARE = 0.2
MIN_COMPLETION_WORK = 0.25
#: ... and the most (at 25,000 officials, orientation, a level's budget grown by what the
#: shortfall level left gave its second completion 9 units: 14 s for one leaf).
MAX_COMPLETION_WORK = 0.5
#: Relative slack given up on an LP bound for the LP's rounding errors; a plan this close to its
#: bound is reported optimal.
BOUND_TOLERANCE = 1e-6
#: The share of the gap the level before the last stops within.
INNER_GAP_SHARE = 0.3
#: How many times units whose absence cap binds are split out and re-solved (the best round wins).
MAX_CAP_ROUNDS = 3

STOPPED_NOTE = Text(
    "Dừng theo yêu cầu (Ctrl-C): phương án tốt nhất đến lúc đó.", "Stopped by Ctrl-C: the best plan so far."
)

Counts = dict[tuple[int, str, int], int]
#: The name of the thread a CP-SAT search runs in (the main thread stays free for Ctrl-C).
SOLVER_THREAD = "planner-cp-sat"
#: People per (cohort, first start, second start) of a chain inside the plan.
ChainCounts = dict[tuple[int, Start, Start], int]
#: A solved round: counts, chains, classes per (program, year), and each level's value at them.
Solution = tuple[Counts, ChainCounts, dict[tuple[str, int], int], dict[str, float]]
Progress = Callable[[str, float, float, float], None]


def solve(  # noqa: PLR0913  the public entry point; the replanning options are keyword-only
    roster: Roster,
    scenario: Scenario,
    settings: SolverSettings | None = None,
    method: str = "cpsat",
    progress: Progress | None = None,
    *,
    approved: Sequence[Nomination] = (),
    decisions: Sequence[Decision] = (),
    previous: Sequence[Nomination] = (),
    max_changes: int | None = None,
    population: Population | None = None,
) -> Result:
    """Plan the scenario for the roster: the best plan found, its shortfalls and its quality.

    Replanning: `approved` nominations stay fixed and close their years; `decisions` pin or
    exclude people; the plan keeps to the `previous` draft, moving at most `max_changes` names.
    A `population` already built for this roster and scenario (`build_population`) saves a rebuild.
    """
    settings = settings or SolverSettings()
    started = time.monotonic()
    replan = prepare_replan(roster, scenario, list(approved)) if approved else None
    plan_roster, plan_scenario = (replan.roster, replan.scenario) if replan else (roster, scenario)
    if decisions:
        history = plan_roster.history_by_official()
        check_decisions(plan_roster, plan_scenario, list(decisions), Context(plan_scenario, history))
    open_previous = [n for n in previous if replan is None or n.year not in replan.closed_years]
    given = population
    if replan is not None or decisions or population is None:
        population = build_population(plan_roster, plan_scenario, decisions=decisions)
    result = _solve(population, settings, method, progress, open_previous, max_changes, started)
    if replan is not None:
        population = given or build_population(roster, scenario, frozenset())
        nominations = sorted([*replan.approved, *result.nominations], key=_nomination_order)
        classes = [*replan.approved_classes, *result.classes]
        result.nominations, result.classes = nominations, classes
        result.shortfalls = measure_shortfalls(population, nominations, classes)
        result.cost_by_year = plan_cost(scenario, nominations, classes)
        result.approval_issues = replan.issues
    if previous:
        open_years = {y for y in scenario.years if replan is None or y not in replan.closed_years}
        result.changes = plan_changes(list(previous), result.nominations, open_years)
    planned = {(n.official_id, n.program, n.year) for n in result.nominations}
    missing_pins = [
        d for d in decisions if d.action == "pin" and (d.official_id, d.program, d.year) not in planned
    ]
    if missing_pins:
        result.notes.append(
            Text(
                f"{len(missing_pins)} người được ghim chưa có trong danh sách (phương án dự phòng).",
                f"{len(missing_pins)} pinned people are missing (fallback plan).",
            )
        )
    return result


def _nomination_order(n: Nomination) -> tuple:
    return (n.year, n.program, n.class_id or "", n.official_id)


def _solve(
    population: Population,
    settings: SolverSettings,
    method: str,
    progress: Progress | None,
    previous: list[Nomination],
    max_changes: int | None,
    started: float,
) -> Result:
    clock = _Clock()
    scenario = population.scenario
    if method == "greedy":
        chosen, classes = greedy_plan(population)
        return _result(population, "FEASIBLE", "greedy", chosen, classes, started, [], clock.laps)
    greedy_chosen, greedy_classes = greedy_plan(population)
    fallback = _result(population, "FALLBACK", "greedy", greedy_chosen, greedy_classes, started, [], {})
    clock.lap("greedy")
    # the searches end early enough for naming and measuring the plan (about twice the greedy
    # plan's time: 0.6 s at 25,000 officials, where the greedy plan takes 0.3 s)
    reserve = min(0.5 * settings.time_limit, 2 * (time.monotonic() - started))
    deadline = started + settings.time_limit - reserve
    start_chosen, start_classes = greedy_chosen, greedy_classes
    keep = {(n.official_id, n.program, n.year) for n in previous}
    rounds: list[Result] = []  # every solved round, named; the best of them is returned
    levels: list[LevelResult] = []
    stopped = False
    prior: list[tuple[float, int]] = []  # each level's (bound, limit) in the round before
    for cap_round in range(MAX_CAP_ROUNDS + 1):
        solution = None  # this round's solved counts, until they are named
        try:
            share = FIRST_ROUND_SHARE if cap_round == 0 else CAP_ROUND_SHARE
            round_settings = settings.model_copy(update={"time_limit": settings.time_limit * share})
            before = _as_counts(population, [(n.official_id, n.program, n.year) for n in previous])
            plan_model = PlanModel(population, before[0], max_changes)
            hint = before if previous and not rounds else _as_counts(population, start_chosen)
            clock.lap("model")
            solution, levels, prior = _solve_levels(
                plan_model, round_settings, hint, start_classes, deadline, progress, prior
            )
            clock.lap("solve")
            if solution is None:
                break
            _, _, classes, counted = solution
            naming, short_units = _name_solution(population, solution, keep)
            clock.lap("units")
            stopped = any(level.stopped_by_user for level in levels)
            new_units = _units_to_split(population, naming, short_units, widely=cap_round > 0)
            last = stopped or not new_units or cap_round == MAX_CAP_ROUNDS or time.monotonic() >= deadline
            if naming.unfilled and last:  # no round left to model the units: other people take the places
                log.warning(
                    "%d places without a name after %d rounds", sum(naming.unfilled.values()), cap_round + 1
                )
                naming = fill_unnamed(population, naming)
            rounds.append(
                _named(settings, started, population, naming, classes, levels, counted, plan_model.size())
            )
            solution = None
            clock.lap("naming")
            if stopped:
                rounds[-1].notes.append(STOPPED_NOTE)
            if not naming.unfilled or last:
                break
            log.info("unit caps bind in %d units: modelling them and solving again", len(new_units))
            population = split_population(population, population.split_units | new_units)
            # the named plan keeps every unit's cap: the next round starts from it
            start_chosen = [(n.official_id, n.program, n.year) for n in rounds[-1].nominations]
            start_classes = dict(Counter((c.program, c.year) for c in rounds[-1].classes))
        except KeyboardInterrupt:  # a Ctrl-C between searches: the best plan so far (greedy's if none)
            stopped = True
            if solution is not None:  # solved, not yet named: name it, it is the best plan so far
                naming = fill_unnamed(population, _name_solution(population, solution, keep)[0])
                rounds.append(
                    _named(
                        settings,
                        started,
                        population,
                        naming,
                        solution[2],
                        levels,
                        solution[3],
                        plan_model.size(),
                    )
                )
            if rounds:
                rounds[-1].notes.append(STOPPED_NOTE)
            break

    if not rounds:
        return _without_solver_plan(fallback, stopped, levels, started, clock)
    return _best(rounds, fallback, scenario, started, clock)


def _best(
    rounds: list[Result], fallback: Result, scenario: Scenario, started: float, clock: _Clock
) -> Result:
    """The best written plan, level by level (a later round on equal terms: its model is finer);
    the greedy plan if it falls shorter."""
    result = min(reversed(rounds), key=lambda r: tuple(level.objective for level in r.levels))
    if any(STOPPED_NOTE in r.notes for r in rounds) and STOPPED_NOTE not in result.notes:
        result.notes.append(STOPPED_NOTE)
    result.stats |= clock.laps | {"rounds": len(rounds)}
    if weighted_shortfall(scenario, result.shortfalls) > weighted_shortfall(scenario, fallback.shortfalls):
        fallback.notes.append(
            Text(
                "Phương án tham lam thiếu hụt ít hơn phương án của bộ giải nên được dùng.",
                "The greedy plan falls shorter less than the solver's plan, so it is returned.",
            )
        )
        fallback.levels = result.levels
        fallback.wall_time = round(time.monotonic() - started, 3)
        return fallback
    return result


def _name_solution(
    population: Population, solution: Solution, keep: set[tuple[str, str, int]]
) -> tuple[Naming, set[str]]:
    """People for a solved round's counts and chains (multi-year counts within the units' caps),
    and the units whose cap left a count short."""
    counts, chains, _, _ = solution
    unit_quota, short_units = assign_units(population, counts)
    return name_people(population, counts, unit_quota, keep, chains), short_units


def _without_solver_plan(
    fallback: Result, stopped: bool, levels: list[LevelResult], started: float, clock: _Clock
) -> Result:
    """The greedy plan, with a note saying why the solver gave none (Ctrl-C or the time limit)."""
    fallback.notes.append(
        Text(
            "Dừng theo yêu cầu (Ctrl-C) trước khi bộ giải có phương án: dùng phương án tham lam.",
            "Stopped by Ctrl-C before the solver had a plan: the greedy plan is returned.",
        )
        if stopped or any(level.stopped_by_user for level in levels)
        else Text(
            "Bộ giải chưa tìm được phương án trong thời gian cho phép: dùng phương án tham lam.",
            "The solver found no plan in the time limit: the greedy plan is returned.",
        )
    )
    fallback.levels = levels
    fallback.wall_time = round(time.monotonic() - started, 3)
    fallback.stats |= clock.laps
    return fallback


def _units_to_split(
    population: Population, naming: Naming, short_units: set[str], widely: bool
) -> frozenset[str]:
    """Units to model one by one after naming left places empty: those whose cap the unit
    assignment found full and the units of the cohorts left short; `widely`, also every unit the
    named plan fills to its cap that people of a cohort not modelled by unit could be sent from.
    (The narrow choice is enough in one round on the 25,000 benchmarks, where the wide one split
    276 units and doubled the model; at 3,000 officials and a 5 % cap the narrow one needed four
    rounds, the wide one, taken from the second, three.)"""
    scenario = population.scenario
    unit_of = population.unit_of
    cohorts = {c.index: c for c in population.cohorts}
    units = set(short_units)
    for index, _, _ in naming.unfilled:
        if cohorts[index].unit is None:
            units.update(unit_of[m] for m in cohorts[index].members)
    if widely:
        away = population.away_in_plan(naming.chosen)
        full = {
            unit
            for (unit, year), n in away.items()
            if year in scenario.years and n >= population.away_room(unit, year)
        }
        multi_year = {p.code for p in scenario.programs if p.duration_years > 1}
        for cohort in population.cohorts:
            if cohort.unit is None and any(p in multi_year for p, _ in cohort.starts):
                units.update(full.intersection(unit_of[m] for m in cohort.members))
    return frozenset(units - population.split_units)


def _named(
    settings: SolverSettings,
    started: float,
    population: Population,
    naming: Naming,
    classes: dict[tuple[str, int], int],
    levels: list[LevelResult],
    counted: dict[str, float],
    size: dict[str, int],
) -> Result:
    """The plan of one solved round, with names, classes, shortfalls and notes; each level's
    value is measured on the named plan (the counts' values are kept in `stats`)."""
    notes = []
    if naming.unfilled:
        by_start: Counter = Counter()
        for (_, program, year), missing in naming.unfilled.items():
            by_start[program, year] += missing
        listed = ", ".join(f"{p} {y}: {n}" for (p, y), n in sorted(by_start.items()))
        notes.append(
            Text(
                f"{sum(by_start.values())} suất bộ giải đã tính không gán được tên ({listed}); danh sách "
                "và các số liệu là của phương án đã gán tên.",
                f"{sum(by_start.values())} places the solver counted could not be given a name ({listed}); "
                "the lists and figures are those of the named plan.",
            )
        )
    if naming.refilled:
        notes.append(
            Text(
                f"{naming.refilled} suất học dài hạn được giao cho người đủ điều kiện khác vì đơn vị của "
                "người được tính đã đủ tỷ lệ đi học.",
                f"{naming.refilled} study places went to other eligible officials, as the units of those "
                "counted were at their absence cap.",
            )
        )
    if settings.workers == 1 and any(level.stopped_by_wall_clock for level in levels):
        notes.append(
            Text(
                "Hết thời gian (--time-limit) trước khi hết khối lượng tính định trước: chạy lại có thể "
                "cho phương án khác; hãy tăng --time-limit.",
                "The time limit stopped the search before its deterministic work budget, so a rerun may "
                "differ; raise --time-limit.",
            )
        )
    result = _result(population, "FEASIBLE", "cpsat", naming.chosen, classes, started, notes, size)
    written = plan_objectives(
        population.roster, population.scenario, result.nominations, result.classes, result.shortfalls
    )
    result.levels = [_written_level(level, written[level.name]) for level in levels]
    result.stats |= {f"counted_{name}": round(value) for name, value in counted.items()}
    result.stats["unnamed"] = sum(naming.unfilled.values())
    result.stats["refilled"] = naming.refilled
    result.status = "OPTIMAL" if all(level.status == "OPTIMAL" for level in result.levels) else "FEASIBLE"
    return result


def _written_level(level: LevelResult, value: float) -> LevelResult:
    """A level's result with the written plan's value: optimal when it reaches the bound (within
    the millionth the bound gives up to the LP's rounding, see `_relaxed`)."""
    if level.status not in ("OPTIMAL", "FEASIBLE"):
        return level
    if value <= level.bound + BOUND_TOLERANCE * max(1.0, abs(value)):
        return level.model_copy(update={"objective": value, "bound": value, "status": "OPTIMAL"})
    return level.model_copy(update={"objective": value, "status": "FEASIBLE"})


class _Clock:
    """Milliseconds spent in each step, for the benchmark (summed when a step repeats)."""

    def __init__(self) -> None:
        self.laps: dict[str, int] = defaultdict(int)
        self._last = time.monotonic()

    def lap(self, step: str) -> None:
        now = time.monotonic()
        self.laps[f"ms_{step}"] += round((now - self._last) * 1000)
        self._last = now


def _as_counts(population: Population, chosen: list[tuple[str, str, int]]) -> tuple[Counts, ChainCounts]:
    """Counts per (cohort, program, year) of named nominations, and per chain of a cohort those
    who take both its starts (people in no cohort are skipped)."""
    cohort_of = {m: c for c in population.cohorts for m in c.members}
    counts: Counts = defaultdict(int)
    taken: dict[str, set[Start]] = defaultdict(set)
    for official_id, program, year in chosen:
        if official_id in cohort_of:
            counts[cohort_of[official_id].index, program, year] += 1
            taken[official_id].add((program, year))
    chains: ChainCounts = defaultdict(int)
    for official_id, starts in taken.items():
        cohort = cohort_of[official_id]
        for first, then in cohort.chains:
            if first in starts and then in starts:
                chains[cohort.index, first, then] += 1
    return counts, chains


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


def _solve_levels(
    plan_model: PlanModel,
    settings: SolverSettings,
    hint: tuple[Counts, ChainCounts],
    hint_classes: dict[tuple[str, int], int],
    deadline: float,
    progress: Progress | None,
    prior: Sequence[tuple[float, int]] = (),
) -> tuple[
    Solution | None,
    list[LevelResult],
    list[tuple[float, int]],
]:
    """Solve the objective levels in their strict order, fixing each before the next.

    Each level starts with a branch and bound over the class counts on its linear relaxation
    (`relax`): it gives the bound, and its best plan replaces the current one when better.
    Unless that is within `settings.gap` of the bound or the search used the level's budget,
    CP-SAT then improves the plan with what is left and stops once within the gap.

    `prior`: each level's (bound, limit) in the round before. A later round only adds
    constraints (units modelled one by one), so a level's bound from the round before still holds
    while every level before it is held to no more than it was then. Returned with the solution
    and levels: this round's (bound, limit) per level.
    """
    model = plan_model.model
    order = list(plan_model.scenario.objective.order)
    tolerance = plan_model.scenario.objective.tolerance
    values = _hint_values(plan_model, hint[0], hint_classes, hint[1])
    relaxation = LinearRelaxation(model)
    totals = _class_totals(relaxation, plan_model)
    feasible = satisfies(model, values)  # a previous draft, or a greedy plan the model refuses
    levels: list[LevelResult] = []
    saved = 0.0  # what the levels before left of their budgets (deterministic: LP solves, CP-SAT work)
    records: list[tuple[float, int]] = []  # (bound, limit) per level solved
    for position, name in enumerate(order):
        remaining = max(0.0, deadline - time.monotonic())
        share = LEVEL_SHARE.get(name, 0.2) / sum(LEVEL_SHARE.get(n, 0.2) for n in order[position:])
        budget = saved + (
            settings.time_limit * LEVEL_SHARE.get(name, 0.2) / sum(LEVEL_SHARE.get(n, 0.2) for n in order)
        )
        expression = plan_model.objectives[name]
        model.minimize(expression)
        # a level held within its gap leaves the next one room its linear bound cannot see through:
        # the level before the last aims closer (measured: benchmarks/RESULTS.md, "Why the solver
        # is built so")
        gap = settings.gap * INNER_GAP_SHARE if position == len(order) - 2 else settings.gap
        level_started = time.monotonic()
        interrupted = False
        holds = position < len(prior) and all(records[j][1] <= prior[j][1] for j in range(position))
        floor = prior[position][0] if holds else -math.inf
        try:
            lower, rounded, spent, cut = _relaxed(
                relaxation,
                plan_model,
                budget,
                values if feasible else None,
                gap,
                totals,
                deadline,
                floor,
            )
        except KeyboardInterrupt:
            lower, rounded, spent, cut, interrupted = -math.inf, None, 1.0, False, True
        if rounded is not None and (
            not feasible or objective_value(model, rounded) < objective_value(model, values)
        ):
            values, feasible = rounded, True
        if progress and feasible and lower > -math.inf:
            progress(name, time.monotonic() - level_started, objective_value(model, values), lower)
        left = budget * (1 - spent)  # what the branch and bound left of the level's budget, for CP-SAT
        saved = left
        if interrupted or (
            feasible and (left <= 0 or cut or within_gap(objective_value(model, values), lower, gap))
        ):
            if not feasible:
                levels.append(_unsolved(name, "UNKNOWN", level_started, user=interrupted))
                break
            reached = "OPTIMAL" if objective_value(model, values) <= lower else "FEASIBLE"
            levels.append(
                _level(name, reached, model, values, lower, level_started, wall=cut, user=interrupted)
            )
        else:
            _set_hint(plan_model, values)
            solver = _parameters(settings, remaining * share, left if feasible else budget, name, remaining)
            callback = _Watch(name, progress, lower, gap)
            status, interrupted = _solve_interruptibly(solver, model, callback)
            saved = max(0.0, left - solver.deterministic_time / DETERMINISTIC_PER_SECOND)
            status_name = solver.status_name(status)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                if not feasible or solver.objective_value < objective_value(model, values):
                    values, feasible = solution_values(solver), True
            elif not feasible:
                log.warning("level %s: %s", name, status_name)
                levels.append(_unsolved(name, status_name, level_started, user=interrupted))
                break
            bound, status_name = _sat_level_status(solver, status, lower, objective_value(model, values))
            stopped_by_wall_clock = cut or (
                status != cp_model.OPTIMAL
                and not interrupted
                and not callback.within
                and solver.deterministic_time < 0.99 * solver.parameters.max_deterministic_time
            )
            levels.append(
                _level(
                    name,
                    status_name,
                    model,
                    values,
                    bound,
                    level_started,
                    wall=stopped_by_wall_clock,
                    user=interrupted,
                )
            )
        if interrupted:
            break
        if not _held(plan_model, relaxation, levels, tolerance.get(name, 0.0), records):
            break
    if not feasible:
        return None, levels, records
    return _kept_solution(plan_model, values, levels), levels, records


def _held(
    plan_model: PlanModel,
    relaxation: LinearRelaxation,
    levels: list[LevelResult],
    tolerance: float,
    records: list[tuple[float, int]],
) -> bool:
    """Hold the last level for the levels after it (`_hold_level`); False when a Ctrl-C came
    meanwhile: the plan so far stands, its last level marked stopped."""
    try:
        records.append(_hold_level(plan_model, relaxation, levels[-1], tolerance))
    except KeyboardInterrupt:
        levels[-1] = levels[-1].model_copy(update={"stopped_by_user": True})
        return False
    return True


def _kept_solution(plan_model: PlanModel, values: dict[int, int], levels: list[LevelResult]) -> Solution:
    """`_solution`, also when a Ctrl-C comes while it is computed: the levels are done, so their plan
    is kept and the last level marked stopped (a second Ctrl-C aborts at once)."""
    try:
        return _solution(plan_model, values, levels)
    except KeyboardInterrupt:
        levels[-1] = levels[-1].model_copy(update={"stopped_by_user": True})
        return _solution(plan_model, values, levels)


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


def _hold_level(
    plan_model: PlanModel, relaxation: LinearRelaxation, level: LevelResult, tolerance: float
) -> tuple[float, int]:
    """Hold the level within its tolerance of its value, in the model and the relaxation, for the
    levels after it; its (bound, limit)."""
    objective = level.objective
    log.info("level %s: %s objective %s bound %s", level.name, level.status, objective, level.bound)
    limit = int(objective + abs(objective) * tolerance)
    plan_model.model.add(plan_model.objectives[level.name] <= limit)
    relaxation.add_objective_limit(limit)
    return level.bound, limit


def _solution(plan_model: PlanModel, values: dict[int, int], levels: list[LevelResult]) -> Solution:
    """The counts, chains and classes of the final values, and each level's value at them."""
    model = plan_model.model
    # each level's value at the final counts (a later level may improve an earlier one), with the
    # auxiliary variables recomputed from them: a level after the shortfall level only bounds the
    # shortfall variables, which may then sit above what the counts miss
    final = dict(values)
    for var, compute in plan_model.derived:
        final[var.index] = compute(final)
    counted = {}
    for level in levels:
        model.minimize(plan_model.objectives[level.name])
        counted[level.name] = objective_value(model, final)
    return (
        {key: values[var.index] for key, var in plan_model.n.items() if values[var.index]},
        {key: values[var.index] for key, var in plan_model.chain.items() if values[var.index]},
        {key: values[var.index] for key, var in plan_model.classes.items()},
        counted,
    )


def _relaxed(
    relaxation: LinearRelaxation,
    plan_model: PlanModel,
    budget: float,
    current: dict[int, int] | None,
    gap: float,
    totals: list[int],
    deadline: float = math.inf,
    floor: float = -math.inf,
) -> tuple[float, dict[int, int] | None, float, bool]:
    """The level's bound from its LP relaxation, the best plan its branch and bound over the
    class counts found (None if none was better than the `current` plan, which guides it), the
    share of its LP solves it used, and whether the `deadline` cut it. `totals`: the sums
    registered with the relaxation (classes of each program over all years) that the search
    branches on first; `floor`, a bound known to hold (from the round before)."""
    lower = relaxation.minimize_objective()
    if lower is None:  # numerically troubled: no bound, no plan
        return -math.inf, None, 0.0, False
    counts = [var.index for var in plan_model.decisions]
    classes = [var.index for var in plan_model.classes.values()]
    work = min(
        MAX_COMPLETION_WORK, max(MIN_COMPLETION_WORK, COMPLETION_SHARE * budget * DETERMINISTIC_PER_SECOND)
    )
    left = [budget * DETERMINISTIC_PER_SECOND]  # the completions' work, all leaves together

    def leaf(values: list[float]) -> dict[int, int] | None:  # its few fractional counts settled
        if left[0] <= 0:
            return None
        plan, used = complete(plan_model.model, values, counts, classes, min(work, left[0]), deadline)
        left[0] -= used
        return plan

    max_solves = max(MIN_SEARCH_SOLVES, round(SEARCH_SOLVES_PER_SECOND * budget))
    search = relaxation.search(
        classes,
        leaf,
        math.inf if current is None else objective_value(plan_model.model, current),
        gap,
        max_solves=max_solves,
        guide=_near(plan_model, current) if current else None,
        strong=totals,
        deadline=deadline,
        floor=floor,
    )
    log.info("branch and bound: %d LP solves, bound %s, plan %s", search.solves, search.bound, search.upper)
    bound = max(lower, search.bound, floor)
    bound = math.ceil(bound - BOUND_TOLERANCE * max(1.0, abs(bound)))  # objectives take integer values
    return bound, search.plan, min(1.0, search.solves / max_solves), search.cut


def _class_totals(relaxation: LinearRelaxation, plan_model: PlanModel) -> list[int]:
    """Each class program's classes over all years, registered as sums with the relaxation.
    The search branches on them first: fixing one year's count hardly moves the bound (the
    fraction moves to another year); the total cannot dodge (25,000 officials, plan 2023:
    splitting the root on one raised the shortfall bound from 1,046,744 to 1,051,628)."""
    yearly: dict[str, list[int]] = defaultdict(list)
    for (program, _), var in plan_model.classes.items():
        yearly[program].append(var.index)
    return [relaxation.add_sum(indices) for indices in yearly.values()]


def _near(plan_model: PlanModel, plan: dict[int, int]) -> dict[int, tuple[float, float]]:
    """Bounds around a plan: its class counts, and no shortfall term worse than its own (so that
    people chosen afresh do not trade one requirement for another: whole numbers rarely allow
    that at a fixed shortfall level)."""
    near: dict[int, tuple[float, float]] = {
        var.index: (plan[var.index], plan[var.index]) for var in plan_model.classes.values()
    }
    return near | {term.var.index: (0, plan[term.var.index]) for term in plan_model.shortfalls}


def _level(
    name: str,
    status: str,
    model: cp_model.CpModel,
    values: dict[int, int],
    bound: float,
    started: float,
    *,
    wall: bool = False,
    user: bool = False,
) -> LevelResult:
    """A level's result at the given values; an unknown bound is reported as a 100 % gap."""
    objective = objective_value(model, values)
    return LevelResult(
        name=name,
        status=status,
        objective=objective,
        bound=bound if bound > -math.inf else objective - abs(objective),
        wall_time=round(time.monotonic() - started, 3),
        stopped_by_wall_clock=wall,
        stopped_by_user=user,
    )


def _unsolved(name: str, status: str, started: float, *, user: bool) -> LevelResult:
    wall_time = round(time.monotonic() - started, 3)
    return LevelResult(
        name=name, status=status, objective=0, bound=0, wall_time=wall_time, stopped_by_user=user
    )


def _solve_interruptibly(
    solver: cp_model.CpSolver, model: cp_model.CpModel, callback: cp_model.CpSolverSolutionCallback | None
) -> tuple[cp_model.CpSolverStatus, bool]:
    """Solve in a worker thread so that Ctrl-C stops the search and keeps the best plan so far."""
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
    if failure:
        raise RuntimeError(f"CP-SAT failed in its thread: {failure[0]!r}") from failure[0]
    return outcome["status"], interrupted


def _set_hint(plan_model: PlanModel, values: dict[int, int]) -> None:
    model = plan_model.model
    model.clear_hints()
    for index, value in sorted(values.items()):
        model.add_hint(model.get_int_var_from_proto_index(index), value)


def _hint_values(
    plan_model: PlanModel,
    counts: Counts,
    classes: dict[tuple[str, int], int],
    chains: ChainCounts | None = None,
) -> dict[int, int]:
    """A complete hint: counts, chains and classes of a plan, auxiliary variables computed from them."""
    values = {var.index: counts.get(key, 0) for key, var in plan_model.n.items()}
    values.update({var.index: (chains or {}).get(key, 0) for key, var in plan_model.chain.items()})
    values.update({var.index: classes.get(key, 0) for key, var in plan_model.classes.items()})
    for var, compute in plan_model.derived:
        values[var.index] = compute(values)
    return values


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


def _result(
    population: Population,
    status: str,
    method: str,
    chosen: list[tuple[str, str, int]],
    classes: dict[tuple[str, int], int],
    started: float,
    notes: list[Text],
    stats: dict[str, int],
) -> Result:
    """The plan of chosen people and classes as a `Result` (its levels are set by the caller)."""
    officials = population.officials()
    nominations, infos, dropped = form_classes(chosen, classes, population.scenario, officials)
    if dropped:
        notes.append(
            Text(f"{dropped} người bị bỏ để giữ sĩ số lớp.", f"{dropped} people dropped to keep class sizes.")
        )
    stats = {
        **stats,
        "cohorts": len(population.cohorts),
        "officials": len(officials),
        "alone": population.alone,
    }
    return Result(
        status=status,
        method=method,
        nominations=nominations,
        classes=infos,
        shortfalls=measure_shortfalls(population, nominations, infos),
        levels=[],
        cost_by_year=plan_cost(population.scenario, nominations, infos),
        wall_time=round(time.monotonic() - started, 3),
        notes=notes,
        stats=stats,
    )
