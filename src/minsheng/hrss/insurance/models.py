"""Social insurance records: enrolments, contribution rules (as data), contributions.

Large tables (``contribution``) carry ``person_id`` and ``period`` so that they can be
range-partitioned by period and distributed by person when one machine is outgrown.
Periods are months as integers ``YYYYMM`` (see ``platform.months``).
"""

from __future__ import annotations

import json
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
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.platform.db import Base, Timestamped, utcnow
from minsheng.platform.money import Money, money_text, percent_text
from minsheng.platform.rulebook import RegionalParameter, parameter_checks

SCHEMES = ("employee_pension", "resident_pension", "unemployment", "work_injury")
EMPLOYEE_SCHEMES = ("employee_pension", "unemployment", "work_injury")
DESIGNATIONS = ("poverty_registered", "dibao", "tekun", "severe_disability")
DESIGNATION_LABELS = {"poverty_registered": "建档立卡贫困人口", "dibao": "低保对象",
                      "tekun": "特困人员", "severe_disability": "重度残疾人"}


class Enrolment(Timestamped, Base):
    """参保登记: a person in one scheme from ``start_month`` to ``end_month`` (inclusive)."""

    __tablename__ = "enrolment"
    __table_args__ = (
        CheckConstraint(
            "scheme IN ('employee_pension','resident_pension','unemployment','work_injury')",
            name="scheme",
        ),
        CheckConstraint("end_month IS NULL OR end_month >= start_month", name="months"),
        # A person's enrolment open in a month, probed once per person by indicators:
        # answered from the index alone (migration 0018).
        Index("ix_enrolment_person_scheme", "person_id", "scheme",
              postgresql_include=["start_month", "end_month"]),
        Index("ix_enrolment_employer_id", "employer_id"),
        # "Enrolled in a scheme in month M" (start ≤ M, end open or ≥ M), read by
        # indicators: an index-only scan instead of the table (bench/scorecard.py).
        Index("ix_enrolment_scheme_start_month", "scheme", "start_month",
              postgresql_include=["end_month", "person_id"]),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    scheme: Mapped[str] = mapped_column(String(20))
    #: Null for flexible workers (灵活就业) in employee pension and for resident pension.
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), nullable=True)
    start_month: Mapped[int] = mapped_column(Integer)
    end_month: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: Declared monthly wage (申报工资), the raw contribution base before clamping.
    declared_wage: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    end_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class ContributionRule(RegionalParameter, Base):
    """Published parameters for a region (GB/T 2260 prefix) and a span of months.

    Rates are stored in parts per million (16 % = 160000) so that set-based SQL can do
    exact integer arithmetic in fen on SQLite and PostgreSQL alike.
    """

    __tablename__ = "contribution_rule"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", name="uq_contribution_rule_region_from"),
        *parameter_checks(),
    )
    rulebook_label = "社会保险缴费基数与费率"
    rulebook_order = 10

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: 全口径城镇单位就业人员平均工资, monthly, the base for the floor and ceiling.
    average_wage: Mapped[Decimal] = mapped_column(Money)
    floor_ppm: Mapped[int] = mapped_column(Integer, default=600_000)
    ceiling_ppm: Mapped[int] = mapped_column(Integer, default=3_000_000)
    pension_employer_ppm: Mapped[int] = mapped_column(Integer)
    pension_personal_ppm: Mapped[int] = mapped_column(Integer)
    unemployment_employer_ppm: Mapped[int] = mapped_column(Integer)
    unemployment_personal_ppm: Mapped[int] = mapped_column(Integer)
    #: JSON list of eight rates (ppm) for work-injury risk classes 1..8.
    work_injury_ppm: Mapped[str] = mapped_column(Text)
    #: 灵活就业人员 pension rate, paid alone (国发〔2005〕38号 §6: 20 %).
    flexible_pension_ppm: Mapped[int] = mapped_column(Integer, default=200_000)
    #: Share of the base credited to the personal account (国发〔2005〕38号 §5: 8 %).
    account_ppm: Mapped[int] = mapped_column(Integer, default=80_000)

    def rulebook_values(self) -> list[tuple[str, str]]:
        injury = "、".join(percent_text(r) for r in json.loads(self.work_injury_ppm))
        return [("社会平均工资（月）", money_text(self.average_wage)),
                ("缴费基数下限 / 上限", f"{percent_text(self.floor_ppm)} / "
                                      f"{percent_text(self.ceiling_ppm)}"),
                ("养老保险 单位 / 个人", f"{percent_text(self.pension_employer_ppm)} / "
                                        f"{percent_text(self.pension_personal_ppm)}"),
                ("失业保险 单位 / 个人", f"{percent_text(self.unemployment_employer_ppm)} / "
                                        f"{percent_text(self.unemployment_personal_ppm)}"),
                ("工伤保险 一至八类", injury),
                ("灵活就业养老保险 / 记入个人账户", f"{percent_text(self.flexible_pension_ppm)} / "
                                                   f"{percent_text(self.account_ppm)}")]


class AccountInterestRate(RegionalParameter, Base):
    """职工基本养老保险个人账户记账利率: the rate credited to personal accounts for the
    months it covers (one calendar year a row; since 2016 one national rate a year,
    published by MOHRSS and MOF the following summer, 人社部发〔2017〕31号 ◐)."""

    __tablename__ = "account_interest_rate"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", name="uq_account_interest_rate"),
        *parameter_checks(),
    )
    rulebook_label = "养老保险个人账户记账利率"
    rulebook_order = 15

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rate_ppm: Mapped[int] = mapped_column(Integer)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("记账利率（年）", percent_text(self.rate_ppm))]


class ResidentPensionGrade(RegionalParameter, Base):
    """城乡居民养老保险 contribution grade and the government subsidy for it (a region's
    grades published together form one table: every row of a ``valid_from``)."""

    __tablename__ = "resident_pension_grade"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", "amount",
                         name="uq_resident_pension_grade"),
        *parameter_checks(),
    )
    rulebook_label = "城乡居民养老保险缴费档次"
    rulebook_order = 20

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    subsidy: Mapped[Decimal] = mapped_column(Money)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("缴费档次（年）", money_text(self.amount)),
                ("政府缴费补贴", money_text(self.subsidy))]


class ResidentSchemeStart(RegionalParameter, Base):
    """The day the resident pension began in a region (新农保 / 城居保 / 城乡居民社会养老
    保险 实施之日): who was 60 or older that day draws the basic pension without
    contributing, who had less than 15 years to 60 pays the years left (国发〔2014〕8号 七;
    ``hrss.kernel.resident_pension``). A region whose pilot began earlier than its
    province carries its own, longer prefix."""

    __tablename__ = "resident_scheme_start"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", name="uq_resident_scheme_start"),
        *parameter_checks(),
    )
    rulebook_label = "城乡居民养老保险制度实施时间"
    rulebook_order = 25

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    start_date: Mapped[date] = mapped_column(Date)
    #: Which scheme began that day (新农保试点, 城居保试点, 城乡居民社会养老保险 …).
    scheme_name: Mapped[str] = mapped_column(String(40))

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("制度", self.scheme_name), ("实施日期", self.start_date.isoformat())]


class GovernmentPaymentRule(RegionalParameter, Base):
    """代缴: share of the lowest resident-pension grade the government pays for a group."""

    __tablename__ = "government_payment_rule"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", "designation",
                         name="uq_government_payment"),
        *parameter_checks(),
    )
    rulebook_label = "困难群体政府代缴比例"
    rulebook_order = 30

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    designation: Mapped[str] = mapped_column(String(24))
    share_ppm: Mapped[int] = mapped_column(Integer)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("群体", DESIGNATION_LABELS.get(self.designation, self.designation)),
                ("代缴比例（最低档）", percent_text(self.share_ppm))]


class ArrearsRule(RegionalParameter, Base):
    """欠费认定: an unpaid contribution of month M is in arrears once ``months_after``
    months have passed after M. Looked up for the contribution's month and the region of
    the employer (or of the flexible worker). Local collection practice, not national
    law (社会保险费征缴暂行条例 sets no grace period): kept as data with its source."""

    __tablename__ = "arrears_rule"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", name="uq_arrears_rule"),
        CheckConstraint("months_after BETWEEN 0 AND 24", name="months_after"),
        *parameter_checks(),
    )
    rulebook_label = "欠费认定期限"
    rulebook_order = 35

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    months_after: Mapped[int] = mapped_column(Integer)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("所属月后未缴满", f"{self.months_after} 个月即为欠费")]


class PersonDesignation(Base):
    """Membership of a designated group (建档立卡贫困人口, 低保, 特困, 重度残疾) for a span."""

    __tablename__ = "person_designation"
    __table_args__ = (Index("ix_person_designation_person", "person_id", "designation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    designation: Mapped[str] = mapped_column(String(24))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)


class Contribution(Base):
    """What is owed for one person, scheme and month (the biggest table).

    Idempotency of the monthly assessment rests on the unique key
    ``(person_id, period, scheme)``.

    ``person_id`` and ``employer_id`` must name a person and an employer, checked by the
    database once per statement rather than per row (migration 0027): on PostgreSQL a
    statement-level trigger looks the new rows up in one anti-join each
    (``contribution_check_references``), and a delete of a referenced person or employer
    is refused likewise; on SQLite row triggers do the same. A declared foreign key is a
    row trigger with a locking look-up per row and per key: on the monthly run of
    3,000,000 rows it cost more than the inserts themselves.
    """

    __tablename__ = "contribution"
    __table_args__ = (
        UniqueConstraint("person_id", "period", "scheme", name="uq_contribution_person_period"),
        Index("ix_contribution_employer_period", "employer_id", "period"),
        Index("ix_contribution_period_status", "period", "status"),
        CheckConstraint("status IN ('due','paid')", name="status"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    #: A person (checked per statement, see the class docstring).
    person_id: Mapped[int] = mapped_column(Integer)
    period: Mapped[int] = mapped_column(Integer)
    scheme: Mapped[str] = mapped_column(String(20))
    #: An employer, null for a flexible worker and resident pension (checked per
    #: statement).
    employer_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    region: Mapped[str] = mapped_column(String(6))
    declared_wage: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    base: Mapped[Decimal] = mapped_column(Money)
    #: 'floor' or 'ceiling' when the declared wage was clamped, else null.
    clamp: Mapped[str | None] = mapped_column(String(8), nullable=True)
    employer_amount: Mapped[Decimal] = mapped_column(Money)
    personal_amount: Mapped[Decimal] = mapped_column(Money)
    #: Resident pension: the share the government pays for a designated person (代缴) ...
    government_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    #: ... and the government subsidy credited to the personal account (缴费补贴).
    subsidy_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    status: Mapped[str] = mapped_column(String(8), default="due")
    paid_by: Mapped[str | None] = mapped_column(String(12), nullable=True)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    #: Provenance (which rule and run produced the row); plain integers, not foreign
    #: keys: on the biggest table each FK check costs as much as the insert itself.
    rule_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class AssessmentRun(Base):
    """One run of the monthly assessment (for audit, progress and resumption)."""

    __tablename__ = "assessment_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[int] = mapped_column(Integer, index=True)
    region_prefix: Mapped[str] = mapped_column(String(6))
    actor: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    inserted_rows: Mapped[int] = mapped_column(Integer, default=0)


class AssessmentRange(Base):
    """缴费核定台账: one range of people (``low <= person_id < high``) whose month was
    assessed under a region prefix, written in the transaction of its rows.

    The monthly run resumes after an interruption at the first range without a row here,
    and a second run of a month decides "nothing to do" from this table and the newest
    enrolment id alone: a range is complete up to ``enrolment_high`` (every enrolment
    with a smaller or equal id was assessed), and only enrolments registered after it (a
    late 增员 for a month already assessed) are assessed again.
    """

    __tablename__ = "assessment_range"
    __table_args__ = (
        UniqueConstraint("period", "region_prefix", "low", "high", name="uq_assessment_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[int] = mapped_column(Integer)
    region_prefix: Mapped[str] = mapped_column(String(6))
    low: Mapped[int] = mapped_column(Integer)
    high: Mapped[int] = mapped_column(Integer)
    #: Every enrolment with ``id <= enrolment_high`` was assessed in this range.
    enrolment_high: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int] = mapped_column(Integer)
    inserted_rows: Mapped[int] = mapped_column(Integer)
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EmployerPayment(Base):
    """A payment by an employer settling its contributions of one month."""

    __tablename__ = "employer_payment"
    __table_args__ = (Index("ix_employer_payment_employer_period", "employer_id", "period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    period: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money)
    paid_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))


CERTIFICATE_KINDS = ("person", "employee", "employer")


class Certificate(Base):
    """A proof-of-enrolment certificate (参保证明) that anyone can verify by its code.

    ``kind``: ``person`` — a person's own 个人参保证明 (all their enrolments);
    ``employee`` — a 个人参保证明 issued to an employer for one of its employees (only
    what was enrolled through that employer); ``employer`` — the unit's 单位参保证明
    (no person).
    """

    __tablename__ = "certificate"
    __table_args__ = (
        CheckConstraint("kind IN ('person','employee','employer')", name="kind"),
        CheckConstraint(
            "(kind = 'person' AND person_id IS NOT NULL) OR (kind = 'employee' AND "
            "person_id IS NOT NULL AND employer_id IS NOT NULL) OR (kind = 'employer' AND "
            "person_id IS NULL AND employer_id IS NOT NULL)", name="holder"),
        Index("ix_certificate_employer_id", "employer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="person", server_default="person")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), nullable=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: SM3 of the certified facts; verification recomputes and compares.
    content_hash: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64))


