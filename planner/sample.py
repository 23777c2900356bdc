"""A realistic synthetic province: rosters for demos, tests and benchmarks.

`generate_roster` builds the staff of a province unit by unit (provincial departments, district
People's Committees before July 2025, communes, hospitals and health centres, schools and other
public service units), then draws each person's name, age, qualification, ratings and training
history from the shares in DOMAIN.md. The same arguments always give the same roster; nothing is
read or written.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal, TypedDict

import numpy as np

from models import Category, Education, Gender, Level, Official, Rating, RoleGroup, Roster, TrainingRecord
from planner.io.text import numbered

Structure = Literal["2023", "2025"]

#: The shipped demo roster: generate_roster(size=3000, seed=2023, structure="2023", reference_year=2023).
SAMPLE_ROSTER_PATH = Path(__file__).parent / "data" / "sample-roster.xlsx"

CB, CC, VC = Category.CAN_BO, Category.CONG_CHUC, Category.VIEN_CHUC
R = RoleGroup
_ROLE_INDEX = {group: i for i, group in enumerate(RoleGroup)}

# ---------------------------------------------------------------------------------------------
# Shares of the province (DOMAIN.md: viên chức the large majority, education ~70 % of them,
# health ~17 %; công chức of the province and districts ~9 %; commune cán bộ, công chức ~12 %).

SECTOR_SHARES: dict[str, dict[str, float]] = {
    "2023": {
        "province": 0.05,
        "district": 0.04,
        "commune": 0.12,
        "health": 0.135,
        "other": 0.10,
        "education": 0.555,
    },
    "2025": {"province": 0.08, "commune": 0.13, "health": 0.135, "other": 0.10, "education": 0.555},
}
#: Average staff of a unit, used to decide how many units a sector has.
MEAN_DEPARTMENT_STAFF = 8  # small so that a small province still has all its departments
MEAN_DISTRICT_STAFF = 75
MEAN_COMMUNE_STAFF = {"2023": 20, "2025": 41}
MEAN_DIVISION_STAFF = 9
SENIOR_STAFF_SHARE = 0.3  # of staff without a leading post, "Chuyên viên chính" rather than "Chuyên viên"
COMMUNES_PER_REGION = 4  # 2025: regional health centres and service units cover about 4 communes

# ---------------------------------------------------------------------------------------------
# People: age and qualification mix of each kind of post ("profile").

EDUCATIONS = (
    Education.BELOW_COLLEGE,
    Education.COLLEGE,
    Education.BACHELOR,
    Education.MASTER,
    Education.DOCTOR,
    Education.SPECIALIST_1,
    Education.SPECIALIST_2,
)
_EDU = {e: i for i, e in enumerate(EDUCATIONS)}


@dataclass(frozen=True)
class Profile:
    """Age range (whole years on the reference day), its skew, and the qualification mix of a post."""

    age_min: int
    age_max: int
    skew: tuple[float, float]  # beta distribution of the age inside the range
    education: tuple[float, ...]  # weights in EDUCATIONS order


def _edu(
    tc: float = 0, cd: float = 0, dh: float = 0, ths: float = 0, ts: float = 0, ck1: float = 0, ck2: float = 0
) -> tuple[float, ...]:
    """Qualification weights in EDUCATIONS order (trung cấp, cao đẳng, đại học, thạc sĩ, ...)."""
    return (tc, cd, dh, ths, ts, ck1, ck2)


YOUNG, MIDDLE, SENIOR = (1.3, 1.7), (2.0, 2.0), (2.6, 1.8)
PROFILES: dict[str, Profile] = {
    # leaders and công chức of departments and districts
    "lanh_dao": Profile(45, 58, SENIOR, _edu(dh=22, ths=62, ts=16)),
    "pho_lanh_dao": Profile(40, 58, SENIOR, _edu(dh=30, ths=60, ts=10)),
    "truong_phong": Profile(35, 58, MIDDLE, _edu(dh=54, ths=42, ts=4)),
    "pho_truong_phong": Profile(30, 57, MIDDLE, _edu(dh=65, ths=33, ts=2)),
    "chuyen_vien": Profile(22, 45, YOUNG, _edu(cd=4, dh=83, ths=12, ts=1)),
    "chuyen_vien_chinh": Profile(35, 60, MIDDLE, _edu(dh=70, ths=27, ts=3)),
    # commune
    "chu_tich_xa": Profile(35, 58, SENIOR, _edu(tc=1, cd=2, dh=85, ths=12)),
    "pho_chu_tich_xa": Profile(30, 57, MIDDLE, _edu(tc=2, cd=4, dh=86, ths=8)),
    "can_bo_xa": Profile(30, 58, MIDDLE, _edu(tc=8, cd=10, dh=78, ths=4)),
    "doan_xa": Profile(22, 34, MIDDLE, _edu(tc=5, cd=15, dh=80)),
    "cuu_chien_binh": Profile(45, 60, SENIOR, _edu(tc=30, cd=20, dh=50)),
    "quan_su_xa": Profile(26, 55, MIDDLE, _edu(tc=30, cd=20, dh=50)),
    "truong_phong_xa": Profile(32, 58, MIDDLE, _edu(dh=85, ths=15)),
    "cong_chuc_xa": Profile(22, 60, YOUNG, _edu(tc=4, cd=12, dh=80, ths=4)),
    # health
    "giam_doc_y_te": Profile(42, 58, SENIOR, _edu(ths=14, ts=14, ck1=25, ck2=47)),
    "pho_giam_doc_y_te": Profile(38, 58, SENIOR, _edu(dh=5, ths=20, ts=8, ck1=37, ck2=30)),
    "truong_khoa": Profile(35, 58, MIDDLE, _edu(dh=5, ths=20, ts=4, ck1=51, ck2=20)),
    "pho_truong_khoa": Profile(30, 56, MIDDLE, _edu(dh=25, ths=20, ts=1, ck1=49, ck2=5)),
    "bac_si": Profile(24, 60, YOUNG, _edu(dh=55, ths=12, ts=1, ck1=28, ck2=4)),
    "duoc_si": Profile(22, 60, YOUNG, _edu(cd=15, dh=60, ths=8, ck1=15, ck2=2)),
    "dieu_duong": Profile(22, 58, YOUNG, _edu(tc=5, cd=45, dh=47, ths=3)),
    "ky_thuat_vien": Profile(22, 58, YOUNG, _edu(tc=3, cd=45, dh=50, ths=2)),
    "y_si": Profile(22, 58, YOUNG, _edu(tc=85, cd=15)),
    # managers and staff of schools and other public service units
    "vc_quan_ly": Profile(38, 58, SENIOR, _edu(dh=68, ths=29, ts=3)),
    "vc_pho_quan_ly": Profile(32, 57, MIDDLE, _edu(dh=77, ths=21, ts=2)),
    "vc_truong_phong": Profile(33, 58, MIDDLE, _edu(dh=72, ths=26, ts=2)),
    "vc_chuyen_mon": Profile(22, 60, YOUNG, _edu(cd=8, dh=79, ths=11, ts=2)),
    "vc_hanh_chinh": Profile(22, 60, YOUNG, _edu(tc=5, cd=15, dh=74, ths=6)),
    "gv_mam_non": Profile(22, 58, YOUNG, _edu(tc=4, cd=35, dh=59, ths=2)),
    "gv_tieu_hoc": Profile(22, 58, YOUNG, _edu(cd=14, dh=83, ths=3)),
    "gv_thcs": Profile(22, 60, YOUNG, _edu(cd=6, dh=85, ths=9)),
    "gv_thpt": Profile(23, 60, YOUNG, _edu(dh=74, ths=24, ts=2)),
}
_PROFILE_NAMES = tuple(PROFILES)
_PROFILE_INDEX = {name: i for i, name in enumerate(_PROFILE_NAMES)}


@dataclass(frozen=True)
class Post:
    """A job as the roster shows it: title (`Chức vụ`), category, role group and who holds it."""

    position: str
    category: Category
    role_group: RoleGroup
    profile: str
    female: float  # share of women holding it
    profession: str = ""  # empty: drawn from the person's field


#: Role groups of people who lead something (more often rated excellent, in the pipeline).
LEADER_GROUPS = frozenset(
    {
        R.LANH_DAO_CAP_SO,
        R.TRUONG_PHONG,
        R.PHO_TRUONG_PHONG,
        R.CHU_TICH_XA,
        R.PHO_CHU_TICH_XA,
        R.LANH_DAO_DON_VI,
    }
)
RATINGS = (Rating.EXCELLENT, Rating.GOOD, Rating.DONE, Rating.NOT_DONE)
RATING_WEIGHTS = {"staff": (15, 73, 11, 1), "leader": (27, 68, 5, 0)}
PIPELINE_SHARE = {"leader": 0.25, "young": 0.05}  # young: under 40 and rated good or better
TITLE_YEAR_SHARE = 0.09  # of professional viên chức, a title appointment within 7 years

# ---------------------------------------------------------------------------------------------
# Names (DOMAIN.md). Weights are percentages; the rest of the surnames share what is left.

SURNAMES = (
    ("Nguyễn", 38.4), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 2.6), ("Huỳnh", 2.5),
    ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
    ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 1.0), ("Đào", 0.9), ("Trương", 0.9),
    ("Lương", 0.7), ("Mai", 0.7), ("Trịnh", 0.7), ("Đoàn", 0.7), ("Lâm", 0.6), ("Cao", 0.6),
    ("Hà", 0.6), ("Tạ", 0.4), ("Châu", 0.4), ("Thái", 0.4), ("Lưu", 0.4), ("Tô", 0.3), ("Văn", 0.3),
    ("Chu", 0.3), ("Kiều", 0.2), ("La", 0.2), ("Quách", 0.2), ("Vương", 0.2), ("Triệu", 0.2),
)  # fmt: skip
MALE_MIDDLE = (
    ("Văn", 40), ("Minh", 8), ("Hữu", 6), ("Đức", 6), ("Quang", 5), ("Công", 5), ("Thanh", 5),
    ("Xuân", 4), ("Ngọc", 4), ("Quốc", 4), ("Anh", 3), ("Trọng", 3), ("Đình", 3), ("Tuấn", 2), ("Duy", 2),
)  # fmt: skip
FEMALE_MIDDLE = (
    ("Thị", 62), ("Thu", 6), ("Thanh", 5), ("Ngọc", 5), ("Minh", 3), ("Hồng", 3), ("Thúy", 3),
    ("Kim", 3), ("Phương", 2), ("Hoài", 2), ("Mỹ", 2), ("Diệu", 1), ("Bảo", 1), ("Khánh", 1), ("Hải", 1),
)  # fmt: skip
#: Women born later carry "Thị" less often: its weight is scaled by this below YOUNG_WOMAN_AGE.
YOUNG_WOMAN_AGE, YOUNG_THI_FACTOR = 32, 0.55
_FREQUENT, _OTHER = 3, 1  # weights of DOMAIN.md's frequent given names and of the others


def _words(text: str, weight: float = 1) -> tuple[tuple[str, float], ...]:
    """Space-separated names, each with `weight`."""
    return tuple((word, weight) for word in text.split())


MALE_GIVEN = (
    _words("Tuấn Hoàng Huy Anh Hiếu Hùng Nam Sơn Đức Dũng Thành Đạt Cường Long Trung Hải", _FREQUENT)
    + _words("Minh Quang Thắng Phong Bình Khoa Tùng Lâm Việt Quân Vinh Tài Phúc Hưng Lợi", _OTHER)
    + _words("Hậu Toàn Tú Kiên Thịnh Bảo Khánh Phát Tân Hiển Lộc Nghĩa Thái Tiến Khải", _OTHER)
)
FEMALE_GIVEN = (
    _words("Trang Thảo Linh Anh Phương Hằng Huyền Hiền Hương Ngọc Dung Nhung Thủy", _FREQUENT)
    + _words("Hà Lan Mai Hoa Yến Nga Vân Oanh Loan Quyên Hạnh Thu Giang Ly Nhi Vy Tâm", _OTHER)
    + _words("Diệp Châu Liên Nguyệt Thư Uyên Hòa Bích Duyên Hồng Lê Thắm Tuyết Xuân", _OTHER)
)

# Place names: two syllables, as most communes and districts are called.
PLACE_FIRST = [
    word
    for word, _ in _words(
        "Tân Phú Hòa An Bình Thạnh Phước Long Vĩnh Đông Tây Nam Bắc Quảng Hưng Thuận Hiệp Đại Trung Xuân "
        "Thanh Minh Hải Sơn Đức Cẩm Kim Hồng Mỹ Lộc Phong Thịnh Thái Quang Tiên Hương Yên Khánh Phúc Lạc"
    )
]
PLACE_SECOND = [
    word
    for word, _ in _words(
        "Lập Hòa Bình An Phú Thành Lợi Lộc Hưng Thịnh Phước Long Mỹ Thuận Sơn Hải Trung Đông Tây Nam Bắc "
        "Xuân Thạnh Hiệp Tiến Quang Phong Định Khánh Điền Hà Giang Thủy Lâm Châu Tân Hội Nghĩa Tín Đức"
    )
]
#: People high schools are named after; the first one is the specialised school.
SCHOOL_PATRONS = (
    "Lê Quý Đôn", "Nguyễn Du", "Trần Phú", "Phan Bội Châu", "Nguyễn Trãi", "Chu Văn An", "Lê Lợi",
    "Quang Trung", "Nguyễn Huệ", "Trần Hưng Đạo", "Lý Thường Kiệt", "Ngô Quyền", "Nguyễn Bỉnh Khiêm",
    "Lương Thế Vinh", "Hùng Vương", "Phan Chu Trinh", "Huỳnh Thúc Kháng", "Nguyễn Thị Minh Khai",
    "Lê Hồng Phong", "Trần Quốc Tuấn", "Nguyễn Khuyến", "Tô Hiến Thành", "Hoàng Hoa Thám",
    "Phan Đình Phùng", "Nguyễn Văn Cừ", "Trưng Vương", "Bà Triệu", "Lê Thánh Tông", "Nguyễn Đình Chiểu",
    "Võ Thị Sáu", "Lê Duẩn", "Trần Quang Khải", "Nguyễn Công Trứ", "Lê Văn Tám", "Hàn Thuyên",
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# Units: departments (sở) and districts with their divisions (phòng), communes, public service units.

F_FINANCE = "Tài chính - Kế toán"


@dataclass(frozen=True)
class Division:
    """A division (phòng) of a department or district; staff fields are drawn from `fields`."""

    name: str
    fields: tuple[str, ...]
    head: str = ""  # title of its head when not "Trưởng phòng <name>"
    deputy: str = ""

    @property
    def head_title(self) -> str:
        return self.head or f"Trưởng phòng {self.name}"

    @property
    def deputy_title(self) -> str:
        return self.deputy or f"Phó Trưởng phòng {self.name}"


def _div(name: str, *fields: str) -> Division:
    return Division(name, fields)


OFFICE = Division(
    "Văn phòng", ("Tổng hợp", "Lưu trữ", F_FINANCE), "Chánh Văn phòng Sở", "Phó Chánh Văn phòng Sở"
)

#: Divisions of the departments of 2023, by short key. Each sở also has a Văn phòng (OFFICE).
DIVISIONS: dict[str, tuple[Division, ...]] = {
    "noi_vu": (
        _div("Tổ chức, biên chế và tổ chức phi chính phủ", "Tổ chức và cán bộ"),
        _div("Công chức, viên chức", "Quản lý nguồn nhân lực", "Tổ chức và cán bộ"),
        _div("Xây dựng chính quyền và công tác thanh niên", "Tổ chức và cán bộ"),
        _div("Cải cách hành chính", "Cải cách hành chính", "Công nghệ thông tin"),
        _div("Văn thư - Lưu trữ", "Lưu trữ"),
        _div("Thi đua - Khen thưởng", "Thi đua - Khen thưởng"),
    ),
    "tai_chinh": (
        _div("Quản lý ngân sách", F_FINANCE),
        _div("Tài chính đầu tư", F_FINANCE),
        _div("Quản lý giá và công sản", F_FINANCE),
        _div("Tài chính hành chính sự nghiệp", F_FINANCE),
        _div("Tài chính doanh nghiệp", F_FINANCE),
    ),
    "van_phong": (
        _div("Tổng hợp", "Tổng hợp"),
        _div("Kinh tế", "Kinh tế", "Phát triển đô thị"),
        _div("Khoa giáo - Văn xã", "Văn hóa - Xã hội", "Giáo dục", "Y tế"),
        _div("Nội chính", "Nội chính"),
        _div("Hành chính - Tổ chức", "Tổ chức và cán bộ", "Lưu trữ"),
        _div("Kiểm soát thủ tục hành chính", "Cải cách hành chính"),
    ),
    "ke_hoach": (
        _div("Tổng hợp, quy hoạch", "Quy hoạch", "Kinh tế"),
        _div("Đăng ký kinh doanh", "Kinh tế"),
        _div("Kinh tế ngành", "Kinh tế"),
        _div("Đấu thầu, thẩm định và giám sát đầu tư", F_FINANCE, "Quản lý xây dựng"),
    ),
    "giao_duc": (
        _div("Giáo dục trung học", "Giáo dục"),
        _div("Giáo dục tiểu học", "Giáo dục"),
        _div("Giáo dục mầm non", "Giáo dục"),
        _div("Tổ chức cán bộ", "Tổ chức và cán bộ", "Quản lý nguồn nhân lực"),
        _div("Kế hoạch - Tài chính", F_FINANCE),
        _div("Khảo thí và Kiểm định chất lượng giáo dục", "Giáo dục", "Công nghệ thông tin"),
    ),
    "y_te": (
        _div("Nghiệp vụ Y", "Y tế"),
        _div("Nghiệp vụ Dược", "Y tế"),
        _div("Tổ chức cán bộ", "Tổ chức và cán bộ", "Quản lý nguồn nhân lực"),
        _div("Kế hoạch - Tài chính", F_FINANCE),
        _div("Dân số - Kế hoạch hóa gia đình", "Y tế"),
        _div("An toàn thực phẩm", "Y tế"),
    ),
    "xay_dung": (
        _div("Quy hoạch - Kiến trúc", "Quy hoạch", "Kiến trúc"),
        _div("Quản lý xây dựng", "Quản lý xây dựng"),
        _div("Phát triển đô thị", "Phát triển đô thị", "Quản lý đô thị"),
        _div("Hạ tầng kỹ thuật", "Quản lý đô thị", "Kỹ thuật"),
        _div("Kinh tế và Vật liệu xây dựng", "Kỹ thuật", "Quản lý xây dựng"),
        _div("Quản lý nhà và thị trường bất động sản", "Quản lý đô thị"),
    ),
    "tai_nguyen": (
        _div("Quản lý đất đai", "Quản lý đất đai"),
        _div("Đo đạc, bản đồ và viễn thám", "Quản lý đất đai", "Công nghệ thông tin"),
        _div("Tài nguyên nước và khoáng sản", "Tài nguyên và Môi trường"),
        _div("Bảo vệ môi trường", "Tài nguyên và Môi trường"),
    ),
    "nong_nghiep": (
        _div("Trồng trọt và Bảo vệ thực vật", "Nông nghiệp công nghệ cao", "Nông nghiệp"),
        _div("Chăn nuôi và Thú y", "Nông nghiệp"),
        _div("Kiểm lâm", "Lâm nghiệp"),
        _div("Thủy lợi", "Thủy lợi"),
        _div("Phát triển nông thôn", "Nông nghiệp"),
        _div("Quản lý chất lượng nông lâm sản và thủy sản", "Nông nghiệp công nghệ cao"),
        _div("Kế hoạch - Tài chính", F_FINANCE),
    ),
    "tu_phap": (
        _div("Xây dựng và kiểm tra văn bản quy phạm pháp luật", "Tư pháp"),
        _div("Hành chính tư pháp", "Tư pháp"),
        _div("Bổ trợ tư pháp", "Tư pháp"),
        _div("Phổ biến, giáo dục pháp luật", "Tư pháp"),
    ),
    "thanh_tra": (
        _div("Nghiệp vụ 1", "Thanh tra"),
        _div("Nghiệp vụ 2", "Thanh tra"),
        _div("Nghiệp vụ 3", "Thanh tra"),
        _div("Tiếp công dân và xử lý đơn thư", "Thanh tra"),
        _div("Giám sát, kiểm tra và xử lý sau thanh tra", "Thanh tra"),
    ),
    "cong_thuong": (
        _div("Quản lý công nghiệp", "Công nghiệp"),
        _div("Quản lý thương mại", "Thương mại"),
        _div("Quản lý năng lượng", "Kỹ thuật"),
        _div("Kỹ thuật an toàn - Môi trường", "Kỹ thuật"),
    ),
    "khoa_hoc": (
        _div("Quản lý khoa học", "Khoa học và công nghệ"),
        _div("Quản lý công nghệ và thị trường công nghệ", "Kỹ thuật công nghệ", "Khoa học và công nghệ"),
        _div("Sở hữu trí tuệ", "Khoa học và công nghệ"),
        _div("Quản lý chuyên ngành", "Khoa học và công nghệ"),
    ),
    "thong_tin": (
        _div("Công nghệ thông tin", "Công nghệ thông tin"),
        _div("Bưu chính, Viễn thông", "Công nghệ thông tin và truyền thông"),
        _div("Thông tin - Báo chí - Xuất bản", "Thông tin - Truyền thông"),
        _div("Chuyển đổi số", "Công nghệ thông tin", "Trí tuệ nhân tạo"),
    ),
    "van_hoa": (
        _div("Quản lý du lịch", "Du lịch"),
        _div("Quản lý văn hóa", "Văn hóa"),
        _div("Quản lý thể dục thể thao", "Thể dục thể thao"),
        _div("Quản lý di sản văn hóa", "Văn hóa", "Du lịch"),
    ),
    "lao_dong": (
        _div("Lao động - Việc làm - Giáo dục nghề nghiệp", "Lao động - Xã hội"),
        _div("Người có công", "Lao động - Xã hội"),
        _div("Bảo trợ xã hội", "Lao động - Xã hội"),
        _div("Bảo vệ, chăm sóc trẻ em và Bình đẳng giới", "Lao động - Xã hội"),
    ),
    "giao_thong": (
        _div("Quản lý kết cấu hạ tầng giao thông", "Quản lý xây dựng", "Giao thông vận tải"),
        _div("Quản lý vận tải, phương tiện và người lái", "Giao thông vận tải"),
        _div("Quản lý chất lượng công trình giao thông", "Quản lý xây dựng", "Kỹ thuật"),
    ),
}


@dataclass(frozen=True)
class Department:
    """A provincial department (sở or equivalent) made of the divisions of `parts`."""

    name: str
    parts: tuple[str, ...]  # keys of DIVISIONS (several after the 2025 mergers)
    weight: float  # relative staff size
    head: str = "Giám đốc Sở"
    deputy: str = "Phó Giám đốc Sở"
    staff: str = "Chuyên viên"  # title of staff without a leading post
    office: bool = True  # has its own Văn phòng

    @property
    def divisions(self) -> tuple[Division, ...]:
        """Its divisions, the Văn phòng last (so a small department keeps its core business)."""
        seen: dict[str, Division] = {}
        for part in self.parts:
            for division in DIVISIONS[part]:
                seen.setdefault(division.name, division)
        return (*seen.values(), *((OFFICE,) if self.office else ()))


class _Titles(TypedDict, total=False):
    """Titles and office of a department that differ from a sở's."""

    head: str
    deputy: str
    staff: str
    office: bool


_THANH_TRA: _Titles = {
    "head": "Chánh Thanh tra tỉnh",
    "deputy": "Phó Chánh Thanh tra tỉnh",
    "staff": "Thanh tra viên",
    "office": False,
}
_VAN_PHONG: _Titles = {
    "head": "Chánh Văn phòng UBND tỉnh",
    "deputy": "Phó Chánh Văn phòng UBND tỉnh",
    "office": False,
}
#: Departments, most central first (a very small province keeps only the first ones).
DEPARTMENTS: dict[str, tuple[Department, ...]] = {
    "2023": (
        Department("Sở Nội vụ", ("noi_vu",), 1.3),
        Department("Sở Tài chính", ("tai_chinh",), 1.2),
        Department("Văn phòng UBND tỉnh", ("van_phong",), 1.1, **_VAN_PHONG),
        Department("Sở Kế hoạch và Đầu tư", ("ke_hoach",), 0.9),
        Department("Sở Giáo dục và Đào tạo", ("giao_duc",), 1.0),
        Department("Sở Y tế", ("y_te",), 1.0),
        Department("Sở Xây dựng", ("xay_dung",), 0.9),
        Department("Sở Tài nguyên và Môi trường", ("tai_nguyen",), 1.1),
        Department("Sở Nông nghiệp và Phát triển nông thôn", ("nong_nghiep",), 2.0),
        Department("Sở Tư pháp", ("tu_phap",), 0.6),
        Department("Thanh tra tỉnh", ("thanh_tra",), 0.8, **_THANH_TRA),
        Department("Sở Công Thương", ("cong_thuong",), 0.8),
        Department("Sở Khoa học và Công nghệ", ("khoa_hoc",), 0.6),
        Department("Sở Thông tin và Truyền thông", ("thong_tin",), 0.5),
        Department("Sở Văn hóa, Thể thao và Du lịch", ("van_hoa",), 0.8),
        Department("Sở Lao động - Thương binh và Xã hội", ("lao_dong",), 0.8),
        Department("Sở Giao thông vận tải", ("giao_thong",), 0.9),
    ),
    # Decree 45/2025/NĐ-CP: the 12 departments every province has.
    "2025": (
        Department("Sở Nội vụ", ("noi_vu", "lao_dong"), 1.9),
        Department("Sở Tài chính", ("tai_chinh", "ke_hoach"), 2.0),
        Department("Văn phòng UBND tỉnh", ("van_phong",), 1.1, **_VAN_PHONG),
        Department("Sở Giáo dục và Đào tạo", ("giao_duc",), 1.0),
        Department("Sở Y tế", ("y_te",), 1.1),
        Department("Sở Xây dựng", ("xay_dung", "giao_thong"), 1.7),
        Department("Sở Nông nghiệp và Môi trường", ("nong_nghiep", "tai_nguyen"), 3.0),
        Department("Sở Tư pháp", ("tu_phap",), 0.6),
        Department("Thanh tra tỉnh", ("thanh_tra",), 0.9, **_THANH_TRA),
        Department("Sở Công Thương", ("cong_thuong",), 0.8),
        Department("Sở Khoa học và Công nghệ", ("khoa_hoc", "thong_tin"), 1.1),
        Department("Sở Văn hóa, Thể thao và Du lịch", ("van_hoa",), 0.8),
    ),
}

#: Divisions of a district People's Committee (2023); the city has urban ones instead of rural ones.
DISTRICT_DIVISIONS = (
    _div("Tài chính - Kế hoạch", F_FINANCE),
    _div("Tài nguyên và Môi trường", "Quản lý đất đai", "Tài nguyên và Môi trường"),
    _div("Nội vụ", "Tổ chức và cán bộ", "Quản lý nguồn nhân lực", "Lưu trữ"),
    _div("Giáo dục và Đào tạo", "Giáo dục"),
    _div("Tư pháp", "Tư pháp"),
    _div("Lao động - Thương binh và Xã hội", "Lao động - Xã hội"),
    _div("Văn hóa và Thông tin", "Văn hóa", "Công nghệ thông tin"),
    _div("Y tế", "Y tế"),
    Division("Văn phòng HĐND và UBND", ("Tổng hợp", "Lưu trữ"), "Chánh Văn phòng HĐND và UBND", "Phó Chánh Văn phòng HĐND và UBND"),
    Division("Thanh tra", ("Thanh tra",), "Chánh Thanh tra", "Phó Chánh Thanh tra"),
)  # fmt: skip
RURAL_DIVISIONS = (
    _div("Kinh tế và Hạ tầng", "Quản lý xây dựng", "Kinh tế"),
    _div("Nông nghiệp và Phát triển nông thôn", "Nông nghiệp", "Nông nghiệp công nghệ cao"),
)
URBAN_DIVISIONS = (
    _div("Quản lý đô thị", "Quản lý đô thị", "Phát triển đô thị", "Quản lý xây dựng"),
    _div("Kinh tế", "Kinh tế"),
)

CommunePost = tuple[Post, tuple[str, ...]]  # a post and the fields its holders work in


@cache
def _commune_posts(kind: str, structure: Structure) -> tuple[list[CommunePost], list[CommunePost]]:
    """Posts of a commune (`kind`: xã, phường, thị trấn): the fixed ones in order, then the staff cycle."""

    def cb(title: str, group: RoleGroup, profile: str, female: float, *fields: str) -> CommunePost:
        return Post(title, CB, group, profile, female), fields or ("Công tác Đảng, đoàn thể",)

    def cc(title: str, profile: str, female: float, *fields: str) -> CommunePost:
        return Post(title, CC, R.CONG_CHUC_XA, profile, female), fields

    fixed = [
        cb(f"Chủ tịch UBND {kind}", R.CHU_TICH_XA, "chu_tich_xa", 0.12, "Quản lý nhà nước"),
        cb(f"Phó Chủ tịch UBND {kind}", R.PHO_CHU_TICH_XA, "pho_chu_tich_xa", 0.2, "Kinh tế"),
        cb(f"Phó Chủ tịch UBND {kind}", R.PHO_CHU_TICH_XA, "pho_chu_tich_xa", 0.3, "Văn hóa - Xã hội"),
        cb(f"Bí thư Đảng ủy {kind}", R.CONG_CHUC_XA, "chu_tich_xa", 0.12),
    ]
    if structure == "2023":
        office = cc("Công chức Văn phòng - Thống kê", "cong_chuc_xa", 0.6, "Văn phòng - Thống kê", "Lưu trữ")
        land = cc(
            "Công chức Địa chính - Xây dựng", "cong_chuc_xa", 0.3, "Quản lý đất đai", "Quản lý xây dựng"
        )
        finance = cc("Công chức Tài chính - Kế toán", "cong_chuc_xa", 0.65, F_FINANCE)
        justice = cc("Công chức Tư pháp - Hộ tịch", "cong_chuc_xa", 0.5, "Tư pháp")
        social = cc(
            "Công chức Văn hóa - Xã hội", "cong_chuc_xa", 0.5, "Văn hóa - Xã hội", "Lao động - Xã hội"
        )
        fixed += [
            office,
            land,
            finance,
            justice,
            social,
            cc("Chỉ huy trưởng Ban Chỉ huy Quân sự", "quan_su_xa", 0.0, "Quốc phòng"),
            cb(f"Phó Bí thư Đảng ủy {kind}", R.CONG_CHUC_XA, "can_bo_xa", 0.25),
            cb(f"Phó Chủ tịch HĐND {kind}", R.CONG_CHUC_XA, "can_bo_xa", 0.3, "Quản lý nhà nước"),
            cb(f"Chủ tịch UBMTTQ Việt Nam {kind}", R.CONG_CHUC_XA, "can_bo_xa", 0.3),
            cb("Bí thư Đoàn TNCS Hồ Chí Minh", R.CONG_CHUC_XA, "doan_xa", 0.4),
            cb("Chủ tịch Hội Liên hiệp Phụ nữ", R.CONG_CHUC_XA, "can_bo_xa", 1.0),
            cb("Chủ tịch Hội Nông dân", R.CONG_CHUC_XA, "can_bo_xa", 0.15, "Nông nghiệp"),
            cb("Chủ tịch Hội Cựu chiến binh", R.CONG_CHUC_XA, "cuu_chien_binh", 0.05),
        ]
        return fixed, [land, office, social, justice, finance]
    economy = "Kinh tế, Hạ tầng và Đô thị" if kind == "phường" else "Kinh tế"
    econ_fields = ("Quản lý đất đai", "Quản lý xây dựng", "Quản lý đô thị", "Nông nghiệp", F_FINANCE)
    office_fields = ("Tổng hợp", "Lưu trữ", "Tư pháp", F_FINANCE, "Công nghệ thông tin")
    social_fields = ("Văn hóa - Xã hội", "Giáo dục", "Y tế", "Lao động - Xã hội")
    fixed += [
        cc("Chánh Văn phòng HĐND và UBND", "truong_phong_xa", 0.35, *office_fields[:1]),
        cc(f"Trưởng phòng {economy}", "truong_phong_xa", 0.25, *econ_fields),
        cc("Trưởng phòng Văn hóa - Xã hội", "truong_phong_xa", 0.45, *social_fields),
        cb(f"Phó Bí thư Đảng ủy {kind}", R.CONG_CHUC_XA, "can_bo_xa", 0.25),
        cb(f"Chủ tịch HĐND {kind}", R.CONG_CHUC_XA, "chu_tich_xa", 0.15, "Quản lý nhà nước"),
        cb(f"Phó Chủ tịch HĐND {kind}", R.CONG_CHUC_XA, "can_bo_xa", 0.3, "Quản lý nhà nước"),
        cb(f"Chủ tịch UBMTTQ Việt Nam {kind}", R.CONG_CHUC_XA, "can_bo_xa", 0.3),
        cb(f"Phó Chủ tịch UBMTTQ Việt Nam {kind}", R.CONG_CHUC_XA, "can_bo_xa", 0.6),
        cb(f"Phó Chủ tịch UBMTTQ Việt Nam {kind}", R.CONG_CHUC_XA, "doan_xa", 0.4),
        cc("Phó Chánh Văn phòng HĐND và UBND", "truong_phong_xa", 0.45, *office_fields),
        cc(f"Phó Trưởng phòng {economy}", "truong_phong_xa", 0.3, *econ_fields),
        cc("Phó Trưởng phòng Văn hóa - Xã hội", "truong_phong_xa", 0.55, *social_fields),
        cc("Chỉ huy trưởng Ban Chỉ huy Quân sự", "quan_su_xa", 0.0, "Quốc phòng"),
    ]
    cycle = [
        cc(f"Chuyên viên Phòng {economy}", "cong_chuc_xa", 0.4, *econ_fields),
        cc("Chuyên viên Văn phòng HĐND và UBND", "cong_chuc_xa", 0.6, *office_fields),
        cc(f"Chuyên viên Phòng {economy}", "cong_chuc_xa", 0.4, *econ_fields),
        cc("Chuyên viên Phòng Văn hóa - Xã hội", "cong_chuc_xa", 0.55, *social_fields),
    ]
    return fixed, cycle


# Health: sections (khoa) of each kind of unit and its professional mix.
HOSPITAL_WARDS = (
    "Khám bệnh", "Nội tổng hợp", "Ngoại tổng hợp", "Hồi sức tích cực - Chống độc", "Cấp cứu", "Phụ sản",
    "Nhi", "Chẩn đoán hình ảnh", "Xét nghiệm", "Dược", "Gây mê hồi sức", "Tim mạch", "Truyền nhiễm",
    "Thần kinh", "Ung bướu", "Y học cổ truyền", "Phục hồi chức năng", "Răng Hàm Mặt", "Tai Mũi Họng",
    "Mắt", "Nội tiết", "Thận - Tiết niệu", "Chấn thương chỉnh hình", "Kiểm soát nhiễm khuẩn",
)  # fmt: skip
HEALTH_CENTRE_WARDS = (
    "Khám bệnh", "Nội", "Ngoại", "Hồi sức cấp cứu", "Chăm sóc sức khỏe sinh sản", "Nhi",
    "Xét nghiệm - Chẩn đoán hình ảnh", "Dược", "Kiểm soát bệnh tật và HIV/AIDS",
    "Y tế công cộng và Dinh dưỡng", "Y học cổ truyền - Phục hồi chức năng", "An toàn thực phẩm",
)  # fmt: skip
CDC_WARDS = (
    "Phòng, chống bệnh truyền nhiễm", "Phòng, chống bệnh không lây nhiễm", "Dinh dưỡng",
    "Sức khỏe sinh sản", "Xét nghiệm", "Truyền thông, giáo dục sức khỏe", "Sức khỏe môi trường",
)  # fmt: skip
#: Administrative divisions of a hospital: name, profession of its head.
HOSPITAL_OFFICES = (
    ("Kế hoạch tổng hợp", "Bác sĩ"), ("Tổ chức cán bộ", "Quản trị nhân lực"), ("Tài chính kế toán", "Kế toán"),
    ("Điều dưỡng", "Điều dưỡng"), ("Hành chính quản trị", "Quản trị văn phòng"),
    ("Vật tư - Thiết bị y tế", "Kỹ thuật y sinh"), ("Quản lý chất lượng", "Bác sĩ"), ("Công tác xã hội", "Công tác xã hội"),
)  # fmt: skip


def _health_staff(title: str, profile: str, female: float, profession: str) -> Post:
    return Post(title, VC, R.VIEN_CHUC, profile, female, profession)


DOCTOR = _health_staff("Bác sĩ", "bac_si", 0.45, "Bác sĩ")
PHARMACIST = _health_staff("Dược sĩ", "duoc_si", 0.7, "Dược sĩ")
NURSE = _health_staff("Điều dưỡng", "dieu_duong", 0.86, "Điều dưỡng")
MIDWIFE = _health_staff("Hộ sinh", "dieu_duong", 1.0, "Hộ sinh")
TECHNICIAN = _health_staff("Kỹ thuật viên", "ky_thuat_vien", 0.55, "Kỹ thuật viên")
ASSISTANT_DOCTOR = _health_staff("Y sĩ", "y_si", 0.6, "Y sĩ")
ACCOUNTANT = Post("Kế toán", VC, R.VIEN_CHUC, "vc_hanh_chinh", 0.75, "Kế toán")
CLERK = Post("Nhân viên hành chính", VC, R.VIEN_CHUC, "vc_hanh_chinh", 0.6, "Quản trị văn phòng")
HEALTH_MIX: dict[str, tuple[tuple[Post, float], ...]] = {
    "hospital": (
        (DOCTOR, 25), (PHARMACIST, 4), (NURSE, 42), (MIDWIFE, 5), (TECHNICIAN, 12),
        (ASSISTANT_DOCTOR, 2), (ACCOUNTANT, 3), (CLERK, 7),
    ),
    "centre": (
        (DOCTOR, 22), (PHARMACIST, 5), (NURSE, 30), (MIDWIFE, 10), (TECHNICIAN, 8),
        (ASSISTANT_DOCTOR, 15), (ACCOUNTANT, 3), (CLERK, 7),
    ),
    "cdc": (
        (DOCTOR, 30), (PHARMACIST, 5), (NURSE, 15), (TECHNICIAN, 20), (ASSISTANT_DOCTOR, 10),
        (ACCOUNTANT, 5), (CLERK, 15),
    ),
}  # fmt: skip
WARDS = {"hospital": HOSPITAL_WARDS, "centre": HEALTH_CENTRE_WARDS, "cdc": CDC_WARDS}
PROVINCIAL_HOSPITAL, PROVINCIAL_HOSPITAL_WEIGHT = "Bệnh viện Đa khoa tỉnh", 10.0
#: Specialised provincial hospitals, in the order a growing province opens them; staff weight.
SPECIALISED_HOSPITALS = (
    ("Bệnh viện Sản - Nhi tỉnh", 3.0), ("Bệnh viện Y dược cổ truyền tỉnh", 1.5), ("Bệnh viện Phổi tỉnh", 1.0),
    ("Bệnh viện Tâm thần tỉnh", 1.0), ("Bệnh viện Mắt tỉnh", 0.8), ("Bệnh viện Phục hồi chức năng tỉnh", 0.8),
    ("Bệnh viện Da liễu tỉnh", 0.5), ("Bệnh viện Nội tiết tỉnh", 0.5),
)  # fmt: skip
CDC_UNIT, CDC_WEIGHT = "Trung tâm Kiểm soát bệnh tật tỉnh", 2.0
STAFF_PER_SPECIALISED_HOSPITAL = 500  # of the health sector's staff, per specialised hospital
STAFF_PER_REGIONAL_HOSPITAL = 3000
REGIONAL_HOSPITAL_WEIGHT, HEALTH_CENTRE_WEIGHT = 3.5, 2.5


# Schools.
@dataclass(frozen=True)
class SchoolKind:
    """A kind of school: name prefix, share of the education staff, usual size and who teaches."""

    prefix: str
    share: float
    mean_staff: int
    teacher_profile: str
    female: float  # share of women among teachers
    head_female: float  # ... and among the principal and deputies
    head: str = "Hiệu trưởng"
    deputy: str = "Phó Hiệu trưởng"


SCHOOL_KINDS = {
    "mam_non": SchoolKind("Trường Mầm non", 0.27, 30, "gv_mam_non", 0.98, 0.95),
    "tieu_hoc": SchoolKind("Trường Tiểu học", 0.35, 38, "gv_tieu_hoc", 0.82, 0.6),
    "thcs": SchoolKind("Trường THCS", 0.23, 40, "gv_thcs", 0.72, 0.45),
    "thpt": SchoolKind("Trường THPT", 0.13, 75, "gv_thpt", 0.62, 0.3),
    "gdtx": SchoolKind("Trung tâm GDNN - GDTX", 0.02, 25, "gv_thpt", 0.55, 0.3, "Giám đốc", "Phó Giám đốc"),
}
#: Staff of a school other than teachers: post, minimum school size for it.
SCHOOL_SUPPORT = (
    (ACCOUNTANT, 12),
    (Post("Nhân viên Thư viện - Thiết bị", VC, R.VIEN_CHUC, "vc_hanh_chinh", 0.75, "Thư viện"), 20),
    (Post("Nhân viên Y tế trường học", VC, R.VIEN_CHUC, "y_si", 0.8, "Y sĩ"), 25),
    (Post("Nhân viên Văn thư", VC, R.VIEN_CHUC, "vc_hanh_chinh", 0.8, "Văn thư - Lưu trữ"), 35),
)


# Other public service units (trung tâm, ban quản lý dự án, đài ...).
@dataclass(frozen=True)
class Centre:
    """A public service unit outside health and education: name, staff weight, field, professions."""

    name: str
    weight: float
    field: str
    staff: tuple[tuple[str, str, float], ...]  # title, profession, weight
    female: float = 0.5


CENTRE_DIVISIONS = (
    "Hành chính - Tổng hợp",
    "Nghiệp vụ",
    "Kỹ thuật",
    "Kế hoạch - Tài chính",
    "Dịch vụ",
    "Tư vấn",
)
PROVINCIAL_CENTRES = (
    Centre("Văn phòng Đăng ký đất đai tỉnh", 2.0, "Quản lý đất đai",
           (("Địa chính viên", "Quản lý đất đai", 5), ("Kỹ sư", "Trắc địa - Bản đồ", 2))),
    Centre("Trung tâm Khuyến nông tỉnh", 1.2, "Nông nghiệp công nghệ cao",
           (("Kỹ sư", "Nông học", 4), ("Khuyến nông viên", "Chăn nuôi - Thú y", 3))),
    Centre("Trung tâm Công nghệ thông tin và Truyền thông tỉnh", 1.0, "Công nghệ thông tin",
           (("Kỹ sư", "Công nghệ thông tin", 5), ("Kỹ thuật viên", "Điện tử - Viễn thông", 2))),
    Centre("Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh", 1.2, "Quản lý xây dựng",
           (("Kỹ sư", "Xây dựng dân dụng và công nghiệp", 5), ("Kiến trúc sư", "Kiến trúc", 1)), 0.3),
    Centre("Đài Phát thanh và Truyền hình tỉnh", 1.5, "Thông tin - Truyền thông",
           (("Phóng viên", "Báo chí", 4), ("Biên tập viên", "Báo chí", 3), ("Kỹ thuật viên", "Điện tử - Viễn thông", 2))),
    Centre("Trung tâm Lưu trữ lịch sử tỉnh", 0.6, "Lưu trữ",
           (("Lưu trữ viên", "Lưu trữ học", 5), ("Kỹ thuật viên", "Công nghệ thông tin", 1)), 0.7),
    Centre("Ban Quản lý dự án đầu tư xây dựng các công trình giao thông tỉnh", 1.0, "Quản lý xây dựng",
           (("Kỹ sư", "Xây dựng cầu đường", 5), ("Kỹ sư", "Kinh tế xây dựng", 2)), 0.25),
    Centre("Trung tâm Phát triển quỹ đất tỉnh", 0.8, "Quản lý đất đai",
           (("Địa chính viên", "Quản lý đất đai", 3), ("Chuyên viên", "Kinh tế", 1))),
    Centre("Trung tâm Quy hoạch và Kiểm định xây dựng tỉnh", 0.6, "Quy hoạch",
           (("Kiến trúc sư", "Kiến trúc", 3), ("Kỹ sư", "Quy hoạch vùng và đô thị", 3)), 0.35),
    Centre("Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch tỉnh", 0.5, "Du lịch",
           (("Chuyên viên", "Du lịch", 3), ("Chuyên viên", "Kinh tế đối ngoại", 2))),
    Centre("Trung tâm Quan trắc tài nguyên và môi trường tỉnh", 0.5, "Tài nguyên và Môi trường",
           (("Quan trắc viên", "Khoa học môi trường", 4), ("Kỹ sư", "Kỹ thuật môi trường", 2))),
    Centre("Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng tỉnh", 0.4, "Khoa học và công nghệ",
           (("Kiểm định viên", "Kỹ thuật đo lường", 3), ("Kỹ sư", "Kỹ thuật công nghệ", 2))),
    Centre("Trung tâm Giống cây trồng, vật nuôi và thủy sản tỉnh", 0.6, "Nông nghiệp công nghệ cao",
           (("Kỹ sư", "Công nghệ sinh học", 3), ("Kỹ thuật viên", "Nông học", 2))),
    Centre("Trung tâm Dịch vụ việc làm tỉnh", 0.5, "Lao động - Xã hội",
           (("Tư vấn viên", "Quản trị nhân lực", 3), ("Chuyên viên", "Kinh tế", 1))),
    Centre("Trung tâm Bảo trợ xã hội tỉnh", 0.6, "Lao động - Xã hội",
           (("Công tác xã hội viên", "Công tác xã hội", 3), ("Điều dưỡng", "Điều dưỡng", 1)), 0.7),
    Centre("Trung tâm Trợ giúp pháp lý nhà nước tỉnh", 0.3, "Tư pháp", (("Trợ giúp viên pháp lý", "Luật", 1),)),
    Centre("Trung tâm Văn hóa - Điện ảnh tỉnh", 0.4, "Văn hóa",
           (("Hướng dẫn viên văn hóa", "Văn hóa học", 2), ("Diễn viên", "Nghệ thuật biểu diễn", 1))),
    Centre("Thư viện tỉnh", 0.3, "Văn hóa", (("Thư viện viên", "Thư viện", 1),), 0.75),
    Centre("Bảo tàng tỉnh", 0.3, "Văn hóa", (("Di sản viên", "Bảo tàng học", 1),), 0.6),
)  # fmt: skip
#: Local units: one per district in 2023 ("... huyện X"), regional ones in 2025 ("... khu vực X").
LOCAL_CENTRES = (
    Centre("Trung tâm Văn hóa, Thông tin và Thể thao", 1.0, "Văn hóa",
           (("Hướng dẫn viên văn hóa", "Văn hóa học", 2), ("Phóng viên", "Báo chí", 1))),
    Centre("Ban Quản lý dự án đầu tư xây dựng", 1.0, "Quản lý xây dựng",
           (("Kỹ sư", "Xây dựng dân dụng và công nghiệp", 3), ("Kỹ sư", "Kinh tế xây dựng", 1)), 0.3),
    Centre("Trung tâm Dịch vụ nông nghiệp", 1.0, "Nông nghiệp công nghệ cao",
           (("Kỹ sư", "Nông học", 2), ("Khuyến nông viên", "Chăn nuôi - Thú y", 2))),
)  # fmt: skip
LOCAL_CENTRE_SHARE = 0.4  # of the other public service units' staff
PROVINCIAL_CENTRE_MAX_STAFF = 150  # on average; a larger province has more local units instead

#: Professions (`Chuyên môn`) of công chức, by field; others get DEFAULT_PROFESSIONS.
FIELD_PROFESSIONS: dict[str, tuple[str, ...]] = {
    F_FINANCE: ("Kế toán", "Tài chính - Ngân hàng", "Kinh tế"),
    "Quản lý đất đai": ("Quản lý đất đai", "Địa chính", "Luật"),
    "Quản lý xây dựng": ("Xây dựng dân dụng và công nghiệp", "Kinh tế xây dựng", "Xây dựng cầu đường"),
    "Quản lý đô thị": ("Quản lý đô thị", "Kỹ thuật hạ tầng đô thị", "Kiến trúc"),
    "Phát triển đô thị": ("Quy hoạch vùng và đô thị", "Kiến trúc", "Kinh tế"),
    "Quy hoạch": ("Quy hoạch vùng và đô thị", "Kinh tế"),
    "Kiến trúc": ("Kiến trúc",),
    "Kỹ thuật": ("Kỹ thuật điện", "Cơ khí", "Kỹ thuật công nghệ"),
    "Kỹ thuật công nghệ": ("Kỹ thuật công nghệ", "Công nghệ sinh học", "Cơ khí"),
    "Khoa học và công nghệ": ("Công nghệ sinh học", "Vật lý", "Hóa học", "Kỹ thuật công nghệ"),
    "Công nghệ thông tin": ("Công nghệ thông tin", "Khoa học máy tính"),
    "Công nghệ thông tin và truyền thông": ("Điện tử - Viễn thông", "Công nghệ thông tin"),
    "Trí tuệ nhân tạo": ("Khoa học máy tính", "Công nghệ thông tin"),
    "Thông tin - Truyền thông": ("Báo chí", "Công nghệ thông tin"),
    "Giáo dục": ("Sư phạm", "Quản lý giáo dục"),
    "Y tế": ("Bác sĩ", "Dược sĩ", "Y tế công cộng"),
    "Nông nghiệp": ("Nông học", "Chăn nuôi - Thú y", "Kinh tế nông nghiệp"),
    "Nông nghiệp công nghệ cao": ("Nông học", "Công nghệ sinh học", "Bảo vệ thực vật"),
    "Lâm nghiệp": ("Lâm học", "Quản lý tài nguyên rừng"),
    "Thủy lợi": ("Kỹ thuật thủy lợi",),
    "Tài nguyên và Môi trường": ("Khoa học môi trường", "Địa chất", "Kỹ thuật môi trường"),
    "Tư pháp": ("Luật",),
    "Thanh tra": ("Luật", "Kinh tế", "Kế toán"),
    "Nội chính": ("Luật",),
    "Kinh tế": ("Kinh tế", "Quản trị kinh doanh", "Kinh tế đầu tư"),
    "Công nghiệp": ("Kỹ thuật công nghệ", "Kinh tế"),
    "Thương mại": ("Kinh tế", "Thương mại"),
    "Du lịch": ("Du lịch", "Quản trị dịch vụ du lịch và lữ hành"),
    "Văn hóa": ("Văn hóa học", "Quản lý văn hóa"),
    "Thể dục thể thao": ("Giáo dục thể chất", "Quản lý thể dục thể thao"),
    "Lao động - Xã hội": ("Công tác xã hội", "Luật", "Kinh tế lao động"),
    "Tổ chức và cán bộ": ("Luật", "Hành chính học", "Quản trị nhân lực"),
    "Quản lý nguồn nhân lực": ("Quản trị nhân lực", "Hành chính học"),
    "Cải cách hành chính": ("Hành chính học", "Luật"),
    "Lưu trữ": ("Lưu trữ học", "Văn thư - Lưu trữ"),
    "Văn phòng - Thống kê": ("Quản trị văn phòng", "Thống kê"),
    "Quốc phòng": ("Quân sự cơ sở",),
    "Văn hóa - Xã hội": ("Văn hóa học", "Công tác xã hội"),
}
DEFAULT_PROFESSIONS = ("Luật", "Kinh tế", "Hành chính học")

# ---------------------------------------------------------------------------------------------
# Training history: who already took what (codes of models.enums.STANDARD_PROGRAMS).

DURATIONS = {"MASTER": 2, "PHD": 3, "CK1": 2, "CK2": 2}  # years; other programs fit in one
HISTORY_YEARS = 3  # classes taken in reference_year - 3 .. reference_year - 1
CLASS_HISTORY_SHARES = {  # program: (role groups, share of them already trained)
    "LEAD": ((R.LANH_DAO_CAP_SO, R.TRUONG_PHONG, R.PHO_TRUONG_PHONG), 0.15),
    "DUTY": ((R.LANH_DAO_CAP_SO, R.TRUONG_PHONG, R.PHO_TRUONG_PHONG, R.CHUYEN_VIEN), 0.10),
    "COMMUNE_LEAD": ((R.CHU_TICH_XA, R.PHO_CHU_TICH_XA), 0.12),
    "COMMUNE_STAFF": ((R.CONG_CHUC_XA,), 0.10),
    "VC_MGMT": ((R.LANH_DAO_DON_VI,), 0.20),
    "VC_TITLE": ((R.VIEN_CHUC,), 0.04),
}
#: Yearly numbers of a 30,000-staff province (the plan: 30-50 master's/PhD, 50-70 CK I/II, 2-3 abroad).
PER_30000 = {"MASTER": 35, "PHD": 3, "CK1": 45, "CK2": 15, "OVERSEAS": 2.5}
#: Share of holders of a qualification whose degree came from a program in the history.
COMPLETED_SHARES = {"MASTER": 0.15, "PHD": 0.2, "CK1": 0.3, "CK2": 0.3}
MEDICAL_PROFESSIONS = frozenset({"Bác sĩ", "Dược sĩ"})
POSTGRAD_MAX_AGE, POSTGRAD_MIN_SERVICE = 40, 3  # Decree 101/2017 (age at the start, years of service)
OVERSEAS_MAX_AGE = 45


# ---------------------------------------------------------------------------------------------
# Public API


def generate_roster(
    size: int, seed: int = 0, structure: Structure = "2023", reference_year: int = 2023
) -> Roster:
    """A synthetic province of exactly `size` officials with a consistent training history.

    `structure` "2023" has provincial departments, districts and communes; "2025" the two-level
    government after 1 July 2025 (no districts, fewer and larger communes, the 12 departments of
    Decree 45/2025). Ages and history are counted on 1 January of `reference_year`. The same
    arguments always give the same roster.
    """
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size}")
    if structure not in SECTOR_SHARES:
        raise ValueError(f"structure must be '2023' or '2025', not {structure!r}")
    if not 1980 <= reference_year <= 2090:
        raise ValueError(f"reference_year must be between 1980 and 2090, not {reference_year}")
    rng = np.random.Generator(np.random.PCG64(seed))
    slots = _province_slots(size, structure, rng)
    people = _draw_people(slots, rng, reference_year)
    width = max(6, len(str(size)))
    ids = [f"CB{i:0{width}d}" for i in range(1, size + 1)]
    officials = _officials(ids, slots, people)
    history = _draw_history(ids, slots, people, rng, reference_year)
    return Roster(officials=officials, history=history)


# ---------------------------------------------------------------------------------------------
# Units and posts


@dataclass
class _Slots:
    """One entry per official (unit, level, post, field), filled unit by unit."""

    units: list[str]
    levels: list[Level]
    posts: list[Post]
    fields: list[str]

    def add(self, unit: str, level: Level, staff: list[tuple[Post, str]]) -> None:
        for post, field in staff:
            self.units.append(unit)
            self.levels.append(level)
            self.posts.append(post)
            self.fields.append(field)


@dataclass(frozen=True)
class _Geography:
    """Districts (2023) and communes: names and kinds (huyện/thị xã/thành phố; xã/phường/thị trấn)."""

    districts: list[tuple[str, str]]
    communes: list[tuple[str, str]]


def _split(total: int, weights: Sequence[float] | np.ndarray) -> list[int]:
    """`total` shared in proportion to `weights` by largest remainders; the parts sum to `total`."""
    w = np.asarray(weights, dtype=float)
    if total <= 0 or w.size == 0 or w.sum() <= 0:
        return [0] * len(w)
    raw = w / w.sum() * total
    parts = np.floor(raw).astype(np.int64)
    order = np.argsort(-(raw - parts), kind="stable")
    parts[order[: total - int(parts.sum())]] += 1
    return parts.tolist()


def _jitter(rng: np.random.Generator, weights: Sequence[float], spread: float = 0.3) -> np.ndarray:
    """Weights varied by up to ±spread, so that units of a kind differ in size."""
    return np.asarray(weights, dtype=float) * rng.uniform(1 - spread, 1 + spread, len(weights))


def _count(staff: int, mean_staff: float) -> int:
    """How many units of `mean_staff` people share `staff` people (at least one if any)."""
    return 0 if staff <= 0 else max(1, round(staff / mean_staff))


def _unique(names: list[str]) -> list[str]:
    """Names with repeats numbered as Vietnamese units are ("... số 2")."""
    return numbered(names, "{name} số {n}")


def _place_names(rng: np.random.Generator, count: int) -> list[str]:
    """`count` distinct-looking two-syllable place names."""
    pool = [f"{a} {b}" for a, b in itertools.product(PLACE_FIRST, PLACE_SECOND) if a != b]
    order = rng.permutation(len(pool))
    return _unique([pool[order[i % len(pool)]] for i in range(count)])


def _province_slots(size: int, structure: Structure, rng: np.random.Generator) -> _Slots:
    """Every post of the province, unit by unit; exactly `size` of them."""
    shares = SECTOR_SHARES[structure]
    target = dict(zip(shares, _split(size, list(shares.values())), strict=True))
    geo = _geography(target, structure, rng)
    slots = _Slots([], [], [], [])
    _add_departments(slots, target["province"], structure, rng)
    if structure == "2023":
        _add_districts(slots, target["district"], geo, rng)
    _add_communes(slots, target["commune"], geo, structure, rng)
    _add_health(slots, target["health"], geo, structure, rng)
    _add_centres(slots, target["other"], geo, structure, rng)
    _add_schools(slots, target["education"], geo, structure, rng)
    if len(slots.posts) != size:
        raise RuntimeError(f"the generator drew {len(slots.posts)} posts for {size} officials")
    return slots


def _geography(target: dict[str, int], structure: Structure, rng: np.random.Generator) -> _Geography:
    n_communes = max(1, _count(target["commune"], MEAN_COMMUNE_STAFF[structure]))
    commune_names = _place_names(rng, n_communes)
    if structure == "2025":
        n_wards = round(0.15 * n_communes)
        kinds = ["phường" if i < n_wards else "xã" for i in range(n_communes)]
        return _Geography([], list(zip(commune_names, kinds, strict=True)))
    n_districts = max(1, _count(target["district"], MEAN_DISTRICT_STAFF))
    district_kinds = ["thành phố"] + [
        "thị xã" if i == 1 and n_districts >= 5 else "huyện" for i in range(1, n_districts)
    ]
    districts = list(zip(_place_names(rng, n_districts), district_kinds, strict=True))
    communes = []
    for i, name in enumerate(commune_names):
        district_kind = district_kinds[i % n_districts]
        # In a huyện the first commune is its town (thị trấn); a city or town has wards.
        kind = "phường" if district_kind != "huyện" else "thị trấn" if i < n_districts else "xã"
        communes.append((name, kind))
    return _Geography(districts, communes)


def _regions(geo: _Geography, count: int) -> list[str]:
    """Names for `count` regional units (2025), after the communes they sit in."""
    return _unique([geo.communes[i % len(geo.communes)][0] for i in range(count)])


def _governed_staff(
    size: int,
    head: Post,
    deputy: Post,
    deputies: int,
    divisions: Sequence[Division],
    staff: tuple[str, str],
    category: Category,
    rng: np.random.Generator,
) -> list[tuple[Post, str]]:
    """A department or district: its leaders, then divisions each with a head, deputies and staff.

    Staff titles are `staff` (junior, senior); the number of divisions grows with the size (the
    named ones first, then numbered copies), so about a quarter of the staff lead a division.
    """
    main_field = divisions[0].fields[0]
    people = [(head, main_field)] + [(deputy, main_field)] * deputies
    rest = size - len(people)
    if rest <= 0:
        return people[:size]
    n_div = max(1, round(rest / MEAN_DIVISION_STAFF))
    for division, div_size in zip(
        _division_list(divisions, n_div), _split(rest, _jitter(rng, [1.0] * n_div)), strict=True
    ):
        n_deputy = 0 if div_size < 4 else 1 if div_size < 10 else 2 if div_size < 18 else 3
        chosen = rng.integers(len(division.fields), size=div_size).tolist()
        senior = (rng.random(div_size) < SENIOR_STAFF_SHARE).tolist()
        posts = [Post(division.head_title, category, R.TRUONG_PHONG, "truong_phong", 0.35)]
        posts += [
            Post(division.deputy_title, category, R.PHO_TRUONG_PHONG, "pho_truong_phong", 0.42)
        ] * n_deputy
        junior_post = Post(staff[0], category, R.CHUYEN_VIEN, "chuyen_vien", 0.52)
        senior_post = Post(staff[1], category, R.CHUYEN_VIEN, "chuyen_vien_chinh", 0.5)
        posts += [senior_post if senior[k] else junior_post for k in range(len(posts), div_size)]
        people += [(post, division.fields[k]) for post, k in zip(posts[:div_size], chosen, strict=True)]
    return people


def _division_list(divisions: Sequence[Division], count: int) -> list[Division]:
    """`count` divisions: the named ones first, then numbered copies of the ordinary ones."""
    result = list(divisions[:count])
    ordinary = [d for d in divisions if not d.head] or list(divisions)
    copies = [ordinary[i % len(ordinary)] for i in range(count - len(result))]
    names = _unique([d.name for d in divisions] + [d.name for d in copies])[len(divisions) :]
    result += [Division(name, d.fields) for d, name in zip(copies, names, strict=True)]
    return result


def _add_departments(slots: _Slots, total: int, structure: Structure, rng: np.random.Generator) -> None:
    departments = DEPARTMENTS[structure]
    n = min(len(departments), _count(total, MEAN_DEPARTMENT_STAFF))
    chosen = departments[:n]
    for department, size in zip(
        chosen, _split(total, _jitter(rng, [d.weight for d in chosen], 0.15)), strict=True
    ):
        deputies = 1 if size < 12 else 2 if size < 40 else 3 if size < 100 else 4
        head = Post(department.head, CC, R.LANH_DAO_CAP_SO, "lanh_dao", 0.15)
        deputy = Post(department.deputy, CC, R.LANH_DAO_CAP_SO, "pho_lanh_dao", 0.25)
        staff = (department.staff, f"{department.staff} chính")
        people = _governed_staff(size, head, deputy, deputies, department.divisions, staff, CC, rng)
        slots.add(department.name, Level.PROVINCE, people)


def _add_districts(slots: _Slots, total: int, geo: _Geography, rng: np.random.Generator) -> None:
    sizes = _split(total, _jitter(rng, [1.0] * len(geo.districts)))
    for (name, kind), size in zip(geo.districts, sizes, strict=True):
        divisions = DISTRICT_DIVISIONS + (URBAN_DIVISIONS if kind != "huyện" else RURAL_DIVISIONS)
        head = Post(f"Chủ tịch UBND {kind}", CB, R.LANH_DAO_CAP_SO, "lanh_dao", 0.12)
        deputy = Post(f"Phó Chủ tịch UBND {kind}", CB, R.LANH_DAO_CAP_SO, "pho_lanh_dao", 0.25)
        deputies = 2 if size < 60 else 3
        people = _governed_staff(
            size, head, deputy, deputies, divisions, ("Chuyên viên", "Chuyên viên chính"), CC, rng
        )
        slots.add(f"UBND {kind} {name}", Level.DISTRICT, people)


def _add_communes(
    slots: _Slots, total: int, geo: _Geography, structure: Structure, rng: np.random.Generator
) -> None:
    sizes = _split(total, _jitter(rng, [1.0] * len(geo.communes), 0.2))
    for (name, kind), size in zip(geo.communes, sizes, strict=True):
        fixed, cycle = _commune_posts(kind, structure)
        posts = fixed[:size] + [cycle[i % len(cycle)] for i in range(size - len(fixed))]
        draws = rng.random(size)
        people = [
            (post, fields[int(u * len(fields))]) for (post, fields), u in zip(posts, draws, strict=True)
        ]
        slots.add(f"UBND {kind} {name}", Level.COMMUNE, people)


def _managed_staff(
    size: int,
    head: Post,
    deputy: Post,
    sections: Sequence[tuple[str, str]],
    mix: Sequence[tuple[Post, float]],
    field: str,
    rng: np.random.Generator,
) -> list[tuple[Post, str]]:
    """A public service unit: head, deputies, heads of its sections (title, profession), then staff."""
    deputies = 1 if size < 15 else 2 if size < 100 else 3 if size < 400 else 4
    people = [(head, field)] + [(deputy, field)] * deputies
    for title, profession in sections:
        people.append((Post(title, VC, R.LANH_DAO_DON_VI, _section_profile(title), 0.45, profession), field))
    people = people[:size]
    if len(people) < size:
        posts = [post for post, _ in mix]
        weights = np.array([w for _, w in mix], dtype=float)
        for k in rng.choice(len(posts), size=size - len(people), p=weights / weights.sum()):
            people.append((posts[k], field))
    return people


def _section_profile(title: str) -> str:
    if title.startswith("Trưởng khoa"):
        return "truong_khoa"
    if title.startswith("Phó Trưởng khoa"):
        return "pho_truong_khoa"
    return "vc_truong_phong"


def _health_unit(size: int, kind: str, rng: np.random.Generator) -> list[tuple[Post, str]]:
    wards = WARDS[kind]
    n_wards = min(len(wards), max(1, round(size / 22)))
    n_deputy_wards = min(n_wards, size // 35)
    n_offices = min(len(HOSPITAL_OFFICES), size // 60)

    def ward_profession(ward: str) -> str:
        return "Dược sĩ" if ward == "Dược" else "Bác sĩ"

    sections = [(f"Trưởng khoa {w}", ward_profession(w)) for w in wards[:n_wards]]
    sections += [(f"Trưởng phòng {o}", p) for o, p in HOSPITAL_OFFICES[:n_offices]]
    sections += [(f"Phó Trưởng khoa {w}", ward_profession(w)) for w in wards[:n_deputy_wards]]
    sections += [(f"Phó Trưởng phòng {o}", p) for o, p in HOSPITAL_OFFICES[: n_offices // 2]]
    head = Post("Giám đốc", VC, R.LANH_DAO_DON_VI, "giam_doc_y_te", 0.2, "Bác sĩ")
    deputy = Post("Phó Giám đốc", VC, R.LANH_DAO_DON_VI, "pho_giam_doc_y_te", 0.3, "Bác sĩ")
    return _managed_staff(size, head, deputy, sections, HEALTH_MIX[kind], "Y tế", rng)


def _add_health(
    slots: _Slots, total: int, geo: _Geography, structure: Structure, rng: np.random.Generator
) -> None:
    units = [(PROVINCIAL_HOSPITAL, Level.PROVINCE, "hospital", PROVINCIAL_HOSPITAL_WEIGHT)]
    for name, weight in SPECIALISED_HOSPITALS[: total // STAFF_PER_SPECIALISED_HOSPITAL]:
        units.append((name, Level.PROVINCE, "hospital", weight))
    if total >= 150:
        units.append((CDC_UNIT, Level.PROVINCE, "cdc", CDC_WEIGHT))
    n_regional = total // STAFF_PER_REGIONAL_HOSPITAL
    if structure == "2023":
        for name in _unique([geo.districts[(i + 1) % len(geo.districts)][0] for i in range(n_regional)]):
            units.append(
                (f"Bệnh viện Đa khoa khu vực {name}", Level.PROVINCE, "hospital", REGIONAL_HOSPITAL_WEIGHT)
            )
        for name, kind in geo.districts:
            units.append((f"Trung tâm Y tế {kind} {name}", Level.DISTRICT, "centre", HEALTH_CENTRE_WEIGHT))
    else:
        for name in _regions(geo, n_regional):
            units.append(
                (f"Bệnh viện Đa khoa khu vực {name}", Level.PROVINCE, "hospital", REGIONAL_HOSPITAL_WEIGHT)
            )
        for name in _regions(geo, max(1, round(len(geo.communes) / COMMUNES_PER_REGION))):
            units.append((f"Trung tâm Y tế khu vực {name}", Level.PROVINCE, "centre", HEALTH_CENTRE_WEIGHT))
    sizes = _split(total, _jitter(rng, [u[3] for u in units], 0.2))
    for (name, level, kind, _), size in zip(units, sizes, strict=True):
        if size:
            slots.add(name, level, _health_unit(size, kind, rng))


def _centre_staff(centre: Centre, size: int, rng: np.random.Generator) -> list[tuple[Post, str]]:
    main_profession = centre.staff[0][1]
    head = Post("Giám đốc", VC, R.LANH_DAO_DON_VI, "vc_quan_ly", 0.25, main_profession)
    deputy = Post("Phó Giám đốc", VC, R.LANH_DAO_DON_VI, "vc_pho_quan_ly", 0.35, main_profession)
    n_div = min(len(CENTRE_DIVISIONS), size // 12)
    sections = [(f"Trưởng phòng {d}", main_profession) for d in CENTRE_DIVISIONS[:n_div]]
    sections += [(f"Phó Trưởng phòng {d}", main_profession) for d in CENTRE_DIVISIONS[: size // 25]]
    mix = [
        (Post(title, VC, R.VIEN_CHUC, "vc_chuyen_mon", centre.female, prof), w)
        for title, prof, w in centre.staff
    ]
    mix.append((ACCOUNTANT, 0.1 * sum(w for _, _, w in centre.staff)))
    return _managed_staff(size, head, deputy, sections, mix, centre.field, rng)


def _add_centres(
    slots: _Slots, total: int, geo: _Geography, structure: Structure, rng: np.random.Generator
) -> None:
    provincial = min(
        round(total * (1 - LOCAL_CENTRE_SHARE)), PROVINCIAL_CENTRE_MAX_STAFF * len(PROVINCIAL_CENTRES)
    )
    local = total - provincial
    n_provincial = min(len(PROVINCIAL_CENTRES), _count(provincial, 30))
    units = [(c.name, Level.PROVINCE, c) for c in PROVINCIAL_CENTRES[:n_provincial]]
    if structure == "2023":
        places = [(f"{kind} {name}", Level.DISTRICT) for name, kind in geo.districts]
    else:
        n_regions = max(1, round(len(geo.communes) / COMMUNES_PER_REGION))
        places = [(f"khu vực {name}", Level.PROVINCE) for name in _regions(geo, n_regions)]
    local_units = [(f"{c.name} {place}", level, c) for place, level in places for c in LOCAL_CENTRES]
    for part, group in ((provincial, units), (local, local_units)):
        sizes = _split(part, _jitter(rng, [c.weight for _, _, c in group]))
        for (name, level, centre), size in zip(group, sizes, strict=True):
            if size:
                slots.add(name, level, _centre_staff(centre, size, rng))


def _school_staff(kind: SchoolKind, size: int, rng: np.random.Generator) -> list[tuple[Post, str]]:
    head = Post(kind.head, VC, R.LANH_DAO_DON_VI, "vc_quan_ly", kind.head_female, "Giáo viên")
    deputy = Post(kind.deputy, VC, R.LANH_DAO_DON_VI, "vc_pho_quan_ly", kind.head_female, "Giáo viên")
    deputies = 1 if size < 28 else 2 if size < 60 else 3
    people = ([(head, "Giáo dục")] + [(deputy, "Giáo dục")] * deputies)[:size]
    people += [(post, "Giáo dục") for post, min_size in SCHOOL_SUPPORT if size >= min_size]
    teacher = Post("Giáo viên", VC, R.VIEN_CHUC, kind.teacher_profile, kind.female, "Giáo viên")
    people += [(teacher, "Giáo dục")] * (size - len(people))
    return people


def _add_schools(
    slots: _Slots, total: int, geo: _Geography, structure: Structure, rng: np.random.Generator
) -> None:
    kinds = list(SCHOOL_KINDS)
    local_level = Level.DISTRICT if structure == "2023" else Level.COMMUNE
    for key, staff in zip(kinds, _split(total, [SCHOOL_KINDS[k].share for k in kinds]), strict=True):
        kind = SCHOOL_KINDS[key]
        if key == "thpt":
            n = _count(staff, kind.mean_staff)
            patrons = [f"chuyên {SCHOOL_PATRONS[0]}"] if n >= 3 else []
            patrons += list(SCHOOL_PATRONS[1:]) + [c for c, _ in geo.communes]
            names = _unique([f"{kind.prefix} {patrons[i % len(patrons)]}" for i in range(n)])
            level = Level.PROVINCE
        elif key == "gdtx":
            if structure == "2023":
                places = [f"{k} {name}" for name, k in geo.districts][
                    : max(1, _count(staff, kind.mean_staff))
                ]
            else:
                places = [f"khu vực {name}" for name in _regions(geo, _count(staff, kind.mean_staff))]
            names = [f"{kind.prefix} {place}" for place in places]
            level = local_level if structure == "2023" else Level.PROVINCE
        else:
            n = _count(staff, kind.mean_staff)
            names = _unique([f"{kind.prefix} {geo.communes[i % len(geo.communes)][0]}" for i in range(n)])
            level = local_level
        for name, size in zip(names, _split(staff, _jitter(rng, [1.0] * len(names), 0.4)), strict=True):
            if size:
                slots.add(name, level, _school_staff(kind, size, rng))


# ---------------------------------------------------------------------------------------------
# People


@dataclass(frozen=True)
class _People:
    """Drawn attributes, one array entry per official."""

    female: np.ndarray  # bool
    birth: np.ndarray  # proleptic ordinals
    hired: np.ndarray  # proleptic ordinals
    age: np.ndarray  # years (float) on the reference day
    education: np.ndarray  # index into EDUCATIONS
    rating: np.ndarray  # index into RATINGS, -1 for none
    rating_previous: np.ndarray
    pipeline: np.ndarray  # bool
    title_year: np.ndarray  # 0 for none
    names: list[str]
    professions: list[str]


def _retirement_months(female: bool, year: int) -> int:
    """Retirement age in months for people reaching it in `year` (Labour Code 2019 roadmap)."""
    if year < 2021:
        return (55 if female else 60) * 12
    if female:
        return min(55 * 12 + 4 + 4 * max(0, year - 2021), 60 * 12)
    return min(60 * 12 + 3 + 3 * max(0, year - 2021), 62 * 12)


def _weights(table: Sequence[tuple[str, float]]) -> tuple[list[str], np.ndarray]:
    names = [name for name, _ in table]
    w = np.array([weight for _, weight in table], dtype=float)
    return names, w / w.sum()


def _draw_people(slots: _Slots, rng: np.random.Generator, reference_year: int) -> _People:
    n = len(slots.posts)
    ref = date(reference_year, 1, 1).toordinal()
    profile = np.fromiter((_PROFILE_INDEX[p.profile] for p in slots.posts), dtype=np.int64, count=n)
    female_share = np.fromiter((p.female for p in slots.posts), dtype=float, count=n)
    female = rng.random(n) < female_share

    # Age: within the profile's range, and younger than the retirement age reached in the year
    # before the reference year (so nobody has retired on the reference day).
    table = [PROFILES[name] for name in _PROFILE_NAMES]
    lo = np.array([p.age_min for p in table], dtype=float)[profile] * 365.25 + 2
    hi = (np.array([p.age_max for p in table], dtype=float)[profile] + 1) * 365.25 - 2
    retire = np.where(
        female, _retirement_months(True, reference_year - 1), _retirement_months(False, reference_year - 1)
    )
    hi = np.minimum(hi, retire / 12 * 365.25 - 35)
    a = np.array([p.skew[0] for p in table])[profile]
    b = np.array([p.skew[1] for p in table])[profile]
    age_days = np.floor(lo + (hi - lo) * rng.beta(a, b)).astype(np.int64)
    birth = ref - age_days
    age = age_days / 365.25

    # Hired after the 22nd birthday, mostly young.
    first_day = birth + int(22 * 365.25) + 1
    hired = first_day + np.floor((ref - 1 - first_day) * rng.beta(1.1, 2.5, n)).astype(np.int64)

    education = np.empty(n, dtype=np.int64)
    for k, p in enumerate(table):
        idx = np.flatnonzero(profile == k)
        if idx.size:
            w = np.asarray(p.education, dtype=float)
            education[idx] = rng.choice(len(EDUCATIONS), size=idx.size, p=w / w.sum())
    # Nobody too young for the degree: PhD or CK II before 30, master's or CK I before 25.
    education[(age < 30) & (education == _EDU[Education.DOCTOR])] = _EDU[Education.MASTER]
    education[(age < 30) & (education == _EDU[Education.SPECIALIST_2])] = _EDU[Education.SPECIALIST_1]
    education[(age < 28) & (education == _EDU[Education.SPECIALIST_1])] = _EDU[Education.BACHELOR]
    education[(age < 25) & (education == _EDU[Education.MASTER])] = _EDU[Education.BACHELOR]

    leader = np.fromiter((p.role_group in LEADER_GROUPS for p in slots.posts), dtype=bool, count=n)
    rating = np.empty(n, dtype=np.int64)
    previous = np.empty(n, dtype=np.int64)
    for group, mask in (("leader", leader), ("staff", ~leader)):
        w = np.asarray(RATING_WEIGHTS[group], dtype=float) / 100
        rating[mask] = rng.choice(len(RATINGS), size=int(mask.sum()), p=w)
        previous[mask] = rng.choice(len(RATINGS), size=int(mask.sum()), p=w)
    same = rng.random(n) < 0.55  # ratings persist from year to year
    previous[same] = rating[same]
    rated_from = date(reference_year - 1, 7, 1).toordinal()  # rated after half a year of service
    rating[hired > rated_from] = -1
    previous[hired > rated_from - 365] = -1

    good = (rating >= 0) & (rating <= 1)  # excellent or good
    pipeline = np.where(
        leader,
        rng.random(n) < PIPELINE_SHARE["leader"],
        (age < 40) & good & (rng.random(n) < PIPELINE_SHARE["young"]),
    )
    professional = np.fromiter((p.role_group is R.VIEN_CHUC for p in slots.posts), dtype=bool, count=n)
    title_year = np.where(
        professional & (rng.random(n) < TITLE_YEAR_SHARE), reference_year + rng.integers(1, 8, n), 0
    )
    names = _draw_names(female, age, rng)
    professions = _draw_professions(slots, rng)
    return _People(
        female, birth, hired, age, education, rating, previous, pipeline, title_year, names, professions
    )


def _draw_names(female: np.ndarray, age: np.ndarray, rng: np.random.Generator) -> list[str]:
    n = female.size
    surnames, sw = _weights(SURNAMES)
    surname = rng.choice(len(surnames), size=n, p=sw)
    middles: list[str] = [""] * n
    givens: list[str] = [""] * n
    young_women = female & (age < YOUNG_WOMAN_AGE)
    female_young = tuple((m, w * YOUNG_THI_FACTOR if m == "Thị" else w) for m, w in FEMALE_MIDDLE)
    groups = (
        (~female, MALE_MIDDLE, MALE_GIVEN, "Văn"),
        (female & ~young_women, FEMALE_MIDDLE, FEMALE_GIVEN, "Thị"),
        (young_women, female_young, FEMALE_GIVEN, "Thị"),
    )
    for mask, middle_table, given_table, fallback in groups:
        idx = np.flatnonzero(mask)
        middle_names, mw = _weights(middle_table)
        given_names, gw = _weights(given_table)
        for i, m, g in zip(
            idx.tolist(),
            rng.choice(len(middle_names), size=idx.size, p=mw).tolist(),
            rng.choice(len(given_names), size=idx.size, p=gw).tolist(),
            strict=True,
        ):
            middle, given = middle_names[m], given_names[g]
            middles[i] = fallback if middle == given else middle
            givens[i] = given
    return [f"{surnames[s]} {m} {g}" for s, m, g in zip(surname.tolist(), middles, givens, strict=True)]


def _draw_professions(slots: _Slots, rng: np.random.Generator) -> list[str]:
    draws = rng.random(len(slots.posts)).tolist()
    result = []
    for post, field, u in zip(slots.posts, slots.fields, draws, strict=True):
        if post.profession:
            result.append(post.profession)
        else:
            options = FIELD_PROFESSIONS.get(field, DEFAULT_PROFESSIONS)
            result.append(options[int(u * len(options))])
    return result


def _officials(ids: list[str], slots: _Slots, people: _People) -> list[Official]:
    from_ordinal = date.fromordinal
    ratings = [*RATINGS, None]  # index -1: not rated
    female = people.female.tolist()
    birth, hired = people.birth.tolist(), people.hired.tolist()
    education = people.education.tolist()
    rating, previous = people.rating.tolist(), people.rating_previous.tolist()
    pipeline, title_year = people.pipeline.tolist(), people.title_year.tolist()
    officials = []
    for i, post in enumerate(slots.posts):
        officials.append(
            Official(
                id=ids[i],
                name=people.names[i],
                birth_date=from_ordinal(birth[i]),
                gender=Gender.FEMALE if female[i] else Gender.MALE,
                unit=slots.units[i],
                level=slots.levels[i],
                category=post.category,
                position=post.position,
                role_group=post.role_group,
                field=slots.fields[i],
                profession=people.professions[i],
                education=EDUCATIONS[education[i]],
                hired_date=from_ordinal(hired[i]),
                rating=ratings[rating[i]],
                rating_previous=ratings[previous[i]],
                pipeline=pipeline[i],
                title_year=title_year[i] or None,
            )
        )
    return officials


# ---------------------------------------------------------------------------------------------
# Training history


class _History:
    """Training records being drawn, kept consistent: no program twice, no overlapping studies."""

    def __init__(self, hired_years: list[int]) -> None:
        self.hired_years = hired_years
        self.busy: dict[int, set[int]] = {}
        self.taken: dict[int, set[str]] = {}
        self.records: list[tuple[int, int, str]] = []

    def add(self, person: int, program: str, year: int) -> bool:
        """Record `program` started in `year` if it fits the person's history; True if it did."""
        years = set(range(year, year + DURATIONS.get(program, 1)))
        if (
            year < self.hired_years[person]
            or program in self.taken.get(person, ())
            or years & self.busy.get(person, set())
        ):
            return False
        self.busy.setdefault(person, set()).update(years)
        self.taken.setdefault(person, set()).add(program)
        self.records.append((person, year, program))
        return True


def _draw_history(
    ids: list[str], slots: _Slots, people: _People, rng: np.random.Generator, reference_year: int
) -> list[TrainingRecord]:
    n = len(ids)
    scale = n / 30000
    hired_years = [date.fromordinal(d).year for d in people.hired.tolist()]
    history = _History(hired_years)
    edu = people.education
    groups = np.fromiter((_ROLE_INDEX[p.role_group] for p in slots.posts), dtype=np.int64, count=n)
    medical = np.fromiter((p in MEDICAL_PROFESSIONS for p in people.professions), dtype=bool, count=n)
    hired_year = np.asarray(hired_years)
    good_years = (
        (people.rating >= 0)
        & (people.rating <= 1)
        & (people.rating_previous >= 0)
        & (people.rating_previous <= 1)
    )

    def age_at(year: int) -> np.ndarray:
        return people.age - (reference_year - year)

    def is_edu(*values: Education) -> np.ndarray:
        return np.isin(edu, [_EDU[v] for v in values])

    # Studies still under way on the reference day (their degree is not in `education` yet).
    last = reference_year - 1
    postgrad_ok = good_years & (hired_year <= last - POSTGRAD_MIN_SERVICE)
    in_progress = (
        ("MASTER", last, is_edu(Education.BACHELOR) & (age_at(last) <= POSTGRAD_MAX_AGE)),
        ("PHD", last - 1, is_edu(Education.MASTER) & (age_at(last - 1) <= POSTGRAD_MAX_AGE)),
        ("PHD", last, is_edu(Education.MASTER) & (age_at(last) <= POSTGRAD_MAX_AGE)),
        ("CK1", last, is_edu(Education.BACHELOR) & medical),
        ("CK2", last, is_edu(Education.SPECIALIST_1) & medical),
    )
    for program, year, mask in in_progress:
        for person in _pick(rng, mask & postgrad_ok, PER_30000[program] * scale):
            history.add(person, program, year)

    # Degrees obtained through programs finished before the reference year (CK II after CK I).
    finished = (
        ("MASTER", is_edu(Education.MASTER), reference_year - 3),
        ("PHD", is_edu(Education.DOCTOR), reference_year - 4),
        ("CK1", is_edu(Education.SPECIALIST_1) & medical, reference_year - 3),
        ("CK2", is_edu(Education.SPECIALIST_2) & medical, reference_year - 3),
    )
    for program, holders, latest in finished:
        for person in _pick(rng, holders, COMPLETED_SHARES[program] * holders.sum()):
            first = max(hired_years[person], reference_year - 10)
            if first > latest:
                continue
            year = int(rng.integers(first, latest + 1))
            if history.add(person, program, year) and program == "CK2":
                history.add(person, "CK1", year - DURATIONS["CK1"] - int(rng.integers(0, 3)))

    _draw_class_history(history, people, groups, rng, reference_year, scale)
    return [
        TrainingRecord(official_id=ids[person], program=program, year=year)
        for person, year, program in sorted(history.records)
    ]


def _pick(rng: np.random.Generator, mask: np.ndarray, count: float) -> list[int]:
    """About `count` of the people in `mask`, drawn without replacement, in index order."""
    candidates = np.flatnonzero(mask)
    k = min(candidates.size, round(count))
    return sorted(rng.choice(candidates, size=k, replace=False).tolist()) if k else []


def _draw_class_history(
    history: _History,
    people: _People,
    groups: np.ndarray,
    rng: np.random.Generator,
    reference_year: int,
    scale: float,
) -> None:
    """Classes of the last few years, and study abroad of young leaders, into `history`."""
    first_class_year = reference_year - HISTORY_YEARS
    for program, (role_groups, share) in CLASS_HISTORY_SHARES.items():
        mask = np.isin(groups, [_ROLE_INDEX[g] for g in role_groups])
        if program == "VC_TITLE":
            mask &= people.title_year == 0  # those due for a title have not had it yet
        for person in np.flatnonzero(mask & (rng.random(groups.size) < share)).tolist():
            years = rng.permutation(np.arange(first_class_year, reference_year)).tolist()
            any(history.add(person, program, year) for year in years)
    leaders = np.isin(groups, [_ROLE_INDEX[g] for g in LEADER_GROUPS])
    young_stars = leaders & (people.age < OVERSEAS_MAX_AGE) & (people.rating == 0)
    for person in _pick(rng, young_stars, PER_30000["OVERSEAS"] * HISTORY_YEARS * scale):
        history.add(person, "OVERSEAS", int(rng.integers(first_class_year, reference_year)))
