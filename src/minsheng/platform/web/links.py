"""Links that one domain puts on another domain's record page.

The person page (registry) shows 参保与缴费, 社会保障卡, 养老待遇 … without knowing those
domains: each declares a provider for the subject ``"person"`` in its ``domain.py``, the
app registers it, and the page asks :func:`links_for`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from minsheng.platform.security.principal import Principal


@dataclass(frozen=True)
class RecordLink:
    """A button on a record page: its label, target and test id."""

    label: str
    href: str
    testid: str


#: ``provider(session, viewer's principal, record id, record state)`` → the links, if any.
LinkProvider = Callable[[Session, Principal, int, str], list[RecordLink]]


@dataclass(frozen=True)
class LinkSource:
    subject: str
    provider: LinkProvider
    order: int = 100


_sources: list[LinkSource] = []


def add_link_source(source: LinkSource) -> None:
    if source not in _sources:
        _sources.append(source)
        _sources.sort(key=lambda s: s.order)


def links_for(subject: str, session: Session, actor: Principal, record_id: int,
              state: str = "") -> list[RecordLink]:
    """Every link the domains offer on this record, for this actor."""
    return [link for source in _sources if source.subject == subject
            for link in source.provider(session, actor, record_id, state)]
