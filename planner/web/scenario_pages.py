"""Routes of the scenario form (`planner.web.scenario_form`): the form, and saving it as a new version."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from planner.web import scenario_form, services
from planner.web.db import ScenarioRecord
from planner.web.pages import DB, or_404, page

router = APIRouter()


@router.get("/scenarios/{scenario_id}/edit", response_class=HTMLResponse)
def edit_page(request: Request, session: DB, scenario_id: int) -> HTMLResponse:
    record = or_404(session, ScenarioRecord, scenario_id)
    return page(request, "scenario_edit.html", form=scenario_form.scenario_form(session, record), problems=[])


@router.post("/scenarios/{scenario_id}/edit", response_model=None)
async def save_edited(request: Request, session: DB, scenario_id: int) -> Response:
    record = or_404(session, ScenarioRecord, scenario_id)
    sent = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    try:
        saved = scenario_form.save_edited(session, record, sent)
    except scenario_form.FormRefused as refused:
        session.rollback()
        problems = services.problems_as_dicts(refused)
        return page(request, "scenario_edit.html", 400, form=refused.form, problems=problems)
    return RedirectResponse(f"/scenarios/{saved.id}", status_code=303)
