"""Accounts and roles: without accounts the application is as before; with them every page needs a
sign-in, roles are enforced, changes need the sign-in's CSRF token, and records name the account."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from alembic import command
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select

from cli import main, users
from planner.web import accounts, auth
from planner.web.accounts import hash_password, host_refusal, verify_password
from planner.web.app import create_app
from planner.web.db import Account, Approval, AuditEntry, SignIn, make_engine, migrate, sessions
from tests.web.conftest import fresh_database, solve_plan, upload
from tests.web.test_db import alembic_config

PASSWORD = "mat-khau-2026"
#: login -> (name, role) of the accounts the tests sign in as
PEOPLE = {
    "quantri": ("Nguyễn Văn An", "admin"),
    "duyet": ("Trần Thị Bình", "approver"),
    "lan": ("Lê Thị Lan", "clerk"),
}
FORGED = "Giám đốc Sở"


@pytest.fixture(autouse=True)
def no_sign_in_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """A refused sign-in answers at once (the delay against guessing is tested on its own)."""
    monkeypatch.setattr(auth, "FAILED_SIGN_IN_DELAY", 0.0)


@pytest.fixture(scope="module")
def plan_id(client: TestClient, small_roster: Path) -> int:
    """A finished plan, solved before any account exists; then the three accounts are added."""
    planned = solve_plan(client, upload(client, small_roster)["id"])
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        for login, (name, role) in PEOPLE.items():
            accounts.add_account(session, login, name, role, PASSWORD)
    return planned


def sign_in(client: TestClient, login: str, password: str = PASSWORD) -> str:
    """Sign the client in as `login`; the sign-in's CSRF token."""
    client.cookies.clear()
    response = client.post("/login", data={"login": login, "password": password}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(client.get("/api/session").json()["csrf_token"])


def sign_ins_of(client: TestClient, login: str) -> int:
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        return len(session.scalars(select(SignIn).join(Account).where(Account.login == login)).all())


def signature(login: str) -> str:
    return f"{PEOPLE[login][0]} ({login})"


def test_without_accounts_the_application_works_as_before(tmp_path_factory: pytest.TempPathFactory) -> None:
    with fresh_database(tmp_path_factory) as url, TestClient(create_app(url, run_jobs=False)) as client:
        assert client.get("/plans").status_code == 200
        assert client.get("/login", follow_redirects=False).headers["location"] == "/"
        assert client.get("/api/session").json() == {"accounts": False, "csrf_token": ""}
        client.cookies.set("planner_user", "Lan")
        saved = client.post(
            "/scenarios", data={"filename": "s.toml", "text": 'extends = "orientation-2026-2030.toml"'}
        )
        assert saved.status_code == 200, saved.text  # no CSRF token needed without accounts
        with client.app.state.sessions() as session:  # type: ignore[attr-defined]
            entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "scenario.save")).one()
        assert entry.actor == "Lan"  # the name this browser typed, as before
        assert "Đăng xuất" not in client.get("/plans").text


def test_anyone_not_signed_in_is_sent_to_sign_in(client: TestClient, plan_id: int) -> None:
    client.cookies.clear()
    response = client.get(f"/plans/{plan_id}?x=1", follow_redirects=False)
    assert (
        response.status_code == 303
        and response.headers["location"] == f"/login?next=/plans/{plan_id}%3Fx%3D1"
    )
    answer = client.get(f"/api/plans/{plan_id}")
    assert (
        answer.status_code == 401 and "sign in" in answer.json()["en"] and "đăng nhập" in answer.json()["vi"]
    )
    assert client.post("/api/plans", json={}).status_code == 401
    shown = f"http://testserver/plans/{plan_id}"
    polled = client.get(f"/plans/{plan_id}/progress", headers={"HX-Request": "true", "HX-Current-URL": shown})
    assert polled.status_code == 401 and polled.headers["HX-Redirect"] == f"/login?next=/plans/{plan_id}"
    assert client.get("/login").status_code == 200 and client.get("/static/style.css").status_code == 200


def test_a_sign_in_goes_back_where_it_was_asked_for_with_a_strict_http_only_cookie(
    client: TestClient, plan_id: int
) -> None:
    client.cookies.clear()
    response = client.post(
        "/login",
        data={"login": "LAN", "password": PASSWORD, "next": f"/plans/{plan_id}"},
        follow_redirects=False,
    )
    assert response.headers["location"] == f"/plans/{plan_id}"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie  # plain http
    page = client.get(f"/plans/{plan_id}").text
    assert PEOPLE["lan"][0] in page and "Đăng xuất" in page and 'hx-headers=\'{"X-CSRF-Token"' in page
    token = client.get("/api/session").json()["csrf_token"]
    before = sign_ins_of(client, "lan")
    client.post("/login", data={"login": "duyet", "password": PASSWORD, "csrf_token": token})
    assert client.get("/api/session").json()["login"] == "duyet"
    assert sign_ins_of(client, "lan") == before - 1  # the sign-in it replaced ended
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        latest = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert latest is not None and (latest.action, latest.actor) == ("account.sign_in", signature("duyet"))
    client.cookies.clear()
    outside = client.post(
        "/login",
        data={"login": "lan", "password": PASSWORD, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert outside.headers["location"] == "/plans"  # only this application's own paths


def test_a_wrong_password_or_a_disabled_account_is_refused(client: TestClient, plan_id: int) -> None:
    client.cookies.clear()
    for login, password in (("lan", "wrong-password"), ("nobody", PASSWORD)):
        response = client.post("/login", data={"login": login, "password": password}, follow_redirects=False)
        assert response.status_code == 401 and "Wrong login or password" in response.text
        assert "planner_session" not in response.headers.get("set-cookie", "")
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        accounts.add_account(session, "nghi", "Nghỉ việc", "clerk", PASSWORD)
        accounts.set_disabled(session, accounts.account(session, "nghi"), True)
    assert client.post("/login", data={"login": "nghi", "password": PASSWORD}).status_code == 401


def test_a_refused_sign_in_waits(client: TestClient, plan_id: int, monkeypatch: pytest.MonkeyPatch) -> None:
    waited: list[float] = []
    monkeypatch.setattr(auth, "FAILED_SIGN_IN_DELAY", 1.0)
    monkeypatch.setattr("planner.web.account_pages.time.sleep", waited.append)
    client.post("/login", data={"login": "lan", "password": "wrong-password"})
    assert waited == [1.0]


def test_a_clerk_works_but_can_neither_approve_nor_manage_accounts(client: TestClient, plan_id: int) -> None:
    token = sign_in(client, "lan")
    year_page = client.get(f"/plans/{plan_id}/year")
    assert year_page.status_code == 200 and "needs the approver role" in year_page.text
    assert f'action="/plans/{plan_id}/approve"' in year_page.text  # the form, without its buttons
    assert 'name="year" value="2027"' not in year_page.text
    refused = client.post(
        f"/api/plans/{plan_id}/approve", json={"year": 2027}, headers={"X-CSRF-Token": token}
    )
    assert refused.status_code == 403
    assert "approver role" in refused.json()["en"] and "người phê duyệt" in refused.json()["vi"]
    page = client.post(f"/plans/{plan_id}/approve", data={"year": 2027, "by": "x", "csrf_token": token})
    assert page.status_code == 403 and "approver role" in page.text
    withdraw = {"reason": "nhầm", "by": "x", "csrf_token": token}
    page = client.post(f"/plans/{plan_id}/approvals/2027/withdraw", data=withdraw)
    assert page.status_code == 403 and "approver role" in page.text
    refused = client.post("/api/approvals/2027/withdraw", json=withdraw, headers={"X-CSRF-Token": token})
    assert refused.status_code == 403
    assert client.get("/accounts").status_code == 403
    added = client.post("/accounts", data={"login": "ai", "password": PASSWORD, "csrf_token": token})
    assert added.status_code == 403 and "admin role" in added.text
    assert "/accounts" not in client.get("/plans").text  # no link to a page it may not open


def test_an_approver_approves_and_the_records_name_the_account_not_the_typed_name(
    client: TestClient, plan_id: int
) -> None:
    token = sign_in(client, "duyet")
    response = client.post(
        f"/plans/{plan_id}/approve",
        data={"year": 2026, "by": FORGED, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        approval = session.get(Approval, 2026)
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "year.approve")).one()
    assert approval is not None and approval.approved_by == signature("duyet")
    assert entry.actor == signature("duyet")
    assert FORGED not in client.get("/audit").text


def test_an_admin_adds_an_account_changes_its_role_and_password_and_disables_it(
    client: TestClient, plan_id: int
) -> None:
    token = sign_in(client, "quantri")
    form = {"login": "Minh", "name": "Phạm Minh", "role": "clerk", "password": PASSWORD, "csrf_token": token}
    assert client.post("/accounts", data=form, follow_redirects=False).status_code == 303
    taken = client.post("/accounts", data=form)
    assert taken.status_code == 400 and "the login &#39;minh&#39; is taken" in taken.text
    short = client.post("/accounts", data=form | {"login": "khac", "password": "ngan"})
    assert short.status_code == 400 and "8 to 200 characters" in short.text
    assert (
        client.post("/accounts/minh/role", data={"role": "approver", "csrf_token": token}).status_code == 200
    )
    new_password = "mat-khau-moi-2026"
    client.post("/accounts/minh/password", data={"password": new_password, "csrf_token": token})
    client.post("/accounts/minh/disabled", data={"disabled": "true", "csrf_token": token})
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        minh = accounts.account(session, "minh")
        assert (minh.name, minh.role, minh.disabled) == ("Phạm Minh", "approver", True)
        assert verify_password(new_password, minh.password_hash)
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.detail.startswith("minh"))).all()
    assert {"account.add", "account.role", "account.password", "account.disable"} <= set(actions)
    assert "Phạm Minh" in client.get("/accounts").text


def test_the_last_active_admin_stays(client: TestClient, plan_id: int) -> None:
    token = sign_in(client, "quantri")
    response = client.post("/accounts/quantri/role", data={"role": "clerk", "csrf_token": token})
    assert response.status_code == 400 and "last active admin" in response.text
    response = client.post("/accounts/quantri/disabled", data={"disabled": "true", "csrf_token": token})
    assert response.status_code == 400
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        assert accounts.active_admins(session) == 1


def test_a_change_without_the_sign_ins_csrf_token_is_refused(client: TestClient, plan_id: int) -> None:
    token = sign_in(client, "lan")
    scenario = {"filename": "csrf.toml", "text": 'extends = "orientation-2026-2030.toml"'}
    for sent in ({}, {"csrf_token": "0" * 64}):
        response = client.post("/scenarios", data=scenario | sent)
        assert response.status_code == 403 and "CSRF" in response.text
    assert client.post("/api/plans", json={}).status_code == 403
    assert client.post("/scenarios", data=scenario | {"csrf_token": token}).status_code == 200
    assert (
        client.post(
            "/scenarios", data=scenario | {"filename": "b.toml"}, headers={"X-CSRF-Token": token}
        ).status_code
        == 200
    )


def test_signing_out_ends_the_sign_in(client: TestClient, plan_id: int) -> None:
    token = sign_in(client, "lan")
    kept = client.cookies.get("planner_session")
    client.post("/logout", data={"csrf_token": token})
    client.cookies.set("planner_session", kept or "")
    assert client.get("/plans", follow_redirects=False).status_code == 303


def test_the_accounts_migration_adds_its_tables_to_a_sweeps_database_and_downgrades(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    command.upgrade(alembic_config(url), "0003")
    engine = make_engine(url)
    migrate(url)
    assert {"accounts", "sign_ins"} <= set(inspect(engine).get_table_names())
    columns = {c["name"] for c in inspect(engine).get_columns("accounts")}
    assert {"login", "name", "password_hash", "role", "created_at", "disabled"} <= columns
    command.downgrade(alembic_config(url), "0003")
    assert not {"accounts", "sign_ins"} & set(inspect(engine).get_table_names())
    engine.dispose()


def test_a_password_is_kept_as_a_salted_scrypt_hash() -> None:
    stored = hash_password(PASSWORD)
    assert PASSWORD not in stored and stored.startswith("scrypt$")
    assert stored != hash_password(PASSWORD)  # a new salt each time
    assert verify_password(PASSWORD, stored)
    assert not verify_password(PASSWORD + "x", stored)
    assert not verify_password(PASSWORD, "not a hash")


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    migrate(url)
    yield url


def run(*args: str, given: str = "") -> Any:
    return CliRunner().invoke(main, list(args), input=given)


def test_users_add_asks_the_password_twice_and_lists_the_account(database: str) -> None:
    added = run(
        "users",
        "add",
        "QuanTri",
        "--role",
        "admin",
        "--name",
        "Nguyễn Văn An",
        "--db",
        database,
        given=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert added.exit_code == 0, added.output
    engine = make_engine(database)
    with sessions(engine)() as session:
        account = session.scalars(select(Account)).one()
    engine.dispose()
    assert (account.login, account.role, account.name) == ("quantri", "admin", "Nguyễn Văn An")
    assert verify_password(PASSWORD, account.password_hash)
    listed = run("users", "list", "--db", database)
    assert "quantri\tadmin" in listed.output
    again = run("users", "add", "quantri", "--db", database, given=f"{PASSWORD}\n{PASSWORD}\n")
    assert again.exit_code == 2 and "đã có" in again.output and "is taken" in again.output
    assert "Traceback" not in again.output


def test_users_refuse_bad_input_in_both_languages_without_a_traceback(database: str) -> None:
    bad_login = run("users", "add", "Nguyễn Lan", "--db", database)
    assert (
        bad_login.exit_code == 2
        and "không hợp lệ" in bad_login.output
        and "not a valid login" in bad_login.output
    )
    short = run("users", "add", "lan", "--db", database, given="ngan\nngan\n")
    assert short.exit_code == 2 and "8 to 200" in short.output
    missing = run("users", "disable", "ai", "--db", database)
    assert missing.exit_code == 2 and "there is no account 'ai'" in missing.output
    assert all("Traceback" not in r.output for r in (bad_login, short, missing))


def test_every_users_command_has_an_example_and_both_languages() -> None:
    for name, subcommand in users.commands.items():
        assert " / " in subcommand.get_short_help_str(limit=200), name
        assert all(" / " in (p.help or "") for p in subcommand.params if isinstance(p, click.Option)), name
        assert "Example" in run("users", name, "--help").output, name


def test_serve_listens_beyond_this_machine_only_with_an_active_admin(database: str) -> None:
    assert host_refusal(database, "127.0.0.1") is None
    refusal = host_refusal(database, "0.0.0.0")
    assert refusal is not None and "planner users add" in refusal[0] and "planner users add" in refusal[1]
    refused = run("serve", "--host", "0.0.0.0", "--db", database, "--no-browser")
    assert refused.exit_code == 2 and "tài khoản" in refused.output and "admin account" in refused.output
    run("users", "add", "lan", "--role", "clerk", "--db", database, given=f"{PASSWORD}\n{PASSWORD}\n")
    assert host_refusal(database, "0.0.0.0") is not None  # a clerk is not enough
    run("users", "add", "quantri", "--role", "admin", "--db", database, given=f"{PASSWORD}\n{PASSWORD}\n")
    assert host_refusal(database, "0.0.0.0") is None
    run("users", "disable", "quantri", "--db", database)
    assert host_refusal(database, "0.0.0.0") is not None
    run("users", "disable", "quantri", "--enable", "--db", database)
    assert host_refusal(database, "0.0.0.0") is None
