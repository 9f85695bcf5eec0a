"""What each route of the app needs, declared by hand: the expectation the authorization
matrix (``test_authorization_matrix.py``) checks every route against, as every role, on a
record of the caller's own region and of another, and without a session.

A route missing here fails the matrix: a new route needs a line. Keys are
``"METHOD /path"`` as the route table spells the path.

- ``PUBLIC``: anyone, signed in or not (sign-in, the public estimators and verifiers).
- ``SIGNED_IN``: any account, whatever its role (the workbench, "who am I", sign-out).
- ``needs(p, ...)``: an account holding any of the permissions ``p``.
- ``self_service(p, ..., own=role)``: as ``needs``, where a citizen or employer account
  acts on its own record (its person or employer), never someone else's; ``own`` names a
  role that may do so without holding any of ``p``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Access:
    permissions: frozenset[str] = frozenset()
    public: bool = False
    signed_in: bool = False
    self_service: bool = False
    own_roles: frozenset[str] = frozenset()

    def admits(self, role: str, permissions: frozenset[str]) -> bool:
        """Whether an account of ``role`` (holding ``permissions``) may be let through."""
        return (self.public or self.signed_in or bool(self.permissions & permissions)
                or role in self.own_roles)


PUBLIC = Access(public=True)
SIGNED_IN = Access(signed_in=True)


def needs(*permissions: str) -> Access:
    return Access(permissions=frozenset(permissions))


def self_service(*permissions: str, own: str | None = None) -> Access:
    return Access(permissions=frozenset(permissions), self_service=True,
                  own_roles=frozenset({own} if own else set()))


EXPECTED: dict[str, Access] = {
    # The framework's own routes and the health check.
    "GET /openapi.json": PUBLIC,
    "GET /docs": PUBLIC,
    "GET /docs/oauth2-redirect": PUBLIC,
    "GET /redoc": PUBLIC,
    "GET /healthz": PUBLIC,
    "POST /api/v1/auth/token": PUBLIC,
    "POST /api/v1/auth/logout": SIGNED_IN,
    "GET /api/v1/auth/me": SIGNED_IN,
    "GET /api/v1/calendar/deadline": SIGNED_IN,
    "GET /api/v1/calendar/years": SIGNED_IN,
    "POST /api/v1/calendar/years": needs("calendar:manage"),
    "POST /api/v1/persons": needs("registry:write"),
    "GET /api/v1/persons": needs("registry:read"),
    "GET /api/v1/persons/export.xlsx": needs("registry:export"),
    "GET /api/v1/persons/{person_id}": self_service("registry:read", own="citizen"),
    "PATCH /api/v1/persons/{person_id}": needs("registry:write"),
    "POST /api/v1/persons/{person_id}/death": needs("registry:write"),
    "POST /api/v1/households": needs("registry:write"),
    "GET /api/v1/households/{household_id}": needs("registry:read"),
    "PUT /api/v1/households/{household_id}/members/{person_id}": needs("registry:write"),
    "POST /api/v1/employers": needs("registry:write"),
    "GET /api/v1/employers": needs("registry:read"),
    "GET /api/v1/employers/{employer_id}": self_service("registry:read", own="employer"),
    "POST /api/v1/imports/{kind}": needs("registry:import"),
    "GET /api/v1/imports/{job_id}/errors.xlsx": needs("registry:import"),
    "POST /api/v1/enrolments": needs("insurance:write"),
    "POST /api/v1/enrolments/{enrolment_id}/end": needs("insurance:write"),
    "GET /api/v1/persons/{person_id}/enrolments": self_service("insurance:read", "insurance:self"),
    "GET /api/v1/persons/{person_id}/contributions":
        self_service("insurance:read", "insurance:self"),
    "POST /api/v1/employers/{employer_id}/employees": self_service("insurance:employer"),
    "POST /api/v1/employers/{employer_id}/employees/upload": self_service("insurance:employer"),
    "POST /api/v1/employers/{employer_id}/employees/{person_id}/leave":
        self_service("insurance:employer"),
    "GET /api/v1/employers/{employer_id}/contributions/{month}":
        self_service("insurance:read", "insurance:employer"),
    "POST /api/v1/employers/{employer_id}/payments": self_service("insurance:pay"),
    "GET /api/v1/contributions/arrears": needs("insurance:read"),
    "POST /api/v1/resident-pension/payments": self_service("insurance:write", "insurance:self"),
    "GET /api/v1/coverage": needs("insurance:coverage", "insurance:read"),
    "GET /api/v1/coverage/poverty": needs("insurance:coverage", "insurance:read"),
    "GET /api/v1/persons/{person_id}/certificate.pdf":
        self_service("insurance:read", "insurance:self"),
    "GET /api/v1/certificates/verify/{code}": PUBLIC,
    "GET /api/v1/employers/{employer_id}/certificate.pdf":
        self_service("insurance:read", "insurance:employer"),
    "GET /api/v1/employers/{employer_id}/employees/{person_id}/certificate.pdf":
        self_service("insurance:employer"),
    "GET /certificates/verify": PUBLIC,
    "GET /certificates/verify/{code}": PUBLIC,
    "POST /api/v1/cards": self_service("cards:write", "cards:self"),
    "GET /api/v1/cards/{card_no}": self_service("cards:read", "cards:self"),
    "GET /api/v1/persons/{person_id}/cards": self_service("cards:read", "cards:self"),
    "POST /api/v1/cards/{card_no}/issue": needs("cards:write"),
    "POST /api/v1/cards/{card_no}/activate": self_service("cards:write", "cards:self"),
    "POST /api/v1/cards/{card_no}/report-loss": self_service("cards:write", "cards:self"),
    "POST /api/v1/cards/{card_no}/cancel-loss-report": self_service("cards:write", "cards:self"),
    "POST /api/v1/cards/{card_no}/replace": needs("cards:write"),
    "POST /api/v1/e-cards": self_service("cards:write", "cards:self"),
    "GET /api/v1/e-cards/verify": PUBLIC,
    "GET /api/v1/e-cards/public-key": PUBLIC,
    "POST /api/v1/pension/awards": needs("pension:award"),
    "GET /api/v1/persons/{person_id}/pension": self_service("pension:read", "pension:self"),
    "POST /api/v1/persons/{person_id}/pension/certifications":
        self_service("pension:certify", "pension:self"),
    "GET /api/v1/pension/certifications/due": needs("pension:read"),
    "POST /api/v1/pension/payroll": needs("pension:payroll"),
    "GET /api/v1/pension/payroll/{month}/disbursement.csv": needs("pension:payroll"),
    "POST /api/v1/pension/payroll/{month}/returns": needs("pension:payroll"),
    "POST /api/v1/pension/uplifts": needs("pension:award"),
    "GET /api/v1/pension/poverty": needs("pension:read"),
    "POST /api/v1/pension/estimate": PUBLIC,
    "GET /api/v1/employment/vacancies": SIGNED_IN,  # the public job board
    "PUT /api/v1/employment/persons/{person_id}/seeker":
        self_service("employment:write", "employment:self"),
    "POST /api/v1/employment/employers/{employer_id}/vacancies":
        self_service("employment:write", "employment:employer"),
    "POST /api/v1/employment/vacancies/{vacancy_id}/applications": self_service("employment:self"),
    "POST /api/v1/employment/placements": needs("employment:write"),
    "GET /api/v1/employment/indicators": needs("employment:read"),
    "POST /api/v1/unemployment/estimate": PUBLIC,
    "POST /api/v1/unemployment/registrations":
        self_service("unemployment:write", "unemployment:self"),
    "POST /api/v1/unemployment/registrations/{person_id}/end":
        self_service("unemployment:write", "unemployment:self"),
    "POST /api/v1/unemployment/claims": self_service("unemployment:write", "unemployment:self"),
    "GET /api/v1/unemployment/claims/{claim_id}":
        self_service("unemployment:read", "unemployment:self"),
    "POST /api/v1/unemployment/claims/{claim_id}/decision": needs("unemployment:write"),
    "POST /api/v1/unemployment/claims/{claim_id}/stop": needs("unemployment:write"),
    "POST /api/v1/unemployment/payroll": needs("unemployment:payroll"),
    "POST /api/v1/unemployment/refunds/compute": needs("unemployment:refunds"),
    "GET /api/v1/unemployment/refunds/{year}": needs("unemployment:read"),
    "POST /api/v1/unemployment/refunds/{year}/review": needs("unemployment:refund_approve"),
    "GET /api/v1/unemployment/refunds/{year}/payment-list": needs("unemployment:refunds"),
    "GET /api/v1/ecology/summary": needs("ecology:read"),
    # The scorecard: the figures of the source records the role may read; the matrix
    # asks for urban new employment, an employment figure.
    "GET /api/v1/scorecard": needs("scorecard:read"),
    "GET /api/v1/scorecard/indicators": needs("scorecard:read"),
    "GET /api/v1/scorecard/targets": needs("scorecard:read"),
    "PUT /api/v1/scorecard/targets": needs("scorecard:targets"),
    "DELETE /api/v1/scorecard/targets/{target_id}": needs("scorecard:targets"),
    "GET /api/v1/scorecard/{indicator_id}/breakdown": needs("employment:read"),
    "GET /api/v1/scorecard/{indicator_id}/records": needs("employment:read"),
    "GET /scorecard": needs("scorecard:read"),
    "GET /scorecard/export.xlsx": needs("scorecard:read"),
    "GET /scorecard/targets": needs("scorecard:read"),
    "POST /scorecard/targets": needs("scorecard:targets"),
    "GET /scorecard/{indicator_id}": needs("employment:read"),
    "GET /api/v1/ecology/features": needs("ecology:read"),
    "POST /api/v1/ecology/mines": needs("ecology:write"),
    "GET /api/v1/ecology/mines": needs("ecology:read"),
    "GET /api/v1/ecology/mines/{mine_id}": needs("ecology:read"),
    "POST /api/v1/ecology/mines/{mine_id}/status": needs("ecology:write"),
    "POST /api/v1/ecology/mines/{mine_id}/closure": needs("ecology:write"),
    "GET /api/v1/ecology/closures": needs("ecology:read"),
    "POST /api/v1/ecology/red-line-zones": needs("ecology:write"),
    "GET /api/v1/ecology/red-line-zones": needs("ecology:read"),
    "GET /api/v1/ecology/closure-worklist": needs("ecology:read"),
    "POST /api/v1/ecology/restoration-plans": needs("ecology:write"),
    "GET /api/v1/ecology/restoration-plans": needs("ecology:read"),
    "GET /api/v1/ecology/restoration-plans/{plan_id}": needs("ecology:read"),
    "POST /api/v1/ecology/restoration-plans/{plan_id}/progress": needs("ecology:write"),
    "POST /api/v1/ecology/restoration-progress/{progress_id}/photos": needs("ecology:write"),
    "GET /api/v1/ecology/restoration-photos/{photo_id}": needs("ecology:read"),
    "POST /api/v1/ecology/restoration-plans/{plan_id}/acceptance": needs("ecology:write"),
    "POST /api/v1/ecology/substituted-restoration": needs("ecology:write"),
    "GET /api/v1/ecology/substituted-restoration/{case_id}": needs("ecology:read"),
    "POST /api/v1/ecology/substituted-restoration/{case_id}/{action}": needs("ecology:write"),
    "GET /api/v1/ecology/green-mine/indicator-sets": needs("ecology:read"),
    "POST /api/v1/ecology/green-mine/indicator-sets": needs("ecology:write"),
    "POST /api/v1/ecology/mines/{mine_id}/green-assessments": needs("ecology:write"),
    "GET /api/v1/ecology/green-assessments/{assessment_id}": needs("ecology:read"),
    "POST /api/v1/ecology/sand-cases": needs("ecology:write"),
    "GET /api/v1/ecology/sand-cases": needs("ecology:read"),
    "GET /api/v1/ecology/sand-cases/{case_id}": needs("ecology:read"),
    "POST /api/v1/ecology/sand-cases/{case_id}/notice": needs("ecology:write"),
    "POST /api/v1/ecology/sand-cases/{case_id}/auction": needs("ecology:write"),
    "POST /api/v1/ecology/land-projects": needs("ecology:write"),
    "GET /api/v1/ecology/land-projects": needs("ecology:read"),
    "GET /api/v1/ecology/land-projects/{project_id}": needs("ecology:read"),
    "GET /login": PUBLIC,
    "POST /login": PUBLIC,
    "POST /logout": PUBLIC,
    "GET /": SIGNED_IN,
    "GET /admin/users": needs("users:manage"),
    "GET /admin/users/new": needs("users:manage"),
    "POST /admin/users/new": needs("users:manage"),
    "GET /admin/users/{user_id}": needs("users:manage"),
    "POST /admin/users/{user_id}": needs("users:manage"),
    "POST /admin/users/{user_id}/password": needs("users:manage"),
    "POST /admin/users/{user_id}/unlock": needs("users:manage"),
    "GET /audit": needs("audit:read"),
    "POST /audit/verify": needs("audit:read"),
    "GET /audit/export.xlsx": needs("audit:read"),
    "GET /rules": needs("rules:read"),
    "GET /persons": needs("registry:read"),
    "GET /persons/new": needs("registry:write"),
    "POST /persons/new": needs("registry:write"),
    "GET /persons/{person_id}": self_service("registry:read", own="citizen"),
    "POST /persons/{person_id}": needs("registry:write"),
    "GET /employers": needs("registry:read"),
    "GET /employers/new": needs("registry:write"),
    "POST /employers/new": needs("registry:write"),
    "GET /employers/{employer_id}": self_service("registry:read", own="employer"),
    "GET /imports": needs("registry:import"),
    "POST /imports": needs("registry:import"),
    "GET /imports/{kind}/template.csv": needs("registry:import"),
    "GET /imports/{job_id}": needs("registry:import"),
    "GET /insurance": needs("insurance:read"),
    "GET /insurance/arrears.xlsx": needs("insurance:read"),
    "GET /persons/{person_id}/insurance": needs("insurance:read"),
    "POST /persons/{person_id}/insurance/enrol": needs("insurance:write"),
    "POST /persons/{person_id}/insurance/enrolments/{enrolment_id}/end": needs("insurance:write"),
    "POST /persons/{person_id}/insurance/resident-pension": needs("insurance:write"),
    "POST /persons/{person_id}/insurance/flexible": needs("insurance:write"),
    "GET /my/insurance": self_service("insurance:self"),
    "POST /my/insurance/resident-pension": self_service("insurance:self"),
    "POST /my/insurance/flexible": self_service("insurance:self"),
    "GET /employers/{employer_id}/insurance": self_service("insurance:read", "insurance:employer"),
    "POST /employers/{employer_id}/insurance/hire": needs("insurance:employer"),
    "POST /employers/{employer_id}/insurance/employees/{person_id}/leave":
        needs("insurance:employer"),
    "POST /employers/{employer_id}/insurance/upload": needs("insurance:employer"),
    "POST /employers/{employer_id}/insurance/employee-certificate":
        needs("insurance:employer"),
    "GET /employers/{employer_id}/insurance/template.csv": needs("insurance:employer"),
    "POST /employers/{employer_id}/insurance/pay": needs("insurance:pay"),
    "GET /insurance/coverage": needs("insurance:coverage"),
    "GET /insurance/coverage/export.xlsx": needs("insurance:coverage"),
    "GET /cards": needs("cards:read"),
    "GET /cards/person/{person_id}": needs("cards:read"),
    "POST /cards/person/{person_id}/apply": needs("cards:write"),
    "POST /cards/person/{person_id}/e-card": needs("cards:write"),
    "POST /cards/{card_no}/action": needs("cards:write"),
    "GET /my/card": self_service("cards:self"),
    "POST /my/card/apply": self_service("cards:self"),
    "POST /my/card/e-card": self_service("cards:self"),
    "POST /my/card/{card_no}/action": self_service("cards:self"),
    "GET /pension/estimate": PUBLIC,
    "POST /pension/estimate": PUBLIC,
    "POST /pension/estimate/result": PUBLIC,
    "GET /pension": needs("pension:read"),
    "GET /pension/due.xlsx": needs("pension:read"),
    "GET /pension/person/{person_id}": needs("pension:read"),
    "POST /pension/person/{person_id}/certify": needs("pension:certify"),
    "POST /pension/person/{person_id}/award": needs("pension:award"),
    "GET /pension/payroll": needs("pension:payroll"),
    "POST /pension/payroll/run": needs("pension:payroll"),
    "POST /pension/payroll/{month}/returns": needs("pension:payroll"),
    "GET /pension/poverty": needs("pension:read"),
    "GET /my/pension": self_service("pension:self"),
    "POST /my/pension/certify": self_service("pension:self"),
    "GET /jobs": SIGNED_IN,  # the public job board (招聘求职一点通)
    "POST /jobs/{vacancy_id}/apply": needs("employment:self"),
    "GET /my/jobs": self_service("employment:self"),
    "POST /my/jobs": self_service("employment:self"),
    "GET /employer/vacancies": needs("employment:employer"),
    "POST /employer/vacancies": needs("employment:employer"),
    "GET /employer/vacancies/{vacancy_id}": needs("employment:employer"),
    "POST /employer/applications/{application_id}/{decision}": needs("employment:employer"),
    "GET /employment": needs("employment:read"),
    "GET /employment/zero-employment": needs("employment:read"),
    "GET /employment/zero-employment.xlsx": needs("employment:read"),
    "POST /employment/zero-employment/detect": needs("employment:write"),
    "GET /my/unemployment": self_service("unemployment:self"),
    "POST /my/unemployment/register": self_service("unemployment:self"),
    "POST /my/unemployment/claim": self_service("unemployment:self"),
    "GET /my/refunds": self_service("unemployment:employer"),
    "GET /unemployment": needs("unemployment:read"),
    "GET /unemployment/claims.xlsx": needs("unemployment:read"),
    "GET /unemployment/registrations.xlsx": needs("unemployment:read"),
    "POST /unemployment/claims/{claim_id}/decide": needs("unemployment:write"),
    "POST /unemployment/claims/{claim_id}/stop": needs("unemployment:write"),
    "POST /unemployment/registrations/{person_id}/end": needs("unemployment:write"),
    "GET /unemployment/refunds": needs("unemployment:read"),
    "GET /unemployment/refunds/{year}.xlsx": needs("unemployment:read"),
    "POST /unemployment/refunds/compute": needs("unemployment:refunds"),
    "POST /unemployment/refunds/review": needs("unemployment:refund_approve"),
    "GET /unemployment/refunds/{year}/payment-list.csv": needs("unemployment:refunds"),
    "GET /ecology": needs("ecology:read"),
    "GET /ecology/map": needs("ecology:read"),
    "GET /ecology/mines": needs("ecology:read"),
    "GET /ecology/mines/new": needs("ecology:write"),
    "POST /ecology/mines/new": needs("ecology:write"),
    "GET /ecology/mines/{mine_id}": needs("ecology:read"),
    "POST /ecology/mines/{mine_id}/close": needs("ecology:write"),
    "GET /ecology/closures": needs("ecology:read"),
    "GET /ecology/restoration": needs("ecology:read"),
    "GET /ecology/restoration/plans.xlsx": needs("ecology:read"),
    "GET /ecology/restoration/new": needs("ecology:write"),
    "POST /ecology/restoration/new": needs("ecology:write"),
    "GET /ecology/restoration/{plan_id}": needs("ecology:read"),
    "POST /ecology/restoration/{plan_id}/progress": needs("ecology:write"),
    "POST /ecology/restoration/{plan_id}/photos": needs("ecology:write"),
    "POST /ecology/restoration/{plan_id}/accept": needs("ecology:write"),
    "POST /ecology/restoration/{plan_id}/case": needs("ecology:write"),
    "GET /ecology/restoration/cases/{case_id}": needs("ecology:read"),
    "POST /ecology/restoration/cases/{case_id}/{action}": needs("ecology:write"),
    "GET /ecology/green-mines": needs("ecology:read"),
    "GET /ecology/green-mines/new": needs("ecology:write"),
    "POST /ecology/green-mines/new": needs("ecology:write"),
    "GET /ecology/green-mines/{assessment_id}": needs("ecology:read"),
    "GET /ecology/sand": needs("ecology:read"),
    "GET /ecology/sand/new": needs("ecology:write"),
    "POST /ecology/sand/new": needs("ecology:write"),
    "GET /ecology/sand/{case_id}": needs("ecology:read"),
    "POST /ecology/sand/{case_id}/notice": needs("ecology:write"),
    "POST /ecology/sand/{case_id}/auction": needs("ecology:write"),
    "GET /ecology/land": needs("ecology:read"),
    "GET /ecology/land/new": needs("ecology:write"),
    "POST /ecology/land/new": needs("ecology:write"),
    "GET /ecology/land/{project_id}": needs("ecology:read"),
}
