"""The workbench's to-do list (待办事项) in headless Chromium, as each role that acts
sees it: every row's count equals the total of the page it opens, overdue rows come first
in red, and a role that only reads sees no work it cannot do. At 390 px the rows stay
within the screen.

The app runs on a database of its own (``<db>_e2e_workbench`` or a temporary SQLite file).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from minsheng.ecology.restoration import service as restoration
from minsheng.ecology.restoration.schemas import PlanCreate
from minsheng.hrss.labour import service as labour
from minsheng.hrss.labour.schemas import DisputeCreate
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.factories import ecology as h
from tests.factories.unemployment import claim, insured
from tests.live import e2e_database, open_page, playwright_or_skip, serve_on, shot, sign_in_page

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()
expect = sync_api.expect

DISTRICT = "500103"  # 渝中区


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "workbench")
    with factory.begin() as session:
        f.staff(session, "clerk", DISTRICT, username="wb_clerk")
        f.staff(session, "case_officer", DISTRICT, username="wb_officer")
        f.staff(session, "statistician", DISTRICT, username="wb_statistician")
        f.staff(session, "nr_officer", "500102", username="wb_nr")
        employer = f.employer(session, region=DISTRICT)
        for _ in range(2):
            claim(session, insured(session, employer=employer, region=DISTRICT)[0],
                  date(2020, 1, 6), approve=False)
        person = f.person(session)
        for received in (date(2025, 6, 2), date.today()):
            labour.disputes.apply(session, SYSTEM, DisputeCreate(
                applicant_person_id=person.id, employer_id=employer.id, claim_type="wages",
                received_on=received))
        for n, deadline in enumerate([date(2020, 1, 1), date(2099, 1, 1)]):
            lon, lat = h.offset(h.LON0, h.LAT0, 0, 1_000 * n)
            mine = h.mine(session, status="abandoned", name=f"待修复矿{n}",
                          geometry=h.polygon(h.square(lon, lat, 300.0)))
            restoration.file_plan(session, SYSTEM, PlanCreate(
                mine_id=mine.id, mode="engineered", target_land_use="forest",
                planned_area_ha=Decimal("5"), budget=Decimal("100000"), deadline=deadline))
    with serve_on(url, engine, factory) as base:
        yield base


def _todo_then_its_page(page: Any, key: str, total_testid: str) -> int:
    row = page.get_by_test_id(f"todo-{key}")
    expect(row).to_be_visible()
    count = int((row.get_by_test_id("todo-count").text_content() or "").replace(",", ""))
    row.locator("a").click()
    expect(page.get_by_test_id(total_testid)).to_have_text(str(count))
    page.go_back()
    return count


@pytest.mark.parametrize(("username", "expected"), [
    ("wb_clerk", {"unemployment.claims": ("claim-count", 2)}),
    ("wb_officer", {"labour.disputes": ("list-total", 2)}),
    ("wb_nr", {"restoration.plans": ("plan-count", 2)}),
])
def test_each_to_do_opens_the_list_it_counts(browser: Any, site: str, tmp_path: Path,
                                              username: str,
                                              expected: dict[str, tuple[str, int]]) -> None:
    with open_page(browser) as page:
        sign_in_page(page, site, username)
        expect(page.get_by_test_id("todo")).to_contain_text("待办事项")
        shot(page, tmp_path, f"workbench-{username}.png")
        for key, (testid, count) in expected.items():
            assert _todo_then_its_page(page, key, testid) == count


def test_overdue_work_comes_first_in_red(browser: Any, site: str) -> None:
    with open_page(browser) as page:
        sign_in_page(page, site, "wb_officer")
        first = page.locator(".todo-item").first
        expect(first).to_have_class("todo-item is-overdue")
        expect(first).to_contain_text("已逾期 1 件")
        color = first.locator(".todo-count").evaluate("e => getComputedStyle(e).color")
        assert color == "rgb(180, 35, 24)"  # --bad


def test_a_role_that_only_reads_has_no_work_it_cannot_do(browser: Any, site: str) -> None:
    with open_page(browser) as page:
        sign_in_page(page, site, "wb_statistician")
        # Only the statistician's own work, the plan targets; none of the clerk's cases.
        rows = page.locator(".todo-item")
        expect(rows.first).to_contain_text(f"{date.today().year}年规划目标待设定")
        for i in range(rows.count()):
            expect(rows.nth(i)).to_contain_text("年规划目标待设定")


def test_on_a_phone_every_row_stays_on_screen(browser: Any, site: str, tmp_path: Path) -> None:
    with open_page(browser, width=390, height=844) as page:
        sign_in_page(page, site, "wb_clerk")
        rows = page.locator(".todo-item")
        expect(rows.first).to_be_visible()
        for i in range(rows.count()):
            box = rows.nth(i).bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        shot(page, tmp_path, "workbench-phone.png")
