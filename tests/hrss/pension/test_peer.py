"""就地认 over the exchange: a Chongqing pensioner living in Chengdu certifies at the
Sichuan node's counter; the certification reaches the paying node (cq), resumes the
suspended pension and the next payroll back-pays the suspended months."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from minsheng.hrss.pension import service
from minsheng.hrss.pension.models import PensionCertification, PensionPayment, PensionRecipient
from minsheng.platform.db import unit_of_work
from minsheng.platform.exchange.models import ExchangeOutbox, ExchangeRejection
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.platform.exchange.nodes import Node, bearer, deliver, federation


@pytest.fixture
def pair(database_url: str, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    with federation(database_url, tmp_path,
                    ("sc", "chengdu", "case_officer", "510104")) as nodes:
        yield nodes


def suspended_pensioner(cq: Node) -> tuple[int, str]:
    """A man in payment since 2020-02, last certified 2025-08-15 (due 2026-08-15): paid
    for August, suspended from September."""
    with unit_of_work(cq.factory) as session:
        f.contribution_rule(session)
        p = f.recipient(session, last_certified=date(2025, 8, 15))
        person_id, resident_id = p.id, p.resident_id
    for month in ("2026-08", "2026-09", "2026-10"):
        service.run_payroll(cq.factory, SYSTEM, month=month)
    with unit_of_work(cq.factory) as session:
        recipient = session.get(PensionRecipient, person_id)
        assert recipient is not None and recipient.status == "suspended"
    return person_id, resident_id


def test_certified_in_chengdu_resumed_and_back_paid_in_chongqing(
        pair: tuple[Node, Node]) -> None:
    cq, sc = pair
    person_id, resident_id = suspended_pensioner(cq)
    answer = sc.client.post("/api/v1/pension/certifications", headers=bearer(sc, "chengdu"), json={
        "resident_id": resident_id, "place": "sc", "on": "2026-11-03"})
    assert answer.status_code == 202, answer.text
    sent = answer.json()
    assert (sent["state"], sent["paying_node"]) == ("sent", "cq")
    assert deliver(sc, cq).delivered == 1

    with unit_of_work(cq.factory) as session:
        recipient = session.get(PensionRecipient, person_id)
        assert recipient is not None and recipient.status == "active"
        assert recipient.last_certified_date == date(2026, 11, 3)
        row = session.scalars(select(PensionCertification).where(
            PensionCertification.person_id == person_id)
            .order_by(PensionCertification.id.desc())).first()
        assert row is not None and (row.method, row.node) == ("peer_node", "sc")
        assert sent["envelope_id"] in row.evidence
        applied = session.scalars(select(AuditEvent.action).where(
            AuditEvent.payload.contains(sent["envelope_id"]))).all()
        assert set(applied) >= {"pension.certify"}
        assert session.scalar(select(AuditEvent.actor).where(
            AuditEvent.action == "exchange.apply",
            AuditEvent.subject_id == sent["envelope_id"])) == "node:sc"
    with unit_of_work(sc.factory) as session:
        assert session.scalar(select(AuditEvent.action).where(
            AuditEvent.action == "pension.certify_for_peer",
            AuditEvent.subject_id == sent["envelope_id"])) is not None

    service.run_payroll(cq.factory, SYSTEM, month="2026-11")
    with unit_of_work(cq.factory) as session:
        kinds = dict(session.execute(select(PensionPayment.benefit_month, PensionPayment.kind)
                                     .where(PensionPayment.person_id == person_id)).all())
    assert kinds == {202608: "regular", 202609: "back_pay", 202610: "back_pay",
                     202611: "regular"}


def test_unknown_at_the_paying_node_is_refused_there_and_failed_here(
        pair: tuple[Node, Node]) -> None:
    cq, sc = pair
    stranger = f.resident_id("500103", date(1958, 3, 1), male=True)
    answer = sc.client.post("/api/v1/pension/certifications", headers=bearer(sc, "chengdu"), json={
        "resident_id": stranger, "place": "sc"})
    assert answer.status_code == 202
    report = deliver(sc, cq)
    assert report.failed == 1 and "本节点没有该人员的养老待遇记录" in report.errors[0]
    with unit_of_work(sc.factory) as session:
        row = session.scalars(select(ExchangeOutbox)).one()
        assert row.state == "failed" and "养老待遇记录" in row.last_error
    with unit_of_work(cq.factory) as session:
        assert session.scalars(select(ExchangeRejection.reason_code)).all() == ["refused"]
        assert session.scalars(select(PensionCertification)).all() == []


@pytest.mark.parametrize(("body", "field"), [
    ({"resident_id": "500103195803010000", "place": "sc"}, "resident_id"),
    ({"resident_id": "500103195803010011", "place": "cq"}, "place"),
    ({"resident_id": "500103195803010011", "place": "sc", "on": "2099-01-01"}, "on"),
    ({"resident_id": "500103195803010011", "place": "xx"}, "place"),
])
def test_bad_input_is_422_and_nothing_is_sent(pair: tuple[Node, Node], body: dict[str, str],
                                              field: str) -> None:
    _, sc = pair
    answer = sc.client.post("/api/v1/pension/certifications", headers=bearer(sc, "chengdu"),
                            json=body)
    assert answer.status_code == 422, answer.text
    assert field in answer.text
    with unit_of_work(sc.factory) as session:
        assert session.scalars(select(ExchangeOutbox)).all() == []
