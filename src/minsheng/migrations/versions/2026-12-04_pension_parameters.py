"""pension parameters as dated data: account interest rates, the certification cycle and
the early-retirement routes

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 09:30:00

Seeds, each with its source and how sure we are of it:

- ``account_interest_rate``: the national credited rates of the employee personal
  account (记账利率) published each year by MOHRSS and MOF since 2016 (人社部发〔2017〕31号
  unified them). Not in reference/hrss-rules.md, so "secondary" (◐).
- ``certification_cycle``: once a year — from 1997 (the unified employee scheme, 国发
  〔1997〕26号) yearly collective certification, since 人社厅发〔2018〕54号 a 12-month
  rolling cycle from the last certification — with a reminder in month 11 (local
  practice, hrss-rules §5 ◐).
- ``early_retirement_age``: special-type work (men 55, women 45; 国发〔1978〕104号
  art. 1(2), kept by the 2024 办法 art. 8) and complete incapacity certified by appraisal
  (men 50, women 45; 国发〔1978〕104号 art. 1(3)). Not in the reference: "secondary".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS_CHECK = "source_status IN ('confirmed','secondary','unconfirmed')"
SPAN_CHECK = "valid_to IS NULL OR valid_to >= valid_from"

#: 记账利率 by year, in ppm (8.31 % = 83100).
ACCOUNT_RATES = {2016: 83_100, 2017: 71_200, 2018: 82_900, 2019: 76_100, 2020: 60_400,
                 2021: 66_900, 2022: 61_200, 2023: 39_700, 2024: 26_200}
RATE_SOURCE = ("人力资源社会保障部 财政部 公布的{year}年度职工基本养老保险个人账户记账利率"
               "（人社部发〔2017〕31号统一公布；◐ 未在参考资料中核实）")
CYCLE_SOURCE = ("每年认证一次；人社厅发〔2018〕54号取消集中认证后自上次认证起12个月，"
                "第11个月提醒为地方经办实践（◐ hrss-rules §5）")
SPECIAL_SOURCE = ("国发〔1978〕104号第一条第（二）项；国务院关于渐进式延迟法定退休年龄的办法"
                  "第八条（◐ 未在参考资料中核实）")
DISABILITY_SOURCE = "国发〔1978〕104号第一条第（三）项（◐ 未在参考资料中核实）"
SPECIAL_CONDITION = ("从事井下、高空、高温、特别繁重体力劳动或其他有害身体健康的工作累计满规定"
                     "年限，经审批")
DISABILITY_CONDITION = "经医院证明并经劳动能力鉴定委员会确认完全丧失劳动能力"


def _parameter_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_prefix", sa.String(length=6), nullable=False),
        sa.Column("valid_from", sa.Integer(), nullable=False),
        sa.Column("valid_to", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("source_status", sa.String(length=12), nullable=False),
    ]


def _checks(table: str) -> list[sa.CheckConstraint]:
    return [sa.CheckConstraint(SPAN_CHECK, name=op.f(f"ck_{table}_valid_span")),
            sa.CheckConstraint(STATUS_CHECK, name=op.f(f"ck_{table}_source_status"))]


def upgrade() -> None:
    op.create_table(
        "account_interest_rate",
        *_parameter_columns(),
        sa.Column("rate_ppm", sa.Integer(), nullable=False),
        *_checks("account_interest_rate"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_interest_rate")),
        sa.UniqueConstraint("region_prefix", "valid_from", name="uq_account_interest_rate"),
    )
    op.create_table(
        "certification_cycle",
        *_parameter_columns(),
        sa.Column("cycle_months", sa.Integer(), nullable=False),
        sa.Column("reminder_months", sa.Integer(), nullable=False),
        sa.CheckConstraint("reminder_months >= 1 AND reminder_months < cycle_months",
                           name=op.f("ck_certification_cycle_reminder")),
        *_checks("certification_cycle"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification_cycle")),
        sa.UniqueConstraint("region_prefix", "valid_from", name="uq_certification_cycle"),
    )
    op.create_table(
        "early_retirement_age",
        *_parameter_columns(),
        sa.Column("route", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("min_age_months", sa.Integer(), nullable=False),
        sa.Column("condition", sa.String(length=200), nullable=False),
        sa.CheckConstraint("route IN ('special_work','disability')",
                           name=op.f("ck_early_retirement_age_route")),
        sa.CheckConstraint("category IN ('male','female_cadre','female_worker')",
                           name=op.f("ck_early_retirement_age_category")),
        *_checks("early_retirement_age"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_early_retirement_age")),
        sa.UniqueConstraint("region_prefix", "valid_from", "route", "category",
                            name="uq_early_retirement_age"),
    )
    _seed()


def _seed() -> None:
    rate = sa.table("account_interest_rate", sa.column("region_prefix", sa.String),
                    sa.column("valid_from", sa.Integer), sa.column("valid_to", sa.Integer),
                    sa.column("rate_ppm", sa.Integer), sa.column("source", sa.String),
                    sa.column("source_status", sa.String))
    op.bulk_insert(rate, [
        {"region_prefix": "", "valid_from": year * 100 + 1, "valid_to": year * 100 + 12,
         "rate_ppm": ppm, "source": RATE_SOURCE.format(year=year), "source_status": "secondary"}
        for year, ppm in ACCOUNT_RATES.items()])
    cycle = sa.table("certification_cycle", sa.column("region_prefix", sa.String),
                     sa.column("valid_from", sa.Integer), sa.column("cycle_months", sa.Integer),
                     sa.column("reminder_months", sa.Integer), sa.column("source", sa.String),
                     sa.column("source_status", sa.String))
    op.bulk_insert(cycle, [{"region_prefix": "", "valid_from": 199701, "cycle_months": 12,
                            "reminder_months": 11, "source": CYCLE_SOURCE,
                            "source_status": "secondary"}])
    early = sa.table("early_retirement_age", sa.column("region_prefix", sa.String),
                     sa.column("valid_from", sa.Integer), sa.column("route", sa.String),
                     sa.column("category", sa.String), sa.column("min_age_months", sa.Integer),
                     sa.column("condition", sa.String), sa.column("source", sa.String),
                     sa.column("source_status", sa.String))
    rows = []
    for route, ages, condition, source in (
            ("special_work", {"male": 55, "female_cadre": 45, "female_worker": 45},
             SPECIAL_CONDITION, SPECIAL_SOURCE),
            ("disability", {"male": 50, "female_cadre": 45, "female_worker": 45},
             DISABILITY_CONDITION, DISABILITY_SOURCE)):
        for category, years in ages.items():
            rows.append({"region_prefix": "", "valid_from": 197806, "route": route,
                         "category": category, "min_age_months": years * 12,
                         "condition": condition, "source": source,
                         "source_status": "secondary"})
    op.bulk_insert(early, rows)


def downgrade() -> None:
    op.drop_table("early_retirement_age")
    op.drop_table("certification_cycle")
    op.drop_table("account_interest_rate")
