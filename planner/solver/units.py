"""Which units the people of a multi-year count come from, within each unit's absence cap.

The main model bounds each cohort by what its members' units allow, but cohorts share
units. This small model spreads every positive multi-year count over the units of its
cohort so that, in each unit and year, people away stay within the cap. Only counts the
plan actually uses appear, so it stays small at any roster size.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict

from ortools.sat.python import cp_model

from planner.solver.cohorts import Population
from planner.solver.sat import one_worker_solver

log = logging.getLogger(__name__)

UnitQuota = dict[tuple[int, str, int], dict[str, int]]


def assign_units(
    population: Population, counts: dict[tuple[int, str, int], int], seconds: float = 5.0
) -> tuple[UnitQuota, set[str]]:
    """Per multi-year count, how many come from each unit; and the units whose cap left a count short."""
    duration = {p.code: p.duration_years for p in population.scenario.programs}
    model = cp_model.CpModel()
    x, members_in = _unit_variables(model, population, counts, duration)
    if not x:
        return {}, set()
    by_count: dict[tuple[int, str, int], list[cp_model.IntVar]] = defaultdict(list)
    away: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    busy: dict[tuple[int, str, int], list[cp_model.IntVar]] = defaultdict(list)
    per_program: dict[tuple[int, str, str], list[cp_model.IntVar]] = defaultdict(list)
    for (index, program, start, unit), var in x.items():
        by_count[index, program, start].append(var)
        per_program[index, program, unit].append(var)
        for year in range(start, start + duration[program]):
            away[unit, year].append(var)
            busy[index, unit, year].append(var)
    for key, variables in by_count.items():
        model.add(sum(variables) <= counts[key])
    for (unit, year), variables in away.items():
        model.add(sum(variables) <= population.away_room(unit, year))
    for (index, unit, _), variables in busy.items():
        model.add(sum(variables) <= members_in[index][unit])
    for (index, _, unit), variables in per_program.items():
        model.add(sum(variables) <= members_in[index][unit])
    model.maximize(sum(x.values()))
    solver = one_worker_solver(seconds)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        log.warning("unit assignment: %s", solver.status_name(status))
        return {}, {unit for counter in members_in.values() for unit in counter}
    quota: UnitQuota = defaultdict(dict)
    for (index, program, year, unit), var in x.items():
        if value := solver.value(var):
            quota[index, program, year][unit] = value
    return dict(quota), _short_units(solver, population, counts, duration, members_in, by_count, away)


def _unit_variables(
    model: cp_model.CpModel,
    population: Population,
    counts: dict[tuple[int, str, int], int],
    duration: dict[str, int],
) -> tuple[dict[tuple[int, str, int, str], cp_model.IntVar], dict[int, Counter[str]]]:
    """A variable per positive multi-year count and unit of its cohort (people sent from that unit),
    and the members of each such cohort per unit."""
    unit_of = population.unit_of
    cohorts = {c.index: c for c in population.cohorts}
    x: dict[tuple[int, str, int, str], cp_model.IntVar] = {}
    members_in: dict[int, Counter[str]] = {}
    for (index, program, year), count in sorted(counts.items()):
        if duration[program] == 1 or count == 0:
            continue
        if index not in members_in:
            members_in[index] = Counter(unit_of[m] for m in cohorts[index].members)
        for unit, size in sorted(members_in[index].items()):
            x[index, program, year, unit] = model.new_int_var(
                0, min(size, count), f"x_{index}_{program}_{year}"
            )
    return x, members_in


def _short_units(
    solver: cp_model.CpSolver,
    population: Population,
    counts: dict[tuple[int, str, int], int],
    duration: dict[str, int],
    members_in: dict[int, Counter[str]],
    by_count: dict[tuple[int, str, int], list[cp_model.IntVar]],
    away: dict[tuple[str, int], list[cp_model.IntVar]],
) -> set[str]:
    """The units of each count left short that are full in some year of the count."""
    short_units: set[str] = set()
    for key, variables in by_count.items():
        if sum(solver.value(v) for v in variables) < counts[key]:
            index, program, start = key
            for unit in members_in[index]:
                years = range(start, start + duration[program])
                if any(
                    sum(solver.value(v) for v in away[unit, y]) >= population.away_room(unit, y)
                    for y in years
                ):
                    short_units.add(unit)
    return short_units
