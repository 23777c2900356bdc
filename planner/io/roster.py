"""Read a roster (.xlsx workbook or .csv) into a checked `Roster`, reporting every problem at once.

All cleaning and checking of the roster happens here: headers are matched without case, accents
or extra spaces, coded values are mapped to the enums of `models`, dates are parsed, role groups
are derived from the job title when not given, and each problem names its sheet, row and column.
"""

from __future__ import annotations

import csv
import logging
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
from pydantic import BaseModel
from python_calamine import CalamineWorkbook

from models import (
    STANDARD_PROGRAMS,
    Category,
    Education,
    Gender,
    Level,
    Official,
    Rating,
    RoleGroup,
    Roster,
    TrainingRecord,
)
from models.enums import Coded
from models.official import OFFICIAL_FIELDS
from planner.collector import collector_paused
from planner.io.errors import InputError, Problem
from planner.io.text import clean_text, csv_delimiter, normalize_key

logger = logging.getLogger(__name__)

OFFICIALS_SHEET = "Danh sách cán bộ"
HISTORY_SHEET = "Lịch sử đào tạo"
NOTES_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
PIPELINE_LABELS = {True: "Có", False: "Không"}
MIN_AGE, MAX_AGE = 16, 80
MIN_YEAR, MAX_YEAR = 1950, 2100

_EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
_HISTORY_SHEET_NAMES = {normalize_key(n) for n in (HISTORY_SHEET, "Training history", "History")}
_NOT_OFFICIALS_SHEET_NAMES = _HISTORY_SHEET_NAMES | {normalize_key(n) for n in (NOTES_SHEET, LISTS_SHEET)}
_HEADER_SEARCH_ROWS = 20  # a title block above the header row is common in Vietnamese workbooks


class _CellError(ValueError):
    """A cell that cannot be read, with what is wrong and what to do in Vietnamese and English."""

    def __init__(self, message_vi: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi
        self.message_en = message_en


# ---------------------------------------------------------------------------------------------
# Cell parsers: raw cell (str, int, float, bool, datetime from calamine; str from CSV) -> value.
# They are only called on non-blank cells and raise _CellError.


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def _text(value: object) -> str:
    """Cleaned text of a cell; a whole number read as a float (123.0) gives '123'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value))


_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d*)?)?)?")
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_LAST_SERIAL = 2958465  # 31/12/9999
_DATE_HELP_VI = "Nhập ngày dạng dd/mm/yyyy, ví dụ 05/09/1985"
_DATE_HELP_EN = "enter it as dd/mm/yyyy, e.g. 05/09/1985"


def _date(value: object) -> date:
    """An Excel date, an Excel serial number, or text dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, yyyy-mm-dd."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= _EXCEL_LAST_SERIAL:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise _CellError(
            f"Số '{text}' không phải là ngày. {_DATE_HELP_VI}.", f"'{text}' is not a date; {_DATE_HELP_EN}."
        )
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = map(int, match.groups())
    elif match := _ISO.fullmatch(text):
        year, month, day = map(int, match.groups())
    else:
        raise _CellError(
            f"Không đọc được ngày '{text}'. {_DATE_HELP_VI}.",
            f"Cannot read '{text}' as a date; {_DATE_HELP_EN}.",
        )
    try:
        return date(year, month, day)
    except ValueError:
        raise _CellError(
            f"Ngày '{text}' không tồn tại. Kiểm tra ngày và tháng. {_DATE_HELP_VI}.",
            f"'{text}' is not a real date; check the day and month and {_DATE_HELP_EN}.",
        ) from None


def parse_year(value: object) -> int:
    """A four-digit year between MIN_YEAR and MAX_YEAR (a number cell or text)."""
    text = _text(value)
    if re.fullmatch(r"\d{4}", text) and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text)
    raise _CellError(
        f"'{text}' không phải là năm hợp lệ. Nhập năm 4 chữ số từ {MIN_YEAR} đến {MAX_YEAR}, ví dụ 2027.",
        f"'{text}' is not a valid year; enter a four-digit year from {MIN_YEAR} to {MAX_YEAR}, e.g. 2027.",
    )


def choice_parser(names: Mapping[str, object], accepted: Iterable[str]) -> Callable[[object], object]:
    """A parser mapping text (compared with normalize_key) to a value, refusing anything else."""
    listed = ", ".join(accepted)

    def parse(value: object) -> object:
        text = _text(value)
        try:
            return names[normalize_key(text)]
        except KeyError:
            raise _CellError(
                f"Giá trị '{text}' không hợp lệ. Chọn một trong: {listed}.",
                f"'{text}' is not an accepted value; use one of: {listed}.",
            ) from None

    return parse


#: Other spellings accepted for coded values, besides the Vietnamese label and the code.
_OTHER_NAMES: dict[Coded, tuple[str, ...]] = {
    Gender.MALE: ("male", "m"),
    Gender.FEMALE: ("female", "f"),
    Level.PROVINCE: ("province", "cấp tỉnh"),
    # the kinds of unit of each level: quận and thị xã are districts; phường, thị trấn and (from
    # July 2025) đặc khu are communes ('Thành phố' may be either a province or a district: refused)
    Level.DISTRICT: ("district", "cấp huyện", "Quận", "Thị xã"),
    Level.COMMUNE: ("commune", "cấp xã", "Phường", "Thị trấn", "Đặc khu"),
    # the abbreviations of HR records and evaluation sheets
    Education.BELOW_COLLEGE: ("TC",),
    Education.COLLEGE: ("CĐ",),
    Education.BACHELOR: ("ĐH", "Cử nhân", "Kỹ sư"),
    Education.MASTER: ("ThS",),
    Education.DOCTOR: ("TS",),
    Education.SPECIALIST_1: ("CKI", "CK1", "CK I", "CK 1", "Chuyên khoa 1", "Chuyên khoa cấp I"),
    Education.SPECIALIST_2: ("CKII", "CK2", "CK II", "CK 2", "Chuyên khoa 2", "Chuyên khoa cấp II"),
    Rating.EXCELLENT: ("Xuất sắc", "HTXSNV"),
    Rating.GOOD: ("Tốt", "HTTNV"),
    Rating.DONE: ("Hoàn thành", "HTNV"),
    Rating.NOT_DONE: ("Không hoàn thành", "KHTNV"),
}
_PIPELINE_NAMES = {
    **dict.fromkeys(("co", "x", "yes", "true", "1"), True),
    **dict.fromkeys(("khong", "no", "false", "0"), False),
}


def _coded(enum: type[Coded]) -> Callable[[object], object]:
    names = {
        normalize_key(name): member
        for member in enum
        for name in (member.value, member.label, *_OTHER_NAMES.get(member, ()))
    }
    return choice_parser(names, (member.label for member in enum))


@dataclass(frozen=True)
class Column:
    """A roster column: the model field it fills, its Vietnamese header and the aliases accepted."""

    field: str
    header: str
    aliases: tuple[str, ...] = ()
    #: The column must be present ...
    required: bool = False
    #: ... and every row must have a value in it.
    filled: bool = False
    parse: Callable[[object], object] = _text
    #: The accepted values shown in dropdowns and messages (coded columns only).
    choices: tuple[str, ...] = ()


def _coded_column(
    field: str, header: str, aliases: tuple[str, ...], enum: type[Coded], filled: bool
) -> Column:
    return Column(field, header, aliases, filled, filled, _coded(enum), tuple(m.label for m in enum))


#: The officials sheet, in the order `export.write_roster` writes it.
OFFICIAL_COLUMNS: tuple[Column, ...] = (
    Column("id", "Mã CB", ("ID", "official_id", "Mã cán bộ"), required=True, filled=True),
    Column("name", "Họ và tên", ("name", "full name", "Họ tên"), required=True, filled=True),
    Column(
        "birth_date", "Ngày sinh", ("birth date", "date of birth"), required=True, filled=True, parse=_date
    ),
    _coded_column("gender", "Giới tính", ("gender", "sex"), Gender, filled=True),
    Column("unit", "Đơn vị", ("unit", "Đơn vị công tác"), required=True, filled=True),
    _coded_column("level", "Cấp", ("level",), Level, filled=True),
    _coded_column("category", "Loại", ("category", "type"), Category, filled=True),
    Column("position", "Chức vụ", ("position", "job title"), required=True),
    _coded_column("role_group", "Nhóm chức vụ", ("role group",), RoleGroup, filled=False),
    Column("field", "Lĩnh vực", ("field",)),
    Column("profession", "Chuyên môn", ("profession",)),
    _coded_column("education", "Trình độ", ("education", "Trình độ chuyên môn"), Education, filled=False),
    Column("hired_date", "Ngày tuyển dụng", ("hired date", "recruitment date", "hire date"), parse=_date),
    _coded_column("rating", "Xếp loại", ("rating",), Rating, filled=False),
    _coded_column("rating_previous", "Xếp loại năm trước", ("previous rating",), Rating, filled=False),
    Column(
        "pipeline",
        "Quy hoạch",
        ("pipeline",),
        parse=choice_parser(_PIPELINE_NAMES, PIPELINE_LABELS.values()),
        choices=tuple(PIPELINE_LABELS.values()),
    ),
    Column(
        "title_year",
        "Năm dự kiến bổ nhiệm CDNN",
        ("title year", "planned title year", "Năm dự kiến bổ nhiệm chức danh nghề nghiệp"),
        parse=parse_year,
    ),
)

#: The training history sheet.
HISTORY_COLUMNS: tuple[Column, ...] = (
    Column("official_id", "Mã CB", ("ID", "official_id", "Mã cán bộ"), required=True, filled=True),
    Column("program", "Chương trình", ("program",), required=True, filled=True),
    Column("year", "Năm", ("year",), required=True, filled=True, parse=parse_year),
)


# ---------------------------------------------------------------------------------------------
# Role groups


def _phrases(*phrases: str) -> re.Pattern[str]:
    """Any of the phrases as whole words of a `normalize_key` text."""
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b")


# 'Phó Giám đốc' contains 'giam doc', so each pattern covers the deputies too.
_PROVINCE_LEADER = _phrases("giam doc", "chu tich", "truong ban", "bi thu")
_OFFICE_HEAD = _phrases("chanh van phong", "chanh thanh tra")
_DEPUTY_OFFICE_HEAD = _phrases("pho chanh van phong", "pho chanh thanh tra")
_WITHIN_DEPARTMENT = _phrases("so")
_DIVISION_HEAD = _phrases("truong phong", "chi cuc truong")
_DEPUTY_DIVISION_HEAD = _phrases("pho truong phong", "pho chi cuc truong")
# Chairs of bodies other than the People's Committee (HĐND, Hội ..., Mặt trận, Công đoàn).
_COMMUNE_CHAIR = re.compile(
    r"\b(pho )?chu tich\b(?! (?:hdnd|hoi|mttq|ubmttq|ub mttq|uy ban mttq|mat tran|uy ban mat tran|cong doan)\b)"
)
_UNIT_MANAGER = _phrases(
    "giam doc",
    "vien truong",
    "hieu truong",
    "truong khoa",
    "truong phong",
    "truong tram",
    "truong ban",
    "dieu duong truong",
    "ke toan truong",
)


@lru_cache(maxsize=4096)
def derive_role_group(position: str, category: Category, level: Level) -> RoleGroup | None:
    """The role group of MISSION.md for a job title (`Chức vụ`), category and level; None if no title.

    Viên chức are managers (Giám đốc, Hiệu trưởng, Trưởng khoa, ... and deputies) or professionals.
    At commune level: chair or vice-chair of the People's Committee, else commune staff. At province
    and district level: sở/district leaders (Giám đốc, Chủ tịch, Trưởng ban, Bí thư and deputies),
    Trưởng phòng, Phó Trưởng phòng (Chánh Văn phòng/Chánh Thanh tra count as such inside a sở or at
    district level, as sở-level leaders otherwise), else chuyên viên.
    """
    key = normalize_key(position)
    if not key:
        return None
    if category is Category.VIEN_CHUC:
        return RoleGroup.LANH_DAO_DON_VI if _UNIT_MANAGER.search(key) else RoleGroup.VIEN_CHUC
    if level is Level.COMMUNE:
        if chair := _COMMUNE_CHAIR.search(key):
            return RoleGroup.PHO_CHU_TICH_XA if chair.group(1) else RoleGroup.CHU_TICH_XA
        return RoleGroup.CONG_CHUC_XA
    return _province_or_district_group(key, level)


def _province_or_district_group(key: str, level: Level) -> RoleGroup:
    """The role group of a công chức at province or district level, from the normalized job title."""
    if _PROVINCE_LEADER.search(key):
        return RoleGroup.LANH_DAO_CAP_SO
    if _OFFICE_HEAD.search(key):
        if level is Level.PROVINCE and not _WITHIN_DEPARTMENT.search(key):
            return RoleGroup.LANH_DAO_CAP_SO
        return RoleGroup.PHO_TRUONG_PHONG if _DEPUTY_OFFICE_HEAD.search(key) else RoleGroup.TRUONG_PHONG
    if _DEPUTY_DIVISION_HEAD.search(key):
        return RoleGroup.PHO_TRUONG_PHONG
    if _DIVISION_HEAD.search(key):
        return RoleGroup.TRUONG_PHONG
    return RoleGroup.CHUYEN_VIEN


# ---------------------------------------------------------------------------------------------
# Sheets and headers


@dataclass(frozen=True)
class Sheet:
    """The cells of one sheet as read; `name` is '' for a CSV file."""

    name: str
    cells: np.ndarray  # every cell as read (2-D, dtype object), row i is spreadsheet row i + 1


def _file_problem(path: Path, message_vi: str, message_en: str) -> InputError:
    return InputError(path.name, [Problem(message_vi, message_en)])


def read_sheets(path: Path, choose: Callable[[list[str]], list[str]]) -> list[Sheet]:
    """A CSV file as one sheet named '', or the sheets of a workbook that `choose` picks by name.

    `choose` receives the workbook's sheet names and may raise `InputError` (a sheet it needs is
    missing). A missing, damaged, non-UTF-8 or unsupported file raises `InputError`.
    """
    if not path.is_file():
        raise _file_problem(
            path,
            f"Không tìm thấy tệp '{path}'. Kiểm tra đường dẫn.",
            f"File '{path}' not found; check the path.",
        )
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return [Sheet("", _read_csv(path))]
        if suffix in _EXCEL_SUFFIXES:
            return _read_workbook(path, choose)
    except InputError:
        raise
    except UnicodeDecodeError:
        raise _file_problem(
            path,
            "Tệp CSV không ở bảng mã UTF-8. Trong Excel, lưu lại bằng 'CSV UTF-8 (Comma delimited)'.",
            "The CSV file is not UTF-8; in Excel save it again as 'CSV UTF-8 (Comma delimited)'.",
        ) from None
    except Exception as error:  # calamine and pandas raise many kinds for damaged files
        raise _file_problem(
            path,
            f"Không đọc được tệp ({error}). Mở tệp bằng Excel và lưu lại dạng .xlsx.",
            f"Cannot read the file ({error}); open it in Excel and save it again as .xlsx.",
        ) from error
    raise _file_problem(
        path,
        f"Không hỗ trợ loại tệp '{suffix or path.name}'. Dùng tệp Excel .xlsx hoặc .csv.",
        f"Unsupported file type '{suffix or path.name}'; use an Excel .xlsx or a .csv file.",
    )


def _read_roster_sheets(path: Path) -> tuple[Sheet, Sheet | None]:
    """The officials sheet and, in a workbook that has one, the training history sheet."""

    def choose(names: list[str]) -> list[str]:
        officials = next((n for n in names if normalize_key(n) not in _NOT_OFFICIALS_SHEET_NAMES), None)
        history = next((n for n in names if normalize_key(n) in _HISTORY_SHEET_NAMES), None)
        if officials is None:
            raise _file_problem(
                path,
                f"Tệp không có sheet danh sách cán bộ (chỉ có: {', '.join(names)}). Thêm sheet này làm sheet đầu.",
                f"No officials sheet (only: {', '.join(names)}); add it as the first sheet.",
            )
        return [officials, history] if history else [officials]

    officials, *history = read_sheets(path, choose)
    return officials, history[0] if history else None


def _grid(rows: Sequence[Sequence[object]]) -> np.ndarray:
    """Rows of cells as a rectangular 2-D object array (short rows padded with empty cells)."""
    width = max(map(len, rows), default=0)
    grid = np.full((len(rows), width), "", dtype=object)
    for i, row in enumerate(rows):
        grid[i, : len(row)] = row
    return grid


def _read_csv(path: Path) -> np.ndarray:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return _grid(list(csv.reader(file, delimiter=csv_delimiter(file))))


def _read_workbook(path: Path, choose: Callable[[list[str]], list[str]]) -> list[Sheet]:
    # python-calamine directly rather than pandas.read_excel(engine="calamine"): same cells without
    # pandas' per-cell conversion (measured: benchmarks/RESULTS.md, profile of the stages).
    book = CalamineWorkbook.from_path(str(path))
    try:
        # skip_empty_area=False keeps leading empty rows, so row i is spreadsheet row i + 1.
        return [
            Sheet(name, _grid(book.get_sheet_by_name(name).to_python(skip_empty_area=False)))
            for name in choose([str(name) for name in book.sheet_names])
        ]
    finally:
        book.close()


def _header_key(text: str) -> str:
    """Key of a header: normalize_key, '_' as space, without a trailing '*' or '(note)'."""
    return re.sub(r"\s*(?:\*|\([^)]*\))$", "", normalize_key(text).replace("_", " "))


@cache
def _header_index(columns: tuple[Column, ...]) -> dict[str, Column]:
    return {
        _header_key(name): column
        for column in columns
        for name in (column.header, column.field, *column.aliases)
    }


def _locate_columns(
    sheet: Sheet, columns: tuple[Column, ...], problems: list[Problem]
) -> tuple[int, dict[str, tuple[int, str]]] | None:
    """The header row number and, per field found, its column position and header as written."""
    index = _header_index(columns)
    head = sheet.cells[:_HEADER_SEARCH_ROWS].tolist()
    id_keys = {key for key, column in index.items() if column is columns[0]}
    filled = [i for i, cells in enumerate(head) if not all(map(_is_blank, cells))]
    if not filled:
        problems.append(
            Problem(
                "Sheet trống: không có dòng tiêu đề. Dòng 1 phải là tên các cột.",
                "The sheet is empty: no header row; row 1 must hold the column names.",
                sheet.name,
            )
        )
        return None
    header_at = next(
        (i for i in filled if any(_header_key(_text(c)) in id_keys for c in head[i] if not _is_blank(c))),
        filled[0],
    )
    row = header_at + 1
    found: dict[str, tuple[int, str]] = {}
    for position, cell in enumerate(head[header_at]):
        if _is_blank(cell):
            continue
        header = _text(cell)
        column = index.get(_header_key(header))
        if column is None:
            logger.debug("sheet %r: column %r ignored", sheet.name, header)
        elif column.field in found:
            problems.append(
                Problem(
                    f"Cột '{header}' trùng với cột '{found[column.field][1]}'. Xóa một trong hai cột.",
                    f"Column '{header}' repeats column '{found[column.field][1]}'; delete one of them.",
                    sheet.name,
                    row,
                    header,
                )
            )
        else:
            found[column.field] = (position, header)
    for column in columns:
        if column.required and column.field not in found:
            english = ", ".join(a for a in column.aliases if a.isascii())
            problems.append(
                Problem(
                    f"Thiếu cột bắt buộc '{column.header}'. Thêm cột này vào dòng tiêu đề (dòng {row}).",
                    f"Required column '{column.header}' is missing; add it to the header row (row {row})"
                    + (f"; English names accepted: {english}." if english else "."),
                    sheet.name,
                    row,
                    column.header,
                )
            )
    return row, found


FAILED = object()  # marks a cell that could not be read


@dataclass(frozen=True)
class Table:
    """The non-blank rows under a sheet's header, parsed column by column."""

    rows: list[int]  # spreadsheet row numbers, as the user sees them
    values: dict[str, list[object]]  # per field: the parsed value, the default if blank, or FAILED
    blank: dict[str, list[bool]]  # per field: whether the cell was blank
    headers: dict[str, str]  # per field: the header as written, or the Vietnamese one if missing


def parse_table(
    sheet: Sheet,
    columns: tuple[Column, ...],
    defaults: dict[str, object],
    problems: list[Problem],
    parsers: dict[str, Callable[[object], object]] | None = None,
) -> Table | None:
    """Parse each column once per distinct cell value; unreadable and empty required cells become problems."""
    located = _locate_columns(sheet, columns, problems)
    if located is None:
        return None
    header_row, found = located
    body = sheet.cells[header_row:]
    present = [column for column in columns if column.field in found]
    parsed: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[int, _CellError]]] = {}
    for column in present:
        parse = (parsers or {}).get(column.field, column.parse)
        codes, distinct = pd.factorize(body[:, found[column.field][0]])
        blank = np.zeros(len(distinct), dtype=bool)
        failed = np.zeros(len(distinct), dtype=bool)
        values = np.empty(len(distinct), dtype=object)
        errors: dict[int, _CellError] = {}
        for k, cell in enumerate(distinct):
            if _is_blank(cell):
                blank[k], values[k] = True, defaults.get(column.field)
                continue
            try:
                values[k] = parse(cell)
            except _CellError as error:
                failed[k], values[k], errors[k] = True, FAILED, error
        parsed[column.field] = (codes, blank[codes], failed[codes], values[codes], errors)

    keep = np.ones(len(body), dtype=bool)
    if parsed:
        keep = ~np.logical_and.reduce([blank for _, blank, _, _, _ in parsed.values()])
    table = Table(
        rows=(np.flatnonzero(keep) + header_row + 1).tolist(),
        values={field: values[keep].tolist() for field, (_, _, _, values, _) in parsed.items()},
        blank={field: blank[keep].tolist() for field, (_, blank, _, _, _) in parsed.items()},
        headers={column.field: found.get(column.field, (0, column.header))[1] for column in columns},
    )
    for column in present:
        codes, blank, failed, _, errors = parsed[column.field]
        header = table.headers[column.field]
        if column.filled:
            for i in np.flatnonzero(keep & blank):
                problems.append(
                    Problem(
                        f"Ô trống: cột '{header}' bắt buộc phải có giá trị. Hãy điền vào.",
                        f"Empty cell: '{header}' is required; fill it in.",
                        sheet.name,
                        int(i) + header_row + 1,
                        header,
                    )
                )
        for i in np.flatnonzero(keep & failed):
            failure = errors[codes[i]]
            problems.append(
                Problem(failure.message_vi, failure.message_en, sheet.name, int(i) + header_row + 1, header)
            )
    return table


# ---------------------------------------------------------------------------------------------
# Officials and history


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _birth_date(today: date) -> Callable[[object], date]:
    """A date parser that also refuses birth dates in the future or ages outside MIN_AGE..MAX_AGE."""

    def parse(value: object) -> date:
        birth = _date(value)
        shown, age = birth.strftime("%d/%m/%Y"), _age(birth, today)
        if birth > today:
            raise _CellError(
                f"Ngày sinh {shown} nằm trong tương lai. Kiểm tra lại ngày sinh.",
                f"Birth date {shown} is in the future; check it.",
            )
        if not MIN_AGE <= age <= MAX_AGE:
            raise _CellError(
                f"Ngày sinh {shown} cho tuổi {age}, ngoài khoảng {MIN_AGE}–{MAX_AGE}. Kiểm tra lại ngày sinh.",
                f"Birth date {shown} gives age {age}, outside {MIN_AGE}–{MAX_AGE}; check it.",
            )
        return birth

    return parse


def _defaults(model: type[BaseModel]) -> dict[str, object]:
    return {name: field.default for name, field in model.model_fields.items() if not field.is_required()}


#: The sub-headers of a birth date split by gender, as the standard lists print it (the gender is the
#: column the date is in), and the gender each stands for.
_BIRTH_BY_GENDER = {"nam": "Nam", "nu": "Nữ"}


def _birth_by_gender(sheet: Sheet, problems: list[Problem]) -> Sheet:
    """The sheet with a birth date split under 'Ngày sinh' into 'Nam' and 'Nữ' columns (the standard
    list form, as the plan's own lists print it) read as one birth date column and a gender column;
    as it was when the header is not so. The sub-header row is blanked (a blank row is skipped, the
    row numbers stay); a row with a date under both is a problem."""
    index = _header_index(OFFICIAL_COLUMNS)

    def key(cell: object) -> str:
        return "" if _is_blank(cell) else _header_key(_text(cell))

    def field(cell: object) -> str | None:
        column = index.get(key(cell))
        return column.field if column else None

    cells = sheet.cells
    head = cells[: _HEADER_SEARCH_ROWS + 1]
    split = next(
        (
            (r, c)
            for r in range(len(head) - 1)
            for c in range(cells.shape[1] - 1)
            if field(head[r, c]) == "birth_date"
            and {key(v) for v in head[r + 1, c : c + 2]} == set(_BIRTH_BY_GENDER)
        ),
        None,
    )
    if split is None:
        return sheet
    r, c = split
    genders = [_BIRTH_BY_GENDER[key(v)] for v in head[r + 1, c : c + 2]]
    gender_column = next(column for column in OFFICIAL_COLUMNS if column.field == "gender")
    if any(field(v) == "gender" for v in head[r]):
        genders = ["", ""]  # the gender column says it: only the date is taken from here
    cells = cells.copy()
    body = cells[r + 2 :]
    first, second = body[:, c], body[:, c + 1]
    has_first = np.array([not _is_blank(v) for v in first], dtype=bool)
    has_second = np.array([not _is_blank(v) for v in second], dtype=bool)
    for i in np.flatnonzero(has_first & has_second):
        problems.append(
            Problem(
                f"Ngày sinh ghi ở cả cột '{_text(head[r + 1, c])}' và '{_text(head[r + 1, c + 1])}'. "
                "Chỉ ghi ở cột đúng giới tính.",
                "A birth date in both columns under 'Ngày sinh'; keep it only in the gender's column.",
                sheet.name,
                int(i) + r + 3,
                _text(head[r, c]),
            )
        )
    body[:, c] = np.where(has_first, first, second)
    body[:, c + 1] = np.where(has_first, genders[0], np.where(has_second, genders[1], ""))
    cells[r + 1] = ""
    cells[r, c + 1] = gender_column.header if genders[0] else ""
    return Sheet(sheet.name, cells)


def _read_officials(
    sheet: Sheet, today: date, problems: list[Problem]
) -> tuple[list[Official], set[str], frozenset[str]]:
    """The officials (empty if there is any problem), every id seen (for the history checks), and the
    fields whose column is there with a value in some row (any column there when no row is)."""
    known_problems = len(problems)
    sheet = _birth_by_gender(sheet, problems)
    table = parse_table(
        sheet, OFFICIAL_COLUMNS, _defaults(Official), problems, parsers={"birth_date": _birth_date(today)}
    )
    if table is None:
        return [], set(), frozenset()
    values, headers = table.values, table.headers
    # an export with the header but no value (`planner record` writes every column) lacks it as much
    columns = frozenset(field for field, blank in table.blank.items() if not all(blank) or not table.rows)

    def problem(row: int, field: str, message_vi: str, message_en: str) -> None:
        problems.append(Problem(message_vi, message_en, sheet.name, row, headers[field]))

    first_row_of: dict[str, int] = {}
    for row, official_id in zip(table.rows, values.get("id", ()), strict=False):
        if not isinstance(official_id, str):
            continue
        if official_id not in first_row_of:
            first_row_of[official_id] = row
        else:
            problem(
                row,
                "id",
                f"Mã CB '{official_id}' trùng với dòng {first_row_of[official_id]}. Mỗi cán bộ cần một mã riêng.",
                f"Mã CB '{official_id}' is already used on row {first_row_of[official_id]}; "
                "give each official a unique id.",
            )

    if "position" in values:
        groups = values.get("role_group") or [None] * len(table.rows)
        missing = table.blank.get("role_group") or [True] * len(table.rows)
        for i, (row, position, level, category) in enumerate(
            zip(
                table.rows,
                values["position"],
                values.get("level", ()),
                values.get("category", ()),
                strict=False,
            )
        ):
            if not missing[i] or not isinstance(level, Level) or not isinstance(category, Category):
                continue
            groups[i] = derive_role_group(position, category, level)
            if groups[i] is None:
                problem(
                    row,
                    "position",
                    f"Ô '{headers['position']}' trống và chưa có '{headers['role_group']}'. Điền một trong hai.",
                    f"'{headers['position']}' is empty and no '{headers['role_group']}' is given; fill in one.",
                )
        values["role_group"] = groups

    if len(problems) > known_problems:
        return [], set(first_row_of), columns
    return _models(Official, values), set(first_row_of), columns


_Model = TypeVar("_Model", bound=BaseModel)


def _models(model: type[_Model], values: dict[str, list[object]]) -> list[_Model]:
    """One model per row of parsed columns (field -> the value of each row).

    Every row gives the same fields, so the rows share one set of them: pydantic gives each
    instance its own (0.7 kB an official, 220 MB of 1.1 GB at 300,000 officials). The models are
    frozen and `model_copy` copies the set before changing it."""
    fields = list(values)
    given = set(fields).intersection(model.model_fields)
    rows = []
    for cells in zip(*values.values(), strict=True):
        row = model.model_validate(dict(zip(fields, cells, strict=True)))
        object.__setattr__(row, "__pydantic_fields_set__", given)
        rows.append(row)
    return rows


def _read_history(
    sheet: Sheet, official_ids: set[str], known_programs: Iterable[str], problems: list[Problem]
) -> list[TrainingRecord]:
    """Training records (empty if there is any problem); each must name a known official and program."""
    if all(_is_blank(cell) for cell in sheet.cells.flat):
        return []  # an empty history sheet just means no history
    known_problems = len(problems)
    table = parse_table(sheet, HISTORY_COLUMNS, {}, problems)
    if table is None:
        return []
    values, headers = table.values, table.headers
    programs = {normalize_key(code): code for code in known_programs}
    listed = ", ".join(programs.values())
    for row, official_id in zip(table.rows, values.get("official_id", ()), strict=False):
        if isinstance(official_id, str) and official_id not in official_ids:
            problems.append(
                Problem(
                    f"Mã CB '{official_id}' không có trong danh sách cán bộ. Sửa mã hoặc thêm cán bộ đó.",
                    f"Mã CB '{official_id}' is not in the officials sheet; correct the id or add the official.",
                    sheet.name,
                    row,
                    headers["official_id"],
                )
            )
    for i, (row, program) in enumerate(zip(table.rows, values.get("program", ()), strict=False)):
        if not isinstance(program, str):
            continue
        values["program"][i] = programs.get(normalize_key(program))
        if values["program"][i] is None:
            problems.append(
                Problem(
                    f"Chương trình '{program}' không có trong danh mục. Dùng một mã: {listed}.",
                    f"Unknown program '{program}'; use one of the codes: {listed}.",
                    sheet.name,
                    row,
                    headers["program"],
                )
            )
    if len(problems) > known_problems:
        return []
    return _models(TrainingRecord, values)


def read_roster(
    path: str | Path, known_programs: Iterable[str] = STANDARD_PROGRAMS, today: date | None = None
) -> Roster:
    """Read and check a roster workbook (.xlsx: officials sheet, optional `Lịch sử đào tạo`) or CSV.

    `today` (default: the system date) is the day ages are checked on. Raises `InputError` listing
    every problem found, each with its sheet, row and column.

    The collector is paused meanwhile (`collector_paused`): its passes over a heap that grows by
    a list per row and a model per official cost most of the models' time (benchmarks/RESULTS.md,
    profile of the stages).
    """
    with collector_paused():
        return _read_roster(Path(path), known_programs, today or date.today())


def _read_roster(path: Path, known_programs: Iterable[str], today: date) -> Roster:
    officials_sheet, history_sheet = _read_roster_sheets(path)
    officials_problems: list[Problem] = []
    officials, official_ids, columns = _read_officials(officials_sheet, today, officials_problems)
    history_problems: list[Problem] = []
    history = (
        _read_history(history_sheet, official_ids, known_programs, history_problems) if history_sheet else []
    )
    problems = [
        problem
        for found in (officials_problems, history_problems)
        for problem in sorted(found, key=lambda p: p.row or 0)
    ]
    if problems:
        raise InputError(path.name, problems)
    logger.info("%s: %d officials, %d training records", path.name, len(officials), len(history))
    if lacking := sorted(OFFICIAL_FIELDS - columns):
        logger.info("%s: no value in the columns of %s", path.name, ", ".join(lacking))
    return Roster(officials=officials, history=history, columns=columns)
