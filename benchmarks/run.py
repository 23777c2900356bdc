"""End-to-end benchmark: read, solve, check and write a plan for synthetic provinces of several sizes.

    python benchmarks/run.py [--sizes 5000 25000 ...] [--scenarios a.toml b.toml]
        [--time-limit 25000=12,150000=60] [--workers 1] [--gap G] [--cache /tmp/planner-bench]
        [--seeds 25000 101 202] [--out benchmarks/RESULTS.md] [--merge]

Each (size, scenario) instance runs in a fresh Python subprocess, so the peak memory reported
(ru_maxrss of that process) is the instance's own. The subprocess does what `planner plan ...
--out plan.xlsx` does, in the same order, and times each step: load the scenario, read the
roster workbook, build the population (the CLI builds it for the summary and the workbook),
solve, check the plan (assert_valid), summarise it, write the workbook. Afterwards, outside the
end-to-end time, it plans the same instance greedily for comparison.

Rosters are `generate_roster(size, seed=size, ...)` (other provinces of each size with `--seeds`)
with the structure and reference year that fit the scenario (see SCENARIOS), written once as .xlsx into the cache folder (in a subprocess
too) and reused; delete them or pass --regenerate after changing planner/sample.py.

The results go to a markdown table (printed, and written to --out) and to a JSON file next to
it; `--render` rewrites the table from that JSON. The code measured is the checkout this file
sits in: to measure one commit while others keep editing, clone it (`git clone . /tmp/snap`),
copy this file in and run the copy with `--out benchmarks/RESULTS.md`. Not part of the test
suite: timings depend on the machine and on its load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZES = (5_000, 25_000, 80_000, 150_000)
#: Scenario file -> (structure, reference year) of the roster generated for it.
SCENARIOS = {
    "scenarios/orientation-2026-2030.toml": ("2025", 2026),
    "scenarios/plan-2023-2025.toml": ("2023", 2023),
}
#: The product's targets by size (issue 20, default options): end to end seconds, peak MB.
TARGETS: dict[int, tuple[float, float | None]] = {
    25_000: (5.0, None),
    150_000: (20.0, None),
    300_000: (45.0, 1536.0),
}
#: Every size: the largest gap on any level of the written plan (issue 20).
GAP_TARGET = 0.001
#: Steps of the end-to-end job, in the order they run.
#: Level statuses that come with a solution (any other: the level found none, its gap means nothing).
SOLVED = ("OPTIMAL", "FEASIBLE")
STEPS = ("scenario", "read", "population", "solve", "check", "summary", "workbook")
#: Steps inside `solve`, from Result.stats (ms_<name>), with the label used in the table.
SOLVE_STEPS = {
    "greedy": "greedy hint",
    "model": "model",
    "solve": "LP + CP-SAT",
    "units": "units",
    "naming": "naming",
    "result": "result",
}


# --- parent ---------------------------------------------------------------------------------------


def parse_time_limits(text: str) -> tuple[dict[int, float], float | None]:
    """`60` (every size) or `25000=12,150000=60` (per size) -> (per size, for every size)."""
    per_size: dict[int, float] = {}
    every: float | None = None
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "=" in part:
            size, seconds = part.split("=", 1)
            per_size[int(size.replace("_", ""))] = float(seconds)
        else:
            every = float(part)
    return per_size, every


def time_limit_for(size: int, per_size: dict[int, float], every: float | None) -> float:
    """The time limit of one size: as given for it, else as given for all, else the product's default."""
    from models import default_time_limit

    if size in per_size:
        return per_size[size]
    if every is not None:
        return every
    return default_time_limit(size)


def machine() -> dict[str, Any]:
    """What the numbers were measured on, and how busy the machine was when the run started."""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")),
        platform.processor(),
    )
    mem_kb = next(
        (int(line.split()[1]) for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), 0
    )
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": _command(["nproc"]),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1024**2, 1),
        "python": platform.python_version(),
        "ortools": version("ortools"),
        "commit": _command(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]),
        "uncommitted": "; ".join(
            line.strip()
            for line in _command(
                ["git", "-C", str(ROOT), "status", "--porcelain", "--", "planner", "models", "cli.py"]
            ).splitlines()
        ),
        "load_at_start": list(os.getloadavg()),
    }


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def _command(args: list[str]) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def _child(mode: str, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run this file in a fresh interpreter on one job; its JSON answer, or the error."""
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as folder:
        answer = Path(folder) / "answer.json"
        spec = {**spec, "answer": str(answer)}
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        try:
            done = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), mode, json.dumps(spec)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout:.0f} s"}
        if done.returncode != 0 or not answer.exists():
            tail = (done.stderr or done.stdout).strip().splitlines()[-12:]
            return {"error": f"exit {done.returncode}: " + " | ".join(tail)}
        return json.loads(answer.read_text())


def ensure_roster(
    cache: Path, size: int, structure: str, year: int, regenerate: bool, timeout: float, seed: int
) -> dict:
    """The cached roster workbook for (size, structure, year, seed), generated first if missing."""
    other = "" if seed == size else f"-seed{seed}"
    path = cache / f"roster-{structure}-{year}-{size}{other}.xlsx"
    if path.exists() and not regenerate:
        return {"path": str(path), "cached": True, "seed": seed}
    print(f"generating {path.name} ...", file=sys.stderr, flush=True)
    spec = {"size": size, "seed": seed, "structure": structure, "year": year, "path": str(path)}
    made = _child("--make-roster", spec, timeout)
    if "error" in made:
        raise SystemExit(f"could not generate {path}: {made['error']}")
    return {"path": str(path), "cached": False, "seed": seed, **made}


def run_instance(
    roster: dict, size: int, scenario: str, time_limit: float, workers: int, gap: float, timeout: float
) -> dict[str, Any]:
    """Benchmark one (size, scenario) in its own process, with the load before and after."""
    spec = {"roster": roster["path"], "scenario": str(ROOT / scenario), "time_limit": time_limit}
    spec["workers"], spec["gap"] = workers, gap
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    measured = _child("--instance", spec, timeout)
    return {
        "size": size,
        "scenario": scenario,
        "time_limit": time_limit,
        "workers": workers,
        "gap_limit": gap,
        "roster": roster,
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "process_s": round(time.perf_counter() - started, 2),
        **measured,
    }


def dominant_step(run: dict[str, Any]) -> str:
    """The single step that took longest, CP-SAT and friends counted apart from the rest of solve."""
    steps = {name: run["steps"][name] for name in STEPS if name != "solve"}
    inner = run.get("stats", {})
    solve_parts = {label: inner.get(f"ms_{key}", 0) / 1000 for key, label in SOLVE_STEPS.items()}
    steps |= {f"solve: {label}": seconds for label, seconds in solve_parts.items()}
    steps["solve: other"] = max(0.0, run["steps"]["solve"] - sum(solve_parts.values()))
    name, seconds = max(steps.items(), key=lambda item: item[1])
    return f"{name} {seconds / run['end_to_end_s']:.0%}"


def verdict(run: dict[str, Any]) -> str:
    """Whether the instance meets the product's targets: every level within `GAP_TARGET` and not
    cut by the clock (a rerun could differ), and its size's time and memory ('' after an error)."""
    if "error" in run:
        return ""
    seconds, megabytes = TARGETS.get(run["size"], (math.inf, None))
    misses = []
    if run["end_to_end_s"] > seconds:
        misses.append(f"time > {seconds:g} s")
    solved = [level for level in run["levels"] if level["status"] in SOLVED]
    if len(solved) < run["objective_levels"] or any(level["gap"] > GAP_TARGET for level in solved):
        misses.append(f"gap > {GAP_TARGET:.1%}")
    if any(level.get("cut") for level in run["levels"]):
        misses.append("cut by the clock")
    if megabytes is not None and run["peak_mb"] > megabytes:
        misses.append(f"memory > {megabytes / 1024:g} GB")
    if run["stats"].get("unnamed", 0):
        misses.append(f"{run['stats']['unnamed']} places unnamed")
    if run["steps"]["solve"] > run["time_limit"]:
        misses.append("solve > limit")
    return "yes" if not misses else "NO: " + ", ".join(misses)


def markdown(info: dict[str, Any], runs: list[dict[str, Any]]) -> str:
    """The results as markdown: machine, timing table, quality table, problems found."""
    out = [
        "# Benchmark results",
        "",
        f"Generated by `python benchmarks/run.py` on {info['date']}: {info['nproc']} × {info['cpu']}, "
        f"{info['memory_gb']} GB RAM, Python {info['python']}, OR-Tools {info['ortools']}, "
        f"commit {info['commit']}"
        + (f" with uncommitted changes ({info['uncommitted']})" if info["uncommitted"] else "")
        + f"; load average at start {' / '.join(f'{x:.2f}' for x in info['load_at_start'])} (1/5/15 min).",
        "",
        "Each instance ran in a fresh process. End to end = load scenario + read roster .xlsx + "
        "population + solve + check + summary + write workbook (what `planner plan --out` does). "
        "*limit* is SolverSettings.time_limit (`--time-limit`), a cap on the solve's wall time; "
        "*gap* the level's stopping gap (`--gap`). "
        "Times in seconds; *load* is the 1-minute load average before → after the instance "
        "(the machine was shared). Roster: `generate_roster(size, seed=size)`, structure 2025 / "
        "reference year 2026 for the 2026 scenario, 2023 / 2023 for the 2023 scenario. "
        "*target met*: issue 20's figures, end to end "
        + ", ".join(
            f"{size:,} ≤ {seconds:g} s" + (f" and {megabytes:,.0f} MB" if megabytes else "")
            for size, (seconds, megabytes) in TARGETS.items()
        )
        + f"; at every size every level within {GAP_TARGET:.1%} of its bound and none cut by the clock.",
        "",
        "| officials | scenario | limit s / workers / gap | load | read | popul. | solve (greedy / model / LP + CP-SAT / naming) "
        "| check | workbook | **end to end** | peak MB | rounds | unnamed places | dominant step | target met |",
        "|---:|---|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for run in runs:
        head = f"| {_officials(run)} | {_short(run['scenario'])} | {run['time_limit']:g} / {run['workers']} / {run.get('gap_limit', 0):.1%} "
        if "error" in run:
            out.append(head + f"| {run['load_before']} | {run['error']} |" + " |" * 8)
            continue
        s, st = run["steps"], run["stats"]
        inner = " / ".join(
            f"{st.get(f'ms_{k}', 0) / 1000:.1f}" for k in ("greedy", "model", "solve", "naming")
        )
        out.append(
            head
            + f"| {run['load_before']:.1f} → {run['load_after']:.1f} | {s['read']:.1f} | {s['population']:.1f} "
            f"| {s['solve']:.1f} ({inner}) | {s['check']:.1f} | {s['workbook']:.1f} "
            f"| **{run['end_to_end_s']:.1f}** | {run['peak_mb']:,.0f} | {st.get('rounds', '')} "
            f"| {st.get('unnamed', '')} | {dominant_step(run)} | {verdict(run)} |"
        )
    out += [
        "",
        "*solves*: CP-SAT passes over all levels (1 + re-solves after unit caps bound); levels and "
        "gaps are those of the last pass. Merit: sum over nominations of the cohort's score for the program.",
        "",
        "| officials | scenario | status | cohorts | variables | constraints | solves | levels: status value ≥ bound: gap "
        "| weighted shortfall CP-SAT / greedy | nominations CP-SAT / greedy | merit CP-SAT / greedy "
        "| greedy s |",
        "|---:|---|---|---:|---:|---:|---:|---|---|---|---|---:|",
    ]
    for run in runs:
        if "error" in run:
            continue
        st, cp, gr = run["stats"], run["cpsat"], run["greedy"]
        levels = "<br>".join(_level_text(run))
        out.append(
            f"| {_officials(run)} | {_short(run['scenario'])} | {cp['status']} | {st.get('cohorts', '')} "
            f"| {st.get('variables', '')} | {st.get('constraints', '')} | {run.get('cap_rounds', '?')} | {levels} "
            f"| {cp['weighted_shortfall']:.3f} / {gr['weighted_shortfall']:.3f} "
            f"| {cp['nominations']:,} / {gr['nominations']:,} | {cp['merit']:,} / {gr['merit']:,} "
            f"| {gr['seconds']:.1f} |"
        )
    out += growth(runs)
    problems = [line for run in runs for line in _problems(run)]
    out += ["", "Problems found:" if problems else "Problems found: none.", *(f"- {p}" for p in problems), ""]
    return "\n".join(out)


def _inner(key: str) -> Callable[[dict[str, Any]], float]:
    """Seconds of one of the solve's steps (`SOLVE_STEPS`) in a run."""
    return lambda run: run["stats"].get(f"ms_{key}", 0) / 1000


#: The stages whose growth with the roster's size is shown: label -> seconds (or MB) of a run.
GROWTH: dict[str, Callable[[dict[str, Any]], float]] = {
    "read": lambda run: run["steps"]["read"],
    "popul.": lambda run: run["steps"]["population"],
    "greedy": _inner("greedy"),
    "model": _inner("model"),
    "LP + CP-SAT": _inner("solve"),
    "naming": _inner("naming"),
    "check": lambda run: run["steps"]["check"],
    "workbook": lambda run: run["steps"]["workbook"],
    "end to end": lambda run: run["end_to_end_s"],
    "peak MB": lambda run: run["peak_mb"],
}


def slope(points: list[tuple[float, float]]) -> float | None:
    """The least-squares slope of log(value) on log(size) over (size, value) points: how a stage
    grows with the roster (1: in proportion; 0: not at all); None with fewer than two sizes or a
    value of 0 (a stage too short to time)."""
    if len({size for size, _ in points}) < 2 or any(value <= 0 for _, value in points):
        return None
    xs = [math.log(size) for size, _ in points]
    ys = [math.log(value) for _, value in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def growth(runs: list[dict[str, Any]]) -> list[str]:
    """Per scenario run at two sizes or more (the provinces seeded by their size): each stage's
    log-log slope against the number of officials."""
    by_scenario: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        if "error" not in run and _seed(run) == run["size"]:
            by_scenario.setdefault(run["scenario"], []).append(run)
    rows = []
    for scenario, found in by_scenario.items():
        sizes = sorted({run["size"] for run in found})
        if len(sizes) < 2:
            continue
        cells = []
        for measure in GROWTH.values():
            value = slope([(run["size"], measure(run)) for run in found])
            cells.append("" if value is None else f"{value:.2f}")
        rows.append(f"| {_short(scenario)} | {' / '.join(f'{s:,}' for s in sizes)} | {' | '.join(cells)} |")
    if not rows:
        return []
    return [
        "",
        "How each stage grows with the roster: the log-log slope of its time (or peak memory) against "
        "the number of officials, least squares over the sizes run (1: in proportion, 0: not at all; "
        "the solve's parts are capped by its time limit and end at their gap, so theirs says little).",
        "",
        f"| scenario | officials | {' | '.join(GROWTH)} |",
        "|---|---|" + "---:|" * len(GROWTH),
        *rows,
    ]


def _officials(run: dict[str, Any]) -> str:
    """The size, and the roster's seed when it is not the size (another province of that size)."""
    seed = _seed(run)
    return f"{run['size']:,}" + ("" if seed == run["size"] else f" (seed {seed})")


def _seed(run: dict[str, Any]) -> int:
    return int(run["roster"].get("seed", run["size"]))


def _level_text(run: dict[str, Any]) -> list[str]:
    """One line per objective level: status, value, bound, gap and CP-SAT seconds; levels never
    reached too."""
    lines = [
        f"{lv['name']} {lv['status']} {lv['objective']:,.0f} ≥ {lv['bound']:,.0f}: {lv['gap']:.2%} "
        f"({lv['wall_time']:.1f} s{', cut by the clock' if lv.get('cut') else ''})"
        if lv["status"] in SOLVED
        else f"{lv['name']} {lv['status']}: no solution ({lv['wall_time']:.1f} s)"
        for lv in run["levels"]
    ]
    missing = run["objective_levels"] - len(run["levels"])
    return lines + ([f"{missing} later level(s) not run"] if missing > 0 else [])


def _short(scenario: str) -> str:
    return Path(scenario).stem


def _problems(run: dict[str, Any]) -> list[str]:
    where = f"{_officials(run)} / {_short(run['scenario'])}"
    if "error" in run:
        return [f"{where}: {run['error']}"]
    found = []
    cp, gr = run["cpsat"], run["greedy"]
    if cp["weighted_shortfall"] > gr["weighted_shortfall"] + 1e-9:
        found.append(
            f"{where}: CP-SAT plan falls shorter than greedy "
            f"({cp['weighted_shortfall']:.4f} > {gr['weighted_shortfall']:.4f})"
        )
    if cp["status"] == "FALLBACK":
        found.append(f"{where}: solve returned the greedy fallback: {' '.join(cp['notes'])}")
    for method, plan in (("CP-SAT", cp), ("greedy", gr)):
        if plan["violations"]:
            found.append(f"{where}: {method} plan fails the checker: {'; '.join(plan['violations'])}")
    if cp["unnamed_in_cohorts"] or gr["unnamed_in_cohorts"]:
        found.append(f"{where}: nominations of officials in no cohort (merit counted 0)")
    unsolved = [lv["name"] for lv in run["levels"] if lv["status"] not in SOLVED]
    not_run = run["objective_levels"] - len(run["levels"])
    if unsolved or not_run > 0:
        found.append(
            f"{where}: objective level {', '.join(unsolved)} got no solution in its time"
            + (f" ({not_run} later level(s) not run)" if not_run > 0 else "")
            + ", so the plan is only optimised for the levels before it"
        )
    if abs(cp["weighted_shortfall"] - gr["weighted_shortfall"]) < 1e-9:
        found.append(f"{where}: (remark) CP-SAT did not lower the greedy plan's weighted shortfall")
    if cp["status"] != "FALLBACK":
        found += [f"{where}: (note) {note}" for note in cp["notes"]]
    found += [
        f"{where}: (minimum not met) {s['reason']['en']} ({s['achieved']}/{s['required']})"
        for s in cp.get("minimums", [])
    ]
    return found


def main(argv: list[str] | None = None) -> None:
    """Benchmark every (size, scenario), one subprocess each, and write the results table."""
    from models import SolverSettings

    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in CHILD_MODES:
        CHILD_MODES[argv[0]](json.loads(argv[1]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="roster sizes")
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=list(SCENARIOS))
    parser.add_argument(
        "--time-limit",
        default="",
        help="seconds, for all sizes ('60') or per size ('25000=12,150000=60'); default: the product's",
    )
    parser.add_argument("--workers", type=int, default=1, help="CP-SAT workers (default 1)")
    parser.add_argument(
        "--gap",
        type=float,
        default=None,
        help="stop each level within this relative gap (default: the product's, as `planner plan`)",
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=None, help="roster seeds (default: the size)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/planner-bench"), help="roster cache folder")
    parser.add_argument("--regenerate", action="store_true", help="generate the rosters again")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md", help="markdown file")
    parser.add_argument("--merge", action="store_true", help="keep other instances already in the JSON")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per subprocess")
    parser.add_argument("--render", action="store_true", help="only rewrite the markdown from the JSON")
    args = parser.parse_args(argv)
    json_path = args.out.with_suffix(".json")
    if args.render:
        data = json.loads(json_path.read_text())
        _write(args.out, markdown(data["machine"], data["instances"]))
        print(markdown(data["machine"], data["instances"]))
        return
    per_size, every = parse_time_limits(args.time_limit)
    args.cache.mkdir(parents=True, exist_ok=True)
    info = machine()
    kept = json.loads(json_path.read_text())["instances"] if args.merge and json_path.exists() else []
    runs: list[dict[str, Any]] = []
    provinces = [(size, seed) for size in args.sizes for seed in args.seeds or [size]]
    for size, seed in provinces:
        for scenario in args.scenarios:
            structure, year = SCENARIOS[scenario]
            roster = ensure_roster(args.cache, size, structure, year, args.regenerate, args.timeout, seed)
            limit = time_limit_for(size, per_size, every)
            gap = args.gap if args.gap is not None else SolverSettings().gap
            run = run_instance(roster, size, scenario, limit, args.workers, gap, args.timeout)
            runs.append(run)
            done = f"{run['end_to_end_s']:.1f} s end to end" if "error" not in run else run["error"]
            print(f"{_officials(run):>8} {_short(scenario)}: {done}", file=sys.stderr, flush=True)
            ordered = _ordered(kept, runs)
            json_path.write_text(json.dumps({"machine": info, "instances": ordered}, indent=1) + "\n")
            _write(args.out, markdown(info, ordered))
    print(markdown(info, _ordered(kept, runs)))


#: The heading after which the results file keeps its history of earlier runs, written by hand.
HISTORY = "## History"


def _write(path: Path, tables: str) -> None:
    """The tables, followed by the history section the file already had."""
    old = path.read_text() if path.exists() else ""
    history = old[old.index(HISTORY) :] if HISTORY in old else ""
    path.write_text(tables + ("\n" + history if history else ""))


def _ordered(kept: list[dict[str, Any]], runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Earlier instances not run again, then this run's, ordered by size and scenario."""
    fresh = {(r["size"], _seed(r), r["scenario"]) for r in runs}
    merged = [r for r in kept if (r["size"], _seed(r), r["scenario"]) not in fresh] + runs
    order = list(SCENARIOS)
    return sorted(
        merged,
        key=lambda r: (r["size"], _seed(r), order.index(r["scenario"]) if r["scenario"] in order else 99),
    )


# --- children (fresh processes) ---------------------------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def make_roster(spec: dict[str, Any]) -> None:
    """Generate one roster and write it (atomically) where the spec says."""
    from planner.io.export import write_roster
    from planner.sample import generate_roster

    path = Path(spec["path"])
    started = time.perf_counter()
    roster = generate_roster(
        spec["size"],
        seed=spec.get("seed", spec["size"]),
        structure=spec["structure"],
        reference_year=spec["year"],
    )
    generated = time.perf_counter()
    partial = path.with_name(path.stem + ".partial.xlsx")
    write_roster(roster, partial)
    partial.replace(path)
    answer = {
        "generate_s": round(generated - started, 2),
        "write_s": round(time.perf_counter() - generated, 2),
    }
    Path(spec["answer"]).write_text(json.dumps(answer))


class _Recorder(logging.Handler):
    """Keeps the messages of the records it gets."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(logging.INFO)
        self.lines = lines

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def measure_instance(spec: dict[str, Any]) -> None:
    """The end-to-end job on one roster and scenario, step by step, then the greedy baseline."""
    from models import STANDARD_PROGRAMS, SolverSettings
    from planner.analysis.check import PlanCheckError, assert_valid, check_plan
    from planner.analysis.shortfalls import weighted_shortfall
    from planner.io.roster import read_roster
    from planner.io.scenario import load_scenario
    from planner.report.summary import plan_summary
    from planner.report.workbook import write_workbook
    from planner.solver.cohorts import build_population
    from planner.solver.solve import solve

    logging.basicConfig(level=logging.WARNING)
    # what solve logs at INFO (levels, family bounds, unit-cap re-solves) is kept for the JSON
    solver_log: list[str] = []
    recorder = _Recorder(solver_log)
    solve_logger = logging.getLogger("planner.solver.solve")
    solve_logger.setLevel(logging.INFO)
    solve_logger.addHandler(recorder)
    steps: dict[str, float] = {}
    last = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal last
        now = time.perf_counter()
        steps[step] = round(now - last, 3)
        last = now

    roster_path, scenario_path = Path(spec["roster"]), Path(spec["scenario"])
    settings = SolverSettings(
        time_limit=spec["time_limit"], workers=spec["workers"], seed=0, gap=spec.get("gap", 0.0)
    )
    scenario = load_scenario(scenario_path)
    lap("scenario")
    roster = read_roster(
        roster_path, known_programs=sorted(set(STANDARD_PROGRAMS) | {p.code for p in scenario.programs})
    )
    lap("read")
    population = build_population(roster, scenario)
    lap("population")
    result = solve(roster, scenario, settings, population=population)  # as the CLI: built once
    lap("solve")
    solve_logger.removeHandler(recorder)
    violations: list[str] = []
    try:
        assert_valid(roster, scenario, result.nominations, result.classes)
    except PlanCheckError as error:  # reported as a problem; the job goes on so every step is timed
        violations = [str(v) for v in error.violations]
    lap("check")
    plan_summary(population, result)
    lap("summary")
    with tempfile.TemporaryDirectory() as folder:
        options = {**settings.model_dump(), "method": "cpsat", "lang": "vi"}
        write_workbook(
            Path(folder) / "plan.xlsx",
            roster,
            scenario,
            result,
            population,
            inputs={"roster": roster_path, "scenario": scenario_path},
            options=options,
            lang="vi",
        )
        workbook_mb = (Path(folder) / "plan.xlsx").stat().st_size / 1e6
    lap("workbook")
    end_to_end = sum(steps.values())
    peak_end_to_end = _peak_mb()

    started = time.perf_counter()
    greedy = solve(roster, scenario, settings, method="greedy", population=population)
    greedy_seconds = time.perf_counter() - started
    greedy_violations = [str(v) for v in check_plan(roster, scenario, greedy.nominations, greedy.classes)]

    cohort_of = {member: cohort for cohort in population.cohorts for member in cohort.members}

    def quality(plan: Any, found: list[str]) -> dict[str, Any]:
        merit = sum(
            cohort_of[n.official_id].scores.get(n.program, 0)
            for n in plan.nominations
            if n.official_id in cohort_of
        )
        return {
            "status": plan.status,
            "nominations": len(plan.nominations),
            "classes": len(plan.classes),
            "weighted_shortfall": weighted_shortfall(scenario, plan.shortfalls),
            "merit": merit,
            "unnamed_in_cohorts": sum(n.official_id not in cohort_of for n in plan.nominations),
            "violations": found[:5] + ([f"... {len(found) - 5} more"] if len(found) > 5 else []),
            "notes": [note.en for note in plan.notes],
            # the plan's yearly minimums not met (LEAD classes, POSTGRAD, PHD, CK ...), with their reason
            "minimums": [s.model_dump() for s in plan.shortfalls if s.kind != "target"],
        }

    answer = {
        "officials": len(roster.officials),
        "history_records": len(roster.history),
        "steps": steps,
        "end_to_end_s": round(end_to_end, 2),
        "peak_mb": round(peak_end_to_end, 1),
        "peak_mb_with_greedy": round(_peak_mb(), 1),
        "workbook_mb": round(workbook_mb, 1),
        "stats": result.stats,
        "cap_rounds": 1 + sum(line.startswith("unit caps bind") for line in solver_log),
        "solver_log": solver_log,
        "objective_levels": len(scenario.objective.order),
        "levels": [
            {
                "name": lv.name,
                "status": lv.status,
                "objective": lv.objective,
                "bound": lv.bound,
                "gap": lv.gap,
                "wall_time": round(lv.wall_time, 2),
                "cut": lv.stopped_by_wall_clock,
            }
            for lv in result.levels
        ],
        "cpsat": quality(result, violations),
        "greedy": {**quality(greedy, greedy_violations), "seconds": round(greedy_seconds, 2)},
    }
    Path(spec["answer"]).write_text(json.dumps(answer))


CHILD_MODES = {"--make-roster": make_roster, "--instance": measure_instance}


if __name__ == "__main__":
    main()
