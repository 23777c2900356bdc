"""From counts to names: who of each cohort goes where, and which class each one joins.

Inside a cohort everybody is eligible for the same starts with the same score, so choosing
people is about feasibility (one start a year, away windows, no repeat, unit caps) and
fairness (each unit's share of nominations close to its share of the eligible pool).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice

from ortools.sat.python import cp_model

from models import ClassInfo, Nomination, Official, Scenario
from planner.io.text import normalize_key
from planner.solver.cohorts import Cohort, Population, Start
from planner.solver.patterns import Item, patterns
from planner.solver.sat import one_worker_solver
from planner.solver.units import UnitQuota

log = logging.getLogger(__name__)


@dataclass
class Naming:
    """People chosen for the counts, and the counts that could not be filled."""

    chosen: list[tuple[str, str, int]] = field(default_factory=list)  # (official_id, program, year)
    unfilled: dict[tuple[int, str, int], int] = field(default_factory=dict)
    #: Places `fill_unnamed` gave to officials outside the counts.
    refilled: int = 0


@dataclass
class _Tracker:
    """State shared by all cohorts: nominations per unit (fairness), units' multi-year quotas."""

    population: Population
    unit_quota: UnitQuota
    #: (official_id, program, year) of the previous draft: kept where the counts allow.
    previous: set[tuple[str, str, int]]
    nominated: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    @cached_property
    def previous_starts(self) -> dict[str, set[tuple[str, int]]]:
        """Each official's (program, year) starts in the previous draft."""
        starts: dict[str, set[tuple[str, int]]] = defaultdict(set)
        for official_id, program, year in self.previous:
            starts[official_id].add((program, year))
        return starts

    def fairness(self, program: str, unit: str) -> float:
        pool = self.population.eligible_in_unit.get((program, unit), 1)
        return (self.nominated[program, unit] + 1) / pool


def name_people(
    population: Population,
    counts: dict[tuple[int, str, int], int],
    unit_quota: UnitQuota,
    previous: set[tuple[str, str, int]] | None = None,
    chains: dict[tuple[int, Start, Start], int] | None = None,
) -> Naming:
    """Choose the officials for every cohort count (multi-year counts per unit quota, previous names
    first); the people counted in a chain (`chains`, per cohort, first and second start) take both."""
    scenario = population.scenario
    officials = population.officials()
    tracker = _Tracker(population, unit_quota, previous or set())
    naming = Naming()
    chains = chains or {}
    for cohort in population.cohorts:
        demand = {(p, y): counts.get((cohort.index, p, y), 0) for p, y in cohort.all_starts}
        if any(demand.values()):
            chained = {chain: chains.get((cohort.index, *chain), 0) for chain in cohort.chains}
            _name_cohort(
                cohort, demand, {c: n for c, n in chained.items() if n}, scenario, officials, tracker, naming
            )
    return naming


def _name_cohort(
    cohort: Cohort,
    demand: dict[Start, int],
    chained: dict[tuple[Start, Start], int],
    scenario: Scenario,
    officials: dict[str, Official],
    tracker: _Tracker,
    naming: Naming,
) -> None:
    """Name a cohort's counts: year by year when that fills them, else (and for chains, which one
    person takes whole) by an exact pattern split."""
    duration = tracker.population.context.durations
    chosen: list[tuple[str, str, int]]
    if chained:
        chosen, unfilled = [], {start: count for start, count in demand.items() if count}
    else:
        chosen, unfilled = _name_year_by_year(cohort, demand, duration, scenario, officials, tracker)
    if unfilled:
        items = _item_demand(demand, chained)
        chosen, unfilled = _name_by_patterns(
            cohort, demand, items, duration, officials, tracker, (chosen, unfilled)
        )
    for member, program, _ in chosen:
        tracker.nominated[program, officials[member].unit] += 1
    naming.chosen += chosen
    naming.unfilled.update({(cohort.index, p, y): missing for (p, y), missing in unfilled.items()})


Assignment = tuple[list[tuple[str, str, int]], dict[tuple[str, int], int]]


def _unit_quotas(cohort: Cohort, demand: dict, duration: dict, tracker: _Tracker) -> dict:
    return {
        (p, y): dict(tracker.unit_quota.get((cohort.index, p, y), {}))
        for (p, y), count in demand.items()
        if count and duration[p] > 1
    }


def _name_year_by_year(
    cohort: Cohort,
    demand: dict[tuple[str, int], int],
    duration: dict[str, int],
    scenario: Scenario,
    officials: dict[str, Official],
    tracker: _Tracker,
) -> Assignment:
    """The quick way: each year, give each count to the people least needed later."""
    done: dict[str, set[str]] = {m: set() for m in cohort.members}
    busy: dict[str, set[int]] = {m: set() for m in cohort.members}
    quotas = _unit_quotas(cohort, demand, duration, tracker)
    sharing = _sharing_a_target(cohort, scenario)
    chosen: list[tuple[str, str, int]] = []
    unfilled: dict[tuple[str, int], int] = {}
    for year in scenario.years:
        todays = [(p, demand[p, y]) for p, y in cohort.starts if y == year and demand[p, y] > 0]
        todays.sort(key=lambda item: (sum(item[0] not in done[m] for m in cohort.members), item[0]))
        future = {p for (p, y), count in demand.items() if y > year and count > 0}
        for program, count in todays:
            candidates = [m for m in cohort.members if year not in busy[m] and program not in done[m]]
            candidates.sort(
                key=lambda m: (
                    (m, program, year) not in tracker.previous,
                    # people the previous draft sends later are kept for those places
                    any(y > year for _, y in tracker.previous_starts.get(m, ())),
                    # a target counts people: one not yet trained for it first
                    bool(done[m] & sharing[program]),
                    len(future - done[m] - {program}),
                    tracker.fairness(program, officials[m].unit),
                    m,
                )
            )
            quota = quotas.get((program, year))
            taken = 0
            for member in candidates:
                if taken == count:
                    break
                unit = officials[member].unit
                if quota is not None:
                    if quota.get(unit, 0) == 0:
                        continue
                    quota[unit] -= 1
                taken += 1
                done[member].add(program)
                busy[member].update(range(year, year + duration[program]))
                chosen.append((member, program, year))
            if taken < count:
                unfilled[program, year] = count - taken
    return chosen, unfilled


def fill_unnamed(population: Population, naming: Naming) -> Naming:
    """Give the study places naming left empty (a unit's cap bound where the model counted its
    cohort as a whole) to other officials who may take them: eligible for that start, free in its
    years, not nominated to the program, their unit under its cap in every year of study; the
    best-scoring first, ties by id. For when no round is left to model the units one by one: the
    places, their cost and the minimums they serve stay; the people differ from the counts."""
    scenario = population.scenario
    officials = population.officials()
    cohort_of = {m: c for c in population.cohorts for m in c.members}
    busy: dict[str, set[int]] = defaultdict(set)
    done: dict[str, set[str]] = defaultdict(set)
    away = population.away_in_plan(naming.chosen)
    for member, program, start in naming.chosen:
        busy[member].update(range(start, start + scenario.program(program).duration_years))
        done[member].add(program)
    chosen = list(naming.chosen)
    unfilled = dict(naming.unfilled)
    for (index, program, start), missing in sorted(naming.unfilled.items()):
        if scenario.program(program).is_class:
            continue  # a class place is part of a class count: not moved alone
        years = range(start, start + scenario.program(program).duration_years)
        plan_years = [y for y in years if y in scenario.years]
        candidates = sorted(
            (m for m, c in cohort_of.items() if (program, start) in c.starts),
            key=lambda m: (-cohort_of[m].scores.get(program, 0), m),
        )
        for member in candidates:
            if not missing:
                break
            unit = officials[member].unit
            if busy[member] & set(years) or program in done[member]:
                continue
            if len(years) > 1 and any(away[unit, y] >= population.away_room(unit, y) for y in plan_years):
                continue
            chosen.append((member, program, start))
            busy[member].update(years)
            done[member].add(program)
            if len(years) > 1:
                away.update((unit, y) for y in years)
            missing -= 1
        if missing:
            unfilled[index, program, start] = missing
        else:
            del unfilled[index, program, start]
    return Naming(chosen=chosen, unfilled=unfilled, refilled=len(chosen) - len(naming.chosen))


def _sharing_a_target(cohort: Cohort, scenario: Scenario) -> dict[str, set[str]]:
    """For each program of the cohort, the other programs of the cohort's open targets that hold it."""
    targets = [t for t in scenario.targets if t.code in cohort.targets]
    return {
        p: {q for t in targets if p in t.programs for q in t.programs} - {p}
        for p in {p for p, _ in cohort.starts}
    }


#: A cohort whose counts allow more person patterns than this keeps its year-by-year naming.
MAX_PATTERNS = 20_000
#: Deterministic work (CP-SAT units) for splitting one cohort's counts into patterns.
SPLIT_WORK = 5.0


def _item_demand(demand: dict[Start, int], chained: dict[tuple[Start, Start], int]) -> dict[Item, int]:
    """People wanted per item: each chain, and each start less the chains that begin or end with it."""
    items: dict[Item, int] = {chain: count for chain, count in chained.items()}
    for start, count in demand.items():
        alone = count - sum(n for chain, n in chained.items() if start in chain)
        if alone > 0:
            items[start,] = alone
    return items


def _name_by_patterns(
    cohort: Cohort,
    demand: dict[Start, int],
    items: dict[Item, int],
    duration: dict[str, int],
    officials: dict[str, Official],
    tracker: _Tracker,
    quick: Assignment,
) -> Assignment:
    """The exact way: how many people of each unit follow each pattern of items, within the
    units' quotas for multi-year starts (a small CP-SAT model), then who."""
    keys = sorted(k for k, count in demand.items() if count)
    options = list(islice(patterns(sorted(items), duration), MAX_PATTERNS + 1))
    if len(options) > MAX_PATTERNS:
        log.warning("cohort %d: too many patterns, kept the year-by-year naming", cohort.index)
        return quick
    quotas = _unit_quotas(cohort, demand, duration, tracker)
    staff = Counter(officials[m].unit for m in cohort.members)
    groups: list[str | None] = [*sorted(staff)] if quotas else [None]
    model = cp_model.CpModel()
    uses = {
        (i, g): model.new_int_var(0, staff[g] if g else cohort.size, f"u{i}_{g}")
        for i in range(len(options))
        for g in groups
    }
    for g in groups:
        model.add(sum(uses[i, g] for i in range(len(options))) <= (staff[g] if g else cohort.size))
    starts = [{start for item in option for start in item} for option in options]
    for item, count in items.items():
        model.add(sum(u for (i, _), u in uses.items() if item in options[i]) <= count)
    for key, quota in quotas.items():
        for g in groups:
            model.add(sum(u for (i, h), u in uses.items() if h == g and key in starts[i]) <= quota.get(g, 0))
    # every start first, then the most (person, target) pairs covered: a target counts people
    targets = [t for t in tracker.population.scenario.targets if t.code in cohort.targets]
    covers = [sum(any(p in t.programs for p, _ in pattern) for t in targets) for pattern in starts]
    weight = len(targets) + 1
    model.maximize(sum((weight * len(starts[i]) + covers[i]) * u for (i, _), u in uses.items()))
    solver = one_worker_solver(SPLIT_WORK)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return quick
    free = set(cohort.members)
    chosen: list[tuple[str, str, int]] = []
    filled: dict[tuple[str, int], int] = defaultdict(int)
    for (i, g), var in sorted(uses.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        pattern, wanted = starts[i], solver.value(var)
        # the previous draft's people for these starts first, then the unit with the lowest share
        candidates = sorted(
            (m for m in free if g is None or officials[m].unit == g),
            key=lambda m: (
                -len(tracker.previous_starts.get(m, set()) & pattern),
                tracker.fairness(options[i][0][0][0], officials[m].unit),
                m,
            ),
        )
        for member in candidates[:wanted]:
            free.discard(member)
            for program, year in sorted(pattern):
                chosen.append((member, program, year))
                filled[program, year] += 1
    unfilled = {key: demand[key] - filled[key] for key in keys if filled[key] < demand[key]}
    if sum(unfilled.values()) > sum(quick[1].values()):
        return quick
    return chosen, unfilled


def form_classes(
    chosen: list[tuple[str, str, int]],
    classes: dict[tuple[str, int], int],
    scenario: Scenario,
    officials: dict[str, Official],
) -> tuple[list[Nomination], list[ClassInfo], int]:
    """Split each class program's participants into classes: topics by field, balanced sizes, units spread.

    Returns the nominations, the classes and how many people had to be dropped because
    they could not fill a class of the minimum size (0 unless naming left counts unfilled).
    """
    by_start: dict[tuple[str, int], list[str]] = defaultdict(list)
    for official_id, code, year in chosen:
        by_start[code, year].append(official_id)
    nominations: list[Nomination] = []
    infos: list[ClassInfo] = []
    dropped = 0
    for (code, year), members in sorted(by_start.items()):
        program = scenario.program(code)
        members.sort()
        if not program.is_class:
            nominations += [Nomination(official_id=m, program=code, year=year) for m in members]
            continue
        count = min(classes.get((code, year), 0), len(members) // program.class_size_min)
        kept = members[: count * program.class_size_max]
        dropped += len(members) - len(kept)
        members = kept
        if not count:
            continue
        sizes = [len(members) // count + (i < len(members) % count) for i in range(count)]
        topics = _class_topics(program.topics, [officials[m].field for m in members], count)
        seats: list[list[str]] = [[] for _ in range(count)]
        rest = []
        for member in members:
            match = next(
                (
                    i
                    for i in range(count)
                    if len(seats[i]) < sizes[i] and _matches(officials[member].field, topics[i])
                ),
                None,
            )
            if match is None:
                rest.append(member)
            else:
                seats[match].append(member)
        rest.sort(key=lambda m: (officials[m].unit, m))
        turn = 0
        for member in rest:
            while len(seats[turn % count]) >= sizes[turn % count]:
                turn += 1
            seats[turn % count].append(member)
            turn += 1
        for i, seat in enumerate(seats):
            class_id = f"{code}-{year}-{i + 1:02d}"
            infos.append(
                ClassInfo(class_id=class_id, program=code, year=year, topic=topics[i], size=len(seat))
            )
            nominations += [
                Nomination(official_id=m, program=code, year=year, class_id=class_id) for m in sorted(seat)
            ]
    nominations.sort(key=lambda n: (n.year, n.program, n.class_id or "", n.official_id))
    return nominations, infos, dropped


def _matches(field_: str, topic: str) -> bool:
    a, b = normalize_key(field_), normalize_key(topic)
    return bool(a and b) and (a == b or a in b or b in a)


def _class_topics(topics: list[str], fields: list[str], count: int) -> list[str]:
    """The `count` topics that match most participants (cycling when there are more classes)."""
    if not topics:
        return [""] * count
    demand = [sum(_matches(f, t) for f in fields) for t in topics]
    ranked = [t for _, t in sorted(zip(demand, topics, strict=True), key=lambda x: -x[0])]
    return [ranked[i % len(ranked)] for i in range(count)]
