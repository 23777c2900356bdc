"""Finding the line of a key in a TOML text: headers, items by code, values over several lines."""

from __future__ import annotations

import tomllib

from planner.io.toml_lines import line_of, scan

TEXT = """\
name = "x"                      # 1
topics = [                      # 2
  "a = b",                      # 3
  "[not.a.header]",             # 4
]                               # 5
note = \"\"\"                   # 6
start_year = 1999               # 7: inside a string
\"\"\"                          # 8
[[programs]]                    # 9
code = "LEAD"                   # 10
"quoted key" = 1                # 11
[programs.eligibility]          # 12
levels = ["tinh"]               # 13
[[programs]]                    # 14
code = "DUTY"                   # 15
budget.per_year.2026 = 5        # 16
[programs.eligibility]          # 17
max_age = 45                    # 18
"""


def test_the_text_is_valid_toml() -> None:
    assert tomllib.loads(TEXT)["programs"][1]["code"] == "DUTY"


def test_keys_are_found_by_code_index_and_header() -> None:
    found = [scan(TEXT)]
    assert line_of("programs[DUTY].eligibility.max_age", found, {}) == (0, 18)
    assert line_of("programs[1].eligibility.max_age", found, {}) == (0, 18)
    assert line_of("programs[LEAD].eligibility.levels[0]", found, {}) == (0, 13)
    assert line_of('programs[LEAD]."quoted key"', found, {}) == (0, 11)
    assert line_of("programs[DUTY].budget.per_year.2026", found, {}) == (0, 16)
    assert line_of("programs[LEAD].eligibility.min_rating", found, {}) == (0, 12), "its table"
    assert line_of("programs[NOPE].code", found, {}) == (0, None)


def test_values_over_several_lines_hide_what_they_hold() -> None:
    found = [scan(TEXT)]
    assert line_of("start_year", found, {}) == (0, None)
    assert line_of("not.a.header", found, {}) == (0, None)
    assert line_of("topics", found, {}) == (0, 2)


def test_a_file_wins_over_its_base_and_its_arrays_hide_the_bases() -> None:
    base = scan('name = "b"\nend_year = 2030\n[[programs]]\ncode = "LEAD"\nclass_size_min = 1\n')
    variant = scan('name = "v"\n[[programs]]\ncode = "LEAD"\n')
    assert line_of("name", [variant, base], {}) == (0, 1)
    assert line_of("end_year", [variant, base], {}) == (1, 2)
    assert line_of("programs[LEAD].class_size_min", [variant, base], {}) == (0, 2), "replaced whole"


def test_an_override_table_counts_for_the_item_it_patches() -> None:
    base = scan('[[programs]]\ncode = "LEAD"\nclass_size_min = 1\n')
    variant = scan("[program_overrides.LEAD]\nclass_size_max = 0\n")
    overrides = {"programs": "program_overrides"}
    assert line_of("programs[LEAD].class_size_max", [variant, base], overrides) == (0, 2)
    assert line_of("programs[LEAD].class_size_min", [variant, base], overrides) == (1, 3)
