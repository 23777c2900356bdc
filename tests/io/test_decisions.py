"""Year after year: plans read back, manual decisions and attendance read with every problem placed,
completed training recorded in the roster's history without losing or repeating a row."""

from __future__ import annotations

import csv
import hashlib
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cli import main
from models import Attendance, Decision, Nomination, Result, Roster, SolverSettings, TrainingRecord
from planner.analysis.check import check_plan
from planner.io.decisions import read_attendance, read_decisions, read_plan, record_history
from planner.io.errors import InputError, Problem
from planner.io.export import write_decisions_template, write_nominations_csv, write_roster
from planner.io.roster import read_roster
from planner.report.workbook import write_workbook
from planner.solver.cohorts import build_population
from planner.solver.solve import solve
from tests.factories import class_program, official, scenario, slot_program

DECISIONS = "Quyết định"
DECISION_HEADERS = ["Mã CB", "Quyết định", "Chương trình", "Năm", "Lý do"]
ATTENDANCE_HEADERS = ["Mã CB", "Chương trình", "Năm", "Kết quả"]


def nfd(text: str) -> str:
    """Text with decomposed accents, as some spreadsheets and keyboards produce it."""
    return unicodedata.normalize("NFD", text)


def xlsx(path: Path, rows: list[list[object]], title: str = "Sheet1", before: str | None = None) -> Path:
    """A one-sheet workbook (header row included); `before` adds an unrelated first sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    if before:
        sheet.title = before
        sheet.append(["Ghi chú"])
        sheet = book.create_sheet(title)
    else:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def csv_file(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def problems_of(read, path: Path, **kwargs: object) -> list[Problem]:
    with pytest.raises(InputError) as raised:
        read(path, **kwargs)
    assert raised.value.source == path.name
    return raised.value.problems


def places(problems: list[Problem]) -> list[tuple[str, int | None, str]]:
    return [(p.sheet, p.row, p.column) for p in problems]


# --- a solved plan ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def planned() -> tuple[Roster, object, Result]:
    roster = Roster(officials=[official(i) for i in range(8)])
    plan_scenario = scenario(
        [class_program("DUTY", classes_per_year_min=1), slot_program("MASTER", places_per_year_min=1)]
    )
    result = solve(roster, plan_scenario, SolverSettings(time_limit=10))
    assert check_plan(roster, plan_scenario, result.nominations, result.classes) == []
    assert {n.class_id is None for n in result.nominations} == {True, False}
    return roster, plan_scenario, result


@pytest.fixture(scope="module")
def plan_workbook(planned, tmp_path_factory) -> Path:
    roster, plan_scenario, result = planned
    path = tmp_path_factory.mktemp("plan") / "ke-hoach.xlsx"
    write_workbook(path, roster, plan_scenario, result, build_population(roster, plan_scenario))
    return path


# --- plans ------------------------------------------------------------------------------------------


def test_read_plan_from_the_nominations_csv(planned, tmp_path):
    _, _, result = planned
    path = tmp_path / "nominations.csv"
    write_nominations_csv(result.nominations, path)
    assert read_plan(path) == result.nominations
    # opened and saved again by Excel where the decimal mark is a comma: separated by semicolons
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8-sig")
    assert read_plan(path) == result.nominations


def test_read_plan_from_the_workbook_uses_its_hidden_nominations_sheet(planned, plan_workbook):
    _, _, result = planned
    assert read_plan(plan_workbook) == result.nominations
    book = openpyxl.load_workbook(plan_workbook, read_only=True)
    assert book["_nominations"].sheet_state == "hidden"
    assert next(book["_nominations"].values) == ("official_id", "program", "year", "class_id")


def test_read_plan_refuses_a_workbook_not_written_by_the_planner(tmp_path):
    path = xlsx(tmp_path / "danh-sach.xlsx", [["official_id", "program", "year"], ["CB1", "DUTY", 2026]])
    (problem,) = problems_of(read_plan, path)
    assert "danh-sach.xlsx" in problem.message_en
    assert "nominations CSV" in problem.message_en and "planner plan" in problem.message_en
    (problem,) = problems_of(read_plan, csv_file(tmp_path / "plan.txt", [["official_id"]]))
    assert "Unsupported file type '.txt'" in problem.message_en


# --- decisions ----------------------------------------------------------------------------------


def test_decisions_with_vietnamese_headers_and_values(tmp_path):
    rows = [
        DECISION_HEADERS,
        ["CB00001", "Cử", "duty", 2027, "Đã được lãnh đạo duyệt"],
        [None, None, None, None, None],
        ["CB00002", "GHIM", "MASTER", "2026", None],
        ["CB00003", "loại", "*", None, "Nghỉ hưu"],
        ["CB00004", "  Không   cử ", None, 2027, None],
        ["CB00005", "không cử", "LEAD", None, None],
    ]
    path = xlsx(tmp_path / "qd.xlsx", rows, title=DECISIONS, before="Hướng dẫn")
    assert read_decisions(path) == [
        Decision(
            action="pin", official_id="CB00001", program="DUTY", year=2027, reason="Đã được lãnh đạo duyệt"
        ),
        Decision(action="pin", official_id="CB00002", program="MASTER", year=2026),
        Decision(action="exclude", official_id="CB00003", reason="Nghỉ hưu"),
        Decision(action="exclude", official_id="CB00004", year=2027),
        Decision(action="exclude", official_id="CB00005", program="LEAD"),
    ]


def test_decisions_with_english_headers_in_a_csv(tmp_path):
    rows = [
        ["Official_ID", "Action", "Program", "Year", "Reason"],
        ["CB00001", "pin", "DUTY", "2027", "approved"],
        ["", "", "", "", ""],
        ["CB00002", "EXCLUDE", "", "", ""],
    ]
    assert read_decisions(csv_file(tmp_path / "decisions.csv", rows)) == [
        Decision(action="pin", official_id="CB00001", program="DUTY", year=2027, reason="approved"),
        Decision(action="exclude", official_id="CB00002"),
    ]


def test_decisions_with_decomposed_accents(tmp_path):
    rows = [
        [nfd(header) for header in DECISION_HEADERS],
        ["CB00001", nfd("Cử"), "DUTY", 2027, nfd("Lý do")],
        ["CB00002", nfd("KHÔNG CỬ"), None, None, None],
    ]
    decisions = read_decisions(xlsx(tmp_path / "qd.xlsx", rows))
    assert [(d.action, d.official_id) for d in decisions] == [("pin", "CB00001"), ("exclude", "CB00002")]
    assert decisions[0].reason == "Lý do"  # kept as NFC


def test_every_bad_decision_row_is_reported_at_once_with_its_place(tmp_path):
    rows = [
        DECISION_HEADERS,
        ["CB00001", "cử", "DUTY", None, None],  # pin without year
        ["CB00002", "đề xuất", "DUTY", 2027, None],  # unknown action
        ["CB00003", "loại", "DUTY", "20x7", None],  # bad year
        ["CB00004", "cử", "*", 2027, None],  # pin to every program
        ["CB00005", "loại", "NOPE", None, None],  # unknown program
        [None, "cử", "DUTY", 2027, None],  # no id
    ]
    problems = problems_of(read_decisions, xlsx(tmp_path / "qd.xlsx", rows, title=DECISIONS))
    assert places(problems) == [
        (DECISIONS, 2, "Năm"),
        (DECISIONS, 3, "Quyết định"),
        (DECISIONS, 4, "Năm"),
        (DECISIONS, 5, "Chương trình"),
        (DECISIONS, 6, "Chương trình"),
        (DECISIONS, 7, "Mã CB"),
    ]
    assert "pin needs the start year" in problems[0].message_en
    assert "đề xuất" in problems[1].message_vi and "pin" in problems[1].message_en
    assert "20x7" in problems[2].message_en


def test_contradicting_decisions_are_refused(tmp_path):
    rows = [
        DECISION_HEADERS,
        ["CB00001", "cử", "DUTY", 2027, None],
        ["CB00001", "không cử", None, None, None],
        ["CB00002", "cử", "DUTY", 2027, None],
        ["CB00002", "cử", "MASTER", 2027, None],
        ["CB00003", "cử", "DUTY", 2027, None],
        ["CB00003", "không cử", "MASTER", None, None],  # another program: no contradiction
    ]
    problems = problems_of(read_decisions, xlsx(tmp_path / "qd.xlsx", rows))
    assert places(problems) == [("Sheet1", 3, "Quyết định"), ("Sheet1", 5, "Quyết định")]
    assert "row 2" in problems[0].message_en and "one program a year" in problems[1].message_en


def test_decisions_name_known_officials_and_need_their_columns(tmp_path):
    rows = [DECISION_HEADERS, ["CB00001", "cử", "DUTY", 2027, None], ["CB09999", "loại", None, None, None]]
    path = xlsx(tmp_path / "qd.xlsx", rows)
    assert places(problems_of(read_decisions, path, official_ids={"CB00001"})) == [("Sheet1", 3, "Mã CB")]
    missing = xlsx(tmp_path / "thieu.xlsx", [["Mã CB", "Chương trình"], ["CB00001", "DUTY"]])
    problems = problems_of(read_decisions, missing)
    assert {p.column for p in problems} == {"Quyết định", "Năm"}


def test_the_decisions_template_reads_back_empty_and_offers_the_actions(tmp_path):
    path = tmp_path / "mau-quyet-dinh.xlsx"
    write_decisions_template(path, programs=["DUTY", "MASTER"])
    assert read_decisions(path) == []
    book = openpyxl.load_workbook(path)
    sheet = book[DECISIONS]
    assert [cell.value for cell in sheet[1]] == DECISION_HEADERS
    ranges = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    assert {"B2", "C2"} <= ranges
    assert book["Danh mục"].sheet_state == "hidden"
    assert [row[0] for row in book["Danh mục"].iter_rows(min_row=2, values_only=True) if row[0]] == [
        "Cử",
        "Không cử",
    ]


# --- attendance ---------------------------------------------------------------------------------


def test_attendance_values_in_vietnamese_and_english(tmp_path):
    rows = [
        ATTENDANCE_HEADERS,
        ["CB00001", "DUTY", 2026, "Hoàn thành"],
        ["CB00002", "duty", 2026, "x"],
        ["CB00003", "DUTY", 2026, nfd("BỎ HỌC")],
        [None, None, None, None],
        ["CB00004", "MASTER", "2026", "không hoàn thành"],
        ["CB00005", "MASTER", 2027, "COMPLETED"],
        ["CB00006", "MASTER", 2027, "dropped"],
        ["CB00001", "DUTY", 2026, "hoàn thành"],  # the same result again: kept once
    ]
    path = xlsx(tmp_path / "ket-qua.xlsx", rows, title="Kết quả đào tạo", before="Ghi chú")
    assert [(a.official_id, a.program, a.year, a.status) for a in read_attendance(path)] == [
        ("CB00001", "DUTY", 2026, "completed"),
        ("CB00002", "DUTY", 2026, "completed"),
        ("CB00003", "DUTY", 2026, "dropped"),
        ("CB00004", "MASTER", 2026, "dropped"),
        ("CB00005", "MASTER", 2027, "completed"),
        ("CB00006", "MASTER", 2027, "dropped"),
    ]


def test_bad_attendance_rows_are_reported_together(tmp_path):
    rows = [
        ["official_id", "program", "year", "status"],
        ["CB00001", "DUTY", "2026", "đang học"],
        ["CB00002", "DUTY", "", "completed"],
        ["CB00003", "DUTY", "2026", "completed"],
        ["CB00003", "DUTY", "2026", "dropped"],
    ]
    problems = problems_of(read_attendance, csv_file(tmp_path / "attended.csv", rows))
    assert places(problems) == [("", 2, "status"), ("", 3, "year"), ("", 5, "status")]
    assert "row 4" in problems[2].message_en


# --- recording the history ----------------------------------------------------------------------


def _history_roster() -> Roster:
    history = [
        TrainingRecord(official_id="CB00001", program="LEAD", year=2020),
        TrainingRecord(official_id="CB00001", program="LEAD", year=2020),  # a repeated row is kept as is
        TrainingRecord(official_id="CB00002", program="DUTY", year=2026),  # already recorded
    ]
    return Roster(officials=[official(i) for i in range(6)], history=history)


APPROVED = [
    Nomination(official_id="CB00001", program="DUTY", year=2026, class_id="DUTY-2026-1"),
    Nomination(official_id="CB00002", program="DUTY", year=2026, class_id="DUTY-2026-1"),
    Nomination(official_id="CB00003", program="DUTY", year=2026, class_id="DUTY-2026-1"),
    Nomination(official_id="CB00004", program="MASTER", year=2026),
    Nomination(official_id="CB00005", program="MASTER", year=2026),
]
ATTENDED = [
    Attendance(official_id="CB00001", program="DUTY", year=2026, status="completed"),
    Attendance(official_id="CB00002", program="DUTY", year=2026, status="completed"),
    Attendance(official_id="CB00004", program="MASTER", year=2026, status="dropped"),
    Attendance(official_id="CB00005", program="MASTER", year=2026, status="completed"),
]


def test_record_history_keeps_every_row_and_adds_the_completed_once():
    roster = _history_roster()
    updated, outcome = record_history(roster, APPROVED, ATTENDED)
    assert updated.history == [
        *roster.history,
        TrainingRecord(official_id="CB00001", program="DUTY", year=2026),
        TrainingRecord(official_id="CB00005", program="MASTER", year=2026),
    ]
    assert updated.officials == roster.officials
    messages = outcome.not_recorded
    assert len(messages) == 2 and outcome.added == 2
    assert messages[0].startswith("CB00003 DUTY 2026") and "no result yet" in messages[0]
    assert messages[1].startswith("CB00004 MASTER 2026") and "dropped" in messages[1]
    again, _ = record_history(updated, APPROVED, ATTENDED)
    assert again.history == updated.history


def test_record_history_counts_per_program_and_year_and_what_is_still_to_come():
    later = [
        Nomination(official_id="CB00001", program="MASTER", year=2027),
        Nomination(official_id="CB00002", program="LEAD", year=2027, class_id="LEAD-2027-1"),
    ]
    _, outcome = record_history(_history_roster(), later + APPROVED, ATTENDED)
    rows = [
        (r.program, r.year, r.approved, r.completed, r.dropped, r.no_result, r.still_to_come)
        for r in outcome.by_program_year
    ]
    assert rows == [  # by year, then in the seed plan's order of programs
        ("DUTY", 2026, 3, 2, 0, 1, False),
        ("MASTER", 2026, 2, 1, 1, 0, False),
        ("LEAD", 2027, 1, 0, 0, 1, True),
        ("MASTER", 2027, 1, 0, 0, 1, True),
    ]
    assert outcome.count("dropped") == 1 and outcome.count("no_result") == 3
    assert outcome.count("no_result", still_to_come=True) == 2
    assert outcome.count("no_result", still_to_come=False) == 1


def test_record_history_refuses_results_of_nominations_not_approved():
    stray = [
        Attendance(official_id="CB00003", program="DUTY", year=2027, status="completed"),
        Attendance(official_id="CB00009", program="LEAD", year=2026, status="dropped"),
    ]
    with pytest.raises(InputError) as raised:
        record_history(_history_roster(), APPROVED, ATTENDED + stray, source="ket-qua.xlsx")
    assert raised.value.source == "ket-qua.xlsx"
    assert [p.message_en.split(":")[0] for p in raised.value.problems] == [
        "CB00003 DUTY 2027",
        "CB00009 LEAD 2026",
    ]


# --- the record command -------------------------------------------------------------------------


@pytest.fixture
def record_inputs(planned, plan_workbook, tmp_path) -> dict[str, Path]:
    roster, _, result = planned
    first, second, *_ = result.nominations
    roster = roster.model_copy(
        update={"history": [TrainingRecord(official_id="CB00007", program="LEAD", year=2021)]}
    )
    write_roster(roster, tmp_path / "danh-sach.xlsx")
    attended = [
        ATTENDANCE_HEADERS,
        [first.official_id, first.program, first.year, "Hoàn thành"],
        [second.official_id, second.program, second.year, "Bỏ học"],
    ]
    return {
        "roster": tmp_path / "danh-sach.xlsx",
        "plan": plan_workbook,
        "attended": xlsx(tmp_path / "ket-qua.xlsx", attended),
        "out": tmp_path / "danh-sach-moi.xlsx",
    }


def _record(paths: dict[str, Path], *extra: str):
    args = ["record", str(paths["roster"]), "--plan", str(paths["plan"])]
    args += ["--attended", str(paths["attended"]), "--out", str(paths["out"]), *extra]
    return CliRunner().invoke(main, args)


def test_record_writes_a_roster_with_the_completed_training(planned, record_inputs):
    _, _, result = planned
    first, second, *_ = result.nominations
    run = _record(record_inputs)
    assert run.exit_code == 0, run.output
    assert "1 dòng lịch sử mới / history rows added" in run.output
    assert f"Chưa ghi vào lịch sử: {len(result.nominations) - 1}" in run.output
    assert f"{second.official_id} {second.program} {second.year}" not in run.output, "details: --verbose"
    summary = run.stdout.splitlines()
    assert len(summary) <= 4 + len({(n.program, n.year) for n in result.nominations})
    assert summary[1].split()[:2] == ["chương", "trình"]
    first_row = summary[2].split()
    assert first_row[:2] == [first.program, str(first.year)]
    assert "chưa diễn ra" in run.output and "--verbose" in run.output
    verbose = _record(record_inputs, "--verbose", "--lang", "en")
    assert verbose.exit_code == 0, verbose.output
    assert f"{second.official_id} {second.program} {second.year}: bỏ học" in verbose.output
    assert f"Not recorded: {len(result.nominations) - 1} (1 dropped" in verbose.output
    assert "still to come" in verbose.output and "program" in verbose.output
    new = read_roster(record_inputs["out"])
    assert new.officials == planned[0].officials
    assert new.history == [
        TrainingRecord(official_id="CB00007", program="LEAD", year=2021),
        TrainingRecord(official_id=first.official_id, program=first.program, year=first.year),
    ]


def test_record_exits_2_on_results_of_nominations_not_in_the_plan(record_inputs, tmp_path):
    rows = [ATTENDANCE_HEADERS, ["CB00000", "LEAD", 2026, "Hoàn thành"], ["CB00001", "DUTY", 2026, "???"]]
    xlsx(record_inputs["attended"], rows)
    run = _record(record_inputs)
    assert run.exit_code == 2
    assert "row 3, column 'Kết quả'" in run.output
    assert not record_inputs["out"].exists()
    xlsx(record_inputs["attended"], rows[:2])
    run = _record(record_inputs)
    assert run.exit_code == 2
    assert "ket-qua.xlsx" in run.output and "CB00000 LEAD 2026: not an approved nomination" in run.output
    assert not record_inputs["out"].exists()


def test_record_never_writes_over_an_input(record_inputs):
    before = hashlib.sha256(record_inputs["roster"].read_bytes()).hexdigest()
    for target in ("roster", "plan", "attended"):
        run = _record({**record_inputs, "out": record_inputs[target]})
        assert run.exit_code == 2
        assert "refusing to write over an input file" in run.output
    assert hashlib.sha256(record_inputs["roster"].read_bytes()).hexdigest() == before


def test_record_help_shows_an_example():
    run = CliRunner().invoke(main, ["record", "--help"])
    assert run.exit_code == 0
    assert "planner record danh-sach-2026.xlsx --plan" in run.output
