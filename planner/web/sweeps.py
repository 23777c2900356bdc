"""Budget sweeps as jobs: `planner sweep` on a finished plan's roster and scenario, run by the job runner.

`queue_sweep` checks the factors and options as the CLI does and queues a sweep row; the runner
starts a `SweepJob` in a spawned process (`jobs.run_job`), which calls the same `analysis.compare.sweep` on a pool
that solves in that process (one job, one process), counts the plans solved into the row, and
writes the sweep's workbook (`report.workbook.write_sweep`) and JSON as `planner sweep --out --json`
write them. Stop interrupts the sweep as Ctrl-C does: the factors solved so far are kept.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from models import SolverSettings
from planner.io.errors import InputError, Problem
from planner.web.db import (
    DONE,
    STOPPED,
    PlanRecord,
    ScenarioRecord,
    SweepRecord,
    audit,
    put_blob,
    row,
)
from planner.web.jobs import Worker, input_files

SOURCE = "quét dự toán / budget sweep"


@dataclass(frozen=True)
class SweepRequest:
    """What a sweep is started with: the plan, the factors as typed, and the CLI's options."""

    plan_id: int
    factors: str
    max_resolves: int = 0
    time_limit: float = 10.0
    workers: int = 1
    seed: int = 0
    gap: float = 0.001


def queue_sweep(session: Session, request: SweepRequest) -> SweepRecord:
    """Queue a sweep of a finished plan's roster and scenario (`InputError` naming the field when the
    plan, the factors or an option is refused, or the scenario has no budget to scale)."""
    from planner.analysis.compare import factor_label, has_budget, parse_factor_range
    from planner.web.services import load_stored_scenario, solver_settings

    plan = session.get(PlanRecord, request.plan_id)
    problems = []
    if plan is None or plan.result_json is None:
        problems.append(
            Problem(
                f"kế hoạch #{request.plan_id} không có hoặc chưa giải xong",
                f"plan #{request.plan_id} does not exist or is not finished",
                key="plan_id",
            )
        )
    elif not has_budget(load_stored_scenario(session, row(session, ScenarioRecord, plan.scenario_id))):
        problems.append(
            Problem(
                "kịch bản của kế hoạch không có dự toán để nhân hệ số",
                "the plan's scenario sets no budget to scale",
                key="scenario",
            )
        )
    factors: list[float] = []
    try:
        factors = parse_factor_range(request.factors)
    except ValueError as error:
        problems.append(
            Problem(
                f"các hệ số dự toán không hợp lệ ({error}): ghi bắt đầu:kết thúc:bước, ví dụ 0.5:1.5:0.1, "
                "hoặc một danh sách, ví dụ 0.8,1,1.2 (mỗi hệ số từ 0 trở lên)",
                str(error),
                key="factors",
            )
        )
    if not (isinstance(request.max_resolves, int) and 0 <= request.max_resolves <= 1000):
        problems.append(
            Problem(
                "số lần giải lại phải từ 0 đến 1000",
                "max_resolves must be from 0 to 1000",
                key="max_resolves",
            )
        )
    settings = solver_settings(request, problems)
    if problems or plan is None or settings is None:
        raise InputError(SOURCE, problems)
    options = {**settings.model_dump(), "factors": factors, "max_resolves": request.max_resolves}
    sweep = SweepRecord(plan_id=plan.id, options_json=json.dumps(options))
    session.add(sweep)
    session.flush()
    labels = ", ".join(factor_label(f) for f in factors)
    audit(session, "sweep.start", f"#{sweep.id}: plan #{plan.id}, {labels}, {options}")
    session.commit()
    return sweep


def most_plans(options: dict[str, Any]) -> int:
    """The most plans a sweep solves: its factors, the plan at ×1 when they lack it, the re-solves."""
    factors = options["factors"]
    return len(factors) + (0 if 1.0 in factors else 1) + options["max_resolves"]


def sweep_result(sweep: SweepRecord) -> dict[str, Any] | None:
    """The sweep's figures (its JSON), once written."""
    return json.loads(sweep.result_json) if sweep.result_json else None


class SweepJob(Worker):
    """One sweep run in this process: `analysis.compare.sweep` on a pool that solves here."""

    table = SweepRecord
    kind = "sweep"

    def __init__(self, make_session: sessionmaker[Session], sweep_id: int) -> None:
        super().__init__(make_session, sweep_id)
        self.solved = 0
        self.latest: str | None = None
        #: A stop was asked: the sweep ends at the latest when the factor being solved is done.
        self.stop_asked = False

    def report(self, job: Any) -> None:
        job.solved, job.latest = self.solved, self.latest

    def request_stop(self) -> None:
        # the pool ends the sweep after a factor whose solve heard the stop (`Result.stop`), also
        # one landing while the factor's whole plan is named; this flag is a second guard
        self.stop_asked = True
        super().request_stop()

    def _done(self, name: str, _solved: Any) -> None:
        self.solved += 1
        self.latest = name
        if self.stop_asked:
            raise KeyboardInterrupt  # the sweep keeps the factors done, this one included

    def work(self) -> None:
        from planner.analysis.compare import ScenarioPool, sweep
        from planner.web.services import known_programs, plan_files, read_roster_bytes

        with self.sessions() as session:
            job = row(session, SweepRecord, self.job_id)
            options = json.loads(job.options_json)
            record, scenario_record, scenario, roster_bytes = plan_files(
                session, row(session, PlanRecord, job.plan_id)
            )
        roster = read_roster_bytes(record.filename, roster_bytes, known_programs(scenario))
        settings = SolverSettings(
            **{k: v for k, v in options.items() if k not in ("factors", "max_resolves")}
        )
        self._stage("solving")
        self.solving = True
        try:
            if self.stop_seen:  # a stop asked before the sweep: nothing to keep
                raise KeyboardInterrupt
            with ScenarioPool(roster, settings, jobs=1) as pool:
                result = sweep(pool, scenario, options["factors"], options["max_resolves"], self._done)
        finally:
            self.solving = False
        self._stage("writing")
        files = sweep_outputs(result, record.filename, roster_bytes, scenario_record, options)
        with self.sessions() as session:
            job = row(session, SweepRecord, self.job_id)
            job.json_sha256 = put_blob(session, files["json"])
            job.workbook_sha256 = put_blob(session, files["workbook"])
            job.result_json = files["json"].decode("utf-8")
            job.solved, job.latest = self.solved, self.latest
            session.commit()
        self._finish(STOPPED if result["interrupted"] else DONE)


def sweep_outputs(
    result: dict[str, Any],
    roster_name: str,
    roster_bytes: bytes,
    scenario: ScenarioRecord,
    options: dict[str, Any],
) -> dict[str, bytes]:
    """The sweep's workbook and JSON as `planner sweep --out --json` writes them (one job, this process)."""
    from planner.analysis.compare import factor_label
    from planner.io.export import write_json
    from planner.report.workbook import write_sweep

    settings = {k: v for k, v in options.items() if k not in ("factors", "max_resolves")}
    run_options = {
        **settings,
        "jobs": 1,
        "executor": "local",
        "budget": [factor_label(f) for f in options["factors"]],
        "max_resolves": options["max_resolves"],
        "run_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    with tempfile.TemporaryDirectory(prefix="planner-sweep-") as folder:
        inputs = input_files(Path(folder), roster_name, roster_bytes, scenario)
        out = Path(folder) / "out"
        out.mkdir()
        write_sweep(out / "sweep.xlsx", result, inputs=inputs, options=run_options, lang="vi")
        write_json(result, out / "sweep.json")
        return {"workbook": (out / "sweep.xlsx").read_bytes(), "json": (out / "sweep.json").read_bytes()}
