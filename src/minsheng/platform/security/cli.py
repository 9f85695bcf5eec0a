"""``minsheng user`` and ``minsheng audit``: accounts and the audit chain."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from minsheng.platform import cli
from minsheng.platform.security import service
from minsheng.platform.security.audit import verify_chain
from minsheng.platform.security.principal import SYSTEM

user_app = typer.Typer(help="账户管理 Accounts", no_args_is_help=True)
audit_app = typer.Typer(help="审计链 Audit chain", no_args_is_help=True)


@user_app.command("add")
def user_add(
    username: str,
    role: Annotated[str, typer.Option(help="clerk | case_officer | reviewer | statistician | "
                                           "admin | auditor | citizen | employer")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    region: Annotated[str, typer.Option(help="管辖区划代码，如 500103；空表示全市")] = "",
) -> None:
    """新增账户 Add an account."""
    with cli.session_scope() as session:
        user = service.add_user(session, actor=SYSTEM, username=username, role=role,
                                password=password, region_code=region)
        scope = region or "全部"
        cli.console.print(f"[green]已创建账户[/green] {user.username}（{user.role}，{scope}）")


@audit_app.command("verify")
def audit_verify() -> None:
    """校验审计链 Verify the audit chain; non-zero exit names the first broken event."""
    with cli.session_scope() as session:
        report = verify_chain(session)
    if report.intact:
        cli.console.print(f"[green]审计链完整[/green]：{report.events} 条事件")
        return
    cli.console.print(
        f"[red]审计链断裂[/red]：第一个异常事件 seq={report.broken_seq}（{report.reason}）"
    )
    sys.exit(1)
