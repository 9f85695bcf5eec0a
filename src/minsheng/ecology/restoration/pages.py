"""Restoration pages: the work-list (plans, progress, overdue; mines still without a
plan), filing a plan, a plan's page (quarterly progress with photos, acceptance) and the
substituted-restoration case page with its timeline and the steps it allows now."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.ecology.kernel import common
from minsheng.ecology.kernel.access import EcoReader, EcoWriter
from minsheng.ecology.mines import service as mines
from minsheng.ecology.restoration import rules, service
from minsheng.ecology.restoration.rules import CaseAction, CaseState
from minsheng.ecology.restoration.schemas import (
    AcceptanceCreate,
    CaseCreate,
    CaseStep,
    PlanCreate,
    ProgressCreate,
)
from minsheng.platform import exports
from minsheng.platform.errors import DomainError
from minsheng.platform.paging import Listing, PageNumber
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

MODE_OPTIONS = list(service.MODE_LABELS.items())
LAND_USE_OPTIONS = list(service.LAND_USE_LABELS.items())
#: The main line of a case, for the progress steps at the top of the case page.
MAIN_LINE = (CaseState.PLAN_FILED, CaseState.FUND_DEPOSITED, CaseState.OBLIGOR_PERFORMING,
             CaseState.REMINDER_ISSUED, CaseState.OBLIGOR_DEFAULTED,
             CaseState.GOVERNMENT_TAKEOVER, CaseState.DEPOSIT_DRAWN,
             CaseState.SHORTFALL_RECOVERY, CaseState.ACCEPTED, CaseState.NOTICE_PUBLISHED)
#: Which facts each step's form asks for (field, label, kind).
STEP_FIELDS: dict[CaseAction, list[tuple[str, str, str]]] = {
    CaseAction.DEPOSIT_FUND: [("amount", "存入监管资金（元）", "money"),
                              ("bank", "监管银行", "text"),
                              ("agreement_no", "三方监管协议编号", "text")],
    CaseAction.START_PERFORMANCE: [],
    CaseAction.ISSUE_REMINDER: [("note", "催告内容（履行期限等）", "text")],
    CaseAction.RESUME_PERFORMANCE: [("note", "说明", "text")],
    CaseAction.RECORD_DEFAULT: [("default_kind", "认定情形", "default_kind"),
                                ("note", "事实与依据", "text")],
    CaseAction.TAKE_OVER: [("contractor", "代为修复施工单位", "text"),
                           ("cost_estimate", "费用估算（元）", "money")],
    CaseAction.DRAW_DEPOSIT: [("actual_cost", "修复实际费用（元）", "money"),
                              ("assessment_fee", "第三方评估费用（元）", "money")],
    CaseAction.OPEN_RECOVERY: [("note", "追偿通知文号", "text")],
    CaseAction.RECORD_PAYMENT: [("amount", "到账金额（元）", "money")],
    CaseAction.ACCEPT: [("accepted_area_ha", "验收面积（公顷，默认取已修复面积）", "text")],
    CaseAction.PUBLISH_NOTICE: [("notice_days", "公示天数（留空取规定的最短公示期）", "number")],
}
DEFAULT_KINDS = [("refused", "拒不履行"), ("unable", "因故无法履行")]


def _none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


@router.get("/ecology/restoration")
def worklist(request: Request, session: SessionDep, viewer: EcoReader,
             status: str = "", page: PageNumber = 1, mpage: PageNumber = 1,
             sort: str = "") -> HTMLResponse:
    actor = viewer.principal
    status = status if status in service.FILTER_LABELS else ""
    sorting = service.plan_sorting(date.today())
    order = sorting.parse(sort)
    sort_param = "" if order == sorting.default else order.param
    plans = service.plans_page(session, actor, status=status, page=page, sort=order)
    filters = {"status": status, **({"sort": sort_param} if sort_param else {})}
    to_plan = service.mines_to_plan(session, actor, page=mpage)
    cases = service.list_cases(session, actor)
    return render(request, "restoration/worklist.html", {
        "title": "生态修复", "active": "ecology", "plans": plans.rows, "status": status,
        "plan_listing": plans, "plan_counts": service.plan_counts(session, actor, status=status),
        "plan_query": urlencode({**filters, "mpage": to_plan.page}),
        "plan_sort": order, "plan_sort_default": sorting.default,
        "plan_export_url": "/ecology/restoration/plans.xlsx?" + urlencode(filters),
        "without_plan": [mines.view_mine(m) for m in to_plan.rows], "mine_listing": to_plan,
        "mine_query": urlencode({**filters, "page": plans.page}),
        "cases": cases, "case_listing": Listing(cases, len(cases), 1, 1, max(len(cases), 1)),
        "modes": service.MODE_LABELS,
        "land_uses": service.LAND_USE_LABELS, "state_labels": rules.STATE_LABELS,
        "status_labels": service.FILTER_LABELS, "today": date.today(),
    }, viewer=viewer)


@router.get("/ecology/restoration/plans.xlsx")
def plans_export(session: SessionDep, viewer: EcoReader, status: str = "",
                 sort: str = "") -> Response:
    """Every restoration plan of the filter as .xlsx; audited (``ecology.export``)."""
    actor = viewer.principal
    status = status if status in service.FILTER_LABELS else ""
    content = exports.audited_xlsx(
        session, actor, action="ecology.export", subject_type="restoration_plans",
        subject_id=actor.region_code or "", filters={"status": status}, sheet="生态修复方案",
        headers=["方案编号", "矿山", "地区", "修复方式", "目标用途", "方案面积（公顷）",
                 "已修复（公顷）", "进度", "预算（元）", "已投入（元）", "义务人", "期限", "状态",
                 "逾期"],
        rows=([p.id, p.mine_name, p.region_name or p.region,
               service.MODE_LABELS.get(p.mode, p.mode),
               service.LAND_USE_LABELS.get(p.target_land_use, p.target_land_use),
               p.planned_area_ha, p.restored_area_ha, p.progress_share, p.budget,
               p.money_spent, p.obligor_name or "", p.deadline.isoformat(),
               service.STATUS_LABELS.get(p.status, p.status), "是" if p.overdue else ""]
              for p in service.all_plans(
                  session, actor, status=status,
                  sort=service.plan_sorting(date.today()).parse(sort))))
    return exports.xlsx_response(content, "生态修复方案.xlsx")


@router.get("/ecology/restoration/mines-to-plan.xlsx")
def mines_to_plan_export(session: SessionDep, viewer: EcoReader) -> Response:
    """The closed and abandoned mines still without a plan as .xlsx; audited."""
    actor = viewer.principal
    content = exports.audited_xlsx(
        session, actor, action="ecology.export", subject_type="mines_to_plan",
        subject_id=actor.region_code or "", filters={}, sheet="待编制修复方案的矿山",
        headers=["矿山名称", "区县", "乡镇（街道）", "类型", "采矿许可证号", "矿种", "矿业权人",
                 "状态", "面积（公顷）"],
        rows=([m.name, region_name(m.region), m.township or "",
               mines.SITE_KIND_LABELS.get(m.site_kind, m.site_kind), m.mining_right_no or "",
               m.mineral, m.operator_name or "", mines.STATUS_LABELS.get(m.status, m.status),
               common.m2_to_ha(m.record_area_m2)]
              for m in service.all_mines_to_plan(session, actor)))
    return exports.xlsx_response(content, "待编制修复方案的矿山.xlsx")


@router.get("/ecology/restoration/cases.xlsx")
def cases_export(session: SessionDep, viewer: EcoReader) -> Response:
    """The substituted-restoration cases in scope (as on the work-list) as .xlsx; audited."""
    actor = viewer.principal
    content = exports.audited_xlsx(
        session, actor, action="ecology.export", subject_type="substituted_restoration_cases",
        subject_id=actor.region_code or "", filters={}, sheet="代为修复案件",
        headers=["案件编号", "区县", "立案日期", "状态", "监管资金（元）", "催告次数",
                 "代为修复施工单位", "修复实际费用（元）", "应追偿（元）", "已追回（元）",
                 "公示开始", "公示结束"],
        rows=([c.case_no, region_name(c.region), c.filed_date,
               rules.STATE_LABELS.get(CaseState(c.state), c.state), c.deposit_amount,
               c.reminders, c.contractor, c.actual_cost, c.receivable_amount,
               c.recovered_amount, c.notice_start, c.notice_end]
              for c in service.list_cases(session, actor)))
    return exports.xlsx_response(content, "代为修复案件.xlsx")


def _plan_form(request: Request, session: Session, viewer: Viewer, form: dict[str, str],
               error: DomainError | None = None) -> HTMLResponse:
    mine_id = form.get("mine_id", "")
    mine = mines.view_mine(mines.read_mine(session, viewer.principal, int(mine_id))) \
        if mine_id.isdigit() else None
    return render(request, "restoration/plan_new.html", {
        "title": "编制修复方案", "active": "ecology", "form": form, "mine": mine,
        **error_context(error), "mode_options": MODE_OPTIONS,
        "land_use_options": LAND_USE_OPTIONS,
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/ecology/restoration/new")
def plan_new(request: Request, session: SessionDep, viewer: EcoWriter,
             mine_id: int) -> HTMLResponse:
    mine = mines.read_mine(session, viewer.principal, mine_id)
    area = round(float(mine.record_area_m2) / 10_000, 4)
    return _plan_form(request, session, viewer, {
        "mine_id": str(mine.id), "mode": "engineered", "target_land_use": "forest",
        "planned_area_ha": f"{area}", "obligor_name": mine.operator_name,
        "obligor_uscc": mine.operator_uscc or ""})


@router.post("/ecology/restoration/new")
def plan_file(request: Request, session: SessionDep, viewer: EcoWriter,
              form: FormFields) -> Response:
    try:
        data = parse_form(PlanCreate, {**form, "obligor_name": _none(form.get("obligor_name")),
                                       "obligor_uscc": _none(form.get("obligor_uscc"))})
        with session.begin_nested():
            plan = service.file_plan(session, viewer.principal, data)
    except DomainError as error:
        return _plan_form(request, session, viewer, form, error)
    return RedirectResponse(f"/ecology/restoration/{plan.id}?notice=filed", status_code=303)


def _plan_page(request: Request, session: Session, viewer: Viewer, plan_id: int, *,
               notice: str = "", form: dict[str, str] | None = None, which: str = "",
               error: DomainError | None = None) -> HTMLResponse:
    plan = service.plan_detail(session, viewer.principal, plan_id)
    mine = mines.view_mine(mines.read_mine(session, viewer.principal, plan.mine_id))
    features = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": mine.geometry,
        "properties": {"id": "site", "layer": "restored" if plan.status == "accepted"
                       else f"mine_{mine.status}", "name": mine.name, "area_ha": mine.area_ha,
                       "detail": service.MODE_LABELS[plan.mode]}}]}
    return render(request, "restoration/plan.html", {
        "title": f"修复方案 · {plan.mine_name}", "active": "ecology", "plan": plan,
        "mine": mine, "features": features, "notice": notice, "form": form or {},
        "which": which, **error_context(error), "modes": service.MODE_LABELS,
        "land_uses": service.LAND_USE_LABELS, "today": date.today(),
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/ecology/restoration/{plan_id}")
def plan_page(request: Request, session: SessionDep, viewer: EcoReader, plan_id: int,
              notice: str = "") -> HTMLResponse:
    return _plan_page(request, session, viewer, plan_id, notice=notice)


@router.post("/ecology/restoration/{plan_id}/progress")
def plan_progress(request: Request, session: SessionDep, viewer: EcoWriter, plan_id: int,
                  form: FormFields) -> Response:
    try:
        data = parse_form(ProgressCreate, form)
        with session.begin_nested():
            service.report_progress(session, viewer.principal, plan_id, data)
    except DomainError as error:
        return _plan_page(request, session, viewer, plan_id, form=form, which="progress",
                          error=error)
    return RedirectResponse(f"/ecology/restoration/{plan_id}?notice=reported", status_code=303)


@router.post("/ecology/restoration/{plan_id}/photos")
def plan_photo(request: Request, session: SessionDep, viewer: EcoWriter, plan_id: int,
               file: Annotated[UploadFile, File()], form: FormFields) -> Response:
    try:
        progress_id = int(form.get("progress_id", "0") or 0)
        with session.begin_nested():
            service.add_photo(session, viewer.principal, progress_id, file.filename or "photo",
                              file.content_type or "", file.file.read())
    except DomainError as error:
        return _plan_page(request, session, viewer, plan_id, form=form, which="photo",
                          error=error)
    return RedirectResponse(f"/ecology/restoration/{plan_id}?notice=photo", status_code=303)


@router.post("/ecology/restoration/{plan_id}/accept")
def plan_accept(request: Request, session: SessionDep, viewer: EcoWriter, plan_id: int,
                form: FormFields) -> Response:
    try:
        data = parse_form(AcceptanceCreate, {
            **form, "accepted_area_ha": _none(form.get("accepted_area_ha")),
            "version": _none(form.get("version"))})
        with session.begin_nested():
            service.accept_plan(session, viewer.principal, plan_id, data)
    except DomainError as error:
        return _plan_page(request, session, viewer, plan_id, form=form, which="accept",
                          error=error)
    return RedirectResponse(f"/ecology/restoration/{plan_id}?notice=accepted", status_code=303)


@router.post("/ecology/restoration/{plan_id}/case")
def plan_case(request: Request, session: SessionDep, viewer: EcoWriter, plan_id: int,
              form: FormFields) -> Response:
    try:
        data = parse_form(CaseCreate, {"plan_id": plan_id, "filed_date": form.get("filed_date")})
        with session.begin_nested():
            case = service.open_case(session, viewer.principal, data)
    except DomainError as error:
        return _plan_page(request, session, viewer, plan_id, form=form, which="case",
                          error=error)
    return RedirectResponse(f"/ecology/restoration/cases/{case.id}?notice=opened",
                            status_code=303)


def _case_page(request: Request, session: Session, viewer: Viewer, case_id: int, *,
               notice: str = "", form: dict[str, str] | None = None, which: str = "",
               error: DomainError | None = None) -> HTMLResponse:
    case = service.read_case(session, viewer.principal, case_id)
    state = CaseState(case.state)
    reached = {CaseState(e.to_state) for e in case.events}
    steps = [(s, rules.STATE_LABELS[s], "is-current" if s is state
              else "is-done" if s in reached else "") for s in MAIN_LINE]
    allowed = [CaseAction(a) for a in case.allowed_actions]
    return render(request, "restoration/case.html", {
        "title": f"代为修复 {case.case_no}", "active": "ecology", "case": case,
        "steps": steps, "allowed": allowed, "labels": rules.ACTION_LABELS,
        "fields": STEP_FIELDS, "default_kinds": DEFAULT_KINDS, "notice": notice,
        "form": form or {}, "which": which, **error_context(error), "today": date.today(),
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/ecology/restoration/cases/{case_id}")
def case_page(request: Request, session: SessionDep, viewer: EcoReader, case_id: int,
              notice: str = "") -> HTMLResponse:
    return _case_page(request, session, viewer, case_id, notice=notice)


@router.post("/ecology/restoration/cases/{case_id}/{action}")
def case_step(request: Request, session: SessionDep, viewer: EcoWriter, case_id: int,
              action: CaseAction, form: FormFields) -> Response:
    try:
        data = parse_form(CaseStep, {
            key: value for key, value in form.items()
            if value.strip() or key in ("on",)})
        with session.begin_nested():
            service.act(session, viewer.principal, case_id, action, data)
    except DomainError as error:
        return _case_page(request, session, viewer, case_id, form=form, which=action.value,
                          error=error)
    return RedirectResponse(f"/ecology/restoration/cases/{case_id}?notice={action.value}",
                            status_code=303)
