"""What every benefit payroll shares: the month table for back-pay joins, the bank
disbursement file with its totals line, and the shape of a run's result."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from minsheng.platform import bulk
from minsheng.platform.db import unit_of_work, utcnow
from minsheng.platform.money import to_money
from minsheng.platform.months import add_months, first_day, label
from minsheng.platform.security import audit
from minsheng.platform.security.audit import sm3_hex
from minsheng.platform.security.principal import Principal

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


def bank_file(month: int, columns: Sequence[str],
              rows: Iterable[Sequence[object]]) -> tuple[bytes, int, Decimal]:
    """The disbursement file: a header, one line per payment whose last value is the
    amount, then ``TOTAL, count, …, month, total``. Its SM3 is the run's control sum."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count, total = 0, Decimal("0.00")
    for row in rows:
        amount = to_money(row[-1])
        total += amount
        count += 1
        writer.writerow([*row[:-1], f"{amount:.2f}"])
    padding = [""] * max(len(columns) - 4, 0)
    writer.writerow(["TOTAL", count, *padding, label(month), f"{total:.2f}"])
    return out.getvalue().encode("utf-8"), count, total


def run(
    factory: sessionmaker[Session],
    actor: Principal,
    *,
    month: int,
    run_model: type[Any],
    people: InstrumentedAttribute[int],
    queue_batch: Callable[[Session, int, int, int], int],
    bank_file: Callable[[Session, int], tuple[bytes, int, Decimal]],
    payment_table: str,
    summary: Callable[[Session, int], list[tuple[str, int, Decimal]]],
    audit_action: str,
    batch_size: int,
    progress: Progress | None = None,
) -> PayrollResult:
    """The shape of every benefit payroll: queue payments per range of ``people`` (each
    range its own transaction, with the month table staged), then write the bank file of
    everything queued, mark it sent, and record totals and the SM3 control sum on a
    ``run_model`` row (``payroll_month``, ``actor``, ``finished_at``, ``payments``,
    ``total_amount``, ``control_sum``). Queueing is idempotent per (person, benefit
    month), so a rerun pays no one twice and a crashed run is completed by running it
    again."""
    with unit_of_work(factory) as session:
        low, high = session.execute(select(func.min(people), func.max(people))).one()
        record = run_model(payroll_month=month, actor=actor.username)
        session.add(record)
        session.flush()
        run_id = record.id
    bounds = list(range(low, high + 1, batch_size)) if high is not None else []
    queued = 0
    for index, start in enumerate(bounds, start=1):
        with unit_of_work(factory) as session:
            stage_months(session, month)
            queued += queue_batch(session, month, start, start + batch_size)
            bulk.drop_temp_table(session, "payroll_months")
        if progress:
            progress(index, len(bounds))
    with unit_of_work(factory) as session:
        content, count, total = bank_file(session, month)
        session.execute(text(f"UPDATE {payment_table} SET status = 'sent' "
                             "WHERE payroll_month = :month AND status = 'queued'"),
                        {"month": month})
        record = session.get_one(run_model, run_id)
        record.finished_at, record.payments, record.total_amount = utcnow(), count, total
        record.control_sum = sm3_hex(content)
        by_region = summary(session, month)
        audit.record(session, actor=actor.username, action=audit_action,
                     subject_type="payroll_run", subject_id=run_id,
                     payload={"month": month, "queued": queued, "sent": count,
                              "total": str(total), "control_sum": record.control_sum})
        control = record.control_sum
    return PayrollResult(run_id, month, queued, count, total, control, content, by_region)
