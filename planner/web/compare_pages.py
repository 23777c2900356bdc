"""Routes that put finished plans side by side (`planner.web.comparison`): the page, its workbook, JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from planner.web import comparison
from planner.web.pages import DB, XLSX, download, page

router = APIRouter()
Plans = Annotated[list[int], Query()]


@router.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, session: DB, plans: Plans = []) -> HTMLResponse:  # noqa: B006  FastAPI's default
    chosen = comparison.finished_plans(session, plans)
    compared = comparison.compare_stored(session, request.app.state.url, chosen)
    return page(
        request,
        "compare.html",
        plans=chosen,
        comparison=compared,
        view=comparison.comparison_view(compared),
        query="&".join(f"plans={p.id}" for p in chosen),
    )


@router.get("/compare.xlsx")
def compare_workbook(request: Request, session: DB, plans: Plans = []) -> Response:  # noqa: B006  FastAPI's default
    compared = comparison.compare_stored(
        session, request.app.state.url, comparison.finished_plans(session, plans)
    )
    name = "so-sanh-" + "-".join(str(p) for p in sorted(set(plans))) + ".xlsx"
    return download(comparison.comparison_workbook(compared), name, XLSX)


@router.get("/api/compare")
def api_compare(request: Request, session: DB, plans: Plans = []) -> dict[str, Any]:  # noqa: B006  FastAPI's default
    return comparison.compare_stored(
        session, request.app.state.url, comparison.finished_plans(session, plans)
    )
