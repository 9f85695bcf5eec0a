"""英才服务卡: an application (by the talent or at the counter) records its basis — a
declared talent category, professional title or skill level — which a reviewer checks
(approve, or refuse with the reason); an approved application is issued a card
(``card_no``, valid for the tier's years); the card is renewed, revoked with a reason, and
expires after its last valid day. Staff holding ``talent:review`` may also issue a card
directly for a person they have found eligible: the decision is recorded on the card as
``basis_kind = 'direct'`` with the reviewer and their note.

An active card past ``valid_until`` reads as expired everywhere (``rules.effective_state``);
:func:`expire_cards` writes that down in one statement."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select, update
from sqlalchemy.orm import Session

from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Person
from minsheng.hrss.talent import service as talent
from minsheng.hrss.talentcard import rules
from minsheng.hrss.talentcard.models import TalentCard
from minsheng.hrss.talentcard.schemas import CardApply
from minsheng.hrss.talentcard.service._common import (
    card_number,
    check_version,
    not_found,
    record,
    step,
    tier_in_force,
)
from minsheng.platform import paging
from minsheng.platform.cases import service as cases
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, DomainError, RuleViolation, invalid_field
from minsheng.platform.security.principal import Principal, region_filter, scoped

_WHAT = ("英才服务卡", "talent card")
STAFF_WRITERS = ("talent:write", "talent:review")


def _today(today: date | None) -> date:
    return today or date.today()


def _person(session: Session, actor: Principal, person_id: int) -> Person:
    """The person a card is for: the talent themself, or anyone in a staff member's
    region; otherwise a 422 naming ``person_id`` (nothing is said of who exists)."""
    if not actor.is_staff and actor.person_id != person_id:
        raise invalid_field("person_id", "只能为本人申领英才服务卡", "only for yourself")
    try:
        return registry.person_for_write(session, actor, person_id)
    except DomainError:
        raise invalid_field("person_id", "人员不存在或不在您的管辖范围内",
                            "no such person in your region") from None


def _no_open_card(session: Session, person_id: int, today: date) -> None:
    c = TalentCard
    open_one = session.scalar(select(c).where(
        c.person_id == person_id, c.state.in_([s.value for s in rules.OPEN_STATES]),
        or_(c.valid_until.is_(None), c.valid_until >= today)).limit(1))
    if open_one is not None:
        label = rules.STATE_LABELS[rules.CardState(open_one.state)]
        raise Conflict(f"该人员已有英才服务卡或申请（{label}），不能重复申领",
                       f"The person already has a card or application ({open_one.state})",
                       extra={"current_state": open_one.state})


def apply(session: Session, actor: Principal, data: CardApply,
          today: date | None = None) -> TalentCard:
    """申领: the talent for themself (``talent:self``) or staff at the counter
    (``talent:write``), naming the tier and the basis; a basis the tier does not accept
    is refused at once (422), the reviewer checks that the basis is true."""
    actor.require_any("talent:write", "talent:self")
    day = _today(today)
    person = _person(session, actor, data.person_id)
    tier = tier_in_force(session, data.tier, person.residence_region, day)
    kind = rules.BasisKind(data.basis_kind)
    if not rules.basis_accepted(rules.parse_bases(tier.eligible_bases), kind,
                                data.basis_value):
        raise invalid_field("basis_value", f"{tier.name}不接受该申领依据",
                            f"tier {tier.code} does not accept this basis")
    _no_open_card(session, person.id, day)
    card = TalentCard(person_id=person.id, region=person.residence_region, tier=tier.code,
                      basis_kind=kind.value, basis_value=data.basis_value.strip(),
                      basis_note=data.basis_note.strip(), state=rules.CardState.APPLIED,
                      applied_on=day, applied_by=actor.username)
    session.add(card)
    flush(session)
    record(session, actor, "apply", "talent_card", card.id, tier=tier.code,
           basis_kind=kind.value, person_id=person.id)
    cases.open_case(
        session, actor, kind="talent.card", title=CASE_TITLE, subject_type="talent_card",
        subject_id=card.id,
        applicant=cases.Applicant(cases.PERSON, person.id, person.name, person.resident_id),
        region=card.region, accepted=True, note=f"申领{tier.name}，等待审核申领依据")
    return card


#: The case (办件) an application opens, as the applicant's list names it.
CASE_TITLE = "重庆英才服务卡申领"
_REMEDY = ("如对本决定不服，可以自收到本决定之日起六十日内依法申请行政复议，"
           "或者在六个月内依法向人民法院提起行政诉讼。")


def _load(session: Session, actor: Principal, *, card_id: int | None = None,
          card_no: str | None = None, for_update: bool = False) -> TalentCard:
    stmt = select(TalentCard)
    stmt = (stmt.where(TalentCard.id == card_id) if card_id is not None
            else stmt.where(TalentCard.card_no == card_no))
    card = session.scalar(stmt.with_for_update() if for_update else stmt)
    visible = card is not None and (
        actor.sees_region(card.region) if actor.is_staff else actor.person_id == card.person_id)
    if card is None or not visible:
        raise not_found(*_WHAT)
    return card


def card_by_no(session: Session, actor: Principal, card_no: str, *,
               for_update: bool = False) -> TalentCard:
    """A card the actor may see: staff of its region, or its holder."""
    actor.require_any("talent:read", "talent:self")
    return _load(session, actor, card_no=card_no, for_update=for_update)


def read(session: Session, actor: Principal, card_no: str) -> TalentCard:
    """The full card; a staff read is audited."""
    card = card_by_no(session, actor, card_no)
    if actor.is_staff:
        record(session, actor, "read", "talent_card", card.id, card_no=card.card_no)
    return card


def record_read(session: Session, actor: Principal, card: TalentCard) -> None:
    """Audit a staff member's read of the full card (its page)."""
    if actor.is_staff:
        record(session, actor, "read", "talent_card", card.id, card_no=card.card_no)


def application(session: Session, actor: Principal, card_id: int, *,
                for_update: bool = False) -> TalentCard:
    actor.require_any("talent:read", "talent:self")
    return _load(session, actor, card_id=card_id, for_update=for_update)


def review(session: Session, actor: Principal, card_id: int, *, approve: bool, note: str = "",
           on: date | None = None, version: int | None = None) -> TalentCard:
    """审核: approve, or refuse with the reason; the reviewer checked the declared basis."""
    actor.require("talent:review")
    day = _today(on)
    card = application(session, actor, card_id, for_update=True)
    check_version(version, card.version)
    new = step(card, rules.CardAction.APPROVE if approve else rules.CardAction.REFUSE, day)
    if not approve and not note.strip():
        raise invalid_field("reason", "不予通过须说明理由", "a refusal needs a reason")
    if day < card.applied_on:
        raise invalid_field("on", "审核日期不能早于申请日期", "review before the application")
    card.state, card.reviewed_on, card.reviewed_by = new, day, actor.username
    card.review_note = note.strip()
    flush(session)
    record(session, actor, "approve" if approve else "refuse", "talent_card", card.id,
           note=card.review_note)
    notice = None if approve else cases.Notice(f"{CASE_TITLE}不予通过通知书", (
        f"你于{card.applied_on.year}年{card.applied_on.month}月{card.applied_on.day}日提交的"
        f"{CASE_TITLE}，经审核，不予通过。", f"理由：{card.review_note}。", _REMEDY))
    cases.advance(session, actor, subject_type="talent_card", subject_id=card.id,
                  stage=cases.Stage.DECIDED, outcome_label="审核通过" if approve else "不予通过",
                  outcome=cases.Outcome.APPROVED if approve else cases.Outcome.REFUSED,
                  notice=notice, note=card.review_note or ("审核通过，等待发卡" if approve else ""))
    if not approve:
        cases.advance(session, actor, subject_type="talent_card", subject_id=card.id,
                      stage=cases.Stage.DONE, note="不予通过通知书已在网上服务大厅送达")
    return card


def _issue(session: Session, card: TalentCard, day: date) -> None:
    tier = tier_in_force(session, card.tier, card.region, day)
    card.state, card.issued_on = rules.CardState.ACTIVE, day
    card.valid_until = rules.valid_until(day, tier.validity_years)
    card.card_no = card_number(day.year, card.id)
    flush(session)


def issue(session: Session, actor: Principal, card_id: int, *, on: date | None = None,
          version: int | None = None) -> TalentCard:
    """发卡 for an approved application: a card number, valid for the tier's years."""
    actor.require_any(*STAFF_WRITERS)
    day = _today(on)
    card = application(session, actor, card_id, for_update=True)
    check_version(version, card.version)
    step(card, rules.CardAction.ISSUE, day)
    if card.reviewed_on is not None and day < card.reviewed_on:
        raise invalid_field("on", "发卡日期不能早于审核日期", "issued before the review")
    _issue(session, card, day)
    record(session, actor, "issue", "talent_card", card.id, card_no=card.card_no,
           valid_until=card.valid_until.isoformat() if card.valid_until else None)
    cases.advance(session, actor, subject_type="talent_card", subject_id=card.id,
                  stage=cases.Stage.DONE, note=f"已发卡，卡号 {card.card_no}")
    return card


@dataclass(frozen=True)
class OnRecord:
    """What the talent register (``hrss/talent``) holds of a card holder, in this
    domain's words, and whether it bears out the declared basis."""

    skill_levels: list[int]
    titles: list[str]
    categories: list[str]
    basis_on_record: bool | None  # None: a direct issue, no declared basis


def on_record(session: Session, card: TalentCard) -> OnRecord:
    held = talent.credentials(session, card.person_id)
    titles = [rules.TITLE_OF_RECORD.get(t, t) for t in held.titles]
    confirmed = None
    if card.basis_kind in {k.value for k in rules.BasisKind}:
        confirmed = rules.basis_on_record(
            rules.BasisKind(card.basis_kind), card.basis_value,
            skill_levels=held.skill_levels, titles=titles,
            categories=held.introduction_categories)
    return OnRecord(held.skill_levels, titles, held.introduction_categories, confirmed)


def issue_direct(session: Session, actor: Principal, person_id: int, tier: str, *,
                 note: str = "", on: date | None = None) -> TalentCard:
    """直接发卡: a reviewer issues a card at once for a person they found eligible (e.g.
    named in a 重庆英才 list); the decision is recorded as the card's basis and review."""
    actor.require("talent:review")
    day = _today(on)
    person = _person(session, actor, person_id)
    found = tier_in_force(session, tier, person.residence_region, day)
    _no_open_card(session, person.id, day)
    reason = note.strip() or "经审核直接发卡"
    card = TalentCard(person_id=person.id, region=person.residence_region, tier=found.code,
                      basis_kind="direct", basis_value=found.code, basis_note=reason[:200],
                      state=rules.CardState.APPROVED, applied_on=day,
                      applied_by=actor.username, reviewed_on=day, reviewed_by=actor.username,
                      review_note=reason[:200])
    session.add(card)
    flush(session)
    _issue(session, card, day)
    record(session, actor, "issue_direct", "talent_card", card.id, card_no=card.card_no,
           person_id=person.id, tier=found.code, note=reason)
    return card


def renew(session: Session, actor: Principal, card_no: str, *, on: date | None = None,
          version: int | None = None) -> TalentCard:
    """续期: by the tier's validity in force on the renewal day, from the day after the
    current last day (or from today for a card that has expired); at most 90 days early."""
    actor.require_any(*STAFF_WRITERS)
    day = _today(on)
    card = card_by_no(session, actor, card_no, for_update=True)
    check_version(version, card.version)
    step(card, rules.CardAction.RENEW, day)
    tier = tier_in_force(session, card.tier, card.region, day)
    assert card.valid_until is not None
    try:
        until = rules.renewed_until(card.valid_until, day, tier.validity_years)
    except rules.RenewalRefused as refused:
        raise Conflict(f"有效期届满前 {rules.RENEWAL_WINDOW_DAYS} 日内方可续期"
                       f"（{refused.opens_on.isoformat()} 起）",
                       f"Renewal opens on {refused.opens_on.isoformat()}") from None
    before = card.valid_until
    card.state, card.valid_until, card.renewed_on = rules.CardState.ACTIVE, until, day
    flush(session)
    record(session, actor, "renew", "talent_card", card.id, card_no=card_no,
           valid_until_before=before.isoformat(), valid_until=until.isoformat())
    return card


def revoke(session: Session, actor: Principal, card_no: str, reason: str, *,
           on: date | None = None, version: int | None = None) -> TalentCard:
    """注销 with the reason (e.g. the holder left Chongqing, the basis proved false)."""
    actor.require_any(*STAFF_WRITERS)
    day = _today(on)
    card = card_by_no(session, actor, card_no, for_update=True)
    check_version(version, card.version)
    step(card, rules.CardAction.REVOKE, day)
    if not reason.strip():
        raise invalid_field("reason", "注销须说明原因", "a revocation needs a reason")
    if card.issued_on is not None and day < card.issued_on:
        raise invalid_field("on", "注销日期不能早于发卡日期", "revoked before issue")
    card.state, card.revoked_on, card.revoke_reason = (rules.CardState.REVOKED, day,
                                                       reason.strip()[:200])
    flush(session)
    record(session, actor, "revoke", "talent_card", card.id, card_no=card_no,
           reason=card.revoke_reason)
    return card


def expire_cards(session: Session, actor: Principal, today: date | None = None) -> int:
    """到期: every active card whose last valid day is before ``today`` becomes expired,
    in one UPDATE (version bumped, so an edit in flight is refused); idempotent: a
    second run finds none. Returns the number of cards flipped."""
    actor.require_any(*STAFF_WRITERS)
    day = _today(today)
    c = TalentCard
    result = session.execute(
        update(c).where(c.state == rules.CardState.ACTIVE, c.valid_until < day)
        .values(state=rules.CardState.EXPIRED, version=c.version + 1)
        .execution_options(synchronize_session=False))
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    session.expire_all()
    if count:
        record(session, actor, "expire", "talent_card", "batch", on=day.isoformat(),
               cards=count)
    return count


# --- lists --------------------------------------------------------------------------


def state_sql(today: date) -> ColumnElement[str]:
    """The card's state as of ``today`` in SQL (active past its last day → expired)."""
    c = TalentCard
    return case((and_(c.state == "active", c.valid_until < today), literal("expired")),
                else_=c.state)


#: The orders the staff card list allows; the default (``state``) is pending
#: applications first, then approved ones, then the rest, newest application first.
CARD_SORTING = paging.Sorting({
    "state": case((TalentCard.state == "applied", 0), (TalentCard.state == "approved", 1),
                  else_=2),
    "card_no": [paging.Fixed(TalentCard.card_no.is_(None)), TalentCard.card_no],
    "tier": TalentCard.tier,
    "applied": TalentCard.applied_on,
    "valid_until": [paging.Fixed(TalentCard.valid_until.is_(None)), TalentCard.valid_until],
}, default="state", tie_breakers=[TalentCard.applied_on.desc(), TalentCard.id.desc()])


def cards_query(actor: Principal, *, state: str = "", q: str = "",
                today: date | None = None, sort: paging.Sort | None = None) -> Select[Any]:
    """The region's cards and applications, pending applications first, then by date."""
    actor.require("talent:read")
    day = _today(today)
    effective = state_sql(day)
    stmt = scoped(select(TalentCard), TalentCard.region, actor)
    if state:
        stmt = stmt.where(effective == state)
    if q:
        stmt = stmt.join(Person, Person.id == TalentCard.person_id).where(
            or_(TalentCard.card_no == q.strip().upper(), Person.name == q.strip()))
    return stmt.order_by(*CARD_SORTING.order_by(sort or CARD_SORTING.default))


def cards_page(session: Session, actor: Principal, *, state: str = "", q: str = "",
               page: int = 1, size: int = paging.LIST_PAGE_SIZE,
               today: date | None = None, sort: paging.Sort | None = None
               ) -> paging.Listing[TalentCard]:
    return paging.paginate(session, cards_query(actor, state=state, q=q, today=today,
                                                sort=sort), page, size)


def all_cards(session: Session, actor: Principal, *, state: str = "", q: str = "",
              today: date | None = None, sort: paging.Sort | None = None
              ) -> Iterator[TalentCard]:
    yield from session.scalars(cards_query(actor, state=state, q=q, today=today, sort=sort)
                               .execution_options(yield_per=1000))


def state_counts(session: Session, actor: Principal, today: date | None = None
                 ) -> dict[str, int]:
    """Cards of the actor's region by state as of today."""
    actor.require("talent:read")
    effective = state_sql(_today(today))
    counts = {s.value: 0 for s in rules.CardState}
    counts.update({str(s): int(n) for s, n in session.execute(
        select(effective, func.count()).where(region_filter(TalentCard.region, actor))
        .group_by(effective))})
    return counts


def my_cards(session: Session, actor: Principal) -> list[TalentCard]:
    """The signed-in talent's cards and applications, newest first."""
    actor.require("talent:self")
    if actor.person_id is None:
        return []
    return list(session.scalars(select(TalentCard).where(
        TalentCard.person_id == actor.person_id)
        .order_by(TalentCard.applied_on.desc(), TalentCard.id.desc())))


def holder_names(session: Session, cards: list[TalentCard]) -> dict[int, tuple[str, str]]:
    """``person_id → (name, resident ID)`` of the cards' holders, in one query."""
    ids = {c.person_id for c in cards}
    if not ids:
        return {}
    return {i: (n, r) for i, n, r in session.execute(
        select(Person.id, Person.name, Person.resident_id).where(Person.id.in_(ids)))}


def ensure_valid(card: TalentCard, on: date) -> None:
    """A card that is not valid on ``on`` (not issued, revoked, expired, or not yet
    issued on that day) cannot be used: 409 naming its state."""
    state = rules.effective_state(rules.CardState(card.state), card.valid_until, on)
    if state is not rules.CardState.ACTIVE:
        raise Conflict(f"英才服务卡当前为“{rules.STATE_LABELS[state]}”，不能使用",
                       f"The card is {state.value}", extra={"current_state": state.value})
    if card.issued_on is not None and on < card.issued_on:
        raise RuleViolation("该日期英才服务卡尚未发放", "The card was not yet issued that day")
