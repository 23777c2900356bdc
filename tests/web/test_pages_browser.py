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
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from planner.web.app import create_app
from tests.web.conftest import SCENARIO, TIME_LIMIT

CHROMIUM = Path("/usr/bin/chromium")
SAMPLE = Path(__file__).parents[2] / "planner" / "data" / "sample-roster.xlsx"
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The application served on a free loopback port; its address."""
    with serving(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'planner.db'}") as address:
        yield address


@contextmanager
def serving(url: str) -> Iterator[str]:
    """The application on the database at `url`, served on a free loopback port; its address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    served = uvicorn.Server(uvicorn.Config(create_app(url), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not served.started:  # a failed startup ends the thread: stop waiting then
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        served.should_exit = True
        thread.join(10)


@contextmanager
def browser_page(width: int = 1366, height: int = 768) -> Iterator[Any]:
    """A page of Debian's chromium with the window this size, closed afterwards."""
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield browser.new_page(viewport={"width": width, "height": height})
        finally:
            browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("PLANNER_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def plan_in_the_browser(
    page: Any, server: str, roster: Path, shots: Path | None = None, scenario: str = SCENARIO
) -> None:
    """Upload the roster, plan it with the scenario and wait for the plan's page (screenshots of each
    page into `shots` when given)."""

    def shot(name: str) -> None:
        if shots is not None:
            page.screenshot(path=shots / name, full_page=True)

    page.goto(f"{server}/rosters")
    page.set_input_files("input[type=file]", str(roster))
    page.click("form.card button")
    page.wait_for_selector("text=Hợp lệ")
    shot("roster.png")
    page.goto(f"{server}/scenarios")
    shot("scenarios.png")
    page.goto(f"{server}/plans")
    page.select_option("select[name=scenario_id]", label=scenario)
    page.fill("input[name=time_limit]", str(TIME_LIMIT))
    page.click("form.card button")
    page.wait_for_selector("#progress")
    shot("plan-progress.png")
    page.wait_for_selector("text=Chỉ tiêu theo năm", timeout=60_000)  # the progress poll reloads the page
    shot("plan.png")


def test_upload_plan_and_search_in_the_browser(server: str, shots: Path, small_roster: Path) -> None:
    with browser_page(1280, 900) as page:
        plan_in_the_browser(page, server, small_roster, shots)
        name = page.locator("table.list tbody tr td").nth(4).inner_text()
        page.fill("input[name=q]", name.split()[-1])
        page.click("text=Tìm")
        page.wait_for_selector("#people li a, #people table.explain")
        page.locator("#people").screenshot(path=shots / "plan-search.png")


def test_approve_a_year_tick_attendance_and_replan_in_the_browser(
    server: str, shots: Path, small_roster: Path
) -> None:
    with browser_page() as page:
        plan_in_the_browser(page, server, small_roster)
        page.click("text=Duyệt, quyết định, lập lại")
        page.fill("#approvals input[name=by]", "Nguyễn Thị Lan")
        page.locator("#approvals button").first.click()
        page.wait_for_selector("#approvals .badge.done")
        page.fill("#decisions input[name=official_id]", "CB999999")
        page.select_option("#decisions select[name=program]", index=1)
        page.click("#decisions form.card button")
        page.wait_for_selector("#decisions table.problems")  # refused, shown at the form
        page.locator("#decisions").screenshot(path=shots / "year-refused.png")
        cell = page.locator("#attendance-list td.tick").first
        cell.locator("button[value=completed]").click()
        page.wait_for_selector("#attendance-list td.tick .badge.done")  # swapped in place by HTMX
        assert page.locator("#attendance-counts tbody tr").first.locator("td").nth(3).inner_text() == "1"
        page.locator("#attendance").screenshot(path=shots / "year-attendance.png")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=shots / "year.png")
        page.click("#replan button")
        page.wait_for_selector("text=Replanned from plan", timeout=60_000)
        page.wait_for_selector("#changes")
        page.locator("#changes").screenshot(path=shots / "replan-changes.png")


def test_compare_two_plans_in_the_browser(server: str, shots: Path, small_roster: Path) -> None:
    with browser_page() as page:
        plan_in_the_browser(page, server, small_roster)
        plan_in_the_browser(page, server, small_roster, scenario="orientation-2026-2030-tight.toml")
        page.click("text=Theo đơn vị")
        page.wait_for_selector("table.units tbody tr")
        page.screenshot(path=shots / "units.png")
        page.goto(f"{server}/plans")
        boxes = page.locator("input[name=plans]")
        boxes.nth(1).check()
        boxes.nth(0).check()
        page.click("text=So sánh các kế hoạch đã chọn")
        page.wait_for_selector("figure.chart circle")
        page.screenshot(path=shots / "compare.png")
        page.screenshot(path=shots / "compare-full.png", full_page=True)


def test_edit_a_scenario_in_a_form_in_the_browser(server: str, shots: Path) -> None:
    with browser_page() as page:
        page.goto(f"{server}/scenarios")
        page.click(f"text={SCENARIO}")
        page.click("text=Sửa số liệu bằng biểu mẫu")
        page.wait_for_selector("table.form.programs")
        page.screenshot(path=shots / "scenario-form.png")
        page.screenshot(path=shots / "scenario-form-full.png", full_page=True)
        page.fill('input[name="programs[LEAD].class_size_min"]', "60")
        page.fill('input[name="budget.factor"]', "-1")
        page.click("text=Kiểm tra và lưu phiên bản mới")
        page.wait_for_selector("td.invalid .field-error")
        assert page.locator("td.invalid").count() == 2
        page.locator(
            'td.invalid:has(input[name="programs[LEAD].class_size_min"])'
        ).scroll_into_view_if_needed()
        page.screenshot(path=shots / "scenario-form-refused.png")
        page.fill('input[name="programs[LEAD].class_size_min"]', "45")
        page.fill('input[name="budget.factor"]', "0,9")
        page.fill("input[name=filename]", "dinh-huong-sua.toml")
        page.click("text=Kiểm tra và lưu phiên bản mới")
        page.wait_for_selector("h1:has-text('dinh-huong-sua.toml')")
        assert "factor = 0.9" in page.locator("pre.toml").inner_text()
        page.screenshot(path=shots / "scenario-saved.png")


def test_run_a_budget_sweep_in_the_browser(server: str, shots: Path, small_roster: Path) -> None:
    with browser_page() as page:
        plan_in_the_browser(page, server, small_roster)
        page.click("text=Quét dự toán")
        page.fill("input[name=factors]", "1.5:0.5:0.1")
        page.click("text=Bắt đầu quét")
        page.wait_for_selector("table.problems")  # refused, the field named, the form as typed
        assert page.input_value("input[name=factors]") == "1.5:0.5:0.1"
        page.screenshot(path=shots / "sweeps-refused.png")
        page.fill("input[name=factors]", "0.6,0.8,1")
        page.fill("input[name=max_resolves]", "2")
        page.fill("input[name=time_limit]", str(TIME_LIMIT))
        page.screenshot(path=shots / "sweeps.png")
        page.click("text=Bắt đầu quét")
        page.wait_for_selector("#progress")
        page.screenshot(path=shots / "sweep-progress.png")
        page.wait_for_selector(
            "text=Each target met from the factor", timeout=90_000
        )  # the poll reloads the page
        assert page.locator("figure.chart circle").count() == 3
        page.screenshot(path=shots / "sweep.png")
        page.screenshot(path=shots / "sweep-full.png", full_page=True)


def test_stop_a_plan_and_open_a_class_list_in_the_browser(tmp_path: Path, shots: Path) -> None:
    # a server of its own: the module's may still be busy with the jobs of the tests before
    with serving(f"sqlite:///{tmp_path / 'planner.db'}") as server, browser_page() as page:
        page.goto(f"{server}/rosters")
        page.set_input_files("input[type=file]", str(SAMPLE))
        page.click("form.card button")
        page.wait_for_selector("text=Hợp lệ")
        page.goto(f"{server}/plans")
        page.select_option("select[name=scenario_id]", label="orientation-2026-2030.toml")
        # searched until proven (its cost level is not, in minutes) or stopped: the stop comes first
        page.fill("input[name=time_limit]", "600")
        page.fill("input[name=gap]", "0")
        page.click("form.card button")
        page.wait_for_selector("#progress table.progress")
        page.wait_for_function(  # a level under way: the progress shows its value
            "() => [...document.querySelectorAll('#progress table.progress td')].some("
            "td => /\\d/.test(td.innerText) && !td.innerText.includes('/'))",
            timeout=60_000,
        )
        page.click("text=Dừng, giữ phương án tốt nhất")
        page.wait_for_selector("text=bị dừng: phương án tốt nhất lúc dừng", timeout=60_000)
        page.screenshot(path=shots / "plan-stopped.png")
        first_class = next(
            cell
            for cell in page.locator("table.list tbody tr td:nth-child(3)").all_inner_texts()
            if cell.strip() not in ("", "–")
        )
        page.fill("#lists input[name=class_id]", first_class)
        page.click("#lists button[type=submit]")
        page.wait_for_function(
            "cls => [...document.querySelectorAll('table.list tbody tr td:nth-child(3)')]"
            ".every(td => td.innerText.trim() === cls)",
            arg=first_class,
        )
        rows = page.locator("table.list tbody tr").count()
        assert 0 < rows <= 50
        page.locator("#lists").screenshot(path=shots / "class-list.png")
