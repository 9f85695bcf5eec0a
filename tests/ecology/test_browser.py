"""The ecology pages in headless Chromium, on the demo data (Fuling and other districts):
the map draws the polygons without tiles, layers toggle; the summary shows the report's
figures and the ranking chart; mine, project, work-list, case and score-sheet pages; a
case step through its form; a land project drawn on the map and registered.

The app runs on a database of its own (``<db>_e2e_ecology`` or a temporary SQLite file).
Screenshots go to ``MINSHENG_SCREENSHOT_DIR`` (``ecology-*.png``) when it is set.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from minsheng.app.demo_ecology import ZHANGJIAWAN_RIGHT, seed_ecology
from minsheng.ecology.greenmines.models import GreenMineAssessment
from minsheng.ecology.land.models import LandConsolidationProject
from minsheng.ecology.mines.models import Mine
from minsheng.ecology.restoration.models import SubstitutedRestorationCase
from tests import factories as f
from tests.live import e2e_database, open_page, playwright_or_skip, serve_on, shot, sign_in_page

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()

expect = sync_api.expect


@dataclass
class EcologySite:
    url: str
    clerk: str
    zhangjiawan: int
    lisi: int
    dashun: int
    open_case: int
    closed_case: int
    passing_sheet: int
    failing_sheet: int


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EcologySite]:
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "ecology")
    seed_ecology(factory)
    with factory.begin() as session:
        clerk = f.staff(session, "nr_officer", "500102", username="fuling_eco",
                        display_name="涪陵区 刘洋")
        zhangjiawan = session.scalar(select(Mine.id).where(
            Mine.mining_right_no == ZHANGJIAWAN_RIGHT))
        lisi = session.scalar(select(LandConsolidationProject.id).where(
            LandConsolidationProject.villages == "李寺村"))
        dashun = session.scalar(select(LandConsolidationProject.id).where(
            LandConsolidationProject.national_pilot.is_(True)))
        cases = {c.state: c.id for c in session.scalars(select(SubstitutedRestorationCase))}
        sheets = session.execute(select(GreenMineAssessment.id, GreenMineAssessment.mine_id,
                                        GreenMineAssessment.passed)).all()
        passing = next(s for s, m, ok in sheets if m == zhangjiawan)
        failing = next(s for s, _, ok in sheets if ok is False)
        seeded = EcologySite("", clerk.username, zhangjiawan or 0, lisi or 0, dashun or 0,
                             cases["reminder_issued"], cases["notice_published"], passing,
                             failing)
    with serve_on(url, engine, factory) as base:
        seeded.url = base
        yield seeded


@pytest.fixture
def page(browser: Any, site: EcologySite) -> Iterator[Any]:
    """A page signed in as the district's natural-resources officer."""
    with open_page(browser) as opened:
        sign_in_page(opened, site.url, site.clerk)
        yield opened


def _rendered(page: Any, selector: str = "[data-testid=eco-map]") -> int:
    map_el = page.locator(selector)
    expect(map_el).to_have_class(re.compile(r"\bis-ready\b"))
    return int(map_el.get_attribute("data-rendered-features") or 0)


def test_the_map_draws_fuling_without_tiles_and_layers_toggle(
        page: Any, site: EcologySite, tmp_path: Path) -> None:
    page.goto(site.url + "/")
    page.click(".sidenav >> text=指标概览")
    expect(page.locator("h1")).to_have_text("生态修复与土地整治")
    page.click(".eco-tab >> text=一张图")
    drawn = _rendered(page)
    # 74 land projects, 4 red-line zones, 2 sand cases and Fuling's mines and stack.
    assert drawn > 120
    assert page.locator("[data-testid=eco-map] canvas").count() >= 1
    legend = page.get_by_test_id("map-legend")
    expect(legend).to_contain_text("土地综合整治项目 74")
    expect(legend).to_contain_text("生态保护红线 4")
    shot(page, tmp_path, "ecology-map.png")
    legend.locator("input[data-layer=land]").uncheck()
    expect(page.get_by_test_id("eco-map")).to_have_attribute(
        "data-rendered-features", str(drawn - 74))
    # Hovering a polygon names it: the centre of the map is inside Fuling's records.
    box = page.get_by_test_id("eco-map").bounding_box()
    assert box is not None and box["width"] > 600


def test_the_summary_shows_the_report_figures_and_the_ranking(
        page: Any, site: EcologySite, tmp_path: Path) -> None:
    page.goto(site.url + "/ecology")
    expect(page.get_by_test_id("fig-closures")).to_contain_text("18")
    expect(page.get_by_test_id("fig-closures")).to_contain_text("2.90 亿元")
    expect(page.get_by_test_id("fig-restoration")).to_contain_text("392.2")
    expect(page.get_by_test_id("fig-share")).to_contain_text("17.71")
    expect(page.get_by_test_id("rank")).to_have_text("1")
    expect(page.get_by_test_id("fig-green")).to_contain_text("14")
    expect(page.get_by_test_id("fig-sand")).to_contain_text("2")
    expect(page.get_by_test_id("fig-land")).to_contain_text("74")
    expect(page.get_by_test_id("fig-farmland")).to_contain_text("26.3")
    expect(page.get_by_test_id("fig-cultivated")).to_contain_text("2.71")
    expect(page.get_by_test_id("rank-chart")).to_have_attribute("data-rendered", "13")
    expect(page.get_by_test_id("district-table").locator("tr.is-current")).to_contain_text(
        "涪陵区")
    shot(page, tmp_path, "ecology-summary.png")


def test_mine_project_and_closure_pages(page: Any, site: EcologySite, tmp_path: Path) -> None:
    page.goto(f"{site.url}/ecology/mines/{site.zhangjiawan}")
    expect(page.locator("h1")).to_contain_text("张家湾建筑石料用灰岩矿山")
    expect(page.get_by_test_id("mine-facts")).to_contain_text("EPSG:4545")
    assert _rendered(page) == 1
    expect(page.get_by_test_id("assessments")).to_contain_text("通过")
    shot(page, tmp_path, "ecology-mine.png")
    page.goto(f"{site.url}/ecology/land/{site.dashun}")
    expect(page.get_by_test_id("area-ha")).to_have_text(re.compile(r"^404\.13"))
    expect(page.locator("h2")).to_contain_text(["项目范围"])
    assert _rendered(page) == 1
    shot(page, tmp_path, "ecology-project.png")
    page.goto(f"{site.url}/ecology/closures")
    expect(page.get_by_test_id("pending-count")).to_have_text("2")
    expect(page.get_by_test_id("worklist").locator("tbody tr")).to_have_count(20)
    shot(page, tmp_path, "ecology-closures.png")


def test_the_restoration_work_list(page: Any, site: EcologySite, tmp_path: Path) -> None:
    page.goto(site.url + "/ecology/restoration")
    plans = page.get_by_test_id("plans")
    expect(plans.locator("tbody tr").first).to_have_attribute("data-overdue", "true")
    expect(plans).to_contain_text("中化涪陵化工南岸浦厂区磷石膏库")
    expect(page.get_by_test_id("overdue-count")).to_have_text("1")
    shot(page, tmp_path, "ecology-restoration.png")


def test_a_case_step_through_its_form_extends_the_timeline(
        page: Any, site: EcologySite, tmp_path: Path) -> None:
    page.goto(f"{site.url}/ecology/restoration/cases/{site.closed_case}")
    expect(page.get_by_test_id("case-state")).to_have_text("已公示（结案）")
    expect(page.get_by_test_id("timeline").locator("> li")).to_have_count(11)
    expect(page.get_by_test_id("arrears")).not_to_have_text("0.00")
    shot(page, tmp_path, "ecology-case-closed.png")
    page.goto(f"{site.url}/ecology/restoration/cases/{site.open_case}")
    expect(page.get_by_test_id("case-state")).to_have_text("已催告")
    steps = page.get_by_test_id("timeline").locator("> li")
    expect(steps).to_have_count(4)
    form = page.get_by_test_id("step-record_default")
    form.locator("button[type=submit]").click()  # no finding chosen
    expect(page.locator("#default_kind-error")).to_be_visible()
    form = page.get_by_test_id("step-record_default")
    form.locator("select[name=default_kind]").select_option("unable")
    form.locator("input[name=note]").fill("义务人已注销，无法履行")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("notice")).to_contain_text("认定拒不履行或无法履行")
    expect(page.get_by_test_id("case-state")).to_have_text("义务人拒不履行或无法履行")
    expect(steps).to_have_count(5)
    expect(steps.last).to_contain_text("因故无法履行")
    expect(page.get_by_test_id("step-take_over")).to_be_visible()
    shot(page, tmp_path, "ecology-case.png")


def test_the_score_sheets(page: Any, site: EcologySite, tmp_path: Path) -> None:
    page.goto(f"{site.url}/ecology/green-mines/{site.passing_sheet}")
    expect(page.get_by_test_id("verdict")).to_contain_text("通过")
    expect(page.get_by_test_id("scores").locator("tr.category-row")).to_have_count(6)
    shot(page, tmp_path, "ecology-score-sheet.png")
    page.goto(f"{site.url}/ecology/green-mines/{site.failing_sheet}")
    expect(page.get_by_test_id("verdict")).to_contain_text("未通过")
    expect(page.get_by_test_id("reasons")).not_to_be_empty()
    shot(page, tmp_path, "ecology-score-sheet-failed.png")


def test_a_land_project_drawn_on_the_map_is_registered_with_its_area(
        page: Any, site: EcologySite, tmp_path: Path) -> None:
    page.goto(site.url + "/ecology/land/new")
    pad = page.get_by_test_id("draw-map")
    expect(pad).to_have_class(re.compile(r"\bis-ready\b"))
    page.fill("#f-name", "新乐村土地整治项目")
    page.fill("#f-investment", "4200000")
    page.click("button[data-draw=start]")
    box = pad.bounding_box()
    assert box is not None
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for dx, dy in ((-40, -30), (40, -30), (45, 35), (-35, 30)):
        page.mouse.click(cx + dx, cy + dy)
    expect(page.locator("[data-draw-status]")).to_contain_text("已取 4 个顶点")
    page.click("button[data-draw=finish]")
    geometry = page.input_value("#f-geometry")
    assert geometry.startswith('{"type":"Polygon"')
    shot(page, tmp_path, "ecology-land-new.png")
    page.click("[data-testid=land-form] button[type=submit]")
    expect(page.get_by_test_id("notice")).to_contain_text("登记成功")
    area = page.get_by_test_id("area-ha").inner_text()
    assert float(area.replace(",", "")) > 0
    shot(page, tmp_path, "ecology-land-registered.png")


def _ground_metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (mean Earth radius) between two lon/lat points."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def _metres_per_pixel(page: Any, west: float, east: float, lat: float) -> float:
    """Ground metres per screen pixel along a parallel, from where ECharts draws two points."""
    x0, x1 = page.evaluate(
        """([w, e, lat]) => {
             const chart = echarts.getInstanceByDom(
               document.querySelector("[data-testid=eco-map] .eco-map-canvas"));
             return [chart.convertToPixel("geo", [w, lat])[0],
                     chart.convertToPixel("geo", [e, lat])[0]];
           }""", [west, east, lat])
    return _ground_metres((west, lat), (east, lat)) / (x1 - x0)


def test_the_map_shows_a_scale_bar_a_legend_and_the_district_outline(
        page: Any, site: EcologySite, tmp_path: Path) -> None:
    page.goto(site.url + "/ecology/map")
    drawn = _rendered(page)
    legend = page.get_by_test_id("map-legend")
    # The officer of 涪陵区 sees the district's outline, derived from its sites (示意).
    outline = legend.locator("label.eco-legend-item").filter(
        has=page.locator("input[data-layer=district]"))
    expect(outline).to_contain_text("区县范围（示意")
    expect(outline.locator(".muted")).to_have_text("1")
    expect(legend).to_contain_text("生态保护红线 4")
    expect(legend).to_contain_text("生产矿山")
    expect(page.get_by_test_id("outline-note")).to_contain_text("不是行政区划界线")
    outlines = json.loads(page.locator("#district-outlines").text_content() or "{}")
    (feature,) = outlines["features"]
    assert feature["properties"]["name"] == "涪陵区（示意范围）"

    scale = page.get_by_test_id("map-scale")
    expect(scale).to_be_visible()
    expect(scale).to_have_text(re.compile(r"^\s*\d+(\.\d+)? (米|公里)\s*$"))
    metres, pixels = float(scale.get_attribute("data-metres")), float(
        scale.get_attribute("data-pixels"))
    assert 40 <= pixels <= 130
    ring = feature["geometry"]["coordinates"][0]
    west, east = min(p[0] for p in ring), max(p[0] for p in ring)
    lat = (min(p[1] for p in ring) + max(p[1] for p in ring)) / 2
    # The bar's length agrees with the ground distance between two drawn points.
    assert metres / pixels == pytest.approx(_metres_per_pixel(page, west, east, lat), rel=0.05)
    shot(page, tmp_path, "ecology-map-scale.png")

    # Zooming in: the bar now stands for less ground per pixel.
    box = page.get_by_test_id("eco-map").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(8):  # a wheel step zooms by 1.1
        page.mouse.wheel(0, -120)
        page.wait_for_timeout(60)
    page.wait_for_function(
        """(before) => { const s = document.querySelector("[data-testid=map-scale]");
                        return s.dataset.metres / s.dataset.pixels < before / 1.5; }""",
        arg=metres / pixels)
    zoomed = float(scale.get_attribute("data-metres")) / float(
        scale.get_attribute("data-pixels"))
    assert zoomed < metres / pixels / 1.5
    assert zoomed == pytest.approx(_metres_per_pixel(page, west, east, lat), rel=0.05)

    # The outline is a layer of the legend like any other.
    outline.locator("input").uncheck()
    expect(page.get_by_test_id("eco-map")).to_have_attribute(
        "data-rendered-features", str(drawn - 1))


def test_the_bureau_works_in_its_own_workspace(
        page: Any, site: EcologySite, tmp_path: Path) -> None:
    page.goto(site.url + "/")
    expect(page.get_by_test_id("platform-name")).to_have_text("生态修复与土地整治平台")
    expect(page.get_by_test_id("bureau-name")).to_have_text("涪陵区规划和自然资源局")
    expect(page).to_have_title(re.compile("生态修复与土地整治平台$"))
    menu = page.locator(".sidenav")
    expect(menu).not_to_contain_text("人员登记")
    # The workspace's own stylesheet loads (the page's policy admits it): the green accent.
    accent = page.evaluate(
        "getComputedStyle(document.body).getPropertyValue('--brand-600').trim()")
    assert accent.lower() == "#23835a"
    menu.get_by_role("link", name="红线关闭清单").click()
    expect(page).to_have_url(re.compile(r"/ecology/closures$"))
    expect(menu.locator("[aria-current=page]")).to_have_text("红线关闭清单")
    shot(page, tmp_path, "ecology-workspace.png")
