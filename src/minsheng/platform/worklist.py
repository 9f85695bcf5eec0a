"""Waiting work (待办) on a staff member's workbench.

Each domain declares, in its ``domain.py`` (``work=[...]``), functions that say what work is
waiting for a given staff member: kinds of items the member may act on (never ones the role
can only read), counted within the member's region, with how many are past their due date
and the page that lists exactly those items. The workbench shows them all, overdue first,
without knowing the domains.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from minsheng.platform.security.principal import Principal


@dataclass(frozen=True)
class WorkItem:
    """One kind of waiting work: ``count`` items, ``overdue`` of them past their due date,
    the earliest due date ``due`` of those not yet overdue; ``href`` is the page listing
    exactly these items (its total equals ``count``), where they are acted on."""

    key: str
    label: str
    count: int
    href: str
    overdue: int = 0
    due: date | None = None


#: ``source(session, staff member, today)`` → the kinds of work waiting for the member.
WorkSource = Callable[[Session, Principal, date], Sequence[WorkItem]]

_sources: list[WorkSource] = []


def add_work_source(source: WorkSource) -> None:
    if source not in _sources:
        _sources.append(source)


def waiting_work(session: Session, actor: Principal, today: date) -> list[WorkItem]:
    """Every kind of work waiting for ``actor``: overdue first (most overdue first), then
    by the nearest due date; kinds with nothing waiting are left out."""
    items = [item for source in _sources for item in source(session, actor, today)
             if item.count > 0]
    return sorted(items, key=lambda i: (-i.overdue, i.due or date.max, i.label))
