"""Eligibility rules: the cached verdicts equal the rules themselves; retirement ages by the roadmap."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models import EligibilityRule, Gender, Program, Rating, Rules
from planner.io.errors import InputError
from planner.io.scenario import load_scenario
from planner.rules.eligibility import (
    Context,
    age_on,
    eligible_starts,
    is_eligible,
    reasons_not_eligible,
    retirement_date,
)
from planner.sample import generate_roster
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


# --- a missing previous rating counts as the scenario says -------------------------------------------


def _two_years_of_ratings(counts_as: str) -> tuple[Context, Program]:
    master = slot_program("MASTER", eligibility=EligibilityRule(min_rating=Rating.GOOD, rating_years=2))
    plan = scenario([master], rules=Rules(missing_previous_rating=counts_as))
    return Context(plan, {}), master


@pytest.mark.parametrize(
    ("counts_as", "latest", "eligible"),
    [
        ("not_met", Rating.GOOD, False),
        ("as_latest", Rating.GOOD, True),
        ("as_latest", Rating.DONE, False),  # the latest itself falls short
    ],
)
def test_a_missing_previous_rating_counts_as_the_scenario_says(
    counts_as: str, latest: Rating, eligible: bool
) -> None:
    ctx, master = _two_years_of_ratings(counts_as)
    person = official(1, rating=latest, rating_previous=None)
    assert is_eligible(person, master, 2026, ctx) is eligible
    assert bool(eligible_starts(person, ctx)) is eligible
    # with both ratings there the rule does not depend on the setting
    assert is_eligible(official(2, rating=latest, rating_previous=latest), master, 2026, ctx) is (
        latest is Rating.GOOD
    )


def test_the_default_is_not_met_and_the_reason_names_the_missing_rating() -> None:
    assert Rules().missing_previous_rating == "not_met"
    ctx, master = _two_years_of_ratings("not_met")
    (reason,) = reasons_not_eligible(official(1, rating_previous=None), master, 2026, ctx)
    assert (reason.rule, reason.missing) == ("rating", "rating_previous")
    assert reason.vi == "chưa có xếp loại năm trước (cần 2 năm liền đạt 'Hoàn thành tốt nhiệm vụ')"
    assert reason.en == "no previous year's rating (2 years of 'good' needed)"
    (below,) = reasons_not_eligible(official(1, rating_previous=Rating.DONE), master, 2026, ctx)
    assert below.missing is None  # a value that falls short is not a missing value


def test_a_wrong_missing_previous_rating_is_refused_with_the_values_allowed(tmp_path) -> None:
    base = Path(SCENARIOS[0]).resolve()
    path = tmp_path / "sai.toml"
    path.write_text(f'extends = "{base}"\n[rules]\nmissing_previous_rating = "latest"\n', encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_scenario(path)
    (problem,) = refused.value.problems
    assert "rules.missing_previous_rating" in str(problem)
    assert "'as_latest' hoặc 'not_met'" in str(problem) and "'as_latest' or 'not_met'" in str(problem)


@pytest.mark.parametrize("path", SCENARIOS)
def test_the_shipped_scenarios_state_their_choice(path: str) -> None:
    text = Path(path).read_text(encoding="utf-8")
    assert 'missing_previous_rating = "not_met"' in text
    assert load_scenario(path).rules.missing_previous_rating == "not_met"
