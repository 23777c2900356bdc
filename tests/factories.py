"""Tiny hand-made officials and scenarios for tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from models import (
    Category,
    Education,
    EligibilityRule,
    Gender,
    Level,
    Official,
    Program,
    ProgramKind,
    Rating,
    RoleGroup,
    Roster,
    Scenario,
)


def official(i: int, **overrides: Any) -> Official:
    """A 40-year-old provincial chuyên viên rated good, hired in 2010, unless overridden."""
    values: dict[str, Any] = {
        "id": f"CB{i:05d}",
        "name": f"Nguyễn Văn {i}",
        "birth_date": date(1985, 6, 15),
        "gender": Gender.MALE,
        "unit": f"Sở {i % 3}",
        "level": Level.PROVINCE,
        "category": Category.CONG_CHUC,
        "position": "Chuyên viên",
        "role_group": RoleGroup.CHUYEN_VIEN,
        "field": "Công nghệ thông tin",
        "profession": "Kỹ sư",
        "education": Education.BACHELOR,
        "hired_date": date(2010, 3, 1),
        "rating": Rating.GOOD,
        "rating_previous": Rating.GOOD,
    }
    values.update(overrides)
    return Official(**values)


def roster(count: int, **overrides: Any) -> Roster:
    """`count` officials built by `official` with the same overrides."""
    return Roster(officials=[official(i, **overrides) for i in range(count)])


def class_program(code: str = "DUTY", **overrides: Any) -> Program:
    """A class program of 2-3 people a class, at most 2 classes a year, for every công chức."""
    values: dict[str, Any] = {
        "code": code,
        "name": f"Lớp {code}",
        "kind": ProgramKind.CLASS,
        "class_size_min": 2,
        "class_size_max": 3,
        "classes_per_year_max": 2,
        "cost_per_person": 1_000_000,
        "cost_per_class": 10_000_000,
        "eligibility": EligibilityRule(categories=[Category.CONG_CHUC]),
    }
    values.update(overrides)
    return Program(**values)


def slot_program(code: str = "MASTER", **overrides: Any) -> Program:
    """A two-year slot program with 2 places a year for bachelors."""
    values: dict[str, Any] = {
        "code": code,
        "name": f"Đào tạo {code}",
        "kind": ProgramKind.SLOT,
        "duration_years": 2,
        "places_per_year_max": 2,
        "cost_per_person": 50_000_000,
        "eligibility": EligibilityRule(educations=[Education.BACHELOR]),
    }
    values.update(overrides)
    return Program(**values)


def scenario(programs: list[Program], **overrides: Any) -> Scenario:
    """A 2026-2028 scenario over the given programs."""
    values: dict[str, Any] = {"name": "test", "start_year": 2026, "end_year": 2028, "programs": programs}
    values.update(overrides)
    return Scenario(**values)
