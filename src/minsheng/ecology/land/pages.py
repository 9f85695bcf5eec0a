"""Land-consolidation pages: the projects in scope, registering one with its polygon, and
a project's page."""

from __future__ import annotations

import math
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.ecology.kernel import common
from minsheng.ecology.kernel.access import EcoReader, EcoWriter
from minsheng.ecology.land import service
from minsheng.ecology.land.schemas import LandProjectCreate
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
PAGE_SIZE = 30


@router.get("/ecology/land")
def projects_page(request: Request, session: SessionDep, viewer: EcoReader, q: str = "",
                  page: int = 1, sort: str = "") -> HTMLResponse:
    order = service.PROJECT_SORTING.parse(sort)
    items, total = service.search_projects(session, viewer.principal, q=q, page=page,
                                           size=PAGE_SIZE, sort=order)
    rows = [service.view_project(p) for p in items]
    sort_param = "" if order == service.PROJECT_SORTING.default else order.param
    query = urlencode({"q": q.strip(), **({"sort": sort_param} if sort_param else {})})
    return render(request, "land/list.html", {
        "title": "土地综合整治", "active": "ecology", "rows": rows, "total": total,
        "q": q.strip(),
        "listing": Listing(rows, total, max(page, 1), max(1, math.ceil(total / PAGE_SIZE)),
                           PAGE_SIZE),
        "query": query, "export_url": f"/ecology/land.xlsx?{query}",
        "sort": order, "sort_default": service.PROJECT_SORTING.default,
    }, viewer=viewer)


@router.get("/ecology/land.xlsx")
def projects_export(session: SessionDep, viewer: EcoReader, q: str = "",
                    sort: str = "") -> Response:
    """The projects of the list's filter (every page) as .xlsx; audited (``ecology.export``)."""
    actor = viewer.principal
    content = exports.audited_xlsx(
        session, actor, action="ecology.export", subject_type="land_projects",
        subject_id=actor.region_code or "", filters={"q": q.strip()}, sheet="土地综合整治项目",
        headers=["项目名称", "区县", "乡镇（街道）", "村", "国家试点", "整治面积（公顷）",
                 "高标准农田（亩）", "新增耕地（亩）", "投资（元）", "开工日期", "验收日期",
                 "状态"],
        rows=([p.name, region_name(p.region), p.township or "", p.villages or "",
               "是" if p.national_pilot else "否", common.m2_to_ha(p.record_area_m2),
               p.high_standard_farmland_mu, p.new_cultivated_mu, p.investment, p.start_date,
               p.acceptance_date, "已验收" if p.acceptance_date else "实施中"]
              for p in service.all_projects(session, actor, q=q,
                                            sort=service.PROJECT_SORTING.parse(sort))))
    return exports.xlsx_response(content, "土地综合整治项目.xlsx")


def _new_form(request: Request, session: Session, viewer: Viewer, form: dict[str, str],
              error: DomainError | None = None) -> HTMLResponse:
    return render(request, "land/new.html", {
        "title": "登记土地整治项目", "active": "ecology", "form": form, **error_context(error),
        "region_groups": region_groups(viewer.principal),
        "background": extensions.call("ecology.drawing_background", session,
                                        viewer.principal),
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/ecology/land/new")
def project_new(request: Request, session: SessionDep, viewer: EcoWriter) -> HTMLResponse:
    return _new_form(request, session, viewer, {
        "region": only_region(region_groups(viewer.principal)), "crs": "EPSG:4490"})


@router.post("/ecology/land/new")
def project_register(request: Request, session: SessionDep, viewer: EcoWriter,
                     form: FormFields) -> Response:
    try:
        data = parse_form(LandProjectCreate, {
            **{k: v for k, v in form.items() if v.strip()},
            "national_pilot": form.get("national_pilot") == "on"})
        with session.begin_nested():
            project = service.register_project(session, viewer.principal, data)
    except DomainError as error:
        return _new_form(request, session, viewer, form, error)
    return RedirectResponse(f"/ecology/land/{project.id}?notice=registered", status_code=303)


@router.get("/ecology/land/{project_id}")
def project_page(request: Request, session: SessionDep, viewer: EcoReader, project_id: int,
                 notice: str = "") -> HTMLResponse:
    view = service.view_project(service.read_project(session, viewer.principal, project_id))
    features = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": view.geometry,
        "properties": {"id": f"land-{view.id}", "layer": "land", "name": view.name,
                       "area_ha": view.area_ha, "detail": view.villages or view.township}}]}
    return render(request, "land/detail.html", {
        "title": view.name, "active": "ecology", "project": view, "features": features,
        "notice": notice,
    }, viewer=viewer)
