"""The command-line kit every domain's commands share: the console, a unit of work that
prints domain errors in Chinese and English, progress bars, and the payroll runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.orm import Session, sessionmaker

from minsheng.platform import regions
from minsheng.platform.config import get_settings
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work
from minsheng.platform.errors import DomainError
from minsheng.platform.payroll import PayrollResult

console = Console()


def database_url() -> str:
    """The database named by ``MINSHENG_DATABASE_URL`` (or the default)."""
    return get_settings().database_url


def fail(exc: DomainError) -> NoReturn:
    """Print a domain error (Chinese, English, the fields) and exit with status 2."""
    console.print(f"[red]错误：{exc.message}[/red]\n[dim]{exc.message_en}[/dim]")
    for e in exc.errors:
        console.print(f"  - {e.field}: {e.message} / {e.message_en}")
    raise typer.Exit(2) from exc


@contextmanager
def session_scope() -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back (and the error
    printed, exit 2) on a domain error."""
    engine = make_engine(database_url())
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            yield session
    except DomainError as exc:
        fail(exc)
    finally:
        engine.dispose()


@contextmanager
def session_factory() -> Iterator[sessionmaker[Session]]:
    """A session factory, for batch jobs that commit range by range themselves."""
    engine = make_engine(database_url())
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


def progress_bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console,
    )


PayrollJob = Callable[[sessionmaker[Session], Callable[[int, int], None]], PayrollResult]


def run_payroll(title: str, month: str, out: Path | None, file_stem: str,
                job: PayrollJob) -> PayrollResult:
    """Run a month's payroll with a progress bar, save its bank file (``out``, or
    ``<file_stem>-<month>-run<id>.csv`` here) and print the totals by district."""
    with session_factory() as factory, progress_bar() as bar:
        task = bar.add_task(f"发放 {month}", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            result = job(factory, tick)
        except DomainError as exc:
            bar.stop()
            fail(exc)
    target = out or Path(f"{file_stem}-{month}-run{result.run_id}.csv")
    target.write_bytes(result.bank_file)
    table = Table(title=f"{month} {title}（按区县）")
    for column in ("区县", "笔数", "金额（元）"):
        table.add_column(column, justify="right" if column != "区县" else "left")
    for region, count, amount in result.by_region:
        table.add_row(f"{regions.name_of(region) or region}（{region}）", f"{count:,}",
                      f"{amount:,.2f}")
    console.print(table)
    console.print(f"本次送盘 {result.payments:,} 笔，合计 {result.total:,.2f} 元；"
                  f"代发文件 {target}，控制校验（SM3）{result.control_sum}")
    return result
