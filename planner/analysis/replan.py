"""Replanning around approved lists, manual pins and exclusions, and a previous draft."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from models import (
    ApprovalIssue,
    Budget,
    ClassInfo,
    Decision,
    Nomination,
    PlanChange,
    Result,
    Roster,
    Scenario,
    Text,
    TrainingRecord,
)
from planner.analysis.shortfalls import measure_shortfalls, plan_cost
from planner.io.errors import InputError, Problem
from planner.rules.eligibility import Context, reasons_not_eligible
from planner.solver.cohorts import Population


@dataclass
class Replan:
    """What the optimizer plans with once approved nominations are fixed."""

    approved: list[Nomination]
    approved_classes: list[ClassInfo]
    issues: list[ApprovalIssue]
    closed_years: frozenset[int]
    roster: Roster
    scenario: Scenario


def prepare_replan(roster: Roster, scenario: Scenario, approved: list[Nomination]) -> Replan:
    """Fix the approved nominations that still stand; plan the other years around them.

    Standing nominations become training history (so nobody repeats them and people stay
    away on long programs), their years are closed to new starts, and their cost comes off
    the yearly budgets. Those that no longer stand are returned as issues, never dropped silently.
    """
    officials = roster.by_id()
    history = roster.history_by_official()
    codes = {p.code for p in scenario.programs}
    valid: list[Nomination] = []
    issues: list[ApprovalIssue] = []
    for nomination in sorted(approved, key=lambda n: (n.year, n.program, n.official_id)):
        reason = _why_fallen(nomination, officials, codes, scenario, history)
        if reason:
            issues.append(ApprovalIssue(**nomination.model_dump(exclude={"class_id"}), reason=Text(*reason)))
        else:
            valid.append(nomination)
    classes = classes_of(valid)
    closed = frozenset(n.year for n in approved)
    recorded = {(r.official_id, r.program, r.year) for r in roster.history}
    extra = [
        TrainingRecord(official_id=n.official_id, program=n.program, year=n.year)
        for n in valid
        if (n.official_id, n.program, n.year) not in recorded
    ]
    planning_roster = Roster.model_construct(officials=roster.officials, history=[*roster.history, *extra])
    spent = plan_cost(scenario, valid, classes)
    budget = Budget(
        per_year={
            y: max(0, limit - spent[y])
            for y in scenario.years
            if (limit := scenario.budget.limit(y)) is not None
        }
    )
    programs = [
        p.model_copy(
            update={"years": [y for y in (scenario.years if p.years is None else p.years) if y not in closed]}
        )
        for p in scenario.programs
    ]
    planning_scenario = scenario.model_copy(update={"programs": programs, "budget": budget})
    return Replan(valid, classes, issues, closed, planning_roster, planning_scenario)


def classes_of(nominations: list[Nomination]) -> list[ClassInfo]:
    """The classes a list of nominations fills (sizes counted, topics unknown)."""
    sizes = Counter((n.class_id, n.program, n.year) for n in nominations if n.class_id)
    return [ClassInfo(class_id=c, program=p, year=y, size=s) for (c, p, y), s in sorted(sizes.items())]


def plan_from_nominations(population: Population, nominations: list[Nomination]) -> Result:
    """A plan read back from a file, with its shortfalls and cost recomputed."""
    classes = classes_of(nominations)
    return Result(
        status="FEASIBLE",
        method="cpsat",
        nominations=nominations,
        classes=classes,
        shortfalls=measure_shortfalls(population, nominations, classes),
        cost_by_year=plan_cost(population.scenario, nominations, classes),
    )


def _why_fallen(
    nomination: Nomination,
    officials: dict,
    codes: set[str],
    scenario: Scenario,
    history: dict[str, list[TrainingRecord]],
) -> tuple[str, str] | None:
    official = officials.get(nomination.official_id)
    if official is None:
        return "không còn trong danh sách cán bộ", "no longer on the roster"
    if nomination.program not in codes:
        return (
            f"chương trình {nomination.program} không có trong kịch bản",
            f"program {nomination.program} not in the scenario",
        )
    # the nomination itself may already be in the history (after `planner record`): leave it out
    own = [
        r
        for r in history.get(official.id, [])
        if (r.program, r.year) != (nomination.program, nomination.year)
    ]
    ctx = Context(scenario=scenario, history={official.id: own})
    reasons = reasons_not_eligible(official, scenario.program(nomination.program), nomination.year, ctx)
    if reasons:
        return "; ".join(r.vi for r in reasons), "; ".join(r.en for r in reasons)
    return None


def check_decisions(roster: Roster, scenario: Scenario, decisions: list[Decision], ctx: Context) -> None:
    """Refuse pins that break a hard rule (naming the rule) and decisions that contradict each other."""
    officials = roster.by_id()
    problems: list[Problem] = []
    taken: dict[tuple[str, int], str] = {}
    seen: set[tuple[str, str]] = set()
    excluded = {(d.official_id, d.program) for d in decisions if d.action == "exclude"}
    for number, decision in enumerate(decisions, start=1):
        where = f"{decision.action} {decision.official_id} {decision.program or '*'} {decision.year or '*'}"
        official = officials.get(decision.official_id)
        if official is None:
            problems.append(
                Problem(
                    f"{where}: không có trong danh sách cán bộ", f"{where}: not on the roster", row=number
                )
            )
            continue
        if decision.program is not None and decision.program not in {p.code for p in scenario.programs}:
            problems.append(
                Problem(f"{where}: chương trình không có", f"{where}: unknown program", row=number)
            )
            continue
        if decision.action != "pin":
            continue
        code, start = decision.pinned_start()
        program = scenario.program(code)
        if start not in scenario.years:
            problems.append(
                Problem(f"{where}: năm ngoài kế hoạch", f"{where}: year outside the plan", row=number)
            )
            continue
        if (decision.official_id, code) in excluded or (decision.official_id, None) in excluded:
            problems.append(
                Problem(f"{where}: vừa cử vừa loại", f"{where}: both pinned and excluded", row=number)
            )
        for reason in reasons_not_eligible(official, program, start, ctx):
            problems.append(
                Problem(
                    f"{where}: vi phạm quy tắc '{reason.rule}': {reason.vi}",
                    f"{where}: breaks rule '{reason.rule}': {reason.en}",
                    row=number,
                )
            )
        for year in range(start, start + program.duration_years):
            if (decision.official_id, year) in taken:
                problems.append(
                    Problem(
                        f"{where}: trùng năm {year} với {taken[decision.official_id, year]}",
                        f"{where}: year {year} already taken by {taken[decision.official_id, year]}",
                        row=number,
                    )
                )
            taken[decision.official_id, year] = code
        if (decision.official_id, code) in seen:
            problems.append(
                Problem(
                    f"{where}: cử hai lần cùng chương trình",
                    f"{where}: same program pinned twice",
                    row=number,
                )
            )
        seen.add((decision.official_id, code))
    if problems:
        raise InputError("quyết định / decisions", problems)


def plan_changes(
    previous: list[Nomination], nominations: list[Nomination], years: set[int]
) -> list[PlanChange]:
    """Who entered and who left the lists in the given years, compared with the previous draft."""
    before = {(n.official_id, n.program, n.year) for n in previous if n.year in years}
    after = {(n.official_id, n.program, n.year) for n in nominations if n.year in years}
    changes = [PlanChange(official_id=o, program=p, year=y, change="entered") for o, p, y in after - before]
    changes += [PlanChange(official_id=o, program=p, year=y, change="left") for o, p, y in before - after]
    return sorted(changes, key=lambda c: (c.year, c.program, c.change, c.official_id))
