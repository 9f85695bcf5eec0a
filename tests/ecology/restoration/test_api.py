"""Per-mine plans, quarterly progress, acceptance and substituted-restoration cases
through the JSON API."""

from __future__ import annotations

import struct
import zlib
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.platform.security.models import AuditEvent
from tests import factories as f
from tests.factories import ecology as h

API = "/api/v1/ecology"


def _png() -> bytes:
    """A valid 1×1 PNG (signature, IHDR, IDAT, IEND)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x2e\x8b\x57")) + chunk(b"IEND", b""))


def _plan(client: TestClient, auth: dict[str, str], mine_id: int, **extra: object
          ) -> dict[str, object]:
    response = client.post(f"{API}/restoration-plans", headers=auth, json={
        "mine_id": mine_id, "mode": "engineered", "target_land_use": "forest",
        "planned_area_ha": "20", "budget": "8000000", "deadline": "2021-12-31", **extra})
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


class TestPlans:
    def test_only_closed_or_abandoned_mines_get_a_plan_and_only_one(
            self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        operating = h.mine(session)
        response = client.post(f"{API}/restoration-plans", headers=auth, json={
            "mine_id": operating.id, "mode": "natural", "target_land_use": "forest",
            "planned_area_ha": "5", "budget": "0", "deadline": "2021-12-31"})
        assert response.status_code == 409
        assert response.json()["mine_status"] == "operating"
        site = h.mine(session, status="abandoned", geometry=h.polygon(h.square(107.5, 29.6)))
        _plan(client, auth, site.id)
        again = client.post(f"{API}/restoration-plans", headers=auth, json={
            "mine_id": site.id, "mode": "natural", "target_land_use": "forest",
            "planned_area_ha": "5", "budget": "0", "deadline": "2021-12-31"})
        assert again.status_code == 409

    def test_quarterly_progress_within_the_plan_then_acceptance(
            self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        site = h.mine(session, status="abandoned")
        plan = _plan(client, auth, site.id)
        url = f"{API}/restoration-plans/{plan['id']}"
        for quarter, area, money in (("2020Q1", "8.5", "3000000"), ("2020Q2", "11.5", "4500000")):
            response = client.post(f"{url}/progress", headers=auth, json={
                "quarter": quarter, "area_restored_ha": area, "money_spent": money})
            assert response.status_code == 201, response.text
        detail = response.json()
        assert detail["status"] == "in_progress"
        assert detail["restored_area_ha"] == 20.0
        assert detail["money_spent"] == "7500000.00"
        assert detail["progress_share"] == 1.0
        too_much = client.post(f"{url}/progress", headers=auth, json={
            "quarter": "2020Q3", "area_restored_ha": "0.0001", "money_spent": "1"})
        assert too_much.status_code == 422
        assert too_much.json()["errors"][0]["field"] == "area_restored_ha"
        twice = client.post(f"{url}/progress", headers=auth, json={
            "quarter": "2020Q2", "area_restored_ha": "0", "money_spent": "1"})
        assert twice.status_code == 409
        accepted = client.post(f"{url}/acceptance", headers=auth,
                               json={"accepted_date": "2020-09-30"})
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["accepted_area_ha"] == 20.0
        after = client.post(f"{url}/progress", headers=auth, json={
            "quarter": "2020Q4", "area_restored_ha": "0", "money_spent": "1"})
        assert after.status_code == 409

    def test_photos_are_checked_by_content_and_served_back(
            self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        plan = _plan(client, auth, h.mine(session, status="abandoned").id)
        detail = client.post(f"{API}/restoration-plans/{plan['id']}/progress", headers=auth,
                             json={"quarter": "2020Q1", "area_restored_ha": "1",
                                   "money_spent": "1"}).json()
        progress_id = detail["progress"][0]["id"]
        fake = client.post(f"{API}/restoration-progress/{progress_id}/photos", headers=auth,
                           files={"file": ("x.png", b"not an image", "image/png")})
        assert fake.status_code == 422
        photo = client.post(f"{API}/restoration-progress/{progress_id}/photos", headers=auth,
                            files={"file": ("site.png", _png(), "image/png")})
        assert photo.status_code == 201, photo.text
        served = client.get(photo.json()["url"], headers=auth)
        assert served.content == _png() and served.headers["content-type"] == "image/png"

    def test_a_plan_of_another_district_is_a_404(self, client: TestClient,
                                                  session: Session) -> None:
        plan = h.accepted_plan(session, region="500101", lon=108.4, lat=30.8)
        auth = f.login(client, h.fuling_clerk(session))
        assert client.get(f"{API}/restoration-plans/{plan.id}", headers=auth).status_code == 404


class TestSubstitutedRestoration:
    def test_the_whole_case_with_shortfall_recovery_every_step_audited(
            self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        site = h.closed_mine(session)
        plan = _plan(client, auth, site.id, obligor_name="重庆某石材有限公司",
                     obligor_uscc=f.uscc_code("500102"))
        case = client.post(f"{API}/substituted-restoration", headers=auth,
                           json={"plan_id": plan["id"], "filed_date": "2019-01-10"}).json()
        assert case["case_no"].startswith("CQ500102DX")
        assert case["allowed_actions"] == ["deposit_fund"]
        url = f"{API}/substituted-restoration/{case['id']}"

        def step(action: str, **facts: object) -> dict[str, object]:
            response = client.post(f"{url}/{action}", headers=auth,
                                   json={"on": "2019-06-01", **facts})
            assert response.status_code == 200, (action, response.text)
            body: dict[str, object] = response.json()
            return body

        early = client.post(f"{url}/take_over", headers=auth,
                            json={"on": "2019-02-01", "contractor": "甲", "cost_estimate": 1})
        assert early.status_code == 409
        assert "方案已备案" in early.json()["detail"]
        missing = client.post(f"{url}/deposit_fund", headers=auth, json={"on": "2019-02-01"})
        assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "amount"
        step("deposit_fund", amount="1000000", bank="农行涪陵分行", agreement_no="涪监〔2019〕1号")
        step("start_performance")
        step("issue_reminder", note="限期30日")
        step("record_default", default_kind="refused")
        step("take_over", contractor="涪陵区生态修复工程有限公司", cost_estimate="1300000")
        drawn = step("draw_deposit", actual_cost="1350000", assessment_fee="20000")
        assert drawn["drawn_amount"] == "1000000.00"
        assert drawn["shortfall"] == "370000.00"
        assert drawn["allowed_actions"] == ["open_recovery"]
        refused = client.post(f"{url}/accept", headers=auth, json={"on": "2019-06-01"})
        assert refused.status_code == 409
        step("open_recovery")
        paid = step("record_payment", amount="200000")
        assert paid["arrears"] == "170000.00"
        over = client.post(f"{url}/record_payment", headers=auth,
                           json={"on": "2019-06-02", "amount": "170000.01"})
        assert over.status_code == 422
        stale = client.post(f"{url}/accept", headers=auth,
                            json={"on": "2019-06-01", "version": 1})
        assert stale.status_code == 409
        step("accept", accepted_area_ha="18")
        done = step("publish_notice", notice_days=30)
        assert done["state"] == "notice_published"
        assert done["notice_end"] == "2019-06-30"
        assert len(done["events"]) == 11  # filing and ten steps
        settled = step("record_payment", amount="170000")
        assert settled["arrears"] == "0.00" and settled["state"] == "notice_published"
        assert [e["action"] for e in settled["events"]][-3:] == [
            "accept", "publish_notice", "record_payment"]
        actions = set(session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject_type == "substituted_restoration_case",
            AuditEvent.subject_id == str(case["id"]))))
        assert actions == {f"substituted_restoration.{a}" for a in (
            "file_plan", "deposit_fund", "start_performance", "issue_reminder",
            "record_default", "take_over", "draw_deposit", "open_recovery", "record_payment",
            "accept", "publish_notice")}
        plan_after = client.get(f"{API}/restoration-plans/{plan['id']}", headers=auth).json()
        assert plan_after["status"] == "accepted" and plan_after["accepted_area_ha"] == 18.0

    def test_a_plan_under_a_case_is_accepted_on_the_case_only(
            self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        plan = _plan(client, auth, h.closed_mine(session).id, obligor_name="某公司")
        client.post(f"{API}/substituted-restoration", headers=auth,
                    json={"plan_id": plan["id"], "filed_date": "2019-01-10"})
        response = client.post(f"{API}/restoration-plans/{plan['id']}/acceptance",
                               headers=auth, json={"accepted_date": "2020-01-01",
                                                   "accepted_area_ha": "1"})
        assert response.status_code == 409
        assert "请在案件中验收" in response.json()["detail"]

    def test_a_legacy_site_without_obligor_has_no_case(
            self, client: TestClient, session: Session) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        plan = _plan(client, auth, h.mine(session, status="abandoned").id)
        response = client.post(f"{API}/substituted-restoration", headers=auth,
                               json={"plan_id": plan["id"], "filed_date": "2019-01-10"})
        assert response.status_code == 422
        assert "历史遗留" in response.json()["detail"]


def test_accepted_area_defaults_to_the_area_reported(session: Session) -> None:
    plan = h.accepted_plan(session, hectares="12.3456")
    assert plan.accepted_area_m2 == Decimal("123456.00")
    assert plan.status == "accepted"


@pytest.mark.parametrize("quarter", ["2020", "2020Q0", "Q3"])
def test_bad_quarters_are_422(client: TestClient, session: Session, quarter: str) -> None:
    auth = f.login(client, h.fuling_clerk(session))
    plan = _plan(client, auth, h.mine(session, status="abandoned").id)
    response = client.post(f"{API}/restoration-plans/{plan['id']}/progress", headers=auth,
                           json={"quarter": quarter, "area_restored_ha": "1",
                                 "money_spent": "1"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "quarter"
