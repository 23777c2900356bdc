"""The raw-XML rows of the bulk sheets: each known value type has its form, anything else is refused."""

import math
from datetime import date, datetime, time
from decimal import Decimal

import numpy as np
import pytest

from planner.report.workbook import _row_xml, row_height, text_lines


def test_known_values_are_written_in_their_own_form():
    row = _row_xml(
        3,
        [("a < b", 0), (True, 0), (7, 0), (0.25, 0), (date(2024, 1, 2), 5), (None, 0), (None, 4), ("", 0)],
        15,
    )
    assert row == (
        '<row r="3" ht="15" customHeight="1">'
        '<c r="A3" t="inlineStr"><is><t xml:space="preserve">a &lt; b</t></is></c>'
        '<c r="B3" t="b"><v>1</v></c>'
        '<c r="C3"><v>7</v></c>'
        '<c r="D3"><v>0.25</v></c>'
        '<c r="E3" s="5"><v>45293.0</v></c>'
        '<c r="G3" s="4"/>'
        "</row>"
    )


def test_a_datetime_is_a_serial_with_its_time_of_day():
    assert "<v>45293.5</v>" in _row_xml(1, [(datetime(2024, 1, 2, 12), 0)])


@pytest.mark.parametrize("value", [Decimal("1.5"), time(8, 30), np.int64(3), object()])
def test_a_value_of_another_type_is_refused_by_its_type(value):
    with pytest.raises(TypeError, match=type(value).__qualname__):
        _row_xml(1, [(value, 0)])


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_a_number_no_cell_can_hold_is_refused(value):
    with pytest.raises(ValueError, match="cannot hold"):
        _row_xml(1, [(value, 0)])


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
