"""Routes of budget sweeps (`planner.web.sweeps`): start one from a finished plan, its progress and
stop, the factors side by side once done, its workbook and JSON; the same as JSON under /api."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.io.errors import InputError
from planner.web import comparison, sweeps
from planner.web.db import DONE, QUEUED, RUNNING, STOPPED, PlanRecord, ScenarioRecord, SweepRecord, blob_bytes
from planner.web.pages import DB, XLSX, download, or_404, page
from planner.web.services import problems_as_dicts, request_stop

router = APIRouter()


@router.get("/plans/{plan_id}/sweeps", response_class=HTMLResponse)
def plan_sweeps(request: Request, session: DB, plan_id: int) -> HTMLResponse:
    plan = or_404(session, PlanRecord, plan_id)
    return page(request, "sweeps.html", **_sweeps_context(session, plan), problems=[], sent={})


@router.post("/plans/{plan_id}/sweeps", response_model=None)
def start_sweep(
    request: Request,
    session: DB,
    plan_id: int,
    factors: Annotated[str, Form()] = "",
    max_resolves: Annotated[int, Form()] = 0,
    time_limit: Annotated[float, Form()] = 10.0,
) -> Response:
    plan = or_404(session, PlanRecord, plan_id)
    options = json.loads(plan.options_json)
    asked = sweeps.SweepRequest(
        plan.id, factors, max_resolves, time_limit, options["workers"], options["seed"], options["gap"]
    )
    try:
        sweep = sweeps.queue_sweep(session, asked)
    except InputError as error:
        session.rollback()
        sent = {"factors": factors, "max_resolves": max_resolves, "time_limit": time_limit}
        context = _sweeps_context(session, plan)
        return page(request, "sweeps.html", 400, **context, problems=problems_as_dicts(error), sent=sent)
    return RedirectResponse(f"/sweeps/{sweep.id}", status_code=303)


def _sweeps_context(session: Session, plan: PlanRecord) -> dict[str, Any]:
    found = session.scalars(
        select(SweepRecord).where(SweepRecord.plan_id == plan.id).order_by(SweepRecord.id.desc())
    )
    return {
        "plan": plan,
        "scenario": session.get(ScenarioRecord, plan.scenario_id),
        "options": json.loads(plan.options_json),
        "sweeps": [(s, json.loads(s.options_json)) for s in found],
    }


@router.get("/sweeps/{sweep_id}", response_class=HTMLResponse)
def sweep_page(request: Request, session: DB, sweep_id: int) -> HTMLResponse:
    sweep = or_404(session, SweepRecord, sweep_id)
    plan = session.get(PlanRecord, sweep.plan_id)
    result = sweeps.sweep_result(sweep)
    return page(
        request,
        "sweep.html",
        sweep=sweep,
        plan=plan,
        scenario=session.get(ScenarioRecord, plan.scenario_id) if plan else None,
        options=json.loads(sweep.options_json),
        most=sweeps.most_plans(json.loads(sweep.options_json)),
        error=json.loads(sweep.error_json) if sweep.error_json else None,
        result=result,
        view=comparison.comparison_view(result["comparison"]) if result and result["factors"] else None,
    )


@router.get("/sweeps/{sweep_id}/progress", response_class=HTMLResponse)
def sweep_progress(request: Request, session: DB, sweep_id: int) -> HTMLResponse:
    sweep = or_404(session, SweepRecord, sweep_id)
    options = json.loads(sweep.options_json)
    response = page(
        request, "_sweep_progress.html", sweep=sweep, options=options, most=sweeps.most_plans(options)
    )
    if sweep.status not in (QUEUED, RUNNING):
        response.headers["HX-Refresh"] = "true"  # the finished sweep's page replaces the progress bar
    return response


@router.post("/sweeps/{sweep_id}/stop")
def stop_sweep(session: DB, sweep_id: int) -> RedirectResponse:
    request_stop(session, or_404(session, SweepRecord, sweep_id))
    return RedirectResponse(f"/sweeps/{sweep_id}", status_code=303)


@router.get("/sweeps/{sweep_id}/sweep.xlsx")
def sweep_workbook(session: DB, sweep_id: int) -> Response:
    sweep = _finished(session, sweep_id)
    return download(blob_bytes(session, sweep.workbook_sha256 or ""), f"quet-du-toan-{sweep_id}.xlsx", XLSX)


@router.get("/sweeps/{sweep_id}/sweep.json")
def sweep_json(session: DB, sweep_id: int) -> Response:
    sweep = _finished(session, sweep_id)
    return download(
        blob_bytes(session, sweep.json_sha256 or ""), f"quet-du-toan-{sweep_id}.json", "application/json"
    )


@router.post("/api/sweeps")
def api_start(session: DB, body: dict[str, Any]) -> dict[str, Any]:
    fields = {k: body[k] for k in ("max_resolves", "time_limit", "workers", "seed", "gap") if k in body}
    plan_id = body.get("plan_id")
    asked = sweeps.SweepRequest(
        plan_id if isinstance(plan_id, int) else 0, str(body.get("factors", "")), **fields
    )
    return {"id": sweeps.queue_sweep(session, asked).id}


@router.get("/api/sweeps/{sweep_id}")
def api_sweep(session: DB, sweep_id: int) -> dict[str, Any]:
    sweep = or_404(session, SweepRecord, sweep_id)
    options = json.loads(sweep.options_json)
    return {
        "id": sweep.id,
        "plan_id": sweep.plan_id,
        "status": sweep.status,
        "progress": {"solved": sweep.solved, "most": sweeps.most_plans(options), "latest": sweep.latest},
        "elapsed": sweep.elapsed,
        "options": options,
        "error": json.loads(sweep.error_json) if sweep.error_json else None,
        "sweep": sweeps.sweep_result(sweep),
    }


@router.delete("/api/sweeps/{sweep_id}")
def api_stop(session: DB, sweep_id: int) -> dict[str, Any]:
    sweep = or_404(session, SweepRecord, sweep_id)
    request_stop(session, sweep)
    return {"id": sweep.id, "status": sweep.status, "stop_requested": sweep.stop_requested}


def _finished(session: Session, sweep_id: int) -> SweepRecord:
    sweep = or_404(session, SweepRecord, sweep_id)
    if sweep.status not in (DONE, STOPPED) or sweep.json_sha256 is None:
        raise HTTPException(404)
    return sweep
