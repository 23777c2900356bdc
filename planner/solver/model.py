"""The CP-SAT model over cohorts: variables, one method per rule family, objective levels.

Variables are counts, not people: n[c, p, y] is how many officials of cohort c start
program p in year y, chain[c, first, then] how many of them take a chain inside the plan (a
master's, then a PhD; counted in both starts' n), and k[p, y] how many classes of p open in
y. The model's size grows with the number of cohorts (what tells officials apart), not with
officials x programs x years.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

import numpy as np
from ortools.sat.python import cp_model

from models import Program
from planner.solver.cohorts import Cohort, Population, Start
from planner.solver.objectives import shortfall_coefficient
from planner.solver.patterns import Item, span
from planner.solver.patterns import conflicts as items_in_conflict

log = logging.getLogger(__name__)


@dataclass
class ShortfallTerm:
    """A soft minimum or target: required vs achieved, with its shortfall variable."""

    code: str
    kind: str  # "target" | "classes" | "places" | "quota"
    year: int | None
    required: int
    achieved: list[cp_model.IntVar]
    var: cp_model.IntVar
    coefficient: int


class PlanModel:
    """One CP-SAT model of a scenario over a population of cohorts."""

    def __init__(
        self,
        population: Population,
        previous: dict[tuple[int, str, int], int] | None = None,
        max_changes: int | None = None,
    ):
        self.population = population
        #: Counts of the previous draft per (cohort, program, year), and how far the plan may move.
        self.previous = previous or {}
        self.max_changes = max_changes
        self.scenario = population.scenario
        self.model = cp_model.CpModel()
        self.n: dict[tuple[int, str, int], cp_model.IntVar] = {}
        self.chain: dict[tuple[int, Start, Start], cp_model.IntVar] = {}
        self.classes: dict[tuple[str, int], cp_model.IntVar] = {}
        self.shortfalls: list[ShortfallTerm] = []
        #: Auxiliary variables with the function that computes them from n and k (for hints).
        self.derived: list[tuple[cp_model.IntVar, Callable[[dict[int, int]], int]]] = []
        self._add_variables()
        self.add_constraints()
        self.objectives = self._objectives()

    # --- variables ---------------------------------------------------------------------------

    def _add_variables(self) -> None:
        for cohort in self.population.cohorts:
            for code, year in cohort.all_starts:
                self.n[cohort.index, code, year] = self.model.new_int_var(
                    0, cohort.size, f"n_{cohort.index}_{code}_{year}"
                )
            for first, then in cohort.chains:
                self.chain[cohort.index, first, then] = self.model.new_int_var(
                    0, cohort.size, f"chain_{cohort.index}_{first[0]}{first[1]}_{then[0]}{then[1]}"
                )
        self.by_start: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        for (_, code, year), var in self.n.items():
            self.by_start[code, year].append(var)
        for program in self.scenario.programs:
            if not program.is_class:
                continue
            for year in self.scenario.years:
                most = self._max_classes(program, year)
                self.classes[program.code, year] = self.model.new_int_var(0, most, f"k_{program.code}_{year}")

    def _max_classes(self, program: Program, year: int) -> int:
        eligible = sum(max(var.proto.domain) for var in self.by_start.get((program.code, year), []))
        most = eligible // program.class_size_min
        if program.classes_per_year_max is not None:
            most = min(most, program.classes_per_year_max)
        return most

    def starts(self, program: str, year: int) -> cp_model.LinearExprT:
        """Number of people starting `program` in `year`."""
        return sum(self.by_start.get((program, year), []))

    @property
    def decisions(self) -> list[cp_model.IntVar]:
        """The variables a plan is made of besides the classes: counts per start and per chain."""
        return [*self.n.values(), *self.chain.values()]

    def _takers(self, cohort: Cohort, item: Item) -> cp_model.LinearExprT:
        """People of a cohort taking an item: a chain, or a start without a chain after it."""
        if len(item) > 1:
            return self.chain[cohort.index, item[0], item[1]]
        start = item[0]
        chained = [self.chain[cohort.index, start, then] for first, then in cohort.chains if first == start]
        return self.n[cohort.index, *start] - sum(chained) if chained else self.n[cohort.index, *start]

    # --- constraints: one method per rule family ----------------------------------------------

    def _add(self, constraint: cp_model.BoundedLinearExpression | bool | np.bool_) -> None:
        """Add a linear constraint; one left without variables (nobody eligible) holds already."""
        if constraint is not True:
            self.model.add(constraint)

    def add_constraints(self) -> None:
        """All hard rules of the plan, in the order the README lists them."""
        self._chains()
        self._one_start_a_year_and_not_away()
        self._no_repeat()
        self._one_person_per_conflicting_set()
        self._class_sizes()
        self._classes_within_reach()
        self._places_per_year()
        self._quota_maximums()
        self._budget()
        self._unit_absence_cap()
        self._pins()
        self._changes_bound()
        self._targets()
        self._yearly_minimums()
        self._quota_minimums()

    def _chains(self) -> None:
        """A chain's second start is taken only by people of the chain, who took its first start."""
        for cohort in self.population.cohorts:
            firsts: dict[Start, list[cp_model.IntVar]] = defaultdict(list)
            thens: dict[Start, list[cp_model.IntVar]] = defaultdict(list)
            for first, then in cohort.chains:
                firsts[first].append(self.chain[cohort.index, first, then])
                thens[then].append(self.chain[cohort.index, first, then])
            for first, variables in firsts.items():
                self.model.add(sum(variables) <= self.n[cohort.index, *first])
            for then, variables in thens.items():
                self.model.add(self.n[cohort.index, *then] == sum(variables))

    def _one_start_a_year_and_not_away(self) -> None:
        """In each cohort and year: starts plus people still away on earlier starts <= cohort size."""
        duration = self.population.context.durations
        for cohort in self.population.cohorts:
            spans = {item: span(item, duration) for item in cohort.items}
            for year in self.scenario.years:
                busy = [item for item, years in spans.items() if year in years]
                if len(busy) > 1:
                    self.model.add(_total(self._takers(cohort, item) for item in busy) <= cohort.size)

    def _no_repeat(self) -> None:
        """Nobody takes the same program twice inside the plan."""
        for cohort in self.population.cohorts:
            per_program: dict[str, list[Item]] = defaultdict(list)
            for item in cohort.items:
                for program, _ in item:
                    per_program[program].append(item)
            for items in per_program.values():
                if len(items) > 1:
                    self.model.add(_total(self._takers(cohort, item) for item in items) <= cohort.size)

    def _one_person_per_conflicting_set(self) -> None:
        """Starts that pairwise exclude each other (same program, or overlapping years away)
        are taken by different people, so together they are at most the cohort's size.

        The two rules above are such sets for one year or one program; a multi-year start
        mixes both (a master's from 2026 excludes DUTY in 2026 and in 2027, and DUTY excludes
        itself): without this, counts could be more than the cohort's people can be named for.
        """
        cliques: dict[tuple[Item, ...], list[list[Item]]] = {}
        for cohort in self.population.cohorts:
            items = tuple(cohort.items)
            if items not in cliques:  # many cohorts differ only in score
                cliques[items] = conflict_cliques(items, self.population.context.durations)
            for clique in cliques[items]:
                self.model.add(_total(self._takers(cohort, item) for item in clique) <= cohort.size)

    def _class_sizes(self) -> None:
        """Class programs: min size x classes <= participants <= max size x classes."""
        for (code, year), k in self.classes.items():
            program = self.scenario.program(code)
            total = self.starts(code, year)
            self.model.add(total >= program.class_size_min * k)
            self.model.add(total <= program.class_size_max * k)

    def _classes_within_reach(self) -> None:
        """Over any span of years, a class program opens no more classes than the people who may
        take it there can fill at the minimum size.

        Implied by no-repeat and class sizes, so it removes no plan; it tells the linear
        relaxation (CP-SAT's and `relax`'s) that classes come whole, which makes its bound on
        the shortfall level tight where the yearly minimums cannot all be met.
        """
        years = list(self.scenario.years)
        for program in self.scenario.programs:
            if not program.is_class:
                continue
            reach = [
                (cohort.size, {y for p, y in cohort.all_starts if p == program.code})
                for cohort in self.population.cohorts
            ]
            for first in range(len(years)):
                for last in range(first + 1, len(years)):
                    span = set(years[first : last + 1])
                    pool = sum(size for size, starts in reach if starts & span)
                    classes = [self.classes[program.code, y] for y in sorted(span)]
                    most = pool // program.class_size_min
                    if most < sum(max(k.proto.domain) for k in classes):
                        self.model.add(sum(classes) <= most)

    def _places_per_year(self) -> None:
        """Slot programs: at most the yearly number of places."""
        for program in self.scenario.programs:
            if program.places_per_year_max is None:
                continue
            for year in self.scenario.years:
                self._add(self.starts(program.code, year) <= program.places_per_year_max)

    def _quota_maximums(self) -> None:
        """Shared yearly maximums (e.g. at most 50 master's and PhD together)."""
        for quota in self.scenario.quotas:
            if quota.max_per_year is None:
                continue
            for year in self.scenario.years:
                self._add(sum(self.starts(p, year) for p in quota.programs) <= quota.max_per_year)

    def cost(self, year: int) -> cp_model.LinearExprT:
        """Cost of a year in VND: classes opened, participants, people still studying."""
        terms = []
        for program in self.scenario.programs:
            per_person, per_class = program.cost_per_person, program.cost_per_class
            if program.is_class:
                terms.append(per_person * self.starts(program.code, year))
                terms.append(per_class * self.classes[program.code, year])
            else:
                for start in range(year - program.duration_years + 1, year + 1):
                    terms.append(per_person * self.starts(program.code, start))
        return sum(terms)

    def _budget(self) -> None:
        """The yearly budget of the scenario."""
        for year in self.scenario.years:
            limit = self.scenario.budget.limit(year)
            if limit is not None:
                self._add(self.cost(year) <= limit)

    def _unit_absence_cap(self) -> None:
        """People away on multi-year programs within each unit's cap.

        Cohorts of split units are counted per unit, exactly. Any other cohort may send at
        most what the caps of its members' units allow together; `solve` splits out the
        units where naming then finds the cap binding.
        """
        per_unit: dict[str, list] = defaultdict(list)
        unit_of = self.population.unit_of
        years = self.scenario.years
        room_of = {(u, y): self.population.away_room(u, y) for u in self.population.unit_staff for y in years}
        for cohort in self.population.cohorts:
            if cohort.unit is not None:
                per_unit[cohort.unit].append(cohort)
                continue
            units = Counter(unit_of[m] for m in cohort.members)
            spans = self._multi_year(cohort)
            for year in years:
                away = [var for first, end, var in spans if first <= year < end]
                room = sum(min(n, room_of[u, year]) for u, n in units.items())
                if away and room < cohort.size:
                    self.model.add(sum(away) <= room)
        for unit, cohorts in sorted(per_unit.items()):
            spans_of = [self._multi_year(cohort) for cohort in cohorts]
            for year in years:
                away = [var for spans in spans_of for first, end, var in spans if first <= year < end]
                if away:
                    self.model.add(sum(away) <= room_of[unit, year])

    def _multi_year(self, cohort: Cohort) -> list[tuple[int, int, cp_model.IntVar]]:
        """A cohort's multi-year starts: the first year, the year after the last away, the variable."""
        return [
            (start, start + duration, self.n[cohort.index, program, start])
            for program, start in cohort.all_starts
            if (duration := self.scenario.program(program).duration_years) > 1
        ]

    def _pins(self) -> None:
        """Manual pins: the pinned official starts the pinned program in the pinned year."""
        for cohort in self.population.cohorts:
            for program, year in cohort.pinned:
                self.model.add(self.n[cohort.index, program, year] == 1)

    def _changes_bound(self) -> None:
        """At most `max_changes` names enter or leave the lists compared with the previous draft."""
        if self.max_changes is None:
            return
        moves = []
        forced = sum(count for key, count in self.previous.items() if key not in self.n)
        for key, var in self.n.items():
            before = self.previous.get(key, 0)
            if not before:
                moves.append(var)
                continue
            move = self.model.new_int_var(
                0, max(before, *var.proto.domain), f"move_{key[0]}_{key[1]}_{key[2]}"
            )
            self.model.add(move >= var - before)
            self.model.add(move >= before - var)
            self.derived.append((move, partial(_distance, var.index, before)))
            moves.append(move)
        self._add(sum(moves) <= max(0, self.max_changes - forced))

    def _targets(self) -> None:
        """Coverage targets: uncovered members trained by the deadline, shortfall when short."""
        for target in self.scenario.targets:
            covered = []
            for cohort in self.population.cohorts:
                if target.code not in cohort.targets:
                    continue
                terms = self._trained_for(cohort, target.programs, target.deadline)
                if not terms:
                    continue
                if len({p for p, y in cohort.all_starts if p in target.programs}) > 1:
                    var = self.model.new_int_var(0, cohort.size, f"cov_{target.code}_{cohort.index}")
                    self.model.add(var <= sum(terms))
                    self.derived.append((var, _capped_sum(terms, cohort.size)))
                    covered.append(var)
                else:
                    covered.extend(terms)
            required = self.population.required[target.code]
            missing = required - self.population.pre_covered.get(target.code, 0)
            self._soft_minimum(target.code, "target", None, required, missing, covered, target.weight)

    def _trained_for(self, cohort: Cohort, programs: list[str], deadline: int) -> list[cp_model.IntVar]:
        """Counts of a cohort's people trained in one of `programs` by the deadline, each person
        once per item: the starts that qualify, and the chains that qualify by their second start."""
        qualifies = {(p, y) for p, y in cohort.all_starts if p in programs and y <= deadline}
        terms = [self.n[cohort.index, *start] for start in sorted(qualifies) if start in cohort.starts]
        return terms + [
            self.chain[cohort.index, first, then]
            for first, then in cohort.chains
            if then in qualifies and first not in qualifies
        ]

    def _yearly_minimums(self) -> None:
        """At least so many classes or places a year (soft: shortfalls are measured)."""
        for program in self.scenario.programs:
            for year in self.scenario.years:
                if not self.scenario.runs_in(program, year):
                    continue
                if program.is_class and program.classes_per_year_min:
                    need = program.classes_per_year_min
                    achieved = [self.classes[program.code, year]]
                    self._soft_minimum(
                        program.code, "classes", year, need, need, achieved, program.minimum_weight
                    )
                elif not program.is_class and program.places_per_year_min:
                    need = program.places_per_year_min
                    achieved = self.by_start.get((program.code, year), [])
                    self._soft_minimum(
                        program.code, "places", year, need, need, achieved, program.minimum_weight
                    )

    def _quota_minimums(self) -> None:
        """At least so many people a year over a group of programs (soft)."""
        for quota in self.scenario.quotas:
            if not quota.min_per_year:
                continue
            for year in self.scenario.years:
                achieved = [v for p in quota.programs for v in self.by_start.get((p, year), [])]
                need = quota.min_per_year
                self._soft_minimum(quota.code, "quota", year, need, need, achieved, quota.weight)

    def _soft_minimum(
        self,
        code: str,
        kind: str,
        year: int | None,
        required: int,
        missing: int,
        achieved: list[cp_model.IntVar],
        weight: float,
    ) -> None:
        """A shortfall variable >= missing - achieved, weighted relative to the requirement."""
        if missing <= 0 or weight == 0:
            return
        var = self.model.new_int_var(0, missing, f"short_{code}_{kind}_{year}")
        self.model.add(var >= missing - sum(achieved))
        self.derived.append((var, lambda values: max(0, missing - sum(values[v.index] for v in achieved))))
        coefficient = shortfall_coefficient(weight, required)
        self.shortfalls.append(ShortfallTerm(code, kind, year, required, achieved, var, coefficient))

    # --- objective levels ---------------------------------------------------------------------

    def _objectives(self) -> dict[str, cp_model.LinearExprT]:
        """Each level as an expression to minimise (merit is negated)."""
        merit_terms = []
        for cohort in self.population.cohorts:
            for program, year in cohort.all_starts:
                if cohort.scores[program]:
                    merit_terms.append(cohort.scores[program] * self.n[cohort.index, program, year])
        return {
            "shortfall": sum(term.coefficient * term.var for term in self.shortfalls),
            "merit": -sum(merit_terms),
            "cost": sum(self.cost(year) for year in self.scenario.years),
        }

    def values_of(
        self,
        counts: dict[tuple[int, str, int], int],
        classes: dict[tuple[str, int], int],
        chains: dict[tuple[int, Start, Start], int] | None = None,
    ) -> dict[int, int]:
        """A complete assignment (a hint): the counts, chains and classes of a plan, each auxiliary
        variable computed from them."""
        values = {var.index: counts.get(key, 0) for key, var in self.n.items()}
        values.update({var.index: (chains or {}).get(key, 0) for key, var in self.chain.items()})
        values.update({var.index: classes.get(key, 0) for key, var in self.classes.items()})
        for var, compute in self.derived:
            values[var.index] = compute(values)
        return values

    def size(self) -> dict[str, int]:
        """Variables and constraints of the model."""
        proto = self.model.proto
        return {"variables": len(proto.variables), "constraints": len(proto.constraints)}


def conflict_cliques(items: tuple[Item, ...], duration: dict[str, int]) -> list[list[Item]]:
    """Maximal sets of items no one person can take two of (Bron-Kerbosch with pivot), leaving
    out those with a program in common or sharing a year: the no-repeat and one-start-a-year rules."""
    years = {item: span(item, duration) for item in items}
    conflicts = items_in_conflict(items, duration)
    cliques: list[list[Item]] = []

    def extend(clique: list, candidates: set, excluded: set) -> None:
        if not candidates and not excluded:
            cliques.append(sorted(clique))
            return
        pivot = max(sorted(candidates | excluded), key=lambda v: len(conflicts[v] & candidates))
        for start in sorted(candidates - conflicts[pivot]):
            extend([*clique, start], candidates & conflicts[start], excluded & conflicts[start])
            candidates = candidates - {start}
            excluded = excluded | {start}

    extend([], set(items), set())
    return sorted(
        clique
        for clique in cliques
        if not frozenset.intersection(*(frozenset(p for p, _ in item) for item in clique))
        and not frozenset.intersection(*(years[item] for item in clique))
    )


def _capped_sum(variables: list[cp_model.IntVar], cap: int) -> Callable[[dict[int, int]], int]:
    return lambda values: min(cap, sum(values[v.index] for v in variables))


def _distance(index: int, before: int, values: dict[int, int]) -> int:
    """How far the variable at `index` has moved from `before` (a move variable's value, for hints)."""
    return abs(values[index] - before)


def _total(terms: Iterable[cp_model.LinearExprT]) -> cp_model.LinearExprT:
    """A sum of expressions built at once (`sum` builds one nested expression a term)."""
    return cp_model.LinearExpr.sum(list(terms))
