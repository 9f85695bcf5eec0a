"""The monthly benefit payroll (失业保险金发放), idempotent per month and resumable."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.unemployment.models import (
    UnemploymentBenefitRate,
    UnemploymentClaim,
    UnemploymentPayment,
    UnemploymentPayrollRun,
    UnemploymentRetirementExtension,
)
from minsheng.hrss.unemployment.service.fund import record_fund_contributions
from minsheng.platform import bulk, payroll, rulebook
from minsheng.platform.indicators import Cut
from minsheng.platform.months import label, parse_month
from minsheng.platform.payroll import DISBURSED, PayrollResult, Progress
from minsheng.platform.security.principal import Principal

#: People per transaction of the payroll (ranges of ``person_id``, the partition key).
PAYROLL_BATCH = 200_000


def _rate_at(region: str, period: str) -> str:
    return rulebook.in_force_sql(UnemploymentBenefitRate, "monthly_amount", region, period)


_PAYMENT_COLUMNS = ("person_id", "claim_id", "benefit_month", "payroll_month", "amount",
                    "region", "status", "extended")
_INDEX = "(({m} / 100) * 12 + {m} % 100)"
_WINDOW = rulebook.in_force_sql(UnemploymentRetirementExtension, "window_months", "c.region",
                                "reg.last_month")
#: The last month the entitlement paid (``reg.last_month``) is at most the window of the
#: rule in force then before the retirement month: benefit continues until retirement
#: (rules.retirement_extension, in SQL).
_EXTENDS = (f"c.retirement_month IS NOT NULL AND reg.used >= c.entitled_months "
            f"AND c.retirement_month > reg.last_month "
            f"AND {_INDEX.format(m='c.retirement_month')} - {_INDEX.format(m='reg.last_month')} "
            f"<= COALESCE({_WINDOW}, 0)")
#: Per claim of the batch's people: the months of the entitlement used and the last.
_REGULAR = ("SELECT u.claim_id, count(*) AS used, max(u.benefit_month) AS last_month "
            "FROM unemployment_payment u WHERE u.status <> 'cancelled' AND NOT u.extended "
            "AND u.person_id >= :low AND u.person_id < :high GROUP BY u.claim_id")
#: A month ``m.period`` a claim ``c`` may be paid: the person alive on its first day, not
#: paid (or cancelled) already, not suspended.
_PAYABLE = (
    "(p.death_date IS NULL OR p.death_date >= m.first_day) "
    "AND NOT EXISTS (SELECT 1 FROM unemployment_payment u WHERE u.person_id = c.person_id "
    "AND u.benefit_month = m.period) "
    "AND NOT EXISTS (SELECT 1 FROM unemployment_suspension s WHERE s.claim_id = c.id "
    "AND m.period >= s.from_month AND (s.to_month IS NULL OR m.period <= s.to_month))")


def _payroll_batch(session: Session, month: int, low: int, high: int) -> int:
    """Queue the benefit months due up to ``month`` of active claims in one id range
    (months missed since the start month included, suspended months skipped, never more
    than the entitlement), then the months until the statutory retirement month of a
    claim whose entitlement ran out less than a year before it (2024 decision art. 7);
    re-queue failed payments; record the contributions the fund pays for the months
    queued (:func:`fund.record_fund_contributions`); close exhausted claims."""
    params = {"month": month, "low": low, "high": high}
    inserted = bulk.insert_staged(session, "unemployment_payment", _PAYMENT_COLUMNS, (
        "SELECT x.person_id, x.id AS claim_id, x.period AS benefit_month, "
        "CAST(:month AS INTEGER) AS payroll_month, "
        f"COALESCE({_rate_at('x.region', 'x.period')}, x.monthly_amount) AS amount, "
        "x.region, 'queued' AS status, FALSE AS extended FROM ("
        "SELECT c.id, c.person_id, c.region, c.monthly_amount, c.entitled_months, m.period, "
        "ROW_NUMBER() OVER (PARTITION BY c.id ORDER BY m.period) AS rn, "
        "(SELECT count(*) FROM unemployment_payment u WHERE u.claim_id = c.id "
        "AND u.status <> 'cancelled' AND NOT u.extended) AS used "
        "FROM unemployment_claim c JOIN payroll_months m "
        "ON m.period >= c.start_month AND m.period <= :month "
        "JOIN person p ON p.id = c.person_id "
        "WHERE c.status = 'active' AND c.person_id >= :low AND c.person_id < :high "
        f"AND {_PAYABLE}"
        ") x WHERE x.rn <= x.entitled_months - x.used"), params, "person_id, benefit_month")
    if inserted:
        bulk.analyze(session, "unemployment_payment")
    inserted += bulk.insert_staged(session, "unemployment_payment", _PAYMENT_COLUMNS, (
        "SELECT c.person_id, c.id AS claim_id, m.period AS benefit_month, "
        "CAST(:month AS INTEGER) AS payroll_month, "
        f"COALESCE({_rate_at('c.region', 'm.period')}, c.monthly_amount) AS amount, "
        "c.region, 'queued' AS status, TRUE AS extended "
        f"FROM unemployment_claim c JOIN ({_REGULAR}) reg ON reg.claim_id = c.id "
        "JOIN payroll_months m ON m.period > reg.last_month "
        "AND m.period <= c.retirement_month AND m.period <= :month "
        "JOIN person p ON p.id = c.person_id "
        "WHERE c.status = 'active' AND c.person_id >= :low AND c.person_id < :high "
        f"AND {_EXTENDS} AND {_PAYABLE}"), params, "person_id, benefit_month")
    inserted += bulk.execute_count(session, text(
        "UPDATE unemployment_payment SET status = 'queued', payroll_month = :month, "
        "failure_reason = NULL WHERE status = 'failed' AND payroll_month < :month "
        "AND person_id >= :low AND person_id < :high AND claim_id IN "
        "(SELECT id FROM unemployment_claim WHERE status IN ('active','exhausted'))"
    ).bindparams(**params))
    record_fund_contributions(session, month, low, high)
    session.execute(text(
        "UPDATE unemployment_claim SET status = 'exhausted', version = version + 1 "
        "WHERE status = 'active' AND person_id >= :low AND person_id < :high "
        f"AND id IN (SELECT c.id FROM unemployment_claim c JOIN ({_REGULAR}) reg "
        "ON reg.claim_id = c.id WHERE reg.used >= c.entitled_months "
        f"AND NOT ({_EXTENDS} AND c.retirement_month > :month))"), params)
    return inserted


def run_payroll(factory: sessionmaker[Session], actor: Principal, *, month: str,
                progress: Progress | None = None) -> PayrollResult:
    """失业保险金发放 for a month: queue the months due per range of people (each its own
    transaction), then write the bank file of everything queued and mark it sent.
    Rerunning the month pays no one twice; a crashed run is completed by running it
    again."""
    actor.require("unemployment:payroll")
    period = parse_month(month)
    return payroll.run(
        factory, actor, month=period, run_model=UnemploymentPayrollRun,
        payment_model=UnemploymentPayment, people=UnemploymentClaim.person_id,
        queue_batch=_payroll_batch, bank_file=bank_file,
        audit_action="unemployment.payroll", batch_size=PAYROLL_BATCH, progress=progress)


def bank_file(session: Session, month: int) -> tuple[bytes, int, Decimal]:
    """The disbursement file of everything queued for ``month``."""
    rows = session.execute(text(
        "SELECT u.id, p.name, p.resident_id, c.bank_account, u.benefit_month, u.amount "
        "FROM unemployment_payment u JOIN person p ON p.id = u.person_id "
        "JOIN unemployment_claim c ON c.id = u.claim_id "
        "WHERE u.payroll_month = :month AND u.status = 'queued' ORDER BY u.id"),
        {"month": month}).all()
    return payroll.bank_file(
        month, ["payment_id", "name", "resident_id", "bank_account", "benefit_month", "amount"],
        ((i, n, rid, acc, label(b), a) for i, n, rid, acc, b, a in rows))


def summary_by_region(session: Session, month: int) -> list[tuple[str, int, Decimal]]:
    """Payments sent or paid in a payroll month, by district."""
    return payroll.summary_by_region(session, UnemploymentPayment, month)


def reconcile(session: Session, actor: Principal, *, month: str,
              failures: list[tuple[int, str]]) -> tuple[int, int]:
    """Bank returns: the listed payments failed (re-queued next month), every other
    payment sent in this payroll is paid. Returns (paid, failed)."""
    actor.require("unemployment:payroll")
    return payroll.reconcile(session, actor, UnemploymentPayment, month=parse_month(month),
                             failures=failures, audit_action="unemployment.reconcile")


# --- the figures of the benefit paid (the scorecard) ------------------------------------


def _disbursed(cut: Cut) -> list[ColumnElement[bool]]:
    """Payments disbursed (sent or paid, as the payroll's totals count them) by a payroll
    of the period, in the region (the recipient's district when queued)."""
    return [cut.within(UnemploymentPayment.region),
            UnemploymentPayment.payroll_month.between(cut.period.first_month,
                                                      cut.period.last_month),
            UnemploymentPayment.status.in_(DISBURSED)]


def benefit_paid_query(cut: Cut) -> Select[Any]:
    """失业保险金发放金额: ``(key, amount)`` of the payments disbursed in the period."""
    key = cut.key(UnemploymentPayment.region)
    return (select(key, func.sum(UnemploymentPayment.amount)).where(*_disbursed(cut))
            .group_by(key))


def benefit_payments(cut: Cut) -> Select[Any]:
    """The payments :func:`benefit_paid_query` sums."""
    return select(UnemploymentPayment).where(*_disbursed(cut))


def first_benefit_payments(cut: Cut) -> Any:
    """Each recipient's first payment disbursed in the period (subquery: id, person_id,
    region, payroll_month, benefit_month)."""
    ranked = (select(UnemploymentPayment.id, UnemploymentPayment.person_id,
                     UnemploymentPayment.region, UnemploymentPayment.payroll_month,
                     UnemploymentPayment.benefit_month,
                     func.row_number().over(
                         partition_by=UnemploymentPayment.person_id,
                         order_by=(UnemploymentPayment.payroll_month,
                                   UnemploymentPayment.benefit_month,
                                   UnemploymentPayment.id)).label("nth"))
              .where(*_disbursed(cut)).subquery())
    return select(ranked).where(ranked.c.nth == 1).subquery()


def benefit_recipients_query(cut: Cut) -> Select[Any]:
    """失业保险金领取人数: ``(key, people)`` — distinct people with a payment disbursed in
    the period, each once, in the district of their first such payment."""
    first = first_benefit_payments(cut)
    key = cut.key(first.c.region)
    return select(key, func.count()).select_from(first).group_by(key)
