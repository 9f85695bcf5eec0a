"""feedback (意见建议): citizens' and employers' feedback and the staff's replies

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-05 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submitter_kind", sa.String(length=16), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("submitter_name", sa.String(length=128), nullable=False),
        sa.Column("submitted_by", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=24), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_estimated", sa.Boolean(), nullable=False),
        sa.Column("replied_on", sa.Date(), nullable=True),
        sa.Column("replied_by", sa.String(length=64), nullable=True),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('inquiry','suggestion','complaint','praise')",
                           name=op.f("ck_feedback_kind")),
        sa.CheckConstraint("state IN ('open','replied')", name=op.f("ck_feedback_state")),
        sa.CheckConstraint("submitter_kind IN ('person','employer')",
                           name=op.f("ck_feedback_submitter_kind")),
        sa.CheckConstraint("(submitter_kind = 'person' AND person_id IS NOT NULL "
                           "AND employer_id IS NULL) OR (submitter_kind = 'employer' "
                           "AND employer_id IS NOT NULL AND person_id IS NULL)",
                           name=op.f("ck_feedback_submitter")),
        sa.CheckConstraint("(state = 'replied') = (replied_on IS NOT NULL)",
                           name=op.f("ck_feedback_replied")),
        sa.CheckConstraint("replied_on IS NULL OR replied_on >= submitted_on",
                           name=op.f("ck_feedback_reply_date")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_feedback_person_id_person")),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"],
                                name=op.f("fk_feedback_employer_id_employer")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    op.create_index("ix_feedback_region_state_due", "feedback", ["region", "state", "due_on"],
                    unique=False)
    op.create_index("ix_feedback_person", "feedback", ["person_id"], unique=False)
    op.create_index("ix_feedback_employer", "feedback", ["employer_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_feedback_employer", table_name="feedback")
    op.drop_index("ix_feedback_person", table_name="feedback")
    op.drop_index("ix_feedback_region_state_due", table_name="feedback")
    op.drop_table("feedback")
