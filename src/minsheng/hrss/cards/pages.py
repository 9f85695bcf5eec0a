"""Card pages: the clerk's counter (find a person's card, issue, every transition, the
history) and the citizen's "我的社保卡" in the online service hall.

Handlers parse the form, call one card service function inside a savepoint (a refused
action leaves nothing behind), and redirect or render. A refused activation is not an
exception: the service returns it, so the audit event recording it is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.hrss.cards import rules, service
from minsheng.hrss.cards.models import SocialSecurityCard
from minsheng.hrss.cards.rules import CardAction, CardState
from minsheng.hrss.registry import service as registry
from minsheng.platform.config import get_settings
from minsheng.platform.errors import DomainError, NotFound, RuleViolation
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.templating import (
    Viewer,
    is_fragment_request,
    page_router,
    page_user_with,
    render,
)

router = page_router()

Reader = Annotated[Viewer, Depends(page_user_with("cards:read"))]
Clerk = Annotated[Viewer, Depends(page_user_with("cards:write"))]
Holder = Annotated[Viewer, Depends(page_user_with("cards:self"))]

SEARCH_LIMIT = 20
#: Form ``action`` → (service action, notice after it).
FORM_ACTIONS = {
    "issue": CardAction.ISSUE,
    "activate": CardAction.ACTIVATE,
    "report_temporary": CardAction.REPORT_LOSS_TEMPORARY,
    "report_formal": CardAction.REPORT_LOSS_FORMAL,
    "cancel_loss_report": CardAction.CANCEL_LOSS_REPORT,
    "replace": CardAction.REPLACE,
}
#: What a cardholder may do online; issue and replace need the counter.
HOLDER_ACTIONS = frozenset({CardAction.ACTIVATE, CardAction.REPORT_LOSS_TEMPORARY,
                            CardAction.REPORT_LOSS_FORMAL, CardAction.CANCEL_LOSS_REPORT})
NOTICES = {
    "applied": "申领已提交，制卡完成后请到经办窗口领取。",
    "issued": "社保卡已制发，请持卡人核验身份后启用。",
    "issue": "社保卡已发放，请持卡人核验身份后启用。",
    "activate": "社保卡已启用。",
    "report_loss_temporary": "已办理临时挂失。",
    "report_loss_formal": "已办理正式挂失，如需新卡请到经办窗口办理补换。",
    "cancel_loss_report": "已解挂，社保卡恢复挂失前的状态。",
    "replace": "已补换：旧卡作废，新卡已制发，请核验身份后启用新卡。",
}
STATE_BADGES = {
    CardState.APPLIED: "badge-muted", CardState.ISSUED: "badge-info",
    CardState.ACTIVE: "badge-ok", CardState.LOSS_REPORTED_TEMPORARY: "badge-warn",
    CardState.LOSS_REPORTED: "badge-bad", CardState.REPLACED: "badge-muted",
    CardState.CANCELLED: "badge-muted",
}


@dataclass(frozen=True)
class CardForm:
    action: str
    version: int | None
    resident_id: str = ""
    name: str = ""
    reason: str = ""


def _version(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _do(session: Session, viewer: Viewer, card_no: str, form: CardForm) -> SocialSecurityCard:
    """Run the form's action; a refused activation is raised here *after* its audit
    event was written outside the savepoint that a refusal rolls back."""
    action = FORM_ACTIONS.get(form.action)
    if action is None:
        raise RuleViolation("未知的办理事项", "Unknown action")
    actor = viewer.principal
    if not actor.can("cards:write") and action not in HOLDER_ACTIONS:
        actor.require("cards:write")
    refusal: DomainError | None = None
    with session.begin_nested():
        if action is CardAction.ACTIVATE:
            outcome = service.activate_card(session, actor, card_no,
                                            resident_id=form.resident_id, name=form.name,
                                            expected_version=form.version)
            refusal = outcome.refusal
            if refusal is None:
                return outcome.card
        elif action is CardAction.ISSUE:
            return service.issue_card(session, actor, card_no, expected_version=form.version)
        elif action is CardAction.REPLACE:
            return service.replace_card(session, actor, card_no, reason=form.reason or None,
                                        expected_version=form.version)
        elif action is CardAction.CANCEL_LOSS_REPORT:
            return service.cancel_loss_report(session, actor, card_no,
                                              expected_version=form.version)
        else:
            kind = "temporary" if action is CardAction.REPORT_LOSS_TEMPORARY else "formal"
            return service.report_loss(session, actor, card_no, kind=kind,
                                       expected_version=form.version)
    assert refusal is not None
    raise refusal  # after the savepoint with the refusal's audit event was released


def _card_context(
    session: Session, viewer: Viewer, person_id: int, selected: str | None = None
) -> dict[str, Any]:
    """A person's cards: the one shown (live, else newest, else ``selected``) in full
    with its history (an audited read for staff), the others as a list."""
    actor = viewer.principal
    cards = service.cards_of_person(session, actor, person_id)
    live = next((c for c in cards if rules.is_live(CardState(c.state))), None)
    chosen = next((c for c in cards if c.card_no == selected), None) if selected else None
    chosen = chosen or live or (cards[0] if cards else None)
    view = None
    if chosen is not None:
        view = service.view_card(session, actor, service.read_card(session, actor,
                                                                    chosen.card_no))
    allowed = [CardAction(a) for a in view.allowed_actions] if view else []
    if not actor.can("cards:write"):
        allowed = [a for a in allowed if a in HOLDER_ACTIONS]
    return {
        "card": view,
        "cards": [service.view_card(session, actor, c, with_events=False) for c in cards],
        "has_live": live is not None,
        "allowed": {a.value for a in allowed},
        "badges": {s.value: STATE_BADGES[s] for s in CardState},
        "labels": {s.value: rules.STATE_LABELS[s] for s in CardState},
        "loss_days": get_settings().card_temporary_loss_days,
        "reasons": service.REPLACEMENT_REASONS,
    }


def _notice(code: str) -> str:
    return NOTICES.get(code, "")


# --- the counter -------------------------------------------------------------------


@router.get("/cards")
def cards_home(
    request: Request, session: SessionDep, viewer: Reader, q: str = ""
) -> Response:
    """Find a card by number, or a person by name or resident ID; with the counts of the
    clerk's region by state."""
    actor = viewer.principal
    q = q.strip()
    rows = []
    total = 0
    # Search as you type swaps only the results; a card number found there is offered
    # as a link (the search form itself goes straight to the card).
    fragment = is_fragment_request(request, "card-results")
    card_found = None
    if q:
        number = q.upper()
        if number[:2].isalpha() and number[2:].isdigit():
            try:
                holder = service.holder_of(session, actor, number)
            except NotFound:
                holder = None
            if holder is not None and not fragment:
                return RedirectResponse(f"/cards/person/{holder}?card={number}",
                                        status_code=303)
            if holder is not None:
                card_found = {"number": number, "url": f"/cards/person/{holder}?card={number}"}
        found = registry.search_persons(session, actor, q=q, size=SEARCH_LIMIT)
        total = found.total
        for person in found.items:
            live = service.live_card_of(session, actor, person.id)
            rows.append({"person": registry.view_person(person, actor, full=False),
                         "card": service.view_card(session, actor, live, with_events=False)
                         if live is not None else None})
    results = {"q": q, "rows": rows, "total": total, "card_found": card_found,
               "badges": {s.value: STATE_BADGES[s] for s in CardState}}
    if fragment:
        return render(request, "cards/_results.html", results, viewer=viewer)
    counts = service.count_by_state(session, actor)
    e_tokens, e_holders = service.e_card_counts(session, actor)
    holders = service.cardholder_count(session, actor)
    return render(request, "cards/index.html", {
        "title": "社会保障卡", "active": "cards", **results,
        "counts": counts, "labels": {s.value: rules.STATE_LABELS[s] for s in CardState},
        "e_tokens": e_tokens, "e_holders": e_holders, "holders": holders,
    }, viewer=viewer)


def _person_page(
    request: Request, session: Session, viewer: Viewer, person_id: int, *,
    selected: str | None = None, notice: str = "", error: DomainError | None = None,
    e_card: service.IssuedECard | None = None, form: dict[str, str] | None = None,
) -> HTMLResponse:
    actor = viewer.principal
    person = registry.view_person(registry.person_for_read(session, actor, person_id), actor)
    return render(request, "cards/person_cards.html", {
        "title": f"社会保障卡 · {person.name}", "active": "cards", "person": person,
        "notice": notice, "problem": error.page_problem() if error else None,
        "e_card": e_card, "qr": e_card.qr_svg(inline=True) if e_card else "",
        "form": form or {}, "action_base": "/cards",
        **_card_context(session, viewer, person_id, selected),
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/cards/person/{person_id}")
def person_cards(
    request: Request, session: SessionDep, viewer: Reader, person_id: int,
    card: str = "", notice: str = "",
) -> HTMLResponse:
    return _person_page(request, session, viewer, person_id, selected=card or None,
                        notice=_notice(notice))


@router.post("/cards/person/{person_id}/apply")
def person_apply(
    request: Request, session: SessionDep, viewer: Clerk, person_id: int
) -> Response:
    """Make and hand over a card at the counter (即时制卡)."""
    try:
        with session.begin_nested():
            card = service.apply_for_card(session, viewer.principal, person_id)
    except DomainError as error:
        return _person_page(request, session, viewer, person_id, error=error)
    return RedirectResponse(f"/cards/person/{person_id}?card={card.card_no}&notice=issued",
                            status_code=303)


@router.post("/cards/person/{person_id}/e-card")
def person_e_card(
    request: Request, session: SessionDep, viewer: Clerk, person_id: int
) -> HTMLResponse:
    try:
        with session.begin_nested():
            issued = service.issue_e_card(session, viewer.principal, person_id)
    except DomainError as error:
        return _person_page(request, session, viewer, person_id, error=error)
    return _person_page(request, session, viewer, person_id, e_card=issued,
                        notice="电子社保卡二维码已生成。")


@router.post("/cards/{card_no}/action")
def card_action(
    request: Request,
    session: SessionDep,
    viewer: Clerk,
    card_no: str,
    action: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    resident_id: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    form = CardForm(action, _version(version), resident_id, name, reason)
    person_id = service.holder_of(session, viewer.principal, card_no)
    try:
        card = _do(session, viewer, card_no, form)
    except DomainError as error:
        return _person_page(request, session, viewer, person_id, selected=card_no,
                            error=error, form={"resident_id": resident_id, "name": name})
    notice = FORM_ACTIONS[action].value
    return RedirectResponse(f"/cards/person/{card.person_id}?card={card.card_no}"
                            f"&notice={notice}", status_code=303)


# --- the citizen's hall --------------------------------------------------------------


def _my_page(
    request: Request, session: Session, viewer: Viewer, *, notice: str = "",
    error: DomainError | None = None, e_card: service.IssuedECard | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    actor = viewer.principal
    context: dict[str, Any] = {
        "title": "我的社保卡", "notice": notice,
        "problem": error.page_problem() if error else None, "e_card": e_card,
        "qr": e_card.qr_svg(inline=True) if e_card else "", "form": form or {},
        "action_base": "/my/card", "person": None, "refresh_url": "/my/card/e-card",
    }
    if actor.person_id is not None:
        person = registry.person_for_read(session, actor, actor.person_id)
        context["person"] = registry.view_person(person, actor)
        context.update(_card_context(session, viewer, person.id))
    return render(request, "cards/my_card.html", context, viewer=viewer,
                  status_code=error.status_code if error else 200)


@router.get("/my/card")
def my_card(
    request: Request, session: SessionDep, viewer: Holder, notice: str = ""
) -> HTMLResponse:
    return _my_page(request, session, viewer, notice=_notice(notice))


def _own_person(viewer: Viewer) -> int:
    if viewer.principal.person_id is None:
        raise NotFound("您的账户尚未关联登记信息", "Your account is not linked to a person")
    return viewer.principal.person_id


@router.post("/my/card/apply")
def my_card_apply(request: Request, session: SessionDep, viewer: Holder) -> Response:
    try:
        with session.begin_nested():
            service.apply_for_card(session, viewer.principal, _own_person(viewer))
    except DomainError as error:
        return _my_page(request, session, viewer, error=error)
    return RedirectResponse("/my/card?notice=applied", status_code=303)


@router.post("/my/card/e-card")
def my_e_card(request: Request, session: SessionDep, viewer: Holder) -> HTMLResponse:
    try:
        with session.begin_nested():
            issued = service.issue_e_card(session, viewer.principal, _own_person(viewer))
    except DomainError as error:
        return _my_page(request, session, viewer, error=error)
    return _my_page(request, session, viewer, e_card=issued,
                    notice="电子社保卡二维码已生成，请在有效期内出示。")


@router.post("/my/card/{card_no}/action")
def my_card_action(
    request: Request,
    session: SessionDep,
    viewer: Holder,
    card_no: str,
    action: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    resident_id: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
) -> Response:
    form = CardForm(action, _version(version), resident_id, name)
    try:
        _do(session, viewer, card_no, form)
    except DomainError as error:
        return _my_page(request, session, viewer, error=error,
                        form={"resident_id": resident_id, "name": name})
    return RedirectResponse(f"/my/card?notice={FORM_ACTIONS[action].value}", status_code=303)
