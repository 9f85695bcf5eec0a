"""Pension certification where the pensioner lives (川渝通办·就地认): a Chongqing pensioner
living in Sichuan certifies at the Sichuan counter; the record goes to the paying node
over the exchange (``platform.exchange``) and is applied there as a certification made at
the other node, resuming a suspended pension (the suspended months are back-paid by the
next payroll, as for any certification: ``service.certify``).

The national basis: 人社部《关于推进社会保险待遇领取资格确认工作的通知》(人社厅发〔2018〕
107号) lets a recipient be certified by any handling office; the Sichuan–Chongqing
agreement makes the place of residence one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from minsheng.hrss.pension import service
from minsheng.hrss.pension.models import PensionRecipient
from minsheng.hrss.registry import service as registry
from minsheng.platform.config import get_settings
from minsheng.platform.errors import RuleViolation, invalid_field
from minsheng.platform.exchange import service as exchange
from minsheng.platform.exchange.kinds import EnvelopeKind, Received
from minsheng.platform.ids import mask_resident_id, parse_resident_id
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal

KIND = "pension.certification"


class PeerCertification(BaseModel):
    """The envelope's body: who, when, where, and by which counter."""

    resident_id: str = Field(min_length=18, max_length=18)
    certified_date: date
    place: Literal["cq", "sc"]
    counter: str = Field(default="", max_length=64)


@dataclass(frozen=True)
class CounterOutcome:
    #: ``certified`` here (a local recipient) or ``sent`` to the paying node.
    state: str
    person_id: int | None = None
    next_due: date | None = None
    envelope_id: str | None = None
    paying_node: str | None = None


def certify_at_counter(session: Session, actor: Principal, *, resident_id: str,
                       place: str, method: str = "home_visit",
                       on: date | None = None, node_id: str | None = None) -> CounterOutcome:
    """就地认 at this node's counter: a recipient paid here is certified at once; anyone
    else is sent to the other node, which pays them, in this transaction's outbox."""
    actor.require("pension:certify")
    here = node_id or get_settings().node_id
    if place != here:
        raise invalid_field("place", f"认证地应为本节点（{exchange.NODE_NAMES[here]}）",
                            f"place must be this node ({here})")
    on = on or date.today()
    if on > date.today():
        raise invalid_field("on", "认证日期不能晚于今天", "date in the future")
    number = parse_resident_id(resident_id).number
    person = registry.find_by_resident_id(session, number)
    if person is not None and session.get(PensionRecipient, person.id) is not None:
        service.certify(session, actor, person.id, method=method, on=on, node=place)
        recipient = session.get(PensionRecipient, person.id)
        assert recipient is not None
        return CounterOutcome("certified", person.id, recipient.certification_due_date)
    other = exchange.other_node(here)
    envelope_id = exchange.send(session, actor, other, KIND, PeerCertification(
        resident_id=number, certified_date=on, place=place, counter=actor.username))
    audit.record(session, actor=actor.username, action="pension.certify_for_peer",
                 subject_type="envelope", subject_id=envelope_id,
                 payload={"paying_node": other, "on": on.isoformat(),
                          "resident_id": mask_resident_id(number)})
    return CounterOutcome("sent", envelope_id=envelope_id, paying_node=other)


def apply_certification(session: Session, received: Received, body: PeerCertification) -> None:
    """At the paying node: the certification made at the other node's counter."""
    person = registry.find_by_resident_id(session, body.resident_id)
    if person is None or session.get(PensionRecipient, person.id) is None:
        raise RuleViolation("本节点没有该人员的养老待遇记录",
                            "no pension recipient with that resident ID here")
    service.certify(session, received.actor, person.id, method="peer_node",
                    on=body.certified_date, node=body.place,
                    evidence=f"川渝通办报文 {received.envelope_id}")


KINDS = (EnvelopeKind(KIND, "养老待遇资格就地认证", PeerCertification, apply_certification),)
