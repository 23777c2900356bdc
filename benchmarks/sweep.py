"""Sweep benchmark (issue 19): one budget sweep on the local pool and on Dask, the Dask overhead, a large province.

    python benchmarks/sweep.py [--size 25000] [--scenario scenarios/plan-2023-2025.toml]
        [--budget 0.5:1.5:0.1] [--jobs 2] [--time-limit 60] [--max-resolves 0 40]
        [--overhead-solves 3] [--big-size 300000] [--big-scenarios A.toml B.toml ...] [--no-big]
        [--cache /tmp/planner-bench] [--out benchmarks/RESULTS.md]

1. `planner sweep` on the cached roster of `--size` officials (as `benchmarks/run.py` makes it),
   for each `--max-resolves` (0: the factors alone) once with `--executor local` and once with
   `--executor dask`, each in its own process, timed on the wall clock from start to exit
   (reading, cluster start, solves, re-solves, writing the JSON); the two JSON files compared
   without their times.
2. The overhead of the Dask path per solve: the same `--overhead-solves` scenarios solved one
   after another in this process (no pickling) and on a one-worker LocalCluster; the difference
   divided by the solves, and apart from it the cluster's start and the roster's scatter.
3. One solve of each `--big-scenarios` at factor 1 on a generated province of `--big-size`
   officials (in memory: what a worker does, population + solve + check + summary), for the
   estimate of 33 solves on 1, 8 and 32 workers.

The results replace this benchmark's own section of `--out` (after `## History`, which
`benchmarks/run.py` keeps as it is) and go to `sweep-RESULTS.json` next to it. Timings depend on
the machine and its load; not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, SCENARIOS, ensure_roster, machine

HEADING = "## Sweeps on an executor (issue 19)"
BIG_SCENARIOS = (
    "scenarios/orientation-2026-2030.toml",
    "scenarios/orientation-2026-2030-tight.toml",
    "scenarios/orientation-2026-2030-expanded.toml",
)
#: Solves of the paper estimate (11 budget factors x 3 scenario variants) and the cluster sizes.
ESTIMATE_SOLVES = 33
ESTIMATE_WORKERS = (1, 8, 32)
#: Assumed network for the estimate: bytes a second to each worker (1 Gbit/s).
NETWORK_BPS = 125e6


def _structure(scenario: str) -> tuple[str, int]:
    return SCENARIOS.get(scenario, ("2025", 2026))


def run_sweep(
    roster: str, args: argparse.Namespace, executor: str, resolves: int, folder: Path
) -> dict[str, Any]:
    """`planner sweep` in a fresh process on `executor`: wall time, the JSON's figures, the command."""
    data = folder / f"sweep-{executor}.json"
    command = [
        "planner",
        "sweep",
        roster,
        "--scenario",
        args.scenario,
        "--budget",
        args.budget,
        "--executor",
        executor,
        "--jobs",
        str(args.jobs),
        "--time-limit",
        f"{args.time_limit:g}",
        "--max-resolves",
        str(resolves),
        "--json",
        str(data),
        "--quiet",
    ]
    load = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *command[1:]],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)}: exit {done.returncode}\n{done.stderr[-2000:]}")
    found = json.loads(data.read_text(encoding="utf-8"))
    solve_times = [s["wall_time"] for s in found["comparison"]["scenarios"]]
    return {
        "executor": executor,
        "max_resolves": resolves,
        "command": " ".join(command).replace(str(data), f"sweep-{executor}.json"),
        "wall_s": round(wall, 1),
        "load_before": round(load, 2),
        "factors": len(found["factors"]),
        "resolves": found["resolves"],
        "solves": len(found["factors"]) + found["resolves"],
        "factor_solve_s": [round(t, 1) for t in solve_times],
        "figures": _timeless(found),
    }


def _timeless(found: dict[str, Any]) -> dict[str, Any]:
    for figures in found["comparison"]["scenarios"]:
        figures.pop("wall_time")
        figures.pop("levels")
    return found


def _child(mode: str, spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """This file in a fresh interpreter on one measurement; its JSON answer, or the error."""
    with tempfile.TemporaryDirectory(prefix="planner-sweep-") as folder:
        answer = Path(folder) / "answer.json"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            mode,
            json.dumps(spec | {"answer": str(answer)}),
        ]
        done = subprocess.run(
            command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=timeout, check=False
        )
        if done.returncode != 0 or not answer.exists():
            return {"error": f"{mode}: exit {done.returncode}"}
        return json.loads(answer.read_text())


# --- children (fresh processes) -----------------------------------------------------------------------


def measure_overhead(spec: dict[str, Any]) -> None:
    """The same solves in this process and on a one-worker LocalCluster; times and sizes."""
    from models import SolverSettings
    from planner.analysis.compare import ScenarioPool, parse_factor_range, with_budget_factor
    from planner.analysis.executor import ExecutorChoice, open_backend
    from planner.io.roster import read_roster
    from planner.io.scenario import load_scenario

    roster = read_roster(spec["roster"])
    scenario = load_scenario(spec["scenario"])
    factors = parse_factor_range(spec["budget"])[: spec["solves"]]
    variants = [with_budget_factor(scenario, f) for f in factors]
    settings = SolverSettings(time_limit=spec["time_limit"])
    started = time.perf_counter()
    with ScenarioPool(roster, settings) as pool:
        local = pool.solve(variants)
    local_s = time.perf_counter() - started
    started = time.perf_counter()
    backend = open_backend(ExecutorChoice("dask"), 1)
    cluster_s = time.perf_counter() - started
    with backend:
        started = time.perf_counter()
        with ScenarioPool(roster, settings, backend=backend) as pool:
            scatter_s = time.perf_counter() - started
            started = time.perf_counter()
            on_dask = pool.solve(variants)
            dask_s = time.perf_counter() - started
    same = [p.result.nominations for p in local] == [p.result.nominations for p in on_dask]
    answer = {
        "solves": len(variants),
        "in_process_s": round(local_s, 2),
        "dask_s": round(dask_s, 2),
        "overhead_per_solve_s": round((dask_s - local_s) / len(variants), 2),
        "solve_wall_s": [round(p.result.wall_time, 2) for p in local],
        "cluster_start_s": round(cluster_s, 2),
        "scatter_s": round(scatter_s, 2),
        "roster_mb": round(len(pickle.dumps(roster)) / 1e6, 1),
        "plan_mb": round(len(pickle.dumps(local[0])) / 1e6, 1),
        "same_nominations": same,
    }
    Path(spec["answer"]).write_text(json.dumps(answer))


def measure_big(spec: dict[str, Any]) -> None:
    """One solve of each scenario at factor 1 on a generated province (in memory)."""
    from models import SolverSettings
    from planner.analysis.compare import solve_and_check
    from planner.io.scenario import load_scenario
    from planner.sample import generate_roster

    scenarios = [load_scenario(ROOT / s) for s in spec["scenarios"]]
    structure, year = spec["structure"], spec["year"]
    started = time.perf_counter()
    roster = generate_roster(spec["size"], seed=spec["size"], structure=structure, reference_year=year)
    generate_s = time.perf_counter() - started
    solves = []
    for path, scenario in zip(spec["scenarios"], scenarios, strict=True):
        started = time.perf_counter()
        plan = solve_and_check(roster, scenario, SolverSettings(time_limit=spec["time_limit"]))
        solves.append(
            {
                "scenario": path,
                "task_s": round(time.perf_counter() - started, 1),
                "solve_s": round(plan.result.wall_time, 1),
                "status": plan.result.status,
                "shortfalls": len(plan.result.shortfalls),
                "nominations": len(plan.result.nominations),
            }
        )
        print(f"{spec['size']:,} {path}: {solves[-1]['task_s']} s", file=sys.stderr, flush=True)
    answer = {
        "size": spec["size"],
        "generate_s": round(generate_s, 1),
        "roster_mb": round(len(pickle.dumps(roster)) / 1e6, 1),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "solves": solves,
    }
    Path(spec["answer"]).write_text(json.dumps(answer))


# --- the estimate and the section ----------------------------------------------------------------------


def estimate(big: dict[str, Any], overhead: dict[str, Any]) -> list[dict[str, Any]]:
    """33 solves of the measured mean task time on 1, 8 and 32 single-threaded workers.

    Makespan = rounds x (mean task time + Dask overhead per solve) + cluster start + the roster
    sent to every worker (its pickled size at NETWORK_BPS, once per worker from the client, as
    `scatter(broadcast=True)` does). Solves of one sweep take about the same time (the same
    province, the budget changed), so rounds = ceil(33 / workers).
    """
    mean = sum(s["task_s"] for s in big["solves"]) / len(big["solves"])
    rows = []
    for workers in ESTIMATE_WORKERS:
        rounds = math.ceil(ESTIMATE_SOLVES / workers)
        transfer = big["roster_mb"] * 1e6 / NETWORK_BPS * (workers if workers > 1 else 0)
        per_solve = mean + max(0.0, overhead["overhead_per_solve_s"])  # a negative one is noise
        total = rounds * per_solve + overhead["cluster_start_s"] + transfer
        rows.append(
            {
                "workers": workers,
                "rounds": rounds,
                "mean_task_s": round(mean, 1),
                "transfer_s": round(transfer, 1),
            }
            | {"total_s": round(total), "total_min": round(total / 60, 1)}
        )
    return rows


def markdown(result: dict[str, Any]) -> str:
    info, sweeps, overhead = result["machine"], result["sweeps"], result["overhead"]
    lines = [
        HEADING,
        "",
        f"Generated by `{' '.join(['python benchmarks/sweep.py', result['arguments']]).strip()}` on {info['date']}: "
        f"{info['nproc']} × {info['cpu']}, Python {info['python']}, OR-Tools {info['ortools']}, "
        f"dask/distributed {result['dask']}, commit {info['commit']}"
        + (f" (uncommitted: {info['uncommitted']})" if info["uncommitted"] else "")
        + f"; load average at start {' / '.join(f'{v:.2f}' for v in info['load_at_start'])}.",
        "",
        f"**Sweep of {sweeps[0]['factors']} budget factors** on {result['size']:,} officials "
        f"(`{result['scenario']}`, roster `generate_roster({result['size']}, seed={result['size']})`), each "
        "command in a fresh process, wall clock from start to exit (read the roster, start the "
        "executor, the factors' solves, the re-solves that explain the shortfalls, write the JSON):",
        "",
        "| --max-resolves | executor | wall s | solves (factors + re-solves) | load before | solve s per factor "
        "(min / mean / max) | JSON as on local |",
        "|---:|---|---:|---:|---:|---|---|",
    ]
    for run in sweeps:
        times = run["factor_solve_s"]
        spread = f"{min(times)} / {sum(times) / len(times):.1f} / {max(times)}"
        same = "-" if run["executor"] == "local" else ("identical" if run["same_figures"] else "DIFFERENT")
        lines.append(
            f"| {run['max_resolves']} | `{run['executor']}` | **{run['wall_s']}** | {run['solves']} "
            f"({run['factors']} + {run['resolves']}) | {run['load_before']} | {spread} | {same} |"
        )
    lines += [
        "",
        f"Commands: `{sweeps[-1]['command']}`, the same with `--executor local` and with the other "
        "`--max-resolves`; *JSON as on local*: the sweep's JSON without its times against the local run's.",
        "",
        f"**Overhead of the Dask path per solve**: {overhead['solves']} solves of the same sweep one "
        f"after another took {overhead['in_process_s']} s in one process and {overhead['dask_s']} s "
        f"on a one-worker LocalCluster: **{overhead['overhead_per_solve_s']} s a solve** (the scenario "
        f"sent, the checked plan of {overhead['plan_mb']} MB pickled sent back, scheduling); apart from "
        f"that, once a run: the cluster's start {overhead['cluster_start_s']} s and the roster "
        f"({overhead['roster_mb']} MB pickled) scattered in {overhead['scatter_s']} s. The same "
        f"nominations: {'yes' if overhead['same_nominations'] else 'NO'}.",
    ]
    big = result.get("big")
    if big:
        lines += [
            "",
            f"**{big['size']:,} officials**"
            + (f" (measured {big['measured']}, an earlier run of this script)" if "measured" in big else "")
            + ", one solve of each scenario variant at factor 1 (in memory: "
            f"population, solve, check, summary, as a worker does; `--time-limit {result['big_time_limit']:g}`; "
            f"roster {big['roster_mb']} MB pickled, peak {big['peak_mb']:,} MB):",
            "",
            "| scenario | task s | solve s | status | shortfalls | nominations |",
            "|---|---:|---:|---|---:|---:|",
        ]
        for solve in big["solves"]:
            lines.append(
                f"| {Path(solve['scenario']).stem} | {solve['task_s']} | {solve['solve_s']} | {solve['status']} "
                f"| {solve['shortfalls']} | {solve['nominations']:,} |"
            )
        lines += [
            "",
            f"On paper: {ESTIMATE_SOLVES} solves (11 factors × 3 variants) at {big['size']:,} officials, each "
            "on a single-threaded worker (`--workers 1`), with the mean task time above, the overhead per "
            "solve measured above, the cluster's start, and the roster sent to each worker at 1 Gbit/s:",
            "",
            "| workers | rounds | mean task s | roster transfer s | **total** |",
            "|---:|---:|---:|---:|---|",
        ]
        for row in result["estimate"]:
            lines.append(
                f"| {row['workers']} | {row['rounds']} | {row['mean_task_s']} | {row['transfer_s']} "
                f"| **{row['total_s']:,} s ({row['total_min']} min)** |"
            )
        lines += [
            "",
            "Each worker holds the roster and one solve's model: the peak above per worker process, so a "
            "machine takes as many workers as its memory holds that many times (and one per core).",
        ]
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str) -> None:
    """This benchmark's section at the end of `path`, replacing the one there; the rest kept as it is."""
    old = path.read_text() if path.exists() else ""
    if HEADING in old:
        start = old.index(HEADING)
        following = old.find("\n## ", start + len(HEADING))
        old = old[:start].rstrip("\n") + ("\n\n" + old[following + 1 :] if following >= 0 else "")
    path.write_text(old.rstrip("\n") + "\n\n" + section)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=25_000)
    parser.add_argument("--scenario", default="scenarios/plan-2023-2025.toml")
    parser.add_argument("--budget", default="0.5:1.5:0.1")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--max-resolves", type=int, nargs="+", default=[0, 40])
    parser.add_argument("--overhead-solves", type=int, default=3)
    parser.add_argument("--big-size", type=int, default=300_000)
    parser.add_argument("--big-scenarios", nargs="+", default=list(BIG_SCENARIOS))
    parser.add_argument("--big-time-limit", type=float, default=60.0)
    parser.add_argument("--no-big", action="store_true", help="skip the large province")
    parser.add_argument(
        "--reuse-big", action="store_true", help="the large province's figures from the JSON of the last run"
    )
    parser.add_argument("--cache", type=Path, default=Path("/tmp/planner-bench"))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    args = parser.parse_args(argv)
    from importlib.metadata import version

    structure, year = _structure(args.scenario)
    args.cache.mkdir(parents=True, exist_ok=True)
    roster = ensure_roster(args.cache, args.size, structure, year, False, 3600)["path"]
    result: dict[str, Any] = {
        "machine": machine(),
        "arguments": " ".join(sys.argv[1:]),
        "dask": version("distributed"),
        "size": args.size,
        "scenario": args.scenario,
        "big_time_limit": args.big_time_limit,
    }
    with tempfile.TemporaryDirectory(prefix="planner-sweep-") as folder:
        sweeps = []
        for resolves in args.max_resolves:
            local = run_sweep(roster, args, "local", resolves, Path(folder))
            on_dask = run_sweep(roster, args, "dask", resolves, Path(folder))
            on_dask["same_figures"] = local.pop("figures") == on_dask.pop("figures")
            sweeps += [local, on_dask]
            print(
                f"sweeps: {local['wall_s']} s local, {on_dask['wall_s']} s dask", file=sys.stderr, flush=True
            )
    result["sweeps"] = sweeps
    spec = {"roster": roster, "scenario": str(ROOT / args.scenario), "budget": args.budget}
    spec |= {"solves": args.overhead_solves, "time_limit": args.time_limit}
    result["overhead"] = _child("--overhead", spec, 3600)
    if "error" in result["overhead"]:
        raise SystemExit(f"overhead: {result['overhead']['error']}")
    print(f"overhead: {result['overhead']}", file=sys.stderr, flush=True)
    json_path = args.out.with_name("sweep-RESULTS.json")
    if args.reuse_big:
        result["big"] = json.loads(json_path.read_text())["big"]
        result["big"]["measured"] = json.loads(json_path.read_text())["machine"]["date"]
        result["estimate"] = estimate(result["big"], result["overhead"])
    elif not args.no_big:
        big_structure, big_year = _structure(args.big_scenarios[0])
        spec = {"size": args.big_size, "scenarios": args.big_scenarios, "time_limit": args.big_time_limit}
        spec |= {"structure": big_structure, "year": big_year}
        result["big"] = _child("--big", spec, 7200)
        if "error" in result["big"]:
            raise SystemExit(f"big: {result['big']['error']}")
        result["estimate"] = estimate(result["big"], result["overhead"])
    json_path.write_text(json.dumps(result, indent=1) + "\n")
    section = markdown(result)
    write_section(args.out, section)
    print(section)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in ("--overhead", "--big"):
        child_spec = json.loads(sys.argv[2])
        (measure_overhead if sys.argv[1] == "--overhead" else measure_big)(child_spec)
    else:
        main()
