"""``minsheng cards``: housekeeping of social security cards."""

from __future__ import annotations

import typer

from minsheng.hrss.cards import service
from minsheng.platform import cli

app = typer.Typer(help="社会保障卡 Social security cards", no_args_is_help=True)


@app.command("lapse")
def lapse() -> None:
    """临时挂失到期自动解除 Lapse temporary loss reports past their window."""
    with cli.session_scope() as session:
        count = service.lapse_temporary_reports(session)
    cli.console.print(f"[green]已处理[/green] 到期临时挂失 {count} 张")
