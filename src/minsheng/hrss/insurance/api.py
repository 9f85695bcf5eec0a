"""Insurance JSON API: enrolments, hires and leavers, contributions, payments, coverage."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, UploadFile

from minsheng.hrss.insurance import imports, service
from minsheng.hrss.insurance.schemas import (
    ContributionRead,
    CoverageRead,
    EmployerMonth,
    EnrolmentCreate,
    EnrolmentEnd,
    EnrolmentRead,
    HireRequest,
    LeaveRequest,
    PaymentCreate,
    PovertyRead,
    ResidentPayment,
)
from minsheng.hrss.registry import service as registry
from minsheng.platform import imports as import_jobs
from minsheng.platform import uploads
from minsheng.platform.imports import ImportReport
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import DayQuery, IdPath, MonthPath, RegionQuery, YearQuery
from minsheng.platform.web.deps import CurrentUser, SessionDep, require

router = APIRouter(prefix="/api/v1", tags=["insurance"])
InsuranceWriter = Annotated[Principal, Depends(require("insurance:write"))]
InsuranceReader = Annotated[Principal, Depends(require("insurance:read"))]


def _one(session: SessionDep, enrolment_id: int, actor: Principal) -> EnrolmentRead:
    return next(e for e in service.enrolments_of(
        session, actor, service.enrolment_person(session, enrolment_id)) if e.id == enrolment_id)


@router.post("/enrolments", status_code=201, response_model=EnrolmentRead)
def create_enrolment(data: EnrolmentCreate, session: SessionDep,
                     actor: InsuranceWriter) -> EnrolmentRead:
    enrolment = service.enrol(session, actor, data)
    return _one(session, enrolment.id, actor)


@router.post("/enrolments/{enrolment_id}/end", response_model=EnrolmentRead)
def end_enrolment(enrolment_id: IdPath, data: EnrolmentEnd, session: SessionDep,
                  actor: InsuranceWriter) -> EnrolmentRead:
    service.end_enrolment(session, actor, enrolment_id, data)
    return _one(session, enrolment_id, actor)


@router.get("/persons/{person_id}/enrolments", response_model=list[EnrolmentRead])
def person_enrolments(person_id: IdPath, session: SessionDep,
                      actor: CurrentUser) -> list[EnrolmentRead]:
    return service.enrolments_of(session, actor, person_id)


@router.get("/persons/{person_id}/contributions", response_model=list[ContributionRead])
def person_contributions(person_id: IdPath, session: SessionDep, actor: CurrentUser,
                         year: YearQuery | None = None) -> list[ContributionRead]:
    return service.contributions_of(session, actor, person_id, year)


@router.post("/employers/{employer_id}/employees", status_code=201,
             response_model=list[EnrolmentRead])
def hire(employer_id: IdPath, data: HireRequest, session: SessionDep,
         actor: CurrentUser) -> list[EnrolmentRead]:
    created = service.hire(session, actor, employer_id, data)
    return [service.view_enrolment(e, None) for e in created]


@router.post("/employers/{employer_id}/employees/upload", response_model=ImportReport)
def hire_upload(employer_id: IdPath, file: UploadFile, session: SessionDep,
                actor: CurrentUser) -> ImportReport:
    content = uploads.read_limited(file.file, uploads.MAX_TABLE_BYTES)
    job = imports.import_hires(session, actor, employer_id, file.filename or "upload", content)
    return import_jobs.report_of(job)


@router.post("/employers/{employer_id}/employees/{person_id}/leave",
             response_model=list[EnrolmentRead])
def leave(employer_id: IdPath, person_id: IdPath, data: LeaveRequest, session: SessionDep,
          actor: CurrentUser) -> list[EnrolmentRead]:
    ended = service.leave(session, actor, employer_id, person_id, data)
    return [service.view_enrolment(e, None) for e in ended]


@router.get("/employers/{employer_id}/contributions/{month}", response_model=EmployerMonth)
def employer_month(employer_id: IdPath, month: MonthPath, session: SessionDep,
                   actor: CurrentUser) -> EmployerMonth:
    return service.employer_month(session, actor, employer_id, month)


@router.post("/employers/{employer_id}/payments", status_code=201, response_model=EmployerMonth)
def pay(employer_id: IdPath, data: PaymentCreate, session: SessionDep,
        actor: CurrentUser) -> EmployerMonth:
    service.pay_employer(session, actor, employer_id, data.period, data.amount)
    return service.employer_month(session, actor, employer_id, data.period)


@router.get("/contributions/arrears")
def arrears(session: SessionDep, actor: InsuranceReader) -> list[dict[str, Any]]:
    return service.employers_in_arrears(session, actor)


@router.post("/resident-pension/payments", status_code=201, response_model=ContributionRead)
def pay_resident(data: ResidentPayment, session: SessionDep,
                 actor: CurrentUser) -> ContributionRead:
    service.pay_resident_pension(session, actor, data)
    return next(c for c in service.contributions_of(session, actor, data.person_id, data.year)
                if c.scheme == "resident_pension")


@router.get("/coverage", response_model=CoverageRead)
def coverage(session: SessionDep, actor: CurrentUser, region: RegionQuery = "",
             on: DayQuery | None = None,
             sample: Annotated[int, Query(ge=0, le=200)] = 20) -> CoverageRead:
    result = service.coverage(session, actor, region=region, on=on)
    missing = service.not_enrolled(session, actor, region=region, on=result.on, size=sample) \
        if sample else []
    return CoverageRead(
        region=result.region, on=result.on.isoformat(), should_enrol=result.should_enrol,
        enrolled=result.enrolled, rate=result.rate,
        not_enrolled_sample=[registry.view_person(p, actor, full=False).model_dump(
            include={"id", "name", "resident_id", "residence_region", "birth_date"})
            for p in missing])


@router.get("/coverage/poverty", response_model=PovertyRead)
def poverty(session: SessionDep, actor: CurrentUser, year: YearQuery,
            region: RegionQuery = "") -> PovertyRead:
    checks = service.poverty_checks(session, actor, region=region, year=year)
    return PovertyRead(**checks.__dict__)


