"""``minsheng employment``: indicators from records and the zero-employment work-list."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from minsheng.hrss.employment import service
from minsheng.platform import cli, regions
from minsheng.platform.security.principal import SYSTEM

app = typer.Typer(help="就业服务 Employment services", no_args_is_help=True)


@app.command("indicators")
def employment_indicators(
    year: Annotated[int, typer.Option(help="统计年度")],
    region: Annotated[str, typer.Option(help="区划代码前缀（空为全部）")] = "",
) -> None:
    """就业指标（由业务记录计算）Employment indicators of a region for a year."""
    with cli.session_scope() as session:
        figures = service.indicators(session, SYSTEM, region, date(year, 1, 1),
                                     date(year, 12, 31))
    table = Table(title=f"{year} 年就业指标 · {regions.name_of(region.ljust(6, '0')) or '全部'}")
    table.add_column("指标")
    table.add_column("数值", justify="right")

    def pct(value: object) -> str:
        return "—" if value is None else f"{value}%"

    for label, value in (
        ("城镇新增就业（人）", f"{figures.urban_new_employment:,}"),
        ("城镇登记失业率", pct(figures.registered_unemployment_rate)),
        ("失业人员再就业（人）", f"{figures.unemployed_helped:,}"),
        ("就业困难人员就业（人）", f"{figures.hard_to_employ_helped:,}"),
        ("高校毕业生年末就业率", pct(figures.graduates_employment_rate)),
        ("退捕渔民转产就业率", pct(figures.ex_fisher_transfer_rate)),
        ("零就业家庭（未清零，户）", f"{figures.open_zero_employment_households:,}"),
    ):
        table.add_row(label, value)
    cli.console.print(table)


@app.command("detect-zero-employment")
def employment_detect() -> None:
    """排查零就业家庭并更新帮扶名单 Detect zero-employment households (idempotent)."""
    with cli.session_scope() as session:
        result = service.detect_zero_employment(session, SYSTEM)
    cli.console.print(f"[green]排查完成[/green]：符合 {result.qualifying} 户，新认定 "
                  f"{result.opened} 户，自动销号 {result.closed} 户")
