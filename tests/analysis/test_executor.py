"""The executor seam: local pool and a 2-worker Dask LocalCluster give the same plans; workers that die; Ctrl-C."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask
import pytest
from click.testing import CliRunner, Result

from cli import main
from planner.analysis import executor as executor_module
from planner.analysis.compare import ScenarioPool, sweep
from planner.analysis.executor import (
    LOCAL,
    ExecutorChoice,
    ExecutorError,
    TaskEvent,
    TasksInterrupted,
    WorkerLost,
    open_backend,
    parse_executor,
    run_tasks,
)
from planner.io.export import write_nominations_csv, write_roster
from planner.io.scenario import load_scenario
from planner.sample import generate_roster
from planner.solver.stop import stop_event
from tests.analysis.test_compare import SETTINGS, SMALL, _duty_scenario, compare_small, small_files
from tests.factories import roster

SCENARIOS = Path(__file__).parents[2] / "scenarios"
DASK = ExecutorChoice("dask")


def _run(*args: Any) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


# --- tasks the tests run (module level: a worker imports them by name) ----------------------------------


def slow_sum(shared: int, item: tuple[int, float]) -> int:
    """shared + value, after a nap long enough to kill the worker in the middle of it."""
    value, nap = item
    time.sleep(nap)
    return shared + value


def waits_for_stop(marker: str, _item: int) -> bool:
    """Waits up to a minute for its run's stop (as a solve polls it), then says which came first."""
    stop = stop_event()
    stopped = stop is not None and stop.wait(60)
    Path(marker).write_text("stopped" if stopped else "not stopped", encoding="utf-8")
    return stopped


def dies(shared: int, item: int) -> int:
    """Ends the process running it (as a crash or an out-of-memory kill would)."""
    os._exit(3)


# --- choosing the executor ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "address"),
    [
        ("local", "local", ""),
        (" DASK ", "dask", ""),
        ("tcp://10.0.0.5:8786", "scheduler", "tcp://10.0.0.5:8786"),
        ("tls://scheduler.example:8786", "scheduler", "tls://scheduler.example:8786"),
    ],
)
def test_an_executor_is_local_dask_or_a_scheduler_address(text: str, kind: str, address: str) -> None:
    choice = parse_executor(text)
    assert (choice.kind, choice.address) == (kind, address)


@pytest.mark.parametrize(
    "text", ["", "ray", "tcp://host", "http://host:8786", "tcp://host:99999", "10.0.0.5:8786"]
)
def test_anything_else_is_refused_in_both_languages(text: str) -> None:
    with pytest.raises(ExecutorError) as error:
        parse_executor(text)
    assert "tcp://HOST:8786" in error.value.en and "tcp://MÁY:8786" in error.value.vi


def test_a_bad_executor_option_exits_2_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    write_roster(roster(12), tmp_path / "roster.xlsx")
    result = _run("compare", tmp_path / "roster.xlsx", path, "--executor", "ray")
    assert result.exit_code == 2
    assert "--executor" in result.stderr
    assert "Lỗi:" in result.stderr and "Error:" in result.stderr
    assert "Traceback" not in result.output


def test_an_unreachable_scheduler_exits_2_before_reading_the_roster(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(executor_module, "CONNECT_TIMEOUT", 1.0)
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    write_roster(roster(12), tmp_path / "roster.xlsx")
    args = (
        "sweep",
        tmp_path / "roster.xlsx",
        "--scenario",
        path,
        "--budget",
        "1",
        "--json",
        tmp_path / "s.json",
    )
    result = _run(*args, "--executor", "tcp://127.0.0.1:9")
    assert result.exit_code == 2, result.output
    assert "--executor" in result.stderr and "tcp://127.0.0.1:9" in result.stderr
    assert "không kết nối được" in result.stderr and "cannot reach the Dask scheduler" in result.stderr
    assert "đọc danh sách cán bộ" not in result.stderr, "refused before the roster is read"
    assert "Traceback" not in result.output
    assert not (tmp_path / "s.json").exists()


# --- the same plans on every executor -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A 2-worker Dask LocalCluster (one thread, one process each), shared by the tests of this file."""
    with open_backend(DASK, 2) as backend:
        yield backend


def _csv_bytes(plans: list[Any], tmp_path: Path, tag: str) -> list[bytes]:
    found = []
    for index, plan in enumerate(plans):
        path = tmp_path / f"{tag}-{index}.csv"
        write_nominations_csv(plan.result.nominations, path)
        found.append(path.read_bytes())
    return found


def test_a_comparison_gives_byte_identical_lists_on_the_local_pool_and_on_dask(
    cluster: Any, tmp_path: Path
) -> None:
    people = generate_roster(300, seed=5, structure="2025", reference_year=2026)
    scenarios = [
        load_scenario(SCENARIOS / name)
        for name in ("orientation-2026-2030-tight.toml", "orientation-2026-2030.toml")
    ]
    states: list[tuple[str, str]] = []
    # byte-identical only while no clock cuts a search: a limit that the work budget, not a busy
    # machine's wall clock, ends (each level stops within its gap long before)
    settings = SETTINGS.model_copy(update={"time_limit": 60})
    with ScenarioPool(people, settings, jobs=2) as pool:
        local = pool.solve(scenarios)
    with ScenarioPool(
        people, settings, watch=lambda n, e: states.append((n, e.state)), backend=cluster
    ) as pool:
        on_dask = pool.solve(scenarios)
    assert not any(level.stopped_by_wall_clock for p in local + on_dask for level in p.result.levels)
    assert _csv_bytes(local, tmp_path, "local") == _csv_bytes(on_dask, tmp_path, "dask")
    assert [p.summary["targets"] for p in local] == [p.summary["targets"] for p in on_dask]
    assert sum(len(p.result.nominations) for p in local) > 0
    assert sorted(states) == sorted((s.name, state) for s in scenarios for state in ("running", "done"))


def test_a_sweep_is_the_same_on_the_local_pool_and_on_dask(cluster: Any) -> None:
    base = _duty_scenario(classes=2, budget=20_000_000)
    found = []
    for pool in (
        ScenarioPool(roster(12), SETTINGS, jobs=2),
        ScenarioPool(roster(12), SETTINGS, backend=cluster),
    ):
        with pool:
            result = sweep(pool, base, [0.5, 1.0, 1.5])
        for figures in result["comparison"]["scenarios"]:
            figures.pop("wall_time")
            figures.pop("levels")
        found.append(result)
    assert found[0] == found[1]
    assert [s["targets"]["DUTY_ALL"]["covered_at_deadline"] for s in found[0]["comparison"]["scenarios"]] == [
        0,
        9,
        12,
    ]
    assert found[0]["resolves"] > 0 and not found[0]["interrupted"]


def test_the_commands_write_the_same_json_with_executor_dask(tmp_path: Path) -> None:
    files = small_files(tmp_path)
    outputs = []
    for executor in ("local", "dask"):
        result, comparison = compare_small(
            files, tmp_path / f"{executor}.json", "--executor", executor, "--jobs", 2
        )
        assert result.exit_code == 0, result.output
        assert "đang giải / solving" in result.stderr and "[2/2]" in result.stderr
        outputs.append(comparison)
    assert outputs[0] == outputs[1]
    assert "tcp://" in result.stderr, "on Dask each solve says which worker runs it"


# --- workers that die -----------------------------------------------------------------------------------------


def _kill_first_run(killed: list[int]) -> Any:
    def watch(event: TaskEvent) -> None:
        if event.index == 0 and event.state == "running" and not killed:
            killed.append(event.pid)
            os.kill(event.pid, signal.SIGKILL)

    return watch


@pytest.mark.parametrize("executor", [LOCAL, DASK])
def test_a_worker_killed_mid_run_runs_its_task_again(executor: ExecutorChoice) -> None:
    killed: list[int] = []
    with open_backend(executor, 2) as backend:
        backend.share({"base": 100})
        outcomes = run_tasks(
            backend, slow_sum, [("base", (1, 1.5)), ("base", (2, 0.1))], _kill_first_run(killed)
        )
    assert killed and killed[0] != os.getpid()
    assert [o.value for o in outcomes] == [101, 102]
    # The other task runs again too when the local pool breaks (all its processes are replaced).
    assert outcomes[0].attempts == 2


def test_a_task_that_kills_every_worker_is_reported_and_the_others_finish() -> None:
    failed: list[TaskEvent] = []
    with open_backend(LOCAL, 2) as backend:
        backend.share({"base": 1})
        outcomes = run_tasks(
            backend,
            dies,
            [("base", 0)],
            lambda e: failed.append(e) if e.state == "failed" else None,
        )
        (slow, quick) = run_tasks(backend, slow_sum, [("base", (1, 0.2)), ("base", (2, 0.0))])
    (lost,) = outcomes
    assert isinstance(lost.error, WorkerLost) and lost.attempts == executor_module.MAX_ATTEMPTS
    assert [e.index for e in failed] == [0]
    assert (slow.value, quick.value) == (2, 3), "the pool works again after it"


def test_on_dask_a_task_run_again_after_its_shared_input_was_lost_gets_it_again(cluster: Any) -> None:
    """Seen once in CI: the killed worker held the only copy of the scattered input, and the task run
    again failed on lost data ([None, 102]). Here the copy is released as Dask drops lost data."""
    cluster.share({"base": 100})
    cluster.client.cancel(cluster._shared["base"])
    (outcome,) = run_tasks(cluster, slow_sum, [("base", (1, 0.0))])
    assert outcome.value == 101 and outcome.error is None


def test_on_dask_a_task_whose_workers_keep_dying_is_reported() -> None:
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), open_backend(DASK, 2) as backend:
        backend.share({"base": 1})
        lost, kept = run_tasks(
            backend, slow_sum, [("base", (1, 30.0)), ("base", (2, 0.0))], _kill_first_run([])
        )
    assert not lost.ok and "KilledWorker" in type(lost.error).__name__
    assert kept.value == 3


# --- Ctrl-C ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("executor", [LOCAL, DASK])
def test_ctrl_c_keeps_what_finished_and_stops_the_rest(executor: ExecutorChoice) -> None:
    pids: dict[int, int] = {}

    def watch(event: TaskEvent) -> None:
        if event.state == "running":
            pids[event.index] = event.pid
        if event.state == "done":
            raise KeyboardInterrupt  # as the CLI's Ctrl-C handler does in the main thread

    tasks = [("base", (1, 0.0)), ("base", (2, 60.0)), ("base", (3, 60.0)), ("base", (4, 60.0))]
    started = time.monotonic()
    with open_backend(executor, 2) as backend:
        backend.share({"base": 10})
        with pytest.raises(TasksInterrupted) as stop:
            run_tasks(backend, slow_sum, tasks, watch)
    assert time.monotonic() - started < 30, "the 60-second tasks were stopped, not waited for"
    assert {i: o.value for i, o in stop.value.finished.items()} == {0: 11}
    assert stop.value.total == 4
    time.sleep(0.5)
    for index, pid in pids.items():
        if index:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)  # the process that ran the 60-second task is gone


def test_on_a_shared_scheduler_ctrl_c_stops_the_tasks_running_there(tmp_path: Path) -> None:
    """The client leaves a scheduler others use, its workers stay: a running task is told to stop
    (its solve keeps its best plan and ends), not left to run to its end."""
    from distributed import LocalCluster

    marker = tmp_path / "marker"

    def watch(event: TaskEvent) -> None:
        if event.state == "running":
            raise KeyboardInterrupt  # as the CLI's Ctrl-C handler does in the main thread

    with LocalCluster(
        n_workers=1, threads_per_worker=1, dashboard_address=":0", silence_logs=logging.ERROR
    ) as cluster:
        started = time.monotonic()
        with open_backend(parse_executor(cluster.scheduler_address), 1) as backend:
            backend.share({"marker": str(marker)})
            with pytest.raises(TasksInterrupted):
                run_tasks(backend, waits_for_stop, [("marker", 0)], watch)
        while not marker.exists() and time.monotonic() - started < 75:  # the task waits 60 s at most
            time.sleep(0.2)
        took = time.monotonic() - started
        assert marker.exists(), "the task neither stopped nor ended its own 60-second wait"
        assert marker.read_text(encoding="utf-8") == "stopped", (
            f"the task was not told to stop ({took:.0f} s)"
        )
        assert took < 30


def test_a_failed_look_at_the_stop_event_is_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's watch outlives a failed call to the scheduler (busy, a connection renewed):
    the stop asked after it still reaches the task."""
    monkeypatch.setattr(executor_module, "STOP_POLL", 0.01)

    class Remote:
        calls = 0

        def wait(self, timeout: float) -> bool:
            self.calls += 1
            if self.calls == 1:
                raise OSError("connection reset")
            return self.calls >= 3

    stop, done = threading.Event(), threading.Event()
    executor_module._watch_stop(Remote(), stop, done)
    assert stop.is_set()


def test_a_task_whose_future_the_backend_cancels_runs_again() -> None:
    """Dask cancels the future of a task it lost (seen once in the suite: a killed worker's task
    left without an outcome, `run_tasks` then failed with KeyError). Such a task runs again, and
    one cancelled every time fails like a task whose worker keeps dying."""
    from concurrent.futures import Future

    class Cancelling(executor_module.Backend):
        def __init__(self, cancels: int) -> None:
            self.cancels, self.runs = cancels, 0
            self.events: list[tuple[str, str, int]] = []

        def share(self, shared: Any) -> None:
            self.shared = shared

        def submit(self, fn: Any, key: str, item: Any, token: str) -> Future:
            future: Future = Future()
            self.runs += 1
            if item == 1 and self.cancels > 0:
                self.cancels -= 1
                future.cancel()  # as distributed's executor passes a cancelled task on
                future.set_running_or_notify_cancel()
                return future
            self.events.append((token, "here", os.getpid()))
            future.set_result(fn(self.shared[key], (item, 0.0)))
            return future

        def started(self) -> list[tuple[str, str, int]]:
            found, self.events[:] = list(self.events), []
            return found

        def stop(self, futures: Any) -> None:
            pass

    once = Cancelling(cancels=1)
    once.share({"base": 10})
    assert [o.value for o in run_tasks(once, slow_sum, [("base", 1), ("base", 2)])] == [11, 12]
    assert once.runs == 3
    always = Cancelling(cancels=10**6)
    always.share({"base": 10})
    lost, kept = run_tasks(always, slow_sum, [("base", 1), ("base", 2)])
    assert isinstance(lost.error, WorkerLost) and kept.value == 12
