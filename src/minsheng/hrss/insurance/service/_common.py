"""What the insurance use cases share: scheme labels, the employer an actor may act for, arrears."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Employer
from minsheng.platform.months import add_months, month_of
from minsheng.platform.security.principal import Principal

SCHEME_LABELS = {
    "employee_pension": "职工基本养老保险",
    "resident_pension": "城乡居民基本养老保险",
    "unemployment": "失业保险",
    "work_injury": "工伤保险",
}


#: Contributions of month M are in arrears once this many months have passed after M
#: unpaid (local collection practice, ✘ unconfirmed: a setting, not law).
ARREARS_AFTER_MONTHS = 1


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


def is_in_arrears(period: int, today: date) -> bool:
    return add_months(period, ARREARS_AFTER_MONTHS) < month_of(today)


def arrears_cutoff(today: date) -> int:
    """Contributions of months before this one still due on ``today`` are arrears
    (欠费; the same line as :func:`is_in_arrears`)."""
    return add_months(month_of(today), -ARREARS_AFTER_MONTHS)
