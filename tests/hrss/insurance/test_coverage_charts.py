"""The coverage page's charts: the pension coverage rate on a dial against 95%, the
enrolled and not enrolled as shares, and the poverty checks by district (figures of a
hand-built set, worked out in the comments)."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.live import chart_data, sign_in

REGION = "500154"  # 开州区


class TestCoverageCharts:
    def test_rate_shares_and_poverty_checks(self, client: TestClient, session: Session) -> None:
        adults = [f.person(session, residence_region=REGION, name=f"开州{n}")
                  for n in range(5)]
        f.enrolment(session, adults[0].id, "resident_pension", start_month="2021-01")
        f.enrolment(session, adults[1].id, "employee_pension", start_month="2021-01")
        for person in (adults[0], adults[2], adults[3]):
            service.designate(session, SYSTEM, person.id, "poverty_registered",
                              date(2020, 1, 1))
        sign_in(client, f.staff(session, "statistician", REGION))
        page = client.get("/insurance/coverage", params={"on": "2026-11-01", "year": "2026"})
        assert page.status_code == 200
        # 2 of 5 adults enrolled: 40 %.
        rate = chart_data(page.text, "coverage-rate")
        assert rate["value"] == 40.0 and rate["target"] == 95
        assert (rate["min"], rate["max"], rate["unit"]) == (0, 100, "%")
        assert rate["name"] == "养老保险参保率"
        share = chart_data(page.text, "coverage-share")
        assert [(i["name"], i["value"]) for i in share["items"]] == [("已参保", 2),
                                                                    ("未参保", 3)]
        # Poverty-registered: 0, 2, 3 should enrol, 0 is enrolled; 0 is in the resident
        # scheme and should pay, and has not paid for 2026.
        poverty = chart_data(page.text, "poverty-districts")
        assert poverty["categories"] == ["开州区"]
        assert [(s["name"], s["values"]) for s in poverty["series"]] == [
            ("应参保", [3]), ("已参保", [1]), ("应缴费", [1]), ("已缴费", [0])]
        assert poverty["horizontal"] is True
        # The chart's table, for one district too: 开州区 3, 1, 1, 0.
        table = page.text[page.text.index('data-testid="poverty-districts"'):]
        row = table.split("<tbody>")[1].split("</tr>")[0]
        assert re.findall(r">(\d+)<", row) == ["3", "1", "1", "0"]

    def test_poverty_chart_names_every_district_for_the_city(
        self, client: TestClient, session: Session
    ) -> None:
        kaizhou = f.person(session, residence_region=REGION, name="开州贫困户")
        yuzhong = f.person(session, residence_region="500103", name="渝中贫困户")
        f.enrolment(session, yuzhong.id, "resident_pension", start_month="2021-01")
        for person in (kaizhou, yuzhong):
            service.designate(session, SYSTEM, person.id, "poverty_registered",
                              date(2020, 1, 1))
        sign_in(client, f.staff(session, "statistician", "500000"))
        page = client.get("/insurance/coverage", params={"year": "2026"}).text
        poverty = chart_data(page, "poverty-districts")
        assert poverty["categories"] == ["渝中区", "开州区"]
        assert [s["values"] for s in poverty["series"]] == [[1, 1], [1, 0], [1, 0], [0, 0]]

    def test_no_dial_without_anyone_to_enrol(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "statistician", REGION))
        page = client.get("/insurance/coverage", params={"on": "2026-11-01"}).text
        assert 'id="coverage-rate"' not in page and 'id="poverty-districts"' not in page
