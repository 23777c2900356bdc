"""The greedy baseline: what a careful person does by hand, within the same hard rules.

Year by year, program by program, the eligible are ranked (members of an open target
first, nearer title appointments first, then by merit score, then by id) and the places and
classes are filled in that order while quotas, unit caps and the budget allow. It is the
floor the optimizer must beat, and the optimizer's first hint.
"""

from __future__ import annotations

import math
from collections import defaultdict

from models import Program
from planner.cohorts import Population


def greedy_plan(population: Population) -> tuple[list[tuple[str, str, int]], dict[tuple[str, int], int]]:
    """Nominations (official_id, program, year) and classes per (program, year) of the greedy plan."""
    scenario = population.scenario
    officials = population.officials()
    cohort_of = {m: c for c in population.cohorts for m in c.members}
    by_start: dict[tuple[str, int], list[str]] = defaultdict(list)
    for official_id in sorted(cohort_of):
        for start in population.starts_of[official_id]:
            by_start[start].append(official_id)
    open_targets = {
        code: {t.code for t in scenario.targets if code in t.programs}
        for code in (p.code for p in scenario.programs)
    }
    done: dict[str, set[str]] = defaultdict(set)
    busy: dict[str, set[int]] = defaultdict(set)
    away: dict[tuple[str, int], int] = defaultdict(int)
    budget = {y: scenario.budget.limit(y) for y in scenario.years}
    quota_used: dict[tuple[str, int], int] = defaultdict(int)
    chosen: list[tuple[str, str, int]] = []
    classes: dict[tuple[str, int], int] = defaultdict(int)
    for year in scenario.years:
        for program in scenario.programs:
            code = program.code

            def rank(m: str, code: str = code, year: int = year) -> tuple:
                cohort = cohort_of[m]
                urgent = bool(open_targets[code].intersection(cohort.targets))
                title = officials[m].title_year or 9999
                return ((code, year) not in cohort.pinned, not urgent, title, -cohort.scores[code], m)

            candidates = sorted(
                (m for m in by_start.get((code, year), []) if year not in busy[m] and code not in done[m]),
                key=rank,
            )
            limit = _place_limit(program, year, population, quota_used)
            picked: list[str] = []
            for member in candidates:
                if len(picked) >= limit:
                    break
                unit = officials[member].unit
                if program.duration_years > 1 and not _unit_room(
                    population, away, unit, year, program.duration_years
                ):
                    continue
                picked.append(member)
                if program.duration_years > 1:
                    for y in range(year, year + program.duration_years):
                        away[unit, y] += 1
            people, count = _affordable(program, year, len(picked), budget, scenario.years)
            for member in picked[people:]:
                if program.duration_years > 1:
                    for y in range(year, year + program.duration_years):
                        away[officials[member].unit, y] -= 1
            for member in picked[:people]:
                done[member].add(code)
                busy[member].update(range(year, year + program.duration_years))
                chosen.append((member, code, year))
            if program.is_class:
                classes[code, year] = count
            for quota in scenario.quotas:
                if code in quota.programs:
                    quota_used[quota.code, year] += people
            _spend(program, year, people, count, budget, scenario.years)
    return chosen, dict(classes)


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
