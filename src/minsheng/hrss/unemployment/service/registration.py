"""Unemployment registration (失业登记): register, end, the work-list, and the
registrations other domains count in set-based SQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Select, Subquery, func, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Person
from minsheng.hrss.unemployment import rules
from minsheng.hrss.unemployment.models import (
    UnemploymentClaim,
    UnemploymentRegistration,
)
from minsheng.hrss.unemployment.service._common import (
    OPEN_CLAIM,
    open_claim,
    open_registration,
    stop_claim,
)
from minsheng.hrss.unemployment.service.fund import grant_on_death
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, invalid_field
from minsheng.platform.months import month_of
from minsheng.platform.paging import Listing, Sort, Sorting, paginate
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter


def register_unemployed(session: Session, actor: Principal, person_id: int, *,
                        registered_date: date | None = None, separation_reason: str,
                        seeking_work: bool = True) -> UnemploymentRegistration:
    """失业登记: the person (or a clerk for them) registers as unemployed. Refused while
    a registration is open or while the person is still insured in a job."""
    actor.require_any("unemployment:write", "unemployment:self")
    person = registry.person_for_write(session, actor, person_id)
    on = registered_date or date.today()
    if on > date.today():
        raise invalid_field("registered_date", "登记日期不能晚于今天", "date in the future")
    if separation_reason not in rules.SEPARATION_REASONS:
        raise invalid_field("separation_reason", "请选择离职原因", "unknown separation reason")
    if person.status == "deceased":
        raise Conflict("该人员已登记死亡", "The person is recorded as deceased")
    if open_registration(session, person.id) is not None:
        raise Conflict("已办理失业登记，无需重复登记", "Already registered as unemployed")
    coverage = insurance.unemployment_coverage(session, person.id, month_of(on))
    if coverage.insured_now:
        raise Conflict("您目前仍在单位参加失业保险，请在单位办理减员后再进行失业登记",
                       "Still insured in a job: the employer must end the enrolment first")
    registration = UnemploymentRegistration(
        person_id=person.id, registered_date=on, region=person.residence_region,
        separation_reason=separation_reason, last_employer_id=coverage.last_employer_id,
        seeking_work=seeking_work, actor=actor.username)
    session.add(registration)
    flush(session)
    audit.record(session, actor=actor.username, action="unemployment.register",
                 subject_type="person", subject_id=person.id,
                 payload={"registered_date": on.isoformat(), "separation": separation_reason})
    return registration


def end_registration(session: Session, actor: Principal, person_id: int, on: date,
                     reason: str) -> UnemploymentRegistration | None:
    """失业登记注销: end the person's open registration on ``on`` for ``reason`` (one of
    :data:`rules.END_REASONS`: ``re_employed``, ``moved_away``, ``retired`` ...). An open
    benefit claim stops with it (社会保险法 art. 51). Returns ``None`` when the person has
    no open registration (nothing to end): the employment domain calls this on every
    placement."""
    actor.require_any("unemployment:write", "unemployment:self", "employment:write")
    if reason not in rules.END_REASONS:
        raise invalid_field("reason", "注销原因无效", "unknown reason")
    person = registry.person_for_write(session, actor, person_id)
    return _end_registration(session, actor, person.id, on, reason)


def stop_on_death(session: Session, actor: Principal, person_id: int,
                  death_date: date) -> None:
    """A recorded death ends the registration and stops the benefit after the month of
    death (called from ``registry.record_death``, whose checks cover it); a death while
    the benefit is paid gives the survivors the funeral grant and survivor payment
    (社会保险法 art. 49, :func:`fund.grant_on_death`)."""
    claim = open_claim(session, person_id)
    if claim is not None:
        grant_on_death(session, actor, claim, death_date)
    _end_registration(session, actor, person_id, death_date, "deceased")


def _end_registration(session: Session, actor: Principal, person_id: int, on: date,
                      reason: str) -> UnemploymentRegistration | None:
    registration = open_registration(session, person_id)
    if registration is None:
        return None
    if on < registration.registered_date:
        raise invalid_field("on", "注销日期不能早于登记日期", "end before registration")
    registration.ended_date, registration.end_reason = on, reason
    flush(session)
    audit.record(session, actor=actor.username, action="unemployment.end_registration",
                 subject_type="person", subject_id=person_id,
                 payload={"on": on.isoformat(), "reason": reason})
    claim = open_claim(session, person_id)
    if claim is not None:
        stop_claim(session, actor, claim, on, rules.STOP_FOR_END[reason])
    return registration


@dataclass(frozen=True)
class RegistrationItem:
    registration: UnemploymentRegistration
    name: str
    resident_id: str
    claim_status: str | None


#: The orders of the registrations list (``rsort``): by default the newest registration
#: first.
REGISTRATION_SORTING = Sorting({
    "registered": UnemploymentRegistration.registered_date,
    "name": Person.name,
}, default="registered", default_descending=True,
    tie_breakers=[UnemploymentRegistration.registered_date.desc(),
                  UnemploymentRegistration.id.desc()])


def _registrations_query(actor: Principal, open_only: bool,
                         sort: Sort | None = None) -> Select[Any]:
    open_claim = (select(UnemploymentClaim.status)
                  .where(UnemploymentClaim.person_id == UnemploymentRegistration.person_id,
                         UnemploymentClaim.status.in_(OPEN_CLAIM))
                  .limit(1).correlate(UnemploymentRegistration).scalar_subquery())
    stmt = (select(UnemploymentRegistration, Person.name, Person.resident_id, open_claim)
            .join(Person, Person.id == UnemploymentRegistration.person_id)
            .where(region_filter(UnemploymentRegistration.region, actor)))
    if open_only:
        stmt = stmt.where(UnemploymentRegistration.ended_date.is_(None))
    return stmt.order_by(*REGISTRATION_SORTING.order_by(sort or REGISTRATION_SORTING.default))


def registrations(session: Session, actor: Principal, *, open_only: bool = True,
                  limit: int = 200) -> list[RegistrationItem]:
    """Registrations in the actor's region, newest first, with the open claim's status."""
    actor.require("unemployment:read")
    rows = session.execute(_registrations_query(actor, open_only).limit(limit)).all()
    return [RegistrationItem(*row) for row in rows]


def registrations_page(session: Session, actor: Principal, *, open_only: bool = True,
                       page: int = 1, sort: Sort | None = None) -> Listing[RegistrationItem]:
    """One page of :func:`registrations` in the order ``sort``, with the total."""
    actor.require("unemployment:read")
    listing = paginate(session, _registrations_query(actor, open_only, sort), page,
                       scalars=False)
    return replace(listing, rows=[RegistrationItem(*row) for row in listing.rows])


def all_registrations(session: Session, actor: Principal, *, open_only: bool = True,
                      sort: Sort | None = None) -> Iterator[RegistrationItem]:
    """Every registration of :func:`registrations` in the order ``sort``, read in
    batches (for the export)."""
    actor.require("unemployment:read")
    rows = session.execute(_registrations_query(actor, open_only, sort)
                           .execution_options(yield_per=2_000))
    return (RegistrationItem(*row) for row in rows)


def registration_counts(session: Session, actor: Principal) -> dict[str, int]:
    """Open registrations and claims by status in the actor's region."""
    actor.require("unemployment:read")
    registered = session.scalar(select(func.count()).select_from(UnemploymentRegistration)
                                .where(UnemploymentRegistration.ended_date.is_(None),
                                       region_filter(UnemploymentRegistration.region,
                                                     actor))) or 0
    counts = {"registered": int(registered), "pending": 0, "active": 0, "suspended": 0}
    for status, count in session.execute(
            select(UnemploymentClaim.status, func.count())
            .where(region_filter(UnemploymentClaim.region, actor),
                   UnemploymentClaim.status.in_(OPEN_CLAIM))
            .group_by(UnemploymentClaim.status)).all():
        counts[status] = int(count)
    return counts


def registration_spans() -> Subquery:
    """SQL: every unemployment registration as ``(person_id, registered_date, ended_date)``,
    for set-based counts in other domains (employment's registered unemployed and
    zero-employment households)."""
    return select(UnemploymentRegistration.person_id, UnemploymentRegistration.registered_date,
                  UnemploymentRegistration.ended_date).subquery("unemployment_spans")
