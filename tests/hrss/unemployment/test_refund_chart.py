"""The refunds page's chart: the year's eligible refunds by district, stacked by status,
the largest total first (figures of hand-written refund rows)."""

from __future__ import annotations

import re
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.unemployment.models import JobStabilisationRefund
from minsheng.hrss.unemployment.refunds import service as refunds
from tests import factories as f
from tests.live import chart_data, sign_in


def _refund(session: Session, region: str, amount: str, status: str = "computed", *,
            eligible: bool = True, year: int = 2022) -> None:
    # The chart, not the computation, is under test: rows as the batch writes them.
    # A refund keeps the region of its year: 500105 (abolished in 2025) on a 2022 row.
    employer = f.employer(session, region="500103" if region == "500105" else region)
    session.add(JobStabilisationRefund(
        year=year, employer_id=employer.id, region=region, paid_amount=Decimal("10000.00"),
        paid_months=12, average_headcount=Decimal("3.00"), employees_covered=3,
        new_claimants=0, layoff_rate=Decimal("0"), size="sme", share_ppm=900_000,
        eligible=eligible, refusal=None if eligible else "layoff_rate",
        amount=Decimal(amount), status=status))
    session.flush()


class TestRefundsByDistrict:
    def test_chart_holds_each_districts_amounts_by_status(
        self, client: TestClient, session: Session
    ) -> None:
        _refund(session, "500154", "1000.00")                 # 开州区
        _refund(session, "500154", "2500.50", "approved")
        _refund(session, "500154", "300.00", "paid")
        _refund(session, "500154", "999.00", "rejected")      # left out
        _refund(session, "500154", "0.00", eligible=False)    # left out
        _refund(session, "500103", "5000.00")                 # 渝中区
        _refund(session, "500105", "700.00", "approved")      # 江北区 → 两江新区 today
        _refund(session, "500103", "8888.00", year=2023)      # another year
        sign_in(client, f.staff(session, "admin", ""))
        page = client.get("/unemployment/refunds", params={"year": 2022}).text
        data = chart_data(page, "refund-districts")
        # Totals: 渝中区 5000.00; 开州区 1000.00 + 2500.50 + 300.00 = 3800.50; 两江新区 700.00.
        assert data["categories"] == ["渝中区", "开州区", "两江新区"]
        assert [s["name"] for s in data["series"]] == ["待复核", "已核准待拨付", "已拨付"]
        assert [s["values"] for s in data["series"]] == [
            [5000.0, 1000.0, 0.0], [0.0, 2500.5, 700.0], [0.0, 300.0, 0.0]]
        assert data["horizontal"] is True and data["stack"] is True and data["unit"] == "元"
        assert 'role="img" aria-label="2022 年度各区县稳岗返还金额条形图"' in page
        # The table beside the chart: district, employers, the three statuses, the total.
        table = page[page.index('data-testid="refund-district-table"'):].split("</table>")[0]
        rows = [re.findall(r"<td[^>]*>([^<]+)</td>", row)
                for row in table.split("<tbody>")[1].split("</tr>")[:-1]]
        assert rows == [["渝中区", "1", "5,000.00", "0.00", "0.00", "5,000.00"],
                        ["开州区", "3", "1,000.00", "2,500.50", "300.00", "3,800.50"],
                        ["两江新区", "1", "0.00", "700.00", "0.00", "700.00"]]
        assert '<script src="/static/js/charts.js" defer></script>' in page

    def test_a_district_clerk_sees_only_their_district(
        self, client: TestClient, session: Session
    ) -> None:
        _refund(session, "500154", "1200.00")
        _refund(session, "500103", "5000.00")
        clerk = f.staff(session, "clerk", "500154")
        rows = refunds.refunds_by_district(session, clerk, year=2022)
        assert [(r.region, r.employers, r.total) for r in rows] == [
            ("500154", 1, Decimal("1200.00"))]
        sign_in(client, clerk)
        data = chart_data(client.get("/unemployment/refunds",
                                     params={"year": 2022}).text, "refund-districts")
        assert data["categories"] == ["开州区"]

    def test_no_chart_before_the_year_is_computed(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "admin", ""))
        page = client.get("/unemployment/refunds", params={"year": 2022}).text
        assert 'data-chart="bar"' not in page and "本年度尚未计算" in page
