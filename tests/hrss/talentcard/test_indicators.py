"""The talent card indicators on hand-built records, each expected value counted by hand:
cards issued in a period by issue date (whatever became of them since) and services
delivered in a period by delivery date, by the holder's district."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from minsheng.hrss.talentcard import indicators
from minsheng.hrss.talentcard.schemas import CardApply
from minsheng.hrss.talentcard.service import bookings, cards
from minsheng.platform.indicators import Cut, Indicator, parse_period
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f


def _value(item: Indicator, session: Session, region: str, period: str) -> Decimal | None:
    return item.value(item.compute(session, Cut(region, parse_period(period))).get(""))


def _by_district(item: Indicator, session: Session, period: str) -> dict[str, Decimal | None]:
    found = item.compute(session, Cut("50", parse_period(period), by_district=True))
    return {k: item.value(v) for k, v in found.items()}


def _issue(session: Session, region: str, on: date) -> str:
    person = f.person(session, residence_region=region)
    card = cards.issue_direct(session, SYSTEM, person.id, "A", on=on)
    assert card.card_no is not None
    return card.card_no


class TestCardsIssued:
    def test_by_issue_date_and_district(self, session: Session) -> None:
        a = _issue(session, "500103", date(2026, 1, 15))
        _issue(session, "500103", date(2026, 3, 31))
        _issue(session, "500102", date(2026, 2, 1))
        _issue(session, "500102", date(2025, 12, 31))  # the year before
        cards.revoke(session, SYSTEM, a, "调离", on=date(2026, 5, 1))  # still issued in 2026
        # Only applied, never issued: not counted.
        cards.apply(session, SYSTEM, CardApply.model_validate({
            "person_id": f.person(session).id, "tier": "B", "basis_kind": "title",
            "basis_value": "副高"}), today=date(2026, 2, 2))
        item = indicators.CARDS_ISSUED
        # 2026: 渝中 2 (15 Jan, 31 Mar), 涪陵 1 (1 Feb) → 3; 2025: 1; 2026Q1: all 3.
        assert _value(item, session, "50", "2026") == Decimal(3)
        assert _value(item, session, "50", "2025") == Decimal(1)
        assert _value(item, session, "50", "2026Q1") == Decimal(3)
        assert _value(item, session, "500103", "2026-02") == Decimal(0)
        assert _by_district(item, session, "2026") == {"500103": Decimal(2),
                                                       "500102": Decimal(1)}
        records = session.execute(item.records(Cut("500103", parse_period("2026")))).all()
        assert sorted(r.detail for r in records) == ["已注销", "有效"]


class TestServicesDelivered:
    def test_by_delivery_date(self, session: Session) -> None:
        yuzhong = _issue(session, "500103", date(2026, 1, 5))
        fuling = _issue(session, "500102", date(2026, 1, 5))
        delivered = []
        for card_no, code, asked, done in (
                (yuzhong, "medical", date(2026, 9, 30), date(2026, 10, 8)),
                (yuzhong, "housing", date(2026, 9, 29), date(2026, 10, 20)),
                (fuling, "schooling", date(2026, 6, 1), date(2026, 6, 10)),
                (fuling, "residence", date(2026, 6, 29), date(2026, 7, 1))):
            b = bookings.book(session, SYSTEM, card_no, code, asked)
            bookings.deliver(session, SYSTEM, b.id, done)
            delivered.append(b)
        bookings.book(session, SYSTEM, yuzhong, "spouse_job", date(2026, 10, 9))  # open
        item = indicators.SERVICES_DELIVERED
        # 2026: 4 delivered (the open one is not); Q4: the two in October (渝中);
        # Q2: 10 Jun only (1 Jul is Q3); 涪陵 2026: 2.
        assert _value(item, session, "50", "2026") == Decimal(4)
        assert _value(item, session, "50", "2026Q4") == Decimal(2)
        assert _value(item, session, "50", "2026Q2") == Decimal(1)
        assert _by_district(item, session, "2026") == {"500103": Decimal(2),
                                                       "500102": Decimal(2)}
        records = session.execute(item.records(Cut("500103", parse_period("2026Q4")))).all()
        assert [r.detail for r in records] == ["医疗绿色通道", "人才安居"]

    def test_the_overview_summary_agrees(self, session: Session) -> None:
        from minsheng.hrss.talentcard.service import figures
        card_no = _issue(session, "500103", date(2026, 3, 2))
        b = bookings.book(session, SYSTEM, card_no, "medical", date(2026, 9, 30))
        # Due 8 Oct (1 working day after 30 Sep across National Day); delivered 9 Oct:
        # late. Rated 4.
        bookings.deliver(session, SYSTEM, b.id, date(2026, 10, 9))
        bookings.rate(session, SYSTEM, b.id, 4)
        b2 = bookings.book(session, SYSTEM, card_no, "medical", date(2026, 10, 9))
        bookings.deliver(session, SYSTEM, b2.id, date(2026, 10, 10))  # due Sat 10 Oct
        staff = f.staff(session, "statistician", "500103")
        assert figures.summary(session, staff, date(2026, 1, 1), date(2026, 12, 31)) == (
            1, 2, 1, 1, 4)
