"""Demo cards: a dozen people of 渝中区 with cards in every state (through the real
services, with history and audit), and, set-based, active cards and e-cards for most of
the other residents so that the counts look like a city's."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import String, exists, insert, literal, select, union_all
from sqlalchemy.orm import Session

from minsheng.hrss.cards import service
from minsheng.hrss.cards.models import CardEvent, ECard, SocialSecurityCard
from minsheng.hrss.cards.rules import CardState
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Person
from minsheng.platform.config import get_settings
from minsheng.platform.db import utcnow
from minsheng.platform.security import audit
from minsheng.platform.security.principal import SYSTEM, Principal

#: Region of the showcase cards (the demo citizen account lives there).
SHOWCASE_REGION = "500103"
#: The showcase: one person each, in this order (the first is the demo citizen).
SHOWCASE = (
    "active_with_e_card", "applied", "issued", "active", "loss_reported_temporary",
    "temporary_lapsed", "loss_reported", "replaced_after_loss", "replaced_damaged",
    "cancelled", "loss_report_cancelled", "active_with_e_card",
)


@dataclass(frozen=True)
class DemoCards:
    showcase: dict[str, str]  # card_no → what it shows
    bulk_cards: int
    bulk_e_cards: int


def seed_demo_cards(
    session: Session, *, now: datetime | None = None, bulk_share: float = 0.9,
    e_card_share: float = 0.25,
) -> DemoCards:
    """Cards for the demo city, in the caller's unit of work. Idempotent: people who
    a database that has any card is left alone, so a second run adds nothing.

    The showcase goes through the services; the bulk part (``bulk_share`` of the other
    living people get an active card, ``e_card_share`` of those an e-card) is one batched
    insert of cards, one ``INSERT ... SELECT`` of their history and one batched insert of
    e-card records."""
    moment = (now or utcnow()).astimezone(UTC)
    if session.scalar(select(SocialSecurityCard.id).limit(1)) is not None:
        return DemoCards({}, 0, 0)  # seeded before
    candidates = session.scalars(
        registry.person_query(SYSTEM).where(Person.residence_region == SHOWCASE_REGION,
                                            Person.status == "alive")
        .order_by(Person.id).limit(len(SHOWCASE))).all()
    showcase: dict[str, str] = {}
    for person, what in zip(candidates, SHOWCASE, strict=False):
        showcase[_showcase_card(session, SYSTEM, person, what, moment)] = what
    bulk_cards, bulk_e_cards = _bulk(session, moment, bulk_share, e_card_share)
    return DemoCards(showcase, bulk_cards, bulk_e_cards)


def _showcase_card(
    session: Session, actor: Principal, person: Person, what: str, now: datetime
) -> str:
    earlier = now - timedelta(days=30)
    days = get_settings().card_temporary_loss_days
    if what == "applied":
        holder = Principal(user_id=0, username="citizen-demo", role="citizen",
                           person_id=person.id)
        return service.apply_for_card(session, holder, person.id, now=earlier).card_no
    card = service.apply_for_card(session, actor, person.id, now=earlier)
    if what == "issued":
        return card.card_no
    if what == "cancelled":
        registry.record_death(session, actor, person.id, date(now.year - 1, 3, 1))
        return card.card_no
    service.activate_card(session, actor, card.card_no, resident_id=person.resident_id,
                          name=person.name, now=earlier + timedelta(hours=1))
    if what == "active_with_e_card":
        service.issue_e_card(session, actor, person.id, now=now)
    elif what == "loss_reported_temporary":
        service.report_loss(session, actor, card.card_no, kind="temporary",
                            now=now - timedelta(days=1))
    elif what == "temporary_lapsed":
        service.report_loss(session, actor, card.card_no, kind="temporary",
                            now=now - timedelta(days=days + 2))
    elif what in ("loss_reported", "replaced_after_loss", "loss_report_cancelled"):
        service.report_loss(session, actor, card.card_no, kind="formal",
                            now=now - timedelta(days=3))
        if what == "replaced_after_loss":
            new = service.replace_card(session, actor, card.card_no, now=now - timedelta(days=2))
            service.activate_card(session, actor, new.card_no, resident_id=person.resident_id,
                                  name=person.name, now=now - timedelta(days=1))
        elif what == "loss_report_cancelled":
            service.cancel_loss_report(session, actor, card.card_no,
                                       now=now - timedelta(days=2))
    elif what == "replaced_damaged":
        service.replace_card(session, actor, card.card_no, reason="damage",
                             now=now - timedelta(days=2))
    return card.card_no


def _bulk(session: Session, now: datetime, share: float, e_share: float) -> tuple[int, int]:
    if share <= 0:
        return 0, 0
    has_card = exists().where(SocialSecurityCard.person_id == Person.id)
    people = list(session.scalars(select(Person.id).where(Person.status == "alive", ~has_card)
                                  .order_by(Person.id)))
    # Exactly ⌊len(people) × share⌋ of them, spread evenly.
    chosen = [pid for n, pid in enumerate(people) if int((n + 1) * share) > int(n * share)]
    if not chosen:
        return 0, 0
    node = get_settings().node_id
    # Issued over the past years (about 400 to 4,400 days ago), so that the cardholders
    # of earlier years (the scorecard's 2016–2020) are on record too.
    issued = {pid: now - timedelta(days=400 + (n * 97) % 4000) for n, pid in enumerate(chosen)}
    serials = service.next_card_serials(session, len(chosen))
    session.execute(insert(SocialSecurityCard), [
        {"card_no": service.card_number(node, serial), "person_id": pid,
         "state": CardState.ACTIVE.value, "previous_state": None, "loss_reported_at": None,
         "replaced_by": None, "replacement_reason": "", "applied_at": issued[pid],
         "issued_at": issued[pid], "activated_at": issued[pid], "closed_at": None,
         "version": 3, "created_at": issued[pid], "updated_at": issued[pid]}
        for pid, serial in zip(chosen, serials, strict=True)
    ])
    # Their history, set-based: apply, issue and activate for every card without one.
    card = SocialSecurityCard
    no_history = ~exists().where(CardEvent.card_id == card.id)
    steps = [("apply", None, "applied"), ("issue", "applied", "issued"),
             ("activate", "issued", "active")]
    history = union_all(*(
        select(card.id.label("card_id"), literal(n).label("step"),
               literal(event).label("event"),
               literal(from_state, String).label("from_state"),
               literal(to_state).label("to_state"), card.issued_at.label("occurred_at"))
        .where(no_history)
        for n, (event, from_state, to_state) in enumerate(steps)
    )).subquery("history")
    session.execute(insert(CardEvent).from_select(
        ["card_id", "event", "from_state", "to_state", "actor", "note", "occurred_at"],
        select(history.c.card_id, history.c.event, history.c.from_state, history.c.to_state,
               literal("demo"), literal("演示数据"), history.c.occurred_at)
        .order_by(history.c.card_id, history.c.step),
    ))
    holders = list(session.execute(
        select(card.id, card.person_id).where(card.person_id.in_(chosen[::max(1, round(
            1 / e_share))] if e_share > 0 else []))))
    if holders:
        # First e-cards from 2019 on (up to about 2,800 days ago), never before the card.
        first_e_card = {pid: max(issued[pid] + timedelta(days=30),
                                 now - timedelta(days=(n * 53) % 2800))
                        for n, (_, pid) in enumerate(holders)}
        session.execute(insert(ECard), [
            {"token_id": secrets.token_hex(16), "person_id": pid, "card_id": cid,
             "issued_by": "demo", "issued_at": first_e_card[pid],
             "expires_at": first_e_card[pid] + service.E_CARD_TTL}
            for cid, pid in holders
        ])
    audit.record(session, actor=SYSTEM.username, action="card.demo_bulk_issue",
                 subject_type="social_security_card", subject_id="*",
                 payload={"cards": len(chosen), "e_cards": len(holders)})
    return len(chosen), len(holders)
