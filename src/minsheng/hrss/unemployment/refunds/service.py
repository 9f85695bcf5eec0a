"""Job-stabilisation refunds (稳岗返还) of a policy year: compute (set-based), review,
pay, and the employer's view."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, insert, literal, select, text
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.registry.service import Employer
from minsheng.hrss.unemployment import rules
from minsheng.hrss.unemployment.models import (
    JobStabilisationRefund,
    JobStabilisationRefundRule,
)
from minsheng.platform import bulk, regions
from minsheng.platform.db import flush, utcnow
from minsheng.platform.errors import Conflict, invalid_field
from minsheng.platform.money import to_money
from minsheng.platform.paging import Listing, Sort, Sorting, paginate
from minsheng.platform.payroll import Progress
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter
from minsheng.platform.worklist import WorkItem

#: People per transaction of the payroll (ranges of ``person_id``, the partition key).


def refund_rule(session: Session, year: int) -> JobStabilisationRefundRule:
    rule = session.get(JobStabilisationRefundRule, year)
    if rule is None:
        raise invalid_field("year", f"{year} 年度稳岗返还政策参数未设置",
                            f"no job-stabilisation refund parameters for {year}")
    return rule


def refund_rules(session: Session) -> list[JobStabilisationRefundRule]:
    return list(session.scalars(select(JobStabilisationRefundRule)
                                .order_by(JobStabilisationRefundRule.year.desc())))


def _as_rule(row: JobStabilisationRefundRule) -> rules.RefundRule:
    return rules.RefundRule(
        year=row.year, contribution_year=row.contribution_year,
        large_share_ppm=row.large_share_ppm, sme_share_ppm=row.sme_share_ppm,
        layoff_threshold_ppm=row.layoff_threshold_ppm, small_headcount=row.small_headcount,
        small_threshold_ppm=row.small_threshold_ppm, large_headcount=row.large_headcount,
        min_paid_months=row.min_paid_months)


_EMPLOYER_YEAR = (
    "SELECT c.employer_id, e.region, "
    "SUM(CASE WHEN c.status = 'paid' THEN CAST(ROUND((c.employer_amount + c.personal_amount) "
    "* 100) AS BIGINT) ELSE 0 END) AS paid_fen, "
    "COUNT(DISTINCT c.period) - COUNT(DISTINCT CASE WHEN c.status = 'due' THEN c.period END) "
    "AS paid_months, "
    "COUNT(*) AS person_months, COUNT(DISTINCT c.person_id) AS covered, "
    "(SELECT count(DISTINCT uc.person_id) FROM unemployment_claim uc "
    " WHERE uc.employer_id = c.employer_id AND uc.start_month BETWEEN :first AND :last "
    " AND uc.status IN ('active','suspended','stopped','exhausted')) AS claimants, "
    "CASE WHEN EXISTS (SELECT 1 FROM contribution d WHERE d.employer_id = c.employer_id "
    " AND d.status = 'due' AND {overdue}) THEN 1 ELSE 0 END AS in_arrears "
    "FROM contribution c JOIN employer e ON e.id = c.employer_id "
    "WHERE c.scheme = 'unemployment' AND c.period BETWEEN :first AND :last "
    "AND c.employer_id IS NOT NULL "
    "GROUP BY c.employer_id, e.region"
)


@dataclass(frozen=True)
class RefundRun:
    year: int
    contribution_year: int
    employers: int
    eligible: int
    kept: int
    total: Decimal
    employees_covered: int


def compute_refunds(session: Session, actor: Principal, *, year: int,
                    today: date | None = None,
                    progress: Progress | None = None) -> RefundRun:
    """稳岗返还 batch for a policy year: every employer with unemployment contributions in
    the rule's contribution year, judged by :func:`rules.refund` (arrears on ``today``
    exclude). Idempotent: rows already approved, rejected or paid are kept; the others
    are replaced."""
    actor.require("unemployment:refunds")
    row = refund_rule(session, year)
    rule = _as_rule(row)
    first, last = rule.contribution_year * 100 + 1, rule.contribution_year * 100 + 12
    # The insurance domain's arrears line (dated grace per month and region).
    overdue = insurance.arrears_sql("d.period", "e.region", today or date.today())
    reviewed = set(session.scalars(select(JobStabilisationRefund.employer_id).where(
        JobStabilisationRefund.year == year, JobStabilisationRefund.status != "computed")))
    session.execute(text("DELETE FROM job_stabilisation_refund WHERE year = :year "
                         "AND status = 'computed'"), {"year": year})
    aggregates = session.execute(text(_EMPLOYER_YEAR.format(overdue=overdue)),
                                 {"first": first, "last": last}).all()
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for employer_id, region, paid_fen, paid_months, person_months, covered, claimants, \
            arrears in aggregates:
        if employer_id in reviewed:
            continue
        decision = rules.refund(rules.EmployerYear(
            paid_fen=int(paid_fen or 0), paid_months=int(paid_months),
            insured_person_months=int(person_months), new_claimants=int(claimants),
            in_arrears=bool(arrears)), rule)
        rows.append({
            "year": year, "employer_id": employer_id, "region": region,
            "paid_amount": Decimal(int(paid_fen or 0)) / 100, "paid_months": int(paid_months),
            "average_headcount": decision.average_headcount, "employees_covered": int(covered),
            "new_claimants": int(claimants), "layoff_rate": decision.layoff_rate,
            "size": decision.size, "share_ppm": decision.share_ppm,
            "eligible": decision.eligible, "refusal": decision.reason,
            "amount": Decimal(decision.amount_fen) / 100, "status": "computed",
            "computed_at": now, "version": 1})
    for start in range(0, len(rows), 5_000):
        session.execute(insert(JobStabilisationRefund), rows[start:start + 5_000])
        if progress:
            progress(min(start + 5_000, len(rows)), len(rows))
    session.flush()
    eligible = [r for r in rows if r["eligible"]]
    total = sum((r["amount"] for r in eligible), Decimal("0.00"))
    covered_total = sum(r["employees_covered"] for r in eligible)
    audit.record(session, actor=actor.username, action="unemployment.refunds_compute",
                 subject_type="refund_year", subject_id=year,
                 payload={"employers": len(rows), "eligible": len(eligible),
                          "total": str(total), "kept": len(reviewed)})
    return RefundRun(year, rule.contribution_year, len(rows), len(eligible), len(reviewed),
                     total, covered_total)


@dataclass(frozen=True)
class RefundItem:
    refund: JobStabilisationRefund
    employer_name: str
    uscc: str


#: The orders of a year's refund list (``sort``): the largest refund first by default.
REFUND_SORTING = Sorting({
    "amount": JobStabilisationRefund.amount,
    "name": Employer.name,
    "paid": JobStabilisationRefund.paid_amount,
    "months": JobStabilisationRefund.paid_months,
    "headcount": JobStabilisationRefund.average_headcount,
    "claimants": JobStabilisationRefund.new_claimants,
    "layoff": JobStabilisationRefund.layoff_rate,
}, default="amount", default_descending=True, tie_breakers=[JobStabilisationRefund.id])


def _refunds_query(actor: Principal, year: int, status: str | None,
                   eligible: bool | None, sort: Sort | None = None
                   ) -> Select[JobStabilisationRefund, str, str]:
    stmt = (select(JobStabilisationRefund, Employer.name, Employer.uscc)
            .join(Employer, Employer.id == JobStabilisationRefund.employer_id)
            .where(JobStabilisationRefund.year == year,
                   region_filter(JobStabilisationRefund.region, actor)))
    if status:
        stmt = stmt.where(JobStabilisationRefund.status == status)
    if eligible is not None:
        stmt = stmt.where(JobStabilisationRefund.eligible.is_(eligible))
    return stmt.order_by(*REFUND_SORTING.order_by(sort or REFUND_SORTING.default))


def refunds(session: Session, actor: Principal, *, year: int, status: str | None = None,
            eligible: bool | None = None, limit: int = 500) -> list[RefundItem]:
    """A policy year's refunds in the actor's region, largest first."""
    actor.require("unemployment:read")
    rows = session.execute(_refunds_query(actor, year, status, eligible).limit(limit)).all()
    return [RefundItem(r, name, uscc) for r, name, uscc in rows]


def refunds_page(session: Session, actor: Principal, *, year: int, page: int = 1,
                 sort: Sort | None = None, pending: bool = False) -> Listing[RefundItem]:
    """One page of :func:`refunds` in the order ``sort`` (one of
    :data:`REFUND_SORTING`'s), with the total; ``pending``: only those awaiting review
    (eligible and computed, as the reviewer's to-do counts them)."""
    actor.require("unemployment:read")
    listing = paginate(session, _pending_or_all(actor, year, pending, sort), page,
                       scalars=False)
    return replace(listing, rows=[RefundItem(*row) for row in listing.rows])


def all_refunds(session: Session, actor: Principal, *, year: int,
                sort: Sort | None = None, pending: bool = False) -> Iterator[RefundItem]:
    """Every refund of the year in scope (``pending``: awaiting review) in the list's
    order, read in batches (for the export)."""
    actor.require("unemployment:read")
    rows = session.execute(_pending_or_all(actor, year, pending, sort)
                           .execution_options(yield_per=2_000))
    return (RefundItem(*row) for row in rows)


def _pending_or_all(actor: Principal, year: int, pending: bool, sort: Sort | None
                    ) -> Select[JobStabilisationRefund, str, str]:
    return (_refunds_query(actor, year, "computed", True, sort) if pending
            else _refunds_query(actor, year, None, None, sort))


REFUND_STATUSES = ("computed", "approved", "rejected", "paid")


@dataclass(frozen=True)
class RefundTotals:
    employers: int
    eligible: int
    by_status: dict[str, tuple[int, Decimal, int]]


def refund_sums_query(within: ColumnElement[bool], key: ColumnElement[Any], first_year: int,
                      last_year: int, *, statuses: tuple[str, ...] = REFUND_STATUSES
                      ) -> Select[Any]:
    """The one definition of refund totals (the refunds page, its districts and the
    scorecard): eligible refunds of the policy years ``first_year``…``last_year`` in the
    region ``within``, with a status in ``statuses``, grouped by ``key`` and status:
    ``(key, status, firms, amount, employees covered)`` — firms counted once each
    (distinct employers), employees summed over the refunds (an employee of a firm
    refunded in two years counts in each)."""
    return (select(key.label("key"), JobStabilisationRefund.status,
                   func.count(func.distinct(JobStabilisationRefund.employer_id)),
                   func.sum(JobStabilisationRefund.amount),
                   func.sum(JobStabilisationRefund.employees_covered))
            .where(JobStabilisationRefund.year.between(first_year, last_year),
                   JobStabilisationRefund.eligible.is_(True),
                   JobStabilisationRefund.status.in_(statuses), within)
            .group_by(key, JobStabilisationRefund.status))


def refund_totals(session: Session, actor: Principal, *, year: int) -> RefundTotals:
    """Counts, amounts and employees covered of eligible refunds by status."""
    actor.require("unemployment:read")
    scope = region_filter(JobStabilisationRefund.region, actor)
    employers = session.scalar(select(func.count()).select_from(JobStabilisationRefund)
                               .where(JobStabilisationRefund.year == year, scope)) or 0
    by_status = {s: (0, Decimal("0.00"), 0) for s in REFUND_STATUSES}
    eligible = 0
    for _, status, count, amount, covered in session.execute(
            refund_sums_query(scope, literal(""), year, year)).all():
        by_status[status] = (int(count), to_money(amount), int(covered or 0))
        eligible += int(count)
    return RefundTotals(int(employers), eligible, by_status)


@dataclass(frozen=True)
class DistrictRefunds:
    """The eligible refunds of one district (as divided today) by status, in yuan."""

    region: str
    employers: int
    computed: Decimal
    approved: Decimal
    paid: Decimal

    @property
    def total(self) -> Decimal:
        return self.computed + self.approved + self.paid


def refunds_by_district(session: Session, actor: Principal, *, year: int
                        ) -> list[DistrictRefunds]:
    """The year's eligible refunds in scope by district and status (rejected ones left
    out), the largest total first; abolished codes count under their successor."""
    actor.require("unemployment:read")
    district = regions.rollup_sql(JobStabilisationRefund.region)
    amounts: dict[str, dict[str, Decimal]] = {}
    employers: dict[str, int] = {}
    for region, status, count, amount, _ in session.execute(refund_sums_query(
            region_filter(JobStabilisationRefund.region, actor), district, year, year,
            statuses=("computed", "approved", "paid"))).all():
        amounts.setdefault(region, {})[status] = to_money(amount)
        employers[region] = employers.get(region, 0) + int(count)
    zero = Decimal("0.00")
    rows = [DistrictRefunds(region, employers[region], by.get("computed", zero),
                            by.get("approved", zero), by.get("paid", zero))
            for region, by in amounts.items()]
    return sorted(rows, key=lambda row: (-row.total, row.region))


def waiting_work(session: Session, actor: Principal, today: date) -> list[WorkItem]:
    """The workbench's to-do for reviewers: per policy year, the region's eligible refunds
    computed and not yet reviewed (复核), as the year's refund page counts them."""
    if not actor.can("unemployment:refund_approve"):
        return []
    rows = session.execute(
        select(JobStabilisationRefund.year, func.count())
        .where(JobStabilisationRefund.status == "computed",
               JobStabilisationRefund.eligible.is_(True),
               region_filter(JobStabilisationRefund.region, actor))
        .group_by(JobStabilisationRefund.year).order_by(JobStabilisationRefund.year)).all()
    return [WorkItem(f"unemployment.refunds.{year}", f"{year}年度稳岗返还待复核", int(count),
                     f"/unemployment/refunds?year={year}&pending=1#refunds")
            for year, count in rows]


def review_refunds(session: Session, actor: Principal, *, year: int,
                   refund_ids: list[int] | None = None, approve: bool = True) -> int:
    """复核: approve (or reject) computed, eligible refunds of the year in the reviewer's
    region, the listed ones or all. Returns how many changed."""
    actor.require("unemployment:refund_approve")
    stmt = select(JobStabilisationRefund).where(
        JobStabilisationRefund.year == year, JobStabilisationRefund.status == "computed",
        JobStabilisationRefund.eligible.is_(True),
        region_filter(JobStabilisationRefund.region, actor))
    if refund_ids is not None:
        stmt = stmt.where(JobStabilisationRefund.id.in_(refund_ids))
    changed = 0
    now = utcnow()
    for refund in session.scalars(stmt):
        refund.status = "approved" if approve else "rejected"
        refund.reviewed_by, refund.reviewed_at = actor.username, now
        changed += 1
    if refund_ids is not None and changed != len(set(refund_ids)):
        raise Conflict("部分返还记录已复核或不符合条件，请刷新后重试",
                       "Some refunds were already reviewed or are not eligible; reload")
    flush(session)
    audit.record(session, actor=actor.username, action="unemployment.refunds_review",
                 subject_type="refund_year", subject_id=year,
                 payload={"approve": approve, "count": changed})
    return changed


def payment_list(session: Session, actor: Principal, *, year: int) -> bytes:
    """The payment list of approved refunds (CSV for the treasury), audited."""
    actor.require("unemployment:refunds")
    rows = session.execute(
        select(JobStabilisationRefund.id, Employer.uscc, Employer.name,
               JobStabilisationRefund.region, JobStabilisationRefund.employees_covered,
               JobStabilisationRefund.paid_amount, JobStabilisationRefund.share_ppm,
               JobStabilisationRefund.amount, JobStabilisationRefund.status)
        .join(Employer, Employer.id == JobStabilisationRefund.employer_id)
        .where(JobStabilisationRefund.year == year,
               JobStabilisationRefund.status.in_(("approved", "paid")),
               region_filter(JobStabilisationRefund.region, actor))
        .order_by(JobStabilisationRefund.id)).all()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["refund_id", "uscc", "employer", "region", "employees_covered",
                     "contributions_paid", "share", "amount", "status"])
    total, covered = Decimal("0.00"), 0
    for rid, uscc, name, region, people, paid, share, amount, status in rows:
        total += to_money(amount)
        covered += int(people)
        writer.writerow([rid, uscc, name, region, people, f"{to_money(paid):.2f}",
                         f"{Decimal(share) / 10_000:.0f}%", f"{to_money(amount):.2f}", status])
    writer.writerow(["TOTAL", len(rows), "", "", covered, "", "", f"{total:.2f}", ""])
    audit.record(session, actor=actor.username, action="unemployment.refunds_payment_list",
                 subject_type="refund_year", subject_id=year, payload={"rows": len(rows)})
    return out.getvalue().encode("utf-8")


def mark_refunds_paid(session: Session, actor: Principal, *, year: int) -> int:
    """The treasury paid the list: approved refunds of the year become paid."""
    actor.require("unemployment:refunds")
    count = bulk.execute_count(session, text(
        "UPDATE job_stabilisation_refund SET status = 'paid', version = version + 1 "
        "WHERE year = :year AND status = 'approved'").bindparams(year=year))
    audit.record(session, actor=actor.username, action="unemployment.refunds_paid",
                 subject_type="refund_year", subject_id=year, payload={"count": count})
    return count


def employer_refunds(session: Session, actor: Principal,
                     employer_id: int) -> list[JobStabilisationRefund]:
    """An employer's refunds, newest year first (the employer itself, or staff)."""
    actor.require_any("unemployment:employer", "unemployment:read")
    employer = insurance.employer_for(session, actor, employer_id)
    return list(session.scalars(select(JobStabilisationRefund)
                                .where(JobStabilisationRefund.employer_id == employer.id)
                                .order_by(JobStabilisationRefund.year.desc())))
