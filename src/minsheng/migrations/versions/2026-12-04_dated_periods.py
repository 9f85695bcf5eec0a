"""dated rules that were constants: arrears grace, restoration and sand notice periods

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 09:30:00

Three figures the services held as literals become dated regional parameters with their
source (issue 11, point 13): an unpaid contribution is in arrears one month after its
month (local collection practice, unconfirmed), an acceptance result of a substituted
restoration is posted at least 30 days (one local rule, ◐) and a surplus-aggregate
notice runs 5 working days (Linyi practice, ◐). Seeded for Chongqing (50) and Sichuan
(51) from 2000-01, the earliest month the services work with; the start of each rule
is not known and the rows say so.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_CHECK = "source_status IN ('confirmed','secondary','unconfirmed')"
SPAN_CHECK = "valid_to IS NULL OR valid_to >= valid_from"
PROVINCES = ("50", "51")
SINCE = 200001

#: (table, value column, value check, value, source, status)
TABLES = (
    ("arrears_rule", "months_after", "months_after BETWEEN 0 AND 24", 1,
     "地方征缴实务：所属月后满1个月未缴即为欠费（社会保险费征缴暂行条例未定宽限期；未核实 ✘，起始月份未知）",
     "unconfirmed"),
    ("restoration_notice_rule", "min_days", "min_days BETWEEN 1 AND 365", 30,
     "地方规定：土地复垦验收结果公示不少于30日（◐ 单一来源；起始月份未知）",
     "secondary"),
    ("sand_notice_rule", "workdays", "workdays BETWEEN 1 AND 60", 5,
     "临沂做法：砂石利用方案与方量公示5个工作日（◐ 单一来源，依自然资发〔2023〕57号处置；起始月份未知）",
     "secondary"),
)


def upgrade() -> None:
    for table, column, check, value, source, status in TABLES:
        created = op.create_table(
            table,
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column(column, sa.Integer(), nullable=False),
            sa.Column("region_prefix", sa.String(length=6), nullable=False),
            sa.Column("valid_from", sa.Integer(), nullable=False),
            sa.Column("valid_to", sa.Integer(), nullable=True),
            sa.Column("source", sa.String(length=200), nullable=False),
            sa.Column("source_status", sa.String(length=12), nullable=False),
            sa.CheckConstraint(check, name=op.f(f"ck_{table}_{column}")),
            sa.CheckConstraint(SPAN_CHECK, name=op.f(f"ck_{table}_valid_span")),
            sa.CheckConstraint(STATUS_CHECK, name=op.f(f"ck_{table}_source_status")),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
            sa.UniqueConstraint("region_prefix", "valid_from", name=f"uq_{table}"),
        )
        op.bulk_insert(created, [
            {column: value, "region_prefix": prefix, "valid_from": SINCE, "valid_to": None,
             "source": source, "source_status": status} for prefix in PROVINCES])


def downgrade() -> None:
    for table, *_ in reversed(TABLES):
        op.drop_table(table)
