"""The year's work through the pages and the API: approve a year, decisions, attendance, replan."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from cli import main
from models import Nomination
from planner.io.decisions import ATTENDANCE_COLUMNS, DECISION_COLUMNS
from planner.io.export import write_nominations_csv
from planner.io.roster import read_roster
from planner.io.scenario import load_scenario
from planner.rules.eligibility import reasons_not_eligible
from planner.solver.cohorts import build_population
from planner.web.db import Approval, DecisionRecord, PlanNomination, PlanRecord
from planner.web.services import SHIPPED_SCENARIOS
from tests.web.conftest import SCENARIO, TIME_LIMIT, finished, solve_plan, upload, wait_for

APPROVED_YEAR, OPEN_YEAR = 2026, 2027
CLERK = "Nguyễn Thị Lan"


def nominations(client: TestClient, plan_id: int) -> list[Nomination]:
    """A plan's nominations, from its CSV download."""
    rows = csv.DictReader(io.StringIO(client.get(f"/plans/{plan_id}/nominations.csv").text))
    return [Nomination(**{**r, "year": int(r["year"]), "class_id": r["class_id"] or None}) for r in rows]


def table(columns: Any, rows: list[list[Any]]) -> str:
    """A CSV with the Vietnamese headers of `columns` (as the department fills in)."""
    lines = [",".join(c.header for c in columns), *(",".join(map(str, row)) for row in rows)]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def plan_id(client: TestClient, small_roster: Path) -> int:
    """The small roster planned with the shipped scenario, 2026 approved from it."""
    planned = solve_plan(client, upload(client, small_roster)["id"])
    response = client.post(f"/plans/{planned}/approve", data={"year": APPROVED_YEAR, "by": CLERK})
    assert response.status_code == 200, response.text  # the year page, after the redirect
    return planned


@pytest.fixture(scope="module")
def population(small_roster: Path) -> Any:
    """The small roster's facts under the shipped scenario (who may start what)."""
    return build_population(read_roster(small_roster), load_scenario(SHIPPED_SCENARIOS / SCENARIO))


def test_an_approved_year_names_who_and_when_and_freezes_the_plan(client: TestClient, plan_id: int) -> None:
    year_page = client.get(f"/plans/{plan_id}/year").text
    assert "Đã duyệt" in year_page and CLERK in year_page and f"Approve {APPROVED_YEAR}" not in year_page
    assert f"Approve {OPEN_YEAR}" in year_page
    assert "Đã khóa" in client.get(f"/plans/{plan_id}").text
    audit = client.get("/audit").text
    assert "year.approve" in audit and CLERK in audit
    again = client.post(f"/api/plans/{plan_id}/approve", json={"year": APPROVED_YEAR, "by": "Someone"})
    assert again.status_code == 400
    assert f"already approved from plan #{plan_id}" in again.json()["problems"][0]["en"]


def test_the_last_approval_is_withdrawn_with_a_reason_and_the_year_opens_again(
    client: TestClient, plan_id: int
) -> None:
    form = {"reason": "", "by": CLERK}
    blank = client.post(f"/plans/{plan_id}/approvals/{APPROVED_YEAR}/withdraw", data=form)
    assert blank.status_code == 400 and "write why the approval is withdrawn" in blank.text
    reason = "Sở Nội vụ yêu cầu rà soát lại"
    response = client.post(
        f"/plans/{plan_id}/approvals/{APPROVED_YEAR}/withdraw", data=form | {"reason": reason}
    )
    assert response.status_code == 200, response.text  # the year page, after the redirect
    assert f"Approve {APPROVED_YEAR}" in response.text and "1 approvals withdrawn" in response.text
    assert "Đã khóa" not in client.get(f"/plans/{plan_id}").text  # no approval left: not frozen
    audit = client.get("/audit").text.split("approval.withdraw")[1].split("</tr>")[0]
    assert f"{APPROVED_YEAR} from plan #{plan_id}" in audit and reason in audit and CLERK in audit
    again = client.post(f"/api/approvals/{APPROVED_YEAR}/withdraw", json={"reason": reason, "by": CLERK})
    assert (
        again.status_code == 409 and f"{APPROVED_YEAR} is not approved" in again.json()["problems"][0]["en"]
    )
    approved = client.post(f"/plans/{plan_id}/approve", data={"year": APPROVED_YEAR, "by": CLERK})
    assert approved.status_code == 200 and f"Approve {APPROVED_YEAR}" not in approved.text


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"year": 2040, "by": CLERK}, "is not a year of the plan"),
        ({"year": OPEN_YEAR, "by": "  "}, "write the name of who does this"),
        ({"year": "2027", "by": CLERK}, "year must be a whole number"),
    ],
)
def test_a_wrong_approval_is_refused_in_both_languages(
    client: TestClient, plan_id: int, body: dict[str, Any], words: str
) -> None:
    response = client.post(f"/api/plans/{plan_id}/approve", json=body)
    assert response.status_code == 400
    problem = response.json()["problems"][0]
    assert words in problem["en"] and problem["vi"]


def test_a_plan_that_does_not_keep_an_approved_year_cannot_approve_another(
    client: TestClient, plan_id: int
) -> None:
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        plan = session.get(PlanRecord, plan_id)
        other = PlanRecord(
            roster_id=plan.roster_id,
            scenario_id=plan.scenario_id,
            options_json=plan.options_json,
            status="done",
            result_json=plan.result_json,
        )
        session.add(other)
        session.flush()
        kept = session.query(PlanNomination).filter_by(plan_id=plan_id).all()
        dropped = next(n for n in kept if n.year == APPROVED_YEAR)
        for n in kept:
            if n is not dropped:
                session.add(PlanNomination(**{**_columns(n), "plan_id": other.id}))
        session.commit()
        other_id = other.id
    response = client.post(f"/plans/{other_id}/approve", data={"year": OPEN_YEAR, "by": CLERK})
    assert response.status_code == 400
    assert f"does not keep the approved lists of {APPROVED_YEAR} (#{plan_id})" in response.text
    assert f"{OPEN_YEAR} from plan #{other_id}" not in client.get("/audit").text


def _columns(row: PlanNomination) -> dict[str, Any]:
    return {
        c: getattr(row, c)
        for c in ("official_id", "program", "year", "class_id", "name", "unit", "search_key")
    }


def test_a_pin_that_breaks_a_rule_is_refused_naming_the_rule(
    client: TestClient, plan_id: int, population: Any
) -> None:
    scenario = population.scenario
    official, program, reason = next(
        (o, p, r)
        for o in population.roster.officials
        for p in scenario.programs
        if (p.code, OPEN_YEAR) not in population.starts_of[o.id]
        for r in reasons_not_eligible(o, p, OPEN_YEAR, population.context)
        if r.rule != "prerequisite"
    )
    form = {
        "action": "pin",
        "official_id": official.id,
        "program": program.code,
        "year": OPEN_YEAR,
        "by": CLERK,
    }
    response = client.post(f"/plans/{plan_id}/decisions", data=form)
    assert response.status_code == 400
    assert f"breaks rule &#39;{reason.rule}&#39;" in response.text and "vi phạm quy tắc" in response.text
    assert f'value="{official.id}"' in response.text  # the form keeps what was typed
    assert "Chưa có quyết định nào" in response.text


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"program": "*", "year": OPEN_YEAR}, ("program", "a pin needs one program")),
        ({"program": "MASTER", "year": ""}, ("year", "a pin needs its start year")),
        ({"program": "MASTER", "year": "năm sau"}, ("year", "not a year")),
        (
            {"program": "MASTER", "year": OPEN_YEAR, "official_id": "CB999999"},
            ("decision", "not on the roster"),
        ),
    ],
)
def test_an_incomplete_pin_is_refused_at_its_field(
    client: TestClient, plan_id: int, fields: dict[str, Any], words: tuple[str, str]
) -> None:
    body = {"action": "pin", "official_id": "CB000001", "by": CLERK} | fields
    response = client.post(f"/api/plans/{plan_id}/decisions", json=body)
    assert response.status_code == 400
    assert (words[0], True) in {(p["key"], words[1] in p["en"]) for p in response.json()["problems"]}


def test_a_pin_in_an_approved_year_is_refused(client: TestClient, plan_id: int) -> None:
    someone = nominations(client, plan_id)[0]
    body = {"action": "pin", "official_id": someone.official_id, "program": someone.program}
    response = client.post(
        f"/api/plans/{plan_id}/decisions", json=body | {"year": APPROVED_YEAR, "by": CLERK}
    )
    assert response.status_code == 400
    assert "pin in the open years only" in response.json()["problems"][0]["en"]


def test_a_withdrawn_decision_is_kept_with_who_withdrew_it_and_no_longer_in_force(
    client: TestClient, plan_id: int
) -> None:
    someone = next(n for n in nominations(client, plan_id) if n.year == OPEN_YEAR)
    body = {"action": "exclude", "official_id": someone.official_id, "reason": "nghỉ hưu", "by": CLERK}
    decision = client.post(f"/api/plans/{plan_id}/decisions", json=body).json()["id"]
    assert "nghỉ hưu" in client.get(f"/plans/{plan_id}/year").text
    response = client.post(f"/plans/{plan_id}/decisions/{decision}/withdraw", data={"by": "Trần Văn Bình"})
    assert response.status_code == 200
    page = response.text
    assert "Chưa có quyết định nào" in page and "1 withdrawn decisions" in page and "Trần Văn Bình" in page
    again = client.post(f"/plans/{plan_id}/decisions/{decision}/withdraw", data={"by": CLERK})
    assert again.status_code == 400 and f"no decision #{decision} in force" in again.text
    assert "decision.withdraw" in client.get("/audit").text


def test_an_unfinished_plan_can_be_neither_approved_nor_replanned(client: TestClient, plan_id: int) -> None:
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        plan = session.get(PlanRecord, plan_id)
        queued = PlanRecord(
            roster_id=plan.roster_id, scenario_id=plan.scenario_id, options_json="{}", status="failed"
        )
        session.add(queued)
        session.commit()
        queued_id = queued.id
    for action, body in (("approve", {"year": OPEN_YEAR, "by": CLERK}), ("replan", {"by": CLERK})):
        response = client.post(f"/api/plans/{queued_id}/{action}", json=body)
        assert (
            response.status_code == 400 and "the plan is not finished" in response.json()["problems"][0]["en"]
        )


def test_attendance_with_a_row_not_approved_is_refused_whole(client: TestClient, plan_id: int) -> None:
    approved = [n for n in nominations(client, plan_id) if n.year == APPROVED_YEAR]
    later = next(n for n in nominations(client, plan_id) if n.year == OPEN_YEAR)
    rows = [[approved[0].official_id, approved[0].program, APPROVED_YEAR, "Hoàn thành"]]
    rows.append([later.official_id, later.program, OPEN_YEAR, "Hoàn thành"])
    text = table(ATTENDANCE_COLUMNS, rows)
    response = client.post(
        f"/plans/{plan_id}/attendance", files={"file": ("ket-qua.csv", text.encode())}, data={"by": CLERK}
    )
    assert response.status_code == 400
    assert "not an approved nomination" in response.text and later.official_id in response.text
    assert "attendance.upload" not in client.get("/audit").text


def test_ticking_attendance_sets_and_clears_one_result(client: TestClient, plan_id: int) -> None:
    first = next(n for n in nominations(client, plan_id) if n.year == APPROVED_YEAR)
    form = {"official_id": first.official_id, "program": first.program, "year": APPROVED_YEAR, "by": CLERK}
    hx = {"HX-Request": "true"}
    cell = client.post(f"/plans/{plan_id}/attendance/tick", data=form | {"status": "dropped"}, headers=hx)
    assert cell.status_code == 200 and cell.text.lstrip().startswith("<td") and "badge failed" in cell.text
    assert '<td class="num">1</td>' in client.get(f"/plans/{plan_id}/year").text.split("Chưa có kết quả")[1]
    cleared = client.post(f"/plans/{plan_id}/attendance/tick", data=form | {"status": ""}, headers=hx)
    assert "badge" not in cleared.text
    wrong = client.post(
        f"/plans/{plan_id}/attendance/tick",
        data=form | {"year": OPEN_YEAR, "status": "completed"},
        headers=hx,
    )
    assert wrong.status_code == 400 and "not an approved nomination" in wrong.text


def test_replan_keeps_the_approved_year_applies_decisions_and_is_the_clis_plan(
    client: TestClient, plan_id: int, population: Any, small_roster: Path, tmp_path: Path
) -> None:
    before = nominations(client, plan_id)
    approved = [n for n in before if n.year == APPROVED_YEAR]
    gone = next(n for n in before if n.year == OPEN_YEAR and n.class_id is None)
    planned = {n.official_id for n in before}
    program = gone.program  # the excluded person's study place goes to the pinned one: within budget
    pinned = next(
        o.id
        for o in population.roster.officials
        if o.id not in planned and (program, OPEN_YEAR) in population.starts_of[o.id]
    )
    decisions = [
        ["exclude", gone.official_id, "*", "", "chuyển công tác"],
        ["pin", pinned, program, OPEN_YEAR, "đề nghị của đơn vị"],
    ]
    for action, official_id, code, year, reason in decisions:
        body = {"action": action, "official_id": official_id, "program": code, "year": year, "reason": reason}
        response = client.post(f"/api/plans/{plan_id}/decisions", json=body | {"by": CLERK})
        assert response.status_code == 200, response.text
    results = [[approved[0].official_id, approved[0].program, APPROVED_YEAR, "Hoàn thành"]]
    results.append([approved[1].official_id, approved[1].program, APPROVED_YEAR, "Bỏ học"])
    attendance = table(ATTENDANCE_COLUMNS, results)
    uploaded = client.post(
        f"/plans/{plan_id}/attendance",
        files={"file": ("ket-qua.csv", attendance.encode())},
        data={"by": CLERK},
    )
    assert uploaded.status_code == 200 and "2 results recorded" in uploaded.text

    response = client.post(f"/plans/{plan_id}/replan", data={"by": CLERK}, follow_redirects=False)
    assert response.status_code == 303
    new_id = int(response.headers["location"].rsplit("/", 1)[1])
    state = wait_for(client, new_id, finished)
    assert state["status"] == "done", state
    after = nominations(client, new_id)
    assert [n for n in after if n.year == APPROVED_YEAR] == approved
    assert (pinned, program, OPEN_YEAR) in {(n.official_id, n.program, n.year) for n in after}
    assert gone.official_id not in {n.official_id for n in after if n.year > APPROVED_YEAR}
    page = client.get(f"/plans/{new_id}").text
    assert "Replanned from plan" in page and "Entered" in page and pinned in page.split("Left")[0]
    assert gone.official_id in page.split("Ra khỏi danh sách")[1]

    files = {
        name: tmp_path / name for name in ("approved.csv", "previous.csv", "decisions.csv", "attendance.csv")
    }
    write_nominations_csv(approved, files["approved.csv"])
    write_nominations_csv(before, files["previous.csv"])
    files["decisions.csv"].write_text(table(DECISION_COLUMNS, [[d[1], d[0], *d[2:]] for d in decisions]))
    files["attendance.csv"].write_text(attendance)
    recorded, out = tmp_path / "roster-2027.xlsx", tmp_path / "nominations.csv"
    scenario = str(SHIPPED_SCENARIOS / SCENARIO)
    record = ["record", str(small_roster), "--plan", str(files["approved.csv"]), "--scenario", scenario]
    replan = ["plan", str(recorded), "--scenario", scenario, "--approved", str(files["approved.csv"])]
    replan += ["--decisions", str(files["decisions.csv"]), "--previous", str(files["previous.csv"])]
    replan += ["--csv", str(out), "--time-limit", str(TIME_LIMIT), "--quiet"]
    for arguments in ([*record, "--attended", str(files["attendance.csv"]), "--out", str(recorded)], replan):
        outcome = CliRunner().invoke(main, arguments)
        assert outcome.exit_code == 0, outcome.output
    assert client.get(f"/plans/{new_id}/nominations.csv").content == out.read_bytes()
    assert f"#{new_id} from #{plan_id}" in client.get("/audit").text


def test_a_replan_onto_next_years_roster_lists_who_left_and_can_be_approved(
    client: TestClient, plan_id: int, small_roster: Path, tmp_path: Path
) -> None:
    from models import Roster
    from planner.io.export import write_roster

    approved = [n for n in nominations(client, plan_id) if n.year == APPROVED_YEAR]
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        decided = {d.official_id for d in session.query(DecisionRecord)}  # still on next year's roster
    left = next(
        n for n in approved[2:] if n.official_id not in decided and n.class_id
    )  # a class at its minimum
    roster = read_roster(small_roster)
    staying = Roster(
        officials=[o for o in roster.officials if o.id != left.official_id],
        history=[r for r in roster.history if r.official_id != left.official_id],
    )
    write_roster(staying, tmp_path / "tinh-2027.xlsx")
    roster_id = upload(client, tmp_path / "tinh-2027.xlsx")["id"]
    body = {"by": CLERK, "roster_id": roster_id}
    new_id = client.post(f"/api/plans/{plan_id}/replan", json=body).json()["id"]
    state = wait_for(client, new_id, finished)
    assert state["status"] == "done", state
    kept = [n for n in nominations(client, new_id) if n.year == APPROVED_YEAR]
    assert kept == [n for n in approved if n != left]
    (issue,) = state["summary"]["approval_issues"]
    assert issue["official_id"] == left.official_id and "no longer on the roster" in issue["reason"]["en"]
    assert "Approved but fallen" in client.get(f"/plans/{new_id}").text
    response = client.post(f"/api/plans/{new_id}/approve", json={"year": OPEN_YEAR, "by": CLERK})
    assert response.status_code == 200, response.text
    refused = client.post(f"/api/plans/{plan_id}/replan", json=body | {"roster_id": 999})
    assert refused.status_code == 400 and "no accepted roster #999" in refused.json()["problems"][0]["en"]


def test_an_approval_a_later_year_replan_or_attendance_stands_on_is_not_withdrawn(
    client: TestClient, plan_id: int
) -> None:
    # the tests above approved the next year from a replan, replanned twice from this year's
    # approval and recorded attendance of it
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        later = session.get(Approval, OPEN_YEAR)
        assert later is not None
        later_plan = later.plan_id
    body = {"reason": "nhầm năm", "by": CLERK}
    refused = client.post(f"/api/approvals/{APPROVED_YEAR}/withdraw", json=body)
    assert refused.status_code == 409
    later_year, replan, attendance = refused.json()["problems"]
    assert f"a later year is approved ({OPEN_YEAR})" in later_year["en"]
    assert "năm sau đã được duyệt" in later_year["vi"]
    assert "a replan has been made from this approval (plan #" in replan["en"]
    assert "attendance results are recorded" in attendance["en"]
    year_page = client.get(f"/plans/{plan_id}/year").text  # only the last approved year is offered
    assert f"Withdraw the approval of {OPEN_YEAR}" in year_page
    assert f"Withdraw the approval of {APPROVED_YEAR}" not in year_page

    withdrawn = client.post(f"/api/approvals/{OPEN_YEAR}/withdraw", json=body)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json() | {"withdrawn_at": None, "approved_at": None} == {
        "year": OPEN_YEAR,
        "plan_id": later_plan,
        "nominations": later.nominations,
        "approved_by": CLERK,
        "approved_at": None,
        "withdrawn_by": CLERK,
        "withdrawn_at": None,
        "reason": "nhầm năm",
    }
    page = client.post(f"/plans/{plan_id}/approvals/{APPROVED_YEAR}/withdraw", data=body)
    assert page.status_code == 409 and "a later year is approved" not in page.text
    assert "a replan has been made from this approval (plan #" in page.text
    assert "Not done" in page.text and f"/approvals/{APPROVED_YEAR}/withdraw" not in page.text  # no form
    assert f"Approve {OPEN_YEAR}" in page.text and f"Approve {APPROVED_YEAR}" not in page.text
    year_page = client.get(f"/plans/{plan_id}/year").text
    assert "It cannot be withdrawn" in year_page and "2 approvals withdrawn" in year_page
