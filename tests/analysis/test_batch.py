"""planner batch: a manifest of rosters x scenarios, each plan written, the figures side by side, failures apart."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result

from cli import main
from models import SolverSettings
from planner.analysis import batch as batch_module
from planner.analysis.batch import consolidate, load_manifest, plan_runs, run_batch
from planner.analysis.compare import solve_and_check
from planner.analysis.executor import LOCAL, open_backend
from planner.io.errors import InputError
from planner.io.export import write_roster
from planner.io.roster import read_roster
from planner.io.scenario import load_scenario
from tests.analysis.test_compare import LARGER, SMALL, ctrl_c_while_naming_the_first_plan
from tests.factories import roster

MANIFEST = """
# two provinces and one whose roster is broken
scenarios = ["small.toml", "larger.toml"]

[[rosters]]
name = "Tỉnh A"
path = "a.xlsx"

[[rosters]]
path = "b.xlsx"
scenarios = ["small.toml"]

[[rosters]]
name = "Tỉnh C"
path = "broken.csv"
"""


def _run(*args: Any) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Rosters of 12 and 7 officials, a broken roster, the two small scenarios and the manifest."""
    write_roster(roster(12), tmp_path / "a.xlsx")
    write_roster(roster(7), tmp_path / "b.xlsx")
    (tmp_path / "broken.csv").write_text("Mã CB,Họ và tên\nCB1,\n", encoding="utf-8")
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    (tmp_path / "larger.toml").write_text(LARGER, encoding="utf-8")
    (tmp_path / "batch.toml").write_text(MANIFEST, encoding="utf-8")
    return tmp_path


def _pairs(sheet: Any) -> list[tuple[Any, ...]]:
    """The About sheet's rows as their filled cells."""
    return [tuple(cell for cell in row if cell is not None) for row in sheet.iter_rows(values_only=True)]


def test_a_bad_roster_is_reported_and_the_other_provinces_are_planned(folder: Path) -> None:
    out = folder / "out"
    result = _run("batch", folder / "batch.toml", "--out-dir", out)
    assert result.exit_code == 2, result.output
    assert "broken.csv" in result.stderr
    data = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert data["failed"] == ["Tỉnh C"] and not data["interrupted"]
    assert data["scenarios"] == ["small", "larger"]
    a, b, c = data["provinces"]
    assert (a["name"], b["name"]) == ("Tỉnh A", "b")
    assert [p["scenario"] for p in a["plans"]] == ["small", "larger"] and [
        p["scenario"] for p in b["plans"]
    ] == ["small"]
    assert c["failed"] and "broken.csv" in c["error_en"] and all(p["state"] == "failed" for p in c["plans"])
    for name, size, plans in (("Tỉnh A", 12, a["plans"]), ("b", 7, b["plans"])):
        for plan in plans:
            expected = solve_and_check(
                roster(size), load_scenario(folder / f"{plan['scenario']}.toml"), SolverSettings()
            )
            assert plan["state"] == "solved"
            assert plan["total_cost"] == sum(expected.summary["cost_by_year"].values())
            assert len(plan["shortfalls"]) == len(expected.summary["shortfalls"])
            written = out / name / plan["scenario"]
            summary = json.loads((written / "summary.json").read_text(encoding="utf-8"))
            assert summary["nominations"] == len(expected.result.nominations)
            assert (written / "nominations.csv").read_text(encoding="utf-8").count("\n") == summary[
                "nominations"
            ] + 1
            plan_book = openpyxl.load_workbook(written / "plan.xlsx")
            assert "_nominations" in plan_book.sheetnames
            assert ("Giới hạn thời gian giải (giây) (time_limit)", 60) in _pairs(plan_book["Thông tin"])
    assert not (out / "Tỉnh C").exists()
    book = openpyxl.load_workbook(out / "batch.xlsx")
    assert book.sheetnames == ["Tổng hợp", "Mục tiêu", "Chưa đạt", "Lỗi", "Thông tin"]
    for sheet in book:  # printed: no wider than a page, the head row on each, pages numbered
        if sheet.title == "Tổng hợp":  # as wide as its scenarios make it: fitted to the page
            assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToHeight == 0
        else:  # at the scale its columns fit, the text at 9 pt or more (tests/report/test_print.py)
            assert 82 <= sheet.page_setup.scale <= 100
        assert sheet.print_title_rows == "$1:$1" and "&P" in sheet.oddFooter.center.text
        assert sheet.row_dimensions[1].height >= 15
    rows = list(book["Tổng hợp"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["Tỉnh A", "b", "Tỉnh C"]
    assert rows[0][4] == a["plans"][0]["total_cost"] and rows[0][10] == a["plans"][1]["total_cost"]
    assert rows[0][6] == a["plans"][0]["cost_after_plan"] is not None  # what the next period pays
    assert rows[1][7:] == (None,) * 6, "b has no plan under the larger scenario"
    limit = ("Giới hạn thời gian giải (giây) (time_limit)", "60 giây cho mỗi 150.000 người, ít nhất 60")
    assert limit in _pairs(book["Thông tin"]), "no --time-limit: each province's default, by its size"
    failures = list(book["Lỗi"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in failures] == ["Tỉnh C"]
    assert "Tỉnh A / larger" in result.stdout and "Tỉnh C: LỖI" in result.stdout


def test_the_batch_is_the_same_on_a_dask_cluster(folder: Path) -> None:
    found = []
    for executor in ("local", "dask"):
        out = folder / executor
        result = _run("batch", folder / "batch.toml", "--out-dir", out, "--executor", executor, "--jobs", 2)
        assert result.exit_code == 2, result.output
        data = json.loads((out / "batch.json").read_text(encoding="utf-8"))
        for province in data["provinces"]:
            for plan in province["plans"]:
                plan.pop("wall_time", None)
                plan.pop("files")
        found.append(data)
        csv = (out / "Tỉnh A" / "larger" / "nominations.csv").read_bytes()
        found.append(csv)
    assert found[0] == found[2] and found[1] == found[3]


def test_a_solve_that_fails_is_recorded_and_the_others_finish(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    provinces = load_manifest(folder / "batch.toml")[:2]
    scenarios = {path: load_scenario(path) for p in provinces for path in p.scenarios}
    real = batch_module.solve_task

    def fails_for_b(people: Any, job: Any) -> Any:
        if len(people.officials) == 7:
            raise RuntimeError("simulated")
        return real(people, job)

    monkeypatch.setattr(batch_module, "solve_task", fails_for_b)
    runs = plan_runs(provinces, scenarios)
    rosters = {p.name: read_roster(p.roster) for p in provinces}
    finished = []
    with open_backend(LOCAL, 1) as backend:
        stopped = run_batch(backend, rosters, runs, SolverSettings(time_limit=5), done=finished.append)
    assert not stopped and len(finished) == 3
    assert [r.solved is not None for r in runs] == [True, True, False]
    assert runs[2].error == (
        "lỗi khi giải: RuntimeError: simulated",
        "the solve failed: RuntimeError: simulated",
    )
    data = consolidate(provinces, runs, {}, stopped)
    assert data["failed"] == ["b"]


def test_a_ctrl_c_after_a_plans_search_keeps_that_plan_and_solves_no_other(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Ctrl-C landed while the first plan's people were named: that plan was whole and kept, and
    the batch went on to the others as if no stop had come."""
    provinces = load_manifest(folder / "batch.toml")[:2]
    scenarios = {path: load_scenario(path) for p in provinces for path in p.scenarios}
    calls = ctrl_c_while_naming_the_first_plan(monkeypatch)
    runs = plan_runs(provinces, scenarios)
    rosters = {p.name: read_roster(p.roster) for p in provinces}
    finished = []
    with open_backend(LOCAL, 1) as backend:
        stopped = run_batch(backend, rosters, runs, SolverSettings(time_limit=5), done=finished.append)
    assert stopped and finished == [runs[0]] and len(calls) == 1
    assert runs[0].solved is not None and runs[0].solved.result.stop == "after"
    assert [r.error for r in runs[1:]] == [
        ("chưa giải: đã dừng bằng Ctrl-C", "not solved: stopped by Ctrl-C")
    ] * 2


# --- the manifest ---------------------------------------------------------------------------------------------


def _problems(folder: Path, text: str) -> list[tuple[str, int | None, str]]:
    (folder / "m.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_manifest(folder / "m.toml")
    return [(p.key, p.line, p.message_en) for p in error.value.problems]


def test_every_problem_of_a_manifest_is_named_by_key_and_line(folder: Path) -> None:
    text = """scenarios = ["small.toml", "missing.toml"]
output = "x"

[[rosters]]
path = "a.xlsx"
colour = "red"

[[rosters]]
name = "A"

[[rosters]]
path = "b.xlsx"
name = "a"
"""
    found = _problems(folder, text)
    assert ("scenarios[1]", 1, f"scenario file not found: {folder / 'missing.toml'}") in found
    assert ("output", 2, "unknown key; use scenarios, rosters") in found
    assert ("rosters[0].colour", 6, "unknown key; use name, path, scenarios") in found
    assert ("rosters[1].path", 8, 'needs path = "roster file"') in found
    assert ("rosters[2].name", 13, "the name 'a' repeats an earlier one: give another name") in found
    assert len(found) == 5


def test_a_manifest_without_rosters_or_scenarios_is_refused(folder: Path) -> None:
    assert _problems(folder, 'scenarios = ["small.toml"]\n')[0][:2] == ("rosters", None)
    ((key, line, message),) = _problems(folder, '[[rosters]]\npath = "a.xlsx"\n')
    assert (key, line) == ("rosters[0]", 1) and message.startswith("no scenario")


def test_a_manifest_that_is_not_toml_exits_2_with_its_line(folder: Path) -> None:
    (folder / "m.toml").write_text('scenarios = ["small.toml"]\n[[rosters]\n', encoding="utf-8")
    result = _run("batch", folder / "m.toml", "--out-dir", folder / "out")
    assert result.exit_code == 2
    assert "m.toml" in result.stderr and "line 2" in result.stderr and "dòng 2" in result.stderr
    assert "invalid TOML syntax" in result.stderr and "lỗi cú pháp TOML" in result.stderr
    assert "Traceback" not in result.output
    assert not (folder / "out").exists()
