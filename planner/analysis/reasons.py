"""Why each name is on the lists, and why each uncovered member of a target is not.

Every nomination gets its rule path: the program's conditions the person meets (the
eligibility facts) and what put them ahead of others (merit score and its features, an
open target with its deadline, a near title appointment). Every member of a target group
who was not covered before the plan and is not nominated by the deadline gets the binding
reason: not eligible (the eligibility rules that fail), or eligible but busy with another
nomination, places full (with their rank by merit score), the unit's absence cap reached,
or the money left in a year of study below what one more place costs. Texts come in Vietnamese and English; numbers are written
the Vietnamese way (1.234,5) in Vietnamese and the English way (1,234.5) in English.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from models import (
    EligibilityRule,
    Nomination,
    Official,
    Program,
    Rating,
    Result,
    Target,
    Text,
)
from models.enums import Coded
from planner.analysis.shortfalls import plan_cost
from planner.io.text import counted, format_number
from planner.rules.coverage import covered_before, in_group
from planner.rules.eligibility import (
    Context,
    age_on,
    reasons_not_eligible,
    reference_date,
    service_years,
    years_left,
    years_needed,
)
from planner.rules.facts import RosterFacts
from planner.rules.score import score_reasons

#: A text in Vietnamese and English, as built here (`models.Text` where it leaves this module).
Pair = tuple[str, str]

# Kinds of binding reasons, in the order a target member's reason is chosen when the
# options (program, year) they were eligible for were blocked for different reasons.
LATE = "late"
REPEAT = "repeat"
PLACES_FULL = "places_full"
NOT_CHOSEN = "not_chosen"
BUDGET = "budget"
UNIT_CAP = "unit_cap"
BUSY = "busy"
NOT_ELIGIBLE = "not_eligible"
EXCLUDED = "excluded"
PRIORITY = (LATE, REPEAT, PLACES_FULL, NOT_CHOSEN, BUDGET, UNIT_CAP, BUSY)

#: Short labels of the kinds, for filters in the workbook.
KIND_LABELS: dict[str, Pair] = {
    "nominated": ("Được cử", "Nominated"),
    LATE: ("Được cử sau hạn", "Nominated after the deadline"),
    REPEAT: ("Được cử năm khác", "Nominated in another year"),
    PLACES_FULL: ("Hết chỉ tiêu", "Places full"),
    NOT_CHOSEN: ("Không được chọn", "Not chosen"),
    BUDGET: ("Hết kinh phí", "Budget used up"),
    UNIT_CAP: ("Đơn vị đủ người đi học", "Unit absence cap"),
    BUSY: ("Đang bận", "Busy"),
    NOT_ELIGIBLE: ("Không đủ điều kiện", "Not eligible"),
}


@dataclass(frozen=True)
class NotNominated:
    """A member of a target group, not covered before the plan, left off the lists by the deadline."""

    official_id: str
    target: str
    program: str
    reason: Text
    #: One of the kinds above (not_eligible, busy, places_full, unit_cap, budget, not_chosen, late).
    kind: str = ""


def format_years(years: list[int]) -> str:
    """Years as 2026-2028 when consecutive (three or more), else 2026, 2028."""
    years = sorted(set(years))
    if len(years) > 2 and years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}-{years[-1]}"
    return ", ".join(map(str, years))


def _both(vi: float, decimals: int = 0) -> Pair:
    return format_number(vi, "vi", decimals), format_number(vi, "en", decimals)


def _en(value: Coded) -> str:
    return value.label_en


# --- eligibility facts -----------------------------------------------------------------------------


def _audience_fact(official: Official, rule: EligibilityRule) -> Pair:
    """The official's role group and level, as far as the rule names them."""
    vi: list[str] = []
    en: list[str] = []
    if rule.role_groups:
        vi.append(official.role_group.label)
        en.append(_en(official.role_group))
    if rule.levels:
        vi.append(f"cấp {official.level.label.lower()}")
        en.append(f"at {_en(official.level)} level")
    return " ".join(vi), " ".join(en)


def eligibility_facts(
    official: Official, program: Program, year: int, ctx: Context, planned: Sequence[Nomination] = ()
) -> list[Pair]:
    """The program's conditions the official meets for starting in `year`, one text per condition
    (`planned`: the official's nominations in the plan, which may hold the prerequisite)."""
    rule = program.eligibility
    day = reference_date(ctx.scenario, year)
    facts: list[Pair] = []
    if rule.role_groups or rule.levels:
        facts.append(_audience_fact(official, rule))
    if rule.categories:
        facts.append((official.category.label.lower(), _en(official.category)))
    if rule.professions:
        facts.append((f"chuyên môn {official.profession}", f"profession {official.profession}"))
    if rule.educations:
        facts.append(
            (f"trình độ {official.education.label}", f"holds a {_en(official.education)} qualification")
        )
    if rule.max_age is not None and (
        not rule.max_age_categories or official.category in rule.max_age_categories
    ):
        age = age_on(official.birth_date, day)
        facts.append((f"{age} tuổi ≤ {rule.max_age}", f"aged {age} ≤ {rule.max_age}"))
    if rule.min_rating is not None:
        facts.append(_rating_fact(official, rule.rating_years))
    if rule.requires_pipeline:
        facts.append(("trong quy hoạch", "in the succession pipeline"))
    if rule.min_service_years is not None:
        served = service_years(official, day) or 0.0
        vi = format_number(int(served))
        facts.append((f"thâm niên {vi} năm", f"{counted(int(served), 'year', 'years')} of service"))
    needed = years_needed(official, program)
    if needed:
        vi, en = _both(years_left(official, day, ctx.scenario), 1)
        need_vi, need_en = _both(needed, 1 if needed % 1 else 0)
        facts.append((f"còn {vi} năm công tác ≥ {need_vi}", f"{en} working years left ≥ {need_en}"))
    if rule.before_title_year and official.title_year is not None:
        facts.append(
            (
                f"học trước năm bổ nhiệm CDNN {official.title_year}",
                f"trained before the title appointment in {official.title_year}",
            )
        )
    prerequisite = _prerequisite_fact(official, program, year, ctx, planned)
    if prerequisite:
        facts.append(prerequisite)
    return facts


def _rating_fact(official: Official, rating_years: int) -> Pair:
    latest, previous = official.rating, official.rating_previous
    if latest is None:
        return ("chưa có xếp loại", "no rating")
    if rating_years == 1:
        return (f"xếp loại {latest.label.lower()}", f"rated {_en(latest)}")
    if previous == latest:
        return (f"xếp loại {latest.label.lower()} 2 năm liền", f"rated {_en(latest)} 2 years running")
    previous_vi = previous.label.lower() if previous else "-"
    previous_en = _en(previous) if previous else "-"
    return (
        f"xếp loại {latest.label.lower()}, năm trước {previous_vi}",
        f"rated {_en(latest)}, the year before {previous_en}",
    )


def _prerequisite_fact(
    official: Official, program: Program, year: int, ctx: Context, planned: Sequence[Nomination]
) -> Pair | None:
    rule = program.eligibility
    if not rule.prerequisite_educations and not rule.prerequisite_programs:
        return None
    if official.education in rule.prerequisite_educations:
        return (f"đã có trình độ {official.education.label}", f"holds a {_en(official.education)}")
    for record in ctx.history.get(official.id, []):
        if (
            record.program in rule.prerequisite_programs
            and record.year + ctx.duration(record.program) <= year
        ):
            return (f"đã học {record.program} năm {record.year}", f"took {record.program} in {record.year}")
    for n in planned:
        if n.program in rule.prerequisite_programs and n.year + ctx.duration(n.program) <= year:
            return (
                f"học {n.program} năm {n.year} trong kế hoạch",
                f"takes {n.program} in {n.year} in this plan",
            )
    return None


_SCORE_FEATURES_EN = {
    "trong quy hoạch": "in the succession pipeline",
    "chưa được đào tạo, bồi dưỡng": "not trained before",
}


def _score_feature_en(part: str) -> str:
    """English for one feature of planner.rules.score.score_reasons (the Vietnamese text when unknown)."""
    if part in _SCORE_FEATURES_EN:
        return _SCORE_FEATURES_EN[part]
    for rating in Rating:
        if part == f"xếp loại {rating.label.lower()}":
            return f"rated {_en(rating)}"
    if part.startswith("lĩnh vực ưu tiên"):
        return "priority field" + part.removeprefix("lĩnh vực ưu tiên")
    if part.startswith("còn trên ") and part.endswith(" năm công tác"):
        return f"more than {part.removeprefix('còn trên ').removesuffix(' năm công tác')} working years left"
    return part


# --- the plan as seen by the reasons ------------------------------------------------------------


@dataclass(frozen=True)
class _Blocker:
    """Why one eligible option (program, year) of an official did not happen; `detail` feeds the text."""

    kind: str
    program: str
    year: int
    detail: tuple = ()


class _Plan:
    """The named plan with what the reasons look up: nominations per person, starts, costs, ranks."""

    def __init__(self, facts: RosterFacts, result: Result):
        self.facts = facts
        self.scenario = scenario = facts.scenario
        self.ctx = facts.context
        self.officials = facts.officials()
        self.programs = {p.code: p for p in scenario.programs}
        self.year_list = scenario.years
        self.years = frozenset(self.year_list)
        self.scores = facts.scores_of
        self.open_targets = facts.open_targets_of
        self.by_official: dict[str, list[Nomination]] = defaultdict(list)
        for n in result.nominations:
            self.by_official[n.official_id].append(n)
        self.starts = Counter((n.program, n.year) for n in result.nominations)
        self.classes = Counter((c.program, c.year) for c in result.classes)
        self.cost = plan_cost(scenario, result.nominations, result.classes)
        self.plan_away = facts.away_in_plan((n.official_id, n.program, n.year) for n in result.nominations)
        # merit scores of everyone eligible for a program (negated, ascending: bisect gives the rank)
        pools: dict[str, list[int]] = defaultdict(list)
        for scores in self.scores.values():
            for code, score in scores.items():
                pools[code].append(-score)
        self.pools = {code: sorted(values) for code, values in pools.items()}
        lowest: dict[str, int] = {}
        for n in result.nominations:
            own = self.scores.get(n.official_id, {}).get(n.program)
            if own is not None:
                lowest[n.program] = min(own, lowest.get(n.program, own))
        self.lowest = lowest
        #: Per (program, year): what filled its places and the money short of one more (`blocker`).
        self.room: dict[tuple[str, int], tuple[tuple | None, tuple[int, int, int] | None]] = {}
        #: Per (program, score): the rank said (`_rank_text`).
        self.rank_texts: dict[tuple[str, int], Pair] = {}

    # --- look-ups -------------------------------------------------------------------------------

    def score(self, official_id: str, program: str) -> int:
        """The merit score of the official for the program (0 when not eligible)."""
        return self.scores.get(official_id, {}).get(program, 0)

    def rank(self, program: str, score: int) -> tuple[int, int]:
        """Rank by merit score among everyone eligible for the program (ties share a rank), and their number."""
        pool = self.pools.get(program, [])
        return bisect.bisect_left(pool, -score) + 1, len(pool)

    def nomination(self, official_id: str, program: str, year: int) -> Nomination | None:
        """The official's nomination for this program and year, if any."""
        return next(
            (n for n in self.by_official.get(official_id, []) if (n.program, n.year) == (program, year)),
            None,
        )

    def _rank_text(self, official_id: str, program: str) -> Pair:
        """The official's rank for the program, said once per score (many people share one)."""
        score = self.score(official_id, program)
        if (program, score) not in self.rank_texts:
            self.rank_texts[program, score] = self._rank_of_score(program, score)
        return self.rank_texts[program, score]

    def _rank_of_score(self, program: str, score: int) -> Pair:
        rank, pool = self.rank(program, score)
        r_vi, r_en = _both(rank)
        p_vi, p_en = _both(pool)
        vi = f"xếp thứ {r_vi}/{p_vi} theo điểm {program} ({score} điểm"
        en = f"ranked {r_en} of {p_en} by {program} score ({score} points"
        if program in self.lowest:
            vi += f"; người được cử thấp nhất {self.lowest[program]} điểm"
            en += f"; lowest nominee {self.lowest[program]} points"
        return vi + ")", en + ")"

    # --- why a nomination ------------------------------------------------------------------------

    def why_nominated(self, n: Nomination) -> Pair:
        """Eligibility facts and what put the official ahead of others, in Vietnamese and English."""
        official = self.officials[n.official_id]
        program = self.programs[n.program]
        planned = self.by_official.get(official.id, ())
        facts = eligibility_facts(official, program, n.year, self.ctx, planned) or [
            ("không có điều kiện riêng", "no specific condition")
        ]
        score = self.score(official.id, program.code)
        features = score_reasons(official, program, self.scenario, self.ctx.history.get(official.id, []))
        priority_vi = f"{score} điểm"
        priority_en = f"{score} points"
        if features:
            priority_vi += f" ({', '.join(features)})"
            priority_en += f" ({', '.join(_score_feature_en(f) for f in features)})"
        rank, pool = self.rank(program.code, score)
        r_vi, r_en = _both(rank)
        p_vi, p_en = _both(pool)
        why_vi = [priority_vi, f"xếp thứ {r_vi}/{p_vi} theo điểm"]
        why_en = [priority_en, f"ranked {r_en} of {p_en} by score"]
        for target in self.scenario.targets:
            if (
                target.code in self.open_targets.get(official.id, ())
                and program.code in target.programs
                and n.year <= target.deadline
            ):
                why_vi.append(f"thuộc diện mục tiêu {target.code} (hạn {target.deadline})")
                why_en.append(f"member of target {target.code} (deadline {target.deadline})")
        if official.title_year is not None and program.eligibility.before_title_year:
            why_vi.append(f"dự kiến bổ nhiệm CDNN năm {official.title_year}")
            why_en.append(f"title appointment planned for {official.title_year}")
        vi = f"Đủ điều kiện: {'; '.join(f[0] for f in facts)}. Ưu tiên: {'; '.join(why_vi)}."
        en = f"Eligible: {'; '.join(f[1] for f in facts)}. Priority: {'; '.join(why_en)}."
        for d in self.facts.decisions:
            if d.action == "pin" and (d.official_id, d.program, d.year) == (n.official_id, n.program, n.year):
                vi = f"Cử theo quyết định thủ công ({d.reason or 'không ghi lý do'}). {vi}"
                en = f"Pinned by a manual decision ({d.reason or 'no reason given'}). {en}"
        return vi, en

    # --- why not an eligible option ------------------------------------------------------------------

    def blocker(self, official: Official, program: Program, year: int) -> _Blocker:
        """What kept an eligible official from starting the program in that year (not nominated for it).

        In order: nominated for it in another year, busy with another nomination, the unit's
        absence cap, places full, too little money left for one more place; else simply not chosen.
        """
        code = program.code
        own = self.by_official.get(official.id, ())
        for n in own:
            if n.program == code and n.year != year:
                return _Blocker(REPEAT, code, year, (n.year,))
        last = year + program.duration_years - 1
        clashes = tuple(n for n in own if n.year <= last and year <= n.year + self._duration(n) - 1)
        if clashes:
            return _Blocker(BUSY, code, year, clashes)
        if program.duration_years > 1:
            cap = self.facts.away_cap(official.unit)
            for y in range(year, last + 1):
                away = self.facts.away_history.get((official.unit, y), 0) + self.plan_away[official.unit, y]
                if y in self.years and away >= cap:
                    return _Blocker(UNIT_CAP, code, year, (y, away, cap))
        if (code, year) not in self.room:  # the same for everyone: worked out once a start
            self.room[code, year] = (self._full(program, year), self._money_short(program, year))
        full, short = self.room[code, year]
        if full is not None:
            return _Blocker(PLACES_FULL, code, year, full)
        if short is not None:
            return _Blocker(BUDGET, code, year, short)
        return _Blocker(NOT_CHOSEN, code, year)

    def text(self, official: Official, blocker: _Blocker) -> Pair:
        """The blocker said in Vietnamese and English."""
        code, year, detail = blocker.program, blocker.year, blocker.detail
        if blocker.kind == REPEAT:
            return f"đã được cử {code} năm {detail[0]}", f"nominated for {code} in {detail[0]}"
        if blocker.kind == BUSY:
            vi = ", ".join(self._describe(n, "vi") for n in detail)
            en = ", ".join(self._describe(n, "en") for n in detail)
            return f"bận: {vi}", f"busy: {en}"
        if blocker.kind == UNIT_CAP:
            y, away, cap = detail
            unit = official.unit
            return (
                f"{code} {year}: đơn vị {unit} đã đủ người đi học dài hạn năm {y} ({away}/{cap})",
                f"{code} {year}: unit {unit} already has its most people away in {y} ({away}/{cap})",
            )
        if blocker.kind == BUDGET:
            y, left, needed = detail
            left_vi, left_en = _both(left)
            needed_vi, needed_en = _both(needed)
            return (
                f"{code} {year}: kinh phí năm {y} còn {left_vi} đồng, một chỗ nữa cần {needed_vi} đồng",
                f"{code} {year}: the {y} budget has {left_en} VND left, one more place needs {needed_en} VND",
            )
        rank_vi, rank_en = self._rank_text(official.id, code)
        if blocker.kind == PLACES_FULL:
            full_vi, full_en = self._full_text(detail)
            return (
                f"hết chỉ tiêu {code} năm {year} ({full_vi}): {rank_vi}",
                f"{code} {year} full ({full_en}): {rank_en}",
            )
        return (
            f"không được chọn vào các chỗ {code} năm {year} đã mở: {rank_vi}",
            f"not chosen for the {code} {year} places opened: {rank_en}",
        )

    def _duration(self, n: Nomination) -> int:
        return self.programs[n.program].duration_years

    def _describe(self, n: Nomination, lang: str) -> str:
        duration = self._duration(n)
        if duration > 1:
            span = f"{n.year}-{n.year + duration - 1}"
            return f"đi học {n.program} {span}" if lang == "vi" else f"away on {n.program} {span}"
        return (
            f"được cử {n.program} năm {n.year}" if lang == "vi" else f"nominated for {n.program} in {n.year}"
        )

    def _full(self, program: Program, year: int) -> tuple | None:
        """What filled the program's places in that year, or None when places were left."""
        starts = self.starts[program.code, year]
        if program.is_class:
            most = program.classes_per_year_max
            if most is not None and starts >= most * program.class_size_max:
                return ("classes", most, program.class_size_max)
        elif program.places_per_year_max is not None and starts >= program.places_per_year_max:
            return ("places", program.places_per_year_max)
        for quota in self.scenario.quotas:
            if (
                program.code in quota.programs
                and quota.max_per_year is not None
                and sum(self.starts[p, year] for p in quota.programs) >= quota.max_per_year
            ):
                return ("quota", quota.code, quota.max_per_year)
        return None

    @staticmethod
    def _full_text(full: tuple) -> Pair:
        if full[0] == "classes":
            _, most, size = full
            return f"đủ {most} lớp × {size} người", f"{most} classes of {size} filled"
        if full[0] == "places":
            return f"đủ {full[1]} chỗ", f"{full[1]} places filled"
        _, code, most = full
        return f"đủ chỉ tiêu {code} {most} người/năm", f"{code} quota of {most} a year filled"

    def _money_short(self, program: Program, year: int) -> tuple[int, int, int] | None:
        """The first year of the option whose money left is below what one more place costs, with the
        money left and the cost: a seat in a class opened, else a new class of the minimum size; a
        year's fee for each year of study in a slot program."""
        if not program.is_class:
            costs = {y: program.cost_per_person for y in range(year, year + program.duration_years)}
        elif self.starts[program.code, year] < self.classes[program.code, year] * program.class_size_max:
            costs = {year: program.cost_per_person}
        else:
            costs = {year: program.cost_per_class + program.class_size_min * program.cost_per_person}
        for y, cost in costs.items():
            limit = self.scenario.budget.limit(y)
            if y in self.cost and limit is not None and limit - self.cost[y] < cost:
                return y, limit - self.cost[y], cost
        return None

    # --- why a target member is not on the lists ------------------------------------------------

    def why_not(self, official: Official, target: Target) -> NotNominated:
        """The binding reason an uncovered member of the target is not nominated by the deadline."""
        late = [
            n
            for n in self.by_official.get(official.id, ())
            if n.program in target.programs and n.year > target.deadline
        ]
        if late:
            n = late[0]
            return NotNominated(
                official.id,
                target.code,
                n.program,
                Text(
                    f"được cử {n.program} năm {n.year}, sau hạn {target.deadline}",
                    f"nominated for {n.program} in {n.year}, after the deadline {target.deadline}",
                ),
                LATE,
            )
        for d in self.facts.decisions:
            if (
                d.action == "exclude"
                and d.official_id == official.id
                and d.program in (None, *target.programs)
            ):
                program = d.program or target.programs[0]
                return NotNominated(
                    official.id,
                    target.code,
                    program,
                    Text(
                        f"loại theo quyết định thủ công: {d.reason or 'không ghi lý do'}",
                        f"excluded by a manual decision: {d.reason or 'no reason given'}",
                    ),
                    EXCLUDED,
                )
        starts = self.facts.starts_of.get(official.id, frozenset())
        options = [
            (code, year)
            for code in target.programs
            for year in self.year_list
            if year <= target.deadline and (code, year) in starts
        ]
        if not options:
            vi, en = self._not_eligible(official, target)
            return NotNominated(official.id, target.code, target.programs[0], Text(vi, en), NOT_ELIGIBLE)
        blockers = [self.blocker(official, self.programs[code], year) for code, year in options]
        kind = min((b.kind for b in blockers), key=PRIORITY.index)
        chosen = [b for b in blockers if b.kind == kind]
        first = chosen[0]
        vi, en = self.text(official, first)
        others = [b.year for b in chosen[1:] if b.program == first.program]
        if kind == BUSY:
            clashes = tuple(dict.fromkeys(n for b in chosen for n in b.detail))
            vi = "bận các năm có thể học: " + ", ".join(self._describe(n, "vi") for n in clashes)
            en = "busy in every year open to them: " + ", ".join(self._describe(n, "en") for n in clashes)
        elif others:
            vi += f" (tương tự năm {format_years(others)})"
            en += f" (likewise in {format_years(others)})"
        return NotNominated(official.id, target.code, first.program, Text(vi, en), kind)

    def _not_eligible(self, official: Official, target: Target) -> Pair:
        """The eligibility reasons for the first year each of the target's programs runs."""
        parts_vi, parts_en = [], []
        for code in target.programs:
            program = self.programs[code]
            running = [
                y for y in self.year_list if self.scenario.runs_in(program, y) and y <= target.deadline
            ]
            year = running[0] if running else self.scenario.start_year
            reasons = reasons_not_eligible(official, program, year, self.ctx)
            vi = "; ".join(r.vi for r in reasons) or f"chưa đủ điều kiện trước hạn {target.deadline}"
            en = "; ".join(r.en for r in reasons) or f"not eligible before the deadline {target.deadline}"
            if len(target.programs) > 1:
                vi, en = f"{code}: {vi}", f"{code}: {en}"
            parts_vi.append(vi)
            parts_en.append(en)
        return " | ".join(parts_vi), " | ".join(parts_en)


# --- entry points ----------------------------------------------------------------------------------


def nomination_reasons(facts: RosterFacts, result: Result) -> dict[tuple[str, str, int], Text]:
    """For every nomination (official_id, program, year): the rule path in Vietnamese and English."""
    plan = _Plan(facts, result)
    return {(n.official_id, n.program, n.year): Text(*plan.why_nominated(n)) for n in result.nominations}


def non_nomination_reasons(facts: RosterFacts, result: Result) -> list[NotNominated]:
    """Every uncovered member of a target group not nominated for its programs by the deadline, and why.

    Ordered by target (scenario order), then official id.
    """
    plan = _Plan(facts, result)
    found = []
    for target in facts.scenario.targets:
        programs = set(target.programs)
        uncovered = facts.open_members[target.code]  # in the group, not covered before
        for official_id in sorted(uncovered):
            official = plan.officials[official_id]
            if any(
                n.program in programs and n.year <= target.deadline
                for n in plan.by_official.get(official.id, [])
            ):
                continue
            found.append(plan.why_not(official, target))
    return found


def explain_official(facts: RosterFacts, result: Result, official_id: str, lang: str = "vi") -> list[str]:
    """For each program and year of the scenario, whether the official is on the lists and why (or why not).

    The first lines name the official and their target groups; then one line per program and
    year. Raises ValueError for an unknown official id.
    """
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    plan = _Plan(facts, result)
    official = plan.officials.get(official_id)
    if official is None:
        raise ValueError(f"không có cán bộ mã {official_id!r} / no official with id {official_id!r}")
    vi = lang == "vi"
    scenario = facts.scenario
    history = facts.context.history.get(official.id, [])
    position = official.position or official.role_group.label_in(lang)
    lines = [f"{official.id} – {official.name} – {position} – {official.unit}"]
    for target in scenario.targets:
        if not in_group(official, target, scenario):
            continue
        planned = [
            n
            for n in plan.by_official.get(official.id, ())
            if n.program in target.programs and n.year <= target.deadline
        ]
        if covered_before(official, target, history):
            state = "đã đạt trước kế hoạch" if vi else "covered before the plan"
        elif planned:
            first = min(planned, key=lambda n: n.year)
            state = (
                f"đạt nhờ {first.program} {first.year}" if vi else f"covered by {first.program} {first.year}"
            )
        else:
            state = "chưa đạt" if vi else "not yet covered"
        lines.append(
            f"Thuộc nhóm mục tiêu {target.code} (hạn {target.deadline}): {state}"
            if vi
            else f"Member of target {target.code} (deadline {target.deadline}): {state}"
        )
    starts = facts.starts_of.get(official.id, frozenset())
    for program in scenario.programs:
        for year in scenario.years:
            head = f"{program.code} {year}"
            n = plan.nomination(official.id, program.code, year)
            if n is not None:
                why = plan.why_nominated(n)[0 if vi else 1]
                where = f", lớp {n.class_id}" if vi else f", class {n.class_id}"
                state = ("ĐƯỢC CỬ" if vi else "NOMINATED") + (where if n.class_id else "")
                lines.append(f"{head}: {state} – {why}")
            elif (program.code, year) in starts:
                text = plan.text(official, plan.blocker(official, program, year))
                state = "đủ điều kiện, không được cử" if vi else "eligible, not nominated"
                lines.append(f"{head}: {state} – {text[0 if vi else 1]}")
            else:
                reasons = reasons_not_eligible(official, program, year, facts.context)
                because = "; ".join(r.vi if vi else r.en for r in reasons) or (
                    "đang đi học" if vi else "away studying"
                )
                state = "không đủ điều kiện" if vi else "not eligible"
                lines.append(f"{head}: {state} – {because}")
    return lines
