"""Insurance use cases (参保缴费), one module per use case; this package is the domain's
public surface: other domains, the API, the pages and the CLI use these names.

- :mod:`.enrolment` — enrolment, hire and leave (增员/减员)
- :mod:`.contribution_rules` — base limits and rates as data
- :mod:`.assessment` — the monthly assessment (set-based, idempotent, resumable)
- :mod:`.employer_accounts` — what employers owe and pay, arrears
- :mod:`.resident_pension` — resident pension payments and government-paid contributions
- :mod:`.coverage` — coverage and the poverty checks
- :mod:`.records` — a person's contribution record as other domains read it
- :mod:`.resident_record` — a person's resident-pension record (超龄 rules, 衔接)

Services take a ``Session`` and a ``Principal``, flush (never commit), raise
``DomainError``s and write audit events.
"""
from __future__ import annotations

from minsheng.hrss.insurance.service._common import (
    SCHEME_LABELS,
    arrears_after_months,
    arrears_sql,
    contribution_statuses,
    employer_for,
    is_in_arrears,
)
from minsheng.hrss.insurance.service.assessment import (
    ASSESS_BATCH,
    Progress,
    assess_batch,
    assess_month,
)
from minsheng.hrss.insurance.service.contribution_rules import (
    RuleInput,
    add_rule,
    rule_for,
    rules_in_force,
)
from minsheng.hrss.insurance.service.coverage import (
    PENSION_SCHEMES,
    Coverage,
    PovertyChecks,
    PovertyRules,
    alive_on,
    all_not_enrolled,
    coverage,
    coverage_select,
    enrolled_between,
    insured_select,
    not_enrolled,
    pension_insured_on,
    persons_by_ids,
    poverty_checks,
    poverty_registered,
    poverty_rules,
    poverty_select,
    should_enrol_on,
)
from minsheng.hrss.insurance.service.employer_accounts import (
    ARREARS_SORTING,
    ArrearsMonth,
    BillLine,
    Employee,
    EmployerAccount,
    all_arrears,
    arrears_page,
    employer_account,
    employer_month,
    employers_in_arrears,
    pay_employer,
    waiting_work,
)
from minsheng.hrss.insurance.service.enrolment import (
    employee_of,
    end_enrolment,
    enrol,
    enrolment_person,
    enrolments_of,
    hire,
    leave,
    view_enrolment,
)
from minsheng.hrss.insurance.service.records import (
    ContributionGap,
    ContributionRecord,
    FlexiblePayment,
    RecordYear,
    UnemploymentCoverage,
    YearTotal,
    contribution_gaps,
    contribution_record,
    contribution_years,
    contributions_of,
    employee_spans,
    enrolled_in,
    pay_flexible_contributions,
    pension_record,
    unemployment_coverage,
    unemployment_months,
)
from minsheng.hrss.insurance.service.resident_pension import (
    PayableYear,
    designate,
    government_pay_resident,
    pay_resident_pension,
    resident_grades,
    resident_payable_years,
)
from minsheng.hrss.insurance.service.resident_record import (
    ResidentRecord,
    resident_record,
    resident_record_of,
    resident_scheme_start,
)

__all__ = [
    "ARREARS_SORTING",
    "ASSESS_BATCH",
    "PENSION_SCHEMES",
    "SCHEME_LABELS",
    "ArrearsMonth",
    "BillLine",
    "ContributionGap",
    "ContributionRecord",
    "Coverage",
    "Employee",
    "EmployerAccount",
    "FlexiblePayment",
    "PayableYear",
    "PovertyChecks",
    "PovertyRules",
    "Progress",
    "RecordYear",
    "ResidentRecord",
    "RuleInput",
    "UnemploymentCoverage",
    "YearTotal",
    "add_rule",
    "alive_on",
    "all_arrears",
    "all_not_enrolled",
    "arrears_after_months",
    "arrears_page",
    "arrears_sql",
    "assess_batch",
    "assess_month",
    "contribution_gaps",
    "contribution_record",
    "contribution_statuses",
    "contribution_years",
    "contributions_of",
    "coverage",
    "coverage_select",
    "designate",
    "employee_of",
    "employee_spans",
    "employer_account",
    "employer_for",
    "employer_month",
    "employers_in_arrears",
    "end_enrolment",
    "enrol",
    "enrolled_between",
    "enrolled_in",
    "enrolment_person",
    "enrolments_of",
    "government_pay_resident",
    "hire",
    "insured_select",
    "is_in_arrears",
    "leave",
    "not_enrolled",
    "pay_employer",
    "pay_flexible_contributions",
    "pay_resident_pension",
    "pension_insured_on",
    "pension_record",
    "persons_by_ids",
    "poverty_checks",
    "poverty_registered",
    "poverty_rules",
    "poverty_select",
    "resident_grades",
    "resident_payable_years",
    "resident_record",
    "resident_record_of",
    "resident_scheme_start",
    "rule_for",
    "rules_in_force",
    "should_enrol_on",
    "unemployment_coverage",
    "unemployment_months",
    "view_enrolment",
    "waiting_work",
]
