"""Sign-in sessions: a session cookie or bearer token kept after sign-out, or after a
password change, is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.platform.errors import RuleViolation, Unauthenticated
from minsheng.platform.security import service as security
from minsheng.platform.security.models import AuditEvent, AuthSession
from minsheng.platform.security.principal import SYSTEM
from minsheng.platform.security.tokens import issue_token
from minsheng.platform.web.deps import SESSION_COOKIE
from tests import factories as f
from tests.live import sign_in

SECRET = "test-secret-not-for-production-use-0123456789"


def _me(client: TestClient, token: str) -> int:
    return client.get("/api/v1/auth/me",
                      headers={"Authorization": f"Bearer {token}"}).status_code


class TestSignOut:
    def test_a_replayed_session_cookie_is_refused_after_sign_out(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session, name="回退查看")
        sign_in(client, f.staff(session, "clerk", "500103"))
        cookie = client.cookies[SESSION_COOKIE]
        assert client.get(f"/persons/{person.id}").status_code == 200
        response = client.post("/logout", follow_redirects=False)
        assert response.status_code == 303
        # The browser drops the cookie; someone who copied it puts it back.
        client.cookies.set(SESSION_COOKIE, cookie)
        page = client.get(f"/persons/{person.id}", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"].startswith("/login")
        api = client.get(f"/api/v1/persons/{person.id}")
        assert api.status_code == 401
        assert person.resident_id not in api.text + page.text

    def test_sign_out_is_audited(self, client: TestClient, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        sign_in(client, clerk)
        client.post("/logout")
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.logout")).one()
        assert event.actor == clerk.username and event.subject_id == str(clerk.user_id)

    def test_signing_in_again_in_the_same_browser_ends_the_previous_session(
        self, client: TestClient, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        sign_in(client, clerk)
        first = client.cookies[SESSION_COOKIE]
        sign_in(client, f.staff(session, "reviewer", "500103"))
        assert _me(client, first) == 401
        assert client.get("/api/v1/auth/me").json()["role"] == "reviewer"

    def test_other_sessions_of_the_account_stay_signed_in(
        self, client: TestClient, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        kept = f.login(client, clerk)
        sign_in(client, clerk)
        client.post("/logout")
        assert client.get("/api/v1/auth/me", headers=kept).status_code == 200

    def test_a_revoked_bearer_token_is_refused(self, client: TestClient, session: Session) -> None:
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
        assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
        refused = client.get("/api/v1/auth/me", headers=headers)
        assert refused.status_code == 401
        assert refused.json()["detail"] == "已退出登录，请重新登录"


class TestPasswordChange:
    def test_revokes_every_cookie_and_token_and_the_new_password_works(
        self, client: TestClient, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        bearer = f.login(client, clerk)
        sign_in(client, clerk)
        assert client.get("/", follow_redirects=False).status_code == 200
        user = security.get_user(session, clerk.user_id)
        assert security.set_password(session, actor=SYSTEM, user=user,
                                     password="New-Passw0rd!") == 2
        assert client.get("/", follow_redirects=False).status_code == 303
        assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401
        client.cookies.clear()
        old = client.post("/api/v1/auth/token",
                          data={"username": clerk.username, "password": f.PASSWORD})
        assert old.status_code == 401
        new = client.post("/api/v1/auth/token",
                          data={"username": clerk.username, "password": "New-Passw0rd!"})
        assert new.status_code == 200
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "user.password")).one()
        assert '"sessions_revoked": 2' in event.payload

    def test_a_short_password_is_refused(self, session: Session) -> None:
        user = security.get_user(session, f.staff(session, "clerk", "500103").user_id)
        with pytest.raises(RuleViolation, match="at least"):
            security.set_password(session, actor=SYSTEM, user=user, password="short")


class TestTokens:
    def test_a_token_without_a_sign_in_session_is_refused(
        self, client: TestClient, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        forged = issue_token(SECRET, user_id=clerk.user_id, ttl=timedelta(hours=1))
        assert _me(client, forged) == 401
        other = f.staff(session, "clerk", "500103")
        f.login(client, other)
        sid = session.scalars(select(AuthSession.id).where(AuthSession.user_id == other.user_id)
                              ).one()
        # A session id of another account does not make the token valid either.
        borrowed = issue_token(SECRET, user_id=clerk.user_id, ttl=timedelta(hours=1),
                               session_id=sid)
        assert _me(client, borrowed) == 401

    def test_expired_sessions_are_cleared_at_the_next_sign_in(self, session: Session) -> None:
        user = security.get_user(session, f.staff(session, "clerk", "500103").user_id)
        security.start_session(session, user, secret=SECRET, ttl=timedelta(seconds=-1),
                               channel="api")
        live = security.start_session(session, user, secret=SECRET, ttl=timedelta(hours=1),
                                      channel="api")
        rows = session.scalars(select(AuthSession).where(AuthSession.user_id == user.id)).all()
        assert len(rows) == 1
        assert security.principal_from_token(session, secret=SECRET, token=live).user_id == user.id

    def test_a_disabled_account_is_refused(self, session: Session) -> None:
        user = security.get_user(session, f.staff(session, "clerk", "500103").user_id)
        token = security.start_session(session, user, secret=SECRET, ttl=timedelta(hours=1),
                                       channel="page")
        user.active = False
        session.flush()
        with pytest.raises(Unauthenticated):
            security.principal_from_token(session, secret=SECRET, token=token)
