"""Two requests on one card at the same moment, on committed data: the card row is
locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises writers), so exactly
one applies and the other gets 409."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.cards import service
from minsheng.hrss.cards.models import CardEvent, ECard, SocialSecurityCard
from minsheng.hrss.registry.models import Person
from minsheng.platform.db import make_session_factory, unit_of_work
from minsheng.platform.security.principal import Principal
from tests import factories as f
from tests.concurrency import race

CLERK = Principal(user_id=0, username="clerk-a", role="clerk", region_code="500103")
#: How long the winner keeps its transaction open after acting, so that the other
#: request certainly arrives while the card is locked (not an assertion on time).


@dataclass
class CommittedCard:
    factory: sessionmaker[Session]
    person_id: int
    card_no: str
    resident_id: str
    name: str
    version: int


@pytest.fixture
def issued_card(engine: Engine) -> Iterator[CommittedCard]:
    factory = make_session_factory(engine)
    with unit_of_work(factory) as s:
        person = f.person(s, name="并发卡")
        card = f.card(s, person.id, state="issued")
        committed = CommittedCard(factory, person.id, card.card_no, person.resident_id,
                                  person.name, card.version)
    yield committed
    with unit_of_work(factory) as s:
        ids = select(SocialSecurityCard.id).where(
            SocialSecurityCard.person_id == committed.person_id)
        s.execute(delete(CardEvent).where(CardEvent.card_id.in_(ids)))
        s.execute(delete(ECard).where(ECard.person_id == committed.person_id))
        f.delete_cases_of(s, [committed.person_id])
        s.execute(delete(SocialSecurityCard).where(
            SocialSecurityCard.person_id == committed.person_id))
        s.execute(delete(Person).where(Person.id == committed.person_id))




def _card(factory: sessionmaker[Session], card_no: str) -> tuple[str, int, list[str]]:
    with unit_of_work(factory) as s:
        card = s.scalars(select(SocialSecurityCard).where(
            SocialSecurityCard.card_no == card_no)).one()
        events = list(s.scalars(select(CardEvent.event).where(CardEvent.card_id == card.id)
                                .order_by(CardEvent.id)))
        return card.state, card.version, events


class TestSimultaneousRequests:
    def test_loss_report_and_activation_one_wins(self, issued_card: CommittedCard) -> None:
        c = issued_card
        outcomes = race(
            c.factory,
            activate=lambda s: service.activate_card(
                s, CLERK, c.card_no, resident_id=c.resident_id, name=c.name,
                expected_version=c.version),
            report=lambda s: service.report_loss(s, CLERK, c.card_no, kind="temporary",
                                                 expected_version=c.version),
        )
        assert sorted(o.split(":")[0] for o in outcomes.values()) == ["conflict", "ok"]
        winner = next(name for name, o in outcomes.items() if o == "ok")
        state, version, events = _card(c.factory, c.card_no)
        expected = {"activate": "active", "report": "loss_reported_temporary"}[winner]
        assert (state, version) == (expected, c.version + 1)
        assert events == ["apply", "issue",
                          {"activate": "activate", "report": "report_loss_temporary"}[winner]]

    def test_two_activations_one_is_told_the_card_is_active(
        self, issued_card: CommittedCard
    ) -> None:
        c = issued_card

        def activate(s: Session) -> object:
            return service.activate_card(s, CLERK, c.card_no, resident_id=c.resident_id,
                                         name=c.name)

        outcomes = race(c.factory, first=activate, second=activate)
        assert sorted(o.split(":")[0] for o in outcomes.values()) == ["conflict", "ok"]
        loser = next(o for o in outcomes.values() if o != "ok")
        assert "state active" in loser
        state, version, events = _card(c.factory, c.card_no)
        assert (state, version, events.count("activate")) == ("active", c.version + 1, 1)

    def test_two_formal_reports_one_wins(self, issued_card: CommittedCard) -> None:
        c = issued_card

        def report(s: Session) -> object:
            return service.report_loss(s, CLERK, c.card_no, kind="formal")

        outcomes = race(c.factory, first=report, second=report)
        assert sorted(o.split(":")[0] for o in outcomes.values()) == ["conflict", "ok"]
        state, _, events = _card(c.factory, c.card_no)
        assert (state, events.count("report_loss_formal")) == ("loss_reported", 1)


@pytest.fixture
def two_people(engine: Engine) -> Iterator[tuple[sessionmaker[Session], int, int]]:
    factory = make_session_factory(engine)
    with unit_of_work(factory) as s:
        first, second = f.person(s, name="并发甲").id, f.person(s, name="并发乙").id
    yield factory, first, second
    with unit_of_work(factory) as s:
        people = (first, second)
        ids = select(SocialSecurityCard.id).where(SocialSecurityCard.person_id.in_(people))
        s.execute(delete(CardEvent).where(CardEvent.card_id.in_(ids)))
        s.execute(delete(SocialSecurityCard).where(SocialSecurityCard.person_id.in_(people)))
        f.delete_cases_of(s, list(people))
        s.execute(delete(Person).where(Person.id.in_(people)))


class TestSimultaneousApplications:
    def test_one_person_gets_one_card(
        self, two_people: tuple[sessionmaker[Session], int, int]
    ) -> None:
        factory, person_id, _ = two_people

        def apply(s: Session) -> object:
            return service.apply_for_card(s, CLERK, person_id)

        outcomes = race(factory, first=apply, second=apply)
        assert sorted(o.split(":")[0] for o in outcomes.values()) == ["conflict", "ok"]
        with unit_of_work(factory) as s:
            states = list(s.scalars(select(SocialSecurityCard.state).where(
                SocialSecurityCard.person_id == person_id)))
        assert states == ["issued"]

    def test_two_people_get_different_numbers(
        self, two_people: tuple[sessionmaker[Session], int, int]
    ) -> None:
        factory, first, second = two_people
        outcomes = race(factory,
                        first=lambda s: service.apply_for_card(s, CLERK, first),
                        second=lambda s: service.apply_for_card(s, CLERK, second))
        assert outcomes == {"first": "ok", "second": "ok"}
        with unit_of_work(factory) as s:
            numbers = list(s.scalars(select(SocialSecurityCard.card_no).where(
                SocialSecurityCard.person_id.in_((first, second)))))
        assert len(set(numbers)) == 2
