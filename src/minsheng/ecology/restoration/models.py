"""Per-mine restoration plans (一矿一策), quarterly progress with photos, and the
substituted-restoration cases (代为修复) with their event history.

Scope region: ``region`` (copied from the mine when the plan is filed).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.ecology.kernel.footprint import AreaM2
from minsheng.platform.db import Base, Timestamped, utcnow
from minsheng.platform.money import Money
from minsheng.platform.rulebook import RegionalParameter, parameter_checks

MODES = ("natural", "assisted", "engineered")
LAND_USES = ("farmland", "forest", "grassland", "built_land", "water")
PLAN_STATUSES = ("planned", "in_progress", "accepted")
CASE_STATES = ("plan_filed", "fund_deposited", "obligor_performing", "reminder_issued",
               "obligor_defaulted", "government_takeover", "deposit_drawn",
               "shortfall_recovery", "accepted", "notice_published")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class RestorationPlan(Timestamped, Base):
    """一矿一策: the restoration plan of one closed or abandoned mine."""

    __tablename__ = "restoration_plan"
    __table_args__ = (
        CheckConstraint(_in("mode", MODES), name="mode"),
        CheckConstraint(_in("target_land_use", LAND_USES), name="target_land_use"),
        CheckConstraint(_in("status", PLAN_STATUSES), name="status"),
        CheckConstraint("planned_area_m2 > 0", name="planned_area"),
        CheckConstraint("(status = 'accepted') = (accepted_date IS NOT NULL)", name="accepted"),
        Index("ix_restoration_plan_region_accepted", "region", "accepted_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mine_id: Mapped[int] = mapped_column(ForeignKey("mine.id"), unique=True)
    region: Mapped[str] = mapped_column(String(6))
    mode: Mapped[str] = mapped_column(String(12))
    target_land_use: Mapped[str] = mapped_column(String(12))
    planned_area_m2: Mapped[Decimal] = mapped_column(AreaM2)
    budget: Mapped[Decimal] = mapped_column(Money)
    #: 复垦/修复义务人; none for legacy sites (the county government restores them).
    obligor_name: Mapped[str | None] = mapped_column(String(128), nullable=True)
    obligor_uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="planned")
    accepted_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    accepted_area_m2: Mapped[Decimal | None] = mapped_column(AreaM2, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class RestorationProgress(Base):
    """A quarterly progress report: area restored and money spent in the quarter."""

    __tablename__ = "restoration_progress"
    __table_args__ = (
        UniqueConstraint("plan_id", "quarter", name="uq_restoration_progress_plan_quarter"),
        CheckConstraint("area_restored_m2 >= 0 AND money_spent >= 0", name="amounts"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("restoration_plan.id"))
    #: ``YYYYQ``: 20203 is the third quarter of 2020.
    quarter: Mapped[int] = mapped_column(Integer)
    area_restored_m2: Mapped[Decimal] = mapped_column(AreaM2)
    money_spent: Mapped[Decimal] = mapped_column(Money)
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(64))
    reported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RestorationPhoto(Base):
    """A photo attached to a progress report (JPEG, PNG or WebP, kept in the database)."""

    __tablename__ = "restoration_photo"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    progress_id: Mapped[int] = mapped_column(ForeignKey("restoration_progress.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    actor: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SubstitutedRestorationCase(Timestamped, Base):
    """代为修复: the supervision of an obligor's restoration, up to the government
    taking it over, drawing on the deposit and recovering any shortfall."""

    __tablename__ = "substituted_restoration_case"
    __table_args__ = (
        CheckConstraint(_in("state", CASE_STATES), name="state"),
        CheckConstraint("default_kind IS NULL OR default_kind IN ('refused','unable')",
                        name="default_kind"),
        CheckConstraint("recovered_amount <= receivable_amount", name="recovered"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(32), unique=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("restoration_plan.id"), unique=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    state: Mapped[str] = mapped_column(String(24), default="plan_filed")
    filed_date: Mapped[date] = mapped_column(Date)
    #: The fund-supervision (tri-party) agreement and the deposit under it.
    deposit_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    deposit_bank: Mapped[str] = mapped_column(String(128), default="")
    agreement_no: Mapped[str] = mapped_column(String(64), default="")
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    default_kind: Mapped[str | None] = mapped_column(String(8), nullable=True)
    contractor: Mapped[str] = mapped_column(String(128), default="")
    cost_estimate: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    actual_cost: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    assessment_fee: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    drawn_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    refund_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    receivable_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    recovered_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    notice_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    notice_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class SubstitutedRestorationEvent(Base):
    """One step of a case: the timeline shown on the case page."""

    __tablename__ = "substituted_restoration_event"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("substituted_restoration_case.id"),
                                         index=True)
    action: Mapped[str] = mapped_column(String(24))
    from_state: Mapped[str | None] = mapped_column(String(24), nullable=True)
    to_state: Mapped[str] = mapped_column(String(24))
    #: The business date of the step (agreement signed, reminder served ...).
    step_date: Mapped[date] = mapped_column(Date)
    #: JSON of the step's facts (amounts as strings).
    details: Mapped[str] = mapped_column(Text, default="{}")
    actor: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RestorationNoticeRule(RegionalParameter, Base):
    """验收结果公示期: the fewest days an acceptance result of a substituted restoration is
    posted, in force for the case's region in the month the notice starts (one local
    rule, ◐: ``reference/ecology-and-performance.md`` §1.3, acceptance)."""

    __tablename__ = "restoration_notice_rule"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", name="uq_restoration_notice_rule"),
        CheckConstraint("min_days BETWEEN 1 AND 365", name="min_days"),
        *parameter_checks(),
    )
    rulebook_label = "修复验收结果公示期"
    rulebook_order = 200

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    min_days: Mapped[int] = mapped_column(Integer)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("公示期不少于", f"{self.min_days} 日")]
