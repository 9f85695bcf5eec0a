"""Green-mine pages: the sheets in scope with their verdicts, the indicator sets, a
mine's score sheet, and scoring a mine against a set."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.ecology.greenmines import service
from minsheng.ecology.greenmines.schemas import AssessmentCreate
from minsheng.ecology.kernel.access import EcoReader, EcoWriter
from minsheng.ecology.mines import service as mines
from minsheng.platform import exports
from minsheng.platform.errors import DomainError
from minsheng.platform.paging import Listing
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import FormFields, error_context, parse_form
from minsheng.platform.web.templating import (
    PAGE_DEPENDENCIES,
    PageRoute,
    Viewer,
    region_name,
    render,
)

router = APIRouter(include_in_schema=False, route_class=PageRoute, dependencies=PAGE_DEPENDENCIES)

METRIC_LABELS = {"industrial_square_m2": "矿区工业广场（m²）",
                 "enclosed_workshop_m2": "密闭车间（m²）",
                 "greening_m2": "绿化面积（m²）", "trees_planted": "栽植树木（株）",
                 "roads_hardened_m": "硬化矿区道路（m）", "reclaimed_m2": "复垦复绿（m²）"}


@router.get("/ecology/green-mines")
def green_mines(request: Request, session: SessionDep, viewer: EcoReader) -> HTMLResponse:
    actor = viewer.principal
    rows = service.list_assessments(session, actor)
    return render(request, "greenmines/list.html", {
        "title": "绿色矿山", "active": "ecology", "rows": rows,
        "listing": Listing(rows, len(rows), 1, 1, max(len(rows), 1)),
        "export_url": "/ecology/green-mines.xlsx", "sets": service.list_sets(session, actor),
    }, viewer=viewer)


def _verdict(passed: bool | None) -> str:
    return "不评定" if passed is None else "通过" if passed else "未通过"


@router.get("/ecology/green-mines.xlsx")
def green_mines_export(session: SessionDep, viewer: EcoReader) -> Response:
    """The score sheets in scope (latest first, as on the page) as .xlsx; audited."""
    actor = viewer.principal
    content = exports.audited_xlsx(
        session, actor, action="ecology.export", subject_type="green_mine_assessments",
        subject_id=actor.region_code or "", filters={}, sheet="绿色矿山评分表",
        headers=["矿山", "区县", "评分日期", "指标体系", "得分", "满分", "结论", "建设投入（元）"],
        rows=([a.mine_name, region_name(a.region), a.assessed_date, a.set_code, a.total_score,
               a.max_score, _verdict(a.passed), a.investment]
              for a in service.list_assessments(session, actor)))
    return exports.xlsx_response(content, "绿色矿山评分表.xlsx")


@router.get("/ecology/green-mines/new")
def assessment_new(request: Request, session: SessionDep, viewer: EcoWriter, mine_id: int,
                   set_code: str = "MNR-2020") -> HTMLResponse:
    return _form(request, session, viewer, mine_id, {"set_code": set_code})


def _form(request: Request, session: Session, viewer: Viewer, mine_id: int,
          form: dict[str, str], error: DomainError | None = None) -> HTMLResponse:
    actor = viewer.principal
    mine = mines.view_mine(mines.read_mine(session, actor, mine_id))
    sets = service.list_sets(session, actor)
    chosen = next((s for s in sets if s.code == form.get("set_code")), sets[0] if sets else None)
    return render(request, "greenmines/new.html", {
        "title": f"绿色矿山评分 · {mine.name}", "active": "ecology", "mine": mine,
        "sets": sets, "chosen": chosen, "form": form, **error_context(error),
        "metric_labels": METRIC_LABELS,
    }, viewer=viewer, status_code=error.status_code if error else 200)


def _sheet(form: dict[str, str]) -> dict[str, Any]:
    """The form's flat fields (``score.A1``, ``evidence.A1``, ``pre.P1`` ...) as a sheet."""
    return {
        "set_code": form.get("set_code", ""), "assessed_date": form.get("assessed_date", ""),
        "assessor": form.get("assessor", ""),
        "investment": form.get("investment", "").replace(",", "").strip() or "0",
        "preconditions": {key[4:]: {"met": value == "yes",
                                    "evidence": form.get(f"pre_evidence.{key[4:]}", "")}
                          for key, value in form.items() if key.startswith("pre.")},
        "scores": {key[6:]: {"score": value.strip() or "0",
                             "evidence": form.get(f"evidence.{key[6:]}", "")}
                   for key, value in form.items() if key.startswith("score.")},
        "metrics": {name: form.get(f"metric.{name}", "").replace(",", "").strip() or "0"
                    for name in METRIC_LABELS},
    }


@router.post("/ecology/green-mines/new")
def assessment_create(request: Request, session: SessionDep, viewer: EcoWriter, mine_id: int,
                      form: FormFields) -> Response:
    try:
        data = parse_form(AssessmentCreate, _sheet(form))
        with session.begin_nested():
            sheet = service.assess(session, viewer.principal, mine_id, data)
    except DomainError as error:
        return _form(request, session, viewer, mine_id, form, error)
    return RedirectResponse(f"/ecology/green-mines/{sheet.id}?notice=scored", status_code=303)


@router.get("/ecology/green-mines/{assessment_id}")
def score_sheet(request: Request, session: SessionDep, viewer: EcoReader, assessment_id: int,
                notice: str = "") -> HTMLResponse:
    sheet = service.read_assessment(session, viewer.principal, assessment_id)
    return render(request, "greenmines/sheet.html", {
        "title": f"绿色矿山评分表 · {sheet.mine_name}", "active": "ecology", "sheet": sheet,
        "notice": notice, "metric_labels": METRIC_LABELS,
    }, viewer=viewer)
