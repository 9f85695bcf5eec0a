"""The labour JSON API as its users call it: a dispute from application to award, with
the periods, the extension and the steps the law refuses; complaints; contracts and the
signing rate; tripartite bodies."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.labour.models import LabourDispute
from minsheng.platform.security.models import AuditEvent
from tests import factories as f

API = "/api/v1/labour"


def _parties(session: Session, region: str = "500103") -> tuple[int, int]:
    return f.person(session, residence_region=region).id, f.employer(session, region=region).id


class TestDisputes:
    def test_from_application_to_award(self, client: TestClient, session: Session) -> None:
        person, employer = _parties(session)
        officer = f.login(client, f.staff(session, "case_officer", "500103"))
        created = client.post(f"{API}/disputes", headers=officer, json={
            "applicant_person_id": person, "employer_id": employer, "claim_type": "wages",
            "amount": "8000.00", "received_on": "2026-02-12"})
        assert created.status_code == 201, created.text
        body = created.json()
        # 12 Feb 2026 + 5 days = 17 Feb, in the Spring Festival holiday → 24 Feb.
        assert (body["state"], body["acceptance_due"]) == ("received", "2026-02-24")
        assert body["case_no"].startswith("CQLD2026")
        dispute = body["id"]
        accepted = client.post(f"{API}/disputes/{dispute}/accept", headers=officer,
                               json={"on": "2026-02-24"})
        assert accepted.status_code == 200, accepted.text
        # 24 Feb + 45 days = 10 Apr 2026 (Friday, a working day): 4 to 28 Feb, 31 to 31 Mar,
        # 10 more.
        assert accepted.json()["award_due"] == "2026-04-10"
        # 8,000 ≤ 12 × the minimum wage (2,100 in 50 since 2022-04): a final award.
        assert accepted.json()["final_award"] is True
        reviewer = f.login(client, f.staff(session, "reviewer", "500103"))
        extended = client.post(f"{API}/disputes/{dispute}/extend", headers=reviewer,
                               json={"days": 15, "approved_by_note": "仲裁委主任 批准 2026-1号"})
        assert extended.status_code == 200, extended.text
        # 60 days after 24 Feb = 25 Apr 2026 (Saturday, not a make-up day) → Mon 27 Apr.
        assert extended.json()["award_due"] == "2026-04-27"
        again = client.post(f"{API}/disputes/{dispute}/extend", headers=reviewer,
                            json={"days": 1, "approved_by_note": "再次"})
        assert again.status_code == 409 and "只能延长一次" in again.json()["detail"]
        closed = client.post(f"{API}/disputes/{dispute}/close", headers=officer,
                             json={"outcome": "awarded", "on": "2026-04-20"})
        assert closed.status_code == 200, closed.text
        assert (closed.json()["state"], closed.json()["outcome"]) == ("closed", "awarded")
        actions = set(session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject_type == "labour_dispute")))
        assert {"labour.dispute_apply", "labour.dispute_accept", "labour.dispute_extend",
                "labour.dispute_close"} <= actions

    def test_steps_out_of_order_and_bad_dates(self, client: TestClient,
                                              session: Session) -> None:
        person, employer = _parties(session)
        officer = f.login(client, f.staff(session, "case_officer", "500103"))
        dispute = client.post(f"{API}/disputes", headers=officer, json={
            "applicant_person_id": person, "employer_id": employer,
            "claim_type": "compensation", "amount": "100", "received_on": "2026-03-02"}
        ).json()["id"]
        award = client.post(f"{API}/disputes/{dispute}/close", headers=officer,
                            json={"outcome": "awarded", "on": "2026-03-03"})
        assert award.status_code == 409 and "待受理" in award.json()["detail"]
        early = client.post(f"{API}/disputes/{dispute}/accept", headers=officer,
                            json={"on": "2026-03-01"})
        assert early.status_code == 422
        assert early.json()["errors"][0]["field"] == "on"
        assert "早于" in early.json()["detail"] or "早于" in str(early.json()["errors"])
        reviewer = f.login(client, f.staff(session, "reviewer", "500103"))
        long = client.post(f"{API}/disputes/{dispute}/extend", headers=reviewer,
                           json={"days": 16, "approved_by_note": "x"})
        assert long.status_code == 422
        assert session.get(LabourDispute, dispute).state == "received"

    def test_out_of_time_cannot_be_accepted(self, client: TestClient, session: Session) -> None:
        person, employer = _parties(session)
        officer = f.login(client, f.staff(session, "case_officer", "500103"))
        dispute = client.post(f"{API}/disputes", headers=officer, json={
            "applicant_person_id": person, "employer_id": employer, "claim_type": "damages",
            "amount": "100", "received_on": "2026-03-10", "knew_on": "2025-03-09"}).json()["id"]
        refused = client.post(f"{API}/disputes/{dispute}/accept", headers=officer,
                              json={"on": "2026-03-11"})
        assert refused.status_code == 422 and "仲裁时效" in refused.json()["detail"]
        rejected = client.post(f"{API}/disputes/{dispute}/close", headers=officer,
                               json={"outcome": "not_accepted", "on": "2026-03-11"})
        assert rejected.json()["outcome"] == "not_accepted"

    def test_overdue_list_and_scope(self, client: TestClient, session: Session) -> None:
        person, employer = _parties(session)
        other_person, other_employer = _parties(session, "500106")
        admin = f.login(client, f.staff(session, "admin", ""))
        for p, e in ((person, employer), (other_person, other_employer)):
            client.post(f"{API}/disputes", headers=admin, json={
                "applicant_person_id": p, "employer_id": e, "claim_type": "wages",
                "received_on": "2025-01-06"})
        client.post(f"{API}/disputes", headers=admin, json={
            "applicant_person_id": person, "employer_id": employer, "claim_type": "wages",
            "received_on": date.today().isoformat()})
        clerk = f.login(client, f.staff(session, "statistician", "500103"))
        overdue = client.get(f"{API}/disputes?overdue=true", headers=clerk).json()
        assert overdue["total"] == 1 and overdue["items"][0]["overdue"] is True
        assert client.get(f"{API}/disputes", headers=clerk).json()["total"] == 2

    def test_a_worker_applies_for_himself_only(self, client: TestClient,
                                               session: Session) -> None:
        person, employer = _parties(session)
        someone = f.person(session).id
        citizen = f.staff(session, "citizen", "", person_id=person)
        headers = f.login(client, citizen)
        own = client.post(f"{API}/disputes", headers=headers, json={
            "applicant_person_id": person, "employer_id": employer, "claim_type": "wages",
            "received_on": "2026-03-02"})
        assert own.status_code == 201
        other = client.post(f"{API}/disputes", headers=headers, json={
            "applicant_person_id": someone, "employer_id": employer, "claim_type": "wages",
            "received_on": "2026-03-02"})
        assert other.status_code == 422
        assert client.get(f"{API}/disputes/{own.json()['id']}", headers=headers).status_code == 200
        assert client.post(f"{API}/disputes/{own.json()['id']}/accept", headers=headers,
                           json={"on": "2026-03-02"}).status_code == 403

    def test_concurrent_change_is_refused(self, client: TestClient, session: Session) -> None:
        person, employer = _parties(session)
        officer = f.login(client, f.staff(session, "case_officer", "500103"))
        created = client.post(f"{API}/disputes", headers=officer, json={
            "applicant_person_id": person, "employer_id": employer, "claim_type": "wages",
            "received_on": "2026-03-02"}).json()
        first = client.post(f"{API}/disputes/{created['id']}/accept", headers=officer,
                            json={"on": "2026-03-03", "version": created["version"]})
        assert first.status_code == 200
        second = client.post(f"{API}/disputes/{created['id']}/close", headers=officer,
                             json={"outcome": "withdrawn", "on": "2026-03-04",
                                   "version": created["version"]})
        assert second.status_code == 409


class TestComplaints:
    def test_accept_extend_close_and_arrears(self, client: TestClient, session: Session) -> None:
        person, employer = _parties(session)
        officer = f.login(client, f.staff(session, "case_officer", "500103"))
        created = client.post(f"{API}/complaints", headers=officer, json={
            "complainant_person_id": person, "employer_id": employer,
            "received_on": "2025-09-26", "wage_arrears_amount": "56000.00",
            "workers_affected": 7})
        assert created.status_code == 201, created.text
        # Fri 26 Sep 2025: Sun 28 (make-up), Mon 29, Tue 30, Thu 9 Oct, Fri 10 Oct.
        assert created.json()["acceptance_due"] == "2025-10-10"
        complaint = created.json()["id"]
        arrears = client.get(f"{API}/arrears", headers=officer).json()
        assert [(a["employer_id"], a["amount"], a["workers"]) for a in arrears] == [
            (employer, "56000.00", 7)]
        accepted = client.post(f"{API}/complaints/{complaint}/accept", headers=officer,
                               json={"on": "2025-10-09"})
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["investigation_due"] is not None
        reviewer = f.login(client, f.staff(session, "reviewer", "500103"))
        extended = client.post(f"{API}/complaints/{complaint}/extend", headers=reviewer,
                               json={"approved_by_note": "局长批准"})
        assert extended.status_code == 200 and extended.json()["extended"] is True
        twice = client.post(f"{API}/complaints/{complaint}/extend", headers=reviewer,
                            json={"approved_by_note": "再次"})
        assert twice.status_code == 409
        closed = client.post(f"{API}/complaints/{complaint}/close", headers=officer, json={
            "outcome": "rectified", "on": "2025-11-03", "recovered_amount": "56000.00"})
        assert closed.status_code == 200, closed.text
        assert client.get(f"{API}/arrears", headers=officer).json() == []

    def test_outside_the_lookback_is_not_accepted(self, client: TestClient,
                                                  session: Session) -> None:
        person, employer = _parties(session)
        officer = f.login(client, f.staff(session, "case_officer", "500103"))
        complaint = client.post(f"{API}/complaints", headers=officer, json={
            "complainant_person_id": person, "employer_id": employer,
            "received_on": "2026-03-02", "violation_on": "2024-03-01"}).json()["id"]
        refused = client.post(f"{API}/complaints/{complaint}/accept", headers=officer,
                              json={"on": "2026-03-03"})
        assert refused.status_code == 422 and "两年" in refused.json()["detail"]

    def test_bad_input(self, client: TestClient, session: Session) -> None:
        person, employer = _parties(session)
        officer = f.login(client, f.staff(session, "case_officer", "500103"))
        for body in ({"complainant_person_id": person, "employer_id": employer,
                      "received_on": "2026-02-30"},
                     {"complainant_person_id": person, "employer_id": employer,
                      "received_on": "2026-03-02", "wage_arrears_amount": "-1"},
                     {"complainant_person_id": person, "employer_id": employer,
                      "received_on": "2026-03-02", "violation_on": "2026-03-05"}):
            answer = client.post(f"{API}/complaints", headers=officer, json=body)
            assert answer.status_code == 422, body
            assert answer.json()["detail"] and answer.json().get("detail_en")


class TestContracts:
    def test_signing_rate_and_probation(self, client: TestClient, session: Session) -> None:
        employer = f.employer(session, region="500103")
        people = [f.person(session) for _ in range(4)]
        for p in people:
            f.enrolment(session, p.id, "employee_pension", employer_id=employer.id,
                        start_month="2025-01")
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        for p in people[:3]:
            filed = client.post(f"{API}/contracts", headers=clerk, json={
                "person_id": p.id, "employer_id": employer.id, "kind": "open_ended",
                "start_on": "2025-01-01"})
            assert filed.status_code == 201, filed.text
        too_long = client.post(f"{API}/contracts", headers=clerk, json={
            "person_id": people[3].id, "employer_id": employer.id, "kind": "fixed_term",
            "start_on": "2025-01-01", "end_on": "2025-06-30", "probation_months": 2})
        assert too_long.status_code == 422
        assert too_long.json()["errors"][0]["field"] == "probation_months"
        rate = client.get(f"{API}/signing-rate?region=500103&on=2026-03-31",
                          headers=clerk).json()
        # 3 of the 4 insured employees have a contract in force: 75.00 %.
        assert (rate["insured"], rate["with_contract"], rate["rate"]) == (4, 3, "75.00")


class TestTripartite:
    def test_register_and_list(self, client: TestClient, session: Session) -> None:
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        made = client.post(f"{API}/tripartite-bodies", headers=clerk, json={
            "name": "渝中区劳动关系三方协调委员会", "level": "district", "region": "500103",
            "established_on": "2018-05-01"})
        assert made.status_code == 201, made.text
        outside = client.post(f"{API}/tripartite-bodies", headers=clerk, json={
            "name": "沙坪坝区协调委员会", "level": "district", "region": "500106",
            "established_on": "2018-05-01"})
        assert outside.status_code == 422
        listed = client.get(f"{API}/tripartite-bodies", headers=clerk).json()
        assert [b["name"] for b in listed] == ["渝中区劳动关系三方协调委员会"]
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "labour.tripartite_register")) == 1


class TestCollectiveContracts:
    def test_filed_with_the_employees_covered(self, client: TestClient,
                                              session: Session) -> None:
        employer = f.employer(session)
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        made = client.post(f"{API}/collective-contracts", headers=clerk, json={
            "employer_id": employer.id, "kind": "wages", "start_on": "2026-01-01",
            "end_on": "2028-12-31", "employees_covered": 320, "filed_on": "2026-01-05"})
        assert made.status_code == 201, made.text
        # Filed 5 Jan: in force 15 days later, 20 Jan, after its 1 Jan start (art. 54).
        assert made.json()["in_force_from"] == "2026-01-20"
        backwards = client.post(f"{API}/collective-contracts", headers=clerk, json={
            "employer_id": employer.id, "kind": "general", "start_on": "2026-01-01",
            "end_on": "2025-12-31", "employees_covered": 3, "filed_on": "2026-01-05"})
        assert backwards.status_code == 422
        none = client.post(f"{API}/collective-contracts", headers=clerk, json={
            "employer_id": employer.id, "kind": "general", "start_on": "2026-01-01",
            "end_on": "2027-12-31", "employees_covered": 0, "filed_on": "2026-01-05"})
        assert none.status_code == 422
        listed = client.get(f"{API}/collective-contracts", headers=clerk).json()
        assert [(c["kind"], c["employees_covered"]) for c in listed] == [("wages", 320)]
