"""Targets: who belongs to a target's group, who is covered already, how many are required."""

from __future__ import annotations

import math

from models import Official, Scenario, Target, TrainingRecord
from planner.io.text import normalize_key, normalized_keys


def in_group(official: Official, target: Target, scenario: Scenario) -> bool:
    """True when the official belongs to the group the target is about."""
    group = target.group
    if group.role_groups and official.role_group not in group.role_groups:
        return False
    if group.levels and official.level not in group.levels:
        return False
    if group.categories and official.category not in group.categories:
        return False
    if group.fields and normalize_key(official.field) not in normalized_keys(tuple(group.fields)):
        return False
    if group.due_for_title:
        due = (
            official.title_year is not None
            and scenario.start_year < official.title_year <= target.deadline + 1
        )
        if not due:
            return False
    return True


def group_key(official: Official) -> tuple:
    """What `in_group` looks at of an official: officials with the same key are in the same groups."""
    return (
        official.role_group,
        official.level,
        official.category,
        normalize_key(official.field),
        official.title_year,
    )


def covered_before(official: Official, target: Target, history: list[TrainingRecord]) -> bool:
    """True when history or qualification already counts the official as covered."""
    if official.education in target.qualifying_educations:
        return True
    return any(record.program in target.programs for record in history)


def required_count(target: Target, group_size: int) -> int:
    """People the target asks for: a share of the group (rounded up) or a fixed count."""
    if target.count is not None:
        return target.count
    if target.share is None:  # the Target model refuses a target with neither
        raise ValueError(f"target {target.code} gives neither a share nor a count")
    return math.ceil(target.share * group_size - 1e-9)
