"""Talent service card JSON shapes. Dates are ISO ``YYYY-MM-DD``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from minsheng.platform.types import Day, Id, Input, Version

Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
Text = Annotated[str, Field(max_length=200, pattern=r"^[^\x00]*$")]


class CardIssue(Input):
    """Staff with ``talent:review`` issue a card directly for an eligible person."""

    person_id: Id
    tier: Code = Field(description="英才服务卡等级代码")
    note: Text = Field(default="", description="发卡依据（审核意见）")


class CardApply(Input):
    person_id: Id
    tier: Code = Field(description="英才服务卡等级代码")
    basis_kind: Literal["category", "title", "skill_level"] = Field(description="申领依据")
    basis_value: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[^\x00]*$")]
    basis_note: Text = ""


class Review(Input):
    decision: Literal["approve", "refuse"]
    reason: Text = ""
    on: Day | None = None
    version: Version | None = None


class StepOn(Input):
    on: Day | None = None
    version: Version | None = None


class Revoke(Input):
    reason: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
    on: Day | None = None
    version: Version | None = None


class BookingCreate(Input):
    service_code: Code
    requested_on: Day
    note: Text = ""


class Deliver(Input):
    on: Day
    note: Text = ""
    version: Version | None = None


class Rate(Input):
    satisfaction: int = Field(ge=1, le=5, description="满意度（1–5）")
    version: Version | None = None


class CardRead(BaseModel):
    id: int
    card_no: str | None
    state: str
    valid_until: date | None
    person_id: int
    region: str
    tier: str
    basis_kind: str
    basis_value: str
    applied_on: date
    reviewed_on: date | None
    review_note: str
    issued_on: date | None
    renewed_on: date | None
    revoked_on: date | None
    revoke_reason: str
    version: int


class BookingRead(BaseModel):
    id: int
    due_on: date
    state: str
    card_id: int
    service_code: str
    service_name: str
    provider: str
    requested_on: date
    due_estimated: bool
    delivered_on: date | None
    satisfaction: int | None
    overdue: bool
    version: int


class ExpireResult(BaseModel):
    expired: int


class CardVerification(BaseModel):
    valid: bool
    #: ``valid``, ``malformed``, ``bad_signature``, ``expired``, ``unknown_card`` or
    #: ``card_not_valid``.
    reason: str
    message: str
    message_en: str
    name: str | None = None
    resident_id: str | None = None
    card_no: str | None = None
    tier: str | None = None
    tier_name: str | None = None
    state: str | None = None
    state_label: str | None = None
    valid_until: date | None = None
    expires_at: datetime | None = None


class CardCode(BaseModel):
    token: str
    expires_at: datetime
