"""跨省通办: the counter's page for services done for the other province's node —
pension certification where the pensioner lives (就地认) and card services at the
nearest counter (就近办) — with the counter's own submissions and their delivery state.

The forms call each domain's public exchange use case (``pension.peer``,
``cards.peer``); the list reads the exchange's outbox.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from minsheng.hrss.cards import peer as cards_peer
from minsheng.hrss.pension import peer as pension_peer
from minsheng.platform.errors import DomainError, FieldError, RuleViolation
from minsheng.platform.exchange import kinds
from minsheng.platform.exchange import service as exchange
from minsheng.platform.ids import parse_resident_id
from minsheng.platform.web.deps import SessionDep, SettingsDep
from minsheng.platform.web.forms import attempt, optional_date
from minsheng.platform.web.templating import Viewer, page_router, page_user_with, render

router = page_router()
Counter = Annotated[Viewer, Depends(page_user_with("registry:read"))]

STATES = {"pending": "待送达", "delivered": "对方已办理", "failed": "对方未办理"}
ACTIONS = cards_peer.ACTION_LABELS
LABELS = {"resident_id": "公民身份号码", "on": "认证日期", "place": "认证地",
          "card_no": "社会保障卡号", "name": "姓名", "action": "业务", "kind": "挂失类型"}


def _page(request: Request, session: SessionDep, settings: SettingsDep, viewer: Viewer, *,
          notice: str = "", form: dict[str, str] | None = None, which: str = "",
          error: DomainError | None = None, status_code: int = 200) -> HTMLResponse:
    here = settings.node_id
    return render(request, "crossregion.html", {
        "title": "跨省通办", "active": "crossregion",
        "here": exchange.NODE_NAMES[here], "other": exchange.NODE_NAMES[exchange.other_node(here)],
        "can_certify": viewer.principal.can("pension:certify"),
        "can_cards": viewer.principal.can("cards:write"),
        "submissions": exchange.submissions(session, viewer.principal.username),
        "states": STATES, "kind_label": kinds.label, "actions": ACTIONS, "notice": notice,
        "form": form or {}, "which": which, "error": error, "labels": LABELS,
        "today": date.today().isoformat()}, viewer=viewer, status_code=status_code)


@router.get("/crossregion")
def crossregion_page(request: Request, session: SessionDep, settings: SettingsDep,
                     viewer: Counter, sent: str = "", done: str = "") -> HTMLResponse:
    notice = ""
    if sent in ("certification", "card"):
        notice = "已转送对方节点办理，送达和办理结果见下方列表。"
    elif done in ("certification", "card"):
        notice = "该业务属于本节点，已当场办结。"
    return _page(request, session, settings, viewer, notice=notice)




@router.post("/crossregion/certification")
def certification(request: Request, session: SessionDep, settings: SettingsDep,
                  viewer: Counter, resident_id: Annotated[str, Form()] = "",
                  on: Annotated[str, Form()] = "") -> Response:
    """就地认 at this counter."""
    form = {"resident_id": resident_id[:32], "on": on[:32]}
    outcome: list[pension_peer.CounterOutcome] = []
    error = attempt(session, lambda: outcome.append(pension_peer.certify_at_counter(
        session, viewer.principal, resident_id=resident_id.strip(), place=settings.node_id,
        on=optional_date(on, "on"), node_id=settings.node_id)))
    if error is not None:
        return _page(request, session, settings, viewer, form=form, which="certification",
                     error=error, status_code=error.status_code)
    key = "sent" if outcome[0].state == "sent" else "done"
    return RedirectResponse("/crossregion?" + urlencode({key: "certification"}),
                            status_code=303)


@router.post("/crossregion/card")
def card(request: Request, session: SessionDep, settings: SettingsDep, viewer: Counter,
         card_no: Annotated[str, Form()] = "", resident_id: Annotated[str, Form()] = "",
         name: Annotated[str, Form()] = "", action: Annotated[str, Form()] = "",
         kind: Annotated[str, Form()] = "formal") -> Response:
    """挂失、解挂、启用 at this counter for a card of either node."""
    form = {"card_no": card_no[:32], "resident_id": resident_id[:32], "name": name[:64],
            "action": action[:32], "kind": kind[:16]}
    outcome: list[cards_peer.CounterOutcome] = []

    def act() -> None:
        if action not in ACTIONS:
            raise RuleViolation("请选择业务", "choose the service",
                                errors=[FieldError("action", "请选择业务", "choose")])
        if not 3 <= len(card_no.strip()) <= 20 or not name.strip() or len(name) > 64:
            raise RuleViolation("请填写卡号和姓名", "card number and name are required",
                                errors=[FieldError("card_no", "请填写社会保障卡号", "card no")])
        number = parse_resident_id(resident_id.strip()).number
        request_ = cards_peer.CounterService(
            card_no=card_no.strip(), resident_id=number, name=name.strip(), action=action,
            kind="temporary" if kind == "temporary" else "formal")
        outcome.append(cards_peer.serve_at_counter(session, viewer.principal, request_,
                                                   node_id=settings.node_id))

    error = attempt(session, act)
    if error is not None:
        return _page(request, session, settings, viewer, form=form, which="card",
                     error=error, status_code=error.status_code)
    key = "sent" if outcome[0].state == "sent" else "done"
    return RedirectResponse("/crossregion?" + urlencode({key: "card"}), status_code=303)
