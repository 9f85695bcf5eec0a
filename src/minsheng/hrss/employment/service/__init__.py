"""Employment-service use cases, one module per use case; this package is the domain's
public surface.

Services take a ``Session`` and a ``Principal``, flush (never commit), raise
``DomainError``s and write audit events. Registered unemployment comes from the
unemployment domain's public service (``registration_spans``); a placement publishes
``PersonPlaced``, which ends the registration there."""

from __future__ import annotations

from minsheng.hrss.employment.service._common import (
    ZERO,
    is_registered_unemployed,
    registered_unemployed_clause,
)
from minsheng.hrss.employment.service.applications import (
    Applicant,
    applicants,
    apply,
    hire,
    my_applications,
    refer,
    reject,
)
from minsheng.hrss.employment.service.indicators import (
    Indicators,
    indicators,
    new_employment_by_month,
)
from minsheng.hrss.employment.service.key_groups import (
    add_to_key_group,
    key_groups_of,
    record_work_incapacity,
)
from minsheng.hrss.employment.service.matching import (
    SeekerMatch,
    VacancyMatch,
    VacancyQuery,
    match_seekers_for_vacancy,
    match_vacancies_for_seeker,
    query_for_seeker,
    search_vacancies,
    vacancy_search_statement,
)
from minsheng.hrss.employment.service.placements import (
    record_placement,
)
from minsheng.hrss.employment.service.seekers import (
    register_seeker,
    seeker_of_person,
)
from minsheng.hrss.employment.service.vacancies import (
    EmployerVacancy,
    close_vacancy,
    employer_vacancies,
    post_vacancy,
    read_vacancy,
)
from minsheng.hrss.employment.service.zero_employment import (
    ZERO_EMPLOYMENT_SORTING,
    DetectionResult,
    HouseholdMember,
    WorkItem,
    all_zero_employment,
    detect_zero_employment,
    waiting_work,
    working_age_clause,
    zero_employment_count,
    zero_employment_households,
    zero_employment_page,
    zero_employment_worklist,
)

__all__ = [
    "ZERO",
    "ZERO_EMPLOYMENT_SORTING",
    "Applicant",
    "DetectionResult",
    "EmployerVacancy",
    "HouseholdMember",
    "Indicators",
    "SeekerMatch",
    "VacancyMatch",
    "VacancyQuery",
    "WorkItem",
    "add_to_key_group",
    "all_zero_employment",
    "applicants",
    "apply",
    "close_vacancy",
    "detect_zero_employment",
    "employer_vacancies",
    "hire",
    "indicators",
    "is_registered_unemployed",
    "key_groups_of",
    "match_seekers_for_vacancy",
    "match_vacancies_for_seeker",
    "my_applications",
    "new_employment_by_month",
    "post_vacancy",
    "query_for_seeker",
    "read_vacancy",
    "record_placement",
    "record_work_incapacity",
    "refer",
    "register_seeker",
    "registered_unemployed_clause",
    "reject",
    "search_vacancies",
    "seeker_of_person",
    "vacancy_search_statement",
    "waiting_work",
    "working_age_clause",
    "zero_employment_count",
    "zero_employment_households",
    "zero_employment_page",
    "zero_employment_worklist",
]
