"""Solver settings and the plan the planner returns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.text import NO_TEXT, Words

#: The time limit for rosters up to `OFFICIALS_PER_DEFAULT_LIMIT` officials; larger ones get it
#: per that many: at 300,000 officials the default search needs about 70 s on a 2-core machine
#: and the clock cut it at 60 s, 0.15 % from its bound and not reproducible (benchmarks/RESULTS.md)
DEFAULT_TIME_LIMIT = 60.0
OFFICIALS_PER_DEFAULT_LIMIT = 150_000


def default_time_limit(officials: int) -> float:
    """The time limit when none is given: 60 s per 150,000 officials, and at least 60 s."""
    return DEFAULT_TIME_LIMIT * max(1.0, officials / OFFICIALS_PER_DEFAULT_LIMIT)


#: `default_time_limit` in words (Vietnamese, English), for the help, the web form and the batch.
_PER = f"{OFFICIALS_PER_DEFAULT_LIMIT:,}"
DEFAULT_LIMIT_WORDS = (
    f"{DEFAULT_TIME_LIMIT:g} giây cho mỗi {_PER.replace(',', '.')} người, ít nhất {DEFAULT_TIME_LIMIT:g}",
    f"{DEFAULT_TIME_LIMIT:g} s per {_PER} officials, at least {DEFAULT_TIME_LIMIT:g}",
)


class SolverSettings(BaseModel):
    """How hard and how reproducibly to solve. Defaults keep runs deterministic."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Seconds for the whole solve (all objective levels together); None: `default_time_limit` of
    #: the roster's size (`for_roster`).
    time_limit: float | None = Field(default=None, gt=0)
    #: One worker with a deterministic time limit gives byte-identical plans; more are faster.
    workers: int = Field(default=1, ge=1, le=64)
    seed: int = Field(default=0, ge=0)
    #: Stop a level once its plan is within this relative gap of the best bound (0: search on).
    gap: float = Field(default=0.001, ge=0, lt=1)
    log: bool = False
    #: Any other CP-SAT parameter, by its name in sat_parameters.proto.
    extra: dict[str, float | int | bool | str] = {}

    def for_roster(self, officials: int) -> SolverSettings:
        """These settings with a time limit: the one given, else the default for `officials`."""
        if self.time_limit is not None:
            return self
        return self.model_copy(update={"time_limit": default_time_limit(officials)})

    @property
    def seconds(self) -> float:
        """The time limit in seconds (the default for a roster of up to 150,000 when none is given)."""
        return DEFAULT_TIME_LIMIT if self.time_limit is None else self.time_limit


class Nomination(BaseModel):
    """One person sent to one program starting in one year (a class for class programs)."""

    model_config = ConfigDict(frozen=True)

    official_id: str
    program: str
    year: int
    class_id: str | None = None


class ClassInfo(BaseModel):
    """A class formed by the plan."""

    model_config = ConfigDict(frozen=True)

    class_id: str
    program: str
    year: int
    topic: str = ""
    size: int = Field(ge=0)


class Shortfall(BaseModel):
    """A minimum or target the plan does not reach, with what is missing and why."""

    code: str
    kind: Literal["target", "classes", "places", "quota"]
    year: int | None = None
    required: int
    achieved: int
    unit: Literal["people", "classes"] = "people"
    reason: Words = NO_TEXT

    @property
    def missing(self) -> int:
        """How many people or classes are missing."""
        return max(0, self.required - self.achieved)


class LevelResult(BaseModel):
    """The solve of one objective level."""

    name: str
    status: str
    objective: float
    bound: float
    wall_time: float
    #: True when the wall-clock cap, not the deterministic work budget, ended the search.
    stopped_by_wall_clock: bool = False
    #: True when the user stopped the search (Ctrl-C); the best solution so far was kept.
    stopped_by_user: bool = False

    @property
    def gap(self) -> float:
        """Relative distance between objective and bound (0 when proven optimal)."""
        denominator = max(abs(self.objective), abs(self.bound), 1e-9)
        return abs(self.objective - self.bound) / denominator if self.objective != self.bound else 0.0


class Result(BaseModel):
    """A plan with its quality: never an exception for an infeasible or short plan."""

    status: Literal["OPTIMAL", "FEASIBLE", "FALLBACK", "EMPTY"]
    method: Literal["cpsat", "greedy"]
    nominations: list[Nomination] = []
    classes: list[ClassInfo] = []
    shortfalls: list[Shortfall] = []
    levels: list[LevelResult] = []
    cost_by_year: dict[int, int] = {}
    wall_time: float = 0.0
    notes: list[Words] = []
    stats: dict[str, int] = {}
    #: Replanning: names moved against the previous draft, approved nominations that fell.
    changes: list[PlanChange] = []
    approval_issues: list[ApprovalIssue] = []
    #: Objective levels a stop (Ctrl-C, the web app's Stop) came before: the plan is not held to them.
    unsolved_levels: list[str] = []
    #: A stop heard while solving: "cut" when it came before the plan was whole (this is the best
    #: plan so far), "after" when every level was solved already (the plan is whole, but a caller
    #: solving more plans stops after this one); "" when none came.
    stop: Literal["", "cut", "after"] = ""

    @property
    def gap(self) -> float:
        """The largest gap over the objective levels."""
        return max((level.gap for level in self.levels), default=0.0)


class Decision(BaseModel):
    """A manual decision: `pin` someone to a program and year, or `exclude` them (from one program or all)."""

    model_config = ConfigDict(frozen=True)

    action: Literal["pin", "exclude"]
    official_id: str
    #: The program; None with `exclude` means every program.
    program: str | None = None
    #: The start year; required for `pin`, None with `exclude` means every year.
    year: int | None = None
    reason: str = ""

    @model_validator(mode="after")
    def _pin_is_complete(self) -> Decision:
        if self.action == "pin" and (self.program is None or self.year is None):
            raise ValueError("a pin needs both a program and a year")
        return self

    def pinned_start(self) -> tuple[str, int]:
        """(program, year) of a pin; ValueError for a decision that names no single start."""
        if self.program is None or self.year is None:
            raise ValueError(f"{self.action} {self.official_id}: no program and year to start")
        return self.program, self.year


class Attendance(BaseModel):
    """What happened to an approved nomination: completed (goes into the history) or dropped."""

    model_config = ConfigDict(frozen=True)

    official_id: str
    program: str
    year: int
    status: Literal["completed", "dropped"]


class PlanChange(BaseModel):
    """A name that entered or left the lists compared with the previous draft."""

    model_config = ConfigDict(frozen=True)

    official_id: str
    program: str
    year: int
    change: Literal["entered", "left"]


class ApprovalIssue(BaseModel):
    """An approved nomination that can no longer stand, and why: the user must decide."""

    model_config = ConfigDict(frozen=True)

    official_id: str
    program: str
    year: int
    reason: Words


Result.model_rebuild()
