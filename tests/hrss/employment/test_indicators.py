"""Indicators on a hand-built dataset, with answers computed by hand (see each comment)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.employment import service
from minsheng.hrss.employment.models import UrbanNewEmployment
from minsheng.platform.security.principal import Principal
from tests import factories as f
from tests.factories.employment import household, member, register_unemployed


def _place(session: Session, clerk: Principal, person_id: int, on: date) -> None:
    service.record_placement(session, clerk, person_id, on=on, region="500103")


@pytest.fixture
def dataset(session: Session) -> Principal:
    clerk = f.staff(session, "clerk", "500103")
    p = {k: f.person(session, name=k) for k in "ABCDEFHIJKLMN"}
    g = f.person(session, name="G", residence_region="500106")
    register_unemployed(session, p["A"], date(2026, 2, 1))
    _place(session, clerk, p["A"].id, date(2026, 5, 10))
    register_unemployed(session, p["B"], date(2026, 3, 1))
    register_unemployed(session, p["C"], date(2025, 6, 1), ended_date=date(2026, 4, 1))
    service.add_to_key_group(session, clerk, p["D"].id, "hard_to_employ",
                             category="disabled", since=date(2026, 1, 1))
    register_unemployed(session, p["D"], date(2026, 1, 15))
    _place(session, clerk, p["D"].id, date(2026, 7, 1))
    f.enrolment(session, p["E"].id, start_month="2020-01")
    f.enrolment(session, p["F"].id, start_month="2020-01", end_month="2025-12")
    f.enrolment(session, g.id, start_month="2020-01")
    for name, year in (("H", 2026), ("I", 2026), ("J", 2025)):
        service.add_to_key_group(session, clerk, p[name].id, "graduate",
                                 graduation_year=year, since=date(year, 7, 1))
    _place(session, clerk, p["H"].id, date(2026, 8, 1))
    for name in "KL":
        service.add_to_key_group(session, clerk, p[name].id, "ex_fisher",
                                 since=date(2025, 1, 1))
    _place(session, clerk, p["K"].id, date(2026, 3, 1))
    _place(session, clerk, p["M"].id, date(2026, 2, 1))
    _place(session, clerk, p["M"].id, date(2026, 9, 1))  # a job change: not new
    _place(session, clerk, p["N"].id, date(2025, 11, 1))
    _place(session, clerk, p["N"].id, date(2026, 2, 1))  # employed before: not new
    # Two zero-employment households detected mid-year; Q's member placed in October.
    hp = household(session)
    for relation, year in (("head", 1980), ("spouse", 1982)):
        register_unemployed(session, member(session, hp, relation, birth=date(year, 1, 1)),
                            date(2026, 1, 10))
    hq = household(session)
    q1 = member(session, hq, "head", birth=date(1979, 1, 1))
    member(session, hq, "parent", birth=date(1950, 1, 1))
    register_unemployed(session, q1, date(2026, 1, 10))
    assert service.detect_zero_employment(session, clerk, date(2026, 6, 30)).opened == 2
    _place(session, clerk, q1.id, date(2026, 10, 1))
    return clerk


class TestIndicators:
    def test_year(self, session: Session, dataset: Principal) -> None:
        result = service.indicators(session, dataset, "500103", date(2026, 1, 1),
                                    date(2026, 12, 31))
        # New employment 2026: A, D, H, K, M (once), Q1 = 6; N changed jobs.
        assert result.urban_new_employment == 6
        # Registered unemployed at year end: B and household P's two = 3 (A, D, Q1 placed,
        # C ended). Employed: E only (F ended 2025-12, G lives in 500106).
        assert (result.registered_unemployed, result.employed) == (3, 1)
        assert result.registered_unemployment_rate == Decimal("75.00")  # 3 ÷ (1 + 3)
        assert result.unemployed_helped == 3  # A, D, Q1
        assert result.hard_to_employ_helped == 1  # D
        assert (result.graduates, result.graduates_employed) == (2, 1)  # H of H, I
        assert result.graduates_employment_rate == Decimal("50.00")
        assert (result.ex_fishers, result.ex_fishers_transferred) == (2, 1)  # K of K, L
        assert result.ex_fisher_transfer_rate == Decimal("50.00")
        assert result.open_zero_employment_households == 1  # P (Q closed on 10-01)

    def test_third_quarter(self, session: Session, dataset: Principal) -> None:
        result = service.indicators(session, dataset, "500103", date(2026, 7, 1),
                                    date(2026, 9, 30))
        # D (07-01) and H (08-01); M's September job is a change.
        assert result.urban_new_employment == 2
        assert result.unemployed_helped == 1 and result.hard_to_employ_helped == 1
        assert result.open_zero_employment_households == 2
        # Graduates employed by 30 September: H of H, I.
        assert result.graduates_employment_rate == Decimal("50.00")

    def test_other_district_is_empty(self, session: Session, dataset: Principal) -> None:
        admin = f.staff(session, "admin", "")
        result = service.indicators(session, admin, "500106", date(2026, 1, 1),
                                    date(2026, 12, 31))
        assert (result.urban_new_employment, result.employed) == (0, 1)  # G is employed
        assert result.registered_unemployment_rate == Decimal("0.00")

    def test_one_event_per_person_per_year(self, session: Session, dataset: Principal) -> None:
        count = session.scalar(select(func.count()).select_from(UrbanNewEmployment))
        # 2025: N; 2026: the six above.
        assert count == 7
