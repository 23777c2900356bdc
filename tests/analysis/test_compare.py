"""Scenarios side by side and budget sweeps: the pure logic on tiny instances, the commands end to end."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result

from cli import main
from models import (
    Budget,
    Category,
    GroupFilter,
    Nomination,
    Roster,
    Scenario,
    Shortfall,
    SolverSettings,
    Target,
)
from planner.analysis import compare as compare_module
from planner.analysis.check import check_plan
from planner.analysis.compare import (
    MAX_TRIES_PER_SHORTFALL,
    Relaxation,
    ScenarioPool,
    compare_plans,
    list_changes,
    parse_factor_range,
    relaxations_for,
    solve_and_check,
    sweep,
    what_closes,
    with_budget_factor,
)
from planner.io.export import write_roster
from planner.io.roster import read_roster
from planner.io.scenario import load_scenario
from planner.report.summary import plan_summary
from planner.report.workbook import write_comparison, write_sweep
from planner.sample import generate_roster
from planner.solver.cohorts import build_population
from planner.solver.solve import solve
from tests.factories import class_program, official, roster, scenario

SCENARIOS = Path(__file__).parents[2] / "scenarios"
SETTINGS = SolverSettings(time_limit=5)

#: A 2026-2028 DUTY class program of 2-3 people, one class a year: 9 places for 12 officials.
SMALL = """
name = "Nhỏ"
start_year = 2026
end_year = 2028
levels = ["tinh"]

[[programs]]
code = "DUTY"
name = "Bồi dưỡng thực thi công vụ"
kind = "class"
class_size_min = 2
class_size_max = 3
classes_per_year_max = 1
cost_per_class = 10_000_000
cost_per_person = 1_000_000

[programs.eligibility]
categories = ["cong_chuc"]

[[targets]]
code = "DUTY_ALL"
name = "100% công chức"
programs = ["DUTY"]
share = 1.0
deadline = 2028

[targets.group]
categories = ["cong_chuc"]

[budget]
default = 40_000_000
"""
#: The same with two classes a year, and a year more: every official fits.
LARGER = """
extends = "small.toml"
name = "Thêm lớp"
end_year = 2029

[program_overrides.DUTY]
classes_per_year_max = 2
"""


def _duty_scenario(classes: int = 1, budget: int | None = None) -> Scenario:
    """12 công chức, a DUTY target of all of them by 2028."""
    target = Target(
        code="DUTY_ALL",
        name="all",
        programs=["DUTY"],
        share=1.0,
        deadline=2028,
        group=GroupFilter(categories=[Category.CONG_CHUC]),
    )
    return scenario(
        [class_program("DUTY", classes_per_year_max=classes)],
        targets=[target],
        budget=Budget(default=budget),
    )


def _names_like_formulas() -> Roster:
    return Roster(officials=[official(i, name=f"=Nguyễn Văn {i}") for i in range(12)])


def small_files(tmp_path: Path) -> dict[str, Path]:
    """A roster of 12 officials (names that look like formulas) and the two small scenarios, written."""
    paths = {
        "roster": tmp_path / "roster.xlsx",
        "small": tmp_path / "small.toml",
        "larger": tmp_path / "larger.toml",
    }
    write_roster(_names_like_formulas(), paths["roster"])
    paths["small"].write_text(SMALL, encoding="utf-8")
    paths["larger"].write_text(LARGER, encoding="utf-8")
    return paths


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """`small_files` in the test's folder."""
    return small_files(tmp_path)


def _run(*args: Any) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def compare_small(files: dict[str, Path], data: Path, *options: Any) -> tuple[Result, dict[str, Any] | None]:
    """`compare` of the two small scenarios with --json `data`; the JSON without its times (None if none)."""
    result = _run("compare", files["roster"], files["small"], files["larger"], "--json", data, *options)
    if not data.exists():
        return result, None
    comparison = json.loads(data.read_text(encoding="utf-8"))
    for figures in comparison["scenarios"]:
        figures.pop("wall_time")
        figures.pop("levels")
    return result, comparison


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- budget factors --------------------------------------------------------------------------------


def test_a_range_includes_its_stop_without_float_drift() -> None:
    assert parse_factor_range("0.5:1.5:0.1") == [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5]
    assert parse_factor_range(" 0.5 : 1.45 : 0.1 ")[-1] == 1.4
    assert parse_factor_range("1:1:0.5") == [1.0]


def test_a_list_is_sorted() -> None:
    assert parse_factor_range("1.2, 0.8,1") == [0.8, 1.0, 1.2]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a:b:c",
        "1:2",
        "0.5:1:1.5:2",
        "1.5:0.5:0.1",
        "0.5:1.5:0",
        "0.5:1.5:-0.1",
        "-1,1",
        "nan",
        "inf,1",
        "1,1",
        "0:100:0.01",
    ],
)
def test_bad_factors_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_factor_range(text)


def test_a_bad_range_exits_2(files: dict[str, Path], tmp_path: Path) -> None:
    result = _run("sweep", files["roster"], "--scenario", files["small"], "--budget", "1.5:0.5:0.1")
    assert result.exit_code == 2
    assert "--budget" in result.output
    assert "start must not be greater than stop" in result.output


# --- variants and relaxations ---------------------------------------------------------------------


def test_a_relaxed_copy_is_looked_up_by_code_with_its_new_limit() -> None:
    base = _duty_scenario()
    assert base.program("DUTY").classes_per_year_max == 1  # fills the scenario's program index
    relaxed = Relaxation("classes", "DUTY", (1, 2)).apply(base, 2)
    assert relaxed.program("DUTY").classes_per_year_max == 3
    assert base.program("DUTY").classes_per_year_max == 1
    assert with_budget_factor(_duty_scenario(budget=100), 1.5).budget.limit(2026) == 150


def test_relaxations_are_those_that_could_help() -> None:
    base = _duty_scenario(budget=100_000_000)
    target = Shortfall(code="DUTY_ALL", kind="target", year=2028, required=12, achieved=9)
    assert [(r.kind, r.subject) for r in relaxations_for(base, target)] == [
        ("classes", "DUTY"),
        ("budget", ""),
    ]
    # raising DUTY's maximum cannot help reach DUTY's own yearly minimum
    minimum = Shortfall(code="DUTY", kind="classes", year=2026, required=2, achieved=1, unit="classes")
    assert [r.kind for r in relaxations_for(base, minimum)] == ["budget"]
    assert relaxations_for(_duty_scenario(), minimum) == []  # no budget to raise either


def test_one_more_class_a_year_closes_the_shortfall_found_by_re_solving() -> None:
    base = _duty_scenario()
    with ScenarioPool(roster(12), SETTINGS) as pool:
        (plan,) = pool.solve([base])
        (shortfall,) = plan.result.shortfalls
        assert (shortfall.code, shortfall.missing) == ("DUTY_ALL", 3)
        (entry,), made = what_closes(pool, base, [shortfall], {})
    (classes,) = entry["relaxations"]
    assert classes["outcome"] == "closed"
    assert classes["step"] == 1
    assert classes["description_en"] == "DUTY: +1 class a year (at most 2)"
    # the largest step first, then bisection down to +1
    assert made == classes["tries"] == 3


def test_re_solves_stay_within_both_limits() -> None:
    programs = [class_program(code, classes_per_year_max=1) for code in ("A", "B", "C", "D")]
    target = Target(code="ALL", name="all", programs=["A", "B", "C", "D"], share=1.0, deadline=2028)
    base = scenario(programs, targets=[target])
    shortfall = Shortfall(code="ALL", kind="target", year=2028, required=40, achieved=0)
    pool = ScenarioPool(roster(1), SETTINGS)  # never solves: no re-solve is allowed
    (entry,), made = what_closes(pool, base, [shortfall], {}, max_resolves=0)
    limits = [r["limit"] for r in entry["relaxations"]]
    assert made == 0
    assert sum(r.most_tries for r in relaxations_for(base, shortfall)[:3]) <= MAX_TRIES_PER_SHORTFALL
    assert limits == ["sweep", "sweep", "sweep", "shortfall"]
    assert {r["outcome"] for r in entry["relaxations"]} == {"not_tried"}


def test_a_sweep_finds_the_budget_that_meets_the_target() -> None:
    # 20 million a year opens one class (10 million + 1 million a person), 30 million two.
    base = _duty_scenario(classes=2, budget=20_000_000)
    with ScenarioPool(roster(12), SETTINGS) as pool:
        found = sweep(pool, base, [0.5, 1.0, 1.5])
    covered = [s["targets"]["DUTY_ALL"]["covered_at_deadline"] for s in found["comparison"]["scenarios"]]
    assert covered == [0, 9, 12]
    assert found["thresholds"] == [{"code": "DUTY_ALL", "name": "all", "met_from": 1.5, "met_at": [1.5]}]
    (entry,) = found["what_closes"]
    outcomes = {r["kind"]: (r["outcome"], r["step"]) for r in entry["relaxations"]}
    assert outcomes == {"classes": ("no_effect", 8), "budget": ("closed", 1.5)}


def _stop_at_start(count: int, starts: list[str]) -> Any:
    """A pool watch that presses Ctrl-C as solve number `count` starts."""

    def watch(name: str, event: Any) -> None:
        if event.state == "running":
            starts.append(name)
            if len(starts) == count:
                raise KeyboardInterrupt

    return watch


def test_ctrl_c_during_a_sweeps_re_solves_keeps_every_factor(tmp_path: Path) -> None:
    starts: list[str] = []
    with ScenarioPool(roster(12), SETTINGS, watch=_stop_at_start(4, starts)) as pool:
        found = sweep(pool, _duty_scenario(classes=2, budget=20_000_000), [0.5, 1.0, 1.5])
    assert starts == ["×0.5", "×1", "×1.5", "DUTY: +8 classes a year (at most 10)"]
    assert found["interrupted"] and found["factors"] == [0.5, 1.0, 1.5] and found["not_solved"] == []
    assert found["what_closes"] == [] and [u["code"] for u in found["unexplained"]] == ["DUTY_ALL"]
    write_sweep(tmp_path / "quet.xlsx", found)


def test_ctrl_c_during_a_sweeps_factors_keeps_those_that_finished(tmp_path: Path) -> None:
    with ScenarioPool(roster(12), SETTINGS, watch=_stop_at_start(2, [])) as pool:
        found = sweep(pool, _duty_scenario(classes=2, budget=20_000_000), [0.5, 1.0, 1.5])
    assert found["interrupted"] and found["factors"] == [0.5] and found["not_solved"] == ["×1", "×1.5"]
    assert [s["label"] for s in found["comparison"]["scenarios"]] == ["×0.5"]
    assert found["what_closes"] == [] and found["resolves"] == 0
    write_sweep(tmp_path / "quet.xlsx", found)
    with (
        ScenarioPool(roster(12), SETTINGS, watch=_stop_at_start(1, [])) as pool,
        pytest.raises(KeyboardInterrupt),
    ):
        sweep(pool, _duty_scenario(classes=2, budget=20_000_000), [0.5, 1.0])  # nothing finished


def ctrl_c_while_naming_the_first_plan(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Ctrl-C as the first solve's plan, its levels all solved, is named; the calls to naming."""
    import planner.solver.solve as solve_module

    real, calls = solve_module._Rounds._named_round, []

    def interrupted(self: Any, *args: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return real(self, *args)

    monkeypatch.setattr(solve_module._Rounds, "_named_round", interrupted)
    return calls


def test_ctrl_c_while_a_factors_whole_plan_is_named_ends_the_sweep_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Ctrl-C landing after a factor's levels were solved, as its people were named: the solve
    keeps that whole plan, and the sweep went on to the other factors as if no stop had come."""
    calls = ctrl_c_while_naming_the_first_plan(monkeypatch)
    with ScenarioPool(roster(12), SETTINGS) as pool:
        found = sweep(pool, _duty_scenario(classes=2, budget=20_000_000), [0.5, 1.0, 1.5])
    assert found["interrupted"] and found["factors"] == [0.5] and found["not_solved"] == ["×1", "×1.5"]
    assert len(calls) == 1


# --- comparison tables ----------------------------------------------------------------------------


def test_list_changes_name_who_enters_and_leaves() -> None:
    officials = {o.id: o for o in (official(1, unit="Sở A"), official(2, unit="Sở B"), official(3))}
    before = [Nomination(official_id="CB00001", program="DUTY", year=2026, class_id="DUTY-2026-01")]
    before.append(Nomination(official_id="CB00002", program="DUTY", year=2026))
    after = [Nomination(official_id="CB00001", program="DUTY", year=2026, class_id="DUTY-2026-02")]
    after.append(Nomination(official_id="CB00003", program="DUTY", year=2027))
    rows = list_changes(before, after, officials)
    assert [(r["official_id"], r["year"], r["change"], r["unit"]) for r in rows] == [
        ("CB00002", 2026, "left", "Sở B"),
        ("CB00003", 2027, "entered", "Sở 0"),
    ]
    assert rows[0]["name"] == "Nguyễn Văn 2"


def test_plans_of_different_periods_are_aligned_by_year() -> None:
    people = roster(12)
    first = _duty_scenario()
    later = first.model_copy(update={"name": "later", "start_year": 2027, "end_year": 2029})
    plans = [("a", solve_and_check(people, first, SETTINGS)), ("b", solve_and_check(people, later, SETTINGS))]
    table = compare_plans(plans, people.by_id())
    assert table["years"] == [2026, 2027, 2028, 2029]
    a, b = table["scenarios"]
    assert set(a["cost_by_year"]) == {"2026", "2027", "2028"}
    assert set(b["targets"]["DUTY_ALL"]["covered_by_year"]) == {"2027", "2028", "2029"}
    assert a["targets"]["DUTY_ALL"]["covered_at_deadline"] == 9
    assert b["targets"]["DUTY_ALL"]["covered_at_deadline"] == 6
    keys = [{(n.official_id, n.program, n.year) for n in plan.result.nominations} for _, plan in plans]
    changes = table["list_changes"][0]
    assert (changes["entered"], changes["left"]) == (len(keys[1] - keys[0]), len(keys[0] - keys[1]))


# --- the commands ---------------------------------------------------------------------------------


def _figures(summary: dict[str, Any]) -> dict[str, Any]:
    """The figures of a plan_summary a comparison must repeat (JSON-shaped)."""
    return json.loads(
        json.dumps(
            {
                "targets": {
                    t["code"]: {"required": t["required"], "covered_by_year": t["covered_by_year"]}
                    for t in summary["targets"]
                },
                "programs": summary["programs"],
                "cost_by_year": summary["cost_by_year"],
                "budget_by_year": summary["budget_by_year"],
                "shortfalls": summary["shortfalls"],
                "cost_after_plan": summary["after_plan"]["cost"],
            }
        )
    )


def test_compare_writes_the_figures_of_each_plan(files: dict[str, Path], tmp_path: Path) -> None:
    out, data = tmp_path / "so-sanh.xlsx", tmp_path / "so-sanh.json"
    result = _run("compare", files["roster"], files["small"], files["larger"], "--out", out, "--json", data)
    assert result.exit_code == 0, result.output  # a plan with shortfalls is still a plan
    assert "[2/2]" in result.stderr
    comparison = json.loads(data.read_text(encoding="utf-8"))
    people = read_roster(files["roster"])
    for figures, name in zip(comparison["scenarios"], ("small", "larger"), strict=True):
        expected = _figures(solve_and_check(people, load_scenario(files[name]), SolverSettings()).summary)
        shown = {
            "targets": {
                code: {"required": t["required"], "covered_by_year": t["covered_by_year"]}
                for code, t in figures["targets"].items()
            },
            **{
                key: figures[key]
                for key in ("programs", "cost_by_year", "budget_by_year", "shortfalls", "cost_after_plan")
            },
        }
        assert shown == expected
    small, larger = comparison["scenarios"]
    assert small["label"] == "small" and len(small["shortfalls"]) == 1
    assert comparison["years"] == [2026, 2027, 2028, 2029]
    changes = comparison["list_changes"][0]
    assert (changes["from"], changes["to"]) == ("small", "larger")
    assert changes["entered"] - changes["left"] == 12 - 9

    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == [
        "So sánh",
        "Mục tiêu",
        "Chưa đạt",
        "Chương trình",
        "Kinh phí",
        "Thay đổi danh sách",
        "Thông tin",
    ]
    overview = workbook["So sánh"]
    assert [overview.cell(row=r, column=7).value for r in (4, 5)] == [
        small["total_cost"],
        larger["total_cost"],
    ]
    assert [overview.cell(row=r, column=13).value for r in (4, 5)] == [
        small["cost_after_plan"],
        larger["cost_after_plan"],
    ]
    assert len(overview._charts) == 1
    cost = workbook["Kinh phí"]
    assert [cost.cell(row=r, column=2).value for r in range(4, 7)] == [
        small["cost_by_year"][str(y)] for y in range(2026, 2029)
    ]
    assert cost.cell(row=7, column=2).value is None  # 2029 is outside the small scenario
    deadline_row = next(
        row for row in workbook["Mục tiêu"].iter_rows(values_only=True) if str(row[2]).startswith("Đến hạn")
    )
    assert deadline_row[4] == small["targets"]["DUTY_ALL"]["covered_at_deadline"] == 9
    changed = [row for row in workbook["Thay đổi danh sách"].iter_rows(min_row=5) if row[0].value == "larger"]
    assert len(changed) == changes["entered"] + changes["left"]
    assert all(row[3].data_type == "s" and row[3].value.startswith("=") for row in changed)


def test_compare_prints_long_labels_whole_and_statuses_in_words(
    files: dict[str, Path], tmp_path: Path
) -> None:
    long = tmp_path / "orientation-2026-2030-tight-variant.toml"
    long.write_text(files["small"].read_text(encoding="utf-8"), encoding="utf-8")
    result = _run("compare", files["roster"], files["small"], long)
    assert result.exit_code == 0, result.output
    head, small, variant = result.stdout.splitlines()[-3:]
    assert head.startswith("kịch bản") and head.endswith("trạng thái")
    assert small.startswith("small ") and variant.startswith("orientation-2026-2030-tight-variant ")
    column_end = head.index("đạt TB") + len("đạt TB")
    assert small.index("%") + 1 == variant.index("%") + 1 == column_end, "the columns stay aligned"
    assert "Phương án tối ưu đã được chứng minh" in variant and "OPTIMAL" not in result.stdout
    # numbers the Vietnamese way under Vietnamese heads: 69,6 % and 48.162.000.000
    assert re.search(r" \d+,\d % .* \d{1,3}(\.\d{3})+  Phương án", small), small
    english = _run("compare", files["roster"], files["small"], long, "--lang", "en")
    assert english.stdout.splitlines()[-1].endswith("Optimal plan, proven")
    assert re.search(r" \d+\.\d% .* \d{1,3}(,\d{3})+  Optimal", english.stdout.splitlines()[-1])


def test_the_number_of_jobs_does_not_change_the_results(files: dict[str, Path], tmp_path: Path) -> None:
    outputs = []
    for jobs in (1, 2):
        result, comparison = compare_small(files, tmp_path / f"jobs-{jobs}.json", "--jobs", jobs, "--quiet")
        assert result.exit_code == 0, result.output
        assert result.stderr == ""
        outputs.append(comparison)
    assert outputs[0] == outputs[1]


def test_a_real_comparison_a_tighter_budget_never_covers_more(tmp_path: Path) -> None:
    people = generate_roster(1500, seed=11, structure="2025", reference_year=2026)
    path = tmp_path / "tinh.xlsx"
    write_roster(people, path)
    tight, base = SCENARIOS / "orientation-2026-2030-tight.toml", SCENARIOS / "orientation-2026-2030.toml"
    data = tmp_path / "so-sanh.json"
    result = _run(
        "compare",
        path,
        tight,
        base,
        "--json",
        data,
        "--out",
        tmp_path / "so-sanh.xlsx",
        "--time-limit",
        4,
        "--jobs",
        2,
    )
    assert result.exit_code == 0, result.output
    low, high = json.loads(data.read_text(encoding="utf-8"))["scenarios"]
    # Seen: equal coverage (at 1,500 officials the tight budget does not bind). Only the weighted
    # shortfall is monotone in the budget even at the optimum: a larger budget may trade one
    # target's coverage for yearly minimums (seen on the 3,000-official sample at x1.5). People
    # trained beyond a target's requirement are merit, not coverage: attainment is capped at 1.
    for code, figures in low["targets"].items():
        assert figures["attainment"] <= high["targets"][code]["attainment"], code
    assert low["total_budget"] < high["total_budget"]


def test_sweep_coverage_does_not_fall_as_the_budget_grows(files: dict[str, Path], tmp_path: Path) -> None:
    out, data = tmp_path / "quet.xlsx", tmp_path / "quet.json"
    result = _run(
        "sweep",
        files["roster"],
        "--scenario",
        files["small"],
        "--budget",
        "0.25,0.5,1",
        "--out",
        out,
        "--json",
        data,
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    found = json.loads(data.read_text(encoding="utf-8"))
    assert found["factors"] == [0.25, 0.5, 1.0]
    covered = [s["targets"]["DUTY_ALL"]["covered_at_deadline"] for s in found["comparison"]["scenarios"]]
    assert covered == sorted(covered) and covered[0] < covered[-1]
    (entry,) = found["what_closes"]
    outcomes = [(r["kind"], r["outcome"], r["step"]) for r in entry["relaxations"]]
    assert outcomes == [("classes", "closed", 1), ("budget", "no_effect", 2.0)]
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames[:3] == ["Budget sweep", "Met from", "What would close it"]
    assert len(workbook["Budget sweep"]._charts) == 1
    assert "DUTY: +1 class a year" in result.output
    assert f"why: {entry['reason']['en']}" in result.output, "the console gives the reason its JSON holds"


def test_ctrl_c_in_a_comparison_writes_the_plans_that_finished(
    files: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    solve_and_check = compare_module.solve_and_check
    calls = []

    def second_is_stopped(*args: Any) -> Any:
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return solve_and_check(*args)

    monkeypatch.setattr(compare_module, "solve_and_check", second_is_stopped)
    result, comparison = compare_small(files, tmp_path / "so-sanh.json", "--out", tmp_path / "so-sanh.xlsx")
    assert result.exit_code == 130, result.output
    assert comparison is not None and comparison["interrupted"] is True
    assert [s["label"] for s in comparison["scenarios"]] == ["small"]
    assert comparison["not_solved"] == ["larger"]
    assert (tmp_path / "so-sanh.xlsx").exists()
    assert "not solved: larger" in result.stderr and "chưa giải: larger" in result.stderr


# --- exit codes and inputs ----------------------------------------------------------------------------


def test_a_bad_roster_exits_2(files: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Mã CB,Họ và tên\nCB1,\n", encoding="utf-8")
    result = _run("compare", bad, files["small"])
    assert result.exit_code == 2
    assert "bad.csv" in result.stderr


def test_every_bad_scenario_is_reported_and_exits_2(files: dict[str, Path], tmp_path: Path) -> None:
    first, second = tmp_path / "first.toml", tmp_path / "second.toml"
    first.write_text(SMALL.replace("class_size_max = 3", "class_size_max = 1"), encoding="utf-8")
    second.write_text(SMALL.replace('kind = "class"', 'kind = "lop"'), encoding="utf-8")
    result = _run("compare", files["roster"], first, second)
    assert result.exit_code == 2
    assert "first.toml" in result.stderr and "second.toml" in result.stderr


def test_a_sweep_of_a_scenario_without_budget_exits_2(files: dict[str, Path], tmp_path: Path) -> None:
    unlimited = tmp_path / "unlimited.toml"
    unlimited.write_text(SMALL.replace("default = 40_000_000", ""), encoding="utf-8")
    result = _run("sweep", files["roster"], "--scenario", unlimited, "--budget", "0.5,1")
    assert result.exit_code == 2
    assert "no budget" in result.output


def test_an_internal_error_exits_1(files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("simulated")

    monkeypatch.setattr(compare_module, "solve_and_check", broken)
    result = _run("compare", files["roster"], files["small"])
    assert result.exit_code == 1
    assert "simulated" in result.stderr


@pytest.mark.parametrize("option", ["--out", "--json"])
def test_outputs_never_overwrite_inputs(files: dict[str, Path], option: str) -> None:
    before = {name: _digest(path) for name, path in files.items()}
    for target in files.values():
        result = _run("compare", files["roster"], files["small"], files["larger"], option, target)
        assert result.exit_code == 2, result.output
        assert "input" in result.output
    for target in (files["roster"], files["small"]):
        result = _run("sweep", files["roster"], "--scenario", files["small"], "--budget", "1", option, target)
        assert result.exit_code == 2, result.output
    assert {name: _digest(path) for name, path in files.items()} == before


def test_the_workbook_writer_refuses_an_input_too(files: dict[str, Path]) -> None:
    people = roster(12)
    plan = solve_and_check(people, _duty_scenario(), SETTINGS)
    assert check_plan(people, plan.scenario, plan.result.nominations, plan.result.classes) == []
    before = _digest(files["roster"])
    with pytest.raises(ValueError, match="overwrite"):
        write_comparison(files["roster"], compare_plans([("a", plan)]), inputs={"roster": files["roster"]})
    assert _digest(files["roster"]) == before


# --- one population for a sweep's budget variants ----------------------------------------------------


def test_budget_variants_share_one_population_and_each_keeps_its_own_budget(province, monkeypatch) -> None:
    people = province(300, seed=4)
    base = load_scenario("scenarios/plan-2023-2025.toml")
    built: list[Scenario] = []
    real_build = compare_module.build_population

    def counted(roster: Roster, plan_scenario: Scenario) -> Any:
        built.append(plan_scenario)
        return real_build(roster, plan_scenario)

    monkeypatch.setattr(compare_module, "build_population", counted)
    monkeypatch.setattr(compare_module, "_last_population", {})
    variants = [with_budget_factor(base, factor) for factor in (0.02, 1.0)]
    plans = [compare_module.solve_and_check(people, variant, SETTINGS) for variant in variants]
    assert len(built) == 1
    tight, full = (plan.result for plan in plans)
    assert tight.cost_by_year != full.cost_by_year, "the budget factor changed nothing on this instance"
    for variant, plan in zip(variants, plans, strict=True):  # as solved on a population of its own
        alone = solve(people, variant, SETTINGS)
        assert plan.result.nominations == alone.nominations
        assert (
            plan.summary["budget_by_year"]
            == plan_summary(build_population(people, variant), alone)["budget_by_year"]
        )


def test_a_variant_with_other_rules_gets_a_population_of_its_own(province, monkeypatch) -> None:
    people = province(120, seed=4)
    base = load_scenario("scenarios/plan-2023-2025.toml")
    later = base.model_validate(
        {**dict(base), "rules": base.rules.model_copy(update={"reference_day": "07-01"})}
    )
    monkeypatch.setattr(compare_module, "_last_population", {})
    first = compare_module.population_for(people, base)
    assert compare_module.population_for(people, base) is first
    other = compare_module.population_for(people, later)
    assert other is not first and other.scenario == later and other.context.scenario == later
