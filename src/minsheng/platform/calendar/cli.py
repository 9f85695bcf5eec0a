"""``minsheng calendar``: the statutory holiday calendar kept in the database."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from minsheng.platform import cli
from minsheng.platform.calendar.service import load_calendar, publish_year
from minsheng.platform.security.principal import SYSTEM

app = typer.Typer(help="法定节假日 Holiday calendar", no_args_is_help=True)


@app.command("show")
def calendar_show() -> None:
    """列出已知节假日年份 Show the known years."""
    with cli.session_scope() as session:
        cal = load_calendar(session)
    years = sorted(cal.known_years)
    cli.console.print(f"已知年份 {years[0]}–{years[-1]}" if years
                      else "尚无节假日数据，请先运行 init")


@app.command("add-year")
def calendar_add_year(
    file: Annotated[Path, typer.Argument(help="CSV：date,kind,name（kind 为 holiday 或 workday）")],
    source: Annotated[str, typer.Option(help="发布依据，如 国办发明电〔2026〕X号")] = "",
) -> None:
    """录入新一年的节假日安排 Add a year's published holiday arrangement."""
    holidays: list[tuple[date, str]] = []
    workdays: list[tuple[date, str]] = []
    with file.open(encoding="utf-8-sig", newline="") as handle:
        for line_no, row in enumerate(csv.DictReader(handle), start=2):
            try:
                day = date.fromisoformat((row.get("date") or "").strip())
            except ValueError:
                cli.console.print(f"[red]第 {line_no} 行日期无效 / line {line_no}: bad date[/red]")
                raise typer.Exit(2) from None
            kind = (row.get("kind") or "").strip()
            if kind not in ("holiday", "workday"):
                cli.console.print(f"[red]第 {line_no} 行 kind 应为 holiday 或 workday[/red]")
                raise typer.Exit(2)
            (holidays if kind == "holiday" else workdays).append((day, row.get("name") or ""))
    years = {d.year for d, _ in holidays + workdays}
    if len(years) != 1:
        cli.console.print("[red]文件须且只能包含一个年份 / "
                          "the file must cover exactly one year[/red]")
        raise typer.Exit(2)
    year = years.pop()
    with cli.session_scope() as session:
        publish_year(session, SYSTEM, year=year, holidays=holidays, adjusted_workdays=workdays,
                     source=source or file.name)
    cli.console.print(
        f"[green]已录入 {year} 年[/green]：假日 {len(holidays)} 天，调休上班 {len(workdays)} 天"
    )
