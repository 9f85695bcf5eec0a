"""The scorecard dashboard (民生答卷), one indicator by district with its records, and
the plan targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from minsheng.hrss.scorecard import rules, service
from minsheng.hrss.scorecard.schemas import TargetSet
from minsheng.platform import exports, regions
from minsheng.platform.errors import DomainError
from minsheng.platform.indicators import Indicator, Kind
from minsheng.platform.paging import page_count
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import YearQuery
from minsheng.platform.web import charts
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import FormFields, error_context, parse_form
from minsheng.platform.web.templating import (
    PAGE_DEPENDENCIES,
    PageRoute,
    Viewer,
    page_user_with,
    render,
)

router = APIRouter(include_in_schema=False, route_class=PageRoute, dependencies=PAGE_DEPENDENCIES)

Reader = Annotated[Viewer, Depends(page_user_with("scorecard:read"))]
TargetSetter = Annotated[Viewer, Depends(page_user_with("scorecard:targets"))]

#: Periods offered as one click.
PRESETS = (("2016-2020", "“十三五”时期"), ("2021-2025", "“十四五”时期"))
RECORDS_PAGE = 50


def region_options(actor: Principal) -> list[tuple[str, str]]:
    """The viewer's whole scope (the city for city-wide staff) and its districts."""
    own = actor.region_prefix or "50"
    options = [] if len(own) == 6 else [(own, f"{service.region_name(own)}（全部）")]
    options += [(d.code, d.name) for d in regions.current_counties(own[:2])
                if d.code.startswith(own)]
    return options


def _presets() -> list[tuple[str, str]]:
    year = date.today().year
    return [*PRESETS, (str(year - 1), f"{year - 1}年"), (str(year), f"{year}年")]


def _filters(actor: Principal, region: str, period: str) -> tuple[str, str]:
    """The region and period of a page: the viewer's scope (the city for city-wide
    staff) and this year by default."""
    return region.strip() or actor.region_prefix or "50", \
        period.strip() or str(date.today().year)


def _digits(item: Indicator) -> int:
    return 0 if item.kind is Kind.COUNT else 2


def _trend(row: service.Row) -> dict[str, Any]:
    """A row's values by year, with its target as a dashed line."""
    item = row.indicator
    return charts.line([str(year) for year, _ in row.trend],
                       [charts.series(item.name, [v for _, v in row.trend])],
                       target=row.target.value if row.target else None, unit=item.unit,
                       digits=_digits(item))


def _gauge(row: service.Row) -> dict[str, Any]:
    """A rate against its target; an "at most" target (the unemployment rate) on a dial
    of twice the target."""
    assert row.target is not None
    top = Decimal(100) if row.target.direction == ">=" else max(
        row.target.value * 2, row.value or Decimal(0), Decimal(1))
    return charts.gauge(row.value, name=row.indicator.name, target=row.target.value,
                        maximum=top, digits=2)


def _districts(result: service.Breakdown) -> dict[str, Any]:
    """An indicator by district, largest first (a ranking)."""
    return charts.bar([d.name for d in result.districts],
                      [charts.series(result.indicator.name, [d.value for d in result.districts])],
                      horizontal=True, unit=result.indicator.unit,
                      digits=_digits(result.indicator))


@router.get("/scorecard")
def dashboard(request: Request, session: SessionDep, viewer: Reader, region: str = "",
              period: str = "", compare: str = "") -> HTMLResponse:
    """Every figure for a region and period, against its target, with its trend; gauges
    of the rates against their targets; one indicator compared across districts; a map
    of the sites behind the figures that have places (ecology), each site once."""
    actor = viewer.principal
    region, period = _filters(actor, region, period)
    problem = None
    try:
        card = service.scorecard(session, actor, region=region, period=period, trend=True)
    except DomainError as error:
        problem = error
        region, period = _filters(actor, "", "")
        card = service.scorecard(session, actor, region=region, period=period, trend=True)
    groups: dict[str, list[service.Row]] = {}
    for row in card.rows:
        groups.setdefault(row.indicator.domain, []).append(row)
    query = urlencode({"region": card.region, "period": card.period.text})
    met = sum(1 for r in card.rows if r.standing is rules.Standing.MET)
    with_target = sum(1 for r in card.rows if r.target is not None)
    ids = [r.indicator.id for r in card.rows]
    sites = service.site_map(session, actor, region=card.region, period=card.period.text)
    compared = None
    if ids and len(card.region) < 6:
        chosen = compare if compare in ids else ids[0]
        compared = service.breakdown(session, actor, chosen, region=card.region,
                                     period=card.period.text)
    return render(request, "scorecard/dashboard.html", {
        "title": "民生答卷", "active": "scorecard", "card": card, "groups": groups,
        "regions": region_options(actor), "presets": _presets(), "query": query,
        "gauges": [(r, _gauge(r)) for r in card.rows
                   if r.indicator.kind is Kind.RATE and r.target is not None],
        "trends": {r.indicator.id: _trend(r) for r in card.rows},
        "compared": compared, "compared_chart": _districts(compared) if compared else None,
        "met": met, "with_target": with_target, "standing_labels": rules.STANDING_LABELS,
        "sites": sites, **error_context(problem),
    }, viewer=viewer, status_code=problem.status_code if problem else 200)


@router.get("/scorecard/export.xlsx")
def export(session: SessionDep, viewer: Reader, region: str = "",
           period: str = "") -> Response:
    """The scorecard as a workbook with Chinese headers."""
    actor = viewer.principal
    region, period = _filters(actor, region, period)
    card = service.scorecard(session, actor, region=region, period=period)
    content = exports.audited_xlsx(
        session, actor, action="scorecard.export", subject_type="scorecard",
        subject_id=card.region, filters={"region": card.region, "period": card.period.text},
        sheet="民生答卷", headers=service.WORKBOOK_HEADERS, rows=service.workbook_rows(card))
    return exports.xlsx_response(content, f"民生答卷-{card.region_name}-{card.period.text}.xlsx")


@router.get("/scorecard/targets")
def targets_page(request: Request, session: SessionDep, viewer: Reader,
                 year: YearQuery | None = None) -> HTMLResponse:
    return _targets_page(request, session, viewer, year=year)


def _targets_page(request: Request, session: SessionDep, viewer: Viewer,
                  error: DomainError | None = None, form: dict[str, str] | None = None,
                  done: bool = False, year: int | None = None) -> HTMLResponse:
    actor = viewer.principal
    year = year or date.today().year
    names = {i.id: i for i in service.visible(actor)}
    return render(request, "scorecard/targets.html", {
        "title": "规划目标", "active": "scorecard", "indicators": list(names.values()),
        "targets": [(t, names[t.indicator_id]) for t in service.targets(session, actor)],
        "regions": region_options(actor), "form": form or {}, "done": done,
        "year": year, "missing": service.missing_targets(session, actor, year),
        **error_context(error),
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.post("/scorecard/targets")
def set_target(request: Request, session: SessionDep, viewer: TargetSetter,
               form: FormFields) -> Response:
    """Enter or change a plan target from the form."""
    actor = viewer.principal
    try:
        with session.begin_nested():
            data = parse_form(TargetSet, {k: v for k, v in form.items() if v != ""
                                          or k in ("region", "note")})
            service.set_target(session, actor, data)
    except DomainError as error:
        return _targets_page(request, session, viewer, error, form)
    return RedirectResponse("/scorecard/targets?done=1", status_code=303)


@router.get("/scorecard/{indicator_id}")
def indicator_page(request: Request, session: SessionDep, viewer: Reader, indicator_id: str,
                   region: str = "", period: str = "", district: str = "",
                   page: int = 1) -> HTMLResponse:
    """One indicator: its definition, its trend, its districts (ranked), where its
    records lie (分布图, when they have places; audited) and the records behind the
    figure of the region or of one district (masked; audited)."""
    actor = viewer.principal
    region, period = _filters(actor, region, period)
    item = service.indicator(actor, indicator_id[:64])
    result = service.breakdown(session, actor, item.id, region=region, period=period)
    card = service.scorecard(session, actor, region=result.region, period=result.period.text,
                             trend=True, only=[item.id])
    row = card.rows[0]
    listing = None
    if item.records is not None:
        scope = district if district and district.startswith(result.region) else result.region
        first = service.records(session, actor, item.id, region=scope,
                                period=result.period.text, page=max(page, 1),
                                size=RECORDS_PAGE)
        listing = {"found": first, "pages": page_count(first.total, RECORDS_PAGE),
                   "scope": scope, "scope_name": service.region_name(scope)}
    sites = service.features(session, actor, item.id, region=result.region,
                             period=result.period.text)
    return render(request, "scorecard/indicator.html", {
        "title": item.name, "active": "scorecard", "item": item, "result": result,
        "row": row, "listing": listing, "district": district, "sites": sites,
        "trend_chart": _trend(row), "district_chart": _districts(result),
        "query": urlencode({"region": result.region, "period": result.period.text}),
        "regions": region_options(actor), "presets": _presets(),
        "standing_labels": rules.STANDING_LABELS,
    }, viewer=viewer)
