"""Transfers of a file between custodians (档案转递): the holding custodian's staff
dispatch it (转出, a transfer number, the receipt due N working days later), the
receiving custodian's staff confirm receipt (回执), and custody moves in the same unit of
work. Transfers whose receipt is overdue are a work-list. Rules:
``personnelfile.rules``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from minsheng.hrss.personnelfile import rules
from minsheng.hrss.personnelfile.models import (
    FileCustodian,
    FileCustody,
    FileTransfer,
    FileTransferSetting,
)
from minsheng.hrss.personnelfile.service import peer
from minsheng.hrss.personnelfile.service._common import calendar, no_file, period, record
from minsheng.hrss.personnelfile.service.custody import (
    custodian_by_code,
    in_transit,
    open_custody,
    touching,
)
from minsheng.hrss.registry.service import Person
from minsheng.platform import paging
from minsheng.platform.config import get_settings
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, Forbidden, RuleViolation, invalid_field
from minsheng.platform.rulebook import one_in_force
from minsheng.platform.security.principal import Principal

_REFUSALS = {
    rules.Refusal.NOT_HELD: ("该人员的档案没有存档机构保管，不能转递", "The file is not held"),
    rules.Refusal.IN_TRANSIT: ("档案正在转递途中，待接收方确认后才能再次转递",
                               "The file is in transit; wait for the receipt"),
}


def receipt_days(session: Session, region: str, on: date) -> int:
    """The receipt deadline in force for the sending region on the dispatch day."""
    setting = one_in_force(session, FileTransferSetting, region, period(on))
    if setting is None:
        raise RuleViolation("未设置人事档案转递回执期限，请先在政策参数中设置",
                            "No receipt deadline is set for this region")
    return setting.receipt_days


def dispatch(session: Session, actor: Principal, person_id: int, to_code: str,
             on: date | None = None, version: int | None = None) -> FileTransfer:
    """转出: staff of the holding custodian's region send the file to another custodian."""
    actor.require("talent:write")
    day = on or date.today()
    custody = open_custody(session, person_id, for_update=True)
    moving = in_transit(session, person_id)
    if custody is None or not actor.sees_region(custody.region):
        if moving is not None and actor.sees_region(moving.to_region):
            raise Forbidden("档案在途，应由转出档案管理机构所在地的工作人员办理转出",
                            "Only the holding custodian's region may dispatch")
        raise no_file()
    to = custodian_by_code(session, to_code, "to_custodian")
    refusal = rules.transfer_refusal(custody.custodian_id, to.id, moving is not None)
    if refusal is rules.Refusal.SAME_CUSTODIAN:
        raise invalid_field("to_custodian", "接收机构与现存档机构相同，无需转递",
                            "the file is already held by that custodian")
    if refusal is not None:
        raise Conflict(*_REFUSALS[refusal])
    if version is not None and version != custody.version:
        raise Conflict("档案保管记录已被他人更新，请刷新后重试",
                       "The custody was changed by someone else")
    if day < custody.since:
        raise invalid_field("on", f"转出日期不能早于本机构接收存档的日期（{custody.since}）",
                            f"the dispatch is before the custody began ({custody.since})")
    holder = session.get(FileCustodian, custody.custodian_id)
    assert holder is not None
    transfer = FileTransfer(
        transfer_no="pending", person_id=person_id, from_custodian_id=holder.id,
        to_custodian_id=to.id, from_region=holder.region, to_region=to.region,
        state=rules.TransferState.DISPATCHED, dispatched_on=day,
        receipt_due=rules.receipt_due(day, receipt_days(session, holder.region, day),
                                      calendar(session)),
        peer_node=rules.peer_node(holder.region, to.region, holder.peer_node, to.peer_node),
        dispatched_by=actor.username)
    session.add(transfer)
    custody.state = "in_transit"
    flush(session)
    transfer.transfer_no = rules.transfer_number(get_settings().node_id, day.year, transfer.id)
    flush(session)
    record(session, actor, "transfer_dispatch", "file_transfer", transfer.id,
           transfer_no=transfer.transfer_no, person_id=person_id, to=to.code,
           on=day.isoformat(), receipt_due=transfer.receipt_due.isoformat())
    if to.peer_node is not None:  # to the other province: over the exchange (零跑路)
        peer.send_transfer(session, actor, transfer)
    return transfer


def receive(session: Session, actor: Principal, person_id: int, on: date | None = None,
            version: int | None = None) -> FileTransfer:
    """接收（回执确认）: staff of the receiving custodian's region confirm receipt; the
    sender's custody closes and the receiver's opens on the receipt day."""
    actor.require("talent:write")
    day = on or date.today()
    transfer = in_transit(session, person_id, for_update=True)
    custody = open_custody(session, person_id, for_update=True)
    if transfer is None:
        if custody is not None and actor.sees_region(custody.region):
            raise Conflict("该档案没有在途的转递，无需接收",
                           "No transfer of this file is in transit")
        raise no_file()
    if not actor.sees_region(transfer.to_region):
        if actor.sees_region(transfer.from_region):
            raise Forbidden("应由接收档案管理机构所在地的工作人员确认接收",
                            "Only the receiving custodian's region may confirm receipt")
        raise no_file()
    if version is not None and version != transfer.version:
        raise Conflict("转递记录已被他人更新，请刷新后重试",
                       "The transfer was changed by someone else")
    if day < transfer.dispatched_on:
        raise invalid_field("on", f"接收日期不能早于转出日期（{transfer.dispatched_on}）",
                            f"the receipt is before the dispatch ({transfer.dispatched_on})")
    transfer.state, transfer.received_on = rules.TransferState.RECEIVED, day
    transfer.received_by = actor.username
    if custody is not None:
        custody.state, custody.until = "closed", day
    flush(session)
    moved = FileCustody(person_id=person_id, custodian_id=transfer.to_custodian_id,
                        region=transfer.to_region, state="held", since=day)
    session.add(moved)
    flush(session)
    record(session, actor, "transfer_receive", "file_transfer", transfer.id,
           transfer_no=transfer.transfer_no, person_id=person_id, on=day.isoformat())
    origin = session.get(FileCustodian, transfer.from_custodian_id)
    if origin is not None and origin.peer_node is not None:  # the receipt goes back
        peer.send_receipt(session, actor, transfer)
    return transfer


def is_overdue(transfer: FileTransfer, today: date | None = None) -> bool:
    return rules.is_overdue(transfer.receipt_due, transfer.received_on, today or date.today())


# --- the work-list ---------------------------------------------------------------------


#: The orders the in-transit list allows; the default is the oldest receipt due first.
TRANSFER_SORTING = paging.Sorting({
    "due": FileTransfer.receipt_due,
    "dispatched": FileTransfer.dispatched_on,
    "transfer_no": FileTransfer.transfer_no,
}, default="due", tie_breakers=[FileTransfer.id])


def in_transit_query(actor: Principal, *, overdue: bool = False, today: date | None = None,
                     sort: paging.Sort | None = None) -> Select[*tuple[Any, ...]]:
    """Transfers in transit from or to the actor's region, the oldest due first;
    ``overdue`` only those whose receipt is past due."""
    actor.require("talent:read")
    sender, receiver = aliased(FileCustodian), aliased(FileCustodian)
    stmt = (select(FileTransfer, Person.name, Person.resident_id, sender.name, receiver.name)
            .join(Person, Person.id == FileTransfer.person_id)
            .join(sender, sender.id == FileTransfer.from_custodian_id)
            .join(receiver, receiver.id == FileTransfer.to_custodian_id)
            .where(FileTransfer.state == "dispatched"))
    if actor.region_prefix:
        stmt = stmt.where(touching(actor))
    if overdue:
        stmt = stmt.where(FileTransfer.receipt_due < (today or date.today()))
    return stmt.order_by(*TRANSFER_SORTING.order_by(sort or TRANSFER_SORTING.default))


def in_transit_page(session: Session, actor: Principal, *, overdue: bool = False,
                    page: int = 1, size: int = paging.LIST_PAGE_SIZE,
                    sort: paging.Sort | None = None) -> paging.Listing[Any]:
    return paging.paginate(session, in_transit_query(actor, overdue=overdue, sort=sort), page,
                           size, scalars=False)


def all_in_transit(session: Session, actor: Principal, *, overdue: bool = False,
                   sort: paging.Sort | None = None) -> Iterator[Any]:
    yield from session.execute(in_transit_query(actor, overdue=overdue, sort=sort)
                               .execution_options(yield_per=1000))


def custodian_codes(session: Session, transfers: list[FileTransfer]) -> dict[int, str]:
    ids = {t.from_custodian_id for t in transfers} | {t.to_custodian_id for t in transfers}
    if not ids:
        return {}
    rows = session.execute(select(FileCustodian.id, FileCustodian.code)
                           .where(FileCustodian.id.in_(ids))).all()
    return {row[0]: row[1] for row in rows}
