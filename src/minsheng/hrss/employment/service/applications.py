"""Applications and referrals (投递、推荐): apply, refer, applicants, decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    func,
    select,
)
from sqlalchemy.orm import Session

from minsheng.hrss.employment.models import (
    JobApplication,
    JobSeeker,
    Placement,
    Vacancy,
)
from minsheng.hrss.employment.service.placements import _place
from minsheng.hrss.employment.service.seekers import _seeker
from minsheng.hrss.employment.service.vacancies import _index_vacancy, _own_vacancy
from minsheng.hrss.registry.service import Employer, Person
from minsheng.platform import ids
from minsheng.platform.errors import Conflict, FieldError, RuleViolation, not_found
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal


def _open_vacancy(session: Session, vacancy_id: int) -> Vacancy:
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise not_found("岗位", "Vacancy", vacancy_id)
    if vacancy.status != "open":
        raise Conflict("该岗位已停止招聘", "The vacancy is no longer open")
    return vacancy


def _new_application(session: Session, vacancy: Vacancy, seeker: JobSeeker, channel: str,
                     referred_by: str | None) -> JobApplication:
    if seeker.status != "seeking":
        raise Conflict("求职登记不在求职状态", "The job seeker is not seeking work")
    duplicate = session.scalar(select(JobApplication.id).where(
        JobApplication.vacancy_id == vacancy.id, JobApplication.seeker_id == seeker.id))
    if duplicate is not None:
        raise Conflict("已投递过该岗位", "Already applied to this vacancy",
                       extra={"existing_id": duplicate})
    application = JobApplication(vacancy_id=vacancy.id, seeker_id=seeker.id, channel=channel,
                                 referred_by=referred_by, status="submitted")
    session.add(application)
    session.flush()
    return application


def apply(session: Session, actor: Principal, vacancy_id: int) -> JobApplication:
    """A citizen applies (投递简历) to an open vacancy with their job-seeker registration."""
    actor.require("employment:self")
    if actor.person_id is None:
        raise not_found("求职登记", "Job seeker", "-")
    seeker = session.scalar(select(JobSeeker).where(JobSeeker.person_id == actor.person_id))
    if seeker is None:
        raise RuleViolation("请先办理求职登记", "Register as a job seeker first",
                            errors=[FieldError("seeker", "请先办理求职登记",
                                               "register as a job seeker first")])
    vacancy = _open_vacancy(session, vacancy_id)
    application = _new_application(session, vacancy, seeker, "self", None)
    audit.record(session, actor=actor.username, action="employment.apply",
                 subject_type="job_application", subject_id=application.id,
                 payload={"vacancy_id": vacancy.id, "seeker_id": seeker.id})
    return application


def refer(session: Session, actor: Principal, seeker_id: int, vacancy_id: int) -> JobApplication:
    """Employment staff refer (职业介绍/推荐) a seeker to a vacancy."""
    actor.require("employment:write")
    seeker = _seeker(session, actor, seeker_id)
    vacancy = _open_vacancy(session, vacancy_id)
    application = _new_application(session, vacancy, seeker, "referral", actor.username)
    audit.record(session, actor=actor.username, action="employment.refer",
                 subject_type="job_application", subject_id=application.id,
                 payload={"vacancy_id": vacancy.id, "seeker_id": seeker.id})
    return application


@dataclass(frozen=True)
class Applicant:
    application: JobApplication
    seeker: JobSeeker
    name: str
    resident_id_masked: str


def applicants(session: Session, actor: Principal, vacancy_id: int) -> list[Applicant]:
    """Who applied or was referred to a vacancy; resident IDs masked."""
    actor.require_any("employment:employer", "employment:write")
    vacancy = _own_vacancy(session, actor, vacancy_id)
    rows = session.execute(
        select(JobApplication, JobSeeker, Person.name, Person.resident_id)
        .join(JobSeeker, JobSeeker.id == JobApplication.seeker_id)
        # The applicant's name for the employer (display only).
        .join(Person, Person.id == JobSeeker.person_id)
        .where(JobApplication.vacancy_id == vacancy.id)
        .order_by(JobApplication.created_at, JobApplication.id)).all()
    return [Applicant(a, s, n, ids.mask_resident_id(r)) for a, s, n, r in rows]


def my_applications(session: Session, actor: Principal
                    ) -> list[tuple[JobApplication, Vacancy, str]]:
    actor.require("employment:self")
    return [(a, v, n) for a, v, n in session.execute(
        select(JobApplication, Vacancy, Employer.name)
        .join(JobSeeker, JobSeeker.id == JobApplication.seeker_id)
        .join(Vacancy, Vacancy.id == JobApplication.vacancy_id)
        .join(Employer, Employer.id == Vacancy.employer_id)
        .where(JobSeeker.person_id == actor.person_id)
        .order_by(JobApplication.created_at.desc(), JobApplication.id.desc())).all()]


def _application_for_decision(session: Session, actor: Principal, application_id: int
                              ) -> tuple[JobApplication, Vacancy, JobSeeker]:
    actor.require_any("employment:employer", "employment:write")
    application = session.get(JobApplication, application_id)
    if application is None:
        raise not_found("求职申请", "Application", application_id)
    vacancy = _own_vacancy(session, actor, application.vacancy_id)
    seeker = session.get(JobSeeker, application.seeker_id)
    assert seeker is not None
    if application.status != "submitted":
        raise Conflict("该申请已处理", "The application has already been decided")
    return application, vacancy, seeker


def reject(session: Session, actor: Principal, application_id: int) -> JobApplication:
    application, _, _ = _application_for_decision(session, actor, application_id)
    application.status = "rejected"
    session.flush()
    audit.record(session, actor=actor.username, action="employment.application.reject",
                 subject_type="job_application", subject_id=application.id)
    return application


def hire(session: Session, actor: Principal, application_id: int, on: date | None = None
         ) -> Placement:
    """The employer (or staff for it) hires an applicant: a placement in the vacancy's
    county, the seeker placed, the vacancy filled once its headcount is hired."""
    application, vacancy, seeker = _application_for_decision(session, actor, application_id)
    on = on or date.today()
    application.status = "hired"
    seeker.status = "placed"
    session.flush()
    hired = session.scalar(select(func.count()).where(
        JobApplication.vacancy_id == vacancy.id, JobApplication.status == "hired")) or 0
    if hired >= vacancy.headcount:
        vacancy.status = "filled"
        session.flush()
        _index_vacancy(session, vacancy)
    session.flush()
    return _place(session, actor, seeker.person_id, on=on, region=vacancy.region,
                  kind="placement", employer_id=vacancy.employer_id, vacancy_id=vacancy.id,
                  application_id=application.id)
