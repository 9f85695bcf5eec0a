"""Feedback records (意见建议): one row a submission, with its reply.

``region`` is the submitter's district when it was submitted (a citizen's residence, an
employer's seat); staff see and answer the feedback of their region. ``version`` makes a
second reply on a stale page a 409.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from minsheng.platform.db import Base, Timestamped


class Feedback(Timestamped, Base):
    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("kind IN ('inquiry','suggestion','complaint','praise')", name="kind"),
        CheckConstraint("state IN ('open','replied')", name="state"),
        CheckConstraint("submitter_kind IN ('person','employer')", name="submitter_kind"),
        CheckConstraint("(submitter_kind = 'person' AND person_id IS NOT NULL "
                        "AND employer_id IS NULL) OR (submitter_kind = 'employer' "
                        "AND employer_id IS NOT NULL AND person_id IS NULL)",
                        name="submitter"),
        CheckConstraint("(state = 'replied') = (replied_on IS NOT NULL)", name="replied"),
        CheckConstraint("replied_on IS NULL OR replied_on >= submitted_on", name="reply_date"),
        Index("ix_feedback_region_state_due", "region", "state", "due_on"),
        Index("ix_feedback_person", "person_id"),
        Index("ix_feedback_employer", "employer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submitter_kind: Mapped[str] = mapped_column(String(16))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), nullable=True)
    submitter_name: Mapped[str] = mapped_column(String(128))
    submitted_by: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(6))
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(String(24), default="")
    state: Mapped[str] = mapped_column(String(12), default="open")
    submitted_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    due_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    replied_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    replied_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reply: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
