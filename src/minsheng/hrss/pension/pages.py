"""Pension pages: the staff landing (recipients by status, the certification due-list),
a recipient's page (status, award history, payments, overpayments, certification entry,
and the award form for a person not yet in payment), the monthly payroll run page with
its totals and bank returns, the poverty "three 100 %" report, and the citizen's
"我的养老金" with the self-service certification.

Handlers parse the form, call one pension service function inside a savepoint (a
refused form leaves nothing behind) and redirect, or show the form again with each
field's error next to it. The payroll runs after the response, as the batch job it is:
it commits range by range through the session factory, which on SQLite must not wait
for the request's own transaction; the page follows the run until it has finished.

The public estimator (``/pension/estimate``) is in ``estimator.pages``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import BackgroundTasks, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.kernel.retirement import CATEGORY_LABELS
from minsheng.hrss.pension import rules, service
from minsheng.hrss.pension.models import PensionAward, PensionPayrollRun
from minsheng.hrss.registry import service as registry
from minsheng.platform import exports, regions
from minsheng.platform.config import get_settings
from minsheng.platform.db import utcnow
from minsheng.platform.errors import (
    Conflict,
    DomainError,
    FieldError,
    NotFound,
    RuleViolation,
    invalid_field,
)
from minsheng.platform.messages import DATE_FORMAT
from minsheng.platform.months import add_months, label, month_of, parse_month
from minsheng.platform.paging import PageNumber
from minsheng.platform.web import charts
from minsheng.platform.web.deps import SessionDep, SessionFactoryDep
from minsheng.platform.web.forms import field_messages, region_groups
from minsheng.platform.web.templating import (
    Viewer,
    is_fragment_request,
    page_router,
    page_user_with,
    render,
)

router = page_router()

Reader = Annotated[Viewer, Depends(page_user_with("pension:read"))]
Certifier = Annotated[Viewer, Depends(page_user_with("pension:certify"))]
Awarder = Annotated[Viewer, Depends(page_user_with("pension:award"))]
PayrollOfficer = Annotated[Viewer, Depends(page_user_with("pension:payroll"))]
Pensioner = Annotated[Viewer, Depends(page_user_with("pension:self"))]

#: Templates of these pages (``hrss/pension/templates/pension/``).
T = "pension/"
VARY = {"Vary": "HX-Request, HX-Target"}
SEARCH_LIMIT = 20
DUE_WINDOWS = (31, 60, 90)
#: A run not finished after this long is taken as interrupted: running the month again
#: completes it (the payroll is resumable).
RUN_STALE_AFTER = timedelta(minutes=30)

STATUS_LABELS = {"active": "正常发放", "suspended": "已暂停", "stopped": "已终止"}
STATUS_BADGES = {"active": "badge-ok", "suspended": "badge-bad", "stopped": "badge-muted"}
SCHEME_LABELS = {"employee": "职工基本养老保险", "resident": "城乡居民基本养老保险"}
SCHEME_OPTIONS = list(SCHEME_LABELS.items())
PAYMENT_LABELS = {"queued": "待送盘", "sent": "已送盘", "paid": "已入账", "failed": "失败",
                  "cancelled": "已取消"}
PAYMENT_BADGES = {"queued": "badge-muted", "sent": "badge-info", "paid": "badge-ok",
                  "failed": "badge-bad", "cancelled": "badge-muted"}
KIND_LABELS = {"regular": "正常", "back_pay": "补发"}
OVERPAYMENT_LABELS = {"to_recover": "待追回", "recovered": "已追回"}
METHOD_LABELS = service.CERTIFICATION_METHODS
#: Staff enter every method but the self-service face check (the person does that).
STAFF_METHOD_OPTIONS = [(k, v) for k, v in METHOD_LABELS.items() if k != "face"]
NODE_LABELS = {"cq": "重庆", "sc": "四川"}
NODE_OPTIONS = [(k, f"{v}（{k}）") for k, v in NODE_LABELS.items()]
FIELD_LABELS = {
    "method": "认证方式", "on": "认证日期", "node": "认证地", "evidence": "认证依据",
    "retirement_date": "退休日期", "scheme": "养老保险类型", "bank_account": "银行账号",
    "resident_basic_pension": "基础养老金标准", "month": "发放月份", "file": "回盘文件",
    "region": "地区", "year": "年度", "category": "人员类别", "route": "退休途径",
    "route_evidence": "提前退休依据",
}
CATEGORY_OPTIONS = list(CATEGORY_LABELS.items())
ROUTE_OPTIONS = list(rules.ROUTE_LABELS.items())
#: Fields of the estimator's checks → the award form's fields.
AWARD_ERROR_FIELDS = {"basic_pension": "resident_basic_pension"}
NOTICES = {
    "certified": "认证已登记，下一次认证截止日期已按认证周期顺延。",
    "resumed": "认证已登记，养老金自本月起恢复发放，暂停期间的待遇将在下次发放时补发。",
    "awarded": "养老待遇已核定，自退休次月起按月发放。",
    "started": "发放任务已开始，完成后在下方显示合计。",
    "reconciled": "回盘已处理。",
    "self_certified": "认证成功！感谢您的配合，养老金将继续按月发放。",
    "self_resumed": "认证成功！养老金自本月起恢复发放，暂停期间的养老金将在下次发放时一并补发。",
}


# --- display helpers -----------------------------------------------------------------


def rate(part: int, whole: int) -> Decimal | None:
    """``part ÷ whole × 100`` to two decimals (half up), ``None`` when nobody is
    counted: the one figure the tables write and the charts draw."""
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def percent(part: int, whole: int) -> str:
    """``part ÷ whole`` as ``98.50%``; ``—`` when nobody is counted."""
    value = rate(part, whole)
    return "—" if value is None else f"{value}%"


def award_reason(reason: str) -> str:
    if reason == "award":
        return "退休待遇核定"
    if reason.startswith("uplift:"):
        return f"{reason.split(':', 1)[1]} 年度养老金调整"
    return reason


def months_text(months: int) -> str:
    """``45`` → ``3 年 9 个月``."""
    years, rest = divmod(months, 12)
    if years and rest:
        return f"{years} 年 {rest} 个月"
    return f"{years} 年" if years else f"{rest} 个月"


def region_label(code: str) -> str:
    return regions.name_of(code) or code


def _helpers() -> dict[str, Any]:
    """Display helpers for the templates, also as ``h`` for the macros of ``_ui.html``."""
    helpers = {
        "percent": percent, "month_label": label, "reason_label": award_reason,
        "status_labels": STATUS_LABELS, "status_badges": STATUS_BADGES,
        "scheme_labels": SCHEME_LABELS, "payment_labels": PAYMENT_LABELS,
        "payment_badges": PAYMENT_BADGES, "kind_labels": KIND_LABELS,
        "overpayment_labels": OVERPAYMENT_LABELS, "method_labels": METHOD_LABELS,
        "node_labels": NODE_LABELS, "labels": FIELD_LABELS, "region_label": region_label,
    }
    return {**helpers, "h": helpers}


def _masked_account(account: str) -> str:
    if not account:
        return "—"
    return f"**** {account[-4:]}" if len(account) > 4 else account


@dataclass(frozen=True)
class CertificationStatus:
    """Where a recipient stands in the 12-month cycle on ``today``."""

    last_certified_date: date
    due: date
    days_left: int
    status: str

    @property
    def suspended(self) -> bool:
        return self.status == "suspended"

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def _cycle(recipient: Any, today: date) -> CertificationStatus:
    return CertificationStatus(recipient.last_certified_date, recipient.certification_due_date,
                               (recipient.certification_due_date - today).days, recipient.status)


def _current_award(awards: list[PensionAward], month: int) -> PensionAward | None:
    """The award version in force in ``month`` (``awards`` newest first); before the
    first payment month, the first award."""
    in_force = [a for a in awards if a.effective_month <= month]
    if in_force:
        return max(in_force, key=lambda a: a.version)
    return awards[-1] if awards else None


def _date(errors: list[FieldError], name: str, text: str, *, required: str = "") -> date | None:
    text = text.strip()
    if not text:
        if required:
            errors.append(FieldError(name, required, f"{name} is required"))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors.append(FieldError(name, *DATE_FORMAT))
        return None


def _refuse(errors: list[FieldError]) -> None:
    if errors:
        raise RuleViolation("填写的信息有误，请按提示修改", "Invalid form data", errors=errors)


def _form_errors(error: DomainError | None) -> dict[str, list[str]]:
    return field_messages(error) if error is not None else {}


# --- the staff landing -----------------------------------------------------------------


def _due_context(session: Session, viewer: Viewer, within: int, page: int = 1,
                 sort_text: str = "") -> dict[str, Any]:
    today = date.today()
    sort = service.DUE_SORTING.parse(sort_text)
    listed = {"within": within,
              "sort": "" if sort == service.DUE_SORTING.default else sort.param}
    listing = service.due_page(session, viewer.principal, on=today, within_days=within,
                               page=page, sort=sort)
    return {"due": listing.rows, "listing": listing, "within": within, "due_sort": sort,
            "windows": DUE_WINDOWS, "today": today,
            "query": urlencode({k: v for k, v in listed.items() if v}),
            "export_url": "/pension/due.xlsx?" + urlencode({k: v for k, v in listed.items()
                                                             if v}),
            "cycle_rule": service.certification_cycle(session, viewer.principal.region_code,
                                                      today),
            **_helpers()}


@router.get("/pension")
def pension_home(
    request: Request, session: SessionDep, viewer: Reader, q: str = "", within: int = 31,
    page: PageNumber = 1, sort: str = "",
) -> HTMLResponse:
    """Recipients of the region by status, the certification due-list (overdue and
    suspended first, the month-11 reminders marked; ``sort`` its order), and finding a
    person."""
    actor = viewer.principal
    within = within if within in DUE_WINDOWS else DUE_WINDOWS[0]
    context = _due_context(session, viewer, within, page, sort)
    if is_fragment_request(request, "due-list"):
        return render(request, T + "_due_list.html", context, viewer=viewer, headers=VARY)
    q = q.strip()
    people: list[Any] = []
    total = 0
    statuses: dict[int, str] = {}
    if q:
        found = registry.search_persons(session, actor, q=q, size=SEARCH_LIMIT)
        total = found.total
        people = [registry.view_person(p, actor, full=False) for p in found.items]
        statuses = service.recipient_statuses(session, actor, [p.id for p in people])
    counts = service.recipient_counts(session, actor)
    due = service.due_counts(session, actor, on=context["today"], within_days=within)
    return render(request, T + "index.html", {
        **context, "title": "养老待遇", "active": "pension", "q": q, "people": people,
        "people_total": total, "statuses": statuses, "counts": counts,
        "reminders": due.reminders, "overdue": due.overdue,
    }, viewer=viewer, headers=VARY)


@router.get("/pension/due.xlsx")
def due_export(session: SessionDep, viewer: Reader, within: int = 31,
               sort: str = "") -> Response:
    """The whole certification due-list of the window as .xlsx, in the list's order;
    audited (``pension.export``)."""
    actor = viewer.principal
    within = within if within in DUE_WINDOWS else DUE_WINDOWS[0]
    today = date.today()
    order = service.DUE_SORTING.parse(sort)
    items = service.all_due(session, actor, on=today, within_days=within, sort=order)
    content = exports.audited_xlsx(
        session, actor, action="pension.export", subject_type="certification_due_date",
        subject_id=str(within), filters={"within": within, "on": today.isoformat(),
                                         "sort": order.param},
        sheet="待遇资格认证到期",
        headers=["人员编号", "姓名", "居住地", "上次认证", "认证截止", "状态", "应提醒"],
        rows=([d.person_id, d.name, regions.name_of(d.region) or d.region,
               d.last_certified_date.isoformat(), d.certification_due_date.isoformat(),
               STATUS_LABELS.get(d.status, d.status), "是" if d.reminder_due else ""]
              for d in items))
    return exports.xlsx_response(content, f"待遇资格认证到期-{today.isoformat()}.xlsx")


# --- a recipient (staff) -----------------------------------------------------------------


def _blank_certify_form() -> dict[str, str]:
    return {"method": "", "on": date.today().isoformat(), "node": "", "evidence": ""}


def _blank_award_form() -> dict[str, str]:
    return {"retirement_date": "", "scheme": "employee", "bank_account": "",
            "resident_basic_pension": "", "category": "", "route": "statutory",
            "route_evidence": ""}


def _person_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    person_id: int,
    *,
    notice: str = "",
    certify_form: dict[str, str] | None = None,
    certify_error: DomainError | None = None,
    award_form: dict[str, str] | None = None,
    award_error: DomainError | None = None,
) -> HTMLResponse:
    actor = viewer.principal
    person = registry.view_person(registry.person_for_read(session, actor, person_id), actor)
    today = date.today()
    context: dict[str, Any] = {
        "title": f"养老待遇 · {person.name}", "active": "pension", "person": person,
        "notice": NOTICES.get(notice, ""), "view": None, "today": today,
        "method_options": STAFF_METHOD_OPTIONS, "node_options": NODE_OPTIONS,
        "scheme_options": SCHEME_OPTIONS, "category_options": CATEGORY_OPTIONS,
        "route_options": ROUTE_OPTIONS,
        "certify_form": certify_form or _blank_certify_form(),
        "certify_errors": _form_errors(certify_error),
        "award_form": award_form or _blank_award_form(),
        "award_errors": _form_errors(award_error),
        "missing_months": None, "peer_node": "sc" if get_settings().node_id == "cq" else "cq",
        **_helpers(),
    }
    error = certify_error or award_error
    context["problem"] = error.page_problem() if error else None
    if award_error is not None and "missing_months" in award_error.extra:
        missing = int(award_error.extra["missing_months"])
        context["missing_months"] = missing
        context["missing_text"] = months_text(missing)
    if service.is_recipient(session, person_id):
        view = service.pension_view(session, actor, person_id)
        context.update({
            "view": view, "cycle": _cycle(view.recipient, today),
            "award": _current_award(view.awards, month_of(today)),
            "account": _masked_account(view.recipient.bank_account),
            "certifications": service.certifications_of(session, actor, person_id),
            "can_certify": actor.can("pension:certify") and view.recipient.status != "stopped",
            "overpaid": sum((o.amount for o in view.overpayments if o.status == "to_recover"),
                            Decimal("0.00")),
        })
    else:
        context["can_award"] = actor.can("pension:award") and person.status == "alive"
    return render(request, T + "person.html", context, viewer=viewer,
                  status_code=error.status_code if error else 200)


@router.get("/pension/person/{person_id}")
def pension_person(
    request: Request, session: SessionDep, viewer: Reader, person_id: int, notice: str = ""
) -> HTMLResponse:
    """A recipient's status, award versions, payments, overpayments and certifications
    (an audited read); for a person not in payment, the award form."""
    return _person_page(request, session, viewer, person_id, notice=notice)


@router.post("/pension/person/{person_id}/certify")
def pension_certify(
    request: Request,
    session: SessionDep,
    viewer: Certifier,
    person_id: int,
    method: Annotated[str, Form()] = "",
    on: Annotated[str, Form()] = "",
    node: Annotated[str, Form()] = "",
    evidence: Annotated[str, Form()] = "",
) -> Response:
    """待遇资格认证 entered by staff: data comparison, home visit, or at the other
    province's node (就地认); a suspended payment resumes with back-pay."""
    form = {"method": method, "on": on, "node": node, "evidence": evidence}
    try:
        errors: list[FieldError] = []
        if method not in dict(STAFF_METHOD_OPTIONS):
            errors.append(FieldError("method", "请选择认证方式", "choose a method"))
        day = _date(errors, "on", on, required="请填写认证日期")
        if method == "peer_node" and node not in NODE_LABELS:
            errors.append(FieldError("node", "川渝就地认证须选择认证地", "choose the node"))
        if len(evidence.strip()) > 200:
            errors.append(FieldError("evidence", "认证依据不能超过 200 字",
                                     "at most 200 characters"))
        _refuse(errors)
        resumes = service.recipient_status(session, person_id) == "suspended"
        with session.begin_nested():  # a refused certification leaves nothing behind
            service.certify(session, viewer.principal, person_id, method=method, on=day,
                            node=node if method == "peer_node" else None,
                            evidence=evidence.strip())
    except DomainError as error:
        return _person_page(request, session, viewer, person_id, certify_form=form,
                            certify_error=error)
    notice = "resumed" if resumes else "certified"
    return RedirectResponse(f"/pension/person/{person_id}?notice={notice}#certification",
                            status_code=303)


def _amount(errors: list[FieldError], name: str, text: str) -> Decimal | None:
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        errors.append(FieldError(name, "应为金额，如 203.00", "an amount"))
        return None
    if value < 0 or value != value.quantize(Decimal("0.01")):
        errors.append(FieldError(name, "应为不小于 0、最多两位小数的金额", "an amount in fen"))
        return None
    return value


@router.post("/pension/person/{person_id}/award")
def pension_award(
    request: Request,
    session: SessionDep,
    viewer: Awarder,
    person_id: int,
    retirement_date: Annotated[str, Form()] = "",
    scheme: Annotated[str, Form()] = "employee",
    bank_account: Annotated[str, Form()] = "",
    resident_basic_pension: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    route: Annotated[str, Form()] = "statutory",
    route_evidence: Annotated[str, Form()] = "",
) -> Response:
    """退休待遇核定: compute the award from the person's contribution record and put them
    in payment; too few contribution months is refused with the months missing, a date
    before the statutory retirement date (without a lawful route) with that date."""
    form = {"retirement_date": retirement_date, "scheme": scheme, "bank_account": bank_account,
            "resident_basic_pension": resident_basic_pension, "category": category,
            "route": route, "route_evidence": route_evidence}
    try:
        errors: list[FieldError] = []
        day = _date(errors, "retirement_date", retirement_date, required="请填写退休日期")
        if scheme not in SCHEME_LABELS:
            errors.append(FieldError("scheme", "请选择养老保险类型", "choose a scheme"))
        if route not in rules.ROUTE_LABELS:
            errors.append(FieldError("route", "请选择退休途径", "choose a route"))
        if category and category not in CATEGORY_LABELS:
            errors.append(FieldError("category", "请选择人员类别", "choose a category"))
        if len(route_evidence) > 100:
            errors.append(FieldError("route_evidence", "提前退休依据最多 100 个字",
                                     "at most 100 characters"))
        account = bank_account.strip().replace(" ", "")
        if not account:
            errors.append(FieldError("bank_account", "请填写发放养老金的银行账号（社保卡金融账户）",
                                     "give the bank account"))
        elif not account.isdigit() or len(account) > 32:
            errors.append(FieldError("bank_account", "银行账号应为 32 位以内的数字",
                                     "digits, at most 32"))
        # Left empty, the resident basic pension is the rulebook's (the service says so
        # when there is none).
        basic = _amount(errors, "resident_basic_pension", resident_basic_pension)
        _refuse(errors)
        assert day is not None
        try:
            with session.begin_nested():
                service.award_pension(session, viewer.principal, person_id, retirement_date=day,
                                      scheme=scheme, bank_account=account,
                                      category=category or None, route=route,
                                      route_evidence=route_evidence,
                                      resident_basic_pension=basic if scheme == "resident"
                                      else None)
        except RuleViolation as refused:  # the estimator's field names → the form's
            for e in refused.errors:
                e.field = AWARD_ERROR_FIELDS.get(e.field, e.field)
            raise
    except DomainError as error:
        return _person_page(request, session, viewer, person_id, award_form=form,
                            award_error=error)
    return RedirectResponse(f"/pension/person/{person_id}?notice=awarded", status_code=303)


# --- the payroll -------------------------------------------------------------------------


def _is_running(run: PensionPayrollRun | None, now: datetime) -> bool:
    if run is None or run.finished_at is not None:
        return False
    started = run.started_at if run.started_at.tzinfo else run.started_at.replace(
        tzinfo=now.tzinfo)  # SQLite hands back naive UTC
    return now - started < RUN_STALE_AFTER


def _payroll_context(session: Session, viewer: Viewer, month: int) -> dict[str, Any]:
    actor = viewer.principal
    runs = service.payroll_runs(session, actor, month=month, limit=50)
    latest = runs[0] if runs else None
    finished = next((r for r in runs if r.finished_at is not None), None)
    by_region = [(code, region_label(code), count, amount)
                 for code, count, amount in service.summary_by_region(session, month)]
    statuses = service.payroll_status_counts(session, actor, month)
    return {
        "month": label(month), "runs_of_month": runs, "latest": latest, "finished": finished,
        "running": _is_running(latest, utcnow()),
        "interrupted": latest is not None and latest.finished_at is None
        and not _is_running(latest, utcnow()),
        "by_region": by_region,
        "region_total": (sum(r[2] for r in by_region),
                         sum((r[3] for r in by_region), Decimal("0.00"))),
        "district_chart": charts.bar(
            [name for _, name, _, _ in by_region],
            [charts.series("发放金额", [amount for _, _, _, amount in by_region])],
            horizontal=True, unit="元", digits=2),
        "count_chart": charts.bar(
            [name for _, name, _, _ in by_region],
            [charts.series("发放笔数", [count for _, _, count, _ in by_region])],
            horizontal=True, unit="笔"),
        "district_chart_height": 60 + 36 * len(by_region),
        "statuses": statuses,
        "csv_url": f"/api/v1/pension/payroll/{label(month)}/disbursement.csv",
        **_helpers(),
    }


def _payroll_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    month: str = "",
    notice: str = "",
    result: dict[str, int] | None = None,
    run_form: dict[str, str] | None = None,
    run_error: DomainError | None = None,
    returns_error: DomainError | None = None,
    started_after: int | None = None,
) -> HTMLResponse:
    actor = viewer.principal
    history = service.payroll_runs(session, actor, limit=24)
    problem = None
    try:
        period = parse_month(month) if month.strip() else None
    except RuleViolation as bad:
        period, problem = None, bad
    if period is None:
        period = history[0].payroll_month if history else month_of(date.today())
    context = _payroll_context(session, viewer, period)
    # Just started: the run has not written its row yet (it starts after the response).
    context["waiting"] = started_after is not None and not any(
        r.id > started_after for r in context["runs_of_month"])
    context["started_after"] = started_after
    context["notice_code"] = notice
    if is_fragment_request(request, "payroll-result"):
        # The run history sits outside the polled fragment: refresh it out of band.
        return render(request, T + "_payroll_result.html",
                      {**context, "history": history, "runs_oob": True},
                      viewer=viewer, headers=VARY)
    error = run_error or returns_error or problem
    return render(request, T + "payroll.html", {
        **context, "title": "养老金发放", "active": "pension", "history": history,
        "notice": NOTICES.get(notice, ""), "result": result,
        "run_form": run_form or {"month": label(month_of(date.today()))},
        "active_recipients": service.recipient_counts(session, actor)["active"]
        if actor.can("pension:read") else 0,
        "run_errors": _form_errors(run_error),
        "returns_errors": _form_errors(returns_error),
        "problem": error.page_problem() if error else None,
    }, viewer=viewer, status_code=error.status_code if error else 200, headers=VARY)


@router.get("/pension/payroll")
def payroll_page(
    request: Request, session: SessionDep, viewer: PayrollOfficer, month: str = "",
    notice: str = "", paid: int | None = None, failed: int | None = None,
    unmatched: int = 0, after: int | None = None,
) -> HTMLResponse:
    """Run a month's payroll; its totals, control sum (SM3 of the bank file), the table
    by district, the disbursement file and the bank returns; earlier runs."""
    result = {"paid": paid, "failed": failed, "unmatched": unmatched} \
        if paid is not None and failed is not None else None
    return _payroll_page(request, session, viewer, month=month, notice=notice, result=result,
                         started_after=after if notice == "started" else None)


@router.post("/pension/payroll/run")
def payroll_run(
    request: Request,
    session: SessionDep,
    viewer: PayrollOfficer,
    factory: SessionFactoryDep,
    background: BackgroundTasks,
    month: Annotated[str, Form()] = "",
) -> Response:
    """养老金发放 for a month. The run starts once this request's transaction has ended
    and commits range by range itself; running a month again pays no one twice and
    completes an interrupted run."""
    form = {"month": month}
    try:
        period = parse_month(month)
        latest_month = add_months(month_of(date.today()), 1)
        if period > latest_month:
            raise invalid_field("month", f"最多只能发放到 {label(latest_month)}（本月或下月）",
                                "at most next month")
        runs = service.payroll_runs(session, viewer.principal, month=period, limit=1)
        if runs and _is_running(runs[0], utcnow()):
            raise Conflict(f"{label(period)} 的发放正在进行中，请稍后刷新查看结果",
                           "This month's payroll is running")
        last = service.payroll_runs(session, viewer.principal, limit=1)
    except DomainError as error:
        return _payroll_page(request, session, viewer, month=month, run_form=form,
                             run_error=error)
    background.add_task(service.run_payroll, factory, viewer.principal, month=label(period))
    after = last[0].id if last else 0
    return RedirectResponse(f"/pension/payroll?month={label(period)}&notice=started"
                            f"&after={after}", status_code=303)


def _bank_returns(content: bytes) -> list[tuple[int, str]]:
    """The bank's returns: ``payment_id,reason`` per failed payment; a header row and
    blank lines are skipped."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise invalid_field("file", "回盘文件应为 UTF-8 编码的 CSV", "a UTF-8 CSV") from None
    failures: list[tuple[int, str]] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip():
            continue
        first = row[0].strip()
        if number == 1 and not first.isdigit():
            continue  # the header
        if not first.isdigit():
            raise invalid_field("file", f"第 {number} 行的支付编号“{first}”无效",
                                f"line {number}: not a payment id")
        failures.append((int(first), row[1].strip() if len(row) > 1 else ""))
    return failures


@router.post("/pension/payroll/{month}/returns")
def payroll_returns(
    request: Request,
    session: SessionDep,
    viewer: PayrollOfficer,
    month: str,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """回盘: the listed payments failed (re-queued in the next payroll); every other
    payment sent in the month is paid."""
    try:
        period = parse_month(month)
        if file is None or not file.filename:
            raise invalid_field("file", "请选择银行回盘文件（CSV）", "choose the returns file")
        failures = _bank_returns(file.file.read())
        with session.begin_nested():
            paid, failed = service.reconcile(session, viewer.principal, month=label(period),
                                             failures=failures)
    except DomainError as error:
        return _payroll_page(request, session, viewer, month=month, returns_error=error)
    return RedirectResponse(
        f"/pension/payroll?month={label(period)}&notice=reconciled&paid={paid}"
        f"&failed={failed}&unmatched={len(failures) - failed}", status_code=303)


# --- the poverty report --------------------------------------------------------------------


@router.get("/pension/poverty")
def poverty_page(
    request: Request, session: SessionDep, viewer: Reader, region: str = "", year: str = "",
    month: str = "",
) -> HTMLResponse:
    """建档立卡贫困人员 三个100%: 应保尽保, 应缴尽缴, 应发尽发 per district, and who falls
    short (masked, linked to their records)."""
    actor = viewer.principal
    groups = region_groups(actor)
    codes = {d.code for _, divisions in groups for d in divisions}
    today = date.today()
    problems: list[str] = []
    if region and region not in codes:
        problems.append("请选择您管辖范围内的区县")
        region = ""
    year_value = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else today.year
    if year and str(year_value) != year:
        problems.append("年度应为 2000—2100 之间的四位数字")
    try:
        period = parse_month(month) if month.strip() else month_of(today)
    except RuleViolation:
        problems.append("月份格式应为“年-月”，如 2026-10")
        period = month_of(today)
    report = service.poverty_report(session, actor, region=region, year=year_value,
                                     month=label(period))
    rows = [{"code": d.region, "name": region_label(d.region), "d": d}
            for d in report.districts]
    total = {key: sum(getattr(d, key) for d in report.districts)
             for key in ("should_enrol", "enrolled", "should_pay", "paid", "eligible_benefit",
                         "paid_benefit")}

    def people(ids: list[int]) -> list[Any]:
        return [registry.view_person(p, actor, full=False)
                for p in insurance.persons_by_ids(session, actor, ids)]

    names = [region_label(d.region) for d in report.districts]

    return render(request, T + "poverty.html", {
        "title": "贫困人员三个100%", "active": "pension", "groups": groups, "region": region,
        "year": year_value, "month": label(period), "report": report, "rows": rows,
        "total": total, "not_enrolled": people(report.not_enrolled_ids),
        "not_paid": people(report.not_paid_ids),
        "benefit_not_paid": people(report.benefit_not_paid_ids), "problems": problems,
        "charts": _poverty_charts(report.districts, names, total), **_helpers(),
    }, viewer=viewer)


#: The three 100 %: (key of the dial, name, the part and the whole of ``DistrictChecks``).
THREE_CHECKS = (("enrol", "应保尽保率", "enrolled", "should_enrol"),
                ("pay", "应缴尽缴率", "paid", "should_pay"),
                ("benefit", "应发尽发率", "paid_benefit", "eligible_benefit"))


def _poverty_charts(districts: list[service.DistrictChecks], names: list[str],
                    total: dict[str, int]) -> dict[str, Any]:
    """The poverty report's charts, from the figures of its table: each of the three rates
    of the whole scope on a dial against 100 %, and the three rates district by district
    (:func:`rate`, the table's own percentages)."""
    return {
        "dials": [(key, name, charts.gauge(rate(total[part], total[whole]), name=name,
                                          target=100, digits=2))
                  for key, name, part, whole in THREE_CHECKS],
        "districts": charts.bar(names, [
            charts.series(name, [rate(getattr(d, part), getattr(d, whole))
                                 for d in districts])
            for _, name, part, whole in THREE_CHECKS], horizontal=True, unit="%", digits=2),
        "districts_height": 80 + 48 * len(names),
    }


# --- the citizen's hall ----------------------------------------------------------------------


def _my_page(
    request: Request, session: Session, viewer: Viewer, *, notice: str = "",
    error: DomainError | None = None,
) -> HTMLResponse:
    actor = viewer.principal
    today = date.today()
    context: dict[str, Any] = {
        "title": "我的养老金", "person": None, "view": None, "notice": NOTICES.get(notice, ""),
        "problem": error.page_problem() if error else None, "today": today, **_helpers(),
    }
    if actor.person_id is not None:
        person = registry.person_for_read(session, actor, actor.person_id)
        context["person"] = registry.view_person(person, actor)
        if service.is_recipient(session, person.id):
            view = service.pension_view(session, actor, person.id)
            this_month = month_of(today)
            award = _current_award(view.awards, this_month)
            context.update({
                "view": view, "award": award, "cycle": _cycle(view.recipient, today),
                "cycle_rule": service.certification_cycle(session, person.residence_region,
                                                          today),
                # A version from a later month (an uplift announced ahead), newest first.
                "upcoming": next((a for a in view.awards
                                  if award is not None and a.version > award.version), None),
                "account": _masked_account(view.recipient.bank_account),
                "certifications": service.certifications_of(session, actor, person.id,
                                                            limit=5),
            })
    return render(request, T + "my_pension.html", context, viewer=viewer,
                  status_code=error.status_code if error else 200)


@router.get("/my/pension")
def my_pension(
    request: Request, session: SessionDep, viewer: Pensioner, notice: str = ""
) -> HTMLResponse:
    """我的养老金: the monthly amount and its parts, the award history, my certification
    status with a countdown, the self-service certification, recent payments."""
    return _my_page(request, session, viewer, notice=notice)


@router.post("/my/pension/certify")
def my_pension_certify(request: Request, session: SessionDep, viewer: Pensioner) -> Response:
    """自助认证 (face check). In this system the face check itself is simulated: pressing
    the button is taken as a successful liveness and face comparison by the person."""
    person_id = viewer.principal.person_id
    if person_id is None:
        raise NotFound("您的账户尚未关联登记信息", "Your account is not linked to a person")
    resumes = service.recipient_status(session, person_id) == "suspended"
    try:
        with session.begin_nested():
            service.certify(session, viewer.principal, person_id, method="face")
    except DomainError as error:
        return _my_page(request, session, viewer, error=error)
    notice = "self_resumed" if resumes else "self_certified"
    return RedirectResponse(f"/my/pension?notice={notice}#certification", status_code=303)
