"""The print header of every page (打印): the office the signed-in account works for and
the day it prints, shown only on paper (``static/css/print.css``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minsheng.platform.db import LOCAL_TIME, utcnow
from minsheng.platform.offices import office_name
from minsheng.platform.security.roles import ECOLOGY_WORKSPACE, workspace_of


@dataclass(frozen=True)
class PrintHeader:
    office: str
    printed_on: str


def print_header(viewer: Any) -> PrintHeader:
    """For the page shell: ``viewer`` is the page's ``Viewer`` (``None`` when signed out).
    Staff of the natural-resources workspace print for their bureau; citizens and employers
    for the social-security bureau as such."""
    today = utcnow().astimezone(LOCAL_TIME).date()
    office = "人力资源和社会保障局"
    if viewer is not None and viewer.is_staff:
        natural_resources = workspace_of(viewer.principal.role) == ECOLOGY_WORKSPACE
        office = office_name(viewer.principal.region_code, natural_resources=natural_resources)
    return PrintHeader(office, f"{today.year}年{today.month}月{today.day}日")
