"""Demo data for the resident pension: the demo basic pension, and a woman of 渝中区 born
in 1945 — 66 when the resident scheme began in Chongqing — who draws the basic pension
without ever having contributed (超龄, 国发〔2014〕8号 七)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.insurance.schemas import EnrolmentCreate
from minsheng.hrss.pension import service
from minsheng.hrss.pension.models import PensionAward, ResidentBasicPension
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
