"""The roster's facts under a scenario: built with the collector paused, and only meanwhile."""

from __future__ import annotations

import gc
from collections.abc import Callable

import pytest

from models import Roster
from planner.io.scenario import load_scenario
from planner.rules.facts import roster_facts
from planner.solver.cohorts import build_population


@pytest.mark.parametrize("build", [roster_facts, build_population])
@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_left_as_it_was_found(
    province: Callable[..., Roster], build: Callable, enabled: bool
) -> None:
    roster = province(300, seed=5)
    plan = load_scenario("scenarios/orientation-2026-2030.toml")
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        facts = build(roster, plan)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert len(facts.starts_of) == len(roster.officials)
