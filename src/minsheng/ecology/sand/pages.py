"""Surplus sand-and-gravel pages: the cases in scope, registering one, and a case's page
with its public notice and auction."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.ecology.kernel.access import EcoReader, EcoWriter
from minsheng.ecology.sand import service
from minsheng.ecology.sand.schemas import AuctionCreate, NoticeCreate, SandCaseCreate
from minsheng.platform import exports, extensions
from minsheng.platform.errors import DomainError
from minsheng.platform.paging import Listing
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import (
    FormFields,
    error_context,
    only_region,
    parse_form,
    region_groups,
)
from minsheng.platform.web.templating import (
    PAGE_DEPENDENCIES,
    PageRoute,
    Viewer,
    region_name,
    render,
)

router = APIRouter(include_in_schema=False, route_class=PageRoute, dependencies=PAGE_DEPENDENCIES)


@router.get("/ecology/sand")
def cases_page(request: Request, session: SessionDep, viewer: EcoReader,
               sort: str = "") -> HTMLResponse:
    order = service.CASE_SORTING.parse(sort)
    rows = [service.view_case(c) for c in service.list_cases(session, viewer.principal, order)]
    query = "" if order == service.CASE_SORTING.default else urlencode({"sort": order.param})
    return render(request, "sand/list.html", {
        "title": "剩余砂石处置", "active": "ecology", "rows": rows,
        "listing": Listing(rows, len(rows), 1, 1, max(len(rows), 1)),
        "query": query, "sort": order,
        "export_url": "/ecology/sand.xlsx" + (f"?{query}" if query else ""),
        "states": service.STATE_LABELS,
    }, viewer=viewer)


@router.get("/ecology/sand.xlsx")
def cases_export(session: SessionDep, viewer: EcoReader, sort: str = "") -> Response:
    """The surplus sand-and-gravel cases in scope (in the page's order, by default the
    latest first) as .xlsx; audited (``ecology.export``)."""
    actor = viewer.principal
    content = exports.audited_xlsx(
        session, actor, action="ecology.export", subject_type="surplus_aggregate_cases",
        subject_id=actor.region_code or "", filters={}, sheet="剩余砂石处置",
        headers=["案件编号", "建设项目", "区县", "估算砂石量（立方米）", "项目自用（立方米）",
                 "剩余砂石（立方米）", "公示开始", "公示结束", "交易平台", "标的编号", "出让日期",
                 "竞得人", "成交价款（元）", "市级分成（元）", "区县分成（元）", "状态"],
        rows=([c.case_no, c.project_name, region_name(c.region), c.estimated_volume_m3,
               c.project_use_m3, c.surplus_volume_m3, c.notice_start, c.notice_end,
               c.trading_platform, c.lot_no, c.auction_date, c.buyer, c.revenue, c.city_amount,
               c.district_amount, service.STATE_LABELS.get(c.state, c.state)]
              for c in map(service.view_case, service.list_cases(
                  session, actor, service.CASE_SORTING.parse(sort)))))
    return exports.xlsx_response(content, "剩余砂石处置.xlsx")


def _new_form(request: Request, session: Session, viewer: Viewer, form: dict[str, str],
              error: DomainError | None = None) -> HTMLResponse:
    return render(request, "sand/new.html", {
        "title": "登记剩余砂石处置", "active": "ecology", "form": form, **error_context(error),
        "region_groups": region_groups(viewer.principal),
        "background": extensions.call("ecology.drawing_background", session,
                                        viewer.principal),
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/ecology/sand/new")
def case_new(request: Request, session: SessionDep, viewer: EcoWriter) -> HTMLResponse:
    return _new_form(request, session, viewer, {
        "region": only_region(region_groups(viewer.principal)), "crs": "EPSG:4490"})


@router.post("/ecology/sand/new")
def case_register(request: Request, session: SessionDep, viewer: EcoWriter,
                  form: FormFields) -> Response:
    try:
        data = parse_form(SandCaseCreate, {k: v for k, v in form.items() if v.strip()})
        with session.begin_nested():
            case = service.register_case(session, viewer.principal, data)
    except DomainError as error:
        return _new_form(request, session, viewer, form, error)
    return RedirectResponse(f"/ecology/sand/{case.id}?notice=registered", status_code=303)


def _case_page(request: Request, session: Session, viewer: Viewer, case_id: int, *,
               notice: str = "", form: dict[str, str] | None = None, which: str = "",
               error: DomainError | None = None) -> HTMLResponse:
    view = service.view_case(service.read_case(session, viewer.principal, case_id))
    features = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": view.geometry,
        "properties": {"id": f"sand-{view.id}", "layer": "sand", "name": view.project_name,
                       "area_ha": view.area_ha, "detail": "建设项目用地范围"}}]}
    return render(request, "sand/detail.html", {
        "title": view.project_name, "active": "ecology", "case": view, "features": features,
        "notice": notice, "form": form or {}, "which": which, **error_context(error),
        "states": service.STATE_LABELS,
        # The notice period in force today for the case's region (the form's default).
        "notice_workdays": service.notice_workdays(session, view.region, date.today()),
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/ecology/sand/{case_id}")
def case_page(request: Request, session: SessionDep, viewer: EcoReader, case_id: int,
              notice: str = "") -> HTMLResponse:
    return _case_page(request, session, viewer, case_id, notice=notice)


@router.post("/ecology/sand/{case_id}/notice")
def case_notice(request: Request, session: SessionDep, viewer: EcoWriter, case_id: int,
                form: FormFields) -> Response:
    try:
        data = parse_form(NoticeCreate, {k: v for k, v in form.items() if v.strip()})
        with session.begin_nested():
            service.publish_notice(session, viewer.principal, case_id, data)
    except DomainError as error:
        return _case_page(request, session, viewer, case_id, form=form, which="notice",
                          error=error)
    return RedirectResponse(f"/ecology/sand/{case_id}?notice=published", status_code=303)


@router.post("/ecology/sand/{case_id}/auction")
def case_auction(request: Request, session: SessionDep, viewer: EcoWriter, case_id: int,
                 form: FormFields) -> Response:
    try:
        data = parse_form(AuctionCreate, {k: v for k, v in form.items() if v.strip()})
        with session.begin_nested():
            service.record_auction(session, viewer.principal, case_id, data)
    except DomainError as error:
        return _case_page(request, session, viewer, case_id, form=form, which="auction",
                          error=error)
    return RedirectResponse(f"/ecology/sand/{case_id}?notice=auctioned", status_code=303)
