"""The raw-XML rows of the bulk sheets: each known value type has its form, anything else is refused."""

import io
import math
from datetime import date, datetime, time
from decimal import Decimal

import numpy as np
import pytest

from planner.report import sheet_xml
from planner.report.sheet_xml import row_xml


def test_known_values_are_written_in_their_own_form():
    row = row_xml(
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
    assert "<v>45293.5</v>" in row_xml(1, [(datetime(2024, 1, 2, 12), 0)])


@pytest.mark.parametrize("value", [Decimal("1.5"), time(8, 30), np.int64(3), object()])
def test_a_value_of_another_type_is_refused_by_its_type(value):
    with pytest.raises(TypeError, match=type(value).__qualname__):
        row_xml(1, [(value, 0)])


@pytest.mark.parametrize("value", [math.nan, math.inf])
def test_a_number_no_cell_can_hold_is_refused(value):
    with pytest.raises(ValueError, match="cannot hold"):
        row_xml(1, [(value, 0)])


@pytest.mark.parametrize("spool", [1 << 20, 64])
def test_bulk_rows_come_back_in_order_in_memory_and_from_their_file(monkeypatch, spool):
    monkeypatch.setattr(sheet_xml, "SPOOL_BYTES", spool)
    rows = [row_xml(i, [(f"Nguyễn Văn {i}", 0), (i, 0)]) for i in range(1, 200)]
    bulk = sheet_xml.BulkRows()
    for row in rows:
        bulk.append(row)
    out = io.BytesIO()
    bulk.copy_to(out)
    bulk.close()
    assert bulk.count == len(rows)
    assert out.getvalue().decode("utf-8") == "".join(rows)


@pytest.mark.parametrize(
    "text",
    [chr(code) for code in range(0x80)]
    + ["Nguyễn Văn Ân", "a\tb\nc\rd", "x" * (sheet_xml.MAX_CELL_CHARS + 5), "é" * sheet_xml.MAX_CELL_CHARS],
)
def test_a_text_cell_is_written_as_excel_text_escaped(text):
    """The shortcut for texts that need no change gives what dropping control characters, cutting
    at Excel's limit and escaping give, for every ASCII character and texts at and past the limit."""
    expected = sheet_xml.escape(sheet_xml.excel_text(text))
    assert f'<t xml:space="preserve">{expected}</t></is></c></row>' in row_xml(1, [(text, 0)])
