"""The sets of starts one person can follow, and whether a cohort's counts can always be named.

A person starts at most one program a year, none while away on a multi-year program, and each
program once. The model counts *items*: a single start, or a chain of two (a master's, then a
PhD once it is finished: `eligibility.chained_starts`), which one person takes whole. A *pattern*
is a set of items no two of which conflict. Counts per item can be given to a cohort's people
exactly when they split into at most `size` patterns. The conflicts between a cohort's items form
a graph; where that graph is perfect, the counts split whenever no set of pairwise conflicting
items (a clique) has more takers than the cohort has people (Lovász's perfect graph theorem,
weighted form), which is what `PlanModel` states with its clique constraints. Where it is not (a
three-year PhD beside two class programs over three years forms a five-cycle: DUTY 2023,
DUTY 2024, PHD 2024, LEAD 2025, LEAD 2023), the clique constraints admit counts nobody can
follow, so `cohorts` makes each such official a cohort of one, for whom they are exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache

Start = tuple[str, int]
Item = tuple[Start, ...]
Pattern = tuple[Item, ...]


def singles(starts: Iterable[Start]) -> list[Item]:
    """Each start as an item of its own, in order."""
    return [(start,) for start in sorted(starts)]


def span(item: Item, duration: Mapping[str, int]) -> frozenset[int]:
    """The years an item keeps its taker busy (starting, or away on a long program)."""
    return frozenset(y for program, start in item for y in range(start, start + duration[program]))


def conflicts(items: Sequence[Item], duration: Mapping[str, int]) -> dict[Item, frozenset[Item]]:
    """For each item, the items one person cannot also take (a program in common, or years overlap)."""
    years = {item: span(item, duration) for item in items}
    programs = {item: {p for p, _ in item} for item in items}
    return {
        a: frozenset(b for b in items if b != a and (programs[a] & programs[b] or years[a] & years[b]))
        for a in items
    }


def patterns(items: Sequence[Item], duration: Mapping[str, int]) -> Iterator[Pattern]:
    """Every non-empty pattern over `items`, in a fixed order."""
    ordered = sorted(items)
    years = [span(item, duration) for item in ordered]
    programs = [frozenset(p for p, _ in item) for item in ordered]

    def extend(i: int, chosen: Pattern, busy: frozenset[int], done: frozenset[str]) -> Iterator[Pattern]:
        if i == len(ordered):
            if chosen:
                yield chosen
            return
        yield from extend(i + 1, chosen, busy, done)
        if not years[i] & busy and not programs[i] & done:
            yield from extend(i + 1, (*chosen, ordered[i]), busy | years[i], done | programs[i])

    return extend(0, (), frozenset(), frozenset())


def is_perfect(items: Sequence[Item], duration: Mapping[str, int]) -> bool:
    """Whether the conflict graph of `items` has no odd hole and no odd antihole (so is perfect)."""
    return _is_perfect(tuple(sorted(items)), tuple(sorted(duration.items())))


@cache
def _is_perfect(items: tuple[Item, ...], duration: tuple[tuple[str, int], ...]) -> bool:
    graph = conflicts(items, dict(duration))
    complement = {a: frozenset(b for b in items if b != a and b not in graph[a]) for a in items}
    return _odd_hole(graph) is None and _odd_hole(complement) is None


def _odd_hole(graph: Mapping[Item, frozenset[Item]]) -> list[Item] | None:
    """An induced cycle of odd length five or more, if the graph has one."""
    order = {v: i for i, v in enumerate(sorted(graph))}

    def grow(path: list[Item]) -> list[Item] | None:
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
