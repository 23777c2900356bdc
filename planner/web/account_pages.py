"""Routes of the accounts (`planner.web.accounts`): sign in and out, and the administrators' page that
adds accounts, changes roles, disables them and sets new passwords."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.io.errors import InputError
from planner.web import accounts, auth
from planner.web.auth import ADMINS, SESSION_COOKIE, Refused
from planner.web.db import Account
from planner.web.pages import DB, page
from planner.web.services import problems_as_dicts

router = APIRouter()


def _next_page(wanted: str) -> str:
    """Where to go after signing in: a path of this application, else the plans."""
    return wanted if wanted.startswith("/") and not wanted.startswith(("//", "/\\")) else "/plans"


@router.get("/login", response_class=HTMLResponse, response_model=None)
def login_page(request: Request, next_page: Annotated[str, Query(alias="next")] = "") -> Response:
    if not auth.visitor(request).accounts:
        return RedirectResponse("/", status_code=303)  # one user on this machine: nothing to sign in to
    return page(request, "login.html", next_page=_next_page(next_page), login="", failed=False)


@router.post("/login", response_model=None)
def sign_in(
    request: Request,
    session: DB,
    login: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next_page: Annotated[str, Form(alias="next")] = "",
) -> Response:
    account = accounts.authenticate(session, login, password)
    if account is None:
        time.sleep(auth.FAILED_SIGN_IN_DELAY)
        return page(request, "login.html", 401, next_page=_next_page(next_page), login=login, failed=True)
    token = accounts.sign_in(session, account, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse(_next_page(next_page), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        # Secure only over https: on a LAN served as plain http the browser would not send it back
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def sign_out(request: Request, session: DB) -> RedirectResponse:
    accounts.sign_out(session, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict")
    return response


@router.get("/api/session")
def api_session(request: Request) -> dict[str, Any]:
    """Whether the store has accounts, who is signed in, and the CSRF token scripts send back."""
    account = auth.signed_in(request)
    who = {"login": account.login, "name": account.name, "role": account.role} if account else {}
    return {"accounts": auth.visitor(request).accounts, **who, "csrf_token": auth.csrf_token(request)}


# --- the administrators' page ---------------------------------------------------------------------


def _accounts_page(
    request: Request, session: Session, status_code: int = 200, **context: Any
) -> HTMLResponse:
    found = session.scalars(select(Account).order_by(Account.disabled, Account.login)).all()
    context.setdefault("problems", [])
    context.setdefault("values", {})
    return page(
        request,
        "accounts.html",
        status_code,
        accounts=found,
        roles=accounts.ROLES,
        **context,
    )


def _changed(request: Request, session: Session, change: Any, **values: Any) -> Response:
    """Apply `change()`, then back to the accounts page; the page with the problems when refused."""
    if not auth.visitor(request).accounts:
        raise Refused(
            403,
            "chưa có tài khoản nào: tạo tài khoản quản trị đầu tiên bằng `planner users add TÊN --role admin`",
            "there are no accounts yet: add the first admin with `planner users add NAME --role admin`",
        )
    try:
        change()
    except InputError as error:
        session.rollback()
        return _accounts_page(request, session, 400, problems=problems_as_dicts(error), values=values)
    return RedirectResponse("/accounts", status_code=303)


@router.get("/accounts", response_class=HTMLResponse, dependencies=[ADMINS])
def accounts_page(request: Request, session: DB) -> HTMLResponse:
    return _accounts_page(request, session)


@router.post("/accounts", response_model=None, dependencies=[ADMINS])
def add_account(
    request: Request,
    session: DB,
    login: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = accounts.CLERK,
    password: Annotated[str, Form()] = "",
) -> Response:
    return _changed(
        request,
        session,
        lambda: accounts.add_account(session, login, name, role, password),
        login=login,
        name=name,
        role=role,
    )


@router.post("/accounts/{login}/role", response_model=None, dependencies=[ADMINS])
def change_role(request: Request, session: DB, login: str, role: Annotated[str, Form()] = "") -> Response:
    return _changed(
        request, session, lambda: accounts.set_role(session, accounts.account(session, login), role)
    )


@router.post("/accounts/{login}/disabled", response_model=None, dependencies=[ADMINS])
def change_disabled(
    request: Request, session: DB, login: str, disabled: Annotated[bool, Form()] = True
) -> Response:
    return _changed(
        request, session, lambda: accounts.set_disabled(session, accounts.account(session, login), disabled)
    )


@router.post("/accounts/{login}/password", response_model=None, dependencies=[ADMINS])
def reset_password(
    request: Request, session: DB, login: str, password: Annotated[str, Form()] = ""
) -> Response:
    return _changed(
        request, session, lambda: accounts.set_password(session, accounts.account(session, login), password)
    )
