"""Ecology records dated before the 2025 reorganisation keep the district codes of their
date, and the indicators count them under today's district (issue 11, point 12).
500105 江北区 and 500112 渝北区: in force through 2025-12-31, successor 500157 两江新区
(``reference/hrss-rules.md`` §2)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from minsheng.ecology.kernel.common import Period
from minsheng.ecology.overview import service as overview
from minsheng.ecology.restoration import service as restoration
from minsheng.ecology.restoration.models import RestorationPlan
from minsheng.platform.errors import RuleViolation
from minsheng.platform.security.principal import SYSTEM
from tests.factories import ecology as h

D = Decimal
JIANGBEI, YUBEI, LIANGJIANG, FULING = "500105", "500112", "500157", "500102"
ALL_YEARS = Period(date(2023, 1, 1), date(2026, 12, 31))


class TestLandProjectRegionOnItsDate:
    def test_a_2024_project_in_jiangbei_is_accepted(self, session: Session) -> None:
        project = h.land_project(session, region=JIANGBEI, start=date(2024, 3, 1),
                                 accepted=date(2025, 6, 30), lon=106.57, lat=29.6)
        assert project.region == JIANGBEI

    def test_a_2026_project_in_jiangbei_is_refused_naming_the_successor(
            self, session: Session) -> None:
        with pytest.raises(RuleViolation) as exc:
            h.land_project(session, region=JIANGBEI, start=date(2026, 3, 1), accepted=None)
        [error] = exc.value.errors
        assert error.field == "region"
        assert "2025-12-31" in error.message and "500157（两江新区）" in error.message
        assert "2025-12-31" in error.message_en and "500157 (两江新区)" in error.message_en

    def test_without_a_date_the_project_is_judged_today(self, session: Session) -> None:
        with pytest.raises(RuleViolation):
            h.land_project(session, region=YUBEI, start=None, accepted=None)
        assert h.land_project(session, region=LIANGJIANG, start=None, accepted=None,
                              lon=106.6, lat=29.7).region == LIANGJIANG


class TestIndicatorsRollUp:
    def test_land_projects_of_abolished_districts_count_in_liangjiang(
            self, session: Session) -> None:
        h.land_project(session, region=JIANGBEI, investment="5000000", farmland_mu="1000",
                       new_mu="10", start=date(2024, 3, 1), accepted=date(2024, 12, 1),
                       lon=106.57, lat=29.6)
        h.land_project(session, region=YUBEI, investment="3000000", farmland_mu="800",
                       new_mu="20", start=date(2024, 5, 1), accepted=None,
                       lon=106.63, lat=29.72)
        h.land_project(session, region=LIANGJIANG, investment="7000000", farmland_mu="1200",
                       new_mu="30", start=date(2026, 2, 1), accepted=None,
                       lon=106.6, lat=29.65)
        h.land_project(session, investment="9", farmland_mu="1", new_mu="1",
                       start=date(2024, 1, 1), accepted=None)  # 涪陵, elsewhere

        liangjiang = overview.summary(session, SYSTEM, region=LIANGJIANG,
                                      period=ALL_YEARS).land
        # 江北 + 渝北 + 两江 = 3 projects; 5,000,000 + 3,000,000 + 7,000,000 yuan;
        # 1000 + 800 + 1200 mu of farmland; 10 + 20 + 30 mu of new cultivated land.
        assert liangjiang.projects == 3
        assert liangjiang.investment == D("15000000.00")
        assert liangjiang.high_standard_farmland_mu == D("3000.00")
        assert liangjiang.new_cultivated_mu == D("60.00")
        assert overview.summary(session, SYSTEM, region=FULING,
                                period=ALL_YEARS).land.projects == 1
        assert overview.summary(session, SYSTEM, region="50",
                                period=ALL_YEARS).land.projects == 4

    def test_restoration_ranks_today_s_districts(self, session: Session) -> None:
        # Accepted in 2025: 12 ha filed under 江北 (a record carried over from the old
        # register), 10 ha in 两江, 20 ha in 涪陵. Today 两江 has 12 + 10 = 22 ha and
        # ranks first, 涪陵 (20 ha) second; 江北 is no district of its own any more.
        old = h.accepted_plan(session, region=LIANGJIANG, hectares="12", spent="1200000",
                              accepted_date=date(2025, 5, 1), lon=106.57, lat=29.6)
        session.execute(update(RestorationPlan).where(RestorationPlan.id == old.id)
                        .values(region=JIANGBEI))
        h.accepted_plan(session, region=LIANGJIANG, hectares="10", spent="1000000",
                        accepted_date=date(2025, 6, 1), lon=106.6, lat=29.65)
        h.accepted_plan(session, hectares="20", spent="2000000", accepted_date=date(2025, 7, 1))

        by_district = restoration.accepted_by_district(session, "50", ALL_YEARS)
        assert set(by_district) == {LIANGJIANG, FULING}
        assert by_district[LIANGJIANG].plans == 2
        assert by_district[LIANGJIANG].area_m2 == D("220000.00")  # 22 ha × 10,000 m²
        assert by_district[LIANGJIANG].funds == D("2200000.00")
        figures = overview.summary(session, SYSTEM, region=LIANGJIANG,
                                   period=ALL_YEARS).restoration
        assert figures.rank == 1 and figures.area_ha == 22.0
        assert figures.share == D("0.523810")  # 22 / 42, six places
        assert [d.region for d in figures.districts] == [LIANGJIANG, FULING]
