"""Officials who are interchangeable for the model are counted as one cohort.

Two officials fall into the same cohort when they may start the same programs in the same
years, score the same for each of them, are uncovered members of the same targets and, for
units whose absence cap is modelled, work in the same unit. The model then decides how many
of a cohort go where; `naming` picks the people afterwards. An official whose starts the
model's clique constraints cannot keep nameable in a group (their conflict graph is not perfect:
`patterns.is_perfect`) is a cohort of one, where those constraints are exact.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from models import Decision, Official, Roster, Scenario
from planner.coverage import covered_before, in_group, required_count
from planner.eligibility import Context, chained_starts, eligible_starts
from planner.patterns import Item, is_perfect, singles
from planner.score import merit_score

log = logging.getLogger(__name__)

Start = tuple[str, int]
Chain = tuple[Start, Start]


@dataclass
class Cohort:
    """Officials the model cannot tell apart."""

    index: int
    starts: tuple[Start, ...]
    scores: dict[str, int]
    targets: tuple[str, ...]
    unit: str | None
    #: Starts forced by a manual pin (pinned officials form a cohort of their own).
    pinned: tuple[Start, ...] = ()
    #: Chains inside the plan (a first start, then one it is the prerequisite of), taken whole.
    chains: tuple[Chain, ...] = ()
    members: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Number of officials in the cohort."""
        return len(self.members)

    @property
    def items(self) -> list[Item]:
        """What one person of the cohort may take: each start alone, and each chain whole."""
        return [*singles(self.starts), *self.chains]

    @property
    def all_starts(self) -> tuple[Start, ...]:
        """The starts and the second starts of the chains (taken only after their first)."""
        return tuple(sorted({*self.starts, *(then for _, then in self.chains)}))


@dataclass
class Population:
    """The roster seen by the model: cohorts plus the counts targets and caps need."""

    roster: Roster
    scenario: Scenario
    context: Context
    cohorts: list[Cohort]
    starts_of: dict[str, frozenset[Start]]
    group_size: dict[str, int]
    pre_covered: dict[str, int]
    required: dict[str, int]
    unit_staff: dict[str, int]
    eligible_in_unit: dict[tuple[str, str], int]
    split_units: frozenset[str]
    away_history: dict[tuple[str, int], int]
    decisions: Sequence[Decision] = ()
    #: Each official with a start, their cohort key but for the unit, and whether they may go away.
    keys: list[tuple[Official, tuple, bool]] = field(default_factory=list)
    #: Per target, the group's members not covered before the plan (eligible or not).
    open_members: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Officials modelled alone because their starts' conflict graph is not perfect (`patterns`).
    alone: int = 0

    def officials(self) -> dict[str, Official]:
        """Officials by id."""
        return self.roster.by_id()

    def away_cap(self, unit: str) -> int:
        """Most people of a unit that may be away on multi-year programs in one year."""
        rules = self.scenario.rules
        return max(rules.away_min_allowed, int(rules.away_share_max * self.unit_staff[unit] + 1e-9))

    def away_room(self, unit: str, year: int) -> int:
        """Places left under the unit's cap in a year after those away from the history."""
        return max(0, self.away_cap(unit) - self.away_history.get((unit, year), 0))

    @cached_property
    def unit_of(self) -> dict[str, str]:
        """Each official's unit, by id."""
        return {o.id: o.unit for o in self.roster.officials}

    def away_in_plan(self, starts: Iterable[tuple[str, str, int]]) -> Counter[tuple[str, int]]:
        """People away on multi-year programs per (unit, year), for (official_id, program, start year)
        nominations (the history not counted: `away_room` has it)."""
        away: Counter[tuple[str, int]] = Counter()
        for official_id, program, start in starts:
            if (duration := self.context.duration(program)) > 1:
                unit = self.unit_of[official_id]
                away.update((unit, year) for year in range(start, start + duration))
        return away


def build_population(
    roster: Roster,
    scenario: Scenario,
    split_units: frozenset[str] | None = None,
    decisions: Sequence[Decision] = (),
) -> Population:
    """Group the roster into cohorts for the scenario.

    The unit stays in the cohort key for `split_units`, by default the units whose absence cap
    is likely to bind (`likely_capped_units`); elsewhere the model bounds each cohort by what
    the caps of its members' units allow together, `units.assign_units` spreads the counts
    over the units, and `solve` splits out any unit found binding after all. Manual
    decisions remove excluded starts and give each pinned official a cohort of their own.
    """
    history = roster.history_by_official()
    ctx = Context(scenario=scenario, history=history)
    multi_year = {p.code for p in scenario.programs if p.duration_years > 1}
    group_size: dict[str, int] = defaultdict(int)
    pre_covered: dict[str, int] = defaultdict(int)
    unit_staff: dict[str, int] = defaultdict(int)
    eligible_in_unit: dict[tuple[str, str], int] = defaultdict(int)
    starts_of: dict[str, frozenset[Start]] = {}
    away_history: dict[tuple[str, int], int] = defaultdict(int)
    keyed: list[tuple[Official, tuple, bool]] = []
    found: list[tuple[Official, frozenset[Start], tuple[str, ...]]] = []  # officials with a start
    imperfect = 0
    open_members: dict[str, set[str]] = {target.code: set() for target in scenario.targets}
    excluded: dict[str, list[Decision]] = defaultdict(list)
    pinned: dict[str, list[Start]] = defaultdict(list)
    for decision in decisions:
        if decision.action == "exclude":
            excluded[decision.official_id].append(decision)
        else:
            pinned[decision.official_id].append((decision.program, decision.year))
    for official in sorted(roster.officials, key=lambda o: o.id):
        unit_staff[official.unit] += 1
        records = history.get(official.id, [])
        for record in records:
            if (duration := ctx.duration(record.program)) > 1:
                for year in range(record.year, record.year + duration):
                    away_history[official.unit, year] += 1
        open_targets = []
        for target in scenario.targets:
            if not in_group(official, target, scenario):
                continue
            group_size[target.code] += 1
            if covered_before(official, target, records):
                pre_covered[target.code] += 1
            else:
                open_targets.append(target.code)
                open_members[target.code].add(official.id)
        starts = eligible_starts(official, ctx)
        if official.id in excluded:
            starts = frozenset(s for s in starts if not any(_excludes(d, s) for d in excluded[official.id]))
        starts_of[official.id] = starts
        if starts:
            found.append((official, starts, tuple(open_targets)))
    offered = _offered_chains(found, ctx, excluded)
    for official, starts, open_targets in found:
        records = history.get(official.id, [])
        chains = offered.get(official.id, ())
        programs = sorted({p for p, _ in starts} | {p for _, (p, _) in chains})
        for code in programs:
            eligible_in_unit[(code, official.unit)] += 1
        goes_away = bool(multi_year.intersection(programs))
        scores = tuple(
            (code, merit_score(official, scenario.program(code), scenario, records)) for code in programs
        )
        pins = tuple(sorted(pinned.get(official.id, ())))
        perfect = is_perfect([*singles(starts), *chains], ctx.durations)
        imperfect += not perfect
        key = (
            tuple(sorted(starts)),
            scores,
            open_targets,
            pins,
            chains,
            None if perfect and not pins else official.id,
        )
        keyed.append((official, key, goes_away))
    population = Population(
        roster=roster,
        scenario=scenario,
        context=ctx,
        cohorts=[],
        starts_of=starts_of,
        group_size=dict(group_size),
        pre_covered=dict(pre_covered),
        required={t.code: required_count(t, group_size[t.code]) for t in scenario.targets},
        unit_staff=dict(unit_staff),
        eligible_in_unit=dict(eligible_in_unit),
        split_units=frozenset(),
        away_history=dict(away_history),
        decisions=decisions,
        keys=keyed,
        open_members={code: frozenset(ids) for code, ids in open_members.items()},
        alone=imperfect,
    )
    return split_population(
        population, likely_capped_units(population) if split_units is None else split_units
    )


def split_population(population: Population, split_units: frozenset[str]) -> Population:
    """The population with its cohorts formed again, the unit kept in the key for `split_units`."""
    by_key: dict[tuple, Cohort] = {}
    for official, key, goes_away in population.keys:
        unit = official.unit if goes_away and official.unit in split_units else None
        cohort = by_key.get((*key, unit))
        if cohort is None:
            cohort = by_key[(*key, unit)] = Cohort(
                len(by_key), key[0], dict(key[1]), key[2], unit, pinned=key[3], chains=key[4]
            )
        cohort.members.append(official.id)
    log.info(
        "%d officials, %d with an eligible start, %d cohorts, %d units with a modelled absence cap",
        len(population.roster.officials),
        len(population.keys),
        len(by_key),
        len(split_units),
    )
    return replace(population, cohorts=list(by_key.values()), split_units=split_units)


def _offered_chains(
    found: list[tuple[Official, frozenset[Start], tuple[str, ...]]],
    ctx: Context,
    excluded: dict[str, list[Decision]],
) -> dict[str, tuple[Chain, ...]]:
    """The chains inside the plan (`eligibility.chained_starts`) each official is offered.

    Of those who could take a program only after a first one in the plan, the best-scoring for it
    are offered the chains, as many as could start it in the plan's years at its yearly maximum
    (its own or a shared quota's): a plan names no more, and each chain offered adds variables.
    """
    scenario = ctx.scenario
    options: dict[str, list[Chain]] = {}
    ranked: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for official, starts, _ in found:
        chains = chained_starts(official, ctx, starts)
        chains = [
            c for c in sorted(chains) if not any(_excludes(d, c[1]) for d in excluded.get(official.id, ()))
        ]
        if not chains:
            continue
        options[official.id] = chains
        records = ctx.history.get(official.id, [])
        for code in sorted({then[0] for _, then in chains}):
            score = merit_score(official, scenario.program(code), scenario, records)
            ranked[code].append((-score, official.id))
    kept: set[tuple[str, str]] = set()
    for code, candidates in ranked.items():
        years = {then[1] for chains in options.values() for _, then in chains if then[0] == code}
        limits = [scenario.program(code).places_per_year_max] + [
            q.max_per_year for q in scenario.quotas if code in q.programs
        ]
        most = min((limit for limit in limits if limit is not None), default=None)
        chosen = sorted(candidates) if most is None else sorted(candidates)[: most * len(years)]
        kept.update((code, official_id) for _, official_id in chosen)
    return {
        official_id: chains
        for official_id, options_of in options.items()
        if (chains := tuple(c for c in options_of if (c[1][0], official_id) in kept))
    }


def _excludes(decision: Decision, start: Start) -> bool:
    program, year = start
    return decision.program in (None, program) and decision.year in (None, year)


#: How many times its proportional share of the multi-year places a unit must be able to take.
CAP_SAFETY = 3


def likely_capped_units(population: Population) -> frozenset[str]:
    """Units that could hit their absence cap if the multi-year places were spread evenly by pool."""
    scenario = population.scenario
    share: dict[str, float] = defaultdict(float)
    for program in scenario.programs:
        if program.duration_years == 1:
            continue
        per_year = [program.places_per_year_max] + [
            q.max_per_year for q in scenario.quotas if program.code in q.programs
        ]
        limits = [limit for limit in per_year if limit is not None]
        pool = sum(n for (code, _), n in population.eligible_in_unit.items() if code == program.code)
        away = min(limits, default=pool) * program.duration_years
        for (code, unit), n in population.eligible_in_unit.items():
            if code == program.code and pool:
                share[unit] += away * n / pool
    return frozenset(
        unit
        for unit, expected in share.items()
        if expected * CAP_SAFETY > min(population.away_room(unit, y) for y in scenario.years)
    )
