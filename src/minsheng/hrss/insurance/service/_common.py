"""What the insurance use cases share: scheme labels, the employer an actor may act for, arrears."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance.models import ArrearsRule
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Employer, Person
from minsheng.platform import rulebook
from minsheng.platform.months import add_months, month_of
from minsheng.platform.security.principal import Principal

SCHEME_LABELS = {
    "employee_pension": "职工基本养老保险",
    "resident_pension": "城乡居民基本养老保险",
    "unemployment": "失业保险",
    "work_injury": "工伤保险",
}


def employer_for(session: Session, actor: Principal, employer_id: int) -> Employer:
    """The employer an account acts for (its own), or one in a staff member's scope."""
    if actor.employer_id == employer_id:
        employer = session.get(Employer, employer_id)
        if employer is not None:
            return employer
    return registry.read_employer(session, actor, employer_id)


def _acting_for_employer(actor: Principal) -> Principal:
    """An employer account acts on its own employees wherever they live."""
    if actor.employer_id is None:
        return actor
    return Principal(user_id=actor.user_id, username=actor.username, role="clerk",
                     region_code="", employer_id=actor.employer_id)


def arrears_after_months(session: Session, region: str, period: int) -> int | None:
    """Months after a contribution month ``period`` that an unpaid contribution becomes
    arrears (欠费) in ``region``: the :class:`ArrearsRule` in force for that month and
    region (local collection practice, dated data with its source); ``None`` where no
    rule is on record (nothing is called arrears then)."""
    rule = rulebook.one_in_force(session, ArrearsRule, region, period)
    return None if rule is None else rule.months_after


def is_in_arrears(session: Session, region: str, period: int, today: date) -> bool:
    """Whether a contribution of month ``period`` in ``region`` still due on ``today`` is
    in arrears: ``months_after`` (in force for that month) have passed after it."""
    return _past_grace(period, arrears_after_months(session, region, period), today)


def _past_grace(period: int, months_after: int | None, today: date) -> bool:
    return months_after is not None and add_months(period, months_after) < month_of(today)


def contribution_statuses(session: Session, person_id: int,
                          rows: Sequence[tuple[str, int, int | None]],
                          today: date) -> list[str]:
    """已缴 / 待缴 / 欠费 (``paid``/``due``/``arrears``) of a person's contribution rows,
    given as (status, period, employer id): arrears judged in the employer's region, or
    the person's residence region when the person pays alone."""
    employers = {row[2] for row in rows if row[2] is not None}
    region_of: dict[int, str] = {
        i: r for i, r in session.execute(select(Employer.id, Employer.region)
                                         .where(Employer.id.in_(employers)))} \
        if employers else {}
    residence = session.scalar(select(Person.residence_region).where(Person.id == person_id))
    after: dict[tuple[str, int], int | None] = {}
    result = []
    for status, period, employer_id in rows:
        if status == "paid":
            result.append("paid")
            continue
        region = region_of.get(employer_id, "") if employer_id is not None else residence or ""
        if (region, period) not in after:
            after[region, period] = arrears_after_months(session, region, period)
        result.append("arrears" if _past_grace(period, after[region, period], today)
                      else "due")
    return result


def arrears_sql(period: str, region: str, today: date) -> str:
    """SQL (for a set-based statement): the contribution month ``period`` of the region
    ``region`` (both SQL expressions) is past its arrears line on ``today``: months
    counted as ``year * 12 + month``, the grace looked up in ``arrears_rule`` for that
    region and month (the same line as :func:`is_in_arrears`)."""
    grace = rulebook.in_force_sql(ArrearsRule, "months_after", region, period)
    current = month_of(today)
    return (f"(({period}) / 100 * 12 + ({period}) % 100 + {grace} "
            f"< {current // 100 * 12 + current % 100})")
