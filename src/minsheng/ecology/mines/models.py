"""Mines (矿山), ecological red-line zones (生态保护红线) and mine closures (关闭矿山).

Scope region of every record: its ``region`` (the district, GB/T 2260).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.ecology.kernel.footprint import SiteFootprint
from minsheng.platform.db import Base, Timestamped
from minsheng.platform.money import Money

SITE_KINDS = ("mine", "waste_stack")
MINING_METHODS = ("open_pit", "underground")
MINE_STATUSES = ("operating", "suspended", "closed", "abandoned")
CLOSURE_REASONS = ("red_line", "sensitive_zone", "other")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Mine(SiteFootprint, Timestamped, Base):
    """A mine (or a mining-waste stack such as a phosphogypsum stack) with its mining
    right, operator and boundary polygon."""

    __tablename__ = "mine"
    __table_args__ = (
        CheckConstraint(_in("site_kind", SITE_KINDS), name="site_kind"),
        CheckConstraint(_in("mining_method", MINING_METHODS), name="mining_method"),
        CheckConstraint(_in("status", MINE_STATUSES), name="status"),
        Index("ix_mine_region", "region", postgresql_ops={"region": "varchar_pattern_ops"}),
        Index("ix_mine_bbox", "min_lon", "max_lon", "min_lat", "max_lat"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    region: Mapped[str] = mapped_column(String(6))
    township: Mapped[str] = mapped_column(String(64), default="")
    site_kind: Mapped[str] = mapped_column(String(16), default="mine")
    #: 采矿许可证号; none for legacy sites without a right.
    mining_right_no: Mapped[str | None] = mapped_column(String(32), unique=True, nullable=True)
    mineral: Mapped[str] = mapped_column(String(64))
    mining_method: Mapped[str] = mapped_column(String(16))
    operator_name: Mapped[str] = mapped_column(String(128), default="")
    operator_uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    #: Volume of a waste stack (m³), e.g. the 18 million m³ phosphogypsum stack.
    waste_volume_m3: Mapped[Decimal | None] = mapped_column(Numeric(16, 2), nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class RedLineZone(SiteFootprint, Timestamped, Base):
    """A zone of the ecological protection red line (自然资发〔2022〕142号)."""

    __tablename__ = "ecological_red_line_zone"
    __table_args__ = (
        Index("ix_ecological_red_line_zone_region", "region",
              postgresql_ops={"region": "varchar_pattern_ops"}),
        Index("ix_ecological_red_line_zone_bbox", "min_lon", "max_lon", "min_lat", "max_lat"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    region: Mapped[str] = mapped_column(String(6))
    #: Ecological function: 水源涵养, 生物多样性维护, 水土保持 ... (free text, from the plan).
    function: Mapped[str] = mapped_column(String(32), default="")
    #: The approval that delimits the zone.
    source: Mapped[str] = mapped_column(String(200), default="")


class MineClosure(Timestamped, Base):
    """关闭矿山: one closure of one mine, with its investment (compensation, works)."""

    __tablename__ = "mine_closure"
    __table_args__ = (
        CheckConstraint(_in("reason", CLOSURE_REASONS), name="reason"),
        CheckConstraint("investment >= 0", name="investment"),
        Index("ix_mine_closure_region_date", "region", "closed_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mine_id: Mapped[int] = mapped_column(ForeignKey("mine.id"), unique=True)
    region: Mapped[str] = mapped_column(String(6))
    closed_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(16))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("ecological_red_line_zone.id"),
                                                nullable=True)
    investment: Mapped[Decimal] = mapped_column(Money)
    notes: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(64))
