"""``minsheng scorecard``: the scorecard of a region and period as a table, JSON or a
workbook; ``minsheng scorecard target``: plan targets."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from minsheng.hrss.scorecard import rules, service
from minsheng.hrss.scorecard.schemas import TargetSet, figure_text
from minsheng.platform import cli
from minsheng.platform.security.principal import SYSTEM

app = typer.Typer(help="民生答卷 Scorecard: every figure of the article from records",
                  invoke_without_command=True)


@app.callback()
def scorecard(
    ctx: typer.Context,
    region: Annotated[str, typer.Option(help="区划代码或前缀：50 全市，500102 涪陵区")] = "50",
    period: Annotated[str, typer.Option(
        help="统计期间：2020、2020Q1、2020-03 或 2016-2020")] = "2016-2020",
    xlsx: Annotated[Path | None, typer.Option(help="另存为 Excel 工作簿")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出")] = False,
    fresh: Annotated[bool, typer.Option(help="不用缓存，全部重新计算")] = False,
) -> None:
    """民生答卷 Every indicator for a region and period, against its plan target."""
    if ctx.invoked_subcommand is not None:
        return
    with cli.session_scope() as session:
        card = service.scorecard(session, SYSTEM, region=region, period=period, fresh=fresh)
        content = service.workbook(card) if xlsx else None
    if xlsx is not None and content is not None:
        xlsx.write_bytes(content)
    if as_json:
        typer.echo(json.dumps([{
            "id": r.indicator.id, "name": r.indicator.name, "value": figure_text(r.value),
            "unit": r.indicator.unit, "target": figure_text(r.target.value) if r.target else None,
            "region": card.region, "period": card.period.text} for r in card.rows],
            ensure_ascii=False, indent=1))
        return
    table = Table(title=f"民生答卷 · {card.region_name}（{card.region}）· {card.period.label}")
    for column, justify in (("指标", "left"), ("数值", "right"), ("单位", "left"),
                            ("目标", "right"), ("达标", "left"), ("文章数字", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for row in card.rows:
        value = "—" if row.value is None else f"{row.value:,}"
        standing = rules.STANDING_LABELS[row.standing] if row.standing else ""
        if row.standing is rules.Standing.NOT_MET:
            standing = f"[red]{standing}[/red]"
        table.add_row(row.indicator.name, value, row.indicator.unit,
                      row.target.text if row.target else "", standing,
                      row.indicator.article or "")
    cli.console.print(table)
    if xlsx is not None:
        cli.console.print(f"已保存 {xlsx}")


@app.command("refresh")
def refresh(
    region: Annotated[str, typer.Option(help="区划代码或前缀：50 全市")] = "50",
    period: Annotated[list[str] | None, typer.Option(
        help="统计期间，可重复；默认本年。每个期间连同其趋势年度一并计算")] = None,
) -> None:
    """更新统计汇总 Recompute the summary the scorecard pages read (run on a schedule)."""
    items = service.visible(SYSTEM)
    with cli.session_scope() as session, cli.progress_bar() as bar:
        task = bar.add_task("计算指标", total=len(items))
        done = service.refresh(session, SYSTEM, region=region, periods=period or (),
                               progress=lambda _item: bar.advance(task))
    total = sum(done.seconds.values())
    table = Table(title=f"统计汇总已更新 · {service.region_name(done.region)}（{done.region}）")
    table.add_column("指标")
    table.add_column("秒", justify="right")
    names = {i.id: i.name for i in items}
    for indicator_id, seconds in sorted(done.seconds.items(), key=lambda kv: -kv[1])[:10]:
        table.add_row(names[indicator_id], f"{seconds:.2f}")
    cli.console.print(table)
    cli.console.print(f"期间 {'、'.join(done.periods)}；{len(items)} 项指标，"
                      f"{done.statements} 条汇总语句，共 {total:.1f} 秒")


target_app = typer.Typer(help="规划目标 Plan targets", no_args_is_help=True)
app.add_typer(target_app, name="target")


@target_app.command("set")
def set_target(
    indicator_id: Annotated[str, typer.Argument(
        help="指标编号，见 minsheng scorecard target list")],
    value: Annotated[str, typer.Argument(help="目标值（比率以百分数计，如 95）")],
    region: Annotated[str, typer.Option(help="区划代码或前缀")] = "50",
    years: Annotated[str, typer.Option(help="规划年度，如 2016-2020")] = "2016-2020",
    at_most: Annotated[bool, typer.Option("--at-most", help="目标为上限（如失业率）")] = False,
    note: Annotated[str, typer.Option(help="依据，如规划文件名")] = "",
) -> None:
    """设定规划目标 Enter or change a plan target."""
    first, _, last = years.partition("-")
    try:
        data = TargetSet(indicator_id=indicator_id, region=region, first_year=int(first),
                         last_year=int(last or first), direction="<=" if at_most else ">=",
                         value=Decimal(value), note=note)
    except (ValueError, ArithmeticError) as exc:
        cli.console.print(f"[red]输入有误 / invalid input: {exc}[/red]")
        raise typer.Exit(2) from exc
    with cli.session_scope() as session:
        target = service.set_target(session, SYSTEM, data)
        text = f"{target.indicator_id} {target.region} {target.first_year}-{target.last_year}"
    cli.console.print(f"已设定目标：{text} {data.direction} {data.value}")


@target_app.command("list")
def list_targets() -> None:
    """规划目标和指标目录 The catalogue with each indicator's targets."""
    with cli.session_scope() as session:
        found = service.targets(session, SYSTEM)
        table = Table(title="指标目录与规划目标")
        for column in ("编号", "指标", "单位", "来源", "目标"):
            table.add_column(column)
        for item in service.visible(SYSTEM):
            own = [f"{t.region} {t.first_year}-{t.last_year} {t.direction} {t.value:f}"
                   for t in found if t.indicator_id == item.id]
            table.add_row(item.id, item.name, item.unit, item.domain, "\n".join(own))
    cli.console.print(table)
