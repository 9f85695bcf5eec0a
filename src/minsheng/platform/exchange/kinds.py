"""What an envelope may carry: each kind names the schema its body must pass and the
function that applies it on the receiving node (inside the inbox transaction).

Domains declare their kinds in ``domain.py`` (``Domain.envelope_kinds``); the app
registers them when it assembles the domains.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from minsheng.platform.security.principal import Principal


@dataclass(frozen=True)
class Received:
    """What a handler knows of the envelope it applies."""

    envelope_id: str
    sender: str
    #: The peer node as an actor: audited as ``node:<id>``.
    actor: Principal


@dataclass(frozen=True)
class EnvelopeKind:
    kind: str
    label: str
    schema: type[BaseModel]
    apply: Callable[[Session, Received, Any], object]


_kinds: dict[str, EnvelopeKind] = {}


def register(*kinds: EnvelopeKind) -> None:
    for kind in kinds:
        known = _kinds.get(kind.kind)
        if known is not None and known is not kind:
            raise RuntimeError(f"envelope kind {kind.kind} declared twice")
        _kinds[kind.kind] = kind


def get(kind: str) -> EnvelopeKind | None:
    return _kinds.get(kind)


def label(kind: str) -> str:
    """The kind's Chinese name; a kind this node does not know (a refused envelope's)
    is named as such, never by its code."""
    known = _kinds.get(kind)
    return known.label if known else "未知业务类型"
