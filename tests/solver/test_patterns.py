"""Patterns of starts one person can follow, and the perfect-graph test that decides when counts suffice."""

from __future__ import annotations

from itertools import combinations

from planner.solver.patterns import conflicts, is_perfect, patterns, singles

DURATION = {"LEAD": 1, "DUTY": 1, "MASTER": 2, "PHD": 3}
#: Five starts whose conflicts form a cycle without chords: two people can take four, not five.
FIVE_CYCLE = tuple(
    singles([("MASTER", 2026), ("LEAD", 2026), ("LEAD", 2028), ("DUTY", 2027), ("DUTY", 2028)])
)


def test_conflicts_are_same_program_or_overlapping_years() -> None:
    graph = conflicts(FIVE_CYCLE, DURATION)
    assert graph[("MASTER", 2026),] == {(("LEAD", 2026),), (("DUTY", 2027),)}  # away in 2026 and 2027
    assert graph[("LEAD", 2026),] == {(("MASTER", 2026),), (("LEAD", 2028),)}
    assert all(a in graph[b] for a in graph for b in graph[a])  # symmetric


def test_patterns_are_exactly_the_sets_without_a_conflict() -> None:
    graph = conflicts(FIVE_CYCLE, DURATION)
    independent = {
        frozenset(subset)
        for size in range(1, len(FIVE_CYCLE) + 1)
        for subset in combinations(FIVE_CYCLE, size)
        if not any(b in graph[a] for a, b in combinations(subset, 2))
    }
    found = [frozenset(p) for p in patterns(FIVE_CYCLE, DURATION)]
    assert len(found) == len(set(found))
    assert set(found) == independent
    assert max(len(p) for p in found) == 2


def test_a_five_cycle_of_conflicts_is_not_perfect() -> None:
    assert not is_perfect(FIVE_CYCLE, DURATION)
    # the generated provinces' case: a three-year PhD beside two class programs over three years
    starts = [(p, y) for p in ("LEAD", "DUTY") for y in (2023, 2024, 2025)] + [("PHD", 2024)]
    assert not is_perfect(singles(starts), DURATION)


def test_class_programs_alone_and_one_long_program_with_one_class_program_are_perfect() -> None:
    # one-year programs only: programs x years, a rook's graph (perfect)
    assert is_perfect(
        singles((p, y) for p in ("LEAD", "DUTY") for y in (2026, 2027, 2028, 2029, 2030)), DURATION
    )
    assert is_perfect(singles((p, y) for p in ("MASTER", "DUTY") for y in (2026, 2027, 2028)), DURATION)
    # removing one start of the cycle breaks it
    assert is_perfect(FIVE_CYCLE[:4], DURATION)
