"""Talent service card records: the tiers and the service catalogue (dated rulebook
data), the cards with their applications, and the services booked on a card.

A card's ``region`` is the holder's district of residence when the application was
made; staff see the cards and bookings of their region.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.hrss.talentcard.rules import describe_bases
from minsheng.platform.db import Base, Timestamped
from minsheng.platform.rulebook import RegionalParameter, parameter_checks

CARD_STATES = "('applied','approved','refused','active','revoked','expired')"


class TalentCardTier(RegionalParameter, Base):
    """A tier of the card (英才服务卡 A/B/C 卡): who may hold it — its eligible bases as
    data, ``"title:正高,skill_level:1,category:A"`` (``rules.parse_bases``) — and how many
    years a card of the tier is valid."""

    __tablename__ = "talent_card_tier"
    __table_args__ = (
        UniqueConstraint("code", "region_prefix", "valid_from", name="uq_talent_card_tier"),
        CheckConstraint("validity_years BETWEEN 1 AND 10", name="validity"),
        *parameter_checks(),
    )
    rulebook_label = "英才服务卡等级"
    rulebook_order = 120

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(40))
    eligible_bases: Mapped[str] = mapped_column(String(500))
    validity_years: Mapped[int] = mapped_column(Integer)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("等级", f"{self.name}（{self.code}）"),
                ("申领条件", describe_bases(self.eligible_bases)),
                ("有效期", f"{self.validity_years} 年")]


class TalentServiceItem(RegionalParameter, Base):
    """A service of the catalogue (服务清单): who provides it and within how many working
    days of the request."""

    __tablename__ = "talent_service_item"
    __table_args__ = (
        UniqueConstraint("code", "region_prefix", "valid_from", name="uq_talent_service_item"),
        CheckConstraint("sla_workdays BETWEEN 0 AND 250", name="sla"),
        *parameter_checks(),
    )
    rulebook_label = "英才服务卡服务清单"
    rulebook_order = 121

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(40))
    provider: Mapped[str] = mapped_column(String(100))
    sla_workdays: Mapped[int] = mapped_column(Integer)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("服务", self.name), ("承办单位", self.provider),
                ("办理时限", f"{self.sla_workdays} 个工作日")]


class TalentCard(Timestamped, Base):
    """An application for a card and, once issued, the card (``card_no``)."""

    __tablename__ = "talent_card"
    __table_args__ = (
        CheckConstraint(f"state IN {CARD_STATES}", name="state"),
        CheckConstraint("basis_kind IN ('category','title','skill_level','direct')",
                        name="basis_kind"),
        CheckConstraint("state NOT IN ('active','revoked','expired') OR "
                        "(card_no IS NOT NULL AND valid_until IS NOT NULL)", name="issued"),
        Index("ix_talent_card_region_state", "region", "state"),
        Index("ix_talent_card_person", "person_id"),
        Index("ix_talent_card_valid_until", "state", "valid_until"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_no: Mapped[str | None] = mapped_column(String(24), unique=True, nullable=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    region: Mapped[str] = mapped_column(String(6))
    tier: Mapped[str] = mapped_column(String(16))
    basis_kind: Mapped[str] = mapped_column(String(16))
    basis_value: Mapped[str] = mapped_column(String(40))
    basis_note: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(12), default="applied")
    applied_on: Mapped[date] = mapped_column(Date)
    applied_by: Mapped[str] = mapped_column(String(64))
    reviewed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    review_note: Mapped[str] = mapped_column(String(200), default="")
    issued_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    renewed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    revoked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    revoke_reason: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class TalentServiceBooking(Timestamped, Base):
    """A service booked on a card: due by the provider's deadline, delivered and rated."""

    __tablename__ = "talent_service_booking"
    __table_args__ = (
        CheckConstraint("state IN ('requested','delivered')", name="state"),
        CheckConstraint("(state = 'delivered') = (delivered_on IS NOT NULL)", name="delivered"),
        CheckConstraint("delivered_on IS NULL OR delivered_on >= requested_on",
                        name="delivery_date"),
        CheckConstraint("satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5",
                        name="satisfaction"),
        Index("ix_talent_service_booking_due", "region", "state", "due_on"),
        Index("ix_talent_service_booking_card", "card_id"),
        Index("ix_talent_service_booking_delivered", "delivered_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("talent_card.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    region: Mapped[str] = mapped_column(String(6))
    service_code: Mapped[str] = mapped_column(String(32))
    service_name: Mapped[str] = mapped_column(String(40))
    provider: Mapped[str] = mapped_column(String(100))
    requested_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    due_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[str] = mapped_column(String(12), default="requested")
    delivered_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    delivered_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    satisfaction: Mapped[int | None] = mapped_column(Integer, nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    booked_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
