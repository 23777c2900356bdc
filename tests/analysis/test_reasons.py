"""Reasons: every name on the lists has its rule path, every uncovered target member a binding reason."""

from __future__ import annotations

import re
from datetime import date

import pytest

from models import (
    Budget,
    Category,
    ClassInfo,
    Education,
    EligibilityRule,
    Gender,
    Nomination,
    Official,
    Result,
    RoleGroup,
    Roster,
    Scenario,
    SolverSettings,
    Target,
)
from planner.analysis.check import check_plan
from planner.analysis.reasons import (
    BUDGET,
    BUSY,
    NOT_CHOSEN,
    NOT_ELIGIBLE,
    PLACES_FULL,
    UNIT_CAP,
    explain_official,
    nomination_reasons,
    non_nomination_reasons,
)
from planner.io.text import format_number, format_percent
from planner.rules.eligibility import age_on, reasons_not_eligible
from planner.solver.cohorts import Population, build_population
from planner.solver.solve import solve
from tests.factories import class_program, official, scenario, slot_program

SETTINGS = SolverSettings(time_limit=10)


def _officials(count: int) -> list[Official]:
    """Công chức of three units, mixed ages (born 1967-1994: none retires by 2028), genders, pipeline."""
    return [
        official(
            i,
            gender=Gender.FEMALE if i % 2 else Gender.MALE,
            birth_date=date(1967 + (i * 7) % 28, 1 + i % 12, 1 + i % 28),
            pipeline=i % 4 == 0,
        )
        for i in range(count)
    ]


def _scenario() -> Scenario:
    """DUTY for every công chức (6 places a year), MASTER for bachelors aged 45 or less (2 a year)."""
    master = slot_program("MASTER", eligibility=EligibilityRule(educations=[Education.BACHELOR], max_age=45))
    return scenario(
        [class_program("DUTY"), master],
        targets=[
            Target(code="DUTY_ALL", name="Tất cả công chức", programs=["DUTY"], share=1.0, deadline=2028),
            Target(code="POSTGRAD", name="Sau đại học", programs=["MASTER"], count=12, deadline=2028),
        ],
    )


@pytest.fixture(scope="module")
def planned() -> tuple[Roster, Scenario, Result, Population]:
    roster = Roster(officials=_officials(30))
    plan_scenario = _scenario()
    result = solve(roster, plan_scenario, SETTINGS)
    assert check_plan(roster, plan_scenario, result.nominations, result.classes) == []
    return roster, plan_scenario, result, build_population(roster, plan_scenario)


def _age(o: Official, year: int) -> int:
    return age_on(o.birth_date, date(year, 1, 1))


# --- nominations ----------------------------------------------------------------------------------


def test_every_nomination_has_a_reason_in_both_languages(planned):
    _, _, result, population = planned
    reasons = nomination_reasons(population, result)
    assert set(reasons) == {(n.official_id, n.program, n.year) for n in result.nominations}
    for vi, en in reasons.values():
        assert vi.startswith("Đủ điều kiện: ") and "Ưu tiên: " in vi
        assert en.startswith("Eligible: ") and "Priority: " in en


def test_a_nominated_persons_reason_states_their_eligibility_facts(planned):
    roster, _, result, population = planned
    officials = roster.by_id()
    reasons = nomination_reasons(population, result)
    masters = [n for n in result.nominations if n.program == "MASTER"]
    assert masters
    for n in masters:
        vi, en = reasons[n.official_id, n.program, n.year]
        age = _age(officials[n.official_id], n.year)
        assert f"{age} tuổi ≤ 45" in vi
        assert "trình độ Đại học" in vi
        assert f"aged {age} ≤ 45" in en
        assert "thuộc diện mục tiêu POSTGRAD (hạn 2028)" in vi
        assert re.search(r"\d+ điểm \(xếp loại hoàn thành tốt nhiệm vụ", vi)
        assert re.search(r"xếp thứ \d+/\d+ theo điểm", vi)


def test_every_comparison_a_reason_states_holds(planned):
    """'aged 44 ≤ 45', 'còn 7,5 năm công tác ≥ 6': each stated comparison is true of the person."""
    _, _, result, population = planned
    compared = 0
    for vi, en in nomination_reasons(population, result).values():
        for text, decimal in ((vi, ","), (en, ".")):
            number = rf"(\d+(?:\{decimal}\d+)?)"  # a unit may stand between: '44 tuổi ≤ 45'
            for left, sign, right in re.findall(rf"{number}(?: [^\d;≤≥]+?)? (≤|≥) {number}", text):
                a, b = (float(x.replace(decimal, ".")) for x in (left, right))
                assert a <= b if sign == "≤" else a >= b, text
                compared += 1
    assert compared


# --- members left off the lists -----------------------------------------------------------------


def test_every_uncovered_member_left_off_gets_one_reason(planned):
    roster, plan_scenario, result, population = planned
    missing = non_nomination_reasons(population, result)
    covered = {
        (n.official_id, t.code)
        for n in result.nominations
        for t in plan_scenario.targets
        if n.program in t.programs
    }
    expected = {(o.id, t.code) for o in roster.officials for t in plan_scenario.targets} - covered
    assert sorted((m.official_id, m.target) for m in missing) == sorted(expected)
    assert all(m.reason.vi and m.reason.en and m.kind for m in missing)
    order = [t.code for t in plan_scenario.targets]  # by target as the scenario lists them, then id
    listed = [(order.index(m.target), m.official_id) for m in missing]
    assert listed == sorted(listed)


def test_an_eligible_member_left_off_when_places_are_full_gets_their_rank(planned):
    _, _, result, population = planned
    missing = [m for m in non_nomination_reasons(population, result) if m.target == "DUTY_ALL"]
    # 30 members, 6 DUTY places a year for 3 years: 12 are left off, all for lack of places
    assert len(missing) == 12
    for m in missing:
        assert m.kind == PLACES_FULL
        assert m.program == "DUTY"
        match = re.search(
            r"hết chỉ tiêu DUTY năm 20\d\d \(đủ 2 lớp × 3 người\): xếp thứ (\d+)/30 theo điểm", m.reason.vi
        )
        assert match, m.reason.vi
        assert 1 <= int(match.group(1)) <= 30
        assert re.search(r"ranked \d+ of 30 by DUTY score", m.reason.en)


def test_an_ineligible_member_gets_the_eligibility_reason(planned):
    roster, _, result, population = planned
    officials = roster.by_id()
    missing = [m for m in non_nomination_reasons(population, result) if m.target == "POSTGRAD"]
    too_old = [m for m in missing if _age(officials[m.official_id], 2026) > 45]
    assert too_old
    for m in too_old:
        age = _age(officials[m.official_id], 2026)
        assert m.kind == NOT_ELIGIBLE
        assert m.reason.vi == f"{age} tuổi, quá tuổi tối đa 45"
        assert m.reason.en == f"aged {age}, over the limit 45"


def _hand_made(plan_scenario: Scenario, officials: list[Official], nominations: list[Nomination]) -> tuple:
    roster = Roster(officials=officials)
    population = build_population(roster, plan_scenario)
    result = Result(status="FEASIBLE", method="greedy", nominations=nominations)
    assert check_plan(roster, plan_scenario, nominations, []) == []
    return population, result


def test_a_member_busy_on_a_multi_year_program_is_said_to_be_busy():
    plan_scenario = scenario(
        [slot_program("MASTER"), slot_program("PHD", eligibility=EligibilityRule())],
        targets=[Target(code="PHD_ALL", name="PhD", programs=["PHD"], share=1.0, deadline=2027)],
    )
    people = [official(0, unit="Sở A"), official(1, unit="Sở B")]
    population, result = _hand_made(
        plan_scenario, people, [Nomination(official_id="CB00000", program="MASTER", year=2026)]
    )
    missing = {m.official_id: m for m in non_nomination_reasons(population, result)}
    assert missing["CB00000"].kind == BUSY
    assert "đi học MASTER 2026-2027" in missing["CB00000"].reason.vi
    assert "away on MASTER 2026-2027" in missing["CB00000"].reason.en
    # the other one was free and PHD had places left: not chosen, with their rank
    assert missing["CB00001"].kind not in (BUSY, NOT_ELIGIBLE)


def test_a_member_of_a_unit_at_its_absence_cap_is_told_so():
    plan_scenario = scenario(
        [slot_program("MASTER", places_per_year_max=5)],
        targets=[Target(code="MASTER_ALL", name="Thạc sĩ", programs=["MASTER"], share=1.0, deadline=2026)],
        end_year=2026,
    )
    people = [official(i, unit="Sở A") for i in range(3)]  # cap: max(1, 10 % of 3) = 1 away
    population, result = _hand_made(
        plan_scenario, people, [Nomination(official_id="CB00000", program="MASTER", year=2026)]
    )
    missing = non_nomination_reasons(population, result)
    assert [m.kind for m in missing] == [UNIT_CAP, UNIT_CAP]
    assert "đơn vị Sở A đã đủ người đi học dài hạn năm 2026 (1/1)" in missing[0].reason.vi


def _one_in_a_class(budget: int) -> tuple[Population, Result]:
    """Three công chức of a target, one of them in a DUTY class of one (11,000,000 VND), and a budget."""
    plan_scenario = scenario(
        [class_program("DUTY", class_size_min=1, classes_per_year_max=5)],
        targets=[Target(code="DUTY_ALL", name="Tất cả", programs=["DUTY"], share=1.0, deadline=2026)],
        end_year=2026,
        budget=Budget(default=budget),
    )
    roster = Roster(officials=[official(i) for i in range(3)])
    population = build_population(roster, plan_scenario)
    nominations = [Nomination(official_id="CB00000", program="DUTY", year=2026, class_id="DUTY-2026-01")]
    classes = [ClassInfo(class_id="DUTY-2026-01", program="DUTY", year=2026, size=1)]
    assert check_plan(roster, plan_scenario, nominations, classes) == []
    return population, Result(status="FEASIBLE", method="greedy", nominations=nominations, classes=classes)


def test_a_member_left_off_when_the_money_left_cannot_pay_one_more_place_is_told_so():
    missing = non_nomination_reasons(
        *_one_in_a_class(budget=11_500_000)
    )  # 500,000 left, a seat costs 1,000,000
    assert [m.kind for m in missing] == [BUDGET, BUDGET]
    assert "kinh phí năm 2026 còn 500.000 đồng, một chỗ nữa cần 1.000.000 đồng" in missing[0].reason.vi
    assert "the 2026 budget has 500,000 VND left, one more place needs 1,000,000 VND" in missing[0].reason.en


def test_the_budget_is_not_blamed_while_the_money_left_pays_for_the_place():
    # 92 % of the budget is spent, but the 1,000,000 left pays for a seat in the class opened
    missing = non_nomination_reasons(*_one_in_a_class(budget=12_000_000))
    assert [m.kind for m in missing] == [NOT_CHOSEN, NOT_CHOSEN]
    assert "kinh phí" not in missing[0].reason.vi and "budget" not in missing[0].reason.en


# --- explain ----------------------------------------------------------------------------------------


def test_explain_covers_every_program_and_year(planned):
    roster, plan_scenario, result, population = planned
    for o in roster.officials[:6]:
        lines = explain_official(population, result, o.id)
        assert lines[0].startswith(f"{o.id} – {o.name}")
        for program in plan_scenario.programs:
            for year in plan_scenario.years:
                assert sum(line.startswith(f"{program.code} {year}: ") for line in lines) == 1


def test_explain_says_who_is_nominated_where_and_why_the_others_are_not(planned):
    roster, _, result, population = planned
    officials = roster.by_id()
    n = next(n for n in result.nominations if n.program == "DUTY")
    lines = explain_official(population, result, n.official_id)
    line = next(line for line in lines if line.startswith(f"DUTY {n.year}: "))
    assert f"ĐƯỢC CỬ, lớp {n.class_id}" in line
    other_years = [
        line for line in lines if line.startswith("DUTY ") and not line.startswith(f"DUTY {n.year}")
    ]
    assert all(f"đã được cử DUTY năm {n.year}" in line for line in other_years)
    old = next(o for o in roster.officials if _age(o, 2026) > 46)
    lines = explain_official(population, result, old.id, lang="en")
    assert any(line.startswith("MASTER 2026: not eligible – aged") for line in lines)
    assert officials[old.id].name in lines[0]


def test_explain_refuses_an_unknown_id(planned):
    _, _, result, population = planned
    with pytest.raises(ValueError, match="NOBODY"):
        explain_official(population, result, "NOBODY")


def test_numbers_are_written_the_vietnamese_way_in_vietnamese():
    assert format_number(3100) == "3.100"
    assert format_number(3100, "en") == "3,100"
    assert format_number(12.25, "vi", 1) == "12,2" or format_number(12.25, "vi", 1) == "12,3"
    assert format_percent(0.003) == "0,3 %"
    assert format_percent(0.003, "en") == "0.3%"


def test_a_category_outside_the_program_is_an_eligibility_reason():
    plan_scenario = scenario(
        [class_program("DUTY")],
        targets=[Target(code="ALL", name="Tất cả", programs=["DUTY"], share=1.0, deadline=2028)],
    )
    people = [official(0, category=Category.VIEN_CHUC)]
    population, result = _hand_made(plan_scenario, people, [])
    [missing] = non_nomination_reasons(population, result)
    reasons = reasons_not_eligible(people[0], plan_scenario.programs[0], 2026, population.context)
    assert [r.rule for r in reasons] == ["category"]
    assert missing.kind == NOT_ELIGIBLE
    assert (missing.reason.vi, missing.reason.en) == (reasons[0].vi, reasons[0].en)
    assert missing.reason.vi == "loại 'Viên chức' không thuộc đối tượng"


def test_explain_says_a_target_member_is_covered_by_the_plan() -> None:
    from models import Target
    from planner.analysis.reasons import explain_official
    from planner.solver.cohorts import build_population
    from planner.solver.solve import solve
    from tests.factories import class_program, roster, scenario

    staff = roster(6)
    plan = scenario(
        [class_program()],
        targets=[Target(code="ALL", name="all", programs=["DUTY"], share=1.0, deadline=2028)],
    )
    result = solve(staff, plan)
    first = result.nominations[0]
    lines = explain_official(build_population(staff, plan), result, first.official_id, lang="en")
    assert f"Member of target ALL (deadline 2028): covered by DUTY {first.year}" in lines


def test_the_working_years_a_nominee_needs_are_those_of_their_category():
    """A viên chức's commitment is twice the study (Decree 101/2017), a công chức's three times: the
    reason said '7.5 working years left ≥ 8' for a viên chức who needs 6, an untrue sentence."""
    master = slot_program(
        "MASTER",
        duration_years=2,
        eligibility=EligibilityRule(
            commitment_factor=3, commitment_factor_by_category={Category.VIEN_CHUC: 2}
        ),
    )
    plan_scenario = scenario([master])
    teacher = official(
        0, category=Category.VIEN_CHUC, role_group=RoleGroup.VIEN_CHUC, birth_date=date(1971, 6, 15)
    )
    nomination = Nomination(official_id=teacher.id, program="MASTER", year=2026)
    population, result = _hand_made(plan_scenario, [teacher], [nomination])
    assert check_plan(Roster(officials=[teacher]), plan_scenario, [nomination], []) == []
    vi, en = nomination_reasons(population, result)[teacher.id, "MASTER", 2026]
    left, needed = (float(x) for x in re.search(r"([\d.]+) working years left ≥ ([\d.]+)", en).groups())
    assert needed == 6 and left >= needed, en
    assert re.search(r"còn \d+,\d năm công tác ≥ 6\b", vi), vi
