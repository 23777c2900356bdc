"""Routes of the year's work: approve a year or withdraw an approval, decisions, attendance, replan
(pages and JSON).

They parse the form, call `planner.web.year` and lay out what comes back; a refused form shows the
year page again with the problems next to the form that was sent.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Nomination
from planner.io.errors import InputError
from planner.web import services, year
from planner.web.auth import APPROVERS
from planner.web.db import DecisionRecord, PlanRecord
from planner.web.pages import DB, or_404, page, read_upload, remember, user_of

router = APIRouter()


def year_context(
    session: Session, plan: PlanRecord, attendance_year: int | None = None, q: str = "", page_number: int = 1
) -> dict[str, Any]:
    """Everything the year page shows for this plan."""
    scenario = year.plan_scenario(session, plan)
    approvals = year.approvals(session)
    people = {y: 0 for y in scenario.years}
    for group in services.plan_groups(session, plan.id):
        people[group["year"]] = people.get(group["year"], 0) + group["people"]
    shown = attendance_year if attendance_year in approvals else max(approvals, default=None)
    listing, statuses = None, {}
    if shown is not None:
        listing = services.nominations_page(
            session, approvals[shown].plan_id, year=shown, query=q, page=page_number
        )
        statuses = year.attendance_statuses(session, listing.rows)
    withdrawn = session.scalars(
        select(DecisionRecord)
        .where(DecisionRecord.withdrawn_at.is_not(None))
        .order_by(DecisionRecord.withdrawn_at.desc())
        .limit(20)
    )
    last = max(approvals, default=None)  # only the last approved year may ever be withdrawn
    return {
        "plan": plan,
        "scenario": scenario,
        "people": people,
        "approvals": approvals,
        "open_years": [y for y in scenario.years if y not in approvals],
        "last_approved": last,
        "withdrawal_blocks": [] if last is None else year.withdrawal_blocks(session, approvals[last]),
        "withdrawn_approvals": year.withdrawn_approvals(session),
        "decisions": year.active_decisions(session),
        "withdrawn": list(withdrawn),
        "counts": year.attendance_counts(session),
        "shown": shown,
        "listing": listing,
        "statuses": statuses,
        "q": q,
        "rosters": services.accepted_rosters(session),
        "problems": [],
        "form": "",
        "values": {},
    }


def _refused(
    request: Request, session: Session, plan: PlanRecord, form: str, error: InputError, **values: Any
) -> HTMLResponse:
    """The year page again, the problems shown at the form `form` with what was typed (409 when the
    stored state refuses it, 400 when the form is wrong)."""
    session.rollback()
    context = year_context(session, plan)
    context.update(problems=services.problems_as_dicts(error), form=form, values=values)
    return page(request, "year.html", 409 if isinstance(error, year.Conflict) else 400, **context)


def _back(plan_id: int, by: str, anchor: str = "", **query: Any) -> Response:
    """Back to the year page (at `anchor`), remembering who works here."""
    url = (
        f"/plans/{plan_id}/year"
        + (f"?{urlencode(query)}" if query else "")
        + (f"#{anchor}" if anchor else "")
    )
    return remember(RedirectResponse(url, status_code=303), by)


@router.get("/plans/{plan_id}/year", response_class=HTMLResponse)
def year_page(
    request: Request,
    session: DB,
    plan_id: int,
    attendance_year: Annotated[str, Query(alias="year")] = "",
    q: str = "",
    page_number: Annotated[int, Query(alias="page")] = 1,
    recorded: int | None = None,
) -> HTMLResponse:
    plan = or_404(session, PlanRecord, plan_id)
    shown = int(attendance_year) if attendance_year.isdigit() else None
    context = year_context(session, plan, shown, q, page_number)
    name = "_attendance.html" if request.headers.get("HX-Request") else "year.html"
    return page(request, name, **context, recorded=recorded)


@router.post("/plans/{plan_id}/approve", response_model=None, dependencies=[APPROVERS])
def approve(
    request: Request,
    session: DB,
    plan_id: int,
    approved_year: Annotated[int, Form(alias="year")],
    by: Annotated[str, Form()] = "",
) -> Response:
    plan = or_404(session, PlanRecord, plan_id)
    try:
        year.approve_year(session, plan, approved_year, by)
    except InputError as error:
        return _refused(request, session, plan, f"approve-{approved_year}", error, by=by)
    return _back(plan.id, by, "approvals")


@router.post(
    "/plans/{plan_id}/approvals/{approved_year}/withdraw", response_model=None, dependencies=[APPROVERS]
)
def withdraw_approval(
    request: Request,
    session: DB,
    plan_id: int,
    approved_year: int,
    reason: Annotated[str, Form()] = "",
    by: Annotated[str, Form()] = "",
) -> Response:
    plan = or_404(session, PlanRecord, plan_id)
    try:
        year.withdraw_approval(session, approved_year, reason, by)
    except InputError as error:
        return _refused(request, session, plan, "withdraw", error, reason=reason, by=by)
    return _back(plan.id, by, "approvals")


@router.post("/plans/{plan_id}/decisions", response_model=None)
def add_decision(  # noqa: PLR0913  one parameter per field of the form
    request: Request,
    session: DB,
    plan_id: int,
    action: Annotated[str, Form()] = "",
    official_id: Annotated[str, Form()] = "",
    program: Annotated[str, Form()] = "",
    decision_year: Annotated[str, Form(alias="year")] = "",
    reason: Annotated[str, Form()] = "",
    by: Annotated[str, Form()] = "",
) -> Response:
    plan = or_404(session, PlanRecord, plan_id)
    values = {"action": action, "official_id": official_id, "program": program, "year": decision_year}
    try:
        decision = year.parse_decision(action, official_id, program, decision_year, reason)
        year.add_decision(session, plan, decision, by)
    except InputError as error:
        return _refused(request, session, plan, "decision", error, **values, reason=reason, by=by)
    return _back(plan.id, by, "decisions")


@router.post("/plans/{plan_id}/decisions/{decision_id}/withdraw", response_model=None)
def withdraw_decision(
    request: Request, session: DB, plan_id: int, decision_id: int, by: Annotated[str, Form()] = ""
) -> Response:
    plan = or_404(session, PlanRecord, plan_id)
    try:
        year.withdraw_decision(session, decision_id, by)
    except InputError as error:
        return _refused(request, session, plan, "decision", error, by=by)
    return _back(plan.id, by, "decisions")


@router.post("/plans/{plan_id}/attendance", response_model=None)
async def upload_attendance(
    request: Request,
    session: DB,
    plan_id: int,
    file: Annotated[UploadFile, File()],
    by: Annotated[str, Form()] = "",
) -> Response:
    plan = or_404(session, PlanRecord, plan_id)
    try:
        count = year.record_attendance_file(
            session, plan, file.filename or "ket-qua.xlsx", await read_upload(file), by
        )
    except InputError as error:
        return _refused(request, session, plan, "attendance", error, by=by)
    return _back(plan.id, by, "attendance", recorded=count)


@router.post("/plans/{plan_id}/attendance/tick", response_model=None)
def tick_attendance(
    request: Request,
    session: DB,
    plan_id: int,
    official_id: Annotated[str, Form()],
    program: Annotated[str, Form()],
    nomination_year: Annotated[int, Form(alias="year")],
    status: Annotated[str, Form()] = "",
    by: Annotated[str, Form()] = "",
) -> Response:
    plan = or_404(session, PlanRecord, plan_id)
    by = by or user_of(request)
    nomination = Nomination(official_id=official_id, program=program, year=nomination_year)
    try:
        kept = year.tick_attendance(session, nomination, status, by)
    except InputError as error:
        if request.headers.get("HX-Request"):
            return page(request, "_tick.html", 400, plan=plan, n=nomination, status=None, error=error)
        return _refused(request, session, plan, "attendance", error, by=by)
    if request.headers.get("HX-Request"):
        counts = year.attendance_counts(session)  # the table above, swapped out of band
        cell = page(request, "_tick.html", plan=plan, n=nomination, status=kept, error=None, counts=counts)
        return remember(cell, by)
    return _back(plan.id, by, "attendance", year=nomination_year)


@router.post("/plans/{plan_id}/replan", response_model=None)
def replan(
    request: Request,
    session: DB,
    plan_id: int,
    by: Annotated[str, Form()] = "",
    max_changes: Annotated[str, Form()] = "",
    roster_id: Annotated[int | None, Form()] = None,
) -> Response:
    plan = or_404(session, PlanRecord, plan_id)
    try:
        limit = _count(max_changes)
        new = year.queue_replan(session, plan, by, limit, roster_id)
    except InputError as error:
        return _refused(
            request, session, plan, "replan", error, by=by, max_changes=max_changes, roster_id=roster_id
        )
    return remember(RedirectResponse(f"/plans/{new.id}", status_code=303), by)


def _count(text: str) -> int | None:
    """A whole number of 0 or more from a form field ('' for none)."""
    if not text.strip():
        return None
    if not text.strip().isdigit():
        raise year.refuse(
            "max_changes",
            f"không phải số nguyên từ 0: {text!r}",
            f"not a whole number of 0 or more: {text!r}",
            key="max_changes",
        )
    return int(text)


# --- JSON API -------------------------------------------------------------------------------------


@router.post("/api/plans/{plan_id}/approve", dependencies=[APPROVERS])
def api_approve(session: DB, plan_id: int, body: dict[str, Any]) -> dict[str, Any]:
    plan = or_404(session, PlanRecord, plan_id)
    approval = year.approve_year(session, plan, _whole(body, "year"), str(body.get("by", "")))
    return {
        "year": approval.year,
        "plan_id": approval.plan_id,
        "nominations": approval.nominations,
        "approved_by": approval.approved_by,
        "approved_at": approval.approved_at.isoformat(),
    }


@router.post("/api/approvals/{approved_year}/withdraw", response_model=None, dependencies=[APPROVERS])
def api_withdraw_approval(session: DB, approved_year: int, body: dict[str, Any]) -> dict[str, Any] | Response:
    try:
        return year.withdraw_approval(
            session, approved_year, str(body.get("reason", "")), str(body.get("by", ""))
        )
    except year.Conflict as error:
        session.rollback()
        problems = services.problems_as_dicts(error)
        return JSONResponse({"source": error.source, "problems": problems}, status_code=409)


@router.post("/api/plans/{plan_id}/decisions")
def api_decision(session: DB, plan_id: int, body: dict[str, Any]) -> dict[str, Any]:
    plan = or_404(session, PlanRecord, plan_id)
    fields = [str(body.get(k) or "") for k in ("action", "official_id", "program", "year", "reason")]
    record = year.add_decision(session, plan, year.parse_decision(*fields), str(body.get("by", "")))
    return {"id": record.id}


@router.post("/api/plans/{plan_id}/replan")
def api_replan(session: DB, plan_id: int, body: dict[str, Any]) -> dict[str, Any]:
    plan = or_404(session, PlanRecord, plan_id)
    limit = None if body.get("max_changes") is None else _whole(body, "max_changes")
    roster = None if body.get("roster_id") is None else _whole(body, "roster_id")
    return {"id": year.queue_replan(session, plan, str(body.get("by", "")), limit, roster).id}


def _whole(body: dict[str, Any], key: str) -> int:
    """A JSON body's whole number (`InputError` naming the key otherwise)."""
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise year.refuse(key, f"{key} phải là số nguyên", f"{key} must be a whole number", key=key)
    return value
