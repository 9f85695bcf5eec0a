"""Unemployment-insurance use cases, one module per use case; this package is the
domain's public surface (job-stabilisation refunds are the ``refunds`` sub-domain).

- :mod:`.parameters` — benefit amount and its bounds, statutory bands and duration ladder
  as data; the estimate
- :mod:`.registration` — unemployment registration (失业登记)
- :mod:`.claims` — benefit claims, decisions, stops, suspensions
- :mod:`.payroll` — the monthly benefit payroll, until retirement where the law says so
- :mod:`.fund` — the contributions the fund pays with the benefit; grants on death

Services take a ``Session`` and a ``Principal``, flush (never commit), raise
``DomainError``s and write audit events.
"""
from __future__ import annotations

from minsheng.hrss.unemployment.service._common import (
    GRANTED_CLAIM,
    OPEN_CLAIM,
    open_claim,
    open_registration,
    stop_claim,
)
from minsheng.hrss.unemployment.service.claims import (
    CLAIM_SORTING,
    ClaimAssessment,
    ClaimItem,
    PersonView,
    all_claims,
    assess_claim,
    claim_for,
    claim_number,
    claims,
    claims_page,
    decide_claim,
    person_view,
    preview_claim,
    resume_benefit,
    retirement_month,
    stop_benefit,
    submit_claim,
    suspend_benefit,
    waiting_work,
)
from minsheng.hrss.unemployment.service.fund import (
    GRANT_SORTING,
    DeathGrantItem,
    FundTotal,
    death_grants_page,
    fund_totals,
    grant_on_death,
    latest_fund_month,
    record_fund_contributions,
)
from minsheng.hrss.unemployment.service.parameters import (
    BenefitBounds,
    Estimate,
    RateCheck,
    benefit_bounds,
    benefit_rate,
    benefit_rate_checks,
    duration_ladder,
    estimate,
    publish_benefit_rate,
    statutory_bands,
)
from minsheng.hrss.unemployment.service.payroll import (
    PAYROLL_BATCH,
    bank_file,
    reconcile,
    run_payroll,
    summary_by_region,
)
from minsheng.hrss.unemployment.service.registration import (
    REGISTRATION_SORTING,
    RegistrationItem,
    all_registrations,
    end_registration,
    register_unemployed,
    registration_counts,
    registration_spans,
    registrations,
    registrations_page,
    stop_on_death,
)

__all__ = [
    "CLAIM_SORTING",
    "GRANTED_CLAIM",
    "GRANT_SORTING",
    "OPEN_CLAIM",
    "PAYROLL_BATCH",
    "REGISTRATION_SORTING",
    "BenefitBounds",
    "ClaimAssessment",
    "ClaimItem",
    "DeathGrantItem",
    "Estimate",
    "FundTotal",
    "PersonView",
    "RateCheck",
    "RegistrationItem",
    "all_claims",
    "all_registrations",
    "assess_claim",
    "bank_file",
    "benefit_bounds",
    "benefit_rate",
    "benefit_rate_checks",
    "claim_for",
    "claim_number",
    "claims",
    "claims_page",
    "death_grants_page",
    "decide_claim",
    "duration_ladder",
    "end_registration",
    "estimate",
    "fund_totals",
    "grant_on_death",
    "latest_fund_month",
    "open_claim",
    "open_registration",
    "person_view",
    "preview_claim",
    "publish_benefit_rate",
    "reconcile",
    "record_fund_contributions",
    "register_unemployed",
    "registration_counts",
    "registration_spans",
    "registrations",
    "registrations_page",
    "resume_benefit",
    "retirement_month",
    "run_payroll",
    "statutory_bands",
    "stop_benefit",
    "stop_claim",
    "stop_on_death",
    "submit_claim",
    "summary_by_region",
    "suspend_benefit",
    "waiting_work",
]
