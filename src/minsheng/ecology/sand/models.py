"""Surplus sand and gravel disposal (剩余砂石处置): cases tied to a construction project's
approved red-line polygon. Scope region: ``region``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.ecology.kernel.footprint import SiteFootprint
from minsheng.platform.db import Base, Timestamped
from minsheng.platform.money import Money
from minsheng.platform.rulebook import RegionalParameter, parameter_checks

Volume = Numeric(14, 2)
CASE_STATES = ("registered", "in_notice", "auctioned")


class SurplusAggregateCase(SiteFootprint, Timestamped, Base):
    """One disposal: the project, the volumes, the utilisation plan, the public notice,
    the auction on the public-resource trading platform (recorded, not integrated) and
    the revenue with its split between the city and the district."""

    __tablename__ = "surplus_aggregate_case"
    __table_args__ = (
        CheckConstraint("state IN ('registered','in_notice','auctioned')", name="state"),
        CheckConstraint("project_use_m3 <= estimated_volume_m3", name="volumes"),
        CheckConstraint("city_share_ppm IS NULL OR city_share_ppm BETWEEN 0 AND 1000000",
                        name="city_share"),
        Index("ix_surplus_aggregate_case_region", "region",
              postgresql_ops={"region": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(32), unique=True)
    project_name: Mapped[str] = mapped_column(String(128))
    region: Mapped[str] = mapped_column(String(6))
    #: Sand, stone and earth dug inside the approved project red line (m³).
    estimated_volume_m3: Mapped[Decimal] = mapped_column(Volume)
    #: Of which the project itself uses (m³); the rest is surplus for disposal.
    project_use_m3: Mapped[Decimal] = mapped_column(Volume, default=Decimal("0"))
    utilisation_plan: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(12), default="registered")
    notice_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    notice_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    trading_platform: Mapped[str] = mapped_column(String(128), default="")
    lot_no: Mapped[str] = mapped_column(String(64), default="")
    auction_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    buyer: Mapped[str] = mapped_column(String(128), default="")
    revenue: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    city_share_ppm: Mapped[int | None] = mapped_column(Integer, nullable=True)
    city_amount: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    district_amount: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class SandNoticeRule(RegionalParameter, Base):
    """公示期: the working days the utilisation plan and volumes of a case are published
    before the auction, in force for the case's region in the month the notice starts
    (Linyi practice, ◐: ``reference/ecology-and-performance.md`` §1.5). A case may set
    its own period; this is the default."""

    __tablename__ = "sand_notice_rule"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", name="uq_sand_notice_rule"),
        CheckConstraint("workdays BETWEEN 1 AND 60", name="workdays"),
        *parameter_checks(),
    )
    rulebook_label = "剩余砂石处置公示期"
    rulebook_order = 210

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workdays: Mapped[int] = mapped_column(Integer)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("公示期（默认）", f"{self.workdays} 个工作日")]
