"""HR service agency JSON API: the licence registry, annual reports, the late-report list
and the counts and revenue by region and year."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from minsheng.hrss.hragency import rules, service
from minsheng.hrss.hragency.models import AgencyLicence, AgencyReport
from minsheng.hrss.hragency.schemas import (
    CountRead,
    LateRead,
    LicenceCreate,
    LicenceRead,
    LicenceRenew,
    LicenceRevoke,
    ReportCreate,
    ReportRead,
)
from minsheng.hrss.registry.service import Employer
from minsheng.platform.paging import Page, PageNumber, PageSize
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import IdPath, RegionQuery, YearQuery
from minsheng.platform.web.deps import CurrentUser, SessionDep, require

router = APIRouter(prefix="/api/v1/talent/agencies", tags=["talent"])
Reader = Annotated[Principal, Depends(require("talent:read"))]
Writer = Annotated[Principal, Depends(require("talent:write"))]
OptionalYear = Annotated[int | None, Query(ge=1949, le=2100, description="年度（1949–2100）")]
StateQuery = Annotated[str, Query(pattern=r"^(|valid|expired|revoked)$", max_length=8,
                                  description="许可证状态")]


def _licence(session: Session, lic: AgencyLicence, name: str | None = None,
             uscc: str | None = None) -> LicenceRead:
    if name is None or uscc is None:
        employer = session.get(Employer, lic.employer_id)
        name, uscc = (employer.name, employer.uscc) if employer else ("", "")
    return LicenceRead(
        id=lic.id, licence_no=lic.licence_no, employer_id=lic.employer_id, agency_name=name,
        uscc=uscc, region=lic.region, scope=[s for s in lic.scope.split(",") if s],
        issued_on=lic.issued_on, valid_until=lic.valid_until, state=lic.state,
        status=rules.licence_status(lic.state, lic.valid_until, date.today()),
        revoked_on=lic.revoked_on, version=lic.version)


def _report(session: Session, r: AgencyReport, region: str) -> ReportRead:
    deadline = service.deadline_of(session, region, r.year)
    return ReportRead(id=r.id, licence_id=r.licence_id, year=r.year,
                      revenue_fen=r.revenue_fen, revenue=rules.yuan_from_fen(r.revenue_fen),
                      placements=r.placements, training_sessions=r.training_sessions,
                      training_people=r.training_people, filed_on=r.filed_on,
                      late=deadline is not None and rules.is_late(deadline, r.filed_on,
                                                                  date.today()))


@router.post("", status_code=201, response_model=LicenceRead)
def register(data: LicenceCreate, session: SessionDep, actor: Writer) -> LicenceRead:
    """颁发人力资源服务许可证."""
    return _licence(session, service.register(session, actor, data))


@router.get("", response_model=Page[LicenceRead])
def registry(session: SessionDep, actor: Reader, state: StateQuery = "",
             page: PageNumber = 1, size: PageSize = 50) -> Page[LicenceRead]:
    found = service.registry_page(session, actor, state=state, page=page, size=size)
    return Page(items=[_licence(session, r[0], r[1], r[2]) for r in found.rows],
                total=found.total, page=found.page, size=found.size)


@router.get("/counts", response_model=list[CountRead])
def counts(session: SessionDep, actor: Reader, year: OptionalYear = None,
           region: RegionQuery = "") -> list[CountRead]:
    """Licensed agencies at the year's end, reports and revenue on the year (default: last
    year), by district."""
    year = year if year is not None else date.today().year - 1
    return [CountRead(region=c.region, year=c.year, agencies=c.agencies, reported=c.reported,
                      revenue_fen=c.revenue_fen, revenue=rules.yuan_from_fen(c.revenue_fen),
                      placements=c.placements)
            for c in service.counts(session, actor, region, year)]


@router.get("/late", response_model=Page[LateRead])
def late(session: SessionDep, actor: Reader, year: YearQuery, page: PageNumber = 1,
         size: PageSize = 50) -> Page[LateRead]:
    """Licensed agencies of ``year`` that have not reported on it."""
    found = service.late_page(session, actor, year, page=page, size=size)
    return Page(items=[LateRead(licence_id=r[0].id, licence_no=r[0].licence_no,
                                agency_name=r[1], region=r[0].region, year=year,
                                deadline=found.deadline) for r in found.listing.rows],
                total=found.listing.total, page=found.listing.page, size=found.listing.size)


@router.get("/{licence_id}", response_model=LicenceRead)
def read(licence_id: IdPath, session: SessionDep, actor: CurrentUser) -> LicenceRead:
    return _licence(session, service.read(session, actor, licence_id))


@router.post("/{licence_id}/renew", response_model=LicenceRead)
def renew(licence_id: IdPath, data: LicenceRenew, session: SessionDep,
          actor: Writer) -> LicenceRead:
    return _licence(session, service.renew(session, actor, licence_id, data.valid_until,
                                           data.version))


@router.post("/{licence_id}/revoke", response_model=LicenceRead)
def revoke(licence_id: IdPath, data: LicenceRevoke, session: SessionDep,
           actor: Writer) -> LicenceRead:
    return _licence(session, service.revoke(session, actor, licence_id, data.on, data.reason,
                                            data.version))


@router.get("/{licence_id}/reports", response_model=list[ReportRead])
def reports(licence_id: IdPath, session: SessionDep, actor: CurrentUser) -> list[ReportRead]:
    found = service.reports_of(session, actor, licence_id)
    region = service.licence_for(session, actor, licence_id).region
    return [_report(session, r, region) for r in found]


@router.post("/{licence_id}/reports", status_code=201, response_model=ReportRead)
def file_report(licence_id: IdPath, data: ReportCreate, session: SessionDep,
                actor: CurrentUser) -> ReportRead:
    """年度报告 by the agency (its own licence) or staff."""
    report = service.file_report(session, actor, licence_id, data)
    return _report(session, report, service.licence_for(session, actor, licence_id).region)
