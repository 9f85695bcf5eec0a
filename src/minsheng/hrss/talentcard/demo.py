"""Demo data for the talent service card: about forty cards in 渝中区 and 涪陵区 in every
state (applications waiting for review, approved, refused, active, revoked, expired),
services booked on the active cards — delivered and rated, open, and some past their
deadline — and an active card for the demo citizen with one service delivered and one
open, so that 我的英才服务卡 shows it. Tiers and the catalogue come with the migration.
Runs once: a database with cards is left as it is."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.registry.service import Person
from minsheng.hrss.talentcard.models import TalentCard
from minsheng.hrss.talentcard.schemas import CardApply
from minsheng.hrss.talentcard.service import bookings, cards
from minsheng.platform.db import unit_of_work
from minsheng.platform.security.principal import SYSTEM

DISTRICTS = ("500103", "500102")
PER_DISTRICT = 20
BASES = (("title", "正高", "A"), ("skill_level", "1", "A"), ("category", "B", "A"),
         ("title", "副高", "B"), ("skill_level", "2", "B"), ("category", "D", "B"))
SERVICES = ("housing", "schooling", "medical", "spouse_job", "residence", "entry_exit")


def seed_demo_talentcard(factory: sessionmaker[Session],
                         citizen_person_id: int | None = None) -> int:
    """Load the demo; returns the number of cards and applications made (0 when there)."""
    with unit_of_work(factory) as session:
        if session.scalar(select(func.count()).select_from(TalentCard)):
            return 0
        made = 0
        for region in DISTRICTS:
            people = list(session.scalars(select(Person.id).where(
                Person.residence_region == region, Person.status == "alive",
                Person.id != (citizen_person_id or 0))
                .order_by(Person.id.desc()).limit(PER_DISTRICT)))
            for n, person_id in enumerate(people):
                _card(session, person_id, n)
                made += 1
        if citizen_person_id is not None:
            _citizen(session, citizen_person_id)
            made += 1
        cards.expire_cards(session, SYSTEM)  # the 2021 cards: one set-based UPDATE
        return made


def _apply(session: Session, person_id: int, n: int, on: date) -> TalentCard:
    kind, value, tier = BASES[n % len(BASES)]
    return cards.apply(session, SYSTEM, CardApply.model_validate({
        "person_id": person_id, "tier": tier, "basis_kind": kind, "basis_value": value,
        "basis_note": f"证书编号 DEMO{person_id:08d}"}), today=on)


def _card(session: Session, person_id: int, n: int) -> None:
    """By ``n``: 0–1 waiting for review, 2 approved, 3 refused, 4 revoked, 5 expired
    (issued in 2021 on a three-year tier), the rest active, issued 40 to 300 days ago,
    with up to three services booked — two in three delivered on their due day and
    rated, the others open (past their deadline when booked long enough ago)."""
    today = date.today()
    if n == 5:
        card = _apply(session, person_id, 3, date(2021, 5, 10))
        cards.review(session, SYSTEM, card.id, approve=True, on=date(2021, 5, 14))
        cards.issue(session, SYSTEM, card.id, on=date(2021, 5, 20))
        return
    applied = today - timedelta(days=400 - n * 15 if n >= 6 else 3 + n)
    card = _apply(session, person_id, n, applied)
    if n in (0, 1):
        return
    if n == 3:
        cards.review(session, SYSTEM, card.id, approve=False, on=applied + timedelta(days=2),
                     note="职称证书与人事档案记载不一致")
        return
    cards.review(session, SYSTEM, card.id, approve=True, on=applied + timedelta(days=2),
                 note="依据经核实")
    if n == 2:
        return
    cards.issue(session, SYSTEM, card.id, on=applied + timedelta(days=5))
    assert card.card_no is not None
    if n == 4:
        cards.revoke(session, SYSTEM, card.card_no, "持卡人已调离本市", on=today)
        return
    for k in range(n % 4):
        asked = today - timedelta(days=5 + 13 * k + n)
        booking = bookings.book(session, SYSTEM, card.card_no, SERVICES[(n + k) % 6], asked)
        if (n + k) % 3 != 0 and booking.due_on <= today:
            bookings.deliver(session, SYSTEM, booking.id, booking.due_on)
            bookings.rate(session, SYSTEM, booking.id, 3 + (n + k) % 3)


def _citizen(session: Session, person_id: int) -> None:
    today = date.today()
    card = cards.issue_direct(session, SYSTEM, person_id, "B", note="入选重庆英才计划（演示）",
                              on=today - timedelta(days=120))
    assert card.card_no is not None
    done = bookings.book(session, SYSTEM, card.card_no, "medical", today - timedelta(days=30))
    bookings.deliver(session, SYSTEM, done.id, done.due_on)
    bookings.book(session, SYSTEM, card.card_no, "housing", today - timedelta(days=3))
