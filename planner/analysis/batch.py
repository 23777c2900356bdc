"""Many provinces in one run: the batch manifest, every roster x scenario on one executor, the figures side by side.

A manifest (TOML) lists the rosters, one per province or unit, and the scenarios each is planned
under (paths relative to the manifest):

    scenarios = ["scenarios/orientation-2026-2030.toml"]   # for every roster without its own

    [[rosters]]
    name = "Tỉnh A"              # optional: the file's name without its extension
    path = "tinh-a.xlsx"
    scenarios = ["..."]          # optional: this roster's own scenarios

`load_manifest` refuses a bad manifest with every problem located by key and line. `run_batch`
solves every (roster, scenario) pair on an executor (`planner.analysis.executor`), each roster sent to the
workers once; a pair that fails is recorded, the others go on. `consolidate` puts the plans'
coverage, cost and shortfalls side by side, province by province, with the failures.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models import Roster, Scenario, SolverSettings
from planner.analysis.compare import Solved, cut_short, scenario_figures, solve_task, stop_heard
from planner.analysis.executor import Backend, Outcome, TaskEvent, TasksInterrupted, run_tasks
from planner.io.errors import InputError, Problem
from planner.io.text import numbered
from planner.io.toml_lines import scan

log = logging.getLogger(__name__)

#: The keys a manifest may hold, at the top and in each `[[rosters]]` table.
TOP_KEYS = ("scenarios", "rosters")
ROSTER_KEYS = ("name", "path", "scenarios")
_LINE = re.compile(r"line (\d+)")


@dataclass(frozen=True)
class Province:
    """One roster of the batch and the scenario files it is planned under."""

    name: str
    roster: Path
    scenarios: tuple[Path, ...]

    @property
    def folder(self) -> str:
        """The name of the folder its plans go to: the name, without characters a file name cannot hold."""
        return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", self.name).strip(" .") or "roster"


#: Reports one problem: the key's steps, the message in Vietnamese, then in English.
_Add = Callable[[Sequence[str], str, str], None]


def load_manifest(path: str | Path) -> list[Province]:
    """The provinces of a manifest; `InputError` listing every problem with its key and line."""
    path = Path(path)
    text, data = _read_toml(path)
    lines = scan(text)
    problems: list[Problem] = []

    def add(steps: Sequence[str], vi: str, en: str) -> None:
        key = ".".join(s if not s.isdigit() else f"[{s}]" for s in steps).replace(".[", "[")
        problems.append(Problem(vi, en, key=key, line=lines.find(steps)[1]))

    _unknown_keys(add, data, [], TOP_KEYS)
    shared = _paths(data.get("scenarios", []), ["scenarios"], path.parent, add)
    rosters = data.get("rosters")
    if not isinstance(rosters, list) or not rosters or not all(isinstance(r, dict) for r in rosters):
        add(
            ["rosters"],
            'cần ít nhất một bảng [[rosters]] với path = "tệp danh sách"',
            'needs at least one [[rosters]] table with path = "roster file"',
        )
        raise InputError(path.name, problems)
    provinces: list[Province] = []
    tables: list[int] = []  # the [[rosters]] table of each province
    for index, table in enumerate(rosters):
        province = _province(add, table, ["rosters", str(index)], path.parent, shared, "scenarios" in data)
        if province is not None:
            provinces.append(province)
            tables.append(index)
    folders = [p.folder.casefold() for p in provinces]
    for index, province in enumerate(provinces):
        if folders.index(province.folder.casefold()) != index:
            add(
                ["rosters", str(tables[index]), "name"],
                f"tên '{province.name}' trùng với một tỉnh trước: đặt name khác",
                f"the name '{province.name}' repeats an earlier one: give another name",
            )
    if problems:
        raise InputError(path.name, problems)
    return provinces


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """The manifest's text and its TOML data; `InputError` when it cannot be read or parsed."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
        return text, tomllib.loads(text)
    except FileNotFoundError:
        raise InputError(
            path.name, [Problem(f"không tìm thấy tệp: {path}", f"file not found: {path}")]
        ) from None
    except tomllib.TOMLDecodeError as error:
        match = _LINE.search(str(error))
        problem = Problem(
            f"lỗi cú pháp TOML: {error}",
            f"invalid TOML syntax: {error}",
            line=int(match.group(1)) if match else None,
        )
        raise InputError(path.name, [problem]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            path.name, [Problem(f"không đọc được tệp: {error}", f"cannot read the file: {error}")]
        ) from None


def _unknown_keys(add: _Add, table: Mapping[str, Any], where: list[str], known: Sequence[str]) -> None:
    """Report each key of `table` that is not one of `known`."""
    for key in table:
        if key not in known:
            add(
                [*where, key],
                f"khóa không biết; dùng {', '.join(known)}",
                f"unknown key; use {', '.join(known)}",
            )


def _province(
    add: _Add, table: dict[str, Any], where: list[str], base: Path, shared: list[Path], top_level: bool
) -> Province | None:
    """The province of one [[rosters]] table (None when its path or name is unusable); its scenarios
    are its own, else the `shared` ones (`top_level`: the manifest lists scenarios at its top)."""
    _unknown_keys(add, table, where, ROSTER_KEYS)
    roster = table.get("path")
    if not isinstance(roster, str) or not roster.strip():
        add([*where, "path"], 'cần path = "tệp danh sách cán bộ"', 'needs path = "roster file"')
        return None
    own = _paths(table["scenarios"], [*where, "scenarios"], base, add) if "scenarios" in table else None
    scenarios = own if own is not None else shared
    if not scenarios and own is None and not top_level:
        add(
            [*where],
            "không có kịch bản nào: thêm scenarios = [...] ở đầu tệp hoặc trong bảng này",
            "no scenario: add scenarios = [...] at the top of the file or in this table",
        )
    name = table.get("name", Path(roster).stem)
    if not isinstance(name, str) or not name.strip():
        add([*where, "name"], "name phải là một chuỗi không rỗng", "name must be a non-empty string")
        return None
    return Province(name.strip(), base / roster, tuple(scenarios))


def _paths(value: Any, steps: list[str], base: Path, add: _Add) -> list[Path]:
    """A list of scenario files (relative to the manifest), each one checked to exist."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        add(
            steps,
            'cần một danh sách tệp, ví dụ ["a.toml", "b.toml"]',
            'must be a list of files, e.g. ["a.toml", "b.toml"]',
        )
        return []
    found = []
    for index, name in enumerate(value):
        file = base / name
        if not file.is_file():
            add(
                [*steps, str(index)],
                f"không tìm thấy tệp kịch bản {file}",
                f"scenario file not found: {file}",
            )
        found.append(file)
    return found


def refusal(error: InputError) -> tuple[str, str]:
    """Why a roster was refused, in both languages, on one line each."""
    vi = "; ".join(
        f"{p.where('vi')}: {p.message_vi}" if p.where("vi") else p.message_vi for p in error.problems
    )
    en = "; ".join(
        f"{p.where('en')}: {p.message_en}" if p.where("en") else p.message_en for p in error.problems
    )
    return f"{error.source}: {vi}", f"{error.source}: {en}"


# --- solving ---------------------------------------------------------------------------------------------------


@dataclass
class PlanRun:
    """One (province, scenario) of the batch: its plan, or why there is none."""

    province: str
    label: str
    #: The scenario file and the scenario read from it.
    path: Path
    scenario: Scenario | None
    solved: Solved | None = None
    #: Why there is no plan (vi, en): the roster was refused, the solve failed, Ctrl-C came first.
    error: tuple[str, str] | None = None
    #: The plan's files, by kind (workbook, csv, json), once written.
    files: dict[str, str] | None = None


def run_batch(
    backend: Backend,
    rosters: Mapping[str, Roster],
    runs: Sequence[PlanRun],
    settings: SolverSettings,
    watch: Callable[[str, TaskEvent], None] | None = None,
    done: Callable[[PlanRun], None] | None = None,
) -> bool:
    """Solve every run whose province has a roster, on `backend`; True when Ctrl-C stopped it.

    Each roster is shared with the workers once. A run gets its plan or its error; `done(run)`
    is called as each one ends. After Ctrl-C the runs not finished say so.
    """
    todo = [run for run in runs if run.error is None and run.province in rosters and run.scenario]
    backend.share(dict(rosters))
    names = [f"{run.province} / {run.label}" for run in todo]

    def heard(event: TaskEvent) -> None:
        if watch:
            watch(names[event.index], event)
        if event.outcome is not None and event.state in ("done", "failed"):
            if event.state == "done" and cut_short(event.outcome.value):
                raise KeyboardInterrupt
            _settle(todo[event.index], event.outcome)
            if done:
                done(todo[event.index])
            if event.state == "done" and stop_heard(event.outcome.value):  # this plan is whole: kept
                raise KeyboardInterrupt

    tasks = [(run.province, (run.scenario, settings)) for run in todo]
    try:
        run_tasks(backend, solve_task, tasks, heard)
    except TasksInterrupted:
        for run in todo:
            if run.solved is None and run.error is None:
                run.error = ("chưa giải: đã dừng bằng Ctrl-C", "not solved: stopped by Ctrl-C")
        return True
    return False


def _settle(run: PlanRun, outcome: Outcome) -> None:
    if outcome.ok:
        run.solved = outcome.value
    else:
        error = outcome.error
        what = f"{type(error).__name__}: {error}"
        run.error = (f"lỗi khi giải: {what}", f"the solve failed: {what}")


def plan_runs(provinces: Sequence[Province], scenarios: Mapping[Path, Scenario]) -> list[PlanRun]:
    """Every (province, scenario) of the batch, labelled by the scenario file's name (numbered when repeated)."""
    runs = []
    for province in provinces:
        labels = numbered([path.stem for path in province.scenarios])
        for label, path in zip(labels, province.scenarios, strict=True):
            runs.append(PlanRun(province.name, label, path, scenarios.get(path)))
    return runs


# --- the figures side by side ----------------------------------------------------------------------------------


def consolidate(
    provinces: Sequence[Province],
    runs: Sequence[PlanRun],
    refused: Mapping[str, tuple[str, str]],
    interrupted: bool,
) -> dict[str, Any]:
    """Coverage, cost and shortfalls of every plan, province by province, and what failed.

    `refused` gives the reason (vi, en) a province's roster was not used.
    """
    by_province: dict[str, list[PlanRun]] = {}
    for run in runs:
        by_province.setdefault(run.province, []).append(run)
    rows = []
    for province in provinces:
        plans = []
        for run in by_province.get(province.name, []):
            entry: dict[str, Any] = {"scenario": run.label, "files": run.files or {}}
            if run.solved is not None:
                figures = scenario_figures(run.label, run.solved)
                keep = ("name", "status", "gap", "wall_time", "nominations", "classes", "total_cost")
                entry |= {"state": "solved"} | {key: figures[key] for key in keep}
                more = ("total_budget", "cost_after_plan", "average_attainment", "targets_met")
                entry |= {key: figures[key] for key in more}
                entry["targets"] = {
                    code: {key: t[key] for key in ("required", "covered_at_deadline", "attainment", "met")}
                    for code, t in figures["targets"].items()
                }
                entry["shortfalls"] = figures["shortfalls"]
            else:
                vi, en = run.error or ("không có phương án", "no plan")
                entry |= {"state": "failed", "error": vi, "error_en": en}
            plans.append(entry)
        failed = province.name in refused or any(p["state"] == "failed" for p in plans)
        row: dict[str, Any] = {"name": province.name, "roster": str(province.roster), "failed": failed}
        if province.name in refused:
            row["error"], row["error_en"] = refused[province.name]
        rows.append(row | {"plans": plans})
    return {
        "scenarios": list(dict.fromkeys(run.label for run in runs)),
        "provinces": rows,
        "failed": [row["name"] for row in rows if row["failed"]],
        "interrupted": interrupted,
    }
