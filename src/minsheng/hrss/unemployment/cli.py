"""``minsheng unemployment`` and ``minsheng refunds``: the benefit payroll and the
job-stabilisation refunds of a policy year."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from minsheng.hrss.unemployment import service
from minsheng.hrss.unemployment.refunds import service as refunds
from minsheng.platform import cli
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
