"""The workbook: printable lists that hold every nomination once, figures that match the checker, safe text."""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

import planner
from models import (
    Budget,
    Education,
    EligibilityRule,
    Gender,
    Quota,
    Result,
    Roster,
    Scenario,
    SolverSettings,
    Target,
)
from planner.analysis.check import check_plan, plan_figures
from planner.analysis.reasons import non_nomination_reasons
from planner.report.workbook import write_workbook
from planner.solver.cohorts import Population, build_population
from planner.solver.solve import solve
from tests.factories import class_program, official, scenario, slot_program
from tests.report.test_print import to_pdf

#: Roster text that a spreadsheet would take for a formula.
INJECTED = {
    "name": '=HYPERLINK("http://evil.example","bấm")',
    "name_plus": "+84 912 345 678",
    "unit": "-Phòng Tổ chức",
    "name_at": "@SUM(A1:A9)",
}
FIXED_RUN = datetime(2026, 1, 5, 9, 30)
LIST_FIRST_ROW = 9  # data rows of a list sheet start under the two header rows 7-8


def _roster() -> Roster:
    officials = [
        official(
            i,
            gender=Gender.FEMALE if i % 3 else Gender.MALE,
            birth_date=date(1970 + i % 24, 1 + i % 12, 1 + i % 28),
            pipeline=i % 4 == 0,
            unit=f"Sở {i % 4}",
        )
        for i in range(40)
    ]
    officials[0] = officials[0].model_copy(update={"name": INJECTED["name"]})
    officials[1] = officials[1].model_copy(update={"name": INJECTED["name_plus"]})
    officials[2] = officials[2].model_copy(update={"unit": INJECTED["unit"]})
    officials[3] = officials[3].model_copy(update={"name": INJECTED["name_at"]})
    return Roster(officials=officials)


def _scenario() -> Scenario:
    duty = class_program(
        "DUTY",
        name="Bồi dưỡng nâng cao năng lực thực thi công vụ",
        name_en="Public-duty capacity class",
        classes_per_year_min=2,
        topics=["Công nghệ thông tin", "Quản lý đô thị"],
    )
    master = slot_program(
        "MASTER",
        name="Đào tạo trình độ thạc sĩ",
        name_en="Master's degree",
        places_per_year_min=1,
        eligibility=EligibilityRule(educations=[Education.BACHELOR], max_age=45),
    )
    return scenario(
        [duty, master],
        targets=[
            Target(
                code="DUTY_ALL",
                name="100% công chức được bồi dưỡng",
                name_en="100% of công chức trained",
                programs=["DUTY"],
                share=1.0,
                deadline=2028,
            ),
            Target(code="MASTER_IT", name="12 thạc sĩ", programs=["MASTER"], count=12, deadline=2028),
        ],
        quotas=[
            Quota(
                code="POSTGRAD",
                name="Sau đại học",
                name_en="Postgraduate",
                programs=["MASTER"],
                min_per_year=1,
                max_per_year=2,
            )
        ],
        budget=Budget(default=250_000_000),
        name="Kế hoạch thử",
        name_en="Test plan",
    )


@pytest.fixture(scope="module")
def planned() -> tuple[Roster, Scenario, Result, Population]:
    roster, plan_scenario = _roster(), _scenario()
    result = solve(roster, plan_scenario, SolverSettings(time_limit=10))
    assert check_plan(roster, plan_scenario, result.nominations, result.classes) == []
    assert result.nominations and result.classes and result.shortfalls
    return roster, plan_scenario, result, build_population(roster, plan_scenario)


@pytest.fixture(scope="module")
def written(planned, tmp_path_factory) -> Path:
    roster, plan_scenario, result, population = planned
    folder = tmp_path_factory.mktemp("plan")
    scenario_file = folder / "scenario.toml"
    scenario_file.write_text("name = 'test'\n", encoding="utf-8")
    path = folder / "plan.xlsx"
    write_workbook(
        path,
        roster,
        plan_scenario,
        result,
        population,
        inputs={"scenario": str(scenario_file)},
        options={"run_at": FIXED_RUN, "settings": SolverSettings(time_limit=10)},
    )
    return path


@pytest.fixture(scope="module")
def book(written):
    return load_workbook(written)


def _list_sheets(result: Result) -> dict[str, tuple[str, int, str | None]]:
    """Sheet title -> (program, year, class id) of every list the plan should print."""
    sheets = {c.class_id: (c.program, c.year, c.class_id) for c in result.classes}
    for n in result.nominations:
        if n.class_id is None:
            sheets[f"{n.program}-{n.year}"] = (n.program, n.year, None)
    return sheets


def _visible(book) -> list[str]:
    """Titles of the sheets a user sees (the hidden `_nominations` sheet left out)."""
    return [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]


def _listed_ids(ws) -> list[str]:
    """Official ids of a list sheet, read from its `Ghi chú` column."""
    ids = []
    for row in ws.iter_rows(min_row=LIST_FIRST_ROW, values_only=True):
        if not isinstance(row[0], int):
            break
        ids.append(row[7].removeprefix("Mã CB: "))
    return ids


# --- structure --------------------------------------------------------------------------------------


def test_sheets_come_in_the_documented_order(planned, book):
    _, _, result, _ = planned
    names = _visible(book)
    assert book.sheetnames == [*names, "_nominations"]
    assert names[0] == "Tổng hợp"
    assert names[-5:] == ["Theo đơn vị", "Tóm tắt lý do", "Lý do", "Biểu đồ", "Thông tin"]
    assert sorted(names[1:-5]) == sorted(_list_sheets(result))
    assert all(len(name) <= 31 for name in names)
    assert len({name.casefold() for name in names}) == len(names)


def test_every_nomination_is_listed_exactly_once(planned, book):
    _, _, result, _ = planned
    seen: Counter[tuple[str, str, int, str | None]] = Counter()
    for title, (program, year, class_id) in _list_sheets(result).items():
        for official_id in _listed_ids(book[title]):
            seen[official_id, program, year, class_id] += 1
    expected = Counter((n.official_id, n.program, n.year, n.class_id) for n in result.nominations)
    assert seen == expected
    assert max(seen.values()) == 1


def test_a_hidden_sheet_holds_the_nominations_in_the_csv_columns(planned, book):
    _, _, result, _ = planned
    ws = book["_nominations"]
    assert ws.sheet_state == "hidden"
    rows = list(ws.values)
    assert rows[0] == ("official_id", "program", "year", "class_id")
    assert rows[1:] == [(n.official_id, n.program, n.year, n.class_id) for n in result.nominations]


def test_class_sheets_hold_as_many_people_as_the_class(planned, book):
    roster, _, result, _ = planned
    officials = roster.by_id()
    for info in result.classes:
        ws = book[info.class_id]
        ids = _listed_ids(ws)
        assert len(ids) == info.size
        assert ws.cell(4, 1).value == f"Năm {info.year} – Lớp {info.class_id} – {info.size} người"
        # the topic is the members' field, or said to be one of the plan's focus areas
        in_field = sum(officials[i].field == info.topic for i in ids)
        if 2 * in_field > len(ids):
            assert ws.cell(3, 1).value == f"Chuyên đề: {info.topic}"
        else:
            focus = (
                f"Chuyên đề: {info.topic} (lĩnh vực trọng tâm của kế hoạch; {in_field}/{len(ids)} học viên"
            )
            assert ws.cell(3, 1).value.startswith(focus)


def test_list_rows_carry_the_roster_data_with_the_birth_date_under_the_gender(planned, book):
    roster, _, result, _ = planned
    officials = roster.by_id()
    n = result.nominations[0]
    title = n.class_id or f"{n.program}-{n.year}"
    ws = book[title]
    assert ws.cell(1, 1).value == "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC CỬ ĐI ĐÀO TẠO, BỒI DƯỠNG"
    assert [ws.cell(7, c).value for c in range(1, 9)] == [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        None,
        "Chức vụ",
        "Đơn vị công tác",
        "Trình độ chuyên môn",
        "Ghi chú",
    ]
    assert (ws.cell(8, 3).value, ws.cell(8, 4).value) == ("Nam", "Nữ")
    rows = list(ws.iter_rows(min_row=LIST_FIRST_ROW, max_row=LIST_FIRST_ROW + len(_listed_ids(ws)) - 1))
    for number, row in enumerate(rows, 1):
        person = officials[row[7].value.removeprefix("Mã CB: ")]
        male, female = row[2], row[3]
        dated, empty = (male, female) if person.gender is Gender.MALE else (female, male)
        assert row[0].value == number
        assert row[1].value == person.name
        assert dated.value.date() == person.birth_date
        assert dated.is_date and dated.number_format == "dd/mm/yyyy"
        assert empty.value is None
        assert row[5].value == person.unit
        assert row[1].border.left.style == "thin"


def test_list_sheets_print_on_a4_landscape_with_repeated_headers(planned, book):
    _, _, result, _ = planned
    for title in _list_sheets(result):
        ws = book[title]
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
        # a stated scale at which the 11 pt text prints at 9 pt or more
        assert ws.page_setup.scale * 11 / 100 >= 9
        assert not ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$7:$8"
        assert ws.freeze_panes == "A9"
        assert ws.column_dimensions["B"].width >= 20


def test_lists_end_with_a_signature_block(planned, book):
    _, _, result, _ = planned
    ws = book[result.classes[0].class_id]
    texts = {cell.value for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)}
    assert {"NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ"} <= texts


# --- figures against the independent checker -------------------------------------------------------


def _summary_tables(ws) -> tuple[dict, dict, dict, dict]:
    """(program, year) -> (classes, people); target -> {year: achieved}; target -> whole-period row;
    year -> cost, and "after" -> (people, cost) of the years after the plan."""
    programs, targets, whole, cost = {}, {}, {}, {}
    in_budget = False
    for row in ws.iter_rows(values_only=True):
        code, _, year, required, achieved, _, classes, people, _, _ = row
        if code == "KINH PHÍ THEO NĂM":
            in_budget = True
        elif in_budget and isinstance(code, int):
            cost[code] = row[1]
        elif in_budget and isinstance(code, str) and code.startswith("Từ "):
            cost["after"] = (row[6], row[1])
        elif code in ("DUTY", "MASTER") and isinstance(year, int):
            programs[code, year] = (classes or 0, people)
        elif code in ("DUTY_ALL", "MASTER_IT") and isinstance(year, int):
            targets.setdefault(code, {})[year] = (achieved, classes, people, row[8])
        elif code in ("DUTY_ALL", "MASTER_IT") and year == "Cả giai đoạn":
            whole[code] = (required, achieved)
    return programs, targets, whole, cost


def test_summary_figures_equal_what_the_checker_recomputes(planned, book):
    roster, plan_scenario, result, _ = planned
    figures = plan_figures(roster, plan_scenario, result.nominations, result.classes)
    programs, targets, whole, cost = _summary_tables(book["Tổng hợp"])
    for program in plan_scenario.programs:
        for year in plan_scenario.years:
            classes = figures.classes.get((program.code, year), 0)
            assert programs[program.code, year] == (classes, figures.starts[program.code, year])
    assert cost.pop("after") == figures.after_plan and figures.after_plan[0] > 0
    assert cost == figures.cost_by_year
    for code, target in figures.targets.items():
        assert {year: row[0] for year, row in targets[code].items()} == target.covered_by_year
        assert whole[code] == (target.required, target.achieved)
        # a target's row: the members covered first that year; its programs' classes and cost are
        # shared with others (the programs' rows hold them), so none are set against the target
        covered = [target.covered_before, *target.covered_by_year.values()]
        first = {
            year: now - was
            for year, now, was in zip(target.covered_by_year, covered[1:], covered, strict=False)
        }
        assert {year: row[2] for year, row in targets[code].items()} == first
        assert (
            {row[1] for row in targets[code].values()} == {row[3] for row in targets[code].values()} == {None}
        )


def test_program_rows_count_the_people_still_studying_from_earlier_starts(planned, book):
    _, plan_scenario, result, _ = planned
    notes = {
        (row[0], row[2]): row[9] or ""
        for row in book["Tổng hợp"].iter_rows(values_only=True)
        if row[0] == "MASTER" and isinstance(row[2], int)
    }
    still = {
        year: sum(1 for n in result.nominations if n.program == "MASTER" and n.year < year < n.year + 2)
        for year in plan_scenario.years
    }
    assert any(still.values())
    for year, n in still.items():
        found = re.search(r"gồm (\d+) người học năm thứ hai", notes["MASTER", year])
        assert (int(found.group(1)) if found else 0) == n, year


def test_shortfalls_are_highlighted_with_their_reason(planned, book):
    _, _, result, _ = planned
    ws = book["Tổng hợp"]
    target_shortfalls = {s.code: s for s in result.shortfalls if s.kind == "target"}
    assert target_shortfalls
    highlighted = {}
    for row in ws.iter_rows():
        if row[0].value in target_shortfalls and row[2].value == target_shortfalls[row[0].value].year:
            highlighted[row[0].value] = row
    assert set(highlighted) == set(target_shortfalls)
    for code, row in highlighted.items():
        assert row[4].fill.fgColor.rgb.endswith("F8CBAD")
        assert row[9].value == target_shortfalls[code].reason.vi


def test_summary_states_the_solver_status_in_plain_words(planned, book):
    _, _, result, _ = planned
    texts = {value for row in book["Tổng hợp"].iter_rows(values_only=True) for value in row}
    assert result.status == "OPTIMAL"
    assert "Phương án tối ưu đã được chứng minh" in texts


def test_units_sheet_counts_nominations_against_the_eligible_pool(planned, book):
    roster, plan_scenario, result, population = planned
    officials = roster.by_id()
    ws = book["Theo đơn vị"]
    header = [c.value for c in ws[3]]
    years = plan_scenario.years
    assert header[:3] == ["Đơn vị công tác", "Chương trình", "Số người đủ điều kiện"]
    assert header[3 : 3 + len(years)] == years
    sent = Counter((officials[n.official_id].unit, n.program, n.year) for n in result.nominations)
    rows = 0
    for row in ws.iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            break
        unit, program, pool, *counts = row[: 3 + len(years)]
        assert pool == population.eligible_in_unit.get((program, unit), 0)
        assert counts == [sent[unit, program, y] for y in years]
        rows += 1
    assert rows == len({(u, p) for (p, u) in population.eligible_in_unit})


def test_reasons_sheet_has_a_row_per_nomination_then_per_member_left_off(planned, book):
    _, _, result, population = planned
    ws = book["Lý do"]
    rows = [row for row in ws.iter_rows(min_row=3, values_only=True) if row[0] is not None]
    missing = non_nomination_reasons(population, result)
    assert len(rows) == len(result.nominations) + len(missing)
    nominated = rows[: len(result.nominations)]
    assert all(row[3] == "Được cử" and row[8].startswith("Đủ điều kiện: ") for row in nominated)
    assert [(r[0], r[4], r[8]) for r in rows[len(result.nominations) :]] == [
        (m.official_id, m.target, m.reason.vi) for m in missing
    ]
    assert ws.auto_filter.ref.startswith("A2:I")


def test_charts_sheet_holds_native_charts(planned, written):
    _, plan_scenario, _, _ = planned
    with zipfile.ZipFile(written) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/chart")]
        lines = [archive.read(name).decode() for name in charts]
    assert len(charts) == len(plan_scenario.targets) + 1
    # a requirement or a budget per year is drawn straight from year to year (a smoothed line
    # drew the budget rising between 2026 and 2027 as if it changed within the year)
    assert all('<smooth val="0"' in chart and '<smooth val="1"' not in chart for chart in lines)


def test_about_sheet_identifies_inputs_options_version_and_time(written, book):
    ws = book["Thông tin"]
    values = {row[0]: row[1:] for row in ws.iter_rows(values_only=True) if row[0]}
    scenario_file = written.parent / "scenario.toml"
    assert values["Kịch bản (scenario)"][:2] == (
        "scenario.toml",
        hashlib.sha256(scenario_file.read_bytes()).hexdigest(),
    )
    assert values["Phần mềm"][0] == f"training-planner {planner.__version__}"
    assert values["Thời điểm chạy"][0] == FIXED_RUN
    # options and figures in words, with the code a user types beside them; no bare keys
    assert values["Giới hạn thời gian giải (giây) (time_limit)"][0] == 10
    assert values["Ghi nhật ký bộ giải (log)"][0] == "không"
    assert values["Tham số CP-SAT khác (extra)"][0] == "không có"
    assert not {"cohorts", "ms_solve", "time_limit", "log", "extra", "settings.time_limit"} & set(values)
    assert not any(str(v[0]).startswith(("OPTIMAL", "FEASIBLE")) for v in values.values())


# --- safety ---------------------------------------------------------------------------------------------


def test_roster_text_that_looks_like_a_formula_stays_text(book):
    found: Counter[str] = Counter()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if cell.value in INJECTED.values():
                    assert cell.data_type == "s"
                    assert cell.quotePrefix  # stays text even when someone edits the cell
                    found[cell.value] += 1
    assert set(found) == set(INJECTED.values())


def test_an_interrupted_write_leaves_no_file_behind(planned, tmp_path, monkeypatch):
    roster, plan_scenario, result, population = planned

    def broken_save(self, filename):
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write_workbook(tmp_path / "plan.xlsx", roster, plan_scenario, result, population)
    assert list(tmp_path.iterdir()) == []

    previous = tmp_path / "previous.xlsx"
    previous.write_bytes(b"the plan signed last week")
    with pytest.raises(OSError, match="disk full"):
        write_workbook(previous, roster, plan_scenario, result, population)
    assert previous.read_bytes() == b"the plan signed last week"
    assert list(tmp_path.iterdir()) == [previous]


def test_refuses_to_write_over_an_input_file(planned, tmp_path):
    roster, plan_scenario, result, population = planned
    roster_file = tmp_path / "roster.xlsx"
    roster_file.write_bytes(b"the roster")
    (tmp_path / "sub").mkdir()
    for destination in (roster_file, tmp_path / "sub" / ".." / "roster.xlsx"):
        with pytest.raises(ValueError, match="roster"):
            write_workbook(
                destination, roster, plan_scenario, result, population, inputs={"roster": str(roster_file)}
            )
    assert roster_file.read_bytes() == b"the roster"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.xlsx", "sub"]


def test_refuses_an_unknown_language(planned, tmp_path):
    roster, plan_scenario, result, population = planned
    with pytest.raises(ValueError, match="lang"):
        write_workbook(tmp_path / "plan.xlsx", roster, plan_scenario, result, population, lang="fr")


# --- English --------------------------------------------------------------------------------------------


def test_english_workbook_translates_sheets_and_headers_but_not_the_data(planned, tmp_path):
    roster, plan_scenario, result, population = planned
    path = tmp_path / "plan-en.xlsx"
    write_workbook(path, roster, plan_scenario, result, population, lang="en")
    book = load_workbook(path)
    assert _visible(book)[0] == "Summary"
    assert _visible(book)[-5:] == ["By unit", "Reasons summary", "Reasons", "Charts", "About"]
    ws = book[result.classes[0].class_id]
    assert ws.cell(1, 1).value == "LIST OF OFFICIALS NOMINATED FOR TRAINING"
    assert ws.cell(2, 1).value == "PUBLIC-DUTY CAPACITY CLASS"
    assert (ws.cell(7, 2).value, ws.cell(8, 3).value, ws.cell(8, 4).value) == ("Full name", "Male", "Female")
    names = {row[1] for row in ws.iter_rows(min_row=LIST_FIRST_ROW, values_only=True)}
    assert names & {o.name for o in roster.officials}
    summary = {value for row in book["Summary"].iter_rows(values_only=True) for value in row}
    assert "Optimal plan, proven" in summary
    # a target's English name where the scenario gives one, else its own
    assert {"100% of công chức trained", "12 thạc sĩ"} <= summary
    assert "100% công chức được bồi dưỡng" not in summary
    assert any(isinstance(v, str) and "Scenario: Test plan" in v for v in summary)
    assert any(isinstance(v, str) and v.startswith("Postgraduate (MASTER") for v in summary)
    reasons = [row for row in book["Reasons"].iter_rows(min_row=3, values_only=True) if row[0]]
    assert reasons[0][3] == "Nominated" and reasons[0][8].startswith("Eligible: ")


# --- other readers ------------------------------------------------------------------------------------


def test_libreoffice_converts_the_workbook(written, tmp_path):
    assert to_pdf(written, tmp_path).stat().st_size > 0


def test_an_empty_plan_still_gives_a_readable_workbook(tmp_path):
    roster, plan_scenario = _roster(), _scenario()
    population = build_population(roster, plan_scenario)
    result = Result(status="EMPTY", method="greedy", cost_by_year=dict.fromkeys(plan_scenario.years, 0))
    path = tmp_path / "empty.xlsx"
    write_workbook(path, roster, plan_scenario, result, population)
    book = load_workbook(path)
    assert _visible(book) == ["Tổng hợp", "Theo đơn vị", "Tóm tắt lý do", "Lý do", "Biểu đồ", "Thông tin"]
    assert list(book["_nominations"].values) == [("official_id", "program", "year", "class_id")]
    texts = {value for row in book["Tổng hợp"].iter_rows(values_only=True) for value in row}
    assert "Không có phương án: không ai đủ điều kiện" in texts
    reasons = [row for row in book["Lý do"].iter_rows(min_row=3, values_only=True) if row[0]]
    assert len(reasons) == len(non_nomination_reasons(population, result)) > 0


def test_a_stopped_plan_lists_the_levels_it_did_not_solve(planned, tmp_path):
    """A stop after the first level: the summary and About sheets name the other levels as not
    solved (the summary used to list the solved levels only, and the status gave their codes)."""
    roster, plan_scenario, result, population = planned
    stopped = result.model_copy(
        update={"levels": result.levels[:1], "unsolved_levels": ["merit", "cost"], "status": "FEASIBLE"}
    )
    path = tmp_path / "stopped.xlsx"
    write_workbook(path, roster, plan_scenario, stopped, population)
    book = load_workbook(path)
    for sheet in ("Tổng hợp", "Thông tin"):
        rows = [[v for v in row if v] for row in book[sheet].iter_rows(values_only=True)]
        assert ["Mức ưu tiên 2: Ưu tiên người có điểm cao", "chưa giải: đã dừng trước mức này"] in rows, sheet
        assert ["Mức ưu tiên 3: Tiết kiệm kinh phí", "chưa giải: đã dừng trước mức này"] in rows, sheet
    texts = {v for row in book["Tổng hợp"].iter_rows(values_only=True) for v in row if isinstance(v, str)}
    assert any(t.startswith("Phương án lúc dừng: chưa giải mức “Ưu tiên người có điểm cao”") for t in texts)
