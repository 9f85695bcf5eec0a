"""Pagination shared by every list endpoint: one page model, one set of query limits,
and the bounds of a record id in a path."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from minsheng.platform.types import MAX_ID, IdPath

__all__ = ["MAX_ID", "MAX_PAGE", "MAX_PAGE_SIZE", "Page", "PageNumber", "PageSize", "RecordId"]

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
