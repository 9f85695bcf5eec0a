"""Two clerks change the same person at once: exactly one wins, the other gets 409."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete
from sqlalchemy.orm import sessionmaker

from minsheng.hrss.registry import service
from minsheng.hrss.registry.models import Person
from minsheng.hrss.registry.schemas import PersonUpdate
from minsheng.platform.db import make_session_factory, unit_of_work
from minsheng.platform.errors import Conflict
from minsheng.platform.security.principal import Principal
from tests import factories as f


@pytest.fixture
def committed_person(engine: Engine) -> Iterator[tuple[sessionmaker, int]]:  # type: ignore[type-arg]
    factory = make_session_factory(engine)
    with unit_of_work(factory) as s:
        person_id = f.person(s, name="并发测试").id
    yield factory, person_id
    with unit_of_work(factory) as s:
        s.execute(delete(Person).where(Person.id == person_id))


CLERK = Principal(user_id=0, username="clerk-a", role="clerk", region_code="500103")


def test_concurrent_edits_one_wins(committed_person: tuple[sessionmaker, int]) -> None:  # type: ignore[type-arg]
    factory, person_id = committed_person
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def edit(phone: str) -> None:
        barrier.wait()
        try:
            with unit_of_work(factory) as s:
                service.update_person(s, CLERK, person_id,
                                      PersonUpdate(version=1, phone=phone))
            outcomes[phone] = "ok"
        except Conflict:
            outcomes[phone] = "conflict"

    threads = [threading.Thread(target=edit, args=(p,)) for p in ("13700000001", "13700000002")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes.values()) == ["conflict", "ok"]
    winner = next(p for p, o in outcomes.items() if o == "ok")
    with unit_of_work(factory) as s:
        person = s.get(Person, person_id)
        assert person is not None
        assert (person.phone, person.version) == (winner, 2)
