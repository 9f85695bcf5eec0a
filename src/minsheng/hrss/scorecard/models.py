"""Plan targets of the scorecard (规划目标) and the cache of computed figures."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.platform.db import Base, utcnow


class ScorecardTarget(Base):
    """A plan target a bureau set for an indicator in a region over a span of years
    (e.g. 养老保险参保率 ≥ 95 % in 50 重庆市, 2016–2020). The most specific region and the
    latest span that covers a scorecard's period apply."""

    __tablename__ = "scorecard_target"
    __table_args__ = (
        UniqueConstraint("indicator_id", "region", "first_year"),
        CheckConstraint("direction IN ('>=','<=')", name="direction"),
        CheckConstraint("first_year <= last_year", name="years"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[str] = mapped_column(String(64), index=True)
    #: GB/T 2260 prefix ("50" the city, "500102" a district).
    region: Mapped[str] = mapped_column(String(6))
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(2))
    value: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    note: Mapped[str] = mapped_column(String(200), default="")
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class ScorecardSnapshot(Base):
    """The figures of one indicator for one cut, as computed at ``audit_seq`` (the head of
    the audit chain then) and ``audit_last_event`` (the newest audit event then, sealed
    or not). Valid while no change has been audited since: every state change writes an
    audit event, so the chain is the data's version."""

    __tablename__ = "scorecard_snapshot"

    indicator_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    region: Mapped[str] = mapped_column(String(6), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    by_district: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    #: ``{"district or empty": [numerator, denominator or null]}`` as JSON.
    figures: Mapped[str] = mapped_column(Text)
    audit_seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    audit_last_event: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), default=0, server_default="0")
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
