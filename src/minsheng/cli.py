"""``minsheng``: the command line of the platform (Typer + Rich)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from minsheng.platform import regions
from minsheng.platform.config import get_settings
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work, upgrade
from minsheng.platform.errors import DomainError
from minsheng.platform.security.principal import SYSTEM

app = typer.Typer(help="民生 Minsheng：人力社保公共服务平台", no_args_is_help=True)
user_app = typer.Typer(help="账户管理 Accounts", no_args_is_help=True)
import_app = typer.Typer(help="批量导入 Bulk import", no_args_is_help=True)
audit_app = typer.Typer(help="审计链 Audit chain", no_args_is_help=True)
calendar_app = typer.Typer(help="法定节假日 Holiday calendar", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(import_app, name="import")
app.add_typer(audit_app, name="audit")
app.add_typer(calendar_app, name="calendar")
contributions_app = typer.Typer(help="缴费核定 Contributions", no_args_is_help=True)
app.add_typer(contributions_app, name="contributions")
pension_app = typer.Typer(help="养老待遇 Pensions", no_args_is_help=True)
app.add_typer(pension_app, name="pension")
cards_app = typer.Typer(help="社会保障卡 Social security cards", no_args_is_help=True)
app.add_typer(cards_app, name="cards")
ecology_app = typer.Typer(help="生态修复与土地整治 Ecology", no_args_is_help=True)
app.add_typer(ecology_app, name="ecology")
unemployment_app = typer.Typer(help="失业保险 Unemployment insurance", no_args_is_help=True)
app.add_typer(unemployment_app, name="unemployment")
refunds_app = typer.Typer(help="稳岗返还 Job-stabilisation refunds", no_args_is_help=True)
app.add_typer(refunds_app, name="refunds")
employment_app = typer.Typer(help="就业服务 Employment services", no_args_is_help=True)
app.add_typer(employment_app, name="employment")
console = Console()


def _database_url() -> str:
    return get_settings().database_url


@contextmanager
def _session() -> Iterator[Session]:
    engine = make_engine(_database_url())
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            yield session
    except DomainError as exc:
        console.print(f"[red]错误：{exc.message}[/red]\n[dim]{exc.message_en}[/dim]")
        for e in exc.errors:
            console.print(f"  - {e.field}: {e.message} / {e.message_en}")
        raise typer.Exit(2) from exc
    finally:
        engine.dispose()


@contextmanager
def _factory() -> Iterator[sessionmaker[Session]]:
    engine = make_engine(_database_url())
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


@contextmanager
def _synth_progress() -> Iterator[tuple[Callable[[str, int], None], Callable[[str, int], None]]]:
    labels = {"people": "人员、家庭、单位与参保"}
    tasks: dict[str, TaskID] = {}
    with progress_bar() as bar:

        def start(kind: str, total: int) -> None:
            tasks[kind] = bar.add_task(labels.get(kind, kind), total=total)

        def advance(kind: str, n: int) -> None:
            bar.advance(tasks[kind], n)

        yield start, advance


def progress_bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console,
    )


@app.command()
def init() -> None:
    """创建或升级数据库到最新结构 Create or upgrade the database, seed the calendar."""
    from minsheng.platform.calendar import service as calendar

    url = _database_url()
    upgrade(url)
    with _session() as session:
        added = calendar.seed_from_chinese_calendar(session)
    console.print(f"[green]数据库已就绪[/green] {url.split('@')[-1]}（新增节假日年份 {added}）")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
) -> None:
    """启动 Web 服务 Serve the web UI and API."""
    import uvicorn
    from sqlalchemy import inspect

    from minsheng.web.app import create_app

    engine = make_engine(_database_url())
    ready = inspect(engine).has_table("alembic_version")
    engine.dispose()
    if not ready:
        console.print("[red]数据库尚未初始化，请先运行 minsheng init[/red]\n"
                      "[dim]The database is not initialised; run `minsheng init` first.[/dim]")
        raise typer.Exit(2)
    console.print(f"[green]服务地址[/green] http://{host}:{port}/  （Ctrl-C 退出）")
    uvicorn.run(create_app(), host=host, port=port, log_level="info")


@app.command()
def demo(
    serve_after: Annotated[bool, typer.Option("--serve/--no-serve", help="加载后启动服务")] = True,
    host: str = "127.0.0.1",
    port: int = 8000,
) -> None:
    """建库、加载演示数据并启动服务 Create the database, load demo data, serve."""
    from minsheng import demo as demo_data

    init()
    with _factory() as factory, _synth_progress() as (start, advance):
        accounts = demo_data.load(factory, start=start, advance=advance)
    table = Table(title="演示账户 Demo accounts")
    for column in ("用户名", "密码", "角色", "管辖区域"):
        table.add_column(column)
    for account in accounts:
        table.add_row(account.username, account.password, account.role_label,
                      account.region_label)
    console.print(table)
    if serve_after:
        serve(host=host, port=port)


@user_app.command("add")
def user_add(
    username: str,
    role: Annotated[str, typer.Option(help="clerk | case_officer | reviewer | statistician | "
                                           "admin | auditor | citizen | employer")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    region: Annotated[str, typer.Option(help="管辖区划代码，如 500103；空表示全市")] = "",
) -> None:
    """新增账户 Add an account."""
    from minsheng.platform.security import service

    with _session() as session:
        user = service.add_user(session, actor=SYSTEM, username=username, role=role,
                                password=password, region_code=region)
        scope = region or "全部"
        console.print(f"[green]已创建账户[/green] {user.username}（{user.role}，{scope}）")


def _run_import(kind: str, file: Path) -> None:
    from minsheng.hrss.registry import imports

    if not file.is_file():
        console.print(f"[red]文件不存在：{file}[/red]")
        raise typer.Exit(2)
    with _session() as session, progress_bar() as bar:
        task = bar.add_task(f"导入 {file.name}", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        job = imports.run_import(session, SYSTEM, kind, file.name, file.read_bytes(),
                                 progress=tick)
        report = imports.report_of(job)
    console.print(
        f"共 {report.total_rows} 行：新增 [green]{report.inserted_rows}[/green]，"
        f"未变 {report.unchanged_rows}，错误 [red]{report.error_rows}[/red]（任务 {report.job_id}）"
    )
    for e in report.errors[:50]:
        console.print(f"  第 {e['row']} 行 {e['field']}：{e['message']} / {e['message_en']}")
    if len(report.errors) > 50:
        console.print(f"  …… 另有 {len(report.errors) - 50} 条，完整报告见网页导入记录")


@import_app.command("persons")
def import_persons(file: Path) -> None:
    """导入人员 Import people from .xlsx/.csv."""
    _run_import("persons", file)


@import_app.command("employers")
def import_employers(file: Path) -> None:
    """导入单位 Import employers from .xlsx/.csv."""
    _run_import("employers", file)


@app.command()
def synth(
    scale: Annotated[float, typer.Option(help="1.0 ≈ 3500 万人")] = 0.001,
    seed: Annotated[int, typer.Option(help="随机种子")] = 1,
) -> None:
    """生成合成城市人口 Generate the synthetic city (people, households, employers)."""
    from minsheng.synth import load

    if scale <= 0 or scale > 2:
        console.print("[red]scale 应在 (0, 2] 之间 / scale must be in (0, 2][/red]")
        raise typer.Exit(2)
    with _factory() as factory, _synth_progress() as (start, advance):
        counts = load.load_synthetic_city(factory, scale=scale, seed=seed, start=start,
                                          advance=advance)
    console.print("[green]已生成[/green] " + "，".join(f"{k} {v:,}" for k, v in counts.items()))


@audit_app.command("verify")
def audit_verify() -> None:
    """校验审计链 Verify the audit chain; non-zero exit names the first broken event."""
    from minsheng.platform.security.audit import verify_chain

    with _session() as session:
        report = verify_chain(session)
    if report.intact:
        console.print(f"[green]审计链完整[/green]：{report.events} 条事件")
        return
    console.print(
        f"[red]审计链断裂[/red]：第一个异常事件 seq={report.broken_seq}（{report.reason}）"
    )
    sys.exit(1)


@calendar_app.command("show")
def calendar_show() -> None:
    """列出已知节假日年份 Show the known years."""
    from minsheng.platform.calendar.service import load_calendar

    with _session() as session:
        cal = load_calendar(session)
    years = sorted(cal.known_years)
    console.print(f"已知年份 {years[0]}–{years[-1]}" if years else "尚无节假日数据，请先运行 init")


@calendar_app.command("add-year")
def calendar_add_year(
    file: Annotated[Path, typer.Argument(help="CSV：date,kind,name（kind 为 holiday 或 workday）")],
    source: Annotated[str, typer.Option(help="发布依据，如 国办发明电〔2026〕X号")] = "",
) -> None:
    """录入新一年的节假日安排 Add a year's published holiday arrangement."""
    import csv
    from datetime import date

    from minsheng.platform.calendar.service import publish_year

    holidays: list[tuple[date, str]] = []
    workdays: list[tuple[date, str]] = []
    with file.open(encoding="utf-8-sig", newline="") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            try:
                day = date.fromisoformat((row.get("date") or "").strip())
            except ValueError:
                console.print(f"[red]第 {line_no} 行日期无效 / line {line_no}: bad date[/red]")
                raise typer.Exit(2) from None
            kind = (row.get("kind") or "").strip()
            if kind not in ("holiday", "workday"):
                console.print(f"[red]第 {line_no} 行 kind 应为 holiday 或 workday[/red]")
                raise typer.Exit(2)
            (holidays if kind == "holiday" else workdays).append((day, row.get("name") or ""))
    years = {d.year for d, _ in holidays + workdays}
    if len(years) != 1:
        console.print("[red]文件须且只能包含一个年份 / the file must cover exactly one year[/red]")
        raise typer.Exit(2)
    year = years.pop()
    with _session() as session:
        publish_year(session, SYSTEM, year=year, holidays=holidays, adjusted_workdays=workdays,
                     source=source or file.name)
    console.print(
        f"[green]已录入 {year} 年[/green]：假日 {len(holidays)} 天，调休上班 {len(workdays)} 天"
    )


@contributions_app.command("assess")
def contributions_assess(
    month: Annotated[str, typer.Option(help="核定月份 YYYY-MM")],
    region: Annotated[str, typer.Option(help="区划代码前缀，如 500103；空表示全部")] = "",
) -> None:
    """按月核定缴费（可重复运行，结果不变）Assess a month's contributions (idempotent)."""
    from minsheng.hrss.insurance import service

    with _factory() as factory, progress_bar() as bar:
        task = bar.add_task(f"核定 {month}", total=None)

        def tick(batch: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=f"核定 {month} 批次 {batch}")

        try:
            run = service.assess_month(factory, SYSTEM, month=month, region_prefix=region,
                                       progress=tick)
        except DomainError as exc:
            bar.stop()
            console.print(f"[red]错误：{exc.message}[/red]\n[dim]{exc.message_en}[/dim]")
            raise typer.Exit(2) from exc
    console.print(f"[green]核定完成[/green] {month}：新增 {run.inserted_rows:,} 条缴费记录"
                  f"（运行 {run.id}）")


@contributions_app.command("government-pay")
def contributions_government_pay(
    year: Annotated[int, typer.Option(help="年度")],
    region: Annotated[str, typer.Option(help="区划代码前缀")] = "",
) -> None:
    """城乡居民养老保险政府代缴 Government-paid resident-pension contributions."""
    from minsheng.hrss.insurance import service

    with _session() as session:
        count = service.government_pay_resident(session, SYSTEM, year=year, region_prefix=region)
    console.print(f"[green]代缴完成[/green] {year} 年：新增 {count:,} 人")


@pension_app.command("payroll")
def pension_payroll(
    month: Annotated[str, typer.Option(help="发放月份 YYYY-MM")],
    out: Annotated[Path | None, typer.Option(help="银行代发文件（CSV）保存路径")] = None,
) -> None:
    """按月发放养老金（可重复运行，不会重复支付）Run a month's pension payroll."""
    from minsheng.hrss.pension import service

    with _factory() as factory, progress_bar() as bar:
        task = bar.add_task(f"发放 {month}", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            result = service.run_payroll(factory, SYSTEM, month=month, progress=tick)
        except DomainError as exc:
            bar.stop()
            console.print(f"[red]错误：{exc.message}[/red]\n[dim]{exc.message_en}[/dim]")
            raise typer.Exit(2) from exc
    target = out or Path(f"pension-{month}-run{result.run_id}.csv")
    target.write_bytes(result.bank_file)
    table = Table(title=f"{month} 养老金发放（按区县）")
    for column in ("区县", "笔数", "金额（元）"):
        table.add_column(column, justify="right" if column != "区县" else "left")
    for region, count, amount in result.by_region:
        table.add_row(f"{regions.name_of(region) or region}（{region}）", f"{count:,}",
                      f"{amount:,.2f}")
    console.print(table)
    console.print(f"本次送盘 {result.payments:,} 笔，合计 {result.total:,.2f} 元；"
                  f"代发文件 {target}，控制校验（SM3）{result.control_sum}")


@cards_app.command("lapse")
def cards_lapse() -> None:
    """临时挂失到期自动解除 Lapse temporary loss reports past their window."""
    from minsheng.hrss.cards import service

    with _session() as session:
        count = service.lapse_temporary_reports(session)
    console.print(f"[green]已处理[/green] 到期临时挂失 {count} 张")


@ecology_app.command("summary")
def ecology_summary(
    region: Annotated[str, typer.Option(help="区划代码，如 500102（涪陵区）；50 为全市")] = "50",
    date_from: Annotated[str, typer.Option("--from", help="起始日期 YYYY-MM-DD")] = "",
    date_to: Annotated[str, typer.Option("--to", help="截止日期 YYYY-MM-DD")] = "",
) -> None:
    """生态修复指标 The ecology figures of a region and period, computed from records."""
    from datetime import date

    from minsheng.ecology.common import Period
    from minsheng.ecology.overview import service

    try:
        period = Period(date.fromisoformat(date_from) if date_from else None,
                        date.fromisoformat(date_to) if date_to else None)
    except ValueError as exc:
        console.print(f"[red]日期格式应为 YYYY-MM-DD / dates are YYYY-MM-DD: {exc}[/red]")
        raise typer.Exit(2) from exc
    with _session() as session:
        f = service.summary(session, SYSTEM, region=region, period=period)
    span = f"{f.date_from or '…'} 至 {f.date_to or '…'}" if f.date_from or f.date_to \
        else "全部年度"
    table = Table(title=f"{f.region_name}（{f.region or '全部'}）生态修复指标 · {span}")
    table.add_column("指标")
    table.add_column("数值", justify="right")
    r = f.restoration
    rows = [
        ("关闭生态敏感区非煤矿山（家）", f"{f.closures.mines}"),
        ("  关闭投入资金（元）", f"{f.closures.investment:,.2f}"),
        ("废弃露天矿山修复面积（公顷，已验收）", f"{r.area_ha:,.2f}"),
        ("  修复资金（元）", f"{r.funds:,.2f}"),
        ("  占全市修复总量", f"{r.share * 100:.2f}%" if r.share is not None else "—"),
        ("  全市排名", f"第 {r.rank} 位 / {len(r.districts)} 个区县" if r.rank else "—"),
        ("  全市修复总量（公顷）", f"{r.city_area_ha:,.2f}"),
        ("其他生态修复（废渣库等）", f"{r.other_sites} 处，{r.other_area_ha:,.2f} 公顷，"
                                 f"{r.other_funds:,.2f} 元"),
        ("建成绿色矿山（家）", f"{f.green_mines.mines}"),
        ("  绿色矿山建设投入（元）", f"{f.green_mines.investment:,.2f}"),
        ("  工业广场 / 密闭车间 / 绿化 / 复垦复绿（m²）",
         f"{f.green_mines.industrial_square_m2:,.0f} / {f.green_mines.enclosed_workshop_m2:,.0f}"
         f" / {f.green_mines.greening_m2:,.0f} / {f.green_mines.reclaimed_m2:,.0f}"),
        ("  硬化道路（m）/ 栽植树木（株）",
         f"{f.green_mines.roads_hardened_m:,.0f} / {f.green_mines.trees_planted:,}"),
        ("剩余砂石处置（宗）", f"{f.sand.cases}"),
        ("  处置收益（元）", f"{f.sand.revenue:,.2f}"),
        ("土地综合整治项目（个）", f"{f.land.projects}"),
        ("  投入资金（元）", f"{f.land.investment:,.2f}"),
        ("  建成高标准农田（亩）", f"{f.land.high_standard_farmland_mu:,.2f}"),
        ("  新增耕地（亩）", f"{f.land.new_cultivated_mu:,.2f}"),
        ("  整治面积（公顷）", f"{f.land.area_ha:,.2f}"),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)


@ecology_app.command("indicator-sets")
def ecology_indicator_sets() -> None:
    """载入国家绿色矿山指标体系 Load the national green-mine indicator sets (idempotent)."""
    from minsheng.ecology.greenmines import service

    with _session() as session:
        added = service.ensure_standard_sets(session, SYSTEM)
    console.print(f"[green]已载入[/green] {', '.join(added) or '（均已存在）'}")



@unemployment_app.command("payroll")
def unemployment_payroll(
    month: Annotated[str, typer.Option(help="发放月份 YYYY-MM")],
    out: Annotated[Path | None, typer.Option(help="银行代发文件（CSV）保存路径")] = None,
) -> None:
    """按月发放失业保险金（可重复运行，不会重复支付）Run a month's benefit payroll."""
    from minsheng.hrss.unemployment import service

    with _factory() as factory, progress_bar() as bar:
        task = bar.add_task(f"发放 {month}", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            result = service.run_payroll(factory, SYSTEM, month=month, progress=tick)
        except DomainError as exc:
            bar.stop()
            console.print(f"[red]错误：{exc.message}[/red]\n[dim]{exc.message_en}[/dim]")
            raise typer.Exit(2) from exc
    target = out or Path(f"unemployment-{month}-run{result.run_id}.csv")
    target.write_bytes(result.bank_file)
    table = Table(title=f"{month} 失业保险金发放（按区县）")
    for column in ("区县", "笔数", "金额（元）"):
        table.add_column(column, justify="right" if column != "区县" else "left")
    for region, count, amount in result.by_region:
        table.add_row(f"{regions.name_of(region) or region}（{region}）", f"{count:,}",
                      f"{amount:,.2f}")
    console.print(table)
    console.print(f"本次送盘 {result.payments:,} 笔，合计 {result.total:,.2f} 元；"
                  f"代发文件 {target}，控制校验（SM3）{result.control_sum}")


@refunds_app.command("compute")
def refunds_compute(
    year: Annotated[int, typer.Option(help="政策年度 YYYY（返还上年度实际缴费）")],
) -> None:
    """计算稳岗返还（按年度幂等，已复核的记录保留）Compute a policy year's refunds."""
    from minsheng.hrss.unemployment import service

    with progress_bar() as bar, _session() as session:
        task = bar.add_task(f"稳岗返还 {year}", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        run = service.compute_refunds(session, SYSTEM, year=year, progress=tick)
    console.print(f"{run.year} 年度稳岗返还（{run.contribution_year} 年缴费）：参保单位 "
                  f"{run.employers:,} 家，符合条件 {run.eligible:,} 家，返还 {run.total:,.2f} 元，"
                  f"惠及职工 {run.employees_covered:,} 人；已复核保留 {run.kept:,} 家")


@refunds_app.command("payment-list")
def refunds_payment_list(
    year: Annotated[int, typer.Option(help="政策年度 YYYY")],
    out: Annotated[Path | None, typer.Option(help="支付清单（CSV）保存路径")] = None,
) -> None:
    """导出已复核通过的稳岗返还支付清单 Export the payment list of approved refunds."""
    from minsheng.hrss.unemployment import service

    with _session() as session:
        content = service.payment_list(session, SYSTEM, year=year)
    target = out or Path(f"refunds-{year}.csv")
    target.write_bytes(content)
    console.print(f"支付清单已保存：{target}")


if __name__ == "__main__":
    app()


@employment_app.command("indicators")
def employment_indicators(
    year: Annotated[int, typer.Option(help="统计年度")],
    region: Annotated[str, typer.Option(help="区划代码前缀（空为全部）")] = "",
) -> None:
    """就业指标（由业务记录计算）Employment indicators of a region for a year."""
    from datetime import date

    from minsheng.hrss.employment import service

    with _session() as session:
        figures = service.indicators(session, SYSTEM, region, date(year, 1, 1),
                                     date(year, 12, 31))
    table = Table(title=f"{year} 年就业指标 · {regions.name_of(region.ljust(6, '0')) or '全部'}")
    table.add_column("指标")
    table.add_column("数值", justify="right")

    def pct(value: object) -> str:
        return "—" if value is None else f"{value}%"

    for label, value in (
        ("城镇新增就业（人）", f"{figures.urban_new_employment:,}"),
        ("城镇登记失业率", pct(figures.registered_unemployment_rate)),
        ("失业人员再就业（人）", f"{figures.unemployed_helped:,}"),
        ("就业困难人员就业（人）", f"{figures.hard_to_employ_helped:,}"),
        ("高校毕业生年末就业率", pct(figures.graduates_employment_rate)),
        ("退捕渔民转产就业率", pct(figures.ex_fisher_transfer_rate)),
        ("零就业家庭（未清零，户）", f"{figures.open_zero_employment_households:,}"),
    ):
        table.add_row(label, value)
    console.print(table)


@employment_app.command("detect-zero-employment")
def employment_detect() -> None:
    """排查零就业家庭并更新帮扶名单 Detect zero-employment households (idempotent)."""
    from minsheng.hrss.employment import service

    with _session() as session:
        result = service.detect_zero_employment(session, SYSTEM)
    console.print(f"[green]排查完成[/green]：符合 {result.qualifying} 户，新认定 "
                  f"{result.opened} 户，自动销号 {result.closed} 户")
