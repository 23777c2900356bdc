"""Write the synthetic rosters of the benchmark suite (two-level structure, plan year 2026).

Usage: python benchmarks/make_rosters.py OUT_DIR [--sizes 5000 25000 ...]
Each roster is `generate_roster(size, seed=size, structure="2025", reference_year=2026)`, written
with the product's own roster writer as OUT_DIR/roster-<size>.xlsx.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.export import write_roster
from planner.sample import generate_roster

SIZES = (5_000, 25_000, 80_000, 150_000)
STRUCTURE, REFERENCE_YEAR = "2025", 2026


def main(argv: list[str] | None = None) -> None:
    """Generate and write one roster per size, printing the time each step took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder to write roster-<size>.xlsx into")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="roster sizes")
    args = parser.parse_args(argv)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    print(f"{'size':>8} {'generate s':>11} {'write s':>8}  file")
    for size in args.sizes:
        start = time.perf_counter()
        roster = generate_roster(size, seed=size, structure=STRUCTURE, reference_year=REFERENCE_YEAR)
        generated = time.perf_counter()
        path = args.out_dir / f"roster-{size}.xlsx"
        write_roster(roster, path)
        written = time.perf_counter()
        print(f"{size:>8} {generated - start:>11.2f} {written - generated:>8.2f}  {path}")


if __name__ == "__main__":
    main()
