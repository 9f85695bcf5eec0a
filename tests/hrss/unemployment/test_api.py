"""``POST /api/v1/unemployment/estimate`` and the JSON claim flow."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests import factories as f
from tests.factories.unemployment import insured


class TestEstimate:
    @pytest.mark.parametrize(("months", "eligible", "expected", "band"), [
        (11, False, 0, "<1y"), (12, True, 3, "1y"), (13, True, 3, "1y"),
        (59, True, 12, "4y"), (60, True, 15, "5-7y"), (61, True, 15, "5-7y"),
        (119, True, 18, "9y"), (120, True, 19, "10y"), (121, True, 19, "10y"),
    ])
    def test_chongqing(self, client: TestClient, months: int, eligible: bool, expected: int,
                       band: str) -> None:
        response = client.post("/api/v1/unemployment/estimate",
                               json={"contribution_months": months, "region": "500103"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["eligible"], body["months"], body["band"]) == (eligible, expected, band)
        assert body["monthly_amount"] == "1440.00"

    def test_unknown_region_is_422_naming_the_field(self, client: TestClient) -> None:
        response = client.post("/api/v1/unemployment/estimate",
                               json={"contribution_months": 60, "region": "990000"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "region"

    def test_region_without_amount(self, client: TestClient) -> None:
        response = client.post("/api/v1/unemployment/estimate",
                               json={"contribution_months": 60, "region": "510104"})
        assert response.status_code == 422


class TestClaimFlow:
    def test_clerk_registers_claims_and_approves(self, client: TestClient,
                                                 session: Session) -> None:
        person, _ = insured(session)
        clerk = f.staff(session, "clerk", "500103")
        headers = f.login(client, clerk)
        r = client.post("/api/v1/unemployment/registrations", headers=headers,
                        json={"person_id": person.id, "registered_date": "2020-01-06",
                              "separation_reason": "dismissed"})
        assert r.status_code == 201, r.text
        c = client.post("/api/v1/unemployment/claims", headers=headers,
                        json={"person_id": person.id, "bank_account": "6222000011112222"})
        assert c.status_code == 201, c.text
        assert c.json()["entitled_months"] == 15 and c.json()["monthly_amount"] == "1440.00"
        d = client.post(f"/api/v1/unemployment/claims/{c.json()['id']}/decision",
                        headers=headers, json={"approve": True})
        assert d.json()["status"] == "active"
        e = client.post(f"/api/v1/unemployment/registrations/{person.id}/end", headers=headers,
                        json={"on": date(2020, 5, 1).isoformat(), "reason": "re_employed"})
        assert e.json()["end_reason"] == "re_employed"

    def test_citizen_cannot_decide(self, client: TestClient, session: Session) -> None:
        from minsheng.platform.security import service as security

        person, _ = insured(session)
        user = security.add_user(session, actor=f.SYSTEM, username="c-un", role="citizen",
                                 password=f.PASSWORD, person_id=person.id)
        headers = f.login(client, security.principal_of(user))
        r = client.post("/api/v1/unemployment/claims/1/decision", headers=headers,
                        json={"approve": True})
        assert r.status_code == 403
