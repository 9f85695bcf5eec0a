"""The talent card JSON API as its users call it: a card issued directly and through
apply → review → issue; services booked with working-day deadlines, delivered and rated;
expiry; QR verification; bad input (422 naming the field) and conflicts (409)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from minsheng.hrss.registry.service import Person
from minsheng.hrss.talentcard.models import TalentCard, TalentServiceBooking
from minsheng.hrss.talentcard.service import cards, verify
from minsheng.platform.errors import Conflict
from minsheng.platform.security import service as security
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f

API = "/api/v1/talent"


def _citizen(session: Session, name: str = "张三丰") -> tuple[int, Principal]:
    person = f.person(session, name=name)
    account = security.add_user(session, actor=SYSTEM, username=f"talent-{person.id}",
                                role="citizen", password=f.PASSWORD, person_id=person.id)
    return person.id, security.principal_of(account)


def _field(response: object) -> set[str]:
    body = response.json()  # type: ignore[attr-defined]
    return {e["field"].split(".")[-1] for e in body.get("errors", [])}


def _card(session: Session, person_id: int, tier: str = "A", on: date = date(2026, 9, 1)
          ) -> TalentCard:
    return cards.issue_direct(session, SYSTEM, person_id, tier, note="测试", on=on)


class TestDirectIssue:
    def test_a_reviewer_issues_a_card(self, client: TestClient, session: Session) -> None:
        person = f.person(session).id
        reviewer = f.login(client, f.staff(session, "reviewer", "500103"))
        created = client.post(f"{API}/cards", headers=reviewer,
                              json={"person_id": person, "tier": "A"})
        assert created.status_code == 201, created.text
        body = created.json()
        today = date.today()
        # Tier A is valid 5 years: to the day before the same date five years on.
        assert body["valid_until"] == (date(today.year + 5, today.month, today.day)
                                       - timedelta(days=1)).isoformat()
        assert body["state"] == "active"
        assert body["card_no"] == f"CQYC{today.year}{body['id']:06d}"
        card = session.get(TalentCard, body["id"])
        assert card is not None and card.basis_kind == "direct"
        assert card.reviewed_by == "reviewer" or card.reviewed_by  # the decision recorded
        again = client.post(f"{API}/cards", headers=reviewer,
                            json={"person_id": person, "tier": "B"})
        assert again.status_code == 409 and "不能重复申领" in again.json()["detail"]
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "talentcard.issue_direct")) == 1

    def test_bad_input_names_the_field(self, client: TestClient, session: Session) -> None:
        person = f.person(session).id
        reviewer = f.login(client, f.staff(session, "reviewer", "500103"))
        tier = client.post(f"{API}/cards", headers=reviewer, json={"person_id": person,
                                                                    "tier": "Z"})
        assert tier.status_code == 422 and _field(tier) == {"tier"}
        assert "英才服务卡等级" in tier.json()["detail"]
        assert "tier" in tier.json()["detail_en"]
        nobody = client.post(f"{API}/cards", headers=reviewer,
                             json={"person_id": 987654321, "tier": "A"})
        assert nobody.status_code == 422 and _field(nobody) == {"person_id"}
        outside = f.person(session, residence_region="510107").id
        far = client.post(f"{API}/cards", headers=reviewer, json={"person_id": outside,
                                                                   "tier": "A"})
        assert far.status_code == 422 and _field(far) == {"person_id"}
        extra = client.post(f"{API}/cards", headers=reviewer,
                            json={"person_id": person, "tier": "A", "colour": "red"})
        assert extra.status_code == 422
        assert session.scalar(select(func.count()).select_from(TalentCard)) == 0

    def test_only_a_reviewer_issues_directly(self, client: TestClient,
                                             session: Session) -> None:
        person = f.person(session).id
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        refused = client.post(f"{API}/cards", headers=clerk,
                              json={"person_id": person, "tier": "A"})
        assert refused.status_code == 403


class TestApplyReviewIssue:
    def test_from_application_to_card(self, client: TestClient, session: Session) -> None:
        person, talent = _citizen(session)
        me = f.login(client, talent)
        applied = client.post(f"{API}/card-applications", headers=me, json={
            "person_id": person, "tier": "A", "basis_kind": "title", "basis_value": "正高",
            "basis_note": "正高级工程师 证书 2019-123"})
        assert applied.status_code == 201, applied.text
        assert (applied.json()["state"], applied.json()["card_no"]) == ("applied", None)
        card_id = applied.json()["id"]
        reviewer = f.login(client, f.staff(session, "reviewer", "500103"))
        stale = client.post(f"{API}/card-applications/{card_id}/review", headers=reviewer,
                            json={"decision": "approve", "version": 99})
        assert stale.status_code == 409
        no_reason = client.post(f"{API}/card-applications/{card_id}/review",
                                headers=reviewer, json={"decision": "refuse"})
        assert no_reason.status_code == 422 and _field(no_reason) == {"reason"}
        early = client.post(f"{API}/card-applications/{card_id}/issue", headers=reviewer,
                            json={})
        assert early.status_code == 409 and early.json()["current_state"] == "applied"
        approved = client.post(f"{API}/card-applications/{card_id}/review", headers=reviewer,
                               json={"decision": "approve", "reason": "职称证书核实无误",
                                     "version": 1})
        assert approved.status_code == 200 and approved.json()["state"] == "approved"
        twice = client.post(f"{API}/card-applications/{card_id}/review", headers=reviewer,
                            json={"decision": "refuse", "reason": "x"})
        assert twice.status_code == 409
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        issued = client.post(f"{API}/card-applications/{card_id}/issue", headers=clerk,
                             json={})
        assert issued.status_code == 200, issued.text
        assert issued.json()["state"] == "active" and issued.json()["card_no"]
        mine = client.get(f"{API}/cards/{issued.json()['card_no']}", headers=me)
        assert mine.status_code == 200 and mine.json()["tier"] == "A"

    def test_a_basis_the_tier_does_not_accept(self, client: TestClient,
                                              session: Session) -> None:
        person, talent = _citizen(session)
        me = f.login(client, talent)
        low = client.post(f"{API}/card-applications", headers=me, json={
            "person_id": person, "tier": "A", "basis_kind": "skill_level", "basis_value": "2"})
        assert low.status_code == 422 and _field(low) == {"basis_value"}
        other = f.person(session).id
        not_mine = client.post(f"{API}/card-applications", headers=me, json={
            "person_id": other, "tier": "B", "basis_kind": "skill_level", "basis_value": "2"})
        assert not_mine.status_code == 422 and _field(not_mine) == {"person_id"}
        bad_kind = client.post(f"{API}/card-applications", headers=me, json={
            "person_id": person, "tier": "B", "basis_kind": "rank", "basis_value": "2"})
        assert bad_kind.status_code == 422 and _field(bad_kind) == {"basis_kind"}

    def test_refused_is_final(self, client: TestClient, session: Session) -> None:
        person = f.person(session).id
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        applied = client.post(f"{API}/card-applications", headers=clerk, json={
            "person_id": person, "tier": "B", "basis_kind": "category", "basis_value": "D"})
        assert applied.status_code == 201, applied.text
        reviewer = f.login(client, f.staff(session, "reviewer", "500103"))
        refused = client.post(f"{API}/card-applications/{applied.json()['id']}/review",
                              headers=reviewer, json={"decision": "refuse",
                                                      "reason": "人才类别认定材料不全"})
        assert refused.json()["state"] == "refused"
        issue = client.post(f"{API}/card-applications/{applied.json()['id']}/issue",
                            headers=reviewer, json={})
        assert issue.status_code == 409 and issue.json()["current_state"] == "refused"
        # A refused application does not block a new one.
        again = client.post(f"{API}/card-applications", headers=clerk, json={
            "person_id": person, "tier": "B", "basis_kind": "category", "basis_value": "D"})
        assert again.status_code == 201


class TestLifecycle:
    def test_renew_and_revoke(self, client: TestClient, session: Session) -> None:
        person = f.person(session).id
        today = date.today()
        # Tier B, 3 years, issued so that it ends in 30 days: renewal is open.
        issued = today + timedelta(days=30) - timedelta(days=3 * 365)
        card = _card(session, person, "B", on=issued)
        assert card.valid_until is not None and card.card_no
        old_until = card.valid_until
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        renewed = client.post(f"{API}/cards/{card.card_no}/renew", headers=clerk, json={})
        assert renewed.status_code == 200, renewed.text
        start = old_until + timedelta(days=1)
        assert renewed.json()["valid_until"] == (
            date(start.year + 3, start.month, start.day) - timedelta(days=1)).isoformat()
        early = client.post(f"{API}/cards/{card.card_no}/renew", headers=clerk, json={})
        assert early.status_code == 409 and "续期" in early.json()["detail"]
        no_reason = client.post(f"{API}/cards/{card.card_no}/revoke", headers=clerk,
                                json={"reason": ""})
        assert no_reason.status_code == 422
        revoked = client.post(f"{API}/cards/{card.card_no}/revoke", headers=clerk,
                              json={"reason": "持卡人已调离本市"})
        assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
        again = client.post(f"{API}/cards/{card.card_no}/renew", headers=clerk, json={})
        assert again.status_code == 409 and again.json()["current_state"] == "revoked"

    def test_expire_is_set_based_and_idempotent(self, client: TestClient,
                                                session: Session) -> None:
        old = [_card(session, f.person(session).id, "B", on=date(2020, 3, 1))
               for _ in range(2)]
        current = _card(session, f.person(session).id, "A", on=date(2026, 9, 1))
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        # Read before the job: past its last day (2023-02-28) it reads as expired.
        seen = client.get(f"{API}/cards/{old[0].card_no}", headers=clerk)
        assert seen.json()["state"] == "expired"
        first = client.post(f"{API}/cards/expire", headers=clerk, json={})
        assert first.status_code == 200 and first.json() == {"expired": 2}
        assert client.post(f"{API}/cards/expire", headers=clerk, json={}).json() == {
            "expired": 0}
        states = dict(session.execute(select(TalentCard.id, TalentCard.state)).all())
        assert states == {old[0].id: "expired", old[1].id: "expired", current.id: "active"}
        citizen = f.login(client, _citizen(session)[1])
        assert client.post(f"{API}/cards/expire", headers=citizen, json={}).status_code == 403


class TestServices:
    def test_book_deliver_and_rate_across_national_day(self, client: TestClient,
                                                       session: Session) -> None:
        person, talent = _citizen(session)
        card = _card(session, person)
        me = f.login(client, talent)
        booked = client.post(f"{API}/cards/{card.card_no}/services", headers=me,
                             json={"service_code": "medical", "requested_on": "2026-09-30"})
        assert booked.status_code == 201, booked.text
        # 医疗绿色通道: 1 working day after Wed 30 Sep; 1–7 Oct off → Thu 8 Oct.
        assert {k: booked.json()[k] for k in ("due_on", "state")} == {
            "due_on": "2026-10-08", "state": "requested"}
        housing = client.post(f"{API}/cards/{card.card_no}/services", headers=me,
                              json={"service_code": "housing", "requested_on": "2026-09-29"})
        # 人才安居: 10 working days after Tue 29 Sep → Mon 19 Oct (10 Oct worked).
        assert housing.json()["due_on"] == "2026-10-19"
        service = booked.json()["id"]
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        before = client.post(f"{API}/services/{service}/deliver", headers=clerk,
                             json={"on": "2026-09-29"})
        assert before.status_code == 422 and _field(before) == {"on"}
        assert client.post(f"{API}/services/{service}/deliver", headers=me,
                           json={"on": "2026-10-08"}).status_code == 403
        unrated = client.post(f"{API}/services/{service}/satisfaction", headers=me,
                              json={"satisfaction": 5})
        assert unrated.status_code == 409
        done = client.post(f"{API}/services/{service}/deliver", headers=clerk,
                           json={"on": "2026-10-08"})
        assert done.status_code == 200 and done.json()["state"] == "delivered"
        assert client.post(f"{API}/services/{service}/deliver", headers=clerk,
                           json={"on": "2026-10-09"}).status_code == 409
        bad = client.post(f"{API}/services/{service}/satisfaction", headers=me,
                          json={"satisfaction": 6})
        assert bad.status_code == 422 and _field(bad) == {"satisfaction"}
        rated = client.post(f"{API}/services/{service}/satisfaction", headers=me,
                            json={"satisfaction": 5})
        assert rated.status_code == 200 and rated.json()["satisfaction"] == 5
        assert client.post(f"{API}/services/{service}/satisfaction", headers=me,
                           json={"satisfaction": 4}).status_code == 409
        listed = client.get(f"{API}/cards/{card.card_no}/services", headers=me).json()
        assert {b["service_code"]: b["state"] for b in listed} == {
            "medical": "delivered", "housing": "requested"}

    def test_bad_bookings(self, client: TestClient, session: Session) -> None:
        person, talent = _citizen(session)
        card = _card(session, person)
        me = f.login(client, talent)
        url = f"{API}/cards/{card.card_no}/services"
        unknown = client.post(url, headers=me, json={"service_code": "yacht",
                                                     "requested_on": "2026-10-09"})
        assert unknown.status_code == 422 and _field(unknown) == {"service_code"}
        assert "服务项目" in unknown.json()["detail"]
        before_issue = client.post(url, headers=me, json={"service_code": "medical",
                                                          "requested_on": "2026-08-01"})
        assert before_issue.status_code == 422 and _field(before_issue) == {"requested_on"}
        future = client.post(url, headers=me, json={
            "service_code": "medical",
            "requested_on": (date.today() + timedelta(days=2)).isoformat()})
        assert future.status_code == 422
        bad_date = client.post(url, headers=me, json={"service_code": "medical",
                                                      "requested_on": "2026-13-01"})
        assert bad_date.status_code == 422 and _field(bad_date) == {"requested_on"}
        someone = f.login(client, _citizen(session, "李四")[1])
        assert client.post(url, headers=someone, json={
            "service_code": "medical", "requested_on": "2026-10-09"}).status_code == 404
        assert session.scalar(select(func.count()).select_from(TalentServiceBooking)) == 0

    def test_a_revoked_or_expired_card_books_nothing(self, client: TestClient,
                                                     session: Session) -> None:
        person, talent = _citizen(session)
        card = _card(session, person)
        me = f.login(client, talent)
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        open_one = client.post(f"{API}/cards/{card.card_no}/services", headers=me,
                               json={"service_code": "schooling", "requested_on": "2026-10-09"})
        assert open_one.status_code == 201
        assert client.post(f"{API}/cards/{card.card_no}/revoke", headers=clerk,
                           json={"reason": "依据不实"}).status_code == 200
        refused = client.post(f"{API}/cards/{card.card_no}/services", headers=me,
                              json={"service_code": "medical", "requested_on": "2026-10-09"})
        assert refused.status_code == 409 and refused.json()["current_state"] == "revoked"
        late = client.post(f"{API}/services/{open_one.json()['id']}/deliver", headers=clerk,
                           json={"on": "2026-10-20"})
        assert late.status_code == 409
        old_person, old_talent = _citizen(session, "王五")
        old = _card(session, old_person, "B", on=date(2020, 3, 1))
        expired = client.post(f"{API}/cards/{old.card_no}/services",
                              headers=f.login(client, old_talent),
                              json={"service_code": "medical", "requested_on": "2022-05-05"})
        assert expired.status_code == 409 and expired.json()["current_state"] == "expired"

    def test_overdue_work_list(self, client: TestClient, session: Session) -> None:
        person, talent = _citizen(session)
        card = _card(session, person)
        me = f.login(client, talent)
        for code, day in (("medical", "2026-10-09"), ("spouse_job", "2026-10-09")):
            assert client.post(f"{API}/cards/{card.card_no}/services", headers=me, json={
                "service_code": code, "requested_on": day}).status_code == 201
        recent = client.post(f"{API}/cards/{card.card_no}/services", headers=me, json={
            "service_code": "spouse_job", "requested_on": date.today().isoformat()})
        assert recent.status_code == 201
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        overdue = client.get(f"{API}/services?overdue=true", headers=clerk).json()
        # From Fri 9 Oct: 医疗 1 working day → Sat 10 Oct (调休, worked); 配偶就业 20:
        # 10 Oct (1), 12–16 (2–6), 19–23 (7–11), 26–30 (12–16), 2–5 Nov (17–20) → 5 Nov.
        # Both past; the one asked today is not.
        assert [(b["service_code"], b["due_on"], b["overdue"]) for b in overdue["items"]] == [
            ("medical", "2026-10-10", True), ("spouse_job", "2026-11-05", True)]
        everything = client.get(f"{API}/services", headers=clerk).json()
        assert everything["total"] == 3 and everything["items"][-1]["id"] == recent.json()["id"]
        other = f.login(client, f.staff(session, "clerk", "500102"))
        assert client.get(f"{API}/services", headers=other).json()["total"] == 0


class TestVerification:
    def test_a_holder_code_verifies_masked(self, client: TestClient, session: Session) -> None:
        person, talent = _citizen(session, "张三丰")
        card = _card(session, person)
        me = f.login(client, talent)
        code = client.post(f"{API}/cards/{card.card_no}/code", headers=me)
        assert code.status_code == 200, code.text
        token = code.json()["token"]
        checked = client.get(f"{API}/cards/verify", params={"token": token})
        assert checked.status_code == 200
        body = checked.json()
        assert (body["valid"], body["name"], body["tier"], body["state"]) == (
            True, "张**", "A", "active")
        assert body["valid_until"] == card.valid_until.isoformat()  # type: ignore[union-attr]
        resident_id = session.get(Person, person).resident_id  # type: ignore[union-attr]
        assert body["resident_id"] == resident_id[:4] + "*" * 10 + resident_id[-4:]
        payload, signature = token.split(".")
        altered = ("A" if payload[5] != "A" else "B").join([payload[:5], payload[6:]])
        bad = client.get(f"{API}/cards/verify", params={"token": f"{altered}.{signature}"})
        assert bad.json()["valid"] is False
        assert bad.json()["reason"] in ("bad_signature", "malformed")
        junk = client.get(f"{API}/cards/verify", params={"token": "hello"}).json()
        assert (junk["valid"], junk["reason"]) == (False, "malformed")
        assert junk["message"] == "无法识别的二维码"

    def test_an_old_code_and_a_revoked_card(self, client: TestClient,
                                            session: Session) -> None:
        person, talent = _citizen(session)
        card = _card(session, person)
        assert card.card_no is not None
        old = verify.issue_code(session, talent, card.card_no,
                                now=datetime.now(UTC) - timedelta(minutes=6))
        stale = client.get(f"{API}/cards/verify", params={"token": old.token}).json()
        assert (stale["valid"], stale["reason"]) == (False, "expired")
        assert "已过期" in stale["message"]
        fresh = verify.issue_code(session, talent, card.card_no)
        cards.revoke(session, SYSTEM, card.card_no, "测试注销")
        revoked = client.get(f"{API}/cards/verify", params={"token": fresh.token}).json()
        assert (revoked["valid"], revoked["reason"], revoked["state"]) == (
            False, "card_not_valid", "revoked")
        assert revoked["name"] is None


class TestConcurrentChanges:
    def test_a_change_committed_meanwhile_makes_the_stale_write_a_conflict(
            self, session: Session) -> None:
        card = _card(session, f.person(session).id)
        assert card.card_no is not None
        # Another clerk's revocation lands first: the row's version moves on under us.
        session.execute(text("UPDATE talent_card SET version = version + 1, "
                             "revoke_reason = '另一经办人' WHERE id = :id"), {"id": card.id})
        with pytest.raises(Conflict):
            cards.revoke(session, SYSTEM, card.card_no, "重复注销")

    def test_the_expiry_job_outdates_a_form_seen_before_it(self, session: Session) -> None:
        card = _card(session, f.person(session).id, "B", on=date(2020, 3, 1))
        seen = card.version
        assert cards.expire_cards(session, SYSTEM) == 1
        with pytest.raises(Conflict):
            cards.renew(session, SYSTEM, card.card_no or "", version=seen)
        renewed = cards.renew(session, SYSTEM, card.card_no or "", version=seen + 1)
        assert renewed.state == "active"
