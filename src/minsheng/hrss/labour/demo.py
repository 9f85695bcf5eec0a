"""Demo data for labour relations: filed contracts for nearly every insured employee (a
few without, a few ending within 30 days), disputes and inspection complaints in
渝中区 and 涪陵区 for each year of 2016–2020 and this year in every state (some past their
statutory date), wage arrears, and tripartite coordination bodies at every level. The
demo citizen has a case of each kind. Runs once: a database with disputes is left as it
is."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.labour.models import LabourDispute
from minsheng.hrss.labour.schemas import ComplaintCreate, DisputeCreate, TripartiteBodyCreate
from minsheng.hrss.labour.service import complaints, contracts, disputes
from minsheng.hrss.registry.service import Employer, Person
from minsheng.platform import regions
from minsheng.platform.db import unit_of_work, utcnow
from minsheng.platform.security.principal import SYSTEM

DISTRICTS = ("500103", "500102")
PLAN_YEARS = range(2016, 2021)
#: Per district and year: closed by mediation, by award, withdrawn; one left open.
MEDIATED, AWARDED, WITHDRAWN = 7, 4, 1
CLAIMS = ("wages", "compensation", "wages", "damages", "social_insurance", "wages",
          "contract", "working_hours")


def seed_demo_labour(factory: sessionmaker[Session], citizen_person_id: int | None = None
                     ) -> int:
    """Load the labour demo; returns the number of disputes made (0 when already there)."""
    with unit_of_work(factory) as session:
        if session.scalar(select(func.count()).select_from(LabourDispute)):
            return 0
        _contracts(session)
        _bodies(session)
        made = 0
        for region in DISTRICTS:
            people = list(session.scalars(select(Person.id).where(
                Person.residence_region == region, Person.status == "alive")
                .order_by(Person.id).limit(200)))
            employers = list(session.scalars(select(Employer.id).where(
                Employer.region == region).order_by(Employer.id).limit(40)))
            if not people or not employers:
                continue
            made += _cases(session, region, people, employers, citizen_person_id)
        return made


def _contracts(session: Session) -> None:
    """One set-based statement: a contract from 2020 for each insured employee of an
    employer; one in 25 has none; one in 40 is fixed-term and ends within the next 30
    days, the rest open-ended or fixed-term to 2028."""
    today = date.today()
    session.execute(text(
        "INSERT INTO labour_contract (person_id, employer_id, region, kind, start_on, end_on, "
        "probation_months, filed_by, version, created_at, updated_at) "
        "SELECT e.person_id, e.employer_id, m.region, "
        "CASE WHEN e.person_id % 3 = 0 THEN 'open_ended' ELSE 'fixed_term' END, :start, "
        "CASE WHEN e.person_id % 3 = 0 THEN NULL "
        "     WHEN e.person_id % 40 = 1 THEN :soon ELSE :later END, "
        "CASE WHEN e.person_id % 3 = 0 THEN 6 ELSE 2 END, '演示数据', 1, :now, :now "
        "FROM (SELECT DISTINCT person_id, employer_id FROM enrolment "
        "      WHERE scheme = 'employee_pension' AND employer_id IS NOT NULL "
        "        AND end_month IS NULL) e "
        "JOIN employer m ON m.id = e.employer_id "
        "WHERE e.person_id % 25 <> 0"),
        {"start": date(2020, 1, 1), "soon": today + timedelta(days=12),
         "later": date(2028, 12, 31), "now": utcnow()})


def _bodies(session: Session) -> None:
    """The city's committee, one in each district, and street-level ones in 渝中 and 涪陵."""
    found = [("重庆市协调劳动关系三方委员会", "city", "500000", date(2009, 6, 1))]
    for county in regions.current_counties("50"):
        found.append((f"{county.name}协调劳动关系三方委员会", "district", county.code,
                      date(2012, 3, 1)))
    for region, name in (("500103", "渝中区"), ("500102", "涪陵区")):
        for n in range(1, 6):
            found.append((f"{name}第{n}街道（乡镇）劳动关系协调工作站", "town", region,
                          date(2016 + n % 5, 5, 1)))
    for body_name, level, region, established in found:
        contracts.register_body(session, SYSTEM, TripartiteBodyCreate(
            name=body_name, level=level, region=region, established_on=established))


def _cases(session: Session, region: str, people: list[int], employers: list[int],
           citizen: int | None) -> int:
    made = 0
    serial = 0

    def parties() -> tuple[int, int]:
        nonlocal serial
        serial += 1
        return people[serial % len(people)], employers[serial % len(employers)]

    for year in PLAN_YEARS:
        for n in range(MEDIATED + AWARDED + WITHDRAWN + 1):
            person, employer = parties()
            received = date(year, 1 + n % 12, 3 + n)
            d = disputes.apply(session, SYSTEM, DisputeCreate(
                applicant_person_id=person, employer_id=employer,
                claim_type=CLAIMS[n % len(CLAIMS)], amount=Decimal(3000 + 1500 * n),
                received_on=received))
            disputes.accept(session, SYSTEM, d.id, received + timedelta(days=2))
            if n < MEDIATED:
                disputes.start_mediation(session, SYSTEM, d.id, received + timedelta(days=6))
                disputes.close(session, SYSTEM, d.id, "mediated", received + timedelta(days=15))
            elif n < MEDIATED + AWARDED:
                disputes.close(session, SYSTEM, d.id, "awarded", received + timedelta(days=40))
            elif n < MEDIATED + AWARDED + WITHDRAWN:
                disputes.close(session, SYSTEM, d.id, "withdrawn", received + timedelta(days=9))
            # the last one of each year is still open at the year's end (December)
            made += 1
        for n in range(6):
            person, employer = parties()
            received = date(year, 2 + n * 2, 10)
            c = complaints.file_complaint(session, SYSTEM, ComplaintCreate(
                complainant_person_id=person, employer_id=employer, received_on=received,
                wage_arrears_amount=Decimal(20000 + 8000 * n), workers_affected=2 + n))
            complaints.accept(session, SYSTEM, c.id, received + timedelta(days=3))
            complaints.close(session, SYSTEM, c.id, "rectified" if n % 3 else "penalised",
                             received + timedelta(days=50), Decimal(20000 + 8000 * n))
    made += _this_year(session, region, parties, citizen)
    return made


def _this_year(session: Session, region: str, parties: object, citizen: int | None) -> int:
    """Open cases of the last weeks in every state, some past their statutory date."""
    assert callable(parties)
    today = date.today()
    plan = [  # (days ago received, steps)
        (3, ()), (12, ()),                                   # acceptance due / overdue
        (20, ("accept",)), (70, ("accept",)),                # award due / overdue
        (25, ("accept", "mediate")),                         # mediating
        (40, ("accept", "mediate", "mediated")), (55, ("accept", "award")),
        (30, ("reject",)), (35, ("accept", "withdraw")),
    ]
    made = 0
    for n, (ago, steps) in enumerate(plan):
        person, employer = parties()
        if citizen is not None and region == "500103" and n == 2:
            person = citizen
        received = today - timedelta(days=ago)
        d = disputes.apply(session, SYSTEM, DisputeCreate(
            applicant_person_id=person, employer_id=employer, claim_type=CLAIMS[n % 8],
            amount=Decimal(6000 + 2000 * n), received_on=received))
        for step in steps:
            if step == "accept":
                disputes.accept(session, SYSTEM, d.id, received + timedelta(days=2))
            elif step == "mediate":
                disputes.start_mediation(session, SYSTEM, d.id, received + timedelta(days=5))
            elif step == "reject":
                disputes.close(session, SYSTEM, d.id, "not_accepted",
                               received + timedelta(days=3), "超过仲裁时效")
            else:
                outcome = {"mediated": "mediated", "award": "awarded",
                           "withdraw": "withdrawn"}[step]
                disputes.close(session, SYSTEM, d.id, outcome, received + timedelta(days=20))
        made += 1
    for n, (ago, accepted, closed) in enumerate(
            [(2, False, False), (15, False, False), (30, True, False), (120, True, False),
             (60, True, True)]):
        person, employer = parties()
        if citizen is not None and region == "500103" and n == 2:
            person = citizen
        received = today - timedelta(days=ago)
        c = complaints.file_complaint(session, SYSTEM, ComplaintCreate(
            complainant_person_id=person, employer_id=employer, received_on=received,
            wage_arrears_amount=Decimal(35000 + 12000 * n), workers_affected=3 + 2 * n,
            violation_on=received - timedelta(days=90)))
        if accepted:
            complaints.accept(session, SYSTEM, c.id, received + timedelta(days=1))
        if closed:
            complaints.close(session, SYSTEM, c.id, "rectified", received + timedelta(days=40),
                             Decimal(35000 + 12000 * n))
    return made
