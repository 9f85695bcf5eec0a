"""意见建议 JSON API: a citizen or employer submits feedback and follows their own; staff
of the submitter's region list, read and reply to it."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from minsheng.hrss.feedback import rules, service
from minsheng.hrss.feedback.models import Feedback
from minsheng.hrss.feedback.schemas import FeedbackCreate, FeedbackRead, ReplyCreate
from minsheng.platform.paging import Page, PageNumber, PageSize
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import CurrentUser, SessionDep, require

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"])
Reader = Annotated[Principal, Depends(require("feedback:read"))]
Replier = Annotated[Principal, Depends(require("feedback:reply"))]
Submitter = Annotated[Principal, Depends(require("feedback:self"))]
Word = Annotated[str, Query(max_length=16, pattern=r"^[a-z]*$")]


def feedback_read(session: Session, actor: Principal, row: Feedback) -> FeedbackRead:
    return FeedbackRead(
        id=row.id, kind=row.kind, subject=row.subject, text=row.text, state=row.state,
        region=row.region, submitter_kind=row.submitter_kind,
        submitter_name=row.submitter_name, phone=service.phone_for(actor, row),
        submitted_on=row.submitted_on, due_on=row.due_on, due_estimated=row.due_estimated,
        overdue=rules.is_overdue(row.state, row.due_on, date.today()),
        replied_on=row.replied_on, reply=row.reply,
        case_number=service.case_number(session, row), version=row.version)


@router.post("", status_code=201, response_model=FeedbackRead)
def submit(data: FeedbackCreate, session: SessionDep, actor: Submitter) -> FeedbackRead:
    """提交意见建议 (the signed-in citizen or employer); 422 naming every bad field."""
    return feedback_read(session, actor, service.submit(session, actor, data))


@router.get("/mine", response_model=list[FeedbackRead])
def mine(session: SessionDep, actor: Submitter) -> list[FeedbackRead]:
    return [feedback_read(session, actor, r) for r in service.mine(session, actor)]


@router.get("", response_model=Page[FeedbackRead])
def list_feedback(session: SessionDep, actor: Reader, state: Word = "", kind: Word = "",
                  overdue: bool = False,
                  q: Annotated[str, Query(max_length=40)] = "",
                  page: PageNumber = 1, size: PageSize = 50) -> Page[FeedbackRead]:
    """The region's feedback, open ones by deadline (overdue first)."""
    found = service.list_page(session, actor, service.Filters.clean(state, kind, overdue, q),
                              today=date.today(), page=page, size=size)
    return Page(items=[feedback_read(session, actor, r) for r in found.rows],
                total=found.total, page=found.page, size=found.size)


@router.get("/{feedback_id}", response_model=FeedbackRead)
def read(feedback_id: IdPath, session: SessionDep, actor: CurrentUser) -> FeedbackRead:
    return feedback_read(session, actor, service.read(session, actor, feedback_id))


@router.post("/{feedback_id}/reply", response_model=FeedbackRead)
def reply(feedback_id: IdPath, data: ReplyCreate, session: SessionDep,
          actor: Replier) -> FeedbackRead:
    """答复 (closes it); 409 when already replied or changed since ``version``."""
    return feedback_read(session, actor, service.reply(session, actor, feedback_id,
                                                       data.reply, version=data.version))
