"""Every staff role's workbench (工作台) on the demo city, in headless Chromium: the demo
leaves each of them work waiting, and each to-do's count is the total of the page its
link opens, read off that page (the pager's 共 N 条, the missing targets listed, the
verification offered); the citizen and the employer are offered no staff work."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from minsheng.app import demo
from tests.live import DemoSite, open_page, playwright_or_skip, shot, sign_in_page

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()
expect = sync_api.expect


def _total(page: Any, key: str) -> int:
    """What the page a to-do opened counts, by the kind of page it is."""
    if key.startswith("scorecard.targets"):
        return page.get_by_test_id("missing-target").count()
    if key == "audit.verify":  # one task: the page offers it
        expect(page.get_by_test_id("verify")).to_be_visible()
        return 1
    info = page.get_by_test_id("pager-info").first.text_content() or ""
    found = re.search(r"共 ([\d,]+) 条", info)
    assert found, f"{key}: the page it opens shows no total ({info!r})"
    return int(found.group(1).replace(",", ""))


@pytest.mark.parametrize("username", [account.username for account in demo.STAFF])
def test_every_to_do_count_is_the_total_of_the_page_it_opens(
        browser: Any, demo_site: DemoSite, username: str, tmp_path: Path) -> None:
    with open_page(browser) as page:
        sign_in_page(page, demo_site.url, username, demo.DEMO_PASSWORD)
        rows = page.locator(".todo-item")
        keys = [(rows.nth(i).get_attribute("data-testid") or "").removeprefix("todo-")
                for i in range(rows.count())]
        assert keys, f"the demo leaves {username} no work"
        shot(page, tmp_path, f"workbench-{username}.png")
        for key in keys:
            row = page.get_by_test_id(f"todo-{key}")
            count = int((row.get_by_test_id("todo-count").text_content() or "")
                        .replace(",", ""))
            row.locator("a").first.click()
            page.wait_for_load_state()
            assert _total(page, key) == count, (username, key, page.url)
            page.go_back()


@pytest.mark.parametrize("username", ["citizen", "employer"])
def test_the_citizen_and_the_employer_get_no_staff_work(
        browser: Any, demo_site: DemoSite, username: str) -> None:
    with open_page(browser) as page:
        sign_in_page(page, demo_site.url, username, demo.DEMO_PASSWORD)
        assert page.locator(".todo-item").count() == 0
        expect(page.get_by_test_id("todo")).to_have_count(0)
