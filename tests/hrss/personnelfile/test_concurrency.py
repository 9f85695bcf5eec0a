"""Two clerks acting on one file at the same moment, on committed data: the custody row
(dispatch) or the transfer row (receipt) is locked (``SELECT ... FOR UPDATE`` on
PostgreSQL; SQLite serialises writers), so exactly one applies and the other gets 409."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.personnelfile.models import (
    FileCustodian,
    FileCustody,
    FileTransfer,
)
from minsheng.hrss.personnelfile.schemas import CustodianCreate, CustodyOpen
from minsheng.hrss.personnelfile.service import custody, transfers
from minsheng.hrss.registry.models import Person
from minsheng.platform.db import make_session_factory, unit_of_work
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f
from tests.concurrency import race

SENDER = Principal(user_id=0, username="yz-a", role="clerk", region_code="500103")
SENDER_2 = Principal(user_id=0, username="yz-b", role="clerk", region_code="500103")
RECEIVER = Principal(user_id=0, username="fl-a", role="clerk", region_code="500102")
RECEIVER_2 = Principal(user_id=0, username="fl-b", role="clerk", region_code="500102")
#: How long the winner keeps its transaction open after acting (not a timing assertion).
CODES = ("CC-YZ", "CC-FL", "CC-DDK")


@dataclass
class CommittedFile:
    factory: sessionmaker[Session]
    person_id: int


@pytest.fixture
def held(engine: Engine) -> Iterator[CommittedFile]:
    factory = make_session_factory(engine)
    with unit_of_work(factory) as s:
        for code, region in zip(CODES, ("500103", "500102", "500104"), strict=True):
            custody.register_custodian(s, SYSTEM, CustodianCreate(
                code=code, name=f"{code} 中心", region=region))
        person = f.person(s, name="并发档案")
        custody.take_into_custody(s, SYSTEM, person.id, CustodyOpen(
            custodian="CC-YZ", since=date(2020, 1, 6)))
        committed = CommittedFile(factory, person.id)
    yield committed
    with unit_of_work(factory) as s:
        s.execute(delete(FileTransfer).where(FileTransfer.person_id == committed.person_id))
        s.execute(delete(FileCustody).where(FileCustody.person_id == committed.person_id))
        s.execute(delete(FileCustodian).where(FileCustodian.code.in_(CODES)))
        s.execute(delete(Person).where(Person.id == committed.person_id))




def test_two_dispatches_of_one_file(held: CommittedFile) -> None:
    outcomes = race(
        held.factory,
        a=lambda s: transfers.dispatch(s, SENDER, held.person_id, "CC-FL"),
        b=lambda s: transfers.dispatch(s, SENDER_2, held.person_id, "CC-DDK"))
    assert sorted(o.split(":")[0] for o in outcomes.values()) == ["conflict", "ok"], outcomes
    with unit_of_work(held.factory) as s:
        assert s.scalar(select(func.count()).select_from(FileTransfer).where(
            FileTransfer.person_id == held.person_id)) == 1


def test_two_receipts_of_one_transfer(held: CommittedFile) -> None:
    with unit_of_work(held.factory) as s:
        transfers.dispatch(s, SENDER, held.person_id, "CC-FL")
    outcomes = race(
        held.factory,
        a=lambda s: transfers.receive(s, RECEIVER, held.person_id),
        b=lambda s: transfers.receive(s, RECEIVER_2, held.person_id))
    assert sorted(o.split(":")[0] for o in outcomes.values()) == ["conflict", "ok"], outcomes
    with unit_of_work(held.factory) as s:
        spans = s.scalars(select(FileCustody.until).where(
            FileCustody.person_id == held.person_id)).all()
        assert len(spans) == 2 and sum(u is None for u in spans) == 1
