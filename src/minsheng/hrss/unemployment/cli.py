"""``minsheng unemployment`` and ``minsheng refunds``: the benefit payroll, the benefit
amounts and their bounds, and the job-stabilisation refunds of a policy year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from minsheng.hrss.unemployment import service
from minsheng.hrss.unemployment.refunds import service as refunds
from minsheng.platform import cli
from minsheng.platform.errors import DomainError, invalid_field
from minsheng.platform.money import money_text
from minsheng.platform.months import label, month_of, parse_month
from minsheng.platform.rulebook import SOURCE_STATUS_LABELS
from minsheng.platform.rulebook.views import prefix_name
from minsheng.platform.security.principal import SYSTEM

app = typer.Typer(help="失业保险 Unemployment insurance", no_args_is_help=True)
refunds_app = typer.Typer(help="稳岗返还 Job-stabilisation refunds", no_args_is_help=True)


@app.command("payroll")
def payroll(
    month: Annotated[str, typer.Option(help="发放月份 YYYY-MM")],
    out: Annotated[Path | None, typer.Option(help="银行代发文件（CSV）保存路径")] = None,
) -> None:
    """按月发放失业保险金（可重复运行，不会重复支付）Run a month's benefit payroll."""
    cli.run_payroll("失业保险金发放", month, out, "unemployment",
                    lambda factory, tick: service.run_payroll(factory, SYSTEM, month=month,
                                                              progress=tick))


@app.command("rates")
def rates(
    month: Annotated[str, typer.Option(help="月份 YYYY-MM，默认本月")] = "",
) -> None:
    """校验施行中的失业保险金标准：不低于城市低保标准、低于最低工资标准 Check the amounts
    in force against their bounds (exit 1 when one is outside them)."""
    try:
        period = parse_month(month) if month else month_of(date.today())
    except DomainError as error:
        cli.fail(error)
    with cli.session_scope() as session:
        checks = service.benefit_rate_checks(session, period)
        table = Table(title=f"{label(period)} 失业保险金标准校验", title_justify="left")
        for column in ("地区", "施行期间", "月标准", "城市低保", "最低工资（最低档）", "核实",
                       "校验"):
            table.add_column(column)
        for check in checks:
            bounds, rate = check.bounds, check.rate
            verdict = "；".join(m for _, m, _ in check.problems) or "在区间内"
            if check.unchecked:
                verdict += "（未录入：" + "、".join(check.unchecked) + "）"
            table.add_row(prefix_name(rate.region_prefix), rate.span_text,
                          money_text(rate.monthly_amount),
                          money_text(bounds.subsistence.monthly_amount
                                     if bounds.subsistence else None),
                          money_text(bounds.minimum_wage.monthly_amount
                                     if bounds.minimum_wage else None),
                          SOURCE_STATUS_LABELS.get(rate.source_status, rate.source_status),
                          verdict)
        outside = sum(1 for c in checks if c.problems)
    cli.console.print(table)
    if outside:
        raise typer.Exit(1)


@app.command("publish-rate")
def publish_rate(
    region: Annotated[str, typer.Option(help="区划代码前缀（2、4 或 6 位），如 50")],
    valid_from: Annotated[str, typer.Option("--from", help="起始月份 YYYY-MM")],
    amount: Annotated[str, typer.Option(help="每月发放标准（元）")],
    source: Annotated[str, typer.Option(help="发布依据（文件名、文号）")],
    status: Annotated[str, typer.Option(help="confirmed / secondary / unconfirmed")],
    valid_to: Annotated[str, typer.Option("--to", help="截止月份 YYYY-MM（可空）")] = "",
) -> None:
    """发布失业保险金标准（须在城市低保标准与最低工资标准之间）Publish a benefit amount."""
    try:
        value = Decimal(amount)
    except InvalidOperation:
        cli.fail(invalid_field("monthly_amount", "发放标准应为金额", "the amount is a number"))
    with cli.session_scope() as session:
        rate = service.publish_benefit_rate(
            session, SYSTEM, region_prefix=region, valid_from=valid_from, valid_to=valid_to,
            monthly_amount=value, source=source, source_status=status)
        cli.console.print(f"已发布：{prefix_name(rate.region_prefix)} {rate.span_text} "
                          f"{money_text(rate.monthly_amount)} 元/月")


@refunds_app.command("compute")
def refunds_compute(
    year: Annotated[int, typer.Option(help="政策年度 YYYY（返还上年度实际缴费）")],
) -> None:
    """计算稳岗返还（按年度幂等，已复核的记录保留）Compute a policy year's refunds."""
    with cli.progress_bar() as bar, cli.session_scope() as session:
        task = bar.add_task(f"稳岗返还 {year}", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        run = refunds.compute_refunds(session, SYSTEM, year=year, progress=tick)
    cli.console.print(
        f"{run.year} 年度稳岗返还（{run.contribution_year} 年缴费）：参保单位 "
        f"{run.employers:,} 家，符合条件 {run.eligible:,} 家，返还 {run.total:,.2f} 元，"
        f"惠及职工 {run.employees_covered:,} 人；已复核保留 {run.kept:,} 家")


@refunds_app.command("payment-list")
def refunds_payment_list(
    year: Annotated[int, typer.Option(help="政策年度 YYYY")],
    out: Annotated[Path | None, typer.Option(help="支付清单（CSV）保存路径")] = None,
) -> None:
    """导出已复核通过的稳岗返还支付清单 Export the payment list of approved refunds."""
    with cli.session_scope() as session:
        content = refunds.payment_list(session, SYSTEM, year=year)
    target = out or Path(f"refunds-{year}.csv")
    target.write_bytes(content)
    cli.console.print(f"支付清单已保存：{target}")
