"""Unemployment records: registrations (失业登记), benefit claims, the benefit payroll
and the contributions the fund pays with it, grants on a recipient's death, regional
parameters as dated data, and job-stabilisation refunds (稳岗返还).

``unemployment_registration`` is read by the employment domain in set-based SQL
(zero-employment households: ``person_id``, ``registered_date``, ``ended_date``,
``end_reason``); keep those columns. ``unemployment_payment`` is unique per (person,
benefit month) and ``unemployment_fund_contribution`` per (person, benefit month,
scheme): whatever runs, a month is paid to a person, and a contribution for it, at most
once.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.platform.db import Base, utcnow
from minsheng.platform.money import Money, money_text, percent_text
from minsheng.platform.payroll import PAYMENT_STATUS_CHECK, PaymentColumns, PayrollRunColumns
from minsheng.platform.rulebook import SOURCE_STATUS_CHECK, RegionalParameter, parameter_checks


class UnemploymentRegistration(Base):
    """失业登记: registered on a date; ended (注销) on a date with a reason."""

    __tablename__ = "unemployment_registration"
    __table_args__ = (
        Index("ix_unemployment_registration_person", "person_id", "registered_date"),
        Index("uq_unemployment_registration_open", "person_id", unique=True,
              sqlite_where=text("ended_date IS NULL"), postgresql_where=text("ended_date IS NULL")),
        CheckConstraint("ended_date IS NULL OR ended_date >= registered_date", name="dates"),
        CheckConstraint("(ended_date IS NULL) = (end_reason IS NULL)", name="end_reason"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    registered_date: Mapped[date] = mapped_column(Date)
    ended_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_reason: Mapped[str | None] = mapped_column(String(24), nullable=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    separation_reason: Mapped[str] = mapped_column(String(24))
    last_employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"),
                                                         nullable=True)
    seeking_work: Mapped[bool] = mapped_column(Boolean, default=True)
    actor: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class UnemploymentClaim(Base):
    """A benefit claim: entitlement found from the records, decided by staff, paid
    monthly from ``start_month`` until ``entitled_months`` are paid or it stops."""

    __tablename__ = "unemployment_claim"
    __table_args__ = (
        Index("ix_unemployment_claim_person", "person_id", "start_month"),
        Index("ix_unemployment_claim_status", "status", "region"),
        Index("ix_unemployment_claim_employer", "employer_id", "start_month"),
        CheckConstraint("status IN ('pending','active','suspended','stopped','exhausted',"
                        "'rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_no: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    registration_id: Mapped[int] = mapped_column(ForeignKey("unemployment_registration.id"))
    #: The last employer (for the layoff rate of its refund).
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), nullable=True)
    region: Mapped[str] = mapped_column(String(6))
    start_month: Mapped[int] = mapped_column(Integer)
    contribution_months: Mapped[int] = mapped_column(Integer)
    band: Mapped[str] = mapped_column(String(12))
    spell_months: Mapped[int] = mapped_column(Integer)
    carried_months: Mapped[int] = mapped_column(Integer, default=0)
    entitled_months: Mapped[int] = mapped_column(Integer)
    #: The amount in force at the start month (the payroll reads the dated table).
    monthly_amount: Mapped[Decimal] = mapped_column(Money)
    #: The month the person reaches the statutory retirement age (kernel
    #: ``statutory_retirement``), for benefit until retirement (2024 decision art. 7).
    retirement_month: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    bank_account: Mapped[str] = mapped_column(String(32), default="")
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decision_note: Mapped[str] = mapped_column(String(200), default="")
    stop_reason: Mapped[str | None] = mapped_column(String(24), nullable=True)
    stopped_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class UnemploymentSuspension(Base):
    """Payment suspended from ``from_month``; ``to_month`` set on resumption. Suspended
    months are neither paid nor counted against the entitlement."""

    __tablename__ = "unemployment_suspension"
    __table_args__ = (Index("ix_unemployment_suspension_claim", "claim_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("unemployment_claim.id"))
    from_month: Mapped[int] = mapped_column(Integer)
    to_month: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reason: Mapped[str] = mapped_column(String(24))


class UnemploymentPayment(PaymentColumns, Base):
    """A benefit month paid (or to be paid) to a person, carried by one payroll."""

    __tablename__ = "unemployment_payment"
    __table_args__ = (
        UniqueConstraint("person_id", "benefit_month", name="uq_unemployment_payment_month"),
        Index("ix_unemployment_payment_payroll_status", "payroll_month", "status"),
        Index("ix_unemployment_payment_claim", "claim_id"),
        CheckConstraint(PAYMENT_STATUS_CHECK, name="status"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    claim_id: Mapped[int] = mapped_column(Integer)
    #: Paid beyond the entitlement, until the statutory retirement month (2024 decision
    #: art. 7); such months do not use up the entitlement.
    extended: Mapped[bool] = mapped_column(Boolean, default=False)


class UnemploymentFundContribution(Base):
    """A contribution the fund pays for a recipient's benefit month (一人一月一险种):
    basic medical insurance for every month paid (社会保险法 art. 48), basic pension
    insurance for the months paid until retirement (2024 decision art. 7). Written by the
    payroll with the payment; cancelled with it."""

    __tablename__ = "unemployment_fund_contribution"
    __table_args__ = (
        UniqueConstraint("person_id", "benefit_month", "scheme",
                         name="uq_unemployment_fund_contribution"),
        Index("ix_unemployment_fund_contribution_payroll", "payroll_month", "scheme"),
        Index("ix_unemployment_fund_contribution_claim", "claim_id"),
        CheckConstraint("scheme IN ('medical','pension')", name="scheme"),
        CheckConstraint("status IN ('recorded','cancelled')", name="status"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    claim_id: Mapped[int] = mapped_column(Integer)
    benefit_month: Mapped[int] = mapped_column(Integer)
    payroll_month: Mapped[int] = mapped_column(Integer)
    scheme: Mapped[str] = mapped_column(String(8))
    region: Mapped[str] = mapped_column(String(6))
    base: Mapped[Decimal] = mapped_column(Money)
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(10), default="recorded")
    #: The ``unemployment_fund_contribution_rule`` row that priced it (provenance).
    rule_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class UnemploymentDeathGrant(Base):
    """丧葬补助金和抚恤金: one-off, to the survivors of a person who died while receiving
    benefit (社会保险法 art. 49; 条例 art. 20). Amounts from the rule in force in the month
    of death; ``unpriced`` when the region has none on record yet."""

    __tablename__ = "unemployment_death_grant"
    __table_args__ = (
        UniqueConstraint("claim_id", name="uq_unemployment_death_grant_claim"),
        Index("ix_unemployment_death_grant_region", "region", "death_date"),
        CheckConstraint("status IN ('granted','unpriced')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    claim_id: Mapped[int] = mapped_column(ForeignKey("unemployment_claim.id"))
    region: Mapped[str] = mapped_column(String(6))
    death_date: Mapped[date] = mapped_column(Date)
    funeral_amount: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    survivor_amount: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    status: Mapped[str] = mapped_column(String(10))
    rule_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UnemploymentPayrollRun(PayrollRunColumns, Base):
    """One month's benefit payroll: progress, totals and the bank file's control sum."""

    __tablename__ = "unemployment_payroll_run"


class UnemploymentBenefitRate(RegionalParameter, Base):
    """失业保险金标准: the monthly amount for a region (GB/T 2260 prefix) from a month."""

    __tablename__ = "unemployment_benefit_rate"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", name="uq_unemployment_benefit_rate"),
        *parameter_checks(),
    )
    rulebook_label = "失业保险金标准"
    rulebook_order = 40

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    monthly_amount: Mapped[Decimal] = mapped_column(Money)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("每月发放标准", money_text(self.monthly_amount))]


class UnemploymentDurationStep(RegionalParameter, Base):
    """A step of a region's benefit-month ladder: contribution months in
    ``[min_months, max_months)`` give ``months`` (capped at the statutory band)."""

    __tablename__ = "unemployment_duration_step"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", "min_months",
                         name="uq_unemployment_duration_step"),
        CheckConstraint("months BETWEEN 0 AND 24", name="months"),
        *parameter_checks(),
    )
    rulebook_label = "失业保险金领取期限阶梯"
    rulebook_order = 50

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    min_months: Mapped[int] = mapped_column(Integer)
    max_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    months: Mapped[int] = mapped_column(Integer)

    def rulebook_values(self) -> list[tuple[str, str]]:
        upper = f"不满 {self.max_months} 个月" if self.max_months is not None else "及以上"
        return [("累计缴费", f"满 {self.min_months} 个月{upper}"),
                ("领取期限", f"{self.months} 个月")]


class MinimumWage(RegionalParameter, Base):
    """最低工资标准 (monthly) of a region's classes (一类、二类 …), published together: the
    upper bound of the benefit amount (失业保险条例 art. 18)."""

    __tablename__ = "minimum_wage"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", "grade", name="uq_minimum_wage"),
        CheckConstraint("grade BETWEEN 1 AND 9", name="grade"),
        *parameter_checks(),
    )
    rulebook_label = "最低工资标准（月）"
    rulebook_order = 42

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grade: Mapped[int] = mapped_column(Integer)
    monthly_amount: Mapped[Decimal] = mapped_column(Money)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [(f"{GRADE_NAMES.get(self.grade, str(self.grade))}区县",
                 money_text(self.monthly_amount))]


GRADE_NAMES = {1: "一类", 2: "二类", 3: "三类", 4: "四类"}


class SubsistenceAllowance(RegionalParameter, Base):
    """城市居民最低生活保障标准 (monthly, per person): the lower bound of the benefit
    amount (社会保险法 art. 47)."""

    __tablename__ = "subsistence_allowance"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", name="uq_subsistence_allowance"),
        *parameter_checks(),
    )
    rulebook_label = "城市居民最低生活保障标准"
    rulebook_order = 44

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    monthly_amount: Mapped[Decimal] = mapped_column(Money)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("每人每月", money_text(self.monthly_amount))]


class UnemploymentRetirementExtension(RegionalParameter, Base):
    """Benefit until the statutory retirement age for a recipient less than
    ``window_months`` from it when the entitlement runs out (国务院关于渐进式延迟法定退休
    年龄的办法 art. 7, from 2025-01; national: prefix ``""``)."""

    __tablename__ = "unemployment_retirement_extension"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from",
                         name="uq_unemployment_retirement_extension"),
        CheckConstraint("window_months BETWEEN 1 AND 60", name="window_months"),
        *parameter_checks(),
    )
    rulebook_label = "失业保险金延长发放至法定退休年龄"
    rulebook_order = 52

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    window_months: Mapped[int] = mapped_column(Integer)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("期满时距法定退休年龄", f"不足 {self.window_months} 个月"),
                ("延长至", "法定退休年龄当月（期间基金代缴基本养老保险费）")]


class UnemploymentFundContributionRule(RegionalParameter, Base):
    """What the fund pays for a recipient each month in one scheme: ``base_ppm`` of the
    local average wage (the contribution rule's) as the base, ``rate_ppm`` of the base."""

    __tablename__ = "unemployment_fund_contribution_rule"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", "scheme",
                         name="uq_unemployment_fund_contribution_rule"),
        CheckConstraint("scheme IN ('medical','pension')", name="scheme"),
        *parameter_checks(),
    )
    rulebook_label = "失业保险基金代缴社会保险费"
    rulebook_order = 54

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scheme: Mapped[str] = mapped_column(String(8))
    base_ppm: Mapped[int] = mapped_column(Integer)
    rate_ppm: Mapped[int] = mapped_column(Integer)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("险种", FUND_SCHEME_LABELS.get(self.scheme, self.scheme)),
                ("缴费基数", f"社会平均工资的 {percent_text(self.base_ppm)}"),
                ("费率", percent_text(self.rate_ppm))]


FUND_SCHEME_LABELS = {"medical": "职工基本医疗保险", "pension": "基本养老保险"}


class UnemploymentDeathGrantRule(RegionalParameter, Base):
    """The one-off grants to the survivors of a recipient who dies (社会保险法 art. 49:
    "参照当地对在职职工死亡的规定")."""

    __tablename__ = "unemployment_death_grant_rule"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", name="uq_unemployment_death_grant_rule"),
        *parameter_checks(),
    )
    rulebook_label = "失业人员死亡丧葬补助金和抚恤金"
    rulebook_order = 56

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    funeral_amount: Mapped[Decimal] = mapped_column(Money)
    survivor_amount: Mapped[Decimal] = mapped_column(Money)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("丧葬补助金", money_text(self.funeral_amount)),
                ("抚恤金", money_text(self.survivor_amount))]


class JobStabilisationRefundRule(Base):
    """稳岗返还 parameters of a policy year; rates in ppm (5.5 % = 55000)."""

    __tablename__ = "job_stabilisation_refund_rule"
    __table_args__ = (CheckConstraint(SOURCE_STATUS_CHECK, name="source_status"),)

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: The year whose contributions are refunded ("上年度实际缴纳").
    contribution_year: Mapped[int] = mapped_column(Integer)
    large_share_ppm: Mapped[int] = mapped_column(Integer)
    sme_share_ppm: Mapped[int] = mapped_column(Integer)
    layoff_threshold_ppm: Mapped[int] = mapped_column(Integer)
    small_headcount: Mapped[int] = mapped_column(Integer)
    small_threshold_ppm: Mapped[int] = mapped_column(Integer)
    large_headcount: Mapped[int] = mapped_column(Integer)
    min_paid_months: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(200))
    source_status: Mapped[str] = mapped_column(String(12))


class JobStabilisationRefund(Base):
    """One employer's refund for a policy year: the figures it rests on, the decision,
    and the approval. Recomputing the year replaces only rows not yet approved."""

    __tablename__ = "job_stabilisation_refund"
    __table_args__ = (
        UniqueConstraint("year", "employer_id", name="uq_job_stabilisation_refund"),
        Index("ix_job_stabilisation_refund_year_status", "year", "status"),
        CheckConstraint("status IN ('computed','approved','rejected','paid')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    region: Mapped[str] = mapped_column(String(6))
    paid_amount: Mapped[Decimal] = mapped_column(Money)
    paid_months: Mapped[int] = mapped_column(Integer)
    average_headcount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    employees_covered: Mapped[int] = mapped_column(Integer)
    new_claimants: Mapped[int] = mapped_column(Integer)
    layoff_rate: Mapped[Decimal | None] = mapped_column(Numeric(7, 4), nullable=True)
    size: Mapped[str] = mapped_column(String(6))
    share_ppm: Mapped[int] = mapped_column(Integer)
    eligible: Mapped[bool] = mapped_column(Boolean)
    refusal: Mapped[str | None] = mapped_column(String(16), nullable=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(10), default="computed")
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                         nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
