"""The solver's status in words: a proven optimum says so, anything else how far it may be."""

from __future__ import annotations

import pytest

from models import LevelResult
from planner.report.status import gap_words, level_status, status_words


@pytest.mark.parametrize(
    ("gap", "vi", "en"),
    [(0.0028, "0,3 %", "0.3%"), (0.0009, "0,09 %", "0.09%"), (0.00004, "dưới 0,01 %", "under 0.01%")],
)
def test_a_gap_never_reads_zero_when_it_is_not(gap: float, vi: str, en: str) -> None:
    assert gap_words(gap, "vi").replace("\u00a0", " ") == vi
    assert gap_words(gap, "en") == en


def test_a_proven_optimum_and_a_plan_near_its_bound_are_told_apart() -> None:
    assert status_words("OPTIMAL", "cpsat", 0.0, "en") == "Optimal plan, proven"
    assert (
        status_words("FEASIBLE", "cpsat", 0.00004, "en") == "Good plan, within under 0.01% of the best bound"
    )
    assert status_words("FEASIBLE", "greedy", 0.0, "vi") == "Phương án tham lam (không qua tối ưu hóa)"
    level = LevelResult(name="merit", status="FEASIBLE", objective=-9980, bound=-9989, wall_time=0.1)
    assert level_status(level, "en") == "feasible, within 0.09% of the best bound"
    assert level_status(level.model_copy(update={"status": "OPTIMAL"}), "vi") == "tối ưu (đã chứng minh)"
