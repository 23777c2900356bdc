"""Finished plans side by side: the page, the workbook and the JSON, against `planner compare`."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from cli import main
from planner.io.text import format_number
from planner.web.services import SHIPPED_SCENARIOS
from tests.web.conftest import SCENARIO, TIME_LIMIT, solve_plan, upload

TIGHT = "orientation-2026-2030-tight.toml"
#: What a stored plan and a plan `planner compare` solves share (timing and labels aside).
FIGURES = (
    "nominations",
    "classes",
    "total_cost",
    "targets",
    "cost_by_year",
    "budget_by_year",
    "shortfalls",
    "cost_after_plan",
)


@pytest.fixture(scope="module")
def plan_ids(client: TestClient, small_roster: Path) -> list[int]:
    """The small roster planned with the shipped scenario and its tight variant."""
    roster = upload(client, small_roster)["id"]
    return [solve_plan(client, roster, SCENARIO), solve_plan(client, roster, TIGHT)]


@pytest.fixture(scope="module")
def cli_comparison(small_roster: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """`planner compare` of the same roster and scenarios with the same options; JSON and workbook."""
    folder = tmp_path_factory.mktemp("compare")
    arguments = ["compare", str(small_roster), *(str(SHIPPED_SCENARIOS / s) for s in (SCENARIO, TIGHT))]
    arguments += ["--json", str(folder / "c.json"), "--out", str(folder / "c.xlsx")]
    outcome = CliRunner().invoke(main, [*arguments, "--time-limit", str(TIME_LIMIT), "--quiet"])
    assert outcome.exit_code == 0, outcome.output
    return {"json": json.loads((folder / "c.json").read_text()), "workbook": folder / "c.xlsx"}


def test_stored_plans_compare_as_planner_compare_solves_them(
    client: TestClient, plan_ids: list[int], cli_comparison: dict[str, Any]
) -> None:
    web = client.get("/api/compare", params={"plans": plan_ids}).json()
    cli = cli_comparison["json"]
    assert [s["label"] for s in web["scenarios"]] == [
        f"#{plan_ids[0]} orientation-2026-2030",
        f"#{plan_ids[1]} orientation-2026-2030-tight",
    ]
    for ours, theirs in zip(web["scenarios"], cli["scenarios"], strict=True):
        assert {k: ours[k] for k in FIGURES} == {k: theirs[k] for k in FIGURES}
    assert web["years"] == cli["years"] and web["targets"] == cli["targets"]
    (ours,), (theirs,) = web["list_changes"], cli["list_changes"]
    assert ours["rows"] == theirs["rows"] and ours["entered"] + ours["left"] > 0


def test_the_page_shows_figures_chart_and_who_moves(client: TestClient, plan_ids: list[int]) -> None:
    plans = client.get("/plans").text
    assert all(f'name="plans" value="{plan_id}"' in plans for plan_id in plan_ids)
    page = client.get("/compare", params={"plans": plan_ids[::-1]}).text  # the oldest plan first
    assert page.count("<circle") == 2 and page.index(f"#{plan_ids[0]} ") < page.index(f"#{plan_ids[1]} ")
    assert "Targets at their deadline" in page and "Who enters and who leaves" in page
    web = client.get("/api/compare", params={"plans": plan_ids}).json()
    first_moved = web["list_changes"][0]["rows"][0]
    assert first_moved["official_id"] in page and first_moved["name"] in page
    after = [format_number(s["cost_after_plan"]) for s in web["scenarios"]]
    assert "Cost after the period" in page and all(f'<td class="num">{cost}</td>' in page for cost in after)


def test_the_workbook_has_the_sheets_of_planner_compare(
    client: TestClient, plan_ids: list[int], cli_comparison: dict[str, Any]
) -> None:
    response = client.get("/compare.xlsx", params={"plans": plan_ids})
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    ours = openpyxl.load_workbook(io.BytesIO(response.content))
    theirs = openpyxl.load_workbook(cli_comparison["workbook"])
    assert ours.sheetnames == theirs.sheetnames


@pytest.mark.parametrize(
    ("plans", "status", "words"),
    [
        (["1"], 400, "choose at least two plans"),
        (["1", "999"], 400, "plan #999 does not exist or is not finished"),
        (["1", "abc"], 422, "invalid value"),
    ],
)
def test_a_wrong_choice_of_plans_is_refused_in_both_languages(
    client: TestClient, plan_ids: list[int], plans: list[str], status: int, words: str
) -> None:
    response = client.get("/api/compare", params={"plans": plans})
    assert response.status_code == status
    assert words in " ".join(p["en"] for p in response.json()["problems"])
    page = client.get("/compare", params={"plans": plans})
    assert page.status_code == status and words in page.text and "Traceback" not in page.text


def test_plans_at_the_same_point_of_the_chart_share_one_caption() -> None:
    from planner.web.comparison import _chart

    plans = [
        {"label": "×0.6", "total_cost": 100, "average_attainment": 0.5},
        {"label": "×0.8", "total_cost": 90, "average_attainment": 0.5},
        {"label": "×1", "total_cost": 100, "average_attainment": 0.5},
    ]
    captions = [p["caption"] for p in _chart(plans)["points"]]
    assert captions == ["×0.6, ×1", "×0.8", ""]
