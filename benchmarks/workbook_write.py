"""Time the workbook (and its reasons) for a province-sized plan.

    python benchmarks/workbook_write.py [size] [scenario] [time_limit]

Generates a synthetic province (planner.sample), solves the scenario, then times
`nomination_reasons`, `non_nomination_reasons` and `write_workbook` separately.
Not part of the test suite.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from pathlib import Path

from models import SolverSettings
from planner.analysis.reasons import nomination_reasons, non_nomination_reasons
from planner.io.scenario import load_scenario
from planner.report.workbook import write_workbook
from planner.sample import generate_roster
from planner.solver.cohorts import build_population
from planner.solver.solve import solve

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 150_000
    scenario_path = (
        Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "scenarios" / "orientation-2026-2030.toml"
    )
    time_limit = float(sys.argv[3]) if len(sys.argv) > 3 else 60.0
    logging.basicConfig(level=logging.WARNING)

    started = time.perf_counter()
    roster = generate_roster(size, seed=1, structure="2025", reference_year=2026)
    scenario = load_scenario(scenario_path)
    print(f"roster of {len(roster.officials):,}: {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    result = solve(roster, scenario, SolverSettings(time_limit=time_limit, workers=2))
    print(
        f"solve: {result.status}, {len(result.nominations):,} nominations, {len(result.classes)} classes, "
        f"{time.perf_counter() - started:.1f} s"
    )

    started = time.perf_counter()
    population = build_population(roster, scenario)
    print(f"population: {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    reasons = nomination_reasons(population, result)
    print(f"nomination_reasons: {len(reasons):,} in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    missing = non_nomination_reasons(population, result)
    print(f"non_nomination_reasons: {len(missing):,} in {time.perf_counter() - started:.1f} s")

    with tempfile.TemporaryDirectory() as folder:
        for lang in ("vi", "en"):
            path = Path(folder) / f"plan-{lang}.xlsx"
            started = time.perf_counter()
            write_workbook(
                path,
                roster,
                scenario,
                result,
                population,
                inputs={"scenario": str(scenario_path)},
                options={"time_limit": time_limit},
                lang=lang,
            )
            elapsed = time.perf_counter() - started
            print(f"write_workbook ({lang}): {elapsed:.1f} s, {path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
