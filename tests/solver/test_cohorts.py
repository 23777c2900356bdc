"""Cohorts: who the model may count together, and which chains inside the plan each is offered."""

from __future__ import annotations

from models import Decision, EligibilityRule, Roster, Rules
from planner.rules.eligibility import Context, chained_starts, eligible_starts
from planner.solver.cohorts import build_population
from tests.factories import official, roster, scenario, slot_program

#: MASTER (two years, bachelors) and PHD (one year here) that needs a master's degree or MASTER.
PHD = slot_program(
    "PHD",
    duration_years=1,
    places_per_year_max=1,
    eligibility=EligibilityRule(prerequisite_programs=["MASTER"], prerequisite_educations=["thac_si"]),
)
PLAN = scenario([slot_program("MASTER"), PHD], rules=Rules(away_share_max=1.0))


def test_a_chain_starts_once_its_first_program_is_finished_and_only_without_the_prerequisite() -> None:
    ctx = Context(scenario=PLAN, history={})
    bachelor, master = official(0), official(1, education="thac_si")
    starts = eligible_starts(bachelor, ctx)
    assert ("PHD", 2028) not in starts
    # MASTER 2026-2027, then PHD in 2028 (the plan's last year); MASTER 2027 ends too late
    assert chained_starts(bachelor, ctx, starts) == {(("MASTER", 2026), ("PHD", 2028))}
    assert chained_starts(master, ctx, eligible_starts(master, ctx)) == frozenset()


def test_chains_are_offered_to_the_best_scoring_as_many_as_can_take_the_program() -> None:
    """PHD takes one a year and a chain can reach it in 2028 only: one official is offered it,
    the one in the pipeline (more points for PHD)."""
    people = Roster(officials=[official(i, pipeline=i == 2) for i in range(4)])
    population = build_population(people, PLAN)
    offered = {m: c.chains for c in population.cohorts for m in c.members if c.chains}
    assert offered == {"CB00002": ((("MASTER", 2026), ("PHD", 2028)),)}


def test_no_chain_to_a_start_the_official_is_excluded_from() -> None:
    exclude = Decision(official_id="CB00000", action="exclude", program="PHD", reason="test")
    population = build_population(roster(1), PLAN, decisions=[exclude])
    assert all(not c.chains for c in population.cohorts)
