"""The exchange's use cases: keys and peers, sending (outbox), delivering (worker),
receiving (inbox), status and retry.

Exactly once: an envelope is written to the outbox in the sender's business transaction
and sent until the peer acknowledges it; the peer applies it in one transaction together
with its inbox row, keyed by the envelope id, so a repeated delivery (after a lost
acknowledgement, a restart or a replay) is counted and dropped, never applied twice.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from pydantic import BaseModel, ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from minsheng.platform.config import Settings, get_settings
from minsheng.platform.db import unit_of_work, utcnow
from minsheng.platform.errors import Conflict, DomainError, NotFound, invalid_field
from minsheng.platform.exchange import envelope as env
from minsheng.platform.exchange import kinds
from minsheng.platform.exchange.models import (
    ExchangeInbox,
    ExchangeKey,
    ExchangeOutbox,
    ExchangePeer,
    ExchangePeerKey,
    ExchangeProbe,
    ExchangeRejection,
)
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal
from minsheng.platform.security.roles import Role

INBOX_PATH = "/api/v1/exchange/inbox"
NODE_NAMES = {"cq": "重庆", "sc": "四川"}

REASONS = {
    "malformed": "报文格式错误",
    "unknown_peer": "未登记的对端节点",
    "unknown_key": "未登记或已过期的签名密钥",
    "bad_signature": "签名验证失败",
    "wrong_recipient": "收件节点不是本节点",
    "outside_window": "发送时间超出防重放时间窗",
    "unknown_kind": "不支持的报文类型",
    "invalid": "报文内容校验未通过",
    "refused": "业务规则不允许办理",
}


def now_ms() -> int:
    return int(time.time() * 1000)


def node_principal(node_id: str) -> Principal:
    return Principal(user_id=0, username=f"node:{node_id}", role=Role.PEER_NODE)


# --- keys and peers -------------------------------------------------------------------


def own_key(session: Session, node_id: str | None = None) -> ExchangeKey:
    """This node's newest key pair, made on first use."""
    key = session.scalars(select(ExchangeKey).order_by(ExchangeKey.created_at.desc(),
                                                        ExchangeKey.key_id.desc())).first()
    return key if key is not None else _new_key(session, node_id)


def _new_key(session: Session, node_id: str | None = None) -> ExchangeKey:
    pem, public = env.new_private_key()
    node = node_id or get_settings().node_id
    key = ExchangeKey(key_id=f"{node}-{uuid.uuid4().hex[:12]}", private_pem=pem,
                      public_key=public, created_at=utcnow())
    session.add(key)
    session.flush()
    return key


@dataclass(frozen=True)
class NodeIdentity:
    node_id: str
    key_id: str
    public_key: str


def identity(session: Session, node_id: str | None = None) -> NodeIdentity:
    node = node_id or get_settings().node_id
    key = own_key(session, node)
    return NodeIdentity(node, key.key_id, key.public_key)


def add_peer(session: Session, actor: Principal, *, node_id: str, url: str,
             public_key: str, key_id: str, name: str = "",
             self_node: str | None = None) -> ExchangePeer:
    """``minsheng peer add``: the peer's address and a public key of it. Adding a known
    peer again updates its address and adds the key (a rotation done by hand)."""
    actor.require("exchange:operate")
    if node_id not in NODE_NAMES:
        raise invalid_field("node_id", "节点只能是 cq 或 sc", "node must be cq or sc")
    if node_id == (self_node or get_settings().node_id):
        raise invalid_field("node_id", "不能把本节点登记为对端", "a node is not its own peer")
    if not url.startswith(("http://", "https://")) or len(url) > 200:
        raise invalid_field("url", "地址须以 http:// 或 https:// 开头", "url must be http(s)")
    if not env.valid_public_key(public_key):
        raise invalid_field("public_key", "公钥不是有效的 Ed25519 公钥（Base64）",
                            "not a base64 Ed25519 public key")
    if not key_id or len(key_id) > 64:
        raise invalid_field("key_id", "密钥编号无效", "bad key id")
    peer = session.get(ExchangePeer, node_id)
    if peer is None:
        peer = ExchangePeer(node_id=node_id, url=url.rstrip("/"),
                            name=name or NODE_NAMES[node_id],
                            signing_key_id=own_key(session, self_node).key_id)
        session.add(peer)
    else:
        peer.url = url.rstrip("/")
        peer.name = name or peer.name
    session.flush()
    known = session.scalar(select(ExchangePeerKey).where(
        ExchangePeerKey.node_id == node_id, ExchangePeerKey.key_id == key_id))
    if known is None:
        session.add(ExchangePeerKey(node_id=node_id, key_id=key_id, public_key=public_key))
    elif known.public_key != public_key:
        raise Conflict("该密钥编号已登记了另一公钥", "that key id has another public key")
    session.flush()
    audit.record(session, actor=actor.username, action="exchange.peer_add",
                 subject_type="exchange_peer", subject_id=node_id,
                 payload={"url": peer.url, "key_id": key_id})
    return peer


def peers(session: Session) -> list[ExchangePeer]:
    return list(session.scalars(select(ExchangePeer).order_by(ExchangePeer.node_id)))


def rotate_key(session: Session, actor: Principal, node_id: str | None = None) -> ExchangeKey:
    """A new key pair, announced to every peer by an ``exchange.key`` envelope signed with
    the key the peer knows; each peer gets envelopes signed with the new key once it has
    acknowledged the announcement, and keeps the old key for the overlap period."""
    actor.require("exchange:operate")
    key = _new_key(session, node_id)
    for peer in peers(session):
        send(session, actor, peer.node_id, "exchange.key",
             {"key_id": key.key_id, "public_key": key.public_key})
    audit.record(session, actor=actor.username, action="exchange.rotate_key",
                 subject_type="exchange_key", subject_id=key.key_id, payload={})
    return key


# --- sending --------------------------------------------------------------------------


def send(session: Session, actor: Principal, recipient: str, kind: str,
         body: dict[str, Any] | BaseModel) -> str:
    """Put an envelope in the outbox, in the caller's transaction; its id."""
    if session.get(ExchangePeer, recipient) is None:
        raise Conflict(f"尚未登记对端节点 {NODE_NAMES.get(recipient, recipient)}",
                       f"peer {recipient} is not configured")
    known = kinds.get(kind)
    if known is None:
        raise invalid_field("kind", "不支持的报文类型", f"unknown envelope kind {kind}")
    data = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    known.schema.model_validate(data)
    envelope_id = str(uuid.uuid4())
    session.add(ExchangeOutbox(envelope_id=envelope_id, recipient=recipient, kind=kind,
                               body=env.canonical(data).decode("utf-8"), state="pending",
                               due_ms=now_ms(), actor=actor.username))
    session.flush()
    audit.record(session, actor=actor.username, action="exchange.send",
                 subject_type="envelope", subject_id=envelope_id,
                 payload={"kind": kind, "recipient": recipient})
    return envelope_id


def other_node(node_id: str | None = None) -> str:
    return "sc" if (node_id or get_settings().node_id) == "cq" else "cq"


# --- delivering -----------------------------------------------------------------------


@dataclass
class DeliveryReport:
    attempted: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def backoff_seconds(attempts: int, settings: Settings) -> float:
    """Exponential back-off with jitter: base × 2^(attempts−1), at most the cap."""
    ceiling = min(settings.exchange_retry_max_seconds,
                  settings.exchange_retry_base_seconds * 2 ** min(attempts - 1, 30))
    return float(ceiling * (0.5 + random.random() / 2))


def deliver_due(factory: sessionmaker[Session], client: httpx.Client, *,
                limit: int = 200, settings: Settings | None = None) -> DeliveryReport:
    """One pass of the delivery worker: every due envelope, oldest first, each posted to
    its peer and its outcome committed on its own (a crash loses no more than the one
    in flight, which is sent again and dropped by the peer as a duplicate)."""
    settings = settings or get_settings()
    report = DeliveryReport()
    with unit_of_work(factory) as session:
        due = session.execute(
            select(ExchangeOutbox.id, ExchangeOutbox.envelope_id, ExchangeOutbox.recipient,
                   ExchangeOutbox.kind, ExchangeOutbox.body, ExchangeOutbox.attempts,
                   ExchangePeer.url, ExchangePeer.signing_key_id)
            .join(ExchangePeer, ExchangePeer.node_id == ExchangeOutbox.recipient)
            .where(ExchangeOutbox.state == "pending", ExchangeOutbox.due_ms <= now_ms())
            .order_by(ExchangeOutbox.due_ms, ExchangeOutbox.id).limit(limit)).all()
        keys = {k.key_id: k.private_pem for k in session.scalars(select(ExchangeKey))}
        newest = own_key(session, settings.node_id)
    for row in due:
        key_id = row.signing_key_id if row.signing_key_id in keys else newest.key_id
        letter = env.sign(env.Envelope(
            id=row.envelope_id, sender=settings.node_id, recipient=row.recipient,
            kind=row.kind, sent_at=env.stamp(now_ms()), key_id=key_id,
            body=_loads(row.body)), keys.get(key_id, newest.private_pem))
        report.attempted += 1
        outcome, detail = _post(client, row.url, letter)
        with unit_of_work(factory) as session:
            if outcome == "delivered":
                report.delivered += 1
                session.execute(update(ExchangeOutbox).where(ExchangeOutbox.id == row.id)
                                .values(state="delivered", attempts=row.attempts + 1,
                                        delivered_at=utcnow(), last_error=""))
                if row.kind == "exchange.key":
                    session.execute(update(ExchangePeer)
                                    .where(ExchangePeer.node_id == row.recipient)
                                    .values(signing_key_id=_loads(row.body)["key_id"]))
            elif outcome == "failed":
                report.failed += 1
                report.errors.append(detail)
                session.execute(update(ExchangeOutbox).where(ExchangeOutbox.id == row.id)
                                .values(state="failed", attempts=row.attempts + 1,
                                        last_error=detail[:300]))
            else:
                report.retrying += 1
                report.errors.append(detail)
                wait = backoff_seconds(row.attempts + 1, settings)
                session.execute(update(ExchangeOutbox).where(ExchangeOutbox.id == row.id)
                                .values(attempts=row.attempts + 1, last_error=detail[:300],
                                        due_ms=now_ms() + int(wait * 1000)))
    return report


def _loads(text: str) -> dict[str, Any]:
    value = json.loads(text)
    assert isinstance(value, dict)
    return value


def _post(client: httpx.Client, url: str, letter: env.Envelope) -> tuple[str, str]:
    """``delivered``, ``retry`` or ``failed``, and what the peer (or the link) said."""
    try:
        response = client.post(url + INBOX_PATH, content=env.canonical(letter.to_json()),
                               headers={"content-type": "application/json"})
    except httpx.HTTPError as exc:
        return "retry", f"链路错误：{type(exc).__name__}"
    if response.status_code == 200:
        return "delivered", ""
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if not isinstance(answer, dict):
        answer = {}
    reason = str(answer.get("reason") or answer.get("message") or response.status_code)
    if response.status_code >= 500 or answer.get("retryable") is True:
        return "retry", f"对端 {response.status_code}：{reason}"
    return "failed", f"对端拒收 {response.status_code}：{reason}"


# --- receiving ------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    status_code: int
    body: dict[str, Any]


def receive(factory: sessionmaker[Session], raw: bytes, *,
            settings: Settings | None = None, at_ms: int | None = None) -> Outcome:
    """``POST /api/v1/exchange/inbox``: check the envelope's signature before anything
    else (unknown sender 403; unknown key, bad signature or a body that is not an
    envelope 401), then its recipient and replay window, then validate it and apply it
    in one transaction with its inbox row, whose key (the envelope id) turns a repeated
    delivery into a counted duplicate. Every refusal is kept with its reason and nothing
    of a refused envelope is applied."""
    settings = settings or get_settings()
    at_ms = now_ms() if at_ms is None else at_ms
    try:
        letter = env.parse(raw)
    except env.MalformedEnvelope as exc:
        return _reject(factory, None, "malformed", 401, detail=str(exc))
    with unit_of_work(factory) as session:
        peer_known = session.get(ExchangePeer, letter.sender) is not None
        public = session.scalar(select(ExchangePeerKey.public_key).where(
            ExchangePeerKey.node_id == letter.sender, ExchangePeerKey.key_id == letter.key_id,
            (ExchangePeerKey.valid_until_ms.is_(None))
            | (ExchangePeerKey.valid_until_ms > at_ms)))
    if not peer_known:
        return _reject(factory, letter, "unknown_peer", 403)
    if public is None:
        return _reject(factory, letter, "unknown_key", 401)
    if not env.verify(letter, public):
        return _reject(factory, letter, "bad_signature", 401)
    if letter.recipient != settings.node_id:
        return _reject(factory, letter, "wrong_recipient", 422)
    try:
        skew = abs(at_ms - letter.sent_at_ms())
    except env.MalformedEnvelope:
        return _reject(factory, letter, "malformed", 422, detail="sent_at")
    if skew > settings.exchange_window_seconds * 1000:
        return _reject(factory, letter, "outside_window", 422, retryable=True,
                       detail=f"{skew // 1000} s")
    known = kinds.get(letter.kind)
    if known is None:
        return _reject(factory, letter, "unknown_kind", 422)
    try:
        data = known.schema.model_validate(letter.body)
    except ValidationError as exc:
        first = exc.errors()[0]
        return _reject(factory, letter, "invalid", 422,
                       detail=".".join(str(p) for p in first["loc"]) + ": " + first["msg"])
    try:
        with unit_of_work(factory) as session:
            session.add(ExchangeInbox(envelope_id=letter.id, sender=letter.sender,
                                      kind=letter.kind, sent_at=letter.sent_at))
            session.flush()
            actor = node_principal(letter.sender)
            known.apply(session, kinds.Received(letter.id, letter.sender, actor), data)
            audit.record(session, actor=actor.username, action="exchange.apply",
                         subject_type="envelope", subject_id=letter.id,
                         payload={"kind": letter.kind, "sender": letter.sender})
    except IntegrityError:
        if _count_duplicate(factory, letter.id):
            return Outcome(200, {"id": letter.id, "status": "duplicate"})
        return _reject(factory, letter, "refused", 422, detail="与本节点已有记录冲突")
    except DomainError as exc:
        return _reject(factory, letter, "refused", 422, detail=exc.message)
    return Outcome(200, {"id": letter.id, "status": "applied"})


def _count_duplicate(factory: sessionmaker[Session], envelope_id: str) -> bool:
    with unit_of_work(factory) as session:
        done = session.execute(update(ExchangeInbox)
                               .where(ExchangeInbox.envelope_id == envelope_id)
                               .values(duplicates=ExchangeInbox.duplicates + 1))
        return bool(done.rowcount)  # type: ignore[attr-defined]


def _reject(factory: sessionmaker[Session], letter: env.Envelope | None, code: str,
            status: int, *, retryable: bool = False, detail: str = "") -> Outcome:
    reason = REASONS[code] + (f"（{detail}）" if detail else "")
    with unit_of_work(factory) as session:
        session.add(ExchangeRejection(
            envelope_id=letter.id[:64] if letter else "", sender=letter.sender[:16] if letter
            else "", kind=letter.kind[:64] if letter else "", reason_code=code,
            reason=reason[:300]))
    return Outcome(status, {"status": "rejected", "code": code, "reason": reason,
                            "retryable": retryable})


# --- the link test and key announcements ----------------------------------------------


class ProbeBody(BaseModel):
    seq: int


class KeyBody(BaseModel):
    key_id: str
    public_key: str


def apply_probe(session: Session, received: kinds.Received, body: ProbeBody) -> None:
    session.add(ExchangeProbe(envelope_id=received.envelope_id, sender=received.sender,
                              seq=body.seq))


def apply_key(session: Session, received: kinds.Received, body: KeyBody) -> None:
    """A peer's new key: known from now on; its other keys verify for the overlap."""
    if not env.valid_public_key(body.public_key):
        raise invalid_field("public_key", "公钥无效", "bad public key")
    until = now_ms() + get_settings().exchange_key_overlap_days * 86_400_000
    session.execute(update(ExchangePeerKey).where(
        ExchangePeerKey.node_id == received.sender, ExchangePeerKey.valid_until_ms.is_(None),
        ExchangePeerKey.key_id != body.key_id).values(valid_until_ms=until))
    if session.scalar(select(ExchangePeerKey.id).where(
            ExchangePeerKey.node_id == received.sender,
            ExchangePeerKey.key_id == body.key_id)) is None:
        session.add(ExchangePeerKey(node_id=received.sender, key_id=body.key_id,
                                    public_key=body.public_key))


KINDS = (
    kinds.EnvelopeKind("exchange.probe", "链路测试", ProbeBody, apply_probe),
    kinds.EnvelopeKind("exchange.key", "签名密钥更新", KeyBody, apply_key),
)


def probe(session: Session, actor: Principal, recipient: str, count: int) -> list[str]:
    """``minsheng exchange ping``: ``count`` link-test envelopes to a peer."""
    actor.require("exchange:operate")
    if not 1 <= count <= 100_000:
        raise invalid_field("count", "数量应在 1 到 100000 之间", "count must be 1..100000")
    return [send(session, actor, recipient, "exchange.probe", {"seq": n})
            for n in range(1, count + 1)]


# --- status and retry -----------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    outbox: dict[str, int]
    inbox: dict[str, int]
    oldest_pending_seconds: float | None
    probes: int

    def as_json(self) -> dict[str, Any]:
        return {"outbox": self.outbox, "inbox": self.inbox,
                "oldest_pending_seconds": self.oldest_pending_seconds,
                "probes": self.probes}


def status(session: Session) -> Status:
    counts = dict(session.execute(select(ExchangeOutbox.state, func.count())
                                  .group_by(ExchangeOutbox.state)).all())
    applied, duplicates = session.execute(select(
        func.count(), func.coalesce(func.sum(ExchangeInbox.duplicates), 0))).one()
    rejected = session.scalar(select(func.count()).select_from(ExchangeRejection)) or 0
    oldest = session.scalar(select(func.min(ExchangeOutbox.created_at))
                            .where(ExchangeOutbox.state == "pending"))
    age = None
    if oldest is not None:
        moment = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
        age = round((datetime.now(UTC) - moment).total_seconds(), 1)
    return Status(
        outbox={s: int(counts.get(s, 0)) for s in ("pending", "delivered", "failed")},
        inbox={"applied": int(applied), "rejected": int(rejected),
               "duplicates_dropped": int(duplicates)},
        oldest_pending_seconds=age,
        probes=session.scalar(select(func.count()).select_from(ExchangeProbe)) or 0)


def retry(session: Session, actor: Principal, ids: Iterable[int] | None = None) -> int:
    """Send failed envelopes again (all of them, or those given); how many."""
    actor.require("exchange:operate")
    stmt = update(ExchangeOutbox).where(ExchangeOutbox.state == "failed")
    if ids is not None:
        chosen = list(ids)
        if not chosen:
            return 0
        stmt = stmt.where(ExchangeOutbox.id.in_(chosen))
    count = session.execute(stmt.values(state="pending", due_ms=now_ms(),
                                        attempts=0)).rowcount  # type: ignore[attr-defined]
    audit.record(session, actor=actor.username, action="exchange.retry",
                 subject_type="exchange_outbox", subject_id="failed" if ids is None else
                 ",".join(map(str, chosen))[:64], payload={"count": count})
    return int(count)


def submissions(session: Session, actor: str, limit: int = 20) -> list[ExchangeOutbox]:
    """What ``actor`` sent to the other node (link tests and key notices left out),
    newest first: the counter's own 川渝通办 list."""
    return list(session.scalars(select(ExchangeOutbox).where(
        ExchangeOutbox.actor == actor, ExchangeOutbox.kind.not_like("exchange.%"))
        .order_by(ExchangeOutbox.id.desc()).limit(limit)))


def recent_rejections(session: Session, limit: int = 50) -> list[ExchangeRejection]:
    return list(session.scalars(select(ExchangeRejection)
                                .order_by(ExchangeRejection.id.desc()).limit(limit)))


def failed_outbox(session: Session, limit: int = 50) -> list[ExchangeOutbox]:
    return list(session.scalars(select(ExchangeOutbox).where(ExchangeOutbox.state == "failed")
                                .order_by(ExchangeOutbox.id.desc()).limit(limit)))


def outbox_entry(session: Session, outbox_id: int) -> ExchangeOutbox:
    row = session.get(ExchangeOutbox, outbox_id)
    if row is None:
        raise NotFound("报文不存在", "no such envelope")
    return row
