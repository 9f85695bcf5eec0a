"""Personnel files in headless Chromium: the 渝中区 clerk finds a file by its holder's
full ID, dispatches it to 涪陵区 (accepting the confirmation), the 涪陵区 clerk sees it
in transit on the work-list and confirms receipt, and the holder sees the file at its
new custodian."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from minsheng.hrss.registry.service import Person
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.hrss.personnelfile._build import custodian, held_file
from tests.live import e2e_database, playwright_or_skip, seed, serve_on, shot, sign_in_page

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()
expect = sync_api.expect


@dataclass
class Site:
    url: str
    resident_id: str


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """渝中区 clerk ``yz-dangan``, 涪陵区 clerk ``fl-dangan``; 孙芳's file held by 渝中区人才
    服务中心 since 2019, her account ``talent-sun``."""
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "personnelfile")
    with factory.begin() as session:
        seed(session)
        f.staff(session, "clerk", "500103", username="yz-dangan", display_name="档案员王敏")
        f.staff(session, "clerk", "500102", username="fl-dangan", display_name="档案员刘强")
        yuzhong = custodian(session, "YZ-RC", "500103", "渝中区人才服务中心")
        custodian(session, "FL-RC", "500102", "涪陵区人才服务中心")
        person, _ = held_file(session, yuzhong, since=date(2019, 3, 4), name="孙芳")
        security.add_user(session, actor=SYSTEM, username="talent-sun", role="citizen",
                          password=f.PASSWORD, person_id=person, display_name="孙芳")
        found = session.get(Person, person)
        assert found is not None
        site = Site("", found.resident_id)
    with serve_on(url, engine, factory) as base:
        site.url = base
        yield site


def test_dispatch_then_receive(site: Site, page: Any, tmp_path: Path) -> None:
    sign_in_page(page, site.url, "yz-dangan")
    page.click("nav.sidenav >> text=人事档案")
    expect(page.locator("h1")).to_have_text("人事档案")
    page.fill("[data-testid=search-form] #f-resident_id", site.resident_id)
    page.click("[data-testid=search]")
    expect(page.locator("h1")).to_contain_text("孙芳")
    expect(page.locator("[data-testid=holder]")).to_have_text("渝中区人才服务中心")
    page.select_option("[data-testid=dispatch-form] #f-to_custodian", "FL-RC")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=dispatch]")
    expect(page.locator("[data-testid=notice]")).to_contain_text("档案已转出")
    expect(page.locator("[data-testid=transfers]")).to_contain_text("在途（待接收）")
    expect(page.locator("[data-testid=receive-form]")).to_have_count(0)
    shot(page, tmp_path, "personnelfile-1-dispatched.png")

    sign_in_page(page, site.url, "fl-dangan")
    page.goto(site.url + "/talent/files")
    row = page.locator("[data-testid=transfer-list] tbody tr").first
    expect(row).to_contain_text("孙芳")
    expect(row).to_contain_text("涪陵区人才服务中心")
    shot(page, tmp_path, "personnelfile-2-in-transit.png")
    row.locator("a").click()
    page.click("[data-testid=receive]")
    expect(page.locator("[data-testid=notice]")).to_contain_text("已确认接收")
    expect(page.locator("[data-testid=holder]")).to_have_text("涪陵区人才服务中心")
    expect(page.locator("[data-testid=transfers]")).to_contain_text("已接收")
    shot(page, tmp_path, "personnelfile-3-received.png")

    sign_in_page(page, site.url, "talent-sun")
    page.goto(site.url + "/my/talent/file")
    expect(page.locator("[data-testid=my-holder]")).to_have_text("涪陵区人才服务中心")
    expect(page.locator("[data-testid=my-transfers]")).to_contain_text("已接收")
