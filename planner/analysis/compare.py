"""Scenarios side by side: solve several on one roster, align their figures, sweep a budget factor.

- `ScenarioPool` solves scenarios of one roster, each plan checked by `planner.analysis.check`, in
  worker processes when asked for more than one job (every solve independent of the others).
- `compare_plans` aligns solved plans by year: coverage of every target per year and at
  the deadline, shortfalls, classes and people per program and year, cost against budget,
  and who enters or leaves the lists between the first plan and each other one.
- `sweep` solves one scenario at a range of budget factors (`parse_factor_range`) and, for
  each shortfall of the plan at factor 1, re-solves relaxed copies of the scenario (more
  classes, more places, more budget, one at a time) to find what would close it.

Everything returned is plain data (the JSON files hold it as is; the workbooks show it).
"""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from models import Nomination, Official, Result, Roster, Scenario, Shortfall, SolverSettings
from planner.analysis.check import assert_valid
from planner.analysis.executor import (
    LOCAL,
    Backend,
    ExecutorChoice,
    TaskEvent,
    TasksInterrupted,
    open_backend,
    run_tasks,
)
from planner.io.text import normalize_key
from planner.report.summary import plan_summary
from planner.solver.cohorts import Population, build_population
from planner.solver.solve import solve

log = logging.getLogger(__name__)

#: Most budget factors one sweep may hold.
MAX_FACTORS = 41
#: Steps tried for each relaxation: extra classes a year, extra places (or quota people) a year.
EXTRA_CLASSES = (1, 2, 3, 4, 6, 8)
EXTRA_PLACES = (1, 2, 3, 5, 10, 20)
#: Budget factors tried when the sweep has none above 1.
BUDGET_STEPS = (1.1, 1.2, 1.3, 1.5, 1.75, 2.0)
#: Re-solves one shortfall may use (each relaxation needs at most 1 + ceil(log2(steps))).
MAX_TRIES_PER_SHORTFALL = 12
#: Re-solves a whole sweep may use to explain its shortfalls (shared between shortfalls).
DEFAULT_MAX_RESOLVES = 40
#: The budget factor of the plan whose shortfalls a sweep explains.
BASE_FACTOR = 1.0


# --- budget factors ------------------------------------------------------------------------------


def parse_factor_range(text: str) -> list[float]:
    """Budget factors, ascending, from `start:stop:step` (stop included when a step lands on it) or `a,b,c`.

    Decimal arithmetic keeps `0.5:1.5:0.1` at exactly 0.5, 0.6, ..., 1.5. Raises ValueError for
    anything else: a missing or extra part, a value that is not a finite number >= 0, a step
    that is not positive, start above stop, a factor listed twice, or more than MAX_FACTORS.
    """
    text = text.strip()
    if not text:
        raise ValueError("give start:stop:step (e.g. 0.5:1.5:0.1) or a list (e.g. 0.8,1,1.2)")
    if ":" in text:
        parts = text.split(":")
        if len(parts) != 3:
            raise ValueError(f"{text!r}: write start:stop:step, e.g. 0.5:1.5:0.1")
        start, stop, step = (_factor(part) for part in parts)
        if step <= 0:
            raise ValueError(f"{text!r}: the step must be greater than 0")
        if start > stop:
            raise ValueError(f"{text!r}: start must not be greater than stop")
        count = int((stop - start) / step) + 1
        if count > MAX_FACTORS:
            raise ValueError(f"{text!r}: {count} factors, at most {MAX_FACTORS}")
        values = [start + i * step for i in range(count)]
    else:
        values = [_factor(part) for part in text.split(",")]
        repeated = sorted({v for v in values if values.count(v) > 1})
        if repeated:
            raise ValueError(f"{text!r}: {', '.join(map(str, repeated))} listed twice")
        if len(values) > MAX_FACTORS:
            raise ValueError(f"{text!r}: {len(values)} factors, at most {MAX_FACTORS}")
    return [float(v) for v in sorted(values)]


def _factor(part: str) -> Decimal:
    try:
        value = Decimal(part.strip())
    except InvalidOperation:
        raise ValueError(f"{part.strip()!r} is not a number") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"{part.strip()!r}: a budget factor is a number >= 0")
    return value


def factor_label(factor: float) -> str:
    """How a budget factor names its plan: ×0.5, ×1, ×1.25."""
    return f"×{factor:g}"


def has_budget(scenario: Scenario) -> bool:
    """True when some plan year has a budget limit (so a budget factor changes something)."""
    return any(scenario.budget.limit(year) is not None for year in scenario.years)


# --- scenario variants --------------------------------------------------------------------------


def _rebuilt(scenario: Scenario, **changes: Any) -> Scenario:
    # Not scenario.model_copy(update=...): it would copy the cached program index along with the
    # fields, so scenario.program(code) would return the unchanged program.
    return Scenario.model_validate({**dict(scenario), **changes})


def with_budget_factor(scenario: Scenario, factor: float) -> Scenario:
    """The scenario with `budget.factor` replaced (as `load_scenario(..., budget_factor=)` does)."""
    return _rebuilt(scenario, budget=scenario.budget.model_copy(update={"factor": factor}))


RelaxationKind = Literal["classes", "places", "quota", "budget"]


@dataclass(frozen=True)
class Relaxation:
    """One way to loosen a scenario, in increasing steps: more classes or places a year, more budget.

    `classes`: `classes_per_year_max + step` of class program `subject`; `places`:
    `places_per_year_max + step` of slot program `subject`; `quota`: `max_per_year + step` of
    quota `subject`; `budget`: budget factor `step`.
    """

    kind: RelaxationKind
    subject: str
    steps: tuple[float, ...]

    @property
    def most_tries(self) -> int:
        """Re-solves a search over the steps may need: the largest step, then bisection."""
        return 1 + math.ceil(math.log2(len(self.steps)))

    def key(self, step: float) -> VariantKey:
        """What identifies the relaxed scenario (shared by every shortfall that tries it)."""
        return (self.kind, self.subject, step)

    def apply(self, scenario: Scenario, step: float) -> Scenario:
        """The scenario loosened by `step`."""
        if self.kind == "budget":
            return with_budget_factor(scenario, step)
        if self.kind == "quota":
            quotas = [
                q.model_copy(update={"max_per_year": (q.max_per_year or 0) + int(step)})
                if q.code == self.subject
                else q
                for q in scenario.quotas
            ]
            return _rebuilt(scenario, quotas=quotas)
        limit = "classes_per_year_max" if self.kind == "classes" else "places_per_year_max"
        programs = [
            p.model_copy(update={limit: (getattr(p, limit) or 0) + int(step)})
            if p.code == self.subject
            else p
            for p in scenario.programs
        ]
        return _rebuilt(scenario, programs=programs)

    def describe(self, scenario: Scenario, step: float) -> tuple[str, str]:
        """(vi, en) words for the relaxation at `step`, e.g. `DUTY: +2 lớp/năm (tối đa 12)`."""
        if self.kind == "budget":
            return f"kinh phí ×{step:g}", f"budget ×{step:g}"
        if self.kind == "quota":
            quota = next(q for q in scenario.quotas if q.code == self.subject)
            most = (quota.max_per_year or 0) + int(step)
            return (
                f"{self.subject}: +{step:g} người/năm (tối đa {most})",
                f"{self.subject}: +{step:g} people a year (at most {most})",
            )
        program = scenario.program(self.subject)
        many = step != 1
        if self.kind == "classes":
            most = (program.classes_per_year_max or 0) + int(step)
            return (
                f"{self.subject}: +{step:g} lớp/năm (tối đa {most})",
                f"{self.subject}: +{step:g} class{'es' * many} a year (at most {most})",
            )
        most = (program.places_per_year_max or 0) + int(step)
        return (
            f"{self.subject}: +{step:g} suất/năm (tối đa {most})",
            f"{self.subject}: +{step:g} place{'s' * many} a year (at most {most})",
        )


VariantKey = tuple[str, str, float]


def relaxations_for(
    scenario: Scenario, shortfall: Shortfall, budget_steps: Sequence[float] = BUDGET_STEPS
) -> list[Relaxation]:
    """The relaxations that could reduce a shortfall, capacity first, budget last.

    The yearly maxima of the programs the shortfall is about (a target's programs, the program
    of a yearly minimum, a quota's programs) and of the quotas that share them; not the maximum
    of the very program or quota whose minimum is missed (raising it cannot help); the budget
    when the scenario has one.
    """
    if shortfall.kind == "target":
        codes = next(t.programs for t in scenario.targets if t.code == shortfall.code)
    elif shortfall.kind == "quota":
        codes = next(q.programs for q in scenario.quotas if q.code == shortfall.code)
    else:
        codes = [shortfall.code]
    own = shortfall.code if shortfall.kind != "target" else None
    found: list[Relaxation] = []
    for code in codes:
        program = scenario.program(code)
        if code == own:
            continue
        if program.is_class and program.classes_per_year_max is not None:
            found.append(Relaxation("classes", code, EXTRA_CLASSES))
        elif not program.is_class and program.places_per_year_max is not None:
            found.append(Relaxation("places", code, EXTRA_PLACES))
    for quota in scenario.quotas:
        if quota.max_per_year is not None and quota.code != own and set(quota.programs) & set(codes):
            found.append(Relaxation("quota", quota.code, EXTRA_PLACES))
    if has_budget(scenario) and budget_steps:
        found.append(Relaxation("budget", "", tuple(budget_steps)))
    return found


# --- solving --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Solved:
    """A scenario's plan, checked against every rule, and its `plan_summary`."""

    scenario: Scenario
    result: Result
    summary: dict[str, Any]


#: The population this process built last, by roster and scenario but for its budget (`population_for`).
_last_population: dict[tuple[int, str], Population] = {}


def population_for(roster: Roster, scenario: Scenario) -> Population:
    """The roster's population under the scenario, built once in a process for scenarios that differ
    only in their budget (a sweep's factors, the budget re-solves: the rules and the cohorts never
    read the budget); the last one is kept."""
    key = (id(roster), scenario.model_dump_json(exclude={"budget"}))
    population = _last_population.get(key)
    if population is None:
        _last_population.clear()  # a population at 300,000 officials is large: one at a time
        population = _last_population[key] = build_population(roster, scenario)
    if population.scenario != scenario:
        context = replace(population.context, scenario=scenario)
        population = replace(population, scenario=scenario, context=context)
    return population


def solve_and_check(roster: Roster, scenario: Scenario, settings: SolverSettings) -> Solved:
    """Solve, check the plan (`PlanCheckError` if it breaks a rule) and summarise it."""
    population = population_for(roster, scenario)
    result = solve(roster, scenario, settings, population=population)
    assert_valid(roster, scenario, result.nominations, result.classes)
    return Solved(scenario, result, plan_summary(population, result))


#: The key the pool's roster is shared under (`planner.analysis.executor`).
ROSTER = "roster"


def solve_task(roster: Roster, job: tuple[Scenario, SolverSettings]) -> Solved:
    """`solve_and_check` as an executor task: the roster shared once, the scenario and settings its own."""
    scenario, settings = job
    return solve_and_check(roster, scenario, settings)


def cut_short(solved: Solved) -> bool:
    """True when Ctrl-C stopped the plan's search (in this process): not a finished plan."""
    return solved.result.stop == "cut" or any(level.stopped_by_user for level in solved.result.levels)


def stop_heard(solved: Solved) -> bool:
    """True when a stop came while the plan was solved, whole (kept) or not: solve no more after it."""
    return bool(solved.result.stop) or cut_short(solved)


Done = Callable[[int, Solved], None]
#: Told each solve's new state, with the solve's name (`planner.analysis.executor.TaskEvent`).
Watch = Callable[[str, TaskEvent], None]


class ScenarioPool:
    """Solves scenarios on one roster on an executor (`planner.analysis.executor`): `jobs` at a time locally.

    Use it as a context manager. The roster goes to each worker once (a pool process when it
    starts, a Dask worker by scatter): measured faster than each worker reading the roster file
    again; a worker builds the population once for scenarios that differ only in their budget
    (`population_for`). Every scenario is solved on its own with the same roster and settings, and the
    results come back in the order asked, so neither the executor nor the number of jobs changes
    them as long as each solve is reproducible (with one solver worker, when its deterministic
    work budget and not the wall clock ends it: more jobs than CPU cores make the wall clock end
    solves sooner). `backend`, when given, is an executor already open (and left open).
    """

    def __init__(
        self,
        roster: Roster,
        settings: SolverSettings,
        jobs: int = 1,
        executor: ExecutorChoice = LOCAL,
        watch: Watch | None = None,
        backend: Backend | None = None,
    ):
        if jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        self.roster = roster
        self.settings = settings
        self.jobs = jobs
        self.executor = executor
        self.watch = watch
        self._given = backend
        self._backend: Backend | None = None

    def __enter__(self) -> ScenarioPool:
        if self._given is None and self.executor.kind != "scheduler":
            warn_oversubscribed(self.jobs, self.settings.workers)
        self._backend = self._given or open_backend(self.executor, self.jobs)
        self._backend.share({ROSTER: self.roster})
        return self

    def __exit__(self, *exc: object) -> None:
        if self._backend is not None and self._given is None:
            self._backend.close()
        self._backend = None

    def solve(
        self, scenarios: Sequence[Scenario], done: Done | None = None, names: Sequence[str] | None = None
    ) -> list[Solved]:
        """Each scenario's checked plan, in order; `done(index, solved)` as each one finishes.

        A solve that fails raises its error (the others are stopped). Ctrl-C raises
        `TasksInterrupted` holding the plans that finished (a plan whose search it cut short is
        not one of them).
        """
        if self._backend is None:
            raise RuntimeError("the pool is not open: use it as a context manager (with ... as pool)")
        names = list(names) if names is not None else [s.name for s in scenarios]

        def heard(event: TaskEvent) -> None:
            if self.watch:
                self.watch(names[event.index], event)
            if event.state == "done" and event.outcome is not None:
                solved = event.outcome.value
                if cut_short(solved):
                    raise KeyboardInterrupt
                if done:
                    done(event.index, solved)
                if stop_heard(solved):  # after the search: this plan is whole and kept, no other starts
                    raise KeyboardInterrupt

        tasks = [(ROSTER, (scenario, self.settings)) for scenario in scenarios]
        try:
            outcomes = run_tasks(self._backend, solve_task, tasks, heard, fail_fast=True)
        except TasksInterrupted as stop:
            kept = {i: o for i, o in stop.finished.items() if o.ok and not cut_short(o.value)}
            raise TasksInterrupted(kept, len(scenarios)) from None
        return [outcome.value for outcome in outcomes]


def warn_oversubscribed(jobs: int, workers: int) -> None:
    """Log a warning when `jobs` solves of `workers` solver threads each outnumber the CPU cores."""
    cores = os.cpu_count() or 1
    if jobs > 1 and jobs * workers > cores:
        log.warning(
            "%d jobs x %d solver worker(s) on %d CPU cores: the solves share the cores and "
            "find less within their time limits",
            jobs,
            workers,
            cores,
        )


# --- comparison tables ----------------------------------------------------------------------------


def attainment(covered: int, required: int) -> float:
    """Share of a target reached, capped at 1 (a target nobody is required for is reached)."""
    return 1.0 if required <= 0 else min(1.0, covered / required)


def _target_figures(target: Mapping[str, Any]) -> dict[str, Any]:
    covered = target["covered_by_year"]
    at_deadline = covered[target["deadline"]]
    required = target["required"]
    return {
        "required": required,
        "deadline": target["deadline"],
        "group_size": target["group_size"],
        "covered_before": target["covered_before"],
        "covered_by_year": {str(year): count for year, count in covered.items()},
        "covered_at_deadline": at_deadline,
        "attainment": attainment(at_deadline, required),
        "met": at_deadline >= required,
    }


def scenario_figures(label: str, solved: Solved) -> dict[str, Any]:
    """One plan's figures for a comparison, years as text keys (as in JSON)."""
    scenario, summary, result = solved.scenario, solved.summary, solved.result
    targets = {t["code"]: _target_figures(t) for t in summary["targets"]}
    budgets = summary["budget_by_year"]
    limits = list(budgets.values())
    return {
        "label": label,
        "name": scenario.name,
        "start_year": scenario.start_year,
        "end_year": scenario.end_year,
        "budget_factor": scenario.budget.factor,
        "status": result.status,
        "method": result.method,
        "gap": result.gap,
        "wall_time": result.wall_time,
        "levels": summary["levels"],
        "unsolved_levels": result.unsolved_levels,
        "notes": summary["notes"],
        "nominations": summary["nominations"],
        "classes": len(result.classes),
        "total_cost": sum(summary["cost_by_year"].values()),
        "total_budget": None if None in limits else sum(limits),
        # what people still studying after the last year cost in the years after it (None: a plan
        # stored before it was measured)
        "cost_after_plan": summary.get("after_plan", {}).get("cost"),
        "average_attainment": (
            sum(t["attainment"] for t in targets.values()) / len(targets) if targets else None
        ),
        "targets_met": sum(t["met"] for t in targets.values()),
        "targets": targets,
        "programs": summary["programs"],
        "cost_by_year": summary["cost_by_year"],
        "budget_by_year": budgets,
        "shortfalls": summary["shortfalls"],
    }


def list_changes(
    before: Sequence[Nomination], after: Sequence[Nomination], officials: Mapping[str, Official]
) -> list[dict[str, Any]]:
    """Who enters or leaves the lists (official, program, start year; the class does not count).

    Sorted by program, year, unit, given name, name and id; `change` is "entered" or "left".
    """
    old = {(n.official_id, n.program, n.year) for n in before}
    new = {(n.official_id, n.program, n.year) for n in after}
    rows = []
    for change, keys in (("entered", new - old), ("left", old - new)):
        for official_id, program, year in keys:
            official = officials[official_id]
            rows.append(
                {
                    "official_id": official_id,
                    "name": official.name,
                    "unit": official.unit,
                    "program": program,
                    "year": year,
                    "change": change,
                }
            )

    def order(row: dict[str, Any]) -> tuple[Any, ...]:
        name = normalize_key(row["name"])
        return (row["program"], row["year"], normalize_key(row["unit"]), name.rsplit(" ", 1)[-1], name)

    return sorted(rows, key=lambda row: (*order(row), row["official_id"], row["change"]))


def compare_plans(
    labelled: Sequence[tuple[str, Solved]], officials: Mapping[str, Official] | None = None
) -> dict[str, Any]:
    """The plans aligned by year, and (given the roster's officials) the list changes.

    `years` is every year of any plan; a plan has no figure for a year outside its own period.
    `targets` and `programs` list every code of any scenario, in order of first appearance.
    `list_changes` compares the first plan with each other one.
    """
    scenarios = [scenario_figures(label, solved) for label, solved in labelled]
    years = sorted({y for _, solved in labelled for y in solved.scenario.years})
    targets: dict[str, dict[str, Any]] = {}
    programs: dict[str, dict[str, Any]] = {}
    for _, solved in labelled:
        for t in solved.scenario.targets:
            targets.setdefault(t.code, {"code": t.code, "name": t.name})
        for p in solved.scenario.programs:
            programs.setdefault(
                p.code, {"code": p.code, "name": p.name, "name_en": p.name_en, "kind": p.kind.value}
            )
    changes = []
    if officials is not None and labelled:
        first_label, first = labelled[0]
        for label, solved in labelled[1:]:
            rows = list_changes(first.result.nominations, solved.result.nominations, officials)
            changes.append(
                {
                    "from": first_label,
                    "to": label,
                    "entered": sum(row["change"] == "entered" for row in rows),
                    "left": sum(row["change"] == "left" for row in rows),
                    "rows": rows,
                }
            )
    return {
        "years": years,
        "targets": list(targets.values()),
        "programs": list(programs.values()),
        "scenarios": scenarios,
        "list_changes": changes,
    }


def compare(
    pool: ScenarioPool,
    labelled: Sequence[tuple[str, Scenario]],
    done: Callable[[str, Solved], None] | None = None,
) -> dict[str, Any]:
    """Solve the scenarios on the pool's roster and compare the plans (see `compare_plans`).

    `done(label, solved)` is called as each plan is ready. After Ctrl-C the comparison holds the
    plans that finished, `interrupted` is true and `not_solved` names the others (nothing
    finished: `TasksInterrupted` again).
    """
    labels = [label for label, _ in labelled]
    try:
        plans = dict(enumerate(pool.solve([s for _, s in labelled], _named(done, labels), labels)))
        stopped = False
    except TasksInterrupted as stop:
        if not stop.finished:
            raise
        plans, stopped = {i: outcome.value for i, outcome in stop.finished.items()}, True
    pairs = [(label, plans[i]) for i, label in enumerate(labels) if i in plans]
    return compare_plans(pairs, pool.roster.by_id()) | {
        "interrupted": stopped,
        "not_solved": [label for i, label in enumerate(labels) if i not in plans],
    }


# --- what would close a shortfall ---------------------------------------------------------------------


def missing_in(result: Result, shortfall: Shortfall) -> int:
    """How many are still missing for the same target or minimum (code, kind, year) in another plan."""
    for s in result.shortfalls:
        if (s.code, s.kind, s.year) == (shortfall.code, shortfall.kind, shortfall.year):
            return s.missing
    return 0


@dataclass
class _Search:
    """The smallest step of one relaxation that closes one shortfall: the largest step, then bisection."""

    shortfall: Shortfall
    relaxation: Relaxation
    #: Step index -> people or classes still missing there.
    tried: dict[int, int] = field(default_factory=dict)
    #: Largest index known not to close it, smallest index known to close it.
    low: int = -1
    high: int | None = None
    #: Why the search stopped early: "shortfall" or "sweep" (which limit of re-solves ran out).
    limit: str | None = None

    def next_index(self) -> int | None:
        if self.limit:
            return None
        if not self.tried:
            return len(self.relaxation.steps) - 1
        if self.high is None or self.high - self.low <= 1:
            return None
        return (self.low + self.high) // 2

    def record(self, index: int, missing: int) -> None:
        self.tried[index] = missing
        if missing == 0:
            self.high = index
        else:
            self.low = index

    def outcome(self, scenario: Scenario) -> dict[str, Any]:
        relaxation = self.relaxation
        entry: dict[str, Any] = {
            "kind": relaxation.kind,
            "subject": relaxation.subject,
            "tries": len(self.tried),
            "limit": self.limit,
        }
        if not self.tried:
            return entry | {
                "outcome": "not_tried",
                "step": None,
                "missing": None,
                "description": "",
                "description_en": "",
            }
        if self.high is not None:
            index, outcome = self.high, "closed"
        else:
            index = min(self.tried, key=lambda i: (self.tried[i], i))
            outcome = "reduced" if self.tried[index] < self.shortfall.missing else "no_effect"
        step = relaxation.steps[index]
        vi, en = relaxation.describe(scenario, step)
        return entry | {
            "outcome": outcome,
            "step": step,
            "missing": self.tried[index],
            "description": vi,
            "description_en": en,
        }


def what_closes(
    pool: ScenarioPool,
    base: Scenario,
    shortfalls: Sequence[Shortfall],
    solved: dict[VariantKey, Solved],
    budget_steps: Sequence[float] = BUDGET_STEPS,
    max_resolves: int = DEFAULT_MAX_RESOLVES,
    done: Callable[[str, Solved], None] | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """For each shortfall of `base`'s plan, the smallest step of each relaxation that closes it.

    Found by re-solving relaxed copies of `base`, one relaxation at a time: first at its largest
    step (shared by every shortfall the relaxation may help), then, when that closes the
    shortfall, by bisection down to the smallest step that still does. A relaxation that does
    not close it reports how many are still missing at its largest step. At most
    MAX_TRIES_PER_SHORTFALL re-solves per shortfall (the relaxations that would pass it are
    `not_tried`) and `max_resolves` new solves in all; `solved` holds the plans already known
    (by `Relaxation.key`) and gains the new ones. Returns the entries and the solves made.
    Ctrl-C: `ClosingInterrupted`, with the entries of the shortfalls whose searches finished.
    """
    searches: list[list[_Search]] = []
    for shortfall in shortfalls:
        kept, tries = [], 0
        for relaxation in relaxations_for(base, shortfall, budget_steps):
            search = _Search(shortfall, relaxation)
            tries += relaxation.most_tries
            search.limit = "shortfall" if tries > MAX_TRIES_PER_SHORTFALL else None
            kept.append(search)
        searches.append(kept)
    flat = [search for kept in searches for search in kept]
    made = 0
    stopped: TasksInterrupted | None = None
    while True:
        wanted: dict[VariantKey, tuple[Relaxation, float]] = {}
        for search in flat:
            index = search.next_index()
            if index is not None:
                step = search.relaxation.steps[index]
                wanted.setdefault(search.relaxation.key(step), (search.relaxation, step))
        if not wanted:
            break
        new = [key for key in wanted if key not in solved][: max(0, max_resolves - made)]
        if new:
            variants = [wanted[key][0].apply(base, wanted[key][1]) for key in new]
            names = [wanted[key][0].describe(base, wanted[key][1])[1] for key in new]
            try:
                plans = dict(enumerate(pool.solve(variants, _named(done, names), names)))
            except TasksInterrupted as stop:
                plans, stopped = {i: outcome.value for i, outcome in stop.finished.items()}, stop
            for i, plan in plans.items():
                solved[new[i]] = plan
            made += len(plans)
        _record(flat, solved, give_up=stopped is None)
        if stopped is not None:
            break
    entries, unexplained = [], []
    for shortfall, kept in zip(shortfalls, searches, strict=True):
        if any(search.next_index() is not None for search in kept):  # stopped by Ctrl-C
            unexplained.append(shortfall.model_dump() | {"missing": shortfall.missing})
            continue
        entries.append(
            shortfall.model_dump()
            | {"missing": shortfall.missing, "relaxations": [s.outcome(base) for s in kept]}
        )
    if stopped is not None:
        raise ClosingInterrupted(stopped, entries, made, unexplained)
    return entries, made


def _record(searches: Sequence[_Search], solved: Mapping[VariantKey, Solved], give_up: bool) -> None:
    """Each search's step solved in this round; a step not solved ends the search when `give_up`."""
    for search in searches:
        index = search.next_index()
        if index is None:
            continue
        key = search.relaxation.key(search.relaxation.steps[index])
        if key in solved:
            search.record(index, missing_in(solved[key].result, search.shortfall))
        elif give_up:
            search.limit = "sweep"


class ClosingInterrupted(TasksInterrupted):
    """Ctrl-C during `what_closes`: the entries of the shortfalls whose searches finished, the others."""

    def __init__(
        self,
        stop: TasksInterrupted,
        entries: list[dict[str, Any]],
        made: int,
        unexplained: list[dict[str, Any]],
    ):
        super().__init__(stop.finished, stop.total)
        self.entries, self.made, self.unexplained = entries, made, unexplained


def _named(done: Callable[[str, Solved], None] | None, names: Sequence[str]) -> Done | None:
    """A `ScenarioPool.solve` callback that reports each plan under its name."""
    if done is None:
        return None
    return lambda index, plan: done(names[index], plan)


# --- budget sweep -------------------------------------------------------------------------------------


def thresholds(comparison: Mapping[str, Any], factors: Sequence[float]) -> list[dict[str, Any]]:
    """For each target, the smallest factor from which it is met at every larger factor of the sweep."""
    found = []
    for target in comparison["targets"]:
        met = [s["targets"][target["code"]]["met"] for s in comparison["scenarios"]]
        met_from = None
        for factor, ok in zip(reversed(factors), reversed(met), strict=True):
            if not ok:
                break
            met_from = factor
        found.append(
            {
                "code": target["code"],
                "name": target["name"],
                "met_from": met_from,
                "met_at": [f for f, ok in zip(factors, met, strict=True) if ok],
            }
        )
    return found


def sweep(
    pool: ScenarioPool,
    scenario: Scenario,
    factors: Sequence[float],
    max_resolves: int = DEFAULT_MAX_RESOLVES,
    done: Callable[[str, Solved], None] | None = None,
) -> dict[str, Any]:
    """The scenario at each budget factor, when each target is met, and what would close each shortfall.

    The plan at factor 1 (solved once: the sweep's own when the range holds 1) is the base
    whose shortfalls `what_closes` explains; its budget steps are the sweep's factors above 1,
    or BUDGET_STEPS when there are none. Raises ValueError when the scenario has no budget.

    After Ctrl-C the sweep holds the factors whose plans finished (`factors`; `not_solved` the
    others), `what_closes` the shortfalls whose searches finished (`unexplained` the others) and
    `interrupted` is true; with no plan finished, `TasksInterrupted` again.
    """
    if not has_budget(scenario):
        raise ValueError("the scenario sets no budget, so a budget factor changes nothing")
    factors = sorted(factors)
    labels = [factor_label(f) for f in factors]
    budget = Relaxation("budget", "", tuple(factors))
    entries: list[dict[str, Any]] = []
    unexplained: list[dict[str, Any]] = []
    made, stopped = 0, False
    try:
        plans = pool.solve([with_budget_factor(scenario, f) for f in factors], _named(done, labels), labels)
        finished = dict(enumerate(plans))
    except TasksInterrupted as stop:
        if not stop.finished:
            raise
        finished, stopped = {i: outcome.value for i, outcome in stop.finished.items()}, True
    solved: dict[VariantKey, Solved] = {budget.key(factors[i]): plan for i, plan in finished.items()}
    if not stopped:
        try:
            entries, made = _close_base(pool, scenario, factors, solved, max_resolves, done)
        except ClosingInterrupted as stop:
            entries, made, unexplained, stopped = stop.entries, stop.made, stop.unexplained, True
        except TasksInterrupted:
            stopped = True
    kept = [f for i, f in enumerate(factors) if i in finished]
    comparison = compare_plans([(factor_label(f), solved[budget.key(f)]) for f in kept])
    return {
        "scenario": scenario.name,
        "factors": kept,
        "base_factor": BASE_FACTOR,
        "comparison": comparison,
        "thresholds": thresholds(comparison, kept),
        "what_closes": entries,
        "resolves": made,
        "max_resolves": max_resolves,
        "max_tries_per_shortfall": MAX_TRIES_PER_SHORTFALL,
        "interrupted": stopped,
        "not_solved": [label for i, label in enumerate(labels) if i not in finished],
        "unexplained": unexplained,
    }


def _close_base(
    pool: ScenarioPool,
    scenario: Scenario,
    factors: Sequence[float],
    solved: dict[VariantKey, Solved],
    max_resolves: int,
    done: Callable[[str, Solved], None] | None,
) -> tuple[list[dict[str, Any]], int]:
    """`what_closes` for the plan at BASE_FACTOR (solved first when the sweep's factors lack it)."""
    base_key = Relaxation("budget", "", tuple(factors)).key(BASE_FACTOR)
    base = with_budget_factor(scenario, BASE_FACTOR)
    if base_key not in solved:
        label = [factor_label(BASE_FACTOR)]
        solved[base_key] = pool.solve([base], _named(done, label), label)[0]
    above = [f for f in factors if f > BASE_FACTOR]
    return what_closes(
        pool,
        base,
        solved[base_key].result.shortfalls,
        solved,
        budget_steps=above or BUDGET_STEPS,
        max_resolves=max_resolves,
        done=done,
    )
