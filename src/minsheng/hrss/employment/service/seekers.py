"""Job seekers (求职登记): register, update, find."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    delete,
    insert,
    select,
)
from sqlalchemy.orm import Session

from minsheng.hrss.employment import text
from minsheng.hrss.employment.models import (
    JobSeeker,
    JobSeekerTerm,
)
from minsheng.hrss.employment.schemas import SeekerInput
from minsheng.hrss.employment.service._common import _check_common
from minsheng.hrss.registry import service as registry
from minsheng.platform.db import flush
from minsheng.platform.errors import FieldError, RuleViolation, not_found
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal


def _check_seeker(data: SeekerInput) -> None:
    errors: list[FieldError] = []
    _check_common(data.region, data.occupation_code, errors)
    if errors:
        raise RuleViolation("求职登记信息有误", "Invalid job-seeker data", errors=errors)


def _index_seeker(session: Session, seeker: JobSeeker) -> None:
    session.execute(delete(JobSeekerTerm).where(JobSeekerTerm.seeker_id == seeker.id))
    weights = text.weighted_terms(seeker.skills, seeker.summary)
    if weights:
        session.execute(insert(JobSeekerTerm), [
            {"term": t, "region": seeker.region, "seeker_id": seeker.id, "weight": w}
            for t, w in weights.items()])


def register_seeker(
    session: Session, actor: Principal, person_id: int, data: SeekerInput,
    on: date | None = None,
) -> JobSeeker:
    """求职登记 (就业服务与就业管理规定 ch. 3): a person's wanted region, occupation, pay,
    education and skills. Registering again updates the record and marks them seeking."""
    actor.require_any("employment:write", "employment:self")
    person = registry.person_for_write(session, actor, person_id)
    _check_seeker(data)
    seeker = session.scalar(select(JobSeeker).where(JobSeeker.person_id == person.id))
    values = dict(region=data.region.strip(), occupation_code=data.occupation_code,
                  education=data.education, min_pay=data.min_pay,
                  skills=data.skills.strip(), summary=data.summary.strip(), status="seeking")
    if seeker is None:
        seeker = JobSeeker(person_id=person.id, registered_date=on or date.today(), **values)
        session.add(seeker)
    else:
        for key, value in values.items():
            setattr(seeker, key, value)
    flush(session)
    _index_seeker(session, seeker)
    audit.record(session, actor=actor.username, action="employment.seeker.register",
                 subject_type="job_seeker", subject_id=seeker.id,
                 payload={"person_id": person.id, "region": seeker.region,
                          "occupation_code": seeker.occupation_code})
    return seeker


def seeker_of_person(session: Session, actor: Principal, person_id: int) -> JobSeeker | None:
    registry.person_for_read(session, actor, person_id)
    return session.scalar(select(JobSeeker).where(JobSeeker.person_id == person_id))


def _seeker(session: Session, actor: Principal, seeker_id: int) -> JobSeeker:
    seeker = session.get(JobSeeker, seeker_id)
    if seeker is None:
        raise not_found("求职登记", "Job seeker", seeker_id)
    registry.person_for_read(session, actor, seeker.person_id)  # scope: 404 outside it
    return seeker
