"""Chart geometry for the plan page: figures in, SVG coordinates and paths out.

The templates only draw what these functions place (`templates/_charts.html`), as the compare
page's scatter does: a line of a target's coverage by year against its required level with the
deadline marked, and bars of cost by year against the budget. Pure functions, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Point = tuple[float, float]


@dataclass(frozen=True)
class Frame:
    """An SVG canvas of `width` x `height` and the plot area inside its margins."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @property
    def x0(self) -> float:
        """The plot area's left edge."""
        return self.left

    @property
    def x1(self) -> float:
        """The plot area's right edge."""
        return self.width - self.right

    @property
    def baseline(self) -> float:
        """The y of the value 0 (the plot area's bottom edge)."""
        return self.height - self.bottom


#: A target's small chart (three a row on a 1366-pixel screen) and the cost chart.
COVERAGE_FRAME = Frame(width=360, height=190, left=46, right=14, top=14, bottom=30)
COST_FRAME = Frame(width=520, height=240, left=46, right=16, top=16, bottom=30)


def nice_step(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value` (1 for nothing above 0)."""
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value * (1 - 1e-9))


@dataclass(frozen=True)
class Axis:
    """A value axis from 0 to `top` marked every `step` (both round numbers)."""

    top: float
    step: float

    @classmethod
    def over(cls, high: float, marks: int) -> Axis:
        """The axis of about `marks` steps whose top is the first mark at or above `high`."""
        step = nice_step(high / marks)
        return cls(top=step * max(1, math.ceil(high / step - 1e-9)), step=step)

    def marks(self) -> list[float]:
        """The marked values, 0 first."""
        return [self.step * i for i in range(round(self.top / self.step) + 1)]

    def decimals(self, scale: float = 1.0) -> int:
        """Decimals that write every mark divided by `scale` exactly (at most 3)."""
        step = self.step / scale
        return next((d for d in range(3) if abs(round(step, d) - step) < 1e-9 * max(step, 1)), 3)


def y_of(value: float, axis: Axis, frame: Frame) -> float:
    """The y of `value` on an axis from 0 at the baseline to its top at the plot area's top edge."""
    return round(frame.baseline - value / axis.top * (frame.baseline - frame.top), 1)


def slot_centres(count: int, frame: Frame) -> list[float]:
    """The x of the middles of `count` equal slots across the plot area (one a year)."""
    width = (frame.x1 - frame.x0) / max(count, 1)
    return [round(frame.x0 + width * (i + 0.5), 1) for i in range(count)]


def line_path(points: Sequence[Point | None]) -> str:
    """An SVG path through the points in order; a None breaks the line (a missing year leaves a gap)."""
    parts, drawing = [], False
    for point in points:
        if point is None:
            drawing = False
            continue
        parts.append(f"{'L' if drawing else 'M'}{point[0]:g},{point[1]:g}")
        drawing = True
    return " ".join(parts)


def ticks(axis: Axis, frame: Frame) -> list[dict[str, float]]:
    """The axis's marks: value and y."""
    return [{"value": value, "y": y_of(value, axis, frame)} for value in axis.marks()]


def coverage_chart(
    years: Sequence[int],
    covered: Sequence[float | None],
    required: float,
    deadline: int,
    frame: Frame = COVERAGE_FRAME,
) -> dict[str, Any]:
    """A target's coverage by year as a line (None: no figure that year, a gap), its required level as
    a horizontal line and the deadline year's x (None when the deadline is outside the years); each
    point says whether it meets the requirement and whether the deadline has come."""
    axis = Axis.over(max([required, *(c for c in covered if c is not None)]), marks=3)
    xs = slot_centres(len(years), frame)
    placed = [None if c is None else (x, y_of(c, axis, frame)) for x, c in zip(xs, covered, strict=True)]
    points = [
        {"x": p[0], "y": p[1], "year": year, "value": c, "met": c >= required, "due": year >= deadline}
        for year, c, p in zip(years, covered, placed, strict=True)
        if p is not None and c is not None
    ]
    return {
        "frame": frame,
        "path": line_path(placed),
        "points": points,
        "required_y": y_of(required, axis, frame),
        "deadline_x": next((x for x, year in zip(xs, years, strict=True) if year == deadline), None),
        "years": [{"x": x, "year": year} for x, year in zip(xs, years, strict=True)],
        "ticks": ticks(axis, frame),
    }


def cost_chart(
    years: Sequence[int], costs: Sequence[float], budgets: Sequence[float | None], frame: Frame = COST_FRAME
) -> dict[str, Any]:
    """Bars of cost by year, each with its year's budget as a horizontal line across the bar's slot
    (none where the year has no budget); a bar over its budget is marked. Marks are written in
    billions of VND from a billion up (`scale`), else in millions, with `decimals`."""
    axis = Axis.over(max([1.0, *costs, *(b for b in budgets if b is not None)]), marks=4)
    scale = 1e9 if axis.top >= 1e9 else 1e6
    slot = (frame.x1 - frame.x0) / max(len(years), 1)
    bars = []
    for x, year, cost, budget in zip(slot_centres(len(years), frame), years, costs, budgets, strict=True):
        y = y_of(cost, axis, frame)
        bars.append(
            {
                "year": year,
                "cost": cost,
                "budget": budget,
                "x": round(x - slot * 0.28, 1),
                "centre": x,
                "width": round(slot * 0.56, 1),
                "y": y,
                "height": round(frame.baseline - y, 1),
                "over": budget is not None and cost > budget,
                "budget_line": None
                if budget is None
                else {
                    "x1": round(x - slot * 0.42, 1),
                    "x2": round(x + slot * 0.42, 1),
                    "y": y_of(budget, axis, frame),
                },
            }
        )
    return {
        "frame": frame,
        "bars": bars,
        "ticks": ticks(axis, frame),
        "scale": scale,
        "decimals": axis.decimals(scale),
    }
