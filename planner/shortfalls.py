"""Shortfalls measured on the named plan, each with the reason it measured, and the plan's cost."""

from __future__ import annotations

from collections import Counter, defaultdict

from models import ClassInfo, Nomination, Program, Scenario, Shortfall, Target
from planner.cohorts import Population


def plan_cost(scenario: Scenario, nominations: list[Nomination], classes: list[ClassInfo]) -> dict[int, int]:
    """Cost per plan year in VND: classes opened, participants, and people still studying."""
    cost = dict.fromkeys(scenario.years, 0)
    for info in classes:
        cost[info.year] += scenario.program(info.program).cost_per_class
    for nomination in nominations:
        program = scenario.program(nomination.program)
        for year in range(nomination.year, nomination.year + program.duration_years):
            if year in cost:
                cost[year] += program.cost_per_person
            if program.is_class:
                break
    return cost


def weighted_shortfall(scenario: Scenario, shortfalls: list[Shortfall]) -> float:
    """The plan's shortfalls weighted as the model weighs them (relative to each requirement)."""
    weights = {("target", t.code): t.weight for t in scenario.targets}
    weights |= {("quota", q.code): q.weight for q in scenario.quotas}
    weights |= {(kind, p.code): p.minimum_weight for p in scenario.programs for kind in ("classes", "places")}
    return sum(weights[s.kind, s.code] * s.missing / max(s.required, 1) for s in shortfalls)


def capacity(program: Program, years: list[int], scenario: Scenario) -> int | None:
    """Most people the program's yearly limits admit over these years (None: no limit)."""
    per_year = None
    if program.is_class and program.classes_per_year_max is not None:
        per_year = program.classes_per_year_max * program.class_size_max
    if program.places_per_year_max is not None:
        per_year = program.places_per_year_max
    for quota in scenario.quotas:
        if program.code in quota.programs and quota.max_per_year is not None:
            per_year = quota.max_per_year if per_year is None else min(per_year, quota.max_per_year)
    if per_year is None:
        return None
    return per_year * sum(1 for y in years if scenario.runs_in(program, y))


def _n(value: int) -> str:
    return f"{value:,}"


def measure_shortfalls(
    population: Population, nominations: list[Nomination], classes: list[ClassInfo]
) -> list[Shortfall]:
    """Every target and yearly minimum the plan does not reach, with a measured reason."""
    scenario = population.scenario
    cost = plan_cost(scenario, nominations, classes)
    tight_years = [
        y for y in scenario.years if (limit := scenario.budget.limit(y)) is not None and cost[y] > 0.9 * limit
    ]
    shortfalls = [
        s for t in scenario.targets if (s := _target_shortfall(population, t, nominations, tight_years))
    ]
    starts = Counter((n.program, n.year) for n in nominations)
    class_count = Counter((c.program, c.year) for c in classes)
    eligible = Counter(start for starts_ in population.starts_of.values() for start in starts_)
    room = _CapRoom(population, nominations)

    def minimum(
        code: str, kind: str, programs: list[str], year: int, need: int, done: int, people: int
    ) -> None:
        pool = sum(eligible[p, year] for p in programs)
        free = room.left(programs, year)
        if pool < people:
            vi = f"{code} {year}: chỉ {_n(pool)} người đủ điều kiện, cần {_n(people)}"
            en = f"{code} {year}: only {_n(pool)} eligible officials, {_n(people)} needed"
        elif free is not None and free < need - done:
            vi = f"{code} {year}: các đơn vị có người đủ điều kiện đã đủ tỷ lệ người đi học dài hạn"
            en = f"{code} {year}: the units of the eligible are at their cap of staff away on long programs"
        elif year in tight_years:
            vi = f"{code} {year}: kinh phí năm {year} đã dùng gần hết"
            en = f"{code} {year}: the {year} budget is used up"
        else:
            vi = f"{code} {year}: người đủ điều kiện đã được cử vào chương trình ưu tiên hơn hoặc đang đi học"
            en = f"{code} {year}: the eligible are taken by higher-priority programs or away studying"
        unit = "classes" if kind == "classes" else "people"
        shortfalls.append(
            Shortfall(
                code=code,
                kind=kind,
                year=year,
                required=need,
                achieved=done,
                unit=unit,
                reason=vi,
                reason_en=en,
            )
        )

    for program in scenario.programs:
        for year in (y for y in scenario.years if scenario.runs_in(program, y)):
            code = program.code
            if program.is_class and program.classes_per_year_min > class_count[code, year]:
                need = program.classes_per_year_min
                minimum(
                    code,
                    "classes",
                    [code],
                    year,
                    need,
                    class_count[code, year],
                    need * program.class_size_min,
                )
            elif not program.is_class and program.places_per_year_min > starts[code, year]:
                need = program.places_per_year_min
                minimum(code, "places", [code], year, need, starts[code, year], need)
    for quota in scenario.quotas:
        for year in scenario.years:
            done = sum(starts[p, year] for p in quota.programs)
            if quota.min_per_year > done:
                minimum(
                    quota.code, "quota", quota.programs, year, quota.min_per_year, done, quota.min_per_year
                )
    return shortfalls


class _CapRoom:
    """Places left under the units' absence caps once the plan's long programs are counted."""

    def __init__(self, population: Population, nominations: list[Nomination]):
        self.population = population
        unit_of = {o.id: o.unit for o in population.roster.officials}
        self.away: Counter = Counter()
        for n in nominations:
            duration = population.scenario.program(n.program).duration_years
            if duration > 1:
                for year in range(n.year, n.year + duration):
                    self.away[unit_of[n.official_id], year] += 1

    def left(self, programs: list[str], year: int) -> int | None:
        """Room in the units with people eligible for these programs (None: no multi-year program)."""
        scenario = self.population.scenario
        if all(scenario.program(p).duration_years == 1 for p in programs):
            return None
        units = {u for (p, u) in self.population.eligible_in_unit if p in programs}
        return sum(max(0, self.population.away_room(u, year) - self.away[u, year]) for u in units)


def target_reach(population: Population, target: Target) -> tuple[int, int | None, list[int]]:
    """Untrained group members eligible by the deadline, places the yearly limits allow (None:
    unlimited), and the plan years up to the deadline."""
    scenario = population.scenario
    years = [y for y in scenario.years if y <= target.deadline]
    eligible = sum(
        cohort.size
        for cohort in population.cohorts
        if target.code in cohort.targets
        and any(p in target.programs and y <= target.deadline for p, y in cohort.starts)
    )
    caps = [capacity(scenario.program(p), years, scenario) for p in target.programs]
    places = None if None in caps else sum(c for c in caps if c is not None)
    return eligible, places, years


def _target_shortfall(
    population: Population, target: Target, nominations: list[Nomination], tight_years: list[int]
) -> Shortfall | None:
    scenario = population.scenario
    open_members = population.open_members[target.code]
    eligible, places, years = target_reach(population, target)
    trained = {
        n.official_id
        for n in nominations
        if n.program in target.programs and n.year <= target.deadline and n.official_id in open_members
    }
    pre = population.pre_covered.get(target.code, 0)
    required = population.required[target.code]
    achieved = pre + len(trained)
    if achieved >= required:
        return None
    programs = [scenario.program(p) for p in target.programs]
    share = f"{target.share:.0%}" if target.share is not None else _n(required)
    if pre + eligible < required:
        vi = (
            f"{target.code} {target.deadline}: chỉ {_n(eligible)} người chưa học đủ điều kiện "
            f"(đã học {_n(pre)}), cần {_n(required)}"
        )
        en = (
            f"{target.code} {target.deadline}: only {_n(eligible)} untrained members are eligible "
            f"({_n(pre)} already trained), {_n(required)} needed"
        )
    elif places is not None and places < required - pre:
        vi = (
            f"{target.code} {target.deadline}: {share} cần {_n(required)} người, tối đa {_n(places)} chỗ "
            f"trong {len(years)} năm"
        )
        en = (
            f"{target.code} {target.deadline}: {share} needs {_n(required)} people, at most {_n(places)} "
            f"places in {len(years)} years"
        )
    elif all(p.is_class for p in programs) and 0 < eligible - len(trained) < min(
        p.class_size_min for p in programs
    ):
        left = eligible - len(trained)
        smallest = min(p.class_size_min for p in programs)
        vi = (
            f"{target.code}: {_n(left)} người đủ điều kiện còn lại không đủ mở một lớp (tối thiểu {smallest})"
        )
        en = f"{target.code}: the {_n(left)} eligible still untrained cannot fill a class (at least {smallest})"
    elif tight_years:
        vi = f"{target.code}: kinh phí các năm {', '.join(map(str, tight_years))} đã dùng gần hết"
        en = f"{target.code}: the budget of {', '.join(map(str, tight_years))} is used up"
    else:
        vi = f"{target.code}: chỗ học đã dành cho mục tiêu ưu tiên hơn hoặc người đủ điều kiện đang đi học"
        en = f"{target.code}: places went to higher-priority goals or the eligible are away studying"
    return Shortfall(
        code=target.code,
        kind="target",
        year=target.deadline,
        required=required,
        achieved=achieved,
        reason=vi,
        reason_en=en,
    )


def coverage_by_year(population: Population, target: Target, nominations: list[Nomination]) -> dict[int, int]:
    """People of the target's group covered at the end of each plan year (history included)."""
    open_members = population.open_members[target.code]
    first: dict[str, int] = {}
    for n in nominations:
        if n.program in target.programs and n.official_id in open_members:
            first[n.official_id] = min(n.year, first.get(n.official_id, n.year))
    per_year: dict[int, int] = defaultdict(int)
    for year in first.values():
        per_year[year] += 1
    total = population.pre_covered.get(target.code, 0)
    result = {}
    for year in population.scenario.years:
        total += per_year[year]
        result[year] = total
    return result
