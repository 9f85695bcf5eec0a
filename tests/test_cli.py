"""The ``minsheng`` command line against its own scratch database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from minsheng.cli import app
from minsheng.platform.config import get_settings
from minsheng.platform.db import make_engine
from tests.conftest import scratch_database

runner = CliRunner()


@pytest.fixture
def cli_db(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = scratch_database(database_url, "cli", tmp_path)
    monkeypatch.setenv("MINSHENG_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


class TestInitAndUsers:
    def test_init_is_repeatable_and_user_add_creates_an_account(self, cli_db: str) -> None:
        _ok("init")
        _ok("init")
        _ok("user", "add", "clerk1", "--role", "clerk", "--region", "500103",
            "--password", "s3cret-pass")
        engine = make_engine(cli_db)
        with engine.connect() as conn:
            row = conn.execute(text(
                "SELECT role, region_code, password_hash FROM user_account "
                "WHERE username = 'clerk1'")).one()
        engine.dispose()
        assert row[0] == "clerk" and row[1] == "500103"
        assert row[2].startswith("$argon2id$")

    def test_bad_role_and_duplicate_user_exit_non_zero(self, cli_db: str) -> None:
        _ok("init")
        bad = runner.invoke(app, ["user", "add", "x1", "--role", "king", "--password", "longenough"])
        assert bad.exit_code != 0
        assert "role" in bad.output
        _ok("user", "add", "x2", "--role", "auditor", "--password", "longenough")
        dup = runner.invoke(app, ["user", "add", "x2", "--role", "auditor",
                                  "--password", "longenough"])
        assert dup.exit_code != 0


class TestAuditVerify:
    def test_intact_then_tampered(self, cli_db: str) -> None:
        _ok("init")
        for name in ("a1", "a2", "a3"):
            _ok("user", "add", name, "--role", "clerk", "--region", "500103",
                "--password", "longenough")
        assert "审计链完整" in _ok("audit", "verify")
        engine = make_engine(cli_db)
        with engine.begin() as conn:
            conn.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE seq = 2"))
        engine.dispose()
        result = runner.invoke(app, ["audit", "verify"])
        assert result.exit_code == 1
        assert "seq=2" in result.output

    def test_deleted_row_is_named(self, cli_db: str) -> None:
        _ok("init")
        for name in ("b1", "b2", "b3"):
            _ok("user", "add", name, "--role", "clerk", "--password", "longenough")
        engine = make_engine(cli_db)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_event WHERE seq = 2"))
        engine.dispose()
        result = runner.invoke(app, ["audit", "verify"])
        assert result.exit_code == 1
        assert "seq=2" in result.output
