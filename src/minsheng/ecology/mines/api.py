"""Mines JSON API: mines, ecological red-line zones, the closure work-list, closures."""

from __future__ import annotations

from fastapi import APIRouter

from minsheng.ecology.kernel.access import EcologyReader, EcologyWriter
from minsheng.ecology.mines import service
from minsheng.ecology.mines.schemas import (
    ClosureCreate,
    ClosureRead,
    MineCreate,
    MineRead,
    MineStatusChange,
    RedLineZoneCreate,
    RedLineZoneRead,
    WorklistItem,
)
from minsheng.platform.paging import Page, PageNumber, PageSize
from minsheng.platform.types import CodeQuery, IdPath, SearchQuery
from minsheng.platform.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/ecology", tags=["ecology: mines"])


@router.post("/mines", status_code=201, response_model=MineRead)
def create_mine(data: MineCreate, session: SessionDep, actor: EcologyWriter) -> MineRead:
    """Register a mine with its polygon (GeoJSON, lon/lat); areas are computed."""
    return service.view_mine(service.register_mine(session, actor, data))


@router.get("/mines", response_model=Page[MineRead])
def search_mines(
    session: SessionDep, actor: EcologyReader, q: SearchQuery = "", status: CodeQuery = "",
    page: PageNumber = 1, size: PageSize = 50,
) -> Page[MineRead]:
    items, total = service.search_mines(session, actor, q=q, status=status, page=page,
                                        size=size)
    return Page(items=[service.view_mine(m) for m in items], total=total, page=page, size=size)


@router.get("/mines/{mine_id}", response_model=MineRead)
def read_mine(mine_id: IdPath, session: SessionDep, actor: EcologyReader) -> MineRead:
    return service.view_mine(service.read_mine(session, actor, mine_id))


@router.post("/mines/{mine_id}/status", response_model=MineRead)
def change_status(mine_id: IdPath, data: MineStatusChange, session: SessionDep,
                  actor: EcologyWriter) -> MineRead:
    return service.view_mine(service.change_status(session, actor, mine_id, data))


@router.post("/mines/{mine_id}/closure", status_code=201, response_model=ClosureRead)
def close_mine(mine_id: IdPath, data: ClosureCreate, session: SessionDep,
               actor: EcologyWriter) -> ClosureRead:
    """关闭矿山: the closure record; the mine becomes closed."""
    closure = service.close_mine(session, actor, mine_id, data)
    return service.view_closure(closure, service.read_mine(session, actor, mine_id).name)


@router.get("/closures", response_model=list[ClosureRead])
def list_closures(session: SessionDep, actor: EcologyReader) -> list[ClosureRead]:
    return [service.view_closure(c, name) for c, name in service.list_closures(session, actor)]


@router.post("/red-line-zones", status_code=201, response_model=RedLineZoneRead)
def create_zone(data: RedLineZoneCreate, session: SessionDep,
                actor: EcologyWriter) -> RedLineZoneRead:
    """Register a zone of the ecological protection red line (GeoJSON, lon/lat)."""
    return service.view_zone(service.add_zone(session, actor, data))


@router.get("/red-line-zones", response_model=list[RedLineZoneRead])
def list_zones(session: SessionDep, actor: EcologyReader) -> list[RedLineZoneRead]:
    return [service.view_zone(z) for z in service.list_zones(session, actor)]


@router.get("/closure-worklist", response_model=list[WorklistItem])
def closure_worklist(session: SessionDep, actor: EcologyReader,
                     pending_only: bool = False) -> list[WorklistItem]:
    """Mines in scope intersecting a red-line zone, with ``overlap_m2`` (geodesic)."""
    return service.closure_worklist(session, actor, pending_only=pending_only)
