"""The administrator's account pages, the auditor's audit log and the rulebook page in
headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import factories as f
from tests.live import e2e_database, playwright_or_skip, serve_on, shot, sign_in_page

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()
expect = sync_api.expect


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "operations")
    with factory.begin() as session:
        f.staff(session, "admin", "500000", username="guanli", display_name="管理员老周")
        f.staff(session, "auditor", "", username="shenji", display_name="审计员小许")
        f.staff(session, "clerk", "500103", username="yz_clerk", display_name="窗口小李")
    with serve_on(url, engine, factory) as base:
        yield base


def test_admin_creates_an_account_and_resets_a_password(site: str, page: Any,
                                                       tmp_path: Path) -> None:
    sign_in_page(page, site, "guanli")
    page.click(".sidenav >> text=账户管理")
    expect(page.locator("h1")).to_have_text("账户管理")
    expect(page.get_by_test_id("users")).to_contain_text("yz_clerk")
    page.get_by_test_id("new-user").click()
    page.fill("#f-username", "sp_clerk")
    page.fill("#f-display_name", "沙坪坝小赵")
    page.select_option("#f-role", "clerk")
    page.select_option("#f-region_code", "500106")
    page.fill("#f-password", "short")
    page.click("[data-testid=user-form] button[type=submit]")
    expect(page.locator("#password-error")).to_contain_text("至少 8 位")
    page.fill("#f-password", "Shapingba@2026")
    page.click("[data-testid=user-form] button[type=submit]")
    expect(page.get_by_test_id("notice")).to_contain_text("账户已创建")
    expect(page.locator("h1")).to_contain_text("沙坪坝小赵")
    page.fill("#f-password", "Another@2026")
    page.fill("#f-password_again", "Another@2026")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("[data-testid=password-form] button[type=submit]")
    expect(page.get_by_test_id("notice")).to_contain_text("账户已创建")  # nothing sent
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=password-form] button[type=submit]")
    expect(page.get_by_test_id("notice")).to_contain_text("密码已重置")
    shot(page, tmp_path, "admin-user.png")


def test_auditor_filters_and_verifies_the_chain(site: str, page: Any, tmp_path: Path) -> None:
    sign_in_page(page, site, "shenji")
    page.click(".sidenav >> text=审计日志")
    expect(page.locator("h1")).to_have_text("审计日志")
    page.fill("#f-action", "user.create")
    page.click("[data-testid=audit-filter] button[type=submit]")
    expect(page.get_by_test_id("events")).to_contain_text("user.create")
    expect(page.get_by_test_id("events")).not_to_contain_text("auth.")
    page.get_by_test_id("verify").click()
    expect(page.get_by_test_id("verify-result")).to_contain_text("审计链完整")
    shot(page, tmp_path, "audit-log.png")


def test_clerk_reads_the_rulebook(site: str, page: Any, tmp_path: Path) -> None:
    sign_in_page(page, site, "yz_clerk")
    page.click(".sidenav >> text=政策参数")
    expect(page.locator("h1")).to_have_text("政策参数")
    page.fill("#f-month", "2019-03")
    page.select_option("#f-region", "500103")
    page.click("[data-testid=rules-filter] button[type=submit]")
    rate = page.get_by_test_id("parameter").filter(has_text="失业保险金标准")
    expect(rate).to_contain_text("1,440.00")
    expect(rate).to_contain_text("未核实")
    shot(page, tmp_path, "rulebook.png")
