"""HR service agency records: the licence registry (人力资源服务许可证), the annual
reports (年度报告) and the dated report deadline.

An agency is an employer of the registry (its USCC); a licence's ``region`` is the
agency's district, which staff scope by. Revenue is kept in fen (an integer).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.platform.db import Base, Timestamped
from minsheng.platform.rulebook import RegionalParameter, parameter_checks


class AgencyLicence(Timestamped, Base):
    """A 人力资源服务许可证: number, agency, scope, issue date, validity and state."""

    __tablename__ = "hr_agency_licence"
    __table_args__ = (
        CheckConstraint("state IN ('valid','revoked')", name="state"),
        CheckConstraint("valid_until >= issued_on", name="validity"),
        CheckConstraint("(state = 'revoked') = (revoked_on IS NOT NULL)", name="revoked_on"),
        Index("ix_hr_agency_licence_region_state", "region", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    licence_no: Mapped[str] = mapped_column(String(40), unique=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    region: Mapped[str] = mapped_column(String(6))
    #: Scope item codes joined by commas (``rules.SCOPE_ITEMS``).
    scope: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="valid")
    revoked_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    revoke_reason: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class AgencyReport(Timestamped, Base):
    """An agency's annual report for a year (one per licence and year)."""

    __tablename__ = "hr_agency_report"
    __table_args__ = (
        UniqueConstraint("licence_id", "year", name="uq_hr_agency_report"),
        CheckConstraint("revenue_fen >= 0 AND placements >= 0 AND training_sessions >= 0 "
                        "AND training_people >= 0", name="figures"),
        Index("ix_hr_agency_report_year", "year"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("hr_agency_licence.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    revenue_fen: Mapped[int] = mapped_column(BigInteger)
    placements: Mapped[int] = mapped_column(Integer)
    training_sessions: Mapped[int] = mapped_column(Integer)
    training_people: Mapped[int] = mapped_column(Integer)
    filed_on: Mapped[date] = mapped_column(Date)
    filed_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class AgencyReportDeadline(RegionalParameter, Base):
    """年度报告报送期限: the month and day of the year after the report's year."""

    __tablename__ = "hr_agency_report_deadline"
    __table_args__ = (
        UniqueConstraint("region_prefix", "valid_from", name="uq_hr_agency_report_deadline"),
        CheckConstraint("deadline_month BETWEEN 1 AND 12 AND deadline_day BETWEEN 1 AND 31",
                        name="deadline"),
        *parameter_checks(),
    )
    rulebook_label = "人力资源服务机构年度报告报送期限"
    rulebook_order = 310

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deadline_month: Mapped[int] = mapped_column(Integer)
    deadline_day: Mapped[int] = mapped_column(Integer)

    def rulebook_values(self) -> list[tuple[str, str]]:
        return [("报送期限", f"次年 {self.deadline_month} 月 {self.deadline_day} 日前")]
