"""Unit caps (planner/solver/units.py): multi-year counts spread over a cohort's units within each cap.

The populations are hand-made: identical bachelors (tests.factories.official) in named units,
modelled as one cohort across units (`split_units=frozenset()`), MASTER two years. With
`away_share_max` 0.1 and `away_min_allowed` 1, a unit of 10 staff may have 1 away a year, one of
30 staff 3, one of 5 staff 1 (the minimum allowed). The caps below are worked out from those rules,
not read from the population.
"""

from __future__ import annotations

from collections import Counter

from models import Education, Roster, Rules, TrainingRecord
from planner.solver.cohorts import Population, build_population
from planner.solver.units import UnitQuota, assign_units
from tests.factories import class_program, official, scenario, slot_program

CAP_RULES = Rules(away_share_max=0.1, away_min_allowed=1)
MASTER_ONLY = scenario([slot_program("MASTER", places_per_year_max=10)], rules=CAP_RULES)
DURATION = {"MASTER": 2}


def staff(units: dict[str, int], eligible: dict[str, int] | None = None) -> list:
    """`units[u]` officials in each unit u; only the first `eligible[u]` of them bachelors (the rest
    hold a master's, so MASTER is not for them)."""
    people = []
    for unit, size in units.items():
        for k in range(size):
            bachelor = eligible is None or k < eligible.get(unit, size)
            education = Education.BACHELOR if bachelor else Education.MASTER
            people.append(official(len(people), unit=unit, education=education))
    return people


def cohort_of(population: Population, official_id: str) -> int:
    """The index of the cohort the official is counted in."""
    return next(c.index for c in population.cohorts if official_id in c.members)


def away_by_unit_and_year(quota: UnitQuota) -> Counter[tuple[str, int]]:
    """People the assignment sends away per (unit, year), every year of each multi-year count."""
    away: Counter[tuple[str, int]] = Counter()
    for (_, program, start), by_unit in quota.items():
        for unit, number in by_unit.items():
            for year in range(start, start + DURATION[program]):
                away[unit, year] += number
    return away


def test_a_count_is_spread_over_the_units_up_to_each_cap() -> None:
    """4 places from a cohort in a unit of 30 (cap 3) and one of 5 (cap 1, the minimum allowed)."""
    people = Roster(officials=staff({"Sở A": 30, "Sở B": 5}))
    population = build_population(people, MASTER_ONLY, split_units=frozenset())
    (cohort,) = population.cohorts
    quota, short_units = assign_units(population, {(cohort.index, "MASTER", 2026): 4})
    assert quota == {(cohort.index, "MASTER", 2026): {"Sở A": 3, "Sở B": 1}}
    assert short_units == set()


def test_a_count_stays_within_each_cap_in_every_year_of_its_study() -> None:
    """Two units of 10 (cap 1 each): the MASTER 2026 places are still away in 2027, so the 2027 count
    finds no room; MASTER 2028 does (2028-2029). The best spread names 4 places of the 6 counted."""
    people = Roster(officials=staff({"Sở A": 10, "Sở B": 10}))
    population = build_population(people, MASTER_ONLY, split_units=frozenset())
    (cohort,) = population.cohorts
    counts = {(cohort.index, "MASTER", year): 2 for year in (2026, 2027, 2028)}
    quota, short_units = assign_units(population, counts)
    away = away_by_unit_and_year(quota)
    assert all(number <= 1 for number in away.values()), away
    assert sum(sum(by_unit.values()) for by_unit in quota.values()) == 4
    assert all(sum(quota.get(key, {}).values()) <= count for key, count in counts.items())
    assert short_units == {"Sở A", "Sở B"}


def test_short_units_are_those_whose_cap_left_the_count_short() -> None:
    """Sở A (10 staff) has one away on MASTER 2025-2026 from the history: no room in 2026. Sở B
    (10 staff, cap 1) is filled. Sở C (30 staff, cap 3) has only one bachelor: it is not full, the
    cohort simply has nobody else there. 4 counted, 2 placed; A and B kept the count short."""
    people = staff({"Sở A": 10, "Sở B": 10, "Sở C": 30}, eligible={"Sở C": 1})
    away = people[0]
    history = [TrainingRecord(official_id=away.id, program="MASTER", year=2025)]
    population = build_population(
        Roster(officials=people, history=history), MASTER_ONLY, split_units=frozenset()
    )
    index = cohort_of(population, people[1].id)
    quota, short_units = assign_units(population, {(index, "MASTER", 2026): 4})
    assert quota == {(index, "MASTER", 2026): {"Sở B": 1, "Sở C": 1}}
    assert short_units == {"Sở A", "Sở B"}


def test_one_year_programs_need_no_assignment() -> None:
    plan = scenario([class_program("DUTY", class_size_max=10), slot_program("MASTER")], rules=CAP_RULES)
    people = Roster(officials=staff({"Sở A": 10, "Sở B": 10}))
    population = build_population(people, plan, split_units=frozenset())
    (cohort,) = population.cohorts
    assert assign_units(population, {(cohort.index, "DUTY", 2026): 10}) == ({}, set())
    # beside a multi-year count, only that one is assigned; a zero count is left out too
    counts = {
        (cohort.index, "DUTY", 2026): 10,
        (cohort.index, "MASTER", 2026): 1,
        (cohort.index, "MASTER", 2027): 0,
    }
    quota, short_units = assign_units(population, counts)
    assert list(quota) == [(cohort.index, "MASTER", 2026)]
    assert sum(quota[cohort.index, "MASTER", 2026].values()) == 1
    assert short_units == set()
