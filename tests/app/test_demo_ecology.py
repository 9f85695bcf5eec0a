"""The demo reproduces the Fuling report's figures; ``minsheng ecology summary``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from minsheng.app.cli import app
from minsheng.app.demo_ecology import seed_ecology
from minsheng.ecology.kernel.common import Period
from minsheng.ecology.land import service as land
from minsheng.ecology.overview import service as overview
from minsheng.platform.config import get_settings
from minsheng.platform.db import make_engine, make_session_factory, upgrade
from minsheng.platform.security.principal import SYSTEM
from tests.conftest import scratch_database

D = Decimal


class TestDemo:
    def test_the_fuling_figures_of_the_report_and_a_second_run_adds_nothing(
            self, session: Session) -> None:
        loaded = seed_ecology(session)
        assert loaded.loaded and loaded.land_projects > 74
        assert not seed_ecology(session).loaded
        f = overview.summary(session, SYSTEM, region="500102")
        assert (f.closures.mines, f.closures.investment) == (18, D("290000000.00"))
        assert f.sand.cases == 2
        assert D("140000000") <= f.sand.revenue <= D("160000000")  # 约1.5亿元
        assert f.restoration.area_ha == pytest.approx(392.2)
        assert f.restoration.funds == D("232000000.00")
        assert f"{f.restoration.share * 100:.2f}" == "17.71"
        assert f.restoration.rank == 1 and len(f.restoration.districts) == 13
        assert f.restoration.other_area_ha == pytest.approx(52.0)  # the 780-mu stack
        assert f.green_mines.mines == 14
        assert D("80000000") <= f.green_mines.investment < D("90000000")  # 8000余万元
        assert f.green_mines.industrial_square_m2 >= 100_000
        assert f.green_mines.roads_hardened_m >= 10_000
        assert f.green_mines.trees_planted >= 81_000
        assert f.green_mines.enclosed_workshop_m2 >= 150_000
        assert f.green_mines.greening_m2 >= 43_000
        assert f.green_mines.reclaimed_m2 >= 80_000
        assert (f.land.projects, f.land.investment) == (74, D("540000000.00"))
        assert f.land.high_standard_farmland_mu == D("263000.00")
        assert f.land.new_cultivated_mu == D("27100.00")
        thirteenth = overview.summary(session, SYSTEM, region="500102",
                                      period=Period(date(2016, 1, 1), date(2020, 12, 31)))
        assert thirteenth.land.projects == 74
        assert thirteenth.restoration.area_ha == pytest.approx(392.2)

    def test_the_named_projects_have_the_reported_areas(self, session: Session) -> None:
        seed_ecology(session)
        projects, _ = land.search_projects(session, SYSTEM, q="李寺村")
        assert float(projects[0].record_area_m2) / 10_000 == pytest.approx(537, abs=0.01)
        pilots, _ = land.search_projects(session, SYSTEM, q="大顺乡")
        assert pilots[0].national_pilot
        assert float(pilots[0].record_area_m2) / 10_000 == pytest.approx(404.13, abs=0.01)
        assert pilots[0].investment == D("50630000.00")
        layers = {feat["properties"]["layer"] for feat in overview.map_features(session, SYSTEM)}
        assert {"zone", "land", "sand", "restored", "stack", "mine_operating"} <= layers


@pytest.fixture
def cli_db(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = scratch_database(database_url, "ecology_cli", tmp_path)
    monkeypatch.setenv("MINSHENG_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_the_summary_command(cli_db: str) -> None:
    upgrade(cli_db)
    engine = make_engine(cli_db)
    from tests.factories import ecology as h

    with make_session_factory(engine).begin() as session:
        h.accepted_plan(session, hectares="30", spent="12000000")
        h.accepted_plan(session, region="500101", hectares="70", lon=108.4, lat=30.8)
        h.closed_mine(session, investment="2900000", lon=107.5)
    engine.dispose()
    result = CliRunner().invoke(app, ["ecology", "summary", "--region", "500102"])
    assert result.exit_code == 0, result.output
    assert "涪陵区" in result.output
    assert "30.00" in result.output and "30.00%" in result.output
    assert "第 2 位 / 2 个区县" in result.output
    assert "2,900,000.00" in result.output
    bad = CliRunner().invoke(app, ["ecology", "summary", "--region", "500102",
                                   "--from", "2020-13-01"])
    assert bad.exit_code == 2
