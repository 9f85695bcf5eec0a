"""Unemployment pages: the citizen's "失业保险" (register as unemployed, claim benefit, my
payments), the employer's refund status, and the staff pages (registrations and claims
with decisions and stops; the job-stabilisation refund year with its batch, approval and
payment list).

Handlers parse the form, call one service function inside a savepoint (a refused form
leaves nothing behind) and redirect, or show the page again with the problem.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.hrss.unemployment import rules, service
from minsheng.hrss.unemployment.refunds import service as refunds
from minsheng.platform import exports, regions
from minsheng.platform.cases import service as cases
from minsheng.platform.errors import DomainError, invalid_field
from minsheng.platform.messages import DATE_FORMAT
from minsheng.platform.months import label, month_of
from minsheng.platform.paging import PageNumber
from minsheng.platform.web import charts
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import attempt
from minsheng.platform.web.templating import (
    Viewer,
    is_fragment_request,
    page_router,
    page_user_with,
    render,
)

router = page_router()

Reader = Annotated[Viewer, Depends(page_user_with("unemployment:read"))]
Writer = Annotated[Viewer, Depends(page_user_with("unemployment:write"))]
Claimant = Annotated[Viewer, Depends(page_user_with("unemployment:self"))]
EmployerUser = Annotated[Viewer, Depends(page_user_with("unemployment:employer"))]
Reviewer = Annotated[Viewer, Depends(page_user_with("unemployment:refund_approve"))]
RefundOfficer = Annotated[Viewer, Depends(page_user_with("unemployment:refunds"))]

T = "unemployment/"
CLAIM_LABELS = {"pending": "待审核", "active": "领取中", "suspended": "已暂停",
                "stopped": "已停发", "exhausted": "已领完", "rejected": "不予核准"}
CLAIM_BADGES = {"pending": "badge-warn", "active": "badge-ok", "suspended": "badge-bad",
                "stopped": "badge-muted", "exhausted": "badge-muted", "rejected": "badge-bad"}
PAYMENT_LABELS = {"queued": "待送盘", "sent": "已送盘", "paid": "已到账", "failed": "失败",
                  "cancelled": "已取消"}
PAYMENT_BADGES = {"queued": "badge-muted", "sent": "badge-info", "paid": "badge-ok",
                  "failed": "badge-bad", "cancelled": "badge-muted"}
REFUND_LABELS = {"computed": "待复核", "approved": "已核准", "rejected": "已驳回",
                 "paid": "已拨付"}
REFUND_BADGES = {"computed": "badge-warn", "approved": "badge-info", "rejected": "badge-bad",
                 "paid": "badge-ok"}
SIZE_LABELS = {"large": "大型企业", "sme": "中小微企业"}
GRANT_LABELS = {"granted": "已核定", "unpriced": "待核定"}
SOURCE_LABELS = {"confirmed": "已核实", "secondary": "单一来源", "unconfirmed": "未核实"}
SOURCE_BADGES = {"confirmed": "badge-ok", "secondary": "badge-info", "unconfirmed": "badge-warn"}
NOTICES = {
    "registered": "失业登记已办理。符合条件的，可以在下方申领失业保险金。",
    "claimed": "申领已提交，经办机构审核通过后按月发放到您的银行账户。"
               "可上传解除劳动合同证明等材料，并在“我的办件”查看办理进度。",
    "approved": "已核准，下次发放时起按月发放。",
    "rejected": "已作出不予核准决定。",
    "stopped": "已停发。",
    "ended": "失业登记已注销。",
    "computed": "稳岗返还已计算。",
    "reviewed": "复核结果已保存。",
}


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def share(ppm: int) -> str:
    return f"{Decimal(ppm) / 10_000:g}%"


def _helpers() -> dict[str, Any]:
    return {
        "percent": percent, "share": share, "month_label": label,
        "claim_labels": CLAIM_LABELS, "claim_badges": CLAIM_BADGES,
        "payment_labels": PAYMENT_LABELS, "payment_badges": PAYMENT_BADGES,
        "refund_labels": REFUND_LABELS, "refund_badges": REFUND_BADGES,
        "size_labels": SIZE_LABELS, "source_labels": SOURCE_LABELS,
        "source_badges": SOURCE_BADGES, "separation_labels": rules.SEPARATION_REASONS,
        "end_labels": rules.END_REASONS, "stop_labels": rules.STOP_REASONS,
        "refusal_labels": rules.REFUSAL_LABELS, "fund_labels": rules.FUND_SCHEMES,
        "grant_labels": GRANT_LABELS,
    }


def _date(text: str, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise invalid_field(field, *DATE_FORMAT) from exc


# --- citizen --------------------------------------------------------------------------


def _my_page(request: Request, session: Session, viewer: Viewer, *,
             problem: DomainError | None = None, notice: str = "",
             status_code: int = 200) -> HTMLResponse:
    actor = viewer.principal
    view = preview = current = None
    if actor.person_id is not None:
        view = service.person_view(session, actor, actor.person_id)
        current = next((c for c in view.claims if c.status in service.OPEN_CLAIM), None)
        if view.registration is not None and current is None:
            preview = service.preview_claim(session, actor, actor.person_id)
    case = cases.case_of(session, "unemployment_claim", current.id) if current else None
    return render(request, T + "my_unemployment.html", {
        "title": "失业保险", "view": view, "preview": preview, "current": current,
        "case_number": case.number if case else None,
        "today": date.today(),
        "problem": problem.page_problem() if problem else None,
        "notice": NOTICES.get(notice, ""), **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/my/unemployment")
def my_unemployment(request: Request, session: SessionDep, viewer: Claimant,
                    done: str = "") -> HTMLResponse:
    return _my_page(request, session, viewer, notice=done)


@router.post("/my/unemployment/register")
def my_register(request: Request, session: SessionDep, viewer: Claimant,
                separation_reason: Annotated[str, Form()] = "",
                seeking_work: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal
    if actor.person_id is None:
        return _my_page(request, session, viewer)
    person_id = actor.person_id
    error = attempt(session, lambda: service.register_unemployed(
        session, actor, person_id, separation_reason=separation_reason,
        seeking_work=seeking_work == "yes"))
    if error:
        return _my_page(request, session, viewer, problem=error,
                        status_code=error.status_code)
    return RedirectResponse("/my/unemployment?done=registered", status_code=303)


@router.post("/my/unemployment/claim")
def my_claim(request: Request, session: SessionDep, viewer: Claimant,
             bank_account: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal
    if actor.person_id is None:
        return _my_page(request, session, viewer)
    person_id = actor.person_id
    error = attempt(session, lambda: service.submit_claim(
        session, actor, person_id, bank_account=bank_account.strip()))
    if error:
        return _my_page(request, session, viewer, problem=error,
                        status_code=error.status_code)
    return RedirectResponse("/my/unemployment?done=claimed", status_code=303)


# --- employer ---------------------------------------------------------------------------


@router.get("/my/refunds")
def my_refunds(request: Request, session: SessionDep, viewer: EmployerUser) -> HTMLResponse:
    actor = viewer.principal
    rows = []
    if actor.employer_id is not None:
        rows = refunds.employer_refunds(session, actor, actor.employer_id)
    return render(request, T + "my_refunds.html", {
        "title": "稳岗返还", "refunds": rows, "rules": refunds.refund_rules(session),
        **_helpers()}, viewer=viewer)


# --- staff ------------------------------------------------------------------------------


def _staff_page(request: Request, session: Session, viewer: Viewer, *, show: str = "open",
                problem: DomainError | None = None, notice: str = "",
                status_code: int = 200, cpage: int = 1, rpage: int = 1,
                gpage: int = 1, claim_status: str = "", cq: str = "",
                csort: str = "", rsort: str = "", gsort: str = "") -> HTMLResponse:
    actor = viewer.principal
    show = "all" if show == "all" else "open"
    claim_status = "pending" if claim_status == "pending" else ""
    cq = cq.strip()[:40]
    claim_sort = service.CLAIM_SORTING.parse(csort)
    registration_sort = service.REGISTRATION_SORTING.parse(rsort)
    grant_sort = service.GRANT_SORTING.parse(gsort)
    # Every list's links keep the filters and orders of all three lists.
    claim_filter = {"claims": claim_status, "cq": cq,
                    "csort": "" if claim_sort == service.CLAIM_SORTING.default
                    else claim_sort.param,
                    "rsort": "" if registration_sort == service.REGISTRATION_SORTING.default
                    else registration_sort.param,
                    "gsort": "" if grant_sort == service.GRANT_SORTING.default
                    else grant_sort.param}
    registrations = service.registrations_page(session, actor, open_only=show != "all",
                                               page=rpage, sort=registration_sort)
    claims = service.claims_page(session, actor, status=claim_status or None, page=cpage,
                                 q=cq, sort=claim_sort)
    grants = service.death_grants_page(session, actor, page=gpage, sort=grant_sort)
    fund_month = service.latest_fund_month(session, actor)
    # Search-as-you-type, sort and page links of the claims swap only the claims list.
    template = "_claims.html" if is_fragment_request(request, "claims-list") else "index.html"
    return render(request, T + template, {
        "title": "失业保险", "active": "unemployment",
        "counts": service.registration_counts(session, actor),
        "registrations": registrations.rows, "registration_listing": registrations,
        "registration_query": urlencode({"show": show, "cpage": claims.page,
                                         "gpage": grants.page, **claim_filter}),
        "claims": claims.rows, "claim_listing": claims, "claim_status": claim_status,
        "claim_query": urlencode({"show": show, "rpage": registrations.page,
                                  "gpage": grants.page, **claim_filter}),
        "claim_sort": claim_sort, "claim_sorting": service.CLAIM_SORTING, "cq": cq,
        "claim_export_url": "/unemployment/claims.xlsx?" + urlencode(
            {k: v for k, v in claim_filter.items() if v and k in ("claims", "cq", "csort")}),
        "registration_sort": registration_sort, "grant_sort": grant_sort,
        "registration_export_url": "/unemployment/registrations.xlsx?" + urlencode(
            {"show": show, **({"rsort": claim_filter["rsort"]} if claim_filter["rsort"]
                              else {})}),
        "grants": grants.rows, "grant_listing": grants,
        "grant_query": urlencode({"show": show, "cpage": claims.page,
                                  "rpage": registrations.page, **claim_filter}),
        "fund_month": fund_month,
        "fund_totals": service.fund_totals(session, actor, fund_month) if fund_month else [],
        "rate_checks": service.benefit_rate_checks(session, month_of(date.today())),
        "show": show,
        "today": date.today(), "problem": problem.page_problem() if problem else None,
        "notice": NOTICES.get(notice, ""), **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/unemployment")
def staff_index(request: Request, session: SessionDep, viewer: Reader,
                show: str = "open", done: str = "", cpage: PageNumber = 1,
                rpage: PageNumber = 1, gpage: PageNumber = 1, claims: str = "",
                cq: str = "", csort: str = "", rsort: str = "",
                gsort: str = "") -> HTMLResponse:
    """The region's registrations, claims (``claims=pending``: only those awaiting a
    decision, the workbench's to-do; ``cq`` a name, claim number or whole resident ID,
    searched as it is typed; ``csort`` the order) and death grants (``rsort``, ``gsort``:
    the orders of the registrations and of the grants)."""
    return _staff_page(request, session, viewer, show=show, notice=done, cpage=cpage,
                       rpage=rpage, gpage=gpage, claim_status=claims, cq=cq, csort=csort,
                       rsort=rsort, gsort=gsort)


@router.get("/unemployment/claims.xlsx")
def claims_export(session: SessionDep, viewer: Reader, claims: str = "", cq: str = "",
                  csort: str = "") -> Response:
    """The benefit claims of the region as .xlsx, with the list's filter and order (the
    same rows as the list, every page); audited (``unemployment.export``)."""
    actor = viewer.principal
    status = "pending" if claims == "pending" else ""
    cq = cq.strip()[:40]
    sort = service.CLAIM_SORTING.parse(csort)
    content = exports.audited_xlsx(
        session, actor, action="unemployment.export", subject_type="claims",
        subject_id=actor.region_code or "",
        filters={"status": status, "q": cq, "sort": sort.param}, sheet="失业保险金申领",
        headers=["申领编号", "姓名", "公民身份号码", "起始月份", "缴费月数", "领取期限（月）",
                 "月标准（元）", "状态", "已领月数"],
        rows=([i.claim.claim_no, i.name, exports.resident_id_for(actor, i.resident_id),
               label(i.claim.start_month), i.claim.contribution_months,
               i.claim.entitled_months, i.claim.monthly_amount,
               CLAIM_LABELS.get(i.claim.status, i.claim.status), i.paid_months]
              for i in service.all_claims(session, actor, status=status or None, q=cq,
                                          sort=sort)))
    return exports.xlsx_response(content, "失业保险金申领.xlsx")


@router.get("/unemployment/registrations.xlsx")
def registrations_export(session: SessionDep, viewer: Reader, show: str = "open",
                         rsort: str = "") -> Response:
    """Every unemployment registration of the filter as .xlsx, in the list's order;
    audited."""
    actor = viewer.principal
    open_only = show != "all"
    order = service.REGISTRATION_SORTING.parse(rsort)
    content = exports.audited_xlsx(
        session, actor, action="unemployment.export", subject_type="registrations",
        subject_id=actor.region_code or "", filters={"show": "open" if open_only else "all"},
        sheet="失业登记",
        headers=["姓名", "公民身份号码", "登记日期", "离职原因", "申领", "注销日期", "注销原因"],
        rows=([i.name, exports.resident_id_for(actor, i.resident_id),
               i.registration.registered_date.isoformat(),
               rules.SEPARATION_REASONS.get(i.registration.separation_reason,
                                     i.registration.separation_reason),
               CLAIM_LABELS.get(i.claim_status, i.claim_status) if i.claim_status else "未申领",
               i.registration.ended_date.isoformat() if i.registration.ended_date else "",
               rules.END_REASONS.get(i.registration.end_reason or "",
                                     i.registration.end_reason or "")]
              for i in service.all_registrations(session, actor, open_only=open_only,
                                                 sort=order)))
    return exports.xlsx_response(content, "失业登记.xlsx")


@router.post("/unemployment/claims/{claim_id}/decide")
def staff_decide(request: Request, session: SessionDep, viewer: Writer, claim_id: int,
                 decision: Annotated[str, Form()] = "",
                 note: Annotated[str, Form()] = "") -> Response:
    error = attempt(session, lambda: service.decide_claim(
        session, viewer.principal, claim_id, approve=decision == "approve", note=note))
    if error:
        return _staff_page(request, session, viewer, problem=error,
                           status_code=error.status_code)
    done = "approved" if decision == "approve" else "rejected"
    return RedirectResponse(f"/unemployment?done={done}#claims", status_code=303)


@router.post("/unemployment/claims/{claim_id}/stop")
def staff_stop(request: Request, session: SessionDep, viewer: Writer, claim_id: int,
               reason: Annotated[str, Form()] = "", on: Annotated[str, Form()] = "") -> Response:
    def act() -> None:
        service.stop_benefit(session, viewer.principal, claim_id,
                             on=_date(on, "on") or date.today(), reason=reason)

    error = attempt(session, act)
    if error:
        return _staff_page(request, session, viewer, problem=error,
                           status_code=error.status_code)
    return RedirectResponse("/unemployment?done=stopped#claims", status_code=303)


@router.post("/unemployment/registrations/{person_id}/end")
def staff_end(request: Request, session: SessionDep, viewer: Writer, person_id: int,
              reason: Annotated[str, Form()] = "", on: Annotated[str, Form()] = "") -> Response:
    def act() -> None:
        service.end_registration(session, viewer.principal, person_id,
                                 _date(on, "on") or date.today(), reason)

    error = attempt(session, act)
    if error:
        return _staff_page(request, session, viewer, problem=error,
                           status_code=error.status_code)
    return RedirectResponse("/unemployment?done=ended", status_code=303)


def _refund_page(request: Request, session: Session, viewer: Viewer, year: int, *,
                 problem: DomainError | None = None, notice: str = "", result: Any = None,
                 status_code: int = 200, page: int = 1, sort: str = "",
                 pending: bool = False) -> HTMLResponse:
    actor = viewer.principal
    all_rules = refunds.refund_rules(session)
    rule = next((r for r in all_rules if r.year == year), None)
    order = refunds.REFUND_SORTING.parse(sort)
    sort_param = "" if order == refunds.REFUND_SORTING.default else order.param
    listing = refunds.refunds_page(session, actor, year=year, page=page, sort=order,
                                   pending=pending)
    districts = refunds.refunds_by_district(session, actor, year=year)
    kept = {**({"pending": "1"} if pending else {}), **({"sort": sort_param} if sort_param else {})}
    return render(request, T + "refunds.html", {
        "title": "稳岗返还", "active": "unemployment", "year": year, "rule": rule,
        "years": [r.year for r in all_rules],
        "totals": refunds.refund_totals(session, actor, year=year),
        "items": listing.rows, "listing": listing, "refund_sort": order, "pending": pending,
        "query": urlencode({"year": year, **kept}),
        "export_url": f"/unemployment/refunds/{year}.xlsx?{urlencode(kept)}",
        "problem": problem.page_problem() if problem else None,
        "notice": NOTICES.get(notice, ""), "result": result, **_helpers(),
        "districts": districts,
        "district_chart": _district_chart(districts) if districts else None,
        "district_chart_height": 80 + 36 * len(districts),
    }, viewer=viewer, status_code=status_code)


def _district_chart(districts: list[refunds.DistrictRefunds]) -> dict[str, Any]:
    """The year's refunds by district, the largest first, stacked by status."""
    return charts.bar(
        [regions.name_of(d.region) or d.region for d in districts],
        [charts.series("待复核", [d.computed for d in districts]),
         charts.series("已核准待拨付", [d.approved for d in districts]),
         charts.series("已拨付", [d.paid for d in districts])],
        horizontal=True, stack=True, unit="元", digits=2)


def _default_year() -> int:
    return min(date.today().year, 2025)


@router.get("/unemployment/refunds")
def refunds_page(request: Request, session: SessionDep, viewer: Reader,
                 year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                 done: str = "", page: PageNumber = 1, sort: str = "",
                 pending: str = "") -> HTMLResponse:
    """A policy year's refunds (``sort`` their order: ``-amount`` by default; ``pending=1``
    only those awaiting review)."""
    return _refund_page(request, session, viewer, year or _default_year(), notice=done,
                        page=page, sort=sort, pending=pending == "1")


@router.get("/unemployment/refunds/{year}.xlsx")
def refunds_export(session: SessionDep, viewer: Reader,
                   year: Annotated[int, Path(ge=2000, le=2100)], sort: str = "",
                   pending: str = "") -> Response:
    """Every employer's refund of the year (``pending=1``: awaiting review) as .xlsx, in
    the list's order; audited (``unemployment.export``)."""
    actor = viewer.principal
    order = refunds.REFUND_SORTING.parse(sort)
    only_pending = pending == "1"
    content = exports.audited_xlsx(
        session, actor, action="unemployment.export", subject_type="refunds",
        subject_id=str(year), filters={"year": year, "sort": order.param,
                                       "pending": only_pending},
        sheet=f"{year}年度稳岗返还",
        headers=["单位", "统一社会信用代码", "缴费（元）", "足额月数", "平均参保人数",
                 "新增领金人数", "裁员率", "规模", "返还（元）", "状态", "不符合原因"],
        rows=([i.employer_name, i.uscc, i.refund.paid_amount, i.refund.paid_months,
               i.refund.average_headcount, i.refund.new_claimants, i.refund.layoff_rate,
               SIZE_LABELS.get(i.refund.size, i.refund.size),
               i.refund.amount if i.refund.eligible else None,
               REFUND_LABELS.get(i.refund.status, i.refund.status) if i.refund.eligible
               else "不符合",
               rules.REFUSAL_LABELS.get(i.refund.refusal or "", i.refund.refusal or "")]
              for i in refunds.all_refunds(session, actor, year=year, sort=order,
                                           pending=only_pending)))
    return exports.xlsx_response(content, f"稳岗返还-{year}.xlsx")


@router.post("/unemployment/refunds/compute")
def refunds_compute(request: Request, session: SessionDep, viewer: RefundOfficer,
                    year: Annotated[int, Form()]) -> Response:
    error = attempt(session, lambda: refunds.compute_refunds(session, viewer.principal,
                                                              year=year))
    if error:
        return _refund_page(request, session, viewer, year, problem=error,
                            status_code=error.status_code)
    return RedirectResponse(f"/unemployment/refunds?year={year}&done=computed",
                            status_code=303)


@router.post("/unemployment/refunds/review")
def refunds_review(request: Request, session: SessionDep, viewer: Reviewer,
                   year: Annotated[int, Form()], decision: Annotated[str, Form()] = "approve",
                   refund_id: Annotated[int | None, Form()] = None) -> Response:
    ids = [refund_id] if refund_id is not None else None
    error = attempt(session, lambda: refunds.review_refunds(
        session, viewer.principal, year=year, refund_ids=ids, approve=decision == "approve"))
    if error:
        return _refund_page(request, session, viewer, year, problem=error,
                            status_code=error.status_code)
    return RedirectResponse(f"/unemployment/refunds?year={year}&done=reviewed",
                            status_code=303)


@router.get("/unemployment/refunds/{year}/payment-list.csv")
def refunds_payment_list(session: SessionDep, viewer: RefundOfficer, year: int) -> Response:
    content = refunds.payment_list(session, viewer.principal, year=year)
    return Response(b"\xef\xbb\xbf" + content, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="refunds-{year}.csv"'})

