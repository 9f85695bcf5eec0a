"""Deadlines from the stored calendar, and an admin publishing a new year."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests import factories as f


class TestDeadline:
    def test_national_day_2026_is_skipped(self, client: TestClient, session: Session) -> None:
        headers = f.login(client, f.staff(session))
        # 2026-09-30 (Wed) + 1 working day: 10-01..10-07 are holidays in the 2026 arrangement,
        # so the next working day is Thursday 10-08.
        got = client.get("/api/v1/calendar/deadline",
                         params={"start": "2026-09-30", "workdays": 1}, headers=headers).json()
        assert got["due_date"] == "2026-10-08"
        assert got["estimated"] is False

    def test_unknown_year_is_estimated_and_says_so(
        self, client: TestClient, session: Session
    ) -> None:
        headers = f.login(client, f.staff(session))
        got = client.get("/api/v1/calendar/deadline",
                         params={"start": "2026-12-30", "workdays": 5}, headers=headers).json()
        assert got["estimated"] is True
        assert "估算" in got["note"]

    def test_negative_workdays_is_422(self, client: TestClient, session: Session) -> None:
        headers = f.login(client, f.staff(session))
        response = client.get("/api/v1/calendar/deadline",
                              params={"start": "2026-01-05", "workdays": -1}, headers=headers)
        assert response.status_code == 422


class TestPublishYear:
    def test_admin_publishes_and_clerk_may_not(self, client: TestClient, session: Session) -> None:
        body = {"year": 2027, "source": "测试通知",
                "days": [{"day": "2027-01-01", "kind": "holiday", "name": "元旦"}]}
        clerk = f.login(client, f.staff(session, "clerk"))
        assert client.post("/api/v1/calendar/years", json=body, headers=clerk).status_code == 403
        admin = f.login(client, f.staff(session, "admin", ""))
        assert client.post("/api/v1/calendar/years", json=body, headers=admin).status_code == 201
        years = [y["year"] for y in client.get("/api/v1/calendar/years", headers=admin).json()]
        assert 2027 in years
        again = client.post("/api/v1/calendar/years", json=body, headers=admin)
        assert again.status_code == 409
        after = client.get("/api/v1/calendar/deadline",
                           params={"start": "2026-12-31", "workdays": 1}, headers=admin).json()
        assert after == {**after, "due_date": "2027-01-04", "estimated": False}
