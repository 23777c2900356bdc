"""The pages in Debian's chromium (Playwright): upload, plan, watch it finish, search a person.

Skipped unless Playwright is installed and /usr/bin/chromium exists (never `playwright install`).
Screenshots go to $PLANNER_SCREENSHOTS when set, else to the test's temporary folder.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from planner.web.app import create_app
from tests.web.conftest import SCENARIO, TIME_LIMIT

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The application served on a free loopback port; its address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'planner.db'}"
    served = uvicorn.Server(uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not served.started:  # a failed startup ends the thread: stop waiting then
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("PLANNER_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_upload_plan_and_search_in_the_browser(server: str, shots: Path, small_roster: Path) -> None:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{server}/rosters")
        page.set_input_files("input[type=file]", str(small_roster))
        page.click("form.card button")
        page.wait_for_selector("text=Hợp lệ")
        page.screenshot(path=shots / "roster.png", full_page=True)
        page.goto(f"{server}/scenarios")
        page.screenshot(path=shots / "scenarios.png", full_page=True)
        page.goto(f"{server}/plans")
        page.select_option("select[name=scenario_id]", label=SCENARIO)
        page.fill("input[name=time_limit]", str(TIME_LIMIT))
        page.click("form.card button")
        page.wait_for_selector("#progress")
        page.screenshot(path=shots / "plan-progress.png", full_page=True)
        page.wait_for_selector("text=Chỉ tiêu theo năm", timeout=60_000)  # the progress poll reloads the page
        page.screenshot(path=shots / "plan.png", full_page=True)
        name = page.locator("table.list tbody tr td").nth(4).inner_text()
        page.fill("input[name=q]", name.split()[-1])
        page.click("text=Tìm")
        page.wait_for_selector("#people li a, #people table.explain")
        page.locator("#people").screenshot(path=shots / "plan-search.png")
        browser.close()
