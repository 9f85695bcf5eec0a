"""``minsheng user`` and ``minsheng audit``: accounts and the audit chain."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from minsheng.platform import cli
from minsheng.platform.security import service, throttle
from minsheng.platform.security.audit import seal, verify_chain
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


@user_app.command("unlock")
def user_unlock(
    username: Annotated[str, typer.Argument(help="被锁定的用户名（按登录时输入的写法）")] = "",
    address: Annotated[str, typer.Option(help="同时解除该网络地址（IP）的锁定")] = "",
) -> None:
    """解除登录锁定 Lift a sign-in lock-out (account and/or client address); audited."""
    if not username and not address:
        cli.console.print("[red]请给出用户名或 --address[/red]")
        raise typer.Exit(2)
    with cli.session_scope() as session:
        lifted = throttle.unlock(session, actor=SYSTEM.username, username=username,
                                 address=address)
    if not lifted:
        cli.console.print("没有登录失败记录，无需解锁")
        return
    for lift in lifted:
        what = "账户" if lift.kind == throttle.ACCOUNT else "网络地址"
        state = "已解除锁定" if lift.was_locked else "未锁定，已清零失败次数"
        cli.console.print(f"[green]{what} {lift.key}[/green]：{state}")


@user_app.command("passwd")
def user_passwd(
    username: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True,
                                          confirmation_prompt=True)],
) -> None:
    """重设密码 Set a new password; every signed-in session of the account ends."""
    with cli.session_scope() as session:
        user = service.find_user(session, username)
        revoked = service.set_password(session, actor=SYSTEM, user=user, password=password)
    cli.console.print(f"[green]已重设密码[/green] {username}；已注销 {revoked} 个登录会话")


@audit_app.command("verify")
def audit_verify() -> None:
    """校验审计链 Seal the events still waiting, then verify the whole chain; a non-zero
    exit names the first broken event."""
    with cli.session_scope() as session:
        seal(session)
        report = verify_chain(session)
    if report.intact:
        cli.console.print(f"[green]审计链完整[/green]：{report.events} 条事件")
        return
    cli.console.print(
        f"[red]审计链断裂[/red]：第一个异常事件为链上第 {report.broken_link} 条（{report.reason}）"
    )
    sys.exit(1)
