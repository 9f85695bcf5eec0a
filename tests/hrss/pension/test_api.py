"""Pension over HTTP: awards, status, certification, due list, payroll, poverty, death."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.pension.models import PensionOverpayment, PensionPayment
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.hrss.pension.test_payroll import _payroll


class TestStatusAndCertification:
    def test_clerk_certifies_by_home_visit_and_due_moves_a_year(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        p = f.recipient(session, last_certified=date(2025, 12, 10))
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        due = client.get("/api/v1/pension/certifications/due",
                         params={"within_days": 60}, headers=headers).json()
        assert p.id in [d["person_id"] for d in due]
        made = client.post(f"/api/v1/persons/{p.id}/pension/certifications", headers=headers,
                           json={"method": "home_visit", "on": "2026-11-20",
                                 "evidence": "社区上门"})
        assert made.status_code == 201, made.text
        assert made.json()["next_due"] == "2027-11-20"
        status = client.get(f"/api/v1/persons/{p.id}/pension", headers=headers).json()
        assert status["status"] == "active"
        assert status["awards"][0]["version"] == 1

    def test_staff_may_not_do_a_self_service_face_check(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        p = f.recipient(session)
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        response = client.post(f"/api/v1/persons/{p.id}/pension/certifications",
                               headers=headers, json={"method": "face"})
        assert response.status_code == 422

    def test_citizen_certifies_themself_and_sees_only_their_pension(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        me, other = f.recipient(session), f.recipient(session)
        user = security.add_user(session, actor=SYSTEM, username="retiree", role="citizen",
                                 password=f.PASSWORD, person_id=me.id)
        headers = f.login(client, security.principal_of(user))
        assert client.post(f"/api/v1/persons/{me.id}/pension/certifications", headers=headers,
                           json={"method": "face"}).status_code == 201
        assert client.get(f"/api/v1/persons/{other.id}/pension",
                          headers=headers).status_code == 404

    def test_certification_at_the_peer_node_is_recorded_with_the_node(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        p = f.recipient(session)
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        made = client.post(f"/api/v1/persons/{p.id}/pension/certifications", headers=headers,
                           json={"method": "peer_node", "node": "sc", "on": "2026-10-01"})
        assert made.json()["node"] == "sc"


class TestDeath:
    def test_death_cancels_the_card_and_recovers_later_months(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        p = f.recipient(session, last_certified=date(2026, 6, 1))
        card = f.card(session, person_id=p.id, state="active")
        for month in (202608, 202609, 202610):
            _payroll(session, month)
        for payment in session.scalars(select(PensionPayment)):
            payment.status = "paid"
        session.flush()
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        response = client.post(f"/api/v1/persons/{p.id}/death", headers=headers,
                               json={"death_date": "2026-09-05"})
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "deceased"
        months = set(session.scalars(select(PensionOverpayment.benefit_month)
                                     .where(PensionOverpayment.person_id == p.id)))
        assert months == {202610}
        status = client.get(f"/api/v1/persons/{p.id}/pension", headers=headers).json()
        assert status["status"] == "stopped"
        assert status["overpayments"][0]["benefit_month"] == "2026-10"
        session.refresh(card)
        assert card.state == "cancelled"


class TestPoverty:
    def test_three_checks_per_district(self, client: TestClient, session: Session) -> None:
        from minsheng.hrss.insurance import service as insurance

        f.contribution_rule(session)
        region = "500156"  # 武隆区: left alone by the other tests
        poor = f.recipient(session, region=region, last_certified=date(2026, 6, 1))
        insurance.designate(session, SYSTEM, poor.id, "poverty_registered", date(2016, 1, 1))
        headers = f.login(client, f.staff(session, "statistician", "50"))
        before = client.get("/api/v1/pension/poverty", headers=headers, params={
            "year": 2026, "month": "2026-11", "region": region}).json()
        district = next(d for d in before["districts"] if d["region"] == region)
        assert (district["eligible_benefit"], district["paid_benefit"]) == (1, 0)
        assert poor.id in before["benefit_not_paid_ids"]
        _payroll(session, 202611)
        after = client.get("/api/v1/pension/poverty", headers=headers, params={
            "year": 2026, "month": "2026-11", "region": region}).json()
        district = next(d for d in after["districts"] if d["region"] == region)
        assert district["paid_benefit"] == 1
        assert district["enrolled"] == district["should_enrol"] == 1
