"""Insurance pages: the clerk's counter (a person's enrolments and contributions), the
citizen's "参保缴费" in the online service hall, the employer's account (增员/减员, the
monthly bill and its payment, arrears) and the statistician's coverage work-list.

Handlers parse the form, call one insurance service function inside a savepoint (a
refused form leaves nothing behind) and redirect, or show the form again with each
field's error next to it.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import imports, service
from minsheng.hrss.insurance.schemas import (
    EnrolmentCreate,
    EnrolmentEnd,
    HireRequest,
    LeaveRequest,
    ResidentPayment,
)
from minsheng.hrss.registry import service as registry
from minsheng.platform import exports, regions
from minsheng.platform import imports as import_jobs
from minsheng.platform.errors import (
    Conflict,
    DomainError,
    FieldError,
    NotFound,
    RuleViolation,
    invalid_field,
)
from minsheng.platform.months import label, month_of, parse_month
from minsheng.platform.paging import Listing, PageNumber, page_count
from minsheng.platform.web import charts
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import field_messages, parse_form, region_groups
from minsheng.platform.web.templating import (
    PageUser,
    Viewer,
    is_fragment_request,
    page_router,
    page_user_with,
    render,
)

router = page_router()

Reader = Annotated[Viewer, Depends(page_user_with("insurance:read"))]
Writer = Annotated[Viewer, Depends(page_user_with("insurance:write"))]
Insured = Annotated[Viewer, Depends(page_user_with("insurance:self"))]
EmployerClerk = Annotated[Viewer, Depends(page_user_with("insurance:employer"))]
Payer = Annotated[Viewer, Depends(page_user_with("insurance:pay"))]
Statistician = Annotated[Viewer, Depends(page_user_with("insurance:coverage"))]

ROSTER_SIZE = 50
WORKLIST_SIZE = 50
SEARCH_LIMIT = 20
#: The pension coverage the 全民参保计划 aims at, in per cent (the 14th five-year plan's
#: 95%); the coverage page marks it on the dial and shows a rate below it in red.
COVERAGE_TARGET_PERCENT = 95
SCHEME_OPTIONS = list(service.SCHEME_LABELS.items())
FIELD_LABELS = {
    "scheme": "险种", "employer_id": "用人单位", "start_month": "起始月份",
    "end_month": "终止月份", "declared_wage": "申报工资", "resident_id": "公民身份号码",
    "reason": "原因", "version": "版本", "year": "年度", "grade": "缴费档次",
    "amount": "缴费金额", "month": "月份", "file": "文件", "region": "地区", "on": "统计日期",
    "person_id": "人员", "schemes": "险种",
}
NOTICES = {
    "enrolled": "参保登记已办理。",
    "ended": "已终止该项参保。",
    "paid": "缴费成功。",
    "hired": "增员成功，已为该职工办理职工养老、失业、工伤保险参保。",
    "left": "减员成功，该职工在本单位的参保已终止。",
    "made_up": "补缴成功，补缴月份已计入缴费年限和个人账户。",
}
END_REASONS = ("离职", "退休", "死亡", "转出", "其他")


# --- helpers -------------------------------------------------------------------------


def _form_errors(error: DomainError | None, conflict_field: str) -> dict[str, list[str]]:
    """Field → messages; a conflict (no field of its own) is shown at ``conflict_field``."""
    if error is None:
        return {}
    messages = field_messages(error)
    if isinstance(error, Conflict) and not messages:
        messages = {conflict_field: [error.message]}
    return messages


def _decimal(text: str, field: str, zh: str) -> Decimal | None:
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise invalid_field(field, zh, f"{field} must be an amount") from None


def _year_choice(text: str, years: list[service.YearTotal]) -> int | None:
    """``?year=``: a year, ``all`` (None), or blank for the latest year on record."""
    text = text.strip()
    if text == "all":
        return None
    if text.isdigit() and len(text) == 4:
        return int(text)
    return years[0].year if years else None


def _contributions_context(
    session: Session, viewer: Viewer, person_id: int, year_text: str
) -> dict[str, Any]:
    actor = viewer.principal
    years = service.contribution_years(session, actor, person_id)
    year = _year_choice(year_text, years)
    rows = service.contributions_of(session, actor, person_id, year)
    today = date.today()
    return {
        "years": years, "year": year, "contributions": rows,
        "statuses": service.contribution_statuses(
            session, person_id, [(c.status, parse_month(c.period), c.employer_id) for c in rows],
            today),
        "year_total": next((y for y in years if y.year == year), None),
    }


def _pension_record_context(session: Session, viewer: Viewer, person_id: int, *,
                            flexible_action: str, can_pay: bool) -> dict[str, Any]:
    """The employee-pension record card: months, index, account with interest, and the
    enrolled months not paid (issue 11 point 4), with the flexible worker's make-up."""
    actor = viewer.principal
    this_month = month_of(date.today())
    record: service.ContributionRecord | None = None
    problem = None
    try:
        record = service.pension_record(session, actor, person_id, this_month)
        gaps = list(record.gaps)
    except RuleViolation as error:
        problem = error.message
        gaps = service.contribution_gaps(session, actor, person_id, this_month)
    flexible = [g for g in gaps if g.kind == "due" and g.employer_id is None]
    return {
        "record": record, "record_problem": problem, "gaps": gaps,
        "record_month": label(this_month), "month_label": label,
        "show_record": bool(gaps) or (record is not None and record.months > 0),
        "flexible_due": len(flexible),
        "flexible_amount": sum((g.amount or Decimal("0") for g in flexible), Decimal("0")),
        "flexible_action": flexible_action, "can_pay_flexible": can_pay and bool(flexible),
    }


def _pages(total: int, size: int) -> int:
    return max(1, math.ceil(total / size))


# --- the staff hub -------------------------------------------------------------------


@router.get("/insurance")
def insurance_home(
    request: Request, session: SessionDep, viewer: Reader, q: str = "", uscc: str = "",
    apage: PageNumber = 1, asort: str = "",
) -> HTMLResponse:
    """Find a person or an employer for their insurance records; employers in arrears
    (``asort`` their order: ``-amount`` by default, ``months``, ``name``, ``-`` descending)."""
    actor = viewer.principal
    q, uscc = q.strip(), uscc.strip()
    sort = service.ARREARS_SORTING.parse(asort)
    sort_param = "" if sort == service.ARREARS_SORTING.default else sort.param
    people = registry.find_persons(session, actor, q=q, size=SEARCH_LIMIT) if q else None
    employers = registry.search_employers(session, actor, q=uscc, size=SEARCH_LIMIT) \
        if uscc else None
    arrears = service.arrears_page(session, actor, page=apage, sort=sort)
    return render(request, "insurance/index.html", {
        "title": "参保缴费", "active": "insurance", "q": q, "uscc": uscc,
        "people": [registry.view_person(p, actor, full=False) for p in people.items]
        if people else [], "people_total": people.total if people else 0,
        "cross_region": people.cross_region if people else False,
        "employers": employers[0] if employers else [],
        "employers_total": employers[1] if employers else 0,
        "arrears": arrears.rows, "listing": arrears,
        "query": urlencode({"q": q, "uscc": uscc, "asort": sort_param}), "arrears_sort": sort,
        "export_url": "/insurance/arrears.xlsx" + (f"?asort={sort_param}" if sort_param else ""),
    }, viewer=viewer)


@router.get("/insurance/arrears.xlsx")
def arrears_export(session: SessionDep, viewer: Reader, asort: str = "") -> Response:
    """Every employer in arrears in scope as .xlsx, in the list's order; audited
    (``insurance.export``)."""
    actor = viewer.principal
    sort = service.ARREARS_SORTING.parse(asort)
    content = exports.audited_xlsx(
        session, actor, action="insurance.export", subject_type="arrears",
        subject_id=actor.region_code or "", filters={"sort": sort.param}, sheet="欠费单位",
        headers=["单位编号", "单位名称", "所在地", "欠费月数", "欠费金额（元）"],
        rows=([a["employer_id"], a["name"], regions.name_of(a["region"]) or a["region"],
               a["months"], a["amount"]] for a in service.all_arrears(session, actor, sort=sort)))
    return exports.xlsx_response(content, "欠费单位.xlsx")


# --- the clerk's counter: one person -----------------------------------------------


def _person_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    person_id: int,
    *,
    year: str = "",
    notice: str = "",
    enrol_form: dict[str, str] | None = None,
    enrol_error: DomainError | None = None,
    end_id: int | None = None,
    end_error: DomainError | None = None,
    pay_error: DomainError | None = None,
    pay_year: int | None = None,
) -> HTMLResponse:
    actor = viewer.principal
    record = registry.read_person(session, actor, person_id)
    person = registry.view_person(record, actor)
    cross_region = registry.is_cross_region(actor, record)
    enrolments = service.enrolments_of(session, actor, person_id)
    context = _contributions_context(session, viewer, person_id, year)
    if is_fragment_request(request, "contributions"):
        return render(request, "insurance/_contributions.html", {
            **context, "person": person, "base_url": f"/persons/{person_id}/insurance",
            "employer_names": {e.employer_id: e.employer_name for e in enrolments},
        }, viewer=viewer, headers={"Vary": "HX-Request, HX-Target"})
    error = enrol_error or end_error or pay_error
    # 全市通办 opens a resident of another district for reading; changes stay with the
    # district of residence.
    can_write = actor.can("insurance:write") and not cross_region
    pension_record = _pension_record_context(
        session, viewer, person_id, flexible_action=f"/persons/{person_id}/insurance/flexible",
        can_pay=can_write and person.status == "alive")
    return render(request, "insurance/person.html", {
        "cross_region": cross_region,
        **context, **pension_record,
        "title": f"参保缴费 · {person.name}", "active": "insurance", "person": person,
        "enrolments": enrolments, "notice": NOTICES.get(notice, ""),
        "employer_names": {e.employer_id: e.employer_name for e in enrolments},
        "base_url": f"/persons/{person_id}/insurance",
        "can_write": can_write and person.status == "alive",
        "scheme_options": SCHEME_OPTIONS, "end_reasons": END_REASONS,
        "enrol_form": enrol_form or {"scheme": "", "employer_id": "", "start_month": "",
                                     "end_month": "", "declared_wage": ""},
        "enrol_errors": _form_errors(enrol_error, "start_month"),
        "end_id": end_id, "end_errors": _form_errors(end_error, "end_month"),
        "pay_errors": _form_errors(pay_error, "grade"), "pay_year": pay_year,
        "pay_action": f"/persons/{person_id}/insurance/resident-pension",
        "payable": service.resident_payable_years(session, actor, person_id)
        if can_write else [],
        "problem": error.page_problem() if error else None, "labels": FIELD_LABELS,
        "today_month": label(month_of(date.today())),
    }, viewer=viewer, status_code=error.status_code if error else 200,
        headers={"Vary": "HX-Request, HX-Target"})


@router.get("/persons/{person_id}/insurance")
def person_insurance(
    request: Request, session: SessionDep, viewer: Reader, person_id: int,
    year: str = "", notice: str = "",
) -> HTMLResponse:
    """A person's enrolments and contributions (an audited read of the record)."""
    return _person_page(request, session, viewer, person_id, year=year, notice=notice)


#: A contribution's state as the contributions table shows it (``insurance/_ui.html``).
CONTRIBUTION_STATUS_LABELS = {"paid": "已缴", "arrears": "欠费", "due": "待缴"}


@router.get("/persons/{person_id}/insurance/contributions.xlsx")
def person_contributions_export(session: SessionDep, viewer: Reader, person_id: int,
                                year: str = "") -> Response:
    """The contributions of the person's page (``year``: a year, ``all``, or blank for the
    latest) as .xlsx, the same rows as the table; an audited read of the record, and the
    export audited (``insurance.export``)."""
    actor = viewer.principal
    person = registry.view_person(registry.read_person(session, actor, person_id), actor)
    context = _contributions_context(session, viewer, person_id, year)
    names = {e.employer_id: e.employer_name
             for e in service.enrolments_of(session, actor, person_id)}
    rows = context["contributions"]
    content = exports.audited_xlsx(
        session, actor, action="insurance.export", subject_type="contributions",
        subject_id=str(person_id), filters={"year": context["year"] or "all"},
        sheet="缴费明细",
        headers=["所属月份", "险种", "缴费单位", "缴费基数（元）", "单位缴纳（元）",
                 "个人缴纳（元）", "政府代缴（元）", "缴费补贴（元）", "状态"],
        rows=([c.period[:4] + " 年度" if c.scheme == "resident_pension" else c.period,
               c.scheme_label,
               (names.get(c.employer_id) or f"单位 {c.employer_id}") if c.employer_id
               else "个人",
               c.base, c.employer_amount, c.personal_amount, c.government_amount,
               c.subsidy_amount, CONTRIBUTION_STATUS_LABELS.get(status, "无应缴")]
              for c, status in zip(rows, context["statuses"], strict=True)))
    year_text = str(context["year"]) if context["year"] else "全部年度"
    return exports.xlsx_response(content, f"缴费明细-{person.name}-{year_text}.xlsx")


def _employer_ref(session: Session, viewer: Viewer, text: str) -> int | None:
    """The employer named by its number (单位编号) or USCC, in the clerk's scope."""
    text = text.strip().upper()
    if not text:
        return None
    if text.isdigit() and len(text) < 12:
        return int(text)
    found, _ = registry.search_employers(session, viewer.principal, q=text, size=2)
    match = next((e for e in found if e.uscc == text), None)
    if match is None:
        raise invalid_field("employer_id", "未找到该统一社会信用代码的单位（须为本辖区登记的单位）",
                            "no employer with this USCC in your scope")
    return match.id


@router.post("/persons/{person_id}/insurance/enrol")
def person_enrol(
    request: Request,
    session: SessionDep,
    viewer: Writer,
    person_id: int,
    scheme: Annotated[str, Form()] = "",
    employer_id: Annotated[str, Form()] = "",
    start_month: Annotated[str, Form()] = "",
    end_month: Annotated[str, Form()] = "",
    declared_wage: Annotated[str, Form()] = "",
) -> Response:
    """参保登记 at the counter; overlaps (409) and bad fields (422) shown at the fields."""
    form = {"scheme": scheme, "employer_id": employer_id, "start_month": start_month,
            "end_month": end_month, "declared_wage": declared_wage}
    try:
        if not scheme:
            raise invalid_field("scheme", "请选择险种", "choose a scheme")
        if not start_month.strip():
            raise invalid_field("start_month", "请填写起始月份", "give the start month")
        with session.begin_nested():  # a refused form leaves nothing behind
            data = parse_form(EnrolmentCreate, {
                "person_id": person_id, "scheme": scheme,
                "employer_id": _employer_ref(session, viewer, employer_id),
                "start_month": start_month.strip(), "end_month": end_month.strip() or None,
                "declared_wage": _decimal(declared_wage, "declared_wage", "申报工资应为金额")})
            service.enrol(session, viewer.principal, data)
    except DomainError as error:
        return _person_page(request, session, viewer, person_id, enrol_form=form,
                            enrol_error=error)
    return RedirectResponse(f"/persons/{person_id}/insurance?notice=enrolled", status_code=303)


@router.post("/persons/{person_id}/insurance/enrolments/{enrolment_id}/end")
def person_end_enrolment(
    request: Request,
    session: SessionDep,
    viewer: Writer,
    person_id: int,
    enrolment_id: int,
    end_month: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
) -> Response:
    """停保: end one enrolment with its last covered month, against the version seen."""
    if service.enrolment_person(session, enrolment_id) != person_id:
        raise NotFound(f"参保记录 {enrolment_id} 不存在", f"Enrolment {enrolment_id} not found")
    try:
        data = parse_form(EnrolmentEnd, {"end_month": end_month.strip(), "reason": reason,
                                         "version": version})
        with session.begin_nested():
            service.end_enrolment(session, viewer.principal, enrolment_id, data)
    except DomainError as error:
        return _person_page(request, session, viewer, person_id, end_id=enrolment_id,
                            end_error=error)
    return RedirectResponse(f"/persons/{person_id}/insurance?notice=ended", status_code=303)


def _resident_payment(
    session: Session, viewer: Viewer, person_id: int, year: str, grade: str
) -> None:
    if not year.strip().isdigit():
        raise invalid_field("year", "请选择缴费年度", "choose a year")
    if not grade.strip():
        raise RuleViolation("请选择缴费档次", "Choose a grade",
                            errors=[FieldError("grade", "请选择缴费档次", "choose a grade")])
    data = parse_form(ResidentPayment, {"person_id": person_id, "year": year.strip(),
                                        "grade": _decimal(grade, "grade", "缴费档次有误")})
    with session.begin_nested():
        service.pay_resident_pension(session, viewer.principal, data)


@router.post("/persons/{person_id}/insurance/resident-pension")
def person_pay_resident(
    request: Request,
    session: SessionDep,
    viewer: Writer,
    person_id: int,
    year: Annotated[str, Form()] = "",
    grade: Annotated[str, Form()] = "",
) -> Response:
    """城乡居民养老保险 yearly contribution paid at the counter."""
    try:
        _resident_payment(session, viewer, person_id, year, grade)
    except DomainError as error:
        return _person_page(request, session, viewer, person_id, pay_error=error,
                            pay_year=int(year) if year.isdigit() else None)
    return RedirectResponse(f"/persons/{person_id}/insurance?notice=paid&year={year}",
                            status_code=303)


@router.post("/persons/{person_id}/insurance/flexible")
def person_pay_flexible(
    request: Request, session: SessionDep, viewer: Writer, person_id: int,
) -> Response:
    """补缴: a flexible worker's unpaid employee-pension months paid at the counter."""
    try:
        with session.begin_nested():
            service.pay_flexible_contributions(session, viewer.principal, person_id)
    except DomainError as error:
        return _person_page(request, session, viewer, person_id, pay_error=error)
    return RedirectResponse(f"/persons/{person_id}/insurance?notice=made_up#pension-record",
                            status_code=303)


# --- the citizen's hall ----------------------------------------------------------------


def _my_page(
    request: Request, session: Session, viewer: Viewer, *, year: str = "", notice: str = "",
    pay_error: DomainError | None = None, pay_year: int | None = None,
) -> HTMLResponse:
    actor = viewer.principal
    context: dict[str, Any] = {
        "title": "我的参保缴费", "person": None, "notice": NOTICES.get(notice, ""),
        "problem": pay_error.page_problem() if pay_error else None,
        "pay_errors": _form_errors(pay_error, "grade"), "pay_year": pay_year,
        "pay_action": "/my/insurance/resident-pension", "base_url": "/my/insurance",
        "labels": FIELD_LABELS, "today_month": label(month_of(date.today())),
    }
    if actor.person_id is not None:
        person = registry.person_for_read(session, actor, actor.person_id)
        enrolments = service.enrolments_of(session, actor, person.id)
        context.update(_contributions_context(session, viewer, person.id, year))
        context.update({
            "person": registry.view_person(person, actor), "enrolments": enrolments,
            "employer_names": {e.employer_id: e.employer_name for e in enrolments},
            "payable": service.resident_payable_years(session, actor, person.id),
        })
        context.update(_pension_record_context(
            session, viewer, person.id, flexible_action="/my/insurance/flexible",
            can_pay=person.status == "alive"))
        if is_fragment_request(request, "contributions"):
            return render(request, "insurance/_contributions.html", context, viewer=viewer,
                          headers={"Vary": "HX-Request, HX-Target"})
    return render(request, "insurance/my_insurance.html", context, viewer=viewer,
                  status_code=pay_error.status_code if pay_error else 200,
                  headers={"Vary": "HX-Request, HX-Target"})


@router.get("/my/insurance")
def my_insurance(
    request: Request, session: SessionDep, viewer: Insured, year: str = "", notice: str = ""
) -> HTMLResponse:
    """我的参保 and 我的缴费记录 (totals per year, months of one year), 参保证明."""
    return _my_page(request, session, viewer, year=year, notice=notice)


@router.post("/my/insurance/resident-pension")
def my_pay_resident(
    request: Request,
    session: SessionDep,
    viewer: Insured,
    year: Annotated[str, Form()] = "",
    grade: Annotated[str, Form()] = "",
) -> Response:
    """Pay my resident pension for a year at a published grade."""
    person_id = viewer.principal.person_id
    if person_id is None:
        raise NotFound("您的账户尚未关联登记信息", "Your account is not linked to a person")
    try:
        _resident_payment(session, viewer, person_id, year, grade)
    except DomainError as error:
        return _my_page(request, session, viewer, pay_error=error,
                        pay_year=int(year) if year.isdigit() else None)
    return RedirectResponse(f"/my/insurance?notice=paid&year={year}", status_code=303)


@router.post("/my/insurance/flexible")
def my_pay_flexible(request: Request, session: SessionDep, viewer: Insured) -> Response:
    """补缴: pay my unpaid flexible-worker employee-pension months."""
    person_id = viewer.principal.person_id
    if person_id is None:
        raise NotFound("您的账户尚未关联登记信息", "Your account is not linked to a person")
    try:
        with session.begin_nested():
            service.pay_flexible_contributions(session, viewer.principal, person_id)
    except DomainError as error:
        return _my_page(request, session, viewer, pay_error=error)
    return RedirectResponse("/my/insurance?notice=made_up#pension-record", status_code=303)


# --- the employer's account ------------------------------------------------------------


def _employer_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    employer_id: int,
    *,
    month: str = "",
    page: int = 1,
    notice: str = "",
    job_id: int | None = None,
    hire_form: dict[str, str] | None = None,
    hire_error: DomainError | None = None,
    leave_id: int | None = None,
    leave_error: DomainError | None = None,
    upload_error: DomainError | None = None,
    pay_error: DomainError | None = None,
    certificate_form: dict[str, str] | None = None,
    certificate_error: DomainError | None = None,
) -> HTMLResponse:
    actor = viewer.principal
    try:
        account = service.employer_account(session, actor, employer_id, month=month or None,
                                           page=page, size=ROSTER_SIZE)
    except RuleViolation as bad_month:  # a malformed ?month=: show the latest month
        account = service.employer_account(session, actor, employer_id, page=page,
                                           size=ROSTER_SIZE)
        pay_error = pay_error or bad_month
    job = None
    if job_id is not None:
        job = import_jobs.get_job(session, actor, job_id)
        if job.kind != "hires":
            raise NotFound(f"导入任务 {job_id} 不存在", f"Import job {job_id} not found")
    report = import_jobs.report_of(job) if job is not None else None
    error = hire_error or leave_error or upload_error or pay_error or certificate_error
    today = date.today()
    return render(request, "insurance/employer.html", {
        "title": f"单位参保缴费 · {account.employer.name}",
        "active": "insurance", "account": account, "employer": account.employer,
        "bill": account.month, "notice": NOTICES.get(notice, ""),
        "pages": _pages(account.employee_total, ROSTER_SIZE), "page": max(page, 1),
        "base_url": f"/employers/{employer_id}/insurance",
        "can_manage": actor.can("insurance:employer"), "can_pay": actor.can("insurance:pay"),
        "hire_form": hire_form or {"resident_id": "", "start_month": label(month_of(today)),
                                   "declared_wage": ""},
        "hire_errors": _form_errors(hire_error, "resident_id"),
        "leave_id": leave_id, "leave_errors": _form_errors(leave_error, "end_month"),
        "upload_problem": upload_error.page_problem() if upload_error else None,
        "pay_errors": _form_errors(pay_error, "amount"),
        "certificate_form": certificate_form or {"resident_id": ""},
        "certificate_errors": _form_errors(certificate_error, "resident_id"),
        "problem": error.page_problem() if error else None, "labels": FIELD_LABELS,
        "job": job, "report": report, "columns": list(imports.HIRE_HEADINGS.values()),
        "aliases": imports.HIRE_ALIASES, "today_month": label(month_of(today)),
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/employers/{employer_id}/insurance")
def employer_insurance(
    request: Request, session: SessionDep, viewer: PageUser, employer_id: int,
    month: str = "", page: int = 1, notice: str = "", job: int | None = None,
) -> HTMLResponse:
    """The employer's own account (role employer), or any employer in a clerk's scope."""
    return _employer_page(request, session, viewer, employer_id, month=month, page=page,
                          notice=notice, job_id=job)


@router.post("/employers/{employer_id}/insurance/hire")
def employer_hire(
    request: Request,
    session: SessionDep,
    viewer: EmployerClerk,
    employer_id: int,
    resident_id: Annotated[str, Form()] = "",
    start_month: Annotated[str, Form()] = "",
    declared_wage: Annotated[str, Form()] = "",
) -> Response:
    """增员: one employee into employee pension, unemployment and work-injury insurance."""
    form = {"resident_id": resident_id, "start_month": start_month,
            "declared_wage": declared_wage}
    try:
        if not resident_id.strip():
            raise invalid_field("resident_id", "请填写公民身份号码", "give the resident ID")
        wage = _decimal(declared_wage, "declared_wage", "申报工资应为金额")
        if wage is None:
            raise invalid_field("declared_wage", "请填写申报工资（月）", "give the declared wage")
        data = parse_form(HireRequest, {"resident_id": resident_id.strip(),
                                        "start_month": start_month.strip(),
                                        "declared_wage": wage})
        with session.begin_nested():
            service.hire(session, viewer.principal, employer_id, data)
    except DomainError as error:
        return _employer_page(request, session, viewer, employer_id, hire_form=form,
                              hire_error=error)
    return RedirectResponse(f"/employers/{employer_id}/insurance?notice=hired", status_code=303)


@router.post("/employers/{employer_id}/insurance/employees/{person_id}/leave")
def employer_leave(
    request: Request,
    session: SessionDep,
    viewer: EmployerClerk,
    employer_id: int,
    person_id: int,
    end_month: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "离职",
) -> Response:
    """减员: the employee's enrolments here end with ``end_month``."""
    try:
        data = parse_form(LeaveRequest, {"end_month": end_month.strip(),
                                         "reason": reason.strip() or "离职"})
        with session.begin_nested():
            service.leave(session, viewer.principal, employer_id, person_id, data)
    except DomainError as error:
        return _employer_page(request, session, viewer, employer_id, leave_id=person_id,
                              leave_error=error)
    return RedirectResponse(f"/employers/{employer_id}/insurance?notice=left", status_code=303)


@router.post("/employers/{employer_id}/insurance/employee-certificate")
def employer_employee_certificate(
    request: Request,
    session: SessionDep,
    viewer: EmployerClerk,
    employer_id: int,
    resident_id: Annotated[str, Form()] = "",
) -> Response:
    """个人参保证明 for a current or former employee found by resident ID: on to the PDF
    (the ID travels in the form body, never in a link), or the field's error."""
    form = {"resident_id": resident_id}
    try:
        service.employer_for(session, viewer.principal, employer_id)
        if not resident_id.strip():
            raise invalid_field("resident_id", "请填写公民身份号码", "give the resident ID")
        person_id = service.employee_of(session, viewer.principal, employer_id,
                                        resident_id.strip())
    except DomainError as error:
        return _employer_page(request, session, viewer, employer_id, certificate_form=form,
                              certificate_error=error)
    return RedirectResponse(
        f"/api/v1/employers/{employer_id}/employees/{person_id}/certificate.pdf",
        status_code=303)


@router.post("/employers/{employer_id}/insurance/upload")
def employer_upload(
    request: Request,
    session: SessionDep,
    viewer: EmployerClerk,
    employer_id: int,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """增员 by file: good rows enrolled, bad rows reported with row, column and reason."""
    try:
        if file is None or not file.filename:
            raise RuleViolation("请选择要上传的文件（.xlsx 或 .csv）", "Choose a file to upload",
                                errors=[FieldError("file", "请选择文件", "choose a file")])
        content = file.file.read()
        with session.begin_nested():
            job = imports.import_hires(session, viewer.principal, employer_id, file.filename,
                                       content)
    except DomainError as error:
        return _employer_page(request, session, viewer, employer_id, upload_error=error)
    return RedirectResponse(f"/employers/{employer_id}/insurance?job={job.id}#import-report",
                            status_code=303)


@router.get("/employers/{employer_id}/insurance/template.csv")
def employer_template(employer_id: int, viewer: EmployerClerk, session: SessionDep) -> Response:
    """An empty 增员 sheet with the expected header (UTF-8 with BOM, so Excel reads it),
    for an employer the account acts for (its own, or one in a staff member's scope)."""
    service.employer_for(session, viewer.principal, employer_id)
    header = ",".join(imports.HIRE_HEADINGS[c] for c in imports.HIRE_COLUMNS)
    return Response("\ufeff" + header + "\r\n", media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="hires-template.csv"'})


@router.post("/employers/{employer_id}/insurance/pay")
def employer_pay(
    request: Request,
    session: SessionDep,
    viewer: Payer,
    employer_id: int,
    month: Annotated[str, Form()] = "",
    amount: Annotated[str, Form()] = "",
) -> Response:
    """Pay a month's outstanding total; the amount is the one the page showed, so a bill
    that changed in between is refused rather than paid in part."""
    try:
        value = _decimal(amount, "amount", "缴费金额有误")
        if value is None:
            raise invalid_field("amount", "缴费金额有误", "give the amount")
        with session.begin_nested():
            service.pay_employer(session, viewer.principal, employer_id, month.strip(),
                                 value.quantize(Decimal("0.01")))
    except DomainError as error:
        return _employer_page(request, session, viewer, employer_id, month=month,
                              pay_error=error)
    return RedirectResponse(f"/employers/{employer_id}/insurance?month={month.strip()}"
                            "&notice=paid", status_code=303)


# --- coverage: 全民参保 work-list and the poverty checks ------------------------------


@router.get("/insurance/coverage")
def coverage(
    request: Request, session: SessionDep, viewer: Statistician, region: str = "",
    on: str = "", page: int = 1, year: str = "",
) -> HTMLResponse:
    """Pension coverage of a region on a date, the people not yet enrolled (paged), and
    应保尽保 / 应缴尽缴 of poverty-registered people for a year."""
    actor = viewer.principal
    groups = region_groups(actor)
    codes = {d.code for _, divisions in groups for d in divisions}
    problem = None
    if region and region not in codes:
        problem = RuleViolation("请选择您管辖范围内的区县", "Choose a county in your scope")
        region = ""
    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError:
        problem = RuleViolation("统计日期格式应为“年-月-日”，如 2026-10-08",
                                "A date is written YYYY-MM-DD")
        day = date.today()
    poverty_year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else day.year
    result = service.coverage(session, actor, region=region, on=day)
    missing_total = result.should_enrol - result.enrolled
    pages = page_count(missing_total, WORKLIST_SIZE)
    page = min(max(page, 1), pages)
    missing = service.not_enrolled(session, actor, region=region, on=day, page=page,
                                   size=WORKLIST_SIZE)
    query = urlencode({"region": region, "on": day.isoformat(), "year": poverty_year})
    checks = service.poverty_checks(session, actor, region=region, year=poverty_year)
    context = {
        "title": "参保覆盖", "active": "insurance", "groups": groups, "region": region,
        "on": day.isoformat(), "page": page, "pages": pages,
        "listing": Listing([], missing_total, page, pages, WORKLIST_SIZE), "query": query,
        "export_url": "/insurance/coverage/export.xlsx?" + urlencode(
            {"region": region, "on": day.isoformat()}),
        "result": result, "missing_total": missing_total,
        "missing": [registry.view_person(p, actor, full=False) for p in missing],
        "checks": checks, "poverty_year": poverty_year,
        "not_enrolled_people": [registry.view_person(p, actor, full=False) for p in
                                service.persons_by_ids(session, actor, checks.not_enrolled_ids)],
        "not_paid_people": [registry.view_person(p, actor, full=False) for p in
                            service.persons_by_ids(session, actor, checks.not_paid_ids)],
        "problem": problem.page_problem() if problem else None,
        "charts": _coverage_charts(result, checks),
    }
    if is_fragment_request(request, "worklist"):
        return render(request, "insurance/_worklist.html", context, viewer=viewer,
                      headers={"Vary": "HX-Request, HX-Target"})
    return render(request, "insurance/coverage.html", context, viewer=viewer,
                  headers={"Vary": "HX-Request, HX-Target"})


def _coverage_charts(result: service.Coverage, checks: service.PovertyChecks
                    ) -> dict[str, Any]:
    """The coverage page's charts: the pension coverage rate on a dial against its target,
    the enrolled and not enrolled as shares, and the poverty checks district by
    district."""
    names = [regions.name_of(code) or code for code, *_ in checks.districts]
    return {
        "rate": charts.gauge(None if result.rate is None else result.rate * 100,
                             name="养老保险参保率", target=COVERAGE_TARGET_PERCENT, digits=2),
        "share": charts.pie([("已参保", result.enrolled),
                             ("未参保", result.should_enrol - result.enrolled)], unit="人",
                            colors=["#1d7a47", "#d08a12"]),
        "poverty": charts.bar(names, [
            charts.series("应参保", [d[1] for d in checks.districts]),
            charts.series("已参保", [d[2] for d in checks.districts]),
            charts.series("应缴费", [d[3] for d in checks.districts]),
            charts.series("已缴费", [d[4] for d in checks.districts]),
        ], horizontal=True, unit="人"),
        "poverty_height": 80 + 64 * len(names),
    }


@router.get("/insurance/coverage/export.xlsx")
def coverage_export(session: SessionDep, viewer: Statistician, region: str = "",
                    on: str = "") -> Response:
    """The whole 全民参保 work-list of the filter as .xlsx (IDs masked unless the role
    handles identity); audited as ``insurance.export``."""
    actor = viewer.principal
    try:
        day = date.fromisoformat(on) if on else date.today()
    except ValueError as bad:
        raise invalid_field("on", "格式应为“年-月-日”", "a date is YYYY-MM-DD") from bad
    people = service.all_not_enrolled(session, actor, region=region, on=day)
    content = exports.audited_xlsx(
        session, actor, action="insurance.export", subject_type="coverage_worklist",
        subject_id=region, filters={"region": region, "on": day.isoformat()},
        sheet="应参保未参保人员",
        headers=["人员编号", "姓名", "公民身份号码", "性别", "出生日期", "居住地", "户口性质"],
        rows=([p.id, p.name, exports.resident_id_for(actor, p.resident_id),
               "男" if p.gender == "M" else "女", p.birth_date.isoformat(),
               regions.name_of(p.residence_region) or p.residence_region,
               "城镇" if p.hukou_type == "urban" else "农村"] for p in people))
    return exports.xlsx_response(content, f"应参保未参保人员-{day.isoformat()}.xlsx")
