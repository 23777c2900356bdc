"""Domain models of the planner (pydantic v2): no I/O, no solver."""

from models.enums import (
    POSTGRADUATE,
    STANDARD_PROGRAMS,
    Category,
    Education,
    Gender,
    Level,
    ProgramKind,
    Rating,
    RoleGroup,
)
from models.official import Official, Roster, TrainingRecord
from models.plan import ClassInfo, LevelResult, Nomination, Result, Shortfall, SolverSettings
from models.scenario import (
    Budget,
    EligibilityRule,
    GroupFilter,
    Objective,
    Program,
    Quota,
    Rules,
    Scenario,
    ScoreWeights,
    Target,
)

__all__ = [
    "POSTGRADUATE",
    "STANDARD_PROGRAMS",
    "Budget",
    "Category",
    "ClassInfo",
    "Education",
    "EligibilityRule",
    "Gender",
    "GroupFilter",
    "Level",
    "LevelResult",
    "Nomination",
    "Objective",
    "Official",
    "Program",
    "ProgramKind",
    "Quota",
    "Rating",
    "Result",
    "RoleGroup",
    "Roster",
    "Rules",
    "Scenario",
    "ScoreWeights",
    "Shortfall",
    "SolverSettings",
    "Target",
    "TrainingRecord",
]
