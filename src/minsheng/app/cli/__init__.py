"""``minsheng``: the command line (Typer + Rich).

The commands of the whole system (init, serve, demo, synth) are here; each domain's
command group comes from its declaration (``Domain.cli``), so adding a domain adds its
commands without touching this file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.progress import TaskID
from rich.table import Table
from sqlalchemy import inspect

from minsheng.app import demo as demo_data
from minsheng.app import demo_federation as federation
from minsheng.app.assembly import assemble
from minsheng.platform import cli
from minsheng.platform.calendar import service as calendar
from minsheng.platform.config import get_settings
from minsheng.platform.db import ensure_database, make_engine, make_session_factory, upgrade
from minsheng.platform.exchange import worker as exchange_worker
from minsheng.platform.exchange.service import NODE_NAMES
from minsheng.platform.security import audit
from minsheng.synth import copy_load, load

app = typer.Typer(help="民生 Minsheng：人力社保公共服务平台", no_args_is_help=True)


def _add_domain_commands() -> None:
    """Each domain's command groups; groups of the same name (``ecology``) are merged."""
    groups: dict[str, typer.Typer] = {}
    for domain in assemble():
        for name, group in domain.cli:
            if name not in groups:
                # A group with its own callback runs by itself (``minsheng scorecard
                # --region 50``) and is added as it is.
                groups[name] = (group if group.registered_callback is not None else
                                typer.Typer(help=group.info.help, no_args_is_help=True))
                app.add_typer(groups[name], name=name)
                if groups[name] is group:
                    continue
            groups[name].registered_commands.extend(group.registered_commands)
            groups[name].registered_groups.extend(group.registered_groups)


@contextmanager
def _synth_progress() -> Iterator[tuple[Callable[[str, int], None], Callable[[str, int], None]]]:
    labels = {"people": "人员、家庭、单位与参保", "indexes": "重建索引与外键"}
    tasks: dict[str, TaskID] = {}
    with cli.progress_bar() as bar:

        def start(kind: str, total: int) -> None:
            tasks[kind] = bar.add_task(labels.get(kind, kind), total=total)

        def advance(kind: str, n: int) -> None:
            bar.advance(tasks[kind], n)

        yield start, advance



@app.command()
def init() -> None:
    """创建或升级数据库到最新结构 Create or upgrade the database, seed the calendar."""
    url = cli.database_url()
    upgrade(url)
    with cli.session_scope() as session:
        added = calendar.seed_from_chinese_calendar(session)
    cli.console.print(f"[green]数据库已就绪[/green] {url.split('@')[-1]}（新增节假日年份 {added}）")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="工作进程数（生产环境每个 CPU 核一个）")] = 1,
) -> None:
    """启动 Web 服务 Serve the web UI and API."""
    import uvicorn

    from minsheng.app.web import create_app

    engine = make_engine(cli.database_url())
    ready = inspect(engine).has_table("alembic_version")
    engine.dispose()
    if not ready:
        cli.console.print("[red]数据库尚未初始化，请先运行 minsheng init[/red]\n"
                      "[dim]The database is not initialised; run `minsheng init` first.[/dim]")
        raise typer.Exit(2)
    cli.console.print(f"[green]服务地址[/green] http://{host}:{port}/  （Ctrl-C 退出）")
    # Production seals the audit chain in one thread per worker (read by each worker).
    os.environ.setdefault("MINSHENG_AUDIT_SEAL_IN_BACKGROUND", "true")
    get_settings.cache_clear()
    settings = get_settings()
    factory = make_session_factory(make_engine(settings.database_url))
    sealer = audit.start_sealer(factory, settings.audit_seal_seconds)
    # The exchange's delivery worker sends the outbox to the peer nodes meanwhile.
    delivery = (exchange_worker.start_background(factory, settings)
                if settings.exchange_worker else None)
    try:
        if workers == 1:
            uvicorn.run(create_app(), host=host, port=port, log_level="info")
        else:
            # Each worker process builds its own app (and engine) from the same settings.
            uvicorn.run("minsheng.app.web:create_app", factory=True, host=host, port=port,
                        workers=workers, log_level="info")
    finally:
        sealer.stop()
        if delivery is not None:
            delivery.set()


@app.command()
def demo(
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve", help="加载后启动服务")] = True,
    host: str = "127.0.0.1",
    port: int = 8000,
    federated: Annotated[bool, typer.Option(
        "--federated", help="川渝两个节点：重庆（端口 PORT）与四川（端口 PORT+1），"
        "各自数据库、密钥和演示数据，互为对端")] = False,
) -> None:
    """建库、加载演示数据并启动服务 Create the database, load demo data, serve."""
    if federated:
        _federated_demo(serve_after, host, port)
        return
    init()
    with cli.session_factory() as factory, _synth_progress() as (start, advance):
        accounts = demo_data.load(factory, start=start, advance=advance)
    _print_accounts("演示账户 Demo accounts", accounts)
    if serve_after:
        serve(host=host, port=port)


def _print_accounts(title: str, accounts: list[demo_data.DemoAccount]) -> None:
    table = Table(title=title)
    for column in ("用户名", "密码", "角色", "管辖区域"):
        table.add_column(column)
    for account in accounts:
        table.add_row(account.username, account.password, account.role_label,
                      account.region_label)
    cli.console.print(table)


def _use_node(node: str, url: str) -> None:
    """Point this process's settings at one node (its database and node id)."""
    os.environ["MINSHENG_DATABASE_URL"] = url
    os.environ["MINSHENG_NODE_ID"] = node
    get_settings.cache_clear()


def _federated_demo(serve_after: bool, host: str, port: int) -> None:
    urls = federation.node_urls(cli.database_url())
    ports = {"cq": port, "sc": port + 1}
    for node in ("cq", "sc"):
        _use_node(node, urls[node])
        ensure_database(urls[node])
        init()
        with cli.session_factory() as factory:
            if node == "cq":
                with _synth_progress() as (start, advance):
                    accounts = demo_data.load(factory, start=start, advance=advance)
            else:
                accounts = federation.load_sichuan(factory)
        _print_accounts(f"{NODE_NAMES[node]}节点 http://{host}:"
                        f"{ports[node]}/ 演示账户", accounts)
    engines = {node: make_engine(urls[node]) for node in urls}
    try:
        factories = {node: make_session_factory(engines[node]) for node in urls}
        federation.connect(*(federation.Peering(node, f"http://{host}:{ports[node]}",
                                                factories[node]) for node in ("cq", "sc")))
        shared = federation.share_vacancies(factories["cq"])
        cli.console.print(f"[cyan]•[/cyan] 一点通：重庆最新 {shared} 个岗位已共享到"
                          "四川节点的招聘求职页")
        for line in federation.cases(factories["cq"]):
            cli.console.print(f"[cyan]•[/cyan] {line}")
    finally:
        for engine in engines.values():
            engine.dispose()
    if not serve_after:
        return
    servers = [subprocess.Popen(
        [sys.executable, "-m", "minsheng.app.cli", "serve", "--host", host, "--port",
         str(ports[node])],
        env={**os.environ, "MINSHENG_DATABASE_URL": urls[node], "MINSHENG_NODE_ID": node})
        for node in ("cq", "sc")]
    try:
        for server in servers:
            server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for server in servers:
            server.terminate()


@app.command()
def synth(
    scale: Annotated[float, typer.Option(help="1.0 ≈ 3500 万人")] = 0.001,
    seed: Annotated[int, typer.Option(help="随机种子")] = 1,
    copy: Annotated[bool, typer.Option(
        "--copy", help="城市规模快速加载（仅 PostgreSQL 空库；可中断后续传）："
        "COPY 写入全部业务记录，加载后重建索引")] = False,
    chunk_size: Annotated[int, typer.Option(help="每批人数")] = 100_000,
) -> None:
    """生成合成城市人口 Generate the synthetic city (people, households, employers).

    With ``--copy``: the city-scale load of every record the scorecard reads (cards,
    contributions, pensions, employment and unemployment), into an empty PostgreSQL
    database; run it again with the same options to resume an interrupted load."""
    if scale <= 0 or scale > 2:
        cli.console.print("[red]scale 应在 (0, 2] 之间 / scale must be in (0, 2][/red]")
        raise typer.Exit(2)
    if copy:
        try:
            with cli.session_factory() as factory, _synth_progress() as (start, advance):
                report = copy_load.load_city_copy(factory, scale=scale, seed=seed,
                                                  chunk_size=chunk_size, start=start,
                                                  advance=advance)
        except copy_load.LoadRefused as refused:
            cli.console.print(f"[red]{refused}[/red]")
            raise typer.Exit(2) from None
        cli.console.print(
            f"[green]已加载[/green] {report.total_rows:,} 行，"
            f"用时 {report.seconds['total']:.0f} 秒："
            + "，".join(f"{k} {v:,}" for k, v in report.rows.items() if v))
        return
    with cli.session_factory() as factory, _synth_progress() as (start, advance):
        counts = load.load_synthetic_city(factory, scale=scale, seed=seed, start=start,
                                          advance=advance)
    cli.console.print("[green]已生成[/green] " + "，".join(f"{k} {v:,}" for k, v in counts.items()))


_add_domain_commands()
