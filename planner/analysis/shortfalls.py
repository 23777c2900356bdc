"""Shortfalls measured on the named plan, each with the cause it measured, and the plan's cost.

A cause is stated only when the written plan shows it. In order: too few eligible (and what
keeps the others out, rule by rule, a missing roster column named as such), at most so many
places in the years, the places of the programs taken, the eligible already nominated for
other programs in those years, their units at the absence cap, too few left to fill a
class, and the budget, blamed only when the money left in the years concerned is below the
cheapest way to close the shortfall. When none holds, the shortfall states what the plan
left unused (eligible people free, places, money).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Iterator
from itertools import islice

from models import ClassInfo, Nomination, Official, Program, Scenario, Shortfall, Target, Text
from planner.io.missing_data import column_header
from planner.io.text import counted, format_number
from planner.rules.eligibility import (
    MISSING_VALUE_LABELS,
    RULE_FIELDS,
    RULE_LABELS,
    Reason,
    failed_rules,
    rule_profile,
)
from planner.rules.facts import RosterFacts

#: A text in Vietnamese and English, as built here (`models.Text` on a Shortfall).
Pair = tuple[str, str]

#: Rules named with their counts in "only N eligible" (the rest are summed as "other").
TOP_REASONS = 3


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


def cost_after_plan(scenario: Scenario, nominations: list[Nomination]) -> tuple[int, int]:
    """People still studying after the plan's last year and what their years after it cost: the
    plan's budgets do not hold them (the next period's do), and a multi-year start in the plan's
    last years is charged only for its years inside it."""
    people = cost = 0
    for nomination in nominations:
        program = scenario.program(nomination.program)
        after = nomination.year + program.duration_years - 1 - scenario.end_year
        if not program.is_class and after > 0:
            people += 1
            cost += after * program.cost_per_person
    return people, cost


def shortfall_weight(scenario: Scenario, shortfall: Shortfall) -> float:
    """The scenario's weight of a shortfall's target, quota or yearly minimum."""
    if shortfall.kind == "target":
        return next(t.weight for t in scenario.targets if t.code == shortfall.code)
    if shortfall.kind == "quota":
        return next(q.weight for q in scenario.quotas if q.code == shortfall.code)
    return scenario.program(shortfall.code).minimum_weight


def weighted_shortfall(scenario: Scenario, shortfalls: list[Shortfall]) -> float:
    """The plan's shortfalls weighted as the model weighs them (relative to each requirement)."""
    return sum(shortfall_weight(scenario, s) * s.missing / max(s.required, 1) for s in shortfalls)


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
    return format_number(value, "en")


def _vi(value: int) -> str:
    return format_number(value, "vi")


def measure_shortfalls(
    facts: RosterFacts, nominations: list[Nomination], classes: list[ClassInfo]
) -> list[Shortfall]:
    """Every target and yearly minimum the plan does not reach, with the cause measured on the plan."""
    scenario = facts.scenario
    plan = _WrittenPlan(facts, nominations, classes)
    shortfalls = [s for t in scenario.targets if (s := _target_shortfall(plan, t))]
    for program in scenario.programs:
        for year in (y for y in scenario.years if scenario.runs_in(program, y)):
            code = program.code
            if program.is_class and program.classes_per_year_min > plan.classes[code, year]:
                need = program.classes_per_year_min
                people = need * program.class_size_min
                shortfalls.append(
                    _minimum(plan, code, "classes", [program], year, need, plan.classes[code, year], people)
                )
            elif not program.is_class and program.places_per_year_min > plan.starts[code, year]:
                need = program.places_per_year_min
                shortfalls.append(
                    _minimum(plan, code, "places", [program], year, need, plan.starts[code, year], need)
                )
    for quota in scenario.quotas:
        for year in scenario.years:
            done = sum(plan.starts[p, year] for p in quota.programs)
            if quota.min_per_year > done:
                programs = [
                    scenario.program(p) for p in quota.programs if scenario.runs_in(scenario.program(p), year)
                ]
                need = quota.min_per_year
                shortfalls.append(_minimum(plan, quota.code, "quota", programs, year, need, done, need))
    return shortfalls


class _WrittenPlan:
    """The named plan as the causes look at it: starts, classes, money left, who is nominated when."""

    def __init__(self, facts: RosterFacts, nominations: list[Nomination], classes: list[ClassInfo]):
        self.facts = facts
        self.scenario = scenario = facts.scenario
        self.years = frozenset(scenario.years)
        self.officials = facts.officials()
        self._profiles: dict[str, tuple] = {}
        self.starts = Counter((n.program, n.year) for n in nominations)
        self.classes = Counter((c.program, c.year) for c in classes)
        cost = plan_cost(scenario, nominations, classes)
        self.left: dict[int, int | None] = {}
        for year in scenario.years:
            limit = scenario.budget.limit(year)
            self.left[year] = None if limit is None else limit - cost[year]
        #: Officials who may start each (program, year).
        self.eligible = facts.eligible_by_start
        #: Each official's nominations as (program, first year, last year away).
        self.own: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
        for n in nominations:
            duration = scenario.program(n.program).duration_years
            self.own[n.official_id].append((n.program, n.year, n.year + duration - 1))
        self.away = facts.away_in_plan((n.official_id, n.program, n.year) for n in nominations)

    def profile(self, official: Official) -> tuple:
        """The official's `rule_profile` (the rules give officials of one profile the same verdicts),
        worked out once per plan measured."""
        found = self._profiles.get(official.id)
        if found is None:
            found = self._profiles[official.id] = rule_profile(official, self.facts.context)
        return found

    def nominated_for(self, official_id: str, programs: Iterable[str], year: int) -> bool:
        """True when the official starts one of the programs in that year."""
        codes = set(programs)
        return any(code in codes and first == year for code, first, _ in self.own.get(official_id, ()))

    def free(self, official_id: str, program: Program, year: int) -> bool:
        """True when the official's own nominations leave the start open: none overlaps, no repeat."""
        last = year + program.duration_years - 1
        return not any(
            code == program.code or (first <= last and year <= end)
            for code, first, end in self.own.get(official_id, ())
        )

    def unit_room(self, unit: str, program: Program, year: int) -> int:
        """People the unit's absence cap still lets start the program that year (every year of study)."""
        study = [y for y in range(year, year + program.duration_years) if y in self.years]
        return max(0, min(self.facts.away_room(unit, y) - self.away[unit, y] for y in study))

    def class_room(self, program: Program, year: int) -> int:
        """Seats left in the classes the plan opened."""
        return max(
            0, self.classes[program.code, year] * program.class_size_max - self.starts[program.code, year]
        )

    def places_left(self, programs: Iterable[Program], year: int) -> int | None:
        """Starts the yearly limits still admit for these programs together that year: each program's
        own limit, and a shared quota's for the programs it covers (None: no limit)."""
        own: dict[str, int | None] = {}
        for program in programs:
            if not self.scenario.runs_in(program, year):
                continue
            most = program.places_per_year_max
            if program.is_class and program.classes_per_year_max is not None:
                most = program.classes_per_year_max * program.class_size_max
            own[program.code] = None if most is None else max(0, most - self.starts[program.code, year])
        total = 0
        for quota in self.scenario.quotas:
            members = [code for code in own if code in quota.programs]
            if quota.max_per_year is None or not members:
                continue
            room = max(0, quota.max_per_year - sum(self.starts[p, year] for p in quota.programs))
            together = _total(own.pop(code) for code in members)
            total += room if together is None else min(room, together)
        rest = _total(own.values())
        return None if rest is None else total + rest

    def shortage(
        self, program: Program, year: int, people: int, new_classes: int | None = None
    ) -> Pair | None:
        """The first year whose money left is below the least that `people` more starts cost, said
        with both sums; None when the money left pays for them. For a class program: `new_classes`
        more classes, or by default the seats left filled first and new classes of at least the
        minimum size for the others."""
        if program.is_class and new_classes is not None:
            costs = {year: people * program.cost_per_person + new_classes * program.cost_per_class}
        elif program.is_class:
            costs = {year: _class_cost(program, people, self.class_room(program, year))}
        else:
            costs = {
                y: people * program.cost_per_person
                for y in range(year, year + program.duration_years)
                if y in self.years
            }
        for y, cost in costs.items():
            left = self.left[y]
            if left is not None and left < cost:
                return (
                    f"kinh phí năm {y} còn {_vi(left)} đồng, cần ít nhất {_vi(cost)} đồng",
                    f"the {y} budget has {_n(left)} VND left, at least {_n(cost)} VND needed",
                )
        return None


# --- yearly minimums ------------------------------------------------------------------------------


def _minimum(
    plan: _WrittenPlan,
    code: str,
    kind: str,
    programs: list[Program],
    year: int,
    need: int,
    done: int,
    people: int,
) -> Shortfall:
    """A yearly minimum (classes or places of a program, a shared quota) with its measured cause.

    `people` is how many must start for it (classes: the minimum size of each class).
    """
    head = f"{code} {year}"
    codes = [p.code for p in programs]
    pool = {i for p in programs for i in plan.eligible.get((p.code, year), ())}
    have = sum(plan.starts[c, year] for c in codes)
    extra = max(0, people - have)

    def not_eligible(official: Official) -> bool:
        """In the role groups, levels and categories of one of the programs, and not eligible."""
        return official.id not in pool and any(_in_audience(official, p) for p in programs)

    def free() -> Iterator[str]:
        """The eligible whose own nominations leave one of the programs open that year."""
        starts_of = plan.facts.starts_of
        for i in pool:
            if not plan.nominated_for(i, codes, year) and any(
                (p.code, year) in starts_of[i] and plan.free(i, p, year) for p in programs
            ):
                yield i

    if len(pool) < people:
        vi = f"{head}: chỉ {_vi(len(pool))} người đủ điều kiện, cần {_vi(people)}"
        en = f"{head}: only {counted(len(pool), 'eligible official', 'eligible officials')}, {_n(people)} needed"
        text = _with_breakdown(
            vi, en, _breakdown(plan, not_eligible, [(p, year) for p in programs], ("minimum",))
        )
    elif len(some := list(islice(free(), extra))) < extra:
        busy = len(pool) - len(some) - have
        text = (
            f"{head}: {_vi(busy)} trong {_vi(len(pool))} người đủ điều kiện đã có lượt cử trùng thời gian "
            f"hoặc đã được cử năm khác, còn {_vi(len(some))} người, cần thêm {_vi(extra)}",
            f"{head}: {_n(busy)} of the {_n(len(pool))} eligible already {'has' if busy == 1 else 'have'} "
            f"a nomination overlapping {year} or in another year; {_n(len(some))} free, {_n(extra)} more needed",
        )
        # the free few may be kept out too: say so rather than let them look unused
        if some and (capped := _short_under_caps(plan, some, [(p, year) for p in programs], len(some))):
            text = (
                f"{text[0]}; đơn vị của họ đã gần đủ tỷ lệ người đi học dài hạn, chỉ còn cử được {_vi(capped[1])}",
                f"{text[1]}; their units are near the cap of staff away on long programs: room for "
                f"{_n(capped[1])}",
            )
    elif capped := _short_under_caps(plan, free(), [(p, year) for p in programs], extra):
        count, room = capped
        text = (
            f"{head}: đơn vị của {_vi(count)} người đủ điều kiện còn rảnh đã gần đủ tỷ lệ người đi học "
            f"dài hạn, chỉ còn cử được {_vi(room)}, cần thêm {_vi(extra)}",
            f"{head}: the units of the {_n(count)} free eligible are near their cap of staff away on "
            f"long programs: room for {_n(room)}, {_n(extra)} more needed",
        )
    elif kind != "classes" and (full := _quota_full(plan, programs, year, need - done)):
        text = (f"{head}: {full[0]}", f"{head}: {full[1]}")
    elif short := _minimum_shortage(plan, kind, programs, year, need - done, extra):
        text = (f"{head}: {short[0]}", f"{head}: {short[1]}")
    else:
        text = _unused(head, sum(1 for _ in free()), plan, programs, [year])
    return Shortfall(
        code=code,
        kind=kind,
        year=year,
        required=need,
        achieved=done,
        unit="classes" if kind == "classes" else "people",
        reason=Text(*text),
    )


def _in_audience(official: Official, program: Program) -> bool:
    """True when the official is in the role groups, levels and categories the program is for."""
    rule = program.eligibility
    return (
        (rule.role_groups is None or official.role_group in rule.role_groups)
        and (rule.levels is None or official.level in rule.levels)
        and (rule.categories is None or official.category in rule.categories)
    )


def _short_under_caps(
    plan: _WrittenPlan, free: Iterable[str], options: list[tuple[Program, int]], needed: int
) -> tuple[int, int] | None:
    """When the units' absence caps let fewer than `needed` of the free start one of the options (each
    a multi-year program and year): how many are free, and how many the caps let start."""
    if any(p.duration_years == 1 for p, _ in options):
        return None
    in_unit: Counter[str] = Counter()
    room: dict[str, int] = {}
    count = allowed = 0
    for i in free:
        unit = plan.officials[i].unit
        if unit not in room:
            room[unit] = max(plan.unit_room(unit, p, y) for p, y in options)
        count += 1
        if in_unit[unit] < room[unit]:
            allowed += 1
            if allowed >= needed:
                return None
        in_unit[unit] += 1
    return count, allowed


def _quota_full(plan: _WrittenPlan, programs: list[Program], year: int, missing: int) -> Pair | None:
    """A shared yearly maximum that leaves fewer places than missing."""
    for quota in plan.scenario.quotas:
        if quota.max_per_year is None or not {p.code for p in programs} <= set(quota.programs):
            continue
        taken = sum(plan.starts[p, year] for p in quota.programs)
        if quota.max_per_year - taken < missing:
            return (
                f"đã đủ chỉ tiêu {quota.code} ({_vi(taken)}/{_vi(quota.max_per_year)} người năm {year})",
                f"the {quota.code} quota is full ({_n(taken)} of {_n(quota.max_per_year)} in {year})",
            )
    return None


def _class_cost(program: Program, people: int, seats: int) -> int:
    """The least that `people` more participants of a class program cost with `seats` free in the
    classes opened: new classes for the others, each paid for at least its minimum size."""
    rest = max(0, people - seats)
    new_classes = math.ceil(rest / program.class_size_max)
    paid = people - rest + max(rest, new_classes * program.class_size_min)
    return paid * program.cost_per_person + new_classes * program.cost_per_class


def _minimum_shortage(
    plan: _WrittenPlan, kind: str, programs: list[Program], year: int, missing: int, extra: int
) -> Pair | None:
    """The budget's part: the money left is below the cheapest way to close the minimum.

    Classes: the missing classes opened, and the people to fill every class to its minimum size.
    Places: the missing people in every year of their study. A quota: the same, with whichever of
    its programs costs least; the budget is named only if none of them fits.
    """
    if kind == "classes":
        (program,) = programs
        return plan.shortage(program, year, extra, new_classes=missing)
    cheapest_first = sorted(programs, key=lambda p: p.cost_per_person * p.duration_years)
    shortages = [plan.shortage(p, year, missing) for p in cheapest_first]
    if not shortages or None in shortages:
        return None
    return shortages[0]


def _unused(head: str, free: int, plan: _WrittenPlan, programs: list[Program], years: list[int]) -> Pair:
    """What the plan left unused where no limit explains a shortfall: free eligible, places, money."""
    vi = [f"còn {_vi(free)} người đủ điều kiện chưa được cử"]
    en = [f"{_n(free)} eligible not nominated"]
    places = _total(plan.places_left(programs, y) for y in years)
    if places is not None:
        vi.append(f"{_vi(places)} chỗ")
        en.append(counted(places, "place", "places"))
    money = _total(plan.left[y] for y in years)
    if money is not None:
        vi.append(f"{_vi(money)} đồng kinh phí")
        en.append(f"{_n(money)} VND")
    return f"{head}: {', '.join(vi)} chưa dùng", f"{head}: {', '.join(en)} left unused"


def _total(values: Iterable[int | None]) -> int | None:
    """The sum, or None when any value is None (no limit)."""
    total = 0
    for value in values:
        if value is None:
            return None
        total += value
    return total


# --- why the others are not eligible -----------------------------------------------------------------


def _breakdown(
    plan: _WrittenPlan, counted: Callable[[Official], bool], options: list[tuple[Program, int]], key: tuple
) -> list[tuple[Pair, int]]:
    """The officials `counted` by what keeps them out, most frequent first: for each, the first rule
    failed for the option (program, year) where they fail fewest. A column the roster lacks is
    named only for those it alone keeps out (adding it would let them in); the others are
    counted by the first other rule they fail.

    The counts depend on the facts only: they are kept in its context under `key` (what
    chose the officials), so measuring another plan of the same facts reuses them.
    """
    ctx = plan.facts.context
    cache_key = ("shortfall breakdown", key, tuple((p.code, y) for p, y in options))
    if (cached := ctx.cache.get(cache_key)) is not None:
        return list(cached)
    by_profile: Counter[tuple] = Counter()
    first: dict[tuple, Official] = {}
    for official in plan.facts.roster.officials if options else ():
        if counted(official):
            profile = plan.profile(official)
            by_profile[profile] += 1
            first.setdefault(profile, official)
    counts: Counter[Pair] = Counter()
    columns = plan.facts.roster.columns
    for profile, number in by_profile.items():
        tried = [failed_rules(first[profile], program, year, ctx, profile) for program, year in options]
        reasons = min((r for r in tried if r), key=len, default=())
        labels = [_label(reason, columns) for reason in reasons]
        other = [
            text for text, reason in zip(labels, reasons, strict=True) if not _column_missing(reason, columns)
        ]
        counts[(other or labels or [_EXCLUDED])[0]] += number
    found = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ctx.cache[cache_key] = tuple(found)
    return found


_EXCLUDED = ("loại theo quyết định", "excluded by a decision")


def _column_missing(reason: Reason, columns: frozenset[str]) -> str | None:
    """The field whose column the roster lacks, when that is what fails the rule."""
    field = reason.missing or RULE_FIELDS.get(reason.rule)
    return field if field is not None and field not in columns else None


def _label(reason: Reason, columns: frozenset[str]) -> Pair:
    """A few words for a reason: a missing column named as such, else the rule or the value missing."""
    if field := _column_missing(reason, columns):
        header = column_header(field)
        return f"thiếu cột '{header}'", f"column '{header}' missing"
    if reason.missing is not None:
        return MISSING_VALUE_LABELS.get(reason.missing, RULE_LABELS[reason.rule])
    return RULE_LABELS.get(reason.rule, (reason.rule, reason.rule))


def _with_breakdown(vi: str, en: str, counts: list[tuple[Pair, int]]) -> Pair:
    """The text followed by the top reasons with their counts (the rest as 'other')."""
    if not counts:
        return vi, en
    top, rest = counts[:TOP_REASONS], sum(n for _, n in counts[TOP_REASONS:])
    parts_vi = [f"{label[0]} {_vi(n)}" for label, n in top] + ([f"khác {_vi(rest)}"] if rest else [])
    parts_en = [f"{label[1]} {_n(n)}" for label, n in top] + ([f"other {_n(rest)}"] if rest else [])
    return (
        f"{vi}; không đủ điều kiện: {', '.join(parts_vi)}",
        f"{en}; not eligible: {', '.join(parts_en)}",
    )


# --- coverage targets -----------------------------------------------------------------------------


def target_reach(facts: RosterFacts, target: Target) -> tuple[int, int | None, list[int]]:
    """Untrained group members eligible by the deadline, places the yearly limits allow (None:
    unlimited), and the plan years up to the deadline."""
    scenario = facts.scenario
    years = [y for y in scenario.years if y <= target.deadline]
    eligible = sum(
        any(p in target.programs and y <= target.deadline for p, y in facts.starts_of[member])
        for member in facts.open_members[target.code]
    )
    caps = [capacity(scenario.program(p), years, scenario) for p in target.programs]
    places = None if None in caps else sum(c for c in caps if c is not None)
    return eligible, places, years


def _target_shortfall(plan: _WrittenPlan, target: Target) -> Shortfall | None:
    facts, scenario = plan.facts, plan.scenario
    open_members = facts.open_members[target.code]
    eligible, places, years = target_reach(facts, target)
    trained = {
        official_id
        for official_id, own in plan.own.items()
        if official_id in open_members
        and any(code in target.programs and first <= target.deadline for code, first, _ in own)
    }
    pre = facts.pre_covered.get(target.code, 0)
    required = facts.required[target.code]
    achieved = pre + len(trained)
    if achieved >= required:
        return None
    missing = required - achieved
    programs = [scenario.program(p) for p in target.programs]
    options = [(p, y) for p in programs for y in years if scenario.runs_in(p, y)]
    head = f"{target.code} {target.deadline}"
    share = (f"{target.share:.0%}",) * 2 if target.share is not None else (_vi(required), _n(required))

    def free() -> Iterator[str]:
        """The free untrained members, afresh at each call."""
        return _free_untrained(plan, options, open_members, trained)

    def not_eligible(official: Official) -> bool:
        """An open member of the group with no start open to them by the deadline."""
        starts = facts.starts_of[official.id]
        return official.id in open_members and not any((p.code, y) in starts for p, y in options)

    if not facts.group_size.get(target.code):
        text = (
            f"{head}: không ai trong danh sách thuộc nhóm của mục tiêu, cần {_vi(required)}",
            f"{head}: nobody on the roster is in the target's group, {_n(required)} needed",
        )
    elif pre + eligible < required:
        text = _with_breakdown(
            f"{head}: chỉ {_vi(eligible)} người chưa học đủ điều kiện (đã học {_vi(pre)}), cần {_vi(required)}",
            f"{head}: only {counted(eligible, 'untrained member is', 'untrained members are')} eligible "
            f"({_n(pre)} already trained), {_n(required)} needed",
            _breakdown(plan, not_eligible, _first_years(options), ("target", target.code)),
        )
    elif places is not None and places < required - pre:
        text = (
            f"{head}: {share[0]} cần {_vi(required)} người, tối đa {_vi(places)} chỗ trong {len(years)} năm",
            f"{head}: {share[1]} needs {_n(required)} people, at most {counted(places, 'place', 'places')} in "
            f"{counted(len(years), 'year', 'years')}",
        )
    elif (left := _total(plan.places_left(programs, y) for y in years)) is not None and left < missing:
        others = sum(plan.starts[p.code, y] for p, y in options) - len(trained)
        text = (
            f"{head}: đã hết chỗ {', '.join(target.programs)} đến {target.deadline} "
            f"({_vi(others)} chỗ cho người ngoài nhóm hoặc đã học)",
            f"{head}: the {', '.join(target.programs)} places up to {target.deadline} are taken "
            f"({_n(others)} by people outside the group or trained before)",
        )
    elif len(some := list(islice(free(), missing))) < missing:
        busy = eligible - len(trained) - len(some)
        text = (
            f"{head}: {_vi(busy)} người đủ điều kiện chưa học đã có lượt cử khác trùng mọi năm có thể học, "
            f"còn {_vi(len(some))} người, thiếu {_vi(missing)}",
            f"{head}: {counted(busy, 'eligible untrained member has', 'eligible untrained members have')} other "
            f"nominations in every year open to them; {_n(len(some))} free, {_n(missing)} missing",
        )
    elif capped := _short_under_caps(plan, free(), options, missing):
        count, room = capped
        text = (
            f"{head}: đơn vị của {_vi(count)} người đủ điều kiện còn rảnh đã gần đủ tỷ lệ người đi học "
            f"dài hạn, chỉ còn cử được {_vi(room)}, thiếu {_vi(missing)}",
            f"{head}: the units of the {_n(count)} free eligible are near their cap of staff away on "
            f"long programs: room for {_n(room)}, {_n(missing)} missing",
        )
    elif (blocked := _no_class_for(plan, (everyone_free := set(free())), options)) == "full":
        text = (
            f"{head}: các lớp mở cho {_vi(len(everyone_free))} người đủ điều kiện còn rảnh đã đủ chỗ và đủ số "
            "lớp tối đa",
            f"{head}: the classes open to the {_n(len(everyone_free))} eligible still free are full, at their "
            "yearly maximum",
        )
    elif blocked is not None:
        text = (
            f"{head}: {_vi(len(everyone_free))} người đủ điều kiện còn lại không đủ mở một lớp (tối thiểu "
            f"{blocked}) và các lớp đã mở không còn chỗ",
            f"{head}: the {_n(len(everyone_free))} eligible still free cannot fill a class (at least "
            f"{blocked}) and the classes opened are full",
        )
    elif short := _target_shortage(plan, programs, years, missing):
        text = (f"{head}: {short[0]}", f"{head}: {short[1]}")
    else:
        text = _unused(head, len(everyone_free), plan, programs, years)
    return Shortfall(
        code=target.code,
        kind="target",
        year=target.deadline,
        required=required,
        achieved=achieved,
        reason=Text(*text),
    )


def _free_untrained(
    plan: _WrittenPlan, options: list[tuple[Program, int]], members: Container[str], trained: Container[str]
) -> Iterator[str]:
    """Untrained `members` whose own nominations leave a start open by the deadline, once each."""
    seen: set[str] = set()
    for p, y in options:
        for i in plan.eligible.get((p.code, y), ()):
            if i not in seen and i in members and i not in trained and plan.free(i, p, y):
                seen.add(i)
                yield i


def _first_years(options: list[tuple[Program, int]]) -> list[tuple[Program, int]]:
    """Each program with the first year it is open in."""
    first: dict[str, tuple[Program, int]] = {}
    for program, year in options:
        first.setdefault(program.code, (program, year))
    return list(first.values())


def _no_class_for(plan: _WrittenPlan, free: set[str], options: list[tuple[Program, int]]) -> int | str | None:
    """When every start open to the free is a class with no seat left and no new class possible:
    "full" if some are at their yearly maximum of classes, else the smallest class size (the free
    eligible of that program and year, members or not, are too few to open one); else None."""
    if not free or not all(p.is_class for p, _ in options):
        return None
    starts_of = plan.facts.starts_of
    at_maximum = False
    for program, year in options:
        if not any((program.code, year) in starts_of[i] and plan.free(i, program, year) for i in free):
            continue
        if plan.class_room(program, year) > 0:
            return None
        most = program.classes_per_year_max
        if most is not None and plan.classes[program.code, year] >= most:
            at_maximum = True
            continue
        others = sum(plan.free(i, program, year) for i in plan.eligible.get((program.code, year), ()))
        if others >= program.class_size_min:
            return None
    return "full" if at_maximum else min(p.class_size_min for p, _ in options)


def _target_shortage(
    plan: _WrittenPlan, programs: list[Program], years: list[int], missing: int
) -> Pair | None:
    """The budget's part: the money left pays for fewer people than are missing, counted year by year
    and generously (so that the budget is named only when it surely binds): in each year, for each
    program open then, the seats left in its classes and as many new classes as the money opens at
    their minimum cost and filled to the maximum, or a year's fee in every year of study. None when
    some year has no limit or the money would do."""
    most = 0
    for year in years:
        for program in programs:
            if not plan.scenario.runs_in(program, year):
                continue
            affordable = _affordable(plan, program, year)
            if affordable is None:
                return None
            most += affordable
    if most >= missing:
        return None
    left = sum(plan.left[y] or 0 for y in years)
    span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    return (
        f"kinh phí {span} còn {_vi(left)} đồng, chỉ đủ cho tối đa {_vi(most)} người nữa, thiếu {_vi(missing)}",
        f"the {span} budget has {_n(left)} VND left, enough for at most {_n(most)} more, {_n(missing)} missing",
    )


def _affordable(plan: _WrittenPlan, program: Program, year: int) -> int | None:
    """At most how many more could start the program that year on the money left (None: no limit)."""
    study = (
        [year]
        if program.is_class
        else [y for y in range(year, year + program.duration_years) if y in plan.years]
    )
    money = [plan.left[y] for y in study]
    free_of_charge = program.cost_per_person == 0 and (not program.is_class or program.cost_per_class == 0)
    if None in money or free_of_charge:
        return None
    left = max(0, min(m for m in money if m is not None))
    by_fee = left // program.cost_per_person if program.cost_per_person else None
    if not program.is_class:
        return by_fee
    new_classes = left // (program.cost_per_class + program.class_size_min * program.cost_per_person)
    by_classes = plan.class_room(program, year) + new_classes * program.class_size_max
    return by_classes if by_fee is None else min(by_fee, by_classes)


def coverage_by_year(facts: RosterFacts, target: Target, nominations: list[Nomination]) -> dict[int, int]:
    """People of the target's group covered at the end of each plan year (history included)."""
    open_members = facts.open_members[target.code]
    first: dict[str, int] = {}
    for n in nominations:
        if n.program in target.programs and n.official_id in open_members:
            first[n.official_id] = min(n.year, first.get(n.official_id, n.year))
    per_year: dict[int, int] = defaultdict(int)
    for year in first.values():
        per_year[year] += 1
    total = facts.pre_covered.get(target.code, 0)
    result = {}
    for year in facts.scenario.years:
        total += per_year[year]
        result[year] = total
    return result
