"""The print header of every page (打印): the office the signed-in account works for and
the day it prints, shown only on paper (``static/css/print.css``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minsheng.platform.db import LOCAL_TIME, utcnow
from minsheng.platform.offices import office_name


@dataclass(frozen=True)
class PrintHeader:
    office: str
    printed_on: str


def print_header(viewer: Any) -> PrintHeader:
    """For the page shell: ``viewer`` is the page's ``Viewer`` (``None`` when signed out).
    Ecology staff print for the natural-resources bureau; citizens and employers for the
    bureau as such."""
    today = utcnow().astimezone(LOCAL_TIME).date()
    office = "人力资源和社会保障局"
    if viewer is not None and viewer.is_staff:
        ecology_only = viewer.can("ecology:read") and not viewer.can("registry:read")
        office = office_name(viewer.principal.region_code, natural_resources=ecology_only)
    return PrintHeader(office, f"{today.year}年{today.month}月{today.day}日")
