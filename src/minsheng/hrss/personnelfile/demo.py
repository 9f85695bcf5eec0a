"""Demo data for personnel files: a talent service centre in every district of Chongqing
and one in Chengdu (on the Sichuan node), the files of four in five residents held by
their district's centre (one set-based statement), the index of each file (one
statement per class; about one file in seven lacks classes 3 and 4, one in eleven
class 9), and transfers from 渝中区 to 涪陵区 and 沙坪坝区 in transit, overdue and received.
The demo citizen's file is on its way to another district. Runs once."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.personnelfile.models import FileCustodian, FileCustody
from minsheng.hrss.personnelfile.schemas import CustodianCreate, CustodyOpen
from minsheng.hrss.personnelfile.service import custody, transfers
from minsheng.hrss.registry.service import Person
from minsheng.platform import regions
from minsheng.platform.db import unit_of_work, utcnow
from minsheng.platform.security.principal import SYSTEM

#: (class, title, pages) of a demo file's items.
ITEMS = ((1, "干部（职工）履历表", 4), (3, "年度考核登记表", 2),
         (4, "毕业生登记表及学位证书复印件", 6), (9, "工资审批表", 1))


def custodian_code(region: str) -> str:
    return f"RC{region}"


def seed_demo_personnel_files(factory: sessionmaker[Session],
                              citizen_person_id: int | None = None) -> int:
    """Load the demo; returns the number of files taken into custody (0 when present)."""
    with unit_of_work(factory) as session:
        if session.scalar(select(func.count()).select_from(FileCustodian)):
            return 0
        for county in regions.current_counties("50"):
            custody.register_custodian(session, SYSTEM, CustodianCreate(
                code=custodian_code(county.code), name=f"{county.name}人才服务中心",
                region=county.code))
        custody.register_custodian(session, SYSTEM, CustodianCreate(
            code="SC510104", name="成都市锦江区人才服务中心", region="510104", peer_node="sc"))
        made = _custody(session)
        _items(session)
        _transfers(session, citizen_person_id)
        return made


def _custody(session: Session) -> int:
    """Four in five living residents: their file at their district's centre since a day
    between 2012 and 2022."""
    result = session.execute(text(
        "INSERT INTO file_custody (person_id, custodian_id, region, state, since, version, "
        "created_at, updated_at) "
        "SELECT p.id, c.id, c.region, 'held', "
        "CASE p.id % 4 WHEN 0 THEN :d0 WHEN 1 THEN :d1 WHEN 2 THEN :d2 ELSE :d3 END, 1, "
        ":now, :now "
        "FROM person p JOIN file_custodian c ON c.region = p.residence_region "
        "WHERE p.status = 'alive' AND p.id % 5 <> 0"),
        {"d0": date(2012, 9, 3), "d1": date(2016, 7, 11), "d2": date(2019, 3, 4),
         "d3": date(2022, 8, 15), "now": utcnow()})
    return int(getattr(result, "rowcount", 0) or 0)


def _items(session: Session) -> None:
    """The index: one statement per class (the demo scan's checksum is that of a made-up
    content, as no scan is kept)."""
    for category, title, pages in ITEMS:
        lacking = {3: "fc.person_id % 7 = 0", 4: "fc.person_id % 7 = 0",
                   9: "fc.person_id % 11 = 0"}.get(category, "1 = 0")
        session.execute(text(
            "INSERT INTO file_item (person_id, category, title, pages, sha256, size_bytes, "
            "media_type, added_on, added_by, created_at, updated_at) "
            "SELECT fc.person_id, :category, :title, :pages, :sha, :size, 'image/png', "
            "fc.since, '演示数据', :now, :now FROM file_custody fc "
            f"WHERE fc.until IS NULL AND NOT ({lacking})"),
            {"category": category, "title": title, "pages": pages,
             "sha": hashlib.sha256(f"演示扫描件-{category}".encode()).hexdigest(),
             "size": 180_000 * pages, "now": utcnow()})


def _transfers(session: Session, citizen: int | None) -> None:
    """From 渝中区: six in transit to 涪陵区 (two past the receipt deadline), three received
    by 沙坪坝区; the citizen's file on its way to 涪陵区 or 渝中区."""
    today = date.today()
    held = list(session.scalars(select(FileCustody.person_id).where(
        FileCustody.region == "500103", FileCustody.until.is_(None))
        .order_by(FileCustody.person_id).limit(12)))
    held = [p for p in held if p != citizen]
    plan = [(3, "500102", False), (5, "500102", False), (8, "500102", False),
            (10, "500102", False), (30, "500102", False), (45, "500102", False),
            (60, "500106", True), (90, "500106", True), (120, "500106", True)]
    for person, (ago, region, receive) in zip(held, plan, strict=False):
        sent = today - timedelta(days=ago)
        transfers.dispatch(session, SYSTEM, person, custodian_code(region), on=sent)
        if receive:
            transfers.receive(session, SYSTEM, person, on=sent + timedelta(days=6))
    if citizen is not None:
        own = custody.open_custody(session, citizen)
        if own is None:
            resident = session.get(Person, citizen)
            if resident is None:
                return
            own = custody.take_into_custody(session, SYSTEM, citizen, CustodyOpen(
                custodian=custodian_code(resident.residence_region), since=date(2018, 7, 2)))
        target = "500102" if own.region != "500102" else "500103"
        transfers.dispatch(session, SYSTEM, citizen, custodian_code(target),
                           on=today - timedelta(days=4))
