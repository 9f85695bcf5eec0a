"""Employment-service use cases: job seekers and vacancies, matching, applications,
referrals and placements, urban new employment, key groups, zero-employment households
and the indicators.

Services take a ``Session`` and a ``Principal``, flush (never commit), raise
``DomainError``s and write audit events. Registered unemployment comes from the
unemployment domain's public service (``registration_spans``), read in set-based counts
that say so where they span domains; a placement publishes ``PersonPlaced``, which ends
the registration there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from minsheng.hrss.employment import occupations, rules, text
from minsheng.hrss.employment.models import (
    JobApplication,
    JobSeeker,
    JobSeekerTerm,
    KeyGroupMember,
    Placement,
    UrbanNewEmployment,
    Vacancy,
    VacancyTerm,
    WorkIncapacity,
    ZeroEmploymentCase,
)
from minsheng.hrss.employment.schemas import SeekerInput, VacancyInput
from minsheng.hrss.employment.settings import get_employment_settings
from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Employer, Household, Person
from minsheng.hrss.unemployment import service as unemployment
from minsheng.platform import events, ids, regions
from minsheng.platform.bulk import execute_count
from minsheng.platform.db import flush, utcnow
from minsheng.platform.errors import Conflict, FieldError, RuleViolation, not_found
from minsheng.platform.events import PersonPlaced
from minsheng.platform.security import audit
from minsheng.platform.security.principal import SYSTEM, Principal, region_filter

ZERO = Decimal("0")


def registered_unemployed_clause(person_id: Any, on: date) -> ColumnElement[bool]:
    """SQL: the person (column or value) holds a registration open on ``on`` and has not
    been placed since it began (a placement recorded here is evidence of work even before
    the unemployment domain has ended the registration). The registrations are the
    unemployment domain's (cross-domain set-based count)."""
    ur = unemployment.registration_spans()
    placed_since = exists(select(Placement.id).where(
        Placement.person_id == ur.c.person_id, Placement.placed_on >= ur.c.registered_on,
        Placement.placed_on <= on))
    return exists(select(literal(1)).select_from(ur).where(
        ur.c.person_id == person_id, ur.c.registered_on <= on,
        or_(ur.c.ended_on.is_(None), ur.c.ended_on > on), ~placed_since))


def is_registered_unemployed(session: Session, person_id: int, on: date) -> bool:
    return bool(session.scalar(select(registered_unemployed_clause(person_id, on))))


# --- checks --------------------------------------------------------------------------------


def _check_common(region: str, occupation_code: str, errors: list[FieldError]) -> None:
    try:
        regions.validate_residence_region(region, "region")
    except RuleViolation as exc:
        errors.extend(exc.errors)
    if occupation_code not in occupations.MEDIUM_CATEGORIES:
        errors.append(FieldError("occupation_code", "请选择职业分类（GB/T 6565 中类）",
                                 "choose an occupation (GB/T 6565 medium category)"))


def _check_seeker(data: SeekerInput) -> None:
    errors: list[FieldError] = []
    _check_common(data.region, data.occupation_code, errors)
    if errors:
        raise RuleViolation("求职登记信息有误", "Invalid job-seeker data", errors=errors)


def _check_vacancy(data: VacancyInput) -> None:
    errors: list[FieldError] = []
    if not data.title.strip():
        errors.append(FieldError("title", "请填写岗位名称", "the title is required"))
    _check_common(data.region, data.occupation_code, errors)
    if data.pay_max < data.pay_min:
        errors.append(FieldError("pay_max", "薪资上限不能低于下限",
                                 "the top of the pay range is below its bottom"))
    if errors:
        raise RuleViolation("岗位信息有误", "Invalid vacancy data", errors=errors)


# --- job seekers ---------------------------------------------------------------------------


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
        seeker = JobSeeker(person_id=person.id, registered_on=on or date.today(), **values)
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


# --- vacancies -----------------------------------------------------------------------------


def _employer_for(session: Session, actor: Principal, employer_id: int) -> Employer:
    """The employer itself (``employment:employer``) or staff of its region."""
    employer = session.get(Employer, employer_id)
    allowed = employer is not None and (
        (actor.is_staff and actor.can("employment:write") and actor.sees_region(employer.region))
        or (actor.employer_id == employer.id and actor.can("employment:employer")))
    if employer is None or not allowed:
        raise not_found("单位", "Employer", employer_id)
    return employer


def _index_vacancy(session: Session, vacancy: Vacancy) -> None:
    session.execute(delete(VacancyTerm).where(VacancyTerm.vacancy_id == vacancy.id))
    weights = text.weighted_terms(vacancy.title, vacancy.description)
    if weights:
        session.execute(insert(VacancyTerm), [
            {"term": t, "region": vacancy.region, "vacancy_id": vacancy.id, "weight": w}
            for t, w in weights.items()])


def post_vacancy(
    session: Session, actor: Principal, employer_id: int, data: VacancyInput,
    on: date | None = None,
) -> Vacancy:
    """An employer posts a vacancy (岗位发布), coded by GB/T 6565 occupation."""
    actor.require_any("employment:employer", "employment:write")
    employer = _employer_for(session, actor, employer_id)
    _check_vacancy(data)
    vacancy = Vacancy(
        employer_id=employer.id, title=data.title.strip(), occupation_code=data.occupation_code,
        region=data.region.strip(), education_required=data.education_required,
        pay_min=data.pay_min, pay_max=data.pay_max, headcount=data.headcount,
        description=data.description.strip(), status="open", posted_on=on or date.today())
    session.add(vacancy)
    session.flush()
    _index_vacancy(session, vacancy)
    audit.record(session, actor=actor.username, action="employment.vacancy.post",
                 subject_type="vacancy", subject_id=vacancy.id,
                 payload={"employer_id": employer.id, "title": vacancy.title})
    return vacancy


def read_vacancy(session: Session, vacancy_id: int) -> tuple[Vacancy, str]:
    """A vacancy and its employer's name: public information."""
    row = session.execute(
        select(Vacancy, Employer.name).join(Employer, Employer.id == Vacancy.employer_id)
        .where(Vacancy.id == vacancy_id)).first()
    if row is None:
        raise not_found("岗位", "Vacancy", vacancy_id)
    return row[0], row[1]


def _own_vacancy(session: Session, actor: Principal, vacancy_id: int) -> Vacancy:
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise not_found("岗位", "Vacancy", vacancy_id)
    _employer_for(session, actor, vacancy.employer_id)
    return vacancy


def close_vacancy(session: Session, actor: Principal, vacancy_id: int) -> Vacancy:
    actor.require_any("employment:employer", "employment:write")
    vacancy = _own_vacancy(session, actor, vacancy_id)
    if vacancy.status != "open":
        raise Conflict("岗位已关闭", "The vacancy is no longer open")
    vacancy.status = "closed"
    session.flush()
    audit.record(session, actor=actor.username, action="employment.vacancy.close",
                 subject_type="vacancy", subject_id=vacancy.id)
    return vacancy


@dataclass(frozen=True)
class EmployerVacancy:
    vacancy: Vacancy
    applicants: int
    hired: int


def employer_vacancies(session: Session, actor: Principal, employer_id: int
                       ) -> list[EmployerVacancy]:
    _employer_for(session, actor, employer_id)
    applicants = func.count(JobApplication.id)
    hired = func.coalesce(func.sum(case((JobApplication.status == "hired", 1), else_=0)), 0)
    rows = session.execute(
        select(Vacancy, applicants, hired)
        .outerjoin(JobApplication, JobApplication.vacancy_id == Vacancy.id)
        .where(Vacancy.employer_id == employer_id)
        .group_by(Vacancy.id).order_by(Vacancy.posted_on.desc(), Vacancy.id.desc())).all()
    return [EmployerVacancy(v, int(a), int(h)) for v, a, h in rows]


# --- matching ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VacancyQuery:
    """A search for vacancies: free text plus hard filters. ``wanted_occupation`` ranks
    (same medium category first, then the same major one) without filtering."""

    text: str = ""
    region_prefix: str = ""
    occupation_code: str = ""
    min_pay: Decimal | None = None
    education: int | None = None
    wanted_occupation: str | None = None
    limit: int = 20


@dataclass(frozen=True)
class VacancyMatch:
    vacancy: Vacancy
    employer_name: str
    score: int
    matched_terms: tuple[str, ...]
    reasons: list[str]


def _occupation_bonus(code_column: Any, wanted: str | None) -> ColumnElement[int]:
    if not wanted:
        return literal(0)
    return case(
        (code_column == wanted, rules.OCCUPATION_BONUS["same"]),
        (code_column.startswith(occupations.major_of(wanted) + "-"),
         rules.OCCUPATION_BONUS["major"]),
        else_=0)


def _term_region(prefix: str) -> list[ColumnElement[bool]]:
    """A region prefix as a range over the 6-digit codes, which the ``(term, region,
    vacancy_id)`` key reads directly under any collation (``LIKE 'p%'`` would need a
    pattern operator class): ``5001`` → ``'500100' <= region < '500200'``."""
    if not prefix:
        return []
    if len(prefix) >= 6:
        return [VacancyTerm.region == prefix[:6]]
    low = prefix.ljust(6, "0")
    high = str(int(prefix) + 1).rjust(len(prefix), "0")
    if len(high) > len(prefix):
        return [VacancyTerm.region >= low]
    return [VacancyTerm.region >= low, VacancyTerm.region < high.ljust(6, "0")]


def vacancy_search_statement(query: VacancyQuery, terms: tuple[str, ...]
                             ) -> Select[Any, Any, Any]:
    """The ranked search as one statement: the vacancy's postings of the query terms
    (read through the ``(term, region, vacancy_id)`` key, so a district's search reads
    only its own postings) summed by weight, plus the occupation bonus, under the hard
    filters (open, region, occupation, pay reaching the wanted minimum, education at most
    the seeker's)."""
    filters: list[ColumnElement[bool]] = [Vacancy.status == "open"]
    if query.region_prefix:
        filters.append(Vacancy.region.startswith(query.region_prefix, autoescape=True))
    if query.occupation_code:
        filters.append(Vacancy.occupation_code.startswith(query.occupation_code,
                                                          autoescape=True))
    if query.min_pay is not None:
        filters.append(Vacancy.pay_max >= query.min_pay)
    if query.education is not None:
        filters.append(Vacancy.education_required <= query.education)
    bonus = _occupation_bonus(Vacancy.occupation_code, query.wanted_occupation)
    if not terms:
        return (select(Vacancy, Employer.name, bonus.label("score"))
                .join(Employer, Employer.id == Vacancy.employer_id).where(*filters)
                .order_by(bonus.desc(), Vacancy.posted_on.desc(), Vacancy.id.desc())
                .limit(query.limit))
    hits_stmt = (select(VacancyTerm.vacancy_id, func.sum(VacancyTerm.weight).label("hits"))
                 .where(VacancyTerm.term.in_(terms), *_term_region(query.region_prefix)))
    hits = hits_stmt.group_by(VacancyTerm.vacancy_id).subquery()
    score = (hits.c.hits + bonus).label("score")
    return (select(Vacancy, Employer.name, score)
            .join(hits, hits.c.vacancy_id == Vacancy.id)
            .join(Employer, Employer.id == Vacancy.employer_id).where(*filters)
            .order_by(score.desc(), Vacancy.posted_on.desc(), Vacancy.id.desc())
            .limit(query.limit))


def _terms_by_vacancy(session: Session, ids_: list[int], terms: tuple[str, ...]
                      ) -> dict[int, tuple[str, ...]]:
    if not ids_ or not terms:
        return {}
    found: dict[int, list[str]] = {}
    rows = session.execute(
        select(VacancyTerm.vacancy_id, VacancyTerm.term)
        .where(VacancyTerm.vacancy_id.in_(ids_), VacancyTerm.term.in_(terms))
        .order_by(VacancyTerm.weight.desc()))
    for vacancy_id, term in rows:
        found.setdefault(vacancy_id, []).append(term)
    order = {t: i for i, t in enumerate(terms)}
    return {k: tuple(sorted(v, key=order.__getitem__)) for k, v in found.items()}


def search_vacancies(session: Session, actor: Principal, query: VacancyQuery
                     ) -> list[VacancyMatch]:
    """招聘求职一点通: open vacancies for free Chinese text (jieba terms) and hard filters,
    best first, each with the reasons it matched. Vacancies are public to anyone signed
    in; no region scope applies."""
    terms = text.terms(query.text)
    rows = session.execute(vacancy_search_statement(query, terms)).all()
    matched = _terms_by_vacancy(session, [r[0].id for r in rows], terms)
    results = []
    for vacancy, employer_name, score in rows:
        facts = rules.MatchFacts(
            matched_terms=matched.get(vacancy.id, ()), occupation_code=vacancy.occupation_code,
            wanted_occupation=query.wanted_occupation, pay_min=vacancy.pay_min,
            pay_max=vacancy.pay_max, wanted_pay=query.min_pay,
            education_required=vacancy.education_required, education=query.education,
            region=vacancy.region, wanted_region_prefix=query.region_prefix)
        results.append(VacancyMatch(vacancy, employer_name, int(score), facts.matched_terms,
                                    rules.explain(facts, regions.name_of(vacancy.region)
                                                  or vacancy.region)))
    return results


def query_for_seeker(seeker: JobSeeker, limit: int | None = None) -> VacancyQuery:
    """What a seeker's registration asks: their skills and summary as text, their region
    (its county), pay and education as hard filters, their occupation for ranking."""
    return VacancyQuery(
        text=f"{seeker.skills} {seeker.summary}", region_prefix=seeker.region,
        min_pay=seeker.min_pay, education=seeker.education,
        wanted_occupation=seeker.occupation_code,
        limit=limit or get_employment_settings().match_limit)


def match_vacancies_for_seeker(session: Session, actor: Principal, seeker_id: int,
                               limit: int | None = None) -> list[VacancyMatch]:
    seeker = _seeker(session, actor, seeker_id)
    return search_vacancies(session, actor, query_for_seeker(seeker, limit))


@dataclass(frozen=True)
class SeekerMatch:
    seeker: JobSeeker
    name: str
    resident_id_masked: str
    score: int
    reasons: list[str]


def match_seekers_for_vacancy(session: Session, actor: Principal, vacancy_id: int,
                              limit: int | None = None) -> list[SeekerMatch]:
    """Seekers for a vacancy (for staff referrals): seeking, wanting work in the
    vacancy's county, asking no more than its top pay, educated at least as required;
    ranked by the vacancy's title and description terms and occupation."""
    actor.require("employment:read")
    vacancy, _ = read_vacancy(session, vacancy_id)
    terms = tuple(text.weighted_terms(vacancy.title, vacancy.description))
    bonus = _occupation_bonus(JobSeeker.occupation_code, vacancy.occupation_code)
    filters = [JobSeeker.status == "seeking", JobSeeker.region == vacancy.region,
               JobSeeker.min_pay <= vacancy.pay_max,
               JobSeeker.education >= vacancy.education_required,
               region_filter(JobSeeker.region, actor)]
    limit = limit or get_employment_settings().match_limit
    hits = (select(JobSeekerTerm.seeker_id, func.sum(JobSeekerTerm.weight).label("hits"))
            .where(JobSeekerTerm.term.in_(terms), JobSeekerTerm.region == vacancy.region)
            .group_by(JobSeekerTerm.seeker_id).subquery())
    score = (func.coalesce(hits.c.hits, 0) + bonus).label("score")
    rows = session.execute(
        select(JobSeeker, Person.name, Person.resident_id, score)
        .outerjoin(hits, hits.c.seeker_id == JobSeeker.id)
        # Names for the list: the registry's person rows (display only).
        .join(Person, Person.id == JobSeeker.person_id).where(*filters)
        .order_by(score.desc(), JobSeeker.registered_on, JobSeeker.id).limit(limit)).all()
    seeker_terms: dict[int, list[str]] = {}
    for sid, term in session.execute(
            select(JobSeekerTerm.seeker_id, JobSeekerTerm.term)
            .where(JobSeekerTerm.seeker_id.in_([r[0].id for r in rows]),
                   JobSeekerTerm.term.in_(terms))):
        seeker_terms.setdefault(sid, []).append(term)
    results = []
    for seeker, name, resident_id, s in rows:
        facts = rules.MatchFacts(
            matched_terms=tuple(seeker_terms.get(seeker.id, ())),
            occupation_code=seeker.occupation_code, wanted_occupation=vacancy.occupation_code,
            pay_min=None, pay_max=vacancy.pay_max, wanted_pay=seeker.min_pay,
            education_required=vacancy.education_required, education=seeker.education,
            region=seeker.region, wanted_region_prefix=vacancy.region)
        results.append(SeekerMatch(seeker, name, ids.mask_resident_id(resident_id), int(s),
                                   rules.explain(facts, regions.name_of(seeker.region)
                                                 or seeker.region)))
    return results


# --- applications and referrals ------------------------------------------------------------


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
    return _place(session, actor, seeker.person_id, on=on, region=vacancy.region,
                  kind="placement", employer_id=vacancy.employer_id, vacancy_id=vacancy.id,
                  application_id=application.id)


# --- placements and urban new employment ---------------------------------------------------


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


def _place(session: Session, actor: Principal, person_id: int, *, on: date, region: str,
           kind: str, employer_id: int | None = None, vacancy_id: int | None = None,
           application_id: int | None = None) -> Placement:
    registered = is_registered_unemployed(session, person_id, on)
    hard_to_employ = bool(session.scalar(select(_active_member("hard_to_employ", person_id,
                                                                on))))
    employed_before = bool(session.scalar(select(exists(select(Placement.id).where(
        Placement.person_id == person_id, Placement.placed_on <= on)))))
    counts = rules.counts_as_new_employment(registered_unemployed=registered,
                                            employed_before=employed_before)
    placement = Placement(
        person_id=person_id, kind=kind, employer_id=employer_id, vacancy_id=vacancy_id,
        application_id=application_id, region=region, placed_on=on,
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


# --- key groups -----------------------------------------------------------------------------


def add_to_key_group(
    session: Session, actor: Principal, person_id: int, group_code: str, *, since: date,
    category: str = "", graduation_year: int | None = None,
) -> KeyGroupMember:
    """Recognise a person as a member of a key group (重点群体). A person may belong to
    several groups; a hard-to-employ person is certified under a category
    (就业促进法 art. 52; the list is provincial: ``rules.HARD_TO_EMPLOY_CATEGORIES``)."""
    actor.require("employment:write")
    person = registry.person_for_write(session, actor, person_id)
    errors: list[FieldError] = []
    if group_code not in rules.KEY_GROUPS:
        errors.append(FieldError("group_code", "重点群体类别无效", "unknown key group"))
    if group_code == "hard_to_employ" and category not in rules.HARD_TO_EMPLOY_CATEGORIES:
        errors.append(FieldError("category", "请选择就业困难人员类别",
                                 "choose the hard-to-employ category"))
    if group_code != "hard_to_employ":
        category = ""
    if group_code == "graduate" and graduation_year is None:
        errors.append(FieldError("graduation_year", "请填写毕业年度", "graduation year needed"))
    if errors:
        raise RuleViolation("重点群体信息有误", "Invalid key-group data", errors=errors)
    duplicate = session.scalar(select(KeyGroupMember.id).where(
        KeyGroupMember.person_id == person.id, KeyGroupMember.group_code == group_code,
        KeyGroupMember.category == category))
    if duplicate is not None:
        raise Conflict("已在该重点群体中", "Already in this key group",
                       extra={"existing_id": duplicate})
    member = KeyGroupMember(
        person_id=person.id, group_code=group_code, category=category,
        graduation_year=graduation_year if group_code == "graduate" else None,
        region=person.residence_region, since=since, recorded_by=actor.username)
    session.add(member)
    session.flush()
    audit.record(session, actor=actor.username, action="employment.key_group.add",
                 subject_type="key_group_member", subject_id=member.id,
                 payload={"person_id": person.id, "group": group_code, "category": category})
    return member


def key_groups_of(session: Session, actor: Principal, person_id: int) -> list[KeyGroupMember]:
    registry.person_for_read(session, actor, person_id)
    return list(session.scalars(select(KeyGroupMember).where(
        KeyGroupMember.person_id == person_id).order_by(KeyGroupMember.id)))


def record_work_incapacity(session: Session, actor: Principal, person_id: int, *,
                           since: date, reason: str = "") -> WorkIncapacity:
    """Record that a person is unable to work (丧失劳动能力): they no longer count among a
    household's working-age members able to work."""
    actor.require("employment:write")
    person = registry.person_for_write(session, actor, person_id)
    if session.get(WorkIncapacity, person.id) is not None:
        raise Conflict("已登记丧失劳动能力", "Incapacity already recorded")
    row = WorkIncapacity(person_id=person.id, since=since, reason=reason)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor.username, action="employment.work_incapacity",
                 subject_type="person", subject_id=person.id, payload={"reason": reason})
    return row


# --- zero-employment households --------------------------------------------------------------


@dataclass(frozen=True)
class DetectionResult:
    on: date
    qualifying: int
    opened: int
    closed: int


def working_age_clause(on: date) -> ColumnElement[bool]:
    """SQL on the registry's ``person`` rows (cross-domain set-based count): alive, at
    least 16 and below the statutory retirement age on ``on``, not recorded as unable to
    work."""
    settings = get_employment_settings()
    male_cutoff = rules.retired_birth_cutoff(on, "male")
    female_cutoff = rules.retired_birth_cutoff(on, settings.female_retirement_category)
    return and_(
        Person.status == "alive",
        Person.birth_date <= rules.youngest_working_birth_date(on),
        or_(and_(Person.gender == "M", Person.birth_date > male_cutoff),
            and_(Person.gender == "F", Person.birth_date > female_cutoff)),
        ~exists(select(WorkIncapacity.person_id).where(
            WorkIncapacity.person_id == Person.id, WorkIncapacity.since <= on)))


def zero_employment_households(on: date, region_prefix: str) -> Select[Any, Any, Any]:
    """Households (``household_id``, ``members``) of which every working-age member able
    to work is registered unemployed on ``on`` (就业促进法 art. 56; hrss-rules §9), with at
    least one such member. Set-based over the registry's households and people and the
    unemployment domain's registrations."""
    registered = registered_unemployed_clause(Person.id, on)
    stmt = (select(Person.household_id.label("household_id"),
                   func.count().label("members"),
                   func.min(Household.address_region).label("region"))
            .join(Household, Household.id == Person.household_id)
            .where(Person.household_id.is_not(None), working_age_clause(on))
            .group_by(Person.household_id)
            .having(func.sum(case((registered, 0), else_=1)) == 0))
    if region_prefix:
        stmt = stmt.where(Household.address_region.startswith(region_prefix, autoescape=True))
    return stmt


def detect_zero_employment(session: Session, actor: Principal, on: date | None = None
                           ) -> DetectionResult:
    """Find the zero-employment households in the actor's scope and keep the work-list
    current (动态清零): a qualifying household without an open case gets one with a
    deadline (``zero_household_days`` after detection); an open case whose household no
    longer qualifies (a member at work, or no longer registered) is closed. Idempotent."""
    actor.require("employment:write")
    on = on or date.today()
    prefix = actor.region_prefix
    qualifying = zero_employment_households(on, prefix).subquery()
    count = session.scalar(select(func.count()).select_from(qualifying)) or 0
    deadline = rules.zero_employment_deadline(on, get_employment_settings().zero_household_days)
    now = utcnow()
    has_open = exists(select(ZeroEmploymentCase.id).where(
        ZeroEmploymentCase.household_id == qualifying.c.household_id,
        ZeroEmploymentCase.status == "open"))
    opened = len(session.execute(insert(ZeroEmploymentCase).from_select(
        ["household_id", "region", "detected_on", "deadline", "members", "status",
         "version", "created_at", "updated_at"],
        select(qualifying.c.household_id, qualifying.c.region, literal(on), literal(deadline),
               qualifying.c.members, literal("open"), literal(1), literal(now), literal(now))
        .where(~has_open)).returning(ZeroEmploymentCase.id)).all())
    still = select(qualifying.c.household_id)
    stale = [ZeroEmploymentCase.status == "open",
             ZeroEmploymentCase.household_id.not_in(still)]
    if prefix:
        stale.append(ZeroEmploymentCase.region.startswith(prefix, autoescape=True))
    closed = execute_count(session, update(ZeroEmploymentCase).where(*stale).values(
        status="closed", closed_on=on, closed_reason="no_longer_qualifies",
        version=ZeroEmploymentCase.version + 1, updated_at=now)
        .execution_options(synchronize_session=False))
    session.expire_all()
    audit.record(session, actor=actor.username, action="employment.zero_employment.detect",
                 subject_type="region", subject_id=prefix or "*",
                 payload={"on": on.isoformat(), "qualifying": count, "opened": opened,
                          "closed": closed})
    return DetectionResult(on, count, opened, closed)


def _close_household_case(session: Session, actor: Principal, person_id: int,
                          placement: Placement) -> int | None:
    person = registry.person_for_read(session, SYSTEM, person_id)
    if person.household_id is None:
        return None
    case_ = session.scalar(select(ZeroEmploymentCase).where(
        ZeroEmploymentCase.household_id == person.household_id,
        ZeroEmploymentCase.status == "open"))
    if case_ is None:
        return None
    case_.status, case_.closed_on = "closed", placement.placed_on
    case_.closed_reason, case_.placement_id = "placement", placement.id
    session.flush()
    audit.record(session, actor=actor.username, action="employment.zero_employment.close",
                 subject_type="zero_employment_case", subject_id=case_.id,
                 payload={"placement_id": placement.id, "person_id": person_id})
    return case_.id


@dataclass(frozen=True)
class HouseholdMember:
    person_id: int
    name: str
    resident_id_masked: str
    relation: str | None


@dataclass
class WorkItem:
    case: ZeroEmploymentCase
    household_no: str
    address: str
    members: list[HouseholdMember] = field(default_factory=list)

    def days_left(self, on: date) -> int:
        return (self.case.deadline - on).days


def zero_employment_worklist(session: Session, actor: Principal, *, status: str = "open"
                             ) -> list[WorkItem]:
    """The work-list of zero-employment households in the actor's scope, the nearest
    deadline first, with each household's members (IDs masked)."""
    actor.require("employment:read")
    stmt = (select(ZeroEmploymentCase, Household.household_no, Household.address)
            .join(Household, Household.id == ZeroEmploymentCase.household_id)
            .where(ZeroEmploymentCase.status == status,
                   region_filter(ZeroEmploymentCase.region, actor))
            .order_by(ZeroEmploymentCase.deadline, ZeroEmploymentCase.id).limit(500))
    items = [WorkItem(c, no, address) for c, no, address in session.execute(stmt).all()]
    by_household = {item.case.household_id: item for item in items}
    if by_household:
        for person in session.scalars(select(Person).where(
                Person.household_id.in_(list(by_household))).order_by(Person.id)):
            assert person.household_id is not None
            by_household[person.household_id].members.append(HouseholdMember(
                person.id, person.name, ids.mask_resident_id(person.resident_id),
                person.household_relation))
    return items


# --- indicators ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicators:
    region: str
    start: date
    end: date
    urban_new_employment: int
    registered_unemployed: int | None
    employed: int
    registered_unemployment_rate: Decimal | None
    unemployed_helped: int
    hard_to_employ_helped: int
    graduates: int
    graduates_employed: int
    graduates_employment_rate: Decimal | None
    ex_fishers: int
    ex_fishers_transferred: int
    ex_fisher_transfer_rate: Decimal | None
    open_zero_employment_households: int


def _count(session: Session, stmt: Select[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def indicators(session: Session, actor: Principal, region_prefix: str, start: date, end: date
               ) -> Indicators:
    """The employment indicators of a region (GB/T 2260 prefix) for ``start``..``end``
    (hrss-rules §9), computed from records:

    - urban new employment: events dated in the period (one per person per year);
    - registered unemployed: people living in the region with a registration open at
      ``end`` and no placement since it began;
      employed: people in the region with an employee-pension enrolment open in the month
      of ``end`` (the insured-employment count); the rate is U ÷ (E + U);
    - unemployed / hard-to-employ helped into work: distinct people placed in the period
      who were registered unemployed / certified hard-to-employ that day;
    - graduates' year-end employment rate: graduates of ``end``'s year in the region with a
      placement or employment registration by the earlier of ``end`` and 31 December;
    - ex-fisher transfer rate: ex-fishers recognised by ``end`` with a job by ``end``;
    - open zero-employment households at ``end``."""
    actor.require("employment:read")
    if not (actor.region_prefix == "" or region_prefix.startswith(actor.region_prefix)):
        region_prefix = actor.region_prefix
    if end < start:
        raise RuleViolation("统计期间有误", "The period ends before it starts",
                            errors=[FieldError("end", "结束日期早于开始日期",
                                               "end is before start")])

    def in_region(col: Any) -> ColumnElement[bool]:
        return col.startswith(region_prefix, autoescape=True) if region_prefix else literal(True)

    new_employment = _count(session, select(UrbanNewEmployment.person_id).where(
        in_region(UrbanNewEmployment.region), UrbanNewEmployment.event_date >= start,
        UrbanNewEmployment.event_date <= end))
    # Cross-domain count: the unemployment domain's registrations (less those placed
    # since), the registry's residence region.
    unemployed = _count(session, select(Person.id).where(
        in_region(Person.residence_region), registered_unemployed_clause(Person.id, end)))
    employed = _employed(session, in_region, end)
    placed = select(Placement.person_id).distinct().where(
        in_region(Placement.region), Placement.placed_on >= start, Placement.placed_on <= end)
    unemployed_helped = _count(session, placed.where(Placement.was_registered_unemployed))
    hard_helped = _count(session, placed.where(Placement.was_hard_to_employ))

    year_end = min(end, date(end.year, 12, 31))
    graduates = select(KeyGroupMember.person_id).distinct().where(
        KeyGroupMember.group_code == "graduate", KeyGroupMember.graduation_year == end.year,
        in_region(KeyGroupMember.region))
    graduates_total = _count(session, graduates)
    graduates_employed = _count(session, graduates.where(exists(select(Placement.id).where(
        Placement.person_id == KeyGroupMember.person_id, Placement.placed_on <= year_end))))
    fishers = select(KeyGroupMember.person_id).distinct().where(
        KeyGroupMember.group_code == "ex_fisher", KeyGroupMember.since <= end,
        in_region(KeyGroupMember.region))
    fishers_total = _count(session, fishers)
    fishers_placed = _count(session, fishers.where(exists(select(Placement.id).where(
        Placement.person_id == KeyGroupMember.person_id, Placement.placed_on <= end))))
    open_cases = _count(session, select(ZeroEmploymentCase.id).where(
        in_region(ZeroEmploymentCase.region), ZeroEmploymentCase.detected_on <= end,
        or_(ZeroEmploymentCase.closed_on.is_(None), ZeroEmploymentCase.closed_on > end)))
    return Indicators(
        region=region_prefix, start=start, end=end, urban_new_employment=new_employment,
        registered_unemployed=unemployed, employed=employed,
        registered_unemployment_rate=(None if unemployed is None else
                                      rules.registered_unemployment_rate(unemployed, employed)),
        unemployed_helped=unemployed_helped, hard_to_employ_helped=hard_helped,
        graduates=graduates_total, graduates_employed=graduates_employed,
        graduates_employment_rate=rules.rate(graduates_employed, graduates_total),
        ex_fishers=fishers_total, ex_fishers_transferred=fishers_placed,
        ex_fisher_transfer_rate=rules.rate(fishers_placed, fishers_total),
        open_zero_employment_households=open_cases)


def _employed(session: Session, in_region: Any, end: date) -> int:
    """People living in the region with an employee-pension enrolment open in the month of
    ``end`` (the insurance domain's enrolments)."""
    enrolled = insurance.enrolled_in("employee_pension", end.year * 100 + end.month)
    return _count(session, select(Person.id).where(Person.id.in_(enrolled),
                                                   in_region(Person.residence_region)))
