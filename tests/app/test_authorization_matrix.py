"""The authorization matrix: every route of the app's route table (JSON API and pages,
every method) × every role × a record of the caller's own region and of another region,
and without a session, checked against the expectation declared for the route in
``authorization_routes.py``.

A call fails the matrix when
- it answers 5xx;
- a role the declaration does not admit gets through (2xx, or a redirect other than to the
  sign-in page): a leak; a refusal must be 401 or 403;
- a staff account gets through on a record outside its region, or a citizen or employer
  account on a record that is not its own: a leak (403 or 404 are both fine);
- without a session, a route that is not public answers other than 401 (API) or a
  redirect to ``/login`` (pages).

State changes happen inside the test's rolled-back transaction. One test walks the whole
matrix and collects the failures, so that a run reports all of them at once; the counts
are printed (``pytest -s``) and asserted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fastapi import FastAPI
from fastapi.routing import APIRoute, _IncludedRouter
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute, Mount, Route

from minsheng.app.web import create_app
from minsheng.ecology.greenmines import service as greenmines
from minsheng.ecology.greenmines.schemas import AssessmentCreate
from minsheng.ecology.restoration.models import RestorationProgress
from minsheng.ecology.sand import service as sand
from minsheng.ecology.sand.schemas import SandCaseCreate
from minsheng.hrss.feedback.schemas import FeedbackCreate
from minsheng.hrss.feedback.service import submit as submit_feedback
from minsheng.hrss.labour import service as labour
from minsheng.hrss.labour.schemas import ComplaintCreate, ContractCreate, DisputeCreate
from minsheng.hrss.registry import service as registry
from minsheng.hrss.unemployment.models import UnemploymentBenefitRate, UnemploymentDurationStep
from minsheng.platform.cases.models import CaseFile
from minsheng.platform.config import Settings
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM, Principal
from minsheng.platform.security.roles import PERMISSIONS, Role
from tests import factories as f
from tests.app.authorization_routes import EXPECTED, Access
from tests.conftest import joined_app
from tests.ecology.greenmines.test_service import SPEC_2020
from tests.factories import ecology as eco
from tests.factories import employment as emp
from tests.factories import unemployment as unemp
from tests.live import sign_in

OWN, OTHER = "500103", "510104"
ROLES = (Role.CLERK, Role.CASE_OFFICER, Role.REVIEWER, Role.STATISTICIAN, Role.ADMIN,
         Role.AUDITOR, Role.NR_OFFICER, Role.NR_ANALYST, Role.CITIZEN, Role.EMPLOYER)
#: Path parameters that name a record with a region (or an owner): filled with a record
#: of the caller's region for "own" and of 成都市武侯区 for "other".
RECORD_PARAMS = frozenset({
    "person_id", "employer_id", "household_id", "enrolment_id", "card_no", "claim_id",
    "vacancy_id", "application_id", "mine_id", "plan_id", "progress_id", "photo_id",
    "case_id", "sand_case_id", "assessment_id", "project_id", "user_id",
    "dispute_id", "complaint_id", "contract_id", "number", "feedback_id",
})
#: Parameters that are not records: the same value in both variants.
PLAIN_PARAMS = {"year": "2025", "month": "2025-01", "kind": "persons", "job_id": "1",
                "code": "0000000000000000", "action": "start", "decision": "hire",
                "indicator_id": "urban_new_employment"}
#: A record that exists in neither region (a parameter the seed has no record for).
MISSING = "987654321"
PARAM = re.compile(r"\{([a-z_]+)(?::[a-z]+)?\}")
SUCCESS_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.path)

    @property
    def record_specific(self) -> bool:
        return any(p in RECORD_PARAMS for p in self.params)


def _flatten(routes: list[BaseRoute]) -> Iterator[tuple[str, set[str]]]:
    for route in routes:
        if isinstance(route, _IncludedRouter):
            for context in route.effective_route_contexts():
                if context.path and context.methods:
                    yield context.path, set(context.methods)
        elif isinstance(route, (APIRoute, Route)) and not isinstance(route, Mount):
            yield route.path, set(route.methods or ())


def endpoints(app: FastAPI) -> list[Endpoint]:
    """Every (method, path) of the app's route table (``HEAD`` rides along with ``GET``;
    the static-file mount is not a route)."""
    found = {Endpoint(m, p) for p, methods in _flatten(app.routes) for m in methods
             if m != "HEAD"}
    # Sign-out last, so that it revokes the session only after every other call.
    return sorted(found, key=lambda e: (e.path.endswith("/logout"), e.path, e.method))


# --- the seed: one of each record in each region --------------------------------------


def _records(session: Session, region: str) -> dict[str, str]:
    person = f.person(session, residence_region=region, name="赵敏")
    employer = f.employer(session, region=region)
    household = emp.household(session, region)
    registry.add_household_member(session, SYSTEM, household.id, person.id, "head")
    enrolment = f.enrolment(session, person.id, employer_id=employer.id)
    card = f.card(session, person_id=person.id, state="active")
    claimant, _ = unemp.insured(session, region=region, employer=employer)
    claim = unemp.claim(session, claimant, date(2025, 3, 3))
    vacancy = emp.vacancy(session, employer, "仓库管理员", region=region)
    mine = eco.mine(session, region=region)
    plan = eco.accepted_plan(session, region=region)
    project = eco.land_project(session, region=region)
    progress = session.scalar(select(RestorationProgress.id)
                              .where(RestorationProgress.plan_id == plan.id))
    sand_case = sand.register_case(session, SYSTEM, SandCaseCreate(
        project_name="测试道路工程", region=region, geometry=eco.polygon(eco.square()),
        estimated_volume_m3=Decimal("2650000"), project_use_m3=Decimal("980000")))
    assessment = greenmines.assess(session, SYSTEM, mine.id, AssessmentCreate.model_validate({
        "set_code": "MNR-2020", "assessed_date": date(2020, 7, 1), "investment": "1000000",
        "preconditions": {code: {"met": True} for code, _ in SPEC_2020.preconditions},
        "scores": {i.code: {"score": i.max_score} for i in SPEC_2020.items}}))
    user = f.staff(session, "clerk", region)
    dispute = labour.disputes.apply(session, SYSTEM, DisputeCreate(
        applicant_person_id=person.id, employer_id=employer.id, claim_type="wages",
        received_on=date(2026, 3, 2)))
    complaint = labour.complaints.file_complaint(session, SYSTEM, ComplaintCreate(
        complainant_person_id=person.id, employer_id=employer.id, received_on=date(2026, 3, 2)))
    contract = labour.contracts.file_contract(session, SYSTEM, ContractCreate(
        person_id=person.id, employer_id=employer.id, kind="open_ended",
        start_on=date(2025, 1, 1)))
    feedback = submit_feedback(session, Principal(
        user_id=0, username="matrix-feedback", role="citizen", person_id=person.id),
        FeedbackCreate(kind="inquiry", subject="参保咨询", text="请问如何查询本人参保缴费记录？"))
    return {
        "feedback_id": str(feedback.id),
        "dispute_id": str(dispute.id), "complaint_id": str(complaint.id),
        "contract_id": str(contract.id),
        "person_id": str(person.id), "employer_id": str(employer.id),
        "household_id": str(household.id), "enrolment_id": str(enrolment.id),
        "card_no": card.card_no, "claim_id": str(claim.id), "vacancy_id": str(vacancy.id),
        "mine_id": str(mine.id), "plan_id": str(plan.id), "project_id": str(project.id),
        "user_id": str(user.user_id), "progress_id": str(progress),
        "sand_case_id": str(sand_case.id), "assessment_id": str(assessment.id),
        "number": session.scalars(select(CaseFile.number).where(
            CaseFile.subject_type == "unemployment_claim",
            CaseFile.subject_id == str(claim.id))).one(),
    }


@dataclass
class Seed:
    own: dict[str, str]
    other: dict[str, str]
    principals: dict[Role, Principal] = field(default_factory=dict)


def _copy_parameters(session: Session, source: str, target: str) -> None:
    """The unemployment benefit rate and duration ladder of ``source`` (the migration
    seeds Chongqing's) copied to ``target``, so that a claim can be made there."""
    for model in (UnemploymentBenefitRate, UnemploymentDurationStep):
        columns = [c.key for c in model.__table__.columns if c.key != "id"]
        for row in session.scalars(select(model).where(model.region_prefix == source)):
            values = {c: getattr(row, c) for c in columns}
            session.add(model(**{**values, "region_prefix": target}))
    session.flush()


def seed(session: Session) -> Seed:
    greenmines.ensure_standard_sets(session, SYSTEM)
    f.contribution_rule(session, region="50")
    f.contribution_rule(session, region="51")
    _copy_parameters(session, "50", "51")
    own, other = _records(session, OWN), _records(session, OTHER)
    result = Seed(own, other)
    for role in ROLES:
        if role == Role.CITIZEN:
            account = security.add_user(session, actor=SYSTEM, username="matrix-citizen",
                                        role=role, password=f.PASSWORD,
                                        person_id=int(own["person_id"]))
            result.principals[role] = security.principal_of(account)
        elif role == Role.EMPLOYER:
            account = security.add_user(session, actor=SYSTEM, username="matrix-employer",
                                        role=role, password=f.PASSWORD,
                                        employer_id=int(own["employer_id"]))
            result.principals[role] = security.principal_of(account)
        else:
            result.principals[role] = f.staff(session, role, OWN,
                                              username=f"matrix-{role}")
    return result


def fill(endpoint: Endpoint, ids: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "case_id" and "/sand" in endpoint.path:
            name = "sand_case_id"  # a sand case; elsewhere a substituted restoration case
        if name in RECORD_PARAMS:
            return ids.get(name, MISSING)
        return PLAIN_PARAMS.get(name, "1")

    return PARAM.sub(value, endpoint.path)


# --- the checks -----------------------------------------------------------------------


def refusals(endpoint: Endpoint) -> set[int]:
    """How a refusal may answer: 401 or 403; 404 on a record-specific route (a record the
    caller may not see does not exist for them); 422 where the route checks the
    permission in its service, after the (empty) request was refused as incomplete."""
    return {401, 403, 404, 422} if endpoint.record_specific else {401, 403, 422}


def got_through(status: int, location: str) -> bool:
    """A 2xx, or a redirect that is not the way to the sign-in page (a page's form posts
    answer 303 on success)."""
    if 200 <= status < 300:
        return True
    return status in SUCCESS_REDIRECTS and not location.startswith("/login")


@dataclass
class Matrix:
    pairs: int = 0
    anonymous: int = 0
    refused: int = 0
    admitted: int = 0
    other_region: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    #: Refusals answered other than 401/403 (404 for an unseen record, 422 for a body
    #: refused before the permission check).
    refused_otherwise: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    undeclared: list[str] = field(default_factory=list)

    def summary(self, routes: int, roles: int) -> str:
        return (f"authorization matrix: {routes} routes × {roles} roles; {self.pairs} "
                f"route×role×region calls ({self.refused} refusals checked, "
                f"{self.admitted} admitted, {self.other_region} outside the caller's "
                f"region or record) + {self.anonymous} without a session; "
                f"{len(self.failures)} failures; statuses {dict(sorted(self.statuses.items()))}; "
                f"refusals other than 401/403: {dict(self.refused_otherwise)}")


def call(client: TestClient, endpoint: Endpoint, url: str,
         headers: dict[str, str]) -> tuple[int, str]:
    kwargs: dict[str, object] = {"headers": headers, "follow_redirects": False}
    if endpoint.method in ("POST", "PUT", "PATCH"):
        if endpoint.is_api:
            kwargs["json"] = {}
        else:
            kwargs["data"] = {}
    response = client.request(endpoint.method, url, **kwargs)  # type: ignore[arg-type]
    return response.status_code, response.headers.get("location", "")


def check_anonymous(matrix: Matrix, anonymous: TestClient, endpoint: Endpoint,
                    access: Access, ids: dict[str, str]) -> None:
    status, location = call(anonymous, endpoint, fill(endpoint, ids), {})
    matrix.anonymous += 1
    matrix.statuses[status] += 1
    where = f"{endpoint.key} without a session"
    if status >= 500:
        matrix.failures.append(f"{where}: {status}")
    elif access.public:
        return
    elif endpoint.is_api and status != 401:
        matrix.failures.append(f"{where}: {status}, expected 401")
    elif not endpoint.is_api and not (status in SUCCESS_REDIRECTS
                                      and location.startswith("/login")):
        matrix.failures.append(f"{where}: {status} {location}, expected a redirect to /login")


def check_role(matrix: Matrix, client: TestClient, headers: dict[str, str], role: Role,
               endpoint: Endpoint, access: Access, variant: str,
               ids: dict[str, str]) -> None:
    status, location = call(client, endpoint, fill(endpoint, ids), headers)
    matrix.pairs += 1
    matrix.statuses[status] += 1
    where = f"{endpoint.key} as {role} ({variant})"
    admitted = access.admits(role, PERMISSIONS[role])
    if status >= 500:
        matrix.failures.append(f"{where}: {status}")
    elif not admitted:
        matrix.refused += 1
        if got_through(status, location):
            matrix.failures.append(f"{where}: LEAK {status}, the role may not use it")
        elif status not in refusals(endpoint):
            matrix.failures.append(f"{where}: {status}, expected one of "
                                   f"{sorted(refusals(endpoint))}")
        elif status not in (401, 403):
            matrix.refused_otherwise[status] += 1
    else:
        matrix.admitted += 1
        if variant == "other" and endpoint.record_specific and not (
                role == Role.CITIZEN and endpoint.params == ["vacancy_id"]):
            matrix.other_region += 1
            if got_through(status, location):
                matrix.failures.append(f"{where}: LEAK {status} on a record outside the "
                                       "caller's region or of someone else")


# --- the test -------------------------------------------------------------------------


def test_every_route_as_every_role(session: Session, settings: Settings) -> None:
    app = joined_app(session, settings)
    data = seed(session)
    routes = endpoints(app)
    matrix = Matrix()
    matrix.undeclared = [e.key for e in routes if e.key not in EXPECTED]
    stale = sorted(set(EXPECTED) - {e.key for e in routes})

    anonymous = TestClient(app, raise_server_exceptions=False)
    signed_in: dict[Role, tuple[TestClient, dict[str, str]]] = {}
    for role, principal in data.principals.items():
        client = TestClient(app, raise_server_exceptions=False)
        sign_in(client, principal)
        signed_in[role] = (client, f.login(client, principal))

    declared = [e for e in routes if e.key in EXPECTED]
    for endpoint in declared:
        check_anonymous(matrix, anonymous, endpoint, EXPECTED[endpoint.key], data.own)
    for role, (client, bearer) in signed_in.items():
        for endpoint in declared:
            access = EXPECTED[endpoint.key]
            headers = bearer if endpoint.is_api else {}
            variants = [("own", data.own)]
            if endpoint.record_specific:
                variants.append(("other", data.other))
            for variant, ids in variants:
                check_role(matrix, client, headers, role, endpoint, access, variant, ids)

    unseeded = sorted({e.key for e in declared
                       if MISSING in fill(e, data.own)})
    print("\n" + matrix.summary(len(routes), len(ROLES)))
    print(f"record-specific routes called with a record that exists in neither region "
          f"(no seed for it): {len(unseeded)}: {unseeded}")
    assert not matrix.undeclared, (
        "routes without a declared expectation in tests/app/authorization_routes.py: "
        + ", ".join(matrix.undeclared))
    assert not stale, f"declarations for routes that no longer exist: {stale}"
    assert not matrix.failures, "\n".join(matrix.failures)
    assert matrix.pairs >= len(declared) * len(ROLES)
    assert matrix.anonymous == len(declared)


def test_a_route_without_a_declaration_is_caught(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/api/v1/undeclared-probe")
    def probe() -> dict[str, str]:
        return {}

    undeclared = [e.key for e in endpoints(app) if e.key not in EXPECTED]
    assert undeclared == ["GET /api/v1/undeclared-probe"]
