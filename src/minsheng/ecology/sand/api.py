"""Surplus sand-and-gravel JSON API."""

from __future__ import annotations

from fastapi import APIRouter

from minsheng.ecology.kernel.access import EcologyReader, EcologyWriter
from minsheng.ecology.sand import service
from minsheng.ecology.sand.schemas import AuctionCreate, NoticeCreate, SandCaseCreate, SandCaseRead
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/ecology", tags=["ecology: surplus sand and gravel"])


@router.post("/sand-cases", status_code=201, response_model=SandCaseRead)
def register_case(data: SandCaseCreate, session: SessionDep,
                  actor: EcologyWriter) -> SandCaseRead:
    return service.view_case(service.register_case(session, actor, data))


@router.get("/sand-cases", response_model=list[SandCaseRead])
def list_cases(session: SessionDep, actor: EcologyReader) -> list[SandCaseRead]:
    return [service.view_case(c) for c in service.list_cases(session, actor)]


@router.get("/sand-cases/{case_id}", response_model=SandCaseRead)
def read_case(case_id: IdPath, session: SessionDep, actor: EcologyReader) -> SandCaseRead:
    return service.view_case(service.read_case(session, actor, case_id))


@router.post("/sand-cases/{case_id}/notice", response_model=SandCaseRead)
def publish_notice(case_id: IdPath, data: NoticeCreate, session: SessionDep,
                   actor: EcologyWriter) -> SandCaseRead:
    return service.view_case(service.publish_notice(session, actor, case_id, data))


@router.post("/sand-cases/{case_id}/auction", response_model=SandCaseRead)
def record_auction(case_id: IdPath, data: AuctionCreate, session: SessionDep,
                   actor: EcologyWriter) -> SandCaseRead:
    return service.view_case(service.record_auction(session, actor, case_id, data))
