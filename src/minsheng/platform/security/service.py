"""Accounts: create, sign in (throttled), sign-in sessions and their revocation, passwords,
and the token secret."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from minsheng.platform import regions
from minsheng.platform.db import utcnow
from minsheng.platform.errors import Conflict, NotFound, Unauthenticated, invalid_field
from minsheng.platform.security import audit, throttle
from minsheng.platform.security.models import AppSecret, AuthSession, UserAccount
from minsheng.platform.security.passwords import hash_password, verify_password
from minsheng.platform.security.principal import Principal
from minsheng.platform.security.roles import ROLE_LABELS, Role
from minsheng.platform.security.tokens import issue_token, read_claims

MIN_PASSWORD_LENGTH = 8


def principal_of(user: UserAccount) -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        role=user.role,
        region_code=user.region_code,
        person_id=user.person_id,
        employer_id=user.employer_id,
    )


def add_user(
    session: Session,
    *,
    actor: Principal,
    username: str,
    role: str,
    password: str,
    region_code: str = "",
    display_name: str = "",
    person_id: int | None = None,
    employer_id: int | None = None,
) -> UserAccount:
    """Create an account. Staff scope is a GB/T 2260 code (or "" for the whole node)."""
    username = username.strip()
    if not username or len(username) > 64:
        raise invalid_field("username", "用户名不能为空且不超过64个字符", "1–64 characters")
    try:
        role_value = Role(role)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise invalid_field(
            "role", f"未知角色，可选：{allowed}", f"unknown role; one of {allowed}"
        ) from None
    if len(password) < MIN_PASSWORD_LENGTH:
        raise invalid_field(
            "password",
            f"密码至少 {MIN_PASSWORD_LENGTH} 位",
            f"at least {MIN_PASSWORD_LENGTH} characters",
        )
    region_code = region_code.strip()
    if len(region_code) in (2, 4) and region_code.isdigit():  # a province or city prefix
        region_code = region_code.ljust(6, "0")
    if region_code and not regions.is_known(region_code):
        raise invalid_field("region", "未知的行政区划代码", "unknown division code")
    existing = session.scalar(select(UserAccount.id).where(UserAccount.username == username))
    if existing is not None:
        raise Conflict(
            f"用户名 {username} 已存在", f"username {username} already exists",
            extra={"existing_id": existing},
        )
    user = UserAccount(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role_value.value,
        region_code=region_code,
        person_id=person_id,
        employer_id=employer_id,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor.username,
        action="user.create",
        subject_type="user_account",
        subject_id=user.id,
        payload={"username": username, "role": role_value.value, "region": region_code},
    )
    return user


def authenticate(session: Session, username: str, password: str) -> UserAccount:
    user = session.scalar(select(UserAccount).where(UserAccount.username == username))
    if user is None or not user.active or not verify_password(user.password_hash, password):
        raise Unauthenticated("用户名或密码错误", "Wrong username or password")
    return user


def sign_in(
    session: Session, username: str, password: str, *, address: str, channel: str,
    policy: throttle.ThrottlePolicy,
) -> UserAccount:
    """:func:`authenticate`, throttled per account name and client address
    (:mod:`minsheng.platform.security.throttle`). A refusal raises ``Unauthenticated`` or
    ``LockedOut`` after writing its audit event: the caller answers instead of re-raising,
    so that the event and the failure count are committed."""
    throttle.check_not_locked(session, username=username, address=address, channel=channel)
    try:
        user = authenticate(session, username, password)
    except Unauthenticated:
        locked = throttle.record_failure(session, username=username, address=address,
                                         channel=channel, policy=policy)
        if locked is not None:
            raise locked from None
        raise
    throttle.record_success(session, username=username)
    return user


def get_secret(session: Session, configured: str) -> str:
    """The configured secret, or the one generated for this database at first use."""
    if configured:
        return configured
    row = session.get(AppSecret, "token")
    if row is None:
        row = AppSecret(name="token", value=secrets.token_urlsafe(48))
        session.add(row)
        session.flush()
    return row.value


def start_session(
    session: Session, user: UserAccount, *, secret: str, ttl: timedelta, channel: str,
    address: str = "",
) -> str:
    """A new sign-in of ``user`` and its token (session cookie or bearer token). The
    user's expired sign-ins are cleared on the way."""
    now = utcnow()
    session.execute(delete(AuthSession).where(AuthSession.user_id == user.id,
                                              AuthSession.expires_at < now))
    row = AuthSession(id=secrets.token_hex(16), user_id=user.id, channel=channel,
                      client_address=address[:64], created_at=now, expires_at=now + ttl)
    session.add(row)
    session.flush()
    return issue_token(secret, user_id=user.id, ttl=ttl, session_id=row.id, now=now)


def _live_session(session: Session, *, secret: str, token: str) -> AuthSession:
    claims = read_claims(secret, token)
    row = session.get(AuthSession, claims.session_id)
    if row is None or row.user_id != claims.user_id:
        raise Unauthenticated("凭证无效，请重新登录", "Invalid credentials, sign in again")
    if row.revoked_at is not None:
        raise Unauthenticated("已退出登录，请重新登录", "Signed out; sign in again")
    return row


def principal_from_token(session: Session, *, secret: str, token: str) -> Principal:
    """The account a live (unexpired, unrevoked) token belongs to: one statement, as
    every request asks."""
    claims = read_claims(secret, token)
    found = session.execute(
        select(AuthSession.revoked_at, UserAccount.id, UserAccount.username, UserAccount.role,
               UserAccount.region_code, UserAccount.person_id, UserAccount.employer_id,
               UserAccount.active)
        .join(UserAccount, UserAccount.id == AuthSession.user_id)
        .where(AuthSession.id == claims.session_id, AuthSession.user_id == claims.user_id)
    ).one_or_none()
    if found is None:
        raise Unauthenticated("凭证无效，请重新登录", "Invalid credentials, sign in again")
    if found.revoked_at is not None:
        raise Unauthenticated("已退出登录，请重新登录", "Signed out; sign in again")
    if not found.active:
        raise Unauthenticated("账户不存在或已停用", "Account missing or disabled")
    return Principal(user_id=found.id, username=found.username, role=found.role,
                     region_code=found.region_code, person_id=found.person_id,
                     employer_id=found.employer_id)


def end_session(session: Session, *, secret: str, token: str) -> bool:
    """Sign out: revoke the sign-in ``token`` belongs to, so that the token (a copied
    cookie, a kept bearer token) is refused from now on. False if it was not live."""
    try:
        row = _live_session(session, secret=secret, token=token)
    except Unauthenticated:
        return False
    row.revoked_at = utcnow()
    user = session.get(UserAccount, row.user_id)
    audit.record(session, actor=user.username if user else "-", action="auth.logout",
                 subject_type="user_account", subject_id=row.user_id,
                 payload={"channel": row.channel})
    return True


def revoke_sessions(session: Session, user_id: int) -> int:
    """Revoke every live sign-in of an account; how many there were."""
    result = session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None),
               AuthSession.expires_at > utcnow())
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def find_user(session: Session, username: str) -> UserAccount:
    user = session.scalar(select(UserAccount).where(UserAccount.username == username.strip()))
    if user is None:
        raise NotFound(f"用户 {username} 不存在", f"No user {username}")
    return user


def set_password(session: Session, *, actor: Principal, user: UserAccount, password: str) -> int:
    """Give ``user`` a new password and revoke all their sign-ins (every session cookie and
    bearer token issued before is refused); audited as ``user.password``. The number of
    sign-ins revoked."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise invalid_field(
            "password",
            f"密码至少 {MIN_PASSWORD_LENGTH} 位",
            f"at least {MIN_PASSWORD_LENGTH} characters",
        )
    user.password_hash = hash_password(password)
    session.flush()
    revoked = revoke_sessions(session, user.id)
    audit.record(session, actor=actor.username, action="user.password",
                 subject_type="user_account", subject_id=user.id,
                 payload={"username": user.username, "sessions_revoked": revoked})
    return revoked


def get_user(session: Session, user_id: int) -> UserAccount:
    user = session.get(UserAccount, user_id)
    if user is None:
        raise NotFound("用户不存在", "No such user")
    return user


#: How the system's own account (batch jobs, demo data, migrations) is shown to people.
SYSTEM_DISPLAY_NAME = "系统"


def display_names(session: Session, usernames: set[str]) -> dict[str, str]:
    """The names people read for accounts (``wangfang`` → 王芳): the display name, else
    the role's label; the system account is 系统. An unknown username stays as it is."""
    names = {name: SYSTEM_DISPLAY_NAME for name in usernames if name == "system"}
    wanted = usernames - names.keys()
    if wanted:
        for username, display, role in session.execute(
                select(UserAccount.username, UserAccount.display_name, UserAccount.role)
                .where(UserAccount.username.in_(sorted(wanted)))):
            known = role in {r.value for r in Role}
            names[username] = display or (ROLE_LABELS[Role(role)] if known else "工作人员")
    return names
