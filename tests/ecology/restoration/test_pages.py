"""The restoration work-list page: plans and the mines still without a plan page with
their totals (never cut), the figures are counted in SQL, and the plans export to Excel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.ecology.restoration import service as restoration
from minsheng.ecology.restoration.schemas import PlanCreate
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.app.workbench import todos
from tests.exports import XLSX, last_export, sheet_rows
from tests.factories import ecology as h
from tests.live import sign_in


def _abandoned(session: Session, n: int) -> int:
    lon, lat = h.offset(h.LON0, h.LAT0, 0, 1_000 * n)
    return h.mine(session, status="abandoned", name=f"废弃矿{n:03d}",
                  geometry=h.polygon(h.square(lon, lat, 300.0))).id


class TestWorklist:
    def test_plans_and_mines_to_plan_page_and_export(
        self, client: TestClient, session: Session
    ) -> None:
        planned = []
        for n in range(52):
            plan = restoration.file_plan(session, SYSTEM, PlanCreate(
                mine_id=_abandoned(session, n), mode="engineered", target_land_use="forest",
                planned_area_ha=Decimal("5"), budget=Decimal("100000"),
                deadline=date(2020, 1, 1) if n < 2 else date(2099, 1, 1)))
            planned.append(plan.id)
        for n in range(52, 103):
            _abandoned(session, n)
        sign_in(client, h.fuling_clerk(session))
        page = client.get("/ecology/restoration").text
        assert 'data-testid="plan-count">52<' in page
        assert 'data-testid="overdue-count">2<' in page  # counted over every plan
        assert 'data-testid="to-plan-count">51<' in page
        assert "第 1 / 2 页，共 52 条" in page and "第 1 / 2 页，共 51 条" in page
        assert page.count('data-overdue="true"') == 2  # overdue first, on page 1
        second = client.get("/ecology/restoration", params={"page": 2}).text
        plans = second[second.index('data-testid="plans"'):second.index("</table>",
                       second.index('data-testid="plans"'))]
        assert plans.count("/ecology/restoration/") == 2 and "data-overdue" not in plans
        mines = client.get("/ecology/restoration", params={"mpage": 2}).text
        assert "第 2 / 2 页，共 51 条" in mines

        export = client.get("/ecology/restoration/plans.xlsx")
        assert export.status_code == 200 and export.headers["content-type"] == XLSX
        rows = sheet_rows(export.content)
        assert rows[0][0] == "方案编号" and len(rows) == 52 + 1
        assert {r[0] for r in rows[1:]} == set(planned)
        assert [r[13] for r in rows[1:3]] == ["是", "是"]
        event = last_export(session, "ecology.export")
        assert event is not None and event["rows"] == 52

    def test_plans_not_accepted_wait_on_the_workbench_with_the_lists_total(
        self, client: TestClient, session: Session
    ) -> None:
        for n, deadline in enumerate([date(2020, 1, 1), date(2099, 1, 1)]):
            restoration.file_plan(session, SYSTEM, PlanCreate(
                mine_id=_abandoned(session, n), mode="engineered", target_land_use="forest",
                planned_area_ha=Decimal("5"), budget=Decimal("100000"), deadline=deadline))
        h.accepted_plan(session, lon=h.LON0 + 0.5)  # done: no longer waiting
        clerk = h.fuling_clerk(session)
        sign_in(client, clerk)
        todo = todos(client.get("/").text)["restoration.plans"]
        listed = client.get(todo.href).text
        assert 'data-testid="plan-count">2<' in listed and todo.count == 2
        assert todo.overdue == 1 and 'data-testid="overdue-count">1<' in listed
        sign_in(client, f.staff(session, "nr_analyst", clerk.region_code))  # reads only
        assert "restoration.plans" not in todos(client.get("/").text)

    def test_export_needs_an_ecology_role(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "clerk", "500102"))
        assert client.get("/ecology/restoration/plans.xlsx").status_code == 403
