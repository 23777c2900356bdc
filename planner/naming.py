"""From counts to names: who of each cohort goes where, and which class each one joins.

Inside a cohort everybody is eligible for the same starts with the same score, so choosing
people is about feasibility (one start a year, away windows, no repeat, unit caps) and
fairness (each unit's share of nominations close to its share of the eligible pool).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from models import ClassInfo, Nomination, Official, Scenario
from planner.cohorts import Cohort, Population
from planner.text import normalize_key
from planner.units import UnitQuota

log = logging.getLogger(__name__)


@dataclass
class Naming:
    """People chosen for the counts, and the counts that could not be filled."""

    chosen: list[tuple[str, str, int]] = field(default_factory=list)  # (official_id, program, year)
    unfilled: dict[tuple[int, str, int], int] = field(default_factory=dict)


@dataclass
class _Tracker:
    """State shared by all cohorts: nominations per unit (fairness), units' multi-year quotas."""

    population: Population
    unit_quota: UnitQuota
    nominated: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def fairness(self, program: str, unit: str) -> float:
        pool = self.population.eligible_in_unit.get((program, unit), 1)
        return (self.nominated[program, unit] + 1) / pool


def name_people(
    population: Population, counts: dict[tuple[int, str, int], int], unit_quota: UnitQuota
) -> Naming:
    """Choose the officials for every cohort count, year by year (multi-year counts per unit quota)."""
    scenario = population.scenario
    officials = population.officials()
    tracker = _Tracker(population, unit_quota)
    naming = Naming()
    for cohort in population.cohorts:
        demand = {(p, y): counts.get((cohort.index, p, y), 0) for p, y in cohort.starts}
        if any(demand.values()):
            _name_cohort(cohort, demand, scenario, officials, tracker, naming)
    return naming


def _name_cohort(
    cohort: Cohort,
    demand: dict[tuple[str, int], int],
    scenario: Scenario,
    officials: dict[str, Official],
    tracker: _Tracker,
    naming: Naming,
) -> None:
    done: dict[str, set[str]] = {m: set() for m in cohort.members}
    busy: dict[str, set[int]] = {m: set() for m in cohort.members}
    for year in scenario.years:
        todays = [(p, demand[p, y]) for p, y in cohort.starts if y == year and demand[p, y] > 0]
        # programs with fewer candidates first, then longer programs, so scarce people go where needed
        todays.sort(key=lambda item: (sum(item[0] not in done[m] for m in cohort.members), item[0]))
        for program, count in todays:
            duration = scenario.program(program).duration_years
            future = _future_programs(demand, year)
            candidates = [m for m in cohort.members if year not in busy[m] and program not in done[m]]
            candidates.sort(
                key=lambda m: (
                    len(future - done[m] - {program}),
                    tracker.fairness(program, officials[m].unit),
                    m,
                )
            )
            quota = dict(tracker.unit_quota.get((cohort.index, program, year), {})) if duration > 1 else None
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
                busy[member].update(range(year, year + duration))
                tracker.nominated[program, unit] += 1
                naming.chosen.append((member, program, year))
            if taken < count:
                naming.unfilled[cohort.index, program, year] = count - taken


def _future_programs(demand: dict[tuple[str, int], int], year: int) -> set[str]:
    return {p for (p, y), count in demand.items() if y > year and count > 0}


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
    for official_id, program, year in chosen:
        by_start[program, year].append(official_id)
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
