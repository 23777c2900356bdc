"""The solver's status in words, for the console and the workbook: a proven optimum says so, any
other plan says how far it may be from the best possible (never "FEASIBLE, gap 0.00 %")."""

from __future__ import annotations

from collections.abc import Sequence

from models import LevelResult, Result
from planner.io.text import format_percent
from planner.report.words import WORDS as LABELS

WORDS: dict[str, tuple[str, str]] = {
    "st_optimal": ("Phương án tối ưu đã được chứng minh", "Optimal plan, proven"),
    "st_feasible": ("Phương án tốt, cách cận tốt nhất {gap}", "Good plan, within {gap} of the best bound"),
    "st_greedy": ("Phương án tham lam (không qua tối ưu hóa)", "Greedy plan (not optimized)"),
    "st_fallback": (
        "Phương án dự phòng (tham lam) do hết thời gian",
        "Fallback (greedy) plan: the solver ran out of time",
    ),
    "st_empty": ("Không có phương án: không ai đủ điều kiện", "No plan: nobody is eligible"),
    "st_cut": (
        "Phương án lúc dừng: chưa giải mức {levels}; cách cận tốt nhất {gap} ở các mức đã giải",
        "The plan at the stop: not solved {levels}; within {gap} of the best bound on the levels solved",
    ),
    "lv_optimal": ("tối ưu (đã chứng minh)", "optimal (proven)"),
    "lv_feasible": ("khả thi, cách cận tốt nhất {gap}", "feasible, within {gap} of the best bound"),
    "lv_other": ("không tìm được lời giải ({s})", "no solution ({s})"),
}


def _word(key: str, lang: str, **values: str) -> str:
    vi, en = WORDS[key]
    return (en if lang == "en" else vi).format(**values)


def gap_words(gap: float, lang: str) -> str:
    """A gap as a percentage, with two decimals below 0.1 %, and never as 0 % when it is not."""
    if 0 < gap < 0.0001:
        return ("under " if lang == "en" else "dưới ") + format_percent(0.0001, lang, 2)
    return format_percent(gap, lang, 2 if 0 < gap < 0.001 else 1)


def level_name(code: str, lang: str) -> str:
    """An objective level's name as the workbook's level table gives it ("Lowest cost" for
    `cost`); the code itself for a level without one."""
    vi, en = LABELS.get(f"lv_{code}", (code, code))
    return en if lang == "en" else vi


def not_solved(lang: str) -> str:
    """What a level a stop came before is, in words."""
    vi, en = LABELS["lv_not_solved"]
    return en if lang == "en" else vi


def plan_status(result: Result, lang: str) -> str:
    """What kind of plan this is, in words."""
    return status_words(result.status, result.method, result.gap, lang, result.unsolved_levels)


def status_words(status: str, method: str, gap: float, lang: str, unsolved: Sequence[str] = ()) -> str:
    """A plan's status, method and largest gap in words (also for a comparison's figures); `unsolved`:
    the objective levels a stop came before."""
    if status == "OPTIMAL":
        return _word("st_optimal", lang)
    if status == "FEASIBLE" and method == "greedy":
        return _word("st_greedy", lang)
    if status == "FEASIBLE" and unsolved:
        names = ", ".join(f"“{level_name(code, lang)}”" for code in unsolved)
        return _word("st_cut", lang, levels=names, gap=gap_words(gap, lang))
    if status == "FEASIBLE":
        return _word("st_feasible", lang, gap=gap_words(gap, lang))
    return _word("st_fallback" if status == "FALLBACK" else "st_empty", lang)


def level_status(level: LevelResult, lang: str) -> str:
    """One objective level's outcome in words."""
    if level.status == "OPTIMAL":
        return _word("lv_optimal", lang)
    if level.status == "FEASIBLE":
        return _word("lv_feasible", lang, gap=gap_words(level.gap, lang))
    return _word("lv_other", lang, s=level.status)
