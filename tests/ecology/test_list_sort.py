"""The ecology work-lists sort by the column a clerk clicks: the rows come in that order,
an unknown ``?sort=`` is the default order (never an error), and the export link of the
page holds the same rows in the same order."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.ecology.land.models import LandConsolidationProject
from minsheng.ecology.restoration import service as restoration
from minsheng.ecology.restoration.models import RestorationPlan
from minsheng.ecology.restoration.schemas import PlanCreate
from minsheng.ecology.sand import service as sand
from minsheng.ecology.sand.models import SurplusAggregateCase as SandCase
from minsheng.ecology.sand.schemas import SandCaseCreate
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.exports import sheet_rows
from tests.factories import ecology as h
from tests.live import sign_in

REGION = "500102"


def _link(page: str, testid: str) -> str:
    match = re.search(r'href="([^"]+)"[^>]*data-testid="' + testid + '"', page)
    assert match, f"no link {testid}"
    return html.unescape(match.group(1))


def _ids(page: str, kind: str) -> list[int]:
    """The record ids of the list's rows, in the order shown."""
    return [int(i) for i in re.findall(rf'data-testid="{kind}-row" data-{kind}="(\d+)"', page)]


class TestMines:
    def test_sorted_by_area_both_ways_and_exported_in_that_order(
            self, client: TestClient, session: Session) -> None:
        sides = [700.0, 300.0, 900.0, 500.0]
        made = []
        for n, side in enumerate(sides):
            lon, lat = h.offset(h.LON0, h.LAT0, 0, 2_000 * n)
            made.append(h.mine(session, name=f"排序矿{n}", region=REGION,
                               geometry=h.polygon(h.square(lon, lat, side))))
        sign_in(client, f.staff(session, "nr_officer", REGION))
        by_area = [m.id for m in sorted(made, key=lambda m: (m.record_area_m2, m.id))]
        page = client.get("/ecology/mines", params={"q": "排序矿", "sort": "area"}).text
        assert _ids(page, "mine") == by_area
        # The header offers the other direction and keeps the search.
        href = _link(page, "sort-area")
        assert "sort=-area" in href and "q=" in href
        assert _ids(client.get(href).text, "mine") == by_area[::-1]
        # The export link carries the order and the filter: the same rows, same order.
        export = _link(page, "export-xlsx")
        assert "sort=area" in export
        names = {m.id: m.name for m in made}
        rows = sheet_rows(client.get(export).content)
        assert [r[0] for r in rows[1:]] == [names[i] for i in by_area]

    def test_an_unknown_order_is_the_default(
            self, client: TestClient, session: Session) -> None:
        made = [h.mine(session, name=f"排序矿{n}", region=REGION,
                       geometry=h.polygon(h.square(*h.offset(h.LON0, h.LAT0, 0, 2_000 * i))))
                for i, n in enumerate([3, 1, 2])]
        sign_in(client, f.staff(session, "nr_officer", REGION))
        default = _ids(client.get("/ecology/mines", params={"q": "排序矿"}).text, "mine")
        # One district: the default order is by name.
        assert default == [m.id for m in sorted(made, key=lambda m: m.name)]
        for bogus in ("id;drop table mine", "-", "name desc", "x" * 300):
            response = client.get("/ecology/mines", params={"q": "排序矿", "sort": bogus})
            assert response.status_code == 200
            assert _ids(response.text, "mine") == default
            assert client.get("/ecology/mines.xlsx",
                              params={"q": "排序矿", "sort": bogus}).status_code == 200


class TestLandProjects:
    def _projects(self, session: Session) -> list[LandConsolidationProject]:
        starts = [date(2019, 3, 1), date(2017, 5, 1), date(2021, 1, 1), date(2018, 8, 1)]
        investments = ["3000000", "9000000", "1000000", "5000000"]
        return [h.land_project(session, region=REGION, investment=money, start=start,
                               accepted=None, lon=h.offset(h.LON0, h.LAT0, 0, 3_000 * n)[0])
                for n, (money, start) in enumerate(zip(investments, starts, strict=True))]

    def test_sorted_by_investment_both_ways_and_exported_in_that_order(
            self, client: TestClient, session: Session) -> None:
        made = self._projects(session)
        sign_in(client, f.staff(session, "nr_officer", REGION))
        by_money = [p.id for p in sorted(made, key=lambda p: (p.investment, p.id))]
        page = client.get("/ecology/land", params={"sort": "investment"}).text
        assert _ids(page, "land") == by_money
        href = _link(page, "sort-investment")
        assert "sort=-investment" in href
        assert _ids(client.get(href).text, "land") == by_money[::-1]
        export = _link(page, "export-xlsx")
        assert "sort=investment" in export
        money = {p.id: p.investment for p in made}
        rows = sheet_rows(client.get(export).content)
        column = rows[0].index("投资（元）")
        assert [Decimal(str(r[column])) for r in rows[1:]] == [money[i] for i in by_money]

    def test_an_unknown_order_is_the_default(
            self, client: TestClient, session: Session) -> None:
        made = self._projects(session)
        sign_in(client, f.staff(session, "nr_officer", REGION))
        default = _ids(client.get("/ecology/land").text, "land")
        # No national pilot among them: the latest start first.
        assert default == [p.id for p in sorted(made, key=lambda p: p.start_date or date.min,
                                                reverse=True)]
        for bogus in ("id;drop table land", "-", "name desc", "x" * 300):
            response = client.get("/ecology/land", params={"sort": bogus})
            assert response.status_code == 200
            assert _ids(response.text, "land") == default
            assert client.get("/ecology/land.xlsx", params={"sort": bogus}).status_code == 200


class TestRestorationPlans:
    def _plans(self, session: Session) -> list[RestorationPlan]:
        """Four plans of closed mines: areas and deadlines in another order each, one of
        them overdue."""
        spec = [("12", date(2099, 6, 30)), ("4", date(2020, 3, 31)),
                ("20", date(2098, 1, 31)), ("8", date(2099, 1, 31))]
        plans = []
        for n, (hectares, deadline) in enumerate(spec):
            site = h.mine(session, region=REGION, status="abandoned", name=f"修复矿{n}",
                          geometry=h.polygon(h.square(*h.offset(h.LON0, h.LAT0, 0, 2_000 * n),
                                                      400.0)))
            plans.append(restoration.file_plan(session, SYSTEM, PlanCreate(
                mine_id=site.id, mode="engineered", target_land_use="forest",
                planned_area_ha=Decimal(hectares), budget=Decimal("100000"),
                deadline=deadline)))
        return plans

    def test_sorted_by_area_both_ways_and_exported_in_that_order(
            self, client: TestClient, session: Session) -> None:
        made = self._plans(session)
        sign_in(client, f.staff(session, "nr_officer", REGION))
        by_area = [p.id for p in sorted(made, key=lambda p: (p.planned_area_m2, p.id))]
        page = client.get("/ecology/restoration", params={"status": "open",
                                                         "sort": "area"}).text
        assert _ids(page, "plan") == by_area
        href = _link(page, "sort-area")
        assert "sort=-area" in href and "status=open" in href
        assert _ids(client.get(href).text, "plan") == by_area[::-1]
        export = _link(page, "export-xlsx")
        assert "sort=area" in export and "status=open" in export
        rows = sheet_rows(client.get(export).content)
        assert [r[0] for r in rows[1:]] == by_area

    def test_an_unknown_order_is_the_default(
            self, client: TestClient, session: Session) -> None:
        made = self._plans(session)
        sign_in(client, f.staff(session, "nr_officer", REGION))
        default = _ids(client.get("/ecology/restoration").text, "plan")
        # The overdue plan first, then by deadline.
        today = date.today()
        assert default == [p.id for p in sorted(made, key=lambda p: (p.deadline >= today,
                                                                      p.deadline))]
        for bogus in ("id;drop table plan", "-", "deadline desc", "x" * 300):
            response = client.get("/ecology/restoration", params={"sort": bogus})
            assert response.status_code == 200
            assert _ids(response.text, "plan") == default
            assert client.get("/ecology/restoration/plans.xlsx",
                              params={"sort": bogus}).status_code == 200


class TestSandCases:
    def _cases(self, session: Session) -> list[SandCase]:
        volumes = [("50000", "10000"), ("30000", "25000"), ("90000", "0"), ("70000", "40000")]
        return [sand.register_case(session, SYSTEM, SandCaseCreate(
            project_name=f"排序工程{n}", region=REGION,
            geometry=h.polygon(h.square(*h.offset(h.LON0, h.LAT0, 0, 2_000 * n))),
            estimated_volume_m3=Decimal(estimated), project_use_m3=Decimal(use)))
            for n, (estimated, use) in enumerate(volumes)]

    def test_sorted_by_surplus_both_ways_and_exported_in_that_order(
            self, client: TestClient, session: Session) -> None:
        made = self._cases(session)
        sign_in(client, f.staff(session, "nr_officer", REGION))
        by_surplus = [c.id for c in sorted(
            made, key=lambda c: (c.estimated_volume_m3 - c.project_use_m3, c.id))]
        page = client.get("/ecology/sand", params={"sort": "surplus"}).text
        assert _ids(page, "sand") == by_surplus
        href = _link(page, "sort-surplus")
        assert "sort=-surplus" in href
        assert _ids(client.get(href).text, "sand") == by_surplus[::-1]
        export = _link(page, "export-xlsx")
        assert "sort=surplus" in export
        numbers = {c.id: c.case_no for c in made}
        rows = sheet_rows(client.get(export).content)
        assert [r[0] for r in rows[1:]] == [numbers[i] for i in by_surplus]

    def test_an_unknown_order_is_the_default(
            self, client: TestClient, session: Session) -> None:
        made = self._cases(session)
        sign_in(client, f.staff(session, "nr_officer", REGION))
        default = _ids(client.get("/ecology/sand").text, "sand")
        assert default == sorted((c.id for c in made), reverse=True)  # latest first
        for bogus in ("id;drop table sand", "-", "surplus desc", "x" * 300):
            response = client.get("/ecology/sand", params={"sort": bogus})
            assert response.status_code == 200
            assert _ids(response.text, "sand") == default
            assert client.get("/ecology/sand.xlsx", params={"sort": bogus}).status_code == 200
