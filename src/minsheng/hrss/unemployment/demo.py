"""Demo data for unemployment insurance: people laid off in 渝中区 (their employee
enrolments ended), registered as unemployed, most claims approved and paid for a month,
a few waiting for a decision with the certificate of the contract's end attached; and
one man near retirement whose benefit continues until his statutory retirement month
with the fund paying his pension contributions. For the scorecard: people of 涪陵区 and
渝中区 laid off at the end of 2019 and paid in 2020, a few of 涪陵区 laid off this autumn,
and the job-stabilisation refunds paid in 2016–2020 and this year to firms of both
districts (history as migrated from the former system)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.insurance.schemas import EnrolmentCreate, EnrolmentEnd
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.schemas import PersonCreate
from minsheng.hrss.registry.service import Employer, Person
from minsheng.hrss.unemployment import service
from minsheng.hrss.unemployment.models import (
    JobStabilisationRefund,
    SubsistenceAllowance,
    UnemploymentClaim,
    UnemploymentDeathGrantRule,
)
from minsheng.platform.cases import service as cases
from minsheng.platform.db import unit_of_work, utcnow
from minsheng.platform.errors import DomainError
from minsheng.platform.ids import resident_id_check_char
from minsheng.platform.pdf import cjk_font
from minsheng.platform.security.principal import SYSTEM, Principal

DEMO_LAID_OFF = 24
DEMO_PENDING = 4
#: Demo parameters only (not published values), marked unconfirmed on the rules page.
DEMO_SOURCE = "演示参数（非官方发布值）"
#: 老周, born 1966-08 in 渝中区: statutory retirement at 60 years 5 months, in 2027-01
#: (2024 decision: 60 reached 2026-08, 19 months into the reform, 19 // 4 + 1 = 5).
NEAR_RETIREMENT_ID = "50010319660815357"


def seed_demo_unemployment(factory: sessionmaker[Session], *, laid_off: int = DEMO_LAID_OFF,
                           last_month: str = "2026-09", registered_date: date = date(2026, 10, 9),
                           payroll_month: str = "2026-10") -> int:
    """Lay off ``laid_off`` insured workers of 渝中区 at ``last_month``, register them and
    claim; approve all but a few; run the payroll of ``payroll_month``. Returns the
    number of claims made. Idempotent enough for the demo: people already registered are
    skipped."""
    seed_demo_history(factory)
    made = 0
    with unit_of_work(factory) as session:
        _laid_off_this_autumn(session)
        insured = insurance.enrolled_in("unemployment", with_employer=True)
        rows = session.execute(
            select(Person.id).where(Person.id.in_(insured), Person.residence_region == "500103",
                                    Person.status == "alive")
            .order_by(Person.id).limit(laid_off * 2)).scalars().all()
        for person_id in rows:
            if made >= laid_off:
                break
            if service.open_registration(session, person_id) is not None:
                continue
            try:
                with session.begin_nested():
                    for enrolment in insurance.enrolments_of(session, SYSTEM, person_id):
                        if enrolment.end_month is None and enrolment.employer_id is not None:
                            insurance.end_enrolment(session, SYSTEM, enrolment.id, EnrolmentEnd(
                                end_month=last_month, reason="contract_ended",
                                version=enrolment.version))
                    service.register_unemployed(
                        session, SYSTEM, person_id, registered_date=registered_date,
                        separation_reason="contract_expired" if made % 3 else "dismissed")
                    claim = service.submit_claim(session, SYSTEM, person_id,
                                                 bank_account=f"62220000{person_id:08d}",
                                                 on=registered_date)
                    if made >= DEMO_PENDING:
                        service.decide_claim(session, SYSTEM, claim.id, approve=True)
                made += 1
            except DomainError:
                continue  # not eligible on the synthetic record (e.g. under a year insured)
    with unit_of_work(factory) as session:
        _documents_of_pending_claims(session)
        seed_near_retirement(session)
        seed_demo_parameters(session)
    service.run_payroll(factory, SYSTEM, month=payroll_month)
    with unit_of_work(factory) as session:
        _a_death_during_benefit(session)
    return made


def _termination_certificate(name: str, employer: str) -> bytes:
    """A one-page 解除劳动合同证明 such as a claimant scans and attaches (demo text)."""
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=A4)
    drawing.setFont(cjk_font().name, 18)
    drawing.drawCentredString(A4[0] / 2, A4[1] - 120, "解除劳动合同证明")
    drawing.setFont(cjk_font().name, 12)
    drawing.drawString(72, A4[1] - 180,
                       f"兹证明{name}同志与本单位的劳动合同于 2026 年 9 月 30 日终止。")
    drawing.drawString(72, A4[1] - 210, f"{employer}（演示材料）")
    drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def _documents_of_pending_claims(session: Session) -> None:
    """Each claimant still waiting for a decision has attached the certificate of the
    contract's end, which the clerk reads before deciding."""
    pending = session.execute(
        select(UnemploymentClaim.id, Person.id, Person.name, Employer.name)
        .join(Person, Person.id == UnemploymentClaim.person_id)
        .join(Employer, Employer.id == UnemploymentClaim.employer_id)
        .where(UnemploymentClaim.status == "pending")).all()
    for claim_id, person_id, name, employer in pending:
        case = cases.case_of(session, "unemployment_claim", claim_id)
        if case is None or cases.documents(session, case):
            continue
        claimant = Principal(user_id=0, username=f"citizen-{person_id}", role="citizen",
                             person_id=person_id)
        cases.attach(session, claimant, case.number, "解除劳动合同证明.pdf",
                     _termination_certificate(name, employer))


def _a_death_during_benefit(session: Session) -> None:
    """One of the laid-off claimants dies in November: the claim stops and the survivors'
    grants are recorded (社会保险法 art. 49)."""
    deceased = session.scalar(select(UnemploymentClaim.person_id).where(
        UnemploymentClaim.status == "active", UnemploymentClaim.region == "500103",
        UnemploymentClaim.retirement_month > 202712).order_by(UnemploymentClaim.id.desc())
        .limit(1))
    if deceased is not None:
        registry.record_death(session, SYSTEM, deceased, date(2026, 11, 20))


def seed_near_retirement(session: Session) -> Person | None:
    """老周: 24 months insured (Chongqing ladder: 6 months of benefit), laid off at
    2026-01 and registered 2026-02-10. His benefit would end with 2026-07, six months
    before his retirement month 2027-01, so it continues until then (2024 decision art. 7);
    the 2026-10 payroll pays 2026-02…07 and the extension 2026-08…10, with the medical
    contributions of every month and the pension contributions of the extension."""
    rid = NEAR_RETIREMENT_ID + resident_id_check_char(NEAR_RETIREMENT_ID)
    if session.scalar(select(Person.id).where(Person.resident_id == rid)) is not None:
        return None
    person = registry.register_person(session, SYSTEM, PersonCreate(
        resident_id=rid, name="周建国", phone="13983000001", hukou_region="500103",
        residence_region="500103", hukou_type="urban"))
    employer = session.scalar(select(Employer.id).where(Employer.region == "500103")
                              .order_by(Employer.id).limit(1))
    for scheme, start in (("employee_pension", "1990-03"), ("unemployment", "2024-02")):
        insurance.enrol(session, SYSTEM, EnrolmentCreate(
            person_id=person.id, scheme=scheme, employer_id=employer, start_month=start,
            end_month="2026-01"))
    service.register_unemployed(session, SYSTEM, person.id, registered_date=date(2026, 2, 10),
                                separation_reason="mutual_by_employer")
    claim = service.submit_claim(session, SYSTEM, person.id, bank_account="6222000019660815",
                                 on=date(2026, 2, 10))
    service.decide_claim(session, SYSTEM, claim.id, approve=True)
    return person


def seed_demo_parameters(session: Session) -> None:
    """Demo values for what the city has not published in our sources: the urban minimum
    living allowance (the lower bound of the benefit) and the grants on a recipient's
    death; both marked unconfirmed, both shown on the rules page as demo values."""
    if session.scalar(select(SubsistenceAllowance.id).limit(1)) is None:
        session.add(SubsistenceAllowance(region_prefix="50", valid_from=202401,
                                         monthly_amount=Decimal("760.00"),
                                         source=DEMO_SOURCE, source_status="unconfirmed"))
    if session.scalar(select(UnemploymentDeathGrantRule.id).limit(1)) is None:
        session.add(UnemploymentDeathGrantRule(
            region_prefix="50", valid_from=202401, funeral_amount=Decimal("5000.00"),
            survivor_amount=Decimal("12000.00"), source=DEMO_SOURCE,
            source_status="unconfirmed"))
    session.flush()



#: The districts whose history the scorecard demo shows (涪陵区 and 渝中区).
HISTORY_DISTRICTS = ("500102", "500103")
#: A demo resident's ID body: district, birth date, sequence (check character added).
_HISTORY_ID = "{district}{birth:%Y%m%d}{seq:03d}"


def _demo_person(session: Session, district: str, k: int, name: str) -> Person | None:
    """A demo resident of ``district`` (born 1984) with an ID not yet on record."""
    birth = date(1984, 1 + k % 12, 1 + k % 28)
    for seq in range(700 + 2 * (k % 40), 800):
        body = _HISTORY_ID.format(district=district, birth=birth, seq=seq)
        rid = body + resident_id_check_char(body)
        if session.scalar(select(Person.id).where(Person.resident_id == rid)) is None:
            return registry.register_person(session, SYSTEM, PersonCreate(
                resident_id=rid, name=name, phone=f"1398300{k:04d}", hukou_region=district,
                residence_region=district, hukou_type="urban"))
    return None


def _laid_off(session: Session, district: str, k: int, name: str, *, start: str, end: str,
              registered: date) -> bool:
    """A worker of a firm of ``district`` insured from ``start`` to ``end``, registered as
    unemployed and claiming on ``registered``; the claim approved."""
    employer = session.scalar(select(Employer.id).where(Employer.region == district)
                              .order_by(Employer.id).limit(1))
    person = _demo_person(session, district, k, name)
    if employer is None or person is None:
        return False
    try:
        with session.begin_nested():
            insurance.enrol(session, SYSTEM, EnrolmentCreate(
                person_id=person.id, scheme="unemployment", employer_id=employer,
                start_month=start, end_month=end))
            service.register_unemployed(session, SYSTEM, person.id, registered_date=registered,
                                        separation_reason="contract_expired")
            claim = service.submit_claim(session, SYSTEM, person.id,
                                         bank_account=f"62220500{person.id:08d}", on=registered)
            service.decide_claim(session, SYSTEM, claim.id, approve=True)
    except DomainError:
        return False
    return True


NAMES = ("谭明", "冉秀芳", "向东", "秦丽", "蒲建华", "文静", "邓飞", "牟小琴")


def seed_demo_history(factory: sessionmaker[Session]) -> None:
    """2020: three workers each of 涪陵区 and 渝中区, insured 2017-01…2019-12 (36 months:
    nine months of benefit on the Chongqing ladder), registered 2020-01-06 and paid by the
    December 2020 payroll (then exhausted); the refunds of 2016–2020 and this year."""
    with unit_of_work(factory) as session:
        if session.scalar(select(UnemploymentClaim.id).where(
                UnemploymentClaim.start_month == 202001).limit(1)) is not None:
            return
        made = sum(_laid_off(session, district, 10 * n + i, NAMES[(n * 3 + i) % len(NAMES)],
                             start="2017-01", end="2019-12", registered=date(2020, 1, 6))
                   for n, district in enumerate(HISTORY_DISTRICTS) for i in range(3))
        seed_demo_refunds(session)
    if made:
        service.run_payroll(factory, SYSTEM, month="2020-12")


def _laid_off_this_autumn(session: Session) -> None:
    """Three workers of 涪陵区 insured 2024-01…2026-08, registered 2026-09-07: paid by
    the demo's October payroll with the 渝中区 layoffs."""
    for i in range(3):
        _laid_off(session, "500102", 100 + i, NAMES[(i + 5) % len(NAMES)], start="2024-01",
                  end="2026-08", registered=date(2026, 9, 7))


def seed_demo_refunds(session: Session, *, firms: int = 6) -> int:
    """Job-stabilisation refunds paid to ``firms`` firms each of 涪陵区 and 渝中区 for
    2016–2020 (history as migrated from the former system: a firm of ``n`` insured staff
    paid 80 yuan a month each, 12 months; SMEs refunded 60 %, 100 % in 2020) and for this
    year (computed, approved and paid). Returns the rows added."""
    today = date.today()
    added = 0
    now = utcnow()
    for district in HISTORY_DISTRICTS:
        employers = session.scalars(select(Employer.id).where(Employer.region == district)
                                    .order_by(Employer.id).limit(firms)).all()
        for year in (2016, 2017, 2018, 2019, 2020, today.year):
            share = 1_000_000 if year == 2020 else 600_000
            for employer in employers:
                if session.scalar(select(JobStabilisationRefund.id).where(
                        JobStabilisationRefund.year == year,
                        JobStabilisationRefund.employer_id == employer)) is not None:
                    continue
                staff = 5 + (employer * 7 + year) % 20
                paid = Decimal(staff * 80 * 12)
                amount = (paid * share / 1_000_000).quantize(Decimal("0.01"), ROUND_HALF_UP)
                session.add(JobStabilisationRefund(
                    year=year, employer_id=employer, region=district, paid_amount=paid,
                    paid_months=12, average_headcount=Decimal(staff), employees_covered=staff,
                    new_claimants=0, layoff_rate=Decimal(0), size="sme", share_ppm=share,
                    eligible=True, refusal=None, amount=amount, status="paid",
                    computed_at=now - timedelta(days=1), reviewed_by="演示数据",
                    reviewed_at=now))
                added += 1
    session.flush()
    return added
