"""resident pension: the day the scheme began in a region, and the basic pension as data

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 09:00:00

国发〔2014〕8号 七: who was 60 or older when 新农保 / 城居保 began where they live draws the
basic pension without contributing; who had less than 15 years to 60 pays the years
left. The day the scheme began is a dated regional parameter (``resident_scheme_start``);
Chongqing's is seeded as unconfirmed. The monthly basic pension (``resident_basic_pension``)
is published by the city and is not seeded: no figure was confirmed.
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_CHECK = "source_status IN ('confirmed','secondary','unconfirmed')"
SPAN_CHECK = "valid_to IS NULL OR valid_to >= valid_from"

CQ_SOURCE = ("重庆市城乡居民社会养老保险全市实施：按 2011-07（国发〔2011〕18号城居保试点启动）"
             "推定；部分区县 2009 年起为新农保试点（国发〔2009〕32号），实施日期待逐区县核实（✘）")


def _parameter_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("region_prefix", sa.String(length=6), nullable=False),
        sa.Column("valid_from", sa.Integer(), nullable=False),
        sa.Column("valid_to", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("source_status", sa.String(length=12), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "resident_scheme_start",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("scheme_name", sa.String(length=40), nullable=False),
        *_parameter_columns(),
        sa.CheckConstraint(STATUS_CHECK, name=op.f("ck_resident_scheme_start_source_status")),
        sa.CheckConstraint(SPAN_CHECK, name=op.f("ck_resident_scheme_start_valid_span")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resident_scheme_start")),
        sa.UniqueConstraint("region_prefix", "valid_from", name="uq_resident_scheme_start"),
    )
    op.create_table(
        "resident_basic_pension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("monthly_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        *_parameter_columns(),
        sa.CheckConstraint(STATUS_CHECK, name=op.f("ck_resident_basic_pension_source_status")),
        sa.CheckConstraint(SPAN_CHECK, name=op.f("ck_resident_basic_pension_valid_span")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resident_basic_pension")),
        sa.UniqueConstraint("region_prefix", "valid_from", name="uq_resident_basic_pension"),
    )
    start = sa.table(
        "resident_scheme_start",
        sa.column("region_prefix", sa.String),
        sa.column("valid_from", sa.Integer),
        sa.column("start_date", sa.Date),
        sa.column("scheme_name", sa.String),
        sa.column("source", sa.String),
        sa.column("source_status", sa.String),
    )
    op.bulk_insert(start, [{
        "region_prefix": "50", "valid_from": 201107, "start_date": date(2011, 7, 1),
        "scheme_name": "城乡居民社会养老保险", "source": CQ_SOURCE,
        "source_status": "unconfirmed"}])


def downgrade() -> None:
    op.drop_table("resident_basic_pension")
    op.drop_table("resident_scheme_start")
