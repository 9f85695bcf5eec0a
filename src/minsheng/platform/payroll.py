"""What every benefit payroll shares: the columns of a payment and of a run, the month
table for back-pay joins, the bank disbursement file with its totals line, the run
itself, the totals by district, bank returns (reconciliation) and the shape of a run's
result. Pensions and unemployment benefit each keep their own tables."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Integer, String, func, select, text
from sqlalchemy.orm import InstrumentedAttribute, Mapped, Session, mapped_column, sessionmaker

from minsheng.platform import bulk
from minsheng.platform.db import unit_of_work, utcnow
from minsheng.platform.money import Money, to_money
from minsheng.platform.months import add_months, first_day, label
from minsheng.platform.security import audit
from minsheng.platform.security.audit import sm3_hex
from minsheng.platform.security.principal import Principal

#: ``progress(done, total)`` over the ranges of people.
Progress = Callable[[int, int], None]


#: A payment's life: queued by the run, sent in the bank file, then paid or failed (a
#: failed one is queued again next month), or cancelled (after a death or a stop).
PAYMENT_STATUS_CHECK = "status IN ('queued','sent','paid','failed','cancelled')"
#: A payment disbursed by its payroll: in the bank file (sent) or confirmed paid. What
#: the payroll totals and the scorecard count as paid.
DISBURSED = ("sent", "paid")


class PaymentColumns:
    """The columns every benefit payment row has (besides its id and person): the month
    the benefit is for, the payroll that pays it, amount, district and status."""

    benefit_month: Mapped[int] = mapped_column(Integer)
    payroll_month: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Money)
    region: Mapped[str] = mapped_column(String(6))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    failure_reason: Mapped[str | None] = mapped_column(String(64), nullable=True)


class PayrollRunColumns:
    """One month's payroll run: progress, totals and the bank file's control sum."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    payroll_month: Mapped[int] = mapped_column(Integer, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    payments: Mapped[int] = mapped_column(Integer, default=0)
    total_amount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    control_sum: Mapped[str] = mapped_column(String(64), default="")


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
    payment_model: type[Any],
    people: InstrumentedAttribute[int],
    queue_batch: Callable[[Session, int, int, int], int],
    bank_file: Callable[[Session, int], tuple[bytes, int, Decimal]],
    audit_action: str,
    batch_size: int,
    progress: Progress | None = None,
) -> PayrollResult:
    """The shape of every benefit payroll: queue payments per range of ``people`` (each
    range its own transaction, with the month table staged), then write the bank file of
    everything queued, mark it sent, and record totals and the SM3 control sum on a
    ``run_model`` row (:class:`PayrollRunColumns`) over ``payment_model`` rows
    (:class:`PaymentColumns`). Queueing is idempotent per (person, benefit
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
        session.execute(text(f"UPDATE {payment_model.__tablename__} SET status = 'sent' "
                             "WHERE payroll_month = :month AND status = 'queued'"),
                        {"month": month})
        record = session.get_one(run_model, run_id)
        record.finished_at, record.payments, record.total_amount = utcnow(), count, total
        record.control_sum = sm3_hex(content)
        by_region = summary_by_region(session, payment_model, month)
        audit.record(session, actor=actor.username, action=audit_action,
                     subject_type="payroll_run", subject_id=run_id,
                     payload={"month": month, "queued": queued, "sent": count,
                              "total": str(total), "control_sum": record.control_sum})
        control = record.control_sum
    return PayrollResult(run_id, month, queued, count, total, control, content, by_region)


def summary_by_region(session: Session, payment_model: type[Any],
                      month: int) -> list[tuple[str, int, Decimal]]:
    """Payments sent or paid in a payroll month: ``(district, count, amount)``."""
    rows = session.execute(
        select(payment_model.region, func.count(), func.sum(payment_model.amount))
        .where(payment_model.payroll_month == month,
               payment_model.status.in_(DISBURSED))
        .group_by(payment_model.region).order_by(payment_model.region)).all()
    return [(region, count, to_money(amount)) for region, count, amount in rows]


def reconcile(session: Session, actor: Principal, payment_model: type[Any], *, month: int,
              failures: Iterable[tuple[int, str]], audit_action: str) -> tuple[int, int]:
    """Bank returns for a payroll month: the listed payments failed (the next run queues
    them again), every other payment sent in it is paid. Returns ``(paid, failed)``."""
    table = payment_model.__tablename__
    failed = sum(bulk.execute_count(session, text(
        f"UPDATE {table} SET status = 'failed', failure_reason = :reason "
        "WHERE id = :id AND payroll_month = :month AND status = 'sent'"
    ).bindparams(id=payment_id, month=month, reason=reason[:64]))
        for payment_id, reason in failures)
    paid = bulk.execute_count(session, text(
        f"UPDATE {table} SET status = 'paid' WHERE payroll_month = :month "
        "AND status = 'sent'").bindparams(month=month))
    audit.record(session, actor=actor.username, action=audit_action,
                 subject_type="payroll_month", subject_id=month,
                 payload={"paid": paid, "failed": failed})
    return paid, failed
