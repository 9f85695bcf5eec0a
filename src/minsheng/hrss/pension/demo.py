"""Demo data for pensions: the demo basic pension, a woman of 渝中区 born in 1945 — 66
when the resident scheme began in Chongqing — who draws the basic pension without ever
having contributed (超龄, 国发〔2014〕8号 七); and the recipients' history the scorecard
reads: yearly certifications since 2016 and poverty registration of some recipients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.insurance.schemas import EnrolmentCreate
from minsheng.hrss.pension import service
from minsheng.hrss.pension.models import (
    PensionAward,
    PensionCertification,
    PensionRecipient,
    ResidentBasicPension,
)
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.schemas import PersonCreate
from minsheng.hrss.registry.service import Person
from minsheng.platform.ids import resident_id_check_char
from minsheng.platform.months import label, month_of
from minsheng.platform.security.principal import SYSTEM

#: Demo parameters only: the city publishes the real basic pension (✘ here).
DEMO_SOURCE = "演示参数（非官方发布值）"
DEMO_BASIC_PENSION = {"50": Decimal("175.00"), "51": Decimal("170.00")}
#: From the month the scheme began in Chongqing (the migration's row; ✘ unconfirmed).
DEMO_BASIC_FROM = 201107

OVERAGE_REGION = "500103"
OVERAGE_NAME = "周玉兰"
OVERAGE_BIRTH = date(1945, 5, 10)


@dataclass(frozen=True)
class DemoResidentPension:
    person_id: int
    award: PensionAward


def _free_resident_id(session: Session, region: str, birth: date) -> str:
    """An unused 18-digit ID of a woman (even sequence) born on ``birth`` in ``region``."""
    for seq in range(998, 0, -2):
        body = f"{region}{birth:%Y%m%d}{seq:03d}"
        number = body + resident_id_check_char(body)
        if session.scalar(select(Person.id).where(Person.resident_id == number)) is None:
            return number
    raise RuntimeError(f"no free resident ID for {region} {birth}")


def seed_demo_resident_pensions(session: Session) -> DemoResidentPension:
    """The demo basic pension for Chongqing and Sichuan, and the 超龄 pensioner: born
    1945-05-10 in 渝中区, registered for the resident scheme the day it began there and
    awarded the basic pension from the month after, with no contribution."""
    for prefix, amount in DEMO_BASIC_PENSION.items():
        session.add(ResidentBasicPension(
            region_prefix=prefix, valid_from=DEMO_BASIC_FROM, monthly_amount=amount,
            source=DEMO_SOURCE, source_status="unconfirmed"))
    session.flush()
    person = registry.register_person(session, SYSTEM, PersonCreate(
        resident_id=_free_resident_id(session, OVERAGE_REGION, OVERAGE_BIRTH),
        name=OVERAGE_NAME, phone="13983000045", hukou_region=OVERAGE_REGION,
        residence_region=OVERAGE_REGION, hukou_type="urban"))
    start = insurance.resident_scheme_start(session, OVERAGE_REGION, DEMO_BASIC_FROM)
    began = start.start_date if start is not None else date(2011, 7, 1)
    insurance.enrol(session, SYSTEM, EnrolmentCreate(
        person_id=person.id, scheme="resident_pension", start_month=label(month_of(began))))
    award = service.award_pension(
        session, SYSTEM, person.id, retirement_date=began, scheme="resident",
        bank_account=f"6217{person.id:012d}", awarded_on=date(began.year, began.month, 20))
    return DemoResidentPension(person.id, award)


#: Every recipient of this district is also on the poverty register (建档立卡), and one in
#: ``POVERTY_EVERY`` elsewhere: the scorecard's 应发尽发 has people in 涪陵区 and the city.
POVERTY_DISTRICT = "500102"
POVERTY_EVERY = 8
#: The first year of certification history (the scorecard's 十三五 begins in 2016).
HISTORY_FROM = 2016


def _anniversary(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def seed_demo_pension_history(session: Session) -> tuple[int, int]:
    """Each recipient's certifications (数据比对认证): on the anniversary of the last one
    in every year from 2016 (or from the year payment began) until that last one, which
    is recorded too; about one year in thirteen was missed. And the poverty register for
    the recipients of 涪陵区 and one in eight elsewhere (from 2016-01-01). Returns
    (certifications, people registered)."""
    recipients = session.execute(
        select(PensionRecipient.person_id, PensionRecipient.start_month,
               PensionRecipient.last_certified_date, Person.residence_region)
        .join(Person, Person.id == PensionRecipient.person_id)
        .order_by(PensionRecipient.person_id)).all()
    rows = []
    for person_id, start_month, last, _ in recipients:
        days = [_anniversary(last, year) for year in range(max(HISTORY_FROM,
                                                                start_month // 100), last.year)
                if (person_id + year) % 13 != 0]
        rows += [{"person_id": person_id, "certified_date": day, "method": "data_comparison",
                  "node": "cq", "evidence": "演示数据", "actor": "demo"}
                 for day in [*days, last] if month_of(day) >= start_month or day == last]
    if rows:
        session.execute(insert(PensionCertification), rows)
    poor = [person_id for n, (person_id, _, _, region) in enumerate(recipients)
            if region.startswith(POVERTY_DISTRICT) or n % POVERTY_EVERY == 0]
    for person_id in poor:
        insurance.designate(session, SYSTEM, person_id, "poverty_registered", date(2016, 1, 1))
    session.flush()
    return len(rows), len(poor)
