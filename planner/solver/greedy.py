"""The greedy baseline: what a careful person does by hand, within the same hard rules.

Year by year, program by program, the eligible are ranked (members of an open target
first, nearer title appointments first, then by merit score, then by id) and the places and
classes are filled in that order while quotas, unit caps and the budget allow. It is the
floor the optimizer must beat, and the optimizer's first hint.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from models import Program, Scenario
from planner.solver.cohorts import Population


def greedy_plan(population: Population) -> tuple[list[tuple[str, str, int]], dict[tuple[str, int], int]]:
    """Nominations (official_id, program, year) and classes per (program, year) of the greedy plan."""
    return _Greedy(population).plan()


class _Greedy:
    """The state of one greedy plan: who is taken where, units' absences, budget and quotas left."""

    def __init__(self, population: Population):
        self.population = population
        self.scenario = scenario = population.scenario
        self.officials = population.officials()
        self.cohort_of = {m: c for c in population.cohorts for m in c.members}
        self.cohorts = {c.index: c for c in population.cohorts}
        #: Officials in id order, their positions in it, and by position: their cohort's index and title year.
        self.ids = sorted(self.cohort_of)
        self.cohort_index = np.array([self.cohort_of[m].index for m in self.ids], dtype=np.int64)
        self.title_year = np.array([self.officials[m].title_year or 9999 for m in self.ids], dtype=np.int64)
        self.position = {official_id: position for position, official_id in enumerate(self.ids)}
        self.open_targets = {
            code: {t.code for t in scenario.targets if code in t.programs}
            for code in (p.code for p in scenario.programs)
        }
        self.done: dict[str, set[str]] = defaultdict(set)
        self.busy: dict[str, set[int]] = defaultdict(set)
        self.away: dict[tuple[str, int], int] = defaultdict(int)
        self.budget: dict[int, int | None] = {y: scenario.budget.limit(y) for y in scenario.years}
        self.quota_used: dict[tuple[str, int], int] = defaultdict(int)
        self.taken: dict[tuple[str, int], tuple[list[str], int]] = {}
        #: Who may start, best first (the order never changes).
        self.ranked: dict[tuple[str, int], list[str]] = {}

    def plan(self) -> tuple[list[tuple[str, str, int]], dict[tuple[str, int], int]]:
        """Fill year by year: first the yearly minimums and target paces, then all that fits."""
        scenario = self.scenario
        for year in scenario.years:
            running = [p for p in scenario.programs if scenario.runs_in(p, year)]
            for program in running:  # first the yearly minimums and target paces, within the budget
                pace = self._target_pace(program, year)
                self._fill(program, year, max(_minimum_people(program, scenario, year), pace))
            for program in running:  # then as many as places and budget allow
                self._fill(program, year, 10**9)
        taken = self.taken
        chosen = [(m, code, year) for (code, year), (members, _) in sorted(taken.items()) for m in members]
        classes = {key: count for key, (_, count) in taken.items() if scenario.program(key[0]).is_class}
        return chosen, classes

    def _release(self, program: Program, year: int) -> None:
        """Undo what an earlier fill of (program, year) took."""
        members, count = self.taken.pop((program.code, year), ([], 0))
        for member in members:
            self.done[member].discard(program.code)
            self.busy[member].difference_update(range(year, year + program.duration_years))
        self._leave_units(program, year, members)
        _quota_add(self.scenario, program.code, year, -len(members), self.quota_used)
        _spend(program, year, -len(members), -count, self.budget, self.scenario.years)

    def _leave_units(self, program: Program, year: int, members: list[str]) -> None:
        """Members no longer away from their units for a multi-year program."""
        if program.duration_years > 1:
            for member in members:
                for y in range(year, year + program.duration_years):
                    self.away[self.officials[member].unit, y] -= 1

    def _ranked(self, code: str, year: int) -> list[str]:
        """Who may start, best first: pinned, then members of an open target, nearer titles,
        higher scores, then by id (what depends on the cohort worked out once a cohort; the
        order on columns)."""
        eligible = self.population.eligible_by_start.get((code, year), [])
        positions = np.array([self.position[m] for m in eligible], dtype=np.int64)
        cohorts = self.cohort_index[positions]
        present = np.unique(cohorts)
        heads = np.array(
            [
                (
                    (code, year) not in (cohort := self.cohorts[index]).pinned,
                    not self.open_targets[code].intersection(cohort.targets),
                    -cohort.scores[code],
                )
                for index in present.tolist()
            ],
            dtype=np.int64,
        ).reshape(len(present), 3)[np.searchsorted(present, cohorts)]
        order = np.lexsort((positions, heads[:, 2], self.title_year[positions], heads[:, 1], heads[:, 0]))
        return [self.ids[position] for position in positions[order].tolist()]

    def _fill(self, program: Program, year: int, cap: int) -> None:
        """(Re)fill (program, year) with up to `cap` of the best who fit, within places and budget."""
        self._release(program, year)
        code = program.code
        if (code, year) not in self.ranked:
            self.ranked[code, year] = self._ranked(code, year)
        limit = min(cap, _place_limit(program, year, self.population, self.quota_used))
        picked = self._pick(program, year, limit)
        people, count = _affordable(program, year, len(picked), self.budget, self.scenario.years)
        self._leave_units(program, year, picked[people:])
        for member in picked[:people]:
            self.done[member].add(code)
            self.busy[member].update(range(year, year + program.duration_years))
        self.taken[code, year] = (picked[:people], count)
        _quota_add(self.scenario, code, year, people, self.quota_used)
        _spend(program, year, people, count, self.budget, self.scenario.years)

    def _pick(self, program: Program, year: int, limit: int) -> list[str]:
        """Up to `limit` of the ranked who are free that year, have not had the program, and
        whose units have room (counted away at once for a multi-year program)."""
        code = program.code
        picked: list[str] = []
        for member in self.ranked[code, year]:
            if len(picked) >= limit:
                break
            if year in self.busy[member] or code in self.done[member]:
                continue
            unit = self.officials[member].unit
            if program.duration_years > 1:
                if not _unit_room(self.population, self.away, unit, year, program.duration_years):
                    continue
                for y in range(year, year + program.duration_years):
                    self.away[unit, y] += 1
            picked.append(member)
        return picked

    def _target_pace(self, program: Program, year: int) -> int:
        """People a year that keep each open target of the program on course for its deadline."""
        population = self.population
        pace = 0
        for target in self.scenario.targets:
            if program.code not in target.programs or target.deadline < year:
                continue
            trained = sum(
                target.code in self.cohort_of[m].targets
                for (code, y), (members, _) in self.taken.items()
                if code in target.programs and y < year
                for m in members
            )
            left = population.required[target.code] - population.pre_covered.get(target.code, 0) - trained
            pace = max(pace, math.ceil(max(0, left) / (target.deadline - year + 1)))
        return pace


def _minimum_people(program: Program, scenario: Scenario, year: int) -> int:
    """People needed for the program's own yearly minimum and its share of quota minimums."""
    need = (
        program.classes_per_year_min * program.class_size_max
        if program.is_class
        else program.places_per_year_min
    )
    for quota in scenario.quotas:
        if program.code in quota.programs:
            need = max(need, quota.min_per_year)
    return need


def _quota_add(scenario: Scenario, code: str, year: int, people: int, quota_used: dict) -> None:
    for quota in scenario.quotas:
        if code in quota.programs:
            quota_used[quota.code, year] += people


def _place_limit(program: Program, year: int, population: Population, quota_used: dict) -> int:
    scenario = population.scenario
    limit = math.inf
    if program.is_class and program.classes_per_year_max is not None:
        limit = program.classes_per_year_max * program.class_size_max
    if program.places_per_year_max is not None:
        limit = min(limit, program.places_per_year_max)
    for quota in scenario.quotas:
        if program.code in quota.programs and quota.max_per_year is not None:
            limit = min(limit, quota.max_per_year - quota_used[quota.code, year])
    return int(min(limit, 10**9))


def _unit_room(population: Population, away: dict, unit: str, year: int, duration: int) -> bool:
    years = [y for y in range(year, year + duration) if y in population.scenario.years]
    return all(away[unit, y] < population.away_room(unit, y) for y in years)


def _cost(program: Program, people: int, classes: int) -> int:
    return program.cost_per_person * people + program.cost_per_class * classes


def _affordable(program: Program, year: int, people: int, budget: dict, years: list[int]) -> tuple[int, int]:
    """The most people (and classes) of `people` candidates that sizes and the budget allow."""
    if not program.is_class:
        study_years = [y for y in range(year, year + program.duration_years) if y in years]
        while people and any(
            budget[y] is not None and _cost(program, people, 0) > budget[y] for y in study_years
        ):
            people -= 1
        return people, 0
    count = math.ceil(people / program.class_size_max)
    if program.classes_per_year_max is not None:
        count = min(count, program.classes_per_year_max)
    while count > 0:
        if people >= program.class_size_min * count:
            people = min(people, program.class_size_max * count)
            while people >= program.class_size_min * count:
                if budget[year] is None or _cost(program, people, count) <= budget[year]:
                    return people, count
                people -= 1
        count -= 1
        people = min(people, program.class_size_max * count)
    return 0, 0


def _spend(program: Program, year: int, people: int, count: int, budget: dict, years: list[int]) -> None:
    if program.is_class:
        if budget[year] is not None:
            budget[year] -= _cost(program, people, count)
        return
    for y in range(year, year + program.duration_years):
        if y in years and budget[y] is not None:
            budget[y] -= _cost(program, people, 0)
