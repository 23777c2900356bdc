"""Coded values of the roster and the plan, with their labels in Vietnamese and English."""

from __future__ import annotations

from enum import Enum, StrEnum


class Coded(StrEnum):
    """An enum whose members carry a Vietnamese label (the value shown in workbooks) and an English one."""

    @property
    def label(self) -> str:
        """The Vietnamese label used in rosters and printed lists."""
        return LABELS[type(self), self.value]

    @property
    def label_en(self) -> str:
        """The English label (lower case, as it reads inside a sentence)."""
        return EN_LABELS[type(self), self.value]

    def label_in(self, lang: str) -> str:
        """The label in `lang` ('vi' or 'en'), as a heading or list entry shows it (capitalised)."""
        text = self.label_en if lang == "en" else self.label
        return text[:1].upper() + text[1:]


class Gender(Coded):
    MALE = "nam"
    FEMALE = "nu"


class Level(Coded):
    PROVINCE = "tinh"
    DISTRICT = "huyen"
    COMMUNE = "xa"


class Category(Coded):
    CAN_BO = "can_bo"
    CONG_CHUC = "cong_chuc"
    VIEN_CHUC = "vien_chuc"


class Education(Coded):
    """Highest qualification; the order of members is the order of seniority."""

    BELOW_COLLEGE = "duoi_cao_dang"
    COLLEGE = "cao_dang"
    BACHELOR = "dai_hoc"
    MASTER = "thac_si"
    DOCTOR = "tien_si"
    SPECIALIST_1 = "ck1"
    SPECIALIST_2 = "ck2"


class Rating(Coded):
    """Yearly rating of an official, best first."""

    EXCELLENT = "xuat_sac"
    GOOD = "tot"
    DONE = "hoan_thanh"
    NOT_DONE = "khong_hoan_thanh"

    @property
    def points(self) -> int:
        """3 for excellent down to 0 for not done."""
        return {"xuat_sac": 3, "tot": 2, "hoan_thanh": 1, "khong_hoan_thanh": 0}[self.value]


class RoleGroup(Coded):
    LANH_DAO_CAP_SO = "lanh_dao_cap_so"
    TRUONG_PHONG = "truong_phong"
    PHO_TRUONG_PHONG = "pho_truong_phong"
    CHUYEN_VIEN = "chuyen_vien"
    CHU_TICH_XA = "chu_tich_xa"
    PHO_CHU_TICH_XA = "pho_chu_tich_xa"
    CONG_CHUC_XA = "cong_chuc_xa"
    LANH_DAO_DON_VI = "lanh_dao_don_vi"
    VIEN_CHUC = "vien_chuc"


class ProgramKind(StrEnum):
    CLASS = "class"
    SLOT = "slot"


#: Every member with its Vietnamese and English label: the one vocabulary of the console, workbook and JSON.
_LABELS: list[tuple[Enum, str, str]] = [
    (Gender.MALE, "Nam", "male"),
    (Gender.FEMALE, "Nữ", "female"),
    (Level.PROVINCE, "Tỉnh", "province"),
    (Level.DISTRICT, "Huyện", "district"),
    (Level.COMMUNE, "Xã", "commune"),
    (Category.CAN_BO, "Cán bộ", "cán bộ"),
    (Category.CONG_CHUC, "Công chức", "công chức"),
    (Category.VIEN_CHUC, "Viên chức", "viên chức"),
    (Education.BELOW_COLLEGE, "Trung cấp", "below college"),
    (Education.COLLEGE, "Cao đẳng", "college"),
    (Education.BACHELOR, "Đại học", "bachelor's"),
    (Education.MASTER, "Thạc sĩ", "master's"),
    (Education.DOCTOR, "Tiến sĩ", "doctorate"),
    (Education.SPECIALIST_1, "Chuyên khoa I", "specialist level I"),
    (Education.SPECIALIST_2, "Chuyên khoa II", "specialist level II"),
    (Rating.EXCELLENT, "Hoàn thành xuất sắc nhiệm vụ", "excellent"),
    (Rating.GOOD, "Hoàn thành tốt nhiệm vụ", "good"),
    (Rating.DONE, "Hoàn thành nhiệm vụ", "satisfactory"),
    (Rating.NOT_DONE, "Không hoàn thành nhiệm vụ", "not satisfactory"),
    (RoleGroup.LANH_DAO_CAP_SO, "Lãnh đạo cấp sở, huyện", "department or district leader"),
    (RoleGroup.TRUONG_PHONG, "Trưởng phòng", "head of division"),
    (RoleGroup.PHO_TRUONG_PHONG, "Phó Trưởng phòng", "deputy head of division"),
    (
        RoleGroup.CHUYEN_VIEN,
        "Chuyên viên (công chức tỉnh, huyện)",
        "specialist (province or district công chức)",
    ),
    (RoleGroup.CHU_TICH_XA, "Chủ tịch UBND xã", "commune chair"),
    (RoleGroup.PHO_CHU_TICH_XA, "Phó Chủ tịch UBND xã", "commune vice-chair"),
    (RoleGroup.CONG_CHUC_XA, "Công chức xã", "commune công chức"),
    (RoleGroup.LANH_DAO_DON_VI, "Viên chức quản lý", "viên chức manager"),
    (RoleGroup.VIEN_CHUC, "Viên chức chuyên môn", "professional viên chức"),
]

# Members of different enums can share a value ('vien_chuc'), so labels are keyed by (enum, value).
LABELS: dict[tuple[type, str], str] = {(type(member), member.value): vi for member, vi, _ in _LABELS}
EN_LABELS: dict[tuple[type, str], str] = {(type(member), member.value): en for member, _, en in _LABELS}

#: Qualifications that count as holding a master's degree or more (for PHD, MASTER rules).
POSTGRADUATE = frozenset({Education.MASTER, Education.DOCTOR})
#: Program codes of the seed plan (MISSION.md); scenarios may add their own.
STANDARD_PROGRAMS = (
    "LEAD",
    "DUTY",
    "OVERSEAS",
    "COMMUNE_LEAD",
    "COMMUNE_STAFF",
    "VC_MGMT",
    "VC_TITLE",
    "MASTER",
    "PHD",
    "CK1",
    "CK2",
)
