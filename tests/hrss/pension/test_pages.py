"""Pension pages over HTTP: the staff landing and due-list, a recipient's page with the
certification and award forms, the payroll run page, the poverty report and the
citizen's "我的养老金" (the browser test drives the same pages in Chromium).

Data is built before the first request that writes: a page that refuses a form rolls
the request's savepoint back, and in these tests that session is the test's own.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.pension import service
from minsheng.hrss.pension.models import (
    PensionAward,
    PensionCertification,
    PensionPayment,
    PensionPayrollRun,
    PensionRecipient,
)
from minsheng.hrss.registry.models import Person
from minsheng.platform import ids
from minsheng.platform.months import add_months, label, month_of
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f
from tests.app.workbench import todos
from tests.exports import XLSX, last_export, sheet_rows
from tests.factories import resident
from tests.hrss.pension.test_payroll import _payroll
from tests.live import chart_data, sign_in

TODAY = date.today()
THIS_MONTH = month_of(TODAY)


def _citizen(session: Session, person: Person) -> Principal:
    user = security.add_user(session, actor=SYSTEM, username=f"citizen-{person.id}",
                             role="citizen", password=f.PASSWORD, person_id=person.id)
    return security.principal_of(user)


def _field_error(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error" role="alert">([^<]*)<', page)
    assert found is not None, f"no error shown next to {field}"
    return found.group(1)


def _a_year_after(day: date) -> date:
    """The same day next year (28 February for 29 February): 12 months on."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def add_months_day(day: date, months: int) -> date:
    """``months`` calendar months from ``day`` (day of month at most 28)."""
    period = add_months(month_of(day), months)
    return date(period // 100, period % 100, min(day.day, 28))


def _recipient(session: Session, *, region: str = "500103",
               last_certified: date | None = None) -> Person:
    """A recipient in payment since 2020-02 (``factories.recipient``), certified six
    months ago unless told otherwise."""
    return f.recipient(session, region=region,
                       last_certified=last_certified or add_months_day(TODAY, -6))


def _award_total(session: Session, person_id: int) -> Decimal:
    award = session.scalar(select(PensionAward).where(PensionAward.person_id == person_id)
                           .order_by(PensionAward.version.desc()).limit(1))
    assert award is not None
    return award.total_amount


def _suspend(session: Session, person: Person) -> None:
    """Lapse the person's certification and run last month's payroll: suspended."""
    row = session.get(PensionRecipient, person.id)
    assert row is not None
    row.last_certified_date = add_months_day(TODAY, -14)
    row.certification_due_date = _a_year_after(row.last_certified_date)
    session.flush()
    _payroll(session, add_months(THIS_MONTH, -1))
    session.refresh(row)
    assert row.status == "suspended"


class TestNavigation:
    def test_the_workbench_hall_and_person_page_link_to_the_pension_pages(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        retiree = _recipient(session)
        worker = f.person(session, name="在职者")
        citizen = _citizen(session, retiree)
        clerk = f.staff(session, "clerk", "500103")
        reviewer = f.staff(session, "reviewer", "500103")
        sign_in(client, clerk)
        assert 'href="/pension"' in client.get("/").text
        assert f'href="/pension/person/{retiree.id}"' in client.get(f"/persons/{retiree.id}").text
        assert "/pension/person/" not in client.get(f"/persons/{worker.id}").text
        sign_in(client, reviewer)  # may award: the award form is offered
        assert f'href="/pension/person/{worker.id}#award"' in client.get(
            f"/persons/{worker.id}").text
        sign_in(client, citizen)
        hall = client.get("/").text
        assert 'href="/my/pension"' in hall and 'href="/my/pension#certification"' in hall


class TestWorkbench:
    def test_certifications_due_wait_for_who_registers_them_with_the_due_lists_total(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        _recipient(session, last_certified=add_months_day(TODAY, -3))  # not due yet
        soon = _recipient(session, last_certified=add_months_day(TODAY, -11))
        _suspend(session, _recipient(session))
        _recipient(session, region="500106", last_certified=add_months_day(TODAY, -11))
        sign_in(client, f.staff(session, "clerk", "500103"))
        todo = todos(client.get("/").text)["pension.certification"]
        listed = client.get(todo.href.split("#")[0]).text
        total = re.search(r'data-testid="due-count">(\d+)<', listed)
        assert total is not None and todo.count == int(total.group(1)) == 2
        assert todo.overdue == 1  # the suspended one: its due date has passed
        due = session.get(PensionRecipient, soon.id)
        assert due is not None
        days = (due.certification_due_date - TODAY).days
        assert (f"最近一件 {days} 天后到期" in todo.text if days > 1
                else "最近一件" in todo.text)
        sign_in(client, f.staff(session, "reviewer", "500103"))  # reads, never certifies
        assert "pension.certification" not in todos(client.get("/").text)


class TestLanding:
    def test_counts_by_status_and_the_due_list_of_the_district(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        fresh = _recipient(session, last_certified=add_months_day(TODAY, -3))
        month_11 = _recipient(session, last_certified=add_months_day(TODAY, -11))
        lapsed = _recipient(session)
        _suspend(session, lapsed)
        _recipient(session, region="500106")  # 沙坪坝区: not the clerk's
        sign_in(client, f.staff(session, "clerk", "500103"))
        page = client.get("/pension")
        assert page.status_code == 200
        text = page.text
        counts = {s: int(n) for s, n in re.findall(
            r'data-testid="count-(active|suspended|stopped)">([\d,]+)<', text)}
        assert counts == {"active": 2, "suspended": 1, "stopped": 0}
        due = text[text.index('data-testid="due-list-table"'):]
        assert f'data-person="{fresh.id}"' not in due
        by_person = {int(p): cls for cls, p in re.findall(
            r'<tr class="([^"]*)" data-person="(\d+)"', due)}
        assert by_person[lapsed.id] == "row-bad" and "已暂停发放" in due
        assert by_person[month_11.id] == ""
        month_11_row = due[due.index(f'data-person="{month_11.id}"'):]
        assert "第11个月·应提醒" in month_11_row.split("</tr>")[0]
        assert "沙坪坝" not in due

    def test_due_list_pages_with_its_total_and_exports_every_row(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        due = [_recipient(session, last_certified=add_months_day(TODAY, -11))
               for _ in range(52)]
        sign_in(client, f.staff(session, "clerk", "500103"))
        first = client.get("/pension").text
        assert re.search(r'data-testid="due-count">52<', first)
        assert "第 1 / 2 页，共 52 条" in first
        assert re.search(r'data-testid="count-reminders">52<', first)  # counted in SQL
        second = client.get("/pension", params={"page": 2},
                            headers={"HX-Request": "true", "HX-Target": "due-list"}).text
        assert "第 2 / 2 页" in second and second.count("data-person=") == 2
        export = client.get("/pension/due.xlsx", params={"within": 31})
        assert export.status_code == 200 and export.headers["content-type"] == XLSX
        rows = sheet_rows(export.content)
        assert rows[0][:2] == ("人员编号", "姓名")
        assert {r[0] for r in rows[1:]} == {p.id for p in due}
        assert all(r[6] == "是" for r in rows[1:])
        event = last_export(session, "pension.export")
        assert event is not None and event["rows"] == 52

    def test_due_export_needs_the_pension_permission(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "nr_officer", "500103"))  # ecology only
        assert client.get("/pension/due.xlsx").status_code == 403

    def test_due_window_is_an_htmx_fragment(self, client: TestClient, session: Session) -> None:
        f.contribution_rule(session)
        person = _recipient(session, last_certified=add_months_day(TODAY, -10))  # due in ~2 m
        sign_in(client, f.staff(session, "clerk", "500103"))
        narrow = client.get("/pension", params={"within": 31},
                            headers={"HX-Request": "true", "HX-Target": "due-list"})
        assert "<html" not in narrow.text and f'data-person="{person.id}"' not in narrow.text
        wide = client.get("/pension", params={"within": 90},
                          headers={"HX-Request": "true", "HX-Target": "due-list"})
        assert "<html" not in wide.text and f'data-person="{person.id}"' in wide.text

    def test_search_finds_people_with_their_pension_status(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        retiree = _recipient(session)
        sign_in(client, f.staff(session, "clerk", "500103"))
        page = client.get("/pension", params={"q": retiree.resident_id}).text
        results = page[page.index('data-testid="person-results"'):]
        assert f'href="/pension/person/{retiree.id}"' in results and "正常发放" in results
        assert ids.mask_resident_id(retiree.resident_id) in results


class TestPersonPage:
    def test_status_awards_payments_and_money(self, client: TestClient, session: Session) -> None:
        f.contribution_rule(session)
        person = _recipient(session)
        service.apply_uplift(session, SYSTEM, year=TODAY.year, percent=Decimal("0.02"),
                             fixed_amount=Decimal("0"), effective_month=label(THIS_MONTH),
                             source="测试调整")
        _payroll(session, add_months(THIS_MONTH, -1))
        _payroll(session, THIS_MONTH)
        sign_in(client, f.staff(session, "clerk", "500103"))
        page = client.get(f"/pension/person/{person.id}")
        assert page.status_code == 200
        text = page.text
        awards = text[text.index('data-testid="awards"'):]
        assert "第 2 版" in awards and "第 1 版" in awards
        assert "退休待遇核定" in awards and f"{TODAY.year} 年度养老金调整" in awards
        assert "2,400.00" in awards  # basic: (8,000 + 8,000) / 2 × 30 years × 1 %
        assert "2020-02" in awards  # in payment from the month after retirement
        current = _award_total(session, person.id)
        assert f'data-testid="monthly-amount">{current:,.2f}<' in text
        payments = text[text.index('data-testid="payments"'):]
        assert label(THIS_MONTH) in payments and f"{current:,.2f}" in payments
        assert "待送盘" in payments and "正常" in payments
        assert "**** 2222" in text and "6222000011112222" not in text  # the bank account

    def test_a_recipient_outside_the_district_is_a_404_page(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        other = _recipient(session, region="500106")
        sign_in(client, f.staff(session, "clerk", "500103"))
        response = client.get(f"/pension/person/{other.id}")
        assert response.status_code == 404
        assert "text/html" in response.headers["content-type"] and "不存在" in response.text
        refused = client.post(f"/pension/person/{other.id}/certify",
                              data={"method": "home_visit", "on": TODAY.isoformat()})
        assert refused.status_code == 404
        assert session.scalars(select(PensionCertification)
                               .where(PensionCertification.person_id == other.id)).all() == []

    def test_overpayments_after_death_are_listed(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        person = _recipient(session)
        for month in (add_months(THIS_MONTH, -2), add_months(THIS_MONTH, -1)):
            _payroll(session, month)
        for payment in session.scalars(select(PensionPayment)
                                       .where(PensionPayment.person_id == person.id)):
            payment.status = "paid"
        session.flush()
        service.stop_on_death(session, SYSTEM, person.id, add_months_day(TODAY, -2))
        sign_in(client, f.staff(session, "clerk", "500103"))
        text = client.get(f"/pension/person/{person.id}").text
        over = text[text.index('data-testid="overpayments"'):]
        amount = _award_total(session, person.id)
        assert label(add_months(THIS_MONTH, -1)) in over and "待追回" in over
        assert f"{amount:,.2f}" in over
        assert "已终止" in text and 'data-testid="certify-form"' not in text


class TestCertificationForm:
    def test_home_visit_moves_the_due_date_a_year(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        person = _recipient(session)
        sign_in(client, f.staff(session, "clerk", "500103"))
        on = add_months_day(TODAY, -1)
        response = client.post(f"/pension/person/{person.id}/certify", follow_redirects=False,
                               data={"method": "home_visit", "on": on.isoformat(), "node": "sc",
                                     "evidence": "社区走访记录 2026-118"})
        assert response.status_code == 303, response.text
        page = client.get(response.headers["location"]).text
        assert "认证已登记" in page
        assert f'data-testid="certification-due">{_a_year_after(on).isoformat()}<' in page
        history = page[page.index('data-testid="certifications"'):]
        assert "上门认证" in history and "社区走访记录 2026-118" in history
        row = session.scalars(select(PensionCertification)
                              .where(PensionCertification.person_id == person.id)).one()
        assert row.node == "cq"  # the node only goes with 川渝就地认证

    def test_certifying_a_suspended_recipient_resumes_payment(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        person = _recipient(session)
        _suspend(session, person)
        sign_in(client, f.staff(session, "clerk", "500103"))
        before = client.get(f"/pension/person/{person.id}").text
        assert 'data-testid="suspended-alert"' in before
        response = client.post(f"/pension/person/{person.id}/certify", follow_redirects=False,
                               data={"method": "data_comparison", "on": TODAY.isoformat(),
                                     "evidence": "医保就医记录比对"})
        assert response.status_code == 303
        page = client.get(response.headers["location"]).text
        assert "恢复发放" in page and 'data-testid="suspended-alert"' not in page
        recipient = session.get(PensionRecipient, person.id)
        assert recipient is not None and recipient.status == "active"

    def test_certification_at_the_peer_node_is_recorded_with_it(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        person = _recipient(session)
        sign_in(client, f.staff(session, "case_officer", "500103"))
        response = client.post(f"/pension/person/{person.id}/certify", follow_redirects=False,
                               data={"method": "peer_node", "on": TODAY.isoformat(),
                                     "node": "sc"})
        assert response.status_code == 303
        row = session.scalars(select(PensionCertification)
                              .where(PensionCertification.person_id == person.id)).one()
        assert (row.method, row.node) == ("peer_node", "sc")

    def test_errors_are_shown_next_to_the_fields_and_nothing_is_written(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        person = _recipient(session)
        recipient = session.get(PensionRecipient, person.id)
        assert recipient is not None
        due_before = recipient.certification_due_date
        sign_in(client, f.staff(session, "clerk", "500103"))
        url = f"/pension/person/{person.id}/certify"
        future = client.post(url, data={"method": "home_visit",
                                        "on": _a_year_after(TODAY).isoformat()})
        assert future.status_code == 422
        assert _field_error(future.text, "on") == "认证日期不能晚于今天"
        assert 'value="社区' not in future.text
        blank = client.post(url, data={"method": "", "on": "2026-13-01", "evidence": "走访"})
        assert blank.status_code == 422
        assert _field_error(blank.text, "method") == "请选择认证方式"
        assert _field_error(blank.text, "on") == "日期格式应为“年-月-日”，如 2026-10-08"
        assert 'value="走访"' in blank.text  # the form comes back as typed
        no_node = client.post(url, data={"method": "peer_node", "on": TODAY.isoformat(),
                                         "node": ""})
        assert _field_error(no_node.text, "node") == "川渝就地认证须选择认证地"
        assert session.scalars(select(PensionCertification)
                               .where(PensionCertification.person_id == person.id)).all() == []
        session.refresh(recipient)
        assert recipient.certification_due_date == due_before

    def test_a_statistician_may_not_certify(self, client: TestClient, session: Session) -> None:
        f.contribution_rule(session)
        person = _recipient(session)
        sign_in(client, f.staff(session, "statistician", "500103"))
        page = client.get(f"/pension/person/{person.id}").text
        assert 'data-testid="certify-form"' not in page
        response = client.post(f"/pension/person/{person.id}/certify",
                               data={"method": "home_visit", "on": TODAY.isoformat()})
        assert response.status_code == 403 and "无权" in response.text


class TestAwardForm:
    def _worker(self, session: Session, *, start: str) -> Person:
        f.contribution_rule(session)
        person = f.person(session, name="退休申请人",
                          resident_id=f.resident_id("500103", date(1960, 1, 10)))
        f.enrolment(session, person.id, start_month=start, end_month="2019-12",
                    declared_wage=Decimal("8000.00"))
        return person

    def test_a_reviewer_awards_and_the_person_is_in_payment(
        self, client: TestClient, session: Session
    ) -> None:
        person = self._worker(session, start="1990-01")
        sign_in(client, f.staff(session, "reviewer", "500103"))
        form = client.get(f"/pension/person/{person.id}").text
        assert 'data-testid="award-form"' in form
        response = client.post(f"/pension/person/{person.id}/award", follow_redirects=False,
                               data={"retirement_date": "2020-01-31", "scheme": "employee",
                                     "bank_account": "6222 0000 1111 3333"})
        assert response.status_code == 303, response.text
        page = client.get(response.headers["location"]).text
        assert "养老待遇已核定" in page and "2,400.00" in page
        recipient = session.get(PensionRecipient, person.id)
        assert recipient is not None and recipient.start_month == 202002
        assert recipient.bank_account == "6222000011113333"

    def test_too_few_months_shows_the_months_missing(
        self, client: TestClient, session: Session
    ) -> None:
        person = self._worker(session, start="2010-01")  # 120 months, 15 years needed
        sign_in(client, f.staff(session, "reviewer", "500103"))
        response = client.post(f"/pension/person/{person.id}/award",
                               data={"retirement_date": "2020-01-31", "scheme": "employee",
                                     "bank_account": "6222000011113333"})
        assert response.status_code == 422
        assert "尚缺 60 个月" in response.text and "约 5 年" in response.text
        assert session.get(PensionRecipient, person.id) is None

    def test_form_errors_next_to_the_fields(self, client: TestClient, session: Session) -> None:
        person = self._worker(session, start="1990-01")
        sign_in(client, f.staff(session, "admin", ""))
        response = client.post(f"/pension/person/{person.id}/award",
                               data={"retirement_date": "", "scheme": "resident",
                                     "bank_account": "62-22",
                                     "resident_basic_pension": "-5"})
        assert response.status_code == 422
        assert _field_error(response.text, "retirement_date") == "请填写退休日期"
        assert _field_error(response.text, "bank_account") == "银行账号应为 32 位以内的数字"
        assert "金额" in _field_error(response.text, "resident_basic_pension")

    def test_an_overage_resident_with_the_basic_pension_from_the_rulebook(
        self, client: TestClient, session: Session
    ) -> None:
        # Born 1945-05-10, 66 when the scheme began (2011-07-01): no contribution, the
        # basic pension field left empty → 175.00 from the rulebook (+ 0 / 139).
        resident.parameters(session)
        person = resident.born(session, date(1945, 5, 10))
        sign_in(client, f.staff(session, "reviewer", "500103"))
        response = client.post(f"/pension/person/{person.id}/award", follow_redirects=False,
                               data={"retirement_date": "2011-07-01", "scheme": "resident",
                                     "bank_account": "6217000011113333"})
        assert response.status_code == 303, response.text
        page = client.get(response.headers["location"]).text
        assert "养老待遇已核定" in page
        assert 'data-testid="monthly-amount">175.00<' in page
        recipient = session.get(PensionRecipient, person.id)
        assert recipient is not None and recipient.scheme == "resident"

    def test_a_clerk_may_not_award(self, client: TestClient, session: Session) -> None:
        person = self._worker(session, start="1990-01")
        sign_in(client, f.staff(session, "clerk", "500103"))
        assert 'data-testid="award-form"' not in client.get(f"/pension/person/{person.id}").text
        response = client.post(f"/pension/person/{person.id}/award",
                               data={"retirement_date": "2020-01-31", "scheme": "employee",
                                     "bank_account": "6222000011113333"})
        assert response.status_code == 403
        assert session.get(PensionRecipient, person.id) is None


class TestPayrollPage:
    def test_a_clerk_cannot_open_or_run_the_payroll(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        page = client.get("/pension/payroll")
        assert page.status_code == 403
        assert "text/html" in page.headers["content-type"] and "无权" in page.text
        assert 'href="/pension/payroll"' not in client.get("/pension").text
        run = client.post("/pension/payroll/run", data={"month": label(THIS_MONTH)})
        assert run.status_code == 403
        assert session.scalars(select(PensionPayrollRun)).all() == []

    def test_run_shows_totals_control_sum_and_districts(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        yuzhong = _recipient(session)
        shapingba = _recipient(session, region="500106")
        expected = _award_total(session, yuzhong.id) + _award_total(session, shapingba.id)
        sign_in(client, f.staff(session, "admin", ""))
        response = client.post("/pension/payroll/run", data={"month": label(THIS_MONTH)},
                               follow_redirects=False)
        assert response.status_code == 303
        page = client.get(response.headers["location"])
        assert page.status_code == 200
        text = page.text
        run = session.scalars(select(PensionPayrollRun)).one()
        assert run.finished_at is not None
        assert re.search(r'data-testid="run-payments">2<', text)
        assert f'data-testid="run-total">{expected:,.2f}<' in text
        assert re.search(rf'data-testid="control-sum">{run.control_sum}<', text)
        assert re.fullmatch(r"[0-9a-f]{64}", run.control_sum)
        districts = text[text.index('data-testid="by-district"'):]
        assert "渝中区" in districts and "沙坪坝区" in districts
        assert f'data-testid="district-total">{expected:,.2f}<' in districts
        assert f'href="/api/v1/pension/payroll/{label(THIS_MONTH)}/disbursement.csv"' in text
        assert "发放已完成" in text
        # Running the month again pays no one twice: the second run sends nothing.
        client.post("/pension/payroll/run", data={"month": label(THIS_MONTH)})
        again = client.get("/pension/payroll", params={"month": label(THIS_MONTH)}).text
        assert re.search(r'data-testid="run-payments">0<', again)
        assert f'data-testid="district-total">{expected:,.2f}<' in again
        assert len(session.scalars(select(PensionPayment)).all()) == 2

    def test_a_started_run_is_followed_until_it_finishes(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "admin", ""))
        month = label(THIS_MONTH)
        waiting = client.get("/pension/payroll", params={"month": month, "notice": "started",
                                                        "after": 0})
        assert 'data-testid="run-running"' in waiting.text and "正在启动" in waiting.text
        poll = re.search(r'data-testid="run-running"\s+hx-get="([^"]+)"', waiting.text)
        assert poll is not None and "after=0" in poll.group(1).replace("&amp;", "&")
        fragment = client.get(poll.group(1).replace("&amp;", "&"),
                              headers={"HX-Request": "true", "HX-Target": "payroll-result"})
        assert "<html" not in fragment.text and 'data-testid="run-running"' in fragment.text
        session.add(PensionPayrollRun(payroll_month=THIS_MONTH, actor="fafang"))  # running now
        session.flush()
        refused = client.post("/pension/payroll/run", data={"month": month})
        assert refused.status_code == 409 and "正在进行中" in refused.text
        assert len(session.scalars(select(PensionPayrollRun)).all()) == 1

    def test_an_interrupted_run_is_completed_by_running_again(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        person = _recipient(session)
        crashed = PensionPayrollRun(payroll_month=THIS_MONTH, actor="fafang",
                             started_at=datetime.now(UTC) - timedelta(hours=2))
        session.add(crashed)
        _payroll(session, THIS_MONTH)  # the batch committed; the bank file was never written
        sign_in(client, f.staff(session, "admin", ""))
        page = client.get("/pension/payroll", params={"month": label(THIS_MONTH)}).text
        assert 'data-testid="run-interrupted"' in page and f"批次 #{crashed.id} 未完成" in page
        client.post("/pension/payroll/run", data={"month": label(THIS_MONTH)})
        done = client.get("/pension/payroll", params={"month": label(THIS_MONTH)}).text
        assert 'data-testid="run-interrupted"' not in done
        assert re.search(r'data-testid="run-payments">1<', done)
        assert f'data-testid="run-total">{_award_total(session, person.id):,.2f}<' in done

    def test_a_bad_month_is_refused_next_to_the_field(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "admin", ""))
        bad = client.post("/pension/payroll/run", data={"month": "2026-13"})
        assert bad.status_code == 422
        assert _field_error(bad.text, "month") == "月份格式应为“年-月”，如 2026-10"
        far = client.post("/pension/payroll/run", data={"month": label(add_months(THIS_MONTH,
                                                                                    5))})
        assert far.status_code == 422 and "本月或下月" in _field_error(far.text, "month")
        assert session.scalars(select(PensionPayrollRun)).all() == []

    def test_bank_returns_mark_paid_and_failed(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        first, second = _recipient(session), _recipient(session)
        sign_in(client, f.staff(session, "admin", ""))
        client.post("/pension/payroll/run", data={"month": label(THIS_MONTH)})
        failing = session.scalars(select(PensionPayment)
                                  .where(PensionPayment.person_id == second.id)).one()
        returns = f"payment_id,reason\n{failing.id},账户已销户\n".encode()
        response = client.post(f"/pension/payroll/{label(THIS_MONTH)}/returns",
                               files={"file": ("returns.csv", returns, "text/csv")},
                               follow_redirects=False)
        assert response.status_code == 303, response.text
        text = client.get(response.headers["location"]).text
        assert 'data-testid="reconciled-paid">1<' in text
        assert 'data-testid="reconciled-failed">1<' in text
        statuses = dict(session.execute(select(PensionPayment.person_id,
                                               PensionPayment.status)).all())
        assert statuses == {first.id: "paid", second.id: "failed"}
        bad = client.post(f"/pension/payroll/{label(THIS_MONTH)}/returns",
                          files={"file": ("returns.csv", b"payment_id,reason\nabc,x\n",
                                          "text/csv")})
        assert bad.status_code == 422
        assert _field_error(bad.text, "file") == "第 2 行的支付编号“abc”无效"


class TestPovertyPage:
    def test_three_checks_per_district_and_who_falls_short(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        region = "500156"  # 武隆区
        paid = _recipient(session, region=region)
        unpaid = _recipient(session, region=region)
        for person in (paid, unpaid):
            insurance.designate(session, SYSTEM, person.id, "poverty_registered",
                                date(2016, 1, 1))
        _payroll(session, THIS_MONTH)
        session.execute(PensionPayment.__table__.delete().where(
            PensionPayment.person_id == unpaid.id))
        sign_in(client, f.staff(session, "statistician", "50"))
        page = client.get("/pension/poverty", params={"region": region, "year": TODAY.year,
                                                     "month": label(THIS_MONTH)})
        assert page.status_code == 200
        text = page.text
        row = re.search(rf'<tr data-region="{region}">(.*?)</tr>', text, re.S)
        assert row is not None
        cells = re.findall(r'<td class="num[^"]*">(?:<span[^>]*>)?([^<]+)', row.group(1))
        assert cells[6:9] == ["2", "1", "50.00%"]  # 应发尽发: 1 of 2
        assert cells[0:3] == ["2", "2", "100.00%"]  # drawing a pension counts as enrolled
        short = text[text.index('data-testid="short-benefit-not-paid"'):]
        assert f'href="/pension/person/{unpaid.id}"' in short
        assert ids.mask_resident_id(unpaid.resident_id) in short
        assert unpaid.resident_id not in short


    def test_charts_draw_the_tables_rates(self, client: TestClient, session: Session) -> None:
        f.contribution_rule(session)
        wulong = [_recipient(session, region="500156") for _ in range(2)]  # 武隆区
        kaizhou = [f.person(session, residence_region="500154") for _ in range(2)]  # 开州区
        f.enrolment(session, kaizhou[0].id, "resident_pension",
                    start_month=f"{TODAY.year}-01")  # enrolled, not paid
        for person in (*wulong, *kaizhou):
            insurance.designate(session, SYSTEM, person.id, "poverty_registered",
                                date(2016, 1, 1))
        _payroll(session, THIS_MONTH)
        session.execute(PensionPayment.__table__.delete().where(
            PensionPayment.person_id == wulong[1].id))
        sign_in(client, f.staff(session, "statistician", "50"))
        text = client.get("/pension/poverty", params={"year": TODAY.year,
                                                      "month": label(THIS_MONTH)}).text
        # 开州区: enrolled 1 of 2 = 50.00; paid 0 of 1 resident enrollee = 0.00; nobody
        # drawing a pension (—). 武隆区: drawing a pension counts as enrolled, 2 of 2 =
        # 100.00; no resident enrollee (—); benefit paid 1 of 2 = 50.00.
        rates = chart_data(text, "poverty-district-rates")
        assert rates["categories"] == ["开州区", "武隆区"]
        assert rates["series"] == [{"name": "应保尽保率", "values": [50.0, 100.0]},
                                   {"name": "应缴尽缴率", "values": [0.0, None]},
                                   {"name": "应发尽发率", "values": [None, 50.0]}]
        assert rates["unit"] == "%" and rates["digits"] == 2 and rates["horizontal"] is True
        # The whole scope: enrolled 3 of 4 = 75.00; paid 0 of 1 = 0.00; benefit 1 of 2 =
        # 50.00; each against 100 %.
        assert [(chart_data(text, f"poverty-{key}")["value"],
                 chart_data(text, f"poverty-{key}")["target"])
                for key in ("enrol", "pay", "benefit")] == [(75.0, 100), (0.0, 100),
                                                            (50.0, 100)]
        assert 'data-testid="total-enrol-rate"><span class="rate-bad">75.00%<' in text
        assert 'aria-label="应保尽保率仪表图，目标 100%"' in text
        assert '<script src="/static/js/charts.js" defer></script>' in text

    def test_no_chart_without_poverty_registered_people(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "statistician", "50"))
        text = client.get("/pension/poverty").text
        assert "所选范围内没有建档立卡贫困人员" in text and "data-chart=" not in text


class TestMyPension:
    def test_my_amount_breakdown_countdown_and_payments(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        last = add_months_day(TODAY, -6)
        me = _recipient(session, last_certified=last)
        _payroll(session, THIS_MONTH)
        sign_in(client, _citizen(session, me))
        page = client.get("/my/pension")
        assert page.status_code == 200
        text = page.text
        total = _award_total(session, me.id)
        assert f'data-testid="monthly-amount">{total:,.2f}<' in text
        assert "基础养老金" in text and "2,400.00" in text
        due = _a_year_after(last)
        assert f'data-testid="next-due">{due.isoformat()}<' in text
        assert f'data-testid="days-left">{(due - TODAY).days}<' in text
        assert "已暂停" not in text and "模拟" in text
        assert label(THIS_MONTH) in text[text.index('data-testid="payments"'):]

    def test_only_my_own_pension(self, client: TestClient, session: Session) -> None:
        f.contribution_rule(session)
        me, other = _recipient(session), _recipient(session)
        sign_in(client, _citizen(session, me))
        assert client.get(f"/pension/person/{me.id}").status_code == 403
        assert client.get(f"/pension/person/{other.id}").status_code == 403
        assert client.get("/pension").status_code == 403
        mine = client.get("/my/pension").text
        assert f"{_award_total(session, me.id):,.2f}" in mine
        assert other.resident_id not in mine

    def test_suspended_then_face_check_resumes(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        me = _recipient(session)
        _suspend(session, me)
        sign_in(client, _citizen(session, me))
        page = client.get("/my/pension").text
        assert 'data-testid="suspended-alert"' in page and "已暂停发放" in page
        response = client.post("/my/pension/certify", follow_redirects=False)
        assert response.status_code == 303
        after = client.get(response.headers["location"]).text
        assert "认证成功" in after and "恢复发放" in after
        assert 'data-testid="suspended-alert"' not in after
        assert f'data-testid="next-due">{_a_year_after(TODAY).isoformat()}<' in after
        row = session.scalars(select(PensionCertification)
                              .where(PensionCertification.person_id == me.id)).one()
        assert (row.method, row.certified_date) == ("face", TODAY)
        recipient = session.get(PensionRecipient, me.id)
        assert recipient is not None and recipient.status == "active"

    def test_not_a_recipient_and_staff(self, client: TestClient, session: Session) -> None:
        worker = f.person(session, name="在职者")
        sign_in(client, _citizen(session, worker))
        page = client.get("/my/pension")
        assert page.status_code == 200 and 'data-testid="not-recipient"' in page.text
        refused = client.post("/my/pension/certify")
        assert refused.status_code == 409 and "不在待遇领取中" in refused.text
        sign_in(client, f.staff(session, "clerk", "500103"))
        assert client.get("/my/pension").status_code == 403
