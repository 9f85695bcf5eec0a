"""The labour pages as their users use them: the case officer's work-lists (overdue in
red) and a case from the counter to its close; the worker applying and following the
case by its number; the employer filing a contract; the staff overview."""

from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.labour import service
from minsheng.hrss.labour.models import LabourContract, LabourDispute
from minsheng.hrss.labour.schemas import ComplaintCreate, DisputeCreate
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.app.workbench import todos
from tests.live import sign_in


@pytest.mark.parametrize("role", ["clerk", "case_officer", "reviewer", "statistician",
                                  "admin", "auditor"])
def test_every_staff_page_answers_in_chinese(client: TestClient, session: Session,
                                             role: str) -> None:
    person, employer = f.person(session), f.employer(session)
    dispute = service.disputes.apply(session, SYSTEM, DisputeCreate(
        applicant_person_id=person.id, employer_id=employer.id, claim_type="wages",
        received_on=date(2026, 3, 2)))
    complaint = service.complaints.file_complaint(session, SYSTEM, ComplaintCreate(
        complainant_person_id=person.id, employer_id=employer.id, received_on=date(2026, 3, 2)))
    sign_in(client, f.staff(session, role, "500103"))
    for url in ("/labour", "/labour/disputes", "/labour/complaints", "/labour/contracts",
                f"/labour/disputes/{dispute.id}", f"/labour/complaints/{complaint.id}"):
        page = client.get(url)
        assert page.status_code == 200, (url, page.text[:300])
        assert "text/html" in page.headers["content-type"]
    case_page = client.get(f"/labour/disputes/{dispute.id}").text
    assert dispute.case_no in case_page
    assert ('data-testid="accept-form"' in case_page) == (role in ("case_officer", "admin"))


def test_overdue_cases_come_first_in_red(client: TestClient, session: Session) -> None:
    person, employer = f.person(session), f.employer(session)
    late = service.disputes.apply(session, SYSTEM, DisputeCreate(
        applicant_person_id=person.id, employer_id=employer.id, claim_type="wages",
        received_on=date(2025, 6, 2)))
    fresh = service.disputes.apply(session, SYSTEM, DisputeCreate(
        applicant_person_id=person.id, employer_id=employer.id, claim_type="wages",
        received_on=date.today()))
    sign_in(client, f.staff(session, "case_officer", "500103"))
    page = client.get("/labour/disputes").text
    assert page.index(late.case_no) < page.index(fresh.case_no)
    row = page[page.index(late.case_no):page.index(fresh.case_no)]
    assert "已超期" in row and "text-bad" in row
    only = client.get("/labour/disputes?overdue=true").text
    assert late.case_no in only and fresh.case_no not in only
    for listed in (page, only):  # the export link carries the filters FastAPI accepts
        export = re.search(r'href="([^"]+)" data-testid="export-xlsx"', listed)
        assert export and client.get(html.unescape(export.group(1))).status_code == 200


def test_open_cases_wait_on_the_case_officers_workbench_with_the_lists_total(
        client: TestClient, session: Session) -> None:
    person, employer = f.person(session), f.employer(session)
    for received in (date(2025, 6, 2), date.today()):  # one past its limit, one fresh
        service.disputes.apply(session, SYSTEM, DisputeCreate(
            applicant_person_id=person.id, employer_id=employer.id, claim_type="wages",
            received_on=received))
    service.complaints.file_complaint(session, SYSTEM, ComplaintCreate(
        complainant_person_id=person.id, employer_id=employer.id, received_on=date.today()))
    sign_in(client, f.staff(session, "case_officer", "500103"))
    work = todos(client.get("/").text)
    for key, count, overdue in (("labour.disputes", 2, 1), ("labour.complaints", 1, 0)):
        listed = client.get(work[key].href).text
        total = re.search(r'data-testid="list-total">(\d+)<', listed)
        assert total is not None and int(total.group(1)) == work[key].count == count
        assert work[key].overdue == overdue
    sign_in(client, f.staff(session, "statistician", "500103"))  # reads, never handles
    assert not {"labour.disputes", "labour.complaints"} & set(todos(client.get("/").text))


def test_a_case_from_the_counter_to_its_close(client: TestClient, session: Session) -> None:
    person, employer = f.person(session), f.employer(session)
    sign_in(client, f.staff(session, "case_officer", "500103"))
    received = (date.today() - timedelta(days=2)).isoformat()
    made = client.post("/labour/disputes", data={
        "resident_id": person.resident_id, "uscc": employer.uscc, "claim_type": "wages",
        "amount": "5000", "received_on": received}, follow_redirects=False)
    assert made.status_code == 303, made.text
    dispute = session.scalars(select(LabourDispute)).one()
    bad = client.post(f"/labour/disputes/{dispute.id}/accept",
                      data={"on": "2020-01-01", "version": str(dispute.version)})
    assert bad.status_code == 422 and "不能早于" in bad.text
    ok = client.post(f"/labour/disputes/{dispute.id}/accept",
                     data={"on": date.today().isoformat()}, follow_redirects=False)
    assert ok.status_code == 303
    closed = client.post(f"/labour/disputes/{dispute.id}/close", data={
        "outcome": "awarded", "on": date.today().isoformat()}, follow_redirects=False)
    assert closed.status_code == 303
    session.refresh(dispute)
    assert (dispute.state, dispute.outcome) == ("closed", "awarded")
    unknown = client.post("/labour/disputes/not-a-case", data={})
    assert unknown.status_code in (404, 405, 422)


def test_a_bad_counter_form_names_the_field_in_chinese(client: TestClient,
                                                       session: Session) -> None:
    sign_in(client, f.staff(session, "case_officer", "500103"))
    page = client.post("/labour/complaints", data={
        "resident_id": "110101199001011234", "uscc": "x", "received_on": "2026-13-01"})
    assert page.status_code == 422
    assert "未找到该公民身份号码的人员" in page.text
    assert "resident_id" not in re.sub(r'name="[^"]*"|id="[^"]*"|for="[^"]*"', "", page.text)


def test_the_worker_applies_and_follows_the_case(client: TestClient, session: Session) -> None:
    person, employer = f.person(session), f.employer(session)
    account = security.add_user(session, actor=SYSTEM, username="worker-labour",
                                role="citizen", password=f.PASSWORD, person_id=person.id)
    sign_in(client, security.principal_of(account))
    hall = client.get("/").text
    assert 'href="/my/labour"' in hall
    applied = client.post("/my/labour/disputes", data={
        "uscc": employer.uscc, "claim_type": "wages", "amount": "3000"},
        follow_redirects=False)
    assert applied.status_code == 303
    complained = client.post("/my/labour/complaints", data={
        "uscc": employer.uscc, "wage_arrears_amount": "12000", "workers_affected": "3"},
        follow_redirects=False)
    assert complained.status_code == 303
    page = client.get("/my/labour?done=applied").text
    dispute = session.scalars(select(LabourDispute)).one()
    assert dispute.case_no in page and "待受理" in page and "五日内" in page
    assert client.get(f"/labour/disputes/{dispute.id}").status_code in (302, 303, 403)


def test_the_employer_files_a_contract(client: TestClient, session: Session) -> None:
    person, employer = f.person(session), f.employer(session)
    account = security.add_user(session, actor=SYSTEM, username="employer-labour",
                                role="employer", password=f.PASSWORD, employer_id=employer.id)
    sign_in(client, security.principal_of(account))
    refused = client.post("/my/labour/contracts", data={
        "resident_id": person.resident_id, "kind": "fixed_term", "start_on": "2026-01-01",
        "end_on": "2026-06-30", "probation_months": "3"})
    assert refused.status_code == 422 and "试用期超过法定上限" in refused.text
    assert session.scalars(select(LabourContract)).all() == []
    filed = client.post("/my/labour/contracts", data={
        "resident_id": person.resident_id, "kind": "fixed_term", "start_on": "2026-01-01",
        "end_on": "2028-12-31", "probation_months": "2"}, follow_redirects=False)
    assert filed.status_code == 303
    page = client.get("/my/labour/contracts").text
    assert "固定期限" in page and "2028-12-31" in page


def _sheet(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["公民身份号码", "合同类型", "起始日期", "终止日期", "试用期（月）"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_upload_files_every_row_or_none(client: TestClient, session: Session) -> None:
    employer = f.employer(session)
    people = [f.person(session) for _ in range(3)]
    account = security.add_user(session, actor=SYSTEM, username="employer-upload",
                                role="employer", password=f.PASSWORD, employer_id=employer.id)
    sign_in(client, security.principal_of(account))
    good = [[people[0].resident_id, "无固定期限", "2026-01-01", None, 6],
            [people[1].resident_id, "固定期限", date(2026, 1, 1), date(2028, 12, 31), 2]]
    bad = [*good, [people[2].resident_id, "固定期限", "2026-01-01", "2026-06-30", 3],
           ["110101199001011234", "固定期限", "2026-01-01", "2027-01-01", 0],
           [people[0].resident_id, "临时工", "2026-01-01", None, 0]]
    refused = client.post("/my/labour/contracts/upload",
                          files={"file": ("合同.xlsx", _sheet(bad))})
    assert refused.status_code == 422
    report = refused.text[refused.text.index('data-testid="upload-report"'):]
    # Rows are numbered from 2 (row 1 is the header): 4 probation, 5 unknown ID,
    # 6 the same employee again and an unknown kind.
    for expected in ("试用期超过法定上限", "未找到该公民身份号码的人员", "同一职工在文件中出现多次",
                     "合同类型应为"):
        assert expected in report
    assert re.findall(r'<td[^>]* class="num">(\d+)</td>', report) == ["4", "5", "6", "6"]
    assert session.scalars(select(LabourContract)).all() == []
    filed = client.post("/my/labour/contracts/upload",
                        files={"file": ("合同.xlsx", _sheet(good))}, follow_redirects=False)
    assert filed.status_code == 303
    assert sorted(c.person_id for c in session.scalars(select(LabourContract))) == sorted(
        [people[0].id, people[1].id])
    again = client.post("/my/labour/contracts/upload",
                        files={"file": ("合同.xlsx", _sheet(good[:1]))})
    assert again.status_code == 422 and "已有在有效期内的劳动合同" in again.text
