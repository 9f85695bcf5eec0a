"""Green-mine assessment (绿色矿山): versioned indicator sets stored as data, and the
score sheets of mines assessed against them with their construction metrics.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.ecology.kernel.footprint import AreaM2
from minsheng.platform.db import Base, Timestamped
from minsheng.platform.money import Money

Points = Numeric(7, 2)


class GreenMineIndicatorSet(Timestamped, Base):
    """One published version of the indicators (the 2020 national set out of 1,000, the
    2024 set out of 100, a provincial variant ...). Never edited once used: a change is a
    new set with a new ``code``."""

    __tablename__ = "green_mine_indicator_set"
    __table_args__ = (
        CheckConstraint("max_score > 0", name="max_score"),
        CheckConstraint("pass_score IS NULL OR (pass_score > 0 AND pass_score <= max_score)",
                        name="pass_score"),
        CheckConstraint("category_floor_ppm IS NULL OR category_floor_ppm BETWEEN 1 AND 1000000",
                        name="category_floor"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    max_score: Mapped[Decimal] = mapped_column(Points)
    #: The pass line (800 of 1,000 in 2020); none when the set does not state one.
    pass_score: Mapped[Decimal | None] = mapped_column(Points, nullable=True)
    #: Each category must reach this share of its maximum (75 % = 750000 ppm in 2020).
    category_floor_ppm: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: JSON list of {"code", "text"}: conditions checked before any scoring.
    preconditions: Mapped[str] = mapped_column(Text, default="[]")
    source: Mapped[str] = mapped_column(Text, default="")
    effective_from: Mapped[date | None] = mapped_column(Date, nullable=True)


class GreenMineCategory(Base):
    """A first-level indicator (一级指标) with its maximum points."""

    __tablename__ = "green_mine_category"
    __table_args__ = (UniqueConstraint("set_id", "code", name="uq_green_mine_category_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("green_mine_indicator_set.id"))
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    max_score: Mapped[Decimal] = mapped_column(Points)
    position: Mapped[int] = mapped_column(Integer, default=0)


class GreenMineIndicator(Base):
    """A scored item of a category, with its maximum points."""

    __tablename__ = "green_mine_indicator"
    __table_args__ = (UniqueConstraint("set_id", "code", name="uq_green_mine_indicator_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_id: Mapped[int] = mapped_column(ForeignKey("green_mine_indicator_set.id"))
    category_id: Mapped[int] = mapped_column(ForeignKey("green_mine_category.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    max_score: Mapped[Decimal] = mapped_column(Points)
    position: Mapped[int] = mapped_column(Integer, default=0)


class GreenMineAssessment(Timestamped, Base):
    """A mine's score sheet against one indicator set, its verdict and the
    construction metrics of its green-mine works. Scope region: ``region``."""

    __tablename__ = "green_mine_assessment"
    __table_args__ = (
        Index("ix_green_mine_assessment_region_date", "region", "assessed_date"),
        Index("ix_green_mine_assessment_mine", "mine_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mine_id: Mapped[int] = mapped_column(ForeignKey("mine.id"))
    set_id: Mapped[int] = mapped_column(ForeignKey("green_mine_indicator_set.id"))
    region: Mapped[str] = mapped_column(String(6))
    assessed_date: Mapped[date] = mapped_column(Date)
    assessor: Mapped[str] = mapped_column(String(128), default="")
    #: JSON {code: {"met": bool, "evidence": str}} of the preconditions.
    preconditions: Mapped[str] = mapped_column(Text, default="{}")
    total_score: Mapped[Decimal] = mapped_column(Points)
    #: None when the set has no pass line (scores recorded, no verdict).
    passed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    #: JSON list of {"zh", "en"}: why it failed or has no verdict (empty when it passed).
    reasons: Mapped[str] = mapped_column(Text, default="[]")
    #: Green-mine construction investment (绿色矿山建设投入).
    investment: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    industrial_square_m2: Mapped[Decimal] = mapped_column(AreaM2, default=Decimal("0"))
    enclosed_workshop_m2: Mapped[Decimal] = mapped_column(AreaM2, default=Decimal("0"))
    greening_m2: Mapped[Decimal] = mapped_column(AreaM2, default=Decimal("0"))
    trees_planted: Mapped[int] = mapped_column(Integer, default=0)
    roads_hardened_m: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    reclaimed_m2: Mapped[Decimal] = mapped_column(AreaM2, default=Decimal("0"))
    actor: Mapped[str] = mapped_column(String(64))


class GreenMineScore(Base):
    """One item of a score sheet with its evidence."""

    __tablename__ = "green_mine_score"
    __table_args__ = (
        UniqueConstraint("assessment_id", "indicator_id", name="uq_green_mine_score_item"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("green_mine_assessment.id"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("green_mine_indicator.id"))
    score: Mapped[Decimal] = mapped_column(Points)
    evidence: Mapped[str] = mapped_column(Text, default="")
