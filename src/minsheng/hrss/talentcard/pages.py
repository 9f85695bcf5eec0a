"""英才服务卡 pages: the talent's 我的英才服务卡 (apply, the card with a QR code that
refreshes itself, book a service, follow and rate the bookings); the staff's card list
(applications to review first, paged, Excel export), a card's page with its steps, and
the services work-list (overdue first, in red); the public verification page.

Handlers parse the form, call one service function inside a savepoint (a refused form
leaves nothing behind) and redirect, or show the page again with the problem.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Person
from minsheng.hrss.talentcard import rules
from minsheng.hrss.talentcard.models import TalentCard, TalentServiceBooking
from minsheng.hrss.talentcard.schemas import CardApply
from minsheng.hrss.talentcard.service import bookings, cards, figures, verify
from minsheng.hrss.talentcard.service._common import services_in_force, tiers_in_force
from minsheng.platform import exports
from minsheng.platform.errors import DomainError, RuleViolation, invalid_field
from minsheng.platform.ids import mask_resident_id
from minsheng.platform.paging import PageNumber
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import attempt, page_problem, required_date
from minsheng.platform.web.templating import Viewer, page_router, page_user_with, render

router = page_router()

Reader = Annotated[Viewer, Depends(page_user_with("talent:read"))]
Writer = Annotated[Viewer, Depends(page_user_with("talent:write"))]
Reviewer = Annotated[Viewer, Depends(page_user_with("talent:review"))]
Talent = Annotated[Viewer, Depends(page_user_with("talent:self"))]

T = "talentcard/"
BADGES = {"applied": "badge-warn", "approved": "badge-info", "refused": "badge-muted",
          "active": "badge-ok", "revoked": "badge-muted", "expired": "badge-muted",
          "requested": "badge-info", "delivered": "badge-ok"}
NOTICES = {
    "applied": "申请已提交，审核通过后即可领取英才服务卡。",
    "booked": "服务已预约，承办单位将在办理时限内办结。",
    "rated": "感谢您的评价。",
    "saved": "已办理。",
    "issued": "英才服务卡已发放。",
    "delivered": "服务已办结。",
    "expired": "到期处理已完成。",
}
CARD_STATES = {s.value: label for s, label in rules.STATE_LABELS.items()}
BOOKING_STATES = {s.value: label for s, label in rules.BOOKING_STATE_LABELS.items()}


def _helpers(session: Session, region: str = "50") -> dict[str, Any]:
    today = date.today()
    tiers = tiers_in_force(session, region, today)
    return {"card_states": CARD_STATES, "booking_states": BOOKING_STATES, "badges": BADGES,
            "basis_labels": {k.value: v for k, v in rules.BASIS_LABELS.items()},
            "tier_names": {t.code: t.name for t in tiers}, "tiers": tiers,
            "satisfaction_labels": rules.SATISFACTION_LABELS, "today": today,
            "skill_labels": rules.SKILL_LEVEL_LABELS,
            "effective": lambda c: rules.effective_state(
                rules.CardState(c.state), c.valid_until, today).value}




def _version(text: str) -> int | None:
    return int(text) if text.strip().isdigit() and len(text.strip()) < 10 else None




# --- the talent -------------------------------------------------------------------------


def _my_page(request: Request, session: Session, viewer: Viewer, *,
             problem: DomainError | None = None, notice: str = "",
             status_code: int = 200) -> HTMLResponse:
    actor = viewer.principal
    mine = cards.my_cards(session, actor)
    today = date.today()
    current = next((c for c in mine if rules.effective_state(
        rules.CardState(c.state), c.valid_until, today) is rules.CardState.ACTIVE), None)
    pending = next((c for c in mine if c.state in ("applied", "approved")), None)
    region = mine[0].region if mine else "50"
    if actor.person_id is not None and not mine:
        region = registry.person_for_read(session, actor, actor.person_id).residence_region
    return render(request, T + "my_card.html", {
        "title": "我的英才服务卡", "active": "talentcard", "linked": actor.person_id is not None,
        "cards": mine, "card": current, "pending": pending,
        "bookings": bookings.mine(session, actor) if actor.person_id else [],
        "services": services_in_force(session, region, today),
        "refresh_seconds": verify.REFRESH_SECONDS,
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""),
        **_helpers(session, region),
    }, viewer=viewer, status_code=status_code)


@router.get("/my/talent/card")
def my_card(request: Request, session: SessionDep, viewer: Talent,
            done: str = "") -> HTMLResponse:
    return _my_page(request, session, viewer, notice=done)


@router.get("/my/talent/card/code")
def my_card_code(request: Request, session: SessionDep, viewer: Talent) -> HTMLResponse:
    """The QR fragment the card page fetches again every minute (a fresh 5-minute code)."""
    actor = viewer.principal
    today = date.today()
    card = next((c for c in cards.my_cards(session, actor) if rules.effective_state(
        rules.CardState(c.state), c.valid_until, today) is rules.CardState.ACTIVE), None)
    issued = verify.issue_code(session, actor, card.card_no) if card and card.card_no else None
    return render(request, T + "_code.html", {"issued": issued,
                                              "qr": issued.qr_svg() if issued else ""},
                  viewer=viewer)


@router.post("/my/talent/card/apply")
def my_apply(request: Request, session: SessionDep, viewer: Talent,
             tier: Annotated[str, Form()] = "", basis_kind: Annotated[str, Form()] = "",
             basis_value: Annotated[str, Form()] = "",
             basis_note: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal
    if actor.person_id is None:
        return _my_page(request, session, viewer)
    person_id = actor.person_id

    def apply() -> None:
        if basis_kind not in {k.value for k in rules.BasisKind}:
            raise invalid_field("basis_kind", "请选择申领依据", "choose the basis")
        if not basis_value.strip() or len(basis_value) > 40:
            raise invalid_field("basis_value", "请填写依据内容", "state the basis")
        if not tier.strip() or len(tier) > 32:
            raise invalid_field("tier", "请选择英才服务卡等级", "choose a tier")
        cards.apply(session, actor, CardApply.model_validate({
            "person_id": person_id, "tier": tier.strip(), "basis_kind": basis_kind,
            "basis_value": basis_value.strip(), "basis_note": basis_note.strip()[:200]}))

    error = attempt(session, apply)
    if error:
        return _my_page(request, session, viewer, problem=error, status_code=error.status_code)
    return RedirectResponse("/my/talent/card?done=applied", status_code=303)


@router.post("/my/talent/card/services")
def my_book(request: Request, session: SessionDep, viewer: Talent,
            card_no: Annotated[str, Form()] = "",
            service_code: Annotated[str, Form()] = "",
            note: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal

    def book() -> None:
        if not service_code.strip() or len(service_code) > 32:
            raise invalid_field("service_code", "请选择服务项目", "choose a service")
        bookings.book(session, actor, card_no.strip()[:32], service_code.strip(), date.today(),
                      note=note[:200])

    error = attempt(session, book)
    if error:
        return _my_page(request, session, viewer, problem=error, status_code=error.status_code)
    return RedirectResponse("/my/talent/card?done=booked", status_code=303)


@router.post("/my/talent/card/services/{booking_id}/rate")
def my_rate(request: Request, session: SessionDep, viewer: Talent, booking_id: IdPath,
            satisfaction: Annotated[str, Form()] = "",
            version: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal

    def rate() -> None:
        if not satisfaction.strip().isdigit() or len(satisfaction) > 1:
            raise invalid_field("satisfaction", "请选择满意度", "choose a score")
        bookings.rate(session, actor, booking_id, int(satisfaction), version=_version(version))

    error = attempt(session, rate)
    if error:
        return _my_page(request, session, viewer, problem=error, status_code=error.status_code)
    return RedirectResponse("/my/talent/card?done=rated", status_code=303)


# --- staff: cards -------------------------------------------------------------------------


def _cards_page(request: Request, session: Session, viewer: Viewer, *, state: str, q: str,
                page: int, problem: DomainError | None = None, notice: str = "",
                status_code: int = 200, sort: str = "") -> HTMLResponse:
    actor = viewer.principal
    state = state if state in CARD_STATES else ""
    q = q.strip()[:40]
    order = cards.CARD_SORTING.parse(sort)
    sort_param = "" if order == cards.CARD_SORTING.default else order.param
    listing = cards.cards_page(session, actor, state=state, q=q, page=page, sort=order)
    today = date.today()
    year = figures.summary(session, actor, date(today.year, 1, 1), today)
    return render(request, T + "cards.html", {
        "title": "英才服务卡", "active": "talentcard", "listing": listing,
        "holders": cards.holder_names(session, listing.rows), "state": state, "q": q,
        "query": urlencode({k: v for k, v in {"state": state, "q": q, "sort": sort_param}.items()
                            if v}),
        "card_sort": order, "card_sorting_default": cards.CARD_SORTING.default,
        "counts": cards.state_counts(session, actor),
        "service_counts": bookings.open_counts(session, actor, today), "year": year,
        "mask": mask_resident_id, "problem": page_problem(problem),
        "notice": NOTICES.get(notice, ""), **_helpers(session, actor.region_code or "50"),
    }, viewer=viewer, status_code=status_code)


@router.get("/talent/cards")
def card_list(request: Request, session: SessionDep, viewer: Reader, state: str = "",
              q: str = "", page: PageNumber = 1, done: str = "", sort: str = "") -> HTMLResponse:
    return _cards_page(request, session, viewer, state=state, q=q, page=page, notice=done,
                       sort=sort)


@router.get("/talent/cards.xlsx")
def card_export(session: SessionDep, viewer: Reader, state: str = "",
                q: str = "", sort: str = "") -> Response:
    """The card list as .xlsx, in the list's order; audited (``talentcard.export``)."""
    actor = viewer.principal
    state = state if state in CARD_STATES else ""
    rows = list(cards.all_cards(session, actor, state=state, q=q.strip()[:40],
                                sort=cards.CARD_SORTING.parse(sort)))
    holders = cards.holder_names(session, rows)
    today = date.today()

    def row(c: TalentCard) -> list[Any]:
        name, resident_id = holders.get(c.person_id, ("", ""))
        effective = rules.effective_state(rules.CardState(c.state), c.valid_until, today)
        return [c.card_no or "", name, exports.resident_id_for(actor, resident_id), c.tier,
                rules.BASIS_LABELS.get(rules.BasisKind(c.basis_kind), "直接发卡")
                if c.basis_kind != "direct" else "直接发卡", c.basis_value,
                c.applied_on.isoformat(), c.issued_on.isoformat() if c.issued_on else "",
                c.valid_until.isoformat() if c.valid_until else "",
                rules.STATE_LABELS[effective]]

    content = exports.audited_xlsx(
        session, actor, action="talentcard.export", subject_type="talent_cards",
        subject_id=actor.region_code or "", filters={"state": state, "q": q}, sheet="英才服务卡",
        headers=["卡号", "姓名", "公民身份号码", "等级", "申领依据", "依据内容", "申请日期",
                 "发卡日期", "有效期至", "状态"],
        rows=(row(c) for c in rows))
    return exports.xlsx_response(content, "英才服务卡.xlsx")


@router.post("/talent/cards")
def card_issue_direct(request: Request, session: SessionDep, viewer: Reviewer,
                      resident_id: Annotated[str, Form()] = "",
                      tier: Annotated[str, Form()] = "",
                      note: Annotated[str, Form()] = "") -> Response:
    """A reviewer issues a card directly for a person found eligible."""
    actor = viewer.principal

    def issue() -> None:
        person = registry.find_by_resident_id(session, resident_id.strip()[:18])
        if person is None:
            raise invalid_field("person_id", "未找到该公民身份号码的人员",
                                "no person with that ID number")
        if not tier.strip() or len(tier) > 32:
            raise invalid_field("tier", "请选择英才服务卡等级", "choose a tier")
        cards.issue_direct(session, actor, person.id, tier.strip(), note=note[:200])

    error = attempt(session, issue)
    if error:
        return _cards_page(request, session, viewer, state="", q="", page=1, problem=error,
                           status_code=error.status_code)
    return RedirectResponse("/talent/cards?done=issued", status_code=303)


@router.post("/talent/cards/expire")
def card_expire(request: Request, session: SessionDep, viewer: Writer) -> Response:
    error = attempt(session, lambda: cards.expire_cards(session, viewer.principal))
    if error:
        return _cards_page(request, session, viewer, state="", q="", page=1, problem=error,
                           status_code=error.status_code)
    return RedirectResponse("/talent/cards?done=expired", status_code=303)


def _card_detail(request: Request, session: Session, viewer: Viewer, card_id: int, *,
                 problem: DomainError | None = None, notice: str = "",
                 status_code: int = 200) -> HTMLResponse:
    actor = viewer.principal
    card = cards.application(session, actor, card_id)
    cards.record_read(session, actor, card)
    holder = registry.person_for_read(session, actor, card.person_id)
    return render(request, T + "card.html", {
        "title": f"英才服务卡 {card.card_no or '申请'}", "active": "talentcard", "c": card,
        "holder": holder, "resident_id": exports.resident_id_for(actor, holder.resident_id),
        "bookings": bookings.of_card(session, actor, card),
        "record": cards.on_record(session, card),
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""),
        **_helpers(session, card.region),
    }, viewer=viewer, status_code=status_code)


@router.get("/talent/cards/services")
def service_list(request: Request, session: SessionDep, viewer: Reader,
                 overdue: bool = False, delivered: bool = False, page: PageNumber = 1,
                 done: str = "", sort: str = "") -> HTMLResponse:
    return _services_page(request, session, viewer, overdue=overdue, delivered=delivered,
                          page=page, notice=done, sort=sort)


@router.get("/talent/cards/services.xlsx")
def service_export(session: SessionDep, viewer: Reader, overdue: bool = False,
                   delivered: bool = False, sort: str = "") -> Response:
    actor = viewer.principal
    state = "delivered" if delivered else "requested"
    rows = list(bookings.all_bookings(session, actor, overdue=overdue, state=state,
                                      sort=bookings.SERVICE_SORTING.parse(sort)))
    holders = _holders_of(session, rows)
    today = date.today()

    def row(b: TalentServiceBooking) -> list[Any]:
        overdue_now = rules.is_overdue(rules.BookingState(b.state), b.due_on, today)
        return [b.id, holders.get(b.person_id, ""), b.service_name, b.provider,
                b.requested_on.isoformat(), b.due_on.isoformat(),
                BOOKING_STATES.get(b.state, b.state) + ("（已超期）" if overdue_now else ""),
                b.delivered_on.isoformat() if b.delivered_on else "",
                rules.SATISFACTION_LABELS.get(b.satisfaction or 0, "")]

    content = exports.audited_xlsx(
        session, actor, action="talentcard.export", subject_type="talent_services",
        subject_id=actor.region_code or "", filters={"overdue": overdue, "state": state},
        sheet="英才服务卡服务事项",
        headers=["编号", "持卡人", "服务项目", "承办单位", "申请日期", "办理时限", "状态",
                 "办结日期", "满意度"],
        rows=(row(b) for b in rows))
    return exports.xlsx_response(content, "英才服务卡服务事项.xlsx")


def _holders_of(session: Session, rows: list[TalentServiceBooking]) -> dict[int, str]:
    ids = {b.person_id for b in rows}
    if not ids:
        return {}
    return {i: n for i, n in session.execute(
        select(Person.id, Person.name).where(Person.id.in_(ids)))}


def _services_page(request: Request, session: Session, viewer: Viewer, *, overdue: bool,
                   delivered: bool, page: int, problem: DomainError | None = None,
                   notice: str = "", status_code: int = 200, sort: str = "") -> HTMLResponse:
    actor = viewer.principal
    state = "delivered" if delivered else "requested"
    order = bookings.SERVICE_SORTING.parse(sort)
    sort_param = "" if order == bookings.SERVICE_SORTING.default else order.param
    listing = bookings.worklist_page(session, actor, overdue=overdue, state=state, page=page,
                                     sort=order)
    return render(request, T + "services.html", {
        "title": "英才服务卡服务事项", "active": "talentcard", "listing": listing,
        "holders": _holders_of(session, listing.rows), "overdue": overdue,
        "delivered": delivered,
        "query": urlencode({name: value for name, value in
                            (("overdue", "true" if overdue else ""),
                             ("delivered", "true" if delivered else ""), ("sort", sort_param))
                            if value}),
        "service_sort": order, "service_sorting_default": bookings.SERVICE_SORTING.default,
        "counts": bookings.open_counts(session, actor, date.today()),
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""),
        **_helpers(session, actor.region_code or "50"),
    }, viewer=viewer, status_code=status_code)


@router.post("/talent/cards/services/{booking_id}/deliver")
def service_deliver(request: Request, session: SessionDep, viewer: Writer,
                    booking_id: IdPath, on: Annotated[str, Form()] = "",
                    version: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal
    error = attempt(session, lambda: bookings.deliver(session, actor, booking_id,
                                                      required_date(on, "on"),
                                                      version=_version(version)))
    if error:
        return _services_page(request, session, viewer, overdue=False, delivered=False,
                              page=1, problem=error, status_code=error.status_code)
    return RedirectResponse("/talent/cards/services?done=delivered", status_code=303)


@router.get("/talent/cards/verify")
def verify_page(request: Request, session: SessionDep, token: str = "") -> HTMLResponse:
    """核验英才服务卡 (public): paste or scan the code; the result in Chinese."""
    result = verify.verify(session, token[:2000]) if token.strip() else None
    return render(request, T + "verify.html", {
        "title": "英才服务卡核验", "token": token[:2000], "result": result,
    }, status_code=200 if result is None or result.valid else 404)


@router.get("/talent/cards/{card_id}")
def card_detail(request: Request, session: SessionDep, viewer: Reader, card_id: IdPath,
                done: str = "") -> HTMLResponse:
    return _card_detail(request, session, viewer, card_id, notice=done)


@router.post("/talent/cards/{card_id}/{action}")
def card_action(request: Request, session: SessionDep, viewer: Reader, card_id: IdPath,
                action: str, reason: Annotated[str, Form()] = "",
                on: Annotated[str, Form()] = "",
                version: Annotated[str, Form()] = "") -> Response:
    """One step of a card: approve, refuse, issue, renew or revoke."""
    actor = viewer.principal
    actor.require_any("talent:write", "talent:review")
    seen = _version(version)

    def step() -> None:
        day = required_date(on, "on") if on.strip() else date.today()
        if action in ("approve", "refuse"):
            cards.review(session, actor, card_id, approve=action == "approve",
                         note=reason[:200], on=day, version=seen)
        elif action == "issue":
            cards.issue(session, actor, card_id, on=day, version=seen)
        elif action in ("renew", "revoke"):
            card = cards.application(session, actor, card_id)
            if card.card_no is None:
                raise RuleViolation("该申请尚未发卡", "The application has no card yet")
            if action == "renew":
                cards.renew(session, actor, card.card_no, on=day, version=seen)
            else:
                cards.revoke(session, actor, card.card_no, reason[:200], on=day, version=seen)
        else:
            raise RuleViolation("没有这一办理步骤", f"Unknown step {action!r}")

    error = attempt(session, step)
    if error:
        return _card_detail(request, session, viewer, card_id, problem=error,
                            status_code=error.status_code)
    return RedirectResponse(f"/talent/cards/{card_id}?done=saved", status_code=303)
