"""Vacancies (岗位发布) of employers: post, read, close, an employer's list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    case,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Session

from minsheng.hrss.employment import text
from minsheng.hrss.employment.models import (
    JobApplication,
    Vacancy,
    VacancyTerm,
)
from minsheng.hrss.employment.schemas import VacancyInput
from minsheng.hrss.employment.service import peer
from minsheng.hrss.employment.service._common import _check_common
from minsheng.hrss.registry.service import Employer
from minsheng.platform.errors import Conflict, FieldError, RuleViolation, not_found
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal


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
    """Rewrite the vacancy's search rows: its weighted terms with copies of its hard
    filters while it is open, none once it is closed or filled (so a search reads open
    vacancies only). Called whenever a vacancy is posted or changes state."""
    session.execute(delete(VacancyTerm).where(VacancyTerm.vacancy_id == vacancy.id))
    if vacancy.status != "open":
        return
    weights = text.weighted_terms(vacancy.title, vacancy.description)
    if weights:
        session.execute(insert(VacancyTerm), [
            {"term": t, "region": vacancy.region, "vacancy_id": vacancy.id, "weight": w,
             "pay_max": vacancy.pay_max, "education_required": vacancy.education_required,
             "occupation_code": vacancy.occupation_code, "posted_date": vacancy.posted_date}
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
        description=data.description.strip(), status="open", posted_date=on or date.today())
    session.add(vacancy)
    session.flush()
    _index_vacancy(session, vacancy)
    audit.record(session, actor=actor.username, action="employment.vacancy.post",
                 subject_type="vacancy", subject_id=vacancy.id,
                 payload={"employer_id": employer.id, "title": vacancy.title})
    peer.share(session, actor, vacancy, employer.name)
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
    _index_vacancy(session, vacancy)
    audit.record(session, actor=actor.username, action="employment.vacancy.close",
                 subject_type="vacancy", subject_id=vacancy.id)
    employer = session.get(Employer, vacancy.employer_id)
    peer.share(session, actor, vacancy, employer.name if employer else "")
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
        .group_by(Vacancy.id).order_by(Vacancy.posted_date.desc(), Vacancy.id.desc())).all()
    return [EmployerVacancy(v, int(a), int(h)) for v, a, h in rows]
