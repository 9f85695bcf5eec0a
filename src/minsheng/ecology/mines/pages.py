"""Mine pages: the registry (find, register with a polygon), a mine's page (areas, map,
red-line overlap, closure, restoration plan, green-mine sheets) and the closure work-list.
"""

from __future__ import annotations

import json
import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.ecology.kernel.access import EcoReader, EcoWriter
from minsheng.ecology.mines import service
from minsheng.ecology.mines.schemas import ClosureCreate, MineCreate
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
STATUS_OPTIONS = list(service.STATUS_LABELS.items())
METHOD_OPTIONS = list(service.METHOD_LABELS.items())
KIND_OPTIONS = list(service.SITE_KIND_LABELS.items())
REASON_OPTIONS = list(service.CLOSURE_REASON_LABELS.items())


def _none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


@router.get("/ecology/mines")
def mines_page(request: Request, session: SessionDep, viewer: EcoReader, q: str = "",
               status: str = "", page: int = 1) -> HTMLResponse:
    status = status if status in service.STATUS_LABELS else ""
    items, total = service.search_mines(session, viewer.principal, q=q, status=status,
                                        page=page, size=PAGE_SIZE)
    return render(request, "mines/list.html", {
        "title": "矿山", "active": "ecology", "rows": [service.view_mine(m) for m in items],
        "total": total, "q": q.strip(), "status": status, "page": max(page, 1),
        "pages": max(1, math.ceil(total / PAGE_SIZE)), "status_options": STATUS_OPTIONS,
        "methods": service.METHOD_LABELS,
    }, viewer=viewer)


def _new_form(request: Request, session: Session, viewer: Viewer, form: dict[str, str],
              error: DomainError | None = None) -> HTMLResponse:
    return render(request, "mines/new.html", {
        "title": "登记矿山", "active": "ecology", "form": form, **error_context(error),
        "region_groups": region_groups(viewer.principal), "status_options": STATUS_OPTIONS,
        "method_options": METHOD_OPTIONS, "kind_options": KIND_OPTIONS,
        "background": extensions.call("ecology.drawing_background", session,
                                        viewer.principal),
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/ecology/mines/new")
def mine_new(request: Request, session: SessionDep, viewer: EcoWriter) -> HTMLResponse:
    return _new_form(request, session, viewer, {
        "region": only_region(region_groups(viewer.principal)), "status": "operating",
        "mining_method": "open_pit", "site_kind": "mine", "crs": "EPSG:4490"})


@router.post("/ecology/mines/new")
def mine_register(request: Request, session: SessionDep, viewer: EcoWriter,
                  form: FormFields) -> Response:
    try:
        data = parse_form(MineCreate, {
            **form, "mining_right_no": _none(form.get("mining_right_no")),
            "operator_uscc": _none(form.get("operator_uscc")),
            "waste_volume_m3": _none(form.get("waste_volume_m3"))})
        with session.begin_nested():
            mine = service.register_mine(session, viewer.principal, data)
    except DomainError as error:
        return _new_form(request, session, viewer, form, error)
    return RedirectResponse(f"/ecology/mines/{mine.id}?notice=registered", status_code=303)


def _mine_page(request: Request, session: Session, viewer: Viewer, mine_id: int, *,
               notice: str = "", form: dict[str, str] | None = None,
               error: DomainError | None = None) -> HTMLResponse:
    actor = viewer.principal
    mine = service.read_mine(session, actor, mine_id)
    view = service.view_mine(mine)
    overlaps = service.red_line_overlaps(session, actor, [mine.id])
    overlap = overlaps[0] if overlaps else None
    features: list[dict[str, Any]] = [
        {"type": "Feature", "geometry": json.loads(z.geometry_geojson),
         "properties": {"id": f"zone-{z.id}", "layer": "zone", "name": z.name,
                        "detail": "生态保护红线"}} for z, _ in (overlap.zones if overlap else [])]
    layer = "stack" if mine.site_kind == "waste_stack" else f"mine_{mine.status}"
    features.append({"type": "Feature", "geometry": view.geometry, "properties": {
        "id": f"mine-{mine.id}", "layer": layer, "name": mine.name, "area_ha": view.area_ha,
        "detail": f"{mine.mineral} · {service.STATUS_LABELS[mine.status]}"}})
    closure = service.closure_of(session, actor, mine.id)
    plan = extensions.call("ecology.mine_plan", session, actor, mine.id)
    return render(request, "mines/detail.html", {
        "title": mine.name, "active": "ecology", "mine": view, "overlap": overlap,
        "features": {"type": "FeatureCollection", "features": features},
        "closure": closure, "plan": plan, "notice": notice,
        "assessments": extensions.call("ecology.mine_assessments", session, actor,
                                       mine_id=mine.id, default=[]),
        "form": form or {"reason": "red_line" if overlap else "sensitive_zone"},
        **error_context(error), "reason_options": REASON_OPTIONS,
        "status_labels": service.STATUS_LABELS, "methods": service.METHOD_LABELS,
        "kinds": service.SITE_KIND_LABELS, "reasons": service.CLOSURE_REASON_LABELS,
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/ecology/mines/{mine_id}")
def mine_page(request: Request, session: SessionDep, viewer: EcoReader, mine_id: int,
              notice: str = "") -> HTMLResponse:
    return _mine_page(request, session, viewer, mine_id, notice=notice)


@router.post("/ecology/mines/{mine_id}/close")
def mine_close(request: Request, session: SessionDep, viewer: EcoWriter, mine_id: int,
               form: FormFields) -> Response:
    try:
        data = parse_form(ClosureCreate, {**form, "zone_id": _none(form.get("zone_id")),
                                          "version": _none(form.get("version"))})
        with session.begin_nested():
            service.close_mine(session, viewer.principal, mine_id, data)
    except DomainError as error:
        return _mine_page(request, session, viewer, mine_id, form=form, error=error)
    return RedirectResponse(f"/ecology/mines/{mine_id}?notice=closed", status_code=303)


@router.get("/ecology/closures")
def closures_page(request: Request, session: SessionDep, viewer: EcoReader) -> HTMLResponse:
    actor = viewer.principal
    items = service.closure_worklist(session, actor)
    return render(request, "mines/closures.html", {
        "title": "红线关闭清单", "active": "ecology", "items": items,
        "pending": [i for i in items if not i.closed], "done": [i for i in items if i.closed],
        "closures": service.list_closures(session, actor),
        "zones": [service.view_zone(z) for z in service.list_zones(session, actor)],
        "reasons": service.CLOSURE_REASON_LABELS,
        "status_labels": service.STATUS_LABELS,
    }, viewer=viewer)
