"""Custodians (档案管理机构) and the custody register: which custodian holds whose file
(one open custody per person), a person's file as staff and the person see it, the
register of a region."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from minsheng.hrss.personnelfile.models import (
    FileCustodian,
    FileCustody,
    FileItem,
    FileTransfer,
)
from minsheng.hrss.personnelfile.schemas import CustodianCreate, CustodyOpen
from minsheng.hrss.personnelfile.service._common import no_file, record
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Person
from minsheng.platform import paging, regions
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, Forbidden, NotFound, invalid_field
from minsheng.platform.security.principal import Principal, region_filter, scoped


def register_custodian(session: Session, actor: Principal,
                       data: CustodianCreate) -> FileCustodian:
    """登记档案管理机构: a custodian of the actor's region (a Sichuan custodian names its
    node, ``peer_node``)."""
    actor.require("talent:write")
    if data.peer_node is None:
        regions.validate_region(data.region, field="region")
    if actor.is_staff and not actor.sees_region(data.region):
        raise invalid_field("region", "只能登记本辖区的档案管理机构",
                            "a custodian of your own region only")
    if session.scalar(select(FileCustodian.id).where(FileCustodian.code == data.code)):
        raise Conflict(f"档案管理机构代码 {data.code} 已登记", f"Code {data.code} exists")
    custodian = FileCustodian(code=data.code, name=data.name, region=data.region,
                              peer_node=data.peer_node)
    session.add(custodian)
    flush(session)
    record(session, actor, "custodian_register", "file_custodian", custodian.id,
           code=data.code, region=data.region)
    return custodian


def custodians(session: Session, actor: Principal) -> list[FileCustodian]:
    """Every active custodian (a transfer may go to any of them)."""
    actor.require("talent:read")
    return list(session.scalars(select(FileCustodian).where(FileCustodian.active)
                                .order_by(FileCustodian.region, FileCustodian.code)))


def custodian_by_code(session: Session, code: str, field: str) -> FileCustodian:
    found = session.scalar(select(FileCustodian).where(FileCustodian.code == code,
                                                       FileCustodian.active))
    if found is None:
        raise invalid_field(field, "未找到该档案管理机构", "no such custodian")
    return found


def open_custody(session: Session, person_id: int, *,
                 for_update: bool = False) -> FileCustody | None:
    stmt = select(FileCustody).where(FileCustody.person_id == person_id,
                                     FileCustody.until.is_(None))
    return session.scalar(stmt.with_for_update() if for_update else stmt)


def in_transit(session: Session, person_id: int, *,
               for_update: bool = False) -> FileTransfer | None:
    stmt = select(FileTransfer).where(FileTransfer.person_id == person_id,
                                      FileTransfer.state == "dispatched")
    return session.scalar(stmt.with_for_update() if for_update else stmt)


def take_into_custody(session: Session, actor: Principal, person_id: int,
                      data: CustodyOpen) -> FileCustody:
    """建档/接收存档: a custodian of the actor's region takes a person's file that no
    custodian holds (a file already held moves only by transfer)."""
    actor.require("talent:write")
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound("未找到该人员", "No such person")
    custodian = custodian_by_code(session, data.custodian, "custodian")
    if actor.is_staff and not actor.sees_region(custodian.region):
        raise Forbidden("只能由本辖区的档案管理机构接收存档",
                        "Only a custodian of your region may take the file")
    if open_custody(session, person_id, for_update=True) is not None:
        raise Conflict("该人员的档案已由其他档案管理机构保管，请办理转递",
                       "The file is already held; transfer it instead")
    custody = FileCustody(person_id=person_id, custodian_id=custodian.id,
                          region=custodian.region, state="held", since=data.since)
    session.add(custody)
    flush(session)
    record(session, actor, "custody_open", "file_custody", custody.id,
           custodian=custodian.code, since=data.since.isoformat())
    return custody


@dataclass(frozen=True)
class PersonnelFile:
    """A person's file: where it is, its history, its transfers and its index."""

    person: Person
    custody: FileCustody | None
    history: list[FileCustody]
    transfers: list[FileTransfer]
    items: list[FileItem]
    custodians: dict[int, FileCustodian]


def visible_to(actor: Principal, custody: FileCustody | None,
               transfer: FileTransfer | None) -> bool:
    """Staff see a file held by a custodian of their region, or in transit to one."""
    if custody is not None and actor.sees_region(custody.region):
        return True
    return transfer is not None and actor.sees_region(transfer.to_region)


def _assemble(session: Session, person: Person) -> PersonnelFile:
    history = list(session.scalars(select(FileCustody).where(
        FileCustody.person_id == person.id).order_by(FileCustody.since.desc(),
                                                     FileCustody.id.desc())))
    transfers = list(session.scalars(select(FileTransfer).where(
        FileTransfer.person_id == person.id).order_by(FileTransfer.dispatched_on.desc(),
                                                      FileTransfer.id.desc())))
    items = list(session.scalars(select(FileItem).where(FileItem.person_id == person.id)
                                 .order_by(FileItem.category, FileItem.id)))
    ids = ({c.custodian_id for c in history} | {t.from_custodian_id for t in transfers}
           | {t.to_custodian_id for t in transfers})
    found = {c.id: c for c in session.scalars(select(FileCustodian)
                                              .where(FileCustodian.id.in_(ids)))} if ids else {}
    current = next((c for c in history if c.until is None), None)
    return PersonnelFile(person, current, history, transfers, items, found)


def read_file(session: Session, actor: Principal, person_id: int) -> PersonnelFile:
    """A person's file for staff of the holding (or receiving) region; audited."""
    actor.require("talent:read")
    person = session.get(Person, person_id)
    if person is None:
        raise no_file()
    custody, transfer = open_custody(session, person_id), in_transit(session, person_id)
    if not visible_to(actor, custody, transfer):
        raise no_file()
    record(session, actor, "file_read", "person", person_id)
    return _assemble(session, person)


def my_file(session: Session, actor: Principal) -> PersonnelFile | None:
    """The signed-in person's own file (where it is, transfer progress)."""
    actor.require("talent:self")
    if actor.person_id is None:
        return None
    person = session.get(Person, actor.person_id)
    return _assemble(session, person) if person is not None else None


def find_in_region(session: Session, actor: Principal, resident_id: str) -> int | None:
    """The person with this full resident ID whose file the actor's region holds (or
    receives), or None."""
    actor.require("talent:read")
    person = registry.find_by_resident_id(session, resident_id)
    if person is None:
        return None
    if not visible_to(actor, open_custody(session, person.id), in_transit(session, person.id)):
        return None
    return person.id


def register_query(actor: Principal) -> Select[*tuple[Any, ...]]:
    """The custody register of the actor's region: open custodies by custodian and
    since."""
    actor.require("talent:read")
    stmt = (select(FileCustody, Person.name, Person.resident_id, FileCustodian.name)
            .join(Person, Person.id == FileCustody.person_id)
            .join(FileCustodian, FileCustodian.id == FileCustody.custodian_id)
            .where(FileCustody.until.is_(None))
            .order_by(FileCustodian.code, FileCustody.since.desc(), FileCustody.id))
    return scoped(stmt, FileCustody.region, actor)


def register_page(session: Session, actor: Principal, page: int = 1,
                  size: int = paging.LIST_PAGE_SIZE) -> paging.Listing[Any]:
    return paging.paginate(session, register_query(actor), page, size, scalars=False)


def all_register(session: Session, actor: Principal) -> Iterator[Any]:
    yield from session.execute(register_query(actor).execution_options(yield_per=1000))


def held_count(session: Session, actor: Principal) -> int:
    actor.require("talent:read")
    return paging.count_of(session, select(FileCustody.id).where(
        FileCustody.until.is_(None), region_filter(FileCustody.region, actor)))


def touching(actor: Principal) -> Any:
    """SQL: a transfer from or to the actor's region."""
    return or_(region_filter(FileTransfer.from_region, actor),
               region_filter(FileTransfer.to_region, actor))


def today() -> date:
    return date.today()
