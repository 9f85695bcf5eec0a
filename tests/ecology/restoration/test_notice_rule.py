"""The posting period of a substituted restoration's acceptance result is dated regional
data (issue 11, point 13): the seeded rule keeps 30 days (one local rule, ◐); a district
rule of 45 days takes effect from its month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from minsheng.ecology.restoration import service as restoration
from minsheng.ecology.restoration.models import RestorationNoticeRule
from minsheng.ecology.restoration.rules import CaseAction
from minsheng.ecology.restoration.schemas import CaseCreate, CaseStep, PlanCreate
from minsheng.platform.errors import RuleViolation
from minsheng.platform.security.principal import SYSTEM
from tests.factories import ecology as h

D = Decimal
_lon = iter(107.30 + k / 50 for k in range(50))


def _accepted_case(session: Session, on: date, region: str = "500102") -> int:
    """A case whose obligor restored the site and was accepted on ``on``."""
    site = h.mine(session, region=region, status="abandoned",
                  geometry=h.polygon(h.square(next(_lon), 29.6, 300.0)))
    plan = restoration.file_plan(session, SYSTEM, PlanCreate(
        mine_id=site.id, mode="engineered", target_land_use="forest",
        planned_area_ha=D("5"), budget=D("100000"), obligor_name="某建材有限公司",
        deadline=date(2027, 12, 31)))
    case = restoration.open_case(session, SYSTEM, CaseCreate(plan_id=plan.id, filed_date=on))
    for action, extra in ((CaseAction.DEPOSIT_FUND, {"amount": D("100000"), "bank": "某银行",
                                                     "agreement_no": "监管〔2026〕1号"}),
                          (CaseAction.START_PERFORMANCE, {}),
                          (CaseAction.ACCEPT, {"accepted_area_ha": D("5")})):
        restoration.act(session, SYSTEM, case.id, action, CaseStep(on=on, **extra))
    return case.id


def _publish(session: Session, case_id: int, on: date, days: int | None = None) -> date:
    case = restoration.act(session, SYSTEM, case_id, CaseAction.PUBLISH_NOTICE,
                           CaseStep(on=on, notice_days=days))
    assert case.notice_end is not None
    return case.notice_end


def _district_rule(session: Session) -> None:
    """涪陵 posts results at least 45 days from 2026-07 on."""
    session.add(RestorationNoticeRule(region_prefix="500102", valid_from=202607, min_days=45,
                                      source="测试：区级规定", source_status="unconfirmed"))
    session.flush()


class TestNoticePeriod:
    def test_the_seeded_minimum_is_30_days(self, session: Session) -> None:
        case_id = _accepted_case(session, date(2026, 6, 1))
        # 30 days counted from the day of posting: 2026-06-01 … 2026-06-30.
        assert _publish(session, case_id, date(2026, 6, 1)) == date(2026, 6, 30)
        short = _accepted_case(session, date(2026, 6, 1))
        with pytest.raises(RuleViolation) as exc:
            _publish(session, short, date(2026, 6, 1), days=29)
        assert exc.value.errors[0].field == "notice_days" and "30" in exc.value.message

    def test_a_changed_minimum_takes_effect_from_its_month(self, session: Session) -> None:
        _district_rule(session)
        before, after, asked, elsewhere = (_accepted_case(session, date(2026, 6, 30)),
                                           _accepted_case(session, date(2026, 7, 1)),
                                           _accepted_case(session, date(2026, 7, 1)),
                                           _accepted_case(session, date(2026, 7, 1),
                                                          region="500101"))
        # June: still 30 days, 2026-06-30 + 29 = 2026-07-29.
        assert _publish(session, before, date(2026, 6, 30)) == date(2026, 7, 29)
        # July: 45 days, 2026-07-01 + 44 = 2026-08-14.
        assert _publish(session, after, date(2026, 7, 1)) == date(2026, 8, 14)
        with pytest.raises(RuleViolation) as exc:
            _publish(session, asked, date(2026, 7, 1), days=30)
        assert "45" in exc.value.message and "45" in exc.value.errors[0].message_en
        # Another district keeps the city's 30 days: 2026-07-01 + 29 = 2026-07-30.
        assert _publish(session, elsewhere, date(2026, 7, 1)) == date(2026, 7, 30)
