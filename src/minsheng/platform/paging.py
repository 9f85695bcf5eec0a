"""Pagination shared by every list endpoint: one page model, one set of query limits,
and the bounds of a record id in a path."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import parse_qsl, urlencode

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from minsheng.platform.types import MAX_ID, IdPath

__all__ = ["LIST_PAGE_SIZE", "MAX_ID", "MAX_PAGE", "MAX_PAGE_SIZE", "Fixed", "Listing",
           "Page", "PageNumber", "PageSize", "RecordId", "Sort", "Sorting", "count_of",
           "page_count", "page_window", "paginate", "query_pairs", "with_params"]

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


# --- sorting ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Sort:
    """The order a list is shown in: one of its allowed keys, ascending or descending.
    In a URL it reads ``key`` (ascending) or ``-key`` (descending): see :attr:`param`."""

    key: str
    descending: bool = False

    @property
    def param(self) -> str:
        """The query-string value of this order (``-amount``, ``name``)."""
        return ("-" if self.descending else "") + self.key

    def toggled(self, key: str) -> Sort:
        """The order a click on column ``key``'s header asks for: the other direction of
        the current key, otherwise ``key`` ascending."""
        if key == self.key:
            return Sort(key, not self.descending)
        return Sort(key)


@dataclass(frozen=True)
class Fixed:
    """An ORDER BY term of a sort key that keeps its own direction whichever way the list
    is sorted (``Fixed(deadline.is_(None))``: rows without a deadline last, both ways)."""

    expression: Any


class Sorting:
    """The orders one list allows: each sort key of the query string names the SQL
    expressions it orders by (the first the key's own column, the rest tie-breakers that
    keep the order of equal rows stable across pages). A key not among them, or any
    other text, gives the default order: never an error page, and the text never
    reaches the SQL (only the declared expressions do)."""

    def __init__(self, columns: Mapping[str, Any | Sequence[Any]], default: str,
                 *, default_descending: bool = False, tie_breakers: Sequence[Any] = ()) -> None:
        if default not in columns:
            raise ValueError(f"default sort key {default!r} is not among {sorted(columns)}")
        self._columns = {key: tuple(value) if isinstance(value, (list, tuple)) else (value,)
                         for key, value in columns.items()}
        self.default = Sort(default, default_descending)
        self._tie_breakers = tuple(tie_breakers)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self._columns)

    def parse(self, value: str | None) -> Sort:
        """The order the query-string value ``value`` asks for (``key``, ``-key``), or
        the default when it names no allowed key."""
        text = (value or "").strip()
        descending = text.startswith("-")
        key = text[1:] if descending else text
        if key not in self._columns:
            return self.default
        return Sort(key, descending)

    def order_by(self, sort: Sort) -> list[Any]:
        """The ORDER BY expressions of ``sort`` (the default's when its key is unknown)."""
        if sort.key not in self._columns:
            sort = self.default
        columns = self._columns[sort.key]
        ordered = [c.expression if isinstance(c, Fixed)
                   else c.desc() if sort.descending else c.asc() for c in columns]
        return ordered + [t for t in self._tie_breakers if not any(t is c for c in columns)]

    def apply(self, stmt: Select[Any], sort: Sort) -> Select[Any]:
        """``stmt`` ordered by ``sort`` instead of whatever order it had."""
        return stmt.order_by(None).order_by(*self.order_by(sort))


# --- the page numbers a pager shows ---------------------------------------------------------


def page_window(page: int, pages: int, radius: int = 2) -> list[int | None]:
    """The page numbers a pager offers: the first and last page, and ``radius`` pages on
    either side of the current one, with ``None`` where pages are left out (shown as
    …), e.g. ``1 … 4 5 [6] 7 8 … 20``. A gap of a single page shows that page instead.
    ``page`` is clamped to 1 … ``pages``; ``pages`` is at least 1."""
    pages = max(1, pages)
    page = min(max(page, 1), pages)
    shown = sorted({1, pages, *range(max(1, page - radius), min(pages, page + radius) + 1)})
    window: list[int | None] = []
    for number in shown:
        if window:
            last = window[-1]
            assert last is not None
            if number - last == 2:
                window.append(last + 1)
            elif number - last > 2:
                window.append(None)
        window.append(number)
    return window


# --- a list's other filters in its links -------------------------------------------------


def query_pairs(query: str | None) -> list[tuple[str, str]]:
    """The (name, value) pairs of an URL-encoded query string, decoded (for the hidden
    fields of a form that must carry them, such as the pager's jump form)."""
    return parse_qsl(query or "", keep_blank_values=True)


def with_params(query: str | None, **changes: Any) -> str:
    """``query`` with the parameters ``changes`` set (replaced where present, a value of
    ``None`` or ``""`` removes the parameter), URL-encoded again."""
    pairs = [(k, v) for k, v in query_pairs(query) if k not in changes]
    pairs += [(k, str(v)) for k, v in changes.items() if v is not None and v != ""]
    return urlencode(pairs)
