"""Restoration JSON API: plans (一矿一策), quarterly progress and photos, acceptance, and
substituted-restoration cases (代为修复) with their steps."""

from __future__ import annotations

from fastapi import APIRouter, UploadFile
from fastapi.responses import Response

from minsheng.ecology.kernel.access import EcologyReader, EcologyWriter
from minsheng.ecology.restoration import service
from minsheng.ecology.restoration.rules import CaseAction
from minsheng.ecology.restoration.schemas import (
    AcceptanceCreate,
    CaseCreate,
    CaseRead,
    CaseStep,
    PhotoRead,
    PlanCreate,
    PlanDetail,
    PlanRead,
    ProgressCreate,
)
from minsheng.platform import uploads
from minsheng.platform.types import CodeQuery, IdPath
from minsheng.platform.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/ecology", tags=["ecology: restoration"])


@router.post("/restoration-plans", status_code=201, response_model=PlanDetail)
def file_plan(data: PlanCreate, session: SessionDep, actor: EcologyWriter) -> PlanDetail:
    """一矿一策: the restoration plan of a closed or abandoned mine."""
    plan = service.file_plan(session, actor, data)
    return service.plan_detail(session, actor, plan.id)


@router.get("/restoration-plans", response_model=list[PlanRead])
def list_plans(session: SessionDep, actor: EcologyReader,
               status: CodeQuery = "") -> list[PlanRead]:
    """The restoration work-list: overdue first, then in progress, planned, accepted."""
    return service.list_plans(session, actor, status=status)


@router.get("/restoration-plans/{plan_id}", response_model=PlanDetail)
def read_plan(plan_id: IdPath, session: SessionDep, actor: EcologyReader) -> PlanDetail:
    return service.plan_detail(session, actor, plan_id)


@router.post("/restoration-plans/{plan_id}/progress", status_code=201,
             response_model=PlanDetail)
def report_progress(plan_id: IdPath, data: ProgressCreate, session: SessionDep,
                    actor: EcologyWriter) -> PlanDetail:
    service.report_progress(session, actor, plan_id, data)
    return service.plan_detail(session, actor, plan_id)


@router.post("/restoration-progress/{progress_id}/photos", status_code=201,
             response_model=PhotoRead)
def upload_photo(progress_id: IdPath, file: UploadFile, session: SessionDep,
                 actor: EcologyWriter) -> PhotoRead:
    content = uploads.read_limited(file.file, uploads.MAX_IMAGE_BYTES)
    photo = service.add_photo(session, actor, progress_id, file.filename or "photo",
                              file.content_type or "", content)
    return PhotoRead(id=photo.id, file_name=photo.file_name, content_type=photo.content_type,
                     size=photo.size, url=f"/api/v1/ecology/restoration-photos/{photo.id}")


@router.get("/restoration-photos/{photo_id}")
def read_photo(photo_id: IdPath, session: SessionDep, actor: EcologyReader) -> Response:
    photo = service.read_photo(session, actor, photo_id)
    return Response(photo.content, media_type=photo.content_type,
                    headers={"Cache-Control": "private, max-age=3600"})


@router.post("/restoration-plans/{plan_id}/acceptance", response_model=PlanDetail)
def accept_plan(plan_id: IdPath, data: AcceptanceCreate, session: SessionDep,
                actor: EcologyWriter) -> PlanDetail:
    service.accept_plan(session, actor, plan_id, data)
    return service.plan_detail(session, actor, plan_id)


@router.post("/substituted-restoration", status_code=201, response_model=CaseRead)
def open_case(data: CaseCreate, session: SessionDep, actor: EcologyWriter) -> CaseRead:
    """代为修复: open the supervision case of a plan with an obligor."""
    case = service.open_case(session, actor, data)
    return service.read_case(session, actor, case.id)


@router.get("/substituted-restoration/{case_id}", response_model=CaseRead)
def read_case(case_id: IdPath, session: SessionDep, actor: EcologyReader) -> CaseRead:
    return service.read_case(session, actor, case_id)


@router.post("/substituted-restoration/{case_id}/{action}", response_model=CaseRead)
def act(case_id: IdPath, action: CaseAction, data: CaseStep, session: SessionDep,
        actor: EcologyWriter) -> CaseRead:
    """One step of the case; a step the current state does not allow is a 409."""
    service.act(session, actor, case_id, action, data)
    return service.read_case(session, actor, case_id)
