"""The cards domain's scorecard indicators on a small hand-built data set: cardholders
and e-card holders at the end of a period (China Standard Time days). Expected values
are counted by hand in the comments and checked against the cards page's own counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy.orm import Session

from minsheng.hrss.cards import indicators, service
from minsheng.hrss.registry.models import Person
from minsheng.platform.indicators import Cut, Indicator, parse_period
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f

CST = timezone(timedelta(hours=8))


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of the bureau's day (China Standard Time)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CST)


def count(session: Session, item: Indicator, region: str, period: str) -> Any:
    return item.value(item.compute(session, Cut(region, parse_period(period))).get(""))


def districts(session: Session, item: Indicator, region: str, period: str) -> dict[str, int]:
    found = item.compute(session, Cut(region, parse_period(period), by_district=True))
    return {k: int(v.numerator) for k, v in found.items()}


def records(session: Session, item: Indicator, region: str,
            period: str) -> list[dict[str, Any]]:
    assert item.records is not None
    return [dict(r) for r in session.execute(
        item.records(Cut(region, parse_period(period)))).mappings()]


def issue(session: Session, person: Person, when: datetime, *, activate: datetime | None = None
          ) -> str:
    card = service.apply_for_card(session, SYSTEM, person.id, now=when)  # staff: issued
    if activate is not None:
        service.activate_card(session, SYSTEM, card.card_no, resident_id=person.resident_id,
                              name=person.name, now=activate)
    return card.card_no


@pytest.fixture
def holders(session: Session) -> dict[str, Person]:
    """People and their cards (times in China Standard Time):

    - A 500103: issued 2020-12-31 23:30, e-card 2020-12-31 23:50;
    - B 500103: issued 2021-01-01 00:30, e-card 00:50 that night;
    - C 500103: issued 2018-05-01, reported lost and replaced on 2019-03-01 (two cards),
      e-cards 2019-04-01 and 2020-05-01;
    - D 500106: issued 2019-01-01, cancelled (注销) 2020-12-30;
    - E 500106: applied for only (no card issued yet);
    - F 500105 (abolished; now 500157): issued 2017-06-01, e-card 2019-01-01;
    - G 510104 (Sichuan): issued 2017-06-01, e-card 2019-01-01;
    - H 500103: issued 2019-01-01, formally reported lost 2020-06-01 (still held).
    """
    people = {name: f.person(session, name=f"持卡{name}", residence_region=region)
              for name, region in (("A", "500103"), ("B", "500103"), ("C", "500103"),
                                   ("D", "500106"), ("E", "500106"), ("F", "500157"),
                                   ("G", "510104"), ("H", "500103"))}
    p = people
    issue(session, p["A"], at(date(2020, 12, 31), 23, 30),
          activate=at(date(2020, 12, 31), 23, 40))
    service.issue_e_card(session, SYSTEM, p["A"].id, now=at(date(2020, 12, 31), 23, 50))
    issue(session, p["B"], at(date(2021, 1, 1), 0, 30), activate=at(date(2021, 1, 1), 0, 40))
    service.issue_e_card(session, SYSTEM, p["B"].id, now=at(date(2021, 1, 1), 0, 50))
    old = issue(session, p["C"], at(date(2018, 5, 1)), activate=at(date(2018, 5, 2)))
    service.report_loss(session, SYSTEM, old, kind="formal", now=at(date(2019, 2, 28)))
    new = service.replace_card(session, SYSTEM, old, now=at(date(2019, 3, 1)))
    service.activate_card(session, SYSTEM, new.card_no, resident_id=p["C"].resident_id,
                          name=p["C"].name, now=at(date(2019, 3, 2)))
    for day in (date(2019, 4, 1), date(2020, 5, 1)):
        service.issue_e_card(session, SYSTEM, p["C"].id, now=at(day))
    issue(session, p["D"], at(date(2019, 1, 1)))
    service.cancel_cards_on_death(session, SYSTEM, p["D"].id, date(2020, 12, 29),
                                  now=at(date(2020, 12, 30)))
    citizen = Principal(user_id=0, username="citizen-e", role="citizen", person_id=p["E"].id)
    service.apply_for_card(session, citizen, p["E"].id, now=at(date(2020, 3, 1)))
    for name in ("F", "G"):
        issue(session, p[name], at(date(2017, 6, 1)), activate=at(date(2017, 6, 2)))
        service.issue_e_card(session, SYSTEM, p[name].id, now=at(date(2019, 1, 1)))
    held = issue(session, p["H"], at(date(2019, 1, 1)), activate=at(date(2019, 1, 2)))
    service.report_loss(session, SYSTEM, held, kind="formal", now=at(date(2020, 6, 1)))
    p["F"].residence_region = "500105"  # an old record of the abolished 江北区
    session.flush()
    return people


class TestCardholders:
    item = indicators.CARDHOLDERS

    def test_stock_at_the_end_of_the_last_day(self, session: Session,
                                              holders: dict[str, Person]) -> None:
        # 2020-12-31 24:00: A (issued at 23:30), C (new card), F, H (lost, still held) = 4;
        # B came at 00:30 on 1 January, D was cancelled the day before, E has no card yet,
        # G lives in Sichuan.
        assert count(session, self.item, "50", "2020") == 4
        assert count(session, self.item, "50", "2016-2020") == 4
        # 2021: A B C F H = 5; 2019: C D F H = 4; 2018: C (old card) F = 2.
        assert count(session, self.item, "50", "2021") == 5
        assert count(session, self.item, "50", "2019") == 4
        assert count(session, self.item, "50", "2018") == 2

    def test_a_replaced_card_and_its_successor_count_once(
            self, session: Session, holders: dict[str, Person]) -> None:
        # C held the old card until 2019-03-01 and the new one from that moment on; H has
        # held one since 2019-01-01: C and H = 2 at the end of February and of March.
        assert count(session, self.item, "500103", "2019-02") == 2
        assert count(session, self.item, "500103", "2019-03") == 2
        february = {r["name"]: r["record"] for r in records(session, self.item, "500103",
                                                            "2019-02")}
        march = {r["name"]: r["record"] for r in records(session, self.item, "500103",
                                                         "2019-03")}
        assert february["持卡C"] != march["持卡C"]  # the old card, then the new one
        assert february["持卡H"] == march["持卡H"]

    def test_regions_and_breakdown(self, session: Session,
                                   holders: dict[str, Person]) -> None:
        assert count(session, self.item, "500157", "2020") == 1  # F under 500105
        assert count(session, self.item, "51", "2020") == 1  # G
        by = districts(session, self.item, "50", "2020")
        assert by == {"500103": 3, "500157": 1}  # A C H; F
        assert districts(session, self.item, "50", "2019") == {"500103": 2, "500106": 1,
                                                               "500157": 1}

    def test_the_page_counts_the_same(self, session: Session,
                                      holders: dict[str, Person]) -> None:
        # Now (2026): A B C F G H = 6 of every region; the page and the current year agree.
        assert service.cardholder_count(session, SYSTEM) == 6
        assert count(session, self.item, "", str(date.today().year)) == 6
        clerk = f.staff(session, "clerk", "500103")
        assert service.cardholder_count(session, clerk) == 4  # A B C H

    def test_records(self, session: Session, holders: dict[str, Person]) -> None:
        rows = records(session, self.item, "500103", "2020")
        assert {r["name"]: r["day"] for r in rows} == {
            "持卡A": date(2020, 12, 31), "持卡C": date(2019, 3, 1), "持卡H": date(2019, 1, 1)}
        assert all(r["record"].startswith("CQ") for r in rows)
        assert all(len(r["resident_id"]) == 18 for r in rows)


class TestECardholders:
    item = indicators.E_CARDHOLDERS

    def test_people_issued_an_e_card_by_the_end(self, session: Session,
                                                holders: dict[str, Person]) -> None:
        # 2020-12-31 24:00: A (23:50), C (two tokens: once), F = 3; B's came at 00:50 on
        # 1 January; G lives in Sichuan.
        assert count(session, self.item, "50", "2020") == 3
        assert count(session, self.item, "50", "2021") == 4  # and B
        assert count(session, self.item, "50", "2019") == 2  # C F
        assert count(session, self.item, "50", "2018") == 0

    def test_regions_breakdown_records(self, session: Session,
                                       holders: dict[str, Person]) -> None:
        assert count(session, self.item, "500157", "2020") == 1
        assert count(session, self.item, "51", "2020") == 1
        assert districts(session, self.item, "50", "2020") == {"500103": 2, "500157": 1}
        rows = records(session, self.item, "50", "2020")
        assert {r["name"]: r["day"] for r in rows} == {
            "持卡A": date(2020, 12, 31), "持卡C": date(2019, 4, 1), "持卡F": date(2019, 1, 1)}

    def test_the_page_counts_the_same(self, session: Session,
                                      holders: dict[str, Person]) -> None:
        tokens, people = service.e_card_counts(session, SYSTEM)
        # Tokens: A B C C F G = 6; people: A B C F G = 5, as the indicator now.
        assert (tokens, people) == (6, 5)
        assert count(session, self.item, "", str(date.today().year)) == 5


def test_every_indicator_is_registered_with_its_permission() -> None:
    from minsheng.platform import indicators as catalogue

    for item in indicators.INDICATORS:
        assert catalogue.get(item.id) is item
        assert (item.domain, item.permission) == ("社会保障卡", "cards:read")
    assert service.end_of_day(date(2020, 12, 31)) == datetime(2020, 12, 31, 16, tzinfo=UTC)
