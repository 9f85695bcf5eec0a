"""The payroll page's chart: a month's pension payments sent or paid, by district
(figures of hand-written payment rows)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.pension.models import PensionPayment, PensionPayrollRun
from tests import factories as f
from tests.live import chart_data, sign_in

MONTH = 202406


def _payment(session: Session, region: str, amount: str, status: str) -> None:
    # The chart, not the payroll, is under test: rows as a run writes them.
    person = f.person(session, residence_region=region)
    session.add(PensionPayment(person_id=person.id, kind="regular", award_id=1,
                               benefit_month=MONTH, payroll_month=MONTH,
                               amount=Decimal(amount), region=region, status=status))


class TestPayrollByDistrict:
    def test_chart_holds_each_districts_amount(
        self, client: TestClient, session: Session
    ) -> None:
        _payment(session, "500103", "3000.00", "sent")    # 渝中区
        _payment(session, "500103", "2500.50", "paid")
        _payment(session, "500106", "4100.00", "sent")    # 沙坪坝区
        _payment(session, "500154", "1800.00", "failed")  # not sent: left out
        _payment(session, "500154", "1900.00", "queued")
        session.add(PensionPayrollRun(payroll_month=MONTH, actor="admin",
                                      finished_at=datetime(2024, 6, 20, tzinfo=UTC),
                                      payments=3, total_amount=Decimal("9600.50"),
                                      control_sum="0" * 64))
        session.flush()
        sign_in(client, f.staff(session, "admin", ""))
        page = client.get("/pension/payroll", params={"month": "2024-06"}).text
        data = chart_data(page, "payroll-districts")
        # 渝中区 3000.00 + 2500.50 = 5500.50; 沙坪坝区 4100.00; in code order.
        assert data["categories"] == ["渝中区", "沙坪坝区"]
        assert data["series"] == [{"name": "发放金额", "values": [5500.5, 4100.0]}]
        assert data["horizontal"] is True and data["unit"] == "元" and data["digits"] == 2
        # Payments sent or paid: 渝中区 2, 沙坪坝区 1.
        assert chart_data(page, "payroll-counts")["series"] == [
            {"name": "发放笔数", "values": [2, 1]}]
        assert 'aria-label="2024-06 各区县养老金发放笔数条形图"' in page
        assert 'aria-label="2024-06 各区县养老金发放金额条形图"' in page
        assert '<script src="/static/js/charts.js" defer></script>' in page

    def test_the_polled_fragment_carries_the_chart(
        self, client: TestClient, session: Session
    ) -> None:
        _payment(session, "500106", "4100.00", "paid")
        session.add(PensionPayrollRun(payroll_month=MONTH, actor="admin",
                                      finished_at=datetime(2024, 6, 20, tzinfo=UTC),
                                      payments=1, total_amount=Decimal("4100.00"),
                                      control_sum="0" * 64))
        session.flush()
        sign_in(client, f.staff(session, "admin", ""))
        fragment = client.get("/pension/payroll", params={"month": "2024-06"},
                              headers={"HX-Request": "true", "HX-Target": "payroll-result"})
        assert "<html" not in fragment.text
        assert chart_data(fragment.text, "payroll-districts")["series"][0]["values"] == [4100.0]

    def test_no_chart_for_a_month_not_run(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "admin", ""))
        page = client.get("/pension/payroll", params={"month": "2024-06"}).text
        assert 'data-chart="bar"' not in page and "尚未运行发放" in page
