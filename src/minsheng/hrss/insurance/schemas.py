"""Request and response shapes of the insurance API."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from minsheng.platform.types import Id, Input, Month, Version, Year, Yuan

Scheme = Literal["employee_pension", "resident_pension", "unemployment", "work_injury"]


class EnrolmentCreate(Input):
    person_id: Id
    scheme: Scheme
    employer_id: Id | None = None
    start_month: Month
    end_month: Month | None = Field(default=None, description="YYYY-MM, inclusive")
    declared_wage: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)


class EnrolmentEnd(Input):
    end_month: Month
    reason: str = Field(default="", max_length=32)
    version: Version


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


class HireRequest(Input):
    """增员: an employer takes on an employee for the employee schemes."""

    resident_id: str = Field(max_length=32)
    start_month: Month
    declared_wage: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    schemes: list[Scheme] = ["employee_pension", "unemployment", "work_injury"]


class LeaveRequest(Input):
    """减员: the employee leaves; their employee enrolments end with ``end_month``."""

    end_month: Month
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


class PaymentCreate(Input):
    period: Month
    amount: Yuan = Field(gt=0)


class EmployerMonth(BaseModel):
    period: str
    employer_id: int
    people: int
    employer_amount: Decimal
    personal_amount: Decimal
    total: Decimal
    status: Literal["due", "paid", "arrears", "none"]


class ResidentPayment(Input):
    person_id: Id
    year: Year
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
    #: ``person``, ``employee`` (issued to the employer) or ``employer`` (the unit's).
    kind: str | None = None
    name: str | None = None
    resident_id: str | None = None
    #: The unit's name (employer and employee certificates).
    employer: str | None = None
    issued_at: str | None = None
    #: Whether the stored facts still match their SM3 digest (None: no such certificate).
    hash_matches: bool | None = None
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
