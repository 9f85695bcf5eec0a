"""Card use cases: apply and issue, read, activate, report loss, cancel a loss report,
replace, close on death, lapse temporary reports; electronic cards.

Every state change goes through :func:`rules.step` on a card loaded ``SELECT ... FOR
UPDATE`` (and written with its ``version``), so two requests on one card are applied one
after the other and the second is judged against the first one's result: an action the
new state does not allow, or a stale ``version`` the requester saw, is a 409.

Services flush, never commit; each change writes a ``card_event`` (the history shown at
the counter) and an audit event. Region scope: the holder's residence region, applied by
``principal.scoped``; a citizen sees only their own cards.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import (
    ColumnElement,
    DateTime,
    Select,
    and_,
    case,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minsheng.hrss.cards import rules, tokens
from minsheng.hrss.cards.models import CARD_NO_SEQUENCE, CardEvent, ECard, SocialSecurityCard
from minsheng.hrss.cards.rules import CardAction, CardState, CardStatus
from minsheng.hrss.cards.schemas import CardEventRead, CardRead, ECardVerification
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Person
from minsheng.platform import ids
from minsheng.platform.bulk import dialect_name, execute_count
from minsheng.platform.cases import service as cases
from minsheng.platform.config import get_settings
from minsheng.platform.db import flush, utcnow
from minsheng.platform.errors import Conflict, DomainError, Forbidden, NotFound, RuleViolation
from minsheng.platform.security import audit
from minsheng.platform.security.models import AppSecret
from minsheng.platform.security.principal import SYSTEM, Principal, region_filter, scoped

#: How long an electronic-card QR token is valid. The national e-card shows a QR that
#: refreshes every minute or so; 10 minutes leaves time to show it at a counter.
E_CARD_TTL = timedelta(minutes=10)
#: ``app_secret`` row holding this node's Ed25519 private key (raw, base64url).
E_CARD_KEY_NAME = "e_card_ed25519"
SYSTEM_ACTOR = audit.SYSTEM_ACTOR
#: Actions a requester asks for; the others happen by themselves (lapse) or through
#: another use case (death, via ``registry.record_death``).
REQUESTED_ACTIONS = (CardAction.ISSUE, CardAction.ACTIVATE, CardAction.REPORT_LOSS_TEMPORARY,
                     CardAction.REPORT_LOSS_FORMAL, CardAction.CANCEL_LOSS_REPORT,
                     CardAction.REPLACE)
REPLACEMENT_REASONS = {"loss": "遗失", "damage": "损坏", "change": "信息变更", "other": "其他"}
_LIVE = [s.value for s in CardState if rules.is_live(s)]


# --- numbers and helpers -------------------------------------------------------------


def card_number(node_id: str, serial: int) -> str:
    """Business number of a card: the node code and a 9-digit serial (``CQ000000123``),
    so that the two provinces' numbers never collide (DESIGN.md, identifiers)."""
    return f"{node_id.upper()}{serial:09d}"


def next_card_serials(session: Session, count: int = 1) -> list[int]:
    """``count`` unused card serials: a sequence on PostgreSQL; on SQLite, whose write
    transactions are serialised (``BEGIN IMMEDIATE``), the highest number plus one."""
    if dialect_name(session) == "postgresql":
        return list(session.scalars(
            text(f"SELECT nextval('{CARD_NO_SEQUENCE.name}') FROM generate_series(1, :n)"),
            {"n": count}))
    prefix = get_settings().node_id.upper()
    highest = session.scalar(select(func.max(SocialSecurityCard.card_no))
                             .where(SocialSecurityCard.card_no.startswith(prefix)))
    start = int(highest[len(prefix):]) + 1 if highest else 1
    return list(range(start, start + count))



def _now(now: datetime | None) -> datetime:
    return _aware(now or utcnow())


def _aware(moment: datetime) -> datetime:
    """UTC, timezone-aware (SQLite hands back naive UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _aware_or_none(moment: datetime | None) -> datetime | None:
    return _aware(moment) if moment is not None else None


def _loss_days() -> int:
    return get_settings().card_temporary_loss_days


def status_of(card: SocialSecurityCard) -> CardStatus:
    previous = CardState(card.previous_state) if card.previous_state else None
    return CardStatus(CardState(card.state), previous)


def effective_status(card: SocialSecurityCard, now: datetime | None = None) -> CardStatus:
    """The card's status now, a lapsed temporary loss report taken into account even if
    the lapse has not been written yet."""
    return rules.effective_status(status_of(card), card.loss_reported_at, _now(now),
                                  _loss_days())


def _not_found(card_no: str) -> NotFound:
    return NotFound(f"社保卡 {card_no} 不存在", f"Card {card_no} not found")


def card_query(actor: Principal) -> Select[SocialSecurityCard]:
    """Cards the actor may see: staff those of people living in their scope, a citizen
    their own, anyone else none."""
    stmt = select(SocialSecurityCard)
    if actor.is_staff:
        stmt = stmt.join(Person, Person.id == SocialSecurityCard.person_id)
        return scoped(stmt, Person.residence_region, actor)
    return stmt.where(SocialSecurityCard.person_id == (actor.person_id or -1))


def _load(
    session: Session, actor: Principal, card_no: str, *, for_update: bool = False
) -> SocialSecurityCard:
    number = card_no.strip().upper()
    stmt = card_query(actor).where(SocialSecurityCard.card_no == number)
    if for_update:
        stmt = stmt.with_for_update(of=SocialSecurityCard).execution_options(
            populate_existing=True)
    card = session.scalars(stmt).first()
    if card is None:
        raise _not_found(number)
    return card


def _require_reader(actor: Principal) -> None:
    actor.require_any("cards:read", "cards:self")


def _require_holder_or_clerk(actor: Principal) -> None:
    """Self-service actions (activate, report loss, cancel a report, e-card): a clerk, or
    the cardholder (``card_query`` keeps a citizen to their own card)."""
    actor.require_any("cards:write", "cards:self")


def _check_version(card: SocialSecurityCard, expected: int | None) -> None:
    if expected is not None and expected != card.version:
        raise Conflict(
            f"社保卡已有新的办理记录（当前版本 {card.version}），请刷新后重试",
            f"The card changed meanwhile (now version {card.version}); reload and retry",
            extra={"current_version": card.version, "current_state": card.state},
        )


def _record_event(
    session: Session, card: SocialSecurityCard, action: CardAction | str,
    from_state: str | None, to_state: str, *, actor: str, at: datetime, note: str = "",
) -> None:
    session.add(CardEvent(card_id=card.id, event=str(action), from_state=from_state,
                          to_state=to_state, actor=actor, note=note, occurred_at=at))


def _apply(
    session: Session, actor_name: str, card: SocialSecurityCard, action: CardAction,
    *, now: datetime, note: str = "", payload: dict[str, Any] | None = None,
) -> None:
    """One transition: the rule decides the new state; fields, history and audit follow."""
    before = status_of(card)
    after = rules.step(before, action)  # IllegalTransition (409) names the current state
    card.state, card.previous_state = after.state.value, (
        after.previous.value if after.previous else None)
    if action is CardAction.ISSUE:
        card.issued_at = now
    elif action is CardAction.ACTIVATE:
        card.activated_at = now
    elif after.state in rules.LOSS_STATES:
        card.loss_reported_at = now
    elif action in (CardAction.CANCEL_LOSS_REPORT, CardAction.LAPSE):
        card.loss_reported_at = None
    if after.state in rules.TERMINAL_STATES:
        card.closed_at = now
    flush(session)
    _record_event(session, card, action, before.state.value, card.state, actor=actor_name,
                  at=now, note=note)
    audit.record(session, actor=actor_name, action=f"card.{action.value}",
                 subject_type="social_security_card", subject_id=card.card_no,
                 payload={"person_id": card.person_id, "from": before.state.value,
                          "to": after.state.value, **(payload or {})})


def _lapse_if_due(session: Session, card: SocialSecurityCard, now: datetime) -> None:
    """Write a lapse that is due before acting on the card, so that the action is judged
    against the state the card really has."""
    if effective_status(card, now) != status_of(card):
        _apply(session, SYSTEM_ACTOR, card, CardAction.LAPSE, now=now,
               note=f"临时挂失超过 {_loss_days()} 天未转为正式挂失，自动失效")


def _transition(
    session: Session, actor: Principal, card_no: str, action: CardAction, *,
    expected_version: int | None, now: datetime | None, note: str = "",
) -> SocialSecurityCard:
    moment = _now(now)
    card = _load(session, actor, card_no, for_update=True)
    _check_version(card, expected_version)
    _lapse_if_due(session, card, moment)
    _apply(session, actor.username, card, action, now=moment, note=note)
    return card


# --- apply, issue, read ----------------------------------------------------------------


def _live_card(session: Session, person_id: int) -> SocialSecurityCard | None:
    return session.scalars(select(SocialSecurityCard).where(
        SocialSecurityCard.person_id == person_id, SocialSecurityCard.state.in_(_LIVE)
    )).first()


def apply_for_card(
    session: Session, actor: Principal, person_id: int, *, now: datetime | None = None
) -> SocialSecurityCard:
    """Apply for a card (申领). At a counter (``cards:write``) the card is made and handed
    over at once (即时制卡: ``issued``); a citizen's online application stays ``applied``
    until a clerk issues it. One live card a person: another → 409 naming it (a second
    card comes only by 补换). A deceased person gets none (422)."""
    _require_holder_or_clerk(actor)
    moment = _now(now)
    person = registry.person_for_write(session, actor, person_id)
    if person.status != "alive":
        raise RuleViolation("该人员已死亡，不能申领社保卡",
                            "The person is deceased; no card can be issued")
    existing = _live_card(session, person.id)
    if existing is not None:
        label = rules.STATE_LABELS[CardState(existing.state)]
        raise Conflict(
            f"该人员已有社保卡 {existing.card_no}（{label}），如需新卡请办理补换",
            f"The person already holds card {existing.card_no} ({existing.state}); "
            "replace it instead",
            extra={"existing_card_no": existing.card_no, "current_state": existing.state},
        )
    card = SocialSecurityCard(
        card_no=card_number(get_settings().node_id, next_card_serials(session)[0]),
        person_id=person.id, state=CardState.APPLIED.value, applied_at=moment,
    )
    try:
        with session.begin_nested():
            session.add(card)
            session.flush()
    except IntegrityError as exc:  # a simultaneous application for the same person
        raise Conflict("该人员的社保卡申领正在办理中，请刷新后查看",
                       "Another application for this person was just made; reload") from exc
    _record_event(session, card, "apply", None, CardState.APPLIED.value,
                  actor=actor.username, at=moment)
    audit.record(session, actor=actor.username, action="card.apply",
                 subject_type="social_security_card", subject_id=card.card_no,
                 payload={"person_id": person.id})
    _open_case(session, actor, card, person, APPLY_CASE, moment)
    if actor.can("cards:write"):
        _apply(session, actor.username, card, CardAction.ISSUE, now=moment, note="即时制卡")
        _card_made(session, actor, card, moment)
    return card


#: The cases (办件) a card application and a replacement open, as the applicant's list
#: names them.
APPLY_CASE, REPLACE_CASE = "社会保障卡申领", "社会保障卡补换"


def _open_case(session: Session, actor: Principal, card: SocialSecurityCard,
               person: Person, title: str, moment: datetime) -> None:
    counter = actor.can("cards:write")
    cases.open_case(
        session, actor, kind="cards.apply" if title == APPLY_CASE else "cards.replace",
        title=title, subject_type="social_security_card", subject_id=card.card_no,
        applicant=cases.Applicant(cases.PERSON, person.id, person.name, person.resident_id),
        region=person.residence_region, accepted=True, at=moment,
        note="窗口办理" if counter else "网上申请，已进入制卡流程")


def _card_made(session: Session, actor: Principal, card: SocialSecurityCard,
               moment: datetime) -> None:
    """The card is made and handed over: the case is decided and done."""
    cases.advance(session, actor, subject_type="social_security_card", subject_id=card.card_no,
                  stage=cases.Stage.DECIDED, outcome=cases.Outcome.APPROVED,
                  outcome_label="已制卡", at=moment, note=f"制卡完成，卡号 {card.card_no}")
    cases.advance(session, actor, subject_type="social_security_card", subject_id=card.card_no,
                  stage=cases.Stage.DONE, at=moment, note="社会保障卡已交本人，请及时启用")


def issue_card(
    session: Session, actor: Principal, card_no: str, *, expected_version: int | None = None,
    now: datetime | None = None,
) -> SocialSecurityCard:
    """Hand over the card of an online application (applied → issued)."""
    actor.require("cards:write")
    card = _transition(session, actor, card_no, CardAction.ISSUE,
                       expected_version=expected_version, now=now)
    _card_made(session, actor, card, _now(now))
    return card


def read_card(session: Session, actor: Principal, card_no: str) -> SocialSecurityCard:
    """A card the actor may see (else 404); a staff read is audited."""
    _require_reader(actor)
    card = _load(session, actor, card_no)
    if actor.is_staff:
        audit.record(session, actor=actor.username, action="card.read",
                     subject_type="social_security_card", subject_id=card.card_no,
                     payload={"person_id": card.person_id})
    return card


def holder_of(session: Session, actor: Principal, card_no: str) -> int:
    """The person a card the actor may see belongs to (404 otherwise); not a full read."""
    _require_reader(actor)
    return _load(session, actor, card_no).person_id


def cards_of_person(session: Session, actor: Principal, person_id: int) -> list[SocialSecurityCard]:
    """Every card of a person, the newest first (404 for a person out of scope)."""
    _require_reader(actor)
    person = registry.person_for_read(session, actor, person_id)
    return list(session.scalars(
        select(SocialSecurityCard).where(SocialSecurityCard.person_id == person.id)
        .order_by(SocialSecurityCard.id.desc())))


def live_card_of(session: Session, actor: Principal, person_id: int) -> SocialSecurityCard | None:
    """The person's card that is not replaced or cancelled, if any."""
    _require_reader(actor)
    person = registry.person_for_read(session, actor, person_id)
    return _live_card(session, person.id)


def card_events(session: Session, card: SocialSecurityCard) -> list[CardEvent]:
    return list(session.scalars(select(CardEvent).where(CardEvent.card_id == card.id)
                                .order_by(CardEvent.id)))


def view_card(
    session: Session, actor: Principal, card: SocialSecurityCard, *,
    now: datetime | None = None, with_events: bool = True,
) -> CardRead:
    """The card as the actor may see it: the state *now* (a lapsed temporary report
    shown lapsed), the holder's ID masked unless the role handles identity."""
    moment = _now(now)
    status = effective_status(card, moment)
    person = registry.person_for_read(session, actor, card.person_id)
    full = registry.shows_full_id(actor, person)
    loss_at = _aware_or_none(card.loss_reported_at) if status.state in rules.LOSS_STATES \
        else None
    expires = (rules.temporary_report_expires_at(loss_at, _loss_days())
               if loss_at is not None and status.state is CardState.LOSS_REPORTED_TEMPORARY
               else None)
    return CardRead(
        card_no=card.card_no,
        state=status.state.value,
        state_label=rules.STATE_LABELS[status.state],
        person_id=card.person_id,
        name=person.name,
        resident_id=person.resident_id if full else ids.mask_resident_id(person.resident_id),
        resident_id_masked=not full,
        previous_state=status.previous.value if status.previous else None,
        loss_reported_at=loss_at,
        loss_report_expires_at=expires,
        replaced_by=card.replaced_by,
        replacement_reason=card.replacement_reason,
        applied_at=_aware(card.applied_at),
        issued_at=_aware_or_none(card.issued_at),
        activated_at=_aware_or_none(card.activated_at),
        closed_at=_aware_or_none(card.closed_at),
        version=card.version,
        allowed_actions=[a.value for a in rules.allowed_actions(status.state)
                         if a in REQUESTED_ACTIONS],
        events=[CardEventRead(
            event=e.event, event_label=event_label(e.event), from_state=e.from_state,
            to_state=e.to_state, actor=e.actor, note=e.note, occurred_at=_aware(e.occurred_at),
        ) for e in card_events(session, card)] if with_events else [],
    )


def event_label(event: str) -> str:
    if event == "apply":
        return "申领"
    try:
        return rules.ACTION_LABELS[CardAction(event)]
    except ValueError:
        return event


# --- the cardholder's actions ------------------------------------------------------------


@dataclass(frozen=True)
class ActivationOutcome:
    """An activation's result. A refusal is *returned*, not raised, so that the caller's
    unit of work commits the audit event that records it (the response is still an
    error: ``refusal.status_code``)."""

    card: SocialSecurityCard
    refusal: DomainError | None = None


def activate_card(
    session: Session, actor: Principal, card_no: str, *, resident_id: str, name: str,
    expected_version: int | None = None, now: datetime | None = None,
) -> ActivationOutcome:
    """Activate (启用) an issued card: the cardholder's resident ID and name must both
    match the registry. A mismatch changes nothing on the card, is written to the audit
    chain (``card.activate_refused``) and is returned as a 403 refusal."""
    _require_holder_or_clerk(actor)
    moment = _now(now)
    card = _load(session, actor, card_no, for_update=True)
    _check_version(card, expected_version)
    _lapse_if_due(session, card, moment)
    rules.next_state(CardState(card.state), CardAction.ACTIVATE,
                     previous=status_of(card).previous)  # 409 before any identity check
    person = registry.person_for_read(session, actor, card.person_id)
    given_id = resident_id.strip().upper()
    if given_id != person.resident_id or name.strip() != person.name:
        audit.record(session, actor=actor.username, action="card.activate_refused",
                     subject_type="social_security_card", subject_id=card.card_no,
                     payload={"person_id": card.person_id, "reason": "identity_mismatch",
                              "resident_id_given": ids.mask_resident_id(given_id)})
        return ActivationOutcome(card, Forbidden(
            "身份信息与持卡人不符，社保卡未启用（本次核验已记录）",
            "The identity does not match the cardholder; the card was not activated "
            "(the attempt was recorded)",
            extra={"card_no": card.card_no},
        ))
    _apply(session, actor.username, card, CardAction.ACTIVATE, now=moment)
    return ActivationOutcome(card)


def report_loss(
    session: Session, actor: Principal, card_no: str, *, kind: str,
    expected_version: int | None = None, now: datetime | None = None,
) -> SocialSecurityCard:
    """Report the card lost (挂失): ``temporary`` (临时/口头挂失, in force for the
    ``card_temporary_loss_days`` setting, then it lapses) or ``formal`` (正式挂失; also
    makes a temporary report formal)."""
    _require_holder_or_clerk(actor)
    actions = {"temporary": CardAction.REPORT_LOSS_TEMPORARY,
               "formal": CardAction.REPORT_LOSS_FORMAL}
    if kind not in actions:
        raise RuleViolation("挂失类型应为临时挂失或正式挂失",
                            "kind must be temporary or formal")
    return _transition(session, actor, card_no, actions[kind],
                       expected_version=expected_version, now=now)


def cancel_loss_report(
    session: Session, actor: Principal, card_no: str, *, expected_version: int | None = None,
    now: datetime | None = None,
) -> SocialSecurityCard:
    """Cancel a loss report (解挂): back to the state before the report. Only while no
    replacement has been made (a replaced card never changes again)."""
    _require_holder_or_clerk(actor)
    return _transition(session, actor, card_no, CardAction.CANCEL_LOSS_REPORT,
                       expected_version=expected_version, now=now)


def replace_card(
    session: Session, actor: Principal, card_no: str, *, reason: str | None = None,
    expected_version: int | None = None, now: datetime | None = None,
) -> SocialSecurityCard:
    """Replace a card (补换) at a counter: the old card becomes ``replaced`` and a new one
    is issued (it must be activated again). A lost card needs a formal loss report
    first; a card in hand (issued or active: damaged, particulars changed) is replaced
    directly (``rules`` module docstring). Without a ``reason``: ``loss`` after a formal
    loss report, else ``damage``. Returns the new card."""
    actor.require("cards:write")
    if reason is not None and reason not in REPLACEMENT_REASONS:
        raise RuleViolation("补换原因无效", "Unknown replacement reason")
    moment = _now(now)
    old = _load(session, actor, card_no, for_update=True)
    _check_version(old, expected_version)
    _lapse_if_due(session, old, moment)
    if reason is None:
        reason = "loss" if old.state == CardState.LOSS_REPORTED else "damage"
    if reason == "loss" and old.state in (CardState.ISSUED, CardState.ACTIVE):
        raise Conflict(
            f"社保卡当前状态为“{rules.STATE_LABELS[CardState(old.state)]}”（{old.state}），"
            "因遗失补换须先办理正式挂失",
            f"The card is in state {old.state}; report it lost formally before replacing it",
            extra={"current_state": old.state, "action": CardAction.REPLACE.value},
        )
    old.replacement_reason = reason
    _apply(session, actor.username, old, CardAction.REPLACE, now=moment,
           note=f"补换原因：{REPLACEMENT_REASONS[reason]}", payload={"reason": reason})
    new = SocialSecurityCard(
        card_no=card_number(get_settings().node_id, next_card_serials(session)[0]),
        person_id=old.person_id, state=rules.REPLACEMENT_STATE.value, applied_at=moment,
        issued_at=moment,
    )
    session.add(new)
    session.flush()
    old.replaced_by = new.card_no
    flush(session)
    _record_event(session, new, "apply", None, CardState.APPLIED.value,
                  actor=actor.username, at=moment, note=f"补换旧卡 {old.card_no}")
    _record_event(session, new, CardAction.ISSUE, CardState.APPLIED.value, new.state,
                  actor=actor.username, at=moment, note="补换新卡")
    audit.record(session, actor=actor.username, action="card.issue_replacement",
                 subject_type="social_security_card", subject_id=new.card_no,
                 payload={"person_id": new.person_id, "replaces": old.card_no})
    holder = session.get(Person, new.person_id)
    assert holder is not None  # the card's foreign key
    _open_case(session, actor, new, holder, REPLACE_CASE, moment)
    _card_made(session, actor, new, moment)
    return new


def cancel_cards_on_death(
    session: Session, actor: Principal, person_id: int, death_date: date | None = None, *,
    now: datetime | None = None
) -> list[SocialSecurityCard]:
    """Close (注销) the live card of a person who died. Called by
    ``registry.record_death``, whose permission and scope checks cover it."""
    moment = _now(now)
    cards = list(session.scalars(
        select(SocialSecurityCard).where(SocialSecurityCard.person_id == person_id,
                                         SocialSecurityCard.state.in_(_LIVE))
        .with_for_update(of=SocialSecurityCard).execution_options(populate_existing=True)))
    for card in cards:
        _lapse_if_due(session, card, moment)
        _apply(session, actor.username, card, CardAction.CANCEL_ON_DEATH, now=moment,
               note="持卡人死亡，社保卡注销")
    return cards


def lapse_temporary_reports(session: Session, now: datetime | None = None) -> int:
    """Write every due lapse of a temporary loss report (the batch behind the read-time
    computation): one ``INSERT ... SELECT`` of the history rows and one ``UPDATE`` that
    returns the cards to the state before the report. Idempotent; returns the count."""
    moment = _now(now)
    cutoff = moment - timedelta(days=_loss_days())
    card = SocialSecurityCard
    due = and_(card.state == CardState.LOSS_REPORTED_TEMPORARY.value,
               card.loss_reported_at <= cutoff)
    note = f"临时挂失超过 {_loss_days()} 天未转为正式挂失，自动失效（批量）"
    session.execute(insert(CardEvent).from_select(
        ["card_id", "event", "from_state", "to_state", "actor", "note", "occurred_at"],
        select(card.id, literal(CardAction.LAPSE.value), card.state, card.previous_state,
               literal(SYSTEM_ACTOR), literal(note),
               literal(moment, DateTime(timezone=True))).where(due),
    ))
    count = execute_count(session, update(card).where(due).values(
        state=card.previous_state, previous_state=None, loss_reported_at=None,
        version=card.version + 1, updated_at=moment,
    ).execution_options(synchronize_session="fetch"))
    if count:
        audit.record(session, actor=SYSTEM_ACTOR, action="card.lapse_batch",
                     subject_type="social_security_card", subject_id="*",
                     payload={"lapsed": count, "cutoff": cutoff.isoformat()})
    return count


def count_by_state(
    session: Session, actor: Principal, *, now: datetime | None = None
) -> dict[str, int]:
    """Cards in the actor's scope by state *now* (lapsed temporary reports counted in the
    state they returned to)."""
    actor.require("cards:read")
    cutoff = _now(now) - timedelta(days=_loss_days())
    card = SocialSecurityCard
    state = case((and_(card.state == CardState.LOSS_REPORTED_TEMPORARY.value,
                       card.loss_reported_at <= cutoff), card.previous_state),
                 else_=card.state)
    stmt = (select(state, func.count()).join(Person, Person.id == card.person_id)
            .where(region_filter(Person.residence_region, actor)).group_by(state))
    counts = {s.value: 0 for s in CardState}
    counts.update({str(s): int(n) for s, n in session.execute(stmt)})
    return counts


# --- electronic cards ----------------------------------------------------------------


@dataclass(frozen=True)
class IssuedECard:
    token: str
    record: ECard
    card: SocialSecurityCard

    def qr_svg(self, *, inline: bool = False) -> str:
        return qr_svg(self.token, inline=inline)


def qr_svg(data: str, *, inline: bool = False) -> str:
    """``data`` as a QR code (error correction M), as an SVG document or, ``inline``,
    an ``<svg>`` element for a page."""
    code = segno.make(data, error="m", micro=False)
    if inline:
        return str(code.svg_inline(scale=4, dark="#0f2f57", title="电子社保卡二维码"))
    out = io.BytesIO()
    code.save(out, kind="svg", scale=4, dark="#0f2f57")
    return out.getvalue().decode("utf-8")


def _stored_key(session: Session) -> Ed25519PrivateKey | None:
    row = session.get(AppSecret, E_CARD_KEY_NAME)
    return tokens.private_key_from_text(row.value) if row is not None else None


def e_card_signing_key(session: Session) -> Ed25519PrivateKey:
    """This node's Ed25519 key for e-card tokens, generated and stored (``app_secret``)
    at first use, like the token secret of ``security.service.get_secret``."""
    key = _stored_key(session)
    if key is not None:
        return key
    key = Ed25519PrivateKey.generate()
    try:
        with session.begin_nested():
            session.add(AppSecret(name=E_CARD_KEY_NAME, value=tokens.private_key_text(key)))
            session.flush()
    except IntegrityError:  # generated at the same moment by another request: use theirs
        stored = _stored_key(session)
        assert stored is not None
        return stored
    return key


def e_card_public_key(session: Session) -> str:
    """The node's public key (raw, base64url): all a verifier needs."""
    return tokens.public_key_text(e_card_signing_key(session).public_key())


def issue_e_card(
    session: Session, actor: Principal, person_id: int, *, now: datetime | None = None,
    ttl: timedelta = E_CARD_TTL,
) -> IssuedECard:
    """Issue an electronic-card token (电子社保卡二维码) to a person whose card is active:
    signed with the node's key, valid for ``ttl``. No active card → 409 naming the state."""
    _require_holder_or_clerk(actor)
    moment = _now(now).replace(microsecond=0)
    person = registry.person_for_write(session, actor, person_id)
    card = _live_card(session, person.id)
    state = effective_status(card, moment).state if card is not None else None
    if card is None or state is not CardState.ACTIVE:
        label = rules.STATE_LABELS[state] if state is not None else "无有效社保卡"
        raise Conflict(
            f"电子社保卡须凭已启用的社保卡申领，当前：{label}（{state or 'none'}）",
            f"An e-card needs an active card; the person's card is {state or 'missing'}",
            extra={"current_state": state.value if state else None},
        )
    token_id = secrets.token_hex(16)
    claims = tokens.ECardClaims(token_id=token_id, card_no=card.card_no,
                                node_id=get_settings().node_id, issued_at=moment,
                                expires_at=moment + ttl)
    token = tokens.sign(e_card_signing_key(session), claims)
    record = ECard(token_id=token_id, person_id=person.id, card_id=card.id,
                   issued_by=actor.username, issued_at=moment, expires_at=claims.expires_at)
    session.add(record)
    session.flush()
    audit.record(session, actor=actor.username, action="e_card.issue", subject_type="e_card",
                 subject_id=token_id, payload={"card_no": card.card_no, "person_id": person.id,
                                               "expires_at": claims.expires_at.isoformat()})
    return IssuedECard(token, record, card)


VERIFY_MESSAGES = {
    "valid": "电子社保卡有效",
    "malformed": "无法识别的二维码",
    "bad_signature": "二维码签名无效：内容被改动，或不是本系统签发",
    "expired": "二维码已过期，请刷新后重新出示",
    "unknown_token": "未找到该二维码的签发记录",
    "card_not_active": "社保卡当前不可用，电子社保卡无效",
}


def verify_e_card(
    session: Session, token: str, *, now: datetime | None = None
) -> ECardVerification:
    """Check an e-card token: signature (this node's key), expiry, the issuance record,
    and that the card is still active. Says for whom only with the name and ID masked."""
    moment = _now(now)

    def result(reason: str, **fields: Any) -> ECardVerification:
        return ECardVerification(valid=reason == "valid", reason=reason,
                                 message=VERIFY_MESSAGES[reason], **fields)

    key = _stored_key(session)
    try:
        claims = tokens.read(key.public_key() if key is not None else None, token)
    except tokens.TokenMalformed:
        return result("malformed")
    except tokens.TokenBadSignature:
        return result("bad_signature")
    known = {"card_no": claims.card_no, "expires_at": claims.expires_at}
    if moment >= claims.expires_at:
        return result("expired", **known)
    record = session.scalar(select(ECard).where(ECard.token_id == claims.token_id))
    card = session.get(SocialSecurityCard, record.card_id) if record is not None else None
    if record is None or card is None or card.card_no != claims.card_no:
        return result("unknown_token", **known)
    state = effective_status(card, moment).state
    if state is not CardState.ACTIVE:
        return result("card_not_active", card_state=state.value, **known)
    person = registry.person_for_read(session, SYSTEM, record.person_id)
    return result("valid", name=ids.mask_name(person.name),
                  resident_id=ids.mask_resident_id(person.resident_id),
                  card_state=state.value, **known)


# --- the figures the cards page and the scorecard share ----------------------------------

#: The bureau's day boundaries are China Standard Time (UTC+8).
CHINA_TIME = timezone(timedelta(hours=8), "CST")


def end_of_day(day: date) -> datetime:
    """The first moment after ``day`` (00:00 China Standard Time of the next day), in UTC
    as the timestamps are stored."""
    return datetime.combine(day + timedelta(days=1), time(), CHINA_TIME).astimezone(UTC)


def holding_card(before: datetime | None = None) -> list[ColumnElement[bool]]:
    """持卡: the card was issued (发卡) and had not been closed (replaced by a new card, 补换,
    or cancelled, 注销) — a card under a loss report is still held. ``before``: as it
    stood just before that moment; ``None``: as it stands now."""
    card = SocialSecurityCard
    if before is None:
        return [card.issued_at.is_not(None), card.closed_at.is_(None)]
    return [card.issued_at < before, or_(card.closed_at.is_(None), card.closed_at >= before)]


def cardholders_select(within: ColumnElement[bool], key: ColumnElement[Any],
                       before: datetime | None = None) -> Select[Any]:
    """社会保障卡持卡人数 per ``key``: ``(key, people holding a card)`` of the people
    whose residence satisfies ``within`` (one a person, whatever cards they held)."""
    card = SocialSecurityCard
    return (select(key, func.count(card.person_id.distinct())).select_from(card)
            .join(Person, Person.id == card.person_id)
            .where(within, *holding_card(before)).group_by(key))


def e_card_holders_select(within: ColumnElement[bool], key: ColumnElement[Any],
                          before: datetime | None = None) -> Select[Any]:
    """电子社保卡领用人数 per ``key``: ``(key, people issued an e-card)`` (before
    ``before``, or ever; one a person, however many QR tokens they were issued)."""
    issued = [] if before is None else [ECard.issued_at < before]
    return (select(key, func.count(ECard.person_id.distinct())).select_from(ECard)
            .join(Person, Person.id == ECard.person_id)
            .where(within, *issued).group_by(key))


def cardholder_count(session: Session, actor: Principal) -> int:
    """People holding a card now in the actor's scope (:func:`cardholders_select`)."""
    actor.require("cards:read")
    row = session.execute(cardholders_select(region_filter(Person.residence_region, actor),
                                             literal(""))).first()
    return int(row[1]) if row else 0


def e_card_counts(session: Session, actor: Principal) -> tuple[int, int]:
    """E-card tokens issued and people holding an e-card (:func:`e_card_holders_select`,
    the scorecard's 电子社保卡领用人数), in the actor's scope."""
    actor.require("cards:read")
    within = region_filter(Person.residence_region, actor)
    tokens_issued = session.scalar(select(func.count(ECard.id)).join(
        Person, Person.id == ECard.person_id).where(within)) or 0
    row = session.execute(e_card_holders_select(within, literal(""))).first()
    return int(tokens_issued), int(row[1]) if row else 0
