"""The public pension estimator: ``POST /api/v1/pension/estimate`` (no sign-in).

The estimate is a pure rule (:func:`minsheng.hrss.pension.rules.estimate`); nothing is
stored. The rulebook gives the bounds of the average index (the contribution rule in
force) and the minimum ages of the early-retirement routes, for the city of this node
(``cq`` → 50, ``sc`` → 51) in the retirement month; the regional settings (divisor rule
for ages that are not whole years, transitional rate) come from
:class:`~minsheng.platform.config.Settings`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter
from sqlalchemy.orm import Session

from minsheng.hrss.kernel import retirement
from minsheng.hrss.pension import rules, service
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
from minsheng.platform.months import month_of
from minsheng.platform.web.deps import SessionDep, SettingsDep

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
        route=data.route,
        resident_scheme_start=data.resident_scheme_start,
    )


#: The city whose parameters the public estimator uses, by node.
NODE_CITY = {"cq": "50", "sc": "51"}


def default_region(settings: Settings) -> str:
    """The region of the public estimator: this node's city."""
    return NODE_CITY.get(settings.node_id, "")


def with_rulebook(session: Session, data: rules.EstimateInput, settings: Settings,
                  region: str | None = None) -> rules.EstimateInput:
    """``data`` with what the rulebook in force for ``region`` (default: the node's city)
    in the retirement month says (this month when the date cannot be resolved: the rules
    then say why): the index bounds and the early-route ages of the employee scheme."""
    if data.scheme != "employee":
        return data
    when = rules.resolve_retirement_date(data) or date.today()
    parameters = service.estimate_parameters(
        session, default_region(settings) if region is None else region, month_of(when))
    return service.with_parameters(data, parameters)


def run_estimate(session: Session, data: rules.EstimateInput, settings: Settings,
                 region: str | None = None) -> rules.Estimate:
    """The estimate under this node's regional settings and the rulebook in force
    (:func:`with_rulebook`)."""
    return rules.estimate(with_rulebook(session, data, settings, region),
                          divisor_rule=settings.pension_divisor_rule,
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
            route=data.route,
            route_label=rules.ROUTE_LABELS.get(data.route, data.route),
            statutory_retirement=statutory,
            contribution_months=data.contribution_months,
            contribution_years=f"{Decimal(data.contribution_months) / 12:.4f}",
            deemed_contribution_months=data.deemed_contribution_months if employee else 0,
            minimum_contribution_months=result.minimum_months,
            average_index=str(data.average_index) if employee and data.average_index else None,
            index_floor=None if data.index_floor is None else f"{data.index_floor:f}",
            index_ceiling=None if data.index_ceiling is None else f"{data.index_ceiling:f}",
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
def estimate_pension(data: EstimateRequest, session: SessionDep,
                     settings: SettingsDep) -> EstimateRead:
    """Estimate a monthly pension (public, nothing stored).

    Employee scheme: basic pension ``(C̄ + C̄·Ī)/2 × N × 1 %`` + account balance ÷ the
    months divisor of the retirement age + the regional transitional pension (国发〔2005〕
    38号). Resident scheme: the regional basic pension + balance ÷ 139 (国发〔2014〕8号).
    Too few contribution months is an answer (``eligible: false`` with
    ``missing_months``), not an error; bad input is a 422 naming each field — among it a
    retirement date before the statutory date of ``category`` without a lawful
    ``route``, and an index outside the bounds of the contribution rule in force."""
    return view_estimate(run_estimate(session, estimate_input(data), settings))
