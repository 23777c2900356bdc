"""Stored plans side by side: `analysis.compare.compare_plans` on finished plans, and its workbook.

`planner compare` solves each scenario and compares the plans; here the plans are already solved
and kept, so their results and summaries are read back and given to the same function, and the
workbook is written by the same `report.workbook.write_comparison`.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from models import Official
from planner.io.errors import InputError, Problem
from planner.web.db import DONE, STOPPED, PlanRecord, ScenarioRecord, row
from planner.web.services import plan_facts, plan_summary_of

SOURCE = "so sánh / comparison"


def finished_plans(session: Session, plan_ids: list[int]) -> list[PlanRecord]:
    """The plans to compare, oldest first (the others are compared with it), once each (`InputError`
    unless two or more, each finished with a plan)."""
    ids = sorted(set(plan_ids))
    problems = []
    if len(ids) < 2:
        problems.append(Problem("chọn ít nhất hai kế hoạch", "choose at least two plans", key="plans"))
    plans = []
    for plan_id in ids:
        plan = session.get(PlanRecord, plan_id)
        if plan is None or plan.status not in (DONE, STOPPED) or plan.result_json is None:
            problems.append(
                Problem(
                    f"kế hoạch #{plan_id} không có hoặc chưa giải xong",
                    f"plan #{plan_id} does not exist or is not finished",
                    key="plans",
                )
            )
        else:
            plans.append(plan)
    if problems:
        raise InputError(SOURCE, problems)
    return plans


def _summary(plan: PlanRecord) -> dict[str, Any]:
    """The plan's summary.json as `plan_summary` returns it (years of coverage as numbers again)."""
    summary = plan_summary_of(plan) or {}
    targets = [
        {**t, "covered_by_year": {int(y): n for y, n in t["covered_by_year"].items()}}
        for t in summary["targets"]
    ]
    return {**summary, "targets": targets}


def compare_stored(session: Session, url: str, plans: list[PlanRecord]) -> dict[str, Any]:
    """The plans aligned by year, and who enters or leaves the lists against the first one."""
    from planner.analysis.compare import Solved, compare_plans

    officials: dict[str, Official] = {}
    labelled = []
    for plan in plans:
        facts, result = plan_facts(url, plan.id)
        for official_id, official in facts.officials().items():
            officials.setdefault(official_id, official)
        stem = Path(row(session, ScenarioRecord, plan.scenario_id).filename).stem
        labelled.append((f"#{plan.id} {stem}", Solved(facts.scenario, result, _summary(plan))))
    return compare_plans(labelled, officials)


def comparison_workbook(comparison: dict[str, Any]) -> bytes:
    """The comparison workbook `planner compare --out` writes, as bytes."""
    from planner.report.workbook import write_comparison

    with tempfile.TemporaryDirectory(prefix="planner-compare-") as folder:
        path = Path(folder) / "so-sanh.xlsx"
        write_comparison(path, comparison, options={"run_at": time.strftime("%Y-%m-%d %H:%M:%S")}, lang="vi")
        return path.read_bytes()


def comparison_view(comparison: dict[str, Any]) -> dict[str, Any]:
    """Figures of the comparison laid out for the page: targets and cost by row, a scatter of average
    attainment against total cost (SVG coordinates)."""
    from planner.report.status import status_words

    plans = [
        {
            **p,
            "words": {
                lang: status_words(p["status"], p["method"], p["gap"], lang, p.get("unsolved_levels", ()))
                for lang in ("vi", "en")
            },
        }
        for p in comparison["scenarios"]
    ]
    targets = [{**t, "cells": [p["targets"].get(t["code"]) for p in plans]} for t in comparison["targets"]]
    years = [str(y) for y in comparison["years"]]
    cost = [
        {"year": y, "cells": [(p["cost_by_year"].get(y), p["budget_by_year"].get(y)) for p in plans]}
        for y in years
    ]
    return {"plans": plans, "targets": targets, "cost": cost, "chart": _chart(plans)}


def _chart(
    plans: list[dict[str, Any]], width: int = 420, height: int = 280, margin: int = 44
) -> dict[str, Any]:
    """Points (x: total cost, y: average attainment) scaled into a width x height SVG."""
    costs = [p["total_cost"] for p in plans]
    pad = (max(costs) - min(costs)) * 0.1 or max(max(costs), 1) * 0.5  # equal costs: a point in the middle
    low, high = min(costs) - pad, max(costs) + pad
    points = []
    for p in plans:
        share = p["average_attainment"] or 0.0
        x = margin + (p["total_cost"] - low) / (high - low) * (width - 2 * margin)
        y = height - margin - share * (height - 2 * margin)
        points.append(
            {"x": round(x, 1), "y": round(y, 1), "label": p["label"], "share": share, "cost": p["total_cost"]}
        )
    # Plans at the same point (a sweep's factors where the budget does not bind) share one caption:
    # "×0.6, ×1" written once, not two captions over each other.
    for point in points:
        same = [q["label"].split(" ")[0] for q in points if (q["x"], q["y"]) == (point["x"], point["y"])]
        first = next(q for q in points if (q["x"], q["y"]) == (point["x"], point["y"]))
        point["caption"] = ", ".join(same) if first is point else ""
    return {"width": width, "height": height, "margin": margin, "points": points, "low": low, "high": high}
