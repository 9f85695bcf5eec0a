"""Mine pages: the registry (find, register with a polygon), a mine's page (areas, map,
red-line overlap, closure, restoration plan, green-mine sheets) and the closure work-list.
"""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.ecology.kernel import common, geometry
from minsheng.ecology.kernel.access import EcoReader, EcoWriter
from minsheng.ecology.mines import service
from minsheng.ecology.mines.schemas import ClosureCreate, MineCreate
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
STATUS_OPTIONS = list(service.STATUS_LABELS.items())
METHOD_OPTIONS = list(service.METHOD_LABELS.items())
KIND_OPTIONS = list(service.SITE_KIND_LABELS.items())
REASON_OPTIONS = list(service.CLOSURE_REASON_LABELS.items())


def _none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


@router.get("/ecology/mines")
def mines_page(request: Request, session: SessionDep, viewer: EcoReader, q: str = "",
               status: str = "", page: int = 1, sort: str = "") -> HTMLResponse:
    status = status if status in service.STATUS_LABELS else ""
    order = service.MINE_SORTING.parse(sort)
    items, total = service.search_mines(session, viewer.principal, q=q, status=status,
                                        page=page, size=PAGE_SIZE, sort=order)
    rows = [service.view_mine(m) for m in items]
    sort_param = "" if order == service.MINE_SORTING.default else order.param
    filters = urlencode({"q": q.strip(), "status": status})
    query = filters + (f"&sort={sort_param}" if sort_param else "")
    return render(request, "mines/list.html", {
        "title": "矿山", "active": "ecology", "rows": rows,
        "total": total, "q": q.strip(), "status": status,
        "listing": Listing(rows, total, max(page, 1), max(1, math.ceil(total / PAGE_SIZE)),
                           PAGE_SIZE),
        "query": query, "export_url": f"/ecology/mines.xlsx?{query}",
        "sort": order, "sort_default": service.MINE_SORTING.default,
        "status_options": STATUS_OPTIONS, "methods": service.METHOD_LABELS,
    }, viewer=viewer)


#: The mine registry's export columns.
MINE_HEADERS = ["矿山名称", "区县", "乡镇（街道）", "类型", "采矿许可证号", "矿种", "开采方式",
                "矿业权人", "矿业权人统一社会信用代码", "状态", "面积（公顷）", "面积（亩）"]


@router.get("/ecology/mines.xlsx")
def mines_export(session: SessionDep, viewer: EcoReader, q: str = "",
                 status: str = "", sort: str = "") -> Response:
    """The mines of the registry's filter (every page) as .xlsx; audited (``ecology.export``)."""
    actor = viewer.principal
    status = status if status in service.STATUS_LABELS else ""
    content = exports.audited_xlsx(
        session, actor, action="ecology.export", subject_type="mines",
        subject_id=actor.region_code or "", filters={"q": q.strip(), "status": status},
        sheet="矿山", headers=MINE_HEADERS,
        rows=([m.name, region_name(m.region), m.township or "",
               service.SITE_KIND_LABELS.get(m.site_kind, m.site_kind), m.mining_right_no or "",
               m.mineral, service.METHOD_LABELS.get(m.mining_method, m.mining_method),
               m.operator_name or "", m.operator_uscc or "",
               service.STATUS_LABELS.get(m.status, m.status),
               common.m2_to_ha(m.record_area_m2), round(geometry.mu(float(m.record_area_m2)), 2)]
              for m in service.all_mines(session, actor, q=q, status=status,
                                         sort=service.MINE_SORTING.parse(sort))))
    return exports.xlsx_response(content, "矿山.xlsx")


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
        "listing": Listing(items, len(items), 1, 1, max(len(items), 1)),
        "export_url": "/ecology/closures.xlsx",
        "pending": [i for i in items if not i.closed], "done": [i for i in items if i.closed],
        "closures": service.list_closures(session, actor),
        "zones": [service.view_zone(z) for z in service.list_zones(session, actor)],
        "reasons": service.CLOSURE_REASON_LABELS,
        "status_labels": service.STATUS_LABELS,
    }, viewer=viewer)


@router.get("/ecology/closures.xlsx")
def closures_export(session: SessionDep, viewer: EcoReader) -> Response:
    """The red-line closure work-list (pending first, as on the page) as .xlsx; audited."""
    actor = viewer.principal
    content = exports.audited_xlsx(
        session, actor, action="ecology.export", subject_type="closure_worklist",
        subject_id=actor.region_code or "", filters={}, sheet="红线关闭清单",
        headers=["矿山", "区县", "采矿许可证号", "矿业权人", "状态", "涉及红线图斑",
                 "矿区面积（公顷）", "重叠面积（公顷）", "重叠比例（%）", "关闭情况"],
        rows=([i.mine_name, region_name(i.region), i.mining_right_no or "",
               i.operator_name or "", service.STATUS_LABELS.get(i.status, i.status),
               "、".join(z.zone_name for z in i.zones), round(i.area_m2 / 10_000, 4),
               i.overlap_ha, round(i.overlap_share * 100, 1), "已关闭" if i.closed else "待关闭"]
              for i in service.closure_worklist(session, actor)))
    return exports.xlsx_response(content, "生态保护红线内矿山关闭工作清单.xlsx")
