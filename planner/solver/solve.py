"""One entry point: roster + scenario + settings -> Result (a plan, never an exception for a short one)."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence

from models import Decision, LevelResult, Nomination, Result, Roster, Scenario, SolverSettings, Text
from planner.analysis.replan import check_decisions, plan_changes, prepare_replan
from planner.analysis.shortfalls import measure_shortfalls, plan_cost, weighted_shortfall
from planner.rules.eligibility import Context
from planner.solver.cohorts import Population, Start, build_population, split_population
from planner.solver.greedy import greedy_plan
from planner.solver.levels import BOUND_TOLERANCE, ChainCounts, Counts, LevelSearch, Progress, Solution
from planner.solver.model import PlanModel
from planner.solver.naming import Naming, fill_unnamed, form_classes, name_people
from planner.solver.objectives import plan_objectives
from planner.solver.relax import within_gap
from planner.solver.stop import stop_event
from planner.solver.units import assign_units

log = logging.getLogger(__name__)

#: Share of the time limit (as a work budget) of the first round, and of each round after unit
#: caps bind (a level stops once within the gap, which a later round, starting from the plan
#: named in the round before, often is at once). The wall clock caps all rounds together.
FIRST_ROUND_SHARE = 0.75
CAP_ROUND_SHARE = 0.5
#: How many times units whose absence cap binds are split out and re-solved (the best round wins).
MAX_CAP_ROUNDS = 3

#: On a plan whose search a stop (Ctrl-C, the web app's Stop) cut short: a level, or a round.
STOPPED_NOTE = Text(
    "Dừng theo yêu cầu (Ctrl-C hoặc nút Dừng): phương án tốt nhất đến lúc đó.",
    "Stopped on request (Ctrl-C or Stop): the best plan so far.",
)


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
    stop: threading.Event | None = None,
) -> Result:
    """Plan the scenario for the roster: the best plan found, its shortfalls and its quality.

    Replanning: `approved` nominations stay fixed and close their years; `decisions` pin or
    exclude people; the plan keeps to the `previous` draft, moving at most `max_changes` names.
    A `population` already built for this roster and scenario (`build_population`) saves a rebuild.
    `stop`, once set (from another thread), ends the search as Ctrl-C does: the best plan so far
    (the event `planner.solver.stop.stop_with` set for this thread when none is given).
    """
    settings = (settings or SolverSettings()).for_roster(len(roster.officials))
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
    stop = stop or stop_event()
    result = _solve(population, settings, method, progress, open_previous, max_changes, started, stop)
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
    stop: threading.Event | None = None,
) -> Result:
    if method == "greedy":
        chosen, classes = greedy_plan(population)
        return _result(population, "FEASIBLE", "greedy", chosen, classes, started, [], {})
    return _Rounds(population, settings, progress, previous, max_changes, started, stop).run()


class _Rounds:
    """The rounds of one solve: each solves the levels on the population as split so far and names
    the people; where unit caps leave counted places without a name, the units are modelled one by
    one and the next round starts from the plan named. The best named round is returned."""

    def __init__(
        self,
        population: Population,
        settings: SolverSettings,
        progress: Progress | None,
        previous: list[Nomination],
        max_changes: int | None,
        started: float,
        stop: threading.Event | None,
    ) -> None:
        self.population, self.settings, self.progress, self.stop = population, settings, progress, stop
        self.previous, self.max_changes, self.started = previous, max_changes, started
        self.keep = {(n.official_id, n.program, n.year) for n in previous}
        self.clock = _Clock()
        self.rounds: list[Result] = []  # every solved round, named; the best of them is returned
        self.levels: list[LevelResult] = []
        self.prior: list[tuple[float, int]] = []  # each level's (bound, limit) in the round before
        self.stopped = False  # a stop cut the search or a round that would follow
        self.heard = False  # a stop came, cutting something or not
        self.passes = 0
        self.deadline = math.inf
        #: Seconds a round takes before its searches can stop: its model and LP (`built`), and its
        #: levels' root LPs (the round's roots so far, per level, times the levels)
        self.built = self.floor = 0.0
        self.start_chosen: list[tuple[str, str, int]] = []
        self.start_classes: dict[tuple[str, int], int] = {}

    def run(self) -> Result:
        """The best plan of the rounds (the greedy plan's, if the solver gives none or a worse one)."""
        population, started = self.population, self.started
        greedy_chosen, greedy_classes = greedy_plan(population)
        fallback = _result(population, "FALLBACK", "greedy", greedy_chosen, greedy_classes, started, [], {})
        self.clock.lap("greedy")
        # the searches end early enough for naming and measuring the plan (about twice the greedy plan's time)
        reserve = min(0.5 * self.settings.seconds, 2 * (time.monotonic() - started))
        self.deadline = started + self.settings.seconds - reserve
        self.start_chosen, self.start_classes = greedy_chosen, greedy_classes
        for cap_round in range(MAX_CAP_ROUNDS + 1):
            self.passes = cap_round + 1
            if not self._round(cap_round):
                break
        if not self.rounds:
            result = _without_solver_plan(fallback, self.stopped, self.levels, started, self.clock)
        else:
            result = _best(self.rounds, fallback, population.scenario, started, self.clock, self.passes)
        cut = self.stopped or any(level.stopped_by_user for level in self.levels)
        result.stop = "cut" if cut else "after" if self.heard else ""
        return result

    def _round(self, cap_round: int) -> bool:
        """Solve, name and keep one round; whether another round follows."""
        solution: Solution | None = None  # this round's solved counts, until they are named
        plan_model: PlanModel | None = None
        began = time.monotonic()
        try:
            plan_model, search = self._search(cap_round)
            self.built = time.monotonic() - began
            # a round left after this one: name the plan before the last level, which a next
            # round would solve again anyway
            early = len(search.order) > 1 and cap_round < MAX_CAP_ROUNDS
            start = plan_model.values_of(*self._hint())
            solution = search.run(start, self.prior, upto=len(search.order) - 1 if early else None)
            self._solved(search)
            if early and solution is not None and not search.ended:
                binding = self._binding_units(solution, cap_round)
                if self._kept(binding[0], solution, plan_model) is None and self._split(
                    binding, dict(solution[2])
                ):
                    return True
                solution = search.resume()
                self._solved(search)
            if solution is None:
                return False
            return self._named_round(solution, plan_model, cap_round)
        except KeyboardInterrupt:  # a Ctrl-C between searches: the best plan so far (greedy's if none)
            self.stopped = self.heard = True
            if solution is not None and plan_model is not None:  # solved, not yet named: the best so far
                named = _name_solution(self.population, solution, self.keep)[0]
                self.rounds.append(self._named(fill_unnamed(self.population, named), solution, plan_model))
                # every level solved and every place named: the stop came after the end, cut nothing
                done = not self.rounds[-1].unsolved_levels and not named.unfilled
                self.stopped = not done or any(level.stopped_by_user for level in self.levels)
            if self.rounds and self.stopped:
                self.rounds[-1].notes.append(STOPPED_NOTE)
            return False

    def _search(self, cap_round: int) -> tuple[PlanModel, LevelSearch]:
        share = FIRST_ROUND_SHARE if cap_round == 0 else CAP_ROUND_SHARE
        settings = self.settings.model_copy(update={"time_limit": self.settings.seconds * share})
        before = _as_counts(self.population, [(n.official_id, n.program, n.year) for n in self.previous])
        plan_model = PlanModel(self.population, before[0], self.max_changes)
        self.clock.lap("model")
        return plan_model, LevelSearch(plan_model, settings, self.deadline, self.progress, self.stop)

    def _hint(self) -> tuple[Counts, dict[tuple[str, int], int], ChainCounts]:
        """The start of a round: the previous draft in the first, else the plan the round before named."""
        population = self.population
        if self.previous and not self.rounds and self.passes == 1:
            counts, chains = _as_counts(
                population, [(n.official_id, n.program, n.year) for n in self.previous]
            )
        else:
            counts, chains = _as_counts(population, self.start_chosen)
        return counts, self.start_classes, chains

    def _solved(self, search: LevelSearch) -> None:
        self.levels, self.prior = search.levels, search.records
        self.floor = self.built + search.roots / max(1, len(search.levels)) * len(search.order)
        self.clock.lap("solve")

    def _binding_units(self, solution: Solution, cap_round: int) -> tuple[Naming, frozenset[str]]:
        """The people of the solved counts, and the units whose caps left places without a name."""
        naming, short_units = _name_solution(self.population, solution, self.keep)
        new_units = _units_to_split(self.population, naming, short_units, widely=cap_round > 0)
        self.clock.lap("units")
        return naming, new_units

    def _named_round(self, solution: Solution, plan_model: PlanModel, cap_round: int) -> bool:
        """Name the round's plan and keep it; whether a next round models the units whose caps left
        places without a name (else, or in the last round, others take the places)."""
        naming, new_units = self._binding_units(solution, cap_round)
        asked = self.stop is not None and self.stop.is_set()
        self.heard = self.heard or asked
        follows = bool(naming.unfilled and new_units) and cap_round < MAX_CAP_ROUNDS
        follows = follows and self._time_for_a_round()  # a round would model the units
        kept = self._kept(naming, solution, plan_model) if follows else None
        follows = follows and kept is None
        cut = any(level.stopped_by_user for level in self.levels)
        # stopped: the stop cut a level, or the round that would follow (not a stop after the end)
        self.stopped = cut or (asked and follows)
        last = cut or asked or not follows
        if naming.unfilled and last and kept is None:  # no round left: other people take the places
            log.info(  # the plan's note says so to its reader, in both languages
                "%d places without a name after %d rounds go to others",
                sum(naming.unfilled.values()),
                cap_round + 1,
            )
            naming = fill_unnamed(self.population, naming)
        self.rounds.append(kept or self._named(naming, solution, plan_model))
        self.clock.lap("naming")
        if self.stopped:
            self.rounds[-1].notes.append(STOPPED_NOTE)
        if not naming.unfilled or last:
            return False
        return self._split(
            (naming, new_units), dict(Counter((c.program, c.year) for c in self.rounds[-1].classes))
        )

    def _kept(self, naming: Naming, solution: Solution, plan_model: PlanModel) -> Result | None:
        """The plan with other people in the places naming left empty, if that keeps every level
        solved so far within its gap of its bound: no round then needs to model the units (the
        bounds hold for it: the model relaxes the caps of the units it does not model one by one);
        None otherwise, and always when replanning from a draft (the others chosen would move
        names the draft's people could keep, past `max_changes` even)."""
        if not naming.unfilled or self.previous:
            return None
        filled = fill_unnamed(self.population, naming)
        if filled.unfilled:
            return None
        result = self._named(filled, solution, plan_model)
        if not all(within_gap(level.objective, level.bound, self.settings.gap) for level in result.levels):
            return None
        log.info(
            "others can take the %d places unit caps left without a name within every level's gap",
            filled.refilled,
        )
        return result

    def _named(self, naming: Naming, solution: Solution, plan_model: PlanModel) -> Result:
        _, _, classes, counted = solution
        return _named(
            self.settings,
            self.started,
            self.population,
            naming,
            classes,
            self.levels,
            counted,
            plan_model.size(),
        )

    def _time_for_a_round(self) -> bool:
        """Whether another round can build its model and solve its levels' roots (which run to the end
        whatever the clock) before the deadline, if it takes as long as the round before."""
        return time.monotonic() + self.floor < self.deadline

    def _split(self, binding: tuple[Naming, frozenset[str]], classes: dict[tuple[str, int], int]) -> bool:
        """Model the binding units one by one in the next round, which starts from the named plan
        with its empty places given to others; False when there is nothing to split or no time."""
        naming, new_units = binding
        if not naming.unfilled or not new_units or not self._time_for_a_round():
            return False
        log.info("unit caps bind in %d units: modelling them and solving again", len(new_units))
        # the named plan, its empty places given to others, keeps every unit's cap
        self.start_chosen = fill_unnamed(self.population, naming).chosen
        self.start_classes = classes
        self.population = split_population(self.population, self.population.split_units | new_units)
        return True


def _best(
    rounds: list[Result], fallback: Result, scenario: Scenario, started: float, clock: _Clock, passes: int
) -> Result:
    """The best written plan, level by level (a later round on equal terms: its model is finer);
    the greedy plan if it falls shorter."""
    result = min(reversed(rounds), key=lambda r: tuple(level.objective for level in r.levels))
    if any(STOPPED_NOTE in r.notes for r in rounds) and STOPPED_NOTE not in result.notes:
        result.notes.append(STOPPED_NOTE)
    result.stats |= clock.laps | {"rounds": passes}
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
    named plan fills to its cap that people of a cohort not modelled by unit could be sent from
    (narrow in the first round, wide after it: why, in benchmarks/RESULTS.md, "Why the solver is
    built so")."""
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
    # optimal: every level of the objective solved (not cut off by a stop) and proven
    solved = {level.name for level in result.levels}
    result.unsolved_levels = [name for name in population.scenario.objective.order if name not in solved]
    proven = not result.unsolved_levels and all(level.status == "OPTIMAL" for level in result.levels)
    result.status = "OPTIMAL" if proven else "FEASIBLE"
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
