"""What the roster says under a scenario, whoever groups it: who may start what, who counts
towards which target, the units' staff and absence history.

Reports (shortfalls, reasons, summaries, the workbook) read these facts only; the solver groups
the same officials into cohorts on top of them (`cohorts.Population`), and how it does so never
changes what a report says about a person.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from models import Decision, Official, Roster, Scenario, Target
from planner.collector import collector_paused
from planner.rules.coverage import covered_before, group_key, in_group, required_count
from planner.rules.eligibility import Context, chained_starts, eligible_starts
from planner.rules.profiles import rule_profiles
from planner.rules.score import merit_score

Start = tuple[str, int]
Chain = tuple[Start, Start]


@dataclass
class RosterFacts:
    """The roster under a scenario, per official and in the counts targets and caps need."""

    roster: Roster
    scenario: Scenario
    context: Context
    #: Each official's eligible starts (manual exclusions removed).
    starts_of: dict[str, frozenset[Start]]
    #: Chains inside the plan each official is offered (`offered_chains`).
    chains_of: dict[str, tuple[Chain, ...]]
    #: Each official's merit score per program they may start (chains' second programs included).
    scores_of: dict[str, dict[str, int]]
    #: Targets each official belongs to and was not covered for before the plan.
    open_targets_of: dict[str, tuple[str, ...]]
    group_size: dict[str, int]
    pre_covered: dict[str, int]
    required: dict[str, int]
    unit_staff: dict[str, int]
    eligible_in_unit: dict[tuple[str, str], int]
    away_history: dict[tuple[str, int], int]
    decisions: Sequence[Decision] = ()
    #: Per target, the group's members not covered before the plan (eligible or not).
    open_members: dict[str, frozenset[str]] = field(default_factory=dict)
    #: Starts forced by manual pins, per official.
    pinned_of: dict[str, tuple[Start, ...]] = field(default_factory=dict)

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
    def eligible_by_start(self) -> dict[Start, list[str]]:
        """The officials who may start each (program, year), in the order of `starts_of`."""
        found: dict[Start, list[str]] = defaultdict(list)
        for official_id, starts in self.starts_of.items():
            for start in starts:
                found[start].append(official_id)
        return dict(found)

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


def roster_facts(roster: Roster, scenario: Scenario, decisions: Sequence[Decision] = ()) -> RosterFacts:
    """The facts of the roster under the scenario; manual exclusions remove starts, pins are kept."""
    with collector_paused():
        return _roster_facts(roster, scenario, decisions)


def _roster_facts(roster: Roster, scenario: Scenario, decisions: Sequence[Decision]) -> RosterFacts:
    history = roster.history_by_official()
    ctx = Context(scenario=scenario, history=history)
    group_size: dict[str, int] = defaultdict(int)
    pre_covered: dict[str, int] = defaultdict(int)
    unit_staff: dict[str, int] = defaultdict(int)
    away_history: dict[tuple[str, int], int] = defaultdict(int)
    starts_of: dict[str, frozenset[Start]] = {}
    open_targets_of: dict[str, tuple[str, ...]] = {}
    open_members: dict[str, set[str]] = {target.code: set() for target in scenario.targets}
    excluded: dict[str, list[Decision]] = defaultdict(list)
    pinned: dict[str, list[Start]] = defaultdict(list)
    for decision in decisions:
        if decision.action == "exclude":
            excluded[decision.official_id].append(decision)
        else:
            pinned[decision.official_id].append(decision.pinned_start())
    officials = sorted(roster.officials, key=lambda o: o.id)
    profiles = dict(zip((o.id for o in officials), rule_profiles(officials, ctx), strict=True))
    # the targets whose group an official is in, by `group_key` (in_group once per key)
    groups_of: dict[tuple, tuple[Target, ...]] = {}
    for official in officials:
        unit_staff[official.unit] += 1
        records = history.get(official.id, [])
        for record in records:
            if (duration := ctx.duration(record.program)) > 1:
                for year in range(record.year, record.year + duration):
                    away_history[official.unit, year] += 1
        open_targets = []
        if (groups := groups_of.get(key := group_key(official))) is None:
            groups = groups_of[key] = tuple(t for t in scenario.targets if in_group(official, t, scenario))
        for target in groups:
            group_size[target.code] += 1
            if covered_before(official, target, records):
                pre_covered[target.code] += 1
            else:
                open_targets.append(target.code)
                open_members[target.code].add(official.id)
        open_targets_of[official.id] = tuple(open_targets)
        starts = eligible_starts(official, ctx, profiles[official.id])
        if official.id in excluded:
            starts = frozenset(s for s in starts if not any(_excludes(d, s) for d in excluded[official.id]))
        starts_of[official.id] = starts
    chains_of = offered_chains(officials, ctx, starts_of, excluded, profiles)
    eligible_in_unit: dict[tuple[str, str], int] = defaultdict(int)
    scores_of: dict[str, dict[str, int]] = {}
    for official in officials:
        programs = sorted(
            {p for p, _ in starts_of[official.id]} | {p for _, (p, _) in chains_of.get(official.id, ())}
        )
        for code in programs:
            eligible_in_unit[code, official.unit] += 1
        records = history.get(official.id, [])
        scores_of[official.id] = {
            code: merit_score(official, scenario.program(code), scenario, records) for code in programs
        }
    return RosterFacts(
        roster=roster,
        scenario=scenario,
        context=ctx,
        starts_of=starts_of,
        chains_of=chains_of,
        scores_of=scores_of,
        open_targets_of=open_targets_of,
        group_size=dict(group_size),
        pre_covered=dict(pre_covered),
        required={t.code: required_count(t, group_size[t.code]) for t in scenario.targets},
        unit_staff=dict(unit_staff),
        eligible_in_unit=dict(eligible_in_unit),
        away_history=dict(away_history),
        decisions=decisions,
        open_members={code: frozenset(ids) for code, ids in open_members.items()},
        pinned_of={official_id: tuple(sorted(starts)) for official_id, starts in pinned.items()},
    )


def offered_chains(
    officials: Sequence[Official],
    ctx: Context,
    starts_of: dict[str, frozenset[Start]],
    excluded: dict[str, list[Decision]],
    profiles: dict[str, tuple] | None = None,
) -> dict[str, tuple[Chain, ...]]:
    """The chains inside the plan (`eligibility.chained_starts`) each official is offered.

    Of those who could take a program only after a first one in the plan, the best-scoring for it
    are offered the chains, as many as could start it in the plan's years at its yearly maximum
    (its own or a shared quota's): a plan names no more, and each chain offered adds variables.
    `profiles`: each official's `eligibility.rule_profile`, when known.
    """
    scenario = ctx.scenario
    options: dict[str, list[Chain]] = {}
    ranked: dict[str, list[tuple[int, str]]] = defaultdict(list)
    # only a start of some program's prerequisite begins a chain: most officials have none
    prerequisites = {code for p in scenario.programs for code in p.eligibility.prerequisite_programs}
    for official in officials:
        starts = starts_of[official.id]
        if not any(code in prerequisites for code, _ in starts):
            continue
        profile = profiles[official.id] if profiles else None
        found = chained_starts(official, ctx, starts, profile)
        chains = [
            c for c in sorted(found) if not any(_excludes(d, c[1]) for d in excluded.get(official.id, ()))
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
        most = most_per_year(scenario, code)
        chosen = sorted(candidates) if most is None else sorted(candidates)[: most * len(years)]
        kept.update((code, official_id) for _, official_id in chosen)
    return {
        official_id: offered
        for official_id, options_of in options.items()
        if (offered := tuple(c for c in options_of if (c[1][0], official_id) in kept))
    }


def most_per_year(scenario: Scenario, code: str) -> int | None:
    """The most people who may start a program in one year: its own limit or a shared quota's
    (None: no limit)."""
    limits = [scenario.program(code).places_per_year_max] + [
        q.max_per_year for q in scenario.quotas if code in q.programs
    ]
    return min((limit for limit in limits if limit is not None), default=None)


def _excludes(decision: Decision, start: Start) -> bool:
    program, year = start
    return decision.program in (None, program) and decision.year in (None, year)
