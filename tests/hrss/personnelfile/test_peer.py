"""零跑路 over the exchange: a 渝中 file sent to a Chengdu custodian arrives at the Sichuan
node with its index, is received there, and the receipt closes the Chongqing custody."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from minsheng.hrss.personnelfile.models import (
    FileCustodian,
    FileCustody,
    FileItem,
    FileTransfer,
)
from minsheng.hrss.personnelfile.schemas import CustodianCreate, CustodyOpen
from minsheng.hrss.personnelfile.service import custody
from minsheng.hrss.registry.models import Person
from minsheng.platform.db import unit_of_work
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.platform.exchange.nodes import Node, bearer, deliver, federation

API = "/api/v1/talent/files"


@pytest.fixture
def pair(database_url: str, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    with federation(database_url, tmp_path, ("cq", "yuzhong", "clerk", "500103"),
                    ("sc", "chengdu", "clerk", "510100")) as (cq, sc):
        with unit_of_work(cq.factory) as session:
            for code, region, peer in (("YZ-RC", "500103", None), ("SC-JJ", "510104", "sc")):
                custody.register_custodian(session, SYSTEM, CustodianCreate(
                    code=code, name=f"{code} 人才服务中心", region=region, peer_node=peer))
        with unit_of_work(sc.factory) as session:
            custody.register_custodian(session, SYSTEM, CustodianCreate(
                code="SC-JJ", name="成都市锦江区人才服务中心", region="510104"))
        yield cq, sc


def test_a_file_goes_to_chengdu_and_the_receipt_comes_back(pair: tuple[Node, Node]) -> None:
    cq, sc = pair
    with unit_of_work(cq.factory) as session:
        person = f.person(session, name="李档案")
        custody.take_into_custody(session, SYSTEM, person.id, CustodyOpen(
            custodian="YZ-RC", since=date(2020, 1, 6)))
        checksums = [hashlib.sha256(t.encode()).hexdigest() for t in ("履历", "学历")]
        session.add_all(FileItem(person_id=person.id, category=c, title=t, pages=p,
                                 sha256=s, size_bytes=1000, media_type="image/png",
                                 added_on=date(2020, 1, 6), added_by="test")
                        for (c, t, p), s in zip(((1, "履历表", 3), (4, "学历证明", 2)),
                                                checksums, strict=True))
        person_id, resident_id = person.id, person.resident_id

    sent = cq.client.post(f"{API}/{person_id}/transfer", headers=bearer(cq, "yuzhong"),
                          json={"to_custodian": "SC-JJ"})
    assert sent.status_code == 201, sent.text
    transfer_no = sent.json()["transfer_no"]
    assert deliver(cq, sc).delivered == 1

    with unit_of_work(sc.factory) as session:
        arrived = session.scalars(select(FileTransfer)).one()
        assert (arrived.transfer_no, arrived.state, arrived.peer_node) == (
            transfer_no, "dispatched", "cq")
        here = session.scalars(select(Person).where(Person.resident_id == resident_id)).one()
        assert (here.name, here.residence_region) == ("李档案", "510104")
        assert sorted(session.scalars(select(FileItem.sha256).where(
            FileItem.person_id == here.id))) == sorted(checksums)
        origin = session.get(FileCustodian, arrived.from_custodian_id)
        assert origin is not None and (origin.code, origin.peer_node) == ("YZ-RC", "cq")
        sc_person = here.id

    got = sc.client.post(f"{API}/{sc_person}/receive", headers=bearer(sc, "chengdu"),
                         json={})
    assert got.status_code == 200, got.text
    assert deliver(sc, cq).delivered == 1

    today = date.today()
    with unit_of_work(cq.factory) as session:
        back = session.scalars(select(FileTransfer)).one()
        assert (back.state, back.received_on) == ("received", today)
        spans = {(c.custodian_id, c.state, c.until) for c in session.scalars(
            select(FileCustody).where(FileCustody.person_id == person_id))}
        mirror = session.scalar(select(FileCustodian.id).where(FileCustodian.code == "SC-JJ"))
        yuzhong = session.scalar(select(FileCustodian.id).where(FileCustodian.code == "YZ-RC"))
        assert spans == {(yuzhong, "closed", today), (mirror, "held", None)}
    with unit_of_work(sc.factory) as session:
        held = session.scalars(select(FileCustody).where(FileCustody.person_id == sc_person)
                               ).one()
        assert (held.state, held.since) == ("held", today)


def test_a_custodian_unknown_at_the_other_node_is_refused_there(
        pair: tuple[Node, Node]) -> None:
    cq, sc = pair
    with unit_of_work(cq.factory) as session:
        custody.register_custodian(session, SYSTEM, CustodianCreate(
            code="SC-WH", name="成都市武侯区人才服务中心", region="510107", peer_node="sc"))
        person = f.person(session)
        custody.take_into_custody(session, SYSTEM, person.id, CustodyOpen(
            custodian="YZ-RC", since=date(2020, 1, 6)))
    sent = cq.client.post(f"{API}/{person.id}/transfer", headers=bearer(cq, "yuzhong"),
                          json={"to_custodian": "SC-WH"})
    assert sent.status_code == 201
    report = deliver(cq, sc)
    assert report.failed == 1 and "SC-WH" in report.errors[0]
    with unit_of_work(sc.factory) as session:
        assert session.scalars(select(FileTransfer)).all() == []
