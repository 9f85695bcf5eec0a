"""Electronic cards: issue a signed QR token for an active card, and verify it — valid,
expired, altered, signed by someone else, for a card no longer active."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.cards import service, tokens
from minsheng.hrss.cards.models import ECard, SocialSecurityCard
from minsheng.hrss.registry.models import Person
from minsheng.platform.db import utcnow
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f


def _clerk(session: Session) -> Principal:
    return f.staff(session, "clerk", "500103")


def _issue(client: TestClient, session: Session, card_no_state: str = "active",
           name: str = "张三") -> tuple[dict[str, Any], SocialSecurityCard, Person]:
    card = f.card(session, state=card_no_state, name=name)
    person = session.get(Person, card.person_id)
    assert person is not None
    response = client.post("/api/v1/e-cards", json={"person_id": card.person_id},
                           headers=f.login(client, _clerk(session)))
    return response.json() | {"status": response.status_code}, card, person


def _verify(client: TestClient, token: str) -> dict[str, Any]:
    response = client.get("/api/v1/e-cards/verify", params={"token": token})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TestIssue:
    def test_an_active_card_gets_a_signed_token_and_a_qr(
        self, client: TestClient, session: Session
    ) -> None:
        body, card, person = _issue(client, session)
        assert body["status"] == 201
        assert body["card_no"] == card.card_no
        issued = datetime.fromisoformat(body["issued_at"])
        expires = datetime.fromisoformat(body["expires_at"])
        assert expires - issued == service.E_CARD_TTL
        assert body["qr_svg"].startswith("<?xml") and "<svg" in body["qr_svg"]
        # The signature checks with the published public key, independently of the service.
        key = client.get("/api/v1/e-cards/public-key").json()
        assert key["algorithm"] == "Ed25519"
        payload, signature = body["token"].split(".")
        Ed25519PublicKey.from_public_bytes(_unb64(key["public_key"])).verify(
            _unb64(signature), payload.encode())
        claims = json.loads(_unb64(payload))
        assert claims["c"] == card.card_no
        assert person.resident_id not in _unb64(payload).decode()  # no personal data inside
        record = session.scalars(select(ECard).where(ECard.token_id == body["token_id"])).one()
        assert record.person_id == person.id
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "e_card.issue", AuditEvent.subject_id == record.token_id)) == 1

    def test_only_for_an_active_card(self, client: TestClient, session: Session) -> None:
        for state in ("issued", "loss_reported_temporary", "loss_reported"):
            body, _, _ = _issue(client, session, state)
            assert body["status"] == 409, state
            assert body["current_state"] == state
            assert state in body["detail"]
        person = f.person(session)
        response = client.post("/api/v1/e-cards", json={"person_id": person.id},
                               headers=f.login(client, _clerk(session)))
        assert response.status_code == 409

    def test_a_citizen_for_themself_only(self, client: TestClient, session: Session) -> None:
        mine, theirs = f.card(session), f.card(session)
        headers = f.login(client, f.staff(session, "citizen", "", person_id=mine.person_id))
        own = client.post("/api/v1/e-cards", headers=headers)
        assert own.status_code == 201
        assert own.json()["card_no"] == mine.card_no
        other = client.post("/api/v1/e-cards", json={"person_id": theirs.person_id},
                            headers=headers)
        assert other.status_code == 404

    def test_counts_for_the_scorecard(self, session: Session) -> None:
        clerk = _clerk(session)
        before = service.e_card_counts(session, clerk)
        card, other = f.card(session), f.card(session)
        for person_id in (card.person_id, card.person_id, other.person_id):
            service.issue_e_card(session, clerk, person_id)
        assert service.e_card_counts(session, clerk) == (before[0] + 3, before[1] + 2)
        elsewhere = f.staff(session, "clerk", "500106")
        assert service.e_card_counts(session, elsewhere) == (0, 0)


class TestVerify:
    def test_valid_says_for_whom_masked(self, client: TestClient, session: Session) -> None:
        body, card, person = _issue(client, session, name="张三丰")
        result = _verify(client, body["token"])
        rid = person.resident_id
        assert result == {
            "valid": True, "reason": "valid", "message": "电子社保卡有效", "name": "张**",
            "resident_id": rid[:4] + "**********" + rid[-4:],
            "card_no": card.card_no, "card_state": "active",
            "expires_at": body["expires_at"],
        }

    def test_expired(self, client: TestClient, session: Session) -> None:
        card = f.card(session)
        issued = service.issue_e_card(session, SYSTEM, card.person_id,
                                      now=utcnow() - timedelta(minutes=11))
        result = _verify(client, issued.token)
        assert (result["valid"], result["reason"]) == (False, "expired")
        assert result["name"] is None and result["card_no"] == card.card_no
        at_expiry = service.verify_e_card(session, issued.token,
                                          now=issued.record.expires_at.replace(tzinfo=UTC))
        just_before = service.verify_e_card(
            session, issued.token,
            now=issued.record.expires_at.replace(tzinfo=UTC) - timedelta(seconds=1))
        assert (at_expiry.reason, just_before.reason) == ("expired", "valid")

    def test_altered_claims_fail_the_signature(
        self, client: TestClient, session: Session
    ) -> None:
        body, _, _ = _issue(client, session)
        other, _, _ = _issue(client, session)
        payload, signature = body["token"].split(".")
        claims = json.loads(_unb64(payload))
        claims["e"] += 86_400  # a day more
        forged = _b64(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode())
        assert _verify(client, f"{forged}.{signature}")["reason"] == "bad_signature"
        swapped = f"{other['token'].split('.')[0]}.{signature}"
        assert _verify(client, swapped)["reason"] == "bad_signature"
        flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
        assert _verify(client, f"{payload}.{flipped}")["valid"] is False

    def test_signed_by_another_key(self, client: TestClient, session: Session) -> None:
        body, _, _ = _issue(client, session)
        claims = tokens.read(service.e_card_signing_key(session).public_key(), body["token"])
        foreign = tokens.sign(Ed25519PrivateKey.generate(), claims)
        assert _verify(client, foreign)["reason"] == "bad_signature"

    def test_not_a_token(self, client: TestClient, session: Session) -> None:
        service.e_card_signing_key(session)
        for junk in ("hello", "a.b.c", "!!!.???", ".", "eyJ2IjoxfQ.AAAA", "e30.AAAA"):
            assert _verify(client, junk)["reason"] == "malformed", junk

    def test_a_card_reported_lost_makes_its_token_invalid(
        self, client: TestClient, session: Session
    ) -> None:
        body, card, _ = _issue(client, session)
        assert _verify(client, body["token"])["valid"] is True
        service.report_loss(session, SYSTEM, card.card_no, kind="temporary")
        result = _verify(client, body["token"])
        assert (result["valid"], result["reason"], result["card_state"]) == (
            False, "card_not_active", "loss_reported_temporary")
        service.cancel_loss_report(session, SYSTEM, card.card_no)
        assert _verify(client, body["token"])["valid"] is True

    def test_a_replaced_card_makes_its_token_invalid(
        self, client: TestClient, session: Session
    ) -> None:
        body, card, _ = _issue(client, session)
        service.replace_card(session, SYSTEM, card.card_no, reason="damage")
        result = _verify(client, body["token"])
        assert (result["reason"], result["card_state"]) == ("card_not_active", "replaced")
