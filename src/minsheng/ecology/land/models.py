"""Land consolidation projects (土地综合整治). Scope region: ``region``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Date, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.ecology.kernel.footprint import SiteFootprint
from minsheng.platform.db import Base, Timestamped
from minsheng.platform.money import Money

Mu = Numeric(12, 2)


class LandConsolidationProject(SiteFootprint, Timestamped, Base):
    """A project with its boundary (consolidated area = the polygon's area), investment,
    new cultivated land and high-standard farmland (both in 亩), dates and location."""

    __tablename__ = "land_consolidation_project"
    __table_args__ = (
        CheckConstraint("investment >= 0", name="investment"),
        CheckConstraint("new_cultivated_mu >= 0 AND high_standard_farmland_mu >= 0",
                        name="mu"),
        CheckConstraint("acceptance_date IS NULL OR start_date IS NULL "
                        "OR acceptance_date >= start_date", name="dates"),
        Index("ix_land_consolidation_project_region", "region",
              postgresql_ops={"region": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    region: Mapped[str] = mapped_column(String(6))
    township: Mapped[str] = mapped_column(String(64), default="")
    villages: Mapped[str] = mapped_column(String(200), default="")
    #: 全域土地综合整治国家试点 and the like.
    national_pilot: Mapped[bool] = mapped_column(Boolean, default=False)
    investment: Mapped[Decimal] = mapped_column(Money)
    new_cultivated_mu: Mapped[Decimal] = mapped_column(Mu, default=Decimal("0"))
    high_standard_farmland_mu: Mapped[Decimal] = mapped_column(Mu, default=Decimal("0"))
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    acceptance_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
