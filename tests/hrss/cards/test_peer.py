"""就近办 over the exchange: a Chongqing card reported lost, the report cancelled, and a
refused identity, all at the Sichuan node's counter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from minsheng.hrss.cards.models import SocialSecurityCard
from minsheng.hrss.registry.models import Person
from minsheng.platform.db import unit_of_work
from minsheng.platform.exchange.models import ExchangeOutbox, ExchangeRejection
from minsheng.platform.security.models import AuditEvent
from tests import factories as f
from tests.platform.exchange.nodes import Node, bearer, deliver, federation


@pytest.fixture
def pair(database_url: str, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    with federation(database_url, tmp_path, ("sc", "chengdu", "clerk", "510104")) as nodes:
        yield nodes


@pytest.fixture
def card(pair: tuple[Node, Node]) -> tuple[str, str, str]:
    """An active card of cq: (card number, holder's resident ID, holder's name)."""
    with unit_of_work(pair[0].factory) as session:
        issued = f.card(session, name="张川渝")
        holder = session.scalars(select(SocialSecurityCard).where(
            SocialSecurityCard.card_no == issued.card_no)).one().person_id
        person = session.get(Person, holder)
        assert person is not None
        return issued.card_no, person.resident_id, person.name


def at_counter(sc: Node, **body: str) -> dict[str, str]:
    answer = sc.client.post("/api/v1/cards/counter-services", json=body,
                            headers=bearer(sc, "chengdu"))
    assert answer.status_code == 202, answer.text
    result: dict[str, str] = answer.json()
    return result


def state_at_cq(cq: Node, card_no: str) -> str:
    with unit_of_work(cq.factory) as session:
        return session.scalars(select(SocialSecurityCard.state).where(
            SocialSecurityCard.card_no == card_no)).one()


def test_loss_report_and_its_cancellation_at_the_other_counter(
        pair: tuple[Node, Node], card: tuple[str, str, str]) -> None:
    cq, sc = pair
    card_no, resident_id, name = card
    assert card_no.startswith("CQ") and state_at_cq(cq, card_no) == "active"
    sent = at_counter(sc, card_no=card_no, resident_id=resident_id, name=name,
                      action="report_loss", kind="formal")
    assert (sent["state"], sent["card_node"]) == ("sent", "cq")
    assert deliver(sc, cq).delivered == 1
    assert state_at_cq(cq, card_no) == "loss_reported"
    at_counter(sc, card_no=card_no.lower(), resident_id=resident_id, name=name,
               action="cancel_loss_report")
    assert deliver(sc, cq).delivered == 1
    assert state_at_cq(cq, card_no) == "active"
    with unit_of_work(cq.factory) as session:
        actors = set(session.scalars(select(AuditEvent.actor).where(
            AuditEvent.subject_id == card_no)))
        assert "node:sc" in actors
    with unit_of_work(sc.factory) as session:
        assert session.scalar(select(AuditEvent.action).where(
            AuditEvent.subject_id == sent["envelope_id"],
            AuditEvent.action == "card.counter_for_peer")) is not None


def test_a_holder_who_does_not_match_is_refused_at_the_cards_node(
        pair: tuple[Node, Node], card: tuple[str, str, str]) -> None:
    cq, sc = pair
    card_no, resident_id, _ = card
    at_counter(sc, card_no=card_no, resident_id=resident_id, name="李冒名",
               action="report_loss")
    report = deliver(sc, cq)
    assert report.failed == 1 and "持卡人身份与卡片不符" in report.errors[0]
    assert state_at_cq(cq, card_no) == "active"
    with unit_of_work(cq.factory) as session:
        assert session.scalars(select(ExchangeRejection.reason_code)).all() == ["refused"]
    with unit_of_work(sc.factory) as session:
        assert session.scalars(select(ExchangeOutbox.state)).all() == ["failed"]


def test_a_card_of_no_node_is_422(pair: tuple[Node, Node], card: tuple[str, str, str]) -> None:
    _, sc = pair
    _, resident_id, name = card
    answer = sc.client.post("/api/v1/cards/counter-services", json={
        "card_no": "XX000000001", "resident_id": resident_id, "name": name,
        "action": "report_loss"}, headers=bearer(sc, "chengdu"))
    assert answer.status_code == 422 and "card_no" in answer.text
