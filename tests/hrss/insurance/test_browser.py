"""End to end in headless Chromium: an employer hires a registered person through the
增员 form, the month is assessed, the employer sees the bill and pays it; the employee
then reads their contributions in the service hall, and the clerk and the statistician
open their insurance pages.

The server runs on a database of its own (not the shared live server's), because the
test assesses a month there with a session factory of its own, as the monthly batch
does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.insurance import service
from minsheng.platform.months import add_months, label, month_of
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.live import (
    SeededPerson,
    e2e_database,
    playwright_or_skip,
    seed,
    serve_on,
    shot,
    sign_in_page,
)

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()

expect = sync_api.expect

EMPLOYER_NAME = "重庆山城机电有限公司"


@dataclass
class InsuranceServer:
    url: str
    factory: sessionmaker[Session]
    employer_id: int
    worker: SeededPerson


@pytest.fixture(scope="module")
def insurance_server(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[InsuranceServer]:
    """The app over HTTP on a fresh database: the seeded 渝中区 residents and clerk, a
    contribution rule, an employer (work-injury risk class 2) with its account
    ``hr-shancheng``, the account ``citizen-liu`` of the resident to be hired, and a
    statistician ``tongji``."""
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "insurance")
    with factory.begin() as session:
        _, people = seed(session)
        f.contribution_rule(session)
        employer = f.employer(session, name=EMPLOYER_NAME, industry="C",
                              work_injury_risk_class=2)
        worker = people[3]
        security.add_user(session, actor=SYSTEM, username="hr-shancheng", role="employer",
                          password=f.PASSWORD, employer_id=employer.id,
                          display_name="山城机电人事部")
        security.add_user(session, actor=SYSTEM, username="citizen-liu", role="citizen",
                          password=f.PASSWORD, person_id=worker.id, display_name=worker.name)
        f.staff(session, "statistician", "500103", username="tongji", display_name="统计员小陈")
        employer_id = employer.id
    with serve_on(url, engine, factory) as base:
        yield InsuranceServer(base, factory, employer_id, worker)


def _sign_out(page: Any) -> None:
    page.click("text=退出登录")
    expect(page).to_have_url(re.compile(r"/login$"))


def test_employer_hires_is_billed_and_pays(
    insurance_server: InsuranceServer, page: Any, tmp_path: Path
) -> None:
    base = insurance_server.url
    worker = insurance_server.worker
    month = label(add_months(month_of(date.today()), -1))  # last month: due, not in arrears

    # The employer signs in to the hall and opens 增员.
    sign_in_page(page, base, "hr-shancheng")
    expect(page.locator("h1")).to_have_text("网上服务大厅")
    page.click(".quick-item >> text=增员")
    expect(page.locator("h1")).to_have_text(EMPLOYER_NAME)
    expect(page.get_by_test_id("employee-total")).to_have_text("0")

    # An unregistered ID is refused next to the field; the typed values stay.
    page.fill("#f-resident_id", f.resident_id("500103"))
    page.fill("#f-start_month", month)
    page.fill("#f-declared_wage", "6500")
    page.click("[data-testid=hire-form] button[type=submit]")
    expect(page.locator("#resident_id-error")).to_contain_text("请先办理人员登记")
    expect(page.locator("#f-declared_wage")).to_have_value("6500")
    shot(page, tmp_path, "insurance-employer-hire-error.png")

    # The registered resident is hired into the three employee schemes.
    page.fill("#f-resident_id", worker.resident_id)
    page.click("[data-testid=hire-form] button[type=submit]")
    expect(page.get_by_test_id("notice")).to_contain_text("增员成功")
    roster = page.get_by_test_id("employees")
    expect(roster.locator("tbody tr")).to_have_count(1)
    expect(roster).to_contain_text(worker.name)
    expect(roster).to_contain_text("职工基本养老保险、失业保险、工伤保险")
    expect(roster).to_contain_text(worker.resident_id[:4] + "**********")
    expect(page.get_by_test_id("bill")).to_contain_text("尚未核定")

    # The monthly batch assesses last month (as `minsheng contributions assess` does).
    run = service.assess_month(insurance_server.factory, SYSTEM, month=month,
                               region_prefix="500103")
    assert run.inserted_rows == 3

    # 6,500 lies inside [4,800, 24,000]: pension 16 % + 8 %, unemployment 0.5 % + 0.5 %,
    # work injury class 2 at 0.4 %: 1,040 + 520 + 32.50 + 32.50 + 26 = 1,651.00.
    page.reload()
    bill = page.get_by_test_id("bill")
    expect(bill).to_contain_text(month)
    expect(bill).to_contain_text("待缴")
    expect(page.get_by_test_id("pay-amount")).to_have_text("¥ 1,651.00")
    expect(bill.locator("tbody tr")).to_have_count(3)
    expect(bill.locator("tfoot")).to_contain_text("1,098.50")  # employer: 1,040 + 32.50 + 26
    expect(bill.locator("tfoot")).to_contain_text("552.50")  # personal: 520 + 32.50
    shot(page, tmp_path, "insurance-employer-bill.png")
    questions: list[str] = []

    def accept(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.click("[data-testid=pay-form] button[type=submit]")
    expect(page.get_by_test_id("notice")).to_contain_text("缴费成功")
    assert questions and "¥ 1,651.00" in questions[0]
    expect(page.get_by_test_id("bill")).to_contain_text("已缴")
    expect(page.get_by_test_id("bill")).to_contain_text(f"{month} 费用已全部缴清")
    expect(page.get_by_test_id("outstanding")).to_have_text("0.00")
    shot(page, tmp_path, "insurance-employer-paid.png")
    _sign_out(page)

    # The employee reads their contributions in the hall: three schemes, all paid.
    sign_in_page(page, base, "citizen-liu")
    page.click(".quick-item >> text=缴费记录")
    expect(page.locator("h1")).to_have_text("我的参保缴费")
    expect(page.get_by_test_id("enrolments")).to_contain_text(EMPLOYER_NAME)
    table = page.get_by_test_id("contributions-table")
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(table.locator("tbody")).to_contain_text("6,500.00")
    expect(table.locator("tbody")).not_to_contain_text("待缴")
    expect(table.locator("tbody .badge-ok")).to_have_count(3)
    expect(table.locator("tfoot")).to_contain_text("552.50")
    expect(page.get_by_test_id("year-totals")).to_contain_text("1,098.50")
    expect(page.get_by_test_id("certificate-link")).to_have_attribute(
        "href", f"/api/v1/persons/{worker.id}/certificate.pdf")
    shot(page, tmp_path, "insurance-citizen.png")
    _sign_out(page)

    # The clerk at the counter sees the same record, and the employer's account.
    sign_in_page(page, base, "wangfang")
    page.click(".sidenav >> text=参保缴费")
    page.fill("#q", worker.name)
    page.click("form[role=search]:has(#q) button")
    page.click(f"a.strong-link >> text={worker.name}")
    expect(page.locator("h1")).to_contain_text(worker.name)
    expect(page.get_by_test_id("enrolments").locator("tbody tr")).to_have_count(3)
    expect(page.get_by_test_id("contributions-table").locator("tbody tr")).to_have_count(3)
    shot(page, tmp_path, "insurance-clerk-person.png")
    page.get_by_test_id("enrolments").locator(f"a >> text={EMPLOYER_NAME}").first.click()
    expect(page.get_by_test_id("employee-total")).to_have_text("1")
    shot(page, tmp_path, "insurance-clerk-employer.png")
    _sign_out(page)

    # The statistician: coverage of 渝中区 and the work-list of those not enrolled.
    sign_in_page(page, base, "tongji")
    page.goto(base + "/insurance/coverage")
    expect(page.get_by_test_id("enrolled")).to_have_text("1")
    expect(page.get_by_test_id("worklist").locator("tbody tr")).not_to_have_count(0)
    shot(page, tmp_path, "insurance-coverage.png")
