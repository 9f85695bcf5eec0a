"""``minsheng import``: bulk import of people and employers from .xlsx/.csv."""

from __future__ import annotations

from pathlib import Path

import typer

from minsheng.hrss.registry import imports
from minsheng.platform import cli
from minsheng.platform import imports as import_jobs
from minsheng.platform.security.principal import SYSTEM

app = typer.Typer(help="批量导入 Bulk import", no_args_is_help=True)


def _run_import(kind: str, file: Path) -> None:
    if not file.is_file():
        cli.console.print(f"[red]文件不存在：{file}[/red]")
        raise typer.Exit(2)
    with cli.session_scope() as session, cli.progress_bar() as bar:
        task = bar.add_task(f"导入 {file.name}", total=None)

        def tick(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None)

        job = imports.run_import(session, SYSTEM, kind, file.name, file.read_bytes(),
                                 progress=tick)
        report = import_jobs.report_of(job)
    cli.console.print(
        f"共 {report.total_rows} 行：新增 [green]{report.inserted_rows}[/green]，"
        f"未变 {report.unchanged_rows}，错误 [red]{report.error_rows}[/red]（任务 {report.job_id}）"
    )
    for e in report.errors[:50]:
        cli.console.print(f"  第 {e['row']} 行 {e['field']}：{e['message']} / {e['message_en']}")
    if len(report.errors) > 50:
        cli.console.print(f"  …… 另有 {len(report.errors) - 50} 条，完整报告见网页导入记录")


@app.command("persons")
def import_persons(file: Path) -> None:
    """导入人员 Import people from .xlsx/.csv."""
    _run_import("persons", file)


@app.command("employers")
def import_employers(file: Path) -> None:
    """导入单位 Import employers from .xlsx/.csv."""
    _run_import("employers", file)
