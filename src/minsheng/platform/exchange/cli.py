"""``minsheng peer`` and ``minsheng exchange``: the peers of this node, the delivery
worker, the status, link tests and key rotation."""

from __future__ import annotations

import json
import threading
import time
from typing import Annotated

import typer
from rich.table import Table

from minsheng.platform import cli
from minsheng.platform.config import get_settings
from minsheng.platform.exchange import service, worker
from minsheng.platform.security.principal import SYSTEM

peer_app = typer.Typer(help="对端节点 Peer nodes", no_args_is_help=True)
exchange_app = typer.Typer(help="川渝通办报文交换 Exchange between nodes", no_args_is_help=True)


@peer_app.command("add")
def peer_add(
    node: Annotated[str, typer.Argument(help="对端节点：cq 或 sc")],
    url: Annotated[str, typer.Option(help="对端服务地址，如 http://127.0.0.1:8001")],
    public_key: Annotated[str, typer.Option(help="对端公钥（Base64，对端 minsheng exchange key）")],
    key_id: Annotated[str, typer.Option(help="对端密钥编号")],
    name: Annotated[str, typer.Option(help="显示名称")] = "",
) -> None:
    """登记或更新对端节点 Add (or update) a peer node and its public key."""
    with cli.session_scope() as session:
        peer = service.add_peer(session, SYSTEM, node_id=node, url=url, public_key=public_key,
                                key_id=key_id, name=name)
        cli.console.print(f"[green]已登记对端节点[/green] {peer.node_id} {peer.url}")


@peer_app.command("list")
def peer_list() -> None:
    """列出对端节点 List the peer nodes."""
    with cli.session_scope() as session:
        table = Table(title="对端节点 Peers")
        for column in ("节点", "名称", "地址", "本节点签名密钥"):
            table.add_column(column)
        for peer in service.peers(session):
            table.add_row(peer.node_id, peer.name, peer.url, peer.signing_key_id or "")
        cli.console.print(table)


@exchange_app.command("key")
def key(as_json: Annotated[bool, typer.Option("--json", help="JSON 输出")] = False) -> None:
    """本节点的公钥（交给对端 peer add）This node's id, key id and public key."""
    with cli.session_scope() as session:
        found = service.identity(session)
    if as_json:
        print(json.dumps({"node_id": found.node_id, "key_id": found.key_id,
                          "public_key": found.public_key}))
    else:
        cli.console.print(f"节点 {found.node_id}\n密钥编号 {found.key_id}\n公钥 {found.public_key}")


@exchange_app.command("rotate-key")
def rotate_key() -> None:
    """生成新密钥并通知各对端（旧密钥在重叠期内仍有效）Rotate this node's key."""
    with cli.session_scope() as session:
        new = service.rotate_key(session, SYSTEM)
        cli.console.print(f"[green]已生成新密钥[/green] {new.key_id}，已排队通知各对端")


@exchange_app.command("run")
def run(
    seconds: Annotated[float, typer.Option(help="运行多少秒后退出；0 表示直到 Ctrl-C")] = 0,
    once: Annotated[bool, typer.Option("--once", help="只投递一轮")] = False,
) -> None:
    """投递发件箱中的报文（失败按指数退避重试）Run the delivery worker."""
    settings = get_settings()
    stop = threading.Event()
    totals = {"delivered": 0, "retrying": 0, "failed": 0}

    def report(result: service.DeliveryReport) -> None:
        for name in totals:
            totals[name] += getattr(result, name)
        if result.attempted:
            cli.console.print(f"已送达 {totals['delivered']}，待重试 {result.retrying}，"
                              f"失败 {totals['failed']}")
        if once:
            stop.set()

    if seconds > 0:
        threading.Timer(seconds, stop.set).start()
    with cli.session_factory() as factory:
        try:
            worker.run(factory, stop, settings=settings, on_pass=report)
        except KeyboardInterrupt:
            stop.set()
    cli.console.print(f"[green]投递结束[/green] 已送达 {totals['delivered']}，"
                      f"失败 {totals['failed']}")


@exchange_app.command("status")
def status(as_json: Annotated[bool, typer.Option("--json", help="JSON 输出")] = False) -> None:
    """发件箱和收件箱的状态 Outbox and inbox counts."""
    with cli.session_scope() as session:
        found = service.status(session)
    if as_json:
        print(json.dumps(found.as_json()))
        return
    table = Table(title="报文交换状态 Exchange status")
    table.add_column("项目")
    table.add_column("数量", justify="right")
    for label, value in (("发件待投递", found.outbox["pending"]),
                         ("发件已送达", found.outbox["delivered"]),
                         ("发件失败", found.outbox["failed"]),
                         ("收件已办理", found.inbox["applied"]),
                         ("收件拒收", found.inbox["rejected"]),
                         ("重复投递已丢弃", found.inbox["duplicates_dropped"])):
        table.add_row(label, str(value))
    cli.console.print(table)
    if found.oldest_pending_seconds is not None:
        cli.console.print(f"最早待投递报文已等待 {found.oldest_pending_seconds} 秒")


@exchange_app.command("ping")
def ping(
    to: Annotated[str, typer.Option(help="对端节点")],
    count: Annotated[int, typer.Option(help="报文数")] = 1,
) -> None:
    """向对端发送链路测试报文 Queue link-test envelopes to a peer."""
    started = time.perf_counter()
    with cli.session_scope() as session:
        ids = service.probe(session, SYSTEM, to, count)
    cli.console.print(f"[green]已排队[/green] {len(ids)} 份链路测试报文"
                      f"（{time.perf_counter() - started:.2f} 秒）")


@exchange_app.command("retry")
def retry(
    ids: Annotated[list[int] | None, typer.Option("--id", help="发件箱编号；不填为全部失败报文")]
    = None,
) -> None:
    """重新投递失败的报文 Send failed envelopes again."""
    with cli.session_scope() as session:
        count = service.retry(session, SYSTEM, ids)
    cli.console.print(f"[green]已重新排队[/green] {count} 份报文")
