"""HR service agency JSON shapes. Dates ``YYYY-MM-DD``; revenue in fen (integer) in
requests, in fen and in yuan (a string with two decimals) in answers."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from minsheng.platform.types import Count, Day, Id, Input, Version, Year

ScopeItem = Literal["job_intermediary", "information", "guidance", "consulting",
                    "assessment", "training", "outsourcing", "headhunting"]
LicenceNo = Annotated[str, Field(min_length=4, max_length=40,
                                 pattern=r"^[0-9A-Za-z\u4e00-\u9fff（）()\-]+$",
                                 description="许可证编号")]
#: Revenue in fen, not negative, within a BIGINT.
Fen = Annotated[int, Field(ge=0, le=10**16, description="营业收入（分）")]


class LicenceCreate(Input):
    licence_no: LicenceNo
    employer_id: Id
    scope: list[ScopeItem] = Field(min_length=1, max_length=8)
    issued_on: Day
    valid_until: Day


class LicenceRenew(Input):
    valid_until: Day
    version: Version | None = None


class LicenceRevoke(Input):
    on: Day
    reason: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")
    version: Version | None = None


class LicenceRead(BaseModel):
    id: int
    licence_no: str
    employer_id: int
    agency_name: str
    uscc: str
    region: str
    scope: list[str]
    issued_on: date
    valid_until: date
    state: str
    status: str
    revoked_on: date | None
    version: int


class ReportCreate(Input):
    year: Year
    revenue_fen: Fen
    placements: Count
    training_sessions: Count
    training_people: Count
    filed_on: Day | None = Field(default=None, description="报送日期（缺省为今日）")


class ReportRead(BaseModel):
    id: int
    licence_id: int
    year: int
    revenue_fen: int
    revenue: str
    placements: int
    training_sessions: int
    training_people: int
    filed_on: date
    late: bool


class LateRead(BaseModel):
    licence_id: int
    licence_no: str
    agency_name: str
    region: str
    year: int
    deadline: date | None


class CountRead(BaseModel):
    region: str
    year: int
    agencies: int
    reported: int
    revenue_fen: int
    revenue: str
    placements: int
