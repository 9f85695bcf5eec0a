"""scorecard: plan targets and the cache of computed figures

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 13:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scorecard_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=2), nullable=False),
        sa.Column("value", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("set_by", sa.String(length=64), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("direction IN ('>=','<=')", name=op.f("ck_scorecard_target_direction")),
        sa.CheckConstraint("first_year <= last_year", name=op.f("ck_scorecard_target_years")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecard_target")),
        sa.UniqueConstraint("indicator_id", "region", "first_year",
                            name=op.f("uq_scorecard_target_indicator_id")),
    )
    op.create_index(op.f("ix_scorecard_target_indicator_id"), "scorecard_target",
                    ["indicator_id"], unique=False)
    op.create_table(
        "scorecard_snapshot",
        sa.Column("indicator_id", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("by_district", sa.Boolean(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("audit_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("indicator_id", "region", "period", "by_district",
                                name=op.f("pk_scorecard_snapshot")),
    )


def downgrade() -> None:
    op.drop_table("scorecard_snapshot")
    op.drop_index(op.f("ix_scorecard_target_indicator_id"), table_name="scorecard_target")
    op.drop_table("scorecard_target")
