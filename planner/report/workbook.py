"""The plan as an Excel workbook the department can print, sign and defend.

Sheets, in order: the summary against targets and budget; one printable annex per class
and per slot program and year; nominations by unit; the reason behind every name (and
every name left off); native Excel charts; what the plan was made from (input hashes,
options, version, time of the run); and a hidden `_nominations` sheet with the columns of
nominations.csv, so the plan can be read back (`planner.io.decisions.read_plan`). Vietnamese
by default, English with lang="en" (sheet names, headers and the planner's own words;
names, units and other roster data stay as they are).

The workbook is streamed (openpyxl write-only mode) so a province-sized plan writes in
seconds, into a temporary file next to the destination that replaces it only when complete.
Roster text is always written as text, never as a formula.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, LineChart, Reference, ScatterChart, Series
from openpyxl.chart.marker import Marker
from openpyxl.chart.series import Series as ChartSeries
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel

import planner
from models import (
    ApprovalIssue,
    ClassInfo,
    Gender,
    Nomination,
    Official,
    PlanChange,
    Program,
    Result,
    Roster,
    Scenario,
    in_lang,
)
from models.scenario import name_in
from planner.analysis.reasons import KIND_LABELS
from planner.collector import collector_paused
from planner.io.export import FORMULA_START, NOMINATION_COLUMNS, NOMINATIONS_SHEET, save_workbook
from planner.io.text import format_number, format_percent, normalize_key
from planner.report.report import Report
from planner.report.sheet_xml import BulkRows, CellValue, excel_text, row_xml, splice, unpack
from planner.report.status import level_name, level_status, plan_status, status_words
from planner.report.words import INPUT_WORDS, SIDE_WORDS, WORDS, about_value, about_word
from planner.solver.cohorts import Population

log = logging.getLogger(__name__)

LANGS = ("vi", "en")
MAX_SHEET_TITLE = 31

# --- words ----------------------------------------------------------------------------------------


#: Column widths of the About sheet (label, then a value over two columns; file name, SHA-256).
ABOUT_WIDTHS = [40, 30, 70]


def _fmt(template: str, **values: Any) -> str:
    return template.format(**values) if values else template


# --- styles ---------------------------------------------------------------------------------------

FONT = "Times New Roman"
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
_SHORT_FILL = PatternFill("solid", fgColor="F8CBAD")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm:ss"
INT_FORMAT = "#,##0"
PCT_FORMAT = "0.0%"


def times_by_default(workbook: Workbook) -> None:
    """Make Times New Roman 11 pt the workbook's default font, in which column widths are measured.

    With the default Calibri, a column's printed width depends on that font being installed
    (LibreOffice without it measures in a wider font and pushes columns onto extra pages).
    """
    normal = Font(name=FONT, size=BODY_POINTS, family=1)
    # no public API sets the default font; types-openpyxl leaves these private attributes out
    workbook._fonts = IndexedList([normal])  # type: ignore[attr-defined]
    workbook._named_styles["Normal"].font = normal  # type: ignore[attr-defined]


def _styles() -> list[NamedStyle]:
    """The workbook's named styles (visible in Excel's Cell Styles); `_hl` variants mark shortfalls."""
    plain = Font(name=FONT, size=11)
    bold = Font(name=FONT, size=11, bold=True)
    italic = Font(name=FONT, size=11, italic=True)
    styles = [
        NamedStyle("kh_title", font=Font(name=FONT, size=13, bold=True), alignment=_CENTER),
        NamedStyle("kh_subtitle", font=Font(name=FONT, size=12, bold=True), alignment=_CENTER),
        NamedStyle("kh_note", font=italic, alignment=_CENTER),
        NamedStyle("kh_label", font=bold, alignment=_LEFT),
        NamedStyle("kh_plain", font=plain, alignment=Alignment(vertical="center")),
        NamedStyle("kh_wrap", font=plain, alignment=_LEFT),
        NamedStyle("kh_header", font=bold, alignment=_CENTER, border=_BOX, fill=_HEADER_FILL),
        NamedStyle("kh_group", font=bold, alignment=_LEFT, border=_BOX, fill=_GROUP_FILL),
        NamedStyle("kh_sign", font=bold, alignment=_CENTER),
        NamedStyle(
            "kh_datetime", font=plain, alignment=Alignment(horizontal="left"), number_format=DATETIME_FORMAT
        ),
        NamedStyle(
            "kh_plain_int", font=plain, alignment=Alignment(horizontal="left"), number_format=INT_FORMAT
        ),
    ]
    for suffix, fill in (("", None), ("_hl", _SHORT_FILL)):
        styles += [
            NamedStyle(f"kh_text{suffix}", font=plain, alignment=_LEFT, border=_BOX, fill=fill),
            NamedStyle(f"kh_center{suffix}", font=plain, alignment=_CENTER, border=_BOX, fill=fill),
            NamedStyle(
                f"kh_date{suffix}",
                font=plain,
                alignment=_CENTER,
                border=_BOX,
                number_format=DATE_FORMAT,
                fill=fill,
            ),
            NamedStyle(
                f"kh_int{suffix}",
                font=plain,
                alignment=_RIGHT,
                border=_BOX,
                number_format=INT_FORMAT,
                fill=fill,
            ),
            NamedStyle(
                f"kh_pct{suffix}",
                font=plain,
                alignment=_RIGHT,
                border=_BOX,
                number_format=PCT_FORMAT,
                fill=fill,
            ),
        ]
    return styles


# --- entry point -------------------------------------------------------------------------------------


def write_workbook(
    path: str | os.PathLike[str],
    roster: Roster,
    scenario: Scenario,
    result: Result,
    population: Population,
    inputs: Mapping[str, str | os.PathLike[str]] | None = None,
    options: Mapping[str, Any] | None = None,
    lang: str = "vi",
) -> None:
    """Write the plan workbook to `path`, atomically (a temporary file next to it, then a rename).

    `inputs` maps a label (e.g. "roster", "scenario") to a file whose SHA-256 goes on the About
    sheet; `path` must not be one of them (ValueError). `options` are shown on the About sheet
    (e.g. solver settings); a "run_at" datetime in it is used as the time of the run, else the
    time of writing. `lang` is "vi" (default) or "en".
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    target = Path(path)
    inputs = dict(inputs or {})
    for label, input_path in inputs.items():
        if _same_file(target, Path(input_path)):
            raise ValueError(
                f"không ghi đè tệp đầu vào '{label}' ({input_path}) / "
                f"refusing to overwrite the input file '{label}' ({input_path})"
            )
    options = dict(options or {})
    run_at = options.pop("run_at", None) or datetime.now().replace(microsecond=0)
    hashed = [(label, Path(p).name, _sha256(Path(p))) for label, p in inputs.items()]
    with collector_paused():  # its passes over the cells: 0.2 s at 25,000 officials, 0.6 s at 150,000
        book = _Book(Report(population, result), lang)
        workbook = book.build(hashed, options, run_at)
        _save_atomically(workbook, target, book.pages.bulk_rows())
    log.info("wrote %s (%d sheets)", target, len(book.pages.titles))


def _same_file(a: Path, b: Path) -> bool:
    if a.exists() and b.exists():
        return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


def _sha256(path: Path) -> str | None:
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _save_atomically(workbook: Workbook, target: Path, bulk: dict[str, BulkRows] | None = None) -> None:
    """Save into a temporary file in the destination's directory, then rename it over the destination."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        save_workbook(workbook, target, lambda temporary: splice(str(temporary), bulk or {}))
    finally:
        for rows in (bulk or {}).values():
            rows.close()


# --- cells -----------------------------------------------------------------------------------------------


def text_cell(ws: Any, value: str, style: str | None = None) -> Cell:
    """A cell that holds `value` as text, whatever it starts with (never a formula)."""
    value = excel_text(value)
    cell = WriteOnlyCell(ws, value or None)
    if style:
        cell.style = style
    if not value:
        return cell  # an empty cell, not an empty string
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True  # stays text when someone edits the cell in Excel
    return cell


def _cell(ws: Any, value: CellValue, style: str | None = None) -> CellValue | Cell:
    """A value for ws.append: a styled cell, a text cell, or the bare value when neither is needed."""
    if isinstance(value, str):
        if style or value.startswith(FORMULA_START) or ILLEGAL_CHARACTERS_RE.search(value):
            return text_cell(ws, value, style)
        return value or None
    if style is None:
        return value
    return _styled(ws, value, style)


def _styled(ws: Any, value: CellValue, style: str) -> Cell:
    """A cell holding `value` as it is, in a named style."""
    # openpyxl writes dates as well as datetimes; types-openpyxl lists only datetime
    cell = WriteOnlyCell(ws, value)  # type: ignore[arg-type]
    cell.style = style
    return cell


def _share(done: float, need: float) -> float | None:
    return done / need if need else None


# --- the book ---------------------------------------------------------------------------------------------


class _Sheet:
    """A write-only sheet that counts its rows, so merged ranges can name them.

    After `start_bulk()`, rows are no longer streamed through openpyxl's cells but rendered as
    sheet XML (`rows`), which `sheet_xml.splice` inserts into the saved file: the same cells, tens of
    times faster, for the sheets that hold one row per person.
    """

    def __init__(self, ws: Any, columns: int, styles: _StyleIds, widths: Sequence[float] | None = None):
        self.ws = ws
        self.columns = columns
        self.styles = styles
        self.widths: Sequence[float] = widths or []
        self.row = 0
        self.rows: BulkRows | None = None
        self.heights: list[float] = []  # each row's height in points, row 1 first
        #: The leading columns that print on the first page (all, unless they go on over the next).
        self.page_columns = columns

    def start_bulk(self) -> None:
        """Render every later row as XML (no openpyxl rows may follow)."""
        self.rows = BulkRows()

    def add(self, values: Sequence[CellValue | Cell], height: float | None = None) -> int:
        """Append a row of values and cells, `height` points high (one line by default); its number.

        Every row gets its height: spreadsheet programs do not grow the rows of a generated file
        for wrapped text, and rows left to their default print at uneven heights.
        """
        self.row += 1
        height = height or (_wrapped_height(values, self.widths) if self.widths else ROW_HEIGHT)
        self.heights.append(height)
        if self.rows is None:
            if height:
                self.ws.row_dimensions[self.row].height = height
            self.ws.append(values)
        else:
            self.rows.append(row_xml(self.row, [unpack(value) for value in values], height))
        return self.row

    def cells(
        self, values: Sequence[CellValue], styles: Sequence[str | None], height: float | None = None
    ) -> int:
        """Append a row of values with a named style each (None: unstyled); its number."""
        if self.rows is None:
            return self.add(
                [_cell(self.ws, value, style) for value, style in zip(values, styles, strict=True)], height
            )
        self.row += 1
        height = height or (row_height(values, self.widths) if self.widths else ROW_HEIGHT)
        self.heights.append(height)
        ids = self.styles
        self.rows.append(
            row_xml(
                self.row,
                [
                    (value, ids.of(style, isinstance(value, str) and value.startswith(FORMULA_START)))
                    for value, style in zip(values, styles, strict=True)
                ],
                height,
            )
        )
        return self.row

    def merge(self, first: int, last: int, rows: int = 1, row: int | None = None) -> None:
        """Merge columns first..last (1-based) of the next row (or of `row`), over `rows` rows."""
        top = self.row + 1 if row is None else row
        start, end = get_column_letter(first), get_column_letter(last)
        self.ws.merged_cells.add(f"{start}{top}:{end}{top + rows - 1}")

    def line(self, text: str, style: str, first: int = 1, last: int | None = None) -> int:
        """A text across columns first..last (by default all those of the first printed page), its row
        as high as its lines."""
        last = last or self.page_columns
        self.merge(first, last)
        return self.add(
            [None] * (first - 1) + [text_cell(self.ws, text, style)], self.height(text, first, last, style)
        )

    def width(self, first: int, last: int) -> float:
        """Width in characters of columns first..last together (0 when the widths are not known)."""
        widths = self.widths[first - 1 : last]
        return sum(widths) + 0.7 * (len(widths) - 1) if len(widths) == last - first + 1 else 0

    def height(self, text: Any, first: int, last: int, style: str = "kh_wrap") -> float | None:
        """Row height for `text` across columns first..last in `style` (None when the widths are unknown)."""
        width = self.width(first, last)
        if not width or not isinstance(text, str):
            return None
        size = STYLE_POINTS.get(style, BODY_POINTS)
        lines = text_lines(text, width * BODY_POINTS / size, style in BOLD_STYLES)
        return max(ROW_HEIGHT, (LINE_HEIGHT * size / BODY_POINTS) * lines + 4)

    def blank(self) -> int:
        """An empty row."""
        return self.add([])


class _StyleIds:
    """Index of each named style (with or without the quote prefix) in the saved workbook's cell formats."""

    def __init__(self, ws: Any):
        self.ws = ws
        self._ids: dict[tuple[str | None, bool], int] = {}

    def of(self, style: str | None, quoted: bool = False) -> int:
        """The cell-format index for a named style (0 for no style and no quote prefix)."""
        key = (style, quoted)
        if key not in self._ids:
            probe = WriteOnlyCell(self.ws)
            if style:
                probe.style = style
            if quoted:
                probe.quotePrefix = True
            self._ids[key] = probe.style_id if (style or quoted) else 0
        return self._ids[key]


#: Column widths of the annex lists (STT, name, birth Nam, birth Nữ, position, unit, qualification, note).
LIST_WIDTHS = [5, 24, 11, 11, 30, 32, 28, 17]
#: Column widths of the summary's results table.
SUMMARY_WIDTHS = [19, 28, 11, 10, 10, 9, 7, 10, 16, 34]
#: The budget table's columns (1-based, first and last) in the summary's: the budget, in billions
#: of đồng, needs two of the results table's narrow columns, the note the three last.
BUDGET_SPANS = [(1, 1), (2, 2), (3, 4), (5, 5), (6, 6), (7, 7), (8, 10)]

# --- print geometry ----------------------------------------------------------------------------------------

#: Page margins in inches; the footer sits 0.3 in from the bottom edge, inside the 0.8 in margin.
MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM, MARGIN_FOOTER = 0.5, 0.6, 0.8, 0.3
#: A4 in points (portrait width, height).
A4_POINTS = (595.3, 841.9)
#: Font size of the body text, and the smallest size it may print at after scaling.
BODY_POINTS, SMALLEST_PRINTED_POINTS = 11, 9
#: Points per printed line of wrapped 11 pt text, and the height of a row of one line.
LINE_HEIGHT = 13
ROW_HEIGHT = 15
#: Font sizes of the styles that are not 11 pt, and the bold styles (wider text).
STYLE_POINTS = {"kh_title": 13, "kh_subtitle": 12}
BOLD_STYLES = frozenset({"kh_title", "kh_subtitle", "kh_label", "kh_header", "kh_group", "kh_sign"})


def column_points(width: float) -> float:
    """Printed width in points of a column `width` characters wide, in Times New Roman 11 pt.

    Excel counts 7 px a character and 5 px of padding; LibreOffice measures the font's digits,
    about 5 % wider: the wider of the two.
    """
    return (7.35 * width + 5) * 0.75


def printable_points(landscape: bool) -> tuple[float, float]:
    """Width and height in points inside the margins of an A4 page."""
    short, long = A4_POINTS
    width, height = (long, short) if landscape else (short, long)
    return width - 2 * 72 * MARGIN_SIDE, height - 72 * (MARGIN_TOP + MARGIN_BOTTOM)


def columns_on_a_page(widths: Iterable[float], landscape: bool, scale: float) -> int:
    """How many of the leading columns of these widths print on one page at `scale` per cent."""
    room, used, count = 0.96 * printable_points(landscape)[0] * 100 / scale, 0.0, 0
    for width in widths:
        used += column_points(width)
        if used > room:
            break
        count += 1
    return max(1, count)


def print_scale(widths: Iterable[float], landscape: bool) -> int:
    """The scale in per cent (at most 100) at which columns of these widths fit the page width."""
    total = sum(column_points(w) for w in widths)
    return min(100, math.floor(100 * 0.96 * printable_points(landscape)[0] / total))


@lru_cache(maxsize=1 << 16)
def text_lines(text: str, width: float, bold: bool = False) -> int:
    """Lines a wrapped text takes in a column `width` characters wide (Times New Roman 11 pt, by words).

    An estimate on the safe side: Excel and LibreOffice do not recompute row heights of a
    generated file, so a row set too low would print its lines over the next row. Kept per
    text and width: the reasons sheet repeats its texts over thousands of rows.
    """
    capacity = max(1.0, (width - 1) * (1.0 if bold else 1.1))
    lines = 0
    for paragraph in str(text).split("\n"):
        used, count = 0.0, 1
        for word in paragraph.split():
            size = len(word) + 0.4 * sum(map(str.isupper, word))  # capitals are wider
            if used and used + 1 + size > capacity:
                count += 1
                used = 0.0
            while size > capacity:  # a word longer than the column breaks
                count += 1
                size -= capacity
            used += (1 if used else 0) + size
        lines += count
    return lines


def row_height(values: Sequence[object], widths: Sequence[float], bold: bool = False) -> float:
    """Height in points of a row that shows each wrapped text cell whole (`widths` per cell)."""
    lines = max(
        (
            text_lines(value, width, bold)
            for value, width in zip(values, widths, strict=False)
            if isinstance(value, str) and value
        ),
        default=1,
    )
    return ROW_HEIGHT if lines <= 1 else LINE_HEIGHT * lines + 4


#: The charts sheet: label and year column widths, columns set, chart size (cm) and rows of a chart.
CHART_LABEL_WIDTH, CHART_COLUMN_WIDTH, CHART_COLUMNS = 40, 10, 11
CHART_WIDTH_CM, CHART_HEIGHT_CM, CHART_BLOCK_ROWS = 12.8, 7.2, 15


def _column_at(widths: Sequence[float], points: float) -> int:
    """The first column (1-based) whose left edge is at least `points` from the sheet's left edge."""
    left = 0.0
    for index, width in enumerate(widths, 1):
        if left >= points:
            return index
        left += column_points(width)
    return len(widths) + 1


def _chart_title(text: str, points: int = 11) -> Title:
    """A bold chart title of `points` size (the default title is large and leaves the plot little room)."""
    font = CharacterProperties(sz=points * 100, b=True)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=font), r=[RegularTextRun(rPr=font, t=text)])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


#: Member rows that print at least on the page of the total and the signatures (when the list has
#: as many): a page that is signed names people.
NAMES_WITH_SIGNATURES = 3


def list_breaks(
    heights: Sequence[float], titles: tuple[int, int], members: tuple[int, int], capacity: float
) -> list[int]:
    """The rows after which a list's pages break, set in the sheet (so the page a name prints on
    does not rest on the spreadsheet program's own breaks).

    Each page holds the rows that fit `capacity` points (the page inside its margins, at the sheet's
    scale, less a row for the programs' rounding), the title rows repeated on every page after the
    first; the rows after the last member (the total, the date, the signatures) print whole, on the
    page of the last `NAMES_WITH_SIGNATURES` members. `heights`: every row's, row 1 first;
    `titles`, `members`: first and last rows.
    """
    first, last = members
    repeated = sum(heights[titles[0] - 1 : titles[1]])
    breaks: list[int] = []
    used = 0.0
    for row, height in enumerate(heights[:last], 1):
        if used + height > capacity:
            breaks.append(row - 1)
            used = repeated
        used += height
    top = breaks[-1] + 1 if breaks else 1
    keep = min(NAMES_WITH_SIGNATURES, last - first + 1)
    if used + sum(heights[last:]) <= capacity and last - max(top, first) + 1 >= keep:
        return breaks
    if top > last - keep:  # the page before ends earlier: the last members go on with the signatures
        breaks.pop()
    return [*breaks, last - keep]


def _header_height(cells: Sequence[object], widths: Sequence[float]) -> float:
    """Height of a header row of bold cells."""
    return row_height([c.value if isinstance(c, Cell) else c for c in cells], widths, bold=True)


def _wrapped_height(values: Sequence[object], widths: Sequence[float]) -> float:
    """Row height of a table row (every row set, so rows of one line are alike in every program)."""
    return row_height([v.value if isinstance(v, Cell) else v for v in values], widths)


SUMMARY_COLUMNS = (
    "col_code",
    "col_kind",
    "col_year",
    "col_required",
    "col_achieved",
    "col_share",
    "col_classes",
    "col_people",
    "col_cost",
    "col_note",
)
_SUMMARY_KINDS = ("text", "text", "center", "int", "int", "pct", "int", "int", "int", "text")
LIST_COLUMNS = 8
#: The list sheets' table header occupies these rows (repeated on every printed page).
LIST_HEADER_ROWS = (7, 8)


class _Pages:
    """A write-only workbook in one language with the helpers every workbook of the product uses:
    sheets with unique titles set up for A4, column widths, header rows, words, the About sheet's
    rows. The plan workbook and the comparison workbooks each hold one (composition)."""

    def __init__(self, lang: str, words: Mapping[str, tuple[str, str]], reserved: Iterable[str] = ()):
        self.lang = lang
        self.words = words
        self.titles: list[str] = []
        self._used: set[str] = {title.casefold() for title in reserved}
        self.workbook = Workbook(write_only=True)
        times_by_default(self.workbook)
        for style in _styles():
            self.workbook.add_named_style(style)
        self.sheets: list[_Sheet] = []
        self.style_ids: _StyleIds | None = None

    def t(self, key: str, **values: Any) -> str:
        """The word or sentence `key` in the workbook's language."""
        vi, en = self.words[key]
        return _fmt(vi if self.lang == "vi" else en, **values)

    def program_name(self, program: Program) -> str:
        """The program's name in the workbook's language."""
        return name_in(program, self.lang)

    def sheet(
        self, wanted: str, columns: int, landscape: bool = True, widths: Sequence[float] | None = None
    ) -> _Sheet:
        """A new write-only sheet with a valid, unique title close to `wanted`, set up for printing.

        With `widths` (column widths in characters) the sheet prints at a stated scale that fits
        them on the page width (`print_scale`); without, it is fitted to the page width.
        """
        title = re.sub(r"[\[\]:*?/\\]", "_", wanted).strip("'") or "Sheet"
        base = title[:MAX_SHEET_TITLE]
        title, number = base, 2
        while title.casefold() in self._used:
            suffix = f"~{number}"
            title = base[: MAX_SHEET_TITLE - len(suffix)] + suffix
            number += 1
        self._used.add(title.casefold())
        self.titles.append(title)
        ws = self.workbook.create_sheet(title)
        self.page(ws, landscape, widths)
        sheet = _Sheet(ws, columns, self.style_ids_for(ws), widths)
        self.sheets.append(sheet)
        if widths:
            self.widths(sheet, widths)
            sheet.page_columns = min(columns, columns_on_a_page(widths, landscape, ws.page_setup.scale))
        return sheet

    def style_ids_for(self, ws: Any) -> _StyleIds:
        """The workbook's style indices, found through its first sheet (`ws`, when there is none yet)."""
        if self.style_ids is None:
            self.style_ids = _StyleIds(ws)
        return self.style_ids

    def bulk_rows(self) -> dict[str, BulkRows]:
        """Sheet title -> rows rendered as XML, to splice into the saved file."""
        return {sheet.ws.title: sheet.rows for sheet in self.sheets if sheet.rows is not None}

    def widths(self, sheet: _Sheet, widths: Iterable[float]) -> None:
        widths = list(widths)
        sheet.widths = widths
        for index, width in enumerate(widths, 1):
            sheet.ws.column_dimensions[get_column_letter(index)].width = width

    def page(self, ws: Any, landscape: bool, widths: Sequence[float] | None = None) -> None:
        set_page(ws, landscape, self.t("page"), widths)

    def header(self, sheet: _Sheet, keys: Iterable[str], height: float | None = None) -> int:
        texts = [self.t(key) for key in keys]
        if sheet.widths:
            height = max(height or 0, row_height(texts, sheet.widths, bold=True))
        return sheet.add([text_cell(sheet.ws, text, "kh_header") for text in texts], height)

    def about_item(self, sheet: _Sheet) -> Any:
        """A function adding a label and a value over the other two columns, as high as their text."""

        def item(label: str, value: Any, style: str = "kh_wrap") -> None:
            sheet.merge(2, 3)
            heights = [sheet.height(label, 1, 1, "kh_label"), sheet.height(value, 2, 3)]
            sheet.add(
                [text_cell(sheet.ws, label, "kh_label"), _cell(sheet.ws, value, style)],
                max((h for h in heights if h), default=None),
            )

        return item

    def inputs_and_options(
        self, sheet: _Sheet, hashed: list[tuple[str, str, str | None]], options: dict[str, Any]
    ) -> None:
        """The input files with their SHA-256, and the options of the run in words."""
        ws = sheet.ws
        sheet.blank()
        sheet.line(self.t("inputs"), "kh_subtitle")
        self.header(sheet, ("col_label", "col_file", "col_hash"))
        for label, name, sha in hashed:
            sheet.cells(
                [self.input_word(label), name, sha or self.t("not_found")], ["kh_text", "kh_text", "kh_text"]
            )
        sheet.blank()
        sheet.line(self.t("options"), "kh_subtitle")
        sheet.merge(2, 3)
        self.header(sheet, ("col_item", "col_value"))
        for key, value in _flatten(options):
            label, shown = about_word(key, self.lang), about_value(value, self.lang)
            sheet.merge(2, 3)
            heights = [sheet.height(label, 1, 1), sheet.height(shown, 2, 3)]
            sheet.add(
                [text_cell(ws, label, "kh_text"), _cell(ws, shown, "kh_text"), _cell(ws, None, "kh_text")],
                max((h for h in heights if h), default=None),
            )

    def input_word(self, label: str) -> str:
        words = INPUT_WORDS.get(label)
        return f"{words[0] if self.lang == 'vi' else words[1]} ({label})" if words else label


class _Book:
    """Builds the sheets of one workbook in one language."""

    def __init__(self, report: Report, lang: str):
        self.report = report
        self.roster = report.facts.roster
        self.scenario = report.scenario
        self.result = report.result
        self.population = report.facts
        self.lang = lang
        self.officials = report.officials
        self.programs = {p.code: p for p in self.scenario.programs}
        #: (program, year) -> people of the program still studying that year from an earlier start
        self._studying: Counter[tuple[str, int]] = Counter(
            (n.program, year)
            for n in self.result.nominations
            if n.program in self.programs
            for year in range(n.year + 1, n.year + self.programs[n.program].duration_years)
        )
        #: The workbook with its sheet, page and word helpers (shared with the comparison workbooks).
        self.pages = _Pages(lang, WORDS, reserved=(NOMINATIONS_SHEET,))
        self.t = self.pages.t

    def _reason(self, shortfall: Any) -> str:
        return shortfall.reason.in_(self.lang)

    # --- the whole book ---------------------------------------------------------------------------------

    def build(
        self, hashed: list[tuple[str, str, str | None]], options: dict[str, Any], run_at: Any
    ) -> Workbook:
        """All sheets, in order."""
        properties = self.pages.workbook.properties
        if isinstance(run_at, datetime):
            properties.created = properties.modified = run_at
        properties.title = self.t("summary_title")
        properties.creator = f"training-planner {planner.__version__}"
        self._summary()
        self._lists()
        self._units()
        self._reasons_summary()
        self._reasons()
        if self.result.changes or self.result.approval_issues:
            self._changes()
        self._charts()
        self._about(hashed, options, run_at)
        self._nominations()
        return self.pages.workbook

    # --- a. summary -------------------------------------------------------------------------------------

    def _summary(self) -> None:
        sheet = self.pages.sheet(self.t("summary"), len(SUMMARY_COLUMNS), widths=SUMMARY_WIDTHS)
        scenario, result = self.scenario, self.result
        sheet.line(self.t("summary_title"), "kh_title")
        sheet.line(
            f"{self.t('scenario')}: {name_in(scenario, self.lang)} – {self.t('period')} {scenario.start_year}-{scenario.end_year}",
            "kh_subtitle",
        )
        sheet.blank()
        sheet.line(self.t("quality"), "kh_label")

        def item(label: str, value: Any, style: str = "kh_wrap") -> None:
            # label over the code and type columns, value over the rest
            sheet.merge(1, 2)
            sheet.merge(3, sheet.columns)
            heights = [sheet.height(label, 1, 2, "kh_label"), sheet.height(value, 3, sheet.columns)]
            sheet.add(
                [text_cell(sheet.ws, label, "kh_label"), None, _cell(sheet.ws, value, style)],
                max((h for h in heights if h), default=None),
            )

        item(self.t("status"), self._status_text())
        if result.status == "FEASIBLE" and result.method == "cpsat":
            item("", self.t("bound_note"))
        item(self.t("method"), self.t("method_cpsat" if result.method == "cpsat" else "method_greedy"))
        for index, level in enumerate(result.levels, 1):
            item(f"{self.t('level')} {index}: {level_name(level.name, self.lang)}", self._level_text(level))
        for index, code in enumerate(result.unsolved_levels, len(result.levels) + 1):
            item(f"{self.t('level')} {index}: {level_name(code, self.lang)}", self.t("lv_not_solved"))
        item(self.t("wall_time"), f"{format_number(result.wall_time, self.lang, 1)} {self.t('seconds')}")
        item(self.t("nominated_total"), len(result.nominations), "kh_plain_int")
        item(self.t("classes_total"), len(result.classes), "kh_plain_int")
        item(self.t("cost_total"), sum(self.report.cost.values()), "kh_plain_int")
        shortfalls = result.shortfalls
        item(
            self.t("shortfalls"),
            self.t("some_shortfalls", n=len(shortfalls)) if shortfalls else self.t("no_shortfall"),
        )
        for note in result.notes:
            item(self.t("notes"), note.in_(self.lang))
        sheet.blank()
        sheet.line(self.t("results"), "kh_subtitle")
        header = self.pages.header(sheet, SUMMARY_COLUMNS)
        self._target_rows(sheet)
        self._minimum_rows(sheet)
        self._quota_rows(sheet)
        self._program_rows(sheet)
        sheet.blank()
        sheet.line(self.t("budget_title"), "kh_subtitle")
        self._budget_rows(sheet)
        sheet.ws.print_title_rows = f"{header}:{header}"

    def _status_text(self) -> str:
        return plan_status(self.result, self.lang)

    def _number(self, value: float) -> str:
        return format_number(value, self.lang, 0 if float(value).is_integer() else 3)

    def _level_text(self, level: Any) -> str:
        words = level_status(level, self.lang)
        return f"{words}; {format_number(level.wall_time, self.lang, 1)} {self.t('seconds')}"

    def _data_row(self, sheet: _Sheet, values: list[Any], short: bool) -> None:
        """A row of the results table: code, type, year, requirement, achieved, rate, classes, people, cost, note."""
        suffix = "_hl" if short else ""
        sheet.add(
            [
                _cell(sheet.ws, value, f"kh_{kind}{suffix}")
                for value, kind in zip(values, _SUMMARY_KINDS, strict=True)
            ],
            _wrapped_height(values, SUMMARY_WIDTHS),
        )

    def _totals(
        self, codes: list[str], years: list[int]
    ) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
        """Classes, participants and cost per year of a group of programs."""
        report = self.report
        classes = {y: sum(report.classes[c, y] for c in codes) for y in years}
        people = {y: sum(report.starts[c, y] for c in codes) for y in years}
        cost = {y: sum(report.cost_by_program[c].get(y, 0) for c in codes) for y in years}
        return classes, people, cost

    def _shortfall(self, code: str, kind: str, year: int | None = None) -> Any:
        return next(
            (
                s
                for s in self.result.shortfalls
                if (s.code, s.kind) == (code, kind) and (year is None or s.year == year)
            ),
            None,
        )

    def _target_rows(self, sheet: _Sheet) -> None:
        scenario = self.scenario
        if not scenario.targets:
            return
        sheet.line(self.t("sec_targets"), "kh_group")
        for target in scenario.targets:
            covered = self.report.coverage[target.code]
            required = self.population.required[target.code]
            # People: the group's members the plan covers first in that year. The target's programs
            # are shared with others (several targets, people outside the group), so their classes
            # and cost are not the target's: they stand in the programs' rows (section 4).
            people, before = {}, self.population.pre_covered.get(target.code, 0)
            for year in scenario.years:
                people[year], before = covered[year] - before, covered[year]
            shortfall = self._shortfall(target.code, "target")
            for year in scenario.years:
                short = shortfall is not None and year == target.deadline
                values = [
                    target.code,
                    name_in(target, self.lang),
                    year,
                    required,
                    covered[year],
                    _share(covered[year], required),
                    None,
                    people[year],
                    None,
                    self._reason(shortfall) if short else "",
                ]
                self._data_row(sheet, values, short)
            achieved = covered[target.deadline]
            state = (
                self._reason(shortfall)
                if shortfall
                else f"{self.t('deadline', y=target.deadline)}: {self.t('met')}"
            )
            values = [
                target.code,
                name_in(target, self.lang),
                self.t("whole"),
                required,
                achieved,
                _share(achieved, required),
                None,
                sum(people.values()),
                None,
                state,
            ]
            self._data_row(sheet, values, shortfall is not None)

    def _minimum_rows(self, sheet: _Sheet) -> None:
        scenario = self.scenario
        programs = [
            p
            for p in scenario.programs
            if (p.is_class and p.classes_per_year_min) or (not p.is_class and p.places_per_year_min)
        ]
        if not programs:
            return
        sheet.line(self.t("sec_minimums"), "kh_group")
        for program in programs:
            kind = "classes" if program.is_class else "places"
            need = program.classes_per_year_min if program.is_class else program.places_per_year_min
            label = f"{self.pages.program_name(program)} ({self.t('min_' + kind, n=need)})"
            years = [y for y in scenario.years if scenario.runs_in(program, y)]
            classes, people, cost = self._totals([program.code], years)
            done = classes if program.is_class else people
            any_short = False
            for year in years:
                shortfall = self._shortfall(program.code, kind, year)
                any_short |= shortfall is not None
                values = [
                    program.code,
                    label,
                    year,
                    need,
                    done[year],
                    _share(done[year], need),
                    classes[year] if program.is_class else None,
                    people[year],
                    cost[year],
                    self._year_note(shortfall, [program.code], year),
                ]
                self._data_row(sheet, values, shortfall is not None)
            total_need, total_done = need * len(years), sum(done.values())
            values = [
                program.code,
                label,
                self.t("whole"),
                total_need,
                total_done,
                _share(total_done, total_need),
                sum(classes.values()) if program.is_class else None,
                sum(people.values()),
                sum(cost.values()),
                "",
            ]
            self._data_row(sheet, values, any_short)

    def _quota_rows(self, sheet: _Sheet) -> None:
        scenario = self.scenario
        if not scenario.quotas:
            return
        sheet.line(self.t("sec_quotas"), "kh_group")
        years = scenario.years
        for quota in scenario.quotas:
            lo, hi = quota.min_per_year, quota.max_per_year
            if lo and hi is not None:
                bounds = self.t("quota_range", lo=lo, hi=hi)
            elif hi is not None:
                bounds = self.t("quota_max", hi=hi)
            else:
                bounds = self.t("quota_min", lo=lo)
            label = f"{name_in(quota, self.lang)} ({', '.join(quota.programs)}; {bounds})"
            classes, people, cost = self._totals(quota.programs, years)
            has_classes = any(self.programs[p].is_class for p in quota.programs)
            any_short = False
            for year in years:
                shortfall = self._shortfall(quota.code, "quota", year)
                any_short |= shortfall is not None
                values = [
                    quota.code,
                    label,
                    year,
                    lo,
                    people[year],
                    _share(people[year], lo),
                    classes[year] if has_classes else None,
                    people[year],
                    cost[year],
                    self._year_note(shortfall, quota.programs, year),
                ]
                self._data_row(sheet, values, shortfall is not None)
            total = sum(people.values())
            values = [
                quota.code,
                label,
                self.t("whole"),
                lo * len(years),
                total,
                _share(total, lo * len(years)),
                sum(classes.values()) if has_classes else None,
                total,
                sum(cost.values()),
                "",
            ]
            self._data_row(sheet, values, any_short)

    def _program_rows(self, sheet: _Sheet) -> None:
        sheet.line(self.t("sec_programs"), "kh_group")
        years = self.scenario.years
        for program in self.scenario.programs:
            classes, people, cost = self._totals([program.code], years)
            name = self.pages.program_name(program)
            for year in years:
                values = [
                    program.code,
                    name,
                    year,
                    None,
                    None,
                    None,
                    classes[year] if program.is_class else None,
                    people[year],
                    cost[year],
                    self._continuing_note([program.code], year),
                ]
                self._data_row(sheet, values, False)
            values = [
                program.code,
                name,
                self.t("whole"),
                None,
                None,
                None,
                sum(classes.values()) if program.is_class else None,
                sum(people.values()),
                sum(cost.values()),
                "",
            ]
            self._data_row(sheet, values, False)

    def _year_note(self, shortfall: Any, codes: Iterable[str], year: int) -> str:
        """A year's note: the shortfall's reason, and the people still studying from earlier starts."""
        parts = [self._reason(shortfall) if shortfall else "", self._continuing_note(codes, year)]
        return "; ".join(part for part in parts if part)

    def _continuing_note(self, codes: Iterable[str], year: int) -> str:
        """Why multi-year programs cost money in a year: the people still studying from earlier starts."""
        still = sum(self._studying[code, year] for code in set(codes))
        return self.t("continuing", n=still) if still else ""

    def _budget_rows(self, sheet: _Sheet) -> None:
        """The cost per year against the budget, laid over the results table's columns (`BUDGET_SPANS`)."""
        keys = (
            "col_year",
            "col_plan_cost",
            "col_budget",
            "col_share",
            "col_classes",
            "col_people",
            "col_note",
        )
        self._budget_line(sheet, [self.t(key) for key in keys], ["kh_header"] * len(keys), bold=True)
        years = self.scenario.years
        classes, people, _ = self._totals(list(self.programs), years)
        cost = self.report.cost
        for year in years:
            limit = self.scenario.budget.limit(year)
            over = limit is not None and cost[year] > limit
            used_up = limit is not None and cost[year] >= 0.9 * limit
            note = self.t("over_budget") if over else self.t("budget_used_up") if used_up else ""
            suffix = "_hl" if over else ""
            values = [
                year,
                cost[year],
                limit if limit is not None else self.t("no_budget"),
                _share(cost[year], limit) if limit else None,
                classes[year],
                people[year],
                note,
            ]
            kinds = ["center", "int", "int", "pct", "int", "int", "text"]
            self._budget_line(sheet, values, [f"kh_{kind}{suffix}" for kind in kinds])
        limits = [self.scenario.budget.limit(y) for y in years]
        total_limit = None if None in limits else sum(v for v in limits if v is not None)
        total = sum(cost[y] for y in years)
        values = [
            self.t("total"),
            total,
            total_limit if total_limit is not None else self.t("no_budget"),
            _share(total, total_limit) if total_limit else None,
            sum(classes.values()),
            sum(people.values()),
            None,
        ]
        self._budget_line(
            sheet, values, ["kh_group", "kh_int", "kh_int", "kh_pct", "kh_int", "kh_int", "kh_text"]
        )
        people_after, cost_after = self.report.after_plan
        if people_after:  # not in the total: the next period's budgets pay for it
            values = [
                self.t("after_plan", y=self.scenario.end_year + 1),
                cost_after,
                None,
                None,
                None,
                people_after,
                self.t("after_note"),
            ]
            self._budget_line(
                sheet, values, ["kh_center", "kh_int", "kh_int", "kh_pct", "kh_int", "kh_int", "kh_text"]
            )

    def _budget_line(self, sheet: _Sheet, values: list[Any], styles: list[str], bold: bool = False) -> None:
        """One row of the budget table, each value across its span of columns."""
        cells: list[Any] = []
        for (first, last), value, style in zip(BUDGET_SPANS, values, styles, strict=True):
            if last > first:
                sheet.merge(first, last)
            cells += [_cell(sheet.ws, value, style)] + [
                _cell(sheet.ws, None, style) for _ in range(last - first)
            ]
        widths = [sheet.width(first, last) for first, last in BUDGET_SPANS]
        sheet.add(cells, row_height(values, widths, bold=bold))

    # --- b. the lists -------------------------------------------------------------------------------------

    def _lists(self) -> None:
        """One annex per class and per slot program and year, in scenario order."""
        groups: dict[tuple[str, int, str], list[Nomination]] = defaultdict(list)
        for n in self.result.nominations:
            groups[n.program, n.year, n.class_id or ""].append(n)
        infos = {c.class_id: c for c in self.result.classes}
        order = {p.code: i for i, p in enumerate(self.scenario.programs)}
        for program_code, year, class_id in sorted(
            groups, key=lambda k: (order.get(k[0], len(order)), k[1], k[2])
        ):
            program = self.programs[program_code]
            title = class_id or f"{program_code}-{year}"
            self._list_sheet(title, program, year, infos.get(class_id), groups[program_code, year, class_id])

    def _topic(self, topic: str, members: list[Nomination]) -> str:
        """The class's topic; when most members work in other fields, said to be a focus area of the plan."""
        fields = [self.officials[n.official_id].field for n in members]
        matching = sum(_same_field(field, topic) for field in fields)
        if 2 * matching > len(fields):
            return self.t("topic", t=topic)
        return self.t("topic_focus", t=topic, k=matching, n=len(fields))

    def _sort_key(self, n: Nomination) -> tuple[str, ...]:
        official = self.officials[n.official_id]
        name = normalize_key(official.name)
        given = name.rsplit(" ", 1)[-1]
        return (normalize_key(official.unit), given, name, official.id)

    def _list_sheet(
        self, title: str, program: Program, year: int, info: ClassInfo | None, members: list[Nomination]
    ) -> None:
        sheet = self.pages.sheet(title, LIST_COLUMNS, widths=LIST_WIDTHS)
        ws = sheet.ws
        first, second = LIST_HEADER_ROWS
        ws.freeze_panes = f"A{second + 1}"
        members = sorted(members, key=self._sort_key)
        sheet.line(self.t("list_title"), "kh_title")
        sheet.line(self.pages.program_name(program).upper(), "kh_subtitle")
        if info is not None and info.topic:
            sheet.line(self._topic(info.topic, members), "kh_subtitle")
        elif not program.is_class:
            end = year + program.duration_years - 1
            if program.duration_years == 1:
                sheet.line(self.t("duration_one", a=year), "kh_note")
            else:
                sheet.line(self.t("duration", d=program.duration_years, a=year, b=end), "kh_note")
        else:
            sheet.blank()
        if info is not None or program.is_class:
            sheet.line(self.t("class_line", y=year, c=title, n=len(members)), "kh_subtitle")
        else:
            sheet.line(self.t("slot_line", y=year, n=len(members)), "kh_subtitle")
        sheet.line(self.t("annex"), "kh_note")
        sheet.blank()
        for column in (1, 2, 5, 6, 7, 8):
            sheet.merge(column, column, rows=2)
        sheet.merge(3, 4)

        def blank() -> Cell:
            return _styled(ws, None, "kh_header")

        head = [text_cell(ws, self.t(key), "kh_header") for key in ("col_no", "col_name", "col_birth")]
        head += [blank()] + [
            text_cell(ws, self.t(key), "kh_header")
            for key in ("col_position", "col_unit", "col_qualification", "col_note")
        ]
        sheet.add(head, ROW_HEIGHT)
        sub = [blank(), blank(), text_cell(ws, self.t("col_male"), "kh_header")]
        sub += [text_cell(ws, self.t("col_female"), "kh_header")] + [blank() for _ in range(4)]
        sheet.add(sub, ROW_HEIGHT)
        if sheet.row != second:
            raise RuntimeError(f"the list header ends on row {sheet.row}, not {second} (LIST_HEADER_ROWS)")
        sheet.start_bulk()
        men = 0
        styles = ["kh_center", "kh_text", "kh_date", "kh_date", "kh_text", "kh_text", "kh_text", "kh_text"]
        for number, n in enumerate(members, 1):
            official = self.officials[n.official_id]
            male = official.gender is Gender.MALE
            men += male
            values: list[CellValue] = [
                number,
                official.name,
                official.birth_date if male else None,
                None if male else official.birth_date,
                official.position or official.role_group.label,
                official.unit,
                _qualification(official),
                self.t("id_note", id=official.id),
            ]
            sheet.cells(values, styles, _wrapped_height(values, LIST_WIDTHS))
        last = sheet.row
        sheet.line(self.t("list_total", n=len(members), m=men, f=len(members) - men), "kh_label")
        sheet.blank()
        sheet.line(self.t("place_date"), "kh_note", 5, 8)
        for left, right, style in (("preparer", "head", "kh_sign"), ("sign_name", "sign_seal", "kh_note")):
            sheet.merge(2, 3)
            sheet.merge(5, 8)
            sheet.add(
                [None, text_cell(ws, self.t(left), style), None, None, text_cell(ws, self.t(right), style)]
            )
        sheet.ws.print_title_rows = f"{first}:{second}"
        landscape = ws.page_setup.orientation == "landscape"
        capacity = printable_points(landscape)[1] * 100 / ws.page_setup.scale - ROW_HEIGHT
        for row in list_breaks(sheet.heights, (first, second), (second + 1, last), capacity):
            ws.row_breaks.append(Break(id=row))

    # --- c. by unit ---------------------------------------------------------------------------------------

    def _units(self) -> None:
        years = self.scenario.years
        columns = 3 + len(years) + 2
        width = max(columns, 3 + 2 * len(years))
        sheet = self.pages.sheet(self.t("units"), width, widths=[34, 17, 12] + [10] * (width - 3))
        ws = sheet.ws
        ws.freeze_panes = "B4"
        sheet.line(self.t("units_title"), "kh_title")
        sheet.blank()
        header = [text_cell(ws, self.t(key), "kh_header") for key in ("col_unit", "col_program", "col_pool")]
        header += [_styled(ws, year, "kh_header") for year in years]
        header += [text_cell(ws, self.t(key), "kh_header") for key in ("col_sent", "col_share")]
        header_row = sheet.add(header, _header_height(header, sheet.widths))
        sheet.start_bulk()
        sent = self.report.sent_by_unit
        pairs = {(unit, code) for (code, unit), pool in self.population.eligible_in_unit.items() if pool > 0}
        pairs |= {(unit, code) for unit, code, _ in sent}
        order = {p.code: i for i, p in enumerate(self.scenario.programs)}
        styles = ["kh_text", "kh_center", "kh_int"] + ["kh_int"] * len(years) + ["kh_int", "kh_pct"]
        for unit, code in sorted(pairs, key=lambda k: (normalize_key(k[0]), k[0], order.get(k[1], 0))):
            pool = self.population.eligible_in_unit.get((code, unit), 0)
            counts = [sent[unit, code, y] for y in years]
            total = sum(counts)
            sheet.cells([unit, code, pool, *counts, total, _share(total, pool)], styles)
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(columns)}{max(sheet.row, header_row)}"
        sheet.blank()
        sheet.line(self.t("away_title"), "kh_subtitle")
        self._away_rows(sheet)
        sheet.ws.print_title_rows = f"{header_row}:{header_row}"

    def _away_rows(self, sheet: _Sheet) -> None:
        ws = sheet.ws
        years = self.scenario.years
        away = self.report.away_by_unit
        units = sorted({unit for unit, _ in away}, key=lambda u: (normalize_key(u), u))
        if not units:
            sheet.line(self.t("no_away"), "kh_plain")
            return
        header = [text_cell(ws, self.t(key), "kh_header") for key in ("col_unit", "col_staff", "col_cap")]
        header += [text_cell(ws, self.t("away_year", y=y), "kh_header") for y in years]
        header += [text_cell(ws, self.t("away_share", y=y), "kh_header") for y in years]
        sheet.add(header, _header_height(header, sheet.widths))
        for unit in units:
            staff = self.population.unit_staff.get(unit, 0)
            cap = self.population.away_cap(unit) if staff else 0
            counts = [away[unit, y] for y in years]
            shares = [_share(c, staff) for c in counts]
            styles = ["kh_text", "kh_int", "kh_int"]
            styles += ["kh_int_hl" if c >= cap else "kh_int" for c in counts]
            styles += ["kh_pct_hl" if c >= cap else "kh_pct" for c in counts]
            sheet.cells([unit, staff, cap, *counts, *shares], styles)

    # --- d. reasons ---------------------------------------------------------------------------------------

    def _reasons(self) -> None:
        widths = [12, 26, 32, 20, 18, 14, 8, 18, 140]
        sheet = self.pages.sheet(self.t("reasons"), 9, widths=widths[:4])
        ws = sheet.ws
        self.pages.widths(sheet, widths)
        ws.freeze_panes = "A3"
        # A search table, not for print: the printed page holds the title, which names the summary sheet.
        title = self.t("reasons_screen", s=self.t("reasons_summary"))
        sheet.merge(1, 4)
        sheet.add([text_cell(ws, title, "kh_title")], self._title_height(title, widths[:4]))
        ws.print_area = "A1:D1"
        keys = (
            "col_id",
            "col_name",
            "col_unit",
            "col_result",
            "col_target",
            "col_program",
            "col_year",
            "col_class",
            "col_reason",
        )
        header_row = self.pages.header(sheet, keys)
        index = 0 if self.lang == "vi" else 1
        nominated = KIND_LABELS["nominated"][index]
        why = self.report.why
        served = self.report.served
        sheet.start_bulk()
        plain: list[str | None] = [None] * len(keys)
        for n in self.result.nominations:
            official = self.officials[n.official_id]
            text = why[n.official_id, n.program, n.year][index]
            targets = ", ".join(served.get((n.official_id, n.program, n.year), ()))
            values: list[CellValue] = [
                official.id,
                official.name,
                official.unit,
                nominated,
                targets,
                n.program,
                n.year,
                n.class_id,
                text,
            ]
            sheet.cells(values, plain)
        missing = self.report.left_off
        for item in missing:
            official = self.officials[item.official_id]
            kind = KIND_LABELS.get(item.kind, ("", ""))[index]
            text = item.reason.in_(self.lang)
            values = [
                official.id,
                official.name,
                official.unit,
                kind,
                item.target,
                item.program,
                None,
                None,
                text,
            ]
            sheet.cells(values, plain)
        ws.auto_filter.ref = f"A{header_row}:I{max(sheet.row, header_row)}"

    def _title_height(self, text: str, widths: Sequence[float]) -> float:
        """Height of a title row across columns of these widths."""
        width = sum(widths) + 0.7 * (len(widths) - 1)
        return max(ROW_HEIGHT, 17 * text_lines(text, width * BODY_POINTS / 13, bold=True) + 4)

    def _reasons_summary(self) -> None:
        """The printable summary of the reasons: people nominated per program and year, and left off by reason."""
        sheet = self.pages.sheet(self.t("reasons_summary"), 5, widths=[16, 46, 12, 12, 60])
        ws = sheet.ws
        sheet.line(self.t("reasons_summary_title"), "kh_title")
        sheet.line(self.t("reasons_summary_note", s=self.t("reasons")), "kh_note")
        sheet.blank()
        sheet.line(self.t("nominated_title"), "kh_subtitle")
        header = self.pages.header(sheet, ("col_code", "col_program", "col_year", "col_count", "col_serves"))
        served = self.report.served
        counts: Counter[tuple[str, int]] = Counter((n.program, n.year) for n in self.result.nominations)
        serves: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
        for (_, code, year), codes in served.items():
            serves[code, year].update(codes)
        styles = ["kh_text", "kh_text", "kh_center", "kh_int", "kh_text"]
        for program in self.scenario.programs:
            years = [y for y in self.scenario.years if counts[program.code, y]]
            for year in years:
                towards = ", ".join(
                    f"{code}: {format_number(n, self.lang)}"
                    for code, n in sorted(serves[program.code, year].items())
                )
                values: list[CellValue] = [
                    program.code,
                    self.pages.program_name(program),
                    year,
                    counts[program.code, year],
                    towards,
                ]
                sheet.cells(values, styles)
        total: list[CellValue] = [self.t("total"), "", "", len(self.result.nominations), ""]
        sheet.cells(total, ["kh_group", "kh_group", "kh_group", "kh_int", "kh_group"])
        sheet.blank()
        sheet.line(self.t("left_off_title"), "kh_subtitle")
        missing = Counter((item.target, item.program, item.kind) for item in self.report.left_off)
        if not missing:
            sheet.line(self.t("none_left_off"), "kh_plain")
        else:
            self.pages.header(sheet, ("col_target", "col_result", "col_program", "col_count", "col_deadline"))
            deadlines = {t.code: t.deadline for t in self.scenario.targets}
            index = 0 if self.lang == "vi" else 1
            for (target, code, kind), count in sorted(missing.items()):
                label = KIND_LABELS.get(kind, (kind, kind))[index]
                row: list[CellValue] = [target, label, code, count, str(deadlines.get(target, ""))]
                sheet.cells(row, ["kh_text", "kh_text", "kh_center", "kh_int", "kh_center"])
        ws.print_title_rows = f"{header}:{header}"

    def _changes(self) -> None:
        """Approved nominations that fell, and who entered or left against the previous draft."""
        # at 9 pt or more (fitted to the page at 172 characters, it printed at 8 pt)
        sheet = self.pages.sheet(self.t("changes"), 6, widths=[12, 24, 28, 14, 7, 72])
        sheet.line(self.t("changes_title"), "kh_title", 1, 6)
        keys = ("col_id", "col_name", "col_unit", "col_program", "col_year", "col_reason")
        plain: list[str | None] = [None] * len(keys)
        blocks: list[tuple[str, list[tuple[ApprovalIssue | PlanChange, str]]]] = [
            (
                "fallen_title",
                [(i, i.reason.in_(self.lang)) for i in self.result.approval_issues],
            ),
            ("moved_title", [(c, self.t(c.change)) for c in self.result.changes]),
        ]
        for title, rows in blocks:
            if not rows:
                continue
            sheet.blank()
            sheet.line(self.t(title), "kh_label", 1, 6)
            self.pages.header(sheet, keys)
            for item, text in rows:
                official = self.officials.get(item.official_id)
                name, unit = (official.name, official.unit) if official else ("", "")
                sheet.cells([item.official_id, name, unit, item.program, item.year, text], plain)

    # --- e. charts ----------------------------------------------------------------------------------------

    def _charts(self) -> None:
        """The chart data (a row per series, a column per year), then two charts side by side, two rows a page.

        Rows are set to a fixed height and a page break follows the table and every second row of
        charts, so no chart crosses a page.
        """
        targets = self.scenario.targets
        years = self.scenario.years
        widths = [CHART_LABEL_WIDTH] + [CHART_COLUMN_WIDTH] * max(len(years), CHART_COLUMNS - 1)
        sheet = self.pages.sheet(self.t("charts"), 1 + len(years), widths=widths)
        ws = sheet.ws
        sheet.line(self.t("charts_title"), "kh_title", 1, len(widths))
        sheet.blank()
        header_row = sheet.cells([self.t("col_series"), *years], ["kh_header"] * (1 + len(years)))
        series_rows: list[int] = []
        coverage = self.report.coverage
        styles = ["kh_text"] + ["kh_int"] * len(years)
        for target in targets:
            covered = [coverage[target.code][year] for year in years]
            required = [self.population.required[target.code]] * len(years)
            series_rows.append(sheet.cells([self.t("covered", c=target.code), *covered], styles))
            sheet.cells([self.t("required", c=target.code), *required], styles)
        limits = [self.scenario.budget.limit(year) for year in years]
        cost_row = sheet.cells(
            [self.t("cost_million"), *(round(self.report.cost[y] / 1e6, 1) for y in years)], styles
        )
        sheet.cells(
            [self.t("budget_million"), *(round(v / 1e6, 1) if v is not None else None for v in limits)],
            styles,
        )
        ws.row_breaks.append(Break(id=sheet.row))
        categories = Reference(ws, min_col=2, max_col=1 + len(years), min_row=header_row)
        charts = [
            self._bar_and_line(
                ws, self.t("chart_target", c=t.code), self.t("people"), row, row + 1, len(years), categories
            )
            for t, row in zip(targets, series_rows, strict=True)
        ]
        has_budget = any(limit is not None for limit in limits)
        charts.append(
            self._bar_and_line(
                ws,
                self.t("chart_cost"),
                self.t("million"),
                cost_row,
                cost_row + 1 if has_budget else None,
                len(years),
                categories,
            )
        )
        second = get_column_letter(_column_at(widths, CHART_WIDTH_CM / 2.54 * 72 + 12))
        for index, chart in enumerate(charts):
            if index % 2 == 0:
                if index and index % 4 == 0:
                    ws.row_breaks.append(Break(id=sheet.row))
                top = sheet.row + 2  # a row under the break: LibreOffice puts a chart anchored on it above
                for _ in range(CHART_BLOCK_ROWS):
                    sheet.blank()
            ws.add_chart(chart, f"{'A' if index % 2 == 0 else second}{top}")

    def _bar_and_line(
        self,
        ws: Any,
        title: str,
        axis: str,
        bar_row: int,
        line_row: int | None,
        years: int,
        categories: Reference,
    ) -> BarChart:
        bar = BarChart()
        bar.type = "col"
        bar.title = _chart_title(title)
        bar.y_axis.title = axis
        bar.x_axis.title = self.t("col_year")
        bar.add_data(
            Reference(ws, min_col=1, max_col=1 + years, min_row=bar_row),
            from_rows=True,
            titles_from_data=True,
        )
        bar.set_categories(categories)
        if line_row is not None:
            line = LineChart()
            line.add_data(
                Reference(ws, min_col=1, max_col=1 + years, min_row=line_row),
                from_rows=True,
                titles_from_data=True,
            )
            line.set_categories(categories)
            for series in line.series:  # a requirement or budget per year: straight segments, no curve
                series.smooth = False
            bar += line
        # openpyxl >= 3.1 hides axes unless told otherwise
        bar.x_axis.delete = False
        bar.y_axis.delete = False
        bar.width = CHART_WIDTH_CM  # type: ignore[assignment]  # any size in cm; the stubs say int
        bar.height = CHART_HEIGHT_CM
        bar.legend.position = "b"
        return bar

    # --- f. about ------------------------------------------------------------------------------------------

    def _about(self, hashed: list[tuple[str, str, str | None]], options: dict[str, Any], run_at: Any) -> None:
        sheet = self.pages.sheet(self.t("about"), 3, widths=ABOUT_WIDTHS)
        scenario, result = self.scenario, self.result
        sheet.line(self.t("about_title"), "kh_title")
        sheet.blank()
        item = self.pages.about_item(sheet)
        item(self.t("software"), f"training-planner {planner.__version__}")
        if isinstance(run_at, datetime | date):
            item(self.t("run_at"), run_at, "kh_datetime")
        else:
            item(self.t("run_at"), str(run_at))
        item(self.t("scenario"), name_in(scenario, self.lang))
        if scenario.description:
            item(self.t("description"), scenario.description)
        item(self.t("period"), f"{scenario.start_year}-{scenario.end_year}")
        if scenario.rules.legal_basis:
            item(self.t("legal_basis"), scenario.rules.legal_basis)
        digest = hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()
        item(self.t("scenario_hash"), digest)
        item(self.t("officials"), len(self.roster.officials), "kh_plain_int")
        self.pages.inputs_and_options(sheet, hashed, options)
        sheet.blank()
        sheet.line(self.t("result"), "kh_subtitle")
        item(self.t("status"), self._status_text())
        item(self.t("method_key"), self.t("method_cpsat" if result.method == "cpsat" else "method_greedy"))
        item(self.t("wall_time"), f"{format_number(result.wall_time, self.lang, 3)} {self.t('seconds')}")
        for index, level in enumerate(result.levels, 1):
            objective = self.t("objective", o=self._number(level.objective), b=self._number(level.bound))
            seconds = f"{format_number(level.wall_time, self.lang, 3)} {self.t('seconds')}"
            item(
                f"{self.t('level')} {index}: {level_name(level.name, self.lang)}",
                f"{level_status(level, self.lang)}; {objective}; {seconds}",
            )
        for index, code in enumerate(result.unsolved_levels, len(result.levels) + 1):
            item(f"{self.t('level')} {index}: {level_name(code, self.lang)}", self.t("lv_not_solved"))
        for key, value in sorted(result.stats.items()):
            item(about_word(key, self.lang), value, "kh_plain_int")
        item(self.t("nominated_total"), len(result.nominations), "kh_plain_int")
        item(self.t("classes_total"), len(result.classes), "kh_plain_int")

    # --- g. nominations, machine-readable ----------------------------------------------------------------

    def _nominations(self) -> None:
        """The hidden sheet `_nominations`: one row per nomination, as in nominations.csv."""
        ws = self.pages.workbook.create_sheet(NOMINATIONS_SHEET)
        ws.sheet_state = "hidden"
        sheet = _Sheet(ws, len(NOMINATION_COLUMNS), self.pages.style_ids_for(ws))
        self.pages.sheets.append(sheet)
        sheet.add(list(NOMINATION_COLUMNS))
        sheet.start_bulk()
        for n in self.result.nominations:
            sheet.add([n.official_id, n.program, n.year, n.class_id])


def _same_field(field: str, topic: str) -> bool:
    """Whether a member's field of work is the class topic (one names the other, accents and case aside)."""
    a, b = normalize_key(field), normalize_key(topic)
    return bool(a and b) and (a == b or a in b or b in a)


def _qualification(official: Official) -> str:
    """`Trình độ chuyên môn`: the qualification and the field of work."""
    label = official.education.label
    return f"{label}, {official.field}" if official.field else label


def set_page(ws: Any, landscape: bool, numbered: str, widths: Sequence[float] | None = None) -> None:
    """A4, centred, pages numbered inside the margins (`numbered`: the footer's words, &P of &N),
    the sheet's name in the footer; columns of `widths` scaled to the page, else fitted to its width.
    Columns too wide for the page at a scale that keeps the text at `SMALLEST_PRINTED_POINTS` go on
    over the next pages, the first column repeated on each (a side-by-side of many scenarios or
    targets fitted to one page printed at 5-6 pt).

    Called before the first row: a write-only sheet streams its properties (fit to page) with the
    first row.
    """
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    if widths:
        fit, legible = print_scale(widths, landscape), math.ceil(100 * SMALLEST_PRINTED_POINTS / BODY_POINTS)
        ws.page_setup.scale = max(legible, fit)
        if fit < legible:
            ws.print_title_cols = "A:A"
    else:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE
    ws.page_margins.top = MARGIN_TOP
    ws.page_margins.bottom = MARGIN_BOTTOM
    ws.page_margins.header = ws.page_margins.footer = MARGIN_FOOTER
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.left.size = ws.oddFooter.center.size = 9
    ws.oddFooter.center.text = numbered


def _flatten(options: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Options as (dotted key, cell value) pairs; models and mappings are opened up."""
    pairs: list[tuple[str, Any]] = []
    for key, value in options.items():
        name = f"{prefix}{key}"
        if isinstance(value, BaseModel):
            value = value.model_dump()
        if isinstance(value, Mapping):
            pairs += _flatten(value, f"{name}.") if value else [(name, "{}")]
        elif isinstance(value, bool) or value is None:
            pairs.append((name, str(value)))
        elif isinstance(value, int | float | str | datetime | date):
            pairs.append((name, value))
        else:
            pairs.append((name, str(value)))
    return pairs


# --- comparison and budget-sweep workbooks ----------------------------------------------------------------


#: Colours of chart series (with Excel's defaults, single-point markers show hollow in some viewers).
SERIES_COLORS = (
    "1F4E79",
    "C00000",
    "548235",
    "BF8F00",
    "7030A0",
    "2E75B6",
    "ED7D31",
    "70AD47",
    "FFC000",
    "5B9BD5",
)


def _colour(series: ChartSeries, index: int, line: bool) -> None:
    """Solid round markers (and a line, when `line`) in the index-th colour of SERIES_COLORS."""
    colour = SERIES_COLORS[index % len(SERIES_COLORS)]
    if series.marker is None:  # openpyxl's Series() gives every series one
        series.marker = Marker()
    marker = series.marker
    marker.symbol = "circle"
    marker.size = 8 if line else 11
    marker.graphicalProperties = GraphicalProperties(solidFill=colour)
    marker.graphicalProperties.line.solidFill = colour
    if line:
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 22_000  # EMU, about 1.75 pt
    else:
        series.graphicalProperties.line.noFill = True


def write_comparison(
    path: str | os.PathLike[str],
    comparison: Mapping[str, Any],
    inputs: Mapping[str, str | os.PathLike[str]] | None = None,
    options: Mapping[str, Any] | None = None,
    lang: str = "vi",
) -> None:
    """Write scenarios side by side (`planner.analysis.compare.compare_plans`) to `path`, atomically.

    Sheets: an overview with a scatter chart of average target attainment against total cost,
    then coverage per target and year, shortfalls with their reasons, classes and people per
    program and year, cost against budget, who enters or leaves the lists, and the inputs.
    `inputs` (label -> file, hashed on the About sheet) must not include `path` (ValueError);
    `options` and `lang` as for `write_workbook`.
    """
    _refuse_inputs(path, inputs)
    book = _SideBySide(lang)
    book.overview(comparison)
    book.comparison_sheets(comparison)
    book.changes(comparison)
    book.save(path, inputs, options)


def write_sweep(
    path: str | os.PathLike[str],
    sweep: Mapping[str, Any],
    inputs: Mapping[str, str | os.PathLike[str]] | None = None,
    options: Mapping[str, Any] | None = None,
    lang: str = "vi",
) -> None:
    """Write a budget sweep (`planner.analysis.compare.sweep`) to `path`, atomically.

    Sheets: attainment per target at each budget factor with a line per target, the smallest
    factor at which each target is met, what would close each shortfall of the plan at factor
    1, then the comparison sheets of the plans at each factor, and the inputs. Arguments as
    for `write_comparison`.
    """
    _refuse_inputs(path, inputs)
    book = _SideBySide(lang)
    book.sweep(sweep)
    book.thresholds(sweep)
    book.what_closes(sweep)
    book.comparison_sheets(sweep["comparison"])
    book.save(path, inputs, options)


def _refuse_inputs(path: str | os.PathLike[str], inputs: Mapping[str, str | os.PathLike[str]] | None) -> None:
    """ValueError when `path` is one of the input files."""
    for label, input_path in (inputs or {}).items():
        if _same_file(Path(path), Path(input_path)):
            raise ValueError(
                f"không ghi đè tệp đầu vào '{label}' ({input_path}) / "
                f"refusing to overwrite the input file '{label}' ({input_path})"
            )


class _SideBySide:
    """Comparison and sweep workbooks, made with the same sheet, page and word helpers as the plan
    workbook (`_Pages`), none of its plan figures."""

    def __init__(self, lang: str):
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
        self.lang = lang
        self.pages = _Pages(lang, {**WORDS, **SIDE_WORDS})
        self.t = self.pages.t

    def save(
        self,
        path: str | os.PathLike[str],
        inputs: Mapping[str, str | os.PathLike[str]] | None,
        options: Mapping[str, Any] | None,
    ) -> None:
        """Add the About sheet and save atomically."""
        target = Path(path)
        inputs = dict(inputs or {})
        options = dict(options or {})
        run_at = options.pop("run_at", None) or datetime.now().replace(microsecond=0)
        properties = self.pages.workbook.properties
        if isinstance(run_at, datetime):
            properties.created = properties.modified = run_at
        properties.creator = f"training-planner {planner.__version__}"
        self._inputs(
            [(label, Path(p).name, _sha256(Path(p))) for label, p in inputs.items()], options, run_at
        )
        _save_atomically(self.pages.workbook, target, self.pages.bulk_rows())
        log.info("wrote %s (%d sheets)", target, len(self.pages.titles))

    # --- shared pieces ------------------------------------------------------------------------------------

    def _texts(self, sheet: _Sheet, texts: Iterable[str | None], style: str = "kh_header") -> list[Any]:
        return [text_cell(sheet.ws, text or "", style) for text in texts]

    def _grouped_header(self, sheet: _Sheet, fixed: list[str], groups: list[str], sub: list[str]) -> int:
        """Two header rows: `fixed` columns over both rows, each group's name over its `sub` columns."""
        width = len(sub)
        for column in range(1, len(fixed) + 1):
            sheet.merge(column, column, rows=2)
        for index in range(len(groups)):
            first = len(fixed) + 1 + index * width
            sheet.merge(first, first + width - 1)
        top: list[str | None] = list(fixed)
        for group in groups:
            top += [group] + [None] * (width - 1)
        sheet.add(self._texts(sheet, top), 30)
        below: list[str | None] = [None] * len(fixed)
        below += sub * len(groups)
        return sheet.add(self._texts(sheet, below), 30)

    def _status(self, figures: Mapping[str, Any]) -> str:
        return status_words(
            figures["status"],
            figures["method"],
            figures["gap"],
            self.lang,
            figures.get("unsolved_levels", ()),
        )

    # --- comparison: overview -----------------------------------------------------------------------------

    def overview(self, comparison: Mapping[str, Any]) -> None:
        """One row per scenario and the scatter chart of attainment against cost."""
        keys = (
            "s_scenario",
            "s_name",
            "period",
            "status",
            "s_nominations",
            "classes_total",
            "s_cost",
            "s_budget",
            "s_cost_million",
            "s_attainment",
            "s_met",
            "s_shortfalls",
            "s_after",
        )
        # the widths at which the text prints at 9 pt or more on a landscape A4 (`print_scale` 82 %)
        widths = [16, 18, 9, 18, 9, 6, 15, 15, 10, 9, 7, 7, 15]
        sheet = self.pages.sheet(self.t("s_compare"), len(keys), widths=widths)
        sheet.line(self.t("s_compare_title"), "kh_title")
        sheet.line(self.t("s_attainment_note"), "kh_note")
        header = self.pages.header(sheet, keys, 45)
        styles = (
            ["kh_text", "kh_text", "kh_center", "kh_text"]
            + ["kh_int"] * 5
            + ["kh_pct", "kh_center", "kh_int", "kh_int"]
        )
        scenarios = comparison["scenarios"]
        for figures in scenarios:
            values = [
                figures["label"],
                figures["name"],
                f"{figures['start_year']}-{figures['end_year']}",
                self._status(figures),
                figures["nominations"],
                figures["classes"],
                figures["total_cost"],
                figures["total_budget"],
                round(figures["total_cost"] / 1e6, 1),
                figures["average_attainment"],
                f"{figures['targets_met']}/{len(figures['targets'])}",
                len(figures["shortfalls"]),
                figures.get("cost_after_plan"),
            ]
            cells = [_cell(sheet.ws, v, style) for v, style in zip(values, styles, strict=True)]
            sheet.add(cells, max(32, row_height(values, widths)))
        chart = ScatterChart()
        chart.title = self.t("s_chart_scatter")
        chart.style = 13
        chart.x_axis.title = self.t("s_cost_million")
        chart.y_axis.title = self.t("s_attainment")
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        for row, figures in enumerate(scenarios, header + 1):
            if figures["average_attainment"] is None:
                continue
            series = Series(
                Reference(sheet.ws, min_col=10, min_row=row),
                Reference(sheet.ws, min_col=9, min_row=row),
                title=excel_text(figures["label"]),
            )
            _colour(series, len(chart.series), line=False)
            chart.series.append(series)
        self._place(sheet, chart, f"B{sheet.row + 3}")

    def _place(self, sheet: _Sheet, chart: Any, anchor: str) -> None:
        chart.x_axis.delete = False  # openpyxl >= 3.1 hides axes unless told otherwise
        chart.y_axis.delete = False
        chart.width, chart.height = 22, 12
        chart.legend.position = "b"
        sheet.ws.add_chart(chart, anchor)

    # --- comparison: the aligned tables -----------------------------------------------------------------

    def comparison_sheets(self, comparison: Mapping[str, Any]) -> None:
        """Targets, shortfalls, programs and cost of every scenario, aligned by year."""
        self._target_table(comparison)
        self._shortfall_table(comparison)
        self._program_table(comparison)
        self._cost_table(comparison)

    def _target_table(self, comparison: Mapping[str, Any]) -> None:
        scenarios = comparison["scenarios"]
        sub = [self.t("col_required"), self.t("col_achieved"), self.t("col_share")]
        widths = [20, 44, 16] + [12] * (len(sub) * len(scenarios))
        sheet = self.pages.sheet(self.t("s_targets"), 3 + len(sub) * len(scenarios), widths=widths)
        sheet.ws.freeze_panes = "D5"
        sheet.line(self.t("s_targets_title"), "kh_title")
        fixed = [self.t("col_code"), self.t("col_target"), self.t("col_year")]
        self._grouped_header(sheet, fixed, [s["label"] for s in scenarios], sub)
        for target in comparison["targets"]:
            code = target["code"]
            of = [s["targets"].get(code) for s in scenarios]
            for year in comparison["years"]:
                values: list[Any] = [code, target["name"], year]
                for figures in of:
                    covered = figures["covered_by_year"].get(str(year)) if figures else None
                    if covered is None:
                        values += [None, None, None]
                    else:
                        values += [figures["required"], covered, _share(covered, figures["required"])]
                sheet.cells(
                    values, ["kh_text", "kh_text", "kh_center"] + ["kh_int", "kh_int", "kh_pct"] * len(of)
                )
            deadlines = sorted({f["deadline"] for f in of if f})
            values = [code, target["name"], self.t("s_at_deadline", y=", ".join(map(str, deadlines)))]
            styles = ["kh_group", "kh_group", "kh_group"]
            for figures in of:
                if figures is None:
                    values += [None, None, None]
                    styles += ["kh_int", "kh_int", "kh_pct"]
                    continue
                at_deadline = figures["covered_at_deadline"]
                values += [figures["required"], at_deadline, _share(at_deadline, figures["required"])]
                suffix = "" if figures["met"] else "_hl"
                styles += [f"kh_int{suffix}", f"kh_int{suffix}", f"kh_pct{suffix}"]
            sheet.cells(values, styles)

    def _shortfall_table(self, comparison: Mapping[str, Any]) -> None:
        keys = (
            "s_scenario",
            "col_code",
            "col_kind",
            "col_year",
            "col_required",
            "col_achieved",
            "s_missing",
            "s_unit",
            "col_reason",
        )
        sheet = self.pages.sheet(
            self.t("s_shortfalls_sheet"), len(keys), widths=[16, 18, 16, 6, 9, 9, 8, 7, 66]
        )
        sheet.ws.freeze_panes = "A3"
        sheet.line(self.t("s_shortfalls_title"), "kh_title")
        header = self.pages.header(sheet, keys, 30)
        styles = [
            "kh_text",
            "kh_text",
            "kh_text",
            "kh_center",
            "kh_int",
            "kh_int",
            "kh_int",
            "kh_center",
            "kh_text",
        ]
        for figures in comparison["scenarios"]:
            if not figures["shortfalls"]:
                sheet.cells([figures["label"], *[""] * 7, self.t("no_shortfall")], styles)
            for s in figures["shortfalls"]:
                sheet.cells(
                    [
                        figures["label"],
                        s["code"],
                        self.t(f"k_{s['kind']}"),
                        s["year"],
                        s["required"],
                        s["achieved"],
                        s["missing"],
                        self.t(f"u_{s['unit']}"),
                        in_lang(s["reason"], self.lang),
                    ],
                    styles,
                )
        sheet.ws.auto_filter.ref = f"A{header}:{get_column_letter(len(keys))}{max(sheet.row, header)}"

    def _program_table(self, comparison: Mapping[str, Any]) -> None:
        scenarios = comparison["scenarios"]
        sub = [self.t("col_classes"), self.t("col_people")]
        widths = [16, 44, 16] + [12] * (len(sub) * len(scenarios))
        sheet = self.pages.sheet(self.t("s_programs"), 3 + len(sub) * len(scenarios), widths=widths)
        sheet.ws.freeze_panes = "D5"
        sheet.line(self.t("s_programs_title"), "kh_title")
        fixed = [self.t("col_code"), self.t("col_program"), self.t("col_year")]
        self._grouped_header(sheet, fixed, [s["label"] for s in scenarios], sub)
        years = [str(y) for y in comparison["years"]]
        for program in comparison["programs"]:
            code = program["code"]
            name = program["name_en"] if self.lang == "en" and program["name_en"] else program["name"]
            is_class = program["kind"] == "class"
            cells = [s["programs"].get(code) for s in scenarios]
            for year in [*years, None]:
                values: list[Any] = [code, name, int(year) if year else self.t("whole")]
                for by_year in cells:
                    if by_year is None or (year and year not in by_year):
                        values += [None, None]
                        continue
                    counts = [by_year[year]] if year else list(by_year.values())
                    classes = sum(c["classes"] for c in counts)
                    values += [classes if is_class else None, sum(c["people"] for c in counts)]
                style = "kh_center" if year else "kh_group"
                sheet.cells(values, ["kh_text", "kh_text", style] + ["kh_int"] * (len(values) - 3))

    def _cost_table(self, comparison: Mapping[str, Any]) -> None:
        scenarios = comparison["scenarios"]
        sub = [self.t("col_cost"), self.t("col_budget"), self.t("s_used")]
        sheet = self.pages.sheet(
            self.t("s_cost_sheet"), 1 + len(sub) * len(scenarios), widths=[16] + [18, 18, 10] * len(scenarios)
        )
        sheet.ws.freeze_panes = "B5"
        sheet.line(self.t("s_cost_title"), "kh_title")
        self._grouped_header(sheet, [self.t("col_year")], [s["label"] for s in scenarios], sub)
        for year in comparison["years"]:
            values: list[Any] = [year]
            styles = ["kh_center"]
            for figures in scenarios:
                cost = figures["cost_by_year"].get(str(year))
                limit = figures["budget_by_year"].get(str(year))
                suffix = "_hl" if cost is not None and limit is not None and cost > limit else ""
                used = _share(cost, limit) if cost is not None and limit else None
                values += [cost, limit if limit is not None or cost is None else self.t("no_budget"), used]
                styles += [f"kh_int{suffix}", f"kh_int{suffix}", f"kh_pct{suffix}"]
            sheet.cells(values, styles)
        values = [self.t("total")]
        for figures in scenarios:
            total, limit = figures["total_cost"], figures["total_budget"]
            values += [
                total,
                limit if limit is not None else self.t("no_budget"),
                _share(total, limit) if limit else None,
            ]
        sheet.cells(values, ["kh_group"] + ["kh_int", "kh_int", "kh_pct"] * len(scenarios))

    # --- comparison: list changes -------------------------------------------------------------------------

    def changes(self, comparison: Mapping[str, Any]) -> None:
        """Who enters or leaves the lists between the first scenario and each other one."""
        keys = ("s_scenario", "s_change", "col_id", "col_name", "col_unit", "col_program", "col_year")
        sheet = self.pages.sheet(self.t("s_changes"), len(keys))
        self.pages.widths(sheet, [18, 18, 12, 28, 36, 14, 8])
        scenarios = comparison["scenarios"]
        first = scenarios[0]["label"] if scenarios else ""
        sheet.line(self.t("s_changes_title", f=first), "kh_title")
        changes = comparison["list_changes"]
        if not changes:
            sheet.line(self.t("s_no_changes"), "kh_plain")
            return
        for change in changes:
            sheet.line(
                self.t("s_changes_count", to=change["to"], e=change["entered"], l=change["left"]), "kh_plain"
            )
        sheet.blank()
        header = self.pages.header(sheet, keys, 30)
        sheet.ws.freeze_panes = f"A{header + 1}"
        sheet.start_bulk()
        words = {"entered": self.t("s_entered"), "left": self.t("s_left")}
        styles = ["kh_text", "kh_text", "kh_text", "kh_text", "kh_text", "kh_center", "kh_center"]
        for change in changes:
            for row in change["rows"]:
                sheet.cells(
                    [
                        change["to"],
                        words[row["change"]],
                        row["official_id"],
                        row["name"],
                        row["unit"],
                        row["program"],
                        row["year"],
                    ],
                    styles,
                )
        sheet.ws.auto_filter.ref = f"A{header}:{get_column_letter(len(keys))}{max(sheet.row, header)}"

    # --- sweep ----------------------------------------------------------------------------------------------

    def sweep(self, sweep: Mapping[str, Any]) -> None:
        """Attainment of each target at each budget factor, with a line per target."""
        comparison = sweep["comparison"]
        targets = comparison["targets"]
        keys = ["s_factor", "s_cost", "s_budget", "s_attainment"]
        columns = len(keys) + len(targets) + 2
        widths = [14, 18, 18, 14] + [14] * len(targets) + [12, 44]
        sheet = self.pages.sheet(self.t("s_sweep"), columns, widths=widths)
        sheet.line(self.t("s_sweep_title", n=sweep["scenario"]), "kh_title")
        sheet.line(self.t("s_attainment_note"), "kh_note")
        header = sheet.add(
            self._texts(sheet, [self.t(k) for k in keys] + [t["code"] for t in targets])
            + self._texts(sheet, [self.t("s_shortfalls"), self.t("status")]),
            45,
        )
        sheet.ws.freeze_panes = f"B{header + 1}"
        styles = ["kh_pct", "kh_int", "kh_int", "kh_pct"] + ["kh_pct"] * len(targets) + ["kh_int", "kh_text"]
        for factor, figures in zip(sweep["factors"], comparison["scenarios"], strict=True):
            of = [figures["targets"].get(t["code"]) for t in targets]
            sheet.cells(
                [factor, figures["total_cost"], figures["total_budget"], figures["average_attainment"]]
                + [f["attainment"] if f else None for f in of]
                + [len(figures["shortfalls"]), self._status(figures)],
                styles,
            )
        last = sheet.row
        chart = ScatterChart()
        chart.title = self.t("s_chart_sweep")
        chart.style = 13
        chart.x_axis.title = self.t("s_factor")
        chart.x_axis.number_format = "0%"
        chart.y_axis.title = self.t("s_attainment")
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        factors = Reference(sheet.ws, min_col=1, min_row=header + 1, max_row=last)
        for column in range(len(keys) + 1, len(keys) + len(targets) + 1):
            values = Reference(sheet.ws, min_col=column, min_row=header, max_row=last)
            series = Series(values, factors, title_from_data=True)
            _colour(series, len(chart.series), line=True)
            chart.series.append(series)
        self._place(sheet, chart, f"B{last + 3}")

    def thresholds(self, sweep: Mapping[str, Any]) -> None:
        """The smallest budget factor at which each target is met."""
        keys = ("col_code", "col_target", "s_met_from", "s_met_at")
        sheet = self.pages.sheet(self.t("s_thresholds"), len(keys))
        self.pages.widths(sheet, [20, 50, 22, 50])
        sheet.line(self.t("s_thresholds_title"), "kh_title")
        sheet.line(self.t("s_thresholds_note"), "kh_note")
        self.pages.header(sheet, keys, 30)
        for item in sweep["thresholds"]:
            met_from = item["met_from"] if item["met_from"] is not None else self.t("s_not_met")
            met_at = ", ".join(format_percent(f, self.lang, 0) for f in item["met_at"])
            sheet.cells(
                [item["code"], item["name"], met_from, met_at], ["kh_text", "kh_text", "kh_pct", "kh_text"]
            )

    def what_closes(self, sweep: Mapping[str, Any]) -> None:
        """For each shortfall at factor 1, what each relaxation tried did to it."""
        keys = (
            "col_code",
            "col_kind",
            "col_year",
            "s_missing",
            "s_unit",
            "col_reason",
            "s_relaxation",
            "col_result",
            "s_still",
            "s_tries",
        )
        # at 9 pt or more on a landscape A4 (fitted to the page at 262 characters, it printed at 6 pt)
        sheet = self.pages.sheet(self.t("s_closes"), len(keys), widths=[16, 12, 6, 8, 7, 44, 28, 18, 8, 7])
        sheet.line(self.t("s_closes_title"), "kh_title")
        note = self.t(
            "s_closes_note", k=sweep["max_tries_per_shortfall"], m=sweep["max_resolves"], n=sweep["resolves"]
        )
        sheet.line(note, "kh_wrap")
        header = self.pages.header(sheet, keys, 30)
        sheet.ws.freeze_panes = f"A{header + 1}"
        vi = self.lang == "vi"
        styles = [
            "kh_text",
            "kh_text",
            "kh_center",
            "kh_int",
            "kh_center",
            "kh_text",
            "kh_text",
            "kh_text",
            "kh_int",
            "kh_int",
        ]
        for item in sweep["what_closes"]:
            reason = in_lang(item["reason"], self.lang)
            shortfall = [
                item["code"],
                self.t(f"k_{item['kind']}"),
                item["year"],
                item["missing"],
                self.t(f"u_{item['unit']}"),
                reason,
            ]
            if not item["relaxations"]:
                sheet.cells([*shortfall, "", self.t("o_none"), None, None], styles)
            for tried in item["relaxations"]:
                outcome = tried["outcome"]
                result = (
                    self.t(f"o_limit_{tried['limit']}") if outcome == "not_tried" else self.t(f"o_{outcome}")
                )
                closed = outcome == "closed"
                sheet.cells(
                    [
                        *shortfall,
                        tried["description"] if vi else tried["description_en"],
                        result,
                        tried["missing"],
                        tried["tries"],
                    ],
                    [*styles[:7], f"kh_text{'' if closed else '_hl'}", "kh_int", "kh_int"],
                )

    # --- about ----------------------------------------------------------------------------------------------

    def _inputs(
        self, hashed: list[tuple[str, str, str | None]], options: dict[str, Any], run_at: Any
    ) -> None:
        sheet = self.pages.sheet(self.t("about"), 3, widths=ABOUT_WIDTHS)
        sheet.line(self.t("about_title"), "kh_title")
        sheet.blank()
        item = self.pages.about_item(sheet)
        item(self.t("software"), f"training-planner {planner.__version__}")
        if isinstance(run_at, datetime | date):
            item(self.t("run_at"), run_at, "kh_datetime")
        else:
            item(self.t("run_at"), str(run_at))
        self.pages.inputs_and_options(sheet, hashed, options)
