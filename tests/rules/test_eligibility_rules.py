"""Each eligibility rule of planner/rules/eligibility.py against the decree and the plan, case by case.

Every `rule_*` function has a table: the official (`tests.factories.official`, a 40-year-old
provincial công chức, bachelor, hired 2010, rated good two years running, unless a case says
otherwise), the program's `EligibilityRule`, the start year and the verdict the text gives. The
verdicts are worked out by hand from MISSION.md, DOMAIN.md and the decrees the shipped scenarios
cite (Decree 171/2025/NĐ-CP, Decree 101/2017/NĐ-CP, Labour Code 2019 / Decree 135/2020), not read
off the functions: a wrongly coded decree fails here. A case where the code disagrees with the
text carries `wrong`, the disagreement, and is a strict xfail until the rule is fixed.

Ages and service are counted on 1 January of the plan year unless a case sets `reference_day`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from unittest.mock import ANY

import pytest

from models import EligibilityRule, Official, Rules, Scenario, TrainingRecord
from models.enums import Category, Education, Gender, Level, Rating, RoleGroup
from planner.rules.eligibility import (
    STATIC_RULES,
    YEARLY_RULES,
    Context,
    Rule,
    eligible_starts,
    is_eligible,
    rule_age,
    rule_category,
    rule_commitment,
    rule_education,
    rule_in_service,
    rule_level,
    rule_not_away,
    rule_not_repeated,
    rule_pipeline,
    rule_prerequisite,
    rule_profession,
    rule_program_runs,
    rule_rating,
    rule_role_group,
    rule_service,
    rule_title_year,
)
from tests.factories import class_program, official, scenario, slot_program

#: Programs every case's scenario has besides the one under test (history records name them):
#: MASTER 2 years, PHD 3 years, CK1 2 years (MISSION.md durations), DUTY a one-year class.
CATALOGUE = {
    "MASTER": slot_program("MASTER", duration_years=2),
    "PHD": slot_program("PHD", duration_years=3),
    "CK1": slot_program("CK1", duration_years=2),
    "DUTY": class_program("DUTY"),
}


@dataclass(frozen=True)
class Case:
    """One official, one program rule, one start year and the verdict the text gives."""

    name: str
    #: The `Reason.rule` of the failing rule; None when the rule holds.
    expected: str | None
    #: Overrides of `tests.factories.official`.
    person: dict[str, Any] = field(default_factory=dict)
    #: Fields of the program's `EligibilityRule`.
    rule: dict[str, Any] = field(default_factory=dict)
    year: int = 2026
    #: The `Reason.missing` expected when the rule fails (`unittest.mock.ANY`: not part of the case).
    missing: Any = None
    #: Other fields of the program under test (code, duration_years, years).
    program: dict[str, Any] = field(default_factory=dict)
    #: The official's training history: (program, start year).
    history: tuple[tuple[str, int], ...] = ()
    #: Fields of the scenario's `Rules` (reference day, retirement ages, missing ratings).
    rules: dict[str, Any] = field(default_factory=dict)
    #: Why the code disagrees with the text (the case is then a strict xfail).
    wrong: str | None = None


def table(rule: Rule, *cases: Case) -> list[Any]:
    """The cases of one rule as pytest parameters."""
    return [
        pytest.param(
            rule,
            case,
            id=f"{rule.__name__}: {case.name}",
            marks=[pytest.mark.xfail(strict=True, reason=case.wrong)] if case.wrong else [],
        )
        for case in cases
    ]


def verdict(rule: Rule, case: Case) -> tuple[str, str | None] | None:
    """(rule code, missing field) of the reason the rule gives for the case, or None."""
    values = {
        "code": "TEST",
        "duration_years": 1,
        **case.program,
        "eligibility": EligibilityRule(**case.rule),
    }
    program = slot_program(**values)
    programs = [p for code, p in CATALOGUE.items() if code != program.code] + [program]
    plan = scenario(programs, end_year=2030, rules=Rules(**case.rules))
    person = official(1, **case.person)
    history = [TrainingRecord(official_id=person.id, program=p, year=y) for p, y in case.history]
    reason = rule(person, program, case.year, Context(plan, {person.id: history}))
    return None if reason is None else (reason.rule, reason.missing)


# --- the tables ------------------------------------------------------------------------------------

CADRES = [Category.CAN_BO, Category.CONG_CHUC]
CATEGORY = table(
    rule_category,
    Case("công chức in a cán bộ, công chức class", None, rule={"categories": CADRES}),
    Case("cán bộ in a cán bộ, công chức class", None, {"category": Category.CAN_BO}, {"categories": CADRES}),
    Case("viên chức kept out of it", "category", {"category": Category.VIEN_CHUC}, {"categories": CADRES}),
    Case("công chức kept out of CK1 (viên chức)", "category", rule={"categories": [Category.VIEN_CHUC]}),
    Case("no condition", None, {"category": Category.VIEN_CHUC}),
    Case("empty list: no condition", None, rule={"categories": []}),
)

LEVEL = table(
    rule_level,
    Case("province in a province-district class (2023)", None, rule={"levels": [Level.PROVINCE, Level.DISTRICT]}),
    Case("district in 2023", None, {"level": Level.DISTRICT}, {"levels": [Level.PROVINCE, Level.DISTRICT]}),
    Case("district in a province-only class (2026)", "level", {"level": Level.DISTRICT}, {"levels": [Level.PROVINCE]}),
    Case("province kept out of a commune class", "level", rule={"levels": [Level.COMMUNE]}),
    Case("commune in a commune class", None, {"level": Level.COMMUNE}, {"levels": [Level.COMMUNE]}),
    Case("no condition", None, {"level": Level.COMMUNE}),
    Case("empty list: no condition", None, rule={"levels": []}),
)  # fmt: skip

LEADERS = [RoleGroup.LANH_DAO_CAP_SO, RoleGroup.TRUONG_PHONG, RoleGroup.PHO_TRUONG_PHONG]
COMMUNE_HEADS = [RoleGroup.CHU_TICH_XA, RoleGroup.PHO_CHU_TICH_XA]
ROLE_GROUP = table(
    rule_role_group,
    Case("Trưởng phòng in LEAD", None, {"role_group": RoleGroup.TRUONG_PHONG}, {"role_groups": LEADERS}),
    Case("Phó Trưởng phòng in LEAD", None, {"role_group": RoleGroup.PHO_TRUONG_PHONG}, {"role_groups": LEADERS}),
    Case("chuyên viên kept out of LEAD", "role_group", rule={"role_groups": LEADERS}),
    Case("viên chức manager in OVERSEAS", None, {"role_group": RoleGroup.LANH_DAO_DON_VI},
         {"role_groups": [*LEADERS, RoleGroup.LANH_DAO_DON_VI]}),
    Case("commune vice-chair in COMMUNE_LEAD", None, {"role_group": RoleGroup.PHO_CHU_TICH_XA},
         {"role_groups": COMMUNE_HEADS}),
    Case("commune công chức kept out of COMMUNE_LEAD", "role_group", {"role_group": RoleGroup.CONG_CHUC_XA},
         {"role_groups": COMMUNE_HEADS}),
    Case("no condition", None, {"role_group": RoleGroup.VIEN_CHUC}),
    Case("empty list: no condition", None, rule={"role_groups": []}),
)  # fmt: skip

MEDICS = {"professions": ["Bác sĩ", "Dược sĩ"]}
PROFESSION = table(
    rule_profession,
    Case("doctor in CK1", None, {"profession": "Bác sĩ"}, MEDICS),
    Case("pharmacist in CK1", None, {"profession": "Dược sĩ"}, MEDICS),
    Case("lower case", None, {"profession": "bác sĩ"}, MEDICS),
    Case("decomposed (NFD) diacritics", None, {"profession": unicodedata.normalize("NFD", "Bác sĩ")}, MEDICS),
    Case("stray spaces", None, {"profession": "  Dược   sĩ "}, MEDICS),
    Case("nurse kept out of CK1", "profession", {"profession": "Điều dưỡng"}, MEDICS),
    Case("blank profession", "profession", {"profession": ""}, MEDICS, missing=ANY),
    Case("no condition", None, {"profession": ""}),
    Case("empty list: no condition", None, rule={"professions": []}),
)

EDUCATION = table(
    rule_education,
    Case("bachelor in MASTER", None, rule={"educations": [Education.BACHELOR]}),
    Case("a master's already: no MASTER", "education", {"education": Education.MASTER},
         {"educations": [Education.BACHELOR]}),
    Case("college: no MASTER", "education", {"education": Education.COLLEGE}, {"educations": [Education.BACHELOR]}),
    Case("master's in CK1", None, {"education": Education.MASTER},
         {"educations": [Education.BACHELOR, Education.MASTER]}),
    Case("CK I already: no CK1", "education", {"education": Education.SPECIALIST_1},
         {"educations": [Education.BACHELOR, Education.MASTER]}),
    Case("no condition", None, {"education": Education.COLLEGE}),
    Case("empty list: no condition", None, rule={"educations": []}),
)  # fmt: skip

NOT_REPEATED = table(
    rule_not_repeated,
    Case("no history", None, program={"code": "DUTY"}),
    Case("DUTY taken in 2019", "already_trained", program={"code": "DUTY"}, history=(("DUTY", 2019),)),
    Case("another program taken", None, program={"code": "DUTY"}, history=(("MASTER", 2019),)),
    Case("MASTER started in 2025, still studying", "already_trained",
         program={"code": "MASTER", "duration_years": 2}, history=(("MASTER", 2025),)),
)  # fmt: skip

TWO_GOOD_YEARS = {"min_rating": Rating.GOOD, "rating_years": 2}  # Decree 171/2025 and 101/2017
LATEST_GOOD = {"min_rating": Rating.GOOD}
AS_LATEST = {"missing_previous_rating": "as_latest"}
RATING = table(
    rule_rating,
    Case("good, good", None, rule=TWO_GOOD_YEARS),
    Case("excellent, good", None, {"rating": Rating.EXCELLENT}, TWO_GOOD_YEARS),
    Case("good, excellent", None, {"rating_previous": Rating.EXCELLENT}, TWO_GOOD_YEARS),
    Case("good, then only done the year before", "rating", {"rating_previous": Rating.DONE}, TWO_GOOD_YEARS),
    Case("done, after a good year", "rating", {"rating": Rating.DONE}, TWO_GOOD_YEARS),
    Case("not done", "rating", {"rating": Rating.NOT_DONE, "rating_previous": Rating.NOT_DONE}, TWO_GOOD_YEARS),
    Case("no previous rating (not_met)", "rating", {"rating_previous": None}, TWO_GOOD_YEARS,
         missing="rating_previous"),
    Case("no previous rating, latest counts for both", None, {"rating_previous": None}, TWO_GOOD_YEARS,
         rules=AS_LATEST),
    Case("no previous rating, latest done", "rating", {"rating": Rating.DONE, "rating_previous": None},
         TWO_GOOD_YEARS, rules=AS_LATEST),
    Case("no previous rating, latest done (not_met): a value fails", "rating",
         {"rating": Rating.DONE, "rating_previous": None}, TWO_GOOD_YEARS),
    Case("no rating at all", "rating", {"rating": None}, TWO_GOOD_YEARS, missing="rating"),
    Case("one year: only the latest counts", None, {"rating_previous": Rating.NOT_DONE}, LATEST_GOOD),
    Case("one year: no previous rating needed", None, {"rating_previous": None}, LATEST_GOOD),
    Case("one year: latest done", "rating", {"rating": Rating.DONE, "rating_previous": Rating.EXCELLENT},
         LATEST_GOOD),
    Case("one year: no rating", "rating", {"rating": None}, LATEST_GOOD, missing="rating"),
    Case("OVERSEAS: excellent", None, {"rating": Rating.EXCELLENT}, {"min_rating": Rating.EXCELLENT}),
    Case("OVERSEAS: good is not excellent", "rating", rule={"min_rating": Rating.EXCELLENT}),
    Case("no condition", None, {"rating": None, "rating_previous": None}),
)  # fmt: skip

PIPELINE = table(
    rule_pipeline,
    Case("in the pipeline", None, {"pipeline": True}, {"requires_pipeline": True}),
    Case("not in the pipeline", "pipeline", {"pipeline": False}, {"requires_pipeline": True}),
    Case("no condition", None, {"pipeline": False}),
)

PROGRAM_RUNS = table(
    rule_program_runs,
    Case("every year", None, year=2029),
    Case("a year it runs", None, year=2028, program={"years": [2026, 2028]}),
    Case("a year it does not run", "program_runs", year=2027, program={"years": [2026, 2028]}),
)

MEN_AT_60 = {"retirement_age_men": 60}
IN_SERVICE = table(
    rule_in_service,
    Case("retired the day before", "in_service", {"birth_date": date(1965, 12, 31)}, rules=MEN_AT_60),
    Case("retires the day after", None, {"birth_date": date(1966, 1, 2)}, rules=MEN_AT_60),
    # Decree 135/2020: men 61y9m in 2027, so born 15/03/1966 retires on 15/12/2027
    Case("roadmap: man born 1966-03-15 in 2027", None, {"birth_date": date(1966, 3, 15)}, year=2027),
    Case("roadmap: man born 1966-03-15 in 2028", "in_service", {"birth_date": date(1966, 3, 15)}, year=2028),
    # women 57 in 2026: born 01/06/1969 retires on 01/06/2026
    Case("roadmap: woman born 1969-06-01 in 2026", None,
         {"birth_date": date(1969, 6, 1), "gender": Gender.FEMALE}),
    Case("roadmap: woman born 1969-06-01 in 2027", "in_service",
         {"birth_date": date(1969, 6, 1), "gender": Gender.FEMALE}, year=2027),
    Case("40 years old", None),
)  # fmt: skip

AT_MOST_45 = {"max_age": 45}  # Decree 171/2025: at most 45 at the first postgraduate nomination
CADRES_AT_MOST_45 = {**AT_MOST_45, "max_age_categories": CADRES}
UNDER_45 = {"max_age": 44}  # OVERSEAS: "dưới 45 tuổi"
AGE = table(
    rule_age,
    Case("exactly 45", None, {"birth_date": date(1981, 1, 1)}, AT_MOST_45),
    Case("46 that day", "age", {"birth_date": date(1980, 1, 1)}, AT_MOST_45),
    Case("45, 46 the next day", None, {"birth_date": date(1980, 1, 2)}, AT_MOST_45),
    Case("44 in 2026", None, {"birth_date": date(1981, 6, 15)}, AT_MOST_45),
    Case("45 in 2027", None, {"birth_date": date(1981, 6, 15)}, AT_MOST_45, year=2027),
    Case("46 in 2028", "age", {"birth_date": date(1981, 6, 15)}, AT_MOST_45, year=2028),
    Case("counted on 1 July: 46", "age", {"birth_date": date(1980, 6, 15)}, AT_MOST_45,
         rules={"reference_day": "07-01"}),
    Case("counted on 1 January: 45", None, {"birth_date": date(1980, 6, 15)}, AT_MOST_45),
    Case("viên chức, no age limit for them", None,
         {"birth_date": date(1970, 1, 1), "category": Category.VIEN_CHUC}, CADRES_AT_MOST_45),
    Case("công chức, 56", "age", {"birth_date": date(1970, 1, 1)}, CADRES_AT_MOST_45),
    Case("cán bộ, 56", "age", {"birth_date": date(1970, 1, 1), "category": Category.CAN_BO}, CADRES_AT_MOST_45),
    Case("viên chức when the limit is for all", "age",
         {"birth_date": date(1970, 1, 1), "category": Category.VIEN_CHUC}, AT_MOST_45),
    Case("under 45: 44", None, {"birth_date": date(1981, 1, 2)}, UNDER_45),
    Case("under 45: 45", "age", {"birth_date": date(1981, 1, 1)}, UNDER_45),
    Case("no limit", None, {"birth_date": date(1966, 1, 2)}),
)  # fmt: skip

THREE_YEARS = {"min_service_years": 3}  # Decree 171/2025 and 101/2017: at least 3 years of service
SERVICE = table(
    rule_service,
    Case("exactly 3 years (2023-2026, one leap day)", None, {"hired_date": date(2023, 1, 1)}, THREE_YEARS),
    Case("3 years less a day", "service_years", {"hired_date": date(2023, 1, 2)}, THREE_YEARS),
    Case("exactly 3 years (2025-2028, no leap day)", None, {"hired_date": date(2025, 1, 1)}, THREE_YEARS,
         year=2028),
    Case("2 years 7 months", "service_years", {"hired_date": date(2024, 6, 1)}, THREE_YEARS, year=2027),
    Case("3 years 7 months", None, {"hired_date": date(2024, 6, 1)}, THREE_YEARS, year=2028),
    Case("16 years", None, rule=THREE_YEARS),
    Case("a scenario's 4 years: exactly 4 (2022-2026, one leap day)", None, {"hired_date": date(2022, 1, 1)},
         {"min_service_years": 4}),
    Case("no hiring date", "service_years", {"hired_date": None}, THREE_YEARS, missing="hired_date"),
    Case("no condition, no hiring date", None, {"hired_date": None}),
)  # fmt: skip

# MASTER 2 years: with a commitment of 3 x the study time (Decree 171/2025) 2 + 6 = 8 working years
# left are needed; with 2 x (Decree 101/2017, viên chức) 2 + 4 = 6. Fixed retirement at 60 here,
# so that a birth date gives the retirement day directly.
MASTER = {"duration_years": 2}
PHD = {"duration_years": 3}
TIMES_3 = {"commitment_factor": 3}
TIMES_3_VC_2 = {"commitment_factor": 3, "commitment_factor_by_category": {Category.VIEN_CHUC: 2}}
VIEN_CHUC = {"category": Category.VIEN_CHUC}
COMMITMENT = table(
    rule_commitment,
    Case("exactly 8 years left (2034-01-01)", None, {"birth_date": date(1974, 1, 1)}, TIMES_3,
         program=MASTER, rules=MEN_AT_60),
    Case("8 years less a day", "years_left", {"birth_date": date(1973, 12, 31)}, TIMES_3,
         program=MASTER, rules=MEN_AT_60),
    Case("viên chức x2: 8 years less a day is enough", None, {"birth_date": date(1973, 12, 31), **VIEN_CHUC},
         TIMES_3_VC_2, program=MASTER, rules=MEN_AT_60),
    Case("viên chức x2: exactly 6 years (2032-01-01)", None, {"birth_date": date(1972, 1, 1), **VIEN_CHUC},
         TIMES_3_VC_2, program=MASTER, rules=MEN_AT_60),
    Case("viên chức x2: 6 years less a day", "years_left", {"birth_date": date(1971, 12, 31), **VIEN_CHUC},
         TIMES_3_VC_2, program=MASTER, rules=MEN_AT_60),
    Case("công chức keeps x3 beside a viên chức factor", "years_left", {"birth_date": date(1972, 1, 1)},
         TIMES_3_VC_2, program=MASTER, rules=MEN_AT_60),
    Case("Decree 101/2017 x2: 7 years left", None, {"birth_date": date(1973, 1, 1)}, {"commitment_factor": 2},
         program=MASTER, rules=MEN_AT_60),
    # roadmap: men 62 from 2028, so born 1976-01-01 retires on 2038-01-01: PHD 3 + 9 = 12 years
    Case("PHD, roadmap: exactly 12 years", None, {"birth_date": date(1976, 1, 1)}, TIMES_3, program=PHD),
    Case("PHD, roadmap: 12 years less a day", "years_left", {"birth_date": date(1975, 12, 31)}, TIMES_3,
         program=PHD),
    # roadmap: women 59y8m in 2034, so born 1975-01-01 retires on 2034-09-01
    Case("woman, roadmap: 8 years 8 months in 2026", None,
         {"birth_date": date(1975, 1, 1), "gender": Gender.FEMALE}, TIMES_3, program=MASTER),
    Case("woman, roadmap: 7 years 8 months in 2027", "years_left",
         {"birth_date": date(1975, 1, 1), "gender": Gender.FEMALE}, TIMES_3, program=MASTER, year=2027),
    # OVERSEAS: at least 2 working years left for a course of a month or more (Decree 101/2017)
    Case("OVERSEAS: exactly 2 years left (2028-01-01)", None, {"birth_date": date(1968, 1, 1)},
         {"min_years_left": 2}, rules=MEN_AT_60),
    Case("OVERSEAS: 2 years 5 months", None, {"birth_date": date(1968, 6, 1)}, {"min_years_left": 2},
         rules=MEN_AT_60),
    Case("OVERSEAS: 2 years less a day", "years_left", {"birth_date": date(1967, 12, 31)},
         {"min_years_left": 2}, rules=MEN_AT_60),
    Case("the larger of the two: 9 years, 10 needed", "years_left", {"birth_date": date(1975, 1, 1)},
         {**TIMES_3, "min_years_left": 10}, program=MASTER, rules=MEN_AT_60),
    Case("no condition: half a year left", None, {"birth_date": date(1966, 7, 1)}, program=MASTER,
         rules=MEN_AT_60),
)  # fmt: skip

BEFORE_TITLE = {"before_title_year": True}  # MISSION: no later than the year before the appointment
TITLE_YEAR = table(
    rule_title_year,
    Case("the year before the appointment", None, {"title_year": 2028}, BEFORE_TITLE, year=2027),
    Case("two years before", None, {"title_year": 2028}, BEFORE_TITLE, year=2026),
    Case("the appointment year itself", "title_year", {"title_year": 2028}, BEFORE_TITLE, year=2028),
    Case("after the appointment", "title_year", {"title_year": 2025}, BEFORE_TITLE),
    Case("no planned year", "title_year", {"title_year": None}, BEFORE_TITLE, missing="title_year"),
    Case("no condition, no planned year", None, {"title_year": None}),
)

NEEDS_MASTER = {"prerequisite_educations": [Education.MASTER], "prerequisite_programs": ["MASTER"]}
NEEDS_CK1 = {"prerequisite_educations": [Education.SPECIALIST_1], "prerequisite_programs": ["CK1"]}
PREREQUISITE = table(
    rule_prerequisite,
    Case("PHD: a master's", None, {"education": Education.MASTER}, NEEDS_MASTER),
    Case("PHD: a bachelor", "prerequisite", rule=NEEDS_MASTER),
    Case("PHD: MASTER 2024-2025 finished", None, rule=NEEDS_MASTER, history=(("MASTER", 2024),)),
    Case("PHD: MASTER 2025-2026 not finished in 2026", "prerequisite", rule=NEEDS_MASTER,
         history=(("MASTER", 2025),)),
    Case("PHD: MASTER 2025-2026 finished by 2027", None, rule=NEEDS_MASTER, history=(("MASTER", 2025),),
         year=2027),
    Case("PHD: another program", "prerequisite", rule=NEEDS_MASTER, history=(("DUTY", 2020),)),
    Case("CK2: CK I", None, {"education": Education.SPECIALIST_1}, NEEDS_CK1),
    Case("CK2: a bachelor", "prerequisite", rule=NEEDS_CK1),
    Case("CK2: CK1 2023-2024 finished", None, rule=NEEDS_CK1, history=(("CK1", 2023),)),
    Case("no prerequisite", None),
)  # fmt: skip

NOT_AWAY = table(
    rule_not_away,
    Case("no history", None),
    Case("MASTER 2025-2026, in 2026", "away", history=(("MASTER", 2025),)),
    Case("MASTER 2025-2026, in 2027", None, history=(("MASTER", 2025),), year=2027),
    Case("PHD 2024-2026, in 2026", "away", history=(("PHD", 2024),)),
    Case("PHD 2024-2026, in 2027", None, history=(("PHD", 2024),), year=2027),
    Case("a one-year class the year before", None, history=(("DUTY", 2025),)),
    Case("MASTER long finished", None, history=(("MASTER", 2018),)),
)

TABLES = {
    cases[0].values[0]: cases
    for cases in (
        CATEGORY, LEVEL, ROLE_GROUP, PROFESSION, EDUCATION, NOT_REPEATED, RATING, PIPELINE,
        PROGRAM_RUNS, IN_SERVICE, PREREQUISITE, NOT_AWAY, AGE, SERVICE, COMMITMENT, TITLE_YEAR,
    )
}  # fmt: skip


@pytest.mark.parametrize(("rule", "case"), [param for cases in TABLES.values() for param in cases])
def test_the_rule_gives_the_verdict_of_the_text(rule: Rule, case: Case) -> None:
    expected = None if case.expected is None else (case.expected, case.missing)
    assert verdict(rule, case) == expected


def test_every_rule_has_a_table_with_cases_that_hold_and_cases_that_fail() -> None:
    assert set(TABLES) == set(STATIC_RULES + YEARLY_RULES)
    for rule, cases in TABLES.items():
        verdicts = {param.values[1].expected is None for param in cases if not param.marks}
        assert verdicts == {True, False}, rule.__name__


# --- the cached verdicts on the boundary days ------------------------------------------------------
# tests/test_eligibility.py compares `eligible_starts` with the rules on generated provinces, where a
# birthday, hiring day or retirement day seldom falls on a threshold; here every one of them is
# placed the day before, on and after each threshold in each plan year.


def boundary_roster() -> tuple[list[Official], dict[str, list[TrainingRecord]]]:
    """Officials the day before, on and after the thresholds of the programs below in each plan
    year (reference day 1 July), officials due for a title each year, and officials who started
    MASTER in each year from 2022 (their history only differs)."""
    people: list[dict[str, Any]] = []
    for year in range(2026, 2031):
        for delta in (-1, 0, 1):
            day = date(year, 7, 1) + timedelta(days=delta)
            people += [
                {"birth_date": day.replace(year=year - 45)},
                {"birth_date": day.replace(year=year - 45), **VIEN_CHUC},
                {"hired_date": day.replace(year=year - 4)},
                {"birth_date": day.replace(year=year - 52)},  # 8 years left at 60
                {"birth_date": day.replace(year=year - 54), **VIEN_CHUC},  # 6 years left
                {"birth_date": day.replace(year=year - 58)},  # 2 years left
            ]
        people += [{"title_year": year}, {"title_year": year + 1}]
    officials = [official(i, **values) for i, values in enumerate(people)]
    studied = [official(len(officials) + i) for i in range(9)]
    history = {
        o.id: [TrainingRecord(official_id=o.id, program="MASTER", year=2022 + i)]
        for i, o in enumerate(studied)
    }
    return officials + studied, history


def boundary_plan() -> Scenario:
    """Programs with each threshold `boundary_roster` places officials around, 2026-2030."""
    programs = [
        slot_program("AGE", duration_years=1, eligibility=EligibilityRule(**CADRES_AT_MOST_45)),
        # 4 years: 1,461 days, a whole number, so that the day itself is the threshold
        slot_program("SERVICE", duration_years=1, eligibility=EligibilityRule(min_service_years=4)),
        slot_program("MASTER", eligibility=EligibilityRule(**TIMES_3_VC_2)),
        slot_program("OVERSEAS", duration_years=1, eligibility=EligibilityRule(min_years_left=2)),
        slot_program("TITLE", duration_years=1, eligibility=EligibilityRule(**BEFORE_TITLE)),
        slot_program("PHD", duration_years=3, eligibility=EligibilityRule(prerequisite_programs=["MASTER"])),
    ]
    return scenario(programs, end_year=2030, rules=Rules(reference_day="07-01", **MEN_AT_60))


def test_the_cached_verdicts_equal_the_rules_on_the_boundary_days() -> None:
    plan = boundary_plan()
    people, history = boundary_roster()
    cached, direct = Context(plan, history), Context(plan, history)
    for person in people:
        expected = {
            (p.code, y) for p in plan.programs for y in plan.years if is_eligible(person, p, y, direct)
        }
        assert eligible_starts(person, cached) == expected, person
