"""``minsheng ecology summary``: the ecology figures of a region and period."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from minsheng.ecology.kernel.common import Period
from minsheng.ecology.overview import service
from minsheng.platform import cli
from minsheng.platform.security.principal import SYSTEM

app = typer.Typer(help="生态修复与土地整治 Ecology", no_args_is_help=True)


@app.command("summary")
def ecology_summary(
    region: Annotated[str, typer.Option(help="区划代码，如 500102（涪陵区）；50 为全市")] = "50",
    date_from: Annotated[str, typer.Option("--from", help="起始日期 YYYY-MM-DD")] = "",
    date_to: Annotated[str, typer.Option("--to", help="截止日期 YYYY-MM-DD")] = "",
) -> None:
    """生态修复指标 The ecology figures of a region and period, computed from records."""
    try:
        period = Period(date.fromisoformat(date_from) if date_from else None,
                        date.fromisoformat(date_to) if date_to else None)
    except ValueError as exc:
        cli.console.print(f"[red]日期格式应为 YYYY-MM-DD / dates are YYYY-MM-DD: {exc}[/red]")
        raise typer.Exit(2) from exc
    with cli.session_scope() as session:
        f = service.summary(session, SYSTEM, region=region, period=period)
    span = f"{f.date_from or '…'} 至 {f.date_to or '…'}" if f.date_from or f.date_to \
        else "全部年度"
    table = Table(title=f"{f.region_name}（{f.region or '全部'}）生态修复指标 · {span}")
    table.add_column("指标")
    table.add_column("数值", justify="right")
    r = f.restoration
    rows = [
        ("关闭生态敏感区非煤矿山（家）", f"{f.closures.mines}"),
        ("  关闭投入资金（元）", f"{f.closures.investment:,.2f}"),
        ("废弃露天矿山修复面积（公顷，已验收）", f"{r.area_ha:,.2f}"),
        ("  修复资金（元）", f"{r.funds:,.2f}"),
        ("  占全市修复总量", f"{r.share * 100:.2f}%" if r.share is not None else "—"),
        ("  全市排名", f"第 {r.rank} 位 / {len(r.districts)} 个区县" if r.rank else "—"),
        ("  全市修复总量（公顷）", f"{r.city_area_ha:,.2f}"),
        ("其他生态修复（废渣库等）", f"{r.other_sites} 处，{r.other_area_ha:,.2f} 公顷，"
                                 f"{r.other_funds:,.2f} 元"),
        ("建成绿色矿山（家）", f"{f.green_mines.mines}"),
        ("  绿色矿山建设投入（元）", f"{f.green_mines.investment:,.2f}"),
        ("  工业广场 / 密闭车间 / 绿化 / 复垦复绿（m²）",
         f"{f.green_mines.industrial_square_m2:,.0f} / {f.green_mines.enclosed_workshop_m2:,.0f}"
         f" / {f.green_mines.greening_m2:,.0f} / {f.green_mines.reclaimed_m2:,.0f}"),
        ("  硬化道路（m）/ 栽植树木（株）",
         f"{f.green_mines.roads_hardened_m:,.0f} / {f.green_mines.trees_planted:,}"),
        ("剩余砂石处置（宗）", f"{f.sand.cases}"),
        ("  处置收益（元）", f"{f.sand.revenue:,.2f}"),
        ("土地综合整治项目（个）", f"{f.land.projects}"),
        ("  投入资金（元）", f"{f.land.investment:,.2f}"),
        ("  建成高标准农田（亩）", f"{f.land.high_standard_farmland_mu:,.2f}"),
        ("  新增耕地（亩）", f"{f.land.new_cultivated_mu:,.2f}"),
        ("  整治面积（公顷）", f"{f.land.area_ha:,.2f}"),
    ]
    for label, value in rows:
        table.add_row(label, value)
    cli.console.print(table)
