"""The scenario form: a stored scenario's numbers edited, refused values named by their field in both
languages, and the new version saved as TOML that the CLI's loader reads back to the same scenario."""

from __future__ import annotations

import html
import re
import tomllib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from models.scenario import Scenario
from planner.io.scenario import load_scenario, validate_scenario
from planner.io.scenario_toml import scenario_toml
from planner.web.scenario_form import parse_number
from planner.web.services import SHIPPED_SCENARIOS
from tests.web.conftest import SCENARIO, scenario_id

TIGHT = "orientation-2026-2030-tight.toml"


def form_of(page: str) -> dict[str, str]:
    """The inputs of the form page, by name, with their values."""
    return {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'<input name="([^"]+)" value="([^"]*)"', page)
    }


def cell_of(page: str, name: str) -> str:
    """The table cell of the form that holds the input `name` (with the errors shown beside it)."""
    start = page.index(f'name="{html.escape(name)}"')
    return page[page.rindex("<td", 0, start) : page.index("</td>", start)]


def scenario_count(client: TestClient) -> int:
    return len(client.get("/api/scenarios").json())


@pytest.mark.parametrize("path", sorted(SHIPPED_SCENARIOS.glob("*.toml")), ids=lambda p: p.name)
def test_a_scenario_written_as_toml_reads_back_the_same(path: Path) -> None:
    scenario = load_scenario(path)
    text = scenario_toml(scenario, header="a comment\nover two lines")
    assert text.startswith("# a comment\n# over two lines\n")
    assert validate_scenario(tomllib.loads(text)) == scenario


def test_names_with_quotes_and_lines_and_year_keys_survive_the_toml() -> None:
    base = load_scenario(SHIPPED_SCENARIOS / SCENARIO)
    odd = base.model_copy(
        update={
            "name": 'Kế hoạch "mới"\\ bản 2',
            "description": "dòng một\ndòng hai\ttab",
            "budget": base.budget.model_copy(update={"per_year": {2027: 12_000_000_000}, "factor": 1.25}),
        }
    )
    odd = Scenario.model_validate(odd.model_dump())
    assert validate_scenario(tomllib.loads(scenario_toml(odd))) == odd


@pytest.mark.parametrize(
    ("text", "number", "expected"),
    [
        ("12.000.000.000", int, 12_000_000_000),
        ("12 000 000", int, 12_000_000),
        ("45", int, 45),
        ("0,5", float, 0.5),
        ("1.2", float, 1.2),
        ("  ", int, None),
        ("abc", int, "abc"),
        ("2.5", int, "2.5"),
    ],
)
def test_typed_numbers_are_read_the_vietnamese_way_too(text: str, number: type, expected: object) -> None:
    assert parse_number(text, number) == expected


def test_the_form_shows_the_stored_numbers(client: TestClient) -> None:
    sid = scenario_id(client)
    assert f'href="/scenarios/{sid}/edit"' in client.get("/scenarios").text
    assert f'href="/scenarios/{sid}/edit"' in client.get(f"/scenarios/{sid}").text
    page = client.get(f"/scenarios/{sid}/edit").text
    form = form_of(page)
    stored = load_scenario(SHIPPED_SCENARIOS / SCENARIO)
    lead = stored.program("LEAD")
    assert form["programs[LEAD].class_size_min"] == str(lead.class_size_min)
    assert form["programs[LEAD].classes_per_year_min"] == str(lead.classes_per_year_min)
    slot = next(p for p in stored.programs if not p.is_class)
    assert f"programs[{slot.code}].places_per_year_min" in form
    assert f"programs[{slot.code}].classes_per_year_min" not in form  # a slot program has no classes
    target = stored.targets[0]
    assert form[f"targets[{target.code}].deadline"] == str(target.deadline)
    assert form["budget.factor"] == str(stored.budget.factor)
    assert set(form) >= {f"budget.per_year.{year}" for year in stored.years}
    assert form["score.rating"] == str(stored.score.rating)
    assert "Sĩ số tối thiểu" in page and "Class size min" in page


def test_a_saved_version_is_new_and_reads_back_as_the_cli_reads_it(
    client: TestClient, tmp_path: Path
) -> None:
    original_id = scenario_id(client, TIGHT)  # a variant that `extends` another: the version stands alone
    original_toml = client.get(f"/scenarios/{original_id}/file").text
    form = form_of(client.get(f"/scenarios/{original_id}/edit").text)
    stored = load_scenario(SHIPPED_SCENARIOS / TIGHT)
    target = stored.targets[0]
    form |= {
        "filename": "chat-sua.toml",
        "name": "Thắt chặt, sửa",
        "programs[LEAD].class_size_min": "35",
        "programs[LEAD].classes_per_year_max": "",
        f"budget.per_year.{stored.start_year}": "9.500.000.000",
        f"budget.per_year.{stored.end_year}": "",  # that year falls back to the default (none: no limit)
        "budget.factor": "0,9",
        f"targets[{target.code}].deadline": str(stored.end_year),
        f"targets[{target.code}].weight": "2.5",
        "score.pipeline": "5",
        "objective.tolerance.merit": "0.02",
    }
    response = client.post(f"/scenarios/{original_id}/edit", data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    new_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert new_id != original_id
    assert client.get(f"/scenarios/{original_id}/file").text == original_toml  # the original untouched
    saved = client.get(f"/scenarios/{new_id}/file")
    assert 'filename="chat-sua.toml"' in saved.headers["content-disposition"]
    path = tmp_path / "chat-sua.toml"
    path.write_bytes(saved.content)
    lead = stored.program("LEAD").model_copy(update={"class_size_min": 35, "classes_per_year_max": None})
    expected = stored.model_copy(
        update={
            "name": "Thắt chặt, sửa",
            "programs": [lead if p.code == "LEAD" else p for p in stored.programs],
            "targets": [
                target.model_copy(update={"deadline": stored.end_year, "weight": 2.5}),
                *stored.targets[1:],
            ],
            "budget": stored.budget.model_copy(
                update={
                    "per_year": {
                        **{y: v for y, v in stored.budget.per_year.items() if y != stored.end_year},
                        stored.start_year: 9_500_000_000,
                    },
                    "factor": 0.9,
                }
            ),
            "score": stored.score.model_copy(update={"pipeline": 5}),
            "objective": stored.objective.model_copy(
                update={"tolerance": {**stored.objective.tolerance, "merit": 0.02}}
            ),
        }
    )
    assert load_scenario(path) == expected  # what `planner plan --scenario chat-sua.toml` reads
    assert "chat-sua.toml" in client.get("/audit").text


def test_refused_values_are_named_next_to_their_field_and_nothing_is_saved(client: TestClient) -> None:
    sid = scenario_id(client)
    form = form_of(client.get(f"/scenarios/{sid}/edit").text)
    stored = load_scenario(SHIPPED_SCENARIOS / SCENARIO)
    first, second = stored.targets[0], stored.targets[1]
    before = scenario_count(client)
    form |= {
        "programs[LEAD].class_size_min": "60",  # above its maximum (50)
        "programs[DUTY].classes_per_year_min": "nhiều",
        f"targets[{first.code}].deadline": str(stored.end_year + 3),
        f"targets[{second.code}].share": "0.5",
        f"targets[{second.code}].count": "10",  # share and count both
        "budget.factor": "-1",
    }
    response = client.post(f"/scenarios/{sid}/edit", data=form)
    assert response.status_code == 400
    page = response.text
    assert scenario_count(client) == before
    expected = {
        "programs[LEAD].class_size_min": (
            "không được lớn hơn class_size_max",
            "must not exceed class_size_max",
        ),
        "programs[DUTY].classes_per_year_min": ("phải là số nguyên", "valid integer"),
        f"targets[{first.code}].deadline": ("nằm ngoài giai đoạn kế hoạch", "is outside"),
        f"targets[{second.code}].share": ("cần đúng một trong hai khóa", "exactly one of share"),
        "budget.factor": ("phải lớn hơn hoặc bằng 0", "greater than or equal to 0"),
    }
    for name, (vi, en) in expected.items():
        cell = cell_of(page, name)
        assert "field-error" in cell and vi in html.unescape(cell) and en in html.unescape(cell), name
    # the form keeps what was typed, so that it can be corrected
    assert form_of(page)["programs[DUTY].classes_per_year_min"] == "nhiều"
    assert 'class="field"' in cell_of(page, "programs[LEAD].class_size_max")  # a good value: no error


def test_the_form_of_an_unknown_scenario_is_not_found(client: TestClient) -> None:
    response = client.get("/scenarios/9999/edit")
    assert response.status_code == 404 and "không tìm thấy" in response.text
