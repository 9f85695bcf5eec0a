"""Matching (招聘求职一点通): vacancies for free text and filters, seekers for a vacancy,
with the reasons they match; one indexed query, no scan."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Session

from minsheng.hrss.employment import occupations, rules, text
from minsheng.hrss.employment.models import (
    JobSeeker,
    JobSeekerTerm,
    Vacancy,
    VacancyTerm,
)
from minsheng.hrss.employment.service.seekers import _seeker
from minsheng.hrss.employment.service.vacancies import read_vacancy
from minsheng.hrss.employment.settings import get_employment_settings
from minsheng.hrss.registry.service import Employer, Person
from minsheng.platform import ids, regions
from minsheng.platform.security.principal import Principal, region_filter


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
                .order_by(bonus.desc(), Vacancy.posted_date.desc(), Vacancy.id.desc())
                .limit(query.limit))
    hits_stmt = (select(VacancyTerm.vacancy_id, func.sum(VacancyTerm.weight).label("hits"))
                 .where(VacancyTerm.term.in_(terms), *_term_region(query.region_prefix)))
    hits = hits_stmt.group_by(VacancyTerm.vacancy_id).subquery()
    score = (hits.c.hits + bonus).label("score")
    return (select(Vacancy, Employer.name, score)
            .join(hits, hits.c.vacancy_id == Vacancy.id)
            .join(Employer, Employer.id == Vacancy.employer_id).where(*filters)
            .order_by(score.desc(), Vacancy.posted_date.desc(), Vacancy.id.desc())
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
        .order_by(score.desc(), JobSeeker.registered_date, JobSeeker.id).limit(limit)).all()
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
