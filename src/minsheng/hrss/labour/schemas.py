"""Labour-relations JSON shapes. Dates are ISO ``YYYY-MM-DD``; money a string with two
decimals in answers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from minsheng.platform.types import Count, Day, Id, Input, RegionCode, Version, Yuan

ClaimTypeName = Literal["wages", "work_injury_medical", "compensation", "damages",
                        "working_hours", "rest_leave", "social_insurance", "contract", "other"]
Note = Annotated[str, Field(max_length=500, pattern=r"^[^\x00]*$")]


class DisputeCreate(Input):
    applicant_person_id: Id
    employer_id: Id
    claim_type: ClaimTypeName
    amount: Yuan = Field(default=Decimal(0), description="请求金额（元）")
    received_on: Day
    knew_on: Day | None = Field(default=None, description="知道或应当知道权利被侵害之日")
    employment_ended_on: Day | None = Field(default=None, description="劳动关系终止之日")
    note: Note = ""


class StepOn(Input):
    on: Day
    version: Version | None = None


class DisputeExtend(Input):
    days: int = Field(ge=1, le=15, description="延长天数（不超过15日）")
    approved_by_note: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")
    version: Version | None = None


class DisputeClose(Input):
    outcome: Literal["mediated", "awarded", "withdrawn", "not_accepted"]
    on: Day
    note: Note = ""
    version: Version | None = None


class DisputeRead(BaseModel):
    id: int
    case_no: str
    state: str
    applicant_person_id: int
    employer_id: int
    region: str
    claim_type: str
    amount: str
    received_on: date
    acceptance_due: date
    accepted_on: date | None
    award_due: date | None
    final_award: bool | None
    mediation_started_on: date | None
    mediation_due: date | None
    extension_days: int
    outcome: str | None
    closed_on: date | None
    overdue: bool
    version: int


class ComplaintCreate(Input):
    complainant_person_id: Id
    employer_id: Id
    received_on: Day
    wage_arrears_amount: Yuan = Field(default=Decimal(0), description="拖欠工资金额（元）")
    workers_affected: Count = 0
    violation_on: Day | None = None
    violation_ended_on: Day | None = None
    note: Note = ""


class ComplaintExtend(Input):
    approved_by_note: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")
    version: Version | None = None


class ComplaintClose(Input):
    outcome: Literal["rectified", "penalised", "transferred", "unfounded", "not_accepted"]
    on: Day
    recovered_amount: Yuan = Decimal(0)
    note: Note = ""
    version: Version | None = None


class ComplaintRead(BaseModel):
    id: int
    case_no: str
    state: str
    complainant_person_id: int
    employer_id: int
    region: str
    received_on: date
    acceptance_due: date
    accepted_on: date | None
    investigation_due: date | None
    extended: bool
    wage_arrears_amount: str
    workers_affected: int
    outcome: str | None
    closed_on: date | None
    recovered_amount: str
    overdue: bool
    version: int


class ArrearsRead(BaseModel):
    employer_id: int
    employer_name: str
    uscc: str
    region: str
    cases: int
    amount: str
    workers: int


class ContractCreate(Input):
    person_id: Id
    employer_id: Id
    kind: Literal["fixed_term", "open_ended", "per_task"]
    start_on: Day
    end_on: Day | None = None
    probation_months: int = Field(default=0, ge=0, le=6)


class ContractRead(BaseModel):
    id: int
    person_id: int
    employer_id: int
    region: str
    kind: str
    start_on: date
    end_on: date | None
    probation_months: int
    terminated_on: date | None
    version: int


class SigningRateRead(BaseModel):
    region: str
    on: date
    insured: int
    with_contract: int
    rate: str | None


class TripartiteBodyCreate(Input):
    name: str = Field(min_length=2, max_length=100, pattern=r"^[^\x00]*$")
    level: Literal["city", "district", "town", "park"]
    region: RegionCode
    established_on: Day


class TripartiteBodyRead(BaseModel):
    id: int
    name: str
    level: str
    region: str
    established_on: date
    dissolved_on: date | None


class CollectiveContractCreate(Input):
    employer_id: Id
    kind: Literal["general", "wages", "women", "safety"]
    start_on: Day
    end_on: Day
    employees_covered: int = Field(ge=1, le=2_147_483_647, description="覆盖职工人数")
    filed_on: Day


class CollectiveContractRead(BaseModel):
    id: int
    employer_id: int
    region: str
    kind: str
    start_on: date
    end_on: date
    employees_covered: int
    filed_on: date
    in_force_from: date
