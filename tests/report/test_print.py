"""The plan workbook on paper: the bundled sample's plan printed to PDF by LibreOffice, every page checked.

What a department sees when it prints `plan.xlsx`: A4 pages, no text under 8 pt, no line of
text printed over another, nothing below the bottom margin (no row or chart cut by a page
break), and a footer "Trang n/N" with the sheet's name inside the margins of every page.
Skipped only where LibreOffice (`soffice`) or a font with Times New Roman's metrics (the
workbook's font; Liberation Serif on Debian) is not installed; `.ci/run` installs both.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from cli import main
from planner.io.scenario import load_scenario
from planner.report.words import WORDS
from planner.report.workbook import MARGIN_BOTTOM, MARGIN_FOOTER

ROOT = Path(__file__).resolve().parents[2]
ROSTER = ROOT / "planner" / "data" / "sample-roster.xlsx"
SCENARIO = ROOT / "scenarios" / "plan-2023-2025.toml"
#: Pages per sheet of the sample's plan (class and slot lists together), as printed at this commit.
#: Before issue 17: Tổng hợp 3, lists 65, Theo đơn vị 12, Lý do 9, Biểu đồ 2, Thông tin 1 (92 pages).
#: Lists 75 before chains inside the plan (issue 14: 37 more CK2 and PHD places after CK1, MASTER);
#: 76 until the second round started from the named plan with its empty places filled (81c9983:
#: 140 MASTER and 10 PHD instead of 138 and 12, within the gaps, cheaper); 75 until people were
#: named before the last level too (the same counts, other people in some DUTY classes); 74 until
#: the branch and bound's LPs moved to HiGHS (the same shortfall, merit 10,028 instead of 10,029,
#: 30 million VND cheaper: other classes); 73 until LP solves were priced by the LP's size and the
#: cost level's completions skipped presolve (the same shortfall, merit and cost, other classes
#: in other years); 75 while the cost level's second completions started from the best plan so
#: far at any classes (the same shortfall 6,016,186, merit 10,028 and cost 29,462 million VND, other
#: classes), 76 again since only at the plan's own classes; 74 since the first round's plan is
#: written when others in the 2 places unit caps left empty keep every level within its gap (the
#: same shortfall, merit 10,031 instead of 10,028, each level proven optimal; 90 million VND dearer);
#: 76 since the writer sets a list's page breaks (`list_breaks`: 2 lists gained a page).
REFERENCE_PAGES = {
    "Tổng hợp": 8,
    "lists": 76,
    "Theo đơn vị": 20,
    "Tóm tắt lý do": 2,
    "Lý do": 1,
    "Biểu đồ": 3,
    "Thông tin": 3,
}
SMALLEST_POINTS = 8
A4 = (595.3, 841.9)
FOOTER = re.compile(r"^Trang (\d+)/(\d+)$")
#: A class or slot list's sheet (LEAD-2024-01, MASTER-2025), and an official's id as printed.
LIST_SHEET = re.compile(r"[A-Z0-9_]+-\d{4}(-\d+)?")
OFFICIAL_ID = re.compile(r"CB\d+")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    sheet: str
    footer: str
    footer_top: float
    body: list[Word]


#: Fonts with Times New Roman's metrics: with another serif in its place LibreOffice breaks lines
#: and pages elsewhere (DejaVu Serif: the reasons sheet on 4 pages instead of 2, a list page
#: without a name), which says nothing about the workbook.
TIMES_METRICS = ("Times New Roman", "Liberation Serif")


def _soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    fc_match = shutil.which("fc-match")
    font = fc_match and subprocess.run([fc_match, "Times New Roman"], capture_output=True, text=True).stdout
    if not font or not any(name in font for name in TIMES_METRICS):
        pytest.skip("no font with Times New Roman's metrics (Debian: fonts-liberation)")
    return soffice


def to_pdf(workbook: Path, folder: Path) -> Path:
    """The workbook printed to PDF by LibreOffice, as a department would (its own profile, headless)."""
    soffice = _soffice()
    profile = (folder / "profile").as_uri()
    completed = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(workbook),
        ],
        capture_output=True,
        timeout=600,
        check=False,
        env={**os.environ, "HOME": str(folder)},
    )
    assert completed.returncode == 0, completed.stderr
    return folder / f"{workbook.stem}.pdf"


def read_pages(pdf_path: Path) -> list[Page]:
    """Each page's upright words, split into the footer line (sheet name, "Trang n/N") and the body."""
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            words = [
                Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w["size"])
                for w in page.extract_words(extra_attrs=["size", "upright"])
                if w["upright"]
            ]
            limit = page.height - 72 * MARGIN_BOTTOM
            footer = [w for w in words if w.top >= limit]
            left = [w for w in footer if w.x1 < page.width / 3]
            centre = [w for w in footer if w.x0 >= page.width / 3]
            pages.append(
                Page(
                    number=number,
                    width=page.width,
                    height=page.height,
                    sheet=" ".join(w.text for w in left),
                    footer=" ".join(w.text for w in centre),
                    footer_top=min((w.top for w in footer), default=page.height),
                    body=[w for w in words if w.top < limit],
                )
            )
    return pages


def overlaps(words: list[Word]) -> list[tuple[Word, Word]]:
    """Pairs of words printed over each other (their boxes share more than a fifth of the smaller)."""
    found = []
    ordered = sorted(words, key=lambda w: w.top)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.top >= a.bottom:
                break
            width = min(a.x1, b.x1) - max(a.x0, b.x0)
            height = min(a.bottom, b.bottom) - max(a.top, b.top)
            if width <= 0 or height <= 0:
                continue
            smaller = min((a.x1 - a.x0) * (a.bottom - a.top), (b.x1 - b.x0) * (b.bottom - b.top))
            if width * height > 0.2 * smaller:
                found.append((a, b))
    return found


def pages_per_sheet(pages: list[Page]) -> dict[str, int]:
    """Printed pages per sheet, the class and slot lists (sheets named like LEAD-2024-01) together."""
    counts: Counter[str] = Counter()
    for page in pages:
        counts["lists" if LIST_SHEET.fullmatch(page.sheet) else page.sheet] += 1
    return dict(counts)


#: The footer's page number in each language, as the workbook writes it ("page" in its words).
FOOTERS = {"vi": "Trang {n}/{total}", "en": "Page {n} of {total}"}


def _print(tmp_path_factory, lang: str) -> list[Page]:
    _soffice()
    folder = tmp_path_factory.mktemp(f"print-{lang}")
    workbook = folder / "plan.xlsx"
    arguments = ["plan", str(ROSTER), "--scenario", str(SCENARIO), "--out", str(workbook), "--lang", lang]
    result = CliRunner().invoke(main, [*arguments, "--time-limit", "20", "--quiet"])
    assert result.exit_code == 0, result.output
    return read_pages(to_pdf(workbook, folder))


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> list[Page]:
    return _print(tmp_path_factory, "vi")


@pytest.fixture(scope="module")
def printed_en(tmp_path_factory) -> list[Page]:
    """The same plan in English: other words, other widths, the same rules on paper."""
    return _print(tmp_path_factory, "en")


BOTH = pytest.mark.parametrize(("lang", "which"), [("vi", "printed"), ("en", "printed_en")])


@BOTH
def test_every_page_is_a4(request, lang, which):
    for page in request.getfixturevalue(which):
        assert sorted((round(page.width), round(page.height))) == sorted(map(round, A4)), page.number


@BOTH
def test_no_text_is_smaller_than_8_points(request, lang, which):
    pages = request.getfixturevalue(which)
    small = [(p.sheet, p.number, w.text, round(w.size, 1)) for p in pages for w in p.body if w.size < 7.95]
    assert small == []


@BOTH
def test_no_number_prints_as_hashes(request, lang, which):
    """A number wider than its column prints as ### (the budget, 12,000,000,000, did in a 11-wide column)."""
    hashes = [
        (page.number, w.text) for page in request.getfixturevalue(which) for w in page.body if "##" in w.text
    ]
    assert not hashes


@BOTH
def test_no_two_lines_of_text_print_over_each_other(request, lang, which):
    pages = request.getfixturevalue(which)
    found = [(page.sheet, page.number, a.text, b.text) for page in pages for a, b in overlaps(page.body)]
    assert found == [], found[:10]


@BOTH
def test_every_page_has_its_footer_inside_the_margins_below_the_text(request, lang, which):
    pages = request.getfixturevalue(which)
    total = len(pages)
    for page in pages:
        assert page.footer == FOOTERS[lang].format(n=page.number, total=total), (page.number, page.footer)
        assert page.sheet, page.number
        # the footer line is whole on the page, in the bottom margin, under every line of the body
        assert page.footer_top < page.height - 72 * MARGIN_FOOTER + 2, page.number
        assert all(w.bottom <= page.footer_top for w in page.body), page.number


@BOTH
def test_nothing_prints_past_the_bottom_margin(request, lang, which):
    for page in request.getfixturevalue(which):
        # a row or chart cut at the page's end would print past the bottom margin
        assert all(w.bottom <= page.height - 72 * MARGIN_BOTTOM + 1 for w in page.body), page.number


def test_no_chart_is_cut_by_a_page_break(printed):
    charts = [p for p in printed if p.sheet == "Biểu đồ"][1:]  # the table's page first
    text = {p.number: " ".join(w.text for w in p.body) for p in charts}
    titles = re.compile(r"(\S+): số người đã được đào tạo so với chỉ tiêu")
    found = 0
    for number, words in text.items():
        for code in titles.findall(words):
            found += 1
            # the chart's legend is on the page of its title: the chart is whole
            assert f"{code}: chỉ tiêu" in words and f"{code}: đã đạt" in words, (number, code)
        if "Kinh phí theo năm so với dự toán" in words:
            found += 1
            assert "Kinh phí (triệu đồng)" in words, number
    assert found == len(load_scenario(SCENARIO).targets) + 1


@BOTH
def test_every_page_of_a_list_names_people_and_its_signatures_print_whole_with_its_last_names(
    request, lang, which
):
    """A signed page must name people: the total, the date and both signatures print on one page,
    the last of the list, under at least one of its names (a list of 42 used to print its
    signatures alone on a third page, and one of 43 the last line of its signatures alone)."""
    lists: dict[str, list[Page]] = defaultdict(list)
    for page in request.getfixturevalue(which):
        if LIST_SHEET.fullmatch(page.sheet):
            lists[page.sheet].append(page)
    assert lists
    signatures = [WORDS[key][lang == "en"] for key in ("preparer", "head", "sign_name", "sign_seal")]
    for sheet, pages in lists.items():
        for page in pages:
            assert any(OFFICIAL_ID.fullmatch(w.text) for w in page.body), (sheet, page.number)
        for page in pages:
            text = " ".join(w.text for w in page.body)
            on_page = [s for s in signatures if s in text]
            assert on_page == (signatures if page is pages[-1] else []), (sheet, page.number)


def test_pages_per_sheet_match_the_reference(printed):
    counts = pages_per_sheet(printed)
    assert counts == REFERENCE_PAGES


def test_the_batch_workbook_prints_its_long_reasons_without_overprinting(tmp_path):
    """`planner batch`'s workbook: a shortfall's reason of three lines printed over the rows below
    it (the rows kept their default height), and in a font other than the width estimates'."""
    from planner.report.batch_workbook import write_batch_workbook

    _soffice()
    reason = "LEAD 2027: 451 trong 497 người đủ điều kiện đã có lượt cử trùng thời gian " * 3
    targets = {
        f"COMMUNE_STAFF_ALL_{i}": {"required": 306, "covered_at_deadline": 300, "attainment": 0.98}
        for i in range(9)
    }
    plan = {
        "scenario": "orientation-2026-2030", "state": "solved", "average_attainment": 0.7, "targets_met": 3,
        "targets": targets, "total_cost": 48_162_000_000, "total_budget": 75_000_000_000,
        "shortfalls": [
            {"code": "COMMUNE_STAFF_ALL", "year": 2030, "required": 306, "achieved": 300, "missing": 6,
             "reason": {"vi": reason, "en": reason}}
        ] * 40,
    }  # fmt: skip
    provinces = [{"name": f"Tỉnh {i}", "roster": f"tinh-{i}.xlsx", "plans": [plan]} for i in range(3)]
    batch = {
        "scenarios": ["orientation-2026-2030"],
        "provinces": provinces,
        "failed": 0,
        "interrupted": False,
    }
    path = tmp_path / "batch.xlsx"
    write_batch_workbook(path, batch)
    pages = read_pages(to_pdf(path, tmp_path))
    assert any("Lý do" in " ".join(w.text for w in page.body) for page in pages)
    for page in pages:
        assert not overlaps(page.body), page.number
        assert min((w.size for w in page.body), default=SMALLEST_POINTS) >= SMALLEST_POINTS, page.number
        # every code whole on its line: a column too narrow for it cut it
        assert all(
            not w.text.startswith("COMMUNE_") or w.text.startswith("COMMUNE_STAFF_ALL") for w in page.body
        )


def test_the_comparison_workbook_prints_at_9_points_without_overprinting(tmp_path):
    """`planner compare`'s workbook: its overview (13 columns) and shortfalls sheets were fitted to
    the page width at 53-63 %, their text printed at 6-7 pt."""
    from tests.analysis.test_compare import small_files

    _soffice()
    files = small_files(tmp_path)
    out = tmp_path / "so-sanh.xlsx"
    arguments = [
        "compare",
        str(files["roster"]),
        str(files["small"]),
        str(files["larger"]),
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(main, [*arguments, "--quiet"])
    assert result.exit_code == 0, result.output
    pages = read_pages(to_pdf(out, tmp_path))
    assert {"So sánh", "Chưa đạt"} <= {page.sheet for page in pages}
    for page in pages:
        assert not overlaps(page.body), page.number
        assert min((w.size for w in page.body), default=SMALLEST_POINTS) >= SMALLEST_POINTS, (
            page.number,
            page.sheet,
        )
