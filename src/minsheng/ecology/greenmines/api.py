"""Green-mine JSON API: indicator sets (versioned data) and score sheets."""

from __future__ import annotations

from fastapi import APIRouter

from minsheng.ecology.greenmines import service
from minsheng.ecology.greenmines.schemas import (
    AssessmentCreate,
    AssessmentRead,
    IndicatorSetCreate,
    IndicatorSetRead,
)
from minsheng.ecology.kernel.access import EcologyReader, EcologyWriter
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import SessionDep

router = APIRouter(prefix="/api/v1/ecology", tags=["ecology: green mines"])


@router.get("/green-mine/indicator-sets", response_model=list[IndicatorSetRead])
def list_sets(session: SessionDep, actor: EcologyReader) -> list[IndicatorSetRead]:
    return service.list_sets(session, actor)


@router.post("/green-mine/indicator-sets", status_code=201, response_model=IndicatorSetRead)
def add_set(data: IndicatorSetCreate, session: SessionDep,
            actor: EcologyWriter) -> IndicatorSetRead:
    """Publish a version of the indicators (items must add up to categories and total)."""
    row = service.add_indicator_set(session, actor, data)
    return next(s for s in service.list_sets(session, actor) if s.id == row.id)


@router.post("/mines/{mine_id}/green-assessments", status_code=201,
             response_model=AssessmentRead)
def assess(mine_id: IdPath, data: AssessmentCreate, session: SessionDep,
           actor: EcologyWriter) -> AssessmentRead:
    """Score a mine: preconditions first, then the items; pass/fail with the reasons."""
    sheet = service.assess(session, actor, mine_id, data)
    return service.read_assessment(session, actor, sheet.id)


@router.get("/green-assessments/{assessment_id}", response_model=AssessmentRead)
def read_assessment(assessment_id: IdPath, session: SessionDep,
                    actor: EcologyReader) -> AssessmentRead:
    return service.read_assessment(session, actor, assessment_id)
