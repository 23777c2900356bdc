"""What the pages do with the store: import a roster, save a scenario, queue a plan, read a plan back.

Each function calls the same readers, checkers and reports as the CLI (`planner.io`,
`planner.report`, `planner.analysis`); the routes only call these and lay out what they return.
"""

from __future__ import annotations

import gc
import json
import logging
import re
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models import STANDARD_PROGRAMS, Result, Roster, Scenario, SolverSettings
from planner.collector import collector_paused
from planner.io.errors import InputError, Problem
from planner.io.text import normalize_key
from planner.web.db import (
    QUEUED,
    RUNNING,
    STOPPED,
    PlanNomination,
    PlanRecord,
    RosterImport,
    RosterOfficial,
    ScenarioRecord,
    SweepRecord,
    audit,
    blob_bytes,
    put_blob,
    row,
    utc_now,
)

log = logging.getLogger(__name__)

#: The scenarios shipped with the planner (the repository's `scenarios/` folder).
SHIPPED_SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
ROSTER_SUFFIXES = (".xlsx", ".csv")
#: Rows per page of the class and slot lists.
PAGE_SIZE = 50


def problems_as_dicts(error: InputError) -> list[dict[str, Any]]:
    """Every problem of a refused input, with where it is in both languages (for tables and JSON)."""
    return [
        {
            "source": error.source,
            "sheet": p.sheet,
            "row": p.row,
            "column": p.column,
            "key": p.key,
            "line": p.line,
            "where_vi": p.where("vi"),
            "where_en": p.where("en"),
            "vi": p.message_vi,
            "en": p.message_en,
        }
        for p in error.problems
    ]


def known_programs(scenario: Scenario | None = None) -> list[str]:
    """Program codes a roster's history may name (the standard ones and the scenario's)."""
    return sorted(set(STANDARD_PROGRAMS) | {p.code for p in (scenario.programs if scenario else [])})


# --- rosters ------------------------------------------------------------------------------


@contextmanager
def uploaded_file(filename: str, data: bytes, what_vi: str, what_en: str) -> Iterator[Path]:
    """An uploaded .xlsx or .csv file's bytes as a temporary file of the same name, for the CLI's
    readers (`InputError` for another kind of file: "{what} must be an .xlsx or .csv file")."""
    name = Path(filename).name
    if Path(name).suffix.lower() not in ROSTER_SUFFIXES:
        raise InputError(
            name, [Problem(f"{what_vi} phải là .xlsx hoặc .csv", f"{what_en} must be an .xlsx or .csv file")]
        )
    with tempfile.TemporaryDirectory(prefix="planner-web-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def read_roster_bytes(filename: str, data: bytes, programs: list[str]) -> Roster:
    """Read a roster file's bytes as `planner check` reads the file (errors name the file as uploaded)."""
    from planner.io.roster import read_roster

    name = Path(filename).name
    with uploaded_file(name, data, "tệp danh sách", "a roster") as path:
        roster = read_roster(path, known_programs=programs)
    if not roster.officials:
        raise InputError(
            name,
            [
                Problem(
                    "danh sách không có cán bộ nào, chỉ có dòng tiêu đề: điền ít nhất một người rồi tải lên lại",
                    "the roster lists no officials, only the header row: fill in at least one official and "
                    "upload it again",
                )
            ],
        )
    return roster


def roster_counts(roster: Roster) -> dict[str, Any]:
    """Officials by level, category and role group (enum order), with the words for each code."""
    from planner.report.summary import _counted

    counts = {
        "by_level": _counted(o.level for o in roster.officials),
        "by_category": _counted(o.category for o in roster.officials),
        "by_role_group": _counted(o.role_group for o in roster.officials),
    }
    return {
        key: [
            {"code": m.value, "vi": m.label_in("vi"), "en": m.label_in("en"), "count": n}
            for m, n in found.items()
        ]
        for key, found in counts.items()
    }


def import_roster(session: Session, filename: str, data: bytes) -> RosterImport:
    """Keep an uploaded roster file, read and checked; refused files are kept with their problems."""
    name = Path(filename or "roster.xlsx").name
    record = RosterImport(filename=name, sha256=put_blob(session, data), size=len(data))
    try:
        roster = read_roster_bytes(name, data, known_programs())
    except InputError as error:
        record.problems_json = json.dumps(problems_as_dicts(error), ensure_ascii=False)
    else:
        record.officials = len(roster.officials)
        record.history_rows = len(roster.history)
        record.counts_json = json.dumps(roster_counts(roster), ensure_ascii=False)
    session.add(record)
    session.flush()
    if roster_accepted := record.problems_json is None:
        session.add_all(
            RosterOfficial(
                roster_id=record.id,
                official_id=o.id,
                name=o.name,
                unit=o.unit,
                position=o.position,
                search_key=normalize_key(f"{o.id} {o.name}"),
            )
            for o in roster.officials
        )
    audit(
        session,
        "roster.import",
        f"#{record.id} {name} ({len(data):,} bytes, sha256 {record.sha256[:12]}…): "
        + (f"{record.officials} officials" if roster_accepted else "refused"),
    )
    session.commit()
    return record


def accepted_rosters(session: Session) -> list[RosterImport]:
    """The rosters a plan may use (not refused), newest first."""
    statement = select(RosterImport).where(RosterImport.problems_json.is_(None))
    return list(session.scalars(statement.order_by(RosterImport.id.desc())))


def roster_file(session: Session, roster: RosterImport) -> bytes:
    """The roster file as uploaded."""
    return blob_bytes(session, roster.sha256)


def check_roster(session: Session, roster: RosterImport, scenario_record: ScenarioRecord) -> dict[str, Any]:
    """`planner check`'s figures for a roster under a scenario: eligible per program, missing data,
    what no plan can reach."""
    from planner.io.missing_data import missing_columns
    from planner.io.structure import levels_outside
    from planner.report.summary import out_of_reach, roster_summary
    from planner.solver.cohorts import build_population

    scenario = load_stored_scenario(session, scenario_record)
    data = read_roster_bytes(roster.filename, roster_file(session, roster), known_programs(scenario))
    population = build_population(data, scenario)
    summary = roster_summary(population, "vi")
    summary["labels_en"] = roster_summary(population, "en")["labels"]
    summary["missing_columns"] = [m.as_dict() for m in missing_columns(data, scenario)]
    summary["out_of_reach"] = out_of_reach(population)
    summary["levels_outside"] = [
        {"vi": found.message("vi"), "en": found.message("en")} for found in levels_outside(data, scenario)
    ]
    return summary


# --- scenarios ----------------------------------------------------------------------------


def sync_shipped_scenarios(session: Session, folder: Path = SHIPPED_SCENARIOS) -> None:
    """Add or refresh the shipped scenarios (`scenarios/*.toml`) in the store."""
    if not folder.is_dir():
        log.warning("no shipped scenarios at %s", folder)
        return
    stored = {s.filename: s for s in session.scalars(select(ScenarioRecord))}
    for path in sorted(folder.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        record = stored.get(path.name)
        if record is None:
            session.add(ScenarioRecord(filename=path.name, name=path.stem, toml=text, shipped=True))
        elif record.shipped and record.toml != text:
            record.toml = text
    session.commit()
    for record in session.scalars(select(ScenarioRecord).where(ScenarioRecord.shipped)):
        if record.name == Path(record.filename).stem:
            try:
                record.name = load_stored_scenario(session, record).name
            except InputError:
                log.warning("shipped scenario %s does not load", record.filename)
    session.commit()


@contextmanager
def scenario_folder(session: Session) -> Iterator[Path]:
    """A temporary folder holding every stored scenario by file name (so `extends` finds its base)."""
    with tempfile.TemporaryDirectory(prefix="planner-scenarios-") as folder:
        for filename, text in session.execute(select(ScenarioRecord.filename, ScenarioRecord.toml)):
            (Path(folder) / filename).write_text(text, encoding="utf-8")
        yield Path(folder)


def load_stored_scenario(session: Session, record: ScenarioRecord) -> Scenario:
    """The stored scenario, loaded as `load_scenario` loads a file (`InputError` when it does not load)."""
    from planner.io.scenario import load_scenario

    with scenario_folder(session) as folder:
        return load_scenario(folder / record.filename)


def free_scenario_filename(session: Session, filename: str) -> str:
    """A free .toml file name for a new scenario, kept close to the name given."""
    stem = re.sub(r"[^\w.-]+", "-", Path(filename or "scenario").stem).strip("-.") or "scenario"
    taken = set(session.scalars(select(ScenarioRecord.filename)))
    candidate, n = f"{stem}.toml", 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}.toml"
    return candidate


def save_scenario(session: Session, filename: str, text: str, note: str = "") -> ScenarioRecord:
    """Validate TOML text with the scenario loader and save it under a free name (`InputError` if
    refused); `note` goes into the audit log (where the text comes from)."""
    from planner.io.scenario import load_scenario

    name = free_scenario_filename(session, filename)
    with scenario_folder(session) as folder:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        try:
            scenario = load_scenario(path)
        except InputError as error:
            raise InputError(Path(filename or name).name, error.problems) from None
    record = ScenarioRecord(filename=name, name=scenario.name, toml=text, shipped=False)
    session.add(record)
    session.flush()
    audit(session, "scenario.save", f"#{record.id} {name}: {scenario.name}" + (f" ({note})" if note else ""))
    session.commit()
    return record


# --- plans --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanRequest:
    """What a plan is started with: inputs and the CLI's solver options."""

    roster_id: int
    scenario_id: int
    time_limit: float | None = None  # the default for the roster's size (`default_time_limit`)
    workers: int = 1
    seed: int = 0
    gap: float = 0.001


def solver_settings(options: Any, problems: list[Problem]) -> SolverSettings | None:
    """The solver settings of a request (its time_limit, workers, seed, gap), or None with a problem
    per refused option added to `problems`, keyed by the option."""
    from pydantic import ValidationError

    try:
        return SolverSettings(
            time_limit=options.time_limit, workers=options.workers, seed=options.seed, gap=options.gap
        )
    except ValidationError as error:
        problems += [
            Problem(f"tùy chọn không hợp lệ: {e['msg']}", f"invalid option: {e['msg']}", key=str(e["loc"][0]))
            for e in error.errors()
        ]
        return None


def queue_plan(session: Session, request: PlanRequest) -> PlanRecord:
    """Queue a plan job (`InputError` when the roster was refused or an id or option is wrong)."""
    roster = session.get(RosterImport, request.roster_id)
    scenario = session.get(ScenarioRecord, request.scenario_id)
    problems = []
    if roster is None or roster.problems_json is not None:
        problems.append(
            Problem(
                f"không có danh sách hợp lệ số {request.roster_id}",
                f"no accepted roster #{request.roster_id}",
            )
        )
    if scenario is None:
        problems.append(
            Problem(f"không có kịch bản số {request.scenario_id}", f"no scenario #{request.scenario_id}")
        )
    settings = solver_settings(request, problems)
    if problems or roster is None or scenario is None or settings is None:
        raise InputError("plan", problems)
    settings = settings.for_roster(roster.officials or 0)
    options = {**settings.model_dump(), "method": "cpsat", "budget_factor": None}
    plan = PlanRecord(roster_id=roster.id, scenario_id=scenario.id, options_json=json.dumps(options))
    session.add(plan)
    session.flush()
    audit(session, "plan.start", f"#{plan.id}: roster #{roster.id}, scenario {scenario.filename}, {options}")
    session.commit()
    return plan


def request_stop(session: Session, job: PlanRecord | SweepRecord) -> None:
    """Ask a job (a plan, a sweep) to stop: a queued one stops at once, a running one keeps what it
    has found so far (the best plan, the factors solved)."""
    if job.status == QUEUED:
        job.status, job.finished_at = STOPPED, utc_now()
    elif job.status == RUNNING:
        job.stop_requested = True
    audit(session, f"{'sweep' if isinstance(job, SweepRecord) else 'plan'}.stop", f"#{job.id}")
    session.commit()


def plan_summary_of(plan: PlanRecord) -> dict[str, Any] | None:
    """The plan's summary.json, once written."""
    return json.loads(plan.summary_json) if plan.summary_json else None


#: One plan's facts built at a time: a page asking while they are built waits for them.
_FACTS_LOCK = threading.Lock()


def plan_facts(url: str, plan_id: int) -> tuple[Any, Result]:
    """The roster's facts under the plan's scenario (`build_population`), and the plan: kept for the
    next look at the same plan (explain, units, compare)."""
    with _FACTS_LOCK:
        return _plan_facts(url, plan_id)


@lru_cache(maxsize=4)
def _plan_facts(url: str, plan_id: int) -> tuple[Any, Result]:
    """`plan_facts`, built once. The collector is paused while they are built and leaves them out of
    its scans afterwards (`gc.freeze`): at 150,000 officials its full passes over them took 0.5-0.7 s
    every few requests (benchmarks/RESULTS.md, "Web pages at 150,000 officials")."""
    from planner.solver.cohorts import build_population
    from planner.web.db import make_engine, sessions

    engine = make_engine(url)
    try:
        with collector_paused():
            with sessions(engine)() as session:
                plan = row(session, PlanRecord, plan_id)
                data, scenario = plan_inputs(session, plan)
                result = plan_result(plan)
            facts = build_population(data, scenario), result
    finally:
        engine.dispose()
    gc.freeze()
    return facts


def warm_plan_facts(url: str, plan_id: int) -> None:
    """Build a finished plan's facts in the background (10 s at 150,000 officials), so that the
    pages that need them (by unit, explain, compare) answer at once when the user gets there."""

    def build() -> None:
        try:
            plan_facts(url, plan_id)
        except Exception:  # the page that needs them builds them again and shows what went wrong
            log.debug("plan %d: facts not built in the background", plan_id, exc_info=True)

    threading.Thread(target=build, name=f"plan-facts-{plan_id}", daemon=True).start()


def plan_files(session: Session, plan: PlanRecord) -> tuple[RosterImport, ScenarioRecord, Scenario, bytes]:
    """A plan's roster import, scenario record, scenario and roster file, as its jobs read them."""
    record = row(session, RosterImport, plan.roster_id)
    scenario_record = row(session, ScenarioRecord, plan.scenario_id)
    return (
        record,
        scenario_record,
        load_stored_scenario(session, scenario_record),
        roster_file(session, record),
    )


def plan_inputs(session: Session, plan: PlanRecord) -> tuple[Roster, Scenario]:
    """The plan's roster and scenario as the plan's job solved with them (a replan's roster with the
    completed training it recorded)."""
    from planner.web.year import replanning

    record, _, scenario, data = plan_files(session, plan)
    roster = read_roster_bytes(record.filename, data, known_programs(scenario))
    replan = replanning(session, plan, roster)
    return (replan.roster if replan else roster), scenario


def plan_result(plan: PlanRecord) -> Result:
    """A finished plan's Result (LookupError while it has none)."""
    if plan.result_json is None:
        raise LookupError(f"plan {plan.id} has no result yet")
    return Result.model_validate_json(plan.result_json)


def explain(url: str, plan: PlanRecord, official_id: str) -> dict[str, list[str]]:
    """`planner explain` for one official of a finished plan, in Vietnamese and English."""
    from planner.analysis.reasons import explain_official

    population, result = plan_facts(url, plan.id)
    return {lang: explain_official(population, result, official_id, lang=lang) for lang in ("vi", "en")}


def unit_figures(url: str, plan: PlanRecord, query: str = "", program: str = "") -> list[dict[str, Any]]:
    """Per unit whose name holds every word of `query` (accents ignored): staff, the cap on people away
    on multi-year programs, and per plan year the people sent (to `program`, or to any) and away."""
    from planner.report.report import Report

    population, result = plan_facts(url, plan.id)
    report = Report(population, result)
    years = population.scenario.years
    words = normalize_key(query).split()
    units = sorted(
        (u for u in population.unit_staff if all(w in normalize_key(u) for w in words)),
        key=lambda u: (normalize_key(u), u),
    )
    sent: Counter[tuple[str, int]] = Counter()
    for (unit, code, year), count in report.sent_by_unit.items():
        if not program or code == program:
            sent[unit, year] += count
    return [
        {
            "unit": unit,
            "staff": population.unit_staff[unit],
            "cap": population.away_cap(unit),
            "years": [
                {"year": y, "sent": sent[unit, y], "away": report.away_by_unit[unit, y]} for y in years
            ],
        }
        for unit in units
    ]


@dataclass(frozen=True)
class LookUp:
    """A person searched on a plan: the officials the words match, the one chosen and why they are or
    are not on each list (`explain`), once one is chosen and the plan has a result."""

    found: list[RosterOfficial]
    official_id: str
    explained: dict[str, list[str]] | None


def look_up(session: Session, url: str, plan: PlanRecord, query: str = "", official_id: str = "") -> LookUp:
    """Search the plan's roster (accents and case ignored) unless an id is given; one match, or an
    exact id among the matches, is explained."""
    found = find_officials(session, plan.roster_id, query) if query and not official_id else []
    exact = [o for o in found if o.official_id.casefold() == query.strip().casefold()]
    if len(found) == 1 or exact:
        official_id = (exact or found)[0].official_id
    explained = None
    if official_id and plan.result_json:
        try:
            explained = explain(url, plan, official_id)
        except ValueError:  # not on the plan's roster
            explained = None
    return LookUp(found, official_id, explained)


def look_up_json(session: Session, plan: PlanRecord, found: LookUp) -> dict[str, Any] | None:
    """A look-up as the API answers it: the person explained with their nominations in the plan, or
    the people the words match; None when nobody matches."""
    if found.explained is not None:
        official = session.get(RosterOfficial, (plan.roster_id, found.official_id))
        nominations = session.scalars(
            select(PlanNomination).where(
                PlanNomination.plan_id == plan.id, PlanNomination.official_id == found.official_id
            )
        )
        return {
            "official_id": found.official_id,
            "name": official.name if official else "",
            "unit": official.unit if official else "",
            "nominations": [
                {"program": n.program, "year": n.year, "class_id": n.class_id} for n in nominations
            ],
            "lines": found.explained,
        }
    if found.found:
        fields = ("official_id", "name", "unit", "position")
        return {"matches": [{f: getattr(o, f) for f in fields} for o in found.found]}
    return None


def find_officials(session: Session, roster_id: int, query: str, limit: int = 20) -> list[RosterOfficial]:
    """Officials of a roster whose id or name contains every word of `query`, accents and case ignored."""
    words = normalize_key(query).split()
    if not words:
        return []
    statement = select(RosterOfficial).where(RosterOfficial.roster_id == roster_id)
    for word in words:
        statement = statement.where(RosterOfficial.search_key.contains(word, autoescape=True))
    return list(session.scalars(statement.order_by(RosterOfficial.official_id).limit(limit)))


@dataclass(frozen=True)
class ListPage:
    """One page of a plan's nominations, filtered."""

    rows: list[PlanNomination]
    total: int
    page: int
    pages: int


def nominations_page(
    session: Session,
    plan_id: int,
    program: str = "",
    year: int | None = None,
    class_id: str = "",
    query: str = "",
    page: int = 1,
) -> ListPage:
    """The plan's nominations by year, program, class and name, filtered, `PAGE_SIZE` a page."""
    statement = select(PlanNomination).where(PlanNomination.plan_id == plan_id)
    if program:
        statement = statement.where(PlanNomination.program == program)
    if year:
        statement = statement.where(PlanNomination.year == year)
    if class_id:
        statement = statement.where(PlanNomination.class_id == class_id)
    for word in normalize_key(query).split():
        statement = statement.where(PlanNomination.search_key.contains(word, autoescape=True))
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    rows = session.scalars(
        statement.order_by(
            PlanNomination.year, PlanNomination.program, PlanNomination.class_id, PlanNomination.name
        )
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    return ListPage(list(rows), total, page, pages)


def plan_groups(session: Session, plan_id: int) -> list[dict[str, Any]]:
    """Classes and slot lists of a plan: program, year, class (None for slots) and people."""
    rows = session.execute(
        select(PlanNomination.program, PlanNomination.year, PlanNomination.class_id, func.count())
        .where(PlanNomination.plan_id == plan_id)
        .group_by(PlanNomination.program, PlanNomination.year, PlanNomination.class_id)
        .order_by(PlanNomination.year, PlanNomination.program, PlanNomination.class_id)
    )
    return [{"program": p, "year": y, "class_id": c, "people": n} for p, y, c, n in rows]


def store_nominations(session: Session, plan_id: int, roster: Roster, result: Result) -> None:
    """Keep the plan's nominations with names and units, for the paginated lists."""
    officials = {o.id: o for o in roster.officials}
    session.execute(delete(PlanNomination).where(PlanNomination.plan_id == plan_id))
    session.add_all(
        PlanNomination(
            plan_id=plan_id,
            official_id=n.official_id,
            program=n.program,
            year=n.year,
            class_id=n.class_id,
            name=officials[n.official_id].name,
            unit=officials[n.official_id].unit,
            search_key=normalize_key(f"{n.official_id} {officials[n.official_id].name}"),
        )
        for n in result.nominations
    )


def status_counts(session: Session) -> Counter[str]:
    """Plans per status (for the home page)."""
    return Counter(dict(session.execute(select(PlanRecord.status, func.count()).group_by(PlanRecord.status))))
