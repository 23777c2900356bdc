"""Eligibility rules: the cached verdicts equal the rules themselves; retirement ages by the roadmap."""

from __future__ import annotations

from datetime import date

import pytest

from models import Gender
from planner.eligibility import Context, age_on, eligible_starts, is_eligible, retirement_date
from planner.sample import generate_roster
from planner.scenario import load_scenario
from tests.factories import official, scenario, slot_program

SCENARIOS = ["scenarios/plan-2023-2025.toml", "scenarios/orientation-2026-2030.toml"]


@pytest.mark.parametrize("path", SCENARIOS)
def test_cached_verdicts_equal_the_rules(path: str) -> None:
    plan = load_scenario(path)
    roster = generate_roster(1500, seed=11, structure="2023" if "2023" in path else "2025",
                             reference_year=plan.start_year)  # fmt: skip
    cached = Context(plan, roster.history_by_official())
    direct = Context(plan, roster.history_by_official())
    for person in roster.officials:
        expected = {
            (p.code, y) for p in plan.programs for y in plan.years if is_eligible(person, p, y, direct)
        }
        assert eligible_starts(person, cached) == expected, person.id


@pytest.mark.parametrize(
    ("gender", "birth", "retires"),
    [
        (Gender.MALE, date(1964, 7, 1), date(2025, 10, 1)),  # reaches 61y3m, the age of 2025, in 2025
        (Gender.MALE, date(1964, 10, 1), date(2026, 4, 1)),  # 61y6m in 2026 (Decree 135/2020)
        (Gender.FEMALE, date(1969, 6, 1), date(2026, 6, 1)),  # 57 in 2026
        (Gender.MALE, date(1970, 5, 10), date(2032, 5, 10)),  # 62 from 2028
        (Gender.FEMALE, date(1980, 1, 1), date(2040, 1, 1)),  # 60 from 2035
    ],
)
def test_retirement_follows_the_labour_code_roadmap(gender: Gender, birth: date, retires: date) -> None:
    person = official(1, gender=gender, birth_date=birth)
    assert retirement_date(person, scenario([slot_program()])) == retires


def test_age_is_counted_on_the_reference_day() -> None:
    assert age_on(date(1981, 1, 2), date(2026, 1, 1)) == 44
    assert age_on(date(1981, 1, 1), date(2026, 1, 1)) == 45
