"""Reading rosters: messy but valid spreadsheets are read, every problem is reported with its place."""

from __future__ import annotations

import csv
import gc
import unicodedata
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest

from models import Category, Education, Gender, Level, Official, Rating, RoleGroup, Roster
from planner.io.errors import InputError, Problem
from planner.io.roster import derive_role_group, read_roster

TODAY = date(2025, 1, 1)
SHEET = "Danh sách cán bộ"
HISTORY = "Lịch sử đào tạo"
HEADERS = ["Mã CB", "Họ và tên", "Ngày sinh", "Giới tính", "Đơn vị", "Cấp", "Loại", "Chức vụ"]


def person(official_id: object = "CB1", **cells: object) -> list[object]:
    """One officials row under HEADERS: a provincial chuyên viên unless overridden."""
    values = {
        "name": "Nguyễn Văn An",
        "birth": "17/05/1985",
        "gender": "Nam",
        "unit": "Sở Nội vụ",
        "level": "Tỉnh",
        "category": "Công chức",
        "position": "Chuyên viên",
    }
    values.update(cells)
    return [official_id, *values.values()]


def workbook(
    path: Path,
    rows: list[list[object]],
    headers: list[object] = HEADERS,
    history: list[list[object]] | None = None,
) -> Path:
    """An .xlsx with the officials sheet and, when given, the history sheet (header row included)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if history is not None:
        history_sheet = book.create_sheet(HISTORY)
        for row in history:
            history_sheet.append(row)
    book.save(path)
    return path


def problems_of(path: Path, **kwargs: object) -> list[Problem]:
    with pytest.raises(InputError) as raised:
        read_roster(path, today=TODAY, **kwargs)
    assert raised.value.source == path.name
    return raised.value.problems


def only_problem(path: Path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# --- valid input ------------------------------------------------------------------------------


def test_minimal_roster_gets_defaults_and_a_derived_role_group(tmp_path: Path) -> None:
    roster = read_roster(workbook(tmp_path / "r.xlsx", [person()]), today=TODAY)
    (official,) = roster.officials
    assert official.id == "CB1"
    assert official.name == "Nguyễn Văn An"
    assert official.birth_date == date(1985, 5, 17)
    assert (official.gender, official.level, official.category) == (
        Gender.MALE,
        Level.PROVINCE,
        Category.CONG_CHUC,
    )
    assert official.role_group is RoleGroup.CHUYEN_VIEN
    assert official.education is Education.BACHELOR
    assert (official.pipeline, official.rating, official.title_year, official.hired_date) == (
        False,
        None,
        None,
        None,
    )
    assert roster.history == []


def test_officials_share_one_set_of_given_fields(tmp_path: Path) -> None:
    """pydantic's own set per official is 0.7 kB (220 MB at 300,000 officials); the rows of a sheet
    give the same fields, and a copy with changes gets its own."""
    roster = read_roster(workbook(tmp_path / "r.xlsx", [person("CB1"), person("CB2")]), today=TODAY)
    first, second = roster.officials
    assert first.model_fields_set is second.model_fields_set
    assert first.model_fields_set >= {"id", "name", "birth_date", "unit", "role_group"}
    assert first == Official.model_validate(first.model_dump())
    moved = first.model_copy(update={"unit": "Sở Y tế"})
    assert moved.unit == "Sở Y tế" and second.unit == "Sở Nội vụ"
    assert moved.model_fields_set is not second.model_fields_set


def test_headers_and_values_match_whatever_the_case_spacing_or_unicode_form(tmp_path: Path) -> None:
    nfd = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
    headers = ["  MÃ\u00a0 CB ", nfd("họ VÀ tên"), "ngày  sinh", nfd("GIỚI TÍNH"), "Đơn vị *", "cấp", "LOẠI"]
    headers += [nfd("Chức vụ"), "Trình độ (cao nhất)", "QUY HOẠCH"]
    row = [" CB7 ", nfd("  Trần   Thị\u00a0Bích "), "01/02/1990", nfd("NỮ"), "Sở Y tế", nfd("TỈNH")]
    row += ["công  chức", nfd("Phó Trưởng phòng"), nfd("thạc sĩ"), " X "]
    (official,) = read_roster(workbook(tmp_path / "r.xlsx", [row], headers), today=TODAY).officials
    assert official.id == "CB7"
    assert official.name == "Trần Thị Bích"  # NFC, single spaces
    assert official.name == unicodedata.normalize("NFC", official.name)
    assert official.gender is Gender.FEMALE
    assert official.position == "Phó Trưởng phòng"
    assert official.role_group is RoleGroup.PHO_TRUONG_PHONG
    assert official.education is Education.MASTER
    assert official.pipeline is True


def test_english_headers_and_values(tmp_path: Path) -> None:
    headers = ["ID", "Full name", "Date of birth", "Sex", "Unit", "Level", "Type", "Job title"]
    headers += ["Role group", "Education", "Hired date", "Rating", "Previous rating", "Pipeline"]
    headers += ["Planned title year", "Field", "Profession"]
    row = ["VC1", "Lê Thị Hoa", "1980-03-04", "F", "Bệnh viện tỉnh", "province", "Viên chức", "Bác sĩ"]
    row += ["", "CK2", "2005-06-07", "Tốt", "Xuất sắc", "yes", 2027, "Y tế", "Bác sĩ"]
    (official,) = read_roster(workbook(tmp_path / "r.xlsx", [row], headers), today=TODAY).officials
    assert official.gender is Gender.FEMALE
    assert official.level is Level.PROVINCE
    assert official.role_group is RoleGroup.VIEN_CHUC
    assert official.education is Education.SPECIALIST_2
    assert official.hired_date == date(2005, 6, 7)
    assert (official.rating, official.rating_previous) == (Rating.GOOD, Rating.EXCELLENT)
    assert official.pipeline is True
    assert official.title_year == 2027
    assert (official.field, official.profession) == ("Y tế", "Bác sĩ")


@pytest.mark.parametrize(
    "cell",
    [
        "05/09/1985",
        "5/9/1985",
        "05-09-1985",
        "1985-09-05",
        " 05/09/1985 ",
        date(1985, 9, 5),
        datetime(1985, 9, 5, 0, 0),
        (date(1985, 9, 5) - date(1899, 12, 30)).days,  # Excel serial number
    ],
)
def test_every_accepted_date_form(tmp_path: Path, cell: object) -> None:
    path = workbook(tmp_path / "r.xlsx", [person(birth=cell)])
    assert read_roster(path, today=TODAY).officials[0].birth_date == date(1985, 9, 5)


@pytest.mark.parametrize(
    ("column", "cell", "expected"),
    [
        ("Trình độ", "CKI", Education.SPECIALIST_1),
        ("Trình độ", "CK 1", Education.SPECIALIST_1),
        ("Trình độ", "Chuyên khoa", None),  # which level? refused
        ("Trình độ", "ck1", Education.SPECIALIST_1),
        ("Trình độ", "CK I", Education.SPECIALIST_1),
        ("Trình độ", "CKII", Education.SPECIALIST_2),
        ("Trình độ", "Trung cấp", Education.BELOW_COLLEGE),
        # the abbreviations of HR records and evaluation sheets
        ("Trình độ", "ThS", Education.MASTER),
        ("Trình độ", "TS", Education.DOCTOR),
        ("Trình độ", "ĐH", Education.BACHELOR),
        ("Trình độ", "Cử nhân", Education.BACHELOR),
        ("Trình độ", "CĐ", Education.COLLEGE),
        ("Xếp loại", "HTXSNV", Rating.EXCELLENT),
        ("Xếp loại", "HTTNV", Rating.GOOD),
        ("Xếp loại", "htnv", Rating.DONE),
        ("Xếp loại", "KHTNV", Rating.NOT_DONE),
        ("Xếp loại", "Hoàn thành tốt nhiệm vụ", Rating.GOOD),
        ("Xếp loại", "Không hoàn thành", Rating.NOT_DONE),
        ("Xếp loại", "hoàn thành", Rating.DONE),
        ("Quy hoạch", "Không", False),
        ("Quy hoạch", "có", True),
        ("Quy hoạch", 1, True),
        ("Quy hoạch", True, True),
        ("Quy hoạch", "false", False),
        ("Nhóm chức vụ", "Chủ tịch UBND xã", RoleGroup.CHU_TICH_XA),
        ("Nhóm chức vụ", "pho_truong_phong", RoleGroup.PHO_TRUONG_PHONG),
    ],
)
def test_coded_value_spellings(tmp_path: Path, column: str, cell: object, expected: object) -> None:
    field = {
        "Trình độ": "education",
        "Xếp loại": "rating",
        "Quy hoạch": "pipeline",
        "Nhóm chức vụ": "role_group",
    }
    path = workbook(tmp_path / "r.xlsx", [[*person(), cell]], [*HEADERS, column])
    if expected is None:
        assert only_problem(path).column == column
    else:
        assert getattr(read_roster(path, today=TODAY).officials[0], field[column]) == expected


def test_a_level_written_as_the_kind_of_unit(tmp_path: Path) -> None:
    """Quận and thị xã are districts; phường, thị trấn and (from July 2025) đặc khu are communes."""
    kinds = {
        "Phường": Level.COMMUNE,
        "Đặc khu": Level.COMMUNE,
        "Thị trấn": Level.COMMUNE,
        "Quận": Level.DISTRICT,
    }
    rows = [
        person(f"CB{i}", level=kind, category="Viên chức", position="Giáo viên")
        for i, kind in enumerate(kinds)
    ]
    officials = read_roster(workbook(tmp_path / "r.xlsx", rows), today=TODAY).officials
    assert [o.level for o in officials] == list(kinds.values())


def test_role_group_given_explicitly_is_kept(tmp_path: Path) -> None:
    rows = [
        [*person("A", position="Chuyên viên"), "Trưởng phòng"],
        [*person("B", position="Chuyên viên"), ""],  # empty: derived
        [*person("C", position="", level="Xã"), "Công chức xã"],  # no title needed then
    ]
    officials = read_roster(workbook(tmp_path / "r.xlsx", rows, [*HEADERS, "Nhóm chức vụ"]), today=TODAY)
    groups = [o.role_group for o in officials.officials]
    assert groups == [RoleGroup.TRUONG_PHONG, RoleGroup.CHUYEN_VIEN, RoleGroup.CONG_CHUC_XA]


def test_blank_rows_are_skipped_and_rows_keep_their_excel_numbers(tmp_path: Path) -> None:
    rows = [person("A"), [], [None, "  ", "\u00a0"], person("B"), [], person("C", gender="Nam giới")]
    path = workbook(tmp_path / "r.xlsx", rows)
    assert only_problem(path).row == 7  # header 1, A 2, blanks 3-4, B 5, blank 6, C 7
    rows[-1] = person("C")
    assert [o.id for o in read_roster(workbook(path, rows), today=TODAY).officials] == ["A", "B", "C"]


def test_a_title_block_above_the_header_is_skipped(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH CÁN BỘ, CÔNG CHỨC NĂM 2025"])
    sheet.append([])
    sheet.append(HEADERS)
    sheet.append(person("A"))
    sheet.append(person("B", level="Thành phố"))
    book.save(tmp_path / "r.xlsx")
    problem = only_problem(tmp_path / "r.xlsx")
    assert (problem.row, problem.column) == (5, "Cấp")


def _birth_by_gender(path: Path, rows: list[list[object]], title: bool = True) -> Path:
    """The standard list form: a title above, 'Ngày sinh' over 'Nam' and 'Nữ' (the date in the
    column of the official's gender), no 'Giới tính' column."""
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append(["DANH SÁCH CÁN BỘ, CÔNG CHỨC NĂM 2025"])
    top = 2 if title else 1
    sheet.append(["STT", "Mã CB", "Họ và tên", "Ngày sinh", None, "Đơn vị", "Cấp", "Loại", "Chức vụ"])
    sheet.append([None, None, None, "Nam", "Nữ"])
    sheet.merge_cells(start_row=top, start_column=4, end_row=top, end_column=5)
    for number, row in enumerate(rows, 1):
        official_id, name, birth, gender, *rest = row
        sheet.append(
            [number, official_id, name, *((birth, None) if gender == "Nam" else (None, birth)), *rest]
        )
    book.save(path)
    return path


def test_a_birth_date_split_into_nam_and_nu_columns_gives_the_gender(tmp_path: Path) -> None:
    rows = [person("A"), person("B", gender="Nữ", birth="02/03/1990"), person("C", birth=date(1979, 4, 5))]
    plain = read_roster(workbook(tmp_path / "plain.xlsx", rows), today=TODAY).officials
    split = read_roster(_birth_by_gender(tmp_path / "split.xlsx", rows), today=TODAY).officials
    assert split == plain
    assert [(o.gender, o.birth_date) for o in split] == [
        (Gender.MALE, date(1985, 5, 17)),
        (Gender.FEMALE, date(1990, 3, 2)),
        (Gender.MALE, date(1979, 4, 5)),
    ]


def test_with_a_gender_column_too_the_split_birth_date_gives_the_date_only(tmp_path: Path) -> None:
    rows = [person("A"), person("B", gender="Nữ", birth="02/03/1990")]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*HEADERS[:3], None, *HEADERS[3:]])
    sheet.append([None, None, "Nam", "Nữ"])
    for official_id, name, birth, gender, *rest in rows:
        sheet.append(
            [official_id, name, *((birth, None) if gender == "Nam" else (None, birth)), gender, *rest]
        )
    book.save(tmp_path / "r.xlsx")
    plain = read_roster(workbook(tmp_path / "plain.xlsx", rows), today=TODAY).officials
    assert read_roster(tmp_path / "r.xlsx", today=TODAY).officials == plain


def test_a_birth_date_under_both_nam_and_nu_is_named_by_row(tmp_path: Path) -> None:
    path = _birth_by_gender(tmp_path / "r.xlsx", [person("A"), person("B")], title=False)
    book = openpyxl.load_workbook(path)
    book.active.cell(row=4, column=5, value="01/01/1980")  # B: a date under Nữ too
    book.save(path)
    problem = only_problem(path)
    assert (problem.sheet, problem.row, problem.column) == ("Sheet", 4, "Ngày sinh")
    assert "cả cột 'Nam' và 'Nữ'" in problem.message_vi and "both columns" in problem.message_en
    book.active.cell(row=4, column=4, value=None)
    book.active.cell(row=4, column=5, value=None)  # B: no date at all
    book.save(path)
    assert (only_problem(path).row, only_problem(path).column) == (4, "Ngày sinh")


def test_ids_written_as_numbers_are_text(tmp_path: Path) -> None:
    rows = [person(123), person(124.0), person("00125")]
    history = [["Mã CB", "Chương trình", "Năm"], [123, "lead", 2021.0], ["124", "DUTY", "2022"]]
    roster = read_roster(workbook(tmp_path / "r.xlsx", rows, history=history), today=TODAY)
    assert [o.id for o in roster.officials] == ["123", "124", "00125"]
    assert [(r.official_id, r.program, r.year) for r in roster.history] == [
        ("123", "LEAD", 2021),
        ("124", "DUTY", 2022),
    ]


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8-sig", ","), ("utf-8", ","), ("utf-8-sig", ";"), ("utf-8", "\t")]
)
def test_csv_holds_the_officials(tmp_path: Path, encoding: str, delimiter: str) -> None:
    """Comma separated, or as Excel saves CSV where the decimal mark is a comma (Vietnam): semicolons."""
    path = tmp_path / "r.csv"
    with path.open("w", encoding=encoding, newline="") as file:
        writer = csv.writer(file, delimiter=delimiter)
        writer.writerow([*HEADERS, "Xếp loại"])
        writer.writerow([*person("A", name="Phạm Thị Ánh"), "Hoàn thành xuất sắc nhiệm vụ"])
        writer.writerow([])
        writer.writerow([*person("B", category="Viên chức", position="Hiệu trưởng"), ""])
    roster = read_roster(path, today=TODAY)
    assert [o.name for o in roster.officials] == ["Phạm Thị Ánh", "Nguyễn Văn An"]
    assert roster.officials[0].rating is Rating.EXCELLENT
    assert roster.officials[1].role_group is RoleGroup.LANH_DAO_DON_VI
    assert roster.history == []


# the columns of HEADERS: the fields a roster of only these columns has
BASIC_FIELDS = {"id", "name", "birth_date", "gender", "unit", "level", "category", "position"}


def test_the_roster_records_which_columns_it_had_with_a_value(tmp_path: Path) -> None:
    headers = [*HEADERS, "Xếp loại", "Xếp loại năm trước", "Ngày tuyển dụng"]
    rows = [[*person("A"), "Tốt", None, "01/03/2010"], [*person("B"), "Tốt", "  ", None]]
    roster = read_roster(workbook(tmp_path / "r.xlsx", rows, headers), today=TODAY)
    # 'Xếp loại năm trước' is there but empty in every row: as missing as a column left out
    assert roster.columns == BASIC_FIELDS | {"rating", "hired_date"}
    path = tmp_path / "r.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([headers, *(["" if c is None else c for c in row] for row in rows)])
    assert read_roster(path, today=TODAY).columns == roster.columns


def test_a_sheet_with_headers_and_no_rows_keeps_its_columns(tmp_path: Path) -> None:
    roster = read_roster(workbook(tmp_path / "r.xlsx", [], [*HEADERS, "Xếp loại năm trước"]), today=TODAY)
    assert roster.officials == [] and roster.columns == BASIC_FIELDS | {"rating_previous"}


def test_a_roster_built_in_code_has_every_column() -> None:
    assert Roster(officials=[]).columns == frozenset(Official.model_fields)
    with pytest.raises(ValueError, match="unknown fields"):
        Roster(officials=[], columns=frozenset({"id", "shoe_size"}))


ROLE_CASES = [
    ("Trưởng phòng Tổ chức cán bộ", Category.CONG_CHUC, Level.PROVINCE, RoleGroup.TRUONG_PHONG),
    ("Phó Trưởng phòng Tổ chức cán bộ", Category.CONG_CHUC, Level.PROVINCE, RoleGroup.PHO_TRUONG_PHONG),
    ("PHÓ TRƯỞNG PHÒNG", Category.CONG_CHUC, Level.DISTRICT, RoleGroup.PHO_TRUONG_PHONG),
    (
        unicodedata.normalize("NFD", "Phó trưởng phòng"),
        Category.CONG_CHUC,
        Level.DISTRICT,
        RoleGroup.PHO_TRUONG_PHONG,
    ),
    ("Trưởng phòng Nội vụ", Category.CONG_CHUC, Level.DISTRICT, RoleGroup.TRUONG_PHONG),
    ("Chi cục trưởng Chi cục Kiểm lâm", Category.CONG_CHUC, Level.PROVINCE, RoleGroup.TRUONG_PHONG),
    ("Giám đốc Sở Y tế", Category.CONG_CHUC, Level.PROVINCE, RoleGroup.LANH_DAO_CAP_SO),
    ("Phó Giám đốc Sở Tài chính", Category.CONG_CHUC, Level.PROVINCE, RoleGroup.LANH_DAO_CAP_SO),
    ("Chủ tịch UBND huyện", Category.CAN_BO, Level.DISTRICT, RoleGroup.LANH_DAO_CAP_SO),
    ("Phó Chủ tịch UBND huyện", Category.CAN_BO, Level.DISTRICT, RoleGroup.LANH_DAO_CAP_SO),
    ("Trưởng Ban Dân tộc", Category.CONG_CHUC, Level.PROVINCE, RoleGroup.LANH_DAO_CAP_SO),
    ("Chánh Văn phòng UBND tỉnh", Category.CONG_CHUC, Level.PROVINCE, RoleGroup.LANH_DAO_CAP_SO),
    ("Chánh Thanh tra tỉnh", Category.CONG_CHUC, Level.PROVINCE, RoleGroup.LANH_DAO_CAP_SO),
    ("Chánh Văn phòng Sở Xây dựng", Category.CONG_CHUC, Level.PROVINCE, RoleGroup.TRUONG_PHONG),
    ("Phó Chánh Thanh tra huyện", Category.CONG_CHUC, Level.DISTRICT, RoleGroup.PHO_TRUONG_PHONG),
    ("Chuyên viên", Category.CONG_CHUC, Level.PROVINCE, RoleGroup.CHUYEN_VIEN),
    ("Thanh tra viên", Category.CONG_CHUC, Level.PROVINCE, RoleGroup.CHUYEN_VIEN),
    ("Chủ tịch UBND xã", Category.CAN_BO, Level.COMMUNE, RoleGroup.CHU_TICH_XA),
    ("Phó Chủ tịch Ủy ban nhân dân xã", Category.CAN_BO, Level.COMMUNE, RoleGroup.PHO_CHU_TICH_XA),
    ("Phó Bí thư Đảng ủy, Chủ tịch UBND xã", Category.CAN_BO, Level.COMMUNE, RoleGroup.CHU_TICH_XA),
    ("Chủ tịch Hội Nông dân xã", Category.CAN_BO, Level.COMMUNE, RoleGroup.CONG_CHUC_XA),
    ("Phó Chủ tịch HĐND xã", Category.CAN_BO, Level.COMMUNE, RoleGroup.CONG_CHUC_XA),
    ("Công chức Tư pháp - Hộ tịch", Category.CONG_CHUC, Level.COMMUNE, RoleGroup.CONG_CHUC_XA),
    ("Giám đốc Bệnh viện Đa khoa tỉnh", Category.VIEN_CHUC, Level.PROVINCE, RoleGroup.LANH_DAO_DON_VI),
    ("Phó Trưởng khoa Nội", Category.VIEN_CHUC, Level.PROVINCE, RoleGroup.LANH_DAO_DON_VI),
    ("Hiệu trưởng", Category.VIEN_CHUC, Level.DISTRICT, RoleGroup.LANH_DAO_DON_VI),
    ("Phó Hiệu trưởng", Category.VIEN_CHUC, Level.COMMUNE, RoleGroup.LANH_DAO_DON_VI),
    ("Trưởng trạm Y tế", Category.VIEN_CHUC, Level.COMMUNE, RoleGroup.LANH_DAO_DON_VI),
    ("Trưởng phòng Kế hoạch tổng hợp", Category.VIEN_CHUC, Level.PROVINCE, RoleGroup.LANH_DAO_DON_VI),
    ("Bác sĩ", Category.VIEN_CHUC, Level.PROVINCE, RoleGroup.VIEN_CHUC),
    ("Giáo viên chủ nhiệm", Category.VIEN_CHUC, Level.DISTRICT, RoleGroup.VIEN_CHUC),
    ("Điều dưỡng", Category.VIEN_CHUC, Level.PROVINCE, RoleGroup.VIEN_CHUC),
    ("  ", Category.CONG_CHUC, Level.PROVINCE, None),
]


@pytest.mark.parametrize(("position", "category", "level", "expected"), ROLE_CASES)
def test_derive_role_group(
    position: str, category: Category, level: Level, expected: RoleGroup | None
) -> None:
    assert derive_role_group(position, category, level) is expected


# --- problems ---------------------------------------------------------------------------------


def assert_located(problem: Problem, sheet: str, row: int | None, column: str) -> None:
    assert (problem.sheet, problem.row, problem.column) == (sheet, row, column), str(problem)
    text = str(problem)
    assert f"sheet '{sheet}'" in text and f"row {row}" in text and f"column '{column}'" in text
    assert problem.message_vi and problem.message_en


def test_missing_required_columns_are_named(tmp_path: Path) -> None:
    headers = [h for h in HEADERS if h not in ("Ngày sinh", "Cấp")]
    rows = [[c for h, c in zip(HEADERS, person(), strict=True) if h in headers]]
    problems = problems_of(workbook(tmp_path / "r.xlsx", rows, headers))
    assert len(problems) == 2
    for problem, column in zip(problems, ["Ngày sinh", "Cấp"], strict=True):
        assert_located(problem, SHEET, 1, column)
        assert "Thiếu cột" in problem.message_vi and "missing" in problem.message_en


def test_file_problems(tmp_path: Path) -> None:
    (missing,) = problems_of(tmp_path / "nowhere.xlsx")
    assert "not found" in missing.message_en
    (tmp_path / "r.txt").write_text("Mã CB\n1\n", encoding="utf-8")
    (unsupported,) = problems_of(tmp_path / "r.txt")
    assert ".txt" in unsupported.message_en
    (tmp_path / "broken.xlsx").write_bytes(b"this is not a zip file")
    (broken,) = problems_of(tmp_path / "broken.xlsx")
    assert "Cannot read" in broken.message_en
    (tmp_path / "latin.csv").write_bytes(",".join(HEADERS).encode("cp1258", errors="replace") + b"\xc3\x28\n")
    (encoding,) = problems_of(tmp_path / "latin.csv")
    assert "UTF-8" in encoding.message_en


def test_duplicate_ids_name_both_rows(tmp_path: Path) -> None:
    problem = only_problem(workbook(tmp_path / "r.xlsx", [person("A"), person("B"), person("A")]))
    assert_located(problem, SHEET, 4, "Mã CB")
    assert "dòng 2" in problem.message_vi and "row 2" in problem.message_en


def test_empty_required_cells(tmp_path: Path) -> None:
    problems = problems_of(workbook(tmp_path / "r.xlsx", [person("A", name=" ", unit=None)]))
    assert [(p.row, p.column) for p in problems] == [(2, "Họ và tên"), (2, "Đơn vị")]
    assert_located(problems[0], SHEET, 2, "Họ và tên")
    assert "Empty cell" in problems[0].message_en


def test_empty_position_without_role_group(tmp_path: Path) -> None:
    problem = only_problem(workbook(tmp_path / "r.xlsx", [person(position="")]))
    assert_located(problem, SHEET, 2, "Chức vụ")


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("31/02/1990", "not a real date"),
        ("1990-13-01", "not a real date"),
        ("mười hai", "Cannot read"),
        ("12/1990", "Cannot read"),
        ("01/01/2030", "in the future"),
        ("01/06/2010", "age 14"),
        ("01/01/1940", "age 85"),
    ],
)
def test_bad_birth_dates(tmp_path: Path, cell: str, says: str) -> None:
    problem = only_problem(workbook(tmp_path / "r.xlsx", [person(birth=cell)]))
    assert_located(problem, SHEET, 2, "Ngày sinh")
    assert says in problem.message_en


@pytest.mark.parametrize(
    ("header", "cell", "accepted"),
    [
        ("Giới tính", "Nam giới", "Nam, Nữ"),
        ("Cấp", "Thành phố", "Tỉnh, Huyện, Xã"),
        ("Loại", "Hợp đồng", "Cán bộ, Công chức, Viên chức"),
        ("Trình độ", "Sau đại học", "Đại học"),  # a master or a doctor? refused
        ("Xếp loại", "Khá", "Hoàn thành tốt nhiệm vụ"),
        ("Xếp loại năm trước", "A", "Hoàn thành xuất sắc nhiệm vụ"),
        ("Quy hoạch", "có thể", "Có, Không"),
        ("Nhóm chức vụ", "Giám đốc", "Trưởng phòng"),
        ("Năm dự kiến bổ nhiệm CDNN", "2027.5", "four-digit year"),
        ("Ngày tuyển dụng", "hôm qua", "dd/mm/yyyy"),
    ],
)
def test_unknown_values_list_what_is_accepted(tmp_path: Path, header: str, cell: str, accepted: str) -> None:
    headers, row = list(HEADERS), person()
    if header in headers:
        row[headers.index(header)] = cell
    else:
        headers.append(header)
        row.append(cell)
    problem = only_problem(workbook(tmp_path / "r.xlsx", [row], headers))
    assert_located(problem, SHEET, 2, header)
    assert cell in problem.message_vi and accepted in problem.message_en


def test_history_problems(tmp_path: Path) -> None:
    history = [
        ["Mã CB", "Chương trình", "Năm"],
        ["A", "LEAD", 2020],
        ["Z", "DUTY", 2021],
        ["A", "COOKING", 2021],
        ["A", "DUTY", "năm ngoái"],
        ["A", "", 2022],
    ]
    problems = problems_of(workbook(tmp_path / "r.xlsx", [person("A")], history=history))
    assert [(p.row, p.column) for p in problems] == [
        (3, "Mã CB"),
        (4, "Chương trình"),
        (5, "Năm"),
        (6, "Chương trình"),
    ]
    for problem in problems:
        assert_located(problem, HISTORY, problem.row, problem.column)
    assert "'Z'" in problems[0].message_en
    assert "COOKING" in problems[1].message_en and "LEAD" in problems[1].message_en


def test_an_empty_history_sheet_means_no_history(tmp_path: Path) -> None:
    assert read_roster(workbook(tmp_path / "r.xlsx", [person()], history=[]), today=TODAY).history == []


def test_programs_beyond_the_standard_ones_can_be_allowed(tmp_path: Path) -> None:
    history = [["Mã CB", "Chương trình", "Năm"], ["A", "digital", 2024]]
    path = workbook(tmp_path / "r.xlsx", [person("A")], history=history)
    roster = read_roster(path, known_programs=["LEAD", "DIGITAL"], today=TODAY)
    assert roster.history[0].program == "DIGITAL"


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    rows = [person("A", gender="?"), person("B", birth="30/02/1980"), person("A")]
    problems = problems_of(workbook(tmp_path / "r.xlsx", rows))
    assert [(p.row, p.column) for p in problems] == [(2, "Giới tính"), (3, "Ngày sinh"), (4, "Mã CB")]
    report = InputError("r.xlsx", problems).report()
    assert report.count("\n  - ") == 3


# --- scale ------------------------------------------------------------------------------------


def fast_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> None:
    """A bare .xlsx written directly (openpyxl takes about half a minute for 100,000 rows)."""

    def cell(value: object) -> str:
        if isinstance(value, int | float):
            return f"<c><v>{value}</v></c>"
        return f'<c t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'

    body = "".join(f"<row>{''.join(map(cell, row))}</row>" for row in [header, *rows])
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relations = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{package}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<Relationships xmlns="{package}/relationships"><Relationship Id="r1" '
        f'Type="{relations}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{relations}"><sheets>'
        f'<sheet name="{SHEET}" sheetId="1" r:id="r1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}/relationships"><Relationship Id="r1" '
        f'Type="{relations}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{body}</sheetData></worksheet>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)


def test_a_hundred_thousand_rows(tmp_path: Path) -> None:
    size = 100_000
    levels, categories = ["Tỉnh", "Huyện", "Xã"], ["Công chức", "Viên chức", "Cán bộ"]
    positions = ["Chuyên viên", "Phó Trưởng phòng", "Bác sĩ", "Chủ tịch UBND xã"]
    epoch = date(1899, 12, 30)

    def birth(i: int) -> date:
        return date(1966, 1, 1) + timedelta(days=i % 12000)

    rows = [
        [
            f"CB{i:06d}",
            f"Nguyễn Thị {i}",
            (birth(i) - epoch).days if i % 2 else birth(i).strftime("%d/%m/%Y"),
            "Nữ" if i % 3 else "Nam",
            f"Đơn vị {i % 500}",
            levels[i % 3],
            categories[i % 3],
            positions[i % 4],
            ["Đại học", "Thạc sĩ", "CKI"][i % 3],
            "x" if i % 7 == 0 else "",
        ]
        for i in range(size)
    ]
    path = tmp_path / "big.xlsx"
    fast_xlsx(path, [*HEADERS, "Trình độ", "Quy hoạch"], rows)
    roster = read_roster(path, today=TODAY)
    assert len(roster.officials) == size
    for i in (0, 1, 2, 3, 4999, 77_777, size - 1):
        official = roster.officials[i]
        assert official.id == f"CB{i:06d}" and official.name == f"Nguyễn Thị {i}"
        assert official.birth_date == birth(i)
        assert official.gender is (Gender.FEMALE if i % 3 else Gender.MALE)
        assert official.level is [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE][i % 3]
        assert official.education is [Education.BACHELOR, Education.MASTER, Education.SPECIALIST_1][i % 3]
        assert official.pipeline is (i % 7 == 0)
        expected = derive_role_group(positions[i % 4], official.category, official.level)
        assert official.role_group is expected


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path, enabled: bool) -> None:
    """The reader pauses the collector while it builds the row models, and only meanwhile."""
    history = [["Mã CB", "Chương trình", "Năm"], ["CB1", "LEAD", 2020]]
    path = workbook(tmp_path / "r.xlsx", [person()], history=history)
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        roster = read_roster(path, today=TODAY)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
    assert [o.id for o in roster.officials] == ["CB1"] and len(roster.history) == 1
