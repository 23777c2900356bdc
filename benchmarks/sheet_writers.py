"""Time three ways of writing the rows of a large sheet (issue 20, item 3): the planner's raw-XML
rows spliced into a saved openpyxl file (`planner.report.sheet_xml`), openpyxl's write-only mode,
and xlsxwriter's constant-memory mode (skipped when xlsxwriter is not installed; it is not a
dependency of the planner).

    python benchmarks/sheet_writers.py [rows] [repeats]

Each writer writes the same rows (ten cells as the Reasons sheet holds: ids, names, program
codes, years, a long reason text; a row height each) into one sheet of a new workbook, in a
fresh process per writer and repeat; the best time and the peak memory of each are printed.
Not part of the test suite.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REASON = "Đủ điều kiện: cán bộ cấp tỉnh, dưới 45 tuổi, xếp loại hoàn thành tốt nhiệm vụ hai năm liền; "


def rows(count: int) -> list[list[object]]:
    """The benchmark's rows: ten cells of text and numbers, like a Reasons sheet's."""
    return [
        [
            f"CB{i:06d}",
            f"Nguyễn Văn {i}",
            "MASTER",
            2026 + i % 5,
            "Không cử",
            i % 40,
            "Sở Nội vụ",
            0.5,
            "",
            REASON * (1 + i % 3),
        ]
        for i in range(count)
    ]


def write_splice(path: Path, data: list[list[object]]) -> None:
    from openpyxl import Workbook

    from planner.report.sheet_xml import BulkRows, row_xml, splice

    book = Workbook()
    book.active.title = "Lý do"
    book.save(path)
    lines = BulkRows()
    for i, row in enumerate(data):
        lines.append(row_xml(i + 1, [(value, 0) for value in row], 30.0))
    splice(str(path), {"Lý do": lines})
    lines.close()


def write_openpyxl(path: Path, data: list[list[object]]) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Lý do")
    for index, row in enumerate(data, start=1):
        sheet.row_dimensions[index].height = 30.0
        sheet.append(row)
    book.save(path)


def write_xlsxwriter(path: Path, data: list[list[object]]) -> None:
    import xlsxwriter  # type: ignore[import-not-found]

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Lý do")
    for index, row in enumerate(data):
        sheet.set_row(index, 30.0)
        sheet.write_row(index, 0, row)
    book.close()


WRITERS = {
    "splice": write_splice,
    "openpyxl-write-only": write_openpyxl,
    "xlsxwriter-constant-memory": write_xlsxwriter,
}


def _one(writer: str, count: int) -> None:
    data = rows(count)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.xlsx"
        started = time.perf_counter()
        WRITERS[writer](path, data)
        elapsed = time.perf_counter() - started
        size = path.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{elapsed:.2f} {peak:.0f} {size}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        _one(sys.argv[2], int(sys.argv[3]))
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    print(f"{count:,} rows of 10 cells, best of {repeats}, a fresh process each")
    print("| writer | seconds | peak MB (process) | file MB |\n|---|---:|---:|---:|")
    for writer in WRITERS:
        runs = []
        for _ in range(repeats):
            done = subprocess.run(
                [sys.executable, __file__, "--one", writer, str(count)], capture_output=True, text=True
            )
            if done.returncode:
                print(f"| {writer} | not run: {done.stderr.strip().splitlines()[-1]} | | |")
                break
            runs.append([float(x) for x in done.stdout.split()])
        if runs:
            best = min(runs)
            print(f"| {writer} | {best[0]:.2f} | {best[1]:,.0f} | {best[2] / 1e6:.1f} |")


if __name__ == "__main__":
    main()
