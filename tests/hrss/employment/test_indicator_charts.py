"""The indicators page's charts: the counts of people helped into work, urban new
employment month by month and the rates on dials, for a hand-built 2024 (each figure
worked out in the comments)."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.employment import service
from minsheng.platform.security.principal import Principal
from tests import factories as f
from tests.factories.employment import register_unemployed
from tests.live import chart_data, sign_in


def _place(session: Session, clerk: Principal, person_id: int, on: date) -> None:
    service.record_placement(session, clerk, person_id, on=on, region="500103")


class TestIndicatorCharts:
    def test_counts_months_and_rates(self, client: TestClient, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        p = {k: f.person(session, name=k) for k in "ABCEHIJKLUV"}
        register_unemployed(session, p["A"], date(2024, 2, 1))
        _place(session, clerk, p["A"].id, date(2024, 3, 10))      # new, March; unemployed
        _place(session, clerk, p["B"].id, date(2024, 3, 20))      # new (first job), March
        service.add_to_key_group(session, clerk, p["C"].id, "hard_to_employ",
                                 category="disabled", since=date(2024, 1, 1))
        register_unemployed(session, p["C"], date(2024, 1, 15))
        _place(session, clerk, p["C"].id, date(2024, 7, 1))       # new, July; both groups
        for name in "HIJ":
            service.add_to_key_group(session, clerk, p[name].id, "graduate",
                                     graduation_year=2024, since=date(2024, 7, 1))
        _place(session, clerk, p["H"].id, date(2024, 8, 1))       # new, August
        for name in "KL":
            service.add_to_key_group(session, clerk, p[name].id, "ex_fisher",
                                     since=date(2023, 1, 1))
        _place(session, clerk, p["K"].id, date(2024, 5, 6))       # new, May
        register_unemployed(session, p["U"], date(2024, 6, 1))    # still unemployed
        register_unemployed(session, p["V"], date(2024, 9, 1))    # still unemployed
        f.enrolment(session, p["E"].id, start_month="2020-01")    # insured employment
        sign_in(client, clerk)
        page = client.get("/employment", params={"year": 2024}).text

        counts = chart_data(page, "employment-counts")
        # New: A, B, C, H, K = 5; unemployed helped: A, C = 2; hard to employ: C = 1.
        assert counts["categories"] == ["城镇新增就业", "失业人员再就业", "就业困难人员就业"]
        assert counts["series"] == [{"name": "人数", "values": [5, 2, 1]}]
        months = chart_data(page, "employment-months")
        assert months["categories"][0] == "1月" and len(months["categories"]) == 12
        # March: A, B; May: K; July: C; August: H.
        assert months["series"] == [{"name": "2024 年城镇新增就业",
                                     "values": [0, 0, 2, 0, 1, 0, 1, 1, 0, 0, 0, 0]}]
        # The table under the trend holds the same twelve figures.
        table = page[page.index('data-testid="employment-months-table"'):].split("</table>")[0]
        assert re.findall(r'<td class="num mono">([^<]+)</td>', table) == [
            "0", "0", "2", "0", "1", "0", "1", "1", "0", "0", "0", "0"]
        # Registered unemployed at year end U, V (A, C placed); insured employed E:
        # 2 ÷ (1 + 2) = 66.67 %. Graduates: H of H, I, J = 33.33 %. Ex-fishers: K of K, L.
        assert chart_data(page, "unemployment-rate")["value"] == 66.67
        assert chart_data(page, "graduates-rate")["value"] == 33.33
        fishers = chart_data(page, "fishers-rate")
        assert fishers["value"] == 50.0 and fishers["name"] == "退捕渔民转产就业率"
        assert '<script src="/static/js/charts.js" defer></script>' in page

    def test_a_rate_without_anyone_to_count_is_empty(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        page = client.get("/employment", params={"year": 2024}).text
        assert chart_data(page, "graduates-rate")["value"] is None
        assert chart_data(page, "employment-months")["series"][0]["values"] == [0] * 12

    def test_months_of_another_district_are_not_counted(
        self, client: TestClient, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        other = f.staff(session, "clerk", "500106")
        person = f.person(session, residence_region="500106")
        service.record_placement(session, other, person.id, on=date(2024, 4, 1),
                                 region="500106")
        assert service.new_employment_by_month(session, clerk, "500103", 2024) == [0] * 12
        assert service.new_employment_by_month(session, other, "500106", 2024)[3] == 1
        # A district clerk asking for the city gets their district.
        assert service.new_employment_by_month(session, other, "", 2024)[3] == 1
        assert service.new_employment_by_month(session, clerk, "", 2024) == [0] * 12
