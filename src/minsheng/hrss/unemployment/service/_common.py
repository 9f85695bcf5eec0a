"""What the unemployment use cases share: the claim states, the open registration and
claim of a person, and stopping a claim (a registration that ends stops its claim)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from minsheng.hrss.unemployment.models import UnemploymentClaim, UnemploymentRegistration
from minsheng.hrss.unemployment.service.fund import cancel_fund_contributions
from minsheng.platform.db import flush
from minsheng.platform.months import month_of
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal

#: Claims that are still open (a person has at most one).
OPEN_CLAIM = ("pending", "active", "suspended")


#: Claims that paid or were meant to pay (count for the layoff rate and carry-over).
GRANTED_CLAIM = ("active", "suspended", "stopped", "exhausted")


def open_registration(session: Session, person_id: int) -> UnemploymentRegistration | None:
    return session.scalar(select(UnemploymentRegistration).where(
        UnemploymentRegistration.person_id == person_id,
        UnemploymentRegistration.ended_date.is_(None)))


def open_claim(session: Session, person_id: int) -> UnemploymentClaim | None:
    return session.scalar(select(UnemploymentClaim).where(
        UnemploymentClaim.person_id == person_id, UnemploymentClaim.status.in_(OPEN_CLAIM)))


def stop_claim(session: Session, actor: Principal, claim: UnemploymentClaim, on: date,
               reason: str) -> None:
    """Stop a claim from ``on``: later queued payments are cancelled with the contributions
    the fund would have paid for them, an open suspension closed; audited."""
    claim.status, claim.stop_reason, claim.stopped_date = "stopped", reason, on
    session.execute(text(
        "UPDATE unemployment_payment SET status = 'cancelled' WHERE claim_id = :claim "
        "AND benefit_month > :last AND status IN ('queued','failed')"),
        {"claim": claim.id, "last": month_of(on)})
    cancel_fund_contributions(session, claim.id)
    session.execute(text("UPDATE unemployment_suspension SET to_month = from_month "
                         "WHERE claim_id = :claim AND to_month IS NULL"), {"claim": claim.id})
    flush(session)
    audit.record(session, actor=actor.username, action="unemployment.stop",
                 subject_type="unemployment_claim", subject_id=claim.id,
                 payload={"on": on.isoformat(), "reason": reason})
