"""rulebook: every dated regional parameter shares region, months from/to, source and status

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 06:30:00

Resident-pension grades and government-payment shares were keyed by a year; they now
carry the months they are in force (a year Y becomes Y-01 … Y-12). Rows already in the
database get ``source_status = 'unconfirmed'`` (nobody has checked them against their
source under this schema) and grades, which had no source, say so.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_CHECK = "source_status IN ('confirmed','secondary','unconfirmed')"
SPAN_CHECK = "valid_to IS NULL OR valid_to >= valid_from"
NO_SOURCE = "迁移前未记录来源（待补）"


def _status(batch: BatchOperations, table: str) -> None:
    batch.add_column(sa.Column("source_status", sa.String(length=12), nullable=False,
                               server_default="unconfirmed"))
    batch.create_check_constraint(op.f(f"ck_{table}_source_status"), STATUS_CHECK)


def _year_to_months(table: str, unique: str, key: str, has_source: bool) -> None:
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("valid_from", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("valid_to", sa.Integer(), nullable=True))
        if not has_source:
            batch.add_column(sa.Column("source", sa.String(length=200), nullable=False,
                                       server_default=NO_SOURCE))
        _status(batch, table)
    op.execute(f"UPDATE {table} SET valid_from = year * 100 + 1, valid_to = year * 100 + 12")
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(unique, type_="unique")
        batch.alter_column("valid_from", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("year")
        batch.create_unique_constraint(unique, ["region_prefix", "valid_from", key])
        batch.create_check_constraint(op.f(f"ck_{table}_valid_span"), SPAN_CHECK)


def _months_to_year(table: str, unique: str, key: str, drop_source: bool) -> None:
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("year", sa.Integer(), nullable=True))
    op.execute(f"UPDATE {table} SET year = valid_from / 100")
    with op.batch_alter_table(table) as batch:
        batch.drop_constraint(unique, type_="unique")
        batch.drop_constraint(op.f(f"ck_{table}_valid_span"), type_="check")
        batch.drop_constraint(op.f(f"ck_{table}_source_status"), type_="check")
        batch.alter_column("year", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("valid_from")
        batch.drop_column("valid_to")
        batch.drop_column("source_status")
        if drop_source:
            batch.drop_column("source")
        batch.create_unique_constraint(unique, ["region_prefix", "year", key])


def upgrade() -> None:
    with op.batch_alter_table("contribution_rule") as batch:
        _status(batch, "contribution_rule")
    for table in ("unemployment_benefit_rate", "unemployment_duration_step"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("valid_to", sa.Integer(), nullable=True))
            batch.create_check_constraint(op.f(f"ck_{table}_valid_span"), SPAN_CHECK)
    _year_to_months("resident_pension_grade", "uq_resident_pension_grade", "amount",
                    has_source=False)
    _year_to_months("government_payment_rule", "uq_government_payment", "designation",
                    has_source=True)


def downgrade() -> None:
    _months_to_year("government_payment_rule", "uq_government_payment", "designation",
                    drop_source=False)
    _months_to_year("resident_pension_grade", "uq_resident_pension_grade", "amount",
                    drop_source=True)
    for table in ("unemployment_duration_step", "unemployment_benefit_rate"):
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"ck_{table}_valid_span"), type_="check")
            batch.drop_column("valid_to")
    with op.batch_alter_table("contribution_rule") as batch:
        batch.drop_constraint(op.f("ck_contribution_rule_source_status"), type_="check")
        batch.drop_column("source_status")
