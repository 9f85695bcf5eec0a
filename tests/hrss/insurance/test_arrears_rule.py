"""When an unpaid contribution becomes arrears (欠费) is dated regional data, not a
constant (issue 11, point 13): the seeded rule (Chongqing, local practice, one month
after the contribution month) keeps today's behaviour; a changed value takes effect
from its month for its region."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service
from minsheng.hrss.insurance.models import ArrearsRule, Contribution
from minsheng.hrss.insurance.service import assessment
from minsheng.platform import bulk
from minsheng.platform.rulebook import one_in_force
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f

TODAY = date(2026, 11, 5)  # the current month is 2026-11


def _assess(session: Session, month: int) -> None:
    assessment._stage_rules(session, month, "50")
    service.assess_batch(session, period=month, prefix="50", low=0, high=2**31 - 1,
                         run_id=None)
    bulk.drop_temp_table(session, "assess_rule")


def _employer_with_two_unpaid_months(session: Session, region: str) -> int:
    employer = f.employer(session, region=region, work_injury_risk_class=1)
    f.enrolment(session, f.person(session, residence_region=region).id,
                employer_id=employer.id, declared_wage=Decimal("10000.00"))
    for month in (202608, 202609):
        _assess(session, month)
    return employer.id


def _district_rule(session: Session) -> None:
    """渝中 lengthens the grace to 2 months for contributions from 2026-09 on."""
    session.add(ArrearsRule(region_prefix="500103", valid_from=202609, months_after=2,
                            source="测试：区级通知", source_status="unconfirmed"))
    session.flush()


class TestSeededRule:
    def test_one_month_after_the_month_in_chongqing(self, session: Session) -> None:
        rule = one_in_force(session, ArrearsRule, "500103", 202611)
        assert rule is not None and rule.months_after == 1
        assert rule.source_status == "unconfirmed" and rule.source
        # 2026-09 + 1 month = 2026-10 < 2026-11: arrears; 2026-10 + 1 = 2026-11: not yet.
        assert service.is_in_arrears(session, "500103", 202609, TODAY)
        assert not service.is_in_arrears(session, "500103", 202610, TODAY)


class TestChangedValueFromItsMonth:
    def test_the_district_grace_applies_from_its_month(self, session: Session) -> None:
        f.contribution_rule(session)
        employer_id = _employer_with_two_unpaid_months(session, "500103")
        _district_rule(session)
        # 2026-08 is before the new rule: 2026-08 + 1 = 2026-09 < 2026-11 → arrears.
        # 2026-09 is under it: 2026-09 + 2 = 2026-11, not before 2026-11 → still due
        # (under the old value it was 2026-10 < 2026-11, arrears).
        august = service.employer_month(session, SYSTEM, employer_id, "2026-08", today=TODAY)
        september = service.employer_month(session, SYSTEM, employer_id, "2026-09",
                                           today=TODAY)
        assert (august.status, september.status) == ("arrears", "due")
        account = service.employer_account(session, SYSTEM, employer_id, today=TODAY)
        assert [a.period for a in account.arrears] == ["2026-08"]
        # In December 2026-09 + 2 = 2026-11 < 2026-12: arrears as well.
        later = service.employer_account(session, SYSTEM, employer_id,
                                         today=date(2026, 12, 1))
        assert [a.period for a in later.arrears] == ["2026-08", "2026-09"]

    def test_other_districts_keep_the_city_rule(self, session: Session) -> None:
        f.contribution_rule(session)
        yuzhong = _employer_with_two_unpaid_months(session, "500103")
        fuling = _employer_with_two_unpaid_months(session, "500102")
        _district_rule(session)
        listed = {row["employer_id"]: row["months"] for row in service.employers_in_arrears(
            session, SYSTEM, today=TODAY)}
        # 涪陵: both months past 1 month of grace (2 months); 渝中: only 2026-08 (1 month).
        assert listed[fuling] == 2 and listed[yuzhong] == 1

    def test_a_person_s_rows_are_judged_the_same_way(self, session: Session) -> None:
        f.contribution_rule(session)
        employer_id = _employer_with_two_unpaid_months(session, "500103")
        _district_rule(session)
        person_id, = set(session.scalars(select(Contribution.person_id).where(
            Contribution.employer_id == employer_id)))
        statuses = service.contribution_statuses(
            session, person_id, [("due", 202609, employer_id), ("due", 202608, employer_id),
                                 ("paid", 202607, employer_id)], TODAY)
        assert statuses == ["due", "arrears", "paid"]
