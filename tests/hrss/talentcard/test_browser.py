"""The talent service card in headless Chromium: the talent opens 英才服务卡 from the
service hall, sees the card and its QR code, books a service; a clerk finds it on the
services work-list (an overdue one first, in red) and delivers it; the talent sees it
delivered and rates it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from minsheng.hrss.talentcard.service import bookings, cards
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.live import e2e_database, playwright_or_skip, seed, serve_on, shot, sign_in_page

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()
expect = sync_api.expect


@dataclass
class Site:
    url: str
    card_no: str
    overdue_id: int


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """渝中区: clerk ``rencai``; talent ``talent-zhou`` (周英才) holding an A card; another
    holder's medical service booked on 9 Oct 2026 and never delivered (overdue)."""
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "talentcard")
    with factory.begin() as session:
        seed(session)
        f.staff(session, "clerk", "500103", username="rencai", display_name="人才服务专员")
        zhou = f.person(session, name="周英才")
        security.add_user(session, actor=SYSTEM, username="talent-zhou", role="citizen",
                          password=f.PASSWORD, person_id=zhou.id, display_name="周英才")
        card = cards.issue_direct(session, SYSTEM, zhou.id, "A", note="入选重庆英才计划",
                                  on=date.today() - timedelta(days=200))
        other = cards.issue_direct(session, SYSTEM, f.person(session, name="吴其他").id, "B",
                                   on=date.today() - timedelta(days=200))
        assert card.card_no is not None and other.card_no is not None
        late = bookings.book(session, SYSTEM, other.card_no, "medical",
                             date.today() - timedelta(days=30))
        site = Site("", card.card_no, late.id)
    with serve_on(url, engine, factory) as base:
        site.url = base
        yield site


def test_a_talent_books_and_staff_deliver(site: Site, page: Any, tmp_path: Path) -> None:
    sign_in_page(page, site.url, "talent-zhou")
    page.click("text=英才服务卡")
    expect(page.locator("h1")).to_have_text("我的英才服务卡")
    expect(page.locator("[data-testid=card-no]")).to_have_text(site.card_no)
    expect(page.locator("[data-testid=talent-code] svg")).to_be_visible()
    page.select_option("[data-testid=book-form] #f-service_code", "housing")
    page.click("[data-testid=book]")
    expect(page.locator("[data-testid=notice]")).to_contain_text("服务已预约")
    row = page.locator("[data-testid=my-bookings] tbody tr").first
    expect(row).to_contain_text("人才安居")
    expect(row).to_contain_text("办理中")
    shot(page, tmp_path, "talentcard-1-booked.png")

    sign_in_page(page, site.url, "rencai")
    page.click("nav.sidenav >> text=英才服务卡")
    expect(page.locator("h1")).to_have_text("英才服务卡")
    page.goto(site.url + "/talent/cards/services")
    first = page.locator("[data-testid=service-list] tbody tr").first
    expect(first).to_have_attribute("data-testid", f"service-{site.overdue_id}")
    expect(first.locator("[data-overdue]")).to_contain_text("已超期")
    shot(page, tmp_path, "talentcard-2-worklist.png")
    mine = page.locator("[data-testid=service-list] tbody tr", has_text="周英才")
    mine.locator("button", has_text="办结").click()
    expect(page.locator("[data-testid=notice]")).to_contain_text("服务已办结")

    sign_in_page(page, site.url, "talent-zhou")
    page.goto(site.url + "/my/talent/card")
    row = page.locator("[data-testid=my-bookings] tbody tr").first
    expect(row).to_contain_text("已办结")
    row.locator("select").select_option("5")
    row.locator("button", has_text="评价").click()
    expect(page.locator("[data-testid=notice]")).to_contain_text("感谢您的评价")
    expect(page.locator("[data-testid=my-bookings] tbody tr").first).to_contain_text("非常满意")
    shot(page, tmp_path, "talentcard-3-delivered.png")
