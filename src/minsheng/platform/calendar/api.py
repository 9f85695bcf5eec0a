"""Statutory deadlines and the holiday calendar over HTTP."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from minsheng.platform.calendar import service
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import Day, DayQuery, Input, WorkdayCount
from minsheng.platform.web.deps import CurrentUser, SessionDep, require

router = APIRouter(prefix="/api/v1/calendar", tags=["calendar"])
CalendarManager = Annotated[Principal, Depends(require("calendar:manage"))]


class DeadlineRead(BaseModel):
    start: date
    workdays: int
    due_date: date
    estimated: bool
    note: str


class CalendarEntry(Input):
    day: Day
    kind: Literal["holiday", "workday"]
    name: str = Field(default="", max_length=64)


class YearPublish(Input):
    year: int = Field(ge=2000, le=2100)
    source: str = Field(min_length=1, max_length=200, description="发布依据（通知文号）")
    days: list[CalendarEntry] = Field(max_length=366)


class YearRead(BaseModel):
    year: int
    source: str


@router.get("/deadline", response_model=DeadlineRead)
def deadline(
    session: SessionDep,
    _user: CurrentUser,
    start: DayQuery,
    workdays: WorkdayCount,
) -> DeadlineRead:
    result = service.workday_deadline(session, start, workdays)
    note = (
        "期限跨入尚未公布节假日安排的年份，已按周一至周五估算，公布后可能变化"
        if result.estimated else "按已公布的法定节假日安排计算"
    )
    return DeadlineRead(start=start, workdays=workdays, due_date=result.due_date,
                        estimated=result.estimated, note=note)


@router.get("/years", response_model=list[YearRead])
def known_years(session: SessionDep, _user: CurrentUser) -> list[YearRead]:
    return [YearRead(year=y.year, source=y.source) for y in service.list_years(session)]


@router.post("/years", status_code=201, response_model=YearRead)
def publish_year(data: YearPublish, session: SessionDep, actor: CalendarManager) -> YearRead:
    entry = service.publish_year(
        session, actor, year=data.year, source=data.source,
        holidays=[(d.day, d.name) for d in data.days if d.kind == "holiday"],
        adjusted_workdays=[(d.day, d.name) for d in data.days if d.kind == "workday"],
    )
    return YearRead(year=entry.year, source=entry.source)
