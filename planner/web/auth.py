"""Who a request comes from, and what they may do: the sign-in cookie, roles, and the CSRF token.

Without accounts in the store the application works for one user on this machine, as before. Once
one exists, the middleware (`visitor`) sends anyone not signed in to /login (401 under /api), and the
dependencies here refuse what the signed-in account's role does not allow (403) and changes sent
without the sign-in's CSRF token (403).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from planner.web import accounts
from planner.web.accounts import ADMIN, APPROVER, Visit
from planner.web.db import Account

#: The cookie holding the sign-in's random token.
SESSION_COOKIE = "planner_session"
#: The header HTMX requests (and scripts) send the CSRF token in; forms send it as `CSRF_FIELD`.
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
#: Paths anyone may open: the sign-in page, and the stylesheet and scripts under /static/ it needs.
PUBLIC_PAGES = ("/login",)
PUBLIC_PREFIX = "/static/"
#: Methods that change something: they need the CSRF token, and browsers must send them from here.
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Seconds a refused sign-in waits before answering (a slower guessing of passwords).
FAILED_SIGN_IN_DELAY = 1.0


class Refused(Exception):
    """A request refused for who sent it: status, Vietnamese, English."""

    def __init__(self, status_code: int, vi: str, en: str):
        super().__init__(en)
        self.status_code, self.vi, self.en = status_code, vi, en


@dataclass(frozen=True)
class Visitor:
    """Whether the store has accounts, and the sign-in of the request's browser (None without one)."""

    accounts: bool
    visit: Visit | None


def find_visitor(request: Request) -> Visitor:
    """Read the sign-in cookie against the store (the middleware does this once a request)."""
    with request.app.state.sessions() as session:
        if not accounts.accounts_exist(session):
            return Visitor(False, None)
        return Visitor(True, accounts.visit(session, request.cookies.get(SESSION_COOKIE, "")))


def visitor(request: Request) -> Visitor:
    """The request's visitor, as the middleware found it."""
    found: Visitor = getattr(request.state, "visitor", None) or Visitor(False, None)
    return found


def signed_in(request: Request) -> Account | None:
    """The account the request's browser is signed in to, or None."""
    found = visitor(request).visit
    return found.account if found else None


def csrf_token(request: Request) -> str:
    """The token this browser's forms send back ('' when not signed in)."""
    found = visitor(request).visit
    return found.csrf_token if found else ""


def public(path: str) -> bool:
    """A path anyone may open, signed in or not."""
    return path in PUBLIC_PAGES or path.startswith(PUBLIC_PREFIX)


def sign_in_first(request: Request) -> Response:
    """The answer to a request that needs a sign-in: 401 under /api, else the sign-in page, which
    comes back here afterwards (for an HTMX request, the page it was made from)."""
    if request.url.path.startswith("/api/"):
        return JSONResponse(
            {
                "vi": "cần đăng nhập: gửi cookie của một phiên đăng nhập (POST /login)",
                "en": "sign in first: send the cookie of a sign-in (POST /login)",
            },
            status_code=401,
        )
    if request.headers.get("HX-Request"):  # a part of a page (a progress poll): the whole page goes
        shown = urlsplit(request.headers.get("HX-Current-URL", ""))
        here = shown.path + (f"?{shown.query}" if shown.query else "")
        return Response(status_code=401, headers={"HX-Redirect": f"/login?next={quote(here)}"})
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(here)}", status_code=303)


def require(needed: str) -> Callable[[Request], None]:
    """A dependency refusing (403) a signed-in account whose role is below `needed`."""

    def guard(request: Request) -> None:
        account = signed_in(request)
        if account is not None and not accounts.allows(account.role, needed):
            vi_needed, vi_has = accounts.ROLE_WORDS[needed], accounts.ROLE_WORDS[account.role]
            raise Refused(
                403,
                f"cần vai trò {vi_needed} ({needed}) trở lên; tài khoản {account.login} là {vi_has}",
                f"this needs the {needed} role or higher; the account {account.login} is a {account.role}",
            )

    return guard


#: Route dependencies: approving a year's lists, managing the accounts.
APPROVERS = Depends(require(APPROVER))
ADMINS = Depends(require(ADMIN))


async def same_sign_in(request: Request) -> None:
    """Refuse (403) a change sent by a signed-in browser without its sign-in's CSRF token (in the
    `X-CSRF-Token` header, or a form's `csrf_token` field). Applied to every route."""
    expected = csrf_token(request)
    if not expected or request.method not in UNSAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        field = (await request.form()).get(CSRF_FIELD)
        sent = field if isinstance(field, str) else ""
    if not hmac.compare_digest(sent.encode(), expected.encode()):
        raise Refused(
            403,
            "thiếu mã chống giả mạo của phiên đăng nhập (CSRF): tải lại trang rồi gửi lại",
            "the sign-in's anti-forgery (CSRF) token is missing or wrong: reload the page and send again",
        )


def template_context(request: Request) -> dict[str, Any]:
    """What every page shows of the sign-in: the account, its CSRF token, whether one is needed,
    whether it may approve (no accounts: whoever works at this machine may)."""
    found = visitor(request)
    account = signed_in(request)
    return {
        "account": account,
        "may_approve": account is None or accounts.allows(account.role, APPROVER),
        "csrf_token": csrf_token(request),
        "signed_out": found.accounts and not found.visit,
    }
