"""The ``minsheng`` command line against its own scratch database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from minsheng.app.cli import app
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
        bad = runner.invoke(app, ["user", "add", "x1", "--role", "king",
                                  "--password", "longenough"])
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
            conn.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE link = 2"))
        engine.dispose()
        result = runner.invoke(app, ["audit", "verify"])
        assert result.exit_code == 1
        assert "链上第 2 条" in result.output

    def test_deleted_row_is_named(self, cli_db: str) -> None:
        _ok("init")
        for name in ("b1", "b2", "b3"):
            _ok("user", "add", name, "--role", "clerk", "--password", "longenough")
        engine = make_engine(cli_db)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_event WHERE link = 2"))
        engine.dispose()
        result = runner.invoke(app, ["audit", "verify"])
        assert result.exit_code == 1
        assert "链上第 2 条" in result.output


class TestCalendar:
    def test_add_year_extends_the_known_years(self, cli_db: str, tmp_path: Path) -> None:
        from minsheng.platform.calendar.service import load_calendar
        from minsheng.platform.db import make_session_factory
        from minsheng.platform.workdays import add_workdays

        _ok("init")
        arrangement = tmp_path / "2027.csv"
        arrangement.write_text(
            "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,holiday,元旦\n"
            "2027-01-02,workday,元旦调休\n", encoding="utf-8")
        _ok("calendar", "add-year", str(arrangement), "--source", "test")
        engine = make_engine(cli_db)
        with make_session_factory(engine)() as session:
            cal = load_calendar(session)
        engine.dispose()
        assert 2027 in cal.known_years
        # From Thu 2026-12-31: Fri 01-01 holiday, Sat 01-02 workday, Mon 01-04 holiday.
        deadline = add_workdays(date(2026, 12, 31), 2, cal)
        assert str(deadline.due_date) == "2027-01-05"
        assert deadline.estimated is False
        again = runner.invoke(app, ["calendar", "add-year", str(arrangement)])
        assert again.exit_code != 0

    def test_weekday_marked_as_workday_is_refused(self, cli_db: str, tmp_path: Path) -> None:
        _ok("init")
        bad = tmp_path / "bad.csv"
        bad.write_text("date,kind,name\n2027-01-05,workday,x\n", encoding="utf-8")
        result = runner.invoke(app, ["calendar", "add-year", str(bad)])
        assert result.exit_code == 2


class TestImportCommand:
    def test_import_persons_reports_rows(self, cli_db: str, tmp_path: Path) -> None:
        from tests.factories import resident_id

        _ok("init")
        good = resident_id("500103")
        people = tmp_path / "people.csv"
        people.write_text(
            "resident_id,name,phone,hukou_region,residence_region,hukou_type\n"
            f"{good},张三,13800138000,500103,500103,urban\n"
            "500103198501010000,李四,,500103,500103,urban\n", encoding="utf-8")
        output = _ok("import", "persons", str(people))
        assert "新增 1" in output and "错误 1" in output
        assert "第 3 行 resident_id" in output
        again = _ok("import", "persons", str(people))
        assert "新增 0" in again and "未变 1" in again


class TestSynth:
    def test_synth_writes_valid_people_and_is_idempotent(self, cli_db: str) -> None:
        from stdnum.cn import ric

        _ok("init")
        _ok("synth", "--scale", "0.0001", "--seed", "3")
        engine = make_engine(cli_db)
        with engine.connect() as conn:
            people = conn.execute(text("SELECT count(*) FROM person")).scalar_one()
            sample = conn.execute(text(
                "SELECT resident_id FROM person ORDER BY id LIMIT 200")).scalars().all()
            orphans = conn.execute(text(
                "SELECT count(*) FROM person WHERE household_id IS NULL")).scalar_one()
        assert people == 3500  # scale 1.0 = 35 million
        assert orphans == 0
        assert all(ric.is_valid(r) for r in sample)
        _ok("synth", "--scale", "0.0001", "--seed", "3")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM person")).scalar_one() == people
        engine.dispose()

    def test_bad_scale_is_refused(self, cli_db: str) -> None:
        _ok("init")
        assert runner.invoke(app, ["synth", "--scale", "0"]).exit_code == 2


class TestContributionsAssess:
    def test_assess_is_idempotent_and_refuses_without_rules(self, cli_db: str) -> None:
        from decimal import Decimal

        from minsheng.platform.db import make_session_factory, unit_of_work
        from tests import factories as fx

        _ok("init")
        engine = make_engine(cli_db)
        factory = make_session_factory(engine)
        with unit_of_work(factory) as session:
            employer = fx.employer(session, work_injury_risk_class=3)
            for _ in range(3):
                person = fx.person(session)
                for scheme in ("employee_pension", "unemployment", "work_injury"):
                    fx.enrolment(session, person.id, scheme, employer_id=employer.id,
                                 declared_wage=Decimal("7000.00"))
        refused = runner.invoke(app, ["contributions", "assess", "--month", "2026-11"])
        assert refused.exit_code == 2
        assert "500103" in refused.output
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM contribution")).scalar_one() == 0
        with unit_of_work(factory) as session:
            fx.contribution_rule(session)
        assert "新增 9 条" in _ok("contributions", "assess", "--month", "2026-11")
        assert "新增 0 条" in _ok("contributions", "assess", "--month", "2026-11")
        with engine.begin() as conn:  # a row lost behind the ledger's back
            conn.execute(text("DELETE FROM contribution WHERE id = "
                              "(SELECT min(id) FROM contribution)"))
        assert "新增 0 条" in _ok("contributions", "assess", "--month", "2026-11")
        assert "新增 1 条" in _ok("contributions", "assess", "--month", "2026-11",
                                "--recheck")
        with engine.connect() as conn:
            total = conn.execute(text(
                "SELECT sum(employer_amount + personal_amount) FROM contribution")).scalar_one()
        engine.dispose()
        # per person: 16 % + 8 % + 0.5 % + 0.5 % + 0.7 % (risk class 3) of 7,000 = 1,799.00
        assert Decimal(str(total)).quantize(Decimal("0.01")) == Decimal("5397.00")

    def test_bad_month_is_refused(self, cli_db: str) -> None:
        _ok("init")
        result = runner.invoke(app, ["contributions", "assess", "--month", "2026-13"])
        assert result.exit_code == 2


class TestPensionPayroll:
    def test_payroll_writes_the_bank_file_and_pays_once(self, cli_db: str,
                                                         tmp_path: Path) -> None:
        import csv
        from decimal import Decimal

        from minsheng.platform.db import make_session_factory, unit_of_work
        from tests import factories as fx

        _ok("init")
        engine = make_engine(cli_db)
        with unit_of_work(make_session_factory(engine)) as session:
            fx.contribution_rule(session)
            for _ in range(2):
                fx.recipient(session, last_certified=date(2026, 6, 1))
        engine.dispose()
        first = tmp_path / "first.csv"
        output = _ok("pension", "payroll", "--month", "2026-11", "--out", str(first))
        assert "本次送盘 2 笔" in output
        rows = list(csv.reader(first.open(encoding="utf-8")))
        assert rows[-1][:2] == ["TOTAL", "2"]
        assert Decimal(rows[-1][6]) == sum(Decimal(r[6]) for r in rows[1:-1])
        second = tmp_path / "second.csv"
        assert "本次送盘 0 笔" in _ok("pension", "payroll", "--month", "2026-11",
                                      "--out", str(second))
        assert list(csv.reader(second.open(encoding="utf-8")))[-1][:2] == ["TOTAL", "0"]


class TestCardsLapse:
    def test_lapse_command_runs_and_is_repeatable(self, cli_db: str) -> None:
        from datetime import UTC, datetime, timedelta

        from minsheng.platform.db import make_session_factory, unit_of_work
        from tests import factories as fx

        _ok("init")
        engine = make_engine(cli_db)
        factory = make_session_factory(engine)
        with unit_of_work(factory) as session:
            card = fx.card(session, state="loss_reported_temporary")
            card.loss_reported_at = datetime.now(UTC) - timedelta(days=30)
        assert "到期临时挂失 1 张" in _ok("cards", "lapse")
        assert "到期临时挂失 0 张" in _ok("cards", "lapse")
        with unit_of_work(factory) as session:
            state = session.execute(text("SELECT state FROM social_security_card")).scalar_one()
        engine.dispose()
        assert state == "active"


def test_init_and_user_add_in_fresh_processes(tmp_path: Path) -> None:
    """What an administrator types first, each command in a process of its own (every
    model must be loaded, not only those an earlier test imported)."""
    import os
    import subprocess
    import sys

    command = Path(sys.executable).with_name("minsheng")
    env = {**os.environ, "MINSHENG_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    for args in (["init"], ["user", "add", "first_admin", "--role", "admin",
                            "--password", "Fresh@2026x"]):
        done = subprocess.run([str(command), *args], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
    assert "first_admin" in done.stdout
