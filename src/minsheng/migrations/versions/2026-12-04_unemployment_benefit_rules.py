"""unemployment: benefit until retirement, fund-paid contributions, death grants, the
bounds of the benefit amount, and the statutory bands as dated data

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 09:00:00

- ``unemployment_claim.retirement_month`` (the statutory retirement month, for benefit
  until retirement: 国务院关于渐进式延迟法定退休年龄的办法 art. 7) and
  ``unemployment_payment.extended`` (a month paid beyond the entitlement). Open claims get
  their retirement month from the person's birth date and gender (women: the 50→55
  schedule, as ``unemployment_female_retirement_category`` defaults).
- ``unemployment_fund_contribution``: what the fund pays for a recipient-month (medical,
  社会保险法 art. 48; pension until retirement), and its rule.
- ``unemployment_death_grant`` and its rule (社会保险法 art. 49).
- ``minimum_wage`` and ``subsistence_allowance``: the bounds of the benefit amount
  (条例 art. 18; 社会保险法 art. 47).
- National rows (prefix ``""``): the statutory duration bands (社会保险法 art. 46) and the
  one-year window of benefit until retirement.

Seeded values carry their source and whether it was confirmed (hrss-rules.md §6).
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

from minsheng.hrss.kernel.retirement import statutory_retirement

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_CHECK = "source_status IN ('confirmed','secondary','unconfirmed')"
SPAN_CHECK = "valid_to IS NULL OR valid_to >= valid_from"

BANDS_SOURCE = "失业保险条例（1999）第十七条；社会保险法第四十六条（✔）"
EXTENSION_SOURCE = ("国务院关于渐进式延迟法定退休年龄的办法第七条（全国人大常委会 2024-09-13 "
                    "决定，2025-01-01 施行 ✔）")
WAGE_2018 = "央广网 2018-09-29：失业保险金 1200 元为最低工资最高档 1500 元的 80%（◐ 单一来源）"
WAGE_2019 = ("重庆市最低工资标准 2019-01-01 起一类 1800 元、二类 1700 元：未找到原文"
             "（1440 = 1800 × 80% 的推定依据，✘ 未核实）")
WAGE_2022 = ("重庆市人民政府关于调整全市最低工资标准的通知，2022-04-01 起一类 2100 元、"
             "二类 2000 元（参考资料未收录，✘ 未核实）")
FUND_PENSION = ("按灵活就业人员标准推定：缴费基数下限（社会平均工资 60%）× 20%"
                "（国发〔2005〕38号）；重庆失业保险基金代缴标准未找到原文（✘ 未核实）")
FUND_MEDICAL = ("按职工基本医疗保险缴费基数下限（社会平均工资 60%）× 单位 8% + 个人 2% 推定；"
                "重庆代缴标准未找到原文（✘ 未核实）")


def _parameter_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_prefix", sa.String(length=6), nullable=False),
        sa.Column("valid_from", sa.Integer(), nullable=False),
        sa.Column("valid_to", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("source_status", sa.String(length=12), nullable=False),
    ]


def _parameter_checks(table: str) -> list[sa.CheckConstraint]:
    return [sa.CheckConstraint(SPAN_CHECK, name=op.f(f"ck_{table}_valid_span")),
            sa.CheckConstraint(STATUS_CHECK, name=op.f(f"ck_{table}_source_status")),
            ]


def _parameter_table(table: str, unique: list[str], *extra: Any) -> sa.Table:
    return op.create_table(
        table, *_parameter_columns(), *extra, *_parameter_checks(table),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint(*unique, name=f"uq_{table}"),
    )


def _backfill_retirement_months() -> None:
    """The retirement month of every open claim, from the person's birth date and gender
    (the kernel's 2024-decision schedule; women: 50→55, the setting's default)."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT c.id, p.birth_date, p.gender FROM unemployment_claim c "
        "JOIN person p ON p.id = c.person_id "
        "WHERE c.status IN ('pending','active','suspended')")).all()
    for claim_id, birth, gender in rows:
        born = birth if isinstance(birth, date) else date.fromisoformat(str(birth))
        retirement = statutory_retirement(
            born, "male" if gender == "M" else "female_worker").retirement_date
        bind.execute(sa.text("UPDATE unemployment_claim SET retirement_month = :month "
                             "WHERE id = :id"),
                     {"month": retirement.year * 100 + retirement.month, "id": claim_id})


def upgrade() -> None:
    with op.batch_alter_table("unemployment_claim") as batch:
        batch.add_column(sa.Column("retirement_month", sa.Integer(), nullable=True))
    with op.batch_alter_table("unemployment_payment") as batch:
        batch.add_column(sa.Column("extended", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    _backfill_retirement_months()

    op.create_table(
        "unemployment_fund_contribution",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("benefit_month", sa.Integer(), nullable=False),
        sa.Column("payroll_month", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=8), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("base", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("scheme IN ('medical','pension')",
                           name=op.f("ck_unemployment_fund_contribution_scheme")),
        sa.CheckConstraint("status IN ('recorded','cancelled')",
                           name=op.f("ck_unemployment_fund_contribution_status")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_unemployment_fund_contribution_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unemployment_fund_contribution")),
        sa.UniqueConstraint("person_id", "benefit_month", "scheme",
                            name="uq_unemployment_fund_contribution"),
    )
    op.create_index("ix_unemployment_fund_contribution_payroll",
                    "unemployment_fund_contribution", ["payroll_month", "scheme"])
    op.create_index("ix_unemployment_fund_contribution_claim",
                    "unemployment_fund_contribution", ["claim_id"])
    op.create_table(
        "unemployment_death_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.Column("death_date", sa.Date(), nullable=False),
        sa.Column("funeral_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("survivor_amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('granted','unpriced')",
                           name=op.f("ck_unemployment_death_grant_status")),
        sa.ForeignKeyConstraint(["claim_id"], ["unemployment_claim.id"],
                                name=op.f("fk_unemployment_death_grant_claim_id_unemployment_claim")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_unemployment_death_grant_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unemployment_death_grant")),
        sa.UniqueConstraint("claim_id", name="uq_unemployment_death_grant_claim"),
    )
    op.create_index("ix_unemployment_death_grant_region", "unemployment_death_grant",
                    ["region", "death_date"])

    minimum_wage = _parameter_table(
        "minimum_wage", ["region_prefix", "valid_from", "grade"],
        sa.Column("grade", sa.Integer(), nullable=False),
        sa.Column("monthly_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("grade BETWEEN 1 AND 9", name=op.f("ck_minimum_wage_grade")))
    _parameter_table(
        "subsistence_allowance", ["region_prefix", "valid_from"],
        sa.Column("monthly_amount", sa.Numeric(precision=14, scale=2), nullable=False))
    extension = _parameter_table(
        "unemployment_retirement_extension", ["region_prefix", "valid_from"],
        sa.Column("window_months", sa.Integer(), nullable=False),
        sa.CheckConstraint("window_months BETWEEN 1 AND 60",
                           name=op.f("ck_unemployment_retirement_extension_window_months")))
    fund_rule = _parameter_table(
        "unemployment_fund_contribution_rule", ["region_prefix", "valid_from", "scheme"],
        sa.Column("scheme", sa.String(length=8), nullable=False),
        sa.Column("base_ppm", sa.Integer(), nullable=False),
        sa.Column("rate_ppm", sa.Integer(), nullable=False),
        sa.CheckConstraint("scheme IN ('medical','pension')",
                           name=op.f("ck_unemployment_fund_contribution_rule_scheme")))
    _parameter_table(
        "unemployment_death_grant_rule", ["region_prefix", "valid_from"],
        sa.Column("funeral_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("survivor_amount", sa.Numeric(precision=14, scale=2), nullable=False))

    op.bulk_insert(minimum_wage, [
        {"region_prefix": "50", "valid_from": 201808, "grade": 1, "monthly_amount": 1500,
         "source": WAGE_2018, "source_status": "secondary"},
        {"region_prefix": "50", "valid_from": 201901, "grade": 1, "monthly_amount": 1800,
         "source": WAGE_2019, "source_status": "unconfirmed"},
        {"region_prefix": "50", "valid_from": 201901, "grade": 2, "monthly_amount": 1700,
         "source": WAGE_2019, "source_status": "unconfirmed"},
        {"region_prefix": "50", "valid_from": 202204, "grade": 1, "monthly_amount": 2100,
         "source": WAGE_2022, "source_status": "unconfirmed"},
        {"region_prefix": "50", "valid_from": 202204, "grade": 2, "monthly_amount": 2000,
         "source": WAGE_2022, "source_status": "unconfirmed"},
    ])
    op.bulk_insert(extension, [
        {"region_prefix": "", "valid_from": 202501, "window_months": 12,
         "source": EXTENSION_SOURCE, "source_status": "confirmed"}])
    op.bulk_insert(fund_rule, [
        {"region_prefix": "50", "valid_from": 201101, "scheme": "medical", "base_ppm": 600_000,
         "rate_ppm": 100_000, "source": FUND_MEDICAL, "source_status": "unconfirmed"},
        {"region_prefix": "50", "valid_from": 202501, "scheme": "pension", "base_ppm": 600_000,
         "rate_ppm": 200_000, "source": FUND_PENSION, "source_status": "unconfirmed"},
    ])
    step = sa.table("unemployment_duration_step", sa.column("region_prefix", sa.String),
                    sa.column("valid_from", sa.Integer), sa.column("min_months", sa.Integer),
                    sa.column("max_months", sa.Integer), sa.column("months", sa.Integer),
                    sa.column("source", sa.String), sa.column("source_status", sa.String))
    op.bulk_insert(step, [
        {"region_prefix": "", "valid_from": 199901, "min_months": low, "max_months": high,
         "months": months, "source": BANDS_SOURCE, "source_status": "confirmed"}
        for low, high, months in ((12, 60, 12), (60, 120, 18), (120, None, 24))])


def downgrade() -> None:
    op.execute("DELETE FROM unemployment_duration_step WHERE region_prefix = ''")
    for table in ("unemployment_death_grant_rule", "unemployment_fund_contribution_rule",
                  "unemployment_retirement_extension", "subsistence_allowance",
                  "minimum_wage"):
        op.drop_table(table)
    op.drop_index("ix_unemployment_death_grant_region", table_name="unemployment_death_grant")
    op.drop_table("unemployment_death_grant")
    op.drop_index("ix_unemployment_fund_contribution_claim",
                  table_name="unemployment_fund_contribution")
    op.drop_index("ix_unemployment_fund_contribution_payroll",
                  table_name="unemployment_fund_contribution")
    op.drop_table("unemployment_fund_contribution")
    with op.batch_alter_table("unemployment_payment") as batch:
        batch.drop_column("extended")
    with op.batch_alter_table("unemployment_claim") as batch:
        batch.drop_column("retirement_month")
