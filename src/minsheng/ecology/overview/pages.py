"""The ecology landing page (the report's figures for a region and period, with the
districts' ranking) and the map of every polygon in scope (一张图)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from minsheng.ecology.kernel.access import EcoReader
from minsheng.ecology.kernel.common import Period
from minsheng.ecology.overview import service
from minsheng.ecology.overview.schemas import DistrictArea
from minsheng.platform import regions
from minsheng.platform.errors import invalid_field
from minsheng.platform.messages import DATE_FORMAT
from minsheng.platform.web import charts
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.templating import PAGE_DEPENDENCIES, PageRoute, render

router = APIRouter(include_in_schema=False, route_class=PageRoute, dependencies=PAGE_DEPENDENCIES)

#: The ranking chart's colours: the chosen district, the others.
DARK, LIGHT = "#1d5e3b", "#9cc9ae"

#: Periods offered as one click: the report's 十三五 and "the last two years".
PRESETS = (("", "", "全部年度"), ("2016-01-01", "2020-12-31", "“十三五”时期"),
           ("2019-01-01", "2020-12-31", "2019—2020年"))


def _date(text: str, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise invalid_field(field, *DATE_FORMAT) from None


def region_options(viewer_prefix: str) -> list[tuple[str, str]]:
    """The city and its districts inside the viewer's scope."""
    options = [("50", "重庆市（全市）")] if len(viewer_prefix) <= 2 else []
    options += [(d.code, d.name) for d in regions.current_counties("50")
                if d.code.startswith(viewer_prefix)]
    return options


def _ranking_chart(districts: list[DistrictArea], current: str) -> dict[str, Any] | None:
    """The districts by restored area, the largest on top; the chosen district in the
    dark green, the others light (two stacked series, one bar per district)."""
    if not districts:
        return None
    names = [d.region_name or d.region for d in districts]
    if not any(d.region == current for d in districts):
        return charts.bar(names, [charts.series("修复面积", [d.area_ha for d in districts],
                                                color=LIGHT)],
                          horizontal=True, unit="公顷", digits=1)
    return charts.bar(names, [
        charts.series("所选区县", [d.area_ha if d.region == current else None
                                   for d in districts], color=DARK),
        charts.series("其他区县", [None if d.region == current else d.area_ha
                                   for d in districts], color=LIGHT),
    ], horizontal=True, stack=True, unit="公顷", digits=1)


@router.get("/ecology")
def summary_page(request: Request, session: SessionDep, viewer: EcoReader, region: str = "",
                 date_from: str = "", date_to: str = "") -> HTMLResponse:
    actor = viewer.principal
    period = Period(_date(date_from, "date_from"), _date(date_to, "date_to"))
    default = actor.region_code if len(actor.region_prefix) == 6 else "500102"
    figures = service.summary(session, actor, region=region.strip() or default, period=period)
    chart = _ranking_chart(figures.restoration.districts, figures.region)
    return render(request, "overview/summary.html", {
        "title": "生态修复", "active": "ecology", "f": figures, "chart": chart,
        "regions": region_options(actor.region_prefix), "date_from": date_from,
        "date_to": date_to, "presets": PRESETS,
    }, viewer=viewer)


@router.get("/ecology/map")
def map_page(request: Request, session: SessionDep, viewer: EcoReader) -> HTMLResponse:
    return render(request, "overview/map.html", {
        "title": "生态修复一张图", "active": "ecology",
        "layers": {service.DISTRICT_LAYER: service.DISTRICT_LABEL, **service.LAYERS},
        "outlines": service.district_outlines(session, viewer.principal),
    }, viewer=viewer)
