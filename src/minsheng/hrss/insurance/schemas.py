"""Request and response shapes of the insurance API."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

Scheme = Literal["employee_pension", "resident_pension", "unemployment", "work_injury"]


class EnrolmentCreate(BaseModel):
    person_id: int
    scheme: Scheme
    employer_id: int | None = None
    start_month: str = Field(description="YYYY-MM")
    end_month: str | None = Field(default=None, description="YYYY-MM, inclusive")
    declared_wage: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)


class EnrolmentEnd(BaseModel):
    end_month: str
    reason: str = Field(default="", max_length=32)
    version: int


class EnrolmentRead(BaseModel):
    id: int
    person_id: int
    scheme: Scheme
    scheme_label: str
    employer_id: int | None
    employer_name: str | None
    start_month: str
    end_month: str | None
    declared_wage: Decimal | None
    version: int


class HireRequest(BaseModel):
    """增员: an employer takes on an employee for the employee schemes."""

    resident_id: str = Field(max_length=32)
    start_month: str
    declared_wage: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    schemes: list[Scheme] = ["employee_pension", "unemployment", "work_injury"]


class LeaveRequest(BaseModel):
    """减员: the employee leaves; their employee enrolments end with ``end_month``."""

    end_month: str
    reason: str = Field(default="离职", max_length=32)


class ContributionRead(BaseModel):
    period: str
    scheme: Scheme
    scheme_label: str
    employer_id: int | None
    declared_wage: Decimal | None
    base: Decimal
    clamp: str | None
    employer_amount: Decimal
    personal_amount: Decimal
    government_amount: Decimal
    subsidy_amount: Decimal
    status: str


class AssessmentResult(BaseModel):
    run_id: int
    period: str
    region_prefix: str
    inserted_rows: int
    skipped_existing: int


class PaymentCreate(BaseModel):
    period: str
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)


class EmployerMonth(BaseModel):
    period: str
    employer_id: int
    people: int
    employer_amount: Decimal
    personal_amount: Decimal
    total: Decimal
    status: Literal["due", "paid", "arrears", "none"]


class ResidentPayment(BaseModel):
    person_id: int
    year: int = Field(ge=2000, le=2100)
    grade: Decimal = Field(gt=0, max_digits=10, decimal_places=2)


class CoverageRead(BaseModel):
    region: str
    on: str
    should_enrol: int
    enrolled: int
    rate: Decimal | None
    not_enrolled_sample: list[dict[str, object]]


class CertificateVerify(BaseModel):
    valid: bool
    code: str
    name: str | None = None
    resident_id: str | None = None
    issued_at: str | None = None
    summary: dict[str, object] | None = None
    reason: str = ""


class PovertyRead(BaseModel):
    region: str
    year: int
    should_enrol: int
    enrolled: int
    should_pay: int
    paid: int
    not_enrolled_ids: list[int]
    not_paid_ids: list[int]
    districts: list[tuple[str, int, int, int, int]]
