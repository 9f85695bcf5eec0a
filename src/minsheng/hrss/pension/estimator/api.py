"""The public pension estimator: ``POST /api/v1/pension/estimate`` (no sign-in).

The estimate is a pure rule (:func:`minsheng.hrss.pension.rules.estimate`): no
database, nothing stored. The regional settings it uses (divisor rule for ages that are
not whole years, transitional rate) come from :class:`~minsheng.platform.config.Settings`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter

from minsheng.hrss.kernel import retirement
from minsheng.hrss.pension import rules
from minsheng.hrss.pension.schemas import (
    EstimateInputsRead,
    EstimateRead,
    EstimateRequest,
    MessageRead,
    RetirementAgeRead,
    StatutoryRetirementRead,
)
from minsheng.platform.config import Settings
from minsheng.platform.money import money_str
from minsheng.platform.web.deps import SettingsDep

router = APIRouter(prefix="/api/v1/pension", tags=["pension"])

_PROBLEM: dict[int | str, dict[str, Any]] = {
    422: {"description": "Bad input: a problem (`type` rule_violation) with `errors`, each "
                         "naming the field with a Chinese and an English message."},
}


def estimate_input(data: EstimateRequest) -> rules.EstimateInput:
    return rules.EstimateInput(
        scheme=data.scheme,
        birth_date=data.birth_date,
        retirement_date=data.retirement_date,
        contribution_months=data.contribution_months,
        account_balance=data.account_balance,
        average_index=data.average_index,
        local_average_wage=data.local_average_wage,
        basic_pension=data.basic_pension,
        deemed_contribution_months=data.deemed_contribution_months,
        category=data.category,
        resident_scheme_start=data.resident_scheme_start,
    )


def run_estimate(data: rules.EstimateInput, settings: Settings) -> rules.Estimate:
    """The estimate under this node's regional settings."""
    return rules.estimate(data, divisor_rule=settings.pension_divisor_rule,
                          transitional_rate=settings.pension_transitional_rate)


def view_estimate(result: rules.Estimate) -> EstimateRead:
    """The estimate as the API (and the page) shows it."""
    data = result.inputs
    employee = data.scheme == "employee"
    statutory = None
    if result.statutory is not None:
        s = result.statutory
        statutory = StatutoryRetirementRead(
            years=s.years, months=s.months, label=s.label, retirement_date=s.retirement_date,
            original_age_years=s.original_age_years, delay_months=s.delay_months)
    indexed = None
    if employee and data.local_average_wage is not None and data.average_index is not None:
        indexed = rules.round_fen(data.local_average_wage * data.average_index)
    explanation = result.explanation
    return EstimateRead(
        eligible=result.eligible,
        missing_months=result.missing_months,
        months_divisor=result.months_divisor,
        basic_pension=money_str(result.basic_pension),
        account_pension=money_str(result.account_pension),
        transitional_pension=money_str(result.transitional_pension),
        total=money_str(result.total),
        inputs=EstimateInputsRead(
            scheme=data.scheme,
            scheme_label=rules.SCHEME_LABELS[data.scheme],
            birth_date=data.birth_date,
            retirement_date=result.retirement_date,
            retirement_date_source=result.retirement_date_source,
            retirement_age=RetirementAgeRead(years=result.retirement_age_years,
                                             months=result.retirement_age_months,
                                             label=result.retirement_age_label),
            category=data.category,
            category_label=retirement.CATEGORY_LABELS.get(data.category or ""),
            statutory_retirement=statutory,
            contribution_months=data.contribution_months,
            contribution_years=f"{Decimal(data.contribution_months) / 12:.4f}",
            deemed_contribution_months=data.deemed_contribution_months if employee else 0,
            minimum_contribution_months=result.minimum_months,
            average_index=str(data.average_index) if employee and data.average_index else None,
            local_average_wage=money_str(data.local_average_wage)
            if employee and data.local_average_wage is not None else None,
            indexed_wage=None if indexed is None else money_str(indexed),
            account_balance=money_str(data.account_balance),
            basic_pension=None if employee or data.basic_pension is None
            else money_str(data.basic_pension),
            divisor_rule=result.divisor_rule if employee else "resident_139",
            divisor_rule_label=(rules.DIVISOR_RULE_LABELS[result.divisor_rule] if employee
                                else "城乡居民统一按139个月计发"),
            transitional_rate=str(result.transitional_rate),
        ),
        explanation=explanation.zh if explanation else None,
        explanation_en=explanation.en if explanation else None,
        notes=[MessageRead(message=n.zh, message_en=n.en) for n in result.notes],
    )


@router.post("/estimate", response_model=EstimateRead, responses=_PROBLEM)
def estimate_pension(data: EstimateRequest, settings: SettingsDep) -> EstimateRead:
    """Estimate a monthly pension (public, nothing stored).

    Employee scheme: basic pension ``(C̄ + C̄·Ī)/2 × N × 1 %`` + account balance ÷ the
    months divisor of the retirement age + the regional transitional pension (国发〔2005〕
    38号). Resident scheme: the regional basic pension + balance ÷ 139 (国发〔2014〕8号).
    Too few contribution months is an answer (``eligible: false`` with
    ``missing_months``), not an error; bad input is a 422 naming each field."""
    return view_estimate(run_estimate(estimate_input(data), settings))
