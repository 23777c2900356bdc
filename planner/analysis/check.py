"""An independent checker of a plan: every hard rule re-derived from the nominations alone.

It knows nothing of the solver (no cohorts, no counts, no naming): it takes the roster, the
scenario and the named plan, and reports every rule the plan breaks, in Vietnamese and
English. It uses only the rule definitions themselves (`eligibility`, `coverage`). Tests run
it after every solve, and the workbook is not written for a plan that fails it.

`plan_figures` recomputes the plan's numbers the same way (starts, classes, cost, coverage),
so the workbook's summary can be compared against figures the solver did not produce.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field, replace
from typing import TypedDict

from models import ClassInfo, Nomination, Official, Program, Roster, Scenario, TrainingRecord
from planner.io.text import format_number
from planner.rules.coverage import covered_before, in_group, required_count
from planner.rules.eligibility import Context, reasons_not_eligible, rule_prerequisite

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Violation:
    """One broken rule, said in Vietnamese and English, with what it is about."""

    rule: str
    message_vi: str
    message_en: str
    official_id: str | None = None
    program: str | None = None
    year: int | None = None
    class_id: str | None = None

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message_vi} / {self.message_en}"


class _About(TypedDict, total=False):
    """What a violation is about (the keyword arguments of `Violation` after its messages)."""

    official_id: str | None
    program: str | None
    year: int | None
    class_id: str | None


class PlanCheckError(Exception):
    """A plan that breaks at least one rule; `violations` lists them all."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        shown = "\n".join(f"  {v}" for v in violations[:20])
        more = f"\n  ... {len(violations) - 20} more" if len(violations) > 20 else ""
        super().__init__(
            f"Phương án vi phạm {len(violations)} quy tắc / the plan breaks {len(violations)} rule(s):\n"
            f"{shown}{more}"
        )

    def __reduce__(self) -> tuple[type, tuple[list[Violation]]]:
        # rebuilt from the violations, not the message, when it crosses a process boundary
        return type(self), (self.violations,)


@dataclass(frozen=True)
class PlanView:
    """What every check reads: the inputs, and the nominations the later checks can reason about.

    `sound` keeps the nominations of known officials and programs, inside the plan years and
    in a year the program runs, once each (the first of duplicates): those that fail these
    basics are reported by `check_references` and `check_duplicates` and nowhere else.
    """

    roster: Roster
    scenario: Scenario
    nominations: list[Nomination]
    classes: list[ClassInfo]
    officials: dict[str, Official]
    programs: dict[str, Program]
    context: Context
    sound: list[Nomination]
    #: Classes of approved lists (a replan's closed years): held to their maximum size, not to their
    #: minimum, as a member who left cannot be replaced once the list is approved.
    approved_classes: frozenset[str] = frozenset()


Check = Callable[[PlanView], list[Violation]]


def _who(official: Official) -> str:
    return f"{official.id} ({official.name})"


# --- one function per rule family ---------------------------------------------------------------


def check_references(view: PlanView) -> list[Violation]:
    """Every nomination names a known official and program, a plan year, and a year the program runs."""
    violations = []
    years = set(view.scenario.years)
    for n in view.nominations:
        where: _About = {
            "official_id": n.official_id,
            "program": n.program,
            "year": n.year,
            "class_id": n.class_id,
        }
        if n.official_id not in view.officials:
            violations.append(
                Violation(
                    "unknown_official",
                    f"{n.official_id}: không có trong danh sách cán bộ ({n.program} {n.year})",
                    f"{n.official_id}: not in the roster ({n.program} {n.year})",
                    **where,
                )
            )
        program = view.programs.get(n.program)
        if program is None:
            violations.append(
                Violation(
                    "unknown_program",
                    f"{n.official_id}: chương trình {n.program} không có trong kịch bản",
                    f"{n.official_id}: program {n.program} is not in the scenario",
                    **where,
                )
            )
        if n.year not in years:
            span = f"{view.scenario.start_year}-{view.scenario.end_year}"
            violations.append(
                Violation(
                    "year_outside_plan",
                    f"{n.official_id} {n.program}: năm {n.year} ngoài kỳ kế hoạch {span}",
                    f"{n.official_id} {n.program}: year {n.year} is outside the plan {span}",
                    **where,
                )
            )
        elif program is not None and not view.scenario.runs_in(program, n.year):
            violations.append(
                Violation(
                    "program_not_running",
                    f"{n.official_id}: {n.program} không mở năm {n.year}",
                    f"{n.official_id}: {n.program} does not run in {n.year}",
                    **where,
                )
            )
    return violations


def check_duplicates(view: PlanView) -> list[Violation]:
    """Nobody is nominated twice for the same program and year."""
    counts = Counter((n.official_id, n.program, n.year) for n in view.nominations)
    return [
        Violation(
            "duplicate",
            f"{official_id}: được cử {count} lần vào {program} năm {year}",
            f"{official_id}: nominated {count} times for {program} in {year}",
            official_id=official_id,
            program=program,
            year=year,
        )
        for (official_id, program, year), count in sorted(counts.items())
        if count > 1
    ]


def check_eligibility(view: PlanView) -> list[Violation]:
    """Every nominee meets every eligibility rule of the program in the start year.

    A program finished earlier in the plan counts as a prerequisite, as one from the history
    does. Repeats and starts while away inside the plan are left to their own checks.
    """
    planned: dict[str, list[TrainingRecord]] = defaultdict(list)
    for n in view.sound:
        planned[n.official_id].append(
            TrainingRecord(official_id=n.official_id, program=n.program, year=n.year)
        )
    violations = []
    for n in view.sound:
        official, program = view.officials[n.official_id], view.programs[n.program]
        reasons = reasons_not_eligible(official, program, n.year, _without_itself(view, n))
        if any(r.rule == "prerequisite" for r in reasons) and _prerequisite_in_plan(
            view, official, program, n.year, planned[official.id]
        ):
            reasons = [r for r in reasons if r.rule != "prerequisite"]
        if reasons:
            violations.append(
                Violation(
                    "not_eligible",
                    f"{_who(official)}: không đủ điều kiện {n.program} năm {n.year}: "
                    + "; ".join(r.vi for r in reasons),
                    f"{_who(official)}: not eligible for {n.program} in {n.year}: "
                    + "; ".join(r.en for r in reasons),
                    official_id=n.official_id,
                    program=n.program,
                    year=n.year,
                    class_id=n.class_id,
                )
            )
    return violations


def _without_itself(view: PlanView, n: Nomination) -> Context:
    """The history without the nomination's own record: an approved nomination that `planner record`
    put into the history once completed is no repeat of itself (as `replan.prepare_replan` has it)."""
    history = view.context.history.get(n.official_id, [])
    own = [r for r in history if (r.program, r.year) != (n.program, n.year)]
    if len(own) == len(history):
        return view.context
    return Context(scenario=view.scenario, history={n.official_id: own})


def _prerequisite_in_plan(
    view: PlanView, official: Official, program: Program, year: int, planned: list[TrainingRecord]
) -> bool:
    """True when a program the plan gives the official, finished before `year`, meets the prerequisite."""
    history = {official.id: [*view.context.history.get(official.id, []), *planned]}
    return (
        rule_prerequisite(official, program, year, Context(scenario=view.scenario, history=history)) is None
    )


def check_one_start_a_year(view: PlanView) -> list[Violation]:
    """A person starts at most one program a year."""
    starts: dict[tuple[str, int], list[str]] = defaultdict(list)
    for n in view.sound:
        starts[n.official_id, n.year].append(n.program)
    violations = []
    for (official_id, year), programs in sorted(starts.items()):
        if len(programs) > 1:
            who = _who(view.officials[official_id])
            listed = ", ".join(sorted(programs))
            violations.append(
                Violation(
                    "two_starts",
                    f"{who}: bắt đầu {len(programs)} chương trình năm {year} ({listed}), tối đa 1",
                    f"{who}: starts {len(programs)} programs in {year} ({listed}), at most 1",
                    official_id=official_id,
                    year=year,
                )
            )
    return violations


def check_not_away(view: PlanView) -> list[Violation]:
    """Nobody starts a program while away on a multi-year program started earlier in the plan."""
    by_official: dict[str, list[Nomination]] = defaultdict(list)
    for n in view.sound:
        by_official[n.official_id].append(n)
    violations = []
    for official_id, own in sorted(by_official.items()):
        for earlier in own:
            duration = view.programs[earlier.program].duration_years
            end = earlier.year + duration - 1
            for n in own:
                if duration > 1 and earlier.year < n.year <= end:
                    who = _who(view.officials[official_id])
                    violations.append(
                        Violation(
                            "away",
                            f"{who}: bắt đầu {n.program} năm {n.year} khi đang đi học "
                            f"{earlier.program} ({earlier.year}-{end})",
                            f"{who}: starts {n.program} in {n.year} while away on "
                            f"{earlier.program} ({earlier.year}-{end})",
                            official_id=official_id,
                            program=n.program,
                            year=n.year,
                            class_id=n.class_id,
                        )
                    )
    return violations


def check_no_repeat(view: PlanView) -> list[Violation]:
    """Nobody takes the same program twice inside the plan."""
    years: dict[tuple[str, str], list[int]] = defaultdict(list)
    for n in view.sound:
        years[n.official_id, n.program].append(n.year)
    violations = []
    for (official_id, program), starts in sorted(years.items()):
        if len(starts) > 1:
            who = _who(view.officials[official_id])
            listed = ", ".join(map(str, sorted(starts)))
            violations.append(
                Violation(
                    "repeat",
                    f"{who}: được cử {program} {len(starts)} lần (năm {listed})",
                    f"{who}: nominated for {program} {len(starts)} times (years {listed})",
                    official_id=official_id,
                    program=program,
                )
            )
    return violations


def check_classes(view: PlanView) -> list[Violation]:
    """Class programs: each nominee in a listed class of the same program and year, sizes and counts kept.

    Slot programs carry no class.
    """
    return _class_references(view) + _class_sizes(view) + _classes_per_year(view)


def _class_references(view: PlanView) -> list[Violation]:
    violations = []
    infos: dict[str, ClassInfo] = {}
    for info in view.classes:
        program = view.programs.get(info.program)
        if info.class_id in infos:
            violations.append(
                Violation(
                    "class_duplicate",
                    f"{info.class_id}: mã lớp bị trùng",
                    f"{info.class_id}: class id listed twice",
                    program=info.program,
                    year=info.year,
                    class_id=info.class_id,
                )
            )
            continue
        infos[info.class_id] = info
        if program is None or not program.is_class or info.year not in view.scenario.years:
            violations.append(
                Violation(
                    "class_invalid",
                    f"{info.class_id}: lớp của {info.program} năm {info.year} không có trong kịch bản",
                    f"{info.class_id}: a class of {info.program} in {info.year} is not in the scenario",
                    program=info.program,
                    year=info.year,
                    class_id=info.class_id,
                )
            )
    for n in view.sound:
        where: _About = {
            "official_id": n.official_id,
            "program": n.program,
            "year": n.year,
            "class_id": n.class_id,
        }
        is_class = view.programs[n.program].is_class
        if not is_class and n.class_id is not None:
            violations.append(
                Violation(
                    "slot_with_class",
                    f"{n.official_id}: {n.program} là chương trình theo suất, không có lớp {n.class_id}",
                    f"{n.official_id}: {n.program} has places, not classes, yet names class {n.class_id}",
                    **where,
                )
            )
        elif is_class and n.class_id is None:
            violations.append(
                Violation(
                    "class_missing",
                    f"{n.official_id}: {n.program} năm {n.year} chưa xếp lớp",
                    f"{n.official_id}: {n.program} in {n.year} has no class",
                    **where,
                )
            )
        elif is_class and n.class_id not in infos:
            violations.append(
                Violation(
                    "class_unknown",
                    f"{n.official_id}: lớp {n.class_id} không có trong danh sách lớp",
                    f"{n.official_id}: class {n.class_id} is not in the list of classes",
                    **where,
                )
            )
        elif (
            is_class
            and n.class_id is not None  # (None is class_missing above)
            and (infos[n.class_id].program, infos[n.class_id].year) != (n.program, n.year)
        ):
            info = infos[n.class_id]
            violations.append(
                Violation(
                    "class_mismatch",
                    f"{n.official_id}: cử {n.program} năm {n.year} nhưng lớp {n.class_id} là "
                    f"{info.program} năm {info.year}",
                    f"{n.official_id}: nominated for {n.program} in {n.year} but class {n.class_id} is "
                    f"{info.program} in {info.year}",
                    **where,
                )
            )
    return violations


def _class_sizes(view: PlanView) -> list[Violation]:
    members = Counter((n.class_id, n.program, n.year) for n in view.sound if n.class_id is not None)
    violations = []
    seen: set[str] = set()
    for info in view.classes:
        program = view.programs.get(info.program)
        if (
            info.class_id in seen
            or program is None
            or not program.is_class
            or info.year not in view.scenario.years
        ):
            continue
        seen.add(info.class_id)
        where: _About = {"program": info.program, "year": info.year, "class_id": info.class_id}
        size = members[info.class_id, info.program, info.year]
        if size != info.size:
            violations.append(
                Violation(
                    "class_size_mismatch",
                    f"{info.class_id}: ghi sĩ số {info.size} nhưng có {size} người được cử",
                    f"{info.class_id}: listed with {info.size} people but {size} are nominated",
                    **where,
                )
            )
        if size < program.class_size_min and info.class_id not in view.approved_classes:
            violations.append(
                Violation(
                    "class_size",
                    f"{info.class_id}: {size} người, dưới sĩ số tối thiểu {program.class_size_min}",
                    f"{info.class_id}: {size} people, below the minimum class size {program.class_size_min}",
                    **where,
                )
            )
        elif size > program.class_size_max:
            violations.append(
                Violation(
                    "class_size",
                    f"{info.class_id}: {size} người, vượt sĩ số tối đa {program.class_size_max}",
                    f"{info.class_id}: {size} people, above the maximum class size {program.class_size_max}",
                    **where,
                )
            )
    return violations


def _classes_per_year(view: PlanView) -> list[Violation]:
    per_start = _class_ids(view.scenario, view.sound, view.classes)
    violations = []
    for (code, year), ids in sorted(per_start.items()):
        most = view.programs[code].classes_per_year_max
        if most is not None and len(ids) > most:
            violations.append(
                Violation(
                    "classes_per_year",
                    f"{code} năm {year}: {len(ids)} lớp, vượt số lớp tối đa {most}",
                    f"{code} in {year}: {len(ids)} classes, above the yearly maximum {most}",
                    program=code,
                    year=year,
                )
            )
    return violations


def check_places(view: PlanView) -> list[Violation]:
    """At most the yearly number of places of each program."""
    starts = Counter((n.program, n.year) for n in view.sound)
    violations = []
    for (code, year), count in sorted(starts.items()):
        most = view.programs[code].places_per_year_max
        if most is not None and count > most:
            violations.append(
                Violation(
                    "places_per_year",
                    f"{code} năm {year}: {count} người, vượt số suất tối đa {most}",
                    f"{code} in {year}: {count} people, above the yearly maximum of {most} places",
                    program=code,
                    year=year,
                )
            )
    return violations


def check_quota_maximums(view: PlanView) -> list[Violation]:
    """Shared yearly maximums over several programs."""
    starts = Counter((n.program, n.year) for n in view.sound)
    violations = []
    for quota in view.scenario.quotas:
        if quota.max_per_year is None:
            continue
        for year in view.scenario.years:
            count = sum(starts[p, year] for p in quota.programs)
            if count > quota.max_per_year:
                listed = ", ".join(quota.programs)
                violations.append(
                    Violation(
                        "quota_max",
                        f"{quota.code} năm {year}: {count} người ({listed}), vượt mức tối đa "
                        f"{quota.max_per_year}",
                        f"{quota.code} in {year}: {count} people ({listed}), above the maximum "
                        f"{quota.max_per_year}",
                        year=year,
                    )
                )
    return violations


def check_budget(view: PlanView) -> list[Violation]:
    """The cost of each plan year stays within its budget."""
    cost = yearly_cost(view.scenario, view.sound, view.classes)
    violations = []
    for year in view.scenario.years:
        limit = view.scenario.budget.limit(year)
        if limit is not None and cost[year] > limit:
            violations.append(
                Violation(
                    "budget",
                    f"năm {year}: chi phí {format_number(cost[year])} đồng, "
                    f"vượt kinh phí {format_number(limit)} đồng",
                    f"{year}: cost {format_number(cost[year], 'en')} VND, "
                    f"above the budget of {format_number(limit, 'en')} VND",
                    year=year,
                )
            )
    return violations


def check_unit_absence_cap(view: PlanView) -> list[Violation]:
    """In each unit and year, people away on multi-year programs stay within the unit's cap.

    People away from the history count towards the total, but only a plan that sends
    someone away in a year over the cap is at fault.
    """
    staff = Counter(o.unit for o in view.roster.officials)
    years = set(view.scenario.years)
    planned: dict[tuple[str, int], set[str]] = defaultdict(set)
    for n in view.sound:
        for year in _away_years(n.program, n.year, view.context):
            if year in years:
                planned[view.officials[n.official_id].unit, year].add(n.official_id)
    before: dict[tuple[str, int], set[str]] = defaultdict(set)
    for record in view.roster.history:
        for year in _away_years(record.program, record.year, view.context):
            if year in years:
                before[view.officials[record.official_id].unit, year].add(record.official_id)
    violations = []
    for (unit, year), sent in sorted(planned.items()):
        total = len(sent | before[unit, year])
        cap = away_cap(view.scenario, staff[unit])
        if total > cap:
            history_only = len(before[unit, year] - sent)
            violations.append(
                Violation(
                    "unit_cap",
                    f"{unit} năm {year}: {total} người đi học dài hạn ({len(sent)} theo kế hoạch, "
                    f"{history_only} từ trước) trên {staff[unit]} người, vượt mức tối đa {cap}",
                    f"{unit} in {year}: {total} people away on multi-year programs ({len(sent)} planned, "
                    f"{history_only} from the history) of {staff[unit]} staff, above the cap {cap}",
                    year=year,
                )
            )
    return violations


#: Every rule family, in the order violations are reported.
CHECKS: tuple[Check, ...] = (
    check_references,
    check_duplicates,
    check_eligibility,
    check_one_start_a_year,
    check_not_away,
    check_no_repeat,
    check_classes,
    check_places,
    check_quota_maximums,
    check_budget,
    check_unit_absence_cap,
)


# --- entry points ---------------------------------------------------------------------------------


def check_plan(
    roster: Roster,
    scenario: Scenario,
    nominations: list[Nomination],
    classes: list[ClassInfo],
    approved_classes: Collection[str] = (),
) -> list[Violation]:
    """Every rule the plan breaks (an empty list: the plan is valid); `approved_classes` (those of a
    replan's approved lists) may have fallen below their minimum size."""
    view = replace(
        _view(roster, scenario, nominations, classes), approved_classes=frozenset(approved_classes)
    )
    violations = [v for check in CHECKS for v in check(view)]
    if violations:
        log.info("plan check: %d violation(s)", len(violations))
    return violations


def assert_valid(
    roster: Roster,
    scenario: Scenario,
    nominations: list[Nomination],
    classes: list[ClassInfo],
    approved_classes: Collection[str] = (),
) -> None:
    """Raise PlanCheckError listing the violations unless the plan keeps every rule (`check_plan`)."""
    violations = check_plan(roster, scenario, nominations, classes, approved_classes)
    if violations:
        raise PlanCheckError(violations)


def _view(
    roster: Roster, scenario: Scenario, nominations: list[Nomination], classes: list[ClassInfo]
) -> PlanView:
    officials = roster.by_id()
    programs = {p.code: p for p in scenario.programs}
    years = set(scenario.years)
    sound: list[Nomination] = []
    seen: set[tuple[str, str, int]] = set()
    for n in nominations:
        key = (n.official_id, n.program, n.year)
        program = programs.get(n.program)
        if (
            key in seen
            or n.official_id not in officials
            or program is None
            or n.year not in years
            or not scenario.runs_in(program, n.year)
        ):
            continue
        seen.add(key)
        sound.append(n)
    return PlanView(
        roster=roster,
        scenario=scenario,
        nominations=list(nominations),
        classes=list(classes),
        officials=officials,
        programs=programs,
        context=Context(scenario=scenario, history=roster.history_by_official()),
        sound=sound,
    )


# --- shared arithmetic ----------------------------------------------------------------------------


def away_cap(scenario: Scenario, staff: int) -> int:
    """Most people of a unit of `staff` people that may be away on multi-year programs in one year."""
    rules = scenario.rules
    # the epsilon keeps e.g. 0.29 x 100 at 29 despite binary floating point
    return max(rules.away_min_allowed, int(rules.away_share_max * staff + 1e-9))


def _away_years(program: str, start: int, context: Context) -> range:
    """Years a start keeps someone away (empty for one-year programs)."""
    duration = context.duration(program)
    return range(start, start + duration) if duration > 1 else range(0)


def _class_ids(
    scenario: Scenario, nominations: Iterable[Nomination], classes: Iterable[ClassInfo]
) -> dict[tuple[str, int], set[str]]:
    """Classes of each class program and plan year: those listed, and those nominations name."""
    programs = {p.code: p for p in scenario.programs if p.is_class}
    years = set(scenario.years)
    ids: dict[tuple[str, int], set[str]] = defaultdict(set)
    for info in classes:
        if info.program in programs and info.year in years:
            ids[info.program, info.year].add(info.class_id)
    for n in nominations:
        if n.program in programs and n.year in years and n.class_id is not None:
            ids[n.program, n.year].add(n.class_id)
    return dict(ids)


def yearly_cost(
    scenario: Scenario, nominations: list[Nomination], classes: list[ClassInfo]
) -> dict[int, int]:
    """Cost of each plan year in VND, recomputed from the plan.

    Class programs cost `cost_per_class` per class and `cost_per_person` per participant in
    the start year; slot programs cost `cost_per_person` for each year of study inside the plan.
    """
    cost = dict.fromkeys(scenario.years, 0)
    programs = {p.code: p for p in scenario.programs}
    for (code, year), ids in _class_ids(scenario, nominations, classes).items():
        cost[year] += programs[code].cost_per_class * len(ids)
    for n in nominations:
        program = programs.get(n.program)
        if program is None:
            continue
        study = [n.year] if program.is_class else range(n.year, n.year + program.duration_years)
        for year in study:
            if year in cost:
                cost[year] += program.cost_per_person
    return cost


def cost_after(scenario: Scenario, nominations: list[Nomination]) -> tuple[int, int]:
    """People studying past the plan's last year and the cost of their years after it, recomputed."""
    last = max(scenario.years)
    programs = {p.code: p for p in scenario.programs}
    past = [
        (n, [y for y in range(n.year, n.year + programs[n.program].duration_years) if y > last])
        for n in nominations
        if n.program in programs and not programs[n.program].is_class
    ]
    return sum(1 for _, years in past if years), sum(
        programs[n.program].cost_per_person * len(years) for n, years in past
    )


# --- figures ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetFigures:
    """Coverage of one target, recomputed from the history and the plan."""

    code: str
    group_size: int
    covered_before: int
    required: int
    #: People of the group covered at the end of each plan year (history included).
    covered_by_year: dict[int, int]
    #: Covered at the deadline: plan nominations after it do not count.
    achieved: int

    @property
    def missing(self) -> int:
        """People still missing at the deadline."""
        return max(0, self.required - self.achieved)


@dataclass
class PlanFigures:
    """The plan's numbers recomputed from the nominations, to compare reports against."""

    #: People starting each (program, year); every program and plan year is present.
    starts: dict[tuple[str, int], int] = field(default_factory=dict)
    #: Classes of each (program, year); every class program and plan year is present.
    classes: dict[tuple[str, int], int] = field(default_factory=dict)
    cost_by_year: dict[int, int] = field(default_factory=dict)
    #: People studying past the plan's last year, and the cost of their years after it.
    after_plan: tuple[int, int] = (0, 0)
    targets: dict[str, TargetFigures] = field(default_factory=dict)
    #: Nominations per (unit, program, year), only where there is at least one.
    by_unit: dict[tuple[str, str, int], int] = field(default_factory=dict)

    @property
    def total_cost(self) -> int:
        """Cost over all plan years."""
        return sum(self.cost_by_year.values())


def plan_figures(
    roster: Roster, scenario: Scenario, nominations: list[Nomination], classes: list[ClassInfo]
) -> PlanFigures:
    """Starts, classes, cost, target coverage and nominations per unit, recomputed from the plan."""
    view = _view(roster, scenario, nominations, classes)
    starts = {(p.code, y): 0 for p in scenario.programs for y in scenario.years}
    starts.update(Counter((n.program, n.year) for n in view.sound))
    class_count = {(p.code, y): 0 for p in scenario.programs if p.is_class for y in scenario.years}
    class_count.update({key: len(ids) for key, ids in _class_ids(scenario, view.sound, classes).items()})
    by_unit = Counter((view.officials[n.official_id].unit, n.program, n.year) for n in view.sound)
    return PlanFigures(
        starts=starts,
        classes=class_count,
        cost_by_year=yearly_cost(scenario, view.sound, classes),
        after_plan=cost_after(scenario, view.sound),
        targets={t.code: _target_figures(view, t.code) for t in scenario.targets},
        by_unit=dict(sorted(by_unit.items())),
    )


def _target_figures(view: PlanView, code: str) -> TargetFigures:
    target = next(t for t in view.scenario.targets if t.code == code)
    group = [o for o in view.roster.officials if in_group(o, target, view.scenario)]
    history = view.context.history
    pre = {o.id for o in group if covered_before(o, target, history.get(o.id, []))}
    open_members = {o.id for o in group} - pre
    first: dict[str, int] = {}
    for n in view.sound:
        if n.program in target.programs and n.official_id in open_members:
            first[n.official_id] = min(n.year, first.get(n.official_id, n.year))
    covered_by_year = {
        year: len(pre) + sum(1 for start in first.values() if start <= year) for year in view.scenario.years
    }
    return TargetFigures(
        code=code,
        group_size=len(group),
        covered_before=len(pre),
        required=required_count(target, len(group)),
        covered_by_year=covered_by_year,
        achieved=covered_by_year[target.deadline],
    )
