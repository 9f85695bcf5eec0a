"""The scorecard's map (分布图) in headless Chromium on the ecology demo data: the
restored-area indicator page of 涪陵区 for 2016–2020 draws the restored mines' polygons
on a painted canvas, as an ecology statistician of the city sees it. The screenshot goes
to the test's tmp folder (or MINSHENG_SCREENSHOT_DIR).

The app runs on a database of its own (``<db>_e2e_sitemap`` or a temporary SQLite file).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from minsheng.app.demo_ecology import seed_ecology
from tests import factories as f
from tests.live import (
    chart_painted,
    e2e_database,
    open_page,
    playwright_or_skip,
    serve_on,
    shot,
    sign_in_page,
)

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()
expect = sync_api.expect

ANALYST = "city_nr_analyst"


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "sitemap")
    seed_ecology(factory)
    with factory.begin() as session:
        f.staff(session, "nr_analyst", "500000", username=ANALYST,
                display_name="市规划自然资源局统计")
    with serve_on(url, engine, factory) as base:
        yield base


def test_the_restored_area_map_is_painted(browser: Any, site: str, tmp_path: Path) -> None:
    with open_page(browser) as page:
        sign_in_page(page, site, ANALYST)
        page.goto(site + "/scorecard/eco_restored_area?region=500102&period=2016-2020")
        section = page.get_by_test_id("site-map")
        expect(section).to_contain_text("分布图")
        expect(section).to_contain_text("示意范围，不含底图")
        inline = json.loads(page.locator("#indicator-sites").text_content() or "{}")
        count = len(inline["features"])
        assert count > 0
        expect(page.get_by_test_id("site-count")).to_have_text(str(count))
        canvas = page.get_by_test_id("site-map-canvas")
        expect(canvas).to_have_class(re.compile(r"\bis-ready\b"))
        expect(canvas).to_have_attribute("data-rendered-features", str(count))
        assert canvas.locator("canvas").count() >= 1
        assert chart_painted(page, "[data-testid=site-map-canvas]"), "the map is blank"
        # the charts of the page still draw with the map's script on it
        assert chart_painted(page, "#trend")
        section.scroll_into_view_if_needed()
        assert shot(page, tmp_path, "scorecard-site-map.png").stat().st_size > 0
