"""Scenarios: programs, eligibility rules, yearly quotas, coverage targets, budget, objective."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.enums import Category, Education, Level, ProgramKind, Rating, RoleGroup


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EligibilityRule(_Strict):
    """Who may start a program in a given year. An empty list or None means no condition."""

    role_groups: list[RoleGroup] | None = None
    levels: list[Level] | None = None
    categories: list[Category] | None = None
    #: Age on the reference day of the plan year must be at most this.
    max_age: int | None = Field(default=None, ge=16, le=80)
    #: Categories the age limit applies to (None: everybody), e.g. only công chức.
    max_age_categories: list[Category] | None = None
    #: The current qualification must be one of these.
    educations: list[Education] | None = None
    #: Profession (`Chuyên môn`) must be one of these, compared without case or accents.
    professions: list[str] | None = None
    #: Latest rating must be at least this good ...
    min_rating: Rating | None = None
    #: ... for this many consecutive years (1: latest only, 2: latest and previous).
    rating_years: int = Field(default=1, ge=1, le=2)
    requires_pipeline: bool = False
    #: Years since `Ngày tuyển dụng` on the reference day.
    min_service_years: float | None = Field(default=None, ge=0)
    #: Working years left before retirement must be at least factor x program duration.
    commitment_factor: float | None = Field(default=None, ge=0)
    #: Per-category factors that replace `commitment_factor` (e.g. viên chức x2 under 101/2017).
    commitment_factor_by_category: dict[Category, float] = {}
    #: Working years left before retirement at the start of the program.
    min_years_left: float | None = Field(default=None, ge=0)
    #: Needs a planned title appointment year and must start by the year before it.
    before_title_year: bool = False
    #: Satisfied by any of these qualifications or by having completed any of these programs.
    prerequisite_educations: list[Education] = []
    prerequisite_programs: list[str] = []


class Program(_Strict):
    """A training program: classes of a set size, or individual study places."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    name: str
    name_en: str = ""
    kind: ProgramKind
    duration_years: int = Field(default=1, ge=1, le=6)
    class_size_min: int = Field(default=40, ge=1)
    class_size_max: int = Field(default=50, ge=1)
    classes_per_year_min: int = Field(default=0, ge=0)
    classes_per_year_max: int | None = Field(default=None, ge=0)
    places_per_year_min: int = Field(default=0, ge=0)
    places_per_year_max: int | None = Field(default=None, ge=0)
    #: Years the program runs (None: every year of the scenario).
    years: list[int] | None = None
    #: VND per participant (class programs) or per person and year of study (slot programs).
    cost_per_person: int = Field(default=0, ge=0)
    #: VND per class opened (class programs).
    cost_per_class: int = Field(default=0, ge=0)
    topics: list[str] = []
    #: Fields (`Lĩnh vực`) that earn the priority bonus in the merit score.
    priority_fields: list[str] = []
    #: Weight of each missing class or place below the yearly minimum.
    minimum_weight: float = Field(default=1.0, ge=0)
    eligibility: EligibilityRule = EligibilityRule()

    @model_validator(mode="after")
    def _sizes_are_ordered(self) -> Program:
        if self.class_size_min > self.class_size_max:
            raise ValueError("class_size_min must not exceed class_size_max")
        if self.classes_per_year_max is not None and self.classes_per_year_min > self.classes_per_year_max:
            raise ValueError("classes_per_year_min must not exceed classes_per_year_max")
        if self.places_per_year_max is not None and self.places_per_year_min > self.places_per_year_max:
            raise ValueError("places_per_year_min must not exceed places_per_year_max")
        if self.kind is ProgramKind.SLOT and (self.classes_per_year_min or self.classes_per_year_max):
            raise ValueError("a slot program has places, not classes: use places_per_year_*")
        return self

    @property
    def is_class(self) -> bool:
        """True for programs run as classes of class_size_min..class_size_max people."""
        return self.kind is ProgramKind.CLASS


class Quota(_Strict):
    """A yearly number of people shared by several programs (e.g. 30-50 master's and PhD)."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    name: str
    name_en: str = ""
    programs: list[str] = Field(min_length=1)
    min_per_year: int = Field(default=0, ge=0)
    max_per_year: int | None = Field(default=None, ge=0)
    weight: float = Field(default=1.0, ge=0)

    @model_validator(mode="after")
    def _bounds_are_ordered(self) -> Quota:
        if self.max_per_year is not None and self.min_per_year > self.max_per_year:
            raise ValueError("min_per_year must not exceed max_per_year")
        return self


class GroupFilter(_Strict):
    """The officials a target is about. Empty conditions match everybody."""

    role_groups: list[RoleGroup] | None = None
    levels: list[Level] | None = None
    categories: list[Category] | None = None
    fields: list[str] | None = None
    #: Only officials with a planned title year inside the plan (VC_TITLE).
    due_for_title: bool = False


class Target(_Strict):
    """Coverage by a deadline: a share of a group, or a number of people, trained."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    name: str
    name_en: str = ""
    programs: list[str] = Field(min_length=1)
    group: GroupFilter = GroupFilter()
    share: float | None = Field(default=None, gt=0, le=1)
    count: int | None = Field(default=None, ge=1)
    deadline: int
    #: People of the group holding one of these qualifications already count as covered.
    qualifying_educations: list[Education] = []
    weight: float = Field(default=1.0, ge=0)

    @model_validator(mode="after")
    def _share_or_count(self) -> Target:
        if (self.share is None) == (self.count is None):
            raise ValueError("give exactly one of share (0-1) or count")
        return self


def name_in(named: Program | Quota | Target | Scenario, lang: str) -> str:
    """A program's, quota's, target's or scenario's name in `lang` (the Vietnamese one when the
    scenario gives no English one)."""
    return (named.name_en or named.name) if lang == "en" else named.name


class Rules(_Strict):
    """Rules shared by all programs."""

    #: Month and day on which ages and service years are counted (MM-DD).
    reference_day: str = Field(default="01-01", pattern=r"^\d\d-\d\d$")
    #: Fixed retirement ages in years; None follows the Labour Code 2019 roadmap.
    retirement_age_men: float | None = None
    retirement_age_women: float | None = None
    #: At most this share of a unit's staff away on multi-year programs in one year ...
    away_share_max: float = Field(default=0.10, ge=0, le=1)
    #: ... but a unit may always send this many.
    away_min_allowed: int = Field(default=1, ge=0)
    #: How a missing previous year's rating counts where two years of ratings are asked
    #: (`rating_years = 2`): "not_met" (the rule fails), or "as_latest" (the latest rating
    #: counts for both years). Either way `check` and `plan` name the missing column.
    missing_previous_rating: Literal["as_latest", "not_met"] = "not_met"
    legal_basis: str = ""


class Budget(_Strict):
    """Yearly budget in VND (placeholders the user sets); None means no limit."""

    per_year: dict[int, Annotated[int, Field(ge=0)]] = {}
    default: int | None = Field(default=None, ge=0)
    factor: float = Field(default=1.0, ge=0)

    def limit(self, year: int) -> int | None:
        """The budget of a year after the factor, or None when unlimited."""
        base = self.per_year.get(year, self.default)
        return None if base is None else int(base * self.factor)


class ScoreWeights(_Strict):
    """Merit and need score of a nomination: points per feature (integers keep it exact)."""

    rating: int = Field(default=2, ge=0)
    pipeline: int = Field(default=3, ge=0)
    not_yet_trained: int = Field(default=2, ge=0)
    priority_field: int = Field(default=3, ge=0)
    #: Points for having at least `long_service_years` of working life left.
    years_left: int = Field(default=1, ge=0)
    long_service_years: int = Field(default=10, ge=0)


Level_ = Literal["shortfall", "merit", "cost"]


class Objective(_Strict):
    """Strict order of the objective levels, with the tolerance (share) kept on each."""

    order: list[Level_] = ["shortfall", "merit", "cost"]
    tolerance: dict[Level_, float] = {}


class Scenario(_Strict):
    """Everything the optimizer needs besides the roster."""

    name: str
    name_en: str = ""
    description: str = ""
    start_year: int = Field(ge=2000, le=2100)
    end_year: int = Field(ge=2000, le=2100)
    levels: list[Level] = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]
    rules: Rules = Rules()
    programs: list[Program] = Field(min_length=1)
    quotas: list[Quota] = []
    targets: list[Target] = []
    budget: Budget = Budget()
    score: ScoreWeights = ScoreWeights()
    objective: Objective = Objective()

    @model_validator(mode="after")
    def _references_are_known(self) -> Scenario:
        if self.start_year > self.end_year:
            raise ValueError("start_year must not be after end_year")
        codes = [p.code for p in self.programs]
        _no_duplicates("programs", codes)
        _no_duplicates("quotas", [q.code for q in self.quotas])
        _no_duplicates("targets", [t.code for t in self.targets])
        known = set(codes)
        for i, program in enumerate(self.programs):
            _known(
                f"programs.{i}.eligibility.prerequisite_programs",
                program.eligibility.prerequisite_programs,
                known,
            )
            for year in program.years or []:
                if not self.start_year <= year <= self.end_year:
                    raise ValueError(
                        f"programs.{i}.years: {year} is outside {self.start_year}-{self.end_year}"
                    )
        for i, quota in enumerate(self.quotas):
            _known(f"quotas.{i}.programs", quota.programs, known)
        for i, target in enumerate(self.targets):
            _known(f"targets.{i}.programs", target.programs, known)
            if not self.start_year <= target.deadline <= self.end_year:
                raise ValueError(
                    f"targets.{i}.deadline: {target.deadline} is outside {self.start_year}-{self.end_year}"
                )
        for year in self.budget.per_year:
            if not self.start_year <= year <= self.end_year:
                raise ValueError(f"budget.per_year: {year} is outside {self.start_year}-{self.end_year}")
        return self

    @property
    def years(self) -> list[int]:
        """The plan years in order."""
        return list(range(self.start_year, self.end_year + 1))

    def program(self, code: str) -> Program:
        """The program with this code."""
        # cached per list of programs, so that a model_copy with other programs never sees old ones
        cached = _BY_CODE.get(id(self.programs))
        if cached is None or cached[0] is not self.programs:
            if len(_BY_CODE) >= _BY_CODE_MAX:  # a long sweep copies many scenarios: keep it bounded
                _BY_CODE.clear()
            cached = _BY_CODE[id(self.programs)] = (self.programs, {p.code: p for p in self.programs})
        return cached[1][code]

    def runs_in(self, program: Program, year: int) -> bool:
        """True when the program opens in that year."""
        return program.years is None or year in program.years


_BY_CODE: dict[int, tuple[list[Program], dict[str, Program]]] = {}
_BY_CODE_MAX = 256


def _no_duplicates(where: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"{where}: duplicate code {code!r}")
        seen.add(code)


def _known(where: str, codes: list[str], known: set[str]) -> None:
    for code in codes:
        if code not in known:
            raise ValueError(f"{where}: unknown program {code!r}")
