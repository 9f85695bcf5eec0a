"""Cards through the JSON API: apply, read, every transition (legal and illegal), scope,
the cardholder's own card, activation with identity, lapses, death."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.cards import service
from minsheng.hrss.cards.models import CardEvent, SocialSecurityCard
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.models import Person
from minsheng.platform.config import get_settings
from minsheng.platform.db import utcnow
from minsheng.platform.errors import Conflict, RuleViolation
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f

STATES = ("applied", "issued", "active", "loss_reported_temporary", "loss_reported",
          "replaced", "cancelled")
#: Endpoint name → (path suffix, body); ``activate`` gets the holder's identity.
ENDPOINTS: dict[str, tuple[str, dict[str, str] | None]] = {
    "issue": ("issue", None),
    "activate": ("activate", {}),
    "report_temporary": ("report-loss", {"kind": "temporary"}),
    "report_formal": ("report-loss", {"kind": "formal"}),
    "cancel_loss_report": ("cancel-loss-report", None),
    "replace": ("replace", None),
}
#: (state, endpoint) → the addressed card's state afterwards; anything else is a 409.
#: (Cards in loss states were active before the report: ``f.card`` activates first.)
LEGAL = {
    ("applied", "issue"): "issued",
    ("issued", "activate"): "active",
    ("issued", "report_temporary"): "loss_reported_temporary",
    ("issued", "report_formal"): "loss_reported",
    ("issued", "replace"): "replaced",
    ("active", "report_temporary"): "loss_reported_temporary",
    ("active", "report_formal"): "loss_reported",
    ("active", "replace"): "replaced",
    ("loss_reported_temporary", "report_formal"): "loss_reported",
    ("loss_reported_temporary", "cancel_loss_report"): "active",
    ("loss_reported", "cancel_loss_report"): "active",
    ("loss_reported", "replace"): "replaced",
}


def _clerk(session: Session, region: str = "500103") -> Principal:
    return f.staff(session, "clerk", region)


def _citizen(session: Session, person_id: int) -> Principal:
    return f.staff(session, "citizen", "", person_id=person_id)


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    assert person is not None
    return person


def _post(client: TestClient, headers: dict[str, str], card_no: str, endpoint: str,
          identity: dict[str, str] | None = None) -> Any:
    suffix, body = ENDPOINTS[endpoint]
    if endpoint == "activate":
        body = identity
    return client.post(f"/api/v1/cards/{card_no}/{suffix}", json=body, headers=headers)


def _audit_count(session: Session, action: str, subject: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.subject_id == subject)) or 0


def _events(session: Session, card_no: str) -> list[tuple[str, str | None, str]]:
    rows = session.execute(
        select(CardEvent.event, CardEvent.from_state, CardEvent.to_state)
        .join(SocialSecurityCard, SocialSecurityCard.id == CardEvent.card_id)
        .where(SocialSecurityCard.card_no == card_no).order_by(CardEvent.id))
    return [tuple(r) for r in rows]  # type: ignore[misc]


class TestEveryTransition:
    @pytest.mark.parametrize("state", STATES)
    @pytest.mark.parametrize("endpoint", list(ENDPOINTS))
    def test_legal_changes_the_state_and_illegal_is_409_naming_it(
        self, client: TestClient, session: Session, state: str, endpoint: str
    ) -> None:
        card = f.card(session, state=state)
        person = _person(session, card.person_id)
        headers = f.login(client, _clerk(session))
        before = client.get(f"/api/v1/cards/{card.card_no}", headers=headers).json()
        assert before["state"] == state
        response = _post(client, headers, card.card_no, endpoint,
                         {"resident_id": person.resident_id, "name": person.name})
        expected = LEGAL.get((state, endpoint))
        after = client.get(f"/api/v1/cards/{card.card_no}", headers=headers).json()
        if expected is None:
            assert response.status_code == 409, response.text
            problem = response.json()
            assert f"（{state}）" in problem["detail"]
            assert state in problem["detail_en"]
            assert problem["current_state"] == state
            assert (after["state"], after["version"]) == (state, before["version"])
            return
        assert response.status_code in (200, 201), response.text
        assert after["state"] == expected
        assert after["events"][-1]["from_state"] == state
        if endpoint == "replace":
            new = response.json()
            assert response.status_code == 201
            assert new["card_no"] != card.card_no
            assert new["state"] == "issued"
            assert after["replaced_by"] == new["card_no"]
        else:
            assert response.json()["state"] == expected


class TestApply:
    def test_a_clerk_issues_at_once_with_a_node_number(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session)
        response = client.post("/api/v1/cards", json={"person_id": person.id},
                               headers=f.login(client, _clerk(session)))
        assert response.status_code == 201, response.text
        body = response.json()
        assert re.fullmatch(r"CQ\d{9}", body["card_no"])
        assert body["state"] == "issued"
        assert [e["event"] for e in body["events"]] == ["apply", "issue"]

    def test_numbers_are_unique_and_increasing(self, client: TestClient, session: Session) -> None:
        headers = f.login(client, _clerk(session))
        numbers = [client.post("/api/v1/cards", json={"person_id": f.person(session).id},
                               headers=headers).json()["card_no"] for _ in range(3)]
        assert numbers == sorted(set(numbers))

    def test_a_second_live_card_is_409_naming_the_first(
        self, client: TestClient, session: Session
    ) -> None:
        card = f.card(session, state="loss_reported")
        response = client.post("/api/v1/cards", json={"person_id": card.person_id},
                               headers=f.login(client, _clerk(session)))
        assert response.status_code == 409
        assert response.json()["existing_card_no"] == card.card_no
        assert response.json()["current_state"] == "loss_reported"

    def test_a_citizen_applies_online_and_waits_for_issue(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session)
        headers = f.login(client, _citizen(session, person.id))
        response = client.post("/api/v1/cards", json={"person_id": person.id}, headers=headers)
        assert response.status_code == 201
        assert response.json()["state"] == "applied"
        card_no = response.json()["card_no"]
        assert client.post(f"/api/v1/cards/{card_no}/issue", headers=headers).status_code == 403
        issued = client.post(f"/api/v1/cards/{card_no}/issue",
                             headers=f.login(client, _clerk(session)))
        assert issued.json()["state"] == "issued"

    def test_a_citizen_cannot_apply_for_someone_else(
        self, client: TestClient, session: Session
    ) -> None:
        me, other = f.person(session), f.person(session)
        response = client.post("/api/v1/cards", json={"person_id": other.id},
                               headers=f.login(client, _citizen(session, me.id)))
        assert response.status_code == 404

    def test_outside_the_district_is_404(self, client: TestClient, session: Session) -> None:
        person = f.person(session, residence_region="500103")
        response = client.post("/api/v1/cards", json={"person_id": person.id},
                               headers=f.login(client, _clerk(session, "500106")))
        assert response.status_code == 404
        assert session.scalar(select(func.count()).select_from(SocialSecurityCard).where(
            SocialSecurityCard.person_id == person.id)) == 0

    def test_roles_without_cards_write_are_refused(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session)
        for role in ("statistician", "reviewer", "auditor"):
            headers = f.login(client, f.staff(session, role, "50"))
            response = client.post("/api/v1/cards", json={"person_id": person.id},
                                   headers=headers)
            assert response.status_code == 403, role
        assert client.post("/api/v1/cards", json={"person_id": person.id}).status_code == 401

    def test_no_card_for_a_deceased_person(self, client: TestClient, session: Session) -> None:
        card = f.card(session, state="cancelled")
        response = client.post("/api/v1/cards", json={"person_id": card.person_id},
                               headers=f.login(client, _clerk(session)))
        assert response.status_code == 422


class TestRead:
    def test_a_staff_read_is_audited(self, client: TestClient, session: Session) -> None:
        card = f.card(session)
        headers = f.login(client, _clerk(session))
        assert _audit_count(session, "card.read", card.card_no) == 0
        response = client.get(f"/api/v1/cards/{card.card_no}", headers=headers)
        assert response.status_code == 200
        assert response.json()["resident_id_masked"] is False
        assert _audit_count(session, "card.read", card.card_no) == 1

    def test_outside_the_district_the_card_does_not_exist(
        self, client: TestClient, session: Session
    ) -> None:
        card = f.card(session, residence_region="500103")
        person = _person(session, card.person_id)
        headers = f.login(client, _clerk(session, "500106"))
        assert client.get(f"/api/v1/cards/{card.card_no}", headers=headers).status_code == 404
        for endpoint in ENDPOINTS:
            response = _post(client, headers, card.card_no, endpoint,
                             {"resident_id": person.resident_id, "name": person.name})
            assert response.status_code == 404, endpoint
        assert client.get(f"/api/v1/persons/{card.person_id}/cards",
                          headers=headers).status_code == 404
        city = f.login(client, f.staff(session, "reviewer", "500000"))
        assert client.get(f"/api/v1/cards/{card.card_no}", headers=city).status_code == 200

    def test_a_statistician_sees_the_id_masked(self, client: TestClient, session: Session) -> None:
        card = f.card(session)
        rid = _person(session, card.person_id).resident_id
        body = client.get(f"/api/v1/cards/{card.card_no}",
                          headers=f.login(client, f.staff(session, "statistician", "50"))).json()
        assert body["resident_id"] == rid[:4] + "*" * 10 + rid[-4:]
        assert body["resident_id_masked"] is True

    def test_a_citizen_sees_only_their_own_card(
        self, client: TestClient, session: Session
    ) -> None:
        mine, theirs = f.card(session), f.card(session)
        headers = f.login(client, _citizen(session, mine.person_id))
        own = client.get(f"/api/v1/cards/{mine.card_no}", headers=headers)
        assert own.status_code == 200
        assert own.json()["resident_id"] == _person(session, mine.person_id).resident_id
        assert client.get(f"/api/v1/cards/{theirs.card_no}", headers=headers).status_code == 404
        assert client.post(f"/api/v1/cards/{theirs.card_no}/report-loss",
                           json={"kind": "temporary"}, headers=headers).status_code == 404
        assert client.get(f"/api/v1/persons/{theirs.person_id}/cards",
                          headers=headers).status_code == 404
        assert _audit_count(session, "card.read", mine.card_no) == 0

    def test_an_employer_sees_no_card(self, client: TestClient, session: Session) -> None:
        card = f.card(session)
        employer = f.employer(session)
        headers = f.login(client, f.staff(session, "employer", "", employer_id=employer.id))
        assert client.get(f"/api/v1/cards/{card.card_no}", headers=headers).status_code == 403

    def test_all_cards_of_a_person_newest_first(
        self, client: TestClient, session: Session
    ) -> None:
        old = f.card(session, state="replaced")
        body = client.get(f"/api/v1/persons/{old.person_id}/cards",
                          headers=f.login(client, _clerk(session))).json()
        assert [c["state"] for c in body] == ["issued", "replaced"]
        assert body[1]["card_no"] == old.card_no
        assert body[0]["card_no"] == old.replaced_by


class TestActivate:
    def test_identity_matches(self, client: TestClient, session: Session) -> None:
        card = f.card(session, state="issued")
        person = _person(session, card.person_id)
        response = client.post(f"/api/v1/cards/{card.card_no}/activate",
                               json={"resident_id": person.resident_id.lower(),
                                     "name": f" {person.name} "},
                               headers=f.login(client, _clerk(session)))
        assert response.status_code == 200, response.text
        assert response.json()["state"] == "active"
        assert response.json()["activated_at"] is not None

    @pytest.mark.parametrize("wrong", ["name", "resident_id"])
    def test_a_mismatch_is_refused_and_the_refusal_is_audited(
        self, client: TestClient, session: Session, wrong: str
    ) -> None:
        card = f.card(session, state="issued")
        person = _person(session, card.person_id)
        identity = {"resident_id": person.resident_id, "name": person.name}
        identity[wrong] = "李四" if wrong == "name" else f.resident_id()
        events_before = _events(session, card.card_no)
        response = client.post(f"/api/v1/cards/{card.card_no}/activate", json=identity,
                               headers=f.login(client, _clerk(session)))
        assert response.status_code == 403
        assert "不符" in response.json()["detail"]
        # The request failed, yet its unit of work kept the audit event of the refusal.
        refusals = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "card.activate_refused",
            AuditEvent.subject_id == card.card_no)).all()
        assert len(refusals) == 1
        assert person.resident_id not in refusals[0].payload  # only masked
        session.refresh(card)
        assert card.state == "issued"
        assert _events(session, card.card_no) == events_before

    def test_the_holder_activates_online(self, client: TestClient, session: Session) -> None:
        card = f.card(session, state="issued")
        person = _person(session, card.person_id)
        response = client.post(f"/api/v1/cards/{card.card_no}/activate",
                               json={"resident_id": person.resident_id, "name": person.name},
                               headers=f.login(client, _citizen(session, person.id)))
        assert response.json()["state"] == "active"

    def test_a_wrong_state_is_409_before_any_identity_check(
        self, client: TestClient, session: Session
    ) -> None:
        card = f.card(session, state="active")
        response = client.post(f"/api/v1/cards/{card.card_no}/activate",
                               json={"resident_id": f.resident_id(), "name": "李四"},
                               headers=f.login(client, _clerk(session)))
        assert response.status_code == 409
        assert _audit_count(session, "card.activate_refused", card.card_no) == 0


class TestLossReports:
    def test_the_holder_reports_and_cancels_online(
        self, client: TestClient, session: Session
    ) -> None:
        card = f.card(session, state="active")
        headers = f.login(client, _citizen(session, card.person_id))
        reported = client.post(f"/api/v1/cards/{card.card_no}/report-loss",
                               json={"kind": "temporary"}, headers=headers).json()
        assert reported["state"] == "loss_reported_temporary"
        assert reported["previous_state"] == "active"
        days = get_settings().card_temporary_loss_days
        assert reported["loss_report_expires_at"] is not None
        cancelled = client.post(f"/api/v1/cards/{card.card_no}/cancel-loss-report",
                                headers=headers).json()
        assert cancelled["state"] == "active"
        assert cancelled["previous_state"] is None
        assert [e["event"] for e in cancelled["events"]][-2:] == [
            "report_loss_temporary", "cancel_loss_report"]
        assert days >= 1

    def test_cancelling_returns_an_unactivated_card_to_issued(
        self, client: TestClient, session: Session
    ) -> None:
        card = f.card(session, state="issued")
        headers = f.login(client, _clerk(session))
        for kind in ("temporary", "formal"):
            client.post(f"/api/v1/cards/{card.card_no}/report-loss", json={"kind": kind},
                        headers=headers)
        body = client.post(f"/api/v1/cards/{card.card_no}/cancel-loss-report",
                           headers=headers).json()
        assert body["state"] == "issued"

    def test_an_unknown_kind_is_422(self, client: TestClient, session: Session) -> None:
        card = f.card(session)
        response = client.post(f"/api/v1/cards/{card.card_no}/report-loss",
                               json={"kind": "oral"}, headers=f.login(client, _clerk(session)))
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "kind"

    def test_a_stale_version_is_409(self, client: TestClient, session: Session) -> None:
        card = f.card(session)
        headers = f.login(client, _clerk(session))
        seen = client.get(f"/api/v1/cards/{card.card_no}", headers=headers).json()["version"]
        first = client.post(f"/api/v1/cards/{card.card_no}/report-loss",
                            json={"kind": "temporary", "version": seen}, headers=headers)
        assert first.status_code == 200
        second = client.post(f"/api/v1/cards/{card.card_no}/report-loss",
                             json={"kind": "formal", "version": seen}, headers=headers)
        assert second.status_code == 409
        assert second.json()["current_version"] == seen + 1


class TestReplace:
    def test_a_lost_card_needs_a_formal_report_first(
        self, client: TestClient, session: Session
    ) -> None:
        card = f.card(session, state="active")
        response = client.post(f"/api/v1/cards/{card.card_no}/replace", json={"reason": "loss"},
                               headers=f.login(client, _clerk(session)))
        assert response.status_code == 409
        assert response.json()["current_state"] == "active"
        assert "正式挂失" in response.json()["detail"]

    def test_a_damaged_card_is_replaced_directly(
        self, client: TestClient, session: Session
    ) -> None:
        card = f.card(session, state="active")
        headers = f.login(client, _clerk(session))
        new = client.post(f"/api/v1/cards/{card.card_no}/replace", json={"reason": "damage"},
                          headers=headers).json()
        old = client.get(f"/api/v1/cards/{card.card_no}", headers=headers).json()
        assert (old["state"], old["replacement_reason"], old["replaced_by"]) == (
            "replaced", "damage", new["card_no"])
        assert [e["event"] for e in new["events"]] == ["apply", "issue"]
        assert card.card_no in new["events"][0]["note"]

    def test_the_holder_cannot_replace_online(self, client: TestClient, session: Session) -> None:
        card = f.card(session, state="loss_reported")
        response = client.post(f"/api/v1/cards/{card.card_no}/replace",
                               headers=f.login(client, _citizen(session, card.person_id)))
        assert response.status_code == 403


class TestLapse:
    def _temporary(self, session: Session, days_ago: float) -> SocialSecurityCard:
        card = f.card(session, state="active")
        service.report_loss(session, SYSTEM, card.card_no, kind="temporary",
                            now=utcnow() - timedelta(days=days_ago))
        return card

    def test_a_read_shows_the_lapse_before_it_is_written(
        self, client: TestClient, session: Session
    ) -> None:
        days = get_settings().card_temporary_loss_days
        lapsed, fresh = self._temporary(session, days + 1), self._temporary(session, days - 1)
        headers = f.login(client, _clerk(session))
        body = client.get(f"/api/v1/cards/{lapsed.card_no}", headers=headers).json()
        assert (body["state"], body["previous_state"], body["loss_reported_at"]) == (
            "active", None, None)
        assert client.get(f"/api/v1/cards/{fresh.card_no}",
                          headers=headers).json()["state"] == "loss_reported_temporary"
        session.refresh(lapsed)
        assert lapsed.state == "loss_reported_temporary"  # not written by a read

    def test_the_batch_writes_due_lapses_once(self, session: Session) -> None:
        days = get_settings().card_temporary_loss_days
        lapsed, fresh = self._temporary(session, days + 1), self._temporary(session, 1)
        formal = f.card(session, state="active")
        service.report_loss(session, SYSTEM, formal.card_no, kind="formal",
                            now=utcnow() - timedelta(days=days + 10))
        version = lapsed.version
        assert service.lapse_temporary_reports(session) == 1
        assert service.lapse_temporary_reports(session) == 0
        for card in (lapsed, fresh, formal):
            session.refresh(card)
        assert (lapsed.state, lapsed.previous_state, lapsed.version) == (
            "active", None, version + 1)
        assert fresh.state == "loss_reported_temporary"
        assert formal.state == "loss_reported"  # a formal report never lapses
        assert _events(session, lapsed.card_no)[-1] == (
            "lapse_temporary_report", "loss_reported_temporary", "active")

    def test_an_action_after_the_lapse_is_judged_on_the_lapsed_state(
        self, client: TestClient, session: Session
    ) -> None:
        card = self._temporary(session, get_settings().card_temporary_loss_days + 2)
        headers = f.login(client, _clerk(session))
        response = client.post(f"/api/v1/cards/{card.card_no}/cancel-loss-report",
                               headers=headers)
        assert response.status_code == 409
        assert response.json()["current_state"] == "active"
        formal = client.post(f"/api/v1/cards/{card.card_no}/report-loss",
                             json={"kind": "formal"}, headers=headers).json()
        events = [(e["event"], e["actor"]) for e in formal["events"]][-2:]
        assert events[0] == ("lapse_temporary_report", "system")
        assert events[1][0] == "report_loss_formal"

    def test_the_window_is_a_setting(
        self, session: Session, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        card = self._temporary(session, 6)
        monkeypatch.setenv("MINSHENG_CARD_TEMPORARY_LOSS_DAYS", "10")
        get_settings.cache_clear()
        try:
            assert service.effective_status(card).state == "loss_reported_temporary"
            assert service.lapse_temporary_reports(session) == 0
        finally:
            monkeypatch.delenv("MINSHENG_CARD_TEMPORARY_LOSS_DAYS")
            get_settings.cache_clear()
        assert service.effective_status(card).state == "active"


class TestDeath:
    def test_recording_a_death_cancels_the_live_card(self, session: Session) -> None:
        card = f.card(session, state="loss_reported_temporary")
        old = f.card(session, state="replaced")
        registry.record_death(session, SYSTEM, card.person_id, date(2026, 1, 5))
        registry.record_death(session, SYSTEM, old.person_id, date(2026, 1, 5))
        session.refresh(card)
        assert card.state == "cancelled" and card.closed_at is not None
        assert _events(session, card.card_no)[-1] == (
            "cancel_on_death", "loss_reported_temporary", "cancelled")
        assert old.replaced_by is not None
        replacement = session.scalar(select(SocialSecurityCard).where(
            SocialSecurityCard.card_no == old.replaced_by))
        assert replacement is not None and replacement.state == "cancelled"
        session.refresh(old)
        assert old.state == "replaced"  # a replaced card never changes again
        person = _person(session, card.person_id)
        assert (person.status, person.death_date) == ("deceased", date(2026, 1, 5))
        assert _audit_count(session, "person.death", str(person.id)) == 1
        assert _audit_count(session, "card.cancel_on_death", card.card_no) == 1

    def test_twice_or_in_the_future_is_refused(self, session: Session) -> None:
        person = f.person(session)
        with pytest.raises(RuleViolation):
            registry.record_death(session, SYSTEM, person.id, date.today() + timedelta(days=1))
        registry.record_death(session, SYSTEM, person.id, date(2025, 5, 1))
        with pytest.raises(Conflict):
            registry.record_death(session, SYSTEM, person.id, date(2025, 5, 2))

    def test_only_registry_writers_record_deaths(self, session: Session) -> None:
        from minsheng.platform.errors import Forbidden

        person = f.person(session)
        with pytest.raises(Forbidden):
            registry.record_death(session, f.staff(session, "statistician", "50"), person.id,
                                  date(2025, 5, 1))
