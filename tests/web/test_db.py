"""The store's migrations: 0002 (the year) upgrades a database of the first slice, keeping its rows."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from planner.web import db
from planner.web.db import make_engine, migrate


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(db.__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url)
    return config


def test_the_year_migration_upgrades_a_first_slice_database_and_downgrades(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    command.upgrade(alembic_config(url), "0001")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO blobs VALUES ('x', 1, x'00')"))
        connection.execute(
            text(
                "INSERT INTO rosters (id, filename, sha256, size, uploaded_at) VALUES (1, 'r.xlsx', 'x', 1, '2026-01-01')"
            )
        )
        connection.execute(
            text("INSERT INTO audit_log (action, detail, at) VALUES ('roster.import', '#1', '2026-01-01')")
        )
    migrate(url)
    tables = set(inspect(engine).get_table_names())
    assert {"approvals", "decisions", "attendance"} <= tables
    assert {"parent_id", "replan_json"} <= {c["name"] for c in inspect(engine).get_columns("plans")}
    with engine.connect() as connection:
        assert connection.execute(text("SELECT action, actor FROM audit_log")).all() == [
            ("roster.import", None)
        ]
        assert connection.execute(text("SELECT filename FROM rosters")).scalar_one() == "r.xlsx"
    command.downgrade(alembic_config(url), "0001")
    assert "approvals" not in set(inspect(engine).get_table_names())
    engine.dispose()


def test_the_sweeps_migration_adds_its_table_to_a_year_database_and_downgrades(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    command.upgrade(alembic_config(url), "0002")
    engine = make_engine(url)
    assert "sweeps" not in set(inspect(engine).get_table_names())
    migrate(url)
    columns = {c["name"] for c in inspect(engine).get_columns("sweeps")}
    assert {"plan_id", "options_json", "status", "stop_requested", "solved", "result_json"} <= columns
    command.downgrade(alembic_config(url), "0002")
    assert "sweeps" not in set(inspect(engine).get_table_names())
    engine.dispose()
