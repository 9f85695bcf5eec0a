"""The benefit amount's bounds (社会保险法 art. 47: not below the urban minimum living
allowance; 失业保险条例 art. 18: below the minimum wage) as dated regional data: a new
amount outside them is refused, an amount already in force outside them is flagged; the
statutory bands are dated national rows; the rules page shows how sure each value is."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.unemployment import service
from minsheng.hrss.unemployment.models import SubsistenceAllowance, UnemploymentDurationStep
from minsheng.platform.errors import Conflict, Forbidden, RuleViolation
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.live import sign_in


def _subsistence(session: Session, amount: str, valid_from: int = 202401) -> None:
    session.add(SubsistenceAllowance(region_prefix="50", valid_from=valid_from,
                                     monthly_amount=Decimal(amount), source="测试参数",
                                     source_status="unconfirmed"))
    session.flush()


def _publish(session: Session, region: str, amount: str, start: str = "2026-01") -> object:
    return service.publish_benefit_rate(
        session, SYSTEM, region_prefix=region, valid_from=start,
        monthly_amount=Decimal(amount), source="测试", source_status="unconfirmed")


class TestBounds:
    def test_seeded_chongqing_minimum_wage_lowest_class(self, session: Session) -> None:
        # Migration: 2022-04 class 1 2,100, class 2 2,000 (✘); the bound is the lower.
        bounds = service.benefit_bounds(session, "500103", 202611)
        assert bounds.minimum_wage is not None
        assert bounds.minimum_wage.monthly_amount == Decimal("2000.00")
        assert bounds.minimum_wage.source_status == "unconfirmed"
        # 2019-01 … 2022-03: 1,800 / 1,700 (✘); 2018-08: 1,500 (◐, class 1 only).
        for month, lowest in ((202203, "1700.00"), (201812, "1500.00")):
            wage = service.benefit_bounds(session, "50", month).minimum_wage
            assert wage is not None and wage.monthly_amount == Decimal(lowest)
        assert bounds.subsistence is None  # no published figure found: none seeded


class TestPublish:
    def test_the_minimum_wage_itself_is_refused_one_fen_below_is_not(
            self, session: Session) -> None:
        with pytest.raises(RuleViolation) as caught:
            _publish(session, "500103", "2000.00")
        assert caught.value.errors[0].field == "monthly_amount"
        assert "最低工资" in caught.value.message
        rate = _publish(session, "500106", "1999.99")
        assert service.benefit_rate(session, "500106", 202601) == rate

    def test_below_the_subsistence_allowance_is_refused_equal_is_not(
            self, session: Session) -> None:
        _subsistence(session, "800.00")
        with pytest.raises(RuleViolation):
            _publish(session, "500103", "799.99")
        _publish(session, "500106", "800.00")

    def test_overlap_and_permission(self, session: Session) -> None:
        with pytest.raises(Conflict):  # the seeded 1,440 covers Chongqing from 2019-01
            _publish(session, "50", "1500.00")
        with pytest.raises(Forbidden):
            service.publish_benefit_rate(
                session, f.staff(session, "clerk", "500103"), region_prefix="500103",
                valid_from="2026-01", monthly_amount=Decimal("1500.00"), source="测试",
                source_status="unconfirmed")


class TestFlagExistingRows:
    def test_the_seeded_1440_is_within_the_seeded_bounds(self, session: Session) -> None:
        [check] = service.benefit_rate_checks(session, 202611)
        assert (check.rate.region_prefix, check.rate.monthly_amount) == ("50", Decimal("1440.00"))
        assert check.rate.source_status == "unconfirmed"
        assert check.problems == []
        assert check.unchecked == ["城市居民最低生活保障标准"]

    def test_an_amount_below_a_later_allowance_is_flagged(self, session: Session) -> None:
        _subsistence(session, "1500.00", 202601)
        assert service.benefit_rate_checks(session, 202512)[0].problems == []
        [check] = service.benefit_rate_checks(session, 202601)
        assert [code for code, _, _ in check.problems] == ["below_subsistence"]
        assert check.unchecked == []

    def test_flag_shows_on_the_staff_page(self, client: TestClient, session: Session) -> None:
        _subsistence(session, "1500.00", 202001)
        sign_in(client, f.staff(session, "clerk", "500103"))
        page = client.get("/unemployment").text
        section = page[page.index('data-testid="rate-checks"'):page.index('id="claims"')]
        assert "1,440.00" in section and "1,500.00" in section and "2,000.00" in section
        assert 'data-testid="rate-problem"' in section
        assert "低于城市居民最低生活保障标准（1,500.00 元）" in section


class TestStatutoryBandsAreData:
    def test_the_national_rows_seeded(self, session: Session) -> None:
        bands = service.statutory_bands(session, 202611)
        assert [(b.min_months, b.max_months, b.months) for b in bands] == [
            (12, 60, 12), (60, 120, 18), (120, None, 24)]

    def test_a_later_national_table_applies_from_its_month(self, session: Session) -> None:
        # A hypothetical national table from 2030-01 paying at most 6 months: Chongqing's
        # ladder (60 months → 15) is capped at it from then on, not before.
        session.add(UnemploymentDurationStep(region_prefix="", valid_from=203001,
                                             min_months=12, max_months=None, months=6,
                                             source="测试", source_status="unconfirmed"))
        session.flush()
        before = service.estimate(session, contribution_months=60, region="500103",
                                  on=date(2029, 12, 1))
        after = service.estimate(session, contribution_months=60, region="500103",
                                 on=date(2030, 1, 1))
        assert (before.entitlement.months, after.entitlement.months) == (15, 6)


class TestRulesPage:
    def _row(self, page: str, section: str, needle: str) -> str:
        start = page.index(f'<h2 class="card-title">{section}</h2>')
        end = page.index("</section>", start)
        rows = re.findall(r"<tr>.*?</tr>", page[start:end], flags=re.S)
        [row] = [r for r in rows if needle in r]
        return row

    def test_the_1440_row_and_the_bounds_show_their_status(self, client: TestClient,
                                                           session: Session) -> None:
        sign_in(client, f.staff(session, "statistician", "500103"))
        page = client.get("/rules", params={"month": "2026-11"}).text
        rate = self._row(page, "失业保险金标准", "1,440.00")
        assert "2019-01 起" in rate and ">未核实</span>" in rate
        wage = self._row(page, "最低工资标准（月）", "2,000.00")
        assert "二类区县" in wage and ">未核实</span>" in wage
        extension = self._row(page, "失业保险金延长发放至法定退休年龄", "12 个月")
        assert ">已核实</span>" in extension
        bands = self._row(page, "失业保险金领取期限阶梯", "满 120 个月及以上")
        assert "全国" in bands and ">已核实</span>" in bands
        low = page.index('<h2 class="card-title">城市居民最低生活保障标准</h2>')
        assert "未发布此项参数" in page[low:page.index("</section>", low)]
