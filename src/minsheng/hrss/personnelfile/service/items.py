"""The digital index of a file (数字档案目录): items with their class, title, page count
and the SHA-256 checksum of the scan (read with the upload size limit and decoded as an
image before it counts); the required classes as dated data and the work-list of files
lacking one of them (缺件)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from minsheng.hrss.personnelfile import rules
from minsheng.hrss.personnelfile.models import (
    FileCustodian,
    FileCustody,
    FileItem,
    FileRequiredItem,
)
from minsheng.hrss.personnelfile.service._common import no_file, period, record
from minsheng.hrss.personnelfile.service.custody import open_custody
from minsheng.hrss.registry.service import Person
from minsheng.platform import paging, uploads
from minsheng.platform.db import flush
from minsheng.platform.errors import RuleViolation, invalid_field
from minsheng.platform.rulebook import in_force
from minsheng.platform.security.principal import Principal, scoped

#: Scans are images (a page scanned as JPEG, PNG or TIFF), each within the photo limit.
SCAN_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "TIFF": "image/tiff"}
MAX_SCAN_BYTES = uploads.MAX_IMAGE_BYTES


def add_item(session: Session, actor: Principal, person_id: int, *, category: int,
             title: str, pages: int, content: bytes, on: date | None = None) -> FileItem:
    """登记一份档案材料: staff of the holding region index a scanned item; the scan must
    decode as an image within the size limit; its SHA-256 checksum is kept."""
    actor.require("talent:write")
    custody = open_custody(session, person_id)
    if custody is None or not actor.sees_region(custody.region):
        raise no_file()
    if category not in rules.FILE_CATEGORIES:
        raise invalid_field("category", "请选择材料类别（第一类至第十类）",
                            "the category is 1 to 10")
    title = title.strip()
    if not title or len(title) > 200 or "\x00" in title:
        raise invalid_field("title", "请填写材料名称（不超过200字）", "a title of 1-200 characters")
    if not 1 <= pages <= 10000:
        raise invalid_field("pages", "页数应在1至10000之间", "pages from 1 to 10000")
    if len(content) > MAX_SCAN_BYTES:
        megabytes = MAX_SCAN_BYTES // (1024 * 1024)
        raise invalid_field("file", f"扫描件不能超过 {megabytes} MB",
                            f"a scan may be at most {megabytes} MB")
    try:
        media_type = uploads.verify_image(content, SCAN_FORMATS)
    except RuleViolation as exc:
        raise invalid_field("file", "扫描件应为完整可读的 JPEG、PNG 或 TIFF 图片",
                            "a scan must be a complete, readable JPEG, PNG or TIFF image"
                            ) from exc
    item = FileItem(person_id=person_id, category=category, title=title, pages=pages,
                    sha256=hashlib.sha256(content).hexdigest(), size_bytes=len(content),
                    media_type=media_type, added_on=on or date.today(),
                    added_by=actor.username)
    session.add(item)
    flush(session)
    record(session, actor, "item_add", "file_item", item.id, person_id=person_id,
           category=category, pages=pages, sha256=item.sha256)
    return item


def required_categories(session: Session, region: str, on: date | None = None) -> set[int]:
    """The classes every file must hold, as in force for ``region`` (the city's rows
    unless a district has its own)."""
    rows = in_force(session, FileRequiredItem, region or "50", period(on or date.today()))
    return {r.category for r in rows}


def missing_query(actor: Principal, required: set[int]) -> Select[*tuple[Any, ...]]:
    """Files held in the actor's region lacking a required class: ``(person_id, name,
    resident_id, custodian name, classes held of the required)``; one statement, the
    fewest held first."""
    actor.require("talent:read")
    held = func.count(func.distinct(FileItem.category))
    stmt = (select(FileCustody.person_id, Person.name, Person.resident_id, FileCustodian.name,
                   held)
            .join(Person, Person.id == FileCustody.person_id)
            .join(FileCustodian, FileCustodian.id == FileCustody.custodian_id)
            .outerjoin(FileItem, and_(FileItem.person_id == FileCustody.person_id,
                                      FileItem.category.in_(sorted(required) or [0])))
            .where(FileCustody.until.is_(None))
            .group_by(FileCustody.person_id, Person.name, Person.resident_id,
                      FileCustodian.name)
            .having(held < len(required))
            .order_by(held, FileCustody.person_id))
    return scoped(stmt, FileCustody.region, actor)


def missing_page(session: Session, actor: Principal, page: int = 1,
                 size: int = paging.LIST_PAGE_SIZE) -> tuple[paging.Listing[Any],
                                                              dict[int, list[int]]]:
    """A page of the missing-item list and, for its rows, the classes each lacks."""
    required = required_categories(session, actor.region_code)
    listing = paging.paginate(session, missing_query(actor, required), page, size,
                              scalars=False)
    return listing, lacking(session, [r[0] for r in listing.rows], required)


def all_missing(session: Session, actor: Principal) -> Iterator[tuple[Any, list[int]]]:
    required = required_categories(session, actor.region_code)
    batch: list[Any] = []
    for row in session.execute(missing_query(actor, required)
                               .execution_options(yield_per=1000)):
        batch.append(row)
        if len(batch) == 1000:
            yield from _with_lacking(session, batch, required)
            batch = []
    yield from _with_lacking(session, batch, required)


def _with_lacking(session: Session, rows: list[Any], required: set[int]
                  ) -> Iterator[tuple[Any, list[int]]]:
    found = lacking(session, [r[0] for r in rows], required)
    for row in rows:
        yield row, found.get(row[0], [])


def lacking(session: Session, person_ids: list[int], required: set[int]
            ) -> dict[int, list[int]]:
    """For each person, the required classes their file lacks (one query)."""
    present: dict[int, set[int]] = {p: set() for p in person_ids}
    if person_ids:
        for person_id, category in session.execute(
                select(FileItem.person_id, FileItem.category).distinct()
                .where(FileItem.person_id.in_(person_ids))):
            present[person_id].add(category)
    return {p: rules.missing_categories(required, cats) for p, cats in present.items()}
