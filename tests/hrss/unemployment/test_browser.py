"""Unemployment insurance in headless Chromium: a citizen registers as unemployed and
claims benefit, a clerk approves the claim, the month's payroll runs and the citizen sees
the payments; an administrator computes the year's job-stabilisation refunds, a reviewer
approves them and the employer sees its refund status.

The app runs on a database of its own (``<db>_e2e_unemployment`` or a temporary SQLite
file): the payroll commits range by range, so its rows must not reach the other tests'
rolled-back database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.insurance.models import Contribution
from minsheng.hrss.insurance.service import assessment
from minsheng.hrss.unemployment import service as unemployment
from minsheng.hrss.unemployment.refunds import service as refunds
from minsheng.platform.months import add_months, label, month_of
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.live import e2e_database, playwright_or_skip, seed, serve_on, shot, sign_in_page

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()

expect = sync_api.expect
THIS_MONTH = month_of(date.today())
#: The policy year the refund page opens on, and the contribution year it refunds.
POLICY_YEAR = min(date.today().year, 2025)
CONTRIBUTION_YEAR = POLICY_YEAR - 1


@dataclass
class Site:
    url: str
    factory: sessionmaker[Session]
    refund: Decimal


def _pay_year(session: Session, employer_id: int, year: int) -> None:
    for m in range(1, 13):
        period = year * 100 + m
        assessment._stage_rules(session, period, "")
        insurance.assess_batch(session, period=period, prefix="", low=0, high=2**31 - 1,
                               run_id=None)
        due = session.scalar(select(func.sum(Contribution.employer_amount
                                             + Contribution.personal_amount))
                             .where(Contribution.employer_id == employer_id,
                                    Contribution.period == period,
                                    Contribution.status == "due"))
        insurance.pay_employer(session, SYSTEM, employer_id, label(period),
                               Decimal(str(due)).quantize(Decimal("0.01")))


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """渝中区: clerk ``wangfang``, reviewer ``fuhe``, administrator ``fafang``; citizen
    ``citizen-lin`` (林晓, insured 2015-01 until two months ago, 重庆山城稳岗有限公司); the
    firm's account ``employer-wengang``; the firm's 4 staff paid all of the contribution
    year; another resident, 何明, with a claim waiting for approval."""
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "unemployment")
    with factory.begin() as session:
        seed(session)
        f.contribution_rule(session, valid_from="2015-01")
        f.staff(session, "reviewer", "500103", username="fuhe", display_name="复核员周敏")
        f.staff(session, "admin", "", username="fafang", display_name="管理员刘敏")
        firm = f.employer(session, name="重庆山城稳岗有限公司")
        lin = f.person(session, name="林晓")
        f.enrolment(session, lin.id, "unemployment", employer_id=firm.id,
                    start_month="2015-01", end_month=label(add_months(THIS_MONTH, -2)))
        security.add_user(session, actor=SYSTEM, username="citizen-lin", role="citizen",
                          password=f.PASSWORD, person_id=lin.id, display_name="林晓")
        security.add_user(session, actor=SYSTEM, username="employer-wengang", role="employer",
                          password=f.PASSWORD, employer_id=firm.id, display_name=firm.name)
        staff = []
        for wage in ("6100.00", "7300.50", "8800.00", "9999.99"):
            worker = f.person(session)
            f.enrolment(session, worker.id, "unemployment", employer_id=firm.id,
                        start_month=f"{CONTRIBUTION_YEAR}-01",
                        end_month=f"{CONTRIBUTION_YEAR}-12", declared_wage=Decimal(wage))
            staff.append(worker.id)
        _pay_year(session, firm.id, CONTRIBUTION_YEAR)
        paid = Decimal(str(session.scalar(select(func.sum(
            Contribution.employer_amount + Contribution.personal_amount)).where(
            Contribution.employer_id == firm.id, Contribution.scheme == "unemployment"))))
        rule = refunds.refund_rule(session, POLICY_YEAR)
        refund = (paid * rule.sme_share_ppm / 1_000_000).quantize(Decimal("0.01"),
                                                                  rounding=ROUND_HALF_UP)
        he = f.person(session, name="何明")
        f.enrolment(session, he.id, "unemployment", employer_id=firm.id, start_month="2018-01",
                    end_month="2023-12")
        unemployment.register_unemployed(session, SYSTEM, he.id,
                                         registered_date=date(2024, 1, 8),
                                         separation_reason="contract_expired")
        unemployment.submit_claim(session, SYSTEM, he.id, bank_account="6222000099998888",
                                  on=date(2024, 1, 8))
    with serve_on(url, engine, factory) as base:
        yield Site(base, factory, refund)


def test_citizen_registers_claims_and_sees_payments(site: Site, page: Any,
                                                    tmp_path: Path) -> None:
    base = site.url
    sign_in_page(page, base, "citizen-lin")
    page.click("text=失业保险金申领")
    expect(page.locator("h1")).to_have_text("失业保险")
    shot(page, tmp_path, "unemployment-1-citizen-start.png")
    page.select_option("#f-separation_reason", "dismissed")
    page.click("[data-testid=register]")
    expect(page.locator("[data-testid=notice]")).to_contain_text("失业登记已办理")
    expect(page.locator("[data-testid=registration-status]")).to_have_text("已登记失业")
    # Chongqing ladder: 2015-01 .. two months ago is over 10 years → at least 19 months.
    months = int(page.locator("[data-testid=preview-months]").inner_text())
    insured = (THIS_MONTH // 100 - 2015) * 12 + THIS_MONTH % 100 - 2
    expected = 24 if insured >= 180 else 16 + insured // 12 - 7
    assert months == expected
    page.fill("#f-bank_account", "6222000011112222")
    page.click("[data-testid=submit-claim]")
    expect(page.locator("[data-testid=notice]")).to_contain_text("申领已提交")
    expect(page.locator("[data-testid=claim-status]")).to_have_text("待审核")
    expect(page.locator("[data-testid=claim-amount]")).to_have_text("1,440.00")
    shot(page, tmp_path, "unemployment-2-citizen-claimed.png")

    sign_in_page(page, base, "wangfang")
    page.click("nav.sidenav >> text=失业保险")
    expect(page.locator("[data-testid=count-pending]")).to_have_text("2")
    shot(page, tmp_path, "unemployment-3-staff.png")
    row = page.locator("[data-testid=claim-row]", has_text="林晓")
    row.locator("[data-testid=approve]").click()
    expect(page.locator("[data-testid=notice]")).to_contain_text("已核准")
    expect(page.locator("[data-testid=count-active]")).to_have_text("1")
    expect(page.locator("[data-testid=claim-row]", has_text="林晓")).to_contain_text("领取中")

    result = unemployment.run_payroll(site.factory, SYSTEM, month=label(THIS_MONTH))
    # Registered this month: the benefit counts from registration, one month so far;
    # 何明's claim is still pending and pays nothing.
    assert result.payments == 1 and result.total == Decimal("1440.00")
    sign_in_page(page, base, "citizen-lin")
    page.goto(base + "/my/unemployment")
    rows = page.locator("[data-testid=payments] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("1,440.00")
    expect(rows.first).to_contain_text("已送盘")
    # The fund pays her medical insurance (社会保险法 art. 48): average wage 8,000.00 ×
    # 60 % = 4,800.00 × 10 % (the seeded Chongqing rule) = 480.00.
    expect(rows.first).to_contain_text("职工基本医疗保险费 480.00 元")
    shot(page, tmp_path, "unemployment-4-citizen-payments.png")


def test_benefit_until_retirement_shown_to_staff(site: Site, page: Any, tmp_path: Path) -> None:
    # 王守业, born 1965-04: 60 in 2025-04, k = 3, 3 // 4 + 1 = 1 month → retires 2025-05.
    # 13 months insured: Chongqing 3 months, 2024-11 … 2025-01; four months before his
    # retirement month, so 2025-02 … 2025-05 follow, with the pension contributions.
    with site.factory.begin() as session:
        wang = f.person(session, name="王守业",
                        resident_id=f.resident_id("500103", birth=date(1965, 4, 1)))
        firm = f.employer(session, name="重庆老厂机械有限公司")
        f.enrolment(session, wang.id, "unemployment", employer_id=firm.id,
                    start_month="2023-10", end_month="2024-10")
        unemployment.register_unemployed(session, SYSTEM, wang.id,
                                         registered_date=date(2024, 11, 8),
                                         separation_reason="mutual_by_employer")
        made = unemployment.submit_claim(session, SYSTEM, wang.id,
                                         bank_account="6222000055556666", on=date(2024, 11, 8))
        unemployment.decide_claim(session, SYSTEM, made.id, approve=True)
    result = unemployment.run_payroll(site.factory, SYSTEM, month=label(THIS_MONTH))
    assert result.payments == 3 + 4 and result.total == Decimal("10080.00")  # 7 × 1,440

    sign_in_page(page, base := site.url, "wangfang")
    page.goto(base + "/unemployment")
    row = page.locator("[data-testid=claim-row]", has_text="王守业")
    expect(row).to_contain_text("已领完")
    expect(row.locator("[data-testid=extended]")).to_have_text("延长至 2025-05 退休 · 已发 4 个月")
    # Pension contributions for the four months: 4,800.00 × 20 % = 960.00 × 4 = 3,840.00.
    pension = page.locator("[data-testid=fund-pension]")
    expect(pension).to_contain_text("3,840.00")
    expect(pension.locator("td").nth(1)).to_have_text("4")
    expect(page.locator("[data-testid=rate-check]").first).to_contain_text("1,440.00")
    shot(page, tmp_path, "unemployment-7-until-retirement.png")


def test_refunds_computed_approved_and_seen_by_the_employer(site: Site, page: Any,
                                                            tmp_path: Path) -> None:
    base = site.url
    sign_in_page(page, base, "fafang")
    page.goto(base + f"/unemployment/refunds?year={POLICY_YEAR}")
    page.click("[data-testid=compute]")
    expect(page.locator("[data-testid=notice]")).to_contain_text("稳岗返还已计算")
    row = page.locator("[data-testid=refund-row]", has_text="重庆山城稳岗有限公司")
    expect(row).to_contain_text(f"{site.refund:,.2f}")
    expect(row).to_contain_text("待复核")

    sign_in_page(page, base, "fuhe")
    page.goto(base + f"/unemployment/refunds?year={POLICY_YEAR}")
    expect(page.locator("[data-testid=compute]")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=approve-all]")
    expect(page.locator("[data-testid=notice]")).to_contain_text("复核结果已保存")
    expect(page.locator("[data-testid=refund-row]", has_text="重庆山城稳岗有限公司")) \
        .to_contain_text("已核准")
    shot(page, tmp_path, "unemployment-5-refunds.png")

    sign_in_page(page, base, "employer-wengang")
    page.goto(base + "/my/refunds")
    expect(page.locator("[data-testid=refund-amount]").first).to_have_text(f"{site.refund:,.2f}")
    expect(page.locator("[data-testid=refund-status]").first).to_contain_text("已核准")
    shot(page, tmp_path, "unemployment-6-employer.png")
