"""``minsheng rules``: the regional parameters in force, with their sources."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from minsheng.platform import cli
from minsheng.platform.errors import DomainError, invalid_field
from minsheng.platform.months import label, month_of, parse_month
from minsheng.platform.rulebook.views import prefix_name, rulebook_in_force

app = typer.Typer(help="政策参数 Rulebook: regional parameters in force", no_args_is_help=True)


@app.command("show")
def rules_show(
    month: Annotated[str, typer.Option(help="月份 YYYY-MM，默认本月")] = "",
    region: Annotated[str, typer.Option(help="区划代码（2、4 或 6 位），只列该地区适用的")] = "",
) -> None:
    """列出某月施行的全部政策参数及其依据 List every parameter in force with its source."""
    try:
        period = parse_month(month) if month else month_of(date.today())
    except DomainError as error:
        cli.fail(error)
    region = region.strip()
    if region and not (region.isdigit() and len(region) in (2, 4, 6)):
        cli.fail(invalid_field("region", "区划代码应为 2、4 或 6 位数字",
                               "a region code is 2, 4 or 6 digits"))
    with cli.session_scope() as session:
        views = rulebook_in_force(session, period, region)
    where = prefix_name(region) if region else "全部地区"
    cli.console.print(f"[bold]{label(period)} 施行的政策参数[/bold]（{where}）")
    for view in views:
        table = Table(title=view.label, title_justify="left", show_lines=True)
        for column in ("地区", "施行期间"):
            table.add_column(column, no_wrap=True)
        for column in ("参数", "依据", "核实"):
            table.add_column(column)
        for row in view.rows:
            table.add_row(row.region, row.span,
                          "\n".join(f"{name}：{value}" for name, value in row.values),
                          row.source, row.status_label)
        if not view.rows:
            table.add_row("—", "—", "未发布", "—", "—")
        cli.console.print(table)
