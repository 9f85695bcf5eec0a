"""Pagination shared by every list endpoint: one page model, one set of query limits,
and the bounds of a record id in a path."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from minsheng.platform.types import MAX_ID, IdPath

__all__ = ["LIST_PAGE_SIZE", "MAX_ID", "MAX_PAGE", "MAX_PAGE_SIZE", "Listing", "Page",
           "PageNumber", "PageSize", "RecordId", "count_of", "page_count", "paginate"]

T = TypeVar("T")

#: The largest page any list returns; a bigger request is refused (422), not truncated.
MAX_PAGE_SIZE = 200
#: Page numbers beyond this are refused: no list here has that many pages.
MAX_PAGE = 1_000_000

#: A record id in a path, 1 … MAX_ID (the same as :data:`minsheng.platform.types.IdPath`).
RecordId = IdPath

PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description="页码，从 1 开始")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="每页条数")]


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, the total across all pages, which page and its size."""

    items: list[T]
    total: int
    page: int
    size: int


# --- pages of a staff work-list ------------------------------------------------------

#: Rows per page on the staff work-lists (the pages, not the JSON API).
LIST_PAGE_SIZE = 50


@dataclass(frozen=True)
class Listing(Generic[T]):
    """One page of a work-list for a page template (``_pager.html`` reads ``page``,
    ``pages`` and ``total``): never a silent cut, the total counts every matching row."""

    rows: list[T]
    total: int
    page: int
    pages: int
    size: int = LIST_PAGE_SIZE


def page_count(total: int, size: int = LIST_PAGE_SIZE) -> int:
    """Pages needed for ``total`` rows (at least one, so an empty list shows page 1 of 1)."""
    return max(1, -(-total // size))


def count_of(session: Session, stmt: Select[*tuple[Any, ...]]) -> int:
    """``count(*)`` of the rows ``stmt`` selects, computed by the database."""
    inner = stmt.order_by(None).limit(None).offset(None).subquery()
    return int(session.scalar(select(func.count()).select_from(inner)) or 0)


def paginate(session: Session, stmt: Select[*tuple[Any, ...]], page: int,
             size: int = LIST_PAGE_SIZE, *, scalars: bool = True) -> Listing[Any]:
    """Page ``page`` (clamped to the last page) of an ordered selection, with its total.
    ``scalars`` hands back the first column of each row (an entity), otherwise rows."""
    total = count_of(session, stmt)
    pages = page_count(total, size)
    page = min(max(page, 1), pages)
    bounded = stmt.limit(size).offset((page - 1) * size)
    rows: list[Any] = (list(session.scalars(bounded)) if scalars
                       else list(session.execute(bounded).all()))
    return Listing(rows, total, page, pages, size)
