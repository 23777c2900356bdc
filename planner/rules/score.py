"""The merit and need score that decides who is chosen among the eligible."""

from __future__ import annotations

from models import Official, Program, Scenario, TrainingRecord
from planner.io.text import normalize_key, normalized_keys
from planner.rules.eligibility import reference_date, years_left


def merit_score(
    official: Official, program: Program, scenario: Scenario, history: list[TrainingRecord]
) -> int:
    """Points for rating, pipeline, not yet trained, priority field and years left to serve."""
    weights = scenario.score
    score = weights.rating * (official.rating.points if official.rating else 0)
    if official.pipeline:
        score += weights.pipeline
    if not history:
        score += weights.not_yet_trained
    if _in_priority_field(official, program):
        score += weights.priority_field
    left = years_left(official, reference_date(scenario, scenario.start_year), scenario)
    if left >= weights.long_service_years:
        score += weights.years_left
    return score


def score_reasons(
    official: Official, program: Program, scenario: Scenario, history: list[TrainingRecord]
) -> list[str]:
    """The features that earned points, in Vietnamese, for the Reasons sheet."""
    parts = []
    if official.rating:
        parts.append(f"xếp loại {official.rating.label.lower()}")
    if official.pipeline:
        parts.append("trong quy hoạch")
    if not history:
        parts.append("chưa được đào tạo, bồi dưỡng")
    if _in_priority_field(official, program):
        parts.append(f"lĩnh vực ưu tiên ({official.field})")
    if (
        years_left(official, reference_date(scenario, scenario.start_year), scenario)
        >= scenario.score.long_service_years
    ):
        parts.append(f"còn trên {scenario.score.long_service_years} năm công tác")
    return parts


def _in_priority_field(official: Official, program: Program) -> bool:
    """True when the official's field is one of the program's priority fields."""
    return normalize_key(official.field) in normalized_keys(tuple(program.priority_fields))
