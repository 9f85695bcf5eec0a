"""Accounts, roles and the audit chain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.platform.db import Base, Timestamped, utcnow


class UserAccount(Timestamped, Base):
    """A person who signs in: staff (with a role and a region scope), citizen or employer."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    #: GB/T 2260 code whose prefix bounds what the account may see ("" = everywhere).
    region_code: Mapped[str] = mapped_column(String(6), default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class AuditEvent(Base):
    """One audit event. It is written in the business transaction without any lock
    (``seq``: the database's insertion order) and sealed into the chain right after
    that transaction commits (``security.audit.seal``): ``link`` is its position in the
    chain and ``hash = SM3(prev_hash || canonical(event))``. Until sealed, ``link``,
    ``prev_hash`` and ``hash`` are empty."""

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text, default="{}")
    link: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                             nullable=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hash: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        Index("ix_audit_event_link", "link", unique=True),
        Index("ix_audit_event_unsealed", "seq", postgresql_where=text("link IS NULL"),
              sqlite_where=text("link IS NULL")),
        #: A person's history (``security.history``): the events of given subjects.
        Index("ix_audit_event_subject", "subject_type", "subject_id", "seq"),
    )


class AuditChainHead(Base):
    """The chain's tip: the last sealed ``link`` (column ``seq``) and its hash. Sealing
    locks this single row (``FOR UPDATE``); appending events does not."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    hash: Mapped[str] = mapped_column(String(64))


class AppSecret(Base):
    """Secrets generated at ``minsheng init`` when none is configured."""

    __tablename__ = "app_secret"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))


class AuthSession(Base):
    """One sign-in: a browser session cookie or an API bearer token carries this row's id
    (``sid``) and is honoured only while the row is not revoked (sign-out, password change).
    """

    __tablename__ = "auth_session"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: ``page`` (session cookie) or ``api`` (bearer token).
    channel: Mapped[str] = mapped_column(String(8))
    client_address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class LoginThrottle(Base):
    """Failed sign-ins counted per account name or per client address within a window;
    at the limit the key is locked until ``locked_until`` (``None``: until lifted)."""

    __tablename__ = "login_throttle"

    #: ``account`` (the user name as typed) or ``address`` (the client's IP address).
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    locked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
