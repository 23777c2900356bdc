"""What every route shares: refusing a change a browser sends from another site (CSRF)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import SCENARIO

SCENARIO_TEXT = f'extends = "{SCENARIO}"\nname = "Thử CSRF"\n'


def saved(client: TestClient, filename: str) -> bool:
    return filename in {s["filename"] for s in client.get("/api/scenarios").json()}


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "http://testserver:8001"},  # another program on the same machine
        {"Origin": "null"},
        {"Referer": "http://evil.example/page.html"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
def test_a_change_sent_from_another_site_is_refused_and_not_made(
    client: TestClient, headers: dict[str, str]
) -> None:
    name = f"csrf-{len(headers)}-{abs(hash(str(headers)))}.toml"
    response = client.post("/scenarios", data={"filename": name, "text": SCENARIO_TEXT}, headers=headers)
    assert response.status_code == 403
    assert "trang web khác" in response.text and "another website" in response.text
    assert not saved(client, name)
    api = client.post("/api/plans", json={"roster_id": 1, "scenario_id": 1}, headers=headers)
    assert api.status_code == 403 and "cross-site request forgery" in api.json()["en"]


def test_the_same_origin_and_reading_from_anywhere_pass(client: TestClient) -> None:
    own = {
        "Origin": "http://testserver",
        "Referer": "http://testserver/scenarios",
        "Sec-Fetch-Site": "same-origin",
    }
    response = client.post("/scenarios", data={"filename": "own.toml", "text": SCENARIO_TEXT}, headers=own)
    assert response.status_code == 200 and saved(client, "own.toml")
    assert client.get("/scenarios", headers={"Origin": "http://evil.example"}).status_code == 200


def test_the_audit_log_names_who_works_at_the_browser(client: TestClient) -> None:
    from planner.web.pages import USER_COOKIE

    client.cookies.set(USER_COOKIE, "L%C3%AA%20V%C4%83n%20An")  # as the forms set it: Lê Văn An
    try:
        response = client.post("/scenarios", data={"filename": "who.toml", "text": SCENARIO_TEXT})
    finally:
        client.cookies.clear()
    assert response.status_code == 200
    row = client.get("/audit").text.split("who.toml")[0].rsplit("<tr>", 1)[1]
    assert "Lê Văn An" in row and "scenario.save" in row
