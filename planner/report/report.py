"""One plan's report, built once: what the workbook, the JSON summary and any other front end show.

A `Report` holds the plan and the roster's facts, and computes each figure the first time a
renderer asks for it (reasons for every member left off a target take seconds at 150,000
officials, so a JSON summary never pays for them). Renderers lay the figures out; they compute
nothing about the plan themselves.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from models import ClassInfo, Nomination, Official, Result, Scenario, Text
from planner.analysis.reasons import NotNominated, nomination_reasons, non_nomination_reasons
from planner.analysis.shortfalls import cost_after_plan, coverage_by_year, plan_cost
from planner.rules.facts import RosterFacts


@dataclass(frozen=True)
class Report:
    """A written plan with the facts of its roster; figures computed on first use, never changed."""

    facts: RosterFacts
    result: Result

    @property
    def scenario(self) -> Scenario:
        """The plan's scenario."""
        return self.facts.scenario

    @cached_property
    def officials(self) -> dict[str, Official]:
        """Officials by id."""
        return self.facts.officials()

    @cached_property
    def starts(self) -> Counter[tuple[str, int]]:
        """People starting each (program, year)."""
        return Counter((n.program, n.year) for n in self.result.nominations)

    @cached_property
    def classes(self) -> Counter[tuple[str, int]]:
        """Classes opened per (program, year)."""
        return Counter((c.program, c.year) for c in self.result.classes)

    @property
    def cost(self) -> dict[int, int]:
        """The plan's cost per year (measured when the plan was made: `Result.cost_by_year`)."""
        return self.result.cost_by_year

    @cached_property
    def after_plan(self) -> tuple[int, int]:
        """People still studying after the plan's last year, and the cost of those years."""
        return cost_after_plan(self.scenario, self.result.nominations)

    @cached_property
    def cost_by_program(self) -> dict[str, dict[int, int]]:
        """Each program's cost per year."""
        nominations: dict[str, list[Nomination]] = defaultdict(list)
        classes: dict[str, list[ClassInfo]] = defaultdict(list)
        for n in self.result.nominations:
            nominations[n.program].append(n)
        for c in self.result.classes:
            classes[c.program].append(c)
        return {
            p.code: plan_cost(self.scenario, nominations.get(p.code, []), classes.get(p.code, []))
            for p in self.scenario.programs
        }

    @cached_property
    def coverage(self) -> dict[str, dict[int, int]]:
        """People of each target's group covered at the end of each year (history included)."""
        return {
            t.code: coverage_by_year(self.facts, t, self.result.nominations) for t in self.scenario.targets
        }

    @cached_property
    def sent_by_unit(self) -> Counter[tuple[str, str, int]]:
        """People each unit sends to each (program, start year)."""
        unit_of = self.facts.unit_of
        return Counter((unit_of[n.official_id], n.program, n.year) for n in self.result.nominations)

    @cached_property
    def away_by_unit(self) -> Counter[tuple[str, int]]:
        """People of each unit away on multi-year programs in each plan year, the history's and the
        plan's (held against the unit's cap, `facts.away_cap`)."""
        years = set(self.scenario.years)
        away: Counter[tuple[str, int]] = Counter(self.facts.away_history)
        planned = self.facts.away_in_plan((n.official_id, n.program, n.year) for n in self.result.nominations)
        away.update({(unit, year): count for (unit, year), count in planned.items() if year in years})
        return away

    @cached_property
    def why(self) -> dict[tuple[str, str, int], Text]:
        """Why each nomination: eligibility facts and what put the official ahead."""
        return nomination_reasons(self.facts, self.result)

    @cached_property
    def left_off(self) -> list[NotNominated]:
        """Members of target groups left off the lists, and why."""
        return non_nomination_reasons(self.facts, self.result)

    @cached_property
    def served(self) -> dict[tuple[str, str, int], list[str]]:
        """Targets each nomination counts towards (open for the person, a program of the target,
        by the deadline)."""
        open_of = self.facts.open_targets_of
        served: dict[tuple[str, str, int], list[str]] = {}
        for n in self.result.nominations:
            codes = [
                t.code
                for t in self.scenario.targets
                if t.code in open_of.get(n.official_id, ())
                and n.program in t.programs
                and n.year <= t.deadline
            ]
            if codes:
                served[n.official_id, n.program, n.year] = codes
        return served

    def summary(self) -> dict[str, Any]:
        """The JSON summary of the plan: targets, shortfalls, cost, solver status, bound and gap."""
        scenario, result, facts = self.scenario, self.result, self.facts
        return {
            "scenario": scenario.name,
            "status": result.status,
            "method": result.method,
            "gap": result.gap,
            "wall_time": result.wall_time,
            "levels": [level.model_dump() | {"gap": level.gap} for level in result.levels],
            "unsolved_levels": result.unsolved_levels,
            "nominations": len(result.nominations),
            "targets": [
                {
                    "code": t.code,
                    "group_size": facts.group_size.get(t.code, 0),
                    "covered_before": facts.pre_covered.get(t.code, 0),
                    "required": facts.required[t.code],
                    "deadline": t.deadline,
                    "covered_by_year": self.coverage[t.code],
                }
                for t in scenario.targets
            ],
            "programs": {
                p.code: {
                    str(y): {"people": self.starts[p.code, y], "classes": self.classes[p.code, y]}
                    for y in scenario.years
                }
                for p in scenario.programs
            },
            "cost_by_year": {str(y): c for y, c in result.cost_by_year.items()},
            "budget_by_year": {str(y): scenario.budget.limit(y) for y in scenario.years},
            "after_plan": {
                "from": scenario.end_year + 1,
                "people": self.after_plan[0],
                "cost": self.after_plan[1],
            },
            "shortfalls": [s.model_dump() | {"missing": s.missing} for s in result.shortfalls],
            "notes": [{"vi": note.vi, "en": note.en} for note in result.notes],
            "stats": result.stats,
            "changes": [c.model_dump() for c in result.changes],
            "approval_issues": [i.model_dump() for i in result.approval_issues],
        }
