"""Every ecology work-list exports to Excel: Chinese headers, the rows of the list as it is
filtered (every page, in the page's order), the viewer's region only, and an audit event
with the filter and the row count."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.app.demo_ecology import seed_ecology
from minsheng.ecology.land.models import LandConsolidationProject
from minsheng.ecology.mines.models import Mine
from minsheng.ecology.restoration import service as restoration
from minsheng.platform import regions
from tests import factories as f
from tests.exports import XLSX, last_export, sheet_rows
from tests.factories import ecology as h
from tests.live import sign_in


@dataclass(frozen=True)
class WorkList:
    page: str  # the list page (with its filter)
    table: str  # the table's data-testid
    export: str  # the export route (with the same filter)
    subject: str  # the audit event's subject type
    key_column: str  # the export column holding what the row's first link shows
    region_column: str  # the export column naming the district


LISTS = [
    WorkList("/ecology/mines?status=closed", "mines", "/ecology/mines.xlsx?q=&status=closed",
             "mines", "矿山名称", "区县"),
    WorkList("/ecology/mines?q=%E7%9F%B3", "mines", "/ecology/mines.xlsx?q=%E7%9F%B3&status=",
             "mines", "矿山名称", "区县"),
    WorkList("/ecology/closures", "worklist", "/ecology/closures.xlsx", "closure_worklist",
             "矿山", "区县"),
    WorkList("/ecology/green-mines", "assessments", "/ecology/green-mines.xlsx",
             "green_mine_assessments", "矿山", "区县"),
    WorkList("/ecology/sand", "sand-cases", "/ecology/sand.xlsx", "surplus_aggregate_cases",
             "案件编号", "区县"),
    WorkList("/ecology/land", "land-projects", "/ecology/land.xlsx?q=", "land_projects",
             "项目名称", "区县"),
    WorkList("/ecology/land?q=%E6%9D%91", "land-projects", "/ecology/land.xlsx?q=%E6%9D%91",
             "land_projects", "项目名称", "区县"),
]

ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
FIRST_LINK = re.compile(r"<a [^>]*>(.*?)</a>", re.S)
NEXT = re.compile(r'<a class="btn btn-sm" href="([^"]+)"[^>]*>下一页</a>')
EXPORT_LINK = re.compile(r'href="([^"]+)" data-testid="export-xlsx"')


def listed(client: TestClient, path: str, table: str) -> tuple[list[str], str]:
    """What the first link of every row of the list shows, over every page, and the
    export link of the first page."""
    shown: list[str] = []
    export = ""
    next_path: str | None = path
    while next_path:
        page = client.get(html.unescape(next_path))
        assert page.status_code == 200, next_path
        text = page.text
        if not export:
            found = EXPORT_LINK.search(text)
            export = html.unescape(found.group(1)) if found else ""
        body = text.split(f'data-testid="{table}"', 1)[1].split("</tbody>", 1)[0]
        for row in ROW.findall(body.split("<tbody>", 1)[1]):
            shown.append(html.unescape(FIRST_LINK.search(row).group(1)).strip())
        following = NEXT.search(text)
        next_path = following.group(1) if following else None
    return shown, export


@pytest.fixture
def demo(session: Session) -> Session:
    seed_ecology(session)
    return session


class TestEveryWorkListExports:
    @pytest.mark.parametrize("work", LISTS, ids=lambda w: w.page)
    def test_the_export_holds_the_filtered_list_under_chinese_headers(
            self, client: TestClient, demo: Session, work: WorkList) -> None:
        sign_in(client, f.staff(demo, "nr_officer", "500102"))
        shown, link = listed(client, work.page, work.table)
        assert shown, "the demo fills every list"
        assert link == work.export  # the list offers its own filter's export
        response = client.get(work.export)
        assert response.status_code == 200 and response.headers["content-type"] == XLSX
        assert "filename*=UTF-8''" in response.headers["content-disposition"]
        rows = sheet_rows(response.content)
        headers = list(rows[0])
        assert all(re.fullmatch(r"[^A-Za-z]+", h or "") for h in headers), headers
        key, district = headers.index(work.key_column), headers.index(work.region_column)
        assert [r[key] for r in rows[1:]] == shown
        # A district's officer exports the district's records only.
        assert {r[district] for r in rows[1:]} == {"涪陵区"}
        event = last_export(demo, "ecology.export")
        assert event is not None and event["rows"] == len(shown)

    def test_a_filter_narrows_the_export(self, client: TestClient, demo: Session) -> None:
        sign_in(client, f.staff(demo, "nr_officer", "500102"))
        every = sheet_rows(client.get("/ecology/mines.xlsx").content)[1:]
        closed = sheet_rows(client.get("/ecology/mines.xlsx?status=closed").content)[1:]
        stored = demo.scalar(select(func.count()).select_from(Mine).where(
            Mine.region == "500102", Mine.status == "closed"))
        assert len(closed) == stored and 0 < len(closed) < len(every)
        assert {r[9] for r in closed} == {"关闭"}
        event = last_export(demo, "ecology.export")
        assert event is not None and event["filter"] == {"status": "closed"}


class TestRestorationWorkLists:
    def test_mines_to_plan_and_cases_export_what_the_work_list_shows(
            self, client: TestClient, demo: Session) -> None:
        for n in range(2):  # abandoned, no plan yet
            h.mine(demo, status="abandoned", name=f"待编方案废弃矿{n}",
                   geometry=h.polygon(h.square(*h.offset(h.LON0, h.LAT0, 0, 2_000 * n), 300.0)))
        officer = f.staff(demo, "nr_officer", "500102")
        sign_in(client, officer)
        page = client.get("/ecology/restoration").text
        exports = EXPORT_LINK.findall(page)
        assert "/ecology/restoration/mines-to-plan.xlsx" in exports
        assert "/ecology/restoration/cases.xlsx" in exports

        to_plan = restoration.mines_to_plan(demo, officer)
        rows = sheet_rows(client.get("/ecology/restoration/mines-to-plan.xlsx").content)
        assert rows[0][:2] == ("矿山名称", "区县")
        assert len(rows) - 1 == to_plan.total
        assert [r[0] for r in rows[1:len(to_plan.rows) + 1]] == [m.name for m in to_plan.rows]
        assert {r[7] for r in rows[1:]} <= {"关闭", "废弃"}
        assert last_export(demo, "ecology.export")["rows"] == to_plan.total

        body = page.split('data-testid="cases"', 1)[1].split("</tbody>", 1)[0]
        shown = [html.unescape(FIRST_LINK.search(row).group(1)).strip()
                 for row in ROW.findall(body.split("<tbody>", 1)[1])]
        rows = sheet_rows(client.get("/ecology/restoration/cases.xlsx").content)
        assert shown and [r[0] for r in rows[1:]] == shown
        assert all(re.fullmatch(r"[^A-Za-z]+", h) for h in rows[0])
        assert {r[1] for r in rows[1:]} == {"涪陵区"}


class TestRegionScope:
    def test_the_city_analyst_exports_every_district_and_a_district_only_its_own(
            self, client: TestClient, demo: Session) -> None:
        by_region = dict(demo.execute(
            select(LandConsolidationProject.region, func.count())
            .group_by(LandConsolidationProject.region)).all())
        assert len(by_region) > 1, "the demo has projects in several districts"
        sign_in(client, f.staff(demo, "nr_analyst", "500000"))
        city = sheet_rows(client.get("/ecology/land.xlsx").content)[1:]
        assert len(city) == sum(count for region, count in by_region.items()
                                if region.startswith("50"))
        district = "500102"
        sign_in(client, f.staff(demo, "nr_officer", district))
        own = sheet_rows(client.get("/ecology/land.xlsx").content)[1:]
        assert len(own) == by_region[district]
        assert {r[1] for r in own} == {regions.name_of(district)}
        assert {r[1] for r in city} > {regions.name_of(district)}

    @pytest.mark.parametrize("path", ["/ecology/mines.xlsx", "/ecology/closures.xlsx",
                                      "/ecology/green-mines.xlsx", "/ecology/sand.xlsx",
                                      "/ecology/land.xlsx",
                                      "/ecology/restoration/mines-to-plan.xlsx",
                                      "/ecology/restoration/cases.xlsx"])
    def test_social_security_staff_cannot_export(
            self, client: TestClient, session: Session, path: str) -> None:
        sign_in(client, f.staff(session, "clerk", "500102"))
        assert client.get(path).status_code == 403
