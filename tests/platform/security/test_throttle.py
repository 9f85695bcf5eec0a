"""Login throttling: a lock-out after N wrong passwords within the window, per account name
and per client address; the right password is refused while locked; lifting it; audit."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.platform.config import Settings
from minsheng.platform.db import utcnow
from minsheng.platform.errors import Unauthenticated
from minsheng.platform.security import service as security
from minsheng.platform.security import throttle
from minsheng.platform.security.audit import verify_chain
from minsheng.platform.security.models import AuditEvent, LoginThrottle, UserAccount
from minsheng.platform.web.deps import SESSION_COOKIE
from tests import factories as f

#: Small limits for the page and API tests (the defaults are 5 and 30).
LIMIT, ADDRESS_LIMIT = 3, 6
POLICY = throttle.ThrottlePolicy(max_failures=LIMIT, max_failures_per_address=ADDRESS_LIMIT,
                                 window=timedelta(minutes=15), lockout=timedelta(minutes=30))


@pytest.fixture
def settings(database_url: str) -> Iterator[Settings]:
    yield Settings(database_url=database_url, login_max_failures=LIMIT,
                   login_max_failures_per_address=ADDRESS_LIMIT,
                   secret_key="test-secret-not-for-production-use-0123456789")


def _actions(session: Session, *actions: str) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).where(AuditEvent.action.in_(actions))
                                .order_by(AuditEvent.seq)))


def _login(client: TestClient, username: str, password: str) -> Response:
    return client.post("/login", data={"username": username, "password": password},
                       follow_redirects=False)


def _sign_in(session: Session, username: str, password: str, address: str = "10.0.0.1",
             policy: throttle.ThrottlePolicy = POLICY) -> UserAccount:
    return security.sign_in(session, username, password, address=address, channel="test",
                            policy=policy)


class TestLockOutOnThePage:
    def test_n_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(
        self, client: TestClient, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        for attempt in range(1, LIMIT):
            response = _login(client, clerk.username, "wrong-password")
            assert response.status_code == 401, attempt
            assert "用户名或密码错误" in response.text
        locking = _login(client, clerk.username, "wrong-password")
        assert locking.status_code == 429
        assert "登录失败次数过多" in locking.text
        right = _login(client, clerk.username, f.PASSWORD)
        assert right.status_code == 429
        assert "已被暂时锁定" in right.text
        assert SESSION_COOKIE not in right.headers.get("set-cookie", "")
        assert _actions(session, "auth.failed", "auth.locked", "auth.refused_locked",
                        "auth.login") == (["auth.failed"] * LIMIT
                                          + ["auth.locked", "auth.refused_locked"])
        assert verify_chain(session).intact

    def test_the_api_token_endpoint_counts_and_locks_the_same(
        self, client: TestClient, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        for _ in range(LIMIT - 1):
            response = client.post("/api/v1/auth/token",
                                   data={"username": clerk.username, "password": "nope-nope"})
            assert response.status_code == 401
        # One more on the page reaches the limit: both channels count together.
        assert _login(client, clerk.username, "nope-nope").status_code == 429
        refused = client.post("/api/v1/auth/token",
                              data={"username": clerk.username, "password": f.PASSWORD})
        assert refused.status_code == 429
        assert refused.json()["type"] == "locked_out"
        assert "登录失败次数过多" in refused.json()["detail"]

    def test_an_unknown_name_locks_like_a_known_one(
        self, client: TestClient, session: Session
    ) -> None:
        answers = [_login(client, "nobody-here", "whatever-pw").status_code
                   for _ in range(LIMIT + 1)]
        assert answers == [401] * (LIMIT - 1) + [429, 429]

    def test_other_accounts_are_not_locked_by_one_account(
        self, client: TestClient, session: Session
    ) -> None:
        locked, other = f.staff(session, "clerk", "500103"), f.staff(session, "clerk", "500103")
        for _ in range(LIMIT):
            _login(client, locked.username, "wrong-password")
        assert _login(client, other.username, f.PASSWORD).status_code == 303


class TestThrottleRules:
    def test_a_success_clears_the_account_count(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        for _ in range(LIMIT - 1):
            with pytest.raises(Unauthenticated):
                _sign_in(session, clerk.username, "wrong-password")
        _sign_in(session, clerk.username, f.PASSWORD)
        assert session.get(LoginThrottle, (throttle.ACCOUNT, clerk.username)) is None
        for _ in range(LIMIT - 1):  # a fresh allowance: not locked yet
            with pytest.raises(Unauthenticated):
                _sign_in(session, clerk.username, "wrong-password")
        _sign_in(session, clerk.username, f.PASSWORD)

    def test_failures_older_than_the_window_do_not_count(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        for _ in range(LIMIT - 1):
            with pytest.raises(Unauthenticated):
                _sign_in(session, clerk.username, "wrong-password")
        row = session.get(LoginThrottle, (throttle.ACCOUNT, clerk.username))
        assert row is not None and row.failures == LIMIT - 1
        row.window_started_at = utcnow() - POLICY.window - timedelta(seconds=1)
        session.flush()
        with pytest.raises(Unauthenticated):  # counts as the first of a new window
            _sign_in(session, clerk.username, "wrong-password")
        assert row.failures == 1
        _sign_in(session, clerk.username, f.PASSWORD)

    def test_the_lock_out_ends_by_itself(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        for _ in range(LIMIT - 1):
            with pytest.raises(Unauthenticated):
                _sign_in(session, clerk.username, "wrong-password")
        with pytest.raises(throttle.LockedOut):
            _sign_in(session, clerk.username, "wrong-password")
        with pytest.raises(throttle.LockedOut):
            _sign_in(session, clerk.username, f.PASSWORD)
        row = session.get(LoginThrottle, (throttle.ACCOUNT, clerk.username))
        assert row is not None and row.locked_until is not None
        row.locked_until = utcnow() - timedelta(seconds=1)
        session.flush()
        assert _sign_in(session, clerk.username, f.PASSWORD).id == clerk.user_id

    def test_lockout_zero_lasts_until_an_administrator_lifts_it(self, session: Session) -> None:
        policy = throttle.ThrottlePolicy(max_failures=2, lockout=None)
        clerk = f.staff(session, "clerk", "500103")
        with pytest.raises(Unauthenticated):
            _sign_in(session, clerk.username, "wrong-password", policy=policy)
        with pytest.raises(throttle.LockedOut) as locked:
            _sign_in(session, clerk.username, "wrong-password", policy=policy)
        assert "联系系统管理员解锁" in locked.value.message
        row = session.get(LoginThrottle, (throttle.ACCOUNT, clerk.username))
        assert row is not None and row.locked_at is not None and row.locked_until is None
        row.locked_at = utcnow() - timedelta(days=30)
        session.flush()
        with pytest.raises(throttle.LockedOut):
            _sign_in(session, clerk.username, f.PASSWORD, policy=policy)
        lifted = throttle.unlock(session, actor="admin1", username=clerk.username)
        assert [(x.kind, x.was_locked) for x in lifted] == [(throttle.ACCOUNT, True)]
        _sign_in(session, clerk.username, f.PASSWORD, policy=policy)
        unlock = session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.unlock")).one()
        assert unlock.actor == "admin1" and unlock.subject_id == f"account:{clerk.username}"

    def test_one_address_guessing_many_names_is_locked(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        for n in range(ADDRESS_LIMIT - 1):
            with pytest.raises(Unauthenticated):
                _sign_in(session, f"guess-{n}", "wrong-password", address="203.0.113.9")
        with pytest.raises(throttle.LockedOut) as locked:
            _sign_in(session, f"guess-{ADDRESS_LIMIT}", "wrong-password", address="203.0.113.9")
        assert locked.value.extra["locked"] == throttle.ADDRESS
        # The right password of another account from that address is refused too …
        with pytest.raises(throttle.LockedOut):
            _sign_in(session, clerk.username, f.PASSWORD, address="203.0.113.9")
        # … but not from another address.
        _sign_in(session, clerk.username, f.PASSWORD, address="198.51.100.7")
        throttle.unlock(session, actor="admin1", address="203.0.113.9")
        _sign_in(session, clerk.username, f.PASSWORD, address="203.0.113.9")

    def test_the_settings_make_the_policy(self) -> None:
        policy = throttle.ThrottlePolicy.of(Settings(
            login_max_failures=4, login_max_failures_per_address=9,
            login_failure_window_minutes=10, login_lockout_minutes=0))
        assert policy == throttle.ThrottlePolicy(4, 9, timedelta(minutes=10), None)
        defaults = throttle.ThrottlePolicy.of(Settings())
        assert (defaults.max_failures, defaults.lockout) == (5, timedelta(minutes=30))
