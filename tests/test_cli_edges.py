"""Nothing lost, nothing cryptic (issue 15): every bad option, output path, scenario value and Ctrl-C.

Each case asserts the exit code, the words that name the problem (in Vietnamese and English)
and that no partial output is left. Options and output paths are refused before the roster is
read (the reader is replaced by one that fails). Ctrl-C is sent as a real SIGINT to a
subprocess at the moments the command line owns: reading the roster, writing the results.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from cli import main
from models import LevelResult, Text
from planner.io.export import write_roster
from planner.sample import generate_roster

ROOT = Path(__file__).resolve().parents[1]
PLAN_2023 = str(ROOT / "scenarios" / "plan-2023-2025.toml")
ORIENTATION = str(ROOT / "scenarios" / "orientation-2026-2030.toml")
TIGHT = str(ROOT / "scenarios" / "orientation-2026-2030-tight.toml")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(scope="module")
def rosters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny rosters: 200 officials with the 2023 levels (district included) and with the 2025 ones."""
    folder = tmp_path_factory.mktemp("rosters")
    paths = {"2023": folder / "r2023.xlsx", "2025": folder / "r2025.xlsx"}
    write_roster(generate_roster(200, seed=1), paths["2023"])
    write_roster(generate_roster(200, seed=1, structure="2025", reference_year=2026), paths["2025"])
    return paths


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, made the current one."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def _files(folder: Path) -> list[str]:
    """Every file and folder below `folder`, hidden temporary files included."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _never_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the roster fails the test: the refusal must come before it."""
    import planner.io.roster

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("the roster was read before the options were checked")

    monkeypatch.setattr(planner.io.roster, "read_roster", fail)


def _refused(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output, (word, result.output)
    assert "internal error" not in result.output.lower() and "Lỗi nội bộ" not in result.output
    assert "Traceback" not in result.output


# --- numeric options: refused before reading, with the option and the bounds named -------------------


@pytest.mark.parametrize(
    ("args", "option", "bounds"),
    [
        (["--time-limit", "0"], "--time-limit", "greater than 0"),
        (["--time-limit", "-5"], "--time-limit", "greater than 0"),
        (["--time-limit", "nan"], "--time-limit", "greater than 0"),
        (["--time-limit", "inf"], "--time-limit", "greater than 0"),
        (["--time-limit", "abc"], "--time-limit", "is not a number"),
        (["--workers", "0"], "--workers", "from 1 to 64"),
        (["--workers", "1.5"], "--workers", "is not a whole number"),
        (["--gap", "1"], "--gap", "less than 1"),
        (["--gap", "-0.1"], "--gap", "at least 0"),
        (["--budget-factor", "-1"], "--budget-factor", "greater than 0"),
        (["--budget-factor", "0"], "--budget-factor", "greater than 0"),
        (["--seed", "-1"], "--seed", "0 or more"),
        (["--max-changes", "-1", "--previous", PLAN_2023], "--max-changes", "0 or more"),
    ],
)
def test_plan_refuses_a_number_out_of_range(
    rosters: dict[str, Path],
    work: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    option: str,
    bounds: str,
) -> None:
    _never_read(monkeypatch)
    result = _invoke("plan", rosters["2023"], "--scenario", PLAN_2023, "--out", "p.xlsx", *args)
    _refused(result, option, bounds, "Lỗi: giá trị không hợp lệ cho", "Error: Invalid value for")
    assert "column" not in result.output and "pydantic" not in result.output
    assert _files(work) == []


@pytest.mark.parametrize(
    ("command", "args", "option", "words"),
    [
        ("compare", ["--jobs", "0"], "--jobs", "from 1 to 64"),
        ("compare", ["--workers", "0"], "--workers", "from 1 to 64"),
        ("compare", ["--time-limit", "0"], "--time-limit", "greater than 0"),
        ("sweep", ["--budget", "1.5:0.5:0.1"], "--budget", "start must not be greater than stop"),
        ("sweep", ["--budget", "-1,1"], "--budget", "hệ số ngân sách"),
        ("sweep", ["--budget", "1", "--max-resolves", "-1"], "--max-resolves", "from 0 to 1,000"),
    ],
)
def test_compare_and_sweep_refuse_bad_numbers(
    rosters: dict[str, Path],
    work: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    args: list[str],
    option: str,
    words: str,
) -> None:
    _never_read(monkeypatch)
    scenario = [ORIENTATION] if command == "compare" else ["--scenario", ORIENTATION]
    result = _invoke(command, rosters["2025"], *scenario, "--json", "c.json", *args)
    _refused(result, option, words, "Lỗi:", "Error:")
    assert _files(work) == []


def test_sample_roster_refuses_a_size_outside_its_range(work: Path) -> None:
    result = _invoke("sample-roster", "--size", "10", "s.xlsx")
    _refused(result, "--size", "from 1,000 to 200,000", "từ 1.000 đến 200.000")
    assert _files(work) == []


# --- click's own usage errors, in both languages -------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "vi", "en"),
    [
        (["plan", "nope.xlsx", "--scenario", PLAN_2023], "không tìm thấy 'nope.xlsx'", "does not exist"),
        (["plan", "{roster}"], "thiếu tùy chọn bắt buộc '--scenario'", "Missing option '--scenario'"),
        (
            ["plan", "{roster}", "--scenario", PLAN_2023, "--outt", "x"],
            "không có tùy chọn --outt",
            "No such option",
        ),
        (
            ["plan", "{roster}", "--scenario", PLAN_2023, "--lang", "fr"],
            "không phải một trong",
            "'fr' is not",
        ),
        (["plan", "{roster}", "--scenario", PLAN_2023, "--out"], "cần một giá trị", "requires an argument"),
        (["plann"], "không có lệnh 'plann'", "No such command 'plann'"),
        (
            ["plan", "{roster}", "--scenario", PLAN_2023, "--max-changes", "3"],
            "cần --previous",
            "needs --previous",
        ),
    ],
)
def test_usage_errors_are_said_in_both_languages(
    rosters: dict[str, Path], work: Path, args: list[str], vi: str, en: str
) -> None:
    result = _invoke(*(a.format(roster=rosters["2023"]) for a in args))
    _refused(result, "Lỗi: ", vi, "Error: ", en)
    assert _files(work) == []


def test_planner_alone_shows_the_help(work: Path) -> None:
    result = _invoke()
    assert result.exit_code == 2
    assert "Usage:" in result.output and "training nomination planner" in result.output
    assert "Lỗi:" not in result.output


# --- output paths: checked before reading; folders made when missing; all files or none ----------------


def test_missing_output_folders_are_created(rosters: dict[str, Path], work: Path) -> None:
    result = _invoke(
        "plan", rosters["2023"], "--scenario", PLAN_2023, "--method", "greedy", "--quiet",
        "--out", "new/plan.xlsx", "--csv", "deeper/still/n.csv", "--json", "new/s.json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert _files(work) == [
        "deeper", "deeper/still", "deeper/still/n.csv", "new", "new/plan.xlsx", "new/s.json",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("outputs", "words"),
    [
        (
            ["--out", "plan.csv"],
            ["output files", "--out plan.csv", "must be an .xlsx file", "cần tên tệp .xlsx"],
        ),
        (
            ["--csv", "same.txt", "--json", "same.txt"],
            ["output files", "--json same.txt", "the same file as --csv"],
        ),
        (["--out", "a-folder"], ["'a-folder' is a directory", "'a-folder' là một thư mục"]),
        (
            ["--csv", "a-file.txt/sub/n.csv"],
            ["output files", "a-file.txt/sub/n.csv", "is a file, not a folder"],
        ),
        (
            ["--out", "{roster}"],
            ["output files", "refusing to write over an input file", "không ghi đè tệp đầu vào"],
        ),
    ],
)
def test_an_output_that_cannot_be_written_is_refused_before_reading(
    rosters: dict[str, Path],
    work: Path,
    monkeypatch: pytest.MonkeyPatch,
    outputs: list[str],
    words: list[str],
) -> None:
    (work / "a-folder").mkdir()
    (work / "a-file.txt").write_text("not a folder", encoding="utf-8")
    before = rosters["2023"].read_bytes()
    _never_read(monkeypatch)
    outputs = [o.format(roster=rosters["2023"]) for o in outputs]
    result = _invoke("plan", rosters["2023"], "--scenario", PLAN_2023, "--out", "ok/plan.xlsx", *outputs)
    _refused(result, *words)
    assert _files(work) == ["a-file.txt", "a-folder"], "nothing written, no folder made"
    assert rosters["2023"].read_bytes() == before


@pytest.mark.skipif(IS_ROOT, reason="root writes into read-only folders")
def test_a_read_only_folder_is_refused_with_its_name(rosters: dict[str, Path], work: Path) -> None:
    locked = work / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        for command in (
            [
                "plan",
                rosters["2023"],
                "--scenario",
                PLAN_2023,
                "--out",
                "ok/plan.xlsx",
                "--csv",
                "locked/n.csv",
            ],
            ["check", rosters["2023"], "--scenario", PLAN_2023, "--json", "locked/c.json"],
            ["template", "locked/t.xlsx"],
        ):
            result = _invoke(*command)
            _refused(result, "cannot write into the folder", "không ghi được vào thư mục", "locked")
        assert _files(work) == ["locked"]
    finally:
        locked.chmod(0o755)


@pytest.mark.skipif(IS_ROOT, reason="root opens read-only files for writing")
def test_a_read_only_output_file_is_refused(rosters: dict[str, Path], work: Path) -> None:
    signed = work / "plan.xlsx"
    signed.write_bytes(b"the plan signed last week")
    signed.chmod(0o444)
    result = _invoke("plan", rosters["2023"], "--scenario", PLAN_2023, "--out", signed)
    _refused(result, "read-only or open in another program", "chỉ đọc hoặc đang mở")
    assert signed.read_bytes() == b"the plan signed last week"


def test_one_failing_file_leaves_none_written(
    rosters: dict[str, Path], work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import planner.io.export

    def disk_full(data: object, path: object) -> None:
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setattr(planner.io.export, "write_json", disk_full)
    (work / "old").mkdir()
    (work / "old" / "n.csv").write_text("the previous list\n", encoding="utf-8")
    result = _invoke(
        "plan", rosters["2023"], "--scenario", PLAN_2023, "--method", "greedy", "--quiet",
        "--out", "new/plan.xlsx", "--csv", "old/n.csv", "--json", "new/s.json",
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.output and "no file was written" in result.output
    assert "không tệp nào được ghi" in result.output
    assert _files(work) == ["old", "old/n.csv"], "the new folder removed, no temporary file left"
    assert (work / "old" / "n.csv").read_text(encoding="utf-8") == "the previous list\n"


# --- scenario values ------------------------------------------------------------------------------------


def test_a_negative_yearly_budget_is_refused_with_its_key_and_line(
    rosters: dict[str, Path], work: Path
) -> None:
    scenario = work / "neg.toml"
    scenario.write_text(
        f'extends = "{Path(PLAN_2023).as_posix()}"\nname = "neg"\n\n[budget.per_year]\n2024 = -12_000_000_000\n',
        encoding="utf-8",
    )
    for command in ("check", "plan"):
        result = _invoke(command, rosters["2023"], "--scenario", scenario, "--json", "out.json")
        _refused(
            result, "neg.toml", "key 'budget.per_year.2024', line 5", "khóa 'budget.per_year.2024', dòng 5"
        )
        assert "greater than or equal to 0" in result.output and "column" not in result.output
    assert _files(work) == ["neg.toml"]


# --- rosters: empty, or with levels the scenario does not have ------------------------------------------


def test_an_empty_roster_is_refused(work: Path) -> None:
    assert _invoke("template", "empty.xlsx").exit_code == 0
    for command in ("check", "plan"):
        result = _invoke(command, "empty.xlsx", "--scenario", PLAN_2023, "--json", "out.json")
        _refused(result, "empty.xlsx", "no officials", "không có cán bộ nào")
    result = _invoke("compare", "empty.xlsx", PLAN_2023, "--json", "out.json")
    _refused(result, "no officials")
    assert _files(work) == ["empty.xlsx"]


def test_check_says_which_officials_are_at_a_level_the_scenario_lacks(
    rosters: dict[str, Path], work: Path
) -> None:
    result = _invoke("check", rosters["2023"], "--scenario", ORIENTATION, "--json", "check.json")
    assert result.exit_code == 0, result.output
    districts = sum(o.level.value == "huyen" for o in generate_roster(200, seed=1).officials)
    assert f"{districts:,} officials at level Huyện (district)" in result.output
    assert f"{districts:,} cán bộ ở cấp Huyện" in result.output
    assert "none of them can go to LEAD, DUTY" in result.output and "MASTER" in result.output
    [found] = json.loads((work / "check.json").read_text(encoding="utf-8"))["levels_outside"]
    assert found["level"] == "huyen" and found["officials"] == districts
    assert found["closed_programs"][:2] == ["LEAD", "DUTY"] and found["eligible_by_program"]["MASTER"] > 0
    same = _invoke("check", rosters["2023"], "--scenario", PLAN_2023)
    assert "level Huyện" not in same.output, "no warning when the levels match"


def test_plan_and_compare_warn_before_solving_and_the_plan_keeps_the_note(
    rosters: dict[str, Path], work: Path
) -> None:
    result = _invoke(
        "plan", rosters["2023"], "--scenario", ORIENTATION, "--method", "greedy", "--out", "plan.xlsx",
        "--json", "s.json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr.index("officials at level Huyện") < result.stderr.index("solving")
    notes = json.loads((work / "s.json").read_text(encoding="utf-8"))["notes"]
    assert any("level Huyện" in note["en"] and "cấp Huyện" in note["vi"] for note in notes)
    summary = openpyxl.load_workbook(work / "plan.xlsx", read_only=True)["Tổng hợp"]
    assert any("cấp Huyện" in str(c) for row in summary.iter_rows(values_only=True) for c in row if c)
    compared = _invoke(
        "compare", rosters["2023"], ORIENTATION, TIGHT, "--time-limit", "1", "--json", "c.json"
    )
    assert compared.exit_code == 0, compared.output
    assert compared.stderr.count("officials at level Huyện") == 1, "said once for alike scenarios"
    assert "orientation-2026-2030, orientation-2026-2030-tight: " in compared.stderr


# --- internal errors and Ctrl-C without a subprocess ---------------------------------------------------


def test_an_internal_error_names_the_stage_and_where_its_traceback_is(
    rosters: dict[str, Path], work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import planner.solver.solve

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(planner.solver.solve, "solve", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(work / "temp"))
    (work / "temp").mkdir()
    result = _invoke("plan", rosters["2023"], "--scenario", PLAN_2023, "--out", "plan.xlsx", "--quiet")
    assert result.exit_code == 1
    assert "Lỗi nội bộ khi giải: RuntimeError: boom" in result.output
    assert "Internal error while solving: RuntimeError: boom" in result.output
    trace = Path(result.output.split("the traceback is saved in ")[1].split(";")[0])
    assert trace == work / "temp" / "planner-loi-error.txt"
    assert "RuntimeError: boom" in trace.read_text(encoding="utf-8") and "Traceback" not in result.output
    assert _files(work) == ["temp", "temp/planner-loi-error.txt"], "no output file"


def test_ctrl_c_before_any_plan_writes_nothing(
    rosters: dict[str, Path], work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import planner.solver.cohorts

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(planner.solver.cohorts, "build_population", interrupted)
    result = _invoke("plan", rosters["2023"], "--scenario", PLAN_2023, "--out", "new/plan.xlsx")
    assert result.exit_code == 130
    assert "Stopped by Ctrl-C: no file was written" in result.output and "không ghi tệp nào" in result.output
    assert _files(work) == []


def test_a_plan_the_solver_stopped_on_ctrl_c_is_written_marked(
    rosters: dict[str, Path], work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import planner.solver.solve

    real_solve = planner.solver.solve.solve
    note = Text("Dừng theo yêu cầu (Ctrl-C).", "Stopped by Ctrl-C: the best plan so far.")

    def stopped(*args: object, **kwargs: object) -> object:
        result = real_solve(*args, **{**kwargs, "method": "greedy"})
        level = LevelResult(
            name="shortfall", status="FEASIBLE", objective=1, bound=0, wall_time=1, stopped_by_user=True
        )
        return result.model_copy(update={"levels": [level], "notes": [*result.notes, note]})

    monkeypatch.setattr(planner.solver.solve, "solve", stopped)
    result = _invoke(
        "plan", rosters["2023"], "--scenario", PLAN_2023, "--quiet", "--out", "plan.xlsx", "--json", "s.json",
    )  # fmt: skip
    assert result.exit_code == 130, result.output
    assert "marked as interrupted, is written to: plan.xlsx, s.json" in result.output
    summary = json.loads((work / "s.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True and summary["notes"].count(note._asdict()) == 1
    sheet = openpyxl.load_workbook(work / "plan.xlsx", read_only=True)["Tổng hợp"]
    assert any(note.vi == c for row in sheet.iter_rows(values_only=True) for c in row if c)
    assert _files(work) == ["plan.xlsx", "s.json"]


def test_a_failed_workbook_save_prints_no_exception_ignored_noise(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from planner.io.export import save_workbook

    caught: list[object] = []
    previous, sys.unraisablehook = sys.unraisablehook, caught.append
    try:
        book = Workbook(write_only=True)
        for name in ("a", "b"):
            book.create_sheet(name).append(["x"])
        with pytest.raises(OSError):
            save_workbook(book, tmp_path / "no-such-folder" / "plan.xlsx")
        del book
        gc.collect()
    finally:
        sys.unraisablehook = previous
    assert caught == []
    assert _files(tmp_path) == []


# --- real Ctrl-C (SIGINT) in a subprocess ---------------------------------------------------------------


@pytest.fixture(scope="module")
def large_roster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10,000 officials: reading takes about 0.4 s and writing a greedy plan about 1 s."""
    path = tmp_path_factory.mktemp("large") / "tinh-10000.xlsx"
    write_roster(generate_roster(10_000, seed=1), path)
    return path


class _Planner:
    """`planner plan` in a subprocess, its stderr read line by line."""

    def __init__(self, roster: Path, folder: Path, method: str = "greedy"):
        self.folder = folder
        command = [
            sys.executable, "-m", "cli", "plan", str(roster), "--scenario", PLAN_2023, "--method", method,
            "--out", "out/plan.xlsx", "--csv", "out/n.csv", "--json", "out/s.json",
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        self.stderr: list[str] = []

    def wait_for(self, words: str, timeout: float = 60) -> None:
        """Read stderr until a line holds `words`."""
        deadline = time.monotonic() + timeout
        assert self.proc.stderr is not None
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                raise AssertionError(f"ended before {words!r}: {''.join(self.stderr)}")
            self.stderr.append(line)
            if words in line:
                return
        raise AssertionError(f"no {words!r} in {timeout} s")

    def wait_for_text(self, words: str, timeout: float = 60) -> None:
        """Read stderr until it holds `words`, a character at a time (progress lines end in '\\r')."""
        deadline = time.monotonic() + timeout
        assert self.proc.stderr is not None
        text = ""
        while words not in text:
            char = self.proc.stderr.read(1)
            if not char or time.monotonic() > deadline:
                raise AssertionError(f"no {words!r}: {''.join(self.stderr)}{text}")
            text += char
        self.stderr.append(text)

    def interrupt(self) -> None:
        self.proc.send_signal(signal.SIGINT)

    def finish(self) -> tuple[int, str, str]:
        out, err = self.proc.communicate(timeout=60)
        return self.proc.returncode, out, "".join(self.stderr) + err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_while_reading_the_roster_stops_and_writes_nothing(large_roster: Path, work: Path) -> None:
    run = _Planner(large_roster, work)
    run.wait_for("reading the roster")
    run.interrupt()
    code, _, err = run.finish()
    assert code == 130, err
    assert "grouping the officials" not in err, "stopped while reading"
    assert "Đã dừng (Ctrl-C): không ghi tệp nào. / Stopped by Ctrl-C: no file was written." in err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert _files(work) == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_while_writing_writes_the_plan_marked_as_interrupted(large_roster: Path, work: Path) -> None:
    run = _Planner(large_roster, work)
    run.wait_for("writing the results")
    run.interrupt()
    code, out, err = run.finish()
    assert code == 130, err
    assert "Ctrl-C: writing the plan there is, marked as interrupted" in err
    assert "Stopped by Ctrl-C: the best plan up to then, marked as interrupted, is written to" in err
    summary = json.loads((work / "out" / "s.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True
    [note] = [n for n in summary["notes"] if "Stopped by Ctrl-C while writing the results" in n["en"]]
    assert note["vi"] in out, "the console lists the plan's notes, in its language"
    assert _files(work) == ["out", "out/n.csv", "out/plan.xlsx", "out/s.json"], "no temporary file left"
    assert "Traceback" not in err and "Exception ignored" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_second_ctrl_c_aborts_at_once_and_writes_nothing(large_roster: Path, work: Path) -> None:
    run = _Planner(large_roster, work)
    run.wait_for("writing the results")
    run.interrupt()
    run.wait_for("press Ctrl-C again to abort at once")
    run.interrupt()
    code, _, err = run.finish()
    assert code == 130, err
    assert "Aborted at once (second Ctrl-C): no file was written." in err
    assert "Đã hủy ngay (Ctrl-C lần hai)" in err
    assert "Traceback" not in err and "Exception ignored" not in err
    assert _files(work) == [], "no plan, no temporary file, no folder"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize(  # the progress line's level, as `planner plan` names it in Vietnamese
    "moment",
    ["[Giảm thiếu hụt chỉ tiêu]", "[Ưu tiên người có điểm cao]", "[Tiết kiệm kinh phí]"],
    ids=["shortfall", "merit", "cost"],
)
def test_ctrl_c_during_the_search_writes_the_best_plan_marked(
    large_roster: Path, work: Path, moment: str
) -> None:
    """CP-SAT took SIGINT itself and then reset it: the signal was ignored, or the next one killed
    the planner without a word (exit 130, nothing written)."""
    run = _Planner(large_roster, work, method="cpsat")
    run.wait_for_text(moment)
    run.interrupt()
    code, _, err = run.finish()
    assert code == 130, err
    summary = json.loads((work / "out" / "s.json").read_text(encoding="utf-8"))
    assert summary["interrupted"] is True
    assert any("Ctrl-C" in note["en"] for note in summary["notes"])
    assert _files(work) == ["out", "out/n.csv", "out/plan.xlsx", "out/s.json"]
    assert "Traceback" not in err and "terminate called" not in err
