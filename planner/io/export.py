"""Files other than the plan workbook: rosters, the roster template, nominations.csv and JSON summaries."""

from __future__ import annotations

import contextlib
import csv
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from models import STANDARD_PROGRAMS, Nomination, Roster
from models.enums import Coded
from planner.io.errors import InputError, Problem
from planner.io.roster import (
    HISTORY_COLUMNS,
    HISTORY_SHEET,
    LISTS_SHEET,
    MAX_YEAR,
    MIN_YEAR,
    NOTES_SHEET,
    OFFICIAL_COLUMNS,
    OFFICIALS_SHEET,
    PIPELINE_LABELS,
    Column,
)
from planner.io.text import csv_delimiter

logger = logging.getLogger(__name__)

DATE_FORMAT = "dd/mm/yyyy"
TEMPLATE_ROWS = 5000
#: First characters that make a spreadsheet treat text as a formula (in Excel or on re-entry).
FORMULA_START = ("=", "+", "-", "@")
_DATE_NOTE = f"Ngày dạng {DATE_FORMAT} (ví dụ 05/09/1985) hoặc ô kiểu ngày của Excel"
_YEAR_NOTE = f"Năm 4 chữ số từ {MIN_YEAR} đến {MAX_YEAR}, ví dụ 2027"

#: What each column holds, and its accepted values when it has no dropdown (for the notes sheet).
_NOTES: dict[str, tuple[str, str]] = {
    "id": ("Mã cán bộ, mỗi người một mã riêng", "Chữ hoặc số"),
    "name": ("Họ và tên đầy đủ", "Văn bản"),
    "birth_date": ("Ngày sinh (tuổi từ 16 đến 80)", _DATE_NOTE),
    "gender": ("Giới tính", ""),
    "unit": ("Cơ quan, đơn vị công tác", "Văn bản"),
    "level": ("Cấp của cơ quan, đơn vị", ""),
    "category": ("Cán bộ, công chức hay viên chức", ""),
    "position": (
        "Chức vụ hoặc chức danh hiện tại; dùng để xác định nhóm chức vụ khi cột Nhóm chức vụ để trống. "
        "Ô được để trống nếu đã điền Nhóm chức vụ",
        "Văn bản, ví dụ Trưởng phòng, Chuyên viên, Chủ tịch UBND xã, Bác sĩ",
    ),
    "role_group": ("Nhóm chức vụ; để trống thì tự xác định từ Chức vụ, Loại và Cấp", ""),
    "field": ("Lĩnh vực công tác", "Văn bản"),
    "profession": ("Chuyên môn", "Văn bản, ví dụ Bác sĩ, Dược sĩ, Giáo viên"),
    "education": ("Trình độ chuyên môn cao nhất; để trống là Đại học", ""),
    "hired_date": ("Ngày tuyển dụng", _DATE_NOTE),
    "rating": ("Xếp loại chất lượng năm gần nhất", ""),
    "rating_previous": ("Xếp loại chất lượng năm liền trước", ""),
    "pipeline": ("Có trong quy hoạch lãnh đạo, quản lý không; để trống là Không", ""),
    "title_year": (
        "Năm dự kiến bổ nhiệm chức danh nghề nghiệp (viên chức); để trống nếu không có",
        _YEAR_NOTE,
    ),
    "official_id": ("Mã CB của cán bộ như ở sheet danh sách", "Mã CB có trong sheet danh sách"),
    "program": ("Mã chương trình đã học (kịch bản có thể thêm mã khác)", ", ".join(STANDARD_PROGRAMS)),
    "year": ("Năm bắt đầu học", _YEAR_NOTE),
}
_WIDTHS = {"name": 28, "unit": 32, "position": 26, "role_group": 30, "rating": 30, "rating_previous": 30}


def _width(column: Column) -> int:
    return _WIDTHS.get(column.field, max(12, len(column.header) + 2))


def _text_cell(sheet: WriteOnlyWorksheet, value: str) -> str | Cell:
    """Text kept as text: a leading = + - @ must not become a formula when the file is opened."""
    if not value.startswith(FORMULA_START):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def _cell(sheet: WriteOnlyWorksheet, value: object) -> object:
    """A roster value as written: labels for coded values, Có/Không, real dates, safe text."""
    if value is None:
        return None
    if isinstance(value, Coded):
        return value.label
    if isinstance(value, bool):
        return PIPELINE_LABELS[value]
    if isinstance(value, date):
        # openpyxl writes dates as well as datetimes; types-openpyxl lists only datetime
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
        cell.number_format = DATE_FORMAT
        return cell
    if isinstance(value, str):
        return _text_cell(sheet, value)
    return value


def _start_sheet(workbook: Workbook, title: str, columns: Iterable[Column]) -> WriteOnlyWorksheet:
    """A write-only sheet with a bold, frozen header row and column widths set."""
    sheet = workbook.create_sheet(title)
    columns = list(columns)
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = _width(column)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    return sheet


def write_atomically(path: str | Path, write: Callable[[Path], None]) -> None:
    """Call `write` on a temporary file next to `path`, then rename it: no half-written file is left."""
    path = Path(path)
    temporary = _temporary_beside(path)
    try:
        write(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _temporary_beside(path: Path) -> Path:
    """A new empty file in `path`'s folder, named after it, with a normal file's mode."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)  # mkstemp makes it private
    return Path(temporary)


def _same_path(a: Path, b: Path) -> bool:
    """True when both name one file (hard links, `..`, case on Windows included)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


class OutputFiles:
    """The files one run writes: checked before any work, then all of them written or none.

    `check()` refuses, before the roster is read, an output that is an input or another
    output, a folder, a workbook not named .xlsx, a file that cannot be replaced (read-only,
    or open in Excel on Windows), a folder that cannot be created or written to. `write` puts
    one file in a temporary file in its folder, creating missing folders; `commit` renames
    them all at the end. Leaving the `with` block without `commit` (an error, Ctrl-C) removes
    the temporary files and the folders this run created; a rename that fails puts back the
    files already replaced.
    """

    def __init__(
        self,
        outputs: Mapping[str, str | Path | None],
        inputs: Iterable[str | Path] = (),
        workbooks: Iterable[str] = (),
    ):
        """`outputs` maps the option that names each file (`--out`) to it (None: not asked for);
        `workbooks` are the options whose file must be an .xlsx workbook."""
        self.outputs = {option: Path(path) for option, path in outputs.items() if path}
        self.inputs = [Path(path) for path in inputs]
        self.workbooks = set(workbooks)
        self._staged: list[tuple[Path, Path]] = []  # (temporary, target)
        self._created: list[Path] = []  # folders this run made, outermost first
        self.written: list[Path] = []

    def __enter__(self) -> OutputFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def check(self) -> None:
        """Raise `InputError` listing every output that cannot be written, before any work is done."""
        problems = []
        seen: list[tuple[str, Path]] = []
        for option, path in self.outputs.items():
            problem = self._problem(option, path, seen)
            if problem:
                problems.append(Problem(f"{option} {path}: {problem[0]}", f"{option} {path}: {problem[1]}"))
            seen.append((option, path))
        if problems:
            raise InputError("Tệp kết quả / output files", problems)

    def _problem(self, option: str, path: Path, seen: list[tuple[str, Path]]) -> tuple[str, str] | None:
        for source in self.inputs:
            if _same_path(path, source):
                return ("không ghi đè tệp đầu vào", "refusing to write over an input file")
        for other, earlier in seen:
            if _same_path(path, earlier):
                return (f"trùng tệp của {other}", f"the same file as {other}")
        if option in self.workbooks and path.suffix.lower() != ".xlsx":
            return ("cần tên tệp .xlsx (sổ tính Excel)", "must be an .xlsx file (an Excel workbook)")
        if path.is_dir():
            return ("là một thư mục, cần tên tệp", "is a folder: give a file name")
        if path.exists():
            try:
                with path.open("r+b"):
                    pass
            except OSError as error:
                return (
                    f"không ghi đè được tệp hiện có: tệp chỉ đọc hoặc đang mở (đóng tệp trong Excel rồi chạy lại) "
                    f"({error.strerror})",
                    f"cannot replace the existing file: it is read-only or open in another program (close it "
                    f"in Excel and run again) ({error.strerror})",
                )
        return _folder_problem(path)

    def write(self, path: str | Path, write: Callable[[Path], None]) -> None:
        """Call `write` on a temporary file in `path`'s folder (made if missing); `commit` renames it.

        An OSError (a full disk, a folder gone) discards every file of the run and becomes an
        `InputError` naming the file.
        """
        path = Path(path)
        try:
            self._make_folders(path.parent)
            temporary = _temporary_beside(path)
            self._staged.append((temporary, path))
            write(temporary)
        except OSError as error:
            self.discard()
            raise _not_written(path, error) from error

    def commit(self) -> None:
        """Rename every temporary file over its target; if one fails, put back what was replaced.

        An OSError discards the run's files and becomes an `InputError` naming the file.
        """
        done: list[tuple[Path, Path | None]] = []  # (target, the file it replaced, moved aside)
        target = Path()
        try:
            for temporary, target in self._staged:
                backup = None
                if target.exists():
                    backup = _temporary_beside(target)
                    os.replace(target, backup)
                try:
                    os.replace(temporary, target)
                except BaseException:
                    if backup:
                        os.replace(backup, target)
                    raise
                done.append((target, backup))
        except BaseException as error:
            for replaced, backup in reversed(done):
                if backup:
                    os.replace(backup, replaced)
                else:
                    replaced.unlink(missing_ok=True)
            self.discard()
            if isinstance(error, OSError):
                raise _not_written(target, error) from error
            raise
        for _, backup in done:
            if backup:
                backup.unlink(missing_ok=True)
        self.written = [target for _, target in self._staged]
        self._staged, self._created = [], []

    def discard(self) -> None:
        """Remove the temporary files not renamed yet, and the folders this run made if left empty."""
        for temporary, _ in self._staged:
            temporary.unlink(missing_ok=True)
        self._staged = []
        for folder in reversed(self._created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._created = []

    def _make_folders(self, folder: Path) -> None:
        missing = []
        while not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for made in reversed(missing):
            made.mkdir()
            self._created.append(made)


def _not_written(path: Path, error: OSError) -> InputError:
    """The refusal for a file that could not be written after all (nothing of the run is left)."""
    reason = error.strerror or str(error)
    return InputError(
        "Tệp kết quả / output files",
        [
            Problem(
                f"không ghi được {path} ({reason}); không tệp nào được ghi",
                f"cannot write {path} ({reason}); no file was written",
            )
        ],
    )


def _folder_problem(path: Path) -> tuple[str, str] | None:
    """Why no file can be written at `path`'s place (the folder, or its nearest existing parent), or None."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return (f"'{folder}' là một tệp, không phải thư mục", f"'{folder}' is a file, not a folder")
    try:
        handle, probe = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        return (
            f"không ghi được vào thư mục '{folder}' ({error.strerror})",
            f"cannot write into the folder '{folder}' ({error.strerror})",
        )
    os.close(handle)
    os.unlink(probe)
    return None


def save_workbook(workbook: Workbook, path: str | Path, finish: Callable[[Path], None] | None = None) -> None:
    """Save `workbook` atomically; `finish` may rework the saved file before it is renamed.

    On any failure the write-only sheets are closed first, so that openpyxl's unfinished sheet
    streams do not print "Exception ignored" tracebacks when they are collected.
    """

    def write(temporary: Path) -> None:
        workbook.save(temporary)
        if finish:
            finish(temporary)

    try:
        write_atomically(path, write)
    except BaseException:
        for sheet in workbook.worksheets:
            if not getattr(sheet, "closed", True):
                with contextlib.suppress(Exception):
                    sheet.close()
        raise


#: Columns of nominations.csv, in order.
NOMINATION_COLUMNS = ("official_id", "program", "year", "class_id")
#: The hidden sheet of a plan workbook that holds the same columns (read back by `read_plan`).
NOMINATIONS_SHEET = "_nominations"


def write_nominations_csv(nominations: Iterable[Nomination], path: str | Path) -> None:
    """nominations.csv: official_id,program,year,class_id (empty for slot programs), one row each."""

    def write(temporary: Path) -> None:
        with temporary.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(NOMINATION_COLUMNS)
            for n in nominations:
                writer.writerow((n.official_id, n.program, n.year, n.class_id or ""))

    write_atomically(path, write)


def read_nominations_csv(path: str | Path) -> list[Nomination]:
    """Nominations from a CSV written by `write_nominations_csv` (or edited by hand in that format)."""
    path = Path(path)
    problems: list[Problem] = []
    nominations: list[Nomination] = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle, delimiter=csv_delimiter(handle)))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(
            path.name, [Problem(f"không đọc được tệp: {error}", f"cannot read the file: {error}")]
        ) from None
    for number, row in enumerate(rows, start=2):
        missing = [c for c in NOMINATION_COLUMNS[:3] if not (row.get(c) or "").strip()]
        if missing:
            problems.append(
                Problem(
                    f"thiếu {', '.join(missing)}",
                    f"missing {', '.join(missing)}",
                    row=number,
                    column=missing[0],
                )
            )
            continue
        try:
            year = int(row["year"])
        except ValueError:
            problems.append(
                Problem("năm không hợp lệ", "year is not a whole number", row=number, column="year")
            )
            continue
        nominations.append(
            Nomination(
                official_id=row["official_id"].strip(),
                program=row["program"].strip(),
                year=year,
                class_id=(row.get("class_id") or "").strip() or None,
            )
        )
    if problems:
        raise InputError(path.name, problems)
    return nominations


def write_json(data: object, path: str | Path) -> None:
    """A JSON file (UTF-8, Vietnamese kept readable, keys in a stable order)."""

    def write(temporary: Path) -> None:
        temporary.write_text(
            json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
        )

    write_atomically(path, write)


def write_roster(roster: Roster, path: str | Path) -> None:
    """Write `roster` as a roster workbook (officials sheet and `Lịch sử đào tạo`) that reads back equal."""
    path = Path(path)
    workbook = Workbook(write_only=True)
    try:
        officials = _start_sheet(workbook, OFFICIALS_SHEET, OFFICIAL_COLUMNS)
        fields = [column.field for column in OFFICIAL_COLUMNS]
        for official in roster.officials:
            officials.append([_cell(officials, getattr(official, field)) for field in fields])
        history = _start_sheet(workbook, HISTORY_SHEET, HISTORY_COLUMNS)
        for record in roster.history:
            history.append([_text_cell(history, record.official_id), record.program, record.year])
    except BaseException:
        for sheet in workbook.worksheets:  # close the sheets' streams; nothing has been saved yet
            sheet.close()
        raise
    save_workbook(workbook, path)
    logger.info(
        "%s: wrote %d officials, %d training records", path.name, len(roster.officials), len(roster.history)
    )


def _add_dropdown(sheet: Worksheet, letter: str, source: str, title: str) -> None:
    validation = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error="Chọn một giá trị trong danh sách (xem sheet Hướng dẫn).",
    )
    validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
    sheet.add_data_validation(validation)


def write_template(path: str | Path) -> None:
    """Write an empty roster workbook: headers, dropdowns on coded columns, and a `Hướng dẫn` sheet."""
    path = Path(path)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the default sheet
    officials = _template_sheet(workbook, OFFICIALS_SHEET, OFFICIAL_COLUMNS)
    history = _template_sheet(workbook, HISTORY_SHEET, HISTORY_COLUMNS)
    notes = workbook.create_sheet(NOTES_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"  # dropdown sources: labels may hold commas, so no inline lists

    dropdowns: list[tuple[Worksheet, int, Column, tuple[str, ...]]] = [
        (officials, number, column, column.choices)
        for number, column in enumerate(OFFICIAL_COLUMNS, start=1)
        if column.choices
    ]
    program = next(c for c in HISTORY_COLUMNS if c.field == "program")
    dropdowns.append((history, HISTORY_COLUMNS.index(program) + 1, program, STANDARD_PROGRAMS))
    for list_number, (sheet, number, column, choices) in enumerate(dropdowns, start=1):
        list_letter = get_column_letter(list_number)
        lists.cell(row=1, column=list_number, value=column.header)
        for row, choice in enumerate(choices, start=2):
            lists.cell(row=row, column=list_number, value=choice)
        source = f"{quote_sheetname(LISTS_SHEET)}!${list_letter}$2:${list_letter}${len(choices) + 1}"
        _add_dropdown(sheet, get_column_letter(number), source, column.header)

    _write_notes(
        notes,
        [(OFFICIALS_SHEET, c) for c in OFFICIAL_COLUMNS] + [(HISTORY_SHEET, c) for c in HISTORY_COLUMNS],
    )
    save_workbook(workbook, path)
    logger.info("%s: wrote the roster template", path.name)


def _template_sheet(workbook: Workbook, title: str, columns: tuple[Column, ...]) -> Worksheet:
    sheet = workbook.create_sheet(title)
    _write_rows(sheet, [[column.header for column in columns]], widths=[_width(c) for c in columns])
    return sheet


def _write_rows(sheet: Worksheet, rows: list[list[object]], widths: list[int]) -> None:
    """Rows into a normal sheet, the first one a bold frozen header."""
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width


def _write_notes(sheet: Worksheet, columns: list[tuple[str, Column]]) -> None:
    """One line per column: sheet, column, required or not, what it holds, accepted values."""
    rows: list[list[object]] = [["Sheet", "Cột", "Bắt buộc", "Nội dung", "Giá trị chấp nhận"]]
    for sheet_name, column in columns:
        meaning, accepted = _NOTES[column.field]
        if column.filled:
            required = "Bắt buộc"
        elif column.required:
            required = "Bắt buộc có cột"
        else:
            required = "Không bắt buộc"
        rows.append([sheet_name, column.header, required, meaning, accepted or "; ".join(column.choices)])
    _write_rows(sheet, rows, widths=[20, 28, 16, 70, 70])


#: What each column of the decisions template holds and the values it accepts.
_DECISION_NOTES: dict[str, tuple[str, str, str]] = {
    "official_id": ("Bắt buộc", "Mã CB của cán bộ như trong danh sách cán bộ", "Mã CB có trong danh sách"),
    "action": (
        "Bắt buộc",
        "Cử: luôn cử người này đi chương trình, năm đã ghi. Không cử: không bao giờ cử người này "
        "(vào chương trình đã ghi, hoặc mọi chương trình)",
        "Cử (cũng nhận: ghim, pin); Không cử (cũng nhận: loại, exclude)",
    ),
    "program": (
        "Bắt buộc khi Cử",
        "Mã chương trình; với Không cử, để trống hoặc '*' là mọi chương trình",
        "Mã chương trình của kịch bản (danh sách thả xuống), hoặc '*'",
    ),
    "year": ("Bắt buộc khi Cử", "Năm bắt đầu học; với Không cử, để trống là mọi năm", _YEAR_NOTE),
    "reason": ("Không bắt buộc", "Lý do của quyết định (in vào phương án)", "Văn bản"),
}


def write_decisions_template(path: str | Path, programs: Iterable[str] = STANDARD_PROGRAMS) -> None:
    """Write an empty decisions workbook (`Quyết định`): headers, dropdowns and a `Hướng dẫn` sheet.

    `programs` are the codes offered in the program dropdown (with '*', every program).
    """
    # Imported here: planner.io.decisions reads nominations.csv with this module.
    from planner.io.decisions import ACTION_LABELS, DECISION_COLUMNS, DECISIONS_SHEET

    path = Path(path)
    programs = list(programs)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the default sheet
    decisions = _template_sheet(workbook, DECISIONS_SHEET, DECISION_COLUMNS)
    decisions.column_dimensions[get_column_letter(len(DECISION_COLUMNS))].width = 60
    notes = workbook.create_sheet(NOTES_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    fields = [column.field for column in DECISION_COLUMNS]
    for list_number, (field, choices) in enumerate(
        (("action", ACTION_LABELS), ("program", (*programs, "*"))), start=1
    ):
        column = DECISION_COLUMNS[fields.index(field)]
        list_letter = get_column_letter(list_number)
        lists.cell(row=1, column=list_number, value=column.header)
        for row, choice in enumerate(choices, start=2):
            lists.cell(row=row, column=list_number, value=choice)
        source = f"{quote_sheetname(LISTS_SHEET)}!${list_letter}$2:${list_letter}${len(choices) + 1}"
        _add_dropdown(decisions, get_column_letter(fields.index(field) + 1), source, column.header)
    rows: list[list[object]] = [["Cột", "Bắt buộc", "Nội dung", "Giá trị chấp nhận"]]
    rows += [[column.header, *_DECISION_NOTES[column.field]] for column in DECISION_COLUMNS]
    _write_rows(notes, rows, widths=[20, 18, 70, 70])
    save_workbook(workbook, path)
    logger.info("%s: wrote the decisions template", path.name)
