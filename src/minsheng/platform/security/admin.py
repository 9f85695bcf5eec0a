"""What the administrator and the auditor do on their pages: manage accounts within
their region, and read, filter, verify and export the audit chain.

Every change to an account is audited (``user.update``, ``user.password``,
``auth.unlock``); an export of the audit log is itself audited (``audit.export``).
Resident ID numbers inside event payloads are masked for display and export
(DESIGN.md, personal data).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from minsheng.platform import exports, regions
from minsheng.platform.config import get_settings
from minsheng.platform.db import aware_utc, flush, utcnow
from minsheng.platform.errors import Forbidden, invalid_field, stale_record
from minsheng.platform.ids import mask_resident_id
from minsheng.platform.paging import Listing, Sort, Sorting, paginate
from minsheng.platform.security import audit, throttle
from minsheng.platform.security.models import AuditEvent, LoginThrottle, UserAccount
from minsheng.platform.security.principal import Principal, region_filter
from minsheng.platform.security.roles import ROLE_LABELS, Role
from minsheng.platform.security.service import get_user, revoke_sessions, set_password
from minsheng.platform.worklist import WorkItem

#: Rows per page on the account and audit lists, and the largest export.
PAGE_SIZE = 50
EXPORT_LIMIT = 1_000_000

_RESIDENT_ID = re.compile(r"\b\d{17}[\dXx]\b")


def _listing(session: Session, query: Any, page: int) -> Listing[Any]:
    return paginate(session, query, page, PAGE_SIZE)


# --- accounts ------------------------------------------------------------------------


def _scope(actor: Principal) -> ColumnElement[bool]:
    """An administrator manages the accounts of their region (citizen and employer
    accounts carry no region: only a node-wide administrator manages them)."""
    return region_filter(UserAccount.region_code, actor)


#: The orders of the account list (``sort``): by default by user name.
USER_SORTING = Sorting({
    "username": UserAccount.username,
    "display_name": UserAccount.display_name,
    "role": UserAccount.role,
    "region": UserAccount.region_code,
}, default="username", tie_breakers=[UserAccount.username.asc(), UserAccount.id.asc()])


def list_users(session: Session, actor: Principal, *, q: str = "", role: str = "",
               page: int = 1, sort: Sort | None = None) -> Listing[Any]:
    actor.require("users:manage")
    where = [_scope(actor)]
    if q.strip():
        like = f"%{q.strip()}%"
        where.append(UserAccount.username.like(like) | UserAccount.display_name.like(like))
    if role:
        where.append(UserAccount.role == role)
    query = select(UserAccount).where(*where).order_by(
        *USER_SORTING.order_by(sort or USER_SORTING.default))
    return _listing(session, query, page)


def user_for_admin(session: Session, actor: Principal, user_id: int) -> UserAccount:
    actor.require("users:manage")
    user = get_user(session, user_id)
    if not actor.sees_region(user.region_code):
        raise Forbidden("该账户不在您的管辖范围内", "This account is outside your region")
    return user


def locked_names(session: Session, usernames: list[str]) -> set[str]:
    """Which of these account names are locked out now."""
    rows = session.scalars(select(LoginThrottle).where(
        LoginThrottle.kind == throttle.ACCOUNT,
        LoginThrottle.key.in_(usernames)))
    now = utcnow()
    return {row.key for row in rows if throttle.is_locked(row, now)}


def update_user(session: Session, actor: Principal, user_id: int, *, version: int,
                display_name: str, role: str, region_code: str, active: bool) -> UserAccount:
    """Change an account's name, role, region or status. A role, region or status change
    signs the account out everywhere (its old sign-ins carried the old rights)."""
    user = user_for_admin(session, actor, user_id)
    if user.version != version:
        raise stale_record()
    if role not in {r.value for r in Role} or role == Role.PEER_NODE:
        raise invalid_field("role", "请选择有效的角色", "choose a valid role")
    region_code = region_code.strip()
    if region_code and not regions.is_known(region_code):
        raise invalid_field("region_code", "未知的行政区划代码", "unknown division code")
    if not actor.sees_region(region_code):
        raise invalid_field("region_code", "只能分配您管辖范围内的地区",
                            "assign a region within your own")
    if user.id == actor.user_id and (not active or role != user.role):
        raise invalid_field("role", "不能停用自己的账户或更改自己的角色",
                            "you may not disable your own account or change your own role")
    display_name = display_name.strip() or user.username
    if len(display_name) > 64:
        raise invalid_field("display_name", "姓名不超过 64 个字符", "at most 64 characters")
    before = {"display_name": user.display_name, "role": user.role,
              "region": user.region_code, "active": user.active}
    after = {"display_name": display_name, "role": role, "region": region_code,
             "active": active}
    changed = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if not changed:
        return user
    user.display_name, user.role, user.region_code, user.active = (
        display_name, role, region_code, active)
    flush(session)
    revoked = 0
    if changed.keys() & {"role", "region", "active"}:
        revoked = revoke_sessions(session, user.id)
    audit.record(session, actor=actor.username, action="user.update",
                 subject_type="user_account", subject_id=user.id,
                 payload={"username": user.username, "changed": changed,
                          "sessions_revoked": revoked})
    return user


def reset_password(session: Session, actor: Principal, user_id: int, password: str) -> int:
    user = user_for_admin(session, actor, user_id)
    return set_password(session, actor=actor, user=user, password=password)


def unlock_user(session: Session, actor: Principal, user_id: int) -> bool:
    user = user_for_admin(session, actor, user_id)
    return any(lift.was_locked for lift in throttle.unlock(
        session, actor=actor.username, username=user.username))


def role_options() -> list[tuple[str, str]]:
    return [(r.value, ROLE_LABELS[r]) for r in Role if r != Role.PEER_NODE]


# --- the audit log -------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    action: str = ""
    subject_type: str = ""
    subject_id: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def where(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.actor:
            where.append(AuditEvent.actor == self.actor)
        if self.action:
            where.append(AuditEvent.action.like(f"{self.action}%"))
        if self.subject_type:
            where.append(AuditEvent.subject_type == self.subject_type)
        if self.subject_id:
            where.append(AuditEvent.subject_id == self.subject_id)
        if self.date_from:
            where.append(AuditEvent.occurred_at >= datetime.combine(
                self.date_from, time.min).astimezone())
        if self.date_to:
            where.append(AuditEvent.occurred_at < datetime.combine(
                self.date_to + timedelta(days=1), time.min).astimezone())
        return where


def parse_day(text: str, field: str) -> date | None:
    if not text.strip():
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise invalid_field(field, "日期格式应为 YYYY-MM-DD", "a date is written YYYY-MM-DD") \
            from None
    if not 1949 <= day.year <= 2100:
        raise invalid_field(field, "日期超出范围", "date out of range")
    return day


#: The orders of the audit log (``sort``): by default the newest event first.
AUDIT_SORTING = Sorting({
    "seq": AuditEvent.seq,
    "actor": AuditEvent.actor,
    "action": AuditEvent.action,
    "subject": [AuditEvent.subject_type, AuditEvent.subject_id],
}, default="seq", default_descending=True, tie_breakers=[AuditEvent.seq.desc()])


def search_events(session: Session, actor: Principal, where: AuditFilter,
                  page: int = 1, sort: Sort | None = None) -> Listing[Any]:
    actor.require("audit:read")
    query = select(AuditEvent).where(*where.where()).order_by(
        *AUDIT_SORTING.order_by(sort or AUDIT_SORTING.default))
    return _listing(session, query, page)


def masked_payload(payload: str) -> str:
    """An event's payload for people: compact JSON with resident IDs masked."""
    try:
        text = json.dumps(json.loads(payload), ensure_ascii=False, sort_keys=True)
    except ValueError:
        text = payload
    return _RESIDENT_ID.sub(lambda m: mask_resident_id(m.group(0)), text)


def verify(session: Session, actor: Principal) -> audit.ChainReport:
    actor.require("audit:read")
    audit.seal(session)
    report = audit.verify_chain(session)
    audit.record(session, actor=actor.username, action="audit.verify", subject_type="audit",
                 subject_id="chain", payload={"events": report.events,
                                              "broken_link": report.broken_link})
    return report


def export_events_xlsx(session: Session, actor: Principal, where: AuditFilter,
                       sort: Sort | None = None) -> bytes:
    """Every event the filter selects (in the list's order, by default newest first),
    as a workbook; audited."""
    actor.require("audit:read")
    events = session.execute(select(AuditEvent).where(*where.where())
                             .order_by(*AUDIT_SORTING.order_by(sort or AUDIT_SORTING.default))
                             .limit(EXPORT_LIMIT)
                             .execution_options(yield_per=5_000)).scalars()
    content, count = exports.xlsx_bytes(
        "审计日志", ["链上序号", "时间", "操作人", "操作", "对象类型", "对象编号", "内容", "哈希"],
        ([e.link, e.occurred_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), e.actor, e.action,
          e.subject_type, e.subject_id, masked_payload(e.payload), e.hash] for e in events))
    audit.record(session, actor=actor.username, action="audit.export", subject_type="audit",
                 subject_id="log", payload={"rows": count, "filter": {
                     k: str(v) for k, v in vars(where).items() if v}})
    return content


def verification_due(last_verified: date | None, today: date, days: int) -> date:
    """The day the chain is next due for verification: ``days`` after the last one, or
    ``today`` when it was never verified."""
    return today if last_verified is None else last_verified + timedelta(days=days)


def waiting_work(session: Session, actor: Principal, today: date) -> list[WorkItem]:
    """For auditors: verifying the audit chain, due ``audit_verify_days`` after the last
    verification by anyone (today if it was never verified). The last verification's day
    is read in the server's own time zone, as ``today`` (``date.today()``) is."""
    if not actor.can("audit:read"):
        return []
    last = session.scalar(select(func.max(AuditEvent.occurred_at))
                          .where(AuditEvent.action == "audit.verify"))
    due = verification_due(aware_utc(last).astimezone().date() if last else None, today,
                           get_settings().audit_verify_days)
    if due > today:
        return []
    return [WorkItem("audit.verify", "审计链待定期校验", 1, "/audit#verify",
                     overdue=int(due < today), due=None if due < today else due)]
