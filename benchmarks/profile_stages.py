"""Time and profile the stages around the solver: read, facts and cohorts, check, summary, workbook.

    python benchmarks/profile_stages.py ROSTER.xlsx SCENARIO.toml [--time-limit 60] [--top 15]
        [--stats /tmp/planner-profile] [--no-profile]

Each stage runs once under cProfile (unless --no-profile) and prints its wall time, the process's
peak memory so far, and its top functions by own time and by cumulative time; the raw statistics
go to --stats/STAGE.pstats (open them with `python -m pstats`). The solve runs unprofiled (another
engineer's part) and only provides the plan the later stages need. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import pstats
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from models import STANDARD_PROGRAMS, SolverSettings
from planner.analysis.check import assert_valid
from planner.io.roster import read_roster
from planner.io.scenario import load_scenario
from planner.report.summary import plan_summary
from planner.report.workbook import write_workbook
from planner.rules.facts import roster_facts
from planner.solver.cohorts import build_population
from planner.solver.solve import solve


def stage(name: str, run: Callable[[], Any], profile: bool, folder: Path, top: int) -> Any:
    """Run one stage, print its wall time and (profiled) its top functions."""
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    value = run()
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    note = " (under cProfile)" if profile else ""
    print(f"== {name}: {seconds:.2f} s{note}, peak {peak:,.0f} MB so far", flush=True)
    if profiler:
        profiler.dump_stats(folder / f"{name}.pstats")
        for order in ("tottime", "cumulative"):
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats(order).print_stats(top)
            lines = text.getvalue().splitlines()
            start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
            print(f"-- by {order}")
            print("\n".join(lines[start:]).rstrip())
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roster", type=Path)
    parser.add_argument("scenario", type=Path)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--stats", type=Path, default=Path("/tmp/planner-profile"))
    parser.add_argument("--no-profile", action="store_true", help="wall times only")
    parser.add_argument("--stages", default="read,facts,population,solve,check,summary,workbook")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    args.stats.mkdir(parents=True, exist_ok=True)
    wanted = set(args.stages.split(","))
    profile = not args.no_profile

    def timed(name: str, run: Callable[[], Any]) -> Any:
        on = profile and name in wanted and name != "solve"
        return stage(name, run, on, args.stats, args.top)

    scenario = load_scenario(args.scenario)
    known = sorted(set(STANDARD_PROGRAMS) | {p.code for p in scenario.programs})
    roster = timed("read", lambda: read_roster(args.roster, known_programs=known))
    if wanted & {"facts"}:
        timed("facts", lambda: roster_facts(roster, scenario))
    population = timed("population", lambda: build_population(roster, scenario))
    if not wanted & {"solve", "check", "summary", "workbook"}:
        return
    settings = SolverSettings(time_limit=args.time_limit, workers=1, seed=0)
    result = timed("solve", lambda: solve(roster, scenario, settings, population=population))
    if "check" in wanted:
        timed("check", lambda: assert_valid(roster, scenario, result.nominations, result.classes))
    if "summary" in wanted:
        timed("summary", lambda: plan_summary(population, result))
    if "workbook" in wanted:
        with tempfile.TemporaryDirectory() as folder:
            timed(
                "workbook",
                lambda: write_workbook(
                    Path(folder) / "plan.xlsx",
                    roster,
                    scenario,
                    result,
                    population,
                    inputs={"roster": args.roster, "scenario": args.scenario},
                    options={**settings.model_dump(), "method": "cpsat", "lang": "vi"},
                    lang="vi",
                ),
            )


if __name__ == "__main__":
    main()
