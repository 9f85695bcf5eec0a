"""Two clerks replying to one feedback at the same moment, on committed data: the row is
locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises writers), so exactly
one reply is kept and the other clerk gets 409."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.feedback.models import Feedback
from minsheng.hrss.feedback.service import reply
from minsheng.hrss.registry.models import Person
from minsheng.platform.db import make_session_factory, unit_of_work
from minsheng.platform.security.models import UserAccount
from minsheng.platform.security.principal import Principal
from tests import factories as f
from tests.concurrency import race
from tests.hrss.feedback._build import citizen, submit

CLERK_A = Principal(user_id=0, username="fb-yz-a", role="clerk", region_code="500103")
CLERK_B = Principal(user_id=0, username="fb-yz-b", role="clerk", region_code="500103")


@dataclass
class Committed:
    factory: sessionmaker[Session]
    feedback_id: int
    version: int
    person_id: int


@pytest.fixture
def waiting(engine: Engine) -> Iterator[Committed]:
    factory = make_session_factory(engine)
    with unit_of_work(factory) as s:
        me = citizen(s, name="并发意见")
        row = submit(s, me)
        assert me.person_id is not None
        committed = Committed(factory, row.id, row.version, me.person_id)
    yield committed
    with unit_of_work(factory) as s:
        s.execute(delete(Feedback).where(Feedback.id == committed.feedback_id))
        f.delete_cases_of(s, [committed.person_id])
        s.execute(delete(UserAccount).where(UserAccount.person_id == committed.person_id))
        s.execute(delete(Person).where(Person.id == committed.person_id))


def test_two_replies_at_once_one_wins(waiting: Committed) -> None:
    outcomes = race(
        waiting.factory,
        a=lambda s: reply(s, CLERK_A, waiting.feedback_id, "甲经办员的答复意见",
                          version=waiting.version),
        b=lambda s: reply(s, CLERK_B, waiting.feedback_id, "乙经办员的答复意见",
                          version=waiting.version))
    assert sorted(o.split(":")[0] for o in outcomes.values()) == ["conflict", "ok"], outcomes
    winner = next(name for name, o in outcomes.items() if o == "ok")
    with unit_of_work(waiting.factory) as s:
        kept = s.scalar(select(Feedback).where(Feedback.id == waiting.feedback_id))
        assert kept is not None and kept.state == "replied"
        assert kept.reply == ("甲经办员的答复意见" if winner == "a" else "乙经办员的答复意见")
        assert kept.version == waiting.version + 1
