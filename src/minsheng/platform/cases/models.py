"""A case (办件) and the steps of its progress."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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

from minsheng.platform.db import Base


class CaseFile(Base):
    """An application filed by a citizen or an employer, by the domain record it opened
    (``subject_type``/``subject_id``: one case a record). The applicant is named by kind
    and id (``person``/``employer``); ``applicant_digest`` is a keyed hash of their
    resident ID or credit code, which the public progress page matches without keeping
    the number a second time."""

    __tablename__ = "case_file"
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id"),
        Index("ix_case_file_applicant", "applicant_kind", "applicant_id", "filed_at"),
        CheckConstraint("stage IN ('received','accepted','decided','done')", name="stage"),
        CheckConstraint("outcome IS NULL OR outcome IN ('approved','refused')", name="outcome"),
        CheckConstraint("applicant_kind IN ('person','employer')", name="applicant_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    kind: Mapped[str] = mapped_column(String(48))
    title: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(48))
    subject_id: Mapped[str] = mapped_column(String(48))
    applicant_kind: Mapped[str] = mapped_column(String(16))
    applicant_id: Mapped[int] = mapped_column(Integer)
    applicant_name: Mapped[str] = mapped_column(String(100))
    applicant_digest: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(6), index=True)
    office: Mapped[str] = mapped_column(String(64))
    stage: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_label: Mapped[str | None] = mapped_column(String(32))
    filed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_date: Mapped[date | None] = mapped_column(Date)
    notice_title: Mapped[str | None] = mapped_column(String(64))
    notice_body: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class CaseStep(Base):
    """One step of a case's progress: the stage reached, when, at which office, by whom
    (an account name, shown by its display name) and what was said."""

    __tablename__ = "case_step"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    stage: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    office: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(200), default="")


class CaseAttachment(Base):
    """A supporting document the applicant attached to a case (PDF or JPEG, checked by
    its content), kept with its SHA-256 so that what the reviewer read can be shown to
    be what was sent."""

    __tablename__ = "case_attachment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    media_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    uploaded_by: Mapped[str] = mapped_column(String(64))
