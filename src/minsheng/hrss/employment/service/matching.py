"""Matching (招聘求职一点通): vacancies for free text and filters, seekers for a vacancy,
with the reasons they match; one indexed query, no scan."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    bindparam,
    case,
    func,
    literal,
    select,
)
from sqlalchemy.orm import Session, aliased

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


def _region_range(prefix: str) -> tuple[str, str | None]:
    """A region prefix as a range over the 6-digit codes, which the ``(term, region,
    vacancy_id)`` key reads directly under any collation (``LIKE 'p%'`` would need a
    pattern operator class): ``5001`` → ``('500100', '500200')``, ``500103`` →
    ``('500103', '500104')``; no upper end after the last prefix (``9`` → ``('900000',
    None)``)."""
    low = prefix[:6].ljust(6, "0")
    high = str(int(prefix[:6]) + 1).rjust(len(prefix[:6]), "0")
    return low, None if len(high) > len(prefix[:6]) else high.ljust(6, "0")


def _like_prefix(value: str) -> str:
    return value.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


@lru_cache(maxsize=64)
def _ranked_statement(region: str, occupation: bool, pay: bool, education: bool,
                      wanted: bool) -> Select[Any, Any, Any, Any]:
    """The ranked search with terms, built once per shape of query (``region``: ``""``
    none, ``"from"`` a lower bound, ``"range"`` both bounds) and run with the values as
    parameters.

    The top N are found from the search rows alone: a vacancy's postings of the query
    terms (read through the ``(term, region, vacancy_id)`` key, so a district's search
    reads only its own postings; an index-only scan on PostgreSQL), filtered by the hard
    filters they carry, summed by weight plus the occupation bonus, ordered by score,
    posted date and id and cut to N. Only those N are joined to their vacancy and
    employer, with the query terms each one matched. Search rows exist for open
    vacancies only (see ``VacancyTerm``)."""
    t = VacancyTerm
    postings: list[ColumnElement[bool]] = [t.term.in_(bindparam("terms", expanding=True))]
    if region:
        postings.append(t.region >= bindparam("region_low"))
    if region == "range":
        postings.append(t.region < bindparam("region_high"))
    if occupation:
        postings.append(t.occupation_code.like(bindparam("occupation_like"), escape="/"))
    if pay:
        postings.append(t.pay_max >= bindparam("min_pay", type_=t.pay_max.type))
    if education:
        postings.append(t.education_required <= bindparam("education", type_=Integer))
    # A vacancy's rows all carry the same occupation and date: grouping by them too
    # names them without an aggregate (cheaper than max() of a string on PostgreSQL).
    bonus: ColumnElement[int] = literal(0)
    if wanted:
        bonus = case((t.occupation_code == bindparam("wanted"), rules.OCCUPATION_BONUS["same"]),
                     (t.occupation_code.like(bindparam("wanted_major_like"), escape="/"),
                      rules.OCCUPATION_BONUS["major"]), else_=0)
    score = (func.sum(t.weight) + bonus).label("score")
    top = (select(t.vacancy_id, score, t.posted_date)
           .where(*postings).group_by(t.vacancy_id, t.occupation_code, t.posted_date)
           .order_by(score.desc(), t.posted_date.desc(), t.vacancy_id.desc())
           .limit(bindparam("limit", type_=Integer)).subquery())
    mine = aliased(VacancyTerm)
    matched = (select(func.aggregate_strings(mine.term, " "))
               .where(mine.vacancy_id == top.c.vacancy_id,
                      mine.term.in_(bindparam("matched_terms", expanding=True)))
               .scalar_subquery())
    return (select(Vacancy, Employer.name, top.c.score, matched)
            .join(top, top.c.vacancy_id == Vacancy.id)
            .join(Employer, Employer.id == Vacancy.employer_id)
            .order_by(top.c.score.desc(), top.c.posted_date.desc(), top.c.vacancy_id.desc()))


def vacancy_search_statement(query: VacancyQuery, terms: tuple[str, ...]
                             ) -> tuple[Select[Any, Any, Any, Any], dict[str, Any]]:
    """The ranked search as one statement and its parameters, under the hard filters
    (open, region, occupation, pay reaching the wanted minimum, education at most the
    seeker's). Rows: vacancy, employer name, score and (with terms) the query terms the
    vacancy matched, space-separated."""
    if not terms:
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
        return (select(Vacancy, Employer.name, bonus.label("score"), literal(None))
                .join(Employer, Employer.id == Vacancy.employer_id).where(*filters)
                .order_by(bonus.desc(), Vacancy.posted_date.desc(), Vacancy.id.desc())
                .limit(query.limit)), {}
    params: dict[str, Any] = {"terms": list(terms), "matched_terms": list(terms),
                              "limit": query.limit}
    region = ""
    if query.region_prefix:
        params["region_low"], high = _region_range(query.region_prefix)
        region = "from"
        if high is not None:
            params["region_high"], region = high, "range"
    if query.occupation_code:
        params["occupation_like"] = _like_prefix(query.occupation_code)
    if query.min_pay is not None:
        params["min_pay"] = query.min_pay
    if query.education is not None:
        params["education"] = query.education
    if query.wanted_occupation:
        params["wanted"] = query.wanted_occupation
        params["wanted_major_like"] = _like_prefix(
            occupations.major_of(query.wanted_occupation) + "-")
    statement = _ranked_statement(region, bool(query.occupation_code),
                                  query.min_pay is not None, query.education is not None,
                                  bool(query.wanted_occupation))
    return statement, params


def search_vacancies(session: Session, actor: Principal, query: VacancyQuery
                     ) -> list[VacancyMatch]:
    """招聘求职一点通: open vacancies for free Chinese text (jieba terms) and hard filters,
    best first, each with the reasons it matched (the query terms it has, in the query's
    order). Vacancies are public to anyone signed in; no region scope applies."""
    terms = text.terms(query.text)
    statement, params = vacancy_search_statement(query, terms)
    results = []
    for vacancy, employer_name, score, matched in session.execute(statement, params):
        found = set(matched.split(" ")) if matched else set()
        facts = rules.MatchFacts(
            matched_terms=tuple(t for t in terms if t in found),
            occupation_code=vacancy.occupation_code,
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
