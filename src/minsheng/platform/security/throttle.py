"""Login throttling: failed sign-ins are counted per account name and per client address
within a window; at the limit the key is locked out, and the right password is refused too
until the lock-out ends or an administrator lifts it.

Keys are the user name *as typed*, so an unknown name locks like a known one and the
answer never tells whether an account exists. A success clears the account's count, not
the address's (one valid account must not reset an address that guesses others).
Every failure, lock-out, refusal while locked and lift is written to the audit chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from minsheng.platform.config import Settings
from minsheng.platform.db import aware_utc, utcnow
from minsheng.platform.errors import DomainError
from minsheng.platform.security import audit
from minsheng.platform.security.models import LoginThrottle

ACCOUNT = "account"
ADDRESS = "address"
_KEY_LENGTH = 64


class LockedOut(DomainError):
    """Too many failed sign-ins: the account name or the client address is locked."""

    status_code: ClassVar[int] = 429
    code: ClassVar[str] = "locked_out"


@dataclass(frozen=True)
class ThrottlePolicy:
    max_failures: int = 5
    max_failures_per_address: int = 30
    window: timedelta = timedelta(minutes=15)
    #: ``None``: locked until an administrator lifts it.
    lockout: timedelta | None = timedelta(minutes=30)

    @classmethod
    def of(cls, settings: Settings) -> ThrottlePolicy:
        minutes = settings.login_lockout_minutes
        return cls(
            max_failures=settings.login_max_failures,
            max_failures_per_address=settings.login_max_failures_per_address,
            window=timedelta(minutes=settings.login_failure_window_minutes),
            lockout=timedelta(minutes=minutes) if minutes else None,
        )

    def limit(self, kind: str) -> int:
        return self.max_failures if kind == ACCOUNT else self.max_failures_per_address


def _key(value: str) -> str:
    return value.strip()[:_KEY_LENGTH]


def is_locked(row: LoginThrottle, now: datetime) -> bool:
    if row.locked_at is None:
        return False
    return row.locked_until is None or aware_utc(row.locked_until) > now


def _row(session: Session, kind: str, key: str, now: datetime) -> LoginThrottle:
    """The counter of ``key``, created if missing and locked for update (two failures at
    the same moment both count)."""
    dialect = session.get_bind().dialect.name
    values = {"kind": kind, "key": key, "failures": 0, "window_started_at": now}
    if dialect == "postgresql":
        session.execute(postgresql.insert(LoginThrottle).values(values).on_conflict_do_nothing())
    else:
        session.execute(sqlite.insert(LoginThrottle).values(values).on_conflict_do_nothing())
    return session.execute(
        select(LoginThrottle).where(LoginThrottle.kind == kind, LoginThrottle.key == key)
        .with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


def _locked_message(kind: str, row: LoginThrottle) -> LockedOut:
    who = "该账户" if kind == ACCOUNT else "本终端（网络地址）"
    who_en = "This account" if kind == ACCOUNT else "This client address"
    if row.locked_until is None:
        when, when_en = "请联系系统管理员解锁", "ask an administrator to unlock it"
    else:
        minutes = max(1, int((aware_utc(row.locked_until) - utcnow()).total_seconds() // 60) + 1)
        when = f"请 {minutes} 分钟后再试，或联系系统管理员解锁"
        when_en = f"try again in {minutes} min or ask an administrator to unlock it"
    return LockedOut(f"登录失败次数过多，{who}已被暂时锁定；{when}",
                     f"{who_en} is locked after too many failed sign-ins; {when_en}",
                     extra={"locked": kind})


def check_not_locked(
    session: Session, *, username: str, address: str, channel: str
) -> None:
    """Refuse (and audit the refusal) while the account name or the address is locked."""
    now = utcnow()
    for kind, key in ((ACCOUNT, _key(username)), (ADDRESS, _key(address))):
        if not key:
            continue
        row = session.get(LoginThrottle, (kind, key))
        if row is not None and is_locked(row, now):
            audit.record(session, actor=_key(username) or "-", action="auth.refused_locked",
                         subject_type="login_throttle", subject_id=f"{kind}:{key}",
                         payload={"channel": channel, "address": address})
            raise _locked_message(kind, row)


def record_failure(
    session: Session, *, username: str, address: str, channel: str, policy: ThrottlePolicy
) -> LockedOut | None:
    """Count a failed sign-in against the account name and the address; lock a key that
    reaches its limit within the window. The lock-out, if this failure caused one."""
    now = utcnow()
    audit.record(session, actor=_key(username) or "-", action="auth.failed",
                 subject_type="user_account", subject_id=_key(username) or "-",
                 payload={"channel": channel, "address": address})
    locked: LockedOut | None = None
    for kind, key in ((ACCOUNT, _key(username)), (ADDRESS, _key(address))):
        if not key:
            continue
        row = _row(session, kind, key, now)
        if row.locked_at is not None and not is_locked(row, now):  # an expired lock-out
            row.locked_at = row.locked_until = None
            row.failures = 0
        if aware_utc(row.window_started_at) + policy.window <= now:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        if row.locked_at is None and row.failures >= policy.limit(kind):
            row.locked_at = now
            row.locked_until = now + policy.lockout if policy.lockout else None
            audit.record(session, actor=audit.SYSTEM_ACTOR, action="auth.locked",
                         subject_type="login_throttle", subject_id=f"{kind}:{key}",
                         payload={"failures": row.failures, "channel": channel,
                                  "until": row.locked_until})
            locked = locked or _locked_message(kind, row)
    session.flush()
    return locked


def record_success(session: Session, *, username: str) -> None:
    """A right password (while not locked) clears the account's failure count."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.kind == ACCOUNT,
                                                LoginThrottle.key == _key(username)))


@dataclass(frozen=True)
class Lift:
    kind: str
    key: str
    was_locked: bool


def unlock(
    session: Session, *, actor: str, username: str = "", address: str = ""
) -> list[Lift]:
    """Lift the lock-out (and clear the failure count) of an account name and/or a client
    address; audited as ``auth.unlock`` for each key that had a record."""
    now = utcnow()
    lifted = []
    for kind, key in ((ACCOUNT, _key(username)), (ADDRESS, _key(address))):
        if not key:
            continue
        row = session.get(LoginThrottle, (kind, key))
        if row is None:
            continue
        was_locked = is_locked(row, now)
        session.delete(row)
        audit.record(session, actor=actor, action="auth.unlock", subject_type="login_throttle",
                     subject_id=f"{kind}:{key}",
                     payload={"was_locked": was_locked, "failures": row.failures})
        lifted.append(Lift(kind, key, was_locked))
    session.flush()
    return lifted
