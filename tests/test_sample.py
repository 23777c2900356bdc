"""The synthetic province: deterministic, exact in size, realistic in shares, consistent in history."""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import date

import pytest

from models import STANDARD_PROGRAMS, Category, Education, Gender, Level, Official, RoleGroup, Roster
from planner.io.roster import derive_role_group, read_roster
from planner.sample import DURATIONS, SAMPLE_ROSTER_PATH, generate_roster

POSTGRADUATE_OR_MORE = {Education.MASTER, Education.DOCTOR}


@pytest.fixture(scope="module")
def roster_2023() -> Roster:
    return generate_roster(5000, seed=11, structure="2023", reference_year=2023)


@pytest.fixture(scope="module")
def roster_2025() -> Roster:
    return generate_roster(5000, seed=11, structure="2025", reference_year=2026)


@pytest.fixture(scope="module", params=["2023", "2025"])
def roster(request: pytest.FixtureRequest, roster_2023: Roster, roster_2025: Roster) -> Roster:
    return roster_2023 if request.param == "2023" else roster_2025


def reference_year(roster: Roster) -> int:
    return 2023 if any(o.level is Level.DISTRICT for o in roster.officials) else 2026


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def retirement_date(official: Official) -> date:
    """Labour Code 2019 roadmap: the age reached in a year is that year's retirement age."""
    for year in range(official.birth_date.year + 55, official.birth_date.year + 63):
        if official.gender is Gender.MALE:
            months = min(60 * 12 + 3 + 3 * max(0, year - 2021), 62 * 12)
        else:
            months = min(55 * 12 + 4 + 4 * max(0, year - 2021), 60 * 12)
        retire = add_months(official.birth_date, months)
        if retire.year <= year:
            return retire
    raise AssertionError(f"no retirement date for {official.id}")


def share(officials: list[Official], condition) -> float:
    return sum(1 for o in officials if condition(o)) / len(officials)


# --- determinism and size ---------------------------------------------------------------------


def test_same_arguments_give_the_same_roster() -> None:
    assert generate_roster(1000, seed=3) == generate_roster(1000, seed=3)


def test_another_seed_gives_another_roster() -> None:
    first, second = generate_roster(1000, seed=3), generate_roster(1000, seed=4)
    assert [o.name for o in first.officials] != [o.name for o in second.officials]


@pytest.mark.parametrize("structure", ["2023", "2025"])
@pytest.mark.parametrize("size", [1, 37, 1000, 7777])
def test_size_is_exact(size: int, structure: str) -> None:
    roster = generate_roster(size, seed=size, structure=structure)
    assert len(roster.officials) == size


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        generate_roster(0)
    with pytest.raises(ValueError):
        generate_roster(100, structure="2030")  # type: ignore[arg-type]


def test_ids_are_stable_and_the_roster_validates(roster: Roster) -> None:
    assert roster.officials[0].id == "CB000001"
    assert roster.officials[-1].id == f"CB{len(roster.officials):06d}"
    Roster.model_validate(roster.model_dump())  # unique ids, history about known officials


def test_shipped_sample_is_the_generated_province() -> None:
    """planner/data/sample-roster.xlsx reads back as generate_roster(3000, seed=2023); regenerate it if not."""
    shipped = read_roster(SAMPLE_ROSTER_PATH, today=date(2023, 1, 1))
    assert shipped == generate_roster(size=3000, seed=2023, structure="2023", reference_year=2023)


# --- composition ------------------------------------------------------------------------------


def test_shares_look_like_a_province(roster: Roster) -> None:
    officials = roster.officials
    vien_chuc = [o for o in officials if o.category is Category.VIEN_CHUC]
    assert 0.7 <= len(vien_chuc) / len(officials) <= 0.85
    assert 0.6 <= share(vien_chuc, lambda o: o.field == "Giáo dục") <= 0.8
    assert 0.12 <= share(vien_chuc, lambda o: o.field == "Y tế") <= 0.22
    assert (
        0.08
        <= share(officials, lambda o: o.level is Level.COMMUNE and o.category is not Category.VIEN_CHUC)
        <= 0.16
    )
    assert 0.30 <= share(officials, lambda o: o.name.startswith("Nguyễn ")) <= 0.45
    assert 0.4 <= share(officials, lambda o: o.gender is Gender.FEMALE) <= 0.75


def test_qualifications_follow_the_national_mix(roster: Roster) -> None:
    counts = Counter(o.education for o in roster.officials)
    n = len(roster.officials)
    assert 0.003 <= counts[Education.DOCTOR] / n <= 0.02
    assert 0.07 <= counts[Education.MASTER] / n <= 0.15
    assert counts[Education.BACHELOR] / n >= 0.6
    assert counts[Education.COLLEGE] > 0
    specialists = {
        o.profession
        for o in roster.officials
        if o.education in (Education.SPECIALIST_1, Education.SPECIALIST_2)
    }
    assert specialists <= {"Bác sĩ", "Dược sĩ"}


def test_every_role_group_is_present(roster: Roster) -> None:
    assert {o.role_group for o in roster.officials} == set(RoleGroup)


def test_role_groups_match_what_the_roster_reader_derives(roster: Roster) -> None:
    for o in roster.officials:
        assert derive_role_group(o.position, o.category, o.level) is o.role_group, o


def test_the_2025_structure_has_no_districts(roster_2025: Roster) -> None:
    assert all(o.level is not Level.DISTRICT for o in roster_2025.officials)
    assert not any("huyện" in o.unit for o in roster_2025.officials)
    communes = Counter(o.unit for o in roster_2025.officials if o.unit.startswith("UBND "))
    assert 35 <= sum(communes.values()) / len(communes) <= 48  # about 41 cán bộ, công chức each


def test_the_2023_structure_has_districts_and_small_communes(roster_2023: Roster) -> None:
    assert any(o.unit.startswith("UBND huyện ") for o in roster_2023.officials)
    communes = Counter(
        o.unit for o in roster_2023.officials if o.level is Level.COMMUNE and o.unit.startswith("UBND ")
    )
    assert 15 <= sum(communes.values()) / len(communes) <= 25


def test_title_years_are_for_professional_vien_chuc(roster: Roster) -> None:
    year = reference_year(roster)
    due = [o for o in roster.officials if o.title_year is not None]
    assert all(o.role_group is RoleGroup.VIEN_CHUC and year < o.title_year <= year + 7 for o in due)
    professionals = sum(o.role_group is RoleGroup.VIEN_CHUC for o in roster.officials)
    assert 0.06 <= len(due) / professionals <= 0.12


def test_pipeline_and_ratings(roster: Roster) -> None:
    leaders = [
        o
        for o in roster.officials
        if o.role_group not in (RoleGroup.VIEN_CHUC, RoleGroup.CHUYEN_VIEN, RoleGroup.CONG_CHUC_XA)
    ]
    assert 0.18 <= share(leaders, lambda o: o.pipeline) <= 0.32
    ratings = Counter(o.rating.value if o.rating else None for o in roster.officials)
    assert ratings["tot"] > ratings["xuat_sac"] > ratings["hoan_thanh"] > ratings["khong_hoan_thanh"] > 0


# --- ages and dates ---------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2023, 2026, 2030])
def test_ages_are_working_ages_and_nobody_has_retired(year: int) -> None:
    day = date(year, 1, 1)
    for o in generate_roster(2000, seed=year, structure="2025", reference_year=year).officials:
        assert 22 <= age_on(o.birth_date, day) <= 60, o
        assert retirement_date(o) > day, o


def test_leaders_are_older(roster: Roster) -> None:
    day = date(reference_year(roster), 1, 1)
    heads = [o for o in roster.officials if o.position in ("Giám đốc Sở", "Chánh Thanh tra tỉnh")]
    assert heads and all(45 <= age_on(o.birth_date, day) <= 58 for o in heads)
    assert all(
        age_on(o.birth_date, day) >= 30
        for o in roster.officials
        if o.role_group is RoleGroup.PHO_TRUONG_PHONG
    )


def test_hired_after_22_and_some_recently(roster: Roster) -> None:
    day = date(reference_year(roster), 1, 1)
    for o in roster.officials:
        assert o.hired_date is not None and age_on(o.birth_date, o.hired_date) >= 22 and o.hired_date < day, o
    assert 0.03 <= share(roster.officials, lambda o: (day - o.hired_date).days < 3 * 365) <= 0.2


# --- training history -------------------------------------------------------------------------


def test_history_has_each_standard_program(roster_2023: Roster) -> None:
    programs = Counter(r.program for r in roster_2023.history)
    assert set(programs) <= set(STANDARD_PROGRAMS)
    assert set(programs) >= set(STANDARD_PROGRAMS) - {"OVERSEAS", "PHD"}  # too few at this size
    heads = [
        o
        for o in roster_2023.officials
        if o.role_group in (RoleGroup.TRUONG_PHONG, RoleGroup.PHO_TRUONG_PHONG)
    ]
    assert 0.08 <= sum(1 for r in roster_2023.history if r.program == "LEAD") / len(heads) <= 0.3


def test_history_is_consistent(roster: Roster) -> None:
    year = reference_year(roster)
    people = roster.by_id()
    for official_id, records in roster.history_by_official().items():
        o = people[official_id]
        programs = [r.program for r in records]
        assert len(programs) == len(set(programs)), records  # nothing repeated
        busy: set[int] = set()
        for r in records:
            window = set(range(r.year, r.year + DURATIONS.get(r.program, 1)))
            assert not window & busy, records  # one program at a time
            busy |= window
            assert o.hired_date.year <= r.year < year, (o, r)
            under_way = r.year + DURATIONS.get(r.program, 1) > year
            if r.program == "MASTER":
                assert o.education is (Education.BACHELOR if under_way else Education.MASTER), (o, r)
            if r.program == "PHD":
                assert o.education is (Education.MASTER if under_way else Education.DOCTOR), (o, r)
            if r.program == "CK1":
                assert o.profession in ("Bác sĩ", "Dược sĩ"), (o, r)
                assert o.education is Education.BACHELOR if under_way else o.education.value in ("ck1", "ck2")
            if r.program == "CK2":
                assert o.education is (Education.SPECIALIST_1 if under_way else Education.SPECIALIST_2), (
                    o,
                    r,
                )
                assert all(c.year < r.year for c in records if c.program == "CK1"), records
            if r.program == "VC_TITLE":
                assert o.title_year is None, (o, r)


def test_some_are_still_away_on_postgraduate_study(roster: Roster) -> None:
    year = reference_year(roster)
    away = [r for r in roster.history if r.program in DURATIONS and r.year + DURATIONS[r.program] > year]
    assert {r.program for r in away} >= {"MASTER", "CK1"}
