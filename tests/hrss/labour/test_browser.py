"""Labour relations in headless Chromium: a worker applies for arbitration and complains
from the service hall; the case officer finds the application on the work-list (an
overdue case first, in red), accepts it and closes it; the worker sees the outcome under
the case number."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from minsheng.hrss.labour.schemas import DisputeCreate
from minsheng.hrss.labour.service import disputes
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
    uscc: str
    overdue_case: str


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """渝中区: case officer ``zhongcai``; worker ``worker-zhao`` (赵雷) of 重庆山城劳务有限公司;
    an application received 30 days ago and never decided (overdue)."""
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "labour")
    with factory.begin() as session:
        seed(session)
        f.staff(session, "case_officer", "500103", username="zhongcai",
                display_name="仲裁员陈静")
        firm = f.employer(session, name="重庆山城劳务有限公司")
        zhao = f.person(session, name="赵雷")
        security.add_user(session, actor=SYSTEM, username="worker-zhao", role="citizen",
                          password=f.PASSWORD, person_id=zhao.id, display_name="赵雷")
        old = disputes.apply(session, SYSTEM, DisputeCreate(
            applicant_person_id=f.person(session, name="钱多").id, employer_id=firm.id,
            claim_type="compensation", received_on=date.today() - timedelta(days=30)))
        site = Site("", firm.uscc, old.case_no)
    with serve_on(url, engine, factory) as base:
        site.url = base
        yield site


def test_a_worker_applies_and_the_officer_decides(site: Site, page: Any,
                                                  tmp_path: Path) -> None:
    sign_in_page(page, site.url, "worker-zhao")
    page.click("text=劳动保障投诉")
    expect(page.locator("h1")).to_have_text("劳动维权")
    page.fill("[data-testid=apply-form] #f-uscc", site.uscc)
    page.select_option("[data-testid=apply-form] #f-claim_type", "wages")
    page.fill("[data-testid=apply-form] #f-amount", "6800")
    page.click("[data-testid=apply]")
    expect(page.locator("[data-testid=notice]")).to_contain_text("五日内决定是否受理")
    row = page.locator("[data-testid=my-cases] tbody tr").first
    expect(row).to_contain_text("待受理")
    case_no = row.locator("td").first.inner_text()
    shot(page, tmp_path, "labour-1-worker-applied.png")

    sign_in_page(page, site.url, "zhongcai")
    page.click("nav.sidenav >> text=劳动关系")
    expect(page.locator("[data-testid=disputes-overdue]")).to_have_text("1")
    page.goto(site.url + "/labour/disputes")
    first = page.locator("[data-testid=dispute-list] tbody tr").first
    expect(first).to_contain_text(site.overdue_case)
    expect(first.locator("[data-overdue]")).to_contain_text("已超期")
    shot(page, tmp_path, "labour-2-worklist.png")
    page.click(f"text={case_no}")
    page.click("[data-testid=accept]")
    expect(page.locator("[data-testid=notice]")).to_contain_text("已办理")
    expect(page.locator("[data-testid=case-facts]")).to_contain_text("裁决期限")
    page.select_option("[data-testid=close-form] #f-outcome", "awarded")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=close]")
    expect(page.locator("h1")).to_contain_text(case_no)
    expect(page.locator("[data-testid=case-facts]")).to_contain_text("裁决结案")
    shot(page, tmp_path, "labour-3-closed.png")

    sign_in_page(page, site.url, "worker-zhao")
    page.goto(site.url + "/my/labour")
    expect(page.locator(f"[data-testid=case-{case_no}]")).to_contain_text("裁决结案")
