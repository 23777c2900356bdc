"""Web pages of a large finished plan (issue 18): how long each page takes at 150,000 officials.

    python benchmarks/web_pages.py [--size 150000] [--scenario scenarios/plan-2023-2025.toml]
        [--time-limit 60] [--workers 1] [--runs 3] [--cache /tmp/planner-bench] [--rebuild]

1. The roster of `--size` officials as `benchmarks/run.py` generates and caches it.
2. A SQLite database in the cache folder (`web-<size>-<scenario>.db`) holding that roster imported
   and one finished plan of it, made through the application's API (import and plan job timed);
   reused on the next run unless `--rebuild`.
3. Each page asked `--runs` times with FastAPI's TestClient on that database, after a first answer
   timed apart (the plan's facts are read into memory by the first page that needs them): the
   plan page, the class and slot lists (sorted by year, program, class and name; page 50 of all,
   the last page of the largest program and year, a name filter), the per-unit view (all, and
   filtered), a person searched by name, one official explained, the nominations CSV.

Prints a markdown table for `benchmarks/RESULTS.md` with the machine's load. Timings depend on the
machine and its load; not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, SCENARIOS, ensure_roster, machine

HTMX = {"HX-Request": "true"}
#: (label, path under /plans/{id}, request headers); `{program}`, `{year}`, `{name}`, `{official}`,
#: `{unit}` are filled from the plan. The lists are sorted by year, program, class and name.
PAGES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("plan page", "", {}),
    ("lists: all, sorted, page 50 (HTMX)", "/lists?page=50", HTMX),
    ("lists: all, sorted, page 50 (whole page)", "/lists?page=50", {}),
    ("lists: program + year, last page (HTMX)", "/lists?program={program}&year={year}&page=9999", HTMX),
    ("lists: name filter (HTMX)", "/lists?q={name}", HTMX),
    ("per-unit view", "/units", {}),
    ("per-unit view: unit filter, one program", "/units?q={unit}&program={program}", {}),
    ("person search by name", "/people?q={name}", {}),
    ("explain one official", "/people?official_id={official}", {}),
    ("nominations CSV", "/nominations.csv", {}),
)


def build(client: Any, roster: Path, scenario: str, time_limit: float, workers: int) -> dict[str, float]:
    """Import the roster and solve one plan of it through the API; the seconds of each."""
    started = time.perf_counter()
    with roster.open("rb") as handle:
        imported = client.post("/api/rosters", files={"file": (roster.name, handle)})
    imported.raise_for_status()
    import_s = time.perf_counter() - started
    scenario_id = next(
        s["id"] for s in client.get("/api/scenarios").json() if s["filename"] == Path(scenario).name
    )
    body = {"roster_id": imported.json()["id"], "scenario_id": scenario_id, "time_limit": time_limit}
    started = time.perf_counter()
    plan_id = client.post("/api/plans", json=body | {"workers": workers}).json()["id"]
    while (state := client.get(f"/api/plans/{plan_id}").json())["status"] in ("queued", "running"):
        time.sleep(1)
    if state["status"] != "done":
        raise SystemExit(f"the plan did not finish: {state['status']} {state.get('error')}")
    return {"import_s": import_s, "plan_s": time.perf_counter() - started}


def finished_plan(client: Any) -> dict[str, Any]:
    """The newest finished plan and what the pages are asked about: its largest program and year,
    a nominated official and a word of their name."""
    from sqlalchemy import func, select

    from planner.web.db import PlanNomination, PlanRecord

    with client.app.state.sessions() as session:
        plan_id = session.scalar(select(func.max(PlanRecord.id)).where(PlanRecord.status == "done"))
        if plan_id is None:
            return {}
        program, year, _ = session.execute(
            select(PlanNomination.program, PlanNomination.year, func.count().label("n"))
            .where(PlanNomination.plan_id == plan_id)
            .group_by(PlanNomination.program, PlanNomination.year)
            .order_by(func.count().desc())
            .limit(1)
        ).one()
        someone = session.scalars(
            select(PlanNomination)
            .where(PlanNomination.plan_id == plan_id)
            .order_by(PlanNomination.official_id)
            .limit(1)
        ).one()
        people = session.scalar(select(func.count()).where(PlanNomination.plan_id == plan_id))
    # the family and given name: many people share one of them, few share both
    words = someone.name.split()
    return {
        "unit": someone.unit.split()[-1],
        "id": plan_id,
        "program": program,
        "year": year,
        "official": someone.official_id,
        "name": f"{words[0]} {words[-1]}",
        "nominations": people,
    }


def timed(ask: Callable[[], Any], runs: int) -> dict[str, float]:
    """Seconds of the first answer and the median of `runs` more."""
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        response = ask()
        times.append(time.perf_counter() - started)
        response.raise_for_status()
    return {"first_s": times[0], "median_s": statistics.median(times[1:]), "bytes": len(response.content)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=150_000)
    parser.add_argument("--scenario", default="scenarios/plan-2023-2025.toml")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/planner-bench"))
    parser.add_argument("--rebuild", action="store_true", help="import and solve again")
    args = parser.parse_args()

    from fastapi.testclient import TestClient

    from planner.web.app import create_app

    args.cache.mkdir(parents=True, exist_ok=True)
    structure, year = SCENARIOS.get(args.scenario, ("2025", 2026))
    roster = Path(ensure_roster(args.cache, args.size, structure, year, False, 3600)["path"])
    database = args.cache / f"web-{args.size}-{Path(args.scenario).stem}.db"
    if args.rebuild:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    about = machine()
    built: dict[str, float] = {}
    with TestClient(create_app(f"sqlite:///{database}", max_jobs=1)) as client:
        plan = finished_plan(client)
        if not plan:
            built = build(client, roster, args.scenario, args.time_limit, args.workers)
            plan = finished_plan(client)
        rows = []
        for label, path, headers in PAGES:
            url = f"/plans/{plan['id']}" + path.format(**plan)
            measured = timed(partial(client.get, url, headers=headers), args.runs)
            rows.append({"page": label, "url": url, **measured})
            print(
                f"{label}: first {measured['first_s']:.3f} s, median {measured['median_s']:.3f} s",
                file=sys.stderr,
            )
    report(about, args, plan, built, rows, database)


def report(
    about: dict[str, Any],
    args: argparse.Namespace,
    plan: dict[str, Any],
    built: dict[str, float],
    rows: list,
    database: Path,
) -> None:
    """The figures as a markdown section for RESULTS.md, on stdout."""
    load = " / ".join(f"{x:.2f}" for x in about["load_at_start"])
    end = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"`python benchmarks/web_pages.py --size {args.size} --scenario {args.scenario} --runs {args.runs}`"
    )
    print(
        f"({about['date']}, commit {about['commit']}, {about['nproc']} cores {about['cpu']}, Python "
        f"{about['python']}; load average 1/5/15 min {load} at the start, {end} at the end; SQLite "
        f"{database.name}, {database.stat().st_size / 1e6:,.0f} MB; plan #{plan['id']}: "
        f"{plan['nominations']:,} nominations; list filter {plan['program']} {plan['year']}, name "
        f"«{plan['name']}», explained {plan['official']})"
    )
    if built:
        print(
            f"\nImport of the roster {built['import_s']:.1f} s; plan job (queued to done) {built['plan_s']:.1f} s."
        )
    print(f"\n| page | first answer, s | median of {args.runs}, s | bytes |\n|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r['page']} | {r['first_s']:.3f} | {r['median_s']:.3f} | {r['bytes']:,} |")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
