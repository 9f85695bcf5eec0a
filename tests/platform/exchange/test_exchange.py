"""The exchange between two nodes in one process: delivery, de-duplication, refusals,
retries with back-off, key rotation, the inbox API, the status and the operations page."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import BaseModel
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from minsheng.platform.db import unit_of_work
from minsheng.platform.exchange import envelope as env
from minsheng.platform.exchange import kinds, service
from minsheng.platform.exchange.kinds import EnvelopeKind, Received
from minsheng.platform.exchange.models import (
    ExchangeKey,
    ExchangeOutbox,
    ExchangePeerKey,
    ExchangeProbe,
    ExchangeRejection,
)
from minsheng.platform.exchange.service import ProbeBody
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM
from minsheng.platform.security.service import add_user
from tests.platform.exchange.nodes import Node, deliver, introduce, node

PASSWORD = "Exchange@2026"


@pytest.fixture
def pair(database_url: str, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    with node(database_url, tmp_path, "cq") as cq, node(database_url, tmp_path, "sc") as sc:
        introduce(cq, sc)
        yield cq, sc


def ping(sender: Node, to: str, count: int) -> list[str]:
    with unit_of_work(sender.factory) as session:
        return service.probe(session, SYSTEM, to, count)


def probes(receiver: Node) -> tuple[int, int]:
    """(rows, distinct envelopes) of the link-test effect on the receiver."""
    with unit_of_work(receiver.factory) as session:
        return session.execute(select(func.count(),
                                      func.count(ExchangeProbe.envelope_id.distinct()))).one()


def signed(sender: Node, **fields: object) -> env.Envelope:
    """An envelope from ``sender`` signed with its real key; ``fields`` override."""
    with unit_of_work(sender.factory) as session:
        key = service.own_key(session, sender.node_id)
        key_id, pem = key.key_id, key.private_pem
    values: dict[str, object] = {
        "id": str(uuid.uuid4()), "sender": sender.node_id, "recipient": "sc",
        "kind": "exchange.probe", "sent_at": env.stamp(service.now_ms()), "key_id": key_id,
        "body": {"seq": 1}}
    values.update(fields)
    return env.sign(env.Envelope(**values), pem)  # type: ignore[arg-type]


def post(receiver: Node, letter: env.Envelope | bytes) -> httpx.Response:
    raw = letter if isinstance(letter, bytes) else env.canonical(letter.to_json())
    return receiver.client.post("/api/v1/exchange/inbox", content=raw,
                                headers={"content-type": "application/json"})


class TestDelivery:
    def test_each_envelope_is_applied_once(self, pair: tuple[Node, Node]) -> None:
        cq, sc = pair
        ids = ping(cq, "sc", 5)
        report = deliver(cq, sc)
        assert (report.attempted, report.delivered, report.failed) == (5, 5, 0)
        assert probes(sc) == (5, 5)
        assert cq.status().outbox == {"pending": 0, "delivered": 5, "failed": 0}
        assert sc.status().inbox == {"applied": 5, "rejected": 0, "duplicates_dropped": 0}
        assert deliver(cq, sc).attempted == 0
        with unit_of_work(sc.factory) as session:
            applied = set(session.scalars(select(AuditEvent.subject_id).where(
                AuditEvent.action == "exchange.apply")))
        with unit_of_work(cq.factory) as session:
            sent = set(session.scalars(select(AuditEvent.subject_id).where(
                AuditEvent.action == "exchange.send")))
        assert applied == sent == set(ids)

    def test_a_lost_acknowledgement_is_a_dropped_duplicate(self, pair: tuple[Node, Node]) -> None:
        cq, sc = pair
        ping(cq, "sc", 3)
        deliver(cq, sc)
        with unit_of_work(cq.factory) as session:  # as if no acknowledgement had come
            session.execute(update(ExchangeOutbox).values(state="pending", due_ms=0))
        report = deliver(cq, sc)
        assert report.delivered == 3
        assert probes(sc) == (3, 3)
        assert sc.status().inbox["duplicates_dropped"] == 3

    def test_a_link_error_is_retried_with_back_off(self, pair: tuple[Node, Node]) -> None:
        cq, _ = pair
        ping(cq, "sc", 2)
        with httpx.Client(base_url="http://127.0.0.1:9", timeout=0.5) as dead:
            report = service.deliver_due(cq.factory, dead, settings=cq.settings)
        assert (report.retrying, report.delivered) == (2, 0)
        with unit_of_work(cq.factory) as session:
            rows = session.scalars(select(ExchangeOutbox)).all()
            assert {(r.state, r.attempts) for r in rows} == {("pending", 1)}
            assert all(r.due_ms > service.now_ms() - 1000 for r in rows)
            assert all("链路错误" in r.last_error for r in rows)

    def test_back_off_doubles_up_to_the_cap(self, pair: tuple[Node, Node]) -> None:
        settings = pair[0].settings.model_copy(update={"exchange_retry_base_seconds": 2.0,
                                                       "exchange_retry_max_seconds": 30.0})
        for attempts, ceiling in ((1, 2.0), (2, 4.0), (3, 8.0), (5, 30.0), (40, 30.0)):
            wait = service.backoff_seconds(attempts, settings)
            assert ceiling / 2 <= wait <= ceiling


class TestRefusals:
    def test_a_forged_signature_is_401_and_kept(self, pair: tuple[Node, Node]) -> None:
        cq, sc = pair
        pem, _ = env.new_private_key()
        real = signed(cq)
        forged = env.sign(env.Envelope(**real.unsigned()), pem)
        response = post(sc, forged)
        assert response.status_code == 401 and response.json()["code"] == "bad_signature"
        tampered = env.Envelope(**{**real.unsigned(), "body": {"seq": 2}},
                                signature=real.signature)
        assert post(sc, tampered).status_code == 401
        assert probes(sc) == (0, 0)
        with unit_of_work(sc.factory) as session:
            kept = session.scalars(select(ExchangeRejection.reason_code)).all()
        assert kept == ["bad_signature", "bad_signature"]

    def test_unknown_peer_is_403_and_malformed_401(self, pair: tuple[Node, Node]) -> None:
        cq, sc = pair
        stranger = signed(cq)
        letter = env.Envelope(**{**stranger.unsigned(), "sender": "xx"},
                              signature=stranger.signature)
        assert post(sc, letter).status_code == 403
        assert post(sc, b"not json").status_code == 401
        assert post(sc, b'{"id": "1"}').status_code == 401
        assert sc.status().inbox["rejected"] == 3

    def test_outside_the_window_is_refused_and_retryable(self, pair: tuple[Node, Node]) -> None:
        cq, sc = pair
        window = sc.settings.exchange_window_seconds * 1000
        for skew in (window + 1000, -(window + 1000)):
            letter = signed(cq, sent_at=env.stamp(service.now_ms() + skew))
            response = post(sc, letter)
            assert response.status_code == 422
            assert response.json() | {"reason": ""} == {
                "status": "rejected", "code": "outside_window", "reason": "",
                "retryable": True}
        inside = signed(cq, sent_at=env.stamp(service.now_ms() - window + 5000))
        assert post(sc, inside).json()["status"] == "applied"
        assert probes(sc) == (1, 1)

    def test_a_replayed_envelope_is_not_applied_again(self, pair: tuple[Node, Node]) -> None:
        cq, sc = pair
        letter = signed(cq)
        assert post(sc, letter).json()["status"] == "applied"
        assert post(sc, letter).json()["status"] == "duplicate"
        later = env.Envelope(**letter.unsigned(), signature=letter.signature)
        assert post(sc, later).json()["status"] == "duplicate"
        assert probes(sc) == (1, 1)
        assert sc.status().inbox["duplicates_dropped"] == 2

    @pytest.mark.parametrize(("fields", "code"), [
        ({"recipient": "cq"}, "wrong_recipient"),
        ({"kind": "pension.unknown"}, "unknown_kind"),
        ({"body": {"seq": "many"}}, "invalid"),
    ])
    def test_refused_and_nothing_applied(self, pair: tuple[Node, Node],
                                         fields: dict[str, object], code: str) -> None:
        cq, sc = pair
        response = post(sc, signed(cq, **fields))
        assert response.status_code == 422
        assert (response.json()["code"], response.json()["retryable"]) == (code, False)
        assert sc.status().inbox == {"applied": 0, "rejected": 1, "duplicates_dropped": 0}

    def test_a_refusal_fails_the_outbox_entry_until_retried(
            self, pair: tuple[Node, Node]) -> None:
        cq, sc = pair
        ping(cq, "sc", 1)
        with unit_of_work(sc.factory) as session:  # the receiver forgets the sender's key
            session.execute(update(ExchangePeerKey).values(valid_until_ms=1))
        report = deliver(cq, sc)
        assert report.failed == 1 and "401" in report.errors[0]
        assert cq.status().outbox["failed"] == 1
        with unit_of_work(sc.factory) as session:
            session.execute(update(ExchangePeerKey).values(valid_until_ms=None))
        with unit_of_work(cq.factory) as session:
            assert service.retry(session, SYSTEM) == 1
        assert deliver(cq, sc).delivered == 1
        assert probes(sc) == (1, 1)


def _breaks_a_constraint(session: Session, received: Received, body: BaseModel) -> None:
    session.add(ExchangeProbe(envelope_id=received.envelope_id, sender=received.sender,
                              seq=None))  # NOT NULL: the database refuses it


kinds.register(EnvelopeKind("test.constraint", "测试", ProbeBody, _breaks_a_constraint))


class TestApplyFailures:
    def test_a_constraint_the_database_refuses_is_a_kept_refusal(
            self, pair: tuple[Node, Node]) -> None:
        cq, sc = pair
        answer = post(sc, signed(cq, kind="test.constraint"))
        assert answer.status_code == 422 and answer.json()["code"] == "refused"
        assert answer.json()["retryable"] is False
        assert sc.status().inbox == {"applied": 0, "rejected": 1, "duplicates_dropped": 0}
        assert probes(sc) == (0, 0)


class TestKeyRotation:
    def test_new_key_after_the_announcement_old_key_during_the_overlap(
            self, pair: tuple[Node, Node]) -> None:
        cq, sc = pair
        early, late = signed(cq), signed(cq)  # signed with the key sc knows
        with unit_of_work(cq.factory) as session:
            new_id = service.rotate_key(session, SYSTEM, "cq").key_id
        ping(cq, "sc", 1)
        assert deliver(cq, sc).delivered == 2  # the announcement first, then the ping
        with unit_of_work(sc.factory) as session:
            keys = {k.key_id: k.valid_until_ms for k in session.scalars(
                select(ExchangePeerKey).where(ExchangePeerKey.node_id == "cq"))}
        with unit_of_work(cq.factory) as session:
            peer = service.peers(session)[0]
            assert peer.signing_key_id == new_id
        assert keys[new_id] is None and len(keys) == 2
        old_until = keys[early.key_id]
        assert old_until is not None
        assert post(sc, early).json()["status"] == "applied"  # within the overlap
        after = service.receive(sc.factory, env.canonical(late.to_json()),
                                settings=sc.settings, at_ms=old_until + 1)
        assert (after.status_code, after.body["code"]) == (401, "unknown_key")
        assert probes(sc) == (2, 2)


class TestInterfaces:
    def test_node_status_and_the_operations_page(self, pair: tuple[Node, Node]) -> None:
        cq, _ = pair
        ping(cq, "sc", 2)
        with unit_of_work(cq.factory) as session:
            node_key = service.identity(session, "cq")
            add_user(session, actor=SYSTEM, username="ops", role="admin",
                     password=PASSWORD, region_code="")
            add_user(session, actor=SYSTEM, username="desk", role="clerk",
                     password=PASSWORD, region_code="500103")
        assert cq.client.get("/api/v1/exchange/node").json() == {
            "node_id": "cq", "key_id": node_key.key_id, "public_key": node_key.public_key}
        assert cq.client.get("/api/v1/exchange/status").status_code == 401
        token = cq.client.post("/api/v1/auth/token", data={
            "username": "ops", "password": PASSWORD}).json()["access_token"]
        body = cq.client.get("/api/v1/exchange/status",
                             headers={"Authorization": f"Bearer {token}"}).json()
        assert body["outbox"] == {"pending": 2, "delivered": 0, "failed": 0}
        assert body["inbox"] == {"applied": 0, "rejected": 0, "duplicates_dropped": 0}
        assert body["oldest_pending_seconds"] >= 0
        assert cq.client.post("/login", data={"username": "ops", "password": PASSWORD},
                              follow_redirects=False).status_code == 303
        page = cq.client.get("/exchange")
        assert page.status_code == 200 and "川渝通办报文交换" in page.text
        assert 'data-testid="outbox-pending">2<' in page.text
        cq.client.cookies.clear()
        assert cq.client.post("/login", data={"username": "desk", "password": PASSWORD},
                              follow_redirects=False).status_code == 303
        assert cq.client.get("/exchange").status_code == 403

    def test_keys_stay_on_their_node(self, pair: tuple[Node, Node]) -> None:
        cq, sc = pair
        with unit_of_work(cq.factory) as session:
            mine = set(session.scalars(select(ExchangeKey.public_key)))
        with unit_of_work(sc.factory) as session:
            theirs = set(session.scalars(select(ExchangePeerKey.public_key)))
        assert mine == theirs and len(mine) == 1
