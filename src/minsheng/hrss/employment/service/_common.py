"""What the employment use cases share: who counts as registered unemployed (from the
unemployment domain's registrations), field checks, the actor of a consequence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from minsheng.hrss.employment import occupations
from minsheng.hrss.employment.models import (
    KeyGroupMember,
    Placement,
)
from minsheng.hrss.unemployment import service as unemployment
from minsheng.platform import regions
from minsheng.platform.errors import FieldError, RuleViolation
from minsheng.platform.security.principal import SYSTEM, Principal

ZERO = Decimal("0")


def registered_unemployed_people(on: date) -> Select[Any]:
    """SQL: the people who hold a registration open on ``on`` and have not been placed
    since it began (a placement recorded here is evidence of work even before the
    unemployment domain has ended the registration). The registrations are the
    unemployment domain's (cross-domain set-based count)."""
    ur = unemployment.registration_spans()
    placed_since = exists(select(Placement.id).where(
        Placement.person_id == ur.c.person_id, Placement.placed_date >= ur.c.registered_date,
        Placement.placed_date <= on))
    return select(ur.c.person_id).where(
        ur.c.registered_date <= on, or_(ur.c.ended_date.is_(None), ur.c.ended_date > on),
        ~placed_since)


def registered_unemployed_clause(person_id: Any, on: date) -> ColumnElement[bool]:
    """SQL: the person (column or value) is one of :func:`registered_unemployed_people`."""
    column = person_id if hasattr(person_id, "in_") else literal(person_id)
    clause: ColumnElement[bool] = column.in_(registered_unemployed_people(on))
    return clause


def is_registered_unemployed(session: Session, person_id: int, on: date) -> bool:
    return bool(session.scalar(select(registered_unemployed_clause(person_id, on))))


def _check_common(region: str, occupation_code: str, errors: list[FieldError]) -> None:
    try:
        regions.validate_residence_region(region, "region")
    except RuleViolation as exc:
        errors.extend(exc.errors)
    if occupation_code not in occupations.MEDIUM_CATEGORIES:
        errors.append(FieldError("occupation_code", "请选择职业分类（GB/T 6565 中类）",
                                 "choose an occupation (GB/T 6565 medium category)"))


def _consequence_actor(actor: Principal) -> Principal:
    """Who ends the unemployment registration: the staff member, or — for a hire by an
    employer, who may not touch registrations — the system on their behalf (audited as
    such)."""
    if actor.is_staff:
        return actor
    return Principal(user_id=SYSTEM.user_id, username=f"system:{actor.username}",
                     role=SYSTEM.role)


def _active_member(group_code: str, person_id: Any, on: date) -> ColumnElement[bool]:
    return exists(select(KeyGroupMember.id).where(
        KeyGroupMember.person_id == person_id, KeyGroupMember.group_code == group_code,
        KeyGroupMember.since <= on,
        or_(KeyGroupMember.until.is_(None), KeyGroupMember.until >= on)))


def _count(session: Session, stmt: Select[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
