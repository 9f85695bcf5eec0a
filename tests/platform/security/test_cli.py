"""``minsheng user unlock`` and ``minsheng user passwd``, each in a fresh process against
a scratch database, with the web app in between locking the account and issuing tokens."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from minsheng.app.web import create_app
from minsheng.platform.config import Settings
from minsheng.platform.db import make_engine, make_session_factory
from minsheng.platform.security.audit import verify_chain
from minsheng.platform.security.models import AuditEvent, LoginThrottle
from tests.conftest import scratch_database

PASSWORD = "Fresh@2026x"
LIMIT = 3


def _minsheng(url: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = Path(sys.executable).with_name("minsheng")
    env = {**os.environ, "MINSHENG_DATABASE_URL": url}
    return subprocess.run([str(command), *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)


def _ok(url: str, cwd: Path, *args: str) -> str:
    done = _minsheng(url, cwd, *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@contextmanager
def _web(url: str) -> Iterator[TestClient]:
    """The real app on the scratch database (every request commits)."""
    engine = make_engine(url)
    settings = Settings(database_url=url, login_max_failures=LIMIT,
                        secret_key="cli-test-secret-not-for-production-0123456789")
    try:
        with TestClient(create_app(settings, make_session_factory(engine))) as client:
            yield client
    finally:
        engine.dispose()


def _login(client: TestClient, password: str) -> int:
    return client.post("/login", data={"username": "clerk1", "password": password},
                       follow_redirects=False).status_code


def _database(database_url: str, tmp_path: Path, name: str) -> str:
    url = scratch_database(database_url, name, tmp_path)
    _ok(url, tmp_path, "init")
    _ok(url, tmp_path, "user", "add", "clerk1", "--role", "clerk", "--region", "500103",
        "--password", PASSWORD)
    return url


def test_unlock_lifts_a_lock_out_in_a_fresh_process(database_url: str, tmp_path: Path) -> None:
    url = _database(database_url, tmp_path, "cli_unlock")
    with _web(url) as client:
        answers = [_login(client, "wrong-password") for _ in range(LIMIT)]
        assert answers == [401] * (LIMIT - 1) + [429]
        assert _login(client, PASSWORD) == 429

    out = _ok(url, tmp_path, "user", "unlock", "clerk1")
    assert "clerk1" in out and "已解除锁定" in out

    with _web(url) as client:
        assert _login(client, PASSWORD) == 303
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        # The account's record is gone; the client address keeps its (unlocked) count.
        rows = session.scalars(select(LoginThrottle)).all()
        assert [(r.kind, r.failures, r.locked_at) for r in rows] == [("address", LIMIT, None)]
        unlock = session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.unlock")
                                 ).one()
        assert (unlock.actor, unlock.subject_id) == ("system", "account:clerk1")
        assert verify_chain(session).intact
    engine.dispose()
    # Nothing left to lift: says so, and succeeds.
    assert "无需解锁" in _ok(url, tmp_path, "user", "unlock", "clerk1")


def test_passwd_in_a_fresh_process_revokes_the_tokens(database_url: str, tmp_path: Path) -> None:
    url = _database(database_url, tmp_path, "cli_passwd")
    with _web(url) as client:
        token = client.post("/api/v1/auth/token",
                            data={"username": "clerk1", "password": PASSWORD}).json()
        bearer = {"Authorization": f"Bearer {token['access_token']}"}
        assert client.get("/api/v1/auth/me", headers=bearer).status_code == 200

    out = _ok(url, tmp_path, "user", "passwd", "clerk1", "--password", "Another@2026y")
    assert "已注销 1 个登录会话" in out

    with _web(url) as client:
        assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401
        assert _login(client, PASSWORD) == 401
        assert _login(client, "Another@2026y") == 303


def test_unlock_needs_a_name_or_an_address() -> None:
    from typer.testing import CliRunner

    from minsheng.app.cli import app

    result = CliRunner().invoke(app, ["user", "unlock"])
    assert result.exit_code == 2
    assert "用户名" in result.output
