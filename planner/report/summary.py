"""Plain-data summaries of inputs and plans (for the console, JSON files and comparisons)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from models import Result
from models.enums import Coded
from models.scenario import name_in
from planner.analysis.shortfalls import target_reach
from planner.io.text import counted, format_number
from planner.report.report import Report
from planner.rules.facts import RosterFacts
from planner.solver.cohorts import Population


def roster_summary(population: Population, lang: str = "vi") -> dict[str, Any]:
    """Officials by level, category and role group, history rows, eligible officials per program.

    Counts are keyed by code, in the order of the enums (province first, leaders first); `labels`
    holds the words for every code counted, in `lang` ('vi' or 'en'), under the same keys.
    """
    officials = population.roster.officials
    eligible = Counter(
        program for starts in population.starts_of.values() for program in {p for p, _ in starts}
    )
    programs = population.scenario.programs
    counts = {
        "by_level": _counted(o.level for o in officials),
        "by_category": _counted(o.category for o in officials),
        "by_role_group": _counted(o.role_group for o in officials),
    }
    labels = {key: {member.value: member.label_in(lang) for member in found} for key, found in counts.items()}
    labels["eligible_by_program"] = {p.code: name_in(p, lang) for p in programs}
    return {
        "officials": len(officials),
        **{key: {member.value: n for member, n in found.items()} for key, found in counts.items()},
        "history_rows": len(population.roster.history),
        "eligible_by_program": {p.code: eligible.get(p.code, 0) for p in programs},
        "cohorts": len(population.cohorts),
        "lang": lang,
        "labels": labels,
    }


def _counted(members: Iterable[Coded]) -> dict[Coded, int]:
    """How many of each member, in the enum's order (only those that occur)."""
    counts = Counter(members)
    order = {member: i for enum in {type(m) for m in counts} for i, member in enumerate(enum)}
    return dict(sorted(counts.items(), key=lambda item: order[item[0]]))


def out_of_reach(population: Population) -> list[dict[str, Any]]:
    """Targets and yearly minimums that no plan can reach, with the measured reason (before solving)."""
    scenario = population.scenario
    found = []
    for target in scenario.targets:
        required = population.required[target.code]
        pre = population.pre_covered.get(target.code, 0)
        eligible, places, years = target_reach(population, target)
        if pre + eligible < required:
            found.append(
                _entry(
                    target.code,
                    None,
                    required,
                    pre + eligible,
                    f"chỉ {format_number(eligible)} người chưa học đủ điều kiện, {format_number(pre)} đã học",
                    f"only {counted(eligible, 'untrained member', 'untrained members')} eligible, {pre:,} already trained",
                )
            )
        elif places is not None and pre + places < required:
            found.append(
                _entry(
                    target.code,
                    None,
                    required,
                    pre + places,
                    f"tối đa {format_number(places)} chỗ trong {len(years)} năm",
                    f"at most {counted(places, 'place', 'places')} in {counted(len(years), 'year', 'years')}",
                )
            )
    eligible_in_year = Counter(start for starts in population.starts_of.values() for start in starts)
    for program in scenario.programs:
        for year in scenario.years:
            if not scenario.runs_in(program, year):
                continue
            need = (
                program.classes_per_year_min * program.class_size_min
                if program.is_class
                else program.places_per_year_min
            )
            pool = eligible_in_year[program.code, year]
            if need and pool < need:
                found.append(
                    _entry(
                        program.code,
                        year,
                        need,
                        pool,
                        f"chỉ {format_number(pool)} người đủ điều kiện năm {year}, cần {format_number(need)}",
                        f"only {pool:,} eligible in {year}, {need:,} needed",
                    )
                )
    for quota in scenario.quotas:
        for year in scenario.years:
            pool = sum(eligible_in_year[p, year] for p in quota.programs)
            if quota.min_per_year and pool < quota.min_per_year:
                found.append(
                    _entry(
                        quota.code,
                        year,
                        quota.min_per_year,
                        pool,
                        f"chỉ {format_number(pool)} người đủ điều kiện năm {year}",
                        f"only {pool:,} eligible in {year}",
                    )
                )
    return found


def _entry(code: str, year: int | None, required: int, reachable: int, vi: str, en: str) -> dict[str, Any]:
    return {
        "code": code,
        "year": year,
        "required": required,
        "at_most": reachable,
        "reason": {"vi": vi, "en": en},
    }


def plan_summary(facts: RosterFacts, result: Result) -> dict[str, Any]:
    """The JSON summary of a plan (`report.Report.summary`)."""
    return Report(facts, result).summary()
