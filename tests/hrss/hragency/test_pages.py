"""The HR service agency pages: staff roles open the registry and a licence; a clerk
registers, renews and revokes; the late list of a year and the exports; the agency files
its annual report from its own page."""

from __future__ import annotations

import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.hragency import service
from minsheng.hrss.hragency.models import AgencyLicence, AgencyReport
from minsheng.hrss.hragency.schemas import LicenceCreate, ReportCreate
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.live import sign_in


def _licence(session: Session, no: str, region: str = "500103",
             issued: date = date(2023, 1, 1)) -> AgencyLicence:
    employer = f.employer(session, region=region, name=f"{no} 人力资源公司")
    return service.register(session, SYSTEM, LicenceCreate(
        licence_no=no, employer_id=employer.id, scope=["job_intermediary"],
        issued_on=issued, valid_until=date(2030, 12, 31)))


@pytest.mark.parametrize("role", ["clerk", "case_officer", "reviewer", "statistician",
                                  "admin", "auditor"])
def test_every_staff_page_answers_in_chinese(client: TestClient, session: Session,
                                             role: str) -> None:
    lic = _licence(session, "PAGE-001")
    sign_in(client, f.staff(session, role, "500103"))
    for url in ("/talent/agencies", f"/talent/agencies/{lic.id}",
                "/talent/agencies?year=2024&state=valid"):
        page = client.get(url)
        assert page.status_code == 200, (url, page.text[:300])
        assert "PAGE-001" in page.text
    detail = client.get(f"/talent/agencies/{lic.id}").text
    assert ('data-testid="revoke-form"' in detail) == (role in ("clerk", "case_officer",
                                                                "admin"))


def test_register_renew_revoke_on_the_pages(client: TestClient, session: Session) -> None:
    agency = f.employer(session, name="重庆英才人力资源有限公司")
    sign_in(client, f.staff(session, "clerk", "500103"))
    none_chosen = client.post("/talent/agencies", data={
        "licence_no": "渝人服证 2026-01", "uscc": agency.uscc, "issued_on": "2026-01-05",
        "valid_until": "2031-01-04"})
    assert none_chosen.status_code == 422 and "服务范围" in none_chosen.text
    made = client.post("/talent/agencies", data={
        "licence_no": "渝人服证2026-01", "uscc": agency.uscc, "issued_on": "2026-01-05",
        "valid_until": "2031-01-04", "scope": ["job_intermediary", "consulting"]},
        follow_redirects=False)
    assert made.status_code == 303, made.text
    lic = session.scalars(select(AgencyLicence)).one()
    assert lic.scope == "consulting,job_intermediary"
    renewed = client.post(f"/talent/agencies/{lic.id}/renew", data={
        "valid_until": "2036-01-04", "version": str(lic.version)}, follow_redirects=False)
    assert renewed.status_code == 303
    revoked = client.post(f"/talent/agencies/{lic.id}/revoke", data={
        "on": "2026-06-01", "reason": "超范围经营"}, follow_redirects=False)
    assert revoked.status_code == 303
    page = client.get(f"/talent/agencies/{lic.id}").text
    assert "已吊销" in page and "超范围经营" in page
    unknown = client.post(f"/talent/agencies/{lic.id}/dance", data={})
    assert unknown.status_code == 422


def test_late_list_and_exports(client: TestClient, session: Session) -> None:
    filed = _licence(session, "LATE-001")
    _licence(session, "LATE-002")
    _licence(session, "LATE-003", region="500102")
    service.file_report(session, SYSTEM, filed.id, ReportCreate(
        year=2024, revenue_fen=500_000, placements=3, training_sessions=1, training_people=9,
        filed_on=date(2025, 3, 1)))
    sign_in(client, f.staff(session, "statistician", "500103"))
    page = client.get("/talent/agencies?year=2024").text
    late = page[page.index('data-testid="late-list"'):page.index('data-testid="registry"')]
    assert "LATE-002" in late and "LATE-001" not in late and "LATE-003" not in late
    assert "逾期未报送" in late and "2025-03-31" in late
    book = load_workbook(io.BytesIO(client.get("/talent/agencies/late.xlsx?year=2024").content))
    sheet = book.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["LATE-002"]
    reg = load_workbook(io.BytesIO(client.get("/talent/agencies.xlsx").content)).active
    assert reg is not None
    assert sorted(r[0] for r in list(reg.iter_rows(values_only=True))[1:]) == [
        "LATE-001", "LATE-002"]


def test_the_agency_files_its_report(client: TestClient, session: Session) -> None:
    lic = _licence(session, "SELF-001")
    account = security.add_user(session, actor=SYSTEM, username="agency-self", role="employer",
                                password=f.PASSWORD, employer_id=lic.employer_id)
    sign_in(client, security.principal_of(account))
    assert 'href="/my/talent/agency"' in client.get("/").text
    page = client.get("/my/talent/agency").text
    assert "SELF-001" in page and "报送年度报告" in page
    bad = client.post("/my/talent/agency/reports", data={
        "year": "2025", "revenue": "12.345", "placements": "1", "training_sessions": "0",
        "training_people": "0"})
    assert bad.status_code == 422 and "营业收入" in bad.text
    far = client.post("/my/talent/agency/reports", data={
        "year": "3000", "revenue": "1", "placements": "1", "training_sessions": "0",
        "training_people": "0"})
    assert far.status_code == 422 and "年度" in far.text
    ok = client.post("/my/talent/agency/reports", data={
        "year": "2025", "revenue": "1250000.50", "placements": "80", "training_sessions": "4",
        "training_people": "120"}, follow_redirects=False)
    assert ok.status_code == 303, ok.text
    report = session.scalars(select(AgencyReport)).one()
    assert (report.revenue_fen, report.placements) == (125_000_050, 80)
    assert "1,250,000.50" in client.get("/my/talent/agency").text
    other = f.employer(session)
    stranger = security.add_user(session, actor=SYSTEM, username="not-an-agency",
                                 role="employer", password=f.PASSWORD, employer_id=other.id)
    client.cookies.clear()
    sign_in(client, security.principal_of(stranger))
    assert "无需报送" in client.get("/my/talent/agency").text
