"""The demo's 超龄 resident pensioner: born 1945, no contribution, the basic pension."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance.models import Contribution
from minsheng.hrss.pension.demo import seed_demo_resident_pensions
from minsheng.hrss.pension.models import PensionRecipient
from minsheng.hrss.registry.models import Person


def test_a_woman_born_1945_draws_the_basic_pension_without_contributing(
    session: Session,
) -> None:
    seeded = seed_demo_resident_pensions(session)
    person = session.get(Person, seeded.person_id)
    assert person is not None and person.birth_date == date(1945, 5, 10)
    assert person.gender == "F" and person.residence_region == "500103"
    assert session.scalar(select(func.count()).select_from(Contribution).where(
        Contribution.person_id == person.id)) == 0
    # 66 when the scheme began in Chongqing (2011-07-01): the demo basic pension 175.00
    # + 0 / 139, paid from 2011-08.
    assert (seeded.award.scheme, seeded.award.total_amount) == ("resident", Decimal("175.00"))
    assert json.loads(seeded.award.basis)["requirement"] == "overage"
    recipient = session.get(PensionRecipient, person.id)
    assert recipient is not None and (recipient.start_month, recipient.status) == (
        201108, "active")
