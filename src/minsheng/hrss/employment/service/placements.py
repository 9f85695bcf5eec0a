"""Placements (安置就业、就业登记) and urban new employment (城镇新增就业); a placement
publishes ``PersonPlaced``."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    exists,
    select,
)
from sqlalchemy.orm import Session

from minsheng.hrss.employment import rules
from minsheng.hrss.employment.models import (
    JobSeeker,
    Placement,
    UrbanNewEmployment,
)
from minsheng.hrss.employment.service._common import (
    _active_member,
    _consequence_actor,
    is_registered_unemployed,
)
from minsheng.hrss.employment.service.zero_employment import _close_household_case
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Employer
from minsheng.platform import events, regions
from minsheng.platform.errors import FieldError, RuleViolation, not_found
from minsheng.platform.events import PersonPlaced
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal


def _place(session: Session, actor: Principal, person_id: int, *, on: date, region: str,
           kind: str, employer_id: int | None = None, vacancy_id: int | None = None,
           application_id: int | None = None) -> Placement:
    registered = is_registered_unemployed(session, person_id, on)
    hard_to_employ = bool(session.scalar(select(_active_member("hard_to_employ", person_id,
                                                                on))))
    employed_before = bool(session.scalar(select(exists(select(Placement.id).where(
        Placement.person_id == person_id, Placement.placed_date <= on)))))
    counts = rules.counts_as_new_employment(registered_unemployed=registered,
                                            employed_before=employed_before)
    placement = Placement(
        person_id=person_id, kind=kind, employer_id=employer_id, vacancy_id=vacancy_id,
        application_id=application_id, region=region, placed_date=on,
        was_registered_unemployed=registered, was_hard_to_employ=hard_to_employ,
        counts_as_new_employment=counts, recorded_by=actor.username)
    session.add(placement)
    session.flush()
    if counts:
        already = session.get(UrbanNewEmployment, (person_id, on.year))
        if already is None:
            session.add(UrbanNewEmployment(person_id=person_id, year=on.year, event_date=on,
                                           region=region, placement_id=placement.id))
    seeker = session.scalar(select(JobSeeker).where(JobSeeker.person_id == person_id))
    if seeker is not None and seeker.status == "seeking":
        seeker.status = "placed"
    session.flush()
    closed = _close_household_case(session, actor, person_id, placement)
    ended = registered and events.publish(
        session, _consequence_actor(actor), PersonPlaced(person_id, on)) > 0
    audit.record(session, actor=actor.username, action=f"employment.{kind}",
                 subject_type="placement", subject_id=placement.id,
                 payload={"person_id": person_id, "on": on.isoformat(), "region": region,
                          "new_employment": counts, "registration_ended": ended,
                          "zero_employment_case_closed": closed})
    return placement


def record_placement(
    session: Session, actor: Principal, person_id: int, *, on: date, region: str,
    employer_id: int | None = None, kind: str = "placement",
) -> Placement:
    """Record that a person took a job (安置就业) or registered employment (就业登记).

    Consequences in the same unit of work: an urban new employment event for a person
    who was registered unemployed or had no job on record (at most one per person per
    year); the person's seeker registration marked placed; their household's open
    zero-employment case closed; their unemployment registration ended as re-employed
    (the :class:`~minsheng.platform.events.PersonPlaced` event)."""
    actor.require("employment:write")
    registry.person_for_write(session, actor, person_id)
    if kind not in ("placement", "employment_registration"):
        raise RuleViolation("就业类型无效", "Unknown kind of employment",
                            errors=[FieldError("kind", "就业类型无效", "unknown kind")])
    region = regions.validate_residence_region(region, "region", on)
    if employer_id is not None and session.get(Employer, employer_id) is None:
        raise not_found("单位", "Employer", employer_id)
    return _place(session, actor, person_id, on=on, region=region, kind=kind,
                  employer_id=employer_id)
