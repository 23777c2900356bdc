"""The `planner` command end to end with click's CliRunner: every command and exit code."""

from __future__ import annotations

import csv
import json
import sys
import tempfile
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

from cli import main
from planner.io.export import write_roster
from planner.sample import generate_roster

SCENARIO = str(Path(__file__).parent.parent / "scenarios" / "orientation-2026-2030.toml")


@pytest.fixture(scope="module")
def roster_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("roster") / "tinh.xlsx"
    write_roster(generate_roster(600, seed=3, structure="2025", reference_year=2026), path)
    return str(path)


def _plan(runner: CliRunner, roster: str, out: Path, *extra: str):
    return runner.invoke(
        main,
        ["plan", roster, "--scenario", SCENARIO, "--csv", str(out / "n.csv"), "--json", str(out / "s.json"),
         "--time-limit", "5", "--quiet", *extra],
    )  # fmt: skip


def test_plan_writes_csv_json_and_workbook(roster_file: str, tmp_path: Path) -> None:
    result = _plan(CliRunner(), roster_file, tmp_path, "--out", str(tmp_path / "plan.xlsx"))
    assert result.exit_code == 0, result.output
    with (tmp_path / "n.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["official_id", "program", "year", "class_id"]
    summary = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert summary["nominations"] == len(rows) - 1 > 0
    workbook = openpyxl.load_workbook(tmp_path / "plan.xlsx", read_only=True)
    assert "Tổng hợp" in workbook.sheetnames
    assert "Trạng thái" in result.output
    assert "\n  Giảm thiếu hụt chỉ tiêu: " in result.output  # the level's name, not its code


def test_plan_without_a_time_limit_takes_the_default_for_its_roster_s_size(
    roster_file: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a clerk runs it: no --time-limit. 60 s per `OFFICIALS_PER_DEFAULT_LIMIT` officials (600
    officials at 400 a minute: 90 s), said on the console and on the workbook's About sheet."""
    monkeypatch.setattr("models.plan.OFFICIALS_PER_DEFAULT_LIMIT", 400)
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["plan", roster_file, "--scenario", SCENARIO, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "(--time-limit 90 s)" in result.output
    about = openpyxl.load_workbook(out, read_only=True)["Thông tin"]
    rows = [[cell for cell in row if cell is not None] for row in about.iter_rows(values_only=True)]
    assert ["Giới hạn thời gian giải (giây) (time_limit)", 90] in rows


def test_the_progress_line_names_the_level_in_the_chosen_language(capsys) -> None:
    from cli import _progress_printer

    _progress_printer(False, "vi")("merit", 1.0, -10.0, -11.0)
    _progress_printer(False, "en")("cost", 1.0, 10.0, 9.0)
    printed = capsys.readouterr().err
    assert "[Ưu tiên người có điểm cao]" in printed and "[Lowest cost]" in printed


def test_the_progress_line_writes_numbers_in_the_chosen_languages_way(capsys) -> None:
    """A clerk reading the Vietnamese summary below it reads 66,156,000 as 66 with decimals."""
    from cli import _progress_printer

    _progress_printer(False, "vi")("cost", 12.34, 66_156_000.0, 66_100_000.0)
    _progress_printer(False, "en")("cost", 12.34, 66_156_000.0, 66_100_000.0)
    vi, en = capsys.readouterr().err.splitlines()
    assert "12,3 s" in vi and "66.156.000" in vi and "66.100.000" in vi and "0,08 %" in vi
    assert "12.3 s" in en and "66,156,000" in en and "66,100,000" in en and "0.08%" in en


def test_the_progress_overwrites_its_line_on_a_terminal_and_takes_a_line_each_in_a_log(
    capsys, monkeypatch
) -> None:
    """Redirected to a file (a log, a scheduled run), each report is a line of its own: written over
    with carriage returns, a whole solve's reports were one line there."""
    from cli import _progress_printer

    report = _progress_printer(False, "en")
    report("merit", 1.0, -10.0, -11.0)
    report("cost", 2.0, 10.0, 9.0)
    logged = capsys.readouterr().err
    assert "\r" not in logged and len(logged.splitlines()) == 2 and logged.endswith("\n")
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    report = _progress_printer(False, "en")
    report("merit", 1.0, -10.0, -11.0)
    report("cost", 2.0, 10.0, 9.0)
    shown = capsys.readouterr().err
    assert shown.count("\r") == 2 and "\n" not in shown


def test_a_stopped_plan_prints_the_levels_it_did_not_solve(capsys) -> None:
    from cli import _print_plan

    level = {"name": "shortfall", "status": "OPTIMAL", "objective": 5.0, "bound": 5.0, "wall_time": 0.1}
    summary = {
        "status": "FEASIBLE", "method": "cpsat", "gap": 0.0, "wall_time": 1.0, "levels": [level],
        "unsolved_levels": ["merit", "cost"], "nominations": 0, "cost_by_year": {}, "shortfalls": [],
        "notes": [], "approval_issues": [], "changes": [],
    }  # fmt: skip
    _print_plan(summary, "en")
    printed = capsys.readouterr().out
    assert "\n  Smallest shortfall: optimal (proven)" in printed
    assert "\n  Highest merit: not solved: stopped before it\n  Lowest cost: not solved" in printed
    assert "not solved “Highest merit”, “Lowest cost”" in printed


def test_the_plan_printed_in_vietnamese_writes_numbers_the_vietnamese_way(capsys) -> None:
    """4.172.437 and 8,3: the English 4,172,437 reads as a decimal in Vietnamese."""
    from cli import _print_plan

    level = {
        "name": "shortfall",
        "status": "FEASIBLE",
        "objective": 4_172_437.0,
        "bound": 4_169_601.0,
        "wall_time": 0.4,
    }
    shortfall = {"reason": {"vi": "LEAD 2025", "en": "LEAD 2025"}, "achieved": 1_998, "required": 2_099}
    summary = {
        "status": "FEASIBLE", "method": "cpsat", "gap": 0.0007, "wall_time": 8.3, "levels": [level],
        "nominations": 4_342, "cost_by_year": {"2023": 11_999_000_000},
        "budget_by_year": {"2023": 12_000_000_000}, "shortfalls": [shortfall], "notes": [],
        "approval_issues": [], "changes": [],
    }  # fmt: skip
    _print_plan(summary, "vi")
    printed = capsys.readouterr().out
    assert ", 8,3 s\n" in printed and "(giá trị / cận 4.172.437 / 4.169.601)" in printed
    assert "Lượt cử: 4.342" in printed and "2023: 11.999.000.000 / 12.000.000.000 đồng" in printed
    assert "LEAD 2025 (1.998/2.099)" in printed
    _print_plan(summary, "en")
    assert "2023: 11,999,000,000 / 12,000,000,000 VND" in capsys.readouterr().out


def test_the_plan_printed_says_what_its_people_still_studying_after_it_cost(capsys) -> None:
    """A PhD started in the plan's last year costs two more years, which its budgets do not hold."""
    from cli import _print_plan

    summary = {
        "status": "FEASIBLE", "method": "cpsat", "gap": 0.0, "wall_time": 1.0, "levels": [], "nominations": 3,
        "cost_by_year": {"2029": 0, "2030": 300_000_000}, "budget_by_year": {"2029": None, "2030": None},
        "after_plan": {"from": 2031, "people": 3, "cost": 600_000_000}, "shortfalls": [], "notes": [],
        "approval_issues": [],
        "changes": [],
    }  # fmt: skip
    _print_plan(summary, "vi")
    assert (
        "\n  từ 2031: 600.000.000 đồng, 3 người còn đang học (dự toán giai đoạn sau)\n"
        in capsys.readouterr().out
    )
    _print_plan(summary, "en")
    assert (
        "\n  from 2031: 600,000,000 VND, 3 still studying (the next period's budgets)\n"
        in capsys.readouterr().out
    )
    _print_plan(summary | {"after_plan": {"from": 2031, "people": 0, "cost": 0}}, "vi")
    assert "từ 2031" not in capsys.readouterr().out


def test_same_inputs_give_the_same_csv_byte_for_byte(tmp_path: Path) -> None:
    roster = tmp_path / "small.xlsx"
    write_roster(generate_roster(250, seed=8, structure="2025", reference_year=2026), roster)
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        out.mkdir()
        result = _plan(CliRunner(), str(roster), out, "--time-limit", "60")
        assert result.exit_code == 0, result.output
        runs.append((out / "n.csv").read_bytes())
    assert runs[0] == runs[1]


def test_a_replan_where_someone_of_an_approved_class_left_is_written(tmp_path: Path, province) -> None:
    # Bug: the checker refused the replan once the approved class was below its minimum size.
    roster_file = str(tmp_path / "tinh-300.xlsx")
    write_roster(province(300, 1, "2025", 2026), roster_file)  # its 2026 class is at its minimum
    from collections import Counter

    from models import Roster
    from planner.io.roster import read_roster
    from planner.io.scenario import load_scenario

    runner = CliRunner()
    assert _plan(runner, roster_file, tmp_path).exit_code == 0
    rows = list(csv.DictReader((tmp_path / "n.csv").open(encoding="utf-8")))
    approved = [r for r in rows if r["year"] == "2026"]
    (tmp_path / "approved.csv").write_text(
        "official_id,program,year,class_id\n" + "".join(",".join(r.values()) + "\n" for r in approved)
    )
    sizes = Counter(r["class_id"] for r in approved if r["class_id"])
    scenario = load_scenario(SCENARIO)
    gone = next(  # someone of a class at its minimum size
        r
        for r in approved
        if r["class_id"] and sizes[r["class_id"]] == scenario.program(r["program"]).class_size_min
    )
    roster = read_roster(roster_file)
    write_roster(
        Roster(
            officials=[o for o in roster.officials if o.id != gone["official_id"]],
            history=[h for h in roster.history if h.official_id != gone["official_id"]],
        ),
        tmp_path / "next.xlsx",
    )
    result = _plan(
        runner, str(tmp_path / "next.xlsx"), tmp_path, "--approved", str(tmp_path / "approved.csv")
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert [i["official_id"] for i in summary["approval_issues"]] == [gone["official_id"]]


def test_greedy_method_and_english(roster_file: str, tmp_path: Path) -> None:
    result = _plan(CliRunner(), roster_file, tmp_path, "--method", "greedy", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "Status: Greedy plan (not optimized)" in result.output


def test_check_prints_counts_and_json(roster_file: str, tmp_path: Path) -> None:
    out = tmp_path / "check.json"
    result = CliRunner().invoke(main, ["check", roster_file, "--scenario", SCENARIO, "--json", str(out)])
    assert result.exit_code == 0, result.output
    counts = json.loads(out.read_text(encoding="utf-8"))
    assert counts["officials"] == 600
    assert set(counts["by_role_group"]) <= {
        "lanh_dao_cap_so", "truong_phong", "pho_truong_phong", "chuyen_vien", "chu_tich_xa",
        "pho_chu_tich_xa", "cong_chuc_xa", "lanh_dao_don_vi", "vien_chuc",
    }  # fmt: skip
    assert sum(counts["by_level"].values()) == 600
    assert counts["labels"]["by_level"] == {"tinh": "Tỉnh", "xa": "Xã"}  # the 2025 structure: no district
    assert counts["labels"]["by_role_group"]["lanh_dao_don_vi"] == "Viên chức quản lý"
    assert counts["labels"]["eligible_by_program"]["MASTER"] == "Đào tạo trình độ thạc sĩ"
    assert list(counts["by_level"]) == ["tinh", "xa"], "in the enum's order, province first"
    assert "Trưởng phòng" in result.output and "Theo nhóm chức vụ:" in result.output
    assert "Viên chức quản lý" in result.output and "Đào tạo trình độ thạc sĩ" in result.output
    for code in ("truong_phong", "lanh_dao_don_vi", "vien_chuc", "can_bo", "cong_chuc_xa"):
        assert code not in result.output, code


def test_checks_counts_and_batchs_lines_write_numbers_the_chosen_languages_way(capsys) -> None:
    """1.788 officials at district level under 'Theo cấp', not 1,788 (read as 1 with decimals)."""
    from cli import _print_batch, _print_counts

    counts = {
        "officials": 3_000, "history_rows": 273, "by_level": {"huyen": 1_788}, "by_category": {}, "by_role_group": {},
        "eligible_by_program": {"MASTER": 1_381},
        "labels": {"by_level": {"huyen": "Huyện"}, "eligible_by_program": {"MASTER": "Thạc sĩ"}},
    }  # fmt: skip
    plan = {
        "scenario": "tight", "state": "solved", "average_attainment": 0.696, "targets_met": 3, "targets": [{}] * 10,
        "shortfalls": [], "total_cost": 47_932_000_000,
    }  # fmt: skip
    for lang, (officials, district, master, line) in {
        "vi": (
            "3.000",
            "1.788",
            "1.381",
            "A / tight: 69,6 %, 3/10 chỉ tiêu đạt, 0 chưa đạt, 47.932.000.000 đồng",
        ),
        "en": (
            "3,000",
            "1,788",
            "1,381",
            "A / tight: 69.6%, 3/10 targets met, 0 shortfall(s), 47,932,000,000 VND",
        ),
    }.items():
        _print_counts(counts, lang)
        _print_batch({"provinces": [{"name": "A", "plans": [plan]}]}, lang)
        printed = capsys.readouterr().out.splitlines()
        assert (
            officials in printed[0] and printed[2].endswith(f" {district}") and f" {master}  " in printed[-2]
        )
        assert printed[-1] == line


def test_check_in_english_shows_english_words_and_labels(roster_file: str, tmp_path: Path) -> None:
    out = tmp_path / "check.json"
    result = CliRunner().invoke(
        main, ["check", roster_file, "--scenario", SCENARIO, "--json", str(out), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "By role group:" in result.output and "Head of division" in result.output
    assert "Province" in result.output and "Master's degree" in result.output
    assert "Theo cấp" not in result.output and "lanh_dao_don_vi" not in result.output
    counts = json.loads(out.read_text(encoding="utf-8"))
    assert counts["lang"] == "en" and counts["labels"]["by_level"]["xa"] == "Commune"
    assert counts["by_level"]["xa"] > 0, "the counts stay keyed by their codes"


def test_bad_roster_exits_2_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Mã CB,Họ và tên\n1,Nguyễn Văn A\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["plan", str(bad), "--scenario", SCENARIO, "--csv", str(tmp_path / "n.csv")]
    )
    assert result.exit_code == 2
    assert "Ngày sinh" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "n.csv").exists()


def test_bad_scenario_exits_2(roster_file: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nstart_year = 2030\nend_year = 2026\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", roster_file, "--scenario", str(bad)])
    assert result.exit_code == 2
    assert "programs" in result.output


def test_internal_error_exits_1_and_debug_shows_it(roster_file: str, tmp_path: Path, monkeypatch) -> None:
    import planner.solver.solve

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(planner.solver.solve, "solve", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where the traceback is saved
    result = _plan(CliRunner(), roster_file, tmp_path)
    assert result.exit_code == 1
    assert "boom" in result.output and "Traceback" not in result.output
    debug = CliRunner().invoke(main, ["--debug", "plan", roster_file, "--scenario", SCENARIO, "--quiet"])
    assert isinstance(debug.exception, RuntimeError)


def test_outputs_never_overwrite_inputs(roster_file: str, tmp_path: Path) -> None:
    before = Path(roster_file).read_bytes()
    result = CliRunner().invoke(main, ["plan", roster_file, "--scenario", SCENARIO, "--out", roster_file])
    assert result.exit_code == 2
    assert Path(roster_file).read_bytes() == before


def test_explain_a_nominated_official(roster_file: str, tmp_path: Path) -> None:
    assert _plan(CliRunner(), roster_file, tmp_path).exit_code == 0
    with (tmp_path / "n.csv").open(encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    result = CliRunner().invoke(
        main,
        [
            "explain",
            roster_file,
            first["official_id"],
            "--scenario",
            SCENARIO,
            "--plan",
            str(tmp_path / "n.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert first["program"] in result.output
    english = CliRunner().invoke(
        main,
        ["explain", roster_file, first["official_id"], "--scenario", SCENARIO, "--plan", str(tmp_path / "n.csv"),
         "--lang", "en"],
    )  # fmt: skip
    assert english.exit_code == 0, english.output
    assert "not eligible" in english.output and "không đủ điều kiện" not in english.output
    codes = ("vien_chuc", "lanh_dao_don_vi", "cong_chuc", "truong_phong", "'tot'", "'xuat_sac'", " tinh ")
    assert not [code for code in codes if code in english.output], english.output
    unknown = CliRunner().invoke(
        main, ["explain", roster_file, "NOBODY", "--scenario", SCENARIO, "--plan", str(tmp_path / "n.csv")]
    )
    assert unknown.exit_code == 2


def test_template_and_sample_roster(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["template", str(tmp_path / "t.xlsx")]).exit_code == 0
    assert "Mã CB" in [c.value for c in openpyxl.load_workbook(tmp_path / "t.xlsx").worksheets[0][1]]
    result = runner.invoke(main, ["sample-roster", "--size", "1000", "--seed", "5", str(tmp_path / "s.xlsx")])
    assert result.exit_code == 0, result.output
    assert "1,000 officials" in result.output


def test_every_command_has_an_example_in_its_help() -> None:
    runner = CliRunner()
    for name in main.commands:
        assert "Example" in runner.invoke(main, [name, "--help"]).output, name


def test_every_command_and_option_is_described_in_both_languages() -> None:
    runner = CliRunner()
    for name, command in main.commands.items():
        assert " / " in command.get_short_help_str(limit=200), name
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "help":
                assert param.help and " / " in param.help, f"{name} {param.opts[0]}"
        shown = runner.invoke(main, [name, "--help"]).output
        # serve's pages show both languages side by side: it has no --lang
        assert "--lang" in shown or name in ("template", "sample-roster", "serve", "users"), name
        assert "Hiện trợ giúp này rồi thoát" in " ".join(shown.split()), f"{name}: click's help line"
    listing = runner.invoke(main, ["--help"]).output
    assert "Show the version and exit" in listing and "Hiện phiên bản rồi thoát" in listing
    commands = listing.split("Commands:")[1]
    assert "Kiểm tra dữ liệu đầu vào / check the inputs" in commands and "..." not in commands


def test_a_finished_plans_line_writes_its_cost_and_time_in_the_chosen_languages_way(
    capsys, monkeypatch
) -> None:
    from types import SimpleNamespace

    from cli import _finished_printer

    monkeypatch.setattr("cli._run", lambda: SimpleNamespace(arm=lambda: None, interrupts=0))

    result = SimpleNamespace(
        status="OPTIMAL",
        shortfalls=[],
        cost_by_year={2026: 41_000_000_000, 2027: 200_000_000},
        wall_time=9.84,
        levels=[],
    )
    _finished_printer(False, "vi", 3)("tight", SimpleNamespace(result=result))
    _finished_printer(False, "en")("tight", SimpleNamespace(result=result))
    vi, en = capsys.readouterr().err.splitlines()
    assert vi == "[1/3] tight: OPTIMAL, 0 chưa đạt / shortfall(s), 41.200.000.000 VND, 9,8 s"
    assert en == "[1] tight: OPTIMAL, 0 chưa đạt / shortfall(s), 41,200,000,000 VND, 9.8 s"
