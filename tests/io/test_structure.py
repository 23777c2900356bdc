"""Officials at levels the scenario does not have: counted, and what happens to them said right."""

from __future__ import annotations

from pathlib import Path

from models import Level
from planner.io.scenario import load_scenario
from planner.io.structure import levels_outside
from planner.sample import generate_roster
from planner.solver.cohorts import build_population

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_district_officials_under_a_two_level_scenario() -> None:
    roster = generate_roster(300, seed=4)
    scenario = load_scenario(SCENARIOS / "orientation-2026-2030.toml")
    [found] = levels_outside(roster, scenario)
    districts = [o for o in roster.officials if o.level is Level.DISTRICT]
    assert (found.level, found.officials) == (Level.DISTRICT, len(districts))
    population = build_population(roster, scenario)
    eligible: dict[str, int] = {}
    for official in districts:
        for program in {p for p, _ in population.starts_of[official.id]}:
            eligible[program] = eligible.get(program, 0) + 1
    assert found.eligible == {p.code: eligible[p.code] for p in scenario.programs if p.code in eligible}
    assert not set(found.closed) & set(eligible), "a program said closed to them takes none of them"
    assert {"LEAD", "DUTY"} <= set(found.closed)
    assert found.in_targets and all(count <= len(districts) for count in found.in_targets.values())
    assert f"{len(districts):,} officials at level Huyện (district)" in found.message("en")
    assert f"{len(districts):,} cán bộ ở cấp Huyện (huyen)" in found.message("vi")


def test_nothing_to_say_when_the_levels_match() -> None:
    roster = generate_roster(300, seed=4)
    assert levels_outside(roster, load_scenario(SCENARIOS / "plan-2023-2025.toml")) == []
