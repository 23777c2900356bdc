"""A request to stop a solve from outside its thread, keeping its best plan so far.

Ctrl-C stops a solve in the main thread (KeyboardInterrupt). A solve in another thread (a task on
a Dask worker) gets no signal: it is given an event (`solve(stop=...)`) or finds the one set for
its thread (`stop_with`), and ends as Ctrl-C would end it once the event is set.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_local = threading.local()


@contextmanager
def stop_with(event: threading.Event) -> Iterator[threading.Event]:
    """Solves started in this thread meanwhile stop, with their best plan, once `event` is set."""
    _local.event = event
    try:
        yield event
    finally:
        _local.event = None


def stop_event() -> threading.Event | None:
    """The event `stop_with` set for this thread, if any."""
    return getattr(_local, "event", None)
