"""Unemployment-insurance use cases, one module per use case; this package is the
domain's public surface (job-stabilisation refunds are the ``refunds`` sub-domain).

- :mod:`.parameters` — benefit amount and duration ladder as data; the estimate
- :mod:`.registration` — unemployment registration (失业登记)
- :mod:`.claims` — benefit claims, decisions, stops, suspensions
- :mod:`.payroll` — the monthly benefit payroll

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
    stop_benefit,
    submit_claim,
    suspend_benefit,
)
from minsheng.hrss.unemployment.service.parameters import (
    Estimate,
    benefit_rate,
    duration_ladder,
    estimate,
)
from minsheng.hrss.unemployment.service.payroll import (
    PAYROLL_BATCH,
    bank_file,
    reconcile,
    run_payroll,
    summary_by_region,
)
from minsheng.hrss.unemployment.service.registration import (
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
    "GRANTED_CLAIM",
    "OPEN_CLAIM",
    "PAYROLL_BATCH",
    "ClaimAssessment",
    "ClaimItem",
    "Estimate",
    "PersonView",
    "RegistrationItem",
    "all_claims",
    "all_registrations",
    "assess_claim",
    "bank_file",
    "benefit_rate",
    "claim_for",
    "claim_number",
    "claims",
    "claims_page",
    "decide_claim",
    "duration_ladder",
    "end_registration",
    "estimate",
    "open_claim",
    "open_registration",
    "person_view",
    "preview_claim",
    "reconcile",
    "register_unemployed",
    "registration_counts",
    "registration_spans",
    "registrations",
    "registrations_page",
    "resume_benefit",
    "run_payroll",
    "stop_benefit",
    "stop_claim",
    "stop_on_death",
    "submit_claim",
    "summary_by_region",
    "suspend_benefit",
]
