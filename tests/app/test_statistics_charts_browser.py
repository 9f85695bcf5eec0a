"""The statistics pages' charts in headless Chromium, on the demo city: each page signed in
as a role that may see it, screenshot to the test's tmp folder, every chart canvas painted
(not blank), and each chart's data the same figures as the page's own table or figures,
both read from the page in the browser (nothing here is written twice).

Pages: employment indicators, insurance coverage, the pension poverty report (三个100%),
the pension payroll month, the year's job-stabilisation refunds, and the scorecard
dashboard. The demo has no refunds computed, so a year of refund rows is added by hand.

The app runs on the shared demo site (``demo_site``: a database of its own, ``<db>_e2e_demo``
or a temporary SQLite file).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.app import demo
from minsheng.hrss.pension.models import PensionPayrollRun
from minsheng.hrss.unemployment.models import JobStabilisationRefund
from tests import factories as f
from tests.live import (
    DemoSite,
    chart_data,
    chart_painted,
    open_page,
    playwright_or_skip,
    shot,
)

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()
expect = sync_api.expect

STATISTICIAN = "cq_statistician"   # 市局统计: employment, coverage, pension, refunds, scorecard
ADMIN = "admin"                    # the payroll page needs pension:payroll
REFUND_YEAR = 2022


@dataclass
class Site:
    url: str
    payroll_month: str


def _refunds(session: Session) -> None:
    """2022 refund rows in three districts and three statuses (one rejected and one not
    eligible, which the district figures leave out)."""
    for region, amount, status, eligible in (
            ("500103", "5000.00", "computed", True), ("500154", "1000.00", "computed", True),
            ("500154", "2500.50", "approved", True), ("500106", "300.00", "paid", True),
            ("500106", "999.00", "rejected", True), ("500103", "0.00", "computed", False)):
        employer = f.employer(session, region=region)
        session.add(JobStabilisationRefund(
            year=REFUND_YEAR, employer_id=employer.id, region=region,
            paid_amount=Decimal("10000.00"), paid_months=12,
            average_headcount=Decimal("3.00"), employees_covered=3, new_claimants=0,
            layoff_rate=Decimal("0"), size="sme", share_ppm=900_000, eligible=eligible,
            refusal=None if eligible else "layoff_rate", amount=Decimal(amount),
            status=status))


@pytest.fixture(scope="module")
def site(demo_site: DemoSite) -> Site:
    """The shared demo city, with a year of refunds added once."""
    with demo_site.factory.begin() as session:
        if not session.scalar(select(JobStabilisationRefund.id)
                              .where(JobStabilisationRefund.year == REFUND_YEAR).limit(1)):
            _refunds(session)
        month = session.scalar(select(PensionPayrollRun.payroll_month)
                               .where(PensionPayrollRun.finished_at.is_not(None))
                               .order_by(PensionPayrollRun.payroll_month.desc()).limit(1))
    assert month is not None, "the demo runs pension payrolls"
    return Site(demo_site.url, f"{month // 100}-{month % 100:02d}")


def _sign_in(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/login")
    page.fill("#f-username", username)
    page.fill("#f-password", demo.DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".topbar")


@pytest.fixture(scope="module")
def statistician(browser: Any, site: Site) -> Iterator[Any]:
    with open_page(browser) as page:
        _sign_in(page, site.url, STATISTICIAN)
        yield page


@pytest.fixture(scope="module")
def admin(browser: Any, site: Site) -> Iterator[Any]:
    with open_page(browser) as page:
        _sign_in(page, site.url, ADMIN)
        yield page


# --- reading the page ------------------------------------------------------------------


def number(text: str) -> float | None:
    """A figure as the page writes it (``1,234.50``, ``98.50%``, ``1,234``) as a number;
    ``—`` (nobody counted) as ``None``."""
    text = text.strip().removesuffix("%").replace(",", "").strip()
    return None if text in ("—", "") else float(text)


def cells(page: Any, selector: str) -> list[list[str]]:
    """The text of each body row's cells (th and td) of the table ``selector``."""
    result: list[list[str]] = page.eval_on_selector(selector, """(table) =>
      Array.from(table.tBodies[0].rows, (row) =>
        Array.from(row.cells, (cell) => cell.textContent.trim()))""")
    return result


def column(rows: list[list[str]], index: int) -> list[float | None]:
    return [number(row[index]) for row in rows]


def text_of(page: Any, testid: str) -> str:
    return str(page.get_by_test_id(testid).text_content()).strip()


def charts_on(page: Any) -> list[str]:
    """The ids of every chart container on the page."""
    ids: list[str] = page.eval_on_selector_all(
        "[data-chart]", "(els) => els.map((el) => el.id)")
    return ids


def assert_painted(page: Any, expected: set[str]) -> None:
    """Every chart on the page, at least ``expected``, drawn: labelled in Chinese for a
    screen reader, rendered, and a canvas with paint on it."""
    ids = charts_on(page)
    assert expected <= set(ids), (expected, ids)
    for chart_id in ids:
        container = page.locator(f"#{chart_id}")
        expect(container).to_have_attribute("role", "img")
        label = container.get_attribute("aria-label") or ""
        assert re.search(r"[\u4e00-\u9fff]", label), (chart_id, label)
        expect(container).to_have_attribute("data-rendered", re.compile(r"^\d+$"))
        assert chart_painted(page, f"#{chart_id}"), f"{chart_id} is blank"


# --- the pages -------------------------------------------------------------------------


def test_employment_indicators(statistician: Any, site: Site, tmp_path: Path) -> None:
    page = statistician
    page.goto(site.url + "/employment")
    assert_painted(page, {"employment-counts", "employment-months", "unemployment-rate",
                          "graduates-rate", "fishers-rate"})
    shot(page, tmp_path, "employment.png")
    html = page.content()
    counts = chart_data(html, "employment-counts")
    assert counts["series"][0]["values"] == [
        number(text_of(page, testid))
        for testid in ("urban-new-employment", "unemployed-helped", "hard-to-employ-helped")]
    months = chart_data(html, "employment-months")
    table = cells(page, "[data-testid=employment-months-table]")
    assert months["categories"] == [f"{m}月" for m in range(1, 13)]
    assert months["series"][0]["values"] == [number(c) for c in table[0][1:]]
    for chart_id, testid in (("unemployment-rate", "unemployment-rate-value"),
                             ("graduates-rate", "graduates-rate-value"),
                             ("fishers-rate", "fishers-rate-value")):
        assert chart_data(html, chart_id)["value"] == number(text_of(page, testid)), chart_id


def test_insurance_coverage(statistician: Any, site: Site, tmp_path: Path) -> None:
    page = statistician
    page.goto(site.url + "/insurance/coverage")
    assert_painted(page, {"coverage-rate", "coverage-share", "poverty-districts"})
    shot(page, tmp_path, "coverage.png")
    html = page.content()
    rate = chart_data(html, "coverage-rate")
    assert rate["value"] == number(text_of(page, "rate")) and rate["target"] == 95
    enrolled, should = number(text_of(page, "enrolled")), number(text_of(page, "should-enrol"))
    assert enrolled is not None and should is not None
    share = chart_data(html, "coverage-share")["items"]
    assert [(s["name"], s["value"]) for s in share] == [("已参保", enrolled),
                                                         ("未参保", should - enrolled)]
    table = cells(page, "[data-testid=poverty-districts]")
    poverty = chart_data(html, "poverty-districts")
    assert poverty["categories"] == [row[0] for row in table]
    assert [s["name"] for s in poverty["series"]] == ["应参保", "已参保", "应缴费", "已缴费"]
    assert [s["values"] for s in poverty["series"]] == [column(table, i) for i in (1, 2, 3, 4)]


def test_pension_poverty_report(statistician: Any, site: Site, tmp_path: Path) -> None:
    page = statistician
    page.goto(site.url + "/pension/poverty")
    assert_painted(page, {"poverty-enrol", "poverty-pay", "poverty-benefit",
                          "poverty-district-rates"})
    shot(page, tmp_path, "poverty.png")
    html = page.content()
    for chart_id, testid in (("poverty-enrol", "total-enrol-rate"),
                             ("poverty-pay", "total-pay-rate"),
                             ("poverty-benefit", "total-benefit-rate")):
        dial = chart_data(html, chart_id)
        assert dial["value"] == number(text_of(page, testid)), chart_id
        assert dial["target"] == 100 and dial["unit"] == "%"
    table = cells(page, "[data-testid=poverty-table]")
    rates = chart_data(html, "poverty-district-rates")
    # The first cell is the name and the code (万州区 500101).
    assert rates["categories"] == [row[0].split()[0] for row in table]
    assert [s["name"] for s in rates["series"]] == ["应保尽保率", "应缴尽缴率", "应发尽发率"]
    assert [s["values"] for s in rates["series"]] == [column(table, i) for i in (3, 6, 9)]


def test_pension_payroll(admin: Any, site: Site, tmp_path: Path) -> None:
    page = admin
    page.goto(site.url + "/pension/payroll?month=" + site.payroll_month)
    assert_painted(page, {"payroll-districts", "payroll-counts"})
    shot(page, tmp_path, "payroll.png")
    html = page.content()
    table = cells(page, "[data-testid=by-district]")
    amounts, counts = chart_data(html, "payroll-districts"), chart_data(html, "payroll-counts")
    names = [row[0] for row in table]
    assert amounts["categories"] == names and counts["categories"] == names
    assert amounts["series"][0]["values"] == column(table, 3)
    assert counts["series"][0]["values"] == column(table, 2)


def test_job_stabilisation_refunds(statistician: Any, site: Site, tmp_path: Path) -> None:
    page = statistician
    page.goto(f"{site.url}/unemployment/refunds?year={REFUND_YEAR}")
    assert_painted(page, {"refund-districts"})
    shot(page, tmp_path, "refunds.png")
    table = cells(page, "[data-testid=refund-district-table]")
    chart = chart_data(page.content(), "refund-districts")
    assert chart["categories"] == [row[0] for row in table]
    assert [s["name"] for s in chart["series"]] == ["待复核", "已核准待拨付", "已拨付"]
    assert [s["values"] for s in chart["series"]] == [column(table, i) for i in (2, 3, 4)]
    # The rows by hand: 渝中区 5,000.00; 开州区 1,000.00 + 2,500.50 = 3,500.50; 沙坪坝区
    # 300.00 (the rejected 999.00 and the ineligible row left out); largest first.
    assert [(row[0], row[5]) for row in table] == [
        ("渝中区", "5,000.00"), ("开州区", "3,500.50"), ("沙坪坝区", "300.00")]


def test_scorecard_dashboard(statistician: Any, site: Site, tmp_path: Path) -> None:
    page = statistician
    page.goto(site.url + "/scorecard")
    indicators = page.locator("[data-testid=scorecard-table] tbody tr").count()
    assert indicators >= 1
    expect(page.get_by_test_id("trend")).to_have_count(indicators)
    expect(page.get_by_test_id("compare-chart")).to_have_count(1)
    ids = charts_on(page)
    gauges = page.get_by_test_id("gauge").count()
    assert len(ids) == gauges + 1 + indicators
    assert_painted(page, {"compare"})
    shot(page, tmp_path, "scorecard.png")
    html = page.content()
    # Each trend ends in the period's own year: its last value is the table's figure.
    for row in page.locator("[data-testid=scorecard-table] tbody tr").all():
        indicator = row.get_attribute("data-indicator")
        trend = chart_data(html, f"trend-{indicator}")
        value = number(str(row.get_by_test_id("value").text_content()))
        assert trend["series"][0]["values"][-1] == value, indicator
