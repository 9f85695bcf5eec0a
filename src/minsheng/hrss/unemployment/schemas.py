"""Unemployment JSON shapes. Money is a string with two decimals (``"1440.00"``)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from minsheng.platform.types import Day, Id, Input, Month, Year


class UnemploymentEstimateRequest(Input):
    contribution_months: int = Field(ge=0, le=1200, description="累计缴费月数（重新计算后）")
    region: str = Field(min_length=2, max_length=6, pattern=r"^[0-9]+$",
                        description="GB/T 2260 区划代码，如 500103 或 50")
    unused_months: int = Field(default=0, ge=0, le=24,
                               description="前次失业应领而尚未领取的月数")


class UnemploymentEstimateRead(BaseModel):
    eligible: bool
    months: int
    monthly_amount: str
    band: str
    statutory_band: str
    statutory_max_months: int
    spell_months: int
    carried_months: int
    ladder_region: str | None
    amount_valid_from: str
    amount_source: str
    amount_source_status: str


class UnemploymentRegistrationCreate(Input):
    person_id: Id
    registered_date: Day | None = None
    separation_reason: Literal["contract_expired", "dismissed", "mutual_by_employer",
                               "employer_fault", "employer_closed", "voluntary"]
    seeking_work: bool = True


class UnemploymentRegistrationEnd(Input):
    on: Day
    reason: Literal["re_employed", "moved_away", "retired", "enlisted", "emigrated",
                    "deceased", "refused_offer", "other"]


class UnemploymentRegistrationRead(BaseModel):
    id: int
    person_id: int
    registered_date: date
    ended_date: date | None
    end_reason: str | None
    region: str
    separation_reason: str


class BenefitClaimCreate(Input):
    person_id: Id
    bank_account: str = Field(min_length=12, max_length=32, pattern=r"^[0-9]+$")
    retirement_category: Literal["female_worker", "female_cadre"] | None = Field(
        default=None, description="女性申领人的法定退休年龄类别（原50周岁或55周岁）；男性不填")


class BenefitClaimDecision(Input):
    approve: bool
    note: str = Field(default="", max_length=200)


class BenefitClaimStop(Input):
    on: Day
    reason: Literal["re_employed", "enlisted", "emigrated", "pension_started",
                    "refused_offer", "deceased", "moved_away"]


class BenefitClaimRead(BaseModel):
    id: int
    claim_no: str
    person_id: int
    status: str
    start_month: str
    contribution_months: int
    band: str
    spell_months: int
    carried_months: int
    entitled_months: int
    monthly_amount: str
    retirement_month: str | None
    stop_reason: str | None


class BenefitPayrollRequest(Input):
    month: Month


class BenefitPayrollRead(BaseModel):
    run_id: int
    month: str
    payments: int
    total: str
    control_sum: str


class StabilisationRefundCompute(Input):
    year: Year


class StabilisationRefundRunRead(BaseModel):
    year: int
    contribution_year: int
    employers: int
    eligible: int
    kept: int
    total: str
    employees_covered: int


class StabilisationRefundReview(Input):
    refund_ids: list[Id] | None = Field(default=None, max_length=10_000)
    approve: bool = True


class StabilisationRefundRead(BaseModel):
    id: int
    year: int
    employer_id: int
    employer_name: str
    paid_amount: str
    paid_months: int
    average_headcount: str
    employees_covered: int
    new_claimants: int
    layoff_rate: str | None
    size: str
    share: str
    eligible: bool
    refusal: str | None
    amount: str
    status: str
