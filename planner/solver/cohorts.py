"""Officials who are interchangeable for the model are counted as one cohort.

Two officials fall into the same cohort when they may start the same programs in the same
years and are offered the same chains inside the plan, score the same for each of them, are
uncovered members of the same targets and, for units whose absence cap is modelled, work in
the same unit (all read from the roster's facts, `rules.facts`). The model then decides how many
of a cohort go where; `naming` picks the people afterwards. An official whose starts the
model's clique constraints cannot keep nameable in a group (their conflict graph is not perfect:
`patterns.is_perfect`) is a cohort of one, where those constraints are exact.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace

from models import Decision, Official, Roster, Scenario
from planner.collector import collector_paused
from planner.rules.facts import Chain, RosterFacts, Start, most_per_year, roster_facts
from planner.solver.patterns import Item, is_perfect, singles

log = logging.getLogger(__name__)

__all__ = ["Chain", "Cohort", "Population", "Start", "build_population", "split_population"]


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
class Population(RosterFacts):
    """The roster seen by the model: its facts (`facts.RosterFacts`) grouped into cohorts."""

    cohorts: list[Cohort] = field(default_factory=list)
    split_units: frozenset[str] = frozenset()
    #: Each official with a start, their cohort key but for the unit, and whether they may go away.
    keys: list[tuple[Official, tuple, bool]] = field(default_factory=list)
    #: Officials modelled alone because their starts' conflict graph is not perfect (`patterns`).
    alone: int = 0


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
    with collector_paused():
        population = _population(roster, scenario, roster_facts(roster, scenario, decisions))
        return split_population(
            population, likely_capped_units(population) if split_units is None else split_units
        )


def _population(roster: Roster, scenario: Scenario, facts: RosterFacts) -> Population:
    """The facts with each official's cohort key, before the cohorts are formed."""
    multi_year = {p.code for p in scenario.programs if p.duration_years > 1}
    keyed: list[tuple[Official, tuple, bool]] = []
    imperfect = 0
    # per distinct set of starts and chains (most officials share theirs with many others)
    perfect_of: dict[tuple[frozenset[Start], tuple[Chain, ...]], tuple[tuple[Start, ...], bool]] = {}
    for official in sorted(roster.officials, key=lambda o: o.id):
        starts = facts.starts_of[official.id]
        if not starts:
            continue
        chains = facts.chains_of.get(official.id, ())
        scores = tuple(sorted(facts.scores_of[official.id].items()))
        pins = facts.pinned_of.get(official.id, ())
        if (known := perfect_of.get((starts, chains))) is None:
            items = [*singles(starts), *chains]
            known = perfect_of[starts, chains] = (
                tuple(sorted(starts)),
                is_perfect(items, facts.context.durations),
            )
        ordered, perfect = known
        imperfect += not perfect
        key = (
            ordered,
            scores,
            facts.open_targets_of[official.id],
            pins,
            chains,
            None if perfect and not pins else official.id,
        )
        keyed.append((official, key, bool(multi_year.intersection(code for code, _ in scores))))
    return Population(
        **{f.name: getattr(facts, f.name) for f in fields(RosterFacts)}, keys=keyed, alone=imperfect
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


#: How many times its proportional share of the multi-year places a unit must be able to take.
CAP_SAFETY = 3


def likely_capped_units(population: Population) -> frozenset[str]:
    """Units that could hit their absence cap if the multi-year places were spread evenly by pool."""
    scenario = population.scenario
    share: dict[str, float] = defaultdict(float)
    for program in scenario.programs:
        if program.duration_years == 1:
            continue
        pool = sum(n for (code, _), n in population.eligible_in_unit.items() if code == program.code)
        most = most_per_year(scenario, program.code)
        away = (pool if most is None else most) * program.duration_years
        for (code, unit), n in population.eligible_in_unit.items():
            if code == program.code and pool:
                share[unit] += away * n / pool
    return frozenset(
        unit
        for unit, expected in share.items()
        if expected * CAP_SAFETY > min(population.away_room(unit, y) for y in scenario.years)
    )
