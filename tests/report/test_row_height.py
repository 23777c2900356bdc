"""Row heights of the workbook's tables (the lines a wrapped text takes in its column) and the page
breaks of its lists."""

import pytest

from planner.report.workbook import list_breaks, row_height, text_lines

# --- row heights: lines of wrapped text, worked out by hand (capacity: (width - 1) x 1.1, bold x 1.0)


@pytest.mark.parametrize(
    ("text", "width", "bold", "lines"),
    [
        ("abc def", 10, False, 1),  # 3 + 1 + 3 = 7 of 9.9
        ("abcd efg", 9, False, 1),  # 8 of 8.8
        ("ABCD efg", 9, False, 2),  # capitals 1.4 wide: 5.6 + 1 + 3 = 9.6 > 8.8
        ("abcd efghij", 11, False, 1),  # 11 of 11
        ("abcd efghij", 11, True, 2),  # 11 > 10
        ("x" * 20, 10, False, 3),  # a word longer than the column breaks: 9.9 + 9.9 + 0.2
        ("a\nb", 10, False, 2),  # each paragraph on its own lines
    ],
)
def test_lines_of_a_wrapped_text(text, width, bold, lines):
    assert text_lines(text, width, bold) == lines


def test_the_same_text_in_another_width_is_measured_again():
    assert [text_lines("abcd efgh", w) for w in (20, 8, 20)] == [1, 2, 1]


def test_a_row_is_as_high_as_its_tallest_cell():
    assert row_height(["abc", 7, None], [10, 10, 10]) == 15
    assert row_height(["abc", "abcd efgh", ""], [10, 8, 1]) == 13 * 2 + 4


# --- page breaks of a list: rows 1-2 the titles repeated on each page, every row 10 points, three rows
# after the last member (total, date, signatures), pages of 100 points


@pytest.mark.parametrize(
    ("last", "breaks"),
    [
        (7, []),  # rows 1-7 and the 3 after them fill the page: 100 points
        (8, [5]),  # 110 points: the last 3 members go on with the signatures
        (11, [8]),  # the page would break after row 10, leaving 1 member to sign: it breaks after 8
        (14, [10]),  # 4 members on the second page with the signatures: 20 + 40 + 30 points
    ],
)
def test_a_list_breaks_so_that_its_signatures_print_whole_with_its_last_members(last, breaks):
    heights = [10.0] * (last + 3)
    assert list_breaks(heights, (1, 2), (3, last), capacity=100) == breaks


def test_a_list_of_two_keeps_both_with_the_signatures():
    assert list_breaks([10.0] * 7, (1, 2), (3, 4), capacity=100) == []


# --- print scale: columns too wide for a legible page go on over the next pages


def test_a_table_too_wide_for_a_legible_page_goes_on_over_the_next_with_its_first_column():
    from openpyxl import Workbook

    from planner.report.workbook import (
        BODY_POINTS,
        SMALLEST_PRINTED_POINTS,
        columns_on_a_page,
        print_scale,
        set_page,
    )

    narrow, wide = [20, 30, 12, 12], [14, 18, 18, 14] + [14] * 10 + [12, 44]  # a sweep of 10 targets
    for widths in (narrow, wide):
        ws = Workbook().active
        set_page(ws, True, "&P", widths)
        assert ws.page_setup.scale * BODY_POINTS / 100 >= SMALLEST_PRINTED_POINTS
        fits = print_scale(widths, True) >= ws.page_setup.scale
        assert (ws.print_title_cols is None) == fits, widths
        on_first = columns_on_a_page(widths, True, ws.page_setup.scale)
        assert on_first == len(widths) if fits else 4 <= on_first < len(widths)
