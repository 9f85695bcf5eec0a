"""The audit chain: every state change and every full-record read by staff.

Each event stores ``hash = SM3(prev_hash || canonical(event))`` (GB/T 32905-2016 SM3,
from the ``cryptography`` package), so altering or deleting any row breaks the chain
from that row on; ``verify_chain`` finds the first broken link.
Appends are serialised by locking the single ``audit_chain_head`` row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import hashes
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.platform.db import utcnow
from minsheng.platform.security.models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64
SYSTEM_ACTOR = "system"


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    prev_hash: str,
    *,
    seq: int,
    occurred_at: datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    payload: str,
) -> str:
    canonical = json.dumps(
        [seq, _timestamp(occurred_at), actor, action, subject_type, subject_id, payload],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return sm3_hex((prev_hash + canonical).encode("utf-8"))


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: object,
    payload: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain inside the caller's transaction."""
    head = session.execute(
        select(AuditChainHead).where(AuditChainHead.id == 1).with_for_update()
    ).scalar_one()
    text = json.dumps(dict(payload or {}), ensure_ascii=False, sort_keys=True, default=str)
    occurred_at = utcnow()
    seq = head.seq + 1
    event = AuditEvent(
        seq=seq,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        payload=text,
        prev_hash=head.hash,
        hash=event_hash(
            head.hash,
            seq=seq,
            occurred_at=occurred_at,
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=str(subject_id),
            payload=text,
        ),
    )
    session.add(event)
    head.seq = seq
    head.hash = event.hash
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_seq is None


def verify_chain(session: Session, *, batch: int = 5_000) -> ChainReport:
    """Recompute every link; report the first event that was altered, deleted or inserted."""
    prev_hash, expected_seq, count = GENESIS_HASH, 1, 0
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.seq).execution_options(
        yield_per=batch
    )).scalars()
    for event in rows:
        if event.seq != expected_seq:
            return ChainReport(count, expected_seq, f"event {expected_seq} is missing (deleted)")
        if event.prev_hash != prev_hash:
            return ChainReport(count, event.seq, "prev_hash does not match the previous event")
        recomputed = event_hash(
            prev_hash,
            seq=event.seq,
            occurred_at=event.occurred_at,
            actor=event.actor,
            action=event.action,
            subject_type=event.subject_type,
            subject_id=event.subject_id,
            payload=event.payload,
        )
        if recomputed != event.hash:
            return ChainReport(count, event.seq, "event content was altered (hash mismatch)")
        prev_hash, expected_seq, count = event.hash, expected_seq + 1, count + 1
    head = session.get(AuditChainHead, 1)
    if head is None:
        return ChainReport(count, 0, "the chain head row is missing")
    if head.seq != count or head.hash != prev_hash:
        return ChainReport(count, count + 1, f"events after {count} are missing (deleted)")
    return ChainReport(count)
