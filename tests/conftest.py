"""Shared fixtures: generated provinces, made once per test session."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest

from models import Roster
from planner.sample import generate_roster


@cache
def _province(size: int, seed: int, structure: str, reference_year: int) -> Roster:
    return generate_roster(size, seed=seed, structure=structure, reference_year=reference_year)


@pytest.fixture(scope="session")
def province() -> Callable[..., Roster]:
    """A generated province by size and seed, two-level (2025) unless told; the same object for the
    same arguments (tests must not change it)."""

    def make(size: int, seed: int, structure: str = "2025", reference_year: int = 2026) -> Roster:
        return _province(size, seed, structure, reference_year)

    return make
