"""The audit chain: every state change and every full-record read by staff.

Each event stores ``hash = SM3(prev_hash || canonical(event))`` (GB/T 32905-2016 SM3,
from the ``cryptography`` package), so altering or deleting any row breaks the chain
from that row on; ``verify_chain`` finds the first broken link.
Appending takes no lock: events get their place in the chain (``link``) when ``seal``
runs, right after the business transaction commits, under the single
``audit_chain_head`` row's lock. Sealers take turns and each turn chains every event
committed before it, so under load many requests' events are sealed in one short
transaction instead of every request queueing on the lock until it commits.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives import hashes
from sqlalchemy import DateTime, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from minsheng.platform.db import AFTER_COMMIT, aware_utc, utcnow
from minsheng.platform.security.models import AuditChainHead, AuditEvent

logger = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
#: Events chained per statement while sealing.
SEAL_BATCH = 5_000
_LAST_UNSEALED = "audit_last_unsealed"
#: Set while a woken sealer (``start_sealer(woken=True)``) runs in this process.
_SEALER_RUNS = threading.Event()
#: Set by a commit, for that sealer.
_WAKE = threading.Event()
_HEAD = text("SELECT seq, hash FROM audit_chain_head WHERE id = 1")
_HEAD_FOR_UPDATE = text("SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE")
_HEAD_IF_FREE = text(
    "SELECT seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE SKIP LOCKED")
_ANY_UNSEALED = text("SELECT 1 FROM audit_event WHERE link IS NULL LIMIT 1")
_UNSEALED = text(
    "SELECT seq, occurred_at, actor, action, subject_type, subject_id, payload "
    "FROM audit_event WHERE link IS NULL ORDER BY seq LIMIT :batch"
).columns(occurred_at=DateTime(timezone=True))
_SEAL_EVENT = text("UPDATE audit_event SET link = :link, prev_hash = :prev_hash, hash = :hash "
                   "WHERE seq = :event_seq")
_LINK_OF = text("SELECT link FROM audit_event WHERE seq = :seq")
_MOVE_HEAD = text("UPDATE audit_chain_head SET seq = :link, hash = :hash WHERE id = 1")
_SEALED_FIELDS = ["link", "prev_hash", "hash"]
SYSTEM_ACTOR = "system"


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def _timestamp(moment: datetime) -> str:
    return aware_utc(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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
    """Append one event inside the caller's transaction, without taking any lock.

    It commits (or rolls back) with the change it records; ``seal`` gives it its place
    in the chain once committed. SQLite admits one writer at a time anyway, so there the
    event is sealed at once, in the same transaction."""
    event = AuditEvent(
        occurred_at=utcnow(),
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        payload=json.dumps(dict(payload or {}), ensure_ascii=False, sort_keys=True,
                           default=str),
    )
    session.add(event)
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        seal(session, refresh_loaded=False)
        session.expire(event, _SEALED_FIELDS)
    else:
        session.info[_LAST_UNSEALED] = event.seq
    return event


def seal(session: Session, *, batch: int = SEAL_BATCH, refresh_loaded: bool = True,
         wait: bool = True) -> int | None:
    """Chain every committed event not yet sealed, in insertion order, inside the
    caller's transaction; return how many. Locks the chain head, so sealers take turns;
    one turn seals what every transaction committed before it. With ``wait=False`` a
    sealer finding the head locked returns None at once instead of queueing. Events this
    session has loaded read their new place afresh (``refresh_loaded``).

    Plain statements, no ORM: this runs after nearly every request."""
    connection = session.connection()
    lock = _HEAD if connection.dialect.name != "postgresql" else (
        _HEAD_FOR_UPDATE if wait else _HEAD_IF_FREE)
    head = connection.execute(lock).one_or_none()
    if head is None:
        return None
    link, prev_hash = head
    sealed = 0
    while rows := connection.execute(_UNSEALED, {"batch": batch}).all():
        links = []
        for row in rows:
            link += 1
            digest = event_hash(prev_hash, seq=link, occurred_at=row.occurred_at,
                                actor=row.actor, action=row.action,
                                subject_type=row.subject_type, subject_id=row.subject_id,
                                payload=row.payload)
            links.append({"event_seq": row.seq, "link": link, "prev_hash": prev_hash,
                          "hash": digest})
            prev_hash = digest
        connection.execute(_SEAL_EVENT, links)
        connection.execute(_MOVE_HEAD, {"link": link, "hash": prev_hash})
        sealed += len(rows)
    if sealed and refresh_loaded:
        for loaded in list(session.identity_map.values()):
            # ``__dict__``: looking must not load an expired object
            if isinstance(loaded, AuditChainHead) or (
                    isinstance(loaded, AuditEvent) and loaded.__dict__.get("link", 0) is None):
                session.expire(loaded)
    return sealed


def seal_after_commit(session: Session) -> None:
    """Seal the events the session's last transaction committed, in new transactions of
    the same session, unless another sealer already did. No request waits for another's
    seal: if the head is taken, its holder looks for unsealed events again after it
    commits, and so sees these (committed before the head was found taken), and seals
    them or hands them on the same way. A failure here loses nothing: the events are
    committed and the next sealer (or ``minsheng audit verify``) chains them."""
    last = session.info.pop(_LAST_UNSEALED, None)
    if last is None:
        return
    if _SEALER_RUNS.is_set():
        _WAKE.set()
        return
    try:
        connection = session.connection()
        if connection.execute(_LINK_OF, {"seq": last}).scalar() is None:
            while True:
                _without_waiting_for_disk(session)
                if seal(session, wait=False) is None:
                    break
                session.commit()
                if session.connection().execute(_ANY_UNSEALED).first() is None:
                    break
        session.commit()
    except Exception:
        session.rollback()
        logger.exception("sealing the audit chain failed; a later sealer will retry")


@dataclass(frozen=True)
class ChainReport:
    """``events`` sealed events verified; ``broken_link``: the chain position of the first
    event found altered, deleted or inserted; ``unsealed``: committed events still
    waiting for their place (not verified yet)."""

    events: int
    broken_link: int | None = None
    reason: str = ""
    unsealed: int = 0

    @property
    def intact(self) -> bool:
        return self.broken_link is None


def verify_chain(session: Session, *, batch: int = 5_000) -> ChainReport:
    """Recompute every link; report the first event that was altered, deleted or inserted."""
    prev_hash, expected, count = GENESIS_HASH, 1, 0
    unsealed = session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.link.is_(None))) or 0
    rows = session.execute(select(AuditEvent).where(AuditEvent.link.is_not(None))
                           .order_by(AuditEvent.link)
                           .execution_options(yield_per=batch, populate_existing=True)
                           ).scalars()
    for event in rows:
        if event.link != expected:
            return ChainReport(count, expected, f"event {expected} is missing (deleted)",
                               unsealed)
        if event.prev_hash != prev_hash:
            return ChainReport(count, expected, "prev_hash does not match the previous event",
                               unsealed)
        recomputed = event_hash(
            prev_hash,
            seq=expected,
            occurred_at=event.occurred_at,
            actor=event.actor,
            action=event.action,
            subject_type=event.subject_type,
            subject_id=event.subject_id,
            payload=event.payload,
        )
        if recomputed != event.hash:
            return ChainReport(count, expected, "event content was altered (hash mismatch)",
                               unsealed)
        prev_hash, expected, count = recomputed, expected + 1, count + 1
    head = session.get(AuditChainHead, 1, populate_existing=True)
    if head is None:
        return ChainReport(count, 0, "the chain head row is missing", unsealed)
    if head.seq != count or head.hash != prev_hash:
        return ChainReport(count, count + 1, f"events after {count} are missing (deleted)",
                           unsealed)
    return ChainReport(count, unsealed=unsealed)


def _without_waiting_for_disk(session: Session) -> None:
    """A seal lost in a crash is redone from the committed events (the sweeper, ``audit
    verify``), so its commit need not wait for the disk: PostgreSQL's
    ``synchronous_commit = off`` for this transaction only."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit = off"))


@dataclass
class Sealer:
    """A running sealer thread; ``stop`` ends it after its last seal."""

    thread: threading.Thread
    stopping: threading.Event

    def stop(self, timeout: float = 30) -> None:
        self.stopping.set()
        _WAKE.set()
        self.thread.join(timeout)


def start_sealer(factory: sessionmaker[Session], interval: float, *,
                 woken: bool = False) -> Sealer:
    """A daemon thread that seals, every ``interval`` seconds, what a request could not
    seal after its commit (its process ended, its database call failed).

    ``woken``: it also wakes at every commit of this process, and the committing request
    then does not seal at all: one seal chains the events of every request committed
    meanwhile, and requests spend neither the statements nor the wait for the head. When
    it stops, it seals once more after requests have gone back to sealing themselves, so
    nothing a request left to it stays unsealed."""
    stop = threading.Event()

    def seal_pending() -> None:
        try:
            with factory() as session, session.begin():
                if session.execute(_ANY_UNSEALED).first() is not None:
                    _without_waiting_for_disk(session)
                    seal(session)
        except Exception:  # a database hiccup must not end the sealer
            logger.exception("sealing the audit chain failed; retrying")

    def run() -> None:
        while not stop.is_set():
            if woken:
                _WAKE.wait(interval)
                _WAKE.clear()
            elif stop.wait(interval):
                break
            seal_pending()
        if woken:
            _SEALER_RUNS.clear()
            seal_pending()

    if woken:
        _SEALER_RUNS.set()
    thread = threading.Thread(target=run, name="audit-sealer", daemon=True)
    thread.start()
    return Sealer(thread, stop)


AFTER_COMMIT.append(seal_after_commit)
