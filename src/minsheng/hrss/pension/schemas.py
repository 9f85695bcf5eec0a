"""Request and response shapes of the pension API: the public estimator, awards,
certification, payroll, uplifts and the poverty report.

Money goes out as strings with two decimals (``"2728.00"``), never as floats.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from minsheng.platform.types import Day, Id, Input, Month, Year


class EstimateRequest(Input):
    """``POST /api/v1/pension/estimate``: what the estimate is made from.

    ``scheme`` and ``category`` are checked by the rules (so that a wrong value gets a
    clear Chinese and English message); the OpenAPI document lists their values."""

    scheme: str = Field(
        description="employee: 职工基本养老保险; resident: 城乡居民基本养老保险",
        json_schema_extra={"enum": ["employee", "resident"]})
    birth_date: Day
    retirement_date: Day | None = Field(
        default=None,
        description="退休（首次领取）日期. Left out: the statutory date for `category` "
                    "(employee), the 60th birthday (resident).")
    category: str | None = Field(
        default=None,
        description="male (60→63), female_cadre (55→58), female_worker (50→55): the "
                    "statutory retirement age under the 2024 decision",
        json_schema_extra={"enum": ["male", "female_cadre", "female_worker", None]})
    route: str = Field(
        default="statutory", max_length=16,
        description="employee: statutory (on or after the statutory date), flexible (2024 "
                    "decision art. 3: at most 3 years early, never below the original age; "
                    "deferral at most 3 years), special_work or disability (early routes "
                    "whose minimum ages are in the rulebook)",
        json_schema_extra={"enum": ["statutory", "flexible", "special_work", "disability"]})
    # Negative months are refused by the rules (with their own message); the upper
    # bound is a century of months.
    contribution_months: int = Field(le=1200, description="累计缴费月数, deemed months included")
    deemed_contribution_months: int = Field(
        default=0, le=1200, description="视同缴费月数 (employee; for the transitional pension)")
    average_index: Decimal | None = Field(
        default=None, max_digits=8, decimal_places=4,
        description="平均缴费指数 (employee), within the floor and ceiling of the "
                    "contribution rule in force (0.6–3.0 today)")
    local_average_wage: Decimal | None = Field(
        default=None, max_digits=14, decimal_places=2,
        description="上年度当地职工月平均工资, yuan (employee)")
    account_balance: Decimal = Field(
        default=Decimal("0"), max_digits=14, decimal_places=2,
        description="个人账户储存额, yuan")
    basic_pension: Decimal | None = Field(
        default=None, max_digits=14, decimal_places=2,
        description="基础养老金 per month, the regional amount, yuan (resident)")
    resident_scheme_start: Day | None = Field(
        default=None,
        description="城乡居民养老保险在当地实施的日期 (resident): 60 or older that day, no "
                    "contribution is needed; less than 15 years to 60, the years left "
                    "(国发〔2014〕8号). Left out: 15 years for everyone.")


class RetirementAgeRead(BaseModel):
    years: int
    months: int
    label: str


class StatutoryRetirementRead(RetirementAgeRead):
    retirement_date: date
    original_age_years: int
    delay_months: int


class EstimateInputsRead(BaseModel):
    """Every input the estimate used, the derived ones included."""

    scheme: str
    scheme_label: str
    birth_date: date
    retirement_date: date
    #: given, statutory (from ``category``) or age_60 (resident default).
    retirement_date_source: Literal["given", "statutory", "age_60"]
    retirement_age: RetirementAgeRead
    category: str | None
    category_label: str | None
    route: str
    route_label: str
    statutory_retirement: StatutoryRetirementRead | None
    contribution_months: int
    #: N = months / 12, shown to four decimals (the formula uses the exact fraction).
    contribution_years: str
    deemed_contribution_months: int
    minimum_contribution_months: int
    average_index: str | None
    #: The bounds of the index from the contribution rule in force (employee).
    index_floor: str | None = None
    index_ceiling: str | None = None
    local_average_wage: str | None
    #: C̄ × Ī, the indexed average monthly contribution wage (employee).
    indexed_wage: str | None
    account_balance: str
    #: Resident: the regional basic pension given.
    basic_pension: str | None
    divisor_rule: str
    divisor_rule_label: str
    transitional_rate: str


class MessageRead(BaseModel):
    message: str
    message_en: str


class EstimateRead(BaseModel):
    """The answer. Amounts are ``"0.00"`` when not eligible (no monthly pension yet)."""

    eligible: bool
    missing_months: int
    months_divisor: int
    basic_pension: str
    account_pension: str
    transitional_pension: str
    total: str
    inputs: EstimateInputsRead
    #: Why not eligible and what can be done (``None`` when eligible).
    explanation: str | None
    explanation_en: str | None
    notes: list[MessageRead]


class AwardCreate(Input):
    person_id: Id
    retirement_date: Day
    scheme: Literal["employee", "resident"] = "employee"
    category: Literal["male", "female_cadre", "female_worker"] | None = Field(
        default=None, description="employee scheme: the retirement category; men are male, "
                                  "a woman's must be given (female_cadre 55→58, "
                                  "female_worker 50→55)")
    route: Literal["statutory", "flexible", "special_work", "disability"] = Field(
        default="statutory",
        description="statutory (on or after the statutory date), flexible (2024 decision "
                    "art. 3: at most 3 years early, never below the original age, deferral "
                    "at most 3 years), special_work or disability (early routes whose "
                    "minimum ages are in the rulebook)")
    route_evidence: str = Field(default="", max_length=100,
                                description="early routes: the approval or appraisal reference")
    local_average_wage: Decimal | None = Field(default=None, gt=0, max_digits=14,
                                               decimal_places=2)
    resident_basic_pension: Decimal | None = Field(default=None, ge=0, max_digits=14,
                                                   decimal_places=2)
    bank_account: str = Field(default="", max_length=32, pattern=r"^[0-9]*$")


class AwardRead(BaseModel):
    version: int
    scheme: str
    effective_month: str
    basic_amount: Decimal
    account_amount: Decimal
    transitional_amount: Decimal
    total_amount: Decimal
    reason: str


class CertificationCreate(Input):
    method: Literal["face", "data_comparison", "home_visit", "peer_node"]
    on: Day | None = None
    node: Literal["cq", "sc"] | None = None
    evidence: str = Field(default="", max_length=200)


class CounterCertificationCreate(Input):
    """就地认 at this node's counter, for a recipient paid here or at the other node."""

    resident_id: str = Field(min_length=15, max_length=18)
    place: Literal["cq", "sc"]
    method: Literal["data_comparison", "home_visit"] = "home_visit"
    on: Day | None = None


class CounterCertificationRead(BaseModel):
    state: Literal["certified", "sent"]
    person_id: int | None
    next_due: date | None
    envelope_id: str | None
    paying_node: str | None


class CertificationRead(BaseModel):
    person_id: int
    certified_date: date
    method: str
    node: str
    next_due: date


class PensionStatus(BaseModel):
    person_id: int
    status: str
    start_month: str
    last_certified_date: date
    certification_due_date: date
    awards: list[AwardRead]
    payments: list[dict[str, object]]
    overpayments: list[dict[str, object]]


class DueRead(BaseModel):
    person_id: int
    name: str
    region: str
    last_certified_date: date
    certification_due_date: date
    status: str
    reminder_due: bool


class PayrollRequest(Input):
    month: Month


class PayrollRead(BaseModel):
    run_id: int
    month: str
    payments: int
    total: Decimal
    control_sum: str
    by_region: list[tuple[str, int, Decimal]]


class UpliftCreate(Input):
    year: Year
    percent: Decimal = Field(ge=0, le=Decimal("0.2"), max_digits=7, decimal_places=4)
    fixed_amount: Decimal = Field(default=Decimal("0"), ge=0, max_digits=10, decimal_places=2)
    effective_month: Month
    source: str = Field(min_length=1, max_length=200)


class PovertyDistrict(BaseModel):
    region: str
    should_enrol: int
    enrolled: int
    should_pay: int
    paid: int
    eligible_benefit: int
    paid_benefit: int


class PovertyReportRead(BaseModel):
    region: str
    year: int
    month: str
    districts: list[PovertyDistrict]
    not_enrolled_ids: list[int]
    not_paid_ids: list[int]
    benefit_not_paid_ids: list[int]
