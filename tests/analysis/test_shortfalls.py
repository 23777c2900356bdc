"""Shortfall causes: each stated cause is measured on the written plan, the budget only by arithmetic."""

from __future__ import annotations

import re
from datetime import date

import pytest

from models import (
    Budget,
    ClassInfo,
    Education,
    EligibilityRule,
    GroupFilter,
    Nomination,
    Official,
    Rating,
    Roster,
    Scenario,
    Shortfall,
    Target,
    TrainingRecord,
)
from models.official import OFFICIAL_FIELDS
from planner.analysis.check import check_plan
from planner.analysis.shortfalls import measure_shortfalls
from planner.solver.cohorts import build_population
from tests.factories import class_program, official, scenario, slot_program


def _measure(
    plan_scenario: Scenario,
    officials: list[Official],
    nominations: list[Nomination] = (),
    classes: list[ClassInfo] = (),
    history: list[TrainingRecord] = (),
    columns: frozenset[str] = OFFICIAL_FIELDS,
) -> list[Shortfall]:
    """The shortfalls of a hand-made plan, which must keep every hard rule."""
    roster = Roster(officials=officials, history=list(history), columns=columns)
    assert check_plan(roster, plan_scenario, list(nominations), list(classes)) == []
    return measure_shortfalls(build_population(roster, plan_scenario), list(nominations), list(classes))


def _only(shortfalls: list[Shortfall]) -> Shortfall:
    assert len(shortfalls) == 1, [s.reason.en for s in shortfalls]
    return shortfalls[0]


def _duty_class(year: int, members: list[str], number: int = 1) -> tuple[list[Nomination], ClassInfo]:
    class_id = f"DUTY-{year}-{number:02d}"
    nominations = [Nomination(official_id=m, program="DUTY", year=year, class_id=class_id) for m in members]
    return nominations, ClassInfo(class_id=class_id, program="DUTY", year=year, size=len(members))


# --- the budget is named only when the money left cannot close the shortfall -------------------------


def _master_and_duty(budget: int) -> Scenario:
    """2026 only: MASTER (one year, 2,000,000 VND, at least 2 places) and DUTY classes of 2-3."""
    master = slot_program("MASTER", duration_years=1, places_per_year_min=2, cost_per_person=2_000_000)
    return scenario([class_program("DUTY"), master], end_year=2026, budget=Budget(default=budget))


def _college(i: int) -> Official:
    return official(i, education=Education.COLLEGE)


def test_money_left_that_would_close_the_shortfall_is_not_blamed():
    # 27,000,000 of 29,000,000 spent (93 %): the old measure said "the 2026 budget is used up".
    # The 2,000,000 left pays for the missing place; what keeps it open is that the only other
    # bachelor is in a DUTY class that year.
    nominations, info = _duty_class(2026, ["CB00001", "CB00002", "CB00003"])
    second, info_2 = _duty_class(2026, ["CB00004", "CB00005"], number=2)
    shortfall = _only(
        _measure(
            _master_and_duty(29_000_000),
            [official(0), official(1), *map(_college, range(2, 6))],
            [*nominations, *second, Nomination(official_id="CB00000", program="MASTER", year=2026)],
            [info, info_2],
        )
    )
    assert (shortfall.code, shortfall.kind, shortfall.achieved) == ("MASTER", "places", 1)
    assert "budget" not in shortfall.reason.en and "kinh phí" not in shortfall.reason.vi
    assert shortfall.reason.en == (
        "MASTER 2026: 1 of the 2 eligible already has a nomination overlapping 2026 or in another year; "
        "0 free, 1 more needed"
    )
    assert shortfall.reason.vi.startswith(
        "MASTER 2026: 1 trong 2 người đủ điều kiện đã có lượt cử trùng thời gian"
    )


def test_the_budget_is_named_when_the_money_left_cannot_pay_the_missing_place():
    nominations, info = _duty_class(2026, ["CB00002", "CB00003", "CB00004"])
    second, info_2 = _duty_class(2026, ["CB00005", "CB00006"], number=2)
    shortfall = _only(
        _measure(
            _master_and_duty(28_000_000),  # 27,000,000 spent: 1,000,000 left, a place costs 2,000,000
            [official(0), official(1), *map(_college, range(2, 7))],
            [*nominations, *second, Nomination(official_id="CB00000", program="MASTER", year=2026)],
            [info, info_2],
        )
    )
    assert shortfall.reason.en == (
        "MASTER 2026: the 2026 budget has 1,000,000 VND left, at least 2,000,000 VND needed"
    )
    assert (
        shortfall.reason.vi == "MASTER 2026: kinh phí năm 2026 còn 1.000.000 đồng, cần ít nhất 2.000.000 đồng"
    )


@pytest.mark.parametrize(
    ("budget", "blamed"),
    [(23_000_000, True), (24_000_000, False)],  # closing costs 12,000,000: 11,000,000 or 12,000,000 left
)
def test_a_missing_class_costs_the_class_and_the_people_to_fill_both_to_their_minimum(budget, blamed):
    # DUTY needs 2 classes of at least 2; the plan has one class of 2 (12,000,000 VND). The second
    # class costs 10,000,000 and 2 more participants 2 x 1,000,000.
    plan_scenario = scenario(
        [class_program("DUTY", classes_per_year_min=2)], end_year=2026, budget=Budget(default=budget)
    )
    nominations, info = _duty_class(2026, ["CB00000", "CB00001"])
    shortfall = _only(_measure(plan_scenario, [official(i) for i in range(6)], nominations, [info]))
    assert (shortfall.kind, shortfall.required, shortfall.achieved) == ("classes", 2, 1)
    if blamed:
        assert shortfall.reason.en == (
            "DUTY 2026: the 2026 budget has 11,000,000 VND left, at least 12,000,000 VND needed"
        )
    else:
        assert "budget" not in shortfall.reason.en
        assert (
            shortfall.reason.en == "DUTY 2026: 4 eligible not nominated, 4 places, 12,000,000 VND left unused"
        )


@pytest.mark.parametrize(("budget", "blamed"), [(24_000_000, True), (25_000_000, False)])
def test_a_target_blames_the_budget_only_below_its_cheapest_completion(budget, blamed):
    # 5 công chức to train by 2026, one full class of 3 (13,000,000 VND): the 2 missing need a new
    # class (10,000,000) and their places (2 x 1,000,000)
    plan_scenario = scenario(
        [class_program("DUTY")],
        targets=[Target(code="ALL", name="Tất cả", programs=["DUTY"], share=1.0, deadline=2026)],
        end_year=2026,
        budget=Budget(default=budget),
    )
    nominations, info = _duty_class(2026, ["CB00000", "CB00001", "CB00002"])
    shortfall = _only(_measure(plan_scenario, [official(i) for i in range(5)], nominations, [info]))
    assert (shortfall.kind, shortfall.missing) == ("target", 2)
    assert ("budget" in shortfall.reason.en) is blamed
    if blamed:
        assert shortfall.reason.en == (
            "ALL 2026: the 2026 budget has 11,000,000 VND left, enough for at most 0 more, 2 missing"
        )


# --- the unit cap is named only when it binds on every year of study ---------------------------------


def test_a_unit_full_in_the_second_year_of_study_is_named_and_not_the_budget():
    # MASTER (two years) from 2026 needs room in the unit in 2026 and 2027; the unit of the
    # bachelors (3 staff, cap 1) has its one place taken in 2027 by a MASTER start that year. 91 %
    # of the 2026 budget is spent, but the 9,000,000 left pays for a place (5,000,000): the old
    # measure looked at 2026's cap only and blamed the budget.
    plan_scenario = scenario(
        [
            class_program("DUTY", cost_per_class=88_000_000),
            slot_program("MASTER", places_per_year_min=1, places_per_year_max=1, cost_per_person=5_000_000),
        ],
        end_year=2027,
        budget=Budget(default=100_000_000),
    )
    bachelors = [official(i, unit="Sở A") for i in range(3)]
    others = [official(i, unit="Sở B", education=Education.COLLEGE) for i in range(3, 6)]
    nominations, info = _duty_class(2026, ["CB00003", "CB00004", "CB00005"])
    shortfall = _only(
        _measure(
            plan_scenario,
            bachelors + others,
            [*nominations, Nomination(official_id="CB00000", program="MASTER", year=2027)],
            [info],
        )
    )
    assert (shortfall.code, shortfall.year) == ("MASTER", 2026)
    assert shortfall.reason.en == (
        "MASTER 2026: the units of the 2 free eligible are near their cap of staff away on long programs: "
        "room for 0, 1 more needed"
    )


def test_the_few_free_ones_kept_out_by_their_unit_cap_are_said_to_be():
    # MASTER (two years) needs 2 places in 2026: of the three bachelors of Sở A (cap 1), one takes
    # DUTY in 2026 and one MASTER in 2027, which fills the unit's cap for 2027; the third is free
    # in 2026 but would be away in 2027 too. The old text stopped at "1 free, 2 more needed", as if
    # that one had been left unused.
    plan_scenario = scenario(
        [class_program("DUTY"), slot_program("MASTER", places_per_year_min=2, places_per_year_max=2)],
        end_year=2027,
    )
    bachelors = [official(i, unit="Sở A") for i in range(3)]
    others = [official(i, unit="Sở B", education=Education.COLLEGE) for i in range(3, 6)]
    nominations, info = _duty_class(2026, ["CB00001", "CB00003", "CB00004"])
    shortfalls = _measure(
        plan_scenario,
        bachelors + others,
        [*nominations, Nomination(official_id="CB00000", program="MASTER", year=2027)],
        [info],
    )
    master_2026 = next(s for s in shortfalls if (s.code, s.year) == ("MASTER", 2026))
    assert master_2026.reason.en == (
        "MASTER 2026: 2 of the 3 eligible already have a nomination overlapping 2026 or in another year; "
        "1 free, 2 more needed; their units are near the cap of staff away on long programs: room for 0"
    )


# --- "only N eligible" says what keeps the others out ------------------------------------------------


def _postgraduates(columns: frozenset[str]) -> list[Shortfall]:
    """10 officials, none eligible for MASTER 2026 (3 places needed), for four kinds of reasons."""
    master = slot_program(
        "MASTER",
        duration_years=1,
        places_per_year_min=3,
        places_per_year_max=3,
        eligibility=EligibilityRule(
            educations=[Education.BACHELOR], max_age=40, min_rating=Rating.GOOD, rating_years=2
        ),
    )
    plan_scenario = scenario(
        [master],
        targets=[Target(code="ALL", name="Tất cả", programs=["MASTER"], share=1.0, deadline=2026)],
        end_year=2026,
    )
    people = [official(i, rating_previous=None) for i in range(4)]  # only the previous rating is missing
    people += [official(i, rating_previous=None, birth_date=date(1975, 1, 2)) for i in range(4, 7)]  # aged 50
    people += [official(i, rating_previous=None) for i in range(7, 9)]  # MASTER in their history
    people += [official(9, rating_previous=None, education=Education.MASTER)]
    history = [TrainingRecord(official_id=f"CB{i:05d}", program="MASTER", year=2015) for i in (7, 8)]
    return _measure(plan_scenario, people, history=history, columns=columns)


def _counts(reason: str) -> list[int]:
    listed = reason.split("not eligible: ")[1]
    return [int(n.replace(",", "")) for n in re.findall(r" (\d[\d,]*)(?:,|$)", listed)]


def test_only_n_eligible_is_broken_down_by_the_rule_that_keeps_each_out():
    shortfalls = {s.kind: s for s in _postgraduates(OFFICIAL_FIELDS - {"rating_previous"})}
    places = shortfalls["places"]
    assert places.reason.en == (
        "MASTER 2026: only 0 eligible officials, 3 needed; not eligible: "
        "column 'Xếp loại năm trước' missing 4, over the age limit 3, already trained 2, other 1"
    )
    assert places.reason.vi == (
        "MASTER 2026: chỉ 0 người đủ điều kiện, cần 3; không đủ điều kiện: "
        "thiếu cột 'Xếp loại năm trước' 4, quá tuổi 3, đã học 2, khác 1"
    )
    assert sum(_counts(places.reason.en)) == 10  # everyone the program is for, none eligible
    # the target's open members: the two with MASTER in their history are covered already
    target = shortfalls["target"]
    assert target.reason.en == (
        "ALL 2026: only 0 untrained members are eligible (2 already trained), 10 needed; not eligible: "
        "column 'Xếp loại năm trước' missing 4, over the age limit 3, qualification 1"
    )
    assert sum(_counts(target.reason.en)) == 8


def test_an_empty_cell_is_not_called_a_missing_column():
    # with the column there, the empty cells count as the first rule they fail (the rating comes
    # before the age), not as a column to add
    places = next(s for s in _postgraduates(OFFICIAL_FIELDS) if s.kind == "places")
    assert places.reason.en.endswith("not eligible: no previous rating 7, already trained 2, qualification 1")
    assert places.reason.vi.endswith("không đủ điều kiện: chưa có xếp loại năm trước 7, đã học 2, trình độ 1")


def test_a_target_whose_group_is_empty_says_so():
    plan_scenario = scenario(
        [slot_program("MASTER")],
        targets=[
            Target(
                code="EXPERT_AI",
                name="Chuyên gia AI",
                programs=["MASTER"],
                count=10,
                deadline=2028,
                group=GroupFilter(fields=["Trí tuệ nhân tạo"]),
            )
        ],
    )
    shortfall = _only(_measure(plan_scenario, [official(i) for i in range(3)]))  # all in IT, none in AI
    assert shortfall.reason.en == "EXPERT_AI 2028: nobody on the roster is in the target's group, 10 needed"
    assert shortfall.reason.vi == "EXPERT_AI 2028: không ai trong danh sách thuộc nhóm của mục tiêu, cần 10"


def test_a_count_of_one_is_said_in_the_singular():
    """One eligible of three: 'only 1 eligible official', not 'officials' (the English reasons)."""
    master = slot_program(
        "MASTER",
        duration_years=1,
        places_per_year_min=3,
        places_per_year_max=3,
        eligibility=EligibilityRule(educations=[Education.BACHELOR], max_age=40),
    )
    plan_scenario = scenario(
        [master],
        targets=[Target(code="ALL", name="Tất cả", programs=["MASTER"], share=1.0, deadline=2026)],
        end_year=2026,
    )
    people = [official(0), *(official(i, birth_date=date(1975, 1, 2)) for i in (1, 2))]  # two aged 50
    shortfalls = {s.kind: s for s in _measure(plan_scenario, people)}
    assert shortfalls["places"].reason.en.startswith("MASTER 2026: only 1 eligible official, 3 needed;")
    assert shortfalls["target"].reason.en.startswith(
        "ALL 2026: only 1 untrained member is eligible (0 already"
    )
