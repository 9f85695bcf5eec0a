"""Pension records: awards (immutable versions), recipients, payments, certification.

``pension_payment`` is keyed by (person, benefit month): whatever runs, a month is paid
to a person at most once. Periods are months as integers ``YYYYMM``.
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
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.platform.db import Base, utcnow
from minsheng.platform.money import Money, money_text
from minsheng.platform.payroll import PAYMENT_STATUS_CHECK, PaymentColumns, PayrollRunColumns
from minsheng.platform.rulebook import RegionalParameter, parameter_checks

#: The early routes whose minimum age is data (``pension.rules.EARLY_ROUTES``).
EARLY_ROUTE_LABELS = {"special_work": "特殊工种", "disability": "完全丧失劳动能力（病退）"}
CATEGORY_SHORT_LABELS = {"male": "男职工", "female_cadre": "女职工（原55周岁）",
                         "female_worker": "女职工（原50周岁）"}


class PensionAward(Base):
    """One version of a person's monthly pension and how it was computed. Uplifts add
    a new version from their effective month; history is never overwritten."""

    __tablename__ = "pension_award"
    __table_args__ = (
        UniqueConstraint("person_id", "version", name="uq_pension_award_person_version"),
        Index("ix_pension_award_person_effective", "person_id", "effective_month"),
        CheckConstraint("scheme IN ('employee','resident')", name="scheme"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    version: Mapped[int] = mapped_column(Integer)
    scheme: Mapped[str] = mapped_column(String(10))
    effective_month: Mapped[int] = mapped_column(Integer)
    basic_amount: Mapped[Decimal] = mapped_column(Money)
    account_amount: Mapped[Decimal] = mapped_column(Money)
    transitional_amount: Mapped[Decimal] = mapped_column(Money)
    total_amount: Mapped[Decimal] = mapped_column(Money)
    #: JSON of the inputs (contribution months, index, wage, balance, divisor, uplift).
    basis: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))


class PensionRecipient(Base):
    """A person in payment: their payment state and certification cycle."""

    __tablename__ = "pension_recipient"
    __table_args__ = (
        CheckConstraint("status IN ('active','suspended','stopped')", name="status"),
        Index("ix_pension_recipient_status_due", "status", "certification_due_date"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(10))
    start_month: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="active")
    last_certified_date: Mapped[date] = mapped_column(Date)
    certification_due_date: Mapped[date] = mapped_column(Date)
    #: Masked in every view; the bank file carries it to the paying bank.
    bank_account: Mapped[str] = mapped_column(String(32), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class PensionSuspension(Base):
    """Payment suspended from ``from_month``; ``to_month`` set when it resumes."""

    __tablename__ = "pension_suspension"
    __table_args__ = (Index("ix_pension_suspension_person", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    from_month: Mapped[int] = mapped_column(Integer)
    to_month: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reason: Mapped[str] = mapped_column(String(32))


class PensionCertification(Base):
    """待遇资格认证: one successful proof of eligibility."""

    __tablename__ = "pension_certification"
    __table_args__ = (
        Index("ix_pension_certification_person", "person_id", "certified_date"),
        CheckConstraint(
            "method IN ('face','data_comparison','home_visit','peer_node')", name="method"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    certified_date: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(16))
    #: The node where it happened (``cq`` / ``sc``): 川渝 "就地认" at the other province.
    node: Mapped[str] = mapped_column(String(4))
    evidence: Mapped[str] = mapped_column(String(200), default="")
    actor: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PensionPayment(PaymentColumns, Base):
    """A benefit month paid (or to be paid) to a person, carried by one payroll.

    ``person_id`` must name a person, checked by the database once per statement rather
    than per row (migration 0028; PostgreSQL: a statement-level trigger with one
    anti-join, SQLite: row triggers): a declared foreign key looks up and locks the person
    once per payment, which cost more than the rest of the monthly insert."""

    __tablename__ = "pension_payment"
    __table_args__ = (
        UniqueConstraint("person_id", "benefit_month", name="uq_pension_payment_person_month"),
        Index("ix_pension_payment_payroll_status", "payroll_month", "status"),
        CheckConstraint(PAYMENT_STATUS_CHECK, name="status"),
        CheckConstraint("kind IN ('regular','back_pay')", name="kind"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    #: A person (checked per statement, see the class docstring).
    person_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10))
    award_id: Mapped[int] = mapped_column(Integer)
    #: The payroll run that sent it (:class:`PensionPayrollRun`); null when queued.
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PensionPayrollRun(PayrollRunColumns, Base):
    """One month's pension payroll: progress, totals and the bank file's control sum.

    Its ledger: every recipient with ``person_id < done_below`` was paid by it (a crashed
    run resumes there); ``award_high`` and ``certification_high`` are the newest award
    and certification when it began, so a second run of a closed month knows it has
    nothing to pay while neither grew."""

    __tablename__ = "pension_payroll_run"

    done_below: Mapped[int | None] = mapped_column(Integer, nullable=True)
    award_high: Mapped[int | None] = mapped_column(Integer, nullable=True)
    certification_high: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PensionOverpayment(Base):
    """An amount paid for a month after death, to be recovered (待遇追回)."""

    __tablename__ = "pension_overpayment"
    __table_args__ = (
        UniqueConstraint("person_id", "benefit_month", name="uq_pension_overpayment"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    benefit_month: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(12), default="to_recover")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PensionUplift(Base):
    """An annual adjustment (养老金调整) set for a year, applied once to every award."""

    __tablename__ = "pension_uplift"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    percent: Mapped[Decimal] = mapped_column(Numeric(7, 4))
    fixed_amount: Mapped[Decimal] = mapped_column(Money)
    effective_month: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200))
    applied_awards: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[str] = mapped_column(String(64))


class CertificationCycle(RegionalParameter, Base):
    """待遇资格认证周期: a recipient certifies every ``cycle_months`` from the last
    successful certification and is reminded ``reminder_months`` after it (人社厅发〔2018〕
    54号 abolished fixed-date collective certification; the 12-month rolling cycle is
    local practice, ◐)."""

    __tablename__ = "certification_cycle"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", name="uq_certification_cycle"),
        CheckConstraint("reminder_months >= 1 AND reminder_months < cycle_months",
                        name="reminder"),
        *parameter_checks(),
    )
    rulebook_label = "养老待遇资格认证周期"
    rulebook_order = 40

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cycle_months: Mapped[int] = mapped_column(Integer)
    reminder_months: Mapped[int] = mapped_column(Integer)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("认证周期", f"自上次认证起 {self.cycle_months} 个月"),
                ("提醒时间", f"自上次认证起第 {self.reminder_months} 个月")]


class EarlyRetirementAge(RegionalParameter, Base):
    """The minimum age of a lawful early-retirement route (提前退休) for one category:
    special-type work (特殊工种, 国发〔1978〕104号 art. 1(2); 国务院关于渐进式延迟法定退休
    年龄的办法 art. 8) and complete incapacity certified by appraisal (病退, 国发〔1978〕
    104号 art. 1(3)). A route without a row in force is not available."""

    __tablename__ = "early_retirement_age"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", "route", "category",
                         name="uq_early_retirement_age"),
        CheckConstraint("route IN ('special_work','disability')", name="route"),
        CheckConstraint("category IN ('male','female_cadre','female_worker')",
                        name="category"),
        *parameter_checks(),
    )
    rulebook_label = "提前退休年龄条件"
    rulebook_order = 45

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    route: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(16))
    min_age_months: Mapped[int] = mapped_column(Integer)
    #: What else the route needs (years in the work, the appraisal), for people.
    condition: Mapped[str] = mapped_column(String(200), default="")

    def rulebook_values(self) -> list[tuple[str, str]]:
        years, months = divmod(self.min_age_months, 12)
        age = f"{years}周岁{months}个月" if months else f"{years}周岁"
        return [("途径", EARLY_ROUTE_LABELS.get(self.route, self.route)),
                ("人员类别", CATEGORY_SHORT_LABELS.get(self.category, self.category)),
                ("最低年龄", age), ("条件", self.condition or "—")]
class ResidentBasicPension(RegionalParameter, Base):
    """城乡居民基础养老金: the monthly basic pension the government pays every resident
    pensioner of a region (国发〔2014〕8号 五: the central minimum plus what the province
    and county add), dated, with its source. The resident pension is this plus the
    personal account ÷ 139."""

    __tablename__ = "resident_basic_pension"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", name="uq_resident_basic_pension"),
        *parameter_checks(),
    )
    rulebook_label = "城乡居民基础养老金标准"
    rulebook_order = 35

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    monthly_amount: Mapped[Decimal] = mapped_column(Money)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("基础养老金（月）", money_text(self.monthly_amount))]
