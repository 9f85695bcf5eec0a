"""cases (办件): a case for each application filed, the steps of its progress and the
supporting documents attached to it

Revision ID: 0033
Revises: 0028
Create Date: 2026-12-05 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("title", sa.String(length=64), nullable=False),
        sa.Column("subject_type", sa.String(length=48), nullable=False),
        sa.Column("subject_id", sa.String(length=48), nullable=False),
        sa.Column("applicant_kind", sa.String(length=16), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("applicant_name", sa.String(length=100), nullable=False),
        sa.Column("applicant_digest", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("office", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("outcome_label", sa.String(length=32), nullable=True),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("notice_title", sa.String(length=64), nullable=True),
        sa.Column("notice_body", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("stage IN ('received','accepted','decided','done')",
                           name=op.f("ck_case_file_stage")),
        sa.CheckConstraint("outcome IS NULL OR outcome IN ('approved','refused')",
                           name=op.f("ck_case_file_outcome")),
        sa.CheckConstraint("applicant_kind IN ('person','employer')",
                           name=op.f("ck_case_file_applicant_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_file")),
        sa.UniqueConstraint("number", name=op.f("uq_case_file_number")),
        sa.UniqueConstraint("subject_type", "subject_id", name=op.f("uq_case_file_subject_type")),
    )
    op.create_index("ix_case_file_applicant", "case_file",
                    ["applicant_kind", "applicant_id", "filed_at"], unique=False)
    op.create_index(op.f("ix_case_file_region"), "case_file", ["region"], unique=False)
    op.create_table(
        "case_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("office", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"],
                                name=op.f("fk_case_step_case_id_case_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_step")),
    )
    op.create_index(op.f("ix_case_step_case_id"), "case_step", ["case_id"], unique=False)
    op.create_table(
        "case_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"],
                                name=op.f("fk_case_attachment_case_id_case_file")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_attachment")),
    )
    op.create_index(op.f("ix_case_attachment_case_id"), "case_attachment", ["case_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_case_attachment_case_id"), table_name="case_attachment")
    op.drop_table("case_attachment")
    op.drop_index(op.f("ix_case_step_case_id"), table_name="case_step")
    op.drop_table("case_step")
    op.drop_index(op.f("ix_case_file_region"), table_name="case_file")
    op.drop_index("ix_case_file_applicant", table_name="case_file")
    op.drop_table("case_file")
