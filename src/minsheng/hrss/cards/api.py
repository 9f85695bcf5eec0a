"""Card JSON API: apply, read, the transitions, and electronic cards.

Who may call what is declared here: ``cards:write`` (clerks) for every action in their
region; ``cards:self`` (citizens) for the self-service ones on their own card (the
service keeps them to it); ``cards:read`` for staff reads. Verifying an e-card QR is
public: it says only masked facts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from minsheng.hrss.cards import peer, service
from minsheng.hrss.cards.schemas import (
    CardActivate,
    CardApply,
    CardCancelLossReport,
    CardIssue,
    CardRead,
    CardReplace,
    CardReportLoss,
    CounterServiceCreate,
    CounterServiceRead,
    ECardIssue,
    ECardIssued,
    ECardPublicKey,
    ECardVerification,
)
from minsheng.platform.errors import RuleViolation
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import CurrentUser, SessionDep, SettingsDep, require
from minsheng.platform.web.problems import render_problem

router = APIRouter(prefix="/api/v1", tags=["cards"])


def require_any(*permissions: str) -> Callable[[Principal], Principal]:
    """A dependency that lets the request through with any one of ``permissions``."""

    def check(principal: CurrentUser) -> Principal:
        principal.require_any(*permissions)
        return principal

    check.__name__ = "require_any_" + "_".join(p.replace(":", "_") for p in permissions)
    return check


CardReader = Annotated[Principal, Depends(require_any("cards:read", "cards:self"))]
#: A clerk, or the cardholder for their own card (activate, report loss, e-card ...).
HolderOrClerk = Annotated[Principal, Depends(require_any("cards:write", "cards:self"))]
CardClerk = Annotated[Principal, Depends(require("cards:write"))]
#: A card number in a path: letters and digits (an unknown one is a 404).
CardNo = Annotated[str, Path(min_length=1, max_length=32, pattern=r"^\s*[A-Za-z0-9]+\s*$",
                             description="社会保障卡号")]


@router.post("/cards", status_code=201, response_model=CardRead)
def apply_for_card(data: CardApply, session: SessionDep, actor: HolderOrClerk) -> CardRead:
    card = service.apply_for_card(session, actor, data.person_id)
    return service.view_card(session, actor, card)


@router.get("/cards/{card_no}", response_model=CardRead)
def read_card(card_no: CardNo, session: SessionDep, actor: CardReader) -> CardRead:
    return service.view_card(session, actor, service.read_card(session, actor, card_no))


@router.get("/persons/{person_id}/cards", response_model=list[CardRead])
def cards_of_person(person_id: IdPath, session: SessionDep, actor: CardReader) -> list[CardRead]:
    return [service.view_card(session, actor, card, with_events=False)
            for card in service.cards_of_person(session, actor, person_id)]


@router.post("/cards/{card_no}/issue", response_model=CardRead)
def issue_card(
    card_no: CardNo, session: SessionDep, actor: CardClerk, data: CardIssue | None = None
) -> CardRead:
    card = service.issue_card(session, actor, card_no,
                              expected_version=data.version if data else None)
    return service.view_card(session, actor, card)


@router.post("/cards/{card_no}/activate", response_model=CardRead,
             responses={403: {"description": "The identity does not match (audited)"}})
def activate_card(
    card_no: CardNo, data: CardActivate, request: Request, session: SessionDep,
    actor: HolderOrClerk,
) -> CardRead | Response:
    outcome = service.activate_card(session, actor, card_no, resident_id=data.resident_id,
                                    name=data.name, expected_version=data.version)
    if outcome.refusal is not None:
        # Returned, not raised: the unit of work commits the audit event of the refusal.
        return render_problem(request, outcome.refusal)
    return service.view_card(session, actor, outcome.card)


@router.post("/cards/{card_no}/report-loss", response_model=CardRead)
def report_loss(
    card_no: CardNo, data: CardReportLoss, session: SessionDep, actor: HolderOrClerk
) -> CardRead:
    card = service.report_loss(session, actor, card_no, kind=data.kind,
                               expected_version=data.version)
    return service.view_card(session, actor, card)


@router.post("/cards/{card_no}/cancel-loss-report", response_model=CardRead)
def cancel_loss_report(
    card_no: CardNo, session: SessionDep, actor: HolderOrClerk,
    data: CardCancelLossReport | None = None,
) -> CardRead:
    card = service.cancel_loss_report(session, actor, card_no,
                                      expected_version=data.version if data else None)
    return service.view_card(session, actor, card)


@router.post("/cards/counter-services", response_model=CounterServiceRead,
             responses={202: {"description": "已转送发卡地节点（川渝通办）"}})
def counter_service(data: CounterServiceCreate, session: SessionDep, settings: SettingsDep,
                    actor: CardClerk) -> Response:
    """就近办: 挂失、解挂或启用 a card of this node (200) or of the other province's node,
    sent there over the exchange (202, with the envelope id)."""
    outcome = peer.serve_at_counter(session, actor, peer.CounterService(
        card_no=data.card_no, resident_id=data.resident_id, name=data.name,
        action=data.action, kind=data.kind), node_id=settings.node_id)
    body = CounterServiceRead(
        state="done" if outcome.state == "done" else "sent",
        card=service.view_card(session, actor, outcome.card) if outcome.card else None,
        envelope_id=outcome.envelope_id, card_node=outcome.card_node)
    return Response(body.model_dump_json(), media_type="application/json",
                    status_code=200 if outcome.card else 202)


@router.post("/cards/{card_no}/replace", status_code=201, response_model=CardRead)
def replace_card(
    card_no: CardNo, session: SessionDep, actor: CardClerk, data: CardReplace | None = None
) -> CardRead:
    """Replace the card; the response is the *new* card."""
    new = service.replace_card(session, actor, card_no, reason=data.reason if data else None,
                               expected_version=data.version if data else None)
    return service.view_card(session, actor, new)


@router.post("/e-cards", status_code=201, response_model=ECardIssued)
def issue_e_card(
    session: SessionDep, actor: HolderOrClerk, data: ECardIssue | None = None
) -> ECardIssued:
    """Issue an e-card QR token; a citizen may leave out ``person_id`` (themself)."""
    person_id = data.person_id if data and data.person_id is not None else actor.person_id
    if person_id is None:
        raise RuleViolation("请指定人员（person_id）", "person_id is required")
    issued = service.issue_e_card(session, actor, person_id)
    return ECardIssued(token=issued.token, token_id=issued.record.token_id,
                       card_no=issued.card.card_no, issued_at=issued.record.issued_at,
                       expires_at=issued.record.expires_at, qr_svg=issued.qr_svg())


@router.get("/e-cards/verify", response_model=ECardVerification)
def verify_e_card(
    session: SessionDep, token: Annotated[str, Query(max_length=2000)]
) -> ECardVerification:
    return service.verify_e_card(session, token)


@router.get("/e-cards/public-key", response_model=ECardPublicKey)
def e_card_public_key(session: SessionDep) -> ECardPublicKey:
    """The node's Ed25519 public key: enough to check an e-card token's signature."""
    return ECardPublicKey(public_key=service.e_card_public_key(session))
