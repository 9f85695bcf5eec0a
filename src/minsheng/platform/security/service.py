"""Accounts: create, authenticate, and the token secret."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.platform import regions
from minsheng.platform.errors import Conflict, NotFound, Unauthenticated, invalid_field
from minsheng.platform.security import audit
from minsheng.platform.security.models import AppSecret, UserAccount
from minsheng.platform.security.passwords import hash_password, verify_password
from minsheng.platform.security.principal import Principal
from minsheng.platform.security.roles import ROLE_LABELS, Role
from minsheng.platform.security.tokens import issue_token, read_token

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


def record_failed_login(session: Session, username: str, channel: str) -> None:
    """A refused sign-in goes into the audit chain (the caller must commit, not raise)."""
    audit.record(session, actor=username[:64] or "-", action="auth.failed",
                 subject_type="user_account", subject_id=username[:64] or "-",
                 payload={"channel": channel})


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


def token_for(session: Session, user: UserAccount, *, secret: str, ttl: timedelta) -> str:
    return issue_token(secret, user_id=user.id, ttl=ttl)


def principal_from_token(session: Session, *, secret: str, token: str) -> Principal:
    user = session.get(UserAccount, read_token(secret, token))
    if user is None or not user.active:
        raise Unauthenticated("账户不存在或已停用", "Account missing or disabled")
    return principal_of(user)


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
