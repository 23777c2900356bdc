"""The rules' profiles of a whole roster at once, worked out on columns.

`eligibility.rule_profile` reduces an official to what the rules look at, so that the rules run
once per profile. Working it out one official at a time cost most of the facts' time at
150,000 officials (benchmarks/RESULTS.md); here the dates become day numbers in arrays, the
comparisons with the scenario's thresholds are made on them, and the functions of dates
(retirement day, anniversaries of hiring) run once per distinct date. The tuples are the ones
`rule_profile` gives, element for element (tests/rules/test_profiles.py holds them equal).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import numpy as np

from models import Gender, Official
from planner.rules.eligibility import Context, _anniversaries, _static_profile, retirement_date


def rule_profiles(officials: Sequence[Official], ctx: Context) -> list[tuple]:
    """`eligibility.rule_profile` of each official, in their order."""
    statics = [_static_profile(o, ctx) for o in officials]
    return list(zip(statics, yearly_profiles(officials, ctx), strict=True))


def yearly_profiles(officials: Sequence[Official], ctx: Context) -> list[tuple]:
    """`eligibility._yearly_profile` of each official, in their order."""
    if not officials:
        return []
    start, end = ctx.scenario.start_year, ctx.scenario.end_year
    history = [ctx.history.get(o.id, ()) for o in officials]
    return list(
        zip(
            [o.category for o in officials],
            [o.education for o in officials],
            [None if o.title_year is None else min(max(o.title_year, start), end + 2) for o in officials],
            [tuple((r.program, max(r.year, start - 6)) for r in records) for records in history],
            _ages(officials, ctx),
            *_retirement_columns(officials, ctx),
            _service(officials, ctx),
            strict=True,
        )
    )


def _column(officials: Sequence[Official], value: Callable[[Official], int]) -> np.ndarray:
    return np.fromiter(map(value, officials), dtype=np.int64, count=len(officials))


def _ages(officials: Sequence[Official], ctx: Context) -> list[int]:
    """Age on the first reference day (`eligibility.age_on`), held within one plan's span of the
    age limits."""
    ages = ctx.thresholds[0]
    first = ctx.reference_days[0]
    year = _column(officials, lambda o: o.birth_date.year)
    month_day = _column(officials, lambda o: o.birth_date.month * 100 + o.birth_date.day)
    age = first.year - year - (first.month * 100 + first.day < month_day)
    if ages:
        age = np.clip(age, ages[0] - len(ctx.reference_days), ages[-1] + 1)
    return age.tolist()


def _retirement_columns(
    officials: Sequence[Official], ctx: Context
) -> tuple[list[int], list[tuple[int, ...]]]:
    """The number of plan years whose reference day comes before retirement (`in_service`), and
    per working-years-left threshold the number of plan years from whose reference day it ends
    no later than retirement (`left`)."""
    birth = _column(officials, lambda o: o.birth_date.toordinal() * 2 + (o.gender is Gender.MALE))
    _, first_of, back = np.unique(birth, return_index=True, return_inverse=True)
    retire = np.array([retirement_date(officials[i], ctx.scenario).toordinal() for i in first_of])
    retire = retire[back.reshape(-1)]
    in_service = np.searchsorted(np.array(ctx.day_offsets), retire - ctx.reference_days[0].toordinal())
    deadlines = np.array([[d.toordinal() for d in days] for days in ctx.left_deadlines], dtype=np.int64)
    deadlines = deadlines.reshape(len(ctx.left_deadlines), len(ctx.reference_days))
    left = (deadlines[None, :, :] <= retire[:, None, None]).sum(axis=2)
    return in_service.tolist(), [tuple(row) for row in left.tolist()]


def _service(officials: Sequence[Official], ctx: Context) -> list[tuple[int, ...] | None]:
    """Per service-years threshold, the number of plan years before it is reached (None: the
    hiring day is unknown)."""
    needs = ctx.thresholds[2]
    hired = [(i, o.hired_date.toordinal()) for i, o in enumerate(officials) if o.hired_date is not None]
    found: list[tuple[int, ...] | None] = [None] * len(officials)
    if not hired:
        return found
    distinct, back = np.unique([day for _, day in hired], return_inverse=True)
    anniversaries = np.array(
        [[a.toordinal() for a in _anniversaries(date.fromordinal(d), needs)] for d in distinct.tolist()],
        dtype=int,
    ).reshape(len(distinct), len(needs))
    days = np.array([d.toordinal() for d in ctx.reference_days])
    counts = (anniversaries[:, :, None] > days[None, None, :]).sum(axis=2)[back.reshape(-1)]
    for (i, _), row in zip(hired, counts.tolist(), strict=True):
        found[i] = tuple(row)
    return found
