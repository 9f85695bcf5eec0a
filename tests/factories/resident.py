"""Builders for resident-pension tests (城乡居民养老保险): the regional parameters, people
born on an exact day, yearly payments; every record goes through the real services."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.insurance.models import ResidentPensionGrade, ResidentSchemeStart
from minsheng.hrss.insurance.schemas import ResidentPayment
from minsheng.hrss.pension.models import ResidentBasicPension
from minsheng.hrss.registry.models import Person
from minsheng.platform.ids import resident_id_check_char
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f

#: The day the scheme began in the tests' district (the same as the migration's
#: unconfirmed Chongqing row, but the tests' own, more specific row).
START = date(2011, 7, 1)
BASIC = Decimal("175.00")
_sequence = itertools.count(2)


def parameters(session: Session, region: str = "500103", *, start: date = START,
               basic: Decimal | None = BASIC) -> None:
    """The scheme start of ``region``, two grades from 2011 (100 + 30 subsidy, 500 + 60)
    and the monthly basic pension (175.00) from 2011-01."""
    session.add(ResidentSchemeStart(region_prefix=region, valid_from=start.year * 100
                                    + start.month, start_date=start,
                                    scheme_name="城乡居民社会养老保险", source="测试参数",
                                    source_status="confirmed"))
    for amount, subsidy in ((100, 30), (500, 60)):
        session.add(ResidentPensionGrade(region_prefix=region, valid_from=201101,
                                         amount=Decimal(amount), subsidy=Decimal(subsidy),
                                         source="测试参数", source_status="confirmed"))
    if basic is not None:
        session.add(ResidentBasicPension(region_prefix=region, valid_from=201101,
                                         monthly_amount=basic, source="测试参数",
                                         source_status="confirmed"))
    session.flush()


def born(session: Session, birth: date, region: str = "500103") -> Person:
    """A woman born exactly on ``birth`` (the shared factory moves the day)."""
    body = f"{region}{birth:%Y%m%d}{(2 * next(_sequence)) % 1000:03d}"
    return f.person(session, residence_region=region,
                    resident_id=body + resident_id_check_char(body))


def pay(session: Session, person: Person, years: range, grade: int = 500) -> None:
    """The person's yearly payments at ``grade`` (enrolments must cover the years)."""
    for year in years:
        insurance.pay_resident_pension(session, SYSTEM, ResidentPayment(
            person_id=person.id, year=year, grade=Decimal(grade)))
