"""Who may start which program in which year: one function per rule, each giving a reason.

The same reasons appear in the workbook's Reasons sheet, so each says in Vietnamese and
English what is missing. Rules that involve the plan itself (one start a year, away on a
multi-year program planned earlier, no repeat inside the plan) live in the model and the
checker; the rules here depend only on the official, the history and the scenario.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from models import Gender, Official, Program, Rating, Scenario, TrainingRecord
from planner.io.text import format_number, normalize_key, short_number

RATING_ORDER = [Rating.NOT_DONE, Rating.DONE, Rating.GOOD, Rating.EXCELLENT]


@dataclass(frozen=True)
class Reason:
    """Why an official cannot start a program in a year."""

    rule: str
    vi: str
    en: str
    #: The field of `Official` whose missing value made the rule fail (None: a value failed it).
    missing: str | None = None


@dataclass(frozen=True)
class Context:
    """What the rules need besides the official: the scenario and the training history."""

    scenario: Scenario
    history: dict[str, list[TrainingRecord]]
    #: Verdicts of the rules by profile (officials the rules cannot tell apart).
    cache: dict[tuple, tuple] = field(default_factory=dict, compare=False)
    #: Eligible starts by profile (`eligible_starts`), and chains by profile and starts (`chained_starts`).
    starts_cache: dict[tuple, frozenset[tuple[str, int]]] = field(default_factory=dict, compare=False)
    chains_cache: dict[tuple, frozenset[tuple[tuple[str, int], tuple[str, int]]]] = field(
        default_factory=dict, compare=False
    )

    @cached_property
    def thresholds(self) -> tuple[tuple[int, ...], tuple[float, ...], tuple[float, ...]]:
        """Age limits, working-years-left and service-years values the scenario's rules compare against."""
        return _thresholds(self.scenario)

    @cached_property
    def reference_days(self) -> list[date]:
        """The reference day of each plan year."""
        return [reference_date(self.scenario, year) for year in self.scenario.years]

    @cached_property
    def _professions(self) -> frozenset[str]:
        return frozenset(
            normalize_key(name) for p in self.scenario.programs for name in p.eligibility.professions or []
        )

    def profession_key(self, profession: str) -> str:
        """The profession as the rules see it: '' unless some program asks for it."""
        key = normalize_key(profession)
        return key if key in self._professions else ""

    @cached_property
    def left_deadlines(self) -> tuple[tuple[date, ...], ...]:
        """Per working-years-left threshold (`thresholds`), the day it ends from each plan year's
        reference day: the same for every official, so worked out once."""
        return tuple(
            tuple(after_years(day, need) for day in self.reference_days) for need in self.thresholds[1]
        )

    @cached_property
    def day_offsets(self) -> list[int]:
        """Days from the first reference day to each plan year's reference day."""
        return [(day - self.reference_days[0]).days for day in self.reference_days]

    @cached_property
    def durations(self) -> dict[str, int]:
        """Duration in years of each program of the scenario."""
        return {p.code: p.duration_years for p in self.scenario.programs}

    def duration(self, program_code: str) -> int:
        """Duration in years of a program (1 for codes the scenario does not know)."""
        return self.durations.get(program_code, 1)


def reference_date(scenario: Scenario, year: int) -> date:
    """The day of the plan year on which ages and service are counted (1 January by default)."""
    return _reference_date(scenario.rules.reference_day, year)


@lru_cache(maxsize=1024)
def _reference_date(month_day: str, year: int) -> date:
    month, day = (int(part) for part in month_day.split("-"))
    return date(year, month, day)


def age_on(birth: date, day: date) -> int:
    """Age in whole years on a day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _roadmap_months(gender: Gender, year: int) -> int:
    """Retirement age in months for people reaching it in `year` (Labour Code 2019, Decree 135/2020)."""
    if gender is Gender.MALE:
        return min(60 * 12 + 3 + 3 * max(0, year - 2021), 62 * 12)
    return min(55 * 12 + 4 + 4 * max(0, year - 2021), 60 * 12)


def retirement_date(official: Official, scenario: Scenario) -> date:
    """The day the official reaches retirement age (fixed ages from the scenario, else the roadmap)."""
    rules = scenario.rules
    fixed = rules.retirement_age_men if official.gender is Gender.MALE else rules.retirement_age_women
    return _retirement(official.birth_date, official.gender, fixed)


@lru_cache(maxsize=65536)
def _retirement(birth: date, gender: Gender, fixed_years: float | None) -> date:
    if fixed_years is not None:
        return _add_months(birth, round(fixed_years * 12))
    for year in range(birth.year + 55, birth.year + 63):
        retire = _add_months(birth, _roadmap_months(gender, year))
        if retire.year <= year:
            return retire
    return _add_months(birth, 62 * 12)


def years_left(official: Official, day: date, scenario: Scenario) -> float:
    """Working years left before retirement, counted from `day`."""
    return (retirement_date(official, scenario) - day).days / 365.25


def after_years(day: date, years: float) -> date:
    """The day `years` after `day`, on the calendar (months counted, the month's last day kept):
    a threshold of N years is met on the N-th anniversary, not 365.25 x N days later."""
    return _add_months(day, round(years * 12))


def served_enough(official: Official, day: date, needed: float) -> bool:
    """Whether the official has served `needed` years on `day` (False when the hiring date is unknown)."""
    return official.hired_date is not None and after_years(official.hired_date, needed) <= day


def time_left_enough(official: Official, day: date, needed: float, scenario: Scenario) -> bool:
    """Whether `needed` years from `day` end no later than the official's retirement day."""
    return after_years(day, needed) <= retirement_date(official, scenario)


def service_years(official: Official, day: date) -> float | None:
    """Years since recruitment on `day` (None when the hiring date is unknown)."""
    if official.hired_date is None:
        return None
    return (day - official.hired_date).days / 365.25


@lru_cache(maxsize=256)
def _normalized(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(normalize_key(v) for v in values)


# --- one function per rule: None when the rule holds, else the reason --------------------

Rule = Callable[[Official, Program, int, Context], Reason | None]


def rule_program_runs(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """The program must open in that year."""
    if ctx.scenario.runs_in(p, year):
        return None
    return Reason("program_runs", f"{p.code} không mở năm {year}", f"{p.code} does not run in {year}")


def rule_in_service(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """The official must not have reached retirement age on the reference day."""
    if years_left(o, reference_date(ctx.scenario, year), ctx.scenario) > 0:
        return None
    return Reason("in_service", f"đã đến tuổi nghỉ hưu năm {year}", f"past retirement age in {year}")


def rule_role_group(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """The role group must be one the program is for."""
    allowed = p.eligibility.role_groups
    if not allowed or o.role_group in allowed:
        return None
    return Reason(
        "role_group",
        f"nhóm chức vụ '{o.role_group.label}' không thuộc đối tượng",
        f"role group '{o.role_group.label_en}' is not a target group",
    )


def rule_level(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """The administrative level (tỉnh/huyện/xã) must be one the program is for."""
    allowed = p.eligibility.levels
    if not allowed or o.level in allowed:
        return None
    return Reason(
        "level", f"cấp '{o.level.label}' không thuộc đối tượng", f"level '{o.level.label_en}' not eligible"
    )


def rule_category(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """Cán bộ, công chức or viên chức must be one the program is for."""
    allowed = p.eligibility.categories
    if not allowed or o.category in allowed:
        return None
    return Reason(
        "category",
        f"loại '{o.category.label}' không thuộc đối tượng",
        f"category '{o.category.label_en}' not eligible",
    )


def rule_age(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """Age on the reference day must not exceed the program's limit (for the categories it covers)."""
    rule = p.eligibility
    if rule.max_age is None or (rule.max_age_categories and o.category not in rule.max_age_categories):
        return None
    age = age_on(o.birth_date, reference_date(ctx.scenario, year))
    if age <= rule.max_age:
        return None
    return Reason(
        "age", f"{age} tuổi, quá tuổi tối đa {rule.max_age}", f"aged {age}, over the limit {rule.max_age}"
    )


def rule_education(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """The current qualification must be one the program admits."""
    allowed = p.eligibility.educations
    if not allowed or o.education in allowed:
        return None
    return Reason(
        "education",
        f"trình độ '{o.education.label}' không phù hợp",
        f"qualification '{o.education.label_en}' not admitted",
    )


def rule_profession(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """The profession (Chuyên môn) must be one the program is for."""
    allowed = p.eligibility.professions
    if not allowed or normalize_key(o.profession) in _normalized(tuple(allowed)):
        return None
    return Reason(
        "profession",
        f"chuyên môn '{o.profession or '-'}' không thuộc đối tượng",
        f"profession '{o.profession or '-'}' not eligible",
    )


def rule_rating(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """The latest rating (and the previous one when two years are asked) must be good enough.

    A missing previous rating counts as the scenario's `rules.missing_previous_rating` says:
    not met, or as the latest rating.
    """
    rule = p.eligibility
    if rule.min_rating is None:
        return None
    floor = RATING_ORDER.index(rule.min_rating)
    previous = o.rating_previous
    if previous is None and ctx.scenario.rules.missing_previous_rating == "as_latest":
        previous = o.rating
    ratings = [o.rating, previous][: rule.rating_years]
    if all(r is not None and RATING_ORDER.index(r) >= floor for r in ratings):
        return None
    if o.rating is None:
        return Reason("rating", "chưa có xếp loại", "no rating", missing="rating")
    if RATING_ORDER.index(o.rating) >= floor and previous is None:
        return Reason(
            "rating",
            f"chưa có xếp loại năm trước (cần 2 năm liền đạt '{rule.min_rating.label}')",
            f"no previous year's rating (2 years of '{rule.min_rating.label_en}' needed)",
            missing="rating_previous",
        )
    years = "2 năm liền" if rule.rating_years == 2 else "năm gần nhất"
    return Reason(
        "rating",
        f"xếp loại {years} chưa đạt '{rule.min_rating.label}'",
        f"rating below '{rule.min_rating.label_en}' in the last {rule.rating_years} year(s)",
    )


def rule_pipeline(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """Programs for the succession pipeline need `Quy hoạch` = Có."""
    if not p.eligibility.requires_pipeline or o.pipeline:
        return None
    return Reason("pipeline", "không trong quy hoạch", "not in the succession pipeline")


def rule_service(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """Enough years of service since recruitment."""
    needed = p.eligibility.min_service_years
    if needed is None:
        return None
    day = reference_date(ctx.scenario, year)
    if served_enough(o, day, needed):
        return None
    served = service_years(o, day)
    shown = "không rõ" if served is None else format_number(served, "vi", 1)
    return Reason(
        "service_years",
        f"thâm niên công tác {shown} năm, cần {short_number(needed)}",
        f"{'unknown' if served is None else format_number(served, 'en', 1)} years of service, "
        f"{short_number(needed, 'en')} needed",
        missing="hired_date" if served is None else None,
    )


def years_needed(o: Official, p: Program) -> float:
    """Working years the official needs left at the start: the study and the service commitment
    after it (the factor of the official's category where the program sets one), or the
    program's minimum if more; 0 when the program asks for none."""
    rule = p.eligibility
    needed = 0.0
    factor = rule.commitment_factor_by_category.get(o.category, rule.commitment_factor)
    if factor is not None:
        needed = p.duration_years * (1 + factor)
    if rule.min_years_left is not None:
        needed = max(needed, rule.min_years_left)
    return needed


def rule_commitment(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """Enough working years left for the study and the service commitment after it."""
    needed = years_needed(o, p)
    if needed == 0:
        return None
    day = reference_date(ctx.scenario, year)
    if time_left_enough(o, day, needed, ctx.scenario):
        return None
    left = years_left(o, day, ctx.scenario)
    return Reason(
        "years_left",
        f"còn {format_number(left, 'vi', 1)} năm công tác, cần {short_number(needed)} (thời gian học và cam kết)",
        f"{format_number(left, 'en', 1)} working years left, {short_number(needed, 'en')} needed "
        "(study and commitment)",
    )


def rule_title_year(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """Training before a title appointment: a planned year is needed and the start must precede it."""
    if not p.eligibility.before_title_year:
        return None
    if o.title_year is None:
        return Reason(
            "title_year",
            "không có năm dự kiến bổ nhiệm CDNN",
            "no planned title appointment year",
            missing="title_year",
        )
    if year <= o.title_year - 1:
        return None
    return Reason(
        "title_year",
        f"phải học trước năm bổ nhiệm {o.title_year}",
        f"must be trained before the appointment in {o.title_year}",
    )


def rule_prerequisite(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """A required qualification, or a required program finished before the start year."""
    rule = p.eligibility
    if not rule.prerequisite_educations and not rule.prerequisite_programs:
        return None
    if o.education in rule.prerequisite_educations:
        return None
    for record in ctx.history.get(o.id, []):
        if (
            record.program in rule.prerequisite_programs
            and record.year + ctx.duration(record.program) <= year
        ):
            return None
    programs = rule.prerequisite_programs
    needs_vi = ", ".join([e.label for e in rule.prerequisite_educations] + programs)
    needs_en = ", ".join([e.label_en for e in rule.prerequisite_educations] + programs)
    return Reason(
        "prerequisite", f"chưa có điều kiện tiên quyết ({needs_vi})", f"prerequisite missing ({needs_en})"
    )


def rule_not_repeated(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """Nobody repeats a program already in the training history."""
    for record in ctx.history.get(o.id, []):
        if record.program == p.code:
            return Reason(
                "already_trained",
                f"đã học {p.code} năm {record.year}",
                f"already took {p.code} in {record.year}",
            )
    return None


def rule_not_away(o: Official, p: Program, year: int, ctx: Context) -> Reason | None:
    """Nobody starts anything while away on a multi-year program from the history."""
    for record in ctx.history.get(o.id, []):
        end = record.year + ctx.duration(record.program) - 1
        if record.year <= year <= end and ctx.duration(record.program) > 1:
            return Reason(
                "away",
                f"đang đi học {record.program} ({record.year}-{end})",
                f"away on {record.program} ({record.year}-{end})",
            )
    return None


#: Rules that do not depend on the year, checked once per official and program.
STATIC_RULES: tuple[Rule, ...] = (
    rule_category,
    rule_level,
    rule_role_group,
    rule_profession,
    rule_education,
    rule_not_repeated,
    rule_rating,
    rule_pipeline,
)
#: Rules that depend on the plan year.
YEARLY_RULES: tuple[Rule, ...] = (
    rule_program_runs,
    rule_in_service,
    rule_prerequisite,
    rule_not_away,
    rule_age,
    rule_service,
    rule_commitment,
    rule_title_year,
)
#: Every eligibility rule, in the order reasons are reported.
RULES: tuple[Rule, ...] = STATIC_RULES + YEARLY_RULES

#: A few words for each rule, for counts of the officials it keeps out (Vietnamese, English).
RULE_LABELS: dict[str, tuple[str, str]] = {
    "category": ("loại cán bộ", "category"),
    "level": ("cấp", "level"),
    "role_group": ("nhóm chức vụ", "role group"),
    "profession": ("chuyên môn", "profession"),
    "education": ("trình độ", "qualification"),
    "already_trained": ("đã học", "already trained"),
    "rating": ("xếp loại", "rating"),
    "pipeline": ("không trong quy hoạch", "not in the pipeline"),
    "program_runs": ("chương trình không mở", "program not running"),
    "in_service": ("đã đến tuổi nghỉ hưu", "past retirement age"),
    "prerequisite": ("chưa có điều kiện tiên quyết", "prerequisite"),
    "away": ("đang đi học", "away studying"),
    "age": ("quá tuổi", "over the age limit"),
    "service_years": ("chưa đủ thâm niên", "service years"),
    "years_left": ("đến tuổi nghỉ hưu trước khi hết hạn cam kết", "reaches retirement age first"),
    "title_year": ("năm bổ nhiệm CDNN", "title appointment year"),
}
#: Words for a rule that fails for want of a value (the column is there, the cell is empty).
MISSING_VALUE_LABELS: dict[str, tuple[str, str]] = {
    "rating": ("chưa có xếp loại", "no rating"),
    "rating_previous": ("chưa có xếp loại năm trước", "no previous rating"),
    "hired_date": ("không rõ ngày tuyển dụng", "hired date unknown"),
    "title_year": ("không có năm dự kiến bổ nhiệm CDNN", "no planned title year"),
}
#: The field each rule reads, where a column left out of the roster makes it fail for everybody.
RULE_FIELDS: dict[str, str] = {
    "rating": "rating",
    "pipeline": "pipeline",
    "profession": "profession",
    "service_years": "hired_date",
    "title_year": "title_year",
}


def reasons_not_eligible(official: Official, program: Program, year: int, ctx: Context) -> list[Reason]:
    """Every rule the official fails for starting the program in that year (empty: eligible)."""
    reasons = (rule(official, program, year, ctx) for rule in RULES)
    return [reason for reason in reasons if reason is not None]


def is_eligible(official: Official, program: Program, year: int, ctx: Context) -> bool:
    """True when the official may start the program in that year."""
    return all(rule(official, program, year, ctx) is None for rule in RULES)


def eligible_starts(
    official: Official, ctx: Context, profile: tuple | None = None
) -> frozenset[tuple[str, int]]:
    """All (program, year) pairs of the scenario the official may start (`profile`: their
    `rule_profile`, when known).

    The rules run on the first official of each profile and their verdicts are reused: the
    year-independent rules per static profile, the yearly rules per program and yearly profile.
    """
    profile = profile or rule_profile(official, ctx)
    found = ctx.starts_cache.get(profile)
    if found is None:
        found = ctx.starts_cache[profile] = _eligible_starts(official, ctx, *profile)
    return found


def _eligible_starts(
    official: Official, ctx: Context, static_key: tuple, yearly_key: tuple
) -> frozenset[tuple[str, int]]:
    """`eligible_starts` for the first official of a profile, from the verdicts cached per part."""
    programs = ctx.cache.get(static_key)
    if programs is None:
        first = ctx.scenario.start_year
        programs = ctx.cache[static_key] = tuple(
            p
            for p in ctx.scenario.programs
            if all(rule(official, p, first, ctx) is None for rule in STATIC_RULES)
        )
    if not programs:
        return frozenset()
    starts: list[tuple[str, int]] = []
    for program in programs:
        years = ctx.cache.get((program.code, yearly_key))
        if years is None:
            years = ctx.cache[program.code, yearly_key] = tuple(
                y
                for y in ctx.scenario.years
                if all(rule(official, program, y, ctx) is None for rule in YEARLY_RULES)
            )
        starts += [(program.code, y) for y in years]
    return frozenset(starts)


def chained_starts(
    official: Official,
    ctx: Context,
    starts: frozenset[tuple[str, int]],
    profile: tuple | None = None,
) -> frozenset[tuple[tuple[str, int], tuple[str, int]]]:
    """Chains inside the plan: (first, then) where `first` is one of the official's `starts` and
    `then` a start of a program it is the prerequisite of (a PhD after a master's, CK II after
    CK I), once `first` is finished, that every other rule allows. Programs the official may
    start without it are left out: their prerequisite is met already. `profile`: the official's
    `rule_profile`, when known; officials of one profile with the same starts get the same chains."""
    profile = profile or rule_profile(official, ctx)
    found = ctx.chains_cache.get((profile, starts))
    if found is None:
        found = ctx.chains_cache[profile, starts] = _chained_starts(official, ctx, starts, profile)
    return found


def _chained_starts(
    official: Official, ctx: Context, starts: frozenset[tuple[str, int]], profile: tuple
) -> frozenset[tuple[tuple[str, int], tuple[str, int]]]:
    """`chained_starts` for the first official of a profile with these starts."""
    direct = {program for program, _ in starts}
    chains = []
    for program in ctx.scenario.programs:
        needs = program.eligibility.prerequisite_programs
        firsts = sorted(start for start in starts if start[0] in needs)
        if not firsts or program.code in direct:
            continue
        for year in _years_but_prerequisite(official, program, ctx, profile):
            chains += [
                (first, (program.code, year)) for first in firsts if first[1] + ctx.duration(first[0]) <= year
            ]
    return frozenset(chains)


def _years_but_prerequisite(
    official: Official, program: Program, ctx: Context, profile: tuple
) -> tuple[int, ...]:
    """The plan years in which the official (of `profile`) meets every rule of `program` but its
    prerequisite."""
    key = ("chain", program.code, *profile)
    years = ctx.cache.get(key)
    if years is None:
        first = ctx.scenario.start_year
        static = all(rule(official, program, first, ctx) is None for rule in STATIC_RULES)
        yearly = [rule for rule in YEARLY_RULES if rule is not rule_prerequisite]
        years = ctx.cache[key] = tuple(
            y
            for y in ctx.scenario.years
            if static and all(rule(official, program, y, ctx) is None for rule in yearly)
        )
    return years


def rule_profile(official: Official, ctx: Context) -> tuple:
    """What the rules look at of an official: officials with the same profile get the same verdicts."""
    return _static_profile(official, ctx), _yearly_profile(official, ctx)


def failed_rules(
    official: Official, program: Program, year: int, ctx: Context, profile: tuple | None = None
) -> tuple[Reason, ...]:
    """Every rule the official fails for starting the program in that year, as `reasons_not_eligible`
    gives them, but reused for officials of the same `rule_profile` (pass it when known): the texts
    are those of the first such official (their numbers may differ), the rules and fields the same."""
    key = ("failed", program.code, year, profile or rule_profile(official, ctx))
    found = ctx.cache.get(key)
    if found is None:
        found = ctx.cache[key] = tuple(reasons_not_eligible(official, program, year, ctx))
    return found


def _static_profile(o: Official, ctx: Context) -> tuple:
    """What the year-independent rules look at."""
    return (
        o.role_group, o.level, o.category, ctx.profession_key(o.profession), o.education, o.rating,
        o.rating_previous, o.pipeline, frozenset(r.program for r in ctx.history.get(o.id, [])),
    )  # fmt: skip


def _yearly_profile(o: Official, ctx: Context) -> tuple:
    """What the yearly rules look at, reduced to the comparisons they make.

    Ages, working years left and service years only matter through the first plan year in
    which each threshold of the scenario is crossed; old history only by program.
    """
    ages, _, service_needs = ctx.thresholds
    offsets = ctx.day_offsets
    first = ctx.reference_days[0]
    years = len(offsets)
    age = age_on(o.birth_date, first)
    if ages:
        age = min(max(age, ages[0] - years), ages[-1] + 1)
    retire = retirement_date(o, ctx.scenario)
    in_service = bisect_left(offsets, (retire - first).days)
    days = ctx.reference_days
    # the plan years in which each threshold holds: a first stretch (time left), a last (service)
    left = tuple(sum(deadline <= retire for deadline in deadlines) for deadlines in ctx.left_deadlines)
    service = None
    if o.hired_date is not None:
        anniversaries = _anniversaries(o.hired_date, service_needs)
        service = tuple(sum(anniversary > day for day in days) for anniversary in anniversaries)
    start, end = ctx.scenario.start_year, ctx.scenario.end_year
    title = None if o.title_year is None else min(max(o.title_year, start), end + 2)
    history = tuple((r.program, max(r.year, start - 6)) for r in ctx.history.get(o.id, []))
    return (o.category, o.education, title, history, age, in_service, left, service)


@lru_cache(maxsize=65536)
def _anniversaries(day: date, years: tuple[float, ...]) -> tuple[date, ...]:
    """`after_years(day, n)` for each n: officials hired on one day share them."""
    return tuple(after_years(day, n) for n in years)


def _thresholds(scenario: Scenario) -> tuple[tuple[int, ...], tuple[float, ...], tuple[float, ...]]:
    """Age limits, working-years-left and service-years values the scenario's rules compare against."""
    ages: set[int] = set()
    left: set[float] = set()
    service: set[float] = set()
    for program in scenario.programs:
        rule = program.eligibility
        if rule.max_age is not None:
            ages.add(rule.max_age)
        factors = {
            f for f in (rule.commitment_factor, *rule.commitment_factor_by_category.values()) if f is not None
        }
        left.update(program.duration_years * (1 + f) for f in factors)
        if rule.min_years_left is not None:
            left.add(rule.min_years_left)
        if rule.min_service_years is not None:
            service.add(rule.min_service_years)
    return tuple(sorted(ages)), tuple(sorted(left)), tuple(sorted(service))
