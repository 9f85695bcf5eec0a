"""The HR service agency JSON API: a licence registered, renewed and revoked; annual
reports by the agency itself and by staff; the late list of a year against the seeded
31 March deadline; counts and revenue by district — each figure counted by hand."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.hragency.models import AgencyLicence, AgencyReport
from minsheng.platform.security import service as security
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f

API = "/api/v1/talent/agencies"


def _licence(client: TestClient, headers: dict[str, str], employer_id: int, no: str,
             issued: str = "2024-03-01", until: str = "2029-02-28") -> dict[str, object]:
    made = client.post(API, headers=headers, json={
        "licence_no": no, "employer_id": employer_id, "scope": ["job_intermediary", "training"],
        "issued_on": issued, "valid_until": until})
    assert made.status_code == 201, made.text
    body: dict[str, object] = made.json()
    return body


def _agency_login(client: TestClient, session: Session, employer_id: int) -> dict[str, str]:
    user = security.add_user(session, actor=SYSTEM, username=f"agency-{employer_id}",
                             role="employer", password=f.PASSWORD, employer_id=employer_id)
    return f.login(client, security.principal_of(user))


class TestLicence:
    def test_register_renew_revoke(self, client: TestClient, session: Session) -> None:
        agency = f.employer(session, name="重庆才聚人力资源有限公司")
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        lic = _licence(client, clerk, agency.id, "渝人社服（2024）001号")
        assert (lic["status"], lic["agency_name"], lic["region"]) == (
            "valid", "重庆才聚人力资源有限公司", "500103")
        assert lic["scope"] == ["job_intermediary", "training"]
        dup = client.post(API, headers=clerk, json={
            "licence_no": "渝人社服（2024）001号", "employer_id": f.employer(session).id,
            "scope": ["training"], "issued_on": "2024-01-01", "valid_until": "2025-01-01"})
        assert dup.status_code == 409
        second = client.post(API, headers=clerk, json={
            "licence_no": "渝人社服（2024）002号", "employer_id": agency.id,
            "scope": ["training"], "issued_on": "2025-01-01", "valid_until": "2030-01-01"})
        assert second.status_code == 409 and "延续" in second.json()["detail"]
        short = client.post(f"{API}/{lic['id']}/renew", headers=clerk,
                            json={"valid_until": "2029-01-01"})
        assert short.status_code == 422 and short.json()["errors"][0]["field"] == "valid_until"
        renewed = client.post(f"{API}/{lic['id']}/renew", headers=clerk,
                              json={"valid_until": "2034-02-28", "version": lic["version"]})
        assert renewed.status_code == 200 and renewed.json()["valid_until"] == "2034-02-28"
        stale = client.post(f"{API}/{lic['id']}/revoke", headers=clerk, json={
            "on": "2026-05-01", "reason": "违规", "version": lic["version"]})
        assert stale.status_code == 409
        revoked = client.post(f"{API}/{lic['id']}/revoke", headers=clerk, json={
            "on": "2026-05-01", "reason": "以欺骗手段取得许可",
            "version": renewed.json()["version"]})
        assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
        again = client.post(f"{API}/{lic['id']}/renew", headers=clerk,
                            json={"valid_until": "2040-01-01"})
        assert again.status_code == 409
        actions = set(session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject_type == "hr_agency_licence")))
        assert {"hragency.licence_register", "hragency.licence_renew",
                "hragency.licence_revoke"} <= actions

    def test_bad_input_and_scope(self, client: TestClient, session: Session) -> None:
        agency = f.employer(session)
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        for body, field in [
            ({"licence_no": "X1234", "employer_id": agency.id, "scope": [],
              "issued_on": "2024-01-01", "valid_until": "2025-01-01"}, "scope"),
            ({"licence_no": "X1234", "employer_id": agency.id, "scope": ["cooking"],
              "issued_on": "2024-01-01", "valid_until": "2025-01-01"}, "scope"),
            ({"licence_no": "X1234", "employer_id": agency.id, "scope": ["training"],
              "issued_on": "2024-01-01", "valid_until": "2023-01-01"}, "valid_until"),
        ]:
            refused = client.post(API, headers=clerk, json=body)
            assert refused.status_code == 422, refused.text
            assert field in str(refused.json()["errors"])
        fuling = f.login(client, f.staff(session, "clerk", "500102"))
        foreign = client.post(API, headers=fuling, json={
            "licence_no": "X1234", "employer_id": agency.id, "scope": ["training"],
            "issued_on": "2024-01-01", "valid_until": "2025-01-01"})
        assert foreign.status_code == 422
        lic = _licence(client, clerk, agency.id, "X9999")
        assert client.get(f"{API}/{lic['id']}", headers=fuling).status_code == 404
        assert session.scalar(select(func.count()).select_from(AgencyLicence)) == 1
        reader = f.login(client, f.staff(session, "statistician", "500103"))
        assert client.post(API, headers=reader, json={}).status_code == 403


class TestReports:
    def test_the_agency_files_its_own_report_only(self, client: TestClient,
                                                  session: Session) -> None:
        mine, other = f.employer(session), f.employer(session)
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        lic = _licence(client, clerk, mine.id, "R-0001")
        theirs = _licence(client, clerk, other.id, "R-0002")
        agency = _agency_login(client, session, mine.id)
        filed = client.post(f"{API}/{lic['id']}/reports", headers=agency, json={
            "year": 2025, "revenue_fen": 123456789, "placements": 320,
            "training_sessions": 12, "training_people": 450, "filed_on": "2026-03-20"})
        assert filed.status_code == 201, filed.text
        assert (filed.json()["revenue"], filed.json()["late"]) == ("1234567.89", False)
        twice = client.post(f"{API}/{lic['id']}/reports", headers=agency, json={
            "year": 2025, "revenue_fen": 1, "placements": 0, "training_sessions": 0,
            "training_people": 0})
        assert twice.status_code == 409
        foreign = client.post(f"{API}/{theirs['id']}/reports", headers=agency, json={
            "year": 2025, "revenue_fen": 1, "placements": 0, "training_sessions": 0,
            "training_people": 0})
        assert foreign.status_code == 404
        before = client.post(f"{API}/{lic['id']}/reports", headers=agency, json={
            "year": 2023, "revenue_fen": 1, "placements": 0, "training_sessions": 0,
            "training_people": 0})
        assert before.status_code == 422 and before.json()["errors"][0]["field"] == "year"
        negative = client.post(f"{API}/{lic['id']}/reports", headers=agency, json={
            "year": 2024, "revenue_fen": -1, "placements": 0, "training_sessions": 0,
            "training_people": 0})
        assert negative.status_code == 422
        late = client.post(f"{API}/{theirs['id']}/reports", headers=clerk, json={
            "year": 2024, "revenue_fen": 100, "placements": 1, "training_sessions": 0,
            "training_people": 0, "filed_on": "2025-04-01"})
        assert late.status_code == 201 and late.json()["late"] is True
        assert session.scalar(select(func.count()).select_from(AgencyReport)) == 2

    def test_late_list(self, client: TestClient, session: Session) -> None:
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        reported = _licence(client, clerk, f.employer(session).id, "LIC-1")
        silent = _licence(client, clerk, f.employer(session).id, "LIC-2")
        _licence(client, clerk, f.employer(session).id, "LIC-3", issued="2025-01-01",
                 until="2025-12-31")      # in force in 2025 only
        _licence(client, clerk, f.employer(session).id, "LIC-4", issued="2026-01-05",
                 until="2031-01-04")      # not licensed in 2025
        client.post(f"{API}/{reported['id']}/reports", headers=clerk, json={
            "year": 2025, "revenue_fen": 5, "placements": 0, "training_sessions": 0,
            "training_people": 0, "filed_on": "2026-02-01"})
        late = client.get(f"{API}/late?year=2025", headers=clerk).json()
        assert sorted(i["licence_no"] for i in late["items"]) == ["LIC-2", "LIC-3"]
        assert late["items"][0]["deadline"] == "2026-03-31"
        assert silent["id"] in [i["licence_id"] for i in late["items"]]
        assert client.get(f"{API}/late?year=1800", headers=clerk).status_code == 422


class TestCounts:
    def test_by_district_and_year(self, client: TestClient, session: Session) -> None:
        admin = f.login(client, f.staff(session, "admin", ""))
        yz = [f.employer(session, region="500103") for _ in range(3)]
        fl = f.employer(session, region="500102")
        a = _licence(client, admin, yz[0].id, "CQC-1", "2020-01-01", "2030-01-01")
        b = _licence(client, admin, yz[1].id, "CQC-2", "2025-06-01", "2030-01-01")
        c = _licence(client, admin, yz[2].id, "CQC-3", "2020-01-01", "2030-01-01")
        d = _licence(client, admin, fl.id, "CQC-4", "2021-01-01", "2030-01-01")
        client.post(f"{API}/{c['id']}/revoke", headers=admin,
                    json={"on": "2025-10-01", "reason": "违规"})
        for lic, fen, placed in [(a, 100_000_00, 10), (b, 25_000_50, 3), (c, 7_000_00, 1),
                                 (d, 40_000_00, 6)]:
            filed = client.post(f"{API}/{lic['id']}/reports", headers=admin, json={
                "year": 2025, "revenue_fen": fen, "placements": placed,
                "training_sessions": 0, "training_people": 0, "filed_on": "2026-03-01"})
            assert filed.status_code == 201, filed.text
        found = client.get(f"{API}/counts?year=2025", headers=admin).json()
        by = {r["region"]: r for r in found}
        # 渝中: A and B in force on 31 Dec 2025 (C revoked 1 Oct) → 2 agencies, 2 reported;
        # revenue of every 2025 report: 100,000.00 + 25,000.50 + 7,000.00 = 132,000.50.
        assert (by["500103"]["agencies"], by["500103"]["reported"]) == (2, 2)
        assert by["500103"]["revenue"] == "132000.50"
        assert by["500103"]["placements"] == 14
        assert (by["500102"]["agencies"], by["500102"]["revenue"]) == (1, "40000.00")
        only = client.get(f"{API}/counts?year=2025&region=500102", headers=admin).json()
        assert [r["region"] for r in only] == ["500102"]
        clerk = f.login(client, f.staff(session, "clerk", "500102"))
        outside = client.get(f"{API}/counts?year=2025&region=500103", headers=clerk)
        assert outside.status_code == 422
        assert client.get(f"{API}/counts?year=abc", headers=clerk).status_code == 422
        assert client.get(f"{API}/counts?year=1800", headers=clerk).status_code == 422
        # without a year: last year's figures
        last = date.today().year - 1
        assert client.get(f"{API}/counts", headers=clerk).json() == client.get(
            f"{API}/counts?year={last}", headers=clerk).json()
