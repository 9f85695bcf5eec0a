"""Small builders for test data; every record goes through the real services."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from stdnum.cn import ric, uscc

from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.models import Employer, Person
from minsheng.hrss.registry.schemas import EmployerCreate, PersonCreate
from minsheng.platform.cases.models import CaseFile, CaseStep
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM, Principal

_serial = itertools.count(1)
PASSWORD = "correct-horse-9"


def resident_id(
    region: str = "500103", birth: date = date(1985, 6, 15), male: bool = True
) -> str:
    """A valid, unique 18-digit ID: check character from python-stdnum."""
    n = next(_serial)
    seq = (n * 2 + (1 if male else 0)) % 1000
    birth = birth.replace(day=1 + (n // 500) % 28)
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")  # it skips the last char


def bad_check_digit(rid: str) -> str:
    """A resident ID with its check digit changed (the rest still plausible)."""
    return rid[:-1] + ("0" if rid[-1] != "0" else "1")


def uscc_code(region: str = "500103") -> str:
    n = next(_serial)
    body = f"91{region}{n:09d}"
    return body + uscc.calc_check_digit(body)


def person(session: Session, actor: Principal = SYSTEM, **overrides: Any) -> Person:
    residence = overrides.pop("residence_region", "500103")
    data = {
        "resident_id": overrides.pop("resident_id", None) or resident_id(residence),
        "name": "张三",
        "phone": "13800138000",
        "hukou_region": residence,
        "residence_region": residence,
        "hukou_type": "urban",
        **overrides,
    }
    return registry.register_person(session, actor, PersonCreate(**data))


def employer(session: Session, actor: Principal = SYSTEM, **overrides: Any) -> Employer:
    region = overrides.pop("region", "500103")
    data = {
        "uscc": overrides.pop("uscc", None) or uscc_code(region),
        "name": "重庆测试科技有限公司",
        "region": region,
        "industry": "I",
        "size_class": "small",
        **overrides,
    }
    return registry.register_employer(session, actor, EmployerCreate(**data))


def staff(session: Session, role: str = "clerk", region: str = "500103", **kw: Any) -> Principal:
    username = kw.pop("username", f"{role}-{region}-{next(_serial)}")
    user = security.add_user(session, actor=SYSTEM, username=username, role=role,
                             password=PASSWORD, region_code=region, **kw)
    return security.principal_of(user)


def login(client: TestClient, principal: Principal) -> dict[str, str]:
    """Bearer header for ``principal`` obtained through the real token endpoint."""
    response = client.post("/api/v1/auth/token",
                           data={"username": principal.username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def contribution_rule(
    session: Session, region: str = "50", valid_from: str = "1990-01", **overrides: Any
) -> Any:
    """A contribution rule with the national typical rates (hrss-rules §3) and a demo
    average wage of 8,000 yuan a month, from 1990 on (so that a working life of history
    has an average wage for its contribution index)."""
    from decimal import Decimal

    from minsheng.hrss.insurance import service as insurance

    data = {
        "region_prefix": region, "valid_from": valid_from, "valid_to": None,
        "average_wage": Decimal("8000.00"), "pension_employer": Decimal("0.16"),
        "pension_personal": Decimal("0.08"), "unemployment_employer": Decimal("0.005"),
        "unemployment_personal": Decimal("0.005"),
        "work_injury": [Decimal(x) for x in ("0.002", "0.004", "0.007", "0.009", "0.011",
                                             "0.013", "0.016", "0.019")],
        "source": "测试参数", **overrides,
    }
    return insurance.add_rule(session, SYSTEM, insurance.RuleInput(**data))


def enrolment(session: Session, person_id: int, scheme: str = "employee_pension",
              **overrides: Any) -> Any:
    from minsheng.hrss.insurance import service as insurance
    from minsheng.hrss.insurance.schemas import EnrolmentCreate

    data = {"person_id": person_id, "scheme": scheme, "start_month": "2020-01", **overrides}
    return insurance.enrol(session, SYSTEM, EnrolmentCreate(**data))


def card(
    session: Session, person_id: int | None = None, state: str = "active",
    actor: Principal = SYSTEM, **person_overrides: Any,
) -> Any:
    """A social security card brought to ``state`` through the real card services (a new
    person unless ``person_id``). ``replaced`` returns the old card, whose ``replaced_by``
    names the new one; ``cancelled`` records the holder's death."""
    from minsheng.hrss.cards import service as cards

    if person_id is None:
        person_id = person(session, actor, **person_overrides).id
    if state == "applied":
        holder = Principal(user_id=0, username=f"citizen-{person_id}", role="citizen",
                           person_id=person_id)
        return cards.apply_for_card(session, holder, person_id)
    issued = cards.apply_for_card(session, actor, person_id)
    if state == "issued":
        return issued
    if state == "cancelled":
        registry.record_death(session, actor, person_id, date(2025, 1, 1))
        return issued
    holder_person = session.get(Person, person_id)
    assert holder_person is not None
    cards.activate_card(session, actor, issued.card_no, resident_id=holder_person.resident_id,
                        name=holder_person.name)
    if state == "active":
        return issued
    if state == "loss_reported_temporary":
        return cards.report_loss(session, actor, issued.card_no, kind="temporary")
    cards.report_loss(session, actor, issued.card_no, kind="formal")
    if state == "loss_reported":
        return issued
    if state == "replaced":
        cards.replace_card(session, actor, issued.card_no)
        return issued
    raise ValueError(f"unknown card state {state!r}")


def recipient(session: Session, *, last_certified: Any = None, region: str = "500103",
              wage: str = "8000.00") -> Any:
    """A man born 1960-01 who contributed 1990-01..2019-12 and retired on 2020-01-31,
    in payment from 2020-02 (needs a contribution rule for his region)."""
    from datetime import date as _date
    from decimal import Decimal

    from minsheng.hrss.pension import service as pension
    from minsheng.hrss.pension.models import PensionRecipient

    p = person(session, residence_region=region,
               resident_id=resident_id(region, _date(1960, 1, 10), male=True))
    enrolment(session, p.id, start_month="1990-01", end_month="2019-12",
              declared_wage=Decimal(wage))
    pension.award_pension(session, SYSTEM, p.id, retirement_date=_date(2020, 1, 31),
                          bank_account="6222000011112222", awarded_on=_date(2020, 2, 3))
    if last_certified is not None:
        row = session.get(PensionRecipient, p.id)
        assert row is not None
        row.last_certified_date = last_certified
        row.certification_due_date = pension.certification_due(session, region, last_certified)
        session.flush()
    return p


def delete_cases_of(session: Session, person_ids: list[int]) -> None:
    """Remove the cases (办件) of people a committed test is cleaning away."""
    own = select(CaseFile.id).where(CaseFile.applicant_kind == "person",
                                    CaseFile.applicant_id.in_(person_ids))
    session.execute(delete(CaseStep).where(CaseStep.case_id.in_(own)))
    session.execute(delete(CaseFile).where(CaseFile.id.in_(own)))
