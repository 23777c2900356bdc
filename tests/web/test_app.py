"""Route tests: rosters, scenarios, a plan solved by the job runner and its pages and downloads."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from cli import main
from planner.io.text import format_number
from planner.web.db import PlanRecord
from planner.web.services import SHIPPED_SCENARIOS
from tests.web.conftest import SCENARIO, TIME_LIMIT, finished, scenario_id, solve_plan, upload, wait_for

SAMPLE = Path(__file__).parents[2] / "planner" / "data" / "sample-roster.xlsx"


@pytest.fixture(scope="module")
def solved(client: TestClient, small_roster: Path) -> dict:
    """The small roster planned from the web with the CLI's options (seed 0, 1 worker)."""
    roster = upload(client, small_roster)
    plan_id = solve_plan(client, roster["id"])
    return {"id": plan_id, "roster": roster, **client.get(f"/api/plans/{plan_id}").json()}


def test_sample_roster_is_accepted_with_counts(client: TestClient) -> None:
    with SAMPLE.open("rb") as handle:
        response = client.post("/rosters", files={"file": (SAMPLE.name, handle)})
    assert response.status_code == 200  # the roster's page, after the redirect
    page = response.text
    assert "3.000" in page and "Hợp lệ" in page and "Accepted" in page
    assert "Theo cấp" in page and "By role group" in page


def test_bad_roster_shows_every_problem_with_sheet_row_and_column(
    client: TestClient, small_roster: Path, tmp_path: Path
) -> None:
    workbook = openpyxl.load_workbook(small_roster)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=3, column=headers.index("Ngày sinh") + 1, value="31/02/1980")
    sheet.cell(row=5, column=headers.index("Giới tính") + 1, value="X")
    bad = tmp_path / "loi.xlsx"
    workbook.save(bad)
    answer = upload(client, bad)
    assert answer["officials"] is None
    assert {(p["row"], p["column"]) for p in answer["problems"]} >= {(3, "Ngày sinh"), (5, "Giới tính")}
    page = client.get(f"/rosters/{answer['id']}").text
    assert "bị từ chối" in page and "refused" in page
    assert f"sheet &#39;{sheet.title}&#39;, dòng 3, cột &#39;Ngày sinh&#39;" in page
    assert "row 5, column &#39;Giới tính&#39;" in page


def test_not_a_roster_file_is_refused_in_both_languages(client: TestClient) -> None:
    response = client.post("/api/rosters", files={"file": ("notes.txt", b"hello")})
    problem = response.json()["problems"][0]
    assert ".xlsx" in problem["vi"] and ".csv" in problem["en"]


def test_scenarios_list_shipped_and_a_refused_upload_names_key_and_line(client: TestClient) -> None:
    page = client.get("/scenarios").text
    for path in SHIPPED_SCENARIOS.glob("*.toml"):
        assert path.name in page
    text = f'extends = "{SCENARIO}"\nname = "Thử"\n\n[budget]\nfactor = -1\n'
    response = client.post("/scenarios", data={"filename": "thu.toml", "text": text})
    assert response.status_code == 400
    assert "budget.factor" in response.text and "dòng 5" in response.text and "line 5" in response.text
    response = client.post("/scenarios", data={"filename": "thu.toml", "text": text.replace("-1", "0.8")})
    assert response.status_code == 200 and "thu.toml" in response.text


def test_plan_page_shows_the_result_and_lists_names(client: TestClient, solved: dict) -> None:
    page = client.get(f"/plans/{solved['id']}").text
    assert "Chỉ tiêu theo năm" in page and "Cost against budget" in page
    # the people a plan leaves studying after its last year, and what their later years cost
    after = client.get(f"/plans/{solved['id']}/summary.json").json()["after_plan"]
    assert after["people"] > 0
    assert f"{format_number(after['people'])} người còn đang học" in page and after["from"] == 2031
    assert f'<span class="en">From</span> {after["from"]}</td>' in page
    assert f'<td class="num">{format_number(after["cost"])}</td>' in page
    first = client.get(f"/plans/{solved['id']}/lists", headers={"HX-Request": "true"}).text
    assert "<html" not in first  # the list alone, for HTMX
    nominations = client.get(f"/plans/{solved['id']}/nominations.csv").text.splitlines()[1:]
    official = nominations[0].split(",")[0]
    assert official in first
    filtered = client.get(f"/plans/{solved['id']}/lists", params={"q": official}).text
    assert official in filtered and "<html" in filtered


def test_web_csv_is_the_clis_byte_for_byte(
    client: TestClient, solved: dict, small_roster: Path, tmp_path: Path
) -> None:
    csv_path = tmp_path / "nominations.csv"
    arguments = ["plan", str(small_roster), "--scenario", str(SHIPPED_SCENARIOS / SCENARIO)]
    arguments += ["--csv", str(csv_path), "--time-limit", str(TIME_LIMIT), "--quiet"]
    outcome = CliRunner().invoke(main, arguments)
    assert outcome.exit_code == 0, outcome.output
    assert client.get(f"/plans/{solved['id']}/nominations.csv").content == csv_path.read_bytes()
    workbook = client.get(f"/plans/{solved['id']}/plan.xlsx")
    assert workbook.content[:2] == b"PK"
    assert client.get(f"/plans/{solved['id']}/summary.json").json()["nominations"] == len(
        csv_path.read_text().splitlines()[1:]
    )


def test_person_search_ignores_accents_and_explains(client: TestClient, solved: dict) -> None:
    from planner.io.text import normalize_key

    csv = client.get(f"/plans/{solved['id']}/nominations.csv").text.splitlines()
    official = csv[1].split(",")[0]
    row = client.get(f"/plans/{solved['id']}/lists", params={"q": official}).text
    name = row.split(f">{official}</a></td>", 1)[1].split("<td>", 1)[1].split("</td>", 1)[0]
    bare = normalize_key(name)
    assert bare != name.casefold()  # the name has accents, the query has none
    page = client.get(f"/plans/{solved['id']}/people", params={"official_id": official}).text
    assert official in page and "English" in page
    found = client.get(f"/plans/{solved['id']}/people", params={"q": f"{bare} {official}"}).text
    assert name in found
    nobody = client.get(f"/plans/{solved['id']}/people", params={"q": "khong co ai ten nay"}).text
    assert "Không tìm thấy" in nobody and "Nobody" in nobody


def test_explain_api_answers_by_id_by_words_and_says_when_nobody_matches(
    client: TestClient, solved: dict
) -> None:
    from planner.io.text import normalize_key

    rows = [
        line.split(",") for line in client.get(f"/plans/{solved['id']}/nominations.csv").text.splitlines()[1:]
    ]
    official = rows[0][0]
    answer = client.get(f"/api/plans/{solved['id']}/explain/{official}").json()
    assert answer["lines"]["vi"][0].startswith(official) and answer["lines"]["en"][0].startswith(official)
    theirs = {(r[1], int(r[2])) for r in rows if r[0] == official}
    assert {(n["program"], n["year"]) for n in answer["nominations"]} == theirs
    assert sum("NOMINATED" in line for line in answer["lines"]["en"]) == len(theirs)
    by_words = client.get(
        f"/api/plans/{solved['id']}/explain", params={"q": f"{normalize_key(answer['name'])} {official}"}
    )
    assert by_words.json()["official_id"] == official
    several = client.get(f"/api/plans/{solved['id']}/explain", params={"q": "nguyen"}).json()["matches"]
    assert len(several) > 1 and all("nguyen" in normalize_key(m["name"]) for m in several)
    nobody = client.get(f"/api/plans/{solved['id']}/explain", params={"q": "khong co ai ten nay"})
    assert nobody.status_code == 404 and "khong co ai ten nay" in nobody.json()["en"]
    assert client.get("/api/plans/9999/explain", params={"q": "x"}).status_code == 404


def test_per_unit_view_counts_the_plan_against_the_unit_caps(
    client: TestClient, solved: dict, small_roster: Path
) -> None:
    from collections import Counter

    from planner.analysis.check import away_cap
    from planner.io.roster import read_roster
    from planner.io.scenario import load_scenario
    from planner.io.text import normalize_key

    roster = read_roster(small_roster)
    unit_of = {o.id: o.unit for o in roster.officials}
    staff = Counter(unit_of.values())
    rows = [
        line.split(",") for line in client.get(f"/plans/{solved['id']}/nominations.csv").text.splitlines()[1:]
    ]
    sent = Counter((unit_of[r[0]], int(r[2])) for r in rows)
    units = client.get(f"/api/plans/{solved['id']}/units").json()
    scenario = load_scenario(SHIPPED_SCENARIOS / SCENARIO)
    assert {u["unit"] for u in units} == set(staff)
    for u in units:
        assert u["staff"] == staff[u["unit"]] and u["cap"] == away_cap(scenario, staff[u["unit"]])
        assert {c["year"]: c["sent"] for c in u["years"]} == {y: sent[u["unit"], y] for y in scenario.years}
        assert all(c["away"] <= u["cap"] for c in u["years"])
    assert any(c["away"] for u in units for c in u["years"])  # multi-year programs are planned
    program = rows[0][1]
    only = client.get(f"/api/plans/{solved['id']}/units", params={"program": program}).json()
    assert sum(c["sent"] for u in only for c in u["years"]) == sum(r[1] == program for r in rows)
    unit = next(u for u in staff if normalize_key(u) != u.casefold())
    found = client.get(f"/api/plans/{solved['id']}/units", params={"q": normalize_key(unit)}).json()
    assert unit in {u["unit"] for u in found} and len(found) < len(units)
    page = client.get(f"/plans/{solved['id']}/units", params={"q": normalize_key(unit)})
    assert page.status_code == 200 and unit in page.text and "Away cap" in page.text


def test_a_finished_plan_page_builds_its_facts_in_the_background(client: TestClient, solved: dict) -> None:
    """The pages after it (by unit, explain) find them built: 10 s at 150,000 officials."""
    import threading

    from planner.web import services

    services._plan_facts.cache_clear()
    assert client.get(f"/plans/{solved['id']}").status_code == 200
    for thread in threading.enumerate():
        if thread.name == f"plan-facts-{solved['id']}":
            thread.join(60)
    assert services._plan_facts.cache_info().currsize == 1
    client.get(f"/api/plans/{solved['id']}/units")
    assert services._plan_facts.cache_info().hits >= 1


def test_stop_keeps_the_best_plan_so_far(client: TestClient) -> None:
    roster = upload(client, SAMPLE)
    plan = client.post(
        "/api/plans",
        json={
            "roster_id": roster["id"],
            "scenario_id": scenario_id(client, "orientation-2026-2030.toml"),
            # the search goes on until proven optimal (its cost level is not, in minutes) or
            # stopped: the stop comes first (a stop after the search would cut nothing: "done")
            "time_limit": 600,
            "gap": 0,
        },
    ).json()
    wait_for(client, plan["id"], lambda s: s["progress"]["level"] is not None or finished(s))
    assert client.delete(f"/api/plans/{plan['id']}").status_code == 200
    state = wait_for(client, plan["id"], finished)
    assert state["status"] == "stopped", state
    assert state["summary"]["interrupted"] is True
    assert state["summary"]["nominations"] > 0
    assert client.get(f"/plans/{plan['id']}/nominations.csv").status_code == 200
    solved = [level["name"] for level in state["summary"]["levels"]]
    unsolved = [name for name in ("shortfall", "merit", "cost") if name not in solved]
    page = client.get(f"/plans/{plan['id']}").text
    levels = page.split('<table class="levels">')[1].split("</table>")[0]
    assert levels.count("not solved: stopped before it") == len(unsolved)
    # every level named as the workbook and the console name it, in both languages
    assert levels.count("Giảm thiếu hụt chỉ tiêu") == levels.count("Smallest shortfall") == 1
    assert levels.count("Tiết kiệm kinh phí") == levels.count("Lowest cost") == 1
    assert state["summary"]["status"] != "OPTIMAL" or not unsolved


def test_bad_requests_get_bilingual_answers_not_tracebacks(client: TestClient) -> None:
    missing = client.get("/plans/9999")
    assert missing.status_code == 404 and "không tìm thấy" in missing.text and "not found" in missing.text
    wrong = client.post("/api/plans", json={"roster_id": 9999, "scenario_id": 1, "time_limit": -1})
    assert wrong.status_code == 400
    messages = " ".join(p["vi"] + p["en"] for p in wrong.json()["problems"])
    assert "9999" in messages and "time_limit" in " ".join(p["key"] for p in wrong.json()["problems"])
    assert client.get("/rosters/abc").status_code == 422
    assert "Traceback" not in client.get("/rosters/abc").text


def test_a_plan_started_without_a_time_limit_gets_the_default_for_its_roster_s_size(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form's time limit left empty: 60 s per `OFFICIALS_PER_DEFAULT_LIMIT` officials, as the
    CLI's default (the 3,000 officials of the sample at 1,000 a minute: 180 s), shown on its page."""
    monkeypatch.setattr("models.plan.OFFICIALS_PER_DEFAULT_LIMIT", 1000)
    roster = upload(client, SAMPLE)
    form = {"roster_id": roster["id"], "scenario_id": scenario_id(client, SCENARIO), "time_limit": ""}
    page = client.post("/plans", data=form)
    assert page.status_code == 200 and "--time-limit 180 " in page.text
    given = client.post("/plans", data={**form, "time_limit": "7"})
    assert "--time-limit 7 " in given.text
    for plan in (page, given):
        client.delete(f"/api/plans/{plan.url.path.rsplit('/', 1)[1]}")


def test_a_running_plan_shows_its_status_once_in_the_box_that_keeps_it_current(
    client: TestClient, solved: dict
) -> None:
    """The heading's badge stayed as the page was loaded ("queued") while the progress box below,
    polled every second, said "running"; now only the box says it until the plan ends."""
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        done = session.get(PlanRecord, solved["id"])
        running = PlanRecord(
            roster_id=done.roster_id,
            scenario_id=done.scenario_id,
            options_json=done.options_json,
            status="running",
        )
        session.add(running)
        session.commit()
        running_id = running.id
    try:
        page = client.get(f"/plans/{running_id}").text
        assert page.count('class="badge running"') == 1 and 'hx-get="/plans/' in page
        assert (
            client.get(f"/plans/{solved['id']}").text.count('class="badge done"') == 1
        )  # finished: the heading
    finally:
        with client.app.state.sessions() as session:  # type: ignore[attr-defined]
            session.delete(session.get(PlanRecord, running_id))
            session.commit()
