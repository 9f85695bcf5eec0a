"""Pensions in headless Chromium: an administrator runs the month's payroll and reads
its totals and the table by district; a citizen whose certification lapsed sees that
payment is suspended, certifies with the self-service face check and sees the next due
date; a clerk enters a home-visit certification from the due-list.

The app runs on a database of its own (``<db>_e2e_pension`` or a temporary SQLite
file): the payroll commits range by range through the session factory, as the batch
job does, so its rows must not reach the other tests' rolled-back database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.pension import service as pension
from minsheng.hrss.pension.models import PensionAward
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.models import Person
from minsheng.hrss.registry.schemas import PersonUpdate
from minsheng.platform.months import add_months, label, month_of
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.live import e2e_database, playwright_or_skip, seed, serve_on, shot, sign_in_page

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()

expect = sync_api.expect

TODAY = date.today()
THIS_MONTH = month_of(TODAY)


def _months_ago(months: int) -> date:
    period = add_months(THIS_MONTH, -months)
    return date(period // 100, period % 100, min(TODAY.day, 28))


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@dataclass
class PensionSite:
    url: str
    #: Active recipients by district: name → monthly amount in force this month.
    active: dict[str, dict[str, Decimal]]
    due_soon: str


def _recipient(session: Session, name: str, *, region: str = "500103",
               last_certified: date, wage: str = "8000.00") -> Person:
    person = f.recipient(session, region=region, last_certified=last_certified, wage=wage)
    return registry.update_person(session, SYSTEM, person.id,
                                  PersonUpdate(version=person.version, name=name))


def _total(session: Session, person_id: int) -> Decimal:
    award = session.scalars(select(PensionAward).where(PensionAward.person_id == person_id)
                            .order_by(PensionAward.version.desc())).first()
    assert award is not None
    return award.total_amount


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PensionSite]:
    """The app over HTTP on a fresh database: the seeded 渝中区 clerk ``wangfang``, an
    administrator ``fafang``, four recipients in 渝中区 and two in 沙坪坝区 (one of them
    poverty-registered), one due within the month, and ``citizen-lapsed``: a recipient
    whose certification lapsed two months ago, suspended."""
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "pension")
    with factory.begin() as session:
        seed(session)
        f.contribution_rule(session)
        f.staff(session, "admin", "", username="fafang", display_name="发放专员刘敏")
        active: dict[str, dict[str, Decimal]] = {"渝中区": {}, "沙坪坝区": {}}
        for name, wage in (("王德明", "8000.00"), ("刘桂芳", "12000.00"), ("陈国华", "6000.00")):
            person = _recipient(session, name, last_certified=_months_ago(5), wage=wage)
            active["渝中区"][name] = _total(session, person.id)
        due_soon = _recipient(session, "赵秀兰", last_certified=_months_ago(11))
        active["渝中区"][due_soon.name] = _total(session, due_soon.id)
        for name in ("孙志强", "周玉梅"):
            person = _recipient(session, name, region="500106", last_certified=_months_ago(4))
            active["沙坪坝区"][name] = _total(session, person.id)
        insurance.designate(session, SYSTEM, person.id,  # 周玉梅
                            "poverty_registered", date(2016, 1, 1))
        lapsed = _recipient(session, "钱文斌", last_certified=_months_ago(14))
        pension.suspend_lapsed(session, month=THIS_MONTH)
        security.add_user(session, actor=SYSTEM, username="citizen-lapsed", role="citizen",
                          password=f.PASSWORD, person_id=lapsed.id, display_name=lapsed.name)
        for name, start in (("吴建军", "2010-01"), ("郑丽华", "1990-01")):
            worker = f.person(session, name=name,
                              resident_id=f.resident_id("500103", date(1960, 1, 10)))
            f.enrolment(session, worker.id, start_month=start, end_month="2019-12",
                        declared_wage=Decimal("8000.00"))
        seeded = PensionSite("", active, due_soon.name)
    with serve_on(url, engine, factory) as base:
        seeded.url = base
        yield seeded


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def test_admin_runs_the_payroll_and_reads_the_totals(
    site: PensionSite, page: Any, tmp_path: Path
) -> None:
    base = site.url
    sign_in_page(page, base, "fafang")
    page.click(".sidenav >> text=养老待遇")
    expect(page.locator("h1")).to_have_text("养老待遇")
    expect(page.get_by_test_id("count-active")).to_have_text("6")
    expect(page.get_by_test_id("count-suspended")).to_have_text("1")
    due = page.get_by_test_id("due-list-table")
    expect(due.locator("tr.row-bad")).to_contain_text("钱文斌")
    expect(due.locator("tr", has_text=site.due_soon)).to_contain_text("第11个月")
    shot(page, tmp_path, "pension-landing.png")

    page.get_by_test_id("payroll-link").click()
    expect(page.locator("h1")).to_have_text("养老金发放")
    page.fill("#f-month", label(THIS_MONTH))
    # Dismissing the confirmation submits nothing: no run, still on the form.
    questions: list[str] = []

    def dismiss(dialog: Any) -> None:
        questions.append(dialog.message)
        dialog.dismiss()

    before = page.url
    page.once("dialog", dismiss)
    page.get_by_test_id("run-button").click()
    expect(page).to_have_url(before)
    expect(page.get_by_test_id("payroll-totals")).to_have_count(0)
    assert questions and "6 名正常发放人员" in questions[0]
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("run-button").click()
    expect(page).to_have_url(re.compile(rf"/pension/payroll\?month={label(THIS_MONTH)}"))
    # The run finishes after the response; the page follows it until the totals come.
    totals = page.get_by_test_id("payroll-totals")
    expect(totals).to_be_visible(timeout=30_000)
    everyone = {**site.active["渝中区"], **site.active["沙坪坝区"]}
    expect(page.get_by_test_id("run-payments")).to_have_text(str(len(everyone)))
    expect(page.get_by_test_id("run-total")).to_have_text(_money(sum(everyone.values(),
                                                                     Decimal(0))))
    expect(page.get_by_test_id("control-sum")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    districts = page.get_by_test_id("by-district")
    for district, people in site.active.items():
        row = districts.locator("tbody tr", has_text=district)
        expect(row).to_contain_text(str(len(people)))
        expect(row).to_contain_text(_money(sum(people.values(), Decimal(0))))
    expect(page.get_by_test_id("district-total")).to_have_text(
        _money(sum(everyone.values(), Decimal(0))))
    expect(page.get_by_test_id("csv-link")).to_have_attribute(
        "href", f"/api/v1/pension/payroll/{label(THIS_MONTH)}/disbursement.csv")
    expect(page.get_by_test_id("runs").locator("tbody tr")).to_have_count(1)
    shot(page, tmp_path, "pension-payroll.png")

    page.goto(base + "/pension/poverty?month=" + label(THIS_MONTH))
    expect(page.get_by_test_id("poverty-table")).to_contain_text("沙坪坝区")
    expect(page.get_by_test_id("total-benefit-rate")).to_have_text("100.00%")
    shot(page, tmp_path, "pension-poverty.png")


def test_lapsed_citizen_certifies_by_face_check(
    site: PensionSite, page: Any, tmp_path: Path
) -> None:
    sign_in_page(page, site.url, "citizen-lapsed")
    expect(page.locator("h1")).to_have_text("网上服务大厅")
    page.click(".quick-item >> text=我的养老金")
    expect(page.locator("h1")).to_have_text("我的养老金")
    expect(page.get_by_test_id("suspended-alert")).to_contain_text("已暂停")
    expect(page.get_by_test_id("countdown")).to_contain_text("已逾期")
    expect(page.get_by_test_id("simulated-note")).to_contain_text("模拟")
    shot(page, tmp_path, "pension-citizen-suspended.png")

    page.get_by_test_id("face-check").click()
    expect(page.get_by_test_id("notice")).to_contain_text("认证成功")
    expect(page.get_by_test_id("notice")).to_contain_text("恢复发放")
    expect(page.get_by_test_id("suspended-alert")).to_have_count(0)
    next_due = _a_year_after(TODAY)
    expect(page.get_by_test_id("next-due")).to_have_text(next_due.isoformat())
    expect(page.get_by_test_id("days-left")).to_have_text(str((next_due - TODAY).days))
    expect(page.get_by_test_id("last-certified")).to_have_text(TODAY.isoformat())
    expect(page.get_by_test_id("my-certifications")).to_contain_text("自助人脸识别认证")
    shot(page, tmp_path, "pension-citizen-certified.png")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    expect(page.get_by_test_id("monthly-amount")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, tmp_path, "pension-citizen-phone.png")


def test_clerk_enters_a_home_visit_from_the_due_list(
    site: PensionSite, page: Any, tmp_path: Path
) -> None:
    sign_in_page(page, site.url, "wangfang")
    page.click(".sidenav >> text=养老待遇")
    page.get_by_test_id("due-list-table").locator("tr", has_text=site.due_soon) \
        .locator("text=登记认证").click()
    expect(page.locator("h1")).to_contain_text(site.due_soon)
    page.select_option("#f-method", "home_visit")
    page.fill("#f-on", _a_year_after(TODAY).isoformat())
    page.fill("#f-evidence", "社区网格员上门走访")
    page.get_by_test_id("certify-form").locator("button[type=submit]").click()
    expect(page.locator("#on-error")).to_have_text("认证日期不能晚于今天")
    expect(page.locator("#f-evidence")).to_have_value("社区网格员上门走访")
    shot(page, tmp_path, "pension-person-error.png")
    page.fill("#f-on", TODAY.isoformat())
    page.get_by_test_id("certify-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("notice")).to_contain_text("认证已登记")
    expect(page.get_by_test_id("certification-due")).to_have_text(
        _a_year_after(TODAY).isoformat())
    expect(page.get_by_test_id("certifications")).to_contain_text("社区网格员上门走访")
    expect(page.get_by_test_id("payments")).to_contain_text("已送盘")
    shot(page, tmp_path, "pension-person.png")


def test_award_refused_for_missing_months_then_granted(
    site: PensionSite, page: Any, tmp_path: Path
) -> None:
    """Runs last: it puts one more person in payment."""
    sign_in_page(page, site.url, "fafang")
    for name, start_years in (("吴建军", 10), ("郑丽华", 30)):
        page.goto(site.url + "/pension?q=" + name)
        page.get_by_test_id("person-results").locator(f"a >> text={name}").first.click()
        expect(page.get_by_test_id("not-recipient")).to_be_visible()
        page.fill("#f-retirement_date", "2020-01-31")
        page.fill("#f-bank_account", "6222000099998888")
        page.get_by_test_id("award-form").locator("button[type=submit]").click()
        if start_years < 15:  # 120 months of the 180 needed
            expect(page.get_by_test_id("missing-months")).to_contain_text("尚缺 60 个月")
            expect(page.locator("#f-bank_account")).to_have_value("6222000099998888")
            shot(page, tmp_path, "pension-award-missing.png")
        else:
            expect(page.get_by_test_id("notice")).to_contain_text("养老待遇已核定")
            expect(page.get_by_test_id("awards")).to_contain_text("2,400.00")
            expect(page.get_by_test_id("recipient")).to_contain_text("2020-02")
            shot(page, tmp_path, "pension-award-granted.png")
