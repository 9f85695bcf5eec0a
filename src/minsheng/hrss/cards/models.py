"""Social security cards (社会保障卡), their history, and electronic-card issuances."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Sequence,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.platform.db import Base, Timestamped, utcnow

CARD_STATES = ("applied", "issued", "active", "loss_reported_temporary", "loss_reported",
               "replaced", "cancelled")
_STATE_LIST = ",".join(f"'{s}'" for s in CARD_STATES)
#: ``WHERE`` of the partial unique index: one live (not replaced or cancelled) card a person.
LIVE_CARD = "state NOT IN ('replaced','cancelled')"

#: Serial numbers of card numbers on PostgreSQL (on SQLite, whose writers are serialised,
#: the next number is the highest one plus one).
CARD_NO_SEQUENCE = Sequence("social_security_card_no_seq", metadata=Base.metadata)


class SocialSecurityCard(Timestamped, Base):
    """One physical card. ``card_no`` is the business number (node code + 9 digits).
    Scope region: the holder's ``person.residence_region``."""

    __tablename__ = "social_security_card"
    __table_args__ = (
        CheckConstraint(f"state IN ({_STATE_LIST})", name="state"),
        # The state before a loss report is remembered exactly while one is in force,
        # and it is issued or active (rules.RESTORABLE_STATES).
        CheckConstraint(
            "(state IN ('loss_reported_temporary','loss_reported')"
            " AND previous_state IN ('issued','active'))"
            " OR (state NOT IN ('loss_reported_temporary','loss_reported')"
            " AND previous_state IS NULL)",
            name="previous_state"),
        Index("uq_social_security_card_live_person", "person_id", unique=True,
              sqlite_where=text(LIVE_CARD), postgresql_where=text(LIVE_CARD)),
        Index("ix_social_security_card_temporary_report", "state", "loss_reported_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_no: Mapped[str] = mapped_column(String(16), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    state: Mapped[str] = mapped_column(String(32))
    #: While a loss report is in force: the state before it (issued or active).
    previous_state: Mapped[str | None] = mapped_column(String(32), nullable=True)
    loss_reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                              nullable=True)
    #: The card that replaced this one (补换).
    replaced_by: Mapped[str | None] = mapped_column(
        ForeignKey("social_security_card.card_no"), nullable=True)
    replacement_reason: Mapped[str] = mapped_column(String(16), default="")
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CardEvent(Base):
    """One transition of a card: the history shown at the counter."""

    __tablename__ = "card_event"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("social_security_card.id"), index=True)
    event: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(32), nullable=True)
    to_state: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(200), default="")
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ECard(Base):
    """One electronic card token (电子社保卡 QR) issued to a person for an active card."""

    __tablename__ = "e_card"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_id: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("social_security_card.id"), index=True)
    issued_by: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
