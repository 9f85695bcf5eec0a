"""Personnel-file transfer between the provinces (川渝通办·零跑路): a transfer to a
custodian of the other node goes over the exchange (``platform.exchange``) with the
file's digital index; the receiving node records it in transit to its custodian, its
staff confirm receipt there, and the receipt comes back and closes the sending custody.

On each node a custodian of the other province is a mirror row (``peer_node`` set) that
holds the files which left for it.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.personnelfile import rules
from minsheng.hrss.personnelfile.models import FileCustodian, FileCustody, FileItem, FileTransfer
from minsheng.hrss.personnelfile.service._common import record
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.schemas import PersonCreate
from minsheng.platform.errors import RuleViolation
from minsheng.platform.exchange import service as exchange
from minsheng.platform.exchange.kinds import EnvelopeKind, Received
from minsheng.platform.security.principal import Principal

KIND_TRANSFER = "personnelfile.transfer"
KIND_RECEIPT = "personnelfile.receipt"


class IndexItem(BaseModel):
    category: int = Field(ge=1, le=10)
    title: str = Field(min_length=1, max_length=200)
    pages: int = Field(ge=1, le=10_000)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size_bytes: int = Field(ge=0)
    media_type: str = Field(max_length=32)


class TransferBody(BaseModel):
    """The file as it leaves: who, from which custodian to which, and its index."""

    transfer_no: str = Field(min_length=1, max_length=32)
    resident_id: str = Field(min_length=18, max_length=18)
    name: str = Field(min_length=1, max_length=64)
    from_code: str = Field(max_length=32)
    from_name: str = Field(max_length=100)
    from_region: str = Field(pattern=r"^\d{6}$")
    to_code: str = Field(max_length=32)
    dispatched_on: date
    receipt_due: date
    items: list[IndexItem] = Field(default_factory=list, max_length=2000)


class ReceiptBody(BaseModel):
    transfer_no: str = Field(min_length=1, max_length=32)
    received_on: date


def send_transfer(session: Session, actor: Principal, transfer: FileTransfer) -> str:
    """In the dispatching unit of work: the transfer and the file's index to the node of
    the receiving custodian."""
    person = session.get(registry.Person, transfer.person_id)
    origin = session.get(FileCustodian, transfer.from_custodian_id)
    target = session.get(FileCustodian, transfer.to_custodian_id)
    assert person is not None and origin is not None and target is not None
    assert transfer.peer_node is not None
    items = session.scalars(select(FileItem).where(FileItem.person_id == person.id)
                            .order_by(FileItem.category, FileItem.id))
    envelope_id = exchange.send(session, actor, transfer.peer_node, KIND_TRANSFER, TransferBody(
        transfer_no=transfer.transfer_no, resident_id=person.resident_id, name=person.name,
        from_code=origin.code, from_name=origin.name, from_region=origin.region,
        to_code=target.code, dispatched_on=transfer.dispatched_on,
        receipt_due=transfer.receipt_due,
        items=[IndexItem(category=i.category, title=i.title, pages=i.pages, sha256=i.sha256,
                         size_bytes=i.size_bytes, media_type=i.media_type) for i in items]))
    record(session, actor, "transfer_sent", "file_transfer", transfer.id,
           transfer_no=transfer.transfer_no, envelope_id=envelope_id, node=transfer.peer_node)
    return envelope_id


def send_receipt(session: Session, actor: Principal, transfer: FileTransfer) -> str:
    """In the receiving unit of work: the receipt back to the node that sent the file."""
    assert transfer.peer_node is not None and transfer.received_on is not None
    envelope_id = exchange.send(session, actor, transfer.peer_node, KIND_RECEIPT, ReceiptBody(
        transfer_no=transfer.transfer_no, received_on=transfer.received_on))
    record(session, actor, "receipt_sent", "file_transfer", transfer.id,
           transfer_no=transfer.transfer_no, envelope_id=envelope_id, node=transfer.peer_node)
    return envelope_id


def _mirror(session: Session, code: str, name: str, region: str, node: str) -> FileCustodian:
    found = session.scalar(select(FileCustodian).where(FileCustodian.code == code))
    if found is None:
        found = FileCustodian(code=code, name=name, region=region, peer_node=node)
        session.add(found)
        session.flush()
    return found


def apply_transfer(session: Session, received: Received, body: TransferBody) -> None:
    """At the receiving node: the file is in transit to one of our custodians; the person
    is registered here if new (residence: the custodian's district)."""
    target = session.scalar(select(FileCustodian).where(FileCustodian.code == body.to_code,
                                                        FileCustodian.peer_node.is_(None)))
    if target is None:
        raise RuleViolation(f"本节点没有档案管理机构 {body.to_code}",
                            f"no custodian {body.to_code} on this node")
    if session.scalar(select(FileTransfer.id).where(
            FileTransfer.transfer_no == body.transfer_no)) is not None:
        raise RuleViolation(f"转递单 {body.transfer_no} 已登记", "transfer already recorded")
    person = registry.find_by_resident_id(session, body.resident_id)
    if person is None:
        person = registry.register_person(session, received.actor, PersonCreate(
            resident_id=body.resident_id, name=body.name, hukou_region=body.resident_id[:6],
            residence_region=target.region, hukou_type="urban"))
    origin = _mirror(session, body.from_code, body.from_name, body.from_region,
                     received.sender)
    transfer = FileTransfer(
        transfer_no=body.transfer_no, person_id=person.id, from_custodian_id=origin.id,
        to_custodian_id=target.id, from_region=origin.region, to_region=target.region,
        state=rules.TransferState.DISPATCHED, dispatched_on=body.dispatched_on,
        receipt_due=body.receipt_due, peer_node=received.sender,
        dispatched_by=received.actor.username)
    session.add(transfer)
    known = set(session.scalars(select(FileItem.sha256).where(FileItem.person_id == person.id)))
    session.add_all(FileItem(person_id=person.id, category=i.category, title=i.title,
                             pages=i.pages, sha256=i.sha256, size_bytes=i.size_bytes,
                             media_type=i.media_type, added_on=body.dispatched_on,
                             added_by=received.actor.username)
                    for i in body.items if i.sha256 not in known)
    session.flush()
    record(session, received.actor, "transfer_arrived", "file_transfer", transfer.id,
           transfer_no=body.transfer_no, envelope_id=received.envelope_id,
           items=len(body.items))


def apply_receipt(session: Session, received: Received, body: ReceiptBody) -> None:
    """At the sending node: the other node confirmed receipt; our custody closes and the
    file is held by the other province's custodian (its mirror here)."""
    transfer = session.scalar(select(FileTransfer).where(
        FileTransfer.transfer_no == body.transfer_no, FileTransfer.peer_node == received.sender)
        .with_for_update())
    if transfer is None or transfer.state != rules.TransferState.DISPATCHED:
        raise RuleViolation(f"没有在途的转递单 {body.transfer_no}",
                            f"no transfer {body.transfer_no} in transit")
    if body.received_on < transfer.dispatched_on:
        raise RuleViolation("接收日期早于转出日期", "receipt before the dispatch")
    transfer.state, transfer.received_on = rules.TransferState.RECEIVED, body.received_on
    transfer.received_by = received.actor.username
    custody = session.scalar(select(FileCustody).where(
        FileCustody.person_id == transfer.person_id, FileCustody.until.is_(None)))
    if custody is not None:
        custody.state, custody.until = "closed", body.received_on
        session.flush()
    session.add(FileCustody(person_id=transfer.person_id, custodian_id=transfer.to_custodian_id,
                            region=transfer.to_region, state="held", since=body.received_on))
    session.flush()
    record(session, received.actor, "receipt_arrived", "file_transfer", transfer.id,
           transfer_no=body.transfer_no, envelope_id=received.envelope_id,
           on=body.received_on.isoformat())


KINDS = (
    EnvelopeKind(KIND_TRANSFER, "人事档案跨省转递", TransferBody, apply_transfer),
    EnvelopeKind(KIND_RECEIPT, "人事档案接收回执", ReceiptBody, apply_receipt),
)
