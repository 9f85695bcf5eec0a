"""Labour-relations pages: the staff overview (劳动关系), the dispute and complaint
work-lists sorted by the next statutory date (overdue in red) with a page per case and
its steps, contracts and tripartite bodies; the worker's 劳动维权 (apply for arbitration,
complain, follow each case by its number); the employer's 劳动合同备案.

Handlers parse the form, call one service function inside a savepoint (a refused form
leaves nothing behind) and redirect, or show the page again with the problem.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.labour import rules
from minsheng.hrss.labour.models import InspectionComplaint, LabourDispute
from minsheng.hrss.labour.schemas import (
    CollectiveContractCreate,
    ComplaintCreate,
    ContractCreate,
    DisputeCreate,
    TripartiteBodyCreate,
)
from minsheng.hrss.labour.service import OPEN, complaints, contracts, disputes
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Employer, Person
from minsheng.platform import exports, imports, uploads
from minsheng.platform.errors import DomainError, RuleViolation, invalid_field
from minsheng.platform.paging import PageNumber
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import attempt, optional_date, page_problem, required_date
from minsheng.platform.web.templating import Viewer, page_router, page_user_with, render

router = page_router()

Reader = Annotated[Viewer, Depends(page_user_with("labour:read"))]
CaseWorker = Annotated[Viewer, Depends(page_user_with("labour:case"))]
Registrar = Annotated[Viewer, Depends(page_user_with("labour:write"))]
Worker = Annotated[Viewer, Depends(page_user_with("labour:self"))]
EmployerUser = Annotated[Viewer, Depends(page_user_with("labour:employer"))]

T = "labour/"
STATE_BADGES = {"received": "badge-warn", "arbitrating": "badge-info", "mediating": "badge-info",
                "investigating": "badge-info", "closed": "badge-muted"}
LEVEL_LABELS = {"city": "市级", "district": "区县级", "town": "乡镇（街道）级", "park": "园区"}
NOTICES = {
    "applied": "仲裁申请已提交，仲裁委员会将在收到申请之日起五日内决定是否受理。",
    "complained": "投诉已提交，劳动保障监察机构将在五个工作日内决定是否受理。",
    "saved": "已办理。",
    "filed": "劳动合同已备案。",
    "uploaded": "批量备案已完成。",
    "registered": "三方协调机制已登记。",
}


def _helpers() -> dict[str, Any]:
    return {
        "dispute_states": rules.DISPUTE_STATE_LABELS, "dispute_outcomes":
        rules.DISPUTE_OUTCOME_LABELS, "complaint_states": rules.COMPLAINT_STATE_LABELS,
        "complaint_outcomes": rules.COMPLAINT_OUTCOME_LABELS,
        "claim_types": rules.CLAIM_TYPE_LABELS, "contract_kinds": rules.CONTRACT_KIND_LABELS,
        "collective_kinds": rules.COLLECTIVE_KIND_LABELS,
        "in_force_from": rules.collective_in_force_from,
        "state_badges": STATE_BADGES, "levels": LEVEL_LABELS,
        "dispute_due": disputes.due_of, "complaint_due": complaints.due_of,
        "today": date.today(),
    }




def _amount(text: str, field: str) -> Decimal:
    try:
        value = Decimal(text.strip() or "0")
    except InvalidOperation as exc:
        raise invalid_field(field, "请填写金额（元），如 8000.00", "an amount in yuan") from exc
    if value < 0 or value != value.quantize(Decimal("0.01")) or value >= 10**12:
        raise invalid_field(field, "金额应为不小于0、最多两位小数的数", "a non-negative amount")
    return value


def _int(text: str, field: str, label: str) -> int:
    try:
        return int(text.strip() or "0")
    except ValueError as exc:
        raise invalid_field(field, f"{label}应为整数", "a whole number") from exc


def _employer_by_uscc(session: Session, uscc: str) -> int:
    found = session.scalar(select(Employer.id).where(Employer.uscc == uscc.strip().upper()))
    if found is None:
        raise invalid_field("employer_id", "未找到该统一社会信用代码的用人单位",
                            "no employer with that credit code")
    return found


def _person_by_id_number(session: Session, resident_id: str, field: str) -> int:
    person = registry.find_by_resident_id(session, resident_id)
    if person is None:
        raise invalid_field(field, "未找到该公民身份号码的人员", "no person with that ID number")
    return person.id


def _names(session: Session, person_ids: set[int], employer_ids: set[int]
           ) -> tuple[dict[int, str], dict[int, str]]:
    people: dict[int, str] = {}
    employers: dict[int, str] = {}
    if person_ids:
        people = {i: n for i, n in session.execute(
            select(Person.id, Person.name).where(Person.id.in_(person_ids)))}
    if employer_ids:
        employers = {i: n for i, n in session.execute(
            select(Employer.id, Employer.name).where(Employer.id.in_(employer_ids)))}
    return people, employers




# --- the staff overview -----------------------------------------------------------------


@router.get("/labour")
def overview(request: Request, session: SessionDep, viewer: Reader) -> HTMLResponse:
    """劳动关系: the signing rate, open and overdue cases, the year's closure rates,
    employers in arrears and the tripartite bodies, each leading to its work-list."""
    actor = viewer.principal
    today = date.today()
    year = (date(today.year, 1, 1), today)
    return render(request, T + "index.html", {
        "title": "劳动关系", "active": "labour",
        "signing": contracts.signing_rate(session, actor, on=today),
        "dispute_counts": disputes.open_counts(session, actor, today),
        "complaint_counts": complaints.open_counts(session, actor, today),
        "dispute_rates": disputes.rates(session, actor, *year),
        "complaint_figures": complaints.figures(session, actor, *year),
        "arrears": complaints.arrears(session, actor)[:5],
        "bodies": contracts.body_count(session, actor, today), **_helpers(),
    }, viewer=viewer)


# --- disputes ---------------------------------------------------------------------------


def _disputes_page(request: Request, session: Session, viewer: Viewer, *, state: str,
                   overdue: bool, page: int, problem: DomainError | None = None,
                   notice: str = "", status_code: int = 200, sort: str = "") -> HTMLResponse:
    actor = viewer.principal
    order = disputes.DISPUTE_SORTING.parse(sort)
    sort_param = "" if order == disputes.DISPUTE_SORTING.default else order.param
    state = state if state in {s.value for s in rules.DisputeState} | {OPEN} else ""
    listing = disputes.disputes_page(session, actor, state=state, overdue=overdue, page=page,
                                     sort=order)
    people, employers = _names(session, {d.applicant_person_id for d in listing.rows},
                               {d.employer_id for d in listing.rows})
    return render(request, T + "disputes.html", {
        "title": "劳动争议仲裁", "active": "labour", "listing": listing,
        "people": people, "employers": employers, "state": state, "overdue": overdue,
        # Only the filters set: an empty ``overdue=`` is no boolean (422).
        "query": urlencode({k: v for k, v in {
            "state": state, "overdue": "true" if overdue else "", "sort": sort_param}.items()
            if v}), "case_sort": order,
        "case_sorting_default": disputes.DISPUTE_SORTING.default,
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""), **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/labour/disputes")
def dispute_list(request: Request, session: SessionDep, viewer: Reader, state: str = "",
                 overdue: bool = False, page: PageNumber = 1, done: str = "",
                 sort: str = "") -> HTMLResponse:
    return _disputes_page(request, session, viewer, state=state, overdue=overdue, page=page,
                          notice=done, sort=sort)


@router.get("/labour/disputes.xlsx")
def dispute_export(session: SessionDep, viewer: Reader, state: str = "",
                   overdue: bool = False, sort: str = "") -> Response:
    """The dispute work-list as .xlsx; audited (``labour.export``)."""
    actor = viewer.principal
    state = state if state in {s.value for s in rules.DisputeState} | {OPEN} else ""
    rows = list(disputes.all_disputes(session, actor, state=state, overdue=overdue,
                                      sort=disputes.DISPUTE_SORTING.parse(sort)))
    people, employers = _names(session, {d.applicant_person_id for d in rows},
                               {d.employer_id for d in rows})
    content = exports.audited_xlsx(
        session, actor, action="labour.export", subject_type="disputes",
        subject_id=actor.region_code or "", filters={"state": state, "overdue": overdue},
        sheet="劳动争议案件",
        headers=["案件编号", "申请人", "被申请单位", "请求类别", "请求金额（元）", "收件日期",
                 "下一期限", "状态", "结案方式", "结案日期"],
        rows=(_dispute_row(d, people, employers) for d in rows))
    return exports.xlsx_response(content, "劳动争议案件.xlsx")


def _dispute_row(d: LabourDispute, people: dict[int, str], employers: dict[int, str]
                 ) -> list[Any]:
    due = disputes.due_of(d)
    return [d.case_no, people.get(d.applicant_person_id, ""), employers.get(d.employer_id, ""),
            rules.CLAIM_TYPE_LABELS[rules.ClaimType(d.claim_type)], d.amount,
            d.received_on.isoformat(), due.isoformat() if due else "",
            rules.DISPUTE_STATE_LABELS[rules.DisputeState(d.state)],
            rules.DISPUTE_OUTCOME_LABELS[rules.DisputeOutcome(d.outcome)] if d.outcome else "",
            d.closed_on.isoformat() if d.closed_on else ""]


@router.post("/labour/disputes")
def dispute_register(request: Request, session: SessionDep, viewer: CaseWorker,
                     resident_id: Annotated[str, Form()] = "",
                     uscc: Annotated[str, Form()] = "",
                     claim_type: Annotated[str, Form()] = "",
                     amount: Annotated[str, Form()] = "",
                     received_on: Annotated[str, Form()] = "") -> Response:
    """A case officer records an application received at the counter."""
    actor = viewer.principal

    def register() -> None:
        data = _dispute_form(session, _person_by_id_number(session, resident_id,
                                                           "applicant_person_id"),
                             uscc, claim_type, amount, received_on)
        disputes.apply(session, actor, data)

    error = attempt(session, register)
    if error:
        return _disputes_page(request, session, viewer, state="", overdue=False, page=1,
                              problem=error, status_code=error.status_code)
    return RedirectResponse("/labour/disputes?done=saved", status_code=303)


def _dispute_form(session: Session, person_id: int, uscc: str, claim_type: str, amount: str,
                  received_on: str) -> DisputeCreate:
    if claim_type not in {c.value for c in rules.ClaimType}:
        raise invalid_field("claim_type", "请选择请求类别", "choose the kind of claim")
    return DisputeCreate.model_validate({
        "applicant_person_id": person_id, "employer_id": _employer_by_uscc(session, uscc),
        "claim_type": claim_type, "amount": _amount(amount, "amount"),
        "received_on": required_date(received_on, "received_on")})


def _dispute_detail(request: Request, session: Session, viewer: Viewer, dispute_id: int, *,
                    problem: DomainError | None = None, notice: str = "",
                    status_code: int = 200) -> HTMLResponse:
    actor = viewer.principal
    dispute = disputes.read(session, actor, dispute_id)
    people, employers = _names(session, {dispute.applicant_person_id}, {dispute.employer_id})
    return render(request, T + "dispute.html", {
        "title": f"劳动争议 {dispute.case_no}", "active": "labour", "d": dispute,
        "applicant": people.get(dispute.applicant_person_id, ""),
        "employer": employers.get(dispute.employer_id, ""),
        "limitation": disputes.limitation_ends(session, dispute),
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""), **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/labour/disputes/{dispute_id}")
def dispute_detail(request: Request, session: SessionDep, viewer: Reader, dispute_id: IdPath,
                   done: str = "") -> HTMLResponse:
    return _dispute_detail(request, session, viewer, dispute_id, notice=done)


@router.post("/labour/disputes/{dispute_id}/{action}")
def dispute_action(request: Request, session: SessionDep, viewer: Reader, dispute_id: IdPath,
                   action: str, on: Annotated[str, Form()] = "",
                   outcome: Annotated[str, Form()] = "", days: Annotated[str, Form()] = "",
                   approved_by_note: Annotated[str, Form()] = "",
                   version: Annotated[str, Form()] = "") -> Response:
    """One step of a case: accept, mediate, mediation-failed, extend or close."""
    actor = viewer.principal
    actor.require_any("labour:case", "labour:approve")
    seen = int(version) if version.strip().isdigit() else None

    def step() -> None:
        if action == "accept":
            disputes.accept(session, actor, dispute_id, _required(on), seen)
        elif action == "mediate":
            disputes.start_mediation(session, actor, dispute_id, _required(on), seen)
        elif action == "mediation-failed":
            disputes.mediation_failed(session, actor, dispute_id, _required(on), seen)
        elif action == "extend":
            disputes.extend(session, actor, dispute_id, _int(days, "days", "延长天数"),
                            approved_by_note, seen)
        elif action == "close":
            if outcome not in {o.value for o in rules.DisputeOutcome}:
                raise invalid_field("outcome", "请选择结案方式", "choose the outcome")
            disputes.close(session, actor, dispute_id, outcome, _required(on), version=seen)
        else:
            raise RuleViolation("没有这一办理步骤", f"Unknown step {action!r}")

    error = attempt(session, step)
    if error:
        return _dispute_detail(request, session, viewer, dispute_id, problem=error,
                               status_code=error.status_code)
    return RedirectResponse(f"/labour/disputes/{dispute_id}?done=saved", status_code=303)


def _required(on: str) -> date:
    day = required_date(on, "on")
    assert day is not None
    return day


# --- complaints -------------------------------------------------------------------------


def _complaints_page(request: Request, session: Session, viewer: Viewer, *, state: str,
                     overdue: bool, page: int, problem: DomainError | None = None,
                     notice: str = "", status_code: int = 200, sort: str = "") -> HTMLResponse:
    actor = viewer.principal
    order = complaints.COMPLAINT_SORTING.parse(sort)
    sort_param = "" if order == complaints.COMPLAINT_SORTING.default else order.param
    state = state if state in {s.value for s in rules.ComplaintState} | {OPEN} else ""
    listing = complaints.complaints_page(session, actor, state=state, overdue=overdue,
                                         page=page, sort=order)
    people, employers = _names(session, {c.complainant_person_id for c in listing.rows},
                               {c.employer_id for c in listing.rows})
    return render(request, T + "complaints.html", {
        "title": "劳动保障监察", "active": "labour", "listing": listing,
        "people": people, "employers": employers, "state": state, "overdue": overdue,
        # Only the filters set: an empty ``overdue=`` is no boolean (422).
        "query": urlencode({k: v for k, v in {
            "state": state, "overdue": "true" if overdue else "", "sort": sort_param}.items()
            if v}), "case_sort": order,
        "case_sorting_default": complaints.COMPLAINT_SORTING.default,
        "arrears": complaints.arrears(session, actor),
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""), **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/labour/complaints")
def complaint_list(request: Request, session: SessionDep, viewer: Reader, state: str = "",
                   overdue: bool = False, page: PageNumber = 1, done: str = "",
                   sort: str = "") -> HTMLResponse:
    return _complaints_page(request, session, viewer, state=state, overdue=overdue,
                            page=page, notice=done, sort=sort)


@router.get("/labour/complaints.xlsx")
def complaint_export(session: SessionDep, viewer: Reader, state: str = "",
                     overdue: bool = False, sort: str = "") -> Response:
    """The inspection complaint work-list of the filter as .xlsx (the list's rows and
    order); audited (``labour.export``)."""
    actor = viewer.principal
    state = state if state in {s.value for s in rules.ComplaintState} | {OPEN} else ""
    rows = list(complaints.all_complaints(session, actor, state=state, overdue=overdue,
                                          sort=complaints.COMPLAINT_SORTING.parse(sort)))
    people, employers = _names(session, {c.complainant_person_id for c in rows},
                               {c.employer_id for c in rows})
    content = exports.audited_xlsx(
        session, actor, action="labour.export", subject_type="complaints",
        subject_id=actor.region_code or "", filters={"state": state, "overdue": overdue},
        sheet="劳动保障监察投诉",
        headers=["案件编号", "投诉人", "被投诉单位", "拖欠工资（元）", "涉及人数", "投诉日期",
                 "下一期限", "状态", "处理结果", "结案日期", "追回金额（元）"],
        rows=(_complaint_row(c, people, employers) for c in rows))
    return exports.xlsx_response(content, "劳动保障监察投诉.xlsx")


def _complaint_row(c: InspectionComplaint, people: dict[int, str],
                   employers: dict[int, str]) -> list[Any]:
    due = complaints.due_of(c)
    return [c.case_no, people.get(c.complainant_person_id, ""),
            employers.get(c.employer_id, ""), c.wage_arrears_amount, c.workers_affected,
            c.received_on.isoformat(), due.isoformat() if due else "",
            rules.COMPLAINT_STATE_LABELS[rules.ComplaintState(c.state)],
            rules.COMPLAINT_OUTCOME_LABELS[rules.ComplaintOutcome(c.outcome)]
            if c.outcome else "",
            c.closed_on.isoformat() if c.closed_on else "", c.recovered_amount]


@router.post("/labour/complaints")
def complaint_register(request: Request, session: SessionDep, viewer: CaseWorker,
                       resident_id: Annotated[str, Form()] = "",
                       uscc: Annotated[str, Form()] = "",
                       received_on: Annotated[str, Form()] = "",
                       wage_arrears_amount: Annotated[str, Form()] = "",
                       workers_affected: Annotated[str, Form()] = "",
                       violation_on: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal

    def register() -> None:
        complaints.file_complaint(session, actor, _complaint_form(
            session, _person_by_id_number(session, resident_id, "complainant_person_id"),
            uscc, received_on, wage_arrears_amount, workers_affected, violation_on))

    error = attempt(session, register)
    if error:
        return _complaints_page(request, session, viewer, state="", overdue=False, page=1,
                                problem=error, status_code=error.status_code)
    return RedirectResponse("/labour/complaints?done=saved", status_code=303)


def _complaint_form(session: Session, person_id: int, uscc: str, received_on: str,
                    amount: str, workers: str, violation_on: str) -> ComplaintCreate:
    return ComplaintCreate.model_validate({
        "complainant_person_id": person_id, "employer_id": _employer_by_uscc(session, uscc),
        "received_on": required_date(received_on, "received_on"),
        "wage_arrears_amount": _amount(amount, "wage_arrears_amount"),
        "workers_affected": _int(workers, "workers_affected", "涉及人数"),
        "violation_on": optional_date(violation_on, "violation_on")})


def _complaint_detail(request: Request, session: Session, viewer: Viewer, complaint_id: int,
                      *, problem: DomainError | None = None, notice: str = "",
                      status_code: int = 200) -> HTMLResponse:
    complaint = complaints.read(session, viewer.principal, complaint_id)
    people, employers = _names(session, {complaint.complainant_person_id},
                               {complaint.employer_id})
    return render(request, T + "complaint.html", {
        "title": f"劳动保障监察 {complaint.case_no}", "active": "labour", "c": complaint,
        "complainant": people.get(complaint.complainant_person_id, ""),
        "employer": employers.get(complaint.employer_id, ""),
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""), **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/labour/complaints/{complaint_id}")
def complaint_detail(request: Request, session: SessionDep, viewer: Reader,
                     complaint_id: IdPath, done: str = "") -> HTMLResponse:
    return _complaint_detail(request, session, viewer, complaint_id, notice=done)


@router.post("/labour/complaints/{complaint_id}/{action}")
def complaint_action(request: Request, session: SessionDep, viewer: Reader,
                     complaint_id: IdPath, action: str, on: Annotated[str, Form()] = "",
                     outcome: Annotated[str, Form()] = "",
                     recovered_amount: Annotated[str, Form()] = "",
                     approved_by_note: Annotated[str, Form()] = "",
                     note: Annotated[str, Form()] = "") -> Response:
    """One step of a complaint: accept, extend or close (不予受理 included)."""
    actor = viewer.principal
    actor.require_any("labour:case", "labour:approve")

    def step() -> None:
        if action == "accept":
            complaints.accept(session, actor, complaint_id, _required(on))
        elif action == "extend":
            complaints.extend(session, actor, complaint_id, approved_by_note)
        elif action == "close":
            if outcome not in {o.value for o in rules.ComplaintOutcome}:
                raise invalid_field("outcome", "请选择结案方式", "choose the outcome")
            complaints.close(session, actor, complaint_id, outcome, _required(on),
                             _amount(recovered_amount, "recovered_amount"), note.strip())
        else:
            raise RuleViolation("没有这一办理步骤", f"Unknown step {action!r}")

    error = attempt(session, step)
    if error:
        return _complaint_detail(request, session, viewer, complaint_id, problem=error,
                                 status_code=error.status_code)
    return RedirectResponse(f"/labour/complaints/{complaint_id}?done=saved", status_code=303)


# --- contracts and tripartite bodies ------------------------------------------------------


def _contracts_page(request: Request, session: Session, viewer: Viewer, *, epage: int = 1,
                    npage: int = 1, problem: DomainError | None = None, notice: str = "",
                    status_code: int = 200) -> HTMLResponse:
    actor = viewer.principal
    today = date.today()
    ending = contracts.ending_soon_page(session, actor, on=today, page=epage)
    missing = contracts.without_contract_page(session, actor, on=today, page=npage)
    return render(request, T + "contracts.html", {
        "title": "劳动合同与三方协调", "active": "labour",
        "signing": contracts.signing_rate(session, actor, on=today),
        "ending": ending, "ending_query": urlencode({"npage": missing.page}),
        "missing": missing, "missing_query": urlencode({"epage": ending.page}),
        "bodies": contracts.bodies(session, actor),
        "collective": contracts.collective_contracts(session, actor),
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""), **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/labour/contracts")
def contract_lists(request: Request, session: SessionDep, viewer: Reader,
                   epage: PageNumber = 1, npage: PageNumber = 1, done: str = "") -> HTMLResponse:
    return _contracts_page(request, session, viewer, epage=epage, npage=npage, notice=done)


@router.post("/labour/tripartite-bodies")
def body_register(request: Request, session: SessionDep, viewer: Registrar,
                  name: Annotated[str, Form()] = "", level: Annotated[str, Form()] = "",
                  region: Annotated[str, Form()] = "",
                  established_on: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal

    def register() -> None:
        if level not in LEVEL_LABELS:
            raise invalid_field("level", "请选择层级", "choose the level")
        contracts.register_body(session, actor, TripartiteBodyCreate.model_validate({
            "name": name.strip(), "level": level, "region": region.strip(),
            "established_on": required_date(established_on, "established_on")}))

    error = attempt(session, register)
    if error:
        return _contracts_page(request, session, viewer, problem=error,
                               status_code=error.status_code)
    return RedirectResponse("/labour/contracts?done=registered", status_code=303)


# --- the worker -------------------------------------------------------------------------


def _my_page(request: Request, session: Session, viewer: Viewer, *,
             problem: DomainError | None = None, notice: str = "",
             status_code: int = 200) -> HTMLResponse:
    actor = viewer.principal
    mine_d: list[LabourDispute] = []
    mine_c: list[InspectionComplaint] = []
    if actor.person_id is not None:
        mine_d = disputes.my_disputes(session, actor)
        mine_c = complaints.my_complaints(session, actor)
    _, employers = _names(session, set(), {d.employer_id for d in mine_d}
                          | {c.employer_id for c in mine_c})
    return render(request, T + "my_labour.html", {
        "title": "劳动维权", "disputes": mine_d, "complaints": mine_c,
        "employers": employers, "linked": actor.person_id is not None,
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""), **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/my/labour")
def my_labour(request: Request, session: SessionDep, viewer: Worker,
              done: str = "") -> HTMLResponse:
    return _my_page(request, session, viewer, notice=done)


@router.post("/my/labour/disputes")
def my_apply(request: Request, session: SessionDep, viewer: Worker,
             uscc: Annotated[str, Form()] = "", claim_type: Annotated[str, Form()] = "",
             amount: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal
    if actor.person_id is None:
        return _my_page(request, session, viewer)
    person_id = actor.person_id
    error = attempt(session, lambda: disputes.apply(session, actor, _dispute_form(
        session, person_id, uscc, claim_type, amount, date.today().isoformat())))
    if error:
        return _my_page(request, session, viewer, problem=error, status_code=error.status_code)
    return RedirectResponse("/my/labour?done=applied", status_code=303)


@router.post("/my/labour/complaints")
def my_complain(request: Request, session: SessionDep, viewer: Worker,
                uscc: Annotated[str, Form()] = "",
                wage_arrears_amount: Annotated[str, Form()] = "",
                workers_affected: Annotated[str, Form()] = "",
                violation_on: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal
    if actor.person_id is None:
        return _my_page(request, session, viewer)
    person_id = actor.person_id
    error = attempt(session, lambda: complaints.file_complaint(session, actor, _complaint_form(
        session, person_id, uscc, date.today().isoformat(), wage_arrears_amount,
        workers_affected, violation_on)))
    if error:
        return _my_page(request, session, viewer, problem=error, status_code=error.status_code)
    return RedirectResponse("/my/labour?done=complained", status_code=303)


# --- the employer -----------------------------------------------------------------------


def _employer_page(request: Request, session: Session, viewer: Viewer, *,
                   problem: DomainError | None = None, notice: str = "",
                   report: imports.ImportReport | None = None,
                   status_code: int = 200) -> HTMLResponse:
    actor = viewer.principal
    rows = contracts.employer_contracts(session, actor) if actor.employer_id else []
    collective = contracts.collective_contracts(session, actor) if actor.employer_id else []
    return render(request, T + "my_contracts.html", {
        "title": "劳动合同备案", "rows": rows, "collective": collective,
        "problem": page_problem(problem), "report": report,
        "notice": NOTICES.get(notice, ""), **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/my/labour/contracts")
def my_contracts(request: Request, session: SessionDep, viewer: EmployerUser,
                 done: str = "") -> HTMLResponse:
    return _employer_page(request, session, viewer, notice=done)


@router.post("/my/labour/contracts")
def my_file_contract(request: Request, session: SessionDep, viewer: EmployerUser,
                     resident_id: Annotated[str, Form()] = "",
                     kind: Annotated[str, Form()] = "",
                     start_on: Annotated[str, Form()] = "",
                     end_on: Annotated[str, Form()] = "",
                     probation_months: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal
    if actor.employer_id is None:
        return _employer_page(request, session, viewer)
    employer_id = actor.employer_id

    def file() -> None:
        if kind not in {k.value for k in rules.ContractKind}:
            raise invalid_field("kind", "请选择合同期限类型", "choose the kind of contract")
        contracts.file_contract(session, actor, ContractCreate.model_validate({
            "person_id": _person_by_id_number(session, resident_id, "person_id"),
            "employer_id": employer_id, "kind": kind,
            "start_on": required_date(start_on, "start_on"),
            "end_on": optional_date(end_on, "end_on"),
            "probation_months": _int(probation_months, "probation_months", "试用期月数")}))

    error = attempt(session, file)
    if error:
        return _employer_page(request, session, viewer, problem=error,
                              status_code=error.status_code)
    return RedirectResponse("/my/labour/contracts?done=filed", status_code=303)


@router.post("/my/labour/contracts/upload")
def my_upload_contracts(request: Request, session: SessionDep, viewer: EmployerUser,
                        file: Annotated[UploadFile | None, File()] = None) -> Response:
    """批量备案: every row checked; all filed, or none and the rows to fix listed."""
    actor = viewer.principal
    if actor.employer_id is None:
        return _employer_page(request, session, viewer)
    employer_id = actor.employer_id
    report: list[imports.ImportReport] = []

    def upload() -> None:
        if file is None or not file.filename:
            raise invalid_field("file", "请选择要上传的文件（.xlsx 或 .csv）", "choose a file")
        content = uploads.read_limited(file.file, imports.MAX_IMPORT_BYTES)
        report.append(contracts.import_contracts(session, actor, employer_id, file.filename,
                                                 content))

    error = attempt(session, upload)
    if error:
        return _employer_page(request, session, viewer, problem=error,
                              status_code=error.status_code)
    found = report[0]
    if found.error_rows:
        return _employer_page(request, session, viewer, report=found, status_code=422)
    return RedirectResponse("/my/labour/contracts?done=uploaded", status_code=303)


@router.post("/my/labour/collective-contracts")
def my_file_collective(request: Request, session: SessionDep, viewer: EmployerUser,
                       kind: Annotated[str, Form()] = "", start_on: Annotated[str, Form()] = "",
                       end_on: Annotated[str, Form()] = "",
                       employees_covered: Annotated[str, Form()] = "") -> Response:
    """集体合同备案: the term and the employees it covers."""
    actor = viewer.principal
    if actor.employer_id is None:
        return _employer_page(request, session, viewer)
    employer_id = actor.employer_id

    def file() -> None:
        if kind not in rules.COLLECTIVE_KIND_LABELS:
            raise invalid_field("kind", "请选择集体合同类型", "choose the kind")
        contracts.file_collective(session, actor, CollectiveContractCreate.model_validate({
            "employer_id": employer_id, "kind": kind,
            "start_on": required_date(start_on, "start_on"),
            "end_on": required_date(end_on, "end_on"),
            "employees_covered": _int(employees_covered, "employees_covered", "覆盖职工人数"),
            "filed_on": date.today()}))

    error = attempt(session, file)
    if error:
        return _employer_page(request, session, viewer, problem=error,
                              status_code=error.status_code)
    return RedirectResponse("/my/labour/contracts?done=filed", status_code=303)
