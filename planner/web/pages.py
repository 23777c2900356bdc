"""What every route module shares: the database session, a page from a template, 404, uploads, downloads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any
from urllib.parse import quote, unquote, urlsplit

from fastapi import Depends, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from planner.io.errors import InputError, Problem
from planner.web import auth

#: Largest upload accepted (a 150,000-row roster is about 15 MB).
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The cookie that remembers who works at this browser (the name the forms ask for).
USER_COOKIE = "planner_user"


def _session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


DB = Annotated[Session, Depends(_session)]


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The template `name` laid out with `context` (and who works at this browser, for the forms and
    the header, with the sign-in's CSRF token)."""
    context.setdefault("user", user_of(request))
    context.update(auth.template_context(request))
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status_code)


def user_of(request: Request) -> str:
    """Who works at this browser: the signed-in account, else the name last typed in a form ('' before)."""
    account = auth.signed_in(request)
    if account is not None:
        return account.signature
    return unquote(request.cookies.get(USER_COOKIE, ""))


def remember(response: Response, user: str) -> Response:
    """The response, setting the cookie that fills in the name on the next forms."""
    user = " ".join(user.split())
    response.set_cookie(USER_COOKIE, quote(user), max_age=365 * 24 * 3600, httponly=True, samesite="strict")
    return response


def or_404(session: Session, model: type, key: Any) -> Any:
    """The row of `model` with this key; 404 when there is none."""
    row = session.get(model, key)
    if row is None:
        raise HTTPException(404)
    return row


async def read_upload(upload: UploadFile) -> bytes:
    """An uploaded file's bytes (`InputError` past `MAX_UPLOAD_BYTES`)."""
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(
            upload.filename or "upload",
            [
                Problem(
                    f"tệp lớn hơn {MAX_UPLOAD_BYTES // 2**20} MB",
                    f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB",
                )
            ],
        )
    return data


def download(data: bytes, filename: str, media_type: str) -> Response:
    """`data` as a file to save."""
    return Response(
        data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def cross_site(request: Request) -> bool:
    """An unsafe request a browser sent from another origin (CSRF): its Origin, else its Referer,
    names another host or port, or Sec-Fetch-Site says cross-site. Requests without these headers
    come from no browser (scripts, curl) and pass."""
    if request.method not in auth.UNSAFE_METHODS:
        return False
    if request.headers.get("sec-fetch-site") == "cross-site":
        return True
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source:
        return False
    return source == "null" or urlsplit(source).netloc != request.url.netloc
