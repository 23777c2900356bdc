"""Where independent solves run: a local process pool, a Dask cluster for the run, or a Dask scheduler.

One seam for every batch of independent tasks (a comparison's scenarios, a sweep's factors and
re-solves, a batch's provinces). `parse_executor` reads `--executor local | dask | tcp://HOST:PORT`;
`open_backend` starts what it names, with the large inputs (`shared`: rosters by key) sent to
each worker once; `run_tasks` runs `fn(shared[key], item)` for every task, reporting each task's
state as it changes and returning every task's outcome in the order asked:

- `local`: a pool of spawned processes (`jobs` of them; in this process when `jobs` is 1). The
  shared inputs go to each process once, when it starts. A process that dies is replaced and
  its task run again, at most `MAX_ATTEMPTS` times.
- `dask`: a `distributed.LocalCluster` of `jobs` single-threaded worker processes started for
  the run and closed after it; `tcp://...` an existing scheduler (its workers need this package
  installed). The shared inputs are scattered to the workers once; tasks go through the
  `concurrent.futures` executor of `Client.get_executor()`. A task whose worker dies is run again
  by the scheduler (`distributed.scheduler.allowed-failures`, 3 by default), then reported failed.

Ctrl-C (KeyboardInterrupt while `run_tasks` waits) cancels the tasks not started and stops the
running ones (the pool's processes and the run's own cluster are ended; a task already running on
an existing scheduler's worker, which Dask cannot interrupt, is told through a Dask event, and its
solve ends as Ctrl-C would end it: `planner.solver.stop`; its result is discarded), then raises
`TasksInterrupted` with the outcomes of the tasks that finished.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import re
import signal
import threading
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from planner.solver.stop import stop_with

log = logging.getLogger(__name__)

#: Runs of one task when the process running it dies (as Dask's default allowed-failures + 1).
MAX_ATTEMPTS = 4
#: Seconds to wait for an existing Dask scheduler to answer.
CONNECT_TIMEOUT = 10.0
#: Seconds between a running Dask task's looks at its run's stop event.
STOP_POLL = 1.0
#: Seconds between looks at the tasks' states while waiting.
POLL_SECONDS = 0.2

_ADDRESS = re.compile(r"^(tcp|tls)://\[?[A-Za-z0-9_.:-]+\]?:\d{1,5}$")


class ExecutorError(Exception):
    """An executor that cannot be used, said in Vietnamese and in English with what to do."""

    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi, self.en = vi, en


@dataclass(frozen=True)
class ExecutorChoice:
    """`local`, `dask` (a LocalCluster for the run) or `scheduler` at `address` (tcp:// or tls://)."""

    kind: str
    address: str = ""

    def __str__(self) -> str:
        return self.address or self.kind


LOCAL = ExecutorChoice("local")


def parse_executor(text: str) -> ExecutorChoice:
    """The executor named by `--executor`: `local`, `dask` or a scheduler's `tcp://HOST:PORT`."""
    value = text.strip()
    if value.lower() in ("local", "dask"):
        return ExecutorChoice(value.lower())
    if _ADDRESS.match(value) and 0 < int(value.rsplit(":", 1)[1]) < 65536:
        return ExecutorChoice("scheduler", value)
    raise ExecutorError(
        f"'{text}' không phải là local, dask hay địa chỉ bộ lập lịch Dask dạng tcp://MÁY:8786",
        f"'{text}' is not local, dask or a Dask scheduler's address such as tcp://HOST:8786",
    )


# --- what the caller sees ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What became of one task: its value, or the error it ended with; the runs it took; where it ran."""

    value: Any = None
    error: BaseException | None = None
    attempts: int = 0
    where: str = ""

    @property
    def ok(self) -> bool:
        """True when the task returned a value."""
        return self.error is None


@dataclass(frozen=True)
class TaskEvent:
    """A task's new state: `running` (`where`, process `pid`, run `attempt`), `done` or `failed` (`outcome`)."""

    index: int
    state: str
    where: str = ""
    attempt: int = 0
    outcome: Outcome | None = None
    pid: int = 0


Watch = Callable[[TaskEvent], None]


class WorkerLost(RuntimeError):
    """The process running a task died every time the task was run."""


class TasksInterrupted(KeyboardInterrupt):
    """Ctrl-C while tasks ran: the tasks not finished are cancelled or stopped; `finished` by index."""

    def __init__(self, finished: Mapping[int, Outcome], total: int):
        super().__init__(f"{len(finished)} of {total} finished")
        self.finished = dict(finished)
        self.total = total


# --- backends ---------------------------------------------------------------------------------------------


class Backend(ABC):
    """Runs `fn(shared[key], item)` somewhere; `submit` returns a `concurrent.futures.Future`."""

    #: Tasks that run at once (for messages; an existing scheduler's own workers decide there).
    slots: int = 1

    @abstractmethod
    def share(self, shared: Mapping[str, Any]) -> None:
        """Send the large inputs, by key, to the workers once (before any `submit`)."""

    @abstractmethod
    def submit(self, fn: Callable[[Any, Any], Any], key: str, item: Any, token: str) -> Future:
        """Start one task; the future holds its value."""

    @abstractmethod
    def started(self) -> list[tuple[str, str, int]]:
        """(token, where, pid) of the tasks that started since the last call."""

    def lost(self, error: BaseException) -> bool:
        """True when `error` says the worker died (the backend can then be `renew`ed)."""
        return False

    def renew(self) -> None:
        """Replace dead workers (only for a backend whose `lost` can be true)."""
        raise NotImplementedError(f"{type(self).__name__} does not lose workers")

    @abstractmethod
    def stop(self, futures: Sequence[Future]) -> None:
        """Cancel the futures not started and stop the running ones."""

    def close(self) -> None:
        """Release the workers."""
        return None

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InProcess(Backend):
    """The tasks run one after another in this process, when `run_tasks` asks for them."""

    def __init__(self) -> None:
        self.shared: Mapping[str, Any] = {}

    def share(self, shared: Mapping[str, Any]) -> None:
        self.shared = shared

    def submit(self, fn: Callable[[Any, Any], Any], key: str, item: Any, token: str) -> Future:
        raise NotImplementedError("run_tasks runs in-process tasks itself")

    def started(self) -> list[tuple[str, str, int]]:
        return []

    def stop(self, futures: Sequence[Future]) -> None:
        pass


#: What a pool process holds: the shared inputs and where it says a task started (set once per process).
_worker_shared: Mapping[str, Any] = {}
_worker_events: Any = None


def _start_pool_process(shared: Mapping[str, Any], events: Any, log_level: int) -> None:
    global _worker_shared, _worker_events
    _worker_shared, _worker_events = shared, events
    # Ctrl-C in a terminal reaches every process of the group: the parent decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=log_level, format="%(levelname)s %(name)s: %(message)s")


def _pool_task(fn: Callable[[Any, Any], Any], key: str, item: Any, token: str) -> Any:
    _worker_events.put((token, f"pid {os.getpid()}", os.getpid()))
    return fn(_worker_shared[key], item)


class LocalPool(Backend):
    """`jobs` spawned processes (as on Windows), each given the shared inputs once, when it starts.

    Measured faster than each process reading the roster file again.
    """

    def __init__(self, jobs: int):
        self.shared: Mapping[str, Any] = {}
        self.slots = jobs
        self._context = multiprocessing.get_context("spawn")
        # SimpleQueue writes at once under its lock (Queue leaves it to a thread, and a process
        # that dies before that thread wrote would leave the lock taken for every other one).
        self._events = self._context.SimpleQueue()
        self._pool: ProcessPoolExecutor | None = None

    def share(self, shared: Mapping[str, Any]) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self.shared = shared
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.slots,
            mp_context=self._context,
            initializer=_start_pool_process,
            initargs=(self.shared, self._events, logging.getLogger().getEffectiveLevel()),
        )

    def submit(self, fn: Callable[[Any, Any], Any], key: str, item: Any, token: str) -> Future:
        if self._pool is None:
            raise RuntimeError("no process pool yet: share the inputs first")
        return self._pool.submit(_pool_task, fn, key, item, token)

    def started(self) -> list[tuple[str, str, int]]:
        found = []
        while not self._events.empty():
            found.append(self._events.get())
        return found

    def lost(self, error: BaseException) -> bool:
        return isinstance(error, BrokenProcessPool)

    def renew(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()

    def stop(self, futures: Sequence[Future]) -> None:
        for future in futures:
            future.cancel()
        # ProcessPoolExecutor cannot stop a running call (Python 3.14 adds terminate_workers):
        # end its processes, as that method does.
        if self._pool is None:
            return
        for process in list((getattr(self._pool, "_processes", None) or {}).values()):
            process.terminate()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._events.close()


def _dask_task(fn: Callable[[Any, Any], Any], shared: Any, item: Any, token: str, topic: str) -> Any:
    from distributed import Event, get_client, get_worker

    worker = get_worker()
    worker.log_event(topic, {"token": token, "where": str(worker.address), "pid": os.getpid()})
    # a running task gets no signal: the run's stop event reaches its solve (planner.solver.stop)
    stop, done = threading.Event(), threading.Event()
    watcher = threading.Thread(
        target=_watch_stop, args=(Event(_stop_name(topic), client=get_client()), stop, done), daemon=True
    )
    watcher.start()
    try:
        with stop_with(stop):
            return fn(shared, item)
    finally:
        done.set()


def _stop_name(topic: str) -> str:
    return f"{topic}-stop"


def _watch_stop(remote: Any, stop: threading.Event, done: threading.Event) -> None:
    """Set `stop` once the run's Dask event is set (checked every STOP_POLL seconds until `done`).

    A failed look (the scheduler busy or briefly unreachable) is tried again: a watch that ended
    on it would leave the task running to its end after Ctrl-C."""
    failed = 0
    while not done.is_set():
        try:
            if remote.wait(timeout=STOP_POLL):
                stop.set()
                return
        except Exception as error:
            failed += 1
            level = logging.WARNING if failed == 1 else logging.DEBUG  # once, not every STOP_POLL
            log.log(level, "could not look at the run's stop event (%s): trying again", error)
            done.wait(STOP_POLL)


class DaskBackend(Backend):
    """Tasks on a Dask cluster through `Client.get_executor()`; the shared inputs scattered once.

    `cluster` is the LocalCluster started for the run (closed with the backend), or None for an
    existing scheduler (which only the client leaves).
    """

    def __init__(self, client: Any, cluster: Any):
        self.client, self.cluster = client, cluster
        self._topic = f"planner-{uuid.uuid4().hex[:12]}"
        self._events: queue.SimpleQueue[tuple[str, str, int]] = queue.SimpleQueue()
        client.subscribe_topic(self._topic, self._on_event)
        workers = client.scheduler_info().get("workers", {})
        self.slots = sum(w.get("nthreads", 1) for w in workers.values()) or 1
        self._shared: dict[str, Any] = {}
        self._values: Mapping[str, Any] = {}
        self._executor = client.get_executor(pure=False)

    def share(self, shared: Mapping[str, Any]) -> None:
        # One copy to every worker now (a worker that joins later fetches it from a peer).
        self._values = shared
        self._shared = {key: self._scatter(value) for key, value in shared.items()}

    def _scatter(self, value: Any) -> Any:
        return self.client.scatter(value, broadcast=True, hash=False)

    def _on_event(self, event: tuple[float, Mapping[str, Any]]) -> None:
        message = event[1]
        self._events.put((message["token"], message["where"], message["pid"]))

    def submit(self, fn: Callable[[Any, Any], Any], key: str, item: Any, token: str) -> Future:
        if self._shared[key].status != "finished":
            # every copy died with its workers (a worker killed before the broadcast reached the
            # others): a task run again on it would fail on lost data, so it is sent again
            self._shared[key] = self._scatter(self._values[key])
        return self._executor.submit(_dask_task, fn, self._shared[key], item, token, self._topic)

    def started(self) -> list[tuple[str, str, int]]:
        found = []
        while not self._events.empty():
            found.append(self._events.get())
        return found

    def stop(self, futures: Sequence[Future]) -> None:
        from distributed import Event

        for future in futures:
            future.cancel()
        if self.cluster is not None:  # the run's own cluster: its workers end with it
            self.close()
            return
        # on a scheduler others share, the running tasks end their searches (their plans are dropped)
        try:
            Event(_stop_name(self._topic), client=self.client).set()
        except Exception as error:
            log.warning("could not ask the running tasks to stop: %s", error)

    def close(self) -> None:
        if self.client is None:
            return
        client, cluster, self.client = self.client, self.cluster, None
        try:
            client.unsubscribe_topic(self._topic)
            client.close()
        finally:
            if cluster is not None:
                cluster.close()


def open_backend(choice: ExecutorChoice, jobs: int = 1) -> Backend:
    """Start the executor `choice` names with `jobs` workers (local pool, the run's Dask cluster);
    `Backend.share` then sends it the inputs.

    Raises ExecutorError (in both languages) when Dask is not installed or the scheduler cannot
    be reached.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if choice.kind == "local":
        return InProcess() if jobs == 1 else LocalPool(jobs)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ExecutorError(
            f"--executor {choice} cần Dask: cài thêm bằng pip install '.[dask]' (trong thư mục mã nguồn) "
            "hoặc pip install 'dask[distributed]'",
            f"--executor {choice} needs Dask: install it with pip install '.[dask]' (in the source folder) "
            "or pip install 'dask[distributed]'",
        ) from None
    if choice.kind == "dask":
        cluster = LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # a free port (None still takes 8787: dask/distributed#8136)
            silence_logs=logging.ERROR,
        )
        try:
            return DaskBackend(Client(cluster), cluster)
        except BaseException:
            cluster.close()
            raise
    try:
        client = Client(choice.address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as error:
        raise ExecutorError(
            f"không kết nối được bộ lập lịch Dask ở {choice.address} ({error}): kiểm tra địa chỉ và cổng, "
            "bộ lập lịch đã chạy chưa (dask scheduler), hoặc dùng --executor local",
            f"cannot reach the Dask scheduler at {choice.address} ({error}): check the address and port "
            "and that the scheduler runs (dask scheduler), or use --executor local",
        ) from None
    try:
        return DaskBackend(client, None)
    except BaseException:
        client.close()
        raise


# --- running tasks ----------------------------------------------------------------------------------------


@dataclass
class _Running:
    """The tasks of one `run_tasks` call on their way."""

    backend: Backend
    fn: Callable[[Any, Any], Any]
    tasks: Sequence[tuple[str, Any]]
    watch: Watch | None
    fail_fast: bool = False
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    attempts: dict[int, int] = field(default_factory=dict)
    where: dict[int, str] = field(default_factory=dict)
    futures: dict[Future, int] = field(default_factory=dict)
    tokens: dict[str, int] = field(default_factory=dict)
    #: Each task's runs counted when it was last submitted.
    before: dict[int, int] = field(default_factory=dict)

    def tell(self, event: TaskEvent) -> None:
        if self.watch:
            self.watch(event)

    def submit(self, index: int) -> None:
        key, item = self.tasks[index]
        token = uuid.uuid4().hex
        self.tokens[token] = index
        self.before[index] = self.attempts.get(index, 0)
        self.futures[self.backend.submit(self.fn, key, item, token)] = index

    def note_started(self) -> None:
        for token, where, pid in self.backend.started():
            index = self.tokens.get(token)
            if index is None or index in self.outcomes:
                continue  # a run already over (its message came late)
            self.attempts[index] = self.attempts.get(index, 0) + 1
            self.where[index] = where
            self.tell(TaskEvent(index, "running", where, self.attempts[index], pid=pid))

    def finish(self, index: int, outcome: Outcome) -> None:
        outcome.attempts = max(1, self.attempts.get(index, 0))
        outcome.where = self.where.get(index, "")
        self.outcomes[index] = outcome
        self.tell(
            TaskEvent(index, "done" if outcome.ok else "failed", outcome.where, outcome.attempts, outcome)
        )
        if self.fail_fast and outcome.error is not None:
            raise outcome.error

    def collect(self, future: Future) -> bool:
        """Record a finished future; False when its worker died (the pool must be renewed)."""
        index = self.futures.pop(future)
        if future.cancelled():  # not by us (those are dropped first): Dask's, for a task it lost
            self.note_started()
            if self.attempts.get(index, 0) == self.before[index]:  # a run, even if it never started
                self.attempts[index] = self.before[index] + 1
            self.again(index)
            return True
        error = future.exception()
        if error is not None and self.backend.lost(error):
            self.futures[future] = index  # kept until the pool is renewed
            return False
        self.finish(index, Outcome(value=None if error else future.result(), error=error))
        return True

    def renew(self) -> None:
        """After a worker died: the tasks not finished run again; one that ran too often fails."""
        self.note_started()
        waiting = sorted(set(self.futures.values()))
        self.futures.clear()
        self.backend.renew()
        for index in waiting:
            self.again(index)

    def again(self, index: int) -> None:
        """Run a task whose run was lost once more; one that ran too often fails."""
        runs = self.attempts.get(index, 0)
        if runs >= MAX_ATTEMPTS:
            self.finish(index, Outcome(error=WorkerLost(f"the worker running it died {runs} times")))
        else:
            self.submit(index)


def run_tasks(
    backend: Backend,
    fn: Callable[[Any, Any], Any],
    tasks: Sequence[tuple[str, Any]],
    watch: Watch | None = None,
    fail_fast: bool = False,
) -> list[Outcome]:
    """Run `fn(shared[key], item)` for each (key, item); every task's outcome, in the order given.

    `fn` must be importable by name (a module-level function) and pure: its value depends only on
    its arguments. `watch` hears each task start (`running`, again for each new run) and end
    (`done`, `failed`); an exception it raises stops the run as Ctrl-C does. A task's own
    exception is its outcome and the others run on, unless `fail_fast`: then the first one stops
    the others and is raised. Ctrl-C: `TasksInterrupted`.
    """
    running = _Running(backend, fn, tasks, watch, fail_fast)
    try:
        if isinstance(backend, InProcess):
            for index, (key, item) in enumerate(tasks):
                running.attempts[index] = 1
                running.tell(TaskEvent(index, "running", "", 1, pid=os.getpid()))
                try:
                    outcome = Outcome(value=fn(backend.shared[key], item))
                except Exception as error:
                    outcome = Outcome(error=error)
                running.finish(index, outcome)
            return [running.outcomes[i] for i in range(len(tasks))]
        for index in range(len(tasks)):
            running.submit(index)
        while running.futures:
            done, _ = wait(list(running.futures), timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
            running.note_started()
            if not all([running.collect(future) for future in done]):
                running.renew()
    except KeyboardInterrupt:
        backend.stop(list(running.futures))
        raise TasksInterrupted(running.outcomes, len(tasks)) from None
    except BaseException:
        backend.stop(list(running.futures))
        raise
    return [running.outcomes[i] for i in range(len(tasks))]
