"""Social security card services at the other province's counter (川渝通办·就近办): a
cardholder reports a loss (挂失), cancels it (解挂) or activates (启用) a card issued by
one node at the other node's counter. The card number names its node (``CQ…``/``SC…``);
a card of this node is served here, any other is sent to its node over the exchange
(``platform.exchange``), which checks the holder's resident ID and name against its own
registry before it acts (人社部《社会保障卡跨省通办业务规范》: the issuing province keeps
the card's state; the serving counter verifies the holder in person).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from minsheng.hrss.cards import service
from minsheng.hrss.cards.models import SocialSecurityCard
from minsheng.hrss.registry import service as registry
from minsheng.platform.config import get_settings
from minsheng.platform.errors import RuleViolation, invalid_field
from minsheng.platform.exchange import service as exchange
from minsheng.platform.exchange.kinds import EnvelopeKind, Received
from minsheng.platform.ids import mask_resident_id, parse_resident_id
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal

KIND = "cards.counter_service"
Action = Literal["report_loss", "cancel_loss_report", "activate"]
ACTION_LABELS = {"report_loss": "挂失", "cancel_loss_report": "解挂", "activate": "启用"}


class CounterService(BaseModel):
    """The envelope's body: the card, the holder as verified at the counter, the act."""

    card_no: str = Field(min_length=3, max_length=20)
    resident_id: str = Field(min_length=18, max_length=18)
    name: str = Field(min_length=1, max_length=64)
    action: Action
    kind: Literal["temporary", "formal"] = "formal"
    counter: str = Field(default="", max_length=64)


@dataclass(frozen=True)
class CounterOutcome:
    #: ``done`` here (a card of this node) or ``sent`` to the card's node.
    state: str
    card: SocialSecurityCard | None = None
    envelope_id: str | None = None
    card_node: str | None = None


def node_of(card_no: str) -> str:
    return card_no.strip()[:2].lower()


def serve_at_counter(session: Session, actor: Principal, data: CounterService, *,
                     node_id: str | None = None) -> CounterOutcome:
    """就近办: a card of this node is served at once; a card of the other node is sent to
    it, in this transaction's outbox."""
    actor.require("cards:write")
    here = node_id or get_settings().node_id
    number = parse_resident_id(data.resident_id).number
    card_node = node_of(data.card_no)
    if card_node == here:
        return CounterOutcome("done", card=_act(session, actor, data, number))
    if card_node not in exchange.NODE_NAMES:
        raise invalid_field("card_no", "卡号不属于川渝任一节点", "the card belongs to no node")
    body = data.model_copy(update={"card_no": data.card_no.strip().upper(),
                                   "resident_id": number, "counter": actor.username})
    envelope_id = exchange.send(session, actor, card_node, KIND, body)
    audit.record(session, actor=actor.username, action="card.counter_for_peer",
                 subject_type="envelope", subject_id=envelope_id,
                 payload={"card_no": body.card_no, "action": data.action,
                          "resident_id": mask_resident_id(number)})
    return CounterOutcome("sent", envelope_id=envelope_id, card_node=card_node)


def _act(session: Session, actor: Principal, data: CounterService,
         number: str) -> SocialSecurityCard:
    holder = registry.find_by_resident_id(session, number)
    card = service.read_card(session, actor, data.card_no)
    if holder is None or holder.id != card.person_id or holder.name != data.name.strip():
        raise RuleViolation("持卡人身份与卡片不符", "the holder's identity does not match")
    if data.action == "report_loss":
        return service.report_loss(session, actor, card.card_no, kind=data.kind)
    if data.action == "cancel_loss_report":
        return service.cancel_loss_report(session, actor, card.card_no)
    outcome = service.activate_card(session, actor, card.card_no, resident_id=number,
                                    name=data.name)
    if outcome.refusal is not None:
        raise outcome.refusal
    return outcome.card


def apply_counter_service(session: Session, received: Received, body: CounterService) -> None:
    """At the card's node: the act done at the other node's counter."""
    _act(session, received.actor, body, body.resident_id)


KINDS = (EnvelopeKind(KIND, "社会保障卡异地业务", CounterService, apply_counter_service),)
