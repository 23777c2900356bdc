"""The rules' profiles worked out on columns (`profiles.rule_profiles`) are those worked out one
official at a time (`eligibility.rule_profile`), and officials they group together get the same
verdict from every rule, for every program and year."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date

import pytest

from models import EligibilityRule, Gender, Official, Roster, Rules, Scenario, TrainingRecord
from planner.io.scenario import load_scenario
from planner.rules.coverage import group_key, in_group
from planner.rules.eligibility import RULES, Context, rule_profile
from planner.rules.profiles import rule_profiles
from tests.factories import official, scenario, slot_program
from tests.rules.test_eligibility_rules import boundary_plan, boundary_roster

#: (scenario, structure of the generated roster): each shipped scenario on the roster it is for.
PROVINCES = [("scenarios/plan-2023-2025.toml", "2023"), ("scenarios/orientation-2026-2030.toml", "2025")]

People = tuple[Scenario, list[Official], dict[str, list[TrainingRecord]]]


def _generated(province: Callable[..., Roster], path: str, structure: str, size: int) -> People:
    plan = load_scenario(path)
    roster = province(size, seed=7, structure=structure, reference_year=plan.start_year)
    return plan, roster.officials, roster.history_by_official()


def _no_thresholds() -> People:
    """A scenario without ages, service or working years asked, officials without a hiring day."""
    plan = scenario([slot_program("OPEN", duration_years=1, eligibility=EligibilityRule())])
    people = [official(i, hired_date=None, birth_date=date(1970 + i, 1 + i, 1)) for i in range(3)]
    return plan, people, {}


@pytest.fixture(params=["plan-2023", "orientation-2026", "boundary days", "no thresholds"])
def people(request: pytest.FixtureRequest, province: Callable[..., Roster]) -> People:
    if request.param == "boundary days":
        return boundary_plan(), *boundary_roster()
    if request.param == "no thresholds":
        return _no_thresholds()
    path, structure = PROVINCES[0] if request.param == "plan-2023" else PROVINCES[1]
    return _generated(province, path, structure, 4000)


def test_the_profiles_on_columns_are_the_profiles_one_by_one(people: People) -> None:
    plan, officials, history = people
    ctx = Context(plan, history)
    by_columns = rule_profiles(officials, ctx)
    for person, profile in zip(officials, by_columns, strict=True):
        assert profile == rule_profile(person, ctx), person


def test_every_rule_gives_officials_of_one_profile_the_same_verdict(people: People) -> None:
    """The reason the profiles exist: the rules run on one official of each and the verdicts are
    reused. Checked rule by rule on every official (generated provinces: the first 1,500)."""
    plan, officials, history = people
    officials = officials[:1500]
    ctx = Context(plan, history)
    first: dict[tuple, Official] = {}
    for person, profile in zip(officials, rule_profiles(officials, ctx), strict=True):
        model = first.setdefault(profile, person)
        for rule in RULES:
            for program in plan.programs:
                for year in plan.years:
                    verdict = rule(person, program, year, ctx)
                    expected = rule(model, program, year, ctx)
                    assert (verdict is None) == (expected is None), (
                        rule.__name__,
                        program.code,
                        year,
                        person,
                    )
                    assert verdict is None or (verdict.rule, verdict.missing) == (
                        expected.rule,
                        expected.missing,
                    )


def test_officials_of_one_group_key_are_in_the_same_target_groups(people: People) -> None:
    """`facts` asks `in_group` once per `group_key`: officials sharing a key must share every
    target group (the NFD field of one official and the NFC field of another included)."""
    plan, officials, _ = people
    first: dict[tuple, Official] = {}
    keys = set()
    for person in [*officials, *_nfd_twins(officials[:50])]:
        model = first.setdefault(group_key(person), person)
        keys.add(group_key(person))
        for target in plan.targets:
            assert in_group(person, target, plan) == in_group(model, target, plan), (target.code, person)
    assert len(keys) > 1 or len(officials) < 5


def _nfd_twins(officials: list[Official]) -> list[Official]:
    """The officials with their field written in decomposed Unicode and another case, as some HR
    exports write it."""
    return [o.model_copy(update={"field": unicodedata.normalize("NFD", o.field.upper())}) for o in officials]


def test_an_empty_roster_has_no_profiles() -> None:
    assert rule_profiles([], Context(boundary_plan(), {})) == []


def test_fixed_retirement_ages_count_too() -> None:
    """Retirement at fixed ages (the scenario's), not the roadmap, worked out per birth day and
    gender: men born 1 January 1969 retire on the reference day of 2029, when 3 years from 2026 end."""
    plan = scenario(
        [slot_program("LEFT", duration_years=1, eligibility=EligibilityRule(min_years_left=3))],
        end_year=2030,
        rules=Rules(retirement_age_men=60, retirement_age_women=55),
    )
    people = [
        official(i, birth_date=date(1969, 1, 1 + i % 3), gender=g)
        for i, g in enumerate([Gender.MALE, Gender.FEMALE] * 3)
    ]
    ctx = Context(plan, {})
    assert rule_profiles(people, ctx) == [rule_profile(p, ctx) for p in people]
