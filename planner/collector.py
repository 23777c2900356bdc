"""The cyclic garbage collector paused around bulk work on a whole roster."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while the block runs, then as it was before.

    For blocks that build objects per official: the collector's passes over a heap that grows by
    those objects cost more than the work itself (benchmarks/RESULTS.md, issue 20). Reference
    counting still frees what the block drops; any cycle it leaves is collected by the first pass
    after it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
