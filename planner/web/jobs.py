"""Jobs: each plan (or budget sweep, `planner.web.sweeps`) solved in its own spawned process, its
progress and outputs written to its row.

The server's `JobRunner` starts queued jobs (at most `max_jobs` at once, one job a process) and
marks a job failed when its process ends without finishing it. A plan's worker (`run_job`) reads the
inputs from the store, runs what `planner plan` runs (read, group, solve, check, summarise, write
the workbook, CSV and JSON) and stores the files. Stop: the server sets the plan's
`stop_requested`; the worker's watcher thread sees it and interrupts the solve in the worker's main
thread as Ctrl-C does on the console, so the solver keeps the best plan found so far.
"""

from __future__ import annotations

import _thread
import json
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from models import Result, SolverSettings, Text
from planner.io.errors import InputError
from planner.web.db import (
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    STOPPED,
    PlanRecord,
    ScenarioRecord,
    SweepRecord,
    audit,
    make_engine,
    put_blob,
    row,
    sessions,
    utc_now,
)

log = logging.getLogger(__name__)

#: Seconds between two looks of the server at its jobs, and of a worker at its stop flag.
POLL_SECONDS = 0.3


def error_json(vi: str, en: str, problems: list[dict[str, Any]] | None = None) -> str:
    """A failed plan's message in both languages, with the input's problems when it was refused."""
    return json.dumps({"vi": vi, "en": en, "problems": problems or []}, ensure_ascii=False)


@dataclass(frozen=True)
class JobKind:
    """A kind of job: its table (rows with `db.JobState`) and the `Worker` a spawned process runs for
    one of its rows (None: a plan's)."""

    name: str
    #: what the Vietnamese messages call it
    name_vi: str
    table: Any
    worker: type[Worker] | None = None


def job_kinds() -> list[JobKind]:
    """Plans, then budget sweeps (`planner.web.sweeps`)."""
    from planner.web.sweeps import SweepJob

    return [
        JobKind("plan", "kế hoạch", PlanRecord),
        JobKind("sweep", "lượt quét dự toán", SweepRecord, SweepJob),
    ]


class JobRunner:
    """Starts queued jobs (plans, sweeps) in spawned processes, one job each, at most `max_jobs` at a time."""

    def __init__(self, url: str, max_jobs: int | None = None) -> None:
        self.url = url
        self.max_jobs = max_jobs or max(1, (os.cpu_count() or 2) // 2)
        self.engine = make_engine(url)
        self.sessions = sessions(self.engine)
        self.kinds = job_kinds()
        self.processes: dict[tuple[str, int], multiprocessing.process.BaseProcess] = {}
        self._context = multiprocessing.get_context("spawn")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Mark jobs a previous server left running as failed, then start watching the queue."""
        with self.sessions() as session:
            for kind in self.kinds:
                session.execute(
                    update(kind.table)
                    .where(kind.table.status == RUNNING)
                    .values(
                        status=FAILED,
                        finished_at=utc_now(),
                        error_json=error_json(
                            f"máy chủ đã dừng khi {kind.name_vi} này đang giải: hãy chạy lại",
                            f"the server stopped while this {kind.name} was solving: run it again",
                        ),
                    )
                )
            session.commit()
        self._thread = threading.Thread(target=self._watch, name="planner-jobs", daemon=True)
        self._thread.start()

    def shutdown(self) -> None:
        """Stop watching; end the worker processes still solving (their jobs are marked failed at the next start)."""
        self._stop.set()
        if self._thread:
            self._thread.join()
        for process in self.processes.values():
            process.terminate()
            process.join(5)
        self.engine.dispose()

    def _watch(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            try:
                self.tick()
            except Exception:  # the queue is looked at again on the next tick
                log.exception("job runner")

    def tick(self) -> None:
        """Reap ended workers, then start queued jobs (oldest first, plans before sweeps) while there is room."""
        tables = {kind.name: kind.table for kind in self.kinds}
        with self.sessions() as session:
            for key, process in list(self.processes.items()):
                if process.is_alive():
                    continue
                process.join()
                del self.processes[key]
                job = session.get(tables[key[0]], key[1])
                if job is not None and job.status in (QUEUED, RUNNING):
                    job.status, job.finished_at = FAILED, utc_now()
                    job.error_json = error_json(
                        f"tiến trình giải kết thúc bất thường (mã {process.exitcode})",
                        f"the solving process ended unexpectedly (exit code {process.exitcode})",
                    )
                    session.commit()
            for kind in self.kinds:
                room = self.max_jobs - len(self.processes)
                if room <= 0:
                    return
                running = [job_id for name, job_id in self.processes if name == kind.name]
                queued = session.scalars(
                    select(kind.table.id)
                    .where(kind.table.status == QUEUED, kind.table.id.not_in(running))
                    .order_by(kind.table.id)
                    .limit(room)
                )
                for job_id in list(queued):
                    process = self._context.Process(
                        target=run_job,
                        args=(self.url, job_id, kind.worker),
                        name=f"planner-{kind.name}-{job_id}",
                        daemon=True,
                    )
                    process.start()
                    self.processes[kind.name, job_id] = process


def run_job(url: str, job_id: int, worker: type[Worker] | None = None) -> None:
    """A worker process: do job `job_id` of the store at `url` (a plan unless `worker` says another
    kind) and keep its outputs there."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    engine = make_engine(url)
    try:
        (worker or _Job)(sessions(engine), job_id).run()
    finally:
        engine.dispose()


class Worker:
    """One job solved in this process, its progress and stop flag watched by a second thread.

    A subclass names its `table` and `kind`, does the job in `work` and writes its progress to the
    job's row in `report`. Stop: the watcher sees the row's `stop_requested` and interrupts the main
    thread as Ctrl-C does (only while `solving`: the solver then keeps its best plan so far).
    """

    table: Any
    kind: str

    def __init__(self, make_session: sessionmaker[Session], job_id: int) -> None:
        self.sessions, self.job_id = make_session, job_id
        self.started = time.monotonic()
        self.solving = False
        self.stop_seen = False
        self.done = threading.Event()

    def run(self) -> None:
        """Do the job if it is still queued; its status, error and time at the end."""
        with self.sessions() as session:
            job = row(session, self.table, self.job_id)
            if job.status != QUEUED:
                return
            job.status, job.started_at, job.stage = RUNNING, utc_now(), "reading"
            session.commit()
        signal.signal(signal.SIGINT, self._interrupt)
        watcher = threading.Thread(target=self._watch, name="planner-job-watch", daemon=True)
        watcher.start()
        try:
            self.work()
        except InputError as error:
            from planner.web.services import problems_as_dicts

            self._finish(
                FAILED,
                error=error_json(
                    "dữ liệu đầu vào bị từ chối", "the input was refused", problems_as_dicts(error)
                ),
            )
        except KeyboardInterrupt:  # stopped before the solver had a plan to keep
            self._finish(STOPPED)
        except Exception as error:
            log.exception("%s %s failed", self.kind, self.job_id)
            self._finish(
                FAILED,
                error=error_json(
                    f"lỗi nội bộ: {error!r}",
                    f"internal error: {error!r}",
                    [{"vi": "", "en": traceback.format_exc(), "where_vi": "", "where_en": ""}],
                ),
            )
        finally:
            self.done.set()
            watcher.join()

    def work(self) -> None:
        """Do the job (raise InputError for refused input, KeyboardInterrupt when stopped with nothing kept)."""
        raise NotImplementedError

    def report(self, job: Any) -> None:
        """Write the progress made since the last look to the job's row."""

    def _interrupt(self, _signum: int, _frame: Any) -> None:
        """SIGINT (sent by the watcher when a stop is asked): Ctrl-C for the solver, ignored otherwise."""
        if self.solving:
            raise KeyboardInterrupt

    def _watch(self) -> None:
        """Write the progress to the job's row; on a stop request, interrupt the solve."""
        while not self.done.wait(POLL_SECONDS):
            with self.sessions() as session:
                job = row(session, self.table, self.job_id)
                self.report(job)
                job.elapsed = round(time.monotonic() - self.started, 1)
                stop = job.stop_requested
                session.commit()
            if stop and not self.stop_seen:
                self.stop_seen = True
                self.request_stop()

    def request_stop(self) -> None:
        """Stop the solve as Ctrl-C does (the signal `_interrupt` takes while solving)."""
        _thread.interrupt_main(signal.SIGINT)

    def _stage(self, stage: str) -> None:
        with self.sessions() as session:
            row(session, self.table, self.job_id).stage = stage
            session.commit()

    def _finish(self, status: str, error: str | None = None) -> None:
        with self.sessions() as session:
            job = row(session, self.table, self.job_id)
            job.status, job.finished_at, job.stage = status, utc_now(), None
            job.elapsed = round(time.monotonic() - self.started, 1)
            job.error_json = error
            audit(session, f"{self.kind}.{status}", f"#{job.id}")
            session.commit()


class _Job(Worker):
    """One plan solved in this process."""

    table = PlanRecord
    kind = "plan"

    def __init__(self, make_session: sessionmaker[Session], plan_id: int) -> None:
        super().__init__(make_session, plan_id)
        self.plan_id = plan_id
        self.latest: tuple[str, float, float] | None = None  # level, value, bound
        self.written: tuple[str, float, float] | None = None
        #: Set on a stop request: the solver ends its search at its next check and keeps its best
        #: plan, and says so only if the stop cut a level (no signal landing in naming or writing).
        self.stop = threading.Event()

    def request_stop(self) -> None:
        self.stop.set()

    def report(self, job: Any) -> None:
        latest = self.latest
        if latest is not None and latest != self.written:
            level, value, bound = latest
            job.level, job.value, job.bound = level, value, bound
            job.gap = abs(value - bound) / max(abs(value), abs(bound), 1e-9) if value != bound else 0.0
            self.written = latest

    def work(self) -> None:
        self._solve_and_store()

    def _progress(self, level: str, _elapsed: float, value: float, bound: float) -> None:
        self.latest = (level, value, bound)

    def _solve_and_store(self) -> None:
        from planner.analysis.check import assert_valid
        from planner.io.missing_data import missing_column_notes
        from planner.io.structure import levels_outside
        from planner.solver.cohorts import build_population
        from planner.solver.solve import STOPPED_NOTE, solve
        from planner.web.services import known_programs, plan_files, read_roster_bytes
        from planner.web.year import replanning

        with self.sessions() as session:
            plan = row(session, PlanRecord, self.plan_id)
            options = json.loads(plan.options_json)
            record, scenario_record, scenario, roster_bytes = plan_files(session, plan)
        roster = read_roster_bytes(record.filename, roster_bytes, known_programs(scenario))
        with self.sessions() as session:
            replan = replanning(session, row(session, PlanRecord, self.plan_id), roster)
        if replan is not None:
            roster = replan.roster
        self._stage("grouping")
        population = build_population(roster, scenario)
        level_notes = [Text(f.message("vi"), f.message("en")) for f in levels_outside(roster, scenario)]
        settings = SolverSettings(
            **{k: v for k, v in options.items() if k not in ("method", "budget_factor")}
        )
        self._stage("solving")
        result = None
        self.solving = True
        try:
            if not self.stop_seen:  # a stop asked before the solve: nothing to keep
                result = solve(
                    roster,
                    scenario,
                    settings,
                    method=options["method"],
                    progress=self._progress,
                    population=population,
                    stop=self.stop,
                    **(replan.arguments if replan else {}),
                )
        finally:
            self.solving = False
        if result is None:
            raise KeyboardInterrupt
        result = result.model_copy(
            update={"notes": [*missing_column_notes(roster, scenario), *level_notes, *result.notes]}
        )
        stopped = STOPPED_NOTE in result.notes or any(level.stopped_by_user for level in result.levels)
        self._stage("writing")
        approved = replan.arguments["approved"] if replan else []
        assert_valid(
            roster,
            population.scenario,
            result.nominations,
            result.classes,
            {n.class_id for n in approved if n.class_id},
        )
        files = write_outputs(
            roster, population, result, record.filename, roster_bytes, scenario_record, options, stopped
        )
        self._store(roster, result, files, stopped)

    def _store(self, roster: Any, result: Result, files: dict[str, bytes], stopped: bool) -> None:
        from planner.web.services import store_nominations

        with self.sessions() as session:
            plan = row(session, PlanRecord, self.plan_id)
            plan.csv_sha256 = put_blob(session, files["csv"])
            plan.json_sha256 = put_blob(session, files["json"])
            plan.workbook_sha256 = put_blob(session, files["workbook"])
            plan.summary_json = files["json"].decode("utf-8")
            plan.result_json = result.model_dump_json()
            store_nominations(session, plan.id, roster, result)
            session.commit()
        self._finish(STOPPED if stopped else DONE)


def write_outputs(
    roster: Any,
    population: Any,
    result: Result,
    roster_name: str,
    roster_bytes: bytes,
    scenario: ScenarioRecord,
    options: dict[str, Any],
    interrupted: bool,
) -> dict[str, bytes]:
    """Write a checked plan's workbook, CSV and JSON as `planner plan` does; their bytes."""
    import tempfile

    from planner.io import export
    from planner.report.summary import plan_summary
    from planner.report.workbook import write_workbook

    summary = {**plan_summary(population, result), "interrupted": interrupted}
    with tempfile.TemporaryDirectory(prefix="planner-plan-") as folder:
        inputs = input_files(Path(folder), roster_name, roster_bytes, scenario)
        out = Path(folder) / "out"
        out.mkdir()
        run_options = {**options, "lang": "vi", "run_at": time.strftime("%Y-%m-%d %H:%M:%S")}
        write_workbook(
            out / "plan.xlsx",
            roster,
            population.scenario,
            result,
            population,
            inputs=inputs,
            options=run_options,
            lang="vi",
        )
        export.write_nominations_csv(result.nominations, out / "nominations.csv")
        export.write_json(summary, out / "summary.json")
        return {
            "workbook": (out / "plan.xlsx").read_bytes(),
            "csv": (out / "nominations.csv").read_bytes(),
            "json": (out / "summary.json").read_bytes(),
        }


def input_files(
    folder: Path, roster_name: str, roster_bytes: bytes, scenario: ScenarioRecord
) -> dict[str, Path]:
    """The roster and scenario written into `folder` under their own names, for a workbook's inputs
    sheet (which names, sizes and hashes them as for the CLI's files)."""
    inputs = {"roster": folder / Path(roster_name).name, "scenario": folder / scenario.filename}
    inputs["roster"].write_bytes(roster_bytes)
    inputs["scenario"].write_text(scenario.toml, encoding="utf-8")
    return inputs
