"""Request and response shapes of the restoration API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field

from minsheng.ecology.kernel.schemas import Yuan
from minsheng.platform.types import Day, Id, Input, Version


class PlanCreate(Input):
    mine_id: Id
    mode: Literal["natural", "assisted", "engineered"]
    target_land_use: Literal["farmland", "forest", "grassland", "built_land", "water"]
    planned_area_ha: Decimal = Field(gt=0, max_digits=12, decimal_places=4)
    budget: Yuan
    obligor_name: str | None = Field(default=None, max_length=128)
    obligor_uscc: str | None = Field(default=None, max_length=32)
    deadline: Day
    notes: str = Field(default="", max_length=2000)


class ProgressCreate(Input):
    quarter: str = Field(max_length=8, description="YYYYQn, e.g. 2020Q3")
    area_restored_ha: Decimal = Field(ge=0, max_digits=12, decimal_places=4)
    money_spent: Yuan
    note: str = Field(default="", max_length=2000)


class AcceptanceCreate(Input):
    accepted_date: Day
    accepted_area_ha: Decimal | None = Field(default=None, gt=0, max_digits=12,
                                             decimal_places=4,
                                             description="default: the area restored")
    version: Version | None = None


class PhotoRead(BaseModel):
    id: int
    file_name: str
    content_type: str
    size: int
    url: str


class ProgressRead(BaseModel):
    id: int
    quarter: str
    area_restored_ha: float
    money_spent: Decimal
    note: str
    actor: str
    reported_at: datetime
    photos: list[PhotoRead]


class PlanRead(BaseModel):
    id: int
    mine_id: int
    mine_name: str
    region: str
    region_name: str | None
    mode: str
    target_land_use: str
    planned_area_ha: float
    budget: Decimal
    obligor_name: str | None
    obligor_uscc: str | None
    deadline: date
    status: str
    overdue: bool
    accepted_date: date | None
    accepted_area_ha: float | None
    restored_area_ha: float
    money_spent: Decimal
    progress_share: float
    case_id: int | None
    notes: str
    version: int


class PlanDetail(PlanRead):
    progress: list[ProgressRead]


class CaseCreate(Input):
    plan_id: Id
    filed_date: Day


class CaseStep(Input):
    """The facts of one step; which ones are needed depends on the action."""

    on: Day = Field(description="the business date of the step")
    version: Version | None = Field(default=None, description="the case version you saw")
    amount: Yuan | None = None
    bank: str = Field(default="", max_length=128)
    agreement_no: str = Field(default="", max_length=64)
    default_kind: Literal["refused", "unable"] | None = None
    contractor: str = Field(default="", max_length=128)
    cost_estimate: Yuan | None = None
    actual_cost: Yuan | None = None
    assessment_fee: Yuan = Decimal("0.00")
    accepted_area_ha: Decimal | None = Field(default=None, gt=0, max_digits=12,
                                             decimal_places=4)
    #: Blank: the fewest days in force for the case's region and month.
    notice_days: int | None = Field(default=None, ge=1, le=365)
    note: str = Field(default="", max_length=2000)


class CaseEventRead(BaseModel):
    action: str
    action_label: str
    from_state: str | None
    to_state: str
    to_state_label: str
    step_date: date
    details: dict[str, Any]
    actor: str
    occurred_at: datetime


class CaseRead(BaseModel):
    id: int
    case_no: str
    plan_id: int
    mine_id: int
    mine_name: str
    region: str
    obligor_name: str | None
    state: str
    state_label: str
    filed_date: date
    deposit_amount: Decimal
    deposit_bank: str
    agreement_no: str
    reminders: int
    default_kind: str | None
    contractor: str
    cost_estimate: Decimal | None
    actual_cost: Decimal | None
    assessment_fee: Decimal
    drawn_amount: Decimal
    refund_amount: Decimal
    shortfall: Decimal
    receivable_amount: Decimal
    recovered_amount: Decimal
    arrears: Decimal
    notice_start: date | None
    notice_end: date | None
    allowed_actions: list[str]
    version: int
    events: list[CaseEventRead]
