"""``minsheng pension``: the monthly pension payroll."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from minsheng.hrss.pension import service
from minsheng.platform import cli
from minsheng.platform.security.principal import SYSTEM

app = typer.Typer(help="养老待遇 Pensions", no_args_is_help=True)


@app.command("payroll")
def payroll(
    month: Annotated[str, typer.Option(help="发放月份 YYYY-MM")],
    out: Annotated[Path | None, typer.Option(help="银行代发文件（CSV）保存路径")] = None,
) -> None:
    """按月发放养老金（可重复运行，不会重复支付）Run a month's pension payroll."""
    cli.run_payroll("养老金发放", month, out, "pension",
                    lambda factory, tick: service.run_payroll(factory, SYSTEM, month=month,
                                                              progress=tick))
