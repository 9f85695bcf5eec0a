"""Insurance pages over HTTP: the clerk's counter, the citizen's hall, the employer's
account and the coverage work-list (the browser test drives the same pages in Chromium).

Data is built before the first request that writes: a page that refuses a form rolls
the request's savepoint back, and in these tests that session is the test's own.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service
from minsheng.hrss.insurance.models import Contribution, Enrolment, ResidentPensionGrade
from minsheng.hrss.insurance.service import assessment
from minsheng.hrss.registry.models import Employer, Person
from minsheng.platform import bulk, ids
from minsheng.platform.months import add_months, label, month_of
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f
from tests.app.workbench import todos
from tests.exports import XLSX, last_export, sheet_rows
from tests.live import sign_in

HX_CONTRIBUTIONS = {"HX-Request": "true", "HX-Target": "contributions"}


def _assess(session: Session, month: int, prefix: str = "50") -> int:
    """The set-based core of the monthly run, inside the test's transaction."""
    assessment._stage_rules(session, month, prefix)
    inserted = service.assess_batch(session, period=month, prefix=prefix, low=0,
                                    high=2**31 - 1, run_id=None)
    bulk.drop_temp_table(session, "assess_rule")
    return inserted


def _citizen(session: Session, person: Person) -> Principal:
    user = security.add_user(session, actor=SYSTEM, username=f"citizen-{person.id}",
                             role="citizen", password=f.PASSWORD, person_id=person.id)
    return security.principal_of(user)


def _employer_account(session: Session, employer: Employer) -> Principal:
    user = security.add_user(session, actor=SYSTEM, username=f"hr-{employer.id}",
                             role="employer", password=f.PASSWORD, employer_id=employer.id)
    return security.principal_of(user)


def _enrolments(session: Session, person_id: int) -> list[Enrolment]:
    return list(session.scalars(select(Enrolment).where(Enrolment.person_id == person_id)
                                .order_by(Enrolment.id)))


def _field_error(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error" role="alert">([^<]*)<', page)
    assert found is not None, f"no error shown next to {field}"
    return found.group(1)


def _grades(session: Session, year: int) -> None:
    for amount, subsidy in (("100", "30"), ("200", "40"), ("500", "60")):
        session.add(ResidentPensionGrade(region_prefix="50", valid_from=year * 100 + 1,
                                         valid_to=year * 100 + 12, amount=Decimal(amount),
                                         subsidy=Decimal(subsidy), source="测试"))
    session.flush()


def _worker(session: Session) -> tuple[Employer, Person]:
    """A person employed since 2020 declaring 3,000 a month for pension (below the floor
    of 60 % × 8,000 = 4,800) and 50,000 for unemployment (above the ceiling of
    300 % × 8,000 = 24,000); assessed for December 2023 and March 2024."""
    f.contribution_rule(session)
    employer = f.employer(session, name="重庆渝中机械厂", work_injury_risk_class=2)
    person = f.person(session, name="周保险")
    f.enrolment(session, person.id, "employee_pension", employer_id=employer.id,
                declared_wage=Decimal("3000.00"))
    f.enrolment(session, person.id, "unemployment", employer_id=employer.id,
                declared_wage=Decimal("50000.00"))
    _assess(session, 202312)
    _assess(session, 202403)
    return employer, person


class TestNavigation:
    def test_links_into_the_insurance_pages(self, client: TestClient, session: Session) -> None:
        person = f.person(session)
        employer = f.employer(session)
        sign_in(client, f.staff(session, "clerk", "500103"))
        home = client.get("/").text
        assert 'href="/insurance"' in home
        assert f'href="/persons/{person.id}/insurance"' in client.get(
            f"/persons/{person.id}").text
        assert f'href="/employers/{employer.id}/insurance"' in client.get(
            f"/employers/{employer.id}").text
        hub = client.get("/insurance", params={"q": person.name})
        assert hub.status_code == 200
        assert f'href="/persons/{person.id}/insurance"' in hub.text

    def test_the_hall_links_citizens_and_employers_to_their_pages(
        self, client: TestClient, session: Session
    ) -> None:
        citizen = _citizen(session, f.person(session))
        employer = f.employer(session)
        account = _employer_account(session, employer)
        sign_in(client, citizen)
        assert 'href="/my/insurance"' in client.get("/").text
        sign_in(client, account)
        assert f'href="/employers/{employer.id}/insurance#bill"' in client.get("/").text


class TestClerkPersonPage:
    def test_enrolments_contributions_clamps_and_money(
        self, client: TestClient, session: Session
    ) -> None:
        _, person = _worker(session)
        sign_in(client, f.staff(session, "clerk", "500103"))
        page = client.get(f"/persons/{person.id}/insurance")
        assert page.status_code == 200
        text = page.text
        assert "职工基本养老保险" in text and "重庆渝中机械厂" in text
        assert "3,000.00" in text and "50,000.00" in text  # declared wages
        # The latest year (2024) by default: floor 4,800 for pension, ceiling 24,000.
        table = text[text.index('data-testid="contributions-table"'):]
        assert "2024-03" in table and "2023-12" not in table
        assert "4,800.00" in table and "按下限" in table
        assert "24,000.00" in table and "按上限" in table
        assert "768.00" in table and "384.00" in table  # 16 % and 8 % of 4,800
        assert "120.00" in table  # 0.5 % of 24,000, both sides
        assert "欠费" in table  # March 2024 is long past and unpaid
        assert f'href="/api/v1/persons/{person.id}/certificate.pdf"' in text

    def test_year_filter_and_htmx_fragment(self, client: TestClient, session: Session) -> None:
        _, person = _worker(session)
        sign_in(client, f.staff(session, "clerk", "500103"))
        fragment = client.get(f"/persons/{person.id}/insurance", params={"year": "2023"},
                              headers=HX_CONTRIBUTIONS)
        assert fragment.status_code == 200
        assert "<html" not in fragment.text
        assert "2023-12" in fragment.text and "2024-03" not in fragment.text
        assert "2023 年合计" in fragment.text
        everything = client.get(f"/persons/{person.id}/insurance", params={"year": "all"}).text
        assert "2023-12" in everything and "2024-03" in everything

    def test_another_districts_clerk_gets_404(self, client: TestClient, session: Session) -> None:
        _, person = _worker(session)
        sign_in(client, f.staff(session, "clerk", "500106"))
        response = client.get(f"/persons/{person.id}/insurance")
        assert response.status_code == 404
        assert "text/html" in response.headers["content-type"]
        assert "周保险" not in response.text

    def test_overlap_is_409_next_to_the_start_month(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session)
        f.enrolment(session, person.id, "resident_pension", start_month="2019-01")
        sign_in(client, f.staff(session, "clerk", "500103"))
        response = client.post(f"/persons/{person.id}/insurance/enrol", data={
            "scheme": "employee_pension", "start_month": "2026-01", "declared_wage": "6000"})
        assert response.status_code == 409
        assert "城乡居民基本养老保险" in _field_error(response.text, "start_month")
        assert 'value="6000"' in response.text  # the form keeps what was typed
        assert len(_enrolments(session, person.id)) == 1

    def test_rule_violations_are_422_next_to_their_fields(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session)
        sign_in(client, f.staff(session, "clerk", "500103"))
        no_employer = client.post(f"/persons/{person.id}/insurance/enrol", data={
            "scheme": "unemployment", "start_month": "2026-01"})
        assert no_employer.status_code == 422
        assert "须由用人单位参保" in _field_error(no_employer.text, "employer_id")
        bad_month = client.post(f"/persons/{person.id}/insurance/enrol", data={
            "scheme": "employee_pension", "start_month": "2026-13"})
        assert bad_month.status_code == 422
        assert "年-月" in _field_error(bad_month.text, "start_month")
        bad_wage = client.post(f"/persons/{person.id}/insurance/enrol", data={
            "scheme": "employee_pension", "start_month": "2026-01", "declared_wage": "六千"})
        assert bad_wage.status_code == 422
        assert "金额" in _field_error(bad_wage.text, "declared_wage")
        unknown_uscc = client.post(f"/persons/{person.id}/insurance/enrol", data={
            "scheme": "work_injury", "start_month": "2026-01",
            "employer_id": f.uscc_code("500106")})
        assert unknown_uscc.status_code == 422
        assert "未找到" in _field_error(unknown_uscc.text, "employer_id")
        assert _enrolments(session, person.id) == []

    def test_enrol_by_uscc_then_end_with_the_version(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session)
        employer = f.employer(session, work_injury_risk_class=1)
        sign_in(client, f.staff(session, "clerk", "500103"))
        response = client.post(f"/persons/{person.id}/insurance/enrol", data={
            "scheme": "work_injury", "employer_id": employer.uscc, "start_month": "2025-04",
            "declared_wage": "7,500.00"})
        assert response.status_code == 200  # followed the redirect
        assert "参保登记已办理" in response.text
        [enrolment] = _enrolments(session, person.id)
        assert (enrolment.scheme, enrolment.employer_id, enrolment.start_month,
                enrolment.declared_wage) == ("work_injury", employer.id, 202504,
                                             Decimal("7500.00"))
        stale = client.post(
            f"/persons/{person.id}/insurance/enrolments/{enrolment.id}/end",
            data={"end_month": "2026-06", "reason": "离职", "version": enrolment.version + 1})
        assert stale.status_code == 409
        assert "已被他人修改" in stale.text
        ended = client.post(
            f"/persons/{person.id}/insurance/enrolments/{enrolment.id}/end",
            data={"end_month": "2026-06", "reason": "离职", "version": enrolment.version})
        assert "已终止该项参保" in ended.text
        session.refresh(enrolment)
        assert (enrolment.end_month, enrolment.end_reason) == (202606, "离职")

    def test_reviewer_reads_but_cannot_enrol(self, client: TestClient, session: Session) -> None:
        person = f.person(session)
        sign_in(client, f.staff(session, "reviewer", "500103"))
        page = client.get(f"/persons/{person.id}/insurance")
        assert page.status_code == 200
        assert 'data-testid="enrol-form"' not in page.text
        refused = client.post(f"/persons/{person.id}/insurance/enrol", data={
            "scheme": "employee_pension", "start_month": "2026-01"})
        assert refused.status_code == 403
        assert _enrolments(session, person.id) == []


class TestCitizenPage:
    def test_sees_only_their_own_records_with_yearly_totals(
        self, client: TestClient, session: Session
    ) -> None:
        _, person = _worker(session)
        other = f.person(session, name="吴旁人")
        f.enrolment(session, other.id, "resident_pension", start_month="2021-01")
        sign_in(client, _citizen(session, person))
        page = client.get("/my/insurance")
        assert page.status_code == 200
        assert person.resident_id in page.text  # their own number, in full
        assert "吴旁人" not in page.text
        totals = page.text[page.text.index('data-testid="year-totals"'):]
        totals = totals[:totals.index("</table>")]
        # 2024: one month assessed, not paid, so 0 contribution months (issue 11 point 4;
        # it counted 1 before); employer 768 + 120, personal 384 + 120.
        assert re.search(r"2024</td>\s*<td class=\"num\"[^>]*>0</td>\s*<td class=\"num mono\""
                         r"[^>]*>888\.00</td>\s*<td class=\"num mono\"[^>]*>504\.00</td>", totals)
        assert "2023" in totals
        assert f'href="/api/v1/persons/{person.id}/certificate.pdf"' in page.text
        for path in (f"/persons/{other.id}/insurance", f"/persons/{person.id}/insurance"):
            assert client.get(path).status_code == 403  # the clerk's page is not theirs

    def test_pays_resident_pension_at_a_published_grade(
        self, client: TestClient, session: Session
    ) -> None:
        year = date.today().year
        _grades(session, year)
        person = f.person(session)
        f.enrolment(session, person.id, "resident_pension", start_month=f"{year}-01")
        sign_in(client, _citizen(session, person))
        page = client.get("/my/insurance").text
        assert f'data-testid="resident-pay-{year}"' in page
        assert "政府补贴 40.00" in page
        refused = client.post("/my/insurance/resident-pension",
                              data={"year": str(year), "grade": "150"})
        assert refused.status_code == 422
        assert "没有 150" in refused.text
        paid = client.post("/my/insurance/resident-pension",
                           data={"year": str(year), "grade": "200"})
        assert paid.status_code == 200
        assert "缴费成功" in paid.text
        assert f'data-testid="resident-pay-{year}"' not in paid.text  # nothing left to pay
        table = paid.text[paid.text.index('data-testid="contributions-table"'):]
        assert f"{year} 年度" in table and "已缴" in table and "200.00" in table
        row = session.scalars(select(Contribution).where(
            Contribution.person_id == person.id)).one()
        assert (row.personal_amount, row.subsidy_amount, row.status) == (
            Decimal("200.00"), Decimal("40.00"), "paid")

    def test_an_unlinked_account_is_told_so(self, client: TestClient, session: Session) -> None:
        user = security.add_user(session, actor=SYSTEM, username="citizen-unlinked",
                                 role="citizen", password=f.PASSWORD)
        sign_in(client, security.principal_of(user))
        page = client.get("/my/insurance")
        assert page.status_code == 200
        assert "尚未关联登记信息" in page.text

    def test_staff_and_employers_cannot_open_the_citizen_page(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, _employer_account(session, f.employer(session)))
        assert client.get("/my/insurance").status_code == 403


class TestEmployerPage:
    def test_employer_sees_only_their_own_account(
        self, client: TestClient, session: Session
    ) -> None:
        mine, other = f.employer(session), f.employer(session)
        sign_in(client, _employer_account(session, mine))
        assert client.get(f"/employers/{mine.id}/insurance").status_code == 200
        assert client.get(f"/employers/{other.id}/insurance").status_code == 404
        assert client.post(f"/employers/{other.id}/insurance/hire", data={
            "resident_id": f.person(session).resident_id, "start_month": "2026-01",
            "declared_wage": "6000"}).status_code == 404
        assert client.get(f"/persons/{f.person(session).id}/insurance").status_code == 403

    def test_clerks_open_employers_of_their_district_only(
        self, client: TestClient, session: Session
    ) -> None:
        employer = f.employer(session, name="渝中区某某公司")
        sign_in(client, f.staff(session, "clerk", "500103"))
        assert "渝中区某某公司" in client.get(f"/employers/{employer.id}/insurance").text
        sign_in(client, f.staff(session, "clerk", "500106"))
        assert client.get(f"/employers/{employer.id}/insurance").status_code == 404

    def test_hire_then_let_go(self, client: TestClient, session: Session) -> None:
        employer = f.employer(session, work_injury_risk_class=3)
        worker = f.person(session, name="郑新人")
        sign_in(client, _employer_account(session, employer))
        hired = client.post(f"/employers/{employer.id}/insurance/hire", data={
            "resident_id": worker.resident_id, "start_month": "2026-03",
            "declared_wage": "6500"})
        assert hired.status_code == 200
        assert "增员成功" in hired.text
        roster = hired.text[hired.text.index('data-testid="employees"'):]
        assert "郑新人" in roster and ids.mask_resident_id(worker.resident_id) in roster
        assert worker.resident_id not in roster
        assert {e.scheme for e in _enrolments(session, worker.id)} == {
            "employee_pension", "unemployment", "work_injury"}
        last_month = label(add_months(month_of(date.today()), -1))
        left = client.post(
            f"/employers/{employer.id}/insurance/employees/{worker.id}/leave",
            data={"end_month": last_month, "reason": "离职"})
        assert "减员成功" in left.text
        assert "郑新人" not in left.text
        assert {e.end_month for e in _enrolments(session, worker.id)} == {
            int(last_month.replace("-", ""))}

    def test_hire_errors_are_shown_next_to_the_fields(
        self, client: TestClient, session: Session
    ) -> None:
        employer = f.employer(session, work_injury_risk_class=3)
        resident = f.person(session)
        f.enrolment(session, resident.id, "resident_pension", start_month="2020-01")
        sign_in(client, _employer_account(session, employer))
        unknown = client.post(f"/employers/{employer.id}/insurance/hire", data={
            "resident_id": f.resident_id(), "start_month": "2026-03", "declared_wage": "6500"})
        assert unknown.status_code == 422
        assert "请先办理人员登记" in _field_error(unknown.text, "resident_id")
        overlap = client.post(f"/employers/{employer.id}/insurance/hire", data={
            "resident_id": resident.resident_id, "start_month": "2026-03",
            "declared_wage": "6500"})
        assert overlap.status_code == 409
        assert "职工养老与城乡居民养老不能同时参加" in _field_error(overlap.text, "resident_id")
        no_wage = client.post(f"/employers/{employer.id}/insurance/hire", data={
            "resident_id": resident.resident_id, "start_month": "2026-03"})
        assert no_wage.status_code == 422
        assert "申报工资" in _field_error(no_wage.text, "declared_wage")
        assert [e.scheme for e in _enrolments(session, resident.id)] == ["resident_pension"]

    def test_the_bill_is_paid_exactly_and_arrears_listed(
        self, client: TestClient, session: Session
    ) -> None:
        employer, person = _worker(session)
        sign_in(client, _employer_account(session, employer))
        page = client.get(f"/employers/{employer.id}/insurance").text
        # The latest assessed month: 768 + 384 pension, 120 + 120 unemployment.
        assert 'data-testid="pay-amount">¥ 1,392.00<' in page
        arrears = page[page.index('data-testid="arrears"'):]
        assert "2023-12" in arrears and "2024-03" in arrears
        tampered = client.post(f"/employers/{employer.id}/insurance/pay",
                               data={"month": "2024-03", "amount": "1000.00"})
        assert tampered.status_code == 422
        assert "1392.00" in _field_error(tampered.text, "amount")
        paid = client.post(f"/employers/{employer.id}/insurance/pay",
                           data={"month": "2024-03", "amount": "1392.00"})
        assert paid.status_code == 200
        assert "缴费成功" in paid.text and "2024-03 费用已全部缴清" in paid.text
        statuses = set(session.scalars(select(Contribution.status).where(
            Contribution.person_id == person.id, Contribution.period == 202403)))
        assert statuses == {"paid"}
        arrears = paid.text[paid.text.index('data-testid="arrears"'):]
        assert "2023-12" in arrears and "2024-03" not in arrears
        again = client.post(f"/employers/{employer.id}/insurance/pay",
                            data={"month": "2024-03", "amount": "1392.00"})
        assert again.status_code == 409

    def test_upload_reports_rows(self, client: TestClient, session: Session) -> None:
        employer = f.employer(session, work_injury_risk_class=3)
        known = f.person(session, name="冯批量")
        sign_in(client, _employer_account(session, employer))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["公民身份号码", "起始月份", "申报工资"])
        writer.writerow([known.resident_id, "2026-05", "7000"])
        writer.writerow([f.resident_id(), "2026-05", "7000"])  # not registered
        response = client.post(f"/employers/{employer.id}/insurance/upload", files={
            "file": ("增员名单.csv", out.getvalue().encode("utf-8"), "text/csv")})
        assert response.status_code == 200
        assert "?job=" in str(response.url)
        report = response.text[response.text.index('data-testid="import-report"'):]
        assert re.search(r'data-testid="inserted-rows">1<', report)
        assert re.search(r'data-testid="error-rows">1<', report)
        assert re.search(r'<td class="num mono">3</td><td>公民身份号码', report)
        assert "未找到该参保人" in report
        assert len(_enrolments(session, known.id)) == 3

    def test_upload_without_a_file_is_refused(
        self, client: TestClient, session: Session
    ) -> None:
        employer = f.employer(session)
        sign_in(client, _employer_account(session, employer))
        response = client.post(f"/employers/{employer.id}/insurance/upload",
                               files={"file": ("", b"", "text/csv")})
        assert response.status_code == 422
        assert "请选择要上传的文件" in response.text


class TestArrearsList:
    REGION = "500154"

    def test_every_employer_in_arrears_is_paged_and_exported(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        employers = []
        for n in range(52):
            employer = f.employer(session, name=f"开州欠费{n:02d}厂", region=self.REGION)
            person = f.person(session, residence_region=self.REGION)
            f.enrolment(session, person.id, "employee_pension", employer_id=employer.id,
                        declared_wage=Decimal(6000 + n))
            employers.append(employer)
        _assess(session, 202312, prefix=self.REGION)
        sign_in(client, f.staff(session, "clerk", self.REGION))
        first = client.get("/insurance").text
        table = first[first.index('data-testid="arrears-employers"'):]
        assert table.count('#arrears">查看') == 50  # was cut at 20
        assert "第 1 / 2 页，共 52 条" in first
        assert "开州欠费51厂" in table  # the largest amount first
        second = client.get("/insurance", params={"apage": 2}).text
        rest = second[second.index('data-testid="arrears-employers"'):]
        assert rest.count('#arrears">查看') == 2 and "开州欠费00厂" in rest
        export = client.get("/insurance/arrears.xlsx")
        assert export.status_code == 200 and export.headers["content-type"] == XLSX
        rows = sheet_rows(export.content)
        assert len(rows) == 52 + 1
        assert {r[0] for r in rows[1:]} == {e.id for e in employers}
        event = last_export(session, "insurance.export")
        assert event is not None and event["rows"] == 52

    def test_the_workbench_counts_them_for_who_collects_with_the_lists_total(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        for n, region in enumerate([self.REGION] * 3 + ["500103"]):
            employer = f.employer(session, name=f"欠费{n}厂", region=region)
            person = f.person(session, residence_region=region)
            f.enrolment(session, person.id, "employee_pension", employer_id=employer.id,
                        declared_wage=Decimal(6000))
        _assess(session, 202312)
        sign_in(client, f.staff(session, "clerk", self.REGION))
        todo = todos(client.get("/").text)["insurance.arrears"]
        listed = client.get(todo.href.split("#")[0]).text
        total = re.search(r'data-testid="arrears-count">(\d+)<', listed)
        assert total is not None and todo.count == int(total.group(1)) == 3
        assert todo.overdue == 3  # in arrears is overdue
        sign_in(client, f.staff(session, "reviewer", self.REGION))  # reads, never collects
        assert "insurance.arrears" not in todos(client.get("/").text)

    def test_export_needs_staff_insurance_reading(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "nr_officer", self.REGION))
        assert client.get("/insurance/arrears.xlsx").status_code == 403


class TestCoverage:
    REGION = "500154"  # 开州区: a district the other tests leave alone

    def test_rate_worklist_and_poverty_checks(self, client: TestClient, session: Session) -> None:
        adults = [f.person(session, residence_region=self.REGION, name=f"开州{n}")
                  for n in range(4)]
        f.enrolment(session, adults[0].id, "resident_pension", start_month="2021-01")
        f.enrolment(session, adults[1].id, "employee_pension", start_month="2021-01")
        service.designate(session, SYSTEM, adults[2].id, "poverty_registered",
                          date(2020, 1, 1))
        sign_in(client, f.staff(session, "statistician", self.REGION))
        page = client.get("/insurance/coverage", params={"on": "2026-11-01", "year": "2026"})
        assert page.status_code == 200
        text = page.text
        assert re.search(r'data-testid="should-enrol">4<', text)
        assert re.search(r'data-testid="enrolled">2<', text)
        assert re.search(r'data-testid="rate">50\.00%<', text)
        worklist = text[text.index('data-testid="worklist"'):]
        assert "开州2" in worklist and "开州3" in worklist and "开州0" not in worklist
        assert ids.mask_resident_id(adults[2].resident_id) in worklist
        assert adults[2].resident_id not in worklist
        assert re.search(r'data-testid="poverty-should-enrol">1<', text)
        assert re.search(r'data-testid="poverty-enrolled">0<', text)
        assert "开州2" in text[text.index('data-testid="poverty-not-enrolled"'):]

    def test_poverty_checks_by_district_for_a_city_wide_statistician(
        self, client: TestClient, session: Session
    ) -> None:
        kaizhou = f.person(session, residence_region=self.REGION, name="开州贫困户")
        yuzhong = f.person(session, residence_region="500103", name="渝中贫困户")
        f.enrolment(session, yuzhong.id, "resident_pension", start_month="2021-01")
        for person in (kaizhou, yuzhong):
            service.designate(session, SYSTEM, person.id, "poverty_registered",
                              date(2020, 1, 1))
        sign_in(client, f.staff(session, "statistician", "500000"))
        page = client.get("/insurance/coverage", params={"year": "2026"}).text
        table = page[page.index('data-testid="poverty-districts"'):]
        table = table[:table.index("</table>")]
        assert "开州区" in table and "渝中区" in table
        assert "开州贫困户" in page[page.index('data-testid="poverty-not-enrolled"'):]
        assert "渝中贫困户" in page[page.index('data-testid="poverty-not-paid"'):]

    def test_worklist_pages_through_htmx(self, client: TestClient, session: Session) -> None:
        for n in range(53):
            f.person(session, residence_region=self.REGION, name=f"未参保{n:02d}")
        sign_in(client, f.staff(session, "statistician", self.REGION))
        second = client.get("/insurance/coverage", params={"page": "2"},
                            headers={"HX-Request": "true", "HX-Target": "worklist"})
        assert "<html" not in second.text
        assert second.text.count("<tr>") == 3 + 1  # three people and the header
        assert "第 2 / 2 页" in second.text

    def test_worklist_has_a_total_and_exports_every_row(
        self, client: TestClient, session: Session
    ) -> None:
        people = [f.person(session, residence_region=self.REGION, name=f"未参保{n:02d}")
                  for n in range(53)]
        sign_in(client, f.staff(session, "statistician", self.REGION))
        first = client.get("/insurance/coverage").text
        assert "第 1 / 2 页，共 53 条" in first
        assert 'data-testid="export-xlsx"' in first
        second = client.get("/insurance/coverage", params={"page": "2"}).text
        assert "第 2 / 2 页，共 53 条" in second
        beyond = client.get("/insurance/coverage", params={"page": "9"}).text
        assert "第 2 / 2 页" in beyond  # clamped to the last page, not an empty one
        export = client.get("/insurance/coverage/export.xlsx",
                            params={"region": self.REGION})
        assert export.status_code == 200
        assert export.headers["content-type"] == XLSX
        rows = sheet_rows(export.content)
        assert rows[0][:3] == ("人员编号", "姓名", "公民身份号码")
        assert len(rows) == 53 + 1
        assert {r[0] for r in rows[1:]} == {p.id for p in people}
        by_id = {r[0]: r for r in rows[1:]}
        assert by_id[people[0].id][2] == ids.mask_resident_id(people[0].resident_id)
        event = last_export(session, "insurance.export")
        assert event is not None and event["rows"] == 53

    def test_export_needs_the_coverage_permission(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "clerk", self.REGION))
        assert client.get("/insurance/coverage/export.xlsx").status_code == 403

    def test_scope_and_permission(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "statistician", self.REGION))
        other = client.get("/insurance/coverage", params={"region": "500103"})
        assert other.status_code == 200
        assert "请选择您管辖范围内的区县" in other.text
        sign_in(client, f.staff(session, "clerk", self.REGION))
        assert client.get("/insurance/coverage").status_code == 403


class TestYearTotals:
    def test_contribution_years_sum_the_rows(self, session: Session) -> None:
        """``contribution_years`` sums in SQL; check it against the rows themselves."""
        _, person = _worker(session)
        rows = session.scalars(select(Contribution).where(
            Contribution.person_id == person.id)).all()
        years = {y.year: y for y in service.contribution_years(session, SYSTEM, person.id)}
        assert set(years) == {2023, 2024}
        for year, total in years.items():
            mine = [r for r in rows if r.period // 100 == year]
            # Paid months only (issue 11 point 4: a month still due is not contributed).
            assert total.months == len({r.period for r in mine if r.status == "paid"})
            assert total.personal_amount == sum(r.personal_amount for r in mine)
            assert total.due_amount == sum(r.employer_amount + r.personal_amount for r in mine)
