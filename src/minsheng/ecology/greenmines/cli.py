"""``minsheng ecology indicator-sets``: the national green-mine indicator sets."""

from __future__ import annotations

import typer

from minsheng.ecology.greenmines import service
from minsheng.platform import cli
from minsheng.platform.security.principal import SYSTEM

app = typer.Typer(help="生态修复与土地整治 Ecology", no_args_is_help=True)


@app.command("indicator-sets")
def ecology_indicator_sets() -> None:
    """载入国家绿色矿山指标体系 Load the national green-mine indicator sets (idempotent)."""
    with cli.session_scope() as session:
        added = service.ensure_standard_sets(session, SYSTEM)
    cli.console.print(f"[green]已载入[/green] {', '.join(added) or '（均已存在）'}")
