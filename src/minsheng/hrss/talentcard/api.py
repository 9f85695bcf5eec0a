"""英才服务卡 JSON API: applications and review, cards (direct issue, renew, revoke,
expire), services booked on a card (book, deliver, rate, the overdue work-list), and
the public verification of a card's QR code."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from minsheng.hrss.talentcard import rules
from minsheng.hrss.talentcard.models import TalentCard, TalentServiceBooking
from minsheng.hrss.talentcard.schemas import (
    BookingCreate,
    BookingRead,
    CardApply,
    CardCode,
    CardIssue,
    CardRead,
    CardVerification,
    Deliver,
    ExpireResult,
    Rate,
    Review,
    Revoke,
    StepOn,
)
from minsheng.hrss.talentcard.service import bookings, cards, verify
from minsheng.platform.paging import Page, PageNumber, PageSize
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import CurrentUser, SessionDep, require

router = APIRouter(prefix="/api/v1/talent", tags=["talentcard"])
Reader = Annotated[Principal, Depends(require("talent:read"))]
Reviewer = Annotated[Principal, Depends(require("talent:review"))]
Writer = Annotated[Principal, Depends(require("talent:write"))]
CardNo = Annotated[str, Path(max_length=32, description="英才服务卡号")]
StateQuery = Annotated[str, Query(max_length=16, pattern=r"^[a-z]*$", description="状态")]


def card_read(c: TalentCard) -> CardRead:
    today = date.today()
    state = rules.effective_state(rules.CardState(c.state), c.valid_until, today)
    return CardRead(id=c.id, card_no=c.card_no, state=state.value, valid_until=c.valid_until,
                    person_id=c.person_id, region=c.region, tier=c.tier,
                    basis_kind=c.basis_kind, basis_value=c.basis_value,
                    applied_on=c.applied_on, reviewed_on=c.reviewed_on,
                    review_note=c.review_note, issued_on=c.issued_on,
                    renewed_on=c.renewed_on, revoked_on=c.revoked_on,
                    revoke_reason=c.revoke_reason, version=c.version)


def booking_read(b: TalentServiceBooking) -> BookingRead:
    return BookingRead(id=b.id, due_on=b.due_on, state=b.state, card_id=b.card_id,
                       service_code=b.service_code, service_name=b.service_name,
                       provider=b.provider, requested_on=b.requested_on,
                       due_estimated=b.due_estimated, delivered_on=b.delivered_on,
                       satisfaction=b.satisfaction,
                       overdue=rules.is_overdue(rules.BookingState(b.state), b.due_on,
                                                date.today()),
                       version=b.version)


# --- applications ------------------------------------------------------------------


@router.post("/card-applications", status_code=201, response_model=CardRead)
def apply(data: CardApply, session: SessionDep, actor: CurrentUser) -> CardRead:
    """申领英才服务卡: the talent for themself, or staff at the counter."""
    return card_read(cards.apply(session, actor, data))


@router.post("/card-applications/{card_id}/review", response_model=CardRead)
def review(card_id: IdPath, data: Review, session: SessionDep, actor: Reviewer) -> CardRead:
    return card_read(cards.review(session, actor, card_id, approve=data.decision == "approve",
                                  note=data.reason, on=data.on, version=data.version))


@router.post("/card-applications/{card_id}/issue", response_model=CardRead)
def issue(card_id: IdPath, data: StepOn, session: SessionDep, actor: CurrentUser) -> CardRead:
    return card_read(cards.issue(session, actor, card_id, on=data.on, version=data.version))


# --- cards -------------------------------------------------------------------------


@router.post("/cards", status_code=201, response_model=CardRead)
def issue_direct(data: CardIssue, session: SessionDep, actor: Reviewer) -> CardRead:
    """发卡: a reviewer issues a card at once for a person found eligible (the decision
    is recorded as the card's basis); the apply → review path is /card-applications."""
    return card_read(cards.issue_direct(session, actor, data.person_id, data.tier,
                                        note=data.note))


@router.get("/cards", response_model=Page[CardRead])
def list_cards(session: SessionDep, actor: Reader, state: StateQuery = "",
               page: PageNumber = 1, size: PageSize = 50) -> Page[CardRead]:
    found = cards.cards_page(session, actor, state=state, page=page, size=size)
    return Page(items=[card_read(c) for c in found.rows], total=found.total,
                page=found.page, size=found.size)


@router.get("/cards/verify", response_model=CardVerification)
def verify_card(session: SessionDep,
                token: Annotated[str, Query(max_length=2000)]) -> CardVerification:
    """核验英才服务卡二维码 (public): who holds it (masked), the tier, the state and the
    last valid day; ``valid=false`` with the reason for an expired or altered code."""
    return verify.verify(session, token)


@router.post("/cards/expire", response_model=ExpireResult)
def expire(session: SessionDep, actor: CurrentUser) -> ExpireResult:
    """到期处理: flip every active card past its last day (idempotent)."""
    return ExpireResult(expired=cards.expire_cards(session, actor))


@router.get("/cards/{card_no}", response_model=CardRead)
def read_card(card_no: CardNo, session: SessionDep, actor: CurrentUser) -> CardRead:
    return card_read(cards.read(session, actor, card_no))


@router.post("/cards/{card_no}/renew", response_model=CardRead)
def renew(card_no: CardNo, data: StepOn, session: SessionDep, actor: CurrentUser) -> CardRead:
    return card_read(cards.renew(session, actor, card_no, on=data.on,
                                 version=data.version))


@router.post("/cards/{card_no}/revoke", response_model=CardRead)
def revoke(card_no: CardNo, data: Revoke, session: SessionDep, actor: CurrentUser) -> CardRead:
    return card_read(cards.revoke(session, actor, card_no, data.reason, on=data.on,
                                  version=data.version))


@router.post("/cards/{card_no}/code", response_model=CardCode)
def card_code(card_no: CardNo, session: SessionDep, actor: CurrentUser) -> CardCode:
    """A fresh signed QR code (5 minutes) for the holder's valid card."""
    issued = verify.issue_code(session, actor, card_no)
    return CardCode(token=issued.token, expires_at=issued.expires_at)


@router.post("/cards/{card_no}/services", status_code=201, response_model=BookingRead)
def book(card_no: CardNo, data: BookingCreate, session: SessionDep,
         actor: CurrentUser) -> BookingRead:
    """预约服务: due the catalogue's working days after ``requested_on``."""
    return booking_read(bookings.book(session, actor, card_no, data.service_code,
                                      data.requested_on, note=data.note))


@router.get("/cards/{card_no}/services", response_model=list[BookingRead])
def card_services(card_no: CardNo, session: SessionDep, actor: CurrentUser) -> list[BookingRead]:
    card = cards.card_by_no(session, actor, card_no)
    return [booking_read(b) for b in bookings.of_card(session, actor, card)]


# --- services ----------------------------------------------------------------------


@router.get("/services", response_model=Page[BookingRead])
def list_services(session: SessionDep, actor: Reader, overdue: bool = False,
                  state: StateQuery = "requested", page: PageNumber = 1,
                  size: PageSize = 50) -> Page[BookingRead]:
    """The region's open services by deadline; ``overdue=true`` only those past it."""
    found = bookings.worklist_page(session, actor, overdue=overdue, state=state, page=page,
                                   size=size)
    return Page(items=[booking_read(b) for b in found.rows], total=found.total,
                page=found.page, size=found.size)


@router.post("/services/{id}/deliver", response_model=BookingRead)
def deliver(id: IdPath, data: Deliver, session: SessionDep, actor: Writer) -> BookingRead:
    return booking_read(bookings.deliver(session, actor, id, data.on, note=data.note,
                                         version=data.version))


@router.post("/services/{id}/satisfaction", response_model=BookingRead)
def rate(id: IdPath, data: Rate, session: SessionDep, actor: CurrentUser) -> BookingRead:
    return booking_read(bookings.rate(session, actor, id, data.satisfaction,
                                      version=data.version))
