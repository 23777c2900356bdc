"""Officials of the roster and their training history."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.enums import Category, Education, Gender, Level, Rating, RoleGroup


class Official(BaseModel):
    """One row of the roster: a cán bộ, công chức or viên chức."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    birth_date: date
    gender: Gender
    unit: str = Field(min_length=1)
    level: Level
    category: Category
    position: str = ""
    role_group: RoleGroup
    field: str = ""
    profession: str = ""
    education: Education = Education.BACHELOR
    hired_date: date | None = None
    rating: Rating | None = None
    rating_previous: Rating | None = None
    pipeline: bool = False
    title_year: int | None = None


class TrainingRecord(BaseModel):
    """A program an official started in a given year (from the `Lịch sử đào tạo` sheet)."""

    model_config = ConfigDict(frozen=True)

    official_id: str
    program: str
    year: int = Field(ge=1950, le=2100)


#: Every field of an official: the columns a roster built in code has.
OFFICIAL_FIELDS: frozenset[str] = frozenset(Official.model_fields)


class Roster(BaseModel):
    """All officials of a province with their training history."""

    officials: list[Official]
    history: list[TrainingRecord] = []
    #: Fields of `Official` the roster file had a column for, with a value in at least one row
    #: (`roster.read_roster`); a rule that needs a field outside it names the column missing.
    columns: frozenset[str] = OFFICIAL_FIELDS

    @model_validator(mode="after")
    def _ids_are_unique_and_known(self) -> Roster:
        if unknown := self.columns - OFFICIAL_FIELDS:
            raise ValueError(f"columns: unknown fields {sorted(unknown)}")
        seen: set[str] = set()
        for official in self.officials:
            if official.id in seen:
                raise ValueError(f"officials: duplicate id {official.id!r}")
            seen.add(official.id)
        for record in self.history:
            if record.official_id not in seen:
                raise ValueError(f"history: unknown official id {record.official_id!r}")
        return self

    def by_id(self) -> dict[str, Official]:
        """Officials keyed by id."""
        return {o.id: o for o in self.officials}

    def history_by_official(self) -> dict[str, list[TrainingRecord]]:
        """Training records grouped by official id, in year order."""
        grouped: dict[str, list[TrainingRecord]] = {}
        for record in sorted(self.history, key=lambda r: (r.official_id, r.year, r.program)):
            grouped.setdefault(record.official_id, []).append(record)
        return grouped
