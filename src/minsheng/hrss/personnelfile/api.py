"""Personnel-file JSON API: custodians, custody, transfers (dispatch and receipt), the
digital index, the in-transit and missing-item work-lists."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile

from minsheng.hrss.personnelfile.models import FileCustodian, FileCustody, FileItem, FileTransfer
from minsheng.hrss.personnelfile.schemas import (
    CustodianCreate,
    CustodianRead,
    CustodyOpen,
    CustodyRead,
    FileRead,
    ItemRead,
    MissingRead,
    ReceiveBody,
    TransferCreate,
    TransferRead,
)
from minsheng.hrss.personnelfile.service import custody, items, transfers
from minsheng.platform import uploads
from minsheng.platform.ids import mask_resident_id
from minsheng.platform.paging import Page, PageNumber, PageSize
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import SessionDep, require

router = APIRouter(prefix="/api/v1/talent/files", tags=["talent"])
Reader = Annotated[Principal, Depends(require("talent:read"))]
Writer = Annotated[Principal, Depends(require("talent:write"))]


def _custodian(c: FileCustodian) -> CustodianRead:
    return CustodianRead(id=c.id, code=c.code, name=c.name, region=c.region,
                         peer_node=c.peer_node)


def _transfer(t: FileTransfer, codes: dict[int, str]) -> TransferRead:
    return TransferRead(
        id=t.id, transfer_no=t.transfer_no, person_id=t.person_id, state=t.state,
        from_custodian=codes.get(t.from_custodian_id, ""),
        to_custodian=codes.get(t.to_custodian_id, ""), dispatched_on=t.dispatched_on,
        receipt_due=t.receipt_due, received_on=t.received_on,
        overdue=transfers.is_overdue(t), peer_node=t.peer_node, version=t.version)


def _custody(c: FileCustody, found: dict[int, FileCustodian]) -> CustodyRead:
    holder = found.get(c.custodian_id)
    return CustodyRead(id=c.id, custodian=holder.code if holder else "",
                       custodian_name=holder.name if holder else "", region=c.region,
                       state=c.state, since=c.since, until=c.until, version=c.version)


def _item(i: FileItem) -> ItemRead:
    return ItemRead(id=i.id, category=i.category, title=i.title, pages=i.pages,
                    sha256=i.sha256, size_bytes=i.size_bytes, media_type=i.media_type,
                    added_on=i.added_on)


@router.get("/custodians", response_model=list[CustodianRead])
def list_custodians(session: SessionDep, actor: Reader) -> list[CustodianRead]:
    return [_custodian(c) for c in custody.custodians(session, actor)]


@router.post("/custodians", status_code=201, response_model=CustodianRead)
def register_custodian(data: CustodianCreate, session: SessionDep,
                       actor: Writer) -> CustodianRead:
    return _custodian(custody.register_custodian(session, actor, data))


@router.get("/transfers", response_model=Page[TransferRead])
def list_in_transit(session: SessionDep, actor: Reader, overdue: bool = False,
                    page: PageNumber = 1, size: PageSize = 50) -> Page[TransferRead]:
    """Transfers in transit from or to your region; ``overdue=true``: receipt past due."""
    found = transfers.in_transit_page(session, actor, overdue=overdue, page=page, size=size)
    rows = [r[0] for r in found.rows]
    codes = transfers.custodian_codes(session, rows)
    return Page(items=[_transfer(t, codes) for t in rows], total=found.total, page=found.page,
                size=found.size)


@router.get("/missing", response_model=Page[MissingRead])
def list_missing(session: SessionDep, actor: Reader, page: PageNumber = 1,
                 size: PageSize = 50) -> Page[MissingRead]:
    """Files held in your region lacking a required class of material."""
    found, lacking = items.missing_page(session, actor, page=page, size=size)
    return Page(items=[MissingRead(person_id=r[0], name=r[1],
                                   resident_id=mask_resident_id(r[2]), custodian=r[3],
                                   missing_categories=lacking.get(r[0], []))
                       for r in found.rows], total=found.total, page=found.page,
                size=found.size)


@router.get("/{person_id}", response_model=FileRead)
def read_file(person_id: IdPath, session: SessionDep, actor: Reader) -> FileRead:
    """A person's file: custody, history, transfers, index (audited)."""
    found = custody.read_file(session, actor, person_id)
    codes = {i: c.code for i, c in found.custodians.items()}
    required = items.required_categories(session, actor.region_code)
    return FileRead(
        person_id=found.person.id, name=found.person.name,
        resident_id=mask_resident_id(found.person.resident_id),
        custody=_custody(found.custody, found.custodians) if found.custody else None,
        history=[_custody(c, found.custodians) for c in found.history],
        transfers=[_transfer(t, codes) for t in found.transfers],
        items=[_item(i) for i in found.items],
        missing_categories=sorted(required - {i.category for i in found.items}))


@router.post("/{person_id}/custody", status_code=201, response_model=CustodyRead)
def take_into_custody(person_id: IdPath, data: CustodyOpen, session: SessionDep,
                      actor: Writer) -> CustodyRead:
    opened = custody.take_into_custody(session, actor, person_id, data)
    holder = session.get(FileCustodian, opened.custodian_id)
    return _custody(opened, {holder.id: holder} if holder else {})


@router.post("/{person_id}/transfer", status_code=201, response_model=TransferRead)
def dispatch(person_id: IdPath, data: TransferCreate, session: SessionDep,
             actor: Writer) -> TransferRead:
    """转出: ``{"to_custodian"}`` (the receiving custodian's code)."""
    sent = transfers.dispatch(session, actor, person_id, data.to_custodian, data.on,
                              data.version)
    return _transfer(sent, transfers.custodian_codes(session, [sent]))


@router.post("/{person_id}/receive", response_model=TransferRead)
def receive(person_id: IdPath, session: SessionDep, actor: Writer,
            data: ReceiveBody | None = None) -> TransferRead:
    """接收（回执确认）by the receiving custodian's region."""
    body = data or ReceiveBody()
    got = transfers.receive(session, actor, person_id, body.on, body.version)
    return _transfer(got, transfers.custodian_codes(session, [got]))


@router.post("/{person_id}/items", status_code=201, response_model=ItemRead)
def add_item(person_id: IdPath, session: SessionDep, actor: Writer,
             category: Annotated[int, Form(ge=1, le=10, description="材料类别（1–10）")],
             title: Annotated[str, Form(min_length=1, max_length=200, pattern=r"^[^\x00]*$")],
             pages: Annotated[int, Form(ge=1, le=10000)],
             file: Annotated[UploadFile, File(description="扫描件（JPEG、PNG、TIFF）")],
             on: Annotated[date | None, Form()] = None) -> ItemRead:
    content = uploads.read_limited(file.file, items.MAX_SCAN_BYTES)
    return _item(items.add_item(session, actor, person_id, category=category, title=title,
                                pages=pages, content=content, on=on))
