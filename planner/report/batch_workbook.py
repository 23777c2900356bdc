"""The batch's consolidated workbook: every province's plans side by side, their shortfalls, what failed.

Laid out from `planner.analysis.batch.consolidate` only; words in both languages kept in WORDS.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from models import in_lang
from planner.report.words import about_value, about_word
from planner.report.workbook import BODY_POINTS, FONT, row_height, set_page, times_by_default

WORDS: dict[str, tuple[str, str]] = {
    "overview": ("Tổng hợp", "Overview"),
    "targets": ("Mục tiêu", "Targets"),
    "shortfalls": ("Chưa đạt", "Shortfalls"),
    "failures": ("Lỗi", "Failures"),
    "about": ("Thông tin", "About"),
    "title": ("TỔNG HỢP KẾ HOẠCH CÁC TỈNH, ĐƠN VỊ", "PLANS OF EVERY PROVINCE AND UNIT"),
    "province": ("Tỉnh / đơn vị", "Province / unit"),
    "scenario": ("Kịch bản", "Scenario"),
    "attainment": ("Đạt TB", "Avg. attainment"),
    "targets_met": ("Chỉ tiêu đạt", "Targets met"),
    "shortfall_count": ("Chưa đạt", "Shortfalls"),
    "cost": ("Kinh phí (đồng)", "Cost (VND)"),
    "budget": ("Dự toán (đồng)", "Budget (VND)"),
    "after": ("Kinh phí sau giai đoạn (đồng)", "Cost after the period (VND)"),
    "nominations": ("Lượt cử", "Nominations"),
    "state": ("Tình trạng", "State"),
    "solved": ("đã giải", "solved"),
    "failed": ("lỗi", "failed"),
    "target": ("Mục tiêu", "Target"),
    "required": ("Cần đạt", "Required"),
    "covered": ("Đạt đến hạn", "Covered at deadline"),
    "code": ("Mã", "Code"),
    "year": ("Năm", "Year"),
    "achieved": ("Đạt", "Achieved"),
    "missing": ("Thiếu", "Missing"),
    "reason": ("Lý do", "Reason"),
    "error": ("Lỗi", "Error"),
    "roster": ("Tệp danh sách", "Roster file"),
    "item": ("Mục", "Item"),
    "value": ("Giá trị", "Value"),
    "interrupted": ("Bị dừng (Ctrl-C)", "Interrupted (Ctrl-C)"),
    "run_at": ("Thời điểm chạy", "Run at"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "page": ("Trang &P/&N", "Page &P of &N"),
}
_BOLD = Font(name=FONT, size=BODY_POINTS, bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="top")


class _Book:
    def __init__(self, lang: str):
        self.lang = lang
        self.workbook = Workbook()
        self.workbook.remove(self.workbook.worksheets[0])  # the default sheet
        times_by_default(self.workbook)  # the plan workbook's font, in which the widths are measured
        self.widths: dict[str, list[int]] = {}

    def t(self, key: str) -> str:
        vi, en = WORDS[key]
        return en if self.lang == "en" else vi

    def sheet(self, key: str, heads: list[str], widths: list[int], scaled: bool = True) -> Worksheet:
        """A sheet with its head row; printed at the scale its `widths` fit the page (the text at 9 pt
        or more), or, not `scaled` (a row per province, as wide as the scenarios make it), fitted to
        the page's width."""
        ws = self.workbook.create_sheet(self.t(key))
        self.widths[ws.title] = widths
        ws.append(heads)
        for column, width in enumerate(widths, start=1):
            cell = ws.cell(row=1, column=column)
            cell.font, cell.fill, cell.alignment = _BOLD, _HEAD_FILL, _WRAP
            ws.column_dimensions[get_column_letter(column)].width = width
        ws.row_dimensions[1].height = row_height(heads, widths, bold=True)  # wrapped heads shown whole
        ws.freeze_panes = "B2"
        set_page(ws, key != "about", self.t("page"), widths if scaled else None)
        ws.print_title_rows = "1:1"  # the head row on every page
        return ws

    def append(self, ws: Worksheet, values: list[Any]) -> None:
        """A row, as high as its wrapped texts (a generated file's rows do not grow by themselves:
        long reasons printed over the rows below)."""
        ws.append(values)
        ws.row_dimensions[ws.max_row].height = row_height(values, self.widths[ws.title])


def write_batch_workbook(
    path: str | os.PathLike[str],
    batch: Mapping[str, Any],
    options: Mapping[str, Any] | None = None,
    lang: str = "vi",
) -> None:
    """Write the consolidated workbook of `planner.analysis.batch.consolidate`'s figures to `path`.

    Sheets: one row per province with each scenario's coverage, targets met, shortfalls, cost
    and budget side by side; every target of every plan; every shortfall with its reason; the
    provinces and plans that failed, with why; the run's options.
    """
    book = _Book(lang)
    en = lang == "en"
    scenarios = list(batch["scenarios"])
    per_scenario = ["attainment", "targets_met", "shortfall_count", "cost", "budget", "after"]
    heads = [book.t("province")] + [f"{label}: {book.t(key)}" for label in scenarios for key in per_scenario]
    overview = book.sheet("overview", heads, [28] + [16] * (len(heads) - 1), scaled=False)
    targets = book.sheet(
        "targets",
        [book.t(k) for k in ("province", "scenario", "target", "required", "covered", "attainment")],
        [28, 24, 26, 12, 14, 12],
    )
    shortfalls = book.sheet(
        "shortfalls",
        [
            book.t(k)
            for k in ("province", "scenario", "code", "year", "required", "achieved", "missing", "reason")
        ],
        [20, 22, 26, 6, 9, 8, 8, 58],
    )
    failures = book.sheet(
        "failures", [book.t(k) for k in ("province", "scenario", "roster", "error")], [20, 22, 30, 80]
    )
    for province in batch["provinces"]:
        name = province["name"]
        row: list[Any] = [name]
        plans = {plan["scenario"]: plan for plan in province["plans"]}
        for label in scenarios:
            plan = plans.get(label)
            if plan is None or plan["state"] != "solved":
                row += [None] * len(per_scenario)
                continue
            met = f"{plan['targets_met']}/{len(plan['targets'])}"
            row += [
                plan["average_attainment"],
                met,
                len(plan["shortfalls"]),
                plan["total_cost"],
                plan["total_budget"],
                plan.get("cost_after_plan"),
            ]
            for code, target in plan["targets"].items():
                book.append(
                    targets,
                    [
                        name,
                        label,
                        code,
                        target["required"],
                        target["covered_at_deadline"],
                        target["attainment"],
                    ],
                )
            for s in plan["shortfalls"]:
                reason = in_lang(s.get("reason", {}), "en" if en else "vi")
                book.append(
                    shortfalls,
                    [name, label, s["code"], s["year"], s["required"], s["achieved"], s["missing"], reason],
                )
        book.append(overview, row)
        if "error" in province:
            book.append(failures, [name, "", province["roster"], province["error_en" if en else "error"]])
        for plan in province["plans"]:
            if plan["state"] == "failed" and "error" not in province:
                book.append(
                    failures,
                    [name, plan["scenario"], province["roster"], plan["error_en" if en else "error"]],
                )
    _formats(overview, targets, shortfalls, failures, len(per_scenario))
    about = book.sheet("about", [book.t("item"), book.t("value")], [40, 60])
    book.append(about, [book.t("interrupted"), book.t("yes" if batch["interrupted"] else "no")])
    book.append(about, [book.t("run_at"), time.strftime("%Y-%m-%d %H:%M:%S")])
    for key, value in (options or {}).items():
        shown = about_value(value, lang)
        book.append(
            about, [about_word(key, lang), shown if isinstance(shown, int | float | str) else str(shown)]
        )
    book.workbook.save(path)


def _formats(
    overview: Worksheet, targets: Worksheet, shortfalls: Worksheet, failures: Worksheet, width: int
) -> None:
    """Percentages, thousands and wrapped texts."""
    for row in overview.iter_rows(min_row=2):
        for offset, cell in enumerate(row[1:]):
            kind = offset % width
            cell.number_format = "0.0%" if kind == 0 else "#,##0" if kind >= 3 else "General"
    for row in targets.iter_rows(min_row=2):
        row[5].number_format = "0.0%"
    for sheet in (targets, shortfalls, failures):  # wrapped as their rows' heights count on
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = _WRAP
