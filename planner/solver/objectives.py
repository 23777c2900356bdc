"""The objective levels measured on a named plan, the way the model weighs them.

The solver reports each level's value, bound and gap; these functions measure the same levels
on the nominations and classes that are written, from the rules alone (no counts, no cohorts),
so that the figures printed beside the lists are those of the lists.
"""

from __future__ import annotations

from models import ClassInfo, Nomination, Roster, Scenario, Shortfall
from planner.analysis.shortfalls import plan_cost, shortfall_weight
from planner.rules.score import merit_score

#: Relative shortfalls are measured in millionths of each requirement.
SHORTFALL_SCALE = 1_000_000


def shortfall_coefficient(weight: float, required: int) -> int:
    """The objective's weight of one missing person or class of a requirement."""
    return max(1, round(weight * SHORTFALL_SCALE / max(required, 1)))


def plan_objectives(
    roster: Roster,
    scenario: Scenario,
    nominations: list[Nomination],
    classes: list[ClassInfo],
    shortfalls: list[Shortfall],
) -> dict[str, float]:
    """Each objective level's value for a named plan: weighted shortfall, merit (negated, as it
    is minimised) and cost, with the plan's `shortfalls` as `measure_shortfalls` found them."""
    officials = roster.by_id()
    history = roster.history_by_official()
    merit = sum(
        merit_score(
            officials[n.official_id], scenario.program(n.program), scenario, history.get(n.official_id, [])
        )
        for n in nominations
    )
    shortfall = sum(
        shortfall_coefficient(weight, s.required) * s.missing
        for s in shortfalls
        if (weight := shortfall_weight(scenario, s))
    )
    return {
        "shortfall": float(shortfall),
        "merit": float(-merit),
        "cost": float(sum(plan_cost(scenario, nominations, classes).values())),
    }
