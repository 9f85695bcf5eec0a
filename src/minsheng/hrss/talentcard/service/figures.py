"""The figures of the talent card that the staff overview and the scorecard share, as
set-based statements over a region condition and a grouping key."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, select
from sqlalchemy.orm import Session

from minsheng.hrss.talentcard.models import TalentCard, TalentServiceBooking
from minsheng.platform.security.principal import Principal, region_filter


def cards_issued_select(within: ColumnElement[bool], key: ColumnElement[Any], first: date,
                        last: date) -> Select[Any]:
    """Per ``key``: ``(key, cards issued in [first, last])`` — by issue date, whatever
    the card's state since (a renewal is not a new card)."""
    c = TalentCard
    return (select(key, func.count())
            .where(within, c.issued_on >= first, c.issued_on <= last).group_by(key))


def services_delivered_select(within: ColumnElement[bool], key: ColumnElement[Any],
                              first: date, last: date) -> Select[Any]:
    """Per ``key``: ``(key, services delivered in [first, last], of them on time, rated,
    sum of the ratings)``."""
    b = TalentServiceBooking
    delivered = and_(b.delivered_on >= first, b.delivered_on <= last)
    return (select(key, func.count(), func.count().filter(b.delivered_on <= b.due_on),
                   func.count(b.satisfaction), func.coalesce(func.sum(b.satisfaction), 0))
            .where(within, delivered).group_by(key))


def summary(session: Session, actor: Principal, first: date, last: date
            ) -> tuple[int, int, int, int, int]:
    """``(cards issued, services delivered, on time, rated, rating sum)`` of the
    actor's region in the period."""
    actor.require("talent:read")
    issued = session.execute(cards_issued_select(
        region_filter(TalentCard.region, actor), literal(""), first, last)).first()
    services = session.execute(services_delivered_select(
        region_filter(TalentServiceBooking.region, actor), literal(""), first, last)).first()
    s = services or ("", 0, 0, 0, 0)
    return (int(issued[1]) if issued else 0, int(s[1]), int(s[2]), int(s[3]), int(s[4] or 0))
