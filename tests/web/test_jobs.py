"""The job runner: a plan or sweep a previous server left running is marked failed at the next start."""

from __future__ import annotations

import json
from pathlib import Path

from planner.web.db import (
    FAILED,
    RUNNING,
    PlanRecord,
    RosterImport,
    ScenarioRecord,
    SweepRecord,
    make_engine,
    migrate,
    put_blob,
    sessions,
)
from planner.web.jobs import JobRunner


def test_a_plan_and_a_sweep_left_running_are_marked_failed_at_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    migrate(url)
    engine = make_engine(url)
    with sessions(engine)() as session:
        roster = RosterImport(filename="r.xlsx", sha256=put_blob(session, b"x"), size=1, officials=1)
        scenario = ScenarioRecord(filename="s.toml", name="s", toml="")
        session.add_all([roster, scenario])
        session.flush()
        plan = PlanRecord(roster_id=roster.id, scenario_id=scenario.id, options_json="{}", status=RUNNING)
        session.add(plan)
        session.flush()
        sweep = SweepRecord(plan_id=plan.id, options_json="{}", status=RUNNING)
        session.add(sweep)
        session.commit()
        plan_id, sweep_id = plan.id, sweep.id
    runner = JobRunner(url, max_jobs=1)
    runner.start()
    runner.shutdown()
    with sessions(engine)() as session:
        plan = session.get(PlanRecord, plan_id)
        assert plan.status == FAILED
        error = json.loads(plan.error_json)
        assert "máy chủ đã dừng" in error["vi"] and "server stopped" in error["en"]
        sweep = session.get(SweepRecord, sweep_id)
        assert sweep.status == FAILED and "this sweep was solving" in json.loads(sweep.error_json)["en"]
    engine.dispose()
