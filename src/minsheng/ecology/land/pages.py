"""Land-consolidation pages: the projects in scope, registering one with its polygon, and
a project's page."""

from __future__ import annotations

import math

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.ecology.kernel.access import EcoReader, EcoWriter
from minsheng.ecology.land import service
from minsheng.ecology.land.schemas import LandProjectCreate
from minsheng.platform import extensions
from minsheng.platform.errors import DomainError
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import (
    FormFields,
    error_context,
    only_region,
    parse_form,
    region_groups,
)
from minsheng.platform.web.templating import PAGE_DEPENDENCIES, PageRoute, Viewer, render

router = APIRouter(include_in_schema=False, route_class=PageRoute, dependencies=PAGE_DEPENDENCIES)
PAGE_SIZE = 30


@router.get("/ecology/land")
def projects_page(request: Request, session: SessionDep, viewer: EcoReader, q: str = "",
                  page: int = 1) -> HTMLResponse:
    items, total = service.search_projects(session, viewer.principal, q=q, page=page,
                                           size=PAGE_SIZE)
    return render(request, "land/list.html", {
        "title": "土地综合整治", "active": "ecology",
        "rows": [service.view_project(p) for p in items], "total": total, "q": q.strip(),
        "page": max(page, 1), "pages": max(1, math.ceil(total / PAGE_SIZE)),
    }, viewer=viewer)


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
