"""Employment-service JSON API: vacancy search (招聘求职一点通), job-seeker registration,
vacancies, applications, placements, the indicators and the zero-employment work-list."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from minsheng.hrss.employment import occupations, service
from minsheng.hrss.employment.models import JobApplication, JobSeeker, Placement, Vacancy
from minsheng.hrss.employment.schemas import (
    ApplicationRead,
    IndicatorsRead,
    PeerVacancyRead,
    PlacementInput,
    PlacementRead,
    SeekerInput,
    SeekerRead,
    VacancyInput,
    VacancyMatchRead,
    VacancyRead,
)
from minsheng.hrss.employment.service import peer
from minsheng.platform import regions
from minsheng.platform.money import money_str
from minsheng.platform.paging import RecordId
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import YearQuery
from minsheng.platform.web.deps import CurrentUser, SessionDep, require

router = APIRouter(prefix="/api/v1/employment", tags=["employment"])
Reader = Annotated[Principal, Depends(require("employment:read"))]
Writer = Annotated[Principal, Depends(require("employment:write"))]


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else f"{value}"


def _seeker(seeker: JobSeeker) -> SeekerRead:
    return SeekerRead(id=seeker.id, person_id=seeker.person_id, region=seeker.region,
                      occupation_code=seeker.occupation_code, status=seeker.status)


def _vacancy(vacancy: Vacancy) -> VacancyRead:
    return VacancyRead(id=vacancy.id, employer_id=vacancy.employer_id, title=vacancy.title,
                       region=vacancy.region, occupation_code=vacancy.occupation_code,
                       status=vacancy.status)


def _match(match: service.VacancyMatch) -> VacancyMatchRead:
    v = match.vacancy
    return VacancyMatchRead(
        vacancy_id=v.id, title=v.title, employer_name=match.employer_name, region=v.region,
        region_name=regions.name_of(v.region) or v.region, occupation_code=v.occupation_code,
        occupation_name=occupations.name_of(v.occupation_code), pay_min=money_str(v.pay_min),
        pay_max=money_str(v.pay_max), education_required=v.education_required,
        score=match.score, reasons=match.reasons)


@router.get("/vacancies", response_model=list[VacancyMatchRead])
def search_vacancies(
    session: SessionDep, actor: CurrentUser,
    q: Annotated[str, Query(max_length=200, pattern=r"^[^\x00]*$",
                            description="自由文本，如“电工 渝中”")] = "",
    region: Annotated[str, Query(max_length=6, pattern=r"^\d{0,6}$")] = "",
    occupation: Annotated[str, Query(max_length=8, pattern=r"^[0-9A-Za-z.-]*$")] = "",
    min_pay: Annotated[Decimal | None, Query(ge=0, le=10_000_000)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[VacancyMatchRead]:
    """Open vacancies for free text and filters, best first, with the reasons they match."""
    query = service.VacancyQuery(text=q, region_prefix=region, occupation_code=occupation,
                                 min_pay=min_pay, limit=limit)
    return [_match(m) for m in service.search_vacancies(session, actor, query)]


@router.get("/peer-vacancies", response_model=list[PeerVacancyRead])
def peer_vacancies(
    session: SessionDep, actor: CurrentUser,
    q: Annotated[str, Query(max_length=50, pattern=r"^[^\x00]*$")] = "",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> list[PeerVacancyRead]:
    """Open vacancies of the other province's node (川渝共享岗位), newest first."""
    listing = peer.peer_vacancies_page(session, text=q, page=page)
    return [PeerVacancyRead(
        origin_node=v.origin_node, origin_id=v.origin_id, title=v.title,
        employer_name=v.employer_name, region=v.region, occupation_code=v.occupation_code,
        pay_min=money_str(v.pay_min), pay_max=money_str(v.pay_max), headcount=v.headcount,
        posted_date=v.posted_date) for v in listing.rows]


@router.put("/persons/{person_id}/seeker", response_model=SeekerRead)
def register_seeker(person_id: RecordId, data: SeekerInput, session: SessionDep,
                    actor: CurrentUser) -> SeekerRead:
    """求职登记 of a person (by staff, or by the person themself); again: an update."""
    return _seeker(service.register_seeker(session, actor, person_id, data))


@router.post("/employers/{employer_id}/vacancies", status_code=201, response_model=VacancyRead)
def post_vacancy(employer_id: RecordId, data: VacancyInput, session: SessionDep,
                 actor: CurrentUser) -> VacancyRead:
    """An employer (or staff for it) posts a vacancy."""
    return _vacancy(service.post_vacancy(session, actor, employer_id, data))


@router.post("/vacancies/{vacancy_id}/applications", status_code=201,
             response_model=ApplicationRead)
def apply(vacancy_id: RecordId, session: SessionDep, actor: CurrentUser) -> ApplicationRead:
    """A registered job seeker applies to an open vacancy."""
    application: JobApplication = service.apply(session, actor, vacancy_id)
    return ApplicationRead(id=application.id, vacancy_id=application.vacancy_id,
                           seeker_id=application.seeker_id, status=application.status)


@router.post("/placements", status_code=201, response_model=PlacementRead)
def record_placement(data: PlacementInput, session: SessionDep, actor: Writer
                     ) -> PlacementRead:
    """安置就业 / 就业登记: counts as urban new employment where the law says so and ends an
    open unemployment registration."""
    placement: Placement = service.record_placement(
        session, actor, data.person_id, on=data.on, region=data.region,
        employer_id=data.employer_id, kind=data.kind)
    return PlacementRead(id=placement.id, person_id=placement.person_id,
                         placed_date=placement.placed_date, region=placement.region,
                         counts_as_new_employment=placement.counts_as_new_employment)


@router.get("/indicators", response_model=IndicatorsRead)
def indicators(
    session: SessionDep, actor: Reader,
    year: YearQuery,
    region: Annotated[str, Query(max_length=6, pattern=r"^\d{0,6}$")] = "",
) -> IndicatorsRead:
    """The employment indicators of a region for a year, computed from records."""
    f = service.indicators(session, actor, region, date(year, 1, 1), date(year, 12, 31))
    return IndicatorsRead(
        region=f.region, start=f.start, end=f.end,
        urban_new_employment=f.urban_new_employment,
        registered_unemployed=f.registered_unemployed, employed=f.employed,
        registered_unemployment_rate=_rate(f.registered_unemployment_rate),
        unemployed_helped=f.unemployed_helped, hard_to_employ_helped=f.hard_to_employ_helped,
        graduates=f.graduates, graduates_employed=f.graduates_employed,
        graduates_employment_rate=_rate(f.graduates_employment_rate),
        ex_fishers=f.ex_fishers, ex_fishers_transferred=f.ex_fishers_transferred,
        ex_fisher_transfer_rate=_rate(f.ex_fisher_transfer_rate),
        open_zero_employment_households=f.open_zero_employment_households)
