"""Labour-relations records: labour disputes (劳动人事争议), labour-inspection complaints
(劳动保障监察投诉), labour contracts (劳动合同) and tripartite coordination bodies
(劳动关系三方协调机制).

A case's ``region`` is its employer's district (劳动争议调解仲裁法 art. 21: the commission
where the contract is performed or the employer sits); staff see the cases of their
region. Each case keeps the dates of its steps, which its progress page shows.
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
)
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.platform.db import Base, Timestamped


class LabourDispute(Timestamped, Base):
    """A labour dispute brought to arbitration: received, accepted (or not), possibly
    mediated, awarded or otherwise closed, with the statutory due dates."""

    __tablename__ = "labour_dispute"
    __table_args__ = (
        CheckConstraint("state IN ('received','arbitrating','mediating','closed')",
                        name="state"),
        CheckConstraint("outcome IS NULL OR outcome IN "
                        "('mediated','awarded','withdrawn','not_accepted')", name="outcome"),
        CheckConstraint("(state = 'closed') = (outcome IS NOT NULL)", name="closed_outcome"),
        CheckConstraint("extension_days BETWEEN 0 AND 15", name="extension"),
        CheckConstraint("amount >= 0", name="amount"),
        Index("ix_labour_dispute_region_state", "region", "state"),
        Index("ix_labour_dispute_received", "received_on"),
        Index("ix_labour_dispute_closed", "closed_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(32), unique=True)
    applicant_person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    region: Mapped[str] = mapped_column(String(6))
    claim_type: Mapped[str] = mapped_column(String(24))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    received_on: Mapped[date] = mapped_column(Date)
    acceptance_due: Mapped[date] = mapped_column(Date)
    #: When the applicant knew of the infringement, and when the employment ended (for
    #: the limitation period of art. 27); optional.
    knew_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    employment_ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    state: Mapped[str] = mapped_column(String(16), default="received")
    accepted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    award_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    final_award: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    mediation_started_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    mediation_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    extension_note: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class InspectionComplaint(Timestamped, Base):
    """A complaint to labour-security inspection (劳动保障监察): received, accepted and
    investigated (or not accepted), closed with an outcome; wage arrears with their
    amount and the workers affected."""

    __tablename__ = "labour_complaint"
    __table_args__ = (
        CheckConstraint("state IN ('received','investigating','closed')", name="state"),
        CheckConstraint("outcome IS NULL OR outcome IN "
                        "('rectified','penalised','transferred','unfounded','not_accepted')",
                        name="outcome"),
        CheckConstraint("(state = 'closed') = (outcome IS NOT NULL)", name="closed_outcome"),
        CheckConstraint("wage_arrears_amount >= 0 AND recovered_amount >= 0", name="amounts"),
        CheckConstraint("workers_affected >= 0", name="workers"),
        Index("ix_labour_complaint_region_state", "region", "state"),
        Index("ix_labour_complaint_received", "received_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(32), unique=True)
    complainant_person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    region: Mapped[str] = mapped_column(String(6))
    received_on: Mapped[date] = mapped_column(Date)
    acceptance_due: Mapped[date] = mapped_column(Date)
    violation_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    violation_ended_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    wage_arrears_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    workers_affected: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16), default="received")
    accepted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    investigation_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    extended: Mapped[bool] = mapped_column(Boolean, default=False)
    extension_note: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    recovered_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    note: Mapped[str] = mapped_column(String(500), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class LabourContract(Timestamped, Base):
    """A labour contract filed (备案) by the employer or at the counter."""

    __tablename__ = "labour_contract"
    __table_args__ = (
        CheckConstraint("kind IN ('fixed_term','open_ended','per_task')", name="kind"),
        CheckConstraint("end_on IS NULL OR end_on >= start_on", name="dates"),
        CheckConstraint("probation_months BETWEEN 0 AND 6", name="probation"),
        Index("ix_labour_contract_person", "person_id", "start_on"),
        Index("ix_labour_contract_employer", "employer_id", "end_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    region: Mapped[str] = mapped_column(String(6), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    probation_months: Mapped[int] = mapped_column(Integer, default=0)
    terminated_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    filed_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class TripartiteBody(Timestamped, Base):
    """A tripartite labour-relations coordination body (劳动关系三方协调机制) of the
    government, trade unions and employers' organisations at one level."""

    __tablename__ = "labour_tripartite_body"
    __table_args__ = (
        CheckConstraint("level IN ('city','district','town','park')", name="level"),
        CheckConstraint("dissolved_on IS NULL OR dissolved_on >= established_on",
                        name="dates"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(8))
    region: Mapped[str] = mapped_column(String(6), index=True)
    established_on: Mapped[date] = mapped_column(Date)
    dissolved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CollectiveContract(Timestamped, Base):
    """A collective contract (集体合同, 劳动合同法 arts. 51–56) filed by an employer: its
    kind, term and the employees it covers; in force 15 days after filing unless the
    bureau objects (art. 54)."""

    __tablename__ = "labour_collective_contract"
    __table_args__ = (
        CheckConstraint("kind IN ('general','wages','women','safety')", name="kind"),
        CheckConstraint("end_on >= start_on", name="dates"),
        CheckConstraint("employees_covered >= 1", name="covered"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    employees_covered: Mapped[int] = mapped_column(Integer)
    filed_on: Mapped[date] = mapped_column(Date)
    filed_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
