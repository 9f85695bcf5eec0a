"""``minsheng contributions``: the monthly assessment and government-paid contributions."""

from __future__ import annotations

from typing import Annotated

import typer

from minsheng.hrss.insurance import service
from minsheng.platform import cli
from minsheng.platform.errors import DomainError
from minsheng.platform.security.principal import SYSTEM

app = typer.Typer(help="缴费核定 Contributions", no_args_is_help=True)


@app.command("assess")
def assess(
    month: Annotated[str, typer.Option(help="核定月份 YYYY-MM")],
    region: Annotated[str, typer.Option(help="区划代码前缀，如 500103；空表示全部")] = "",
    recheck: Annotated[bool, typer.Option(
        help="逐段重新核定（跳过已有记录），用于台账无法察觉的更正")] = False,
) -> None:
    """按月核定缴费（可重复运行，结果不变）Assess a month's contributions (idempotent)."""
    with cli.session_factory() as factory, cli.progress_bar() as bar:
        task = bar.add_task(f"核定 {month}", total=None)

        def tick(batch: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"核定 {month} 批次 {batch}")

        try:
            run = service.assess_month(factory, SYSTEM, month=month, region_prefix=region,
                                       progress=tick, recheck=recheck)
        except DomainError as exc:
            bar.stop()
            cli.fail(exc)
    cli.console.print(f"[green]核定完成[/green] {month}：新增 {run.inserted_rows:,} 条缴费记录"
                      f"（运行 {run.id}）")


@app.command("government-pay")
def government_pay(
    year: Annotated[int, typer.Option(help="年度")],
    region: Annotated[str, typer.Option(help="区划代码前缀")] = "",
) -> None:
    """城乡居民养老保险政府代缴 Government-paid resident-pension contributions."""
    with cli.session_scope() as session:
        count = service.government_pay_resident(session, SYSTEM, year=year, region_prefix=region)
    cli.console.print(f"[green]代缴完成[/green] {year} 年：新增 {count:,} 人")
