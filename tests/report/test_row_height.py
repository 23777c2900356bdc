"""Row heights of the workbook's tables: the lines a wrapped text takes in its column."""

import pytest

from planner.report.workbook import row_height, text_lines

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
