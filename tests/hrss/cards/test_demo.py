"""The demo's cards: every state, history, e-cards; a second run adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.cards import service
from minsheng.hrss.cards.demo import SHOWCASE, seed_demo_cards
from minsheng.hrss.cards.models import CardEvent, ECard, SocialSecurityCard
from minsheng.hrss.registry.models import Person
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f

STATES = {"applied", "issued", "active", "loss_reported_temporary", "loss_reported",
          "replaced", "cancelled"}


def test_cards_in_every_state_and_e_cards(session: Session) -> None:
    assert session.scalar(select(func.count()).select_from(SocialSecurityCard)) == 0
    people = [f.person(session, residence_region="500103") for _ in range(len(SHOWCASE))]
    others = [f.person(session, residence_region="500106") for _ in range(20)]
    alive = session.scalar(select(func.count()).select_from(Person).where(
        Person.status == "alive")) or 0
    seeded = seed_demo_cards(session, bulk_share=0.5, e_card_share=0.5)
    assert sorted(seeded.showcase.values()) == sorted(SHOWCASE)
    stored = set(session.scalars(select(SocialSecurityCard.state)))
    assert stored == STATES
    shown = {service.effective_status(c).state.value
             for c in session.scalars(select(SocialSecurityCard))}
    assert STATES - {"loss_reported_temporary"} <= shown  # one temporary report lapsed
    assert seeded.bulk_cards == (alive - len(SHOWCASE)) // 2  # half of the others
    assert 0 < seeded.bulk_e_cards <= seeded.bulk_cards
    first = session.scalars(select(SocialSecurityCard).where(
        SocialSecurityCard.person_id == people[0].id)).one()
    assert first.state == "active"
    assert session.scalar(select(func.count()).select_from(ECard).where(
        ECard.person_id == people[0].id)) == 1
    bulk_card = session.scalars(select(SocialSecurityCard).where(
        SocialSecurityCard.person_id.in_([p.id for p in others]))).first()
    assert bulk_card is not None
    assert list(session.scalars(select(CardEvent.event).where(
        CardEvent.card_id == bulk_card.id).order_by(CardEvent.id))) == [
        "apply", "issue", "activate"]
    again = seed_demo_cards(session)
    assert (again.showcase, again.bulk_cards, again.bulk_e_cards) == ({}, 0, 0)
    assert service.count_by_state(session, SYSTEM)["active"] >= 10
