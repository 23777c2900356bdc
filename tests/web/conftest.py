"""The web application on a temporary SQLite file, with its job runner; a small generated roster."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from planner.io.export import write_roster
from planner.web.app import create_app

#: The scenario the plan tests solve, and the solver options they share with `planner plan`.
SCENARIO = "orientation-2026-2030.toml"
TIME_LIMIT = 5


#: A PostgreSQL server's URL (its maintenance database): the route tests then run there, each module
#: on a database of its own, instead of on a SQLite file (`.ci/run` sets it when PostgreSQL is there).
POSTGRES = os.environ.get("PLANNER_TEST_POSTGRES", "")


@contextmanager
def fresh_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of an empty database: a SQLite file, or a PostgreSQL database made for the caller
    and dropped afterwards."""
    if not POSTGRES:
        yield f"sqlite:///{tmp_path_factory.mktemp('web') / 'planner.db'}"
        return
    name = f"planner_test_{uuid.uuid4().hex[:12]}"
    server = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The application on a fresh database, its jobs run in spawned processes."""
    with fresh_database(tmp_path_factory) as url, TestClient(create_app(url, max_jobs=2)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def small_roster(tmp_path_factory: pytest.TempPathFactory, province: Callable[..., Any]) -> Path:
    """300 generated officials (two-level structure, 2026) written as a roster workbook."""
    path = tmp_path_factory.mktemp("roster") / "tinh-300.xlsx"
    write_roster(province(300, 1, "2025", 2026), path)
    return path


def upload(client: TestClient, path: Path) -> dict[str, Any]:
    """Upload a roster file through the API; its id, officials and problems."""
    with path.open("rb") as handle:
        response = client.post("/api/rosters", files={"file": (path.name, handle)})
    assert response.status_code == 200, response.text
    return response.json()


def scenario_id(client: TestClient, filename: str = SCENARIO) -> int:
    """The id of a shipped scenario."""
    return next(s["id"] for s in client.get("/api/scenarios").json() if s["filename"] == filename)


def wait_for(
    client: TestClient, plan_id: int, until: Callable[[dict[str, Any]], bool], limit: float = 60
) -> dict:
    """Poll the plan until `until(state)` holds; its last state."""
    deadline = time.monotonic() + limit
    while True:
        state = client.get(f"/api/plans/{plan_id}").json()
        if until(state) or time.monotonic() > deadline:
            return state
        time.sleep(0.2)


def finished(state: dict[str, Any]) -> bool:
    """A plan no longer queued or running."""
    return state["status"] not in ("queued", "running")


def solve_plan(client: TestClient, roster_id: int, scenario: str = SCENARIO, **form: Any) -> int:
    """Start a plan from the plans page with the CLI's options and wait until it is done; its id."""
    data = {"roster_id": roster_id, "scenario_id": scenario_id(client, scenario), "time_limit": TIME_LIMIT}
    response = client.post("/plans", data=data | form, follow_redirects=False)
    assert response.status_code == 303, response.text
    plan_id = int(response.headers["location"].rsplit("/", 1)[1])
    state = wait_for(client, plan_id, finished)
    assert state["status"] == "done", state
    return plan_id
