"""Services booked on a card (服务预约): the holder (or staff for them) books a service of
the catalogue; it is due the provider's number of working days after the request; the
provider's delivery is logged with its date, then the holder's satisfaction (1–5).
Services past their deadline form the staff's overdue work-list."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from minsheng.hrss.talentcard import rules
from minsheng.hrss.talentcard.models import TalentCard, TalentServiceBooking
from minsheng.hrss.talentcard.service import cards
from minsheng.hrss.talentcard.service._common import (
    calendar,
    check_version,
    not_found,
    record,
    service_in_force,
)
from minsheng.platform import paging
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, invalid_field
from minsheng.platform.security.principal import Principal, region_filter, scoped

_WHAT = ("服务事项", "service booking")


def book(session: Session, actor: Principal, card_no: str, service_code: str,
         requested_on: date, *, note: str = "", today: date | None = None
         ) -> TalentServiceBooking:
    """预约服务 on a card valid on the request day and today; due by the catalogue's
    working-day deadline (``rules.service_due``)."""
    actor.require_any("talent:write", "talent:self")
    day = today or date.today()
    card = cards.card_by_no(session, actor, card_no, for_update=True)
    if requested_on > day:
        raise invalid_field("requested_on", "申请日期不能晚于今天", "the request is in the future")
    item = service_in_force(session, service_code, card.region, requested_on)
    cards.ensure_valid(card, day)
    if card.issued_on is not None and requested_on < card.issued_on:
        raise invalid_field("requested_on", "申请日期不能早于发卡日期",
                            "the request is before the card was issued")
    cards.ensure_valid(card, requested_on)
    due = rules.service_due(requested_on, item.sla_workdays, calendar(session))
    booking = TalentServiceBooking(
        card_id=card.id, person_id=card.person_id, region=card.region,
        service_code=item.code, service_name=item.name, provider=item.provider,
        requested_on=requested_on, due_on=due.due_date, due_estimated=due.estimated,
        state=rules.BookingState.REQUESTED, note=note.strip()[:200],
        booked_by=actor.username)
    session.add(booking)
    flush(session)
    record(session, actor, "book", "talent_service_booking", booking.id, card_no=card_no,
           service=item.code, requested_on=requested_on.isoformat(),
           due_on=due.due_date.isoformat())
    return booking


def booking_for(session: Session, actor: Principal, booking_id: int, *,
                for_update: bool = False) -> TalentServiceBooking:
    actor.require_any("talent:read", "talent:self")
    stmt = select(TalentServiceBooking).where(TalentServiceBooking.id == booking_id)
    booking = session.scalar(stmt.with_for_update() if for_update else stmt)
    visible = booking is not None and (
        actor.sees_region(booking.region) if actor.is_staff
        else actor.person_id == booking.person_id)
    if booking is None or not visible:
        raise not_found(*_WHAT)
    return booking


def deliver(session: Session, actor: Principal, booking_id: int, on: date, *,
            note: str = "", version: int | None = None,
            today: date | None = None) -> TalentServiceBooking:
    """办结: the provider delivered on ``on`` — not before the request (422), not in the
    future (422), once only (409), and only while the card is valid on that day (409)."""
    actor.require("talent:write")
    booking = booking_for(session, actor, booking_id, for_update=True)
    check_version(version, booking.version)
    if booking.state != rules.BookingState.REQUESTED:
        raise Conflict("该服务已办结", "The service was already delivered",
                       extra={"current_state": booking.state})
    if on < booking.requested_on:
        raise invalid_field("on", f"办结日期不能早于申请日期（{booking.requested_on.isoformat()}）",
                            f"delivered before the request ({booking.requested_on})")
    if on > (today or date.today()):
        raise invalid_field("on", "办结日期不能晚于今天", "delivered in the future")
    card = session.get(TalentCard, booking.card_id)
    assert card is not None
    cards.ensure_valid(card, on)
    booking.state, booking.delivered_on = rules.BookingState.DELIVERED, on
    booking.delivered_by = actor.username
    if note.strip():
        booking.note = note.strip()[:200]
    flush(session)
    record(session, actor, "deliver", "talent_service_booking", booking.id, on=on.isoformat(),
           on_time=rules.delivered_on_time(booking.due_on, on))
    return booking


def rate(session: Session, actor: Principal, booking_id: int, score: int, *,
         version: int | None = None) -> TalentServiceBooking:
    """满意度评价 of a delivered service, once: by its holder, or staff recording it."""
    actor.require_any("talent:write", "talent:self")
    booking = booking_for(session, actor, booking_id, for_update=True)
    check_version(version, booking.version)
    if not rules.valid_satisfaction(score):
        raise invalid_field("satisfaction", "满意度应为 1–5 分", "a score from 1 to 5")
    if booking.state != rules.BookingState.DELIVERED:
        raise Conflict("服务办结后才能评价", "Rate a service once it is delivered",
                       extra={"current_state": booking.state})
    if booking.satisfaction is not None:
        raise Conflict("该服务已评价", "The service was already rated")
    booking.satisfaction = score
    flush(session)
    record(session, actor, "rate", "talent_service_booking", booking.id, score=score)
    return booking


# --- work-lists -----------------------------------------------------------------------


#: The orders the staff service list allows; the default (``due``) is open bookings
#: first by deadline, then delivered ones.
SERVICE_SORTING = paging.Sorting({
    "due": [paging.Fixed(TalentServiceBooking.state != "requested"), TalentServiceBooking.due_on],
    "id": TalentServiceBooking.id,
    "service": TalentServiceBooking.service_name,
    "provider": TalentServiceBooking.provider,
    "requested": TalentServiceBooking.requested_on,
}, default="due", tie_breakers=[TalentServiceBooking.id])


def worklist_query(actor: Principal, *, overdue: bool = False, state: str = "requested",
                   today: date | None = None, sort: paging.Sort | None = None) -> Select[Any]:
    """The region's bookings; open ones by deadline (overdue first), delivered ones
    after, newest first."""
    actor.require("talent:read")
    b = TalentServiceBooking
    stmt = scoped(select(b), b.region, actor)
    if state:
        stmt = stmt.where(b.state == state)
    if overdue:
        stmt = stmt.where(b.state == "requested", b.due_on < (today or date.today()))
    return stmt.order_by(*SERVICE_SORTING.order_by(sort or SERVICE_SORTING.default))


def worklist_page(session: Session, actor: Principal, *, overdue: bool = False,
                  state: str = "requested", page: int = 1, size: int = paging.LIST_PAGE_SIZE,
                  today: date | None = None, sort: paging.Sort | None = None
                  ) -> paging.Listing[TalentServiceBooking]:
    return paging.paginate(session, worklist_query(actor, overdue=overdue, state=state,
                                                   today=today, sort=sort), page, size)


def all_bookings(session: Session, actor: Principal, *, overdue: bool = False,
                 state: str = "requested", today: date | None = None,
                 sort: paging.Sort | None = None) -> Iterator[TalentServiceBooking]:
    yield from session.scalars(worklist_query(actor, overdue=overdue, state=state, today=today,
                                              sort=sort)
                               .execution_options(yield_per=1000))


def open_counts(session: Session, actor: Principal, today: date) -> tuple[int, int]:
    """``(open, overdue)`` bookings of the actor's region."""
    actor.require("talent:read")
    b = TalentServiceBooking
    row = session.execute(select(func.count().filter(b.state == "requested"),
                                 func.count().filter(b.state == "requested", b.due_on < today))
                          .where(region_filter(b.region, actor))).one()
    return int(row[0]), int(row[1])


def of_card(session: Session, actor: Principal, card: TalentCard) -> list[TalentServiceBooking]:
    """The bookings of a card the actor has already been allowed to see."""
    actor.require_any("talent:read", "talent:self")
    return list(session.scalars(select(TalentServiceBooking).where(
        TalentServiceBooking.card_id == card.id)
        .order_by(TalentServiceBooking.requested_on.desc(), TalentServiceBooking.id.desc())))


def mine(session: Session, actor: Principal) -> list[TalentServiceBooking]:
    actor.require("talent:self")
    return list(session.scalars(select(TalentServiceBooking).where(
        TalentServiceBooking.person_id == actor.person_id)
        .order_by(TalentServiceBooking.requested_on.desc(), TalentServiceBooking.id.desc())))
