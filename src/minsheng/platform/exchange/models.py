"""The exchange between nodes (川渝通办): keys, peers, the outbox, the inbox, rejections.

One node is one province's system with its own database (``MINSHENG_NODE_ID``). What a
node sends is written to ``exchange_outbox`` in the transaction of the business change;
what it receives is applied in one transaction together with its ``exchange_inbox`` row,
whose primary key (the envelope id) makes a second delivery a dropped duplicate.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.platform.db import Base, utcnow

#: Epoch milliseconds: schedules compare as integers on every database.
Millis = BigInteger().with_variant(Integer, "sqlite")


class ExchangeKey(Base):
    """One of this node's Ed25519 key pairs. The newest is used for a peer once the peer
    has acknowledged it (``ExchangePeer.signing_key_id``); older keys stay until retired."""

    __tablename__ = "exchange_key"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: PKCS#8 PEM of the private key (the node's database is its key store).
    private_pem: Mapped[str] = mapped_column(Text)
    #: Raw public key, base64.
    public_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExchangePeer(Base):
    """Another node this node exchanges with (``minsheng peer add``)."""

    __tablename__ = "exchange_peer"

    node_id: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(32), default="")
    #: Base address of the peer's API, e.g. ``https://sc.example.gov.cn``.
    url: Mapped[str] = mapped_column(String(200))
    #: This node's key the peer has acknowledged, used to sign what goes to it.
    signing_key_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExchangePeerKey(Base):
    """A public key of a peer. A rotated-out key stays valid until ``valid_until_ms``
    (the overlap period), so envelopes signed before the rotation still verify."""

    __tablename__ = "exchange_peer_key"
    __table_args__ = (UniqueConstraint("node_id", "key_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    node_id: Mapped[str] = mapped_column(ForeignKey("exchange_peer.node_id"), index=True)
    key_id: Mapped[str] = mapped_column(String(64))
    public_key: Mapped[str] = mapped_column(String(64))
    valid_until_ms: Mapped[int | None] = mapped_column(Millis, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExchangeOutbox(Base):
    """An envelope to send: ``pending`` until the peer acknowledges it (``delivered``) or
    refuses it for good (``failed``, with the peer's reason)."""

    __tablename__ = "exchange_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    envelope_id: Mapped[str] = mapped_column(String(36), unique=True)
    recipient: Mapped[str] = mapped_column(ForeignKey("exchange_peer.node_id"))
    kind: Mapped[str] = mapped_column(String(64))
    #: The envelope's body, canonical JSON.
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: When the worker may try next (epoch ms); the back-off moves it on.
    due_ms: Mapped[int] = mapped_column(Millis, index=True)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                          nullable=True)
    actor: Mapped[str] = mapped_column(String(64), default="")


class ExchangeInbox(Base):
    """An envelope applied here: at most one row per envelope id, written in the same
    transaction as its effect. Later deliveries of it are counted, not applied."""

    __tablename__ = "exchange_inbox"

    envelope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sender: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[str] = mapped_column(String(40))
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)


class ExchangeRejection(Base):
    """An envelope refused here, with the reason; nothing of it was applied."""

    __tablename__ = "exchange_rejection"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    envelope_id: Mapped[str] = mapped_column(String(64), default="")
    sender: Mapped[str] = mapped_column(String(16), default="")
    kind: Mapped[str] = mapped_column(String(64), default="")
    #: ``malformed``, ``unknown_peer``, ``unknown_key``, ``bad_signature``,
    #: ``wrong_recipient``, ``outside_window``, ``unknown_kind``, ``invalid``, ``refused``.
    reason_code: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(300))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExchangeProbe(Base):
    """The effect of a link test (``exchange.probe``): one row per application, with no
    key of its own, so that a duplicate application would show as a second row."""

    __tablename__ = "exchange_probe"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    envelope_id: Mapped[str] = mapped_column(String(36), index=True)
    sender: Mapped[str] = mapped_column(String(8))
    seq: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
