"""The plan page's charts: where `planner.web.charts` places coverage, requirement, deadline, cost and
budget, and the page drawing one chart per target."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from planner.web.charts import (
    COST_FRAME,
    COVERAGE_FRAME,
    Axis,
    cost_chart,
    coverage_chart,
    line_path,
    nice_step,
    slot_centres,
)
from tests.web.conftest import solve_plan, upload

YEARS = [2026, 2027, 2028]


def test_a_year_at_the_requirement_lies_on_the_required_line() -> None:
    chart = coverage_chart(YEARS, [40, 120, 150], required=120, deadline=2028)
    assert [p["y"] for p in chart["points"] if p["value"] == 120] == [chart["required_y"]]
    assert [p["met"] for p in chart["points"]] == [False, True, True]
    assert [p["due"] for p in coverage_chart(YEARS, [1, 2, 3], 120, 2027)["points"]] == [False, True, True]


def test_no_one_covered_lies_on_the_baseline_and_the_most_below_the_top() -> None:
    chart = coverage_chart(YEARS, [0, 60, 300], required=120, deadline=2028)
    assert chart["points"][0]["y"] == COVERAGE_FRAME.baseline
    assert chart["points"][-1]["y"] >= COVERAGE_FRAME.top
    assert chart["ticks"][0] == {"value": 0, "y": COVERAGE_FRAME.baseline}


def test_a_missing_year_leaves_a_gap_in_the_line() -> None:
    chart = coverage_chart(YEARS, [10, None, 30], required=50, deadline=2027)
    assert [p["year"] for p in chart["points"]] == [2026, 2028]
    assert chart["path"].count("M") == 2 and "L" not in chart["path"]
    assert line_path([(1, 2), (3, 4), None, (5, 6), (7, 8)]) == "M1,2 L3,4 M5,6 L7,8"


def test_the_deadline_is_marked_at_its_year_and_not_outside_the_years() -> None:
    chart = coverage_chart(YEARS, [10, 20, 30], required=50, deadline=2027)
    assert chart["deadline_x"] == chart["points"][1]["x"] == slot_centres(3, COVERAGE_FRAME)[1]
    assert coverage_chart(YEARS, [10, 20, 30], required=50, deadline=2030)["deadline_x"] is None


@pytest.mark.parametrize(
    ("value", "step"), [(0, 1), (0.3, 0.5), (1, 1), (7, 10), (130, 200), (2_100, 2_500), (4.2e9, 5e9)]
)
def test_axis_steps_are_round_numbers(value: float, step: float) -> None:
    assert nice_step(value) == pytest.approx(step)


@given(high=st.floats(min_value=0.01, max_value=1e13), marks=st.integers(min_value=1, max_value=6))
def test_an_axis_reaches_its_highest_value_within_one_step(high: float, marks: int) -> None:
    axis = Axis.over(high, marks)
    assert high <= axis.top * (1 + 1e-9) and axis.top - axis.step < high * (1 + 1e-9)
    assert axis.marks()[0] == 0 and axis.marks()[-1] == pytest.approx(axis.top)


@given(
    covered=st.lists(st.one_of(st.none(), st.integers(0, 200_000)), min_size=1, max_size=8),
    required=st.integers(1, 200_000),
)
def test_every_point_and_the_requirement_lie_inside_the_plot(
    covered: list[int | None], required: int
) -> None:
    years = list(range(2026, 2026 + len(covered)))
    chart = coverage_chart(years, covered, required=required, deadline=2026)
    frame = COVERAGE_FRAME
    for y in [chart["required_y"], *(p["y"] for p in chart["points"])]:
        assert frame.top <= y <= frame.baseline
    assert all(frame.x0 < p["x"] < frame.x1 for p in chart["points"])
    assert len(chart["points"]) == sum(c is not None for c in covered)


def test_a_bar_over_its_budget_is_marked_and_a_year_without_budget_has_no_line() -> None:
    chart = cost_chart(YEARS, [2e9, 3.5e9, 1e9], [3e9, 3e9, None])
    first, over, unbudgeted = chart["bars"]
    assert not first["over"] and over["over"] and not unbudgeted["over"]
    assert unbudgeted["budget_line"] is None
    assert over["y"] < over["budget_line"]["y"] < first["y"]  # 3.5 above the line at 3, 2 below it
    assert first["y"] + first["height"] == COST_FRAME.baseline
    assert first["budget_line"]["x1"] < first["x"] < first["x"] + first["width"] < first["budget_line"]["x2"]
    assert chart["scale"] == 1e9 and [t["value"] for t in chart["ticks"]] == [0, 1e9, 2e9, 3e9, 4e9]
    assert chart["decimals"] == 0


def test_a_cost_equal_to_its_budget_reaches_the_budget_line() -> None:
    (bar,) = cost_chart([2026], [750e6], [750e6])["bars"]
    assert bar["y"] == bar["budget_line"]["y"] and not bar["over"]


def test_small_costs_are_marked_in_millions_with_the_decimals_they_need() -> None:
    chart = cost_chart([2026], [0.9e6], [None])
    assert chart["scale"] == 1e6 and chart["decimals"] == 2  # marks every 0.25 million


def test_the_plan_page_draws_one_coverage_chart_per_target_and_the_cost_chart(
    client: TestClient, small_roster: Path
) -> None:
    plan_id = solve_plan(client, upload(client, small_roster)["id"])
    summary = client.get(f"/api/plans/{plan_id}").json()["summary"]
    page = client.get(f"/plans/{plan_id}").text
    codes = [t["code"] for t in summary["targets"]]
    assert codes and re.findall(r'<figure class="chart small" id="coverage-(\w+)"', page) == codes
    assert page.count('class="required"/>') == len(codes) and page.count('class="line"/>') == len(codes)
    assert page.count('id="cost-chart"') == 1
    assert page.count('<rect x="') == len(summary["cost_by_year"])
    assert "yêu cầu / required" in page and "Cost by year against the budget" in page
    assert '<table class="targets">' in page  # the figures as text stay
    assert "<script" not in page.split('<div class="charts">')[1].split("</section>")[0]
