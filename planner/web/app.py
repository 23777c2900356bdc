"""The web application: pages (Jinja2 + HTMX) and a small JSON API over the store and the job runner.

Routes parse the request, call `services` and lay out what comes back; refused input is shown in
Vietnamese and English (a page, or JSON under /api), never as a traceback.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.plan import DEFAULT_LIMIT_WORDS
from planner import __version__
from planner.io.errors import InputError, Problem
from planner.io.text import format_number, format_percent
from planner.report.status import gap_words
from planner.web import (
    account_pages,
    accounts,
    auth,
    compare_pages,
    scenario_pages,
    services,
    sweep_pages,
    year,
    year_pages,
)
from planner.web.db import (
    CURRENT_ACTOR,
    DONE,
    QUEUED,
    RUNNING,
    SIGNED_IN,
    STOPPED,
    AuditEntry,
    PlanRecord,
    RosterImport,
    ScenarioRecord,
    blob_bytes,
    make_engine,
    migrate,
    row,
    sessions,
)
from planner.web.jobs import JobRunner
from planner.web.pages import DB, XLSX, cross_site, download, or_404, page, read_upload, user_of
from planner.web.views import LEVEL_WORDS, plan_view

log = logging.getLogger(__name__)

#: Units per page of a plan's per-unit view.
UNITS_PAGE = 100

HERE = Path(__file__).parent


def create_app(  # noqa: C901, PLR0915  the routes are closures over one engine, registered here
    url: str, run_jobs: bool = True, max_jobs: int | None = None
) -> FastAPI:
    """The application on the database at `url` (migrated to the newest schema first)."""
    migrate(url)
    engine = make_engine(url)
    make_session = sessions(engine)
    with make_session() as session:
        services.sync_shipped_scenarios(session)
    runner = JobRunner(url, max_jobs) if run_jobs else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if runner:
            runner.start()
        yield
        if runner:
            runner.shutdown()
        engine.dispose()

    app = FastAPI(
        title="Planner",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        dependencies=[Depends(auth.same_sign_in)],
    )
    app.state.url, app.state.runner, app.state.sessions = url, runner, make_session
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(year_pages.router)
    app.include_router(compare_pages.router)
    app.include_router(scenario_pages.router)
    app.include_router(sweep_pages.router)
    app.include_router(account_pages.router)
    templates = app.state.templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.filters["number"] = lambda v, d=0: "–" if v is None else format_number(v, "vi", d)
    templates.env.filters["percent"] = lambda v: "–" if v is None else format_percent(v, "vi")
    templates.env.filters["gap"] = lambda v: "–" if v is None else gap_words(v, "vi")
    templates.env.globals["level_words"] = LEVEL_WORDS
    templates.env.globals["role_words"] = accounts.ROLE_WORDS
    templates.env.filters["zip"] = zip
    templates.env.tests["containing"] = lambda value, part: part in value
    templates.env.tests["containing_tried"] = lambda relaxations: any(
        r["outcome"] != "not_tried" for r in relaxations
    )
    templates.env.globals["version"] = __version__

    def refused(request: Request, error: InputError, status_code: int = 400) -> Response:
        problems = services.problems_as_dicts(error)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"source": error.source, "problems": problems}, status_code=status_code)
        return page(request, "error.html", status_code, source=error.source, problems=problems)

    @app.exception_handler(InputError)
    async def _input_error(request: Request, error: InputError) -> Response:
        return refused(request, error)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, error: RequestValidationError) -> Response:
        problems = [
            Problem(
                f"giá trị không hợp lệ: {detail['msg']}",
                f"invalid value: {detail['msg']}",
                key=".".join(str(part) for part in detail["loc"][1:]),
            )
            for detail in error.errors()
        ]
        return refused(request, InputError(request.url.path, problems), 422)

    def said(request: Request, status_code: int, vi: str, en: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"vi": vi, "en": en}, status_code=status_code)
        return page(request, "error.html", status_code, message={"vi": vi, "en": en}, problems=[])

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, error: HTTPException) -> Response:
        vi, en = (
            ("không tìm thấy", "not found")
            if error.status_code == 404
            else (str(error.detail), str(error.detail))
        )
        return said(request, error.status_code, vi, en)

    @app.exception_handler(auth.Refused)
    async def _refused(request: Request, error: auth.Refused) -> Response:
        return said(request, error.status_code, error.vi, error.en)

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, error: Exception) -> Response:
        log.exception("%s %s", request.method, request.url.path)
        return said(request, 500, f"lỗi nội bộ: {error!r}", f"internal error: {error!r}")

    @app.middleware("http")
    async def _same_origin(request: Request, call_next: Any) -> Response:
        if cross_site(request):
            log.warning("refused a cross-site %s %s", request.method, request.url.path)
            return said(
                request,
                403,
                "yêu cầu gửi từ một trang web khác bị từ chối (chống giả mạo yêu cầu): hãy dùng chính các "
                "trang của ứng dụng này",
                "a request sent from another website is refused (cross-site request forgery): use this "
                "application's own pages",
            )
        response: Response = await call_next(request)
        return response

    @app.middleware("http")
    async def _who(request: Request, call_next: Any) -> Response:
        """Once accounts exist, only a signed-in browser gets past /login; the audit log names the
        signed-in account, else whoever the browser's cookie says works there."""
        request.state.visitor = visitor = await run_in_threadpool(auth.find_visitor, request)
        if visitor.accounts and visitor.visit is None and not auth.public(request.url.path):
            return auth.sign_in_first(request)
        signed = SIGNED_IN.set(visitor.visit.account.signature if visitor.visit else None)
        who = CURRENT_ACTOR.set(user_of(request) or None)
        try:
            response: Response = await call_next(request)
        finally:
            CURRENT_ACTOR.reset(who)
            SIGNED_IN.reset(signed)
        return response

    # --- pages --------------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/plans", status_code=303)

    @app.get("/rosters", response_class=HTMLResponse)
    def rosters(request: Request, session: DB) -> HTMLResponse:
        found = session.scalars(select(RosterImport).order_by(RosterImport.id.desc())).all()
        return page(request, "rosters.html", rosters=found)

    @app.post("/rosters")
    async def upload_roster(session: DB, file: Annotated[UploadFile, File()]) -> RedirectResponse:
        record = services.import_roster(session, file.filename or "roster.xlsx", await read_upload(file))
        return RedirectResponse(f"/rosters/{record.id}", status_code=303)

    @app.get("/rosters/{roster_id}", response_class=HTMLResponse)
    def roster_page(
        request: Request, session: DB, roster_id: int, scenario_id: int | None = None
    ) -> HTMLResponse:
        roster = or_404(session, RosterImport, roster_id)
        scenarios = session.scalars(select(ScenarioRecord).order_by(ScenarioRecord.filename)).all()
        checked, check_error = None, None
        if scenario_id and roster.problems_json is None:
            try:
                checked = services.check_roster(session, roster, or_404(session, ScenarioRecord, scenario_id))
            except InputError as error:
                check_error = {"source": error.source, "problems": services.problems_as_dicts(error)}
        return page(
            request,
            "roster.html",
            roster=roster,
            problems=json.loads(roster.problems_json or "[]"),
            counts=json.loads(roster.counts_json or "{}"),
            scenarios=scenarios,
            scenario_id=scenario_id,
            checked=checked,
            check_error=check_error,
        )

    @app.get("/rosters/{roster_id}/file")
    def rosterdownload(session: DB, roster_id: int) -> Response:
        roster = or_404(session, RosterImport, roster_id)
        media = XLSX if roster.filename.lower().endswith(".xlsx") else "text/csv"
        return download(services.roster_file(session, roster), roster.filename, media)

    @app.get("/scenarios", response_class=HTMLResponse)
    def scenarios(request: Request, session: DB) -> HTMLResponse:
        return page(request, "scenarios.html", scenarios=_scenarios(session), problems=[], source="")

    @app.post("/scenarios", response_model=None)
    async def upload_scenario(
        request: Request,
        session: DB,
        file: Annotated[UploadFile | None, File()] = None,
        text: Annotated[str, Form()] = "",
        filename: Annotated[str, Form()] = "",
    ) -> Response:
        if file is not None and file.filename:
            filename, raw = file.filename, await read_upload(file)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("utf-8", errors="replace")
        try:
            record = services.save_scenario(session, filename or "scenario.toml", text)
        except InputError as error:
            session.rollback()
            return page(
                request,
                "scenarios.html",
                400,
                scenarios=_scenarios(session),
                problems=services.problems_as_dicts(error),
                source=error.source,
                text=text,
                filename=filename,
            )
        return RedirectResponse(f"/scenarios/{record.id}", status_code=303)

    @app.get("/scenarios/{scenario_id}", response_class=HTMLResponse)
    def scenario_page(request: Request, session: DB, scenario_id: int) -> HTMLResponse:
        return page(request, "scenario.html", scenario=or_404(session, ScenarioRecord, scenario_id))

    @app.get("/scenarios/{scenario_id}/file")
    def scenariodownload(session: DB, scenario_id: int) -> Response:
        scenario = or_404(session, ScenarioRecord, scenario_id)
        return download(scenario.toml.encode("utf-8"), scenario.filename, "application/toml")

    @app.get("/plans", response_class=HTMLResponse)
    def plans(request: Request, session: DB) -> HTMLResponse:
        found = session.scalars(select(PlanRecord).order_by(PlanRecord.id.desc()).limit(200)).all()
        accepted = services.accepted_rosters(session)
        return page(
            request,
            "plans.html",
            plans=found,
            rosters={r.id: r for r in session.scalars(select(RosterImport))},
            accepted=accepted,
            scenarios=_scenarios(session),
            scenario_names={s.id: s for s in session.scalars(select(ScenarioRecord))},
            frozen=year.frozen_by_plan(session),
            default_limit=DEFAULT_LIMIT_WORDS,
        )

    @app.post("/plans")
    def start_plan(
        session: DB,
        roster_id: Annotated[int, Form()],
        scenario_id: Annotated[int, Form()],
        time_limit: Annotated[float | None, Form()] = None,
        workers: Annotated[int, Form()] = 1,
        seed: Annotated[int, Form()] = 0,
        gap: Annotated[float, Form()] = 0.001,
    ) -> RedirectResponse:
        request = services.PlanRequest(roster_id, scenario_id, time_limit, workers, seed, gap)
        plan = services.queue_plan(session, request)
        return RedirectResponse(f"/plans/{plan.id}", status_code=303)

    def plan_context(session: Session, plan: PlanRecord) -> dict[str, Any]:
        roster = row(session, RosterImport, plan.roster_id)
        scenario = row(session, ScenarioRecord, plan.scenario_id)
        context: dict[str, Any] = {
            "plan": plan,
            "roster": roster,
            "scenario": scenario,
            "options": json.loads(plan.options_json),
            "error": json.loads(plan.error_json) if plan.error_json else None,
        }
        summary = services.plan_summary_of(plan)
        if summary is not None:
            context["summary"] = summary
            context["view"] = plan_view(summary, services.load_stored_scenario(session, scenario))
            context["groups"] = services.plan_groups(session, plan.id)
            context["approved_years"] = year.frozen_years(session, plan.id)
            context["replan"] = year.replan_facts(plan)
            context["changes"] = year.named_changes(session, plan) if plan.parent_id else None
        return context

    @app.get("/plans/{plan_id}", response_class=HTMLResponse)
    def plan_page(request: Request, session: DB, plan_id: int) -> HTMLResponse:
        plan = or_404(session, PlanRecord, plan_id)
        listing = services.nominations_page(session, plan.id) if plan.summary_json else None
        if plan.result_json is not None:  # for the pages a user opens next (by unit, explain)
            services.warm_plan_facts(request.app.state.url, plan.id)
        return page(request, "plan.html", **plan_context(session, plan), listing=listing, filters={})

    @app.get("/plans/{plan_id}/progress", response_class=HTMLResponse)
    def plan_progress(request: Request, session: DB, plan_id: int) -> HTMLResponse:
        plan = or_404(session, PlanRecord, plan_id)
        response = page(request, "_progress.html", plan=plan, options=json.loads(plan.options_json))
        if plan.status not in (QUEUED, RUNNING):
            response.headers["HX-Refresh"] = "true"  # the finished plan's page replaces the progress bar
        return response

    @app.post("/plans/{plan_id}/stop")
    def stop_plan(session: DB, plan_id: int) -> RedirectResponse:
        services.request_stop(session, or_404(session, PlanRecord, plan_id))
        return RedirectResponse(f"/plans/{plan_id}", status_code=303)

    @app.get("/plans/{plan_id}/lists", response_class=HTMLResponse)
    def plan_lists(
        request: Request,
        session: DB,
        plan_id: int,
        program: str = "",
        year: Annotated[str, Query()] = "",
        class_id: str = "",
        q: str = "",
        page_number: Annotated[int, Query(alias="page")] = 1,
    ) -> HTMLResponse:
        plan = or_404(session, PlanRecord, plan_id)
        year_number = int(year) if year.strip().isdigit() else None
        listing = services.nominations_page(session, plan.id, program, year_number, class_id, q, page_number)
        filters = {"program": program, "year": year, "class_id": class_id, "q": q}
        name = "_lists.html" if request.headers.get("HX-Request") else "plan.html"
        context = {"plan": plan} if name == "_lists.html" else plan_context(session, plan)
        return page(request, name, **context, listing=listing, filters=filters)

    @app.get("/plans/{plan_id}/people", response_class=HTMLResponse)
    def plan_people(
        request: Request, session: DB, plan_id: int, q: str = "", official_id: str = ""
    ) -> HTMLResponse:
        plan = or_404(session, PlanRecord, plan_id)
        found = services.look_up(session, app.state.url, plan, q, official_id)
        return page(
            request,
            "_people.html",
            plan=plan,
            q=q,
            found=found.found,
            official_id=found.official_id,
            explained=found.explained,
        )

    @app.get("/plans/{plan_id}/units", response_class=HTMLResponse)
    def plan_units(
        request: Request,
        session: DB,
        plan_id: int,
        q: str = "",
        program: str = "",
        page_number: Annotated[int, Query(alias="page")] = 1,
    ) -> HTMLResponse:
        plan = _finished(session, plan_id)
        units = services.unit_figures(app.state.url, plan, q, program)
        pages = max(1, -(-len(units) // UNITS_PAGE))
        page_number = min(max(1, page_number), pages)
        shown = units[(page_number - 1) * UNITS_PAGE : page_number * UNITS_PAGE]
        scenario = services.load_stored_scenario(session, row(session, ScenarioRecord, plan.scenario_id))
        return page(
            request,
            "units.html",
            plan=plan,
            scenario=scenario,
            units=shown,
            total=len(units),
            filters={"q": q, "program": program},
            page_number=page_number,
            pages=pages,
        )

    @app.get("/api/plans/{plan_id}/units")
    def api_units(session: DB, plan_id: int, q: str = "", program: str = "") -> list[dict[str, Any]]:
        return services.unit_figures(app.state.url, _finished(session, plan_id), q, program)

    @app.get("/plans/{plan_id}/nominations.csv")
    def plan_csv(session: DB, plan_id: int) -> Response:
        plan = _finished(session, plan_id)
        return download(_blob(session, plan.csv_sha256), f"nominations-{plan_id}.csv", "text/csv")

    @app.get("/plans/{plan_id}/plan.xlsx")
    def plan_workbook(session: DB, plan_id: int) -> Response:
        plan = _finished(session, plan_id)
        return download(_blob(session, plan.workbook_sha256), f"plan-{plan_id}.xlsx", XLSX)

    @app.get("/plans/{plan_id}/summary.json")
    def plan_json(session: DB, plan_id: int) -> Response:
        plan = _finished(session, plan_id)
        return download(_blob(session, plan.json_sha256), f"summary-{plan_id}.json", "application/json")

    @app.get("/audit", response_class=HTMLResponse)
    def audit_page(request: Request, session: DB) -> HTMLResponse:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(500)).all()
        return page(request, "audit.html", entries=entries)

    # --- JSON API (the same services, for scripts and tests) ------------------------------

    @app.post("/api/rosters")
    async def api_roster(session: DB, file: Annotated[UploadFile, File()]) -> dict[str, Any]:
        record = services.import_roster(session, file.filename or "roster.xlsx", await read_upload(file))
        return {
            "id": record.id,
            "officials": record.officials,
            "problems": json.loads(record.problems_json or "[]"),
        }

    @app.get("/api/scenarios")
    def api_scenarios(session: DB) -> list[dict[str, Any]]:
        return [
            {"id": s.id, "filename": s.filename, "name": s.name, "shipped": s.shipped}
            for s in _scenarios(session)
        ]

    @app.post("/api/plans")
    def api_start(session: DB, body: dict[str, Any]) -> dict[str, Any]:
        fields = {k: body[k] for k in ("time_limit", "workers", "seed", "gap") if k in body}
        plan = services.queue_plan(
            session,
            services.PlanRequest(int(body.get("roster_id", 0)), int(body.get("scenario_id", 0)), **fields),
        )
        return {"id": plan.id}

    @app.get("/api/plans/{plan_id}")
    def api_plan(session: DB, plan_id: int) -> dict[str, Any]:
        plan = or_404(session, PlanRecord, plan_id)
        return {
            "id": plan.id,
            "status": plan.status,
            "progress": {"level": plan.level, "value": plan.value, "bound": plan.bound, "gap": plan.gap},
            "elapsed": plan.elapsed,
            "error": json.loads(plan.error_json) if plan.error_json else None,
            "summary": services.plan_summary_of(plan),
        }

    @app.get("/api/plans/{plan_id}/explain", response_model=None)
    def api_explain(session: DB, plan_id: int, q: str = "") -> dict[str, Any] | JSONResponse:
        return explained_json(session, or_404(session, PlanRecord, plan_id), q, "")

    @app.get("/api/plans/{plan_id}/explain/{official_id}", response_model=None)
    def api_explain_one(session: DB, plan_id: int, official_id: str) -> dict[str, Any] | JSONResponse:
        return explained_json(session, or_404(session, PlanRecord, plan_id), "", official_id)

    def explained_json(
        session: Session, plan: PlanRecord, q: str, official_id: str
    ) -> dict[str, Any] | JSONResponse:
        if plan.result_json is None:
            raise year.refuse(f"plan #{plan.id}", "kế hoạch chưa có kết quả", "the plan has no result yet")
        answer = services.look_up_json(
            session, plan, services.look_up(session, app.state.url, plan, q, official_id)
        )
        if answer is not None:
            return answer
        words = q or official_id
        return JSONResponse(
            {
                "vi": f"không ai trong danh sách cán bộ của kế hoạch khớp với «{words}»",
                "en": f"nobody on the plan's roster matches «{words}»",
            },
            status_code=404,
        )

    @app.delete("/api/plans/{plan_id}")
    def api_stop(session: DB, plan_id: int) -> dict[str, Any]:
        plan = or_404(session, PlanRecord, plan_id)
        services.request_stop(session, plan)
        return {"id": plan.id, "status": plan.status, "stop_requested": plan.stop_requested}

    def _finished(session: Session, plan_id: int) -> PlanRecord:
        plan = or_404(session, PlanRecord, plan_id)
        if plan.status not in (DONE, STOPPED) or plan.csv_sha256 is None:
            raise HTTPException(404)
        return plan

    return app


def _blob(session: Session, digest: str | None) -> bytes:
    """A stored output's bytes; 404 when the plan has none of that kind."""
    if digest is None:
        raise HTTPException(404)
    return blob_bytes(session, digest)


def _scenarios(session: Session) -> list[ScenarioRecord]:
    """Shipped scenarios first, then saved ones, each by file name."""
    return list(
        session.scalars(
            select(ScenarioRecord).order_by(ScenarioRecord.shipped.desc(), ScenarioRecord.filename)
        )
    )
