"""The collector paused around bulk work: off inside, as found afterwards, even after an error."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from planner.collector import collector_paused


@pytest.fixture
def restore_collector() -> Iterator[None]:
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


@pytest.mark.usefixtures("restore_collector")
@pytest.mark.parametrize("enabled", [True, False])
def test_off_inside_and_as_found_afterwards(enabled: bool) -> None:
    (gc.enable if enabled else gc.disable)()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled() is enabled


@pytest.mark.usefixtures("restore_collector")
def test_back_on_after_an_error() -> None:
    gc.enable()
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("x")
    assert gc.isenabled()
