"""Registry JSON API: people, households, employers, imports and exports."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, UploadFile
from fastapi.responses import Response

from minsheng.hrss.registry import imports, service
from minsheng.hrss.registry.schemas import (
    DeathRecord,
    EmployerCreate,
    EmployerRead,
    HouseholdCreate,
    HouseholdRead,
    PersonCreate,
    PersonRead,
    PersonUpdate,
)
from minsheng.platform import imports as import_jobs
from minsheng.platform import uploads
from minsheng.platform.imports import ImportReport
from minsheng.platform.paging import Page, PageNumber, PageSize
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import IdPath, SearchQuery
from minsheng.platform.web.deps import CurrentUser, SessionDep, require

Reader = Annotated[Principal, Depends(require("registry:read"))]
Writer = Annotated[Principal, Depends(require("registry:write"))]
Importer = Annotated[Principal, Depends(require("registry:import"))]
Exporter = Annotated[Principal, Depends(require("registry:export"))]

router = APIRouter(prefix="/api/v1", tags=["registry"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post("/persons", status_code=201, response_model=PersonRead)
def create_person(data: PersonCreate, session: SessionDep, actor: Writer) -> PersonRead:
    person = service.register_person(session, actor, data)
    return service.view_person(person, actor)


@router.get("/persons", response_model=Page[PersonRead])
def search_persons(
    session: SessionDep,
    actor: Reader,
    q: SearchQuery = "",
    page: PageNumber = 1,
    size: PageSize = 20,
) -> Page[PersonRead]:
    found = service.search_persons(session, actor, q=q, page=page, size=size)
    return Page(
        items=[service.view_person(p, actor, full=False) for p in found.items],
        total=found.total,
        page=found.page,
        size=found.size,
    )


@router.get("/persons/export.xlsx")
def export_persons(session: SessionDep, actor: Exporter, q: SearchQuery = "",
                   sort: str = "") -> Response:
    """The person search as .xlsx; ``sort`` the search page's order (``name``, ``-birth``;
    anything else the default)."""
    content = imports.export_persons_xlsx(session, actor, q=q,
                                          sort=service.PERSON_SORTING.parse(sort))
    return Response(content, media_type=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="persons.xlsx"'})


@router.get("/persons/{person_id}", response_model=PersonRead)
def read_person(person_id: IdPath, session: SessionDep, actor: CurrentUser) -> PersonRead:
    return service.view_person(service.read_person(session, actor, person_id), actor)


@router.patch("/persons/{person_id}", response_model=PersonRead)
def update_person(
    person_id: IdPath, data: PersonUpdate, session: SessionDep, actor: Writer
) -> PersonRead:
    return service.view_person(service.update_person(session, actor, person_id, data), actor)


@router.post("/persons/{person_id}/death", response_model=PersonRead)
def record_death(person_id: IdPath, data: DeathRecord, session: SessionDep,
                 actor: Writer) -> PersonRead:
    """死亡登记: closes the card and stops the pension in the same unit of work."""
    return service.view_person(service.record_death(session, actor, person_id,
                                                    data.death_date), actor)


@router.post("/households", status_code=201, response_model=HouseholdRead)
def create_household(
    data: HouseholdCreate, session: SessionDep, actor: Writer
) -> HouseholdRead:
    household = service.create_household(session, actor, data)
    return service.read_household(session, actor, household.id)


@router.get("/households/{household_id}", response_model=HouseholdRead)
def read_household(household_id: IdPath, session: SessionDep, actor: Reader) -> HouseholdRead:
    return service.read_household(session, actor, household_id)


@router.put("/households/{household_id}/members/{person_id}", response_model=HouseholdRead)
def add_member(
    household_id: IdPath, person_id: IdPath, session: SessionDep, actor: Writer,
    relation: Literal["head", "spouse", "child", "parent", "other"] = "other",
) -> HouseholdRead:
    service.add_household_member(session, actor, household_id, person_id, relation)
    return service.read_household(session, actor, household_id)


@router.post("/employers", status_code=201, response_model=EmployerRead)
def create_employer(
    data: EmployerCreate, session: SessionDep, actor: Writer
) -> EmployerRead:
    return service.view_employer(service.register_employer(session, actor, data))


@router.get("/employers", response_model=Page[EmployerRead])
def search_employers(
    session: SessionDep,
    actor: Reader,
    q: SearchQuery = "",
    page: PageNumber = 1,
    size: PageSize = 20,
) -> Page[EmployerRead]:
    items, total = service.search_employers(session, actor, q=q, page=page, size=size)
    return Page(items=[service.view_employer(e) for e in items], total=total, page=page, size=size)


@router.get("/employers/{employer_id}", response_model=EmployerRead)
def read_employer(employer_id: IdPath, session: SessionDep, actor: CurrentUser) -> EmployerRead:
    return service.view_employer(service.read_employer(session, actor, employer_id))


@router.post("/imports/{kind}", response_model=ImportReport)
def upload_import(
    kind: imports.ImportKind, file: UploadFile, session: SessionDep, actor: Importer
) -> ImportReport:
    content = uploads.read_limited(file.file, uploads.MAX_TABLE_BYTES)
    job = imports.run_import(session, actor, kind, file.filename or "upload", content)
    return import_jobs.report_of(job)


@router.get("/imports/{job_id}/errors.xlsx")
def import_errors(job_id: IdPath, session: SessionDep, actor: Importer) -> Response:
    content = import_jobs.error_sheet(session, actor, job_id)
    return Response(content, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="import-{job_id}-errors.xlsx"'})
