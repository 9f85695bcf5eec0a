"""Cards in headless Chromium: a citizen reports a temporary loss of their card and
cancels it, then shows the e-card QR; a clerk finds a person, issues a card and
activates it after a refused identity check.

The app runs on a database of its own (``<db>_e2e_cards`` or a temporary SQLite file),
seeded with a clerk, a citizen account with an active card and a person without one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import factories as f
from tests.live import e2e_database, playwright_or_skip, serve_on, shot, sign_in_page

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()

expect = sync_api.expect


@dataclass
class CardsSite:
    url: str
    clerk: str
    citizen: str
    citizen_card_no: str
    newcomer_id: int
    newcomer_name: str
    newcomer_resident_id: str


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CardsSite]:
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "cards")
    with factory.begin() as session:
        clerk = f.staff(session, "clerk", "500103", username="card_clerk",
                        display_name="王芳")
        holder = f.person(session, name="李秀英")
        card = f.card(session, holder.id, state="active")
        citizen = f.staff(session, "citizen", "", username="li_xiuying",
                          display_name="李秀英", person_id=holder.id)
        newcomer = f.person(session, name="张伟")
        seeded = CardsSite("", clerk.username, citizen.username, card.card_no, newcomer.id,
                           newcomer.name, newcomer.resident_id)
    with serve_on(url, engine, factory) as base:
        seeded.url = base
        yield seeded


def test_citizen_reports_a_temporary_loss_and_cancels_it(
    site: CardsSite, page: Any, tmp_path: Path
) -> None:
    sign_in_page(page, site.url, site.citizen)
    expect(page.locator("h1")).to_have_text("网上服务大厅")
    page.click(".quick >> text=社会保障卡")
    expect(page.locator("h1")).to_have_text("我的社保卡")
    state = page.get_by_test_id("card-state")
    expect(page.get_by_test_id("card-no")).to_have_text(site.citizen_card_no)
    expect(state).to_have_text("正常使用")
    expect(page.get_by_test_id("replace-form")).to_have_count(0)  # counter only

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('临时挂失')")
    expect(page.get_by_test_id("notice")).to_contain_text("已办理临时挂失")
    expect(state).to_have_text("临时挂失")
    expect(page.get_by_test_id("loss-expires")).to_contain_text("天内未转正式挂失将自动失效")
    expect(page.get_by_test_id("card-history")).to_contain_text("临时挂失")
    shot(page, tmp_path, "my-card-loss-reported.png")

    page.click("button:has-text('解挂')")
    expect(page.get_by_test_id("notice")).to_contain_text("已解挂")
    expect(state).to_have_text("正常使用")
    history = page.get_by_test_id("card-history").locator("tbody tr")
    expect(history.first).to_contain_text("解挂")

    page.click("button:has-text('出示电子社保卡二维码')")
    expect(page.get_by_test_id("e-card").locator("svg")).to_be_visible()
    shot(page, tmp_path, "my-e-card.png")
    token = page.get_by_test_id("e-card-token").text_content().strip()
    verified = httpx.get(site.url + "/api/v1/e-cards/verify", params={"token": token}).json()
    assert (verified["valid"], verified["name"], verified["card_no"]) == (
        True, "李**", site.citizen_card_no)


def test_the_e_card_counts_down_and_refreshes_itself(site: CardsSite, page: Any) -> None:
    page.clock.install()
    sign_in_page(page, site.url, site.citizen)
    page.goto(site.url + "/my/card")
    page.click("button:has-text('出示电子社保卡二维码')")
    clock = page.get_by_test_id("e-card-countdown")
    expect(clock).to_have_text(re.compile(r"^(10:00|9:5\d)$"))
    first = page.get_by_test_id("e-card-token").text_content().strip()
    page.clock.run_for("01:00")
    expect(clock).to_have_text(re.compile(r"^(9:00|8:5\d)$"))
    page.clock.run_for("09:05")  # past the expiry: a fresh code replaces it
    expect(page.get_by_test_id("e-card-token")).not_to_have_text(first)
    expect(page.get_by_test_id("notice")).to_contain_text("电子社保卡二维码已生成")


def test_clerk_issues_and_activates_a_card(
    site: CardsSite, page: Any, tmp_path: Path
) -> None:
    sign_in_page(page, site.url, site.clerk)
    expect(page.locator("h1")).to_have_text("工作台")
    page.click(".sidenav >> text=社会保障卡")
    expect(page.locator("h1")).to_have_text("社会保障卡")
    expect(page.get_by_test_id("card-counts")).to_contain_text("正常使用")
    page.fill("#q", site.newcomer_name)
    page.click("form.searchbar button[type=submit]")
    expect(page.get_by_test_id("result-count")).to_contain_text("共 1 人")
    expect(page.locator("tbody tr").first).to_contain_text("无有效卡")
    shot(page, tmp_path, "cards-search.png")

    # The same page is reached from the person's record.
    page.goto(f"{site.url}/persons/{site.newcomer_id}")
    page.get_by_test_id("person-cards-link").click()
    expect(page.locator("h1")).to_have_text(f"{site.newcomer_name} 的社会保障卡")
    page.click("button:has-text('即时制卡发放')")
    expect(page.get_by_test_id("notice")).to_contain_text("社保卡已制发")
    expect(page.get_by_test_id("card-state")).to_have_text("已发卡（待启用）")
    card_no = page.get_by_test_id("card-no").text_content().strip()
    assert re.fullmatch(r"CQ\d{9}", card_no)
    expect(page.get_by_test_id("card-history").locator("tbody tr")).to_have_count(2)

    form = page.get_by_test_id("activate-form")
    form.locator("#f-resident_id").fill(site.newcomer_resident_id)
    form.locator("#f-name").fill("张威")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("problem")).to_contain_text("身份信息与持卡人不符")
    expect(page.get_by_test_id("card-state")).to_have_text("已发卡（待启用）")
    shot(page, tmp_path, "counter-activation-refused.png")

    form = page.get_by_test_id("activate-form")
    form.locator("#f-name").fill(site.newcomer_name)
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("notice")).to_contain_text("社保卡已启用")
    expect(page.get_by_test_id("card-state")).to_have_text("正常使用")
    expect(page.get_by_test_id("card-history").locator("tbody tr").first).to_contain_text("启用")
    shot(page, tmp_path, "counter-card-active.png")
