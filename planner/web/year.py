"""The year's work on the store: approve a year's lists (and withdraw the last approval while
nothing stands on it), manual decisions, attendance, replan.

What `planner plan --approved --decisions --previous` and `planner record` take as files is kept
here in tables: an approval names the plan whose lists of that year were approved (the plan is
then frozen), decisions are checked by `analysis.replan.check_decisions` as `solve` checks them,
attendance is checked by `io.decisions.read_attendance` and `record_history`. A replan is a plan
job that reads a snapshot of all three (`replanning`) and solves as `planner plan` does with them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from models import Attendance, Decision, Nomination, Roster, Scenario
from planner.io.errors import InputError, Problem
from planner.web.db import (
    DONE,
    FAILED,
    STOPPED,
    Approval,
    AttendanceRecord,
    AuditEntry,
    DecisionRecord,
    PlanNomination,
    PlanRecord,
    RosterImport,
    RosterOfficial,
    ScenarioRecord,
    audit,
    row,
    utc_now,
)
from planner.web.services import (
    known_programs,
    load_stored_scenario,
    plan_inputs,
    plan_result,
    plan_summary_of,
    uploaded_file,
)

log = logging.getLogger(__name__)

#: Longest name a page accepts for who did something, and for why an approval is withdrawn.
MAX_ACTOR = 100
MAX_REASON = 500
ACTIONS = ("pin", "exclude")
STATUSES = ("completed", "dropped")


class Conflict(InputError):
    """A request the stored state refuses, whatever was typed (HTTP 409): the problems say what stands
    in its way."""


def refuse(source: str, vi: str, en: str, key: str = "") -> InputError:
    """One bilingual problem as an `InputError` (for the caller to raise)."""
    return InputError(source, [Problem(vi, en, key=key)])


def actor(name: str) -> str:
    """Who does this, as typed on the page: required, at most `MAX_ACTOR` characters."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_ACTOR:
        raise refuse(
            "by",
            f"ghi tên người thực hiện (1 đến {MAX_ACTOR} ký tự)",
            f"write the name of who does this (1 to {MAX_ACTOR} characters)",
            key="by",
        )
    return name


def plan_scenario(session: Session, plan: PlanRecord) -> Scenario:
    """The scenario the plan was made with."""
    return load_stored_scenario(session, row(session, ScenarioRecord, plan.scenario_id))


# --- approvals ----------------------------------------------------------------------------------


def approvals(session: Session) -> dict[int, Approval]:
    """Every approved year, by year."""
    return {a.year: a for a in session.scalars(select(Approval).order_by(Approval.year))}


def approved_nominations(session: Session, years: Iterable[int] | None = None) -> list[Nomination]:
    """The approved lists: each approved year's nominations in the plan it was approved from."""
    statement = select(PlanNomination).join(
        Approval, and_(Approval.plan_id == PlanNomination.plan_id, Approval.year == PlanNomination.year)
    )
    if years is not None:
        statement = statement.where(PlanNomination.year.in_(list(years)))
    return [
        Nomination(official_id=n.official_id, program=n.program, year=n.year, class_id=n.class_id)
        for n in session.scalars(
            statement.order_by(PlanNomination.year, PlanNomination.program, PlanNomination.official_id)
        )
    ]


def _year_of(session: Session, plan_id: int, year: int) -> set[tuple[str, str, int]]:
    rows = session.execute(
        select(PlanNomination.official_id, PlanNomination.program, PlanNomination.year).where(
            PlanNomination.plan_id == plan_id, PlanNomination.year == year
        )
    )
    return {(o, p, y) for o, p, y in rows}


def approve_year(session: Session, plan: PlanRecord, year: int, by: str) -> Approval:
    """Approve the plan's lists of `year`: the year is closed, the plan frozen.

    Refused unless the plan is finished, the year is one of its scenario's, not approved yet, and
    the plan keeps every year approved before (it was made from them: a replan).
    """
    by = actor(by)
    source = f"kế hoạch / plan #{plan.id}"
    if plan.status not in (DONE, STOPPED) or plan.result_json is None:
        raise refuse(source, "kế hoạch chưa giải xong", "the plan is not finished")
    scenario = plan_scenario(session, plan)
    if year not in scenario.years:
        raise refuse(
            source,
            f"năm {year} không thuộc kế hoạch ({scenario.start_year}–{scenario.end_year})",
            f"{year} is not a year of the plan ({scenario.start_year}–{scenario.end_year})",
            key="year",
        )
    done = approvals(session)
    if year in done:
        held = done[year]
        raise refuse(
            source,
            f"năm {year} đã được duyệt theo kế hoạch #{held.plan_id} ({held.approved_by}, {held.approved_at:%Y-%m-%d})",
            f"{year} is already approved from plan #{held.plan_id} ({held.approved_by}, {held.approved_at:%Y-%m-%d})",
            key="year",
        )
    fallen = {(i.official_id, i.program, i.year) for i in plan_result(plan).approval_issues}
    differing = [
        a
        for y, a in done.items()
        if y in scenario.years
        and not _keeps(_year_of(session, a.plan_id, y), _year_of(session, plan.id, y), fallen)
    ]
    if differing:
        years = ", ".join(f"{a.year} (#{a.plan_id})" for a in differing)
        raise refuse(
            source,
            f"kế hoạch này không giữ danh sách đã duyệt của năm {years}: hãy lập lại kế hoạch từ các danh sách "
            "đã duyệt rồi duyệt kế hoạch mới",
            f"this plan does not keep the approved lists of {years}: replan from the approved lists, then "
            "approve the new plan",
        )
    approval = Approval(
        year=year, plan_id=plan.id, nominations=len(_year_of(session, plan.id, year)), approved_by=by
    )
    session.add(approval)
    audit(session, "year.approve", f"{year} from plan #{plan.id}: {approval.nominations} nominations", by)
    try:
        session.commit()
    except IntegrityError:  # approved at the same moment from another page
        session.rollback()
        raise refuse(
            source, f"năm {year} vừa được duyệt", f"{year} has just been approved", key="year"
        ) from None
    return approval


def _keeps(
    approved: set[tuple[str, str, int]], kept: set[tuple[str, str, int]], fallen: set[tuple[str, str, int]]
) -> bool:
    """A plan keeps an approved year when it has every approved nomination but those it lists as no
    longer standing (someone who left the roster), and no other."""
    return kept <= approved and approved - kept <= fallen


def frozen_by_plan(session: Session) -> dict[int, list[int]]:
    """The years approved from each plan that has any (those plans are frozen)."""
    found: dict[int, list[int]] = {}
    for approval in approvals(session).values():
        found.setdefault(approval.plan_id, []).append(approval.year)
    return found


def frozen_years(session: Session, plan_id: int) -> list[int]:
    """The years whose lists were approved from this plan (a plan with any is frozen)."""
    return list(session.scalars(select(Approval.year).where(Approval.plan_id == plan_id)))


def withdrawal_blocks(session: Session, approval: Approval) -> list[Problem]:
    """Why this approval can no longer be withdrawn (none: it can).

    The rule: an approval can be withdrawn while it is the last approved year, no replan has been
    made from it (a replan queued since the approval, of a scenario with that year, not failed: its
    lists were built on the approved ones) and no attendance is recorded for its lists (the training
    has begun). A withdrawn year is open again; its plan stays frozen only by its other approvals.
    """
    year, problems = approval.year, []
    later = sorted(y for y in approvals(session) if y > year)
    if later:
        years = ", ".join(map(str, later))
        problems.append(
            Problem(
                f"năm sau đã được duyệt ({years}): rút duyệt năm sau trước",
                f"a later year is approved ({years}): withdraw that approval first",
            )
        )
    replans = [
        plan.id
        for plan in session.scalars(
            select(PlanRecord)
            .where(
                PlanRecord.replan_json.is_not(None),
                PlanRecord.created_at >= approval.approved_at,
                PlanRecord.status != FAILED,
            )
            .order_by(PlanRecord.id)
        )
        if year in plan_scenario(session, plan).years
    ]
    if replans:
        plans = ", ".join(f"#{i}" for i in replans)
        problems.append(
            Problem(
                f"đã lập lại kế hoạch từ danh sách đã duyệt này (kế hoạch {plans})",
                f"a replan has been made from this approval (plan {plans})",
            )
        )
    results = sum(c["completed"] + c["dropped"] for c in attendance_counts(session) if c["year"] == year)
    if results:
        problems.append(
            Problem(
                f"đã ghi {results} kết quả học của danh sách này",
                f"{results} attendance results are recorded for these lists",
            )
        )
    return problems


def withdraw_approval(session: Session, year: int, reason: str, by: str) -> dict[str, Any]:
    """Withdraw the approval of `year` (`withdrawal_blocks` says when that is refused: `Conflict`);
    what was withdrawn, by whom, when and why.

    The approval row goes (no column holds a withdrawal); the audit log keeps what it was, who
    withdrew it, when and why.
    """
    by = actor(by)
    source = f"duyệt năm / approval of {year}"
    reason = " ".join(reason.split())
    if not reason or len(reason) > MAX_REASON:
        raise refuse(
            source,
            f"ghi lý do rút duyệt (1 đến {MAX_REASON} ký tự)",
            f"write why the approval is withdrawn (1 to {MAX_REASON} characters)",
            key="reason",
        )
    approval = approvals(session).get(year)
    if approval is None:
        raise Conflict(
            source, [Problem(f"năm {year} chưa được duyệt", f"{year} is not approved", key="year")]
        )
    blocks = withdrawal_blocks(session, approval)
    if blocks:
        raise Conflict(source, blocks)
    withdrawn = {
        "year": year,
        "plan_id": approval.plan_id,
        "nominations": approval.nominations,
        "approved_by": approval.approved_by,
        "approved_at": approval.approved_at.isoformat(),
        "withdrawn_by": by,
        "withdrawn_at": utc_now().isoformat(),
        "reason": reason,
    }
    session.delete(approval)
    audit(
        session,
        "approval.withdraw",
        f"{year} from plan #{approval.plan_id}: {approval.nominations} nominations, approved by "
        f"{approval.approved_by} at {approval.approved_at:%Y-%m-%d %H:%M} UTC; reason: {reason}",
        by,
    )
    try:
        session.commit()
    except StaleDataError:  # withdrawn at the same moment from another page
        session.rollback()
        raise Conflict(
            source, [Problem(f"năm {year} vừa được rút duyệt", f"{year} has just been withdrawn")]
        ) from None
    return withdrawn


def withdrawn_approvals(session: Session, limit: int = 20) -> list[AuditEntry]:
    """The latest withdrawals of approvals, newest first, as the audit log keeps them."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "approval.withdraw")
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )


# --- decisions ----------------------------------------------------------------------------------


def as_decision(record: DecisionRecord) -> Decision:
    """The stored decision as the solver takes it."""
    return Decision(
        action=record.action,
        official_id=record.official_id,
        program=record.program,
        year=record.year,
        reason=record.reason,
    )


def active_decisions(session: Session) -> list[DecisionRecord]:
    """Decisions not withdrawn, in the order they were made."""
    return list(
        session.scalars(
            select(DecisionRecord).where(DecisionRecord.withdrawn_at.is_(None)).order_by(DecisionRecord.id)
        )
    )


def parse_decision(action: str, official_id: str, program: str, year: str, reason: str) -> Decision:
    """A decision from the form's fields: program '' or '*' is every program, year '' every year."""
    source = "quyết định / decision"
    problems = []
    if action not in ACTIONS:
        problems.append(Problem("chọn cử hoặc không cử", "choose pin or exclude", key="action"))
    if not official_id.strip():
        problems.append(Problem("ghi mã cán bộ", "write the official's id", key="official_id"))
    if year.strip() and not year.strip().isdigit():
        problems.append(Problem(f"năm không hợp lệ: {year!r}", f"not a year: {year!r}", key="year"))
    every_program, every_year = program.strip() in ("", "*"), not year.strip()
    if action == "pin" and every_program:
        problems.append(Problem("cử vào chương trình nào?", "a pin needs one program", key="program"))
    if action == "pin" and every_year:
        problems.append(Problem("cử bắt đầu học năm nào?", "a pin needs its start year", key="year"))
    if problems:
        raise InputError(source, problems)
    return Decision(
        action=action,
        official_id=official_id.strip(),
        program=None if every_program else program.strip(),
        year=None if every_year else int(year),
        reason=reason.strip(),
    )


def _decision_problems(roster: Roster, scenario: Scenario, decisions: list[Decision]) -> list[Problem]:
    from planner.analysis.replan import check_decisions
    from planner.rules.eligibility import Context

    try:
        check_decisions(roster, scenario, decisions, Context(scenario, roster.history_by_official()))
    except InputError as error:
        return error.problems
    return []


def add_decision(session: Session, plan: PlanRecord, decision: Decision, by: str) -> DecisionRecord:
    """Keep a decision once the solver's check of decisions passes it on this plan's roster and
    scenario, the approved years closed (`InputError` naming the rule it breaks).

    Only what the new decision brings is refused: problems the decisions already kept have on
    this roster are left to the replan to report.
    """
    from planner.analysis.replan import prepare_replan

    by = actor(by)
    roster, scenario = plan_inputs(session, plan)
    closed = approvals(session)
    if decision.action == "pin" and decision.year in closed:
        raise refuse(
            "quyết định / decision",
            f"danh sách năm {decision.year} đã được duyệt (kế hoạch #{closed[decision.year].plan_id}): "
            "chỉ cử vào các năm chưa duyệt",
            f"the lists of {decision.year} are approved (plan #{closed[decision.year].plan_id}): pin in the "
            "open years only",
            key="year",
        )
    approved = approved_nominations(session, scenario.years)
    if approved:
        replan = prepare_replan(roster, scenario, approved)
        roster, scenario = replan.roster, replan.scenario
    kept = [as_decision(d) for d in active_decisions(session)]
    before = {p.message_vi for p in _decision_problems(roster, scenario, kept)}
    new = [p for p in _decision_problems(roster, scenario, [*kept, decision]) if p.message_vi not in before]
    if new:
        raise InputError(
            "quyết định / decision", [Problem(p.message_vi, p.message_en, key="decision") for p in new]
        )
    record = DecisionRecord(**decision.model_dump(), made_by=by)
    session.add(record)
    session.flush()
    audit(session, "decision.add", f"#{record.id} {_words(decision)}", by)
    session.commit()
    return record


def _words(decision: Decision) -> str:
    reason = f": {decision.reason}" if decision.reason else ""
    return (
        f"{decision.action} {decision.official_id} {decision.program or '*'} {decision.year or '*'}{reason}"
    )


def withdraw_decision(session: Session, decision_id: int, by: str) -> DecisionRecord:
    """Withdraw a decision (kept, with who withdrew it and when; replans no longer use it)."""
    by = actor(by)
    record = session.get(DecisionRecord, decision_id)
    if record is None or record.withdrawn_at is not None:
        raise refuse(
            "quyết định / decision",
            f"không có quyết định đang áp dụng số {decision_id}",
            f"no decision #{decision_id} in force",
        )
    record.withdrawn_by, record.withdrawn_at = by, utc_now()
    audit(session, "decision.withdraw", f"#{record.id} {_words(as_decision(record))}", by)
    session.commit()
    return record


# --- attendance ---------------------------------------------------------------------------------


def _keep_attendance(session: Session, results: Iterable[Attendance], source: str, by: str) -> int:
    """Store results (a later one for the same nomination replaces the earlier); how many."""
    count = 0
    for result in results:
        key = (result.official_id, result.program, result.year)
        record = session.get(AttendanceRecord, key) or AttendanceRecord(
            official_id=key[0], program=key[1], year=key[2]
        )
        record.status, record.source, record.recorded_by, record.recorded_at = (
            result.status,
            source,
            by,
            utc_now(),
        )
        session.add(record)
        count += 1
    return count


def record_attendance_file(session: Session, plan: PlanRecord, filename: str, data: bytes, by: str) -> int:
    """Read an attendance file as `planner record --attended` does (every row an approved nomination
    of someone on this plan's roster) and keep its results; how many were kept."""
    from planner.io.decisions import read_attendance, record_history

    by = actor(by)
    approved = approved_nominations(session)
    if not approved:
        raise refuse(filename, "chưa có năm nào được duyệt", "no year is approved yet")
    roster, scenario = plan_inputs(session, plan)
    known = sorted({*known_programs(scenario), *(n.program for n in approved)})
    with uploaded_file(filename, data, "tệp kết quả học", "an attendance file") as path:
        results = read_attendance(path, known_programs=known, official_ids=roster.by_id())
    record_history(roster, approved, results, source=path.name)  # refuses rows no approval names
    count = _keep_attendance(session, results, path.name, by)
    audit(session, "attendance.upload", f"{path.name}: {count} results", by)
    session.commit()
    return count


def tick_attendance(session: Session, nomination: Nomination, status: str, by: str) -> str:
    """Set (or with status '' clear) one approved nomination's result; the status kept."""
    by = actor(by)
    where = f"{nomination.official_id} {nomination.program} {nomination.year}"
    approved = {(n.official_id, n.program, n.year) for n in approved_nominations(session, [nomination.year])}
    if (nomination.official_id, nomination.program, nomination.year) not in approved:
        raise refuse(
            where, "không có trong danh sách cử được duyệt", "not an approved nomination", key="official_id"
        )
    if status not in (*STATUSES, ""):
        raise refuse(where, "kết quả phải là hoàn thành hoặc bỏ học", "completed or dropped", key="status")
    existing = session.get(AttendanceRecord, (nomination.official_id, nomination.program, nomination.year))
    if status:
        result = Attendance(**nomination.model_dump(exclude={"class_id"}), status=status)
        _keep_attendance(session, [result], "", by)
    elif existing is not None:
        session.delete(existing)
    audit(session, "attendance.tick", f"{where}: {status or 'cleared'}", by)
    session.commit()
    return status


def attendance_statuses(session: Session, rows: Iterable[PlanNomination]) -> dict[tuple[str, str, int], str]:
    """The results kept for these nominations."""
    keys = [(n.official_id, n.program, n.year) for n in rows]
    found = {}
    for key in keys:
        record = session.get(AttendanceRecord, key)
        if record is not None:
            found[key] = record.status
    return found


def attendance_counts(session: Session) -> list[dict[str, Any]]:
    """Per approved year and program: approved, completed, dropped, without a result."""
    completed = func.sum(case((AttendanceRecord.status == "completed", 1), else_=0))
    dropped = func.sum(case((AttendanceRecord.status == "dropped", 1), else_=0))
    rows = session.execute(
        select(PlanNomination.year, PlanNomination.program, func.count(), completed, dropped)
        .join(
            Approval, and_(Approval.plan_id == PlanNomination.plan_id, Approval.year == PlanNomination.year)
        )
        .outerjoin(
            AttendanceRecord,
            and_(
                AttendanceRecord.official_id == PlanNomination.official_id,
                AttendanceRecord.program == PlanNomination.program,
                AttendanceRecord.year == PlanNomination.year,
            ),
        )
        .group_by(PlanNomination.year, PlanNomination.program)
        .order_by(PlanNomination.year, PlanNomination.program)
    )
    return [
        {
            "year": y,
            "program": p,
            "approved": n,
            "completed": c or 0,
            "dropped": d or 0,
            "no_result": n - (c or 0) - (d or 0),
        }
        for y, p, n, c, d in rows
    ]


# --- replanning ---------------------------------------------------------------------------------


def _accepted_roster(session: Session, roster_id: int) -> RosterImport:
    roster = session.get(RosterImport, roster_id)
    if roster is None or roster.problems_json is not None:
        raise refuse(
            "roster_id",
            f"không có danh sách hợp lệ số {roster_id}",
            f"no accepted roster #{roster_id}",
            key="roster_id",
        )
    return roster


def queue_replan(
    session: Session, plan: PlanRecord, by: str, max_changes: int | None = None, roster_id: int | None = None
) -> PlanRecord:
    """Queue a plan of the open years from the approved lists, the decisions in force and the
    attendance kept, keeping this plan's draft as far as possible (at most `max_changes` names move),
    on this plan's roster or on another (next year's): approved people no longer on it are listed
    as approvals that no longer stand."""
    by = actor(by)
    source = f"kế hoạch / plan #{plan.id}"
    roster = _accepted_roster(session, plan.roster_id if roster_id is None else roster_id)
    if plan.status not in (DONE, STOPPED) or plan.result_json is None:
        raise refuse(source, "kế hoạch chưa giải xong", "the plan is not finished")
    if max_changes is not None and max_changes < 0:
        raise refuse(
            source, "số thay đổi tối đa phải từ 0", "max changes must be 0 or more", key="max_changes"
        )
    scenario = plan_scenario(session, plan)
    approved = approved_nominations(session, scenario.years)
    closed = {y for y in approvals(session) if y in scenario.years}
    if not [y for y in scenario.years if y not in closed]:
        raise refuse(source, "mọi năm của kế hoạch đã được duyệt", "every year of the plan is approved")
    keys = {(n.official_id, n.program, n.year) for n in approved}
    attendance = [
        {"official_id": a.official_id, "program": a.program, "year": a.year, "status": a.status}
        for a in session.scalars(select(AttendanceRecord))
        if (a.official_id, a.program, a.year) in keys
    ]
    snapshot: dict[str, Any] = {
        "previous_plan_id": plan.id,
        "approved": [n.model_dump() for n in approved],
        "decisions": [as_decision(d).model_dump() for d in active_decisions(session)],
        "attendance": attendance,
        "max_changes": max_changes,
    }
    new = PlanRecord(
        roster_id=roster.id,
        scenario_id=plan.scenario_id,
        options_json=plan.options_json,
        parent_id=plan.id,
        replan_json=json.dumps(snapshot, ensure_ascii=False),
    )
    session.add(new)
    session.flush()
    audit(
        session,
        "plan.replan",
        f"#{new.id} from #{plan.id} on roster #{roster.id}: {len(approved)} approved nominations ({', '.join(map(str, sorted(closed))) or '-'}), "
        f"{len(snapshot['decisions'])} decisions, {len(attendance)} results, max changes {max_changes}",
        by,
    )
    session.commit()
    return new


@dataclass(frozen=True)
class Replanning:
    """What a replan job solves with: the roster with completed training recorded, and `solve`'s
    replanning arguments."""

    roster: Roster
    arguments: dict[str, Any]


def replanning(session: Session, plan: PlanRecord, roster: Roster) -> Replanning | None:
    """A replan's inputs from its snapshot, as `planner record` then `planner plan --approved
    --decisions --previous --max-changes` would take them (None for a plan that is no replan)."""
    from planner.io.decisions import record_history

    if plan.replan_json is None:
        return None
    snapshot = json.loads(plan.replan_json)
    approved = [Nomination(**n) for n in snapshot["approved"]]
    # on next year's roster, those who left cannot be recorded: the replan lists their approvals
    # as no longer standing (`prepare_replan`)
    here = roster.by_id()
    attendance = [Attendance(**a) for a in snapshot["attendance"] if a["official_id"] in here]
    if attendance:
        staying = [n for n in approved if n.official_id in here]
        roster, _ = record_history(roster, staying, attendance, source="attendance")
    previous = plan_result(row(session, PlanRecord, snapshot["previous_plan_id"])).nominations
    arguments = {
        "approved": approved,
        "decisions": [Decision(**d) for d in snapshot["decisions"]],
        "previous": previous,
        "max_changes": snapshot["max_changes"],
    }
    return Replanning(roster, arguments)


def replan_facts(plan: PlanRecord) -> dict[str, Any] | None:
    """What a replan was made from, counted (for its page)."""
    if plan.replan_json is None:
        return None
    snapshot = json.loads(plan.replan_json)
    return {
        "parent_id": plan.parent_id,
        "approved": len(snapshot["approved"]),
        "years": sorted({n["year"] for n in snapshot["approved"]}),
        "decisions": snapshot["decisions"],
        "attendance": len(snapshot["attendance"]),
        "max_changes": snapshot["max_changes"],
    }


def named_changes(session: Session, plan: PlanRecord) -> dict[str, list[dict[str, Any]]]:
    """Who entered and who left the lists against the plan replanned, with names and units."""
    summary = plan_summary_of(plan) or {}
    changes = summary.get("changes", [])
    ids = {c["official_id"] for c in changes}
    people = {
        o.official_id: o
        for o in session.scalars(
            select(RosterOfficial).where(
                RosterOfficial.roster_id == plan.roster_id, RosterOfficial.official_id.in_(ids)
            )
        )
    }
    named: dict[str, list[dict[str, Any]]] = {"entered": [], "left": []}
    for change in changes:
        official = people.get(change["official_id"])
        named[change["change"]].append(
            {**change, "name": official.name if official else "", "unit": official.unit if official else ""}
        )
    return named
