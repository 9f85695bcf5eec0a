"""Employer certificates (issue 11): the unit's 单位参保证明 and the 个人参保证明 an employer
obtains for one of its employees; the human verification page the QR code opens.

Enrolments and contributions are ORM rows, as in ``test_certificates``: a certificate
states what the tables hold.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance.certificates.service import (
    issue_employer_certificate,
    verify_certificate,
)
from minsheng.hrss.insurance.models import Certificate, Contribution, Enrolment
from minsheng.hrss.registry.models import Employer, Person
from minsheng.platform.ids import mask_resident_id
from minsheng.platform.security import service as security
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f
from tests.app.test_page_language import language_problems

UNIT_PDF = "/api/v1/employers/{}/certificate.pdf"
EMPLOYEE_PDF = "/api/v1/employers/{}/employees/{}/certificate.pdf"
API_VERIFY = "/api/v1/certificates/verify/"
PAGE_VERIFY = "/certificates/verify/"


def contribution(session: Session, person: Person, employer: Employer, scheme: str,
                 period: int, *, paid: bool, er: str, pr: str) -> None:
    session.add(Contribution(
        person_id=person.id, period=period, scheme=scheme, employer_id=employer.id,
        region=employer.region, base=Decimal("5000.00"), employer_amount=Decimal(er),
        personal_amount=Decimal(pr), status="paid" if paid else "due"))


class Unit:
    def __init__(self, session: Session) -> None:
        """重庆山城数据科技有限公司 (渝中区) with 甲 and 乙 in employee pension and
        unemployment from 2025-01 (open) and 丙, who left 2025-06. 乙 once worked at
        another firm (2020–2024). Contributions here: 2025-01 and 2025-02 paid for
        everyone; 2025-03 paid for 甲 but still due for 乙 (pension 800 + 400,
        unemployment 25 + 25)."""
        self.employer = f.employer(session, name="重庆山城数据科技有限公司")
        self.other = f.employer(session, name="重庆别家有限公司")
        self.a = f.person(session, name="甲小明")
        self.b = f.person(session, name="乙小红", residence_region="500102")  # lives in 涪陵
        self.c = f.person(session, name="丙小刚")
        self.stranger = f.person(session, name="丁路人")
        rows = []
        for person in (self.a, self.b):
            for scheme in ("employee_pension", "unemployment"):
                rows.append(Enrolment(person_id=person.id, scheme=scheme,
                                      employer_id=self.employer.id, start_month=202501))
        rows.append(Enrolment(person_id=self.c.id, scheme="employee_pension",
                              employer_id=self.employer.id, start_month=202501,
                              end_month=202506))
        rows.append(Enrolment(person_id=self.b.id, scheme="employee_pension",
                              employer_id=self.other.id, start_month=202001,
                              end_month=202412))
        session.add_all(rows)
        for person in (self.a, self.b):
            for period in (202501, 202502, 202503):
                paid = period < 202503 or person is self.a
                contribution(session, person, self.employer, "employee_pension", period,
                             paid=paid, er="800.00", pr="400.00")
                contribution(session, person, self.employer, "unemployment", period,
                             paid=paid, er="25.00", pr="25.00")
        contribution(session, self.b, self.other, "employee_pension", 202412, paid=True,
                     er="800.00", pr="400.00")
        session.flush()
        user = security.add_user(session, actor=SYSTEM, username=f"hr-{self.employer.id}",
                                 role="employer", password=f.PASSWORD,
                                 employer_id=self.employer.id)
        self.account: Principal = security.principal_of(user)


@pytest.fixture
def unit(session: Session) -> Unit:
    return Unit(session)


class TestUnitCertificate:
    def test_employer_downloads_the_unit_certificate_and_it_verifies(
        self, client: TestClient, session: Session, unit: Unit
    ) -> None:
        response = client.get(UNIT_PDF.format(unit.employer.id),
                              headers=f.login(client, unit.account))
        assert response.status_code == 200, response.text
        assert response.content.startswith(b"%PDF-")
        certificate = session.scalars(select(Certificate)).one()
        assert (certificate.kind, certificate.employer_id, certificate.person_id) == (
            "employer", unit.employer.id, None)

        body = client.get(API_VERIFY + certificate.code).json()
        assert body["valid"] is True and body["kind"] == "employer"
        assert body["employer"] == "重庆山城数据科技有限公司"
        assert body["name"] is None and body["resident_id"] is None
        summary = body["summary"]
        # Open enrolments this month: 甲 and 乙 in both schemes; 丙 left 2025-06.
        assert summary["staff"] == [{"scheme": "employee_pension", "people": 2},
                                    {"scheme": "unemployment", "people": 2}]
        # 2025-01…03 assessed; 01 and 02 fully paid; 03 has 乙's rows still due.
        assert summary["contributions"] == [
            {"scheme": "employee_pension", "months": 3, "paid_months": 2,
             "first_month": "2025-01", "last_month": "2025-03"},
            {"scheme": "unemployment", "months": 3, "paid_months": 2,
             "first_month": "2025-01", "last_month": "2025-03"},
        ]
        # 2025-03 is long past its collection month: owed 800 + 400 + 25 + 25 = 1,250.00.
        assert summary["arrears"] == {"months": ["2025-03"], "amount": "1250.00"}

        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "certificate.issue", AuditEvent.subject_type == "employer",
            AuditEvent.subject_id == str(unit.employer.id))).one()
        assert json.loads(event.payload)["kind"] == "employer"

    def test_an_employer_with_everything_paid_has_no_arrears(
        self, session: Session, unit: Unit
    ) -> None:
        for row in session.scalars(select(Contribution)):
            row.status = "paid"
        session.flush()
        certificate, _ = issue_employer_certificate(
            session, unit.account, unit.employer.id, verify_base_url="http://hall.example",
            today=date(2025, 5, 10))
        summary = verify_certificate(session, certificate.code).summary
        assert summary is not None
        assert summary["arrears"] == {"months": [], "amount": "0.00"}
        assert [c["paid_months"] for c in summary["contributions"]] == [3, 3]  # type: ignore[union-attr]
        # As of 2025-05: 甲, 乙 and 丙 (until 2025-06) in pension; 甲 and 乙 in unemployment.
        assert summary["staff"] == [{"scheme": "employee_pension", "people": 3},
                                    {"scheme": "unemployment", "people": 2}]

    def test_another_unit_citizen_and_other_district_are_refused(
        self, client: TestClient, session: Session, unit: Unit
    ) -> None:
        url = UNIT_PDF.format(unit.other.id)
        assert client.get(url, headers=f.login(client, unit.account)).status_code == 404
        citizen = f.staff(session, "citizen", "500103", person_id=unit.a.id)
        assert client.get(UNIT_PDF.format(unit.employer.id),
                          headers=f.login(client, citizen)).status_code == 403
        fuling = f.staff(session, "clerk", "500102")
        assert client.get(UNIT_PDF.format(unit.employer.id),
                          headers=f.login(client, fuling)).status_code == 404
        yuzhong = f.staff(session, "clerk", "500103")
        assert client.get(UNIT_PDF.format(unit.employer.id),
                          headers=f.login(client, yuzhong)).status_code == 200
        assert session.scalar(select(func.count()).select_from(Certificate)) == 1


class TestEmployeeCertificate:
    def test_current_and_former_employees_only_with_this_units_facts(
        self, client: TestClient, session: Session, unit: Unit
    ) -> None:
        headers = f.login(client, unit.account)
        for person in (unit.a, unit.b, unit.c):
            response = client.get(EMPLOYEE_PDF.format(unit.employer.id, person.id),
                                  headers=headers)
            assert response.status_code == 200, response.text
        certificate = session.scalars(select(Certificate).where(
            Certificate.person_id == unit.b.id)).one()
        assert (certificate.kind, certificate.employer_id) == ("employee", unit.employer.id)
        body = client.get(API_VERIFY + certificate.code).json()
        assert body["valid"] is True and body["kind"] == "employee"
        assert body["name"] == "乙**"
        assert body["resident_id"] == mask_resident_id(unit.b.resident_id)
        assert body["employer"] == "重庆山城数据科技有限公司"
        # Only the enrolments and months through this employer (not 重庆别家有限公司).
        assert {e["employer"] for e in body["summary"]["enrolments"]} == {
            "重庆山城数据科技有限公司"}
        assert body["summary"]["contributions"] == [
            {"scheme": "employee_pension", "months": 3, "paid_months": 2,
             "first_month": "2025-01", "last_month": "2025-03"},
            {"scheme": "unemployment", "months": 3, "paid_months": 2,
             "first_month": "2025-01", "last_month": "2025-03"},
        ]
        issued = session.scalars(select(AuditEvent.payload).where(
            AuditEvent.action == "certificate.issue", AuditEvent.subject_type == "person")).all()
        assert len(issued) == 3
        assert all(json.loads(p)["kind"] == "employee" for p in issued)
        assert unit.b.resident_id not in "".join(issued)

    def test_never_enrolled_here_is_404_and_nothing_is_issued(
        self, client: TestClient, session: Session, unit: Unit
    ) -> None:
        headers = f.login(client, unit.account)
        assert client.get(EMPLOYEE_PDF.format(unit.employer.id, unit.stranger.id),
                          headers=headers).status_code == 404
        # Someone else's employee through the other unit's number: 404 too.
        assert client.get(EMPLOYEE_PDF.format(unit.other.id, unit.b.id),
                          headers=headers).status_code == 404
        reviewer = f.staff(session, "reviewer", "500103")  # reads, but no 单位业务
        assert client.get(EMPLOYEE_PDF.format(unit.employer.id, unit.a.id),
                          headers=f.login(client, reviewer)).status_code == 403
        assert session.scalar(select(func.count()).select_from(Certificate)) == 0

    def test_the_form_finds_a_former_employee_by_resident_id(
        self, client: TestClient, session: Session, unit: Unit
    ) -> None:
        headers = f.login(client, unit.account)
        url = f"/employers/{unit.employer.id}/insurance/employee-certificate"
        found = client.post(url, headers=headers, data={"resident_id": unit.c.resident_id},
                            follow_redirects=False)
        assert found.status_code == 303
        assert found.headers["location"] == EMPLOYEE_PDF.format(unit.employer.id, unit.c.id)
        refused = client.post(url, headers=headers,
                              data={"resident_id": unit.stranger.resident_id})
        assert refused.status_code == 422
        assert "本单位没有该公民身份号码的参保职工" in refused.text

    def test_employer_page_offers_both_certificates(
        self, client: TestClient, unit: Unit
    ) -> None:
        page = client.get(f"/employers/{unit.employer.id}/insurance",
                          headers=f.login(client, unit.account))
        assert page.status_code == 200
        assert UNIT_PDF.format(unit.employer.id) in page.text
        assert EMPLOYEE_PDF.format(unit.employer.id, unit.a.id) in page.text


class TestVerificationPage:
    def test_valid_certificate_page_in_chinese(
        self, client: TestClient, session: Session, unit: Unit
    ) -> None:
        client.get(EMPLOYEE_PDF.format(unit.employer.id, unit.a.id),
                   headers=f.login(client, unit.account))
        code = session.scalars(select(Certificate.code)).one()
        client.cookies.clear()
        page = client.get(PAGE_VERIFY + code)  # no sign-in
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "核验通过" in page.text and "有效" in page.text
        assert "甲**" in page.text and mask_resident_id(unit.a.resident_id) in page.text
        assert unit.a.resident_id not in page.text
        assert "出具时间" in page.text and "北京时间" in page.text
        assert "一致" in page.text and "重庆山城数据科技有限公司" in page.text
        assert language_problems(page.text, page.headers["content-type"]) == []

    def test_tampered_unknown_and_malformed_codes(
        self, client: TestClient, session: Session, unit: Unit
    ) -> None:
        certificate, _ = issue_employer_certificate(
            session, unit.account, unit.employer.id, verify_base_url="http://hall.example")
        certificate.summary = certificate.summary.replace('"people":2', '"people":20', 1)
        session.flush()
        altered = client.get(PAGE_VERIFY + certificate.code)
        assert altered.status_code == 404
        assert "核验未通过" in altered.text and "不一致" in altered.text
        assert language_problems(altered.text, altered.headers["content-type"]) == []
        unknown = client.get(PAGE_VERIFY + certificate.code[:2] + "ABCDEFGHJKMNPQRS")
        assert unknown.status_code == 404 and "未找到" in unknown.text
        malformed = client.get(PAGE_VERIFY + "not-a-code")
        assert malformed.status_code == 404 and "格式不正确" in malformed.text
        assert language_problems(malformed.text, malformed.headers["content-type"]) == []

    def test_typed_code_goes_to_its_page_and_old_api_links_open_it_in_a_browser(
        self, client: TestClient, session: Session, unit: Unit
    ) -> None:
        certificate, _ = issue_employer_certificate(
            session, unit.account, unit.employer.id, verify_base_url="http://hall.example")
        typed = client.get("/certificates/verify", params={"code": certificate.code.lower()},
                           follow_redirects=False)
        assert typed.status_code == 303
        assert typed.headers["location"] == PAGE_VERIFY + certificate.code
        browser = client.get(API_VERIFY + certificate.code, follow_redirects=False,
                             headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert browser.status_code == 303
        assert browser.headers["location"] == PAGE_VERIFY + certificate.code
        machine = client.get(API_VERIFY + certificate.code,
                             headers={"Accept": "application/json"})
        assert machine.status_code == 200 and machine.json()["valid"] is True


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_unit_certificate_pdf_text(client: TestClient, session: Session, unit: Unit,
                                   tmp_path: Path) -> None:
    response = client.get(UNIT_PDF.format(unit.employer.id),
                          headers=f.login(client, unit.account))
    pdf = tmp_path / "unit.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    code = session.scalars(select(Certificate.code)).one()
    assert "单位参保证明" in text and "重庆山城数据科技有限公司" in text
    assert unit.employer.uscc in text
    assert re.search(r"职工基本养老保险\s+2\s*人", text)
    assert "2025年03月" in text and "1250.00" in text  # the arrears line
    assert f"testserver/certificates/verify/{code}" in text
