"""HR service agency pages: the staff registry (人力资源服务机构: licences paged with an
Excel export, the late-report list of a year, counts and revenue by district, register a
licence), a licence page (renew, revoke, reports, file a report), and the agency's
年度报告 form (/my/talent/agency)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.hragency import rules, service
from minsheng.hrss.hragency.schemas import LicenceCreate, ReportCreate
from minsheng.hrss.registry.service import Employer
from minsheng.platform import exports
from minsheng.platform.errors import DomainError, RuleViolation, invalid_field
from minsheng.platform.paging import PageNumber
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import attempt, page_problem, parse_form, required_date
from minsheng.platform.web.templating import Viewer, page_router, page_user_with, render

router = page_router()

Reader = Annotated[Viewer, Depends(page_user_with("talent:read"))]
Writer = Annotated[Viewer, Depends(page_user_with("talent:write"))]
Agency = Annotated[Viewer, Depends(page_user_with("talent:employer"))]

T = "hragency/"
NOTICES = {"registered": "许可证已登记。", "saved": "已办理。", "reported": "年度报告已报送。"}
STATES = {"valid": "有效", "expired": "已过期", "revoked": "已吊销"}


def _helpers() -> dict[str, Any]:
    return {"scope_items": rules.SCOPE_ITEMS, "scope_text": rules.scope_text,
            "states": rules.LICENCE_STATE_LABELS, "status": rules.licence_status,
            "yuan": rules.yuan_from_fen, "today": date.today()}






def _count(text: str, field: str, label: str) -> int:
    value = text.strip() or "0"
    if not value.isdigit() or len(value) > 9:
        raise invalid_field(field, f"{label}应为不小于0的整数", "a whole number, not negative")
    return int(value)


def _fen(text: str) -> int:
    """Revenue typed in yuan (two decimals at most) → fen."""
    try:
        value = Decimal(text.strip() or "0")
    except InvalidOperation as exc:
        raise invalid_field("revenue_fen", "营业收入请填写金额（元），如 1250000.00",
                            "revenue in yuan") from exc
    if value < 0 or value != value.quantize(Decimal("0.01")) or value >= 10**14:
        raise invalid_field("revenue_fen", "营业收入应为不小于0、最多两位小数的金额（元）",
                            "a non-negative amount in yuan")
    return int(value * 100)


def _last_year() -> int:
    return date.today().year - 1


# --- the staff registry -----------------------------------------------------------------


def _index(request: Request, session: Session, viewer: Viewer, *, state: str = "",
           year: int | None = None, page: int = 1, lpage: int = 1,
           problem: DomainError | None = None, notice: str = "",
           status_code: int = 200, sort: str = "") -> HTMLResponse:
    actor = viewer.principal
    state = state if state in STATES else ""
    order = service.REGISTRY_SORTING.parse(sort)
    sort_param = "" if order == service.REGISTRY_SORTING.default else order.param
    year = year if year is not None and 1990 <= year <= date.today().year else _last_year()
    listing = service.registry_page(session, actor, state=state, page=page, sort=order)
    late = service.late_page(session, actor, year, page=lpage)
    return render(request, T + "index.html", {
        "title": "人力资源服务机构", "active": "hragency", "listing": listing, "late": late,
        "state": state, "year": year, "state_options": list(STATES.items()),
        "counts": service.counts(session, actor, "", year),
        "late_filed": service.late_reports(session, actor, year),
        "q_registry": urlencode({k: v for k, v in {
            "state": state, "year": year, "lpage": late.listing.page, "sort": sort_param}.items()
            if v}),
        "q_late": urlencode({k: v for k, v in {
            "state": state, "year": year, "page": listing.page, "sort": sort_param}.items()
            if v}),
        "q_export": urlencode({k: v for k, v in {"state": state, "sort": sort_param}.items()
                               if v}),
        "registry_sort": order, "registry_sorting_default": service.REGISTRY_SORTING.default,
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""), **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/talent/agencies")
def agency_index(request: Request, session: SessionDep, viewer: Reader, state: str = "",
                 year: int | None = None, page: PageNumber = 1, lpage: PageNumber = 1,
                 done: str = "", sort: str = "") -> HTMLResponse:
    return _index(request, session, viewer, state=state, year=year, page=page, lpage=lpage,
                  notice=done, sort=sort)


@router.get("/talent/agencies.xlsx")
def registry_export(session: SessionDep, viewer: Reader, state: str = "",
                    sort: str = "") -> Response:
    """The licence registry as .xlsx, in the list's order; audited (``hragency.export``)."""
    actor = viewer.principal
    state = state if state in STATES else ""
    today = date.today()
    rows = ([lic.licence_no, name, uscc, lic.region, rules.scope_text(lic.scope),
             lic.issued_on.isoformat(), lic.valid_until.isoformat(),
             STATES[rules.licence_status(lic.state, lic.valid_until, today)]]
            for lic, name, uscc in service.all_registry(
                session, actor, state=state, sort=service.REGISTRY_SORTING.parse(sort)))
    content = exports.audited_xlsx(
        session, actor, action="hragency.export", subject_type="hr_agency_licences",
        subject_id=actor.region_code or "", filters={"state": state}, sheet="人力资源服务许可证",
        headers=["许可证编号", "机构名称", "统一社会信用代码", "区县代码", "服务范围",
                 "发证日期", "有效期至", "状态"], rows=rows)
    return exports.xlsx_response(content, "人力资源服务机构.xlsx")


@router.get("/talent/agencies/late.xlsx")
def late_export(session: SessionDep, viewer: Reader, year: int | None = None) -> Response:
    actor = viewer.principal
    year = year if year is not None and 1990 <= year <= date.today().year else _last_year()
    deadline = service.deadline_of(session, actor.region_code, year)
    rows = ([lic.licence_no, name, uscc, lic.region, year,
             deadline.isoformat() if deadline else ""]
            for lic, name, uscc in service.all_late(session, actor, year))
    content = exports.audited_xlsx(
        session, actor, action="hragency.export", subject_type="hr_agency_late",
        subject_id=actor.region_code or "", filters={"year": year}, sheet="未报送年度报告",
        headers=["许可证编号", "机构名称", "统一社会信用代码", "区县代码", "报告年度",
                 "报送期限"], rows=rows)
    return exports.xlsx_response(content, f"{year}年度未报送年度报告机构.xlsx")


@router.post("/talent/agencies")
def agency_register(request: Request, session: SessionDep, viewer: Writer,
                    licence_no: Annotated[str, Form()] = "",
                    uscc: Annotated[str, Form()] = "",
                    scope: Annotated[list[str] | None, Form()] = None,
                    issued_on: Annotated[str, Form()] = "",
                    valid_until: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal

    def register() -> None:
        employer = session.scalar(select(Employer.id).where(
            Employer.uscc == uscc.strip().upper()))
        if employer is None:
            raise invalid_field("employer_id", "未找到该统一社会信用代码的单位",
                                "no employer with that credit code")
        chosen = [s for s in (scope or []) if s in rules.SCOPE_ITEMS]
        if not chosen:
            raise invalid_field("scope", "请至少选择一项服务范围", "choose the scope")
        service.register(session, actor, parse_form(LicenceCreate, {
            "licence_no": licence_no.strip(), "employer_id": employer, "scope": chosen,
            "issued_on": required_date(issued_on, "issued_on"),
            "valid_until": required_date(valid_until, "valid_until")}))

    error = attempt(session, register)
    if error:
        return _index(request, session, viewer, problem=error, status_code=error.status_code)
    return RedirectResponse("/talent/agencies?done=registered", status_code=303)


# --- a licence --------------------------------------------------------------------------


def _detail(request: Request, session: Session, viewer: Viewer, licence_id: int, *,
            problem: DomainError | None = None, notice: str = "",
            status_code: int = 200) -> HTMLResponse:
    actor = viewer.principal
    lic = service.read(session, actor, licence_id)
    employer = session.get(Employer, lic.employer_id)
    reports = service.reports_of(session, actor, licence_id)
    deadlines = {r.year: service.deadline_of(session, lic.region, r.year) for r in reports}
    return render(request, T + "licence.html", {
        "title": f"人力资源服务许可证 {lic.licence_no}", "active": "hragency", "lic": lic,
        "employer": employer, "reports": reports, "deadlines": deadlines,
        "is_late": rules.is_late, "last_year": _last_year(),
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""), **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/talent/agencies/{licence_id}")
def agency_detail(request: Request, session: SessionDep, viewer: Reader,
                  licence_id: IdPath, done: str = "") -> HTMLResponse:
    return _detail(request, session, viewer, licence_id, notice=done)


def _report_form(year: str, revenue: str, placements: str, sessions: str,
                 people: str) -> ReportCreate:
    return parse_form(ReportCreate, {
        "year": _count(year, "year", "报告年度"), "revenue_fen": _fen(revenue),
        "placements": _count(placements, "placements", "职业介绍成功人数"),
        "training_sessions": _count(sessions, "training_sessions", "培训场次"),
        "training_people": _count(people, "training_people", "培训人数")})


@router.post("/talent/agencies/{licence_id}/{action}")
def agency_action(request: Request, session: SessionDep, viewer: Writer,
                  licence_id: IdPath, action: str,
                  valid_until: Annotated[str, Form()] = "", on: Annotated[str, Form()] = "",
                  reason: Annotated[str, Form()] = "", year: Annotated[str, Form()] = "",
                  revenue: Annotated[str, Form()] = "",
                  placements: Annotated[str, Form()] = "",
                  training_sessions: Annotated[str, Form()] = "",
                  training_people: Annotated[str, Form()] = "",
                  version: Annotated[str, Form()] = "") -> Response:
    """Renew, revoke, or file a report for the agency."""
    actor = viewer.principal
    seen = int(version) if version.strip().isdigit() else None

    def step() -> None:
        if action == "renew":
            service.renew(session, actor, licence_id,
                          required_date(valid_until, "valid_until"), seen)
        elif action == "revoke":
            service.revoke(session, actor, licence_id, required_date(on, "on"), reason, seen)
        elif action == "reports":
            service.file_report(session, actor, licence_id, _report_form(
                year, revenue, placements, training_sessions, training_people))
        else:
            raise RuleViolation("没有这一办理步骤", f"Unknown step {action!r}")

    error = attempt(session, step)
    if error:
        return _detail(request, session, viewer, licence_id, problem=error,
                       status_code=error.status_code)
    return RedirectResponse(f"/talent/agencies/{licence_id}?done=saved", status_code=303)


# --- the agency -------------------------------------------------------------------------


def _my_page(request: Request, session: Session, viewer: Viewer, *,
             problem: DomainError | None = None, notice: str = "",
             status_code: int = 200) -> HTMLResponse:
    actor = viewer.principal
    licences = service.my_licences(session, actor)
    current = licences[0] if licences else None
    reports = service.reports_of(session, actor, current.id) if current else []
    return render(request, T + "my_agency.html", {
        "title": "人力资源服务机构年度报告", "lic": current, "reports": reports,
        "last_year": _last_year(),
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""), **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/my/talent/agency")
def my_agency(request: Request, session: SessionDep, viewer: Agency,
              done: str = "") -> HTMLResponse:
    return _my_page(request, session, viewer, notice=done)


@router.post("/my/talent/agency/reports")
def my_report(request: Request, session: SessionDep, viewer: Agency,
              year: Annotated[str, Form()] = "", revenue: Annotated[str, Form()] = "",
              placements: Annotated[str, Form()] = "",
              training_sessions: Annotated[str, Form()] = "",
              training_people: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal
    licences = service.my_licences(session, actor)
    if not licences:
        return _my_page(request, session, viewer)
    licence_id = licences[0].id
    error = attempt(session, lambda: service.file_report(session, actor, licence_id,
                                                         _report_form(year, revenue, placements,
                                                                      training_sessions,
                                                                      training_people)))
    if error:
        return _my_page(request, session, viewer, problem=error, status_code=error.status_code)
    return RedirectResponse("/my/talent/agency?done=reported", status_code=303)
