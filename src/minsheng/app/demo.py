"""Demo data: a small synthetic city and accounts of every staff role and several districts."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from minsheng.app.demo_ecology import seed_ecology
from minsheng.hrss.cards.demo import seed_demo_cards
from minsheng.hrss.employment.demo import seed_demo_employment
from minsheng.hrss.feedback.demo import seed_demo_feedback
from minsheng.hrss.hragency.demo import seed_demo_agencies
from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.insurance.models import (
    Contribution,
    Enrolment,
    GovernmentPaymentRule,
    PersonDesignation,
    ResidentPensionGrade,
)
from minsheng.hrss.insurance.schemas import EnrolmentCreate
from minsheng.hrss.labour.demo import seed_demo_labour
from minsheng.hrss.pension import service as pension
from minsheng.hrss.pension.demo import seed_demo_pension_history, seed_demo_resident_pensions
from minsheng.hrss.pension.models import PensionPayment, PensionRecipient
from minsheng.hrss.personnelfile.demo import seed_demo_personnel_files
from minsheng.hrss.registry.models import Employer, Person
from minsheng.hrss.scorecard.demo import seed_demo_targets
from minsheng.hrss.talent.demo import seed_demo_talent
from minsheng.hrss.talentcard.demo import seed_demo_talentcard
from minsheng.hrss.unemployment.demo import seed_demo_unemployment
from minsheng.platform import regions
from minsheng.platform.db import unit_of_work
from minsheng.platform.errors import Conflict, RuleViolation
from minsheng.platform.security import service as security
from minsheng.platform.security.models import UserAccount
from minsheng.platform.security.principal import SYSTEM
from minsheng.platform.security.roles import ROLE_LABELS, Role
from minsheng.synth.load import load_synthetic_city

#: 1.0 ≈ 35 million; this gives about 5,000 people and 500 employers.
DEMO_SCALE = 0.00015
DEMO_SEED = 2026
DEMO_PASSWORD = "Demo@2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    region: str
    display_name: str

    @property
    def password(self) -> str:
        return DEMO_PASSWORD

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def region_label(self) -> str:
        if self.role is Role.CITIZEN:
            return "本人"
        if self.role is Role.EMPLOYER:
            return "本单位"
        return (regions.name_of(self.region) or self.region) if self.region else "全部"


STAFF = (
    DemoAccount("admin", Role.ADMIN, "", "系统管理员"),
    DemoAccount("yuzhong_clerk", Role.CLERK, "500103", "渝中区窗口 王敏"),
    DemoAccount("fuling_clerk", Role.CLERK, "500102", "涪陵区窗口 刘洋"),
    DemoAccount("shapingba_officer", Role.CASE_OFFICER, "500106", "沙坪坝区承办人 陈静"),
    DemoAccount("cq_reviewer", Role.REVIEWER, "500000", "市局复核 赵磊"),
    DemoAccount("cq_statistician", Role.STATISTICIAN, "500000", "市局统计 孙丽"),
    DemoAccount("cq_auditor", Role.AUDITOR, "", "审计 周强"),
    DemoAccount("chengdu_clerk", Role.CLERK, "510100", "成都市窗口 杨帆"),
    # The district natural-resources bureau (生态修复): a role family of its own.
    DemoAccount("fuling_nr", Role.NR_OFFICER, "500102", "涪陵区规划自然资源局 李娜"),
    DemoAccount("cq_nr_analyst", Role.NR_ANALYST, "500000", "市规划自然资源局统计 吴刚"),
)


#: The demo citizen who pays employee pension as a flexible worker.
FLEXIBLE_USERNAME = "flexible"


def _link_portal_accounts(session: Session) -> list[DemoAccount]:
    """A citizen (an employee living in 渝中区), a flexible worker, and the employer
    account of the citizen's firm."""
    person = session.scalar(
        select(Person).join(Enrolment, Enrolment.person_id == Person.id)
        .where(Person.residence_region == "500103", Enrolment.scheme == "employee_pension",
               Enrolment.employer_id.is_not(None), Enrolment.end_month.is_(None))
        .order_by(Person.id).limit(1))
    employer = session.scalar(
        select(Employer).join(Enrolment, Enrolment.employer_id == Employer.id)
        .where(Enrolment.person_id == (person.id if person else 0)).limit(1)
    ) or session.scalar(select(Employer).where(Employer.region == "500103")
                        .order_by(Employer.id).limit(1))
    accounts = []
    if person is not None:
        security.add_user(session, actor=SYSTEM, username="citizen", role=Role.CITIZEN,
                          password=DEMO_PASSWORD, display_name=person.name,
                          person_id=person.id)
        accounts.append(DemoAccount("citizen", Role.CITIZEN, "", person.name))
    # A flexible worker (灵活就业人员): employee pension paid by the person alone, at the
    # flexible rate, with the personal account credited its 8 % share.
    flexible = session.scalar(
        select(Person).join(Enrolment, Enrolment.person_id == Person.id)
        .where(Enrolment.scheme == "employee_pension", Enrolment.employer_id.is_(None),
               Enrolment.end_month.is_(None), Person.status == "alive")
        .order_by(Person.residence_region != "500103", Person.id).limit(1))
    if flexible is not None:
        security.add_user(session, actor=SYSTEM, username=FLEXIBLE_USERNAME, role=Role.CITIZEN,
                          password=DEMO_PASSWORD, display_name=flexible.name,
                          person_id=flexible.id)
        accounts.append(DemoAccount(FLEXIBLE_USERNAME, Role.CITIZEN, "", flexible.name))
    if employer is not None:
        security.add_user(session, actor=SYSTEM, username="employer", role=Role.EMPLOYER,
                          password=DEMO_PASSWORD, display_name=employer.name,
                          employer_id=employer.id)
        accounts.append(DemoAccount("employer", Role.EMPLOYER, "", employer.name))
    return accounts


def load(
    factory: sessionmaker[Session],
    *,
    start: Callable[[str, int], None] | None = None,
    advance: Callable[[str, int], None] | None = None,
) -> list[DemoAccount]:
    """Load the demo once; later runs find the accounts and change nothing."""
    with unit_of_work(factory) as session:
        loaded = session.scalar(select(UserAccount.id).where(UserAccount.username == "admin"))
    if loaded is None:
        load_synthetic_city(factory, scale=DEMO_SCALE, seed=DEMO_SEED, start=start,
                            advance=advance)
        _analyze(factory)
        with unit_of_work(factory) as session:
            for account in STAFF:
                security.add_user(session, actor=SYSTEM, username=account.username,
                                  role=account.role, password=DEMO_PASSWORD,
                                  region_code=account.region, display_name=account.display_name)
            portal = _link_portal_accounts(session)
            seed_demo_cards(session)
        seed_insurance(factory)
        with unit_of_work(factory) as session:
            seed_demo_resident_pensions(session)
        seed_pensions(factory)
        seed_demo_unemployment(factory)
        seed_demo_employment(factory)
        with unit_of_work(factory) as session:
            citizen = session.scalar(select(UserAccount.person_id)
                                     .where(UserAccount.username == "citizen"))
            agency = session.scalar(select(UserAccount.employer_id)
                                    .where(UserAccount.username == "employer"))
        seed_demo_labour(factory, citizen_person_id=citizen)
        seed_demo_talentcard(factory, citizen_person_id=citizen)
        seed_demo_talent(factory)
        seed_demo_personnel_files(factory, citizen_person_id=citizen)
        seed_demo_agencies(factory, employer_id=agency)
        seed_demo_feedback(factory, citizen_person_id=citizen, employer_id=agency)
    else:
        with unit_of_work(factory) as session:
            names = set(session.scalars(select(UserAccount.username)
                                        .where(UserAccount.role.in_([Role.CITIZEN,
                                                                     Role.EMPLOYER]))))
        roles = {"citizen": Role.CITIZEN, FLEXIBLE_USERNAME: Role.CITIZEN,
                 "employer": Role.EMPLOYER}
        portal = [DemoAccount(n, role, "", n) for n, role in roles.items() if n in names]
    seed_ecology(factory)
    with unit_of_work(factory) as session:
        seed_demo_targets(session, DEMO_SCALE)
    _analyze(factory)
    return [*STAFF, *portal]


def _analyze(factory: sessionmaker[Session]) -> None:
    """The planner's statistics of the freshly loaded tables, once the synthetic city is in
    and again at the end: without them SQLite probes enrolments by scheme rather than by
    person, and the 代缴 statements and the scorecard's person-based figures take seconds
    instead of milliseconds."""
    with unit_of_work(factory) as session:
        session.execute(text("ANALYZE"))


#: Demo parameters only: the real ones are published each year by the city (✘ here).
DEMO_SOURCE = "演示参数（非官方发布值）"
WORK_INJURY_BENCHMARK = ("0.002", "0.004", "0.007", "0.009", "0.011", "0.013", "0.016", "0.019")
RESIDENT_GRADES = (100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500, 2000)


def seed_insurance(factory: sessionmaker[Session]) -> None:
    """Contribution rules, resident-pension grades, three assessed months with most
    employers paid and some in arrears, and the government-paid contributions."""
    with unit_of_work(factory) as session:
        for region, wage in (("50", "8200.00"), ("51", "8600.00")):
            # From 1980: the demo's retirees have decades of history, and each year's
            # contribution index needs that year's average wage.
            insurance.add_rule(session, SYSTEM, insurance.RuleInput(
                region_prefix=region, valid_from="1980-01", valid_to=None,
                average_wage=Decimal(wage), pension_employer=Decimal("0.16"),
                pension_personal=Decimal("0.08"), unemployment_employer=Decimal("0.005"),
                unemployment_personal=Decimal("0.005"),
                work_injury=[Decimal(r) for r in WORK_INJURY_BENCHMARK], source=DEMO_SOURCE,
                source_status="unconfirmed"))
            # The grades and 代缴 shares of 2016–2025 (the scorecard's 十三五 reads 2020's
            # government-paid contributions), then those published for 2026.
            for valid_from, valid_to in ((201601, 202512), (202601, None)):
                for amount in RESIDENT_GRADES:
                    session.add(ResidentPensionGrade(
                        region_prefix=region, valid_from=valid_from, valid_to=valid_to,
                        amount=Decimal(amount), subsidy=Decimal(30 + min(amount // 100, 10) * 5),
                        source=DEMO_SOURCE, source_status="unconfirmed"))
                for designation, share in (("poverty_registered", 1_000_000),
                                           ("tekun", 1_000_000), ("dibao", 500_000)):
                    session.add(GovernmentPaymentRule(
                        region_prefix=region, valid_from=valid_from, valid_to=valid_to,
                        designation=designation, share_ppm=share, source=DEMO_SOURCE,
                        source_status="unconfirmed"))
        _register_poor_of(session, POVERTY_DISTRICT)
    for month in ("2026-08", "2026-09", "2026-10"):
        insurance.assess_month(factory, SYSTEM, month=month)
    with unit_of_work(factory) as session:
        for year in (2016, 2017, 2018, 2019, 2020, 2026):
            insurance.government_pay_resident(session, SYSTEM, year=year, region_prefix="")
        employers = session.execute(select(Contribution.employer_id, Contribution.period)
                                    .where(Contribution.employer_id.is_not(None),
                                           Contribution.period.in_([202608, 202609]))
                                    .distinct()).all()
        for employer_id, period in employers:
            if employer_id is not None and employer_id % 9 != 0:  # about one in nine owes
                month = f"{period // 100}-{period % 100:02d}"
                due = insurance.employer_month(session, SYSTEM, employer_id, month)
                insurance.pay_employer(session, SYSTEM, employer_id, month, due.total)
        # The flexible worker has paid August and September; October is still due.
        flexible = session.scalar(select(UserAccount.person_id)
                                  .where(UserAccount.username == FLEXIBLE_USERNAME))
        if flexible is not None:
            with contextlib.suppress(Conflict):  # nothing billed for those months
                insurance.pay_flexible_contributions(session, SYSTEM, flexible,
                                                     periods=[202608, 202609])


#: 涪陵区 (the district bureau's own): a few rural residents on its poverty register.
POVERTY_DISTRICT, POVERTY_PEOPLE = "500102", 4


def _register_poor_of(session: Session, district: str) -> None:
    """Put ``POVERTY_PEOPLE`` adults of ``district`` (rural first) with no pension enrolment and
    not yet on the register on the poverty register (建档立卡, from 2016) and enrol all but
    one in the resident pension from 2016-01, so that the district has 应保尽保 / 应缴尽缴
    figures of its own (the one left is on the 全民参保 work-list)."""
    listed = select(PersonDesignation.person_id)
    pensions = select(Enrolment.person_id).where(
        Enrolment.scheme.in_(("employee_pension", "resident_pension")))
    people = session.scalars(
        select(Person).where(Person.residence_region == district, Person.status == "alive",
                             Person.birth_date <= date(1990, 1, 1),
                             Person.id.not_in(listed), Person.id.not_in(pensions))
        .order_by(Person.hukou_type != "rural", Person.id).limit(POVERTY_PEOPLE)).all()
    for n, person in enumerate(people):
        insurance.designate(session, SYSTEM, person.id, "poverty_registered", date(2016, 1, 1))
        if n:
            insurance.enrol(session, SYSTEM, EnrolmentCreate(
                person_id=person.id, scheme="resident_pension", start_month="2016-01"))


DEMO_RETIREES = 400


def seed_pensions(factory: sessionmaker[Session]) -> None:
    """Awards for former employees who retired, certifications spread over the past
    year (some lapsed, so suspended) with their yearly history since 2016, some
    recipients on the poverty register, an uplift for 2026, and paid payrolls for
    December 2020 and three months of 2026."""
    with unit_of_work(factory) as session:
        retirees = session.execute(
            select(Enrolment.person_id, Enrolment.end_month, Person.gender)
            .join(Person, Person.id == Enrolment.person_id)
            .where(Enrolment.scheme == "employee_pension", Enrolment.end_reason == "retired",
                   Person.status == "alive")
            .order_by(Enrolment.person_id).limit(DEMO_RETIREES)).all()
        for person_id, end_month, gender in retirees:
            if end_month is None:
                continue
            # The synthetic city retires people in their statutory month (2024 decision);
            # its women are on the original-55 schedule.
            retired_on = date(end_month // 100, end_month % 100, 1)
            try:
                pension.award_pension(session, SYSTEM, person_id, retirement_date=retired_on,
                                      category="male" if gender == "M" else "female_cadre",
                                      local_average_wage=Decimal("8200.00"),
                                      bank_account=f"6222{person_id:012d}",
                                      awarded_on=retired_on + timedelta(days=40))
            except RuleViolation:
                continue  # too few months on record: not (yet) a recipient
        for recipient, region in session.execute(
                select(PensionRecipient, Person.residence_region)
                .join(Person, Person.id == PensionRecipient.person_id)).all():
            certified = date(2025, 7, 1) + timedelta(days=recipient.person_id * 37 % 500)
            recipient.last_certified_date = certified
            recipient.certification_due_date = pension.certification_due(session, region,
                                                                         certified)
        pension.apply_uplift(session, SYSTEM, year=2026, percent=Decimal("0.02"),
                             fixed_amount=Decimal("0"), effective_month="2026-01",
                             source=DEMO_SOURCE)
        seed_demo_pension_history(session)
    # December 2020 (the scorecard's 十三五 ends there), then this autumn's three months.
    for month in ("2020-12", "2026-09", "2026-10", "2026-11"):
        result = pension.run_payroll(factory, SYSTEM, month=month)
        with unit_of_work(factory) as session:
            failures = [(pid, "账户状态异常") for pid in session.scalars(
                select(PensionPayment.id).where(PensionPayment.payroll_month == result.month,
                                                PensionPayment.status == "sent")
                .order_by(PensionPayment.id).limit(2))] if month == "2026-10" else []
            pension.reconcile(session, SYSTEM, month=month, failures=failures)
