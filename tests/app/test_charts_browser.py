"""The chart kit in headless Chromium: every statistics page draws its charts (a canvas
with paint on it in each chart container), an administrator of the city seeing the
employment indicators, the coverage page, a payroll month and a refund year; the charts
follow the window's width. Screenshots go to the test's tmp folder.

The app runs on a database of its own (``<db>_e2e_charts`` or a temporary SQLite file).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from minsheng.hrss.employment import service as employment
from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.pension.models import PensionPayment, PensionPayrollRun
from minsheng.hrss.unemployment.models import JobStabilisationRefund
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.factories.employment import register_unemployed
from tests.live import (
    chart_painted,
    e2e_database,
    open_page,
    playwright_or_skip,
    seed,
    serve_on,
    shot,
    sign_in_page,
)

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()
expect = sync_api.expect

ADMIN = "tongji"


def _employment(session: Session) -> None:
    """2024 in 渝中区: four people placed over the year, two graduates (one placed), one
    registered unemployed, one insured employee."""
    clerk = f.staff(session, "clerk", "500103")
    people = [f.person(session, name=f"就业{n}") for n in range(6)]
    register_unemployed(session, people[0], date(2024, 2, 1))
    for person, day in ((people[0], date(2024, 3, 10)), (people[1], date(2024, 5, 20)),
                        (people[2], date(2024, 8, 1))):
        employment.record_placement(session, clerk, person.id, on=day, region="500103")
    for person in people[2:4]:
        employment.add_to_key_group(session, clerk, person.id, "graduate",
                                    graduation_year=2024, since=date(2024, 7, 1))
    register_unemployed(session, people[4], date(2024, 6, 1))
    f.enrolment(session, people[5].id, start_month="2020-01")


def _coverage(session: Session) -> None:
    """Two of the seeded residents enrolled, and three poverty-registered people in two
    districts."""
    yuzhong = [f.person(session, residence_region="500103") for _ in range(2)]
    kaizhou = f.person(session, residence_region="500154")
    f.enrolment(session, yuzhong[0].id, "resident_pension", start_month="2021-01")
    f.enrolment(session, yuzhong[1].id, "employee_pension", start_month="2021-01")
    for person in (*yuzhong, kaizhou):
        insurance.designate(session, SYSTEM, person.id, "poverty_registered",
                            date(2020, 1, 1))


def _payroll(session: Session) -> None:
    """A finished 2024-06 pension payroll: payments in 渝中区, 沙坪坝区 and 开州区."""
    for region, amount in (("500103", "3000.00"), ("500103", "2500.50"),
                           ("500106", "4100.00"), ("500154", "1800.00")):
        person = f.person(session, residence_region=region)
        session.add(PensionPayment(person_id=person.id, kind="regular", award_id=1,
                                   benefit_month=202406, payroll_month=202406,
                                   amount=Decimal(amount), region=region, status="sent"))
    session.add(PensionPayrollRun(payroll_month=202406, actor=ADMIN,
                                  finished_at=datetime(2024, 6, 20, tzinfo=UTC), payments=4,
                                  total_amount=Decimal("11400.50"), control_sum="0" * 64))


def _refunds(session: Session) -> None:
    """2022 refunds in three districts, by status."""
    for region, amount, status in (("500103", "5000.00", "computed"),
                                   ("500154", "1000.00", "computed"),
                                   ("500154", "2500.50", "approved"),
                                   ("500106", "300.00", "paid")):
        employer = f.employer(session, region=region)
        session.add(JobStabilisationRefund(
            year=2022, employer_id=employer.id, region=region,
            paid_amount=Decimal("10000.00"), paid_months=12,
            average_headcount=Decimal("3.00"), employees_covered=3, new_claimants=0,
            layoff_rate=Decimal("0"), size="sme", share_ppm=900_000, eligible=True,
            refusal=None, amount=Decimal(amount), status=status))


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "charts")
    with factory.begin() as session:
        seed(session)
        f.staff(session, "admin", "", username=ADMIN, display_name="统计管理员")
        _employment(session)
        _coverage(session)
        _payroll(session)
        _refunds(session)
    with serve_on(url, engine, factory) as base:
        yield base


@pytest.fixture(scope="module")
def admin_page(browser: Any, site: str) -> Iterator[Any]:
    with open_page(browser) as page:
        sign_in_page(page, site, ADMIN)
        yield page


def _all_painted(page: Any, ids: list[str]) -> None:
    for chart_id in ids:
        container = page.locator(f"#{chart_id}")
        expect(container).to_have_attribute("role", "img")
        expect(container).to_have_attribute("data-rendered", re.compile(r"^\d+$"))
        assert container.locator("canvas").count() >= 1, chart_id
        assert chart_painted(page, f"#{chart_id}"), f"{chart_id} is blank"


@pytest.mark.parametrize(("path", "ids", "name"), [
    ("/employment?year=2024", ["employment-counts", "employment-months", "unemployment-rate",
                               "graduates-rate", "fishers-rate"], "employment"),
    ("/insurance/coverage?year=2026", ["coverage-rate", "coverage-share",
                                       "poverty-districts"], "coverage"),
    ("/pension/payroll?month=2024-06", ["payroll-districts"], "payroll"),
    ("/unemployment/refunds?year=2022", ["refund-districts"], "refunds"),
])
def test_every_chart_of_the_page_is_drawn(admin_page: Any, site: str, tmp_path: Path,
                                          path: str, ids: list[str], name: str) -> None:
    admin_page.goto(site + path)
    _all_painted(admin_page, ids)
    shot(admin_page, tmp_path, f"charts-{name}.png")


def test_a_blank_canvas_is_not_a_drawn_chart(admin_page: Any, site: str) -> None:
    admin_page.goto(site + "/unemployment/refunds?year=2022")
    # Three districts: 渝中区 5,000.00, 开州区 3,500.50, 沙坪坝区 300.00.
    expect(admin_page.locator("#refund-districts")).to_have_attribute("data-rendered", "3")
    assert chart_painted(admin_page, "#refund-districts")
    admin_page.evaluate("""() => {
      const box = document.createElement("div");
      box.id = "blank-chart";
      box.appendChild(Object.assign(document.createElement("canvas"), {width: 80, height: 40}));
      document.body.appendChild(box);
    }""")
    assert not chart_painted(admin_page, "#blank-chart", timeout=500)
    assert not chart_painted(admin_page, "#no-such-chart", timeout=500)


def test_charts_follow_the_window_width(browser: Any, site: str) -> None:
    with open_page(browser, width=1366) as page:
        sign_in_page(page, site, ADMIN)
        page.goto(site + "/unemployment/refunds?year=2022")
        canvas = page.locator("#refund-districts canvas").first
        expect(page.locator("#refund-districts")).to_have_attribute("data-rendered", "3")
        wide = canvas.bounding_box()
        page.set_viewport_size({"width": 700, "height": 900})
        page.wait_for_function(
            "(w) => document.querySelector('#refund-districts canvas')"
            ".getBoundingClientRect().width < w", arg=wide["width"])
        narrow = canvas.bounding_box()
        assert narrow["width"] < wide["width"]
        assert chart_painted(page, "#refund-districts")
