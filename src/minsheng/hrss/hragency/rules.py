"""HR service agency rules (人力资源服务机构): the licence (人力资源服务许可证), its
scope, validity and state; the annual report (年度报告) and when it is late.

Sources:

- 《人力资源市场暂行条例》（国务院令第700号，2018年10月1日起施行）: an operating HR
  service agency engaged in job intermediation (职业中介活动) applies to the human
  resources and social security department for an administrative licence and is issued
  a 人力资源服务许可证 (art. 18); other HR services (information, guidance, consulting,
  assessment, training, outsourcing) are filed (备案) (art. 18); agencies submit an annual
  report of their operations to the department within the period it sets (art. 36 —
  the article number as we read it; the deadline itself is a dated setting, see below).
- 《人力资源服务机构管理规定》（人社部令第50号，2023年）: the licence names its scope
  (服务范围) and the department supervises licences and reports.
- The report deadline (e.g. 31 March of the following year) is kept as dated data
  (``AgencyReportDeadline``) marked unconfirmed, as is any validity span: the statute
  does not fix a number we could confirm.
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum

#: The scope items a licence may name (服务范围), by code.
SCOPE_ITEMS: dict[str, str] = {
    "job_intermediary": "职业介绍",
    "information": "人力资源供求信息的收集和发布",
    "guidance": "就业和创业指导",
    "consulting": "人力资源管理咨询",
    "assessment": "人力资源测评",
    "training": "人力资源培训",
    "outsourcing": "承接人力资源服务外包",
    "headhunting": "高级人才寻访",
}


class LicenceState(StrEnum):
    VALID = "valid"        # 有效
    REVOKED = "revoked"    # 已吊销（撤销）


LICENCE_STATE_LABELS = {"valid": "有效", "expired": "已过期", "revoked": "已吊销"}


def licence_status(state: str, valid_until: date, on: date) -> str:
    """``valid``, ``expired`` (past its validity, not renewed) or ``revoked``."""
    if state == LicenceState.REVOKED:
        return "revoked"
    return "expired" if on > valid_until else "valid"


def in_force_during(issued_on: date, valid_until: date, revoked_on: date | None,
                    first: date, last: date) -> bool:
    """Whether a licence was in force on at least one day of ``first``…``last``: issued
    by ``last``, valid until ``first`` or later, not revoked before ``first``."""
    return (issued_on <= last and valid_until >= first
            and (revoked_on is None or revoked_on >= first))


def in_force_on(issued_on: date, valid_until: date, revoked_on: date | None,
                day: date) -> bool:
    """Whether a licence is in force on ``day`` (a revocation takes effect that day)."""
    return issued_on <= day <= valid_until and (revoked_on is None or revoked_on > day)


def report_deadline(year: int, month: int, day: int) -> date:
    """The deadline of the report on ``year``: the set month and day of the following
    year (a day past the month's end is its last day: 2-30 → 2-28 or 2-29)."""
    last = calendar.monthrange(year + 1, month)[1]
    return date(year + 1, month, min(day, last))


def is_late(deadline: date, filed_on: date | None, today: date) -> bool:
    """A report is late when it was not filed by the end of the deadline day: filed
    after it, or still not filed once it has passed."""
    if filed_on is not None:
        return filed_on > deadline
    return today > deadline


def yuan_from_fen(fen: int) -> str:
    """Revenue kept in fen, shown in yuan with two decimals (exact, no float)."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


def scope_text(codes: str) -> str:
    """The licence's scope as its items' names."""
    return "、".join(SCOPE_ITEMS.get(c, c) for c in codes.split(",") if c)
