"""Land-consolidation JSON API."""

from __future__ import annotations

from fastapi import APIRouter

from minsheng.ecology.kernel.access import EcologyReader, EcologyWriter
from minsheng.ecology.land import service
from minsheng.ecology.land.schemas import LandProjectCreate, LandProjectRead
from minsheng.platform.paging import Page, PageNumber, PageSize
from minsheng.platform.types import IdPath, SearchQuery
from minsheng.platform.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/ecology", tags=["ecology: land consolidation"])


@router.post("/land-projects", status_code=201, response_model=LandProjectRead)
def create_project(data: LandProjectCreate, session: SessionDep,
                   actor: EcologyWriter) -> LandProjectRead:
    """Register a project with its polygon (GeoJSON, lon/lat); the consolidated area is
    computed (``area_m2``, ``area_ha``, ``area_mu``) with the method recorded."""
    return service.view_project(service.register_project(session, actor, data))


@router.get("/land-projects", response_model=Page[LandProjectRead])
def search_projects(
    session: SessionDep, actor: EcologyReader, q: SearchQuery = "",
    page: PageNumber = 1, size: PageSize = 50,
) -> Page[LandProjectRead]:
    items, total = service.search_projects(session, actor, q=q, page=page, size=size)
    return Page(items=[service.view_project(p) for p in items], total=total, page=page,
                size=size)


@router.get("/land-projects/{project_id}", response_model=LandProjectRead)
def read_project(project_id: IdPath, session: SessionDep, actor: EcologyReader) -> LandProjectRead:
    return service.view_project(service.read_project(session, actor, project_id))
