"""What a finished plan's page shows, from its summary.json and scenario: figures laid out for the page."""

from __future__ import annotations

from typing import Any

from models import LevelResult, Scenario
from planner.report.status import level_name, level_status, not_solved, status_words
from planner.web.charts import cost_chart, coverage_chart

#: The objective levels in words (the scenario's `objective.order` names them), as the workbook
#: and the console name them.
LEVEL_WORDS: dict[str, dict[str, str]] = {
    code: {"vi": level_name(code, "vi"), "en": level_name(code, "en")}
    for code in ("shortfall", "merit", "cost")
}


def _both(make: Any) -> dict[str, str]:
    return {"vi": make("vi"), "en": make("en")}


def plan_view(summary: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """Status and levels in words, target coverage by year against the requirement, cost against budget,
    and the charts of both."""
    years = [str(y) for y in scenario.years]
    names = {t.code: (t.name, t.name_en or t.name) for t in scenario.targets}
    targets = []
    for t in summary["targets"]:
        required = t["required"]
        cells = []
        for year in years:
            covered = t["covered_by_year"].get(year, t["covered_by_year"].get(int(year)))
            share = covered / required if covered is not None and required else None
            cells.append(
                {"year": year, "covered": covered, "share": share, "due": int(year) >= t["deadline"]}
            )
        name, name_en = names.get(t["code"], ("", ""))
        chart = coverage_chart(scenario.years, [c["covered"] for c in cells], required, t["deadline"])
        targets.append({**t, "name": name, "name_en": name_en, "cells": cells, "chart": chart})
    cost = [
        {
            "year": year,
            "cost": summary["cost_by_year"].get(year, 0),
            "budget": summary["budget_by_year"].get(year),
        }
        for year in years
    ]
    levels = []
    for level in summary["levels"]:
        result = LevelResult(**{k: v for k, v in level.items() if k != "gap"})
        levels.append({**level, "words": _both(lambda lang, r=result: level_status(r, lang))})
    levels += [  # the levels a stop came before: not solved, the plan not held to them
        {
            "name": name,
            "objective": None,
            "bound": None,
            "gap": None,
            "words": {"vi": not_solved("vi"), "en": not_solved("en")},
        }
        for name in summary.get("unsolved_levels", ())
    ]
    return {
        "status": _both(
            lambda lang: status_words(
                summary["status"], summary["method"], summary["gap"], lang, summary.get("unsolved_levels", ())
            )
        ),
        "levels": levels,
        "years": years,
        "targets": targets,
        "cost": cost,
        "cost_chart": cost_chart(scenario.years, [c["cost"] for c in cost], [c["budget"] for c in cost]),
        # people still studying after the plan: their later years' cost (plans saved before: none)
        "after_plan": summary.get("after_plan", {}),
        "programs": {p.code: {"vi": p.name, "en": p.name_en or p.name} for p in scenario.programs},
    }
