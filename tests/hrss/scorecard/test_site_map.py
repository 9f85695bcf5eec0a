"""The scorecard's map (分布图, issue 12): the sites behind an ecology figure in the
viewer's cut, from hand-built records (the builders of ``tests/ecology/test_indicators``:
two Fuling records dated 1 Jan 2016 and 31 Dec 2020, others before or after the period,
in 万州区, under the abolished 500105 江北区 and in Sichuan). Counts are worked out by
hand below."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.scorecard import service
from minsheng.platform.errors import Forbidden
from minsheng.platform.security.models import AuditEvent
from tests import factories as f
from tests.ecology.test_indicators import (
    FULING,
    LIANGJIANG,
    WANZHOU,
    _closures,
    _green,
    _land,
    _restoration,
    _sand,
)
from tests.live import sign_in

PERIOD = "2016-2020"


def _names(found: service.SiteMap | None) -> list[str]:
    assert found is not None
    return [feature["properties"]["name"] for feature in found.features]


def _inline(html: str, script_id: str) -> list[dict[str, Any]]:
    match = re.search(r'<script type="application/json" id="' + script_id + r'">(.*?)</script>',
                      html, re.S)
    assert match, f"no inline features {script_id!r}"
    features: list[dict[str, Any]] = json.loads(match.group(1))["features"]
    return features


class TestService:
    def test_restored_sites_of_the_cut_only(self, session: Session) -> None:
        _restoration(session)
        analyst = f.staff(session, "nr_analyst", "500000")
        found = service.features(session, analyst, "eco_restored_area", region=FULING,
                                 period=PERIOD)
        # Fuling 2016–2020: plans 1 (1 Jan 2016) and 2 (31 Dec 2020); 3 (2015-12-31) and
        # 4 (2021-01-01) fall outside, 5 is a waste stack, 6 an underground mine.
        assert found is not None and len(found.features) == 2
        props = [feature["properties"] for feature in found.features]
        assert {p["region"] for p in props} == {FULING}
        assert {p["layer"] for p in props} == {"restored"}
        assert all(p["href"].startswith("/ecology/mines/") for p in props)
        assert all(feature["geometry"]["type"] == "Polygon" for feature in found.features)
        assert all(p["area_ha"] > 0 and p["name"] and p["detail"] for p in props)
        # One year: 2016 holds plan 1 only.
        assert len(_names(service.features(session, analyst, "eco_restored_area",
                                           region=FULING, period="2016"))) == 1
        # The city: Fuling's 2 + 万州 + 江津 + the 江北 plan counted in 两江新区 = 5; 锦江
        # (Sichuan) is not in 50.
        assert len(_names(service.features(session, analyst, "eco_restored_area",
                                           region="50", period=PERIOD))) == 5
        # 两江新区 holds the plan filed under the abolished 500105.
        assert len(_names(service.features(session, analyst, "eco_restored_area",
                                           region=LIANGJIANG, period=PERIOD))) == 1

    def test_the_same_rows_as_the_records(self, session: Session) -> None:
        _closures(session)
        _land(session)
        analyst = f.staff(session, "nr_analyst", "500000")
        # Closures: mines 1 and 2 (5 closed for another reason, 3 and 4 out of the period).
        assert sorted(_names(service.features(session, analyst, "eco_closed_mines",
                                              region=FULING, period=PERIOD))) == \
            ["关闭矿山1", "关闭矿山2"]
        records = service.records(session, analyst, "eco_closed_mines", region=FULING,
                                  period=PERIOD)
        assert sorted(r.name for r in records.rows) == ["关闭矿山1", "关闭矿山2"]
        # Land: projects 1, 2 and 3 were carried out in the period (4 before, 5 after).
        assert len(_names(service.features(session, analyst, "eco_land_projects",
                                           region=FULING, period=PERIOD))) == 3

    def test_a_district_officer_cannot_get_another_district(self, session: Session) -> None:
        _restoration(session)
        fuling = f.staff(session, "nr_officer", FULING)
        with pytest.raises(Forbidden):
            service.features(session, fuling, "eco_restored_area", region=WANZHOU,
                             period=PERIOD)
        # Without a region: the officer's own district, 2 sites.
        own = service.features(session, fuling, "eco_restored_area", period=PERIOD)
        assert own is not None and own.region == FULING and len(own.features) == 2
        wanzhou = f.staff(session, "nr_officer", WANZHOU)
        other = service.features(session, wanzhou, "eco_restored_area", period=PERIOD)
        assert other is not None and len(other.features) == 1  # plan 7 only

    def test_an_indicator_without_places_has_no_map(self, session: Session) -> None:
        admin = f.staff(session, "admin", "")
        assert service.features(session, admin, "urban_new_employment", region="50",
                                period=PERIOD) is None
        statistician = f.staff(session, "statistician", "500000")
        assert service.site_map(session, statistician, region="50", period=PERIOD) is None

    def test_the_read_is_audited(self, session: Session) -> None:
        _restoration(session)
        analyst = f.staff(session, "nr_analyst", "500000")
        service.features(session, analyst, "eco_restored_area", region=FULING, period=PERIOD)
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "scorecard.features")).one()
        assert event.actor == analyst.username and event.subject_id == "eco_restored_area"
        payload = event.payload if isinstance(event.payload, dict) else json.loads(event.payload)
        assert payload == {"region": FULING, "period": PERIOD, "features": 2}

    def test_the_dashboard_map_has_each_site_once(self, session: Session) -> None:
        for build in (_closures, _sand, _restoration, _green, _land):
            build(session)
        analyst = f.staff(session, "nr_analyst", "500000")
        found = service.site_map(session, analyst, region=FULING, period=PERIOD)
        # Fuling 2016–2020: closures 2 + sand cases 2 + restored mines 2 + green mines 2
        # (mine 1 passed twice: once) + land projects 3 = 11, though 13 figures draw on
        # them (the investment figures share their count's sites).
        assert found is not None and len(found.features) == 11
        ids = [feature["properties"]["id"] for feature in found.features]
        assert len(set(ids)) == 11


class TestPages:
    def test_the_indicator_page_shows_the_map(self, client: TestClient,
                                              session: Session) -> None:
        _restoration(session)
        sign_in(client, f.staff(session, "nr_analyst", "500000"))
        page = client.get(f"/scorecard/eco_restored_area?region={FULING}&period={PERIOD}")
        assert page.status_code == 200
        assert "分布图" in page.text and "示意范围，不含底图" in page.text
        assert 'data-features-id="indicator-sites"' in page.text
        assert len(_inline(page.text, "indicator-sites")) == 2  # plans 1 and 2
        assert re.search(r'data-testid="site-count">2<', page.text)
        assert "/static/js/map.js" in page.text and "/static/css/map.css" in page.text
        # The city: 5 sites (see the service test).
        city = client.get(f"/scorecard/eco_restored_area?region=50&period={PERIOD}")
        assert len(_inline(city.text, "indicator-sites")) == 5

    def test_an_indicator_without_places_has_no_map_section(
            self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "admin", ""))
        page = client.get(f"/scorecard/urban_new_employment?region=50&period={PERIOD}")
        assert page.status_code == 200
        assert "分布图" not in page.text and "map.js" not in page.text

    def test_the_dashboard_map_for_ecology_readers_only(self, client: TestClient,
                                                         session: Session) -> None:
        _restoration(session)
        _land(session)
        sign_in(client, f.staff(session, "nr_analyst", "500000"))
        page = client.get(f"/scorecard?region={FULING}&period={PERIOD}")
        assert page.status_code == 200 and 'data-testid="site-map"' in page.text
        # 2 restored mines + 3 land projects, each once although 7 figures use them.
        assert len(_inline(page.text, "dashboard-sites")) == 5
        sign_in(client, f.staff(session, "statistician", "500000"))
        other = client.get(f"/scorecard?region=50&period={PERIOD}")
        assert other.status_code == 200 and 'data-testid="site-map"' not in other.text
        assert "map.js" not in other.text
