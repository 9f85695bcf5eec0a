"""What every benefit payroll shares: the month table for back-pay joins, the bank
disbursement file with its totals line, and the shape of a run's result."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from minsheng.platform import bulk
from minsheng.platform.months import add_months, first_day, label

#: ``progress(done, total)`` over the ranges of people.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PayrollResult:
    run_id: int
    month: int
    queued: int
    payments: int
    total: Decimal
    control_sum: str
    bank_file: bytes
    by_region: list[tuple[str, int, Decimal]]


def stage_months(session: Session, month: int, *, since: int = 199001) -> None:
    """A scratch table ``payroll_months(period, first_day)`` from ``since`` to ``month``,
    for set-based joins over spans of months (back-pay, catch-up)."""
    rows, period = [], since
    while period <= month:
        rows.append((period, first_day(period)))
        period = add_months(period, 1)
    bulk.create_temp_table(session, "payroll_months",
                           "period INTEGER PRIMARY KEY, first_day DATE")
    bulk.load_rows(session, "payroll_months", ("period", "first_day"), rows)


def money(value: object) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def bank_file(month: int, columns: Sequence[str],
              rows: Iterable[Sequence[object]]) -> tuple[bytes, int, Decimal]:
    """The disbursement file: a header, one line per payment whose last value is the
    amount, then ``TOTAL, count, …, month, total``. Its SM3 is the run's control sum."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count, total = 0, Decimal("0.00")
    for row in rows:
        amount = money(row[-1])
        total += amount
        count += 1
        writer.writerow([*row[:-1], f"{amount:.2f}"])
    padding = [""] * max(len(columns) - 4, 0)
    writer.writerow(["TOTAL", count, *padding, label(month), f"{total:.2f}"])
    return out.getvalue().encode("utf-8"), count, total
