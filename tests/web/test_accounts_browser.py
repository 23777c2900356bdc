"""Signed in, in Debian's chromium: the pages' own forms and HTMX requests carry the sign-in's CSRF
token, and what an approver approves is recorded under the account, not the name typed.

Skipped as `test_pages_browser` is (no Playwright, or no /usr/bin/chromium).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.web import accounts
from planner.web.db import make_engine, migrate, sessions
from tests.web.test_pages_browser import CHROMIUM, browser_page, plan_in_the_browser, serving

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
PASSWORD = "mat-khau-2026"


def add_account(url: str, login: str, name: str, role: str) -> None:
    engine = make_engine(url)
    with sessions(engine)() as session:
        accounts.add_account(session, login, name, role, PASSWORD)
    engine.dispose()


def test_an_approver_signs_in_approves_and_ticks_attendance(tmp_path: Path, small_roster: Path) -> None:
    shots = Path(os.environ.get("PLANNER_SCREENSHOTS") or tmp_path)
    url = f"sqlite:///{tmp_path / 'planner.db'}"
    migrate(url)
    with serving(url) as server, browser_page() as page:
        plan_in_the_browser(page, server, small_roster)  # before any account: no sign-in
        year_page = page.url + "/year"
        add_account(url, "duyet", "Trần Thị Bình", "approver")
        page.goto(year_page)
        assert "/login?next=" in page.url
        page.screenshot(path=shots / "login.png")
        page.fill("input[name=login]", "duyet")
        page.fill("input[name=password]", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(year_page)
        page.fill("#approvals input[name=by]", "Giám đốc Sở")  # typed, not believed
        page.locator("#approvals button").first.click()  # a plain form: its token added on submit
        page.wait_for_selector("#approvals .badge.done")
        assert "Trần Thị Bình (duyet)" in page.locator("#approvals").inner_text()
        page.locator("#attendance-list td.tick").first.locator("button[value=completed]").click()
        page.wait_for_selector("#attendance-list td.tick .badge.done")  # an HTMX POST: the header
        page.click("form.who button")
        page.wait_for_url(f"{server}/login")
