"""``minsheng unemployment payroll`` and ``minsheng refunds compute`` on a scratch database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from minsheng.app.cli import app
from minsheng.platform.config import get_settings
from minsheng.platform.db import make_engine, make_session_factory
from tests import factories as f
from tests.conftest import build_database, scratch_database
from tests.factories.unemployment import claim, insured

runner = CliRunner()


@pytest.fixture
def cli_db(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = scratch_database(database_url, "cli_unemployment", tmp_path)
    engine = build_database(url)
    with make_session_factory(engine).begin() as session:
        person, _ = insured(session, start="2019-01", end="2019-12")  # 12 months → 3
        claim(session, person, date(2020, 1, 6))
        f.employer(session)
    engine.dispose()
    monkeypatch.setenv("MINSHENG_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)  # a payroll without --out writes its bank file here
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_payroll_pays_once_and_writes_the_bank_file(cli_db: str, tmp_path: Path) -> None:
    out = tmp_path / "bank.csv"
    output = _ok("unemployment", "payroll", "--month", "2020-06", "--out", str(out))
    assert "本次送盘 3 笔，合计 4,320.00 元" in output
    lines = out.read_text().splitlines()
    assert lines[-1].startswith("TOTAL,3,") and lines[-1].endswith(",4320.00")
    assert "本次送盘 0 笔" in _ok("unemployment", "payroll", "--month", "2020-06")
    engine = make_engine(cli_db)
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM unemployment_payment")).scalar()
    engine.dispose()
    assert count == 3


def test_refunds_compute_is_repeatable_and_bad_month_exits(cli_db: str) -> None:
    assert "2023 年度稳岗返还（2022 年缴费）" in _ok("refunds", "compute", "--year", "2023")
    _ok("refunds", "compute", "--year", "2023")
    assert runner.invoke(app, ["refunds", "compute", "--year", "2019"]).exit_code == 2
    assert runner.invoke(app, ["unemployment", "payroll", "--month", "2020-13"]).exit_code != 0


def test_rates_check_and_publish(cli_db: str) -> None:
    # The seeded 1,440 (✘) against the seeded minimum wage's lowest class 2,000 (✘).
    output = _ok("unemployment", "rates", "--month", "2026-11")
    assert "1,440.00" in output and "2,000.00" in output and "在区间内" in output
    refused = runner.invoke(app, ["unemployment", "publish-rate", "--region", "500103",
                                  "--from", "2026-01", "--amount", "2000", "--source", "测试",
                                  "--status", "unconfirmed"])
    assert refused.exit_code == 2 and "最低工资" in refused.output
    assert "1,999.99 元/月" in _ok("unemployment", "publish-rate", "--region", "500103",
                                   "--from", "2026-01", "--amount", "1999.99",
                                   "--source", "测试", "--status", "unconfirmed")
