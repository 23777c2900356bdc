"""The sets of starts one person can follow, and whether a cohort's counts can always be named.

A person starts at most one program a year, none while away on a multi-year program, and each
program once: a *pattern* is a set of starts no two of which conflict. Counts per start can be
given to a cohort's people exactly when they split into at most `size` patterns. The conflicts
between a cohort's starts form a graph; where that graph is perfect, the counts split whenever
no set of pairwise conflicting starts (a clique) has more takers than the cohort has people
(Lovász's perfect graph theorem, weighted form), which is what `PlanModel` states with its
clique constraints. Where it is not (a three-year PhD beside two class programs over three
years forms a five-cycle: DUTY 2023, DUTY 2024, PHD 2024, LEAD 2025, LEAD 2023), the clique
constraints admit counts nobody can follow, so `cohorts` makes each such official a cohort of
one, for whom they are exact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from functools import cache

Start = tuple[str, int]
Pattern = tuple[Start, ...]


def conflicts(starts: Sequence[Start], duration: Mapping[str, int]) -> dict[Start, frozenset[Start]]:
    """For each start, the starts one person cannot also take (same program, or years overlap)."""
    span = {(p, y): set(range(y, y + duration[p])) for p, y in starts}
    return {a: frozenset(b for b in starts if b != a and (a[0] == b[0] or span[a] & span[b])) for a in starts}


def patterns(starts: Sequence[Start], duration: Mapping[str, int]) -> Iterator[Pattern]:
    """Every non-empty pattern over `starts`, in a fixed order."""
    years: dict[str, list[int]] = defaultdict(list)
    for program, year in sorted(starts):
        years[program].append(year)
    programs = sorted(years)

    def extend(i: int, chosen: Pattern, busy: frozenset[int]) -> Iterator[Pattern]:
        if i == len(programs):
            if chosen:
                yield chosen
            return
        yield from extend(i + 1, chosen, busy)
        program = programs[i]
        for year in years[program]:
            span = frozenset(range(year, year + duration[program]))
            if not span & busy:
                yield from extend(i + 1, (*chosen, (program, year)), busy | span)

    return extend(0, (), frozenset())


def is_perfect(starts: Sequence[Start], duration: Mapping[str, int]) -> bool:
    """Whether the conflict graph of `starts` has no odd hole and no odd antihole (so is perfect)."""
    return _is_perfect(tuple(sorted(starts)), tuple(sorted(duration.items())))


@cache
def _is_perfect(starts: tuple[Start, ...], duration: tuple[tuple[str, int], ...]) -> bool:
    graph = conflicts(starts, dict(duration))
    complement = {a: frozenset(b for b in starts if b != a and b not in graph[a]) for a in starts}
    return _odd_hole(graph) is None and _odd_hole(complement) is None


def _odd_hole(graph: Mapping[Start, frozenset[Start]]) -> list[Start] | None:
    """An induced cycle of odd length five or more, if the graph has one."""
    order = {v: i for i, v in enumerate(sorted(graph))}

    def grow(path: list[Start]) -> list[Start] | None:
        first, last = path[0], path[-1]
        for v in sorted(graph[last]):
            if order[v] <= order[first] or v in path or any(v in graph[u] for u in path[1:-1]):
                continue
            if len(path) > 1 and first in graph[v]:  # v closes the cycle: no longer path through it
                if len(path) + 1 >= 5 and len(path) % 2 == 0:
                    return [*path, v]
                continue
            if (hole := grow([*path, v])) is not None:
                return hole
        return None

    for start in sorted(graph):  # each cycle is found from its first vertex
        if (hole := grow([start])) is not None:
            return hole
    return None
