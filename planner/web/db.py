"""The web application's store: tables, the engine (SQLite in WAL mode by default) and migrations.

Files (rosters, plan outputs) are kept once each by SHA-256 in `blobs`; the other tables point to
them. The schema is created and upgraded by Alembic (`migrate`), never by `create_all`.
"""

from __future__ import annotations

import datetime as dt
import logging
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    Boolean,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    create_engine,
    event,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, UOWTransaction, mapped_column, sessionmaker

log = logging.getLogger(__name__)

#: Plan states: waiting for a worker, solving, finished, failed, stopped by the user.
QUEUED, RUNNING, DONE, FAILED, STOPPED = "queued", "running", "done", "failed", "stopped"
#: Milliseconds SQLite waits for a lock held by another process (the solve workers write progress).
BUSY_TIMEOUT_MS = 10_000


def utc_now() -> dt.datetime:
    """Now, in UTC (stored without zone; shown as local time by the pages)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""


class Blob(Base):
    """A file's bytes, stored once by its SHA-256."""

    __tablename__ = "blobs"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class RosterImport(Base):
    """One uploaded roster file: accepted (officials counted) or refused (its problems kept)."""

    __tablename__ = "rosters"
    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    officials: Mapped[int | None] = mapped_column(Integer)
    history_rows: Mapped[int | None] = mapped_column(Integer)
    #: {"by_level": {...}, "by_category": {...}, "by_role_group": {...}, "labels": {...}} once accepted
    counts_json: Mapped[str | None] = mapped_column(Text)
    #: the problems found (JSON list of Problem fields) when refused
    problems_json: Mapped[str | None] = mapped_column(Text)


class RosterOfficial(Base):
    """One official of an accepted roster, for search and lists (the roster file stays the source)."""

    __tablename__ = "roster_officials"
    roster_id: Mapped[int] = mapped_column(ForeignKey("rosters.id"), primary_key=True)
    official_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    unit: Mapped[str] = mapped_column(String(255))
    position: Mapped[str] = mapped_column(String(255))
    #: id and name without case or accents (`text.normalize_key`), for the search box
    search_key: Mapped[str] = mapped_column(String(512), index=True)


class ScenarioRecord(Base):
    """A scenario's TOML text: shipped with the planner (`scenarios/`) or uploaded and saved."""

    __tablename__ = "scenarios"
    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    toml: Mapped[str] = mapped_column(Text)
    shipped: Mapped[bool] = mapped_column(Boolean, default=False)
    saved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class JobState:
    """What every job row holds (plans, sweeps): its state, the stop flag, its times and stage."""

    status: Mapped[str] = mapped_column(String(16), default=QUEUED, index=True)
    stop_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    stage: Mapped[str | None] = mapped_column(String(255))
    elapsed: Mapped[float | None] = mapped_column(Float)
    #: bilingual error text when failed ({"vi": ..., "en": ..., "problems": [...]})
    error_json: Mapped[str | None] = mapped_column(Text)


class PlanRecord(JobState, Base):
    """A plan job: its inputs and options, its progress while solving, its outputs once done."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("rosters.id"))
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenarios.id"))
    #: SolverSettings (time_limit, workers, seed, gap) and method, as JSON
    options_json: Mapped[str] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(String(32))
    value: Mapped[float | None] = mapped_column(Float)
    bound: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    summary_json: Mapped[str | None] = mapped_column(Text, deferred=True)
    result_json: Mapped[str | None] = mapped_column(Text, deferred=True)
    csv_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))
    json_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))
    workbook_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))
    #: the plan this one replans (its draft is kept as far as possible; entered/left are against it)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))
    #: what a replan was started with: approved nominations, decisions, attendance, max_changes (JSON)
    replan_json: Mapped[str | None] = mapped_column(Text, deferred=True)


class SweepRecord(JobState, Base):
    """A budget sweep job (`planner sweep`) on a finished plan's roster and scenario: its options, its
    progress while solving, the sweep's figures and files once done."""

    __tablename__ = "sweeps"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    #: factors, max_resolves and the solver settings (time_limit, workers, seed, gap), as JSON
    options_json: Mapped[str] = mapped_column(Text)
    #: plans solved so far (the factors', then the re-solves that explain the shortfalls)
    solved: Mapped[int] = mapped_column(Integer, default=0)
    #: the plan solved last (a factor's label or a re-solve's name)
    latest: Mapped[str | None] = mapped_column(String(255))
    #: the sweep's JSON, as `planner sweep --json` writes it
    result_json: Mapped[str | None] = mapped_column(Text, deferred=True)
    json_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))
    workbook_sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256"))


class PlanNomination(Base):
    """One nomination of a finished plan, with the official's name and unit (paginated lists)."""

    __tablename__ = "plan_nominations"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), primary_key=True)
    official_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    program: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    class_id: Mapped[str | None] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(255))
    unit: Mapped[str] = mapped_column(String(255))
    search_key: Mapped[str] = mapped_column(String(512))


class Approval(Base):
    """A year's lists approved: the nominations of that year in one plan, which is then frozen.

    One approval a year (the department has one list a year); who approved it and when.
    """

    __tablename__ = "approvals"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    nominations: Mapped[int] = mapped_column(Integer)
    approved_by: Mapped[str] = mapped_column(String(100))
    approved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class DecisionRecord(Base):
    """A manual decision (models.Decision): pin someone to a program and year, or exclude them.

    Withdrawn decisions are kept (with who and when) and no longer used by replans.
    """

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[str] = mapped_column(String(64), index=True)
    action: Mapped[str] = mapped_column(String(16))
    #: None with `exclude`: every program
    program: Mapped[str | None] = mapped_column(String(32))
    #: None with `exclude`: every year
    year: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    made_by: Mapped[str] = mapped_column(String(100))
    made_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    withdrawn_by: Mapped[str | None] = mapped_column(String(100))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AttendanceRecord(Base):
    """What became of an approved nomination (models.Attendance): completed or dropped."""

    __tablename__ = "attendance"
    official_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    program: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(16))
    #: the uploaded file's name, or "" when ticked on the page
    source: Mapped[str] = mapped_column(String(255), default="")
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class AuditEntry(Base):
    """One thing done through the application (import, save, run, stop, approve, decide), with its
    time and, where the page asks for it, who did it."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, index=True)
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str | None] = mapped_column(String(100))


class Account(Base):
    """Someone who signs in to the web application, with a role (`accounts.ROLES`). Once one account
    exists, every page asks for a signed-in account; a disabled account can no longer sign in."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    #: lower case letters, digits and . _ - (`accounts.login_name`)
    login: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    #: `accounts.hash_password`: scrypt with the account's own salt, never the password itself
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)

    @property
    def signature(self) -> str:
        """How the audit log and the year's records name this account: its name and login."""
        return self.login if self.name == self.login else f"{self.name} ({self.login})"


class SignIn(Base):
    """A browser signed in to an account: the SHA-256 of its cookie's random token (the token
    itself is never stored), the token its forms send back (CSRF), and when it ends."""

    __tablename__ = "sign_ins"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)


def default_url() -> str:
    """SQLite file `planner.db` in the current folder (next to the user's data)."""
    return f"sqlite:///{Path('planner.db').resolve()}"


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get WAL mode, a busy timeout and foreign keys."""
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000} if _sqlite(url) else {})
    if _sqlite(url):

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

    return engine


def _sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def migrate(url: str) -> None:
    """Bring the database at `url` to the newest schema (`alembic upgrade head`)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


def sessions(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def put_blob(session: Session, data: bytes) -> str:
    """Store `data` once; its SHA-256."""
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    if session.get(Blob, digest) is None:
        session.add(Blob(sha256=digest, size=len(data), data=data))
        session.flush()
    return digest


def blob_bytes(session: Session, digest: str) -> bytes:
    """The bytes stored under `digest`."""
    return session.execute(select(Blob.data).where(Blob.sha256 == digest)).scalar_one()


#: Who works at the browser the current request comes from, as last typed in a form (set per request
#: by the application; None outside a request or before anyone typed a name).
CURRENT_ACTOR: ContextVar[str | None] = ContextVar("planner_actor", default=None)


#: The account signed in to the current request's browser (`Account.signature`), None without one.
SIGNED_IN: ContextVar[str | None] = ContextVar("planner_signed_in", default=None)


def audit(session: Session, action: str, detail: str = "", actor: str | None = None) -> None:
    """Record an action in the audit log (committed with the caller's transaction), by `actor` or
    else by whoever the current request comes from (the signed-in account always, `_sign`)."""
    session.add(AuditEntry(action=action, detail=detail, actor=actor or CURRENT_ACTOR.get()))


#: The columns that say who did something, written with a new row and with a changed one.
SIGNED_WHEN_ADDED: dict[type, tuple[str, ...]] = {
    AuditEntry: ("actor",),
    Approval: ("approved_by",),
    DecisionRecord: ("made_by",),
    AttendanceRecord: ("recorded_by",),
}
SIGNED_WHEN_CHANGED: dict[type, tuple[str, ...]] = {
    DecisionRecord: ("withdrawn_by",),
    AttendanceRecord: ("recorded_by",),
}


@event.listens_for(Session, "before_flush")
def _sign(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    """With an account signed in, every row written names that account as who did it, whatever
    name a form or a JSON body carried: the name fields of the pages cannot be forged."""
    signer = SIGNED_IN.get()
    if signer is None:
        return
    changed = [(item, SIGNED_WHEN_CHANGED) for item in session.dirty if session.is_modified(item)]
    for item, columns in [*((item, SIGNED_WHEN_ADDED) for item in session.new), *changed]:
        for column in columns.get(type(item), ()):
            setattr(item, column, signer)


Row = TypeVar("Row")


def row(session: Session, model: type[Row], key: Any) -> Row:
    """The row of `model` with this primary key; LookupError when there is none (a row the caller
    knows exists: a plan's roster and scenario, the plan a job runs)."""
    found = session.get(model, key)
    if found is None:
        raise LookupError(f"no {getattr(model, '__tablename__', model.__name__)} {key!r}")
    return found
