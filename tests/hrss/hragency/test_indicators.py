"""The agency indicators on hand-built licences and reports, each value counted by hand:
licensed agencies at the year's end (revoked and expired ones out), and reported
revenue summed over the years of the period, by district and for the city."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from minsheng.hrss.hragency import indicators, service
from minsheng.hrss.hragency.schemas import LicenceCreate, ReportCreate
from minsheng.platform.indicators import Cut, Indicator, parse_period
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f


def _value(item: Indicator, session: Session, region: str, period: str) -> Decimal | None:
    return item.value(item.compute(session, Cut(region, parse_period(period))).get(""))


def _by_district(item: Indicator, session: Session, period: str) -> dict[str, Decimal | None]:
    found = item.compute(session, Cut("50", parse_period(period), by_district=True))
    return {k: item.value(v) for k, v in found.items()}


def _licence(session: Session, region: str, no: str, issued: date, until: date) -> int:
    employer = f.employer(session, region=region)
    return service.register(session, SYSTEM, LicenceCreate(
        licence_no=no, employer_id=employer.id, scope=["training"], issued_on=issued,
        valid_until=until)).id


def _report(session: Session, licence: int, year: int, fen: int) -> None:
    service.file_report(session, SYSTEM, licence, ReportCreate(
        year=year, revenue_fen=fen, placements=0, training_sessions=0, training_people=0,
        filed_on=date(year + 1, 2, 1)))


def _build(session: Session) -> None:
    a = _licence(session, "500103", "IND-A", date(2018, 1, 1), date(2030, 1, 1))
    b = _licence(session, "500103", "IND-B", date(2020, 12, 31), date(2030, 1, 1))
    c = _licence(session, "500102", "IND-C", date(2019, 1, 1), date(2020, 6, 30))  # expired
    d = _licence(session, "500102", "IND-D", date(2019, 1, 1), date(2030, 1, 1))
    _licence(session, "500103", "IND-E", date(2021, 1, 1), date(2030, 1, 1))     # too late
    service.revoke(session, SYSTEM, d, date(2020, 12, 31), "吊销")                # out on 12-31
    _report(session, a, 2019, 10_000_000_00)
    _report(session, a, 2020, 12_000_000_00)
    _report(session, b, 2020, 3_500_000_50)
    _report(session, c, 2020, 1_000_000_00)
    _report(session, d, 2020, 2_000_000_00)


class TestLicensedAgencies:
    def test_in_force_at_the_year_end(self, session: Session) -> None:
        _build(session)
        item = indicators.LICENSED_AGENCIES
        # 31 Dec 2020: A and B (渝中); C expired 30 Jun, D revoked that day, E issued 2021.
        assert _value(item, session, "50", "2020") == Decimal(2)
        # 涪陵 appears with 0: its agencies reported on 2020 but hold no licence at its end.
        assert _by_district(item, session, "2020") == {"500103": Decimal(2),
                                                      "500102": Decimal(0)}
        # 31 Dec 2019: A, C and D (B not yet issued).
        assert _value(item, session, "50", "2019") == Decimal(3)
        assert _value(item, session, "500102", "2019") == Decimal(2)
        # 31 Dec 2021: A, B, E.
        assert _value(item, session, "50", "2021") == Decimal(3)


class TestRevenue:
    def test_reported_revenue_summed_over_the_years(self, session: Session) -> None:
        _build(session)
        item = indicators.AGENCY_REVENUE
        # 2020: 12,000,000.00 + 3,500,000.50 + 1,000,000.00 + 2,000,000.00 = 18,500,000.50
        assert _value(item, session, "50", "2020") == Decimal("18500000.50")
        assert _by_district(item, session, "2020") == {"500103": Decimal("15500000.50"),
                                                      "500102": Decimal("3000000.00")}
        # 2019–2020: + 10,000,000.00 = 28,500,000.50
        assert _value(item, session, "50", "2019-2020") == Decimal("28500000.50")
        assert _value(item, session, "500102", "2019") == Decimal(0)

    def test_the_article_figures(self) -> None:
        assert indicators.LICENSED_AGENCIES.article_value == Decimal(1860)
        assert indicators.AGENCY_REVENUE.article_value == Decimal("35700000000")
