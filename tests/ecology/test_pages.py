"""The ecology pages served to a signed-in clerk (forms, refusals next to the field)."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.app.demo_ecology import seed_ecology
from tests import factories as f
from tests.factories import ecology as h
from tests.factories.ecology import LAT0, LON0, polygon, square
from tests.live import chart_data, sign_in


def _clerk(client: TestClient, session: Session) -> None:
    sign_in(client, f.staff(session, "nr_officer", "500102", display_name="涪陵区 刘洋"))


class TestNavigationAndSummary:
    def test_the_nav_item_is_live_and_the_summary_shows_the_records(
            self, client: TestClient, session: Session) -> None:
        seed_ecology(session)
        _clerk(client, session)
        home = client.get("/").text
        assert 'href="/ecology"' in home
        page = client.get("/ecology")
        assert page.status_code == 200
        assert re.search(r'data-testid="fig-closures">.*?18<span class="unit">家', page.text,
                         re.S)
        assert "17.71" in page.text and 'data-testid="rank">1<' in page.text
        assert client.get("/ecology?region=50").status_code == 403

    def test_the_ranking_chart_marks_the_chosen_district(
            self, client: TestClient, session: Session) -> None:
        seed_ecology(session)
        _clerk(client, session)
        page = client.get("/ecology").text
        data = chart_data(page, "rank-chart")
        # 涪陵区 ranks first of the 13 districts with accepted plans (the page's rank 1).
        assert len(data["categories"]) == 13 and data["categories"][0] == "涪陵区"
        chosen, others = data["series"]
        assert chosen["name"] == "所选区县" and chosen["values"][1:] == [None] * 12
        assert others["values"][0] is None and None not in others["values"][1:]
        # One bar per district: together they make the city total the card shows.
        city = float(re.search(r"全市合计 ([\d,.]+) 公顷", page).group(1).replace(",", ""))
        assert round(chosen["values"][0] + sum(others["values"][1:]), 1) == city
        assert data["horizontal"] is True and data["stack"] is True

    def test_a_citizen_has_no_ecology_pages(self, client: TestClient, session: Session) -> None:
        person = f.person(session)
        sign_in(client, f.staff(session, "citizen", "", person_id=person.id))
        assert client.get("/ecology").status_code == 403


class TestMineForms:
    def test_a_bad_polygon_is_shown_next_to_the_field_and_a_good_one_registers(
            self, client: TestClient, session: Session) -> None:
        _clerk(client, session)
        form = {"name": "新登记石灰岩矿", "region": "500102", "mineral": "石灰岩",
                "mining_method": "open_pit", "status": "operating", "site_kind": "mine",
                "crs": "EPSG:4490", "area_method": "geodesic",
                "geometry": json.dumps(polygon([[y, x] for x, y in square()]))}
        refused = client.post("/ecology/mines/new", data=form)
        assert refused.status_code == 422
        assert 'id="geometry-error"' in refused.text and "顺序疑似颠倒" in refused.text
        assert "新登记石灰岩矿" in refused.text  # what was typed stays
        form["geometry"] = json.dumps(polygon(square()))
        done = client.post("/ecology/mines/new", data=form, follow_redirects=False)
        assert done.status_code == 303
        page = client.get(done.headers["location"]).text
        assert "登记成功" in page and 'data-testid="area-ha">100.0' in page

    def test_closing_a_mine_from_its_page(self, client: TestClient, session: Session) -> None:
        h.zone(session, geometry=polygon(square(LON0 - 0.01, LAT0 - 0.01, 5000.0)))
        site = h.mine(session)
        _clerk(client, session)
        page = client.get(f"/ecology/mines/{site.id}").text
        assert "列入关闭工作清单" in page
        bad = client.post(f"/ecology/mines/{site.id}/close",
                          data={"closed_date": "去年", "investment": "100", "version": "1",
                                "reason": "red_line"})
        assert bad.status_code == 422 and 'id="closed_date-error"' in bad.text
        ok = client.post(f"/ecology/mines/{site.id}/close", follow_redirects=False,
                         data={"closed_date": "2019-05-01", "investment": "1000000",
                               "version": "1", "reason": "red_line"})
        assert ok.status_code == 303
        assert "已登记关闭" in client.get(ok.headers["location"]).text
        worklist = client.get("/ecology/closures").text
        assert 'data-testid="pending-count">0<' in worklist


class TestRestorationForms:
    def test_plan_progress_and_a_refused_case_step(self, client: TestClient,
                                                   session: Session) -> None:
        site = h.closed_mine(session)
        _clerk(client, session)
        filed = client.post("/ecology/restoration/new", follow_redirects=False, data={
            "mine_id": str(site.id), "mode": "engineered", "target_land_use": "forest",
            "planned_area_ha": "20", "budget": "5000000", "obligor_name": "某石材公司",
            "deadline": "2021-06-30"})
        assert filed.status_code == 303, filed.text
        plan_url = filed.headers["location"].split("?")[0]
        too_much = client.post(f"{plan_url}/progress", data={
            "quarter": "2020Q1", "area_restored_ha": "25", "money_spent": "100"})
        assert too_much.status_code == 422 and 'id="area_restored_ha-error"' in too_much.text
        opened = client.post(f"{plan_url}/case", data={"filed_date": "2020-01-02"},
                             follow_redirects=False)
        assert opened.status_code == 303
        case_url = opened.headers["location"].split("?")[0]
        page = client.get(case_url).text
        assert 'data-testid="step-deposit_fund"' in page
        assert 'data-testid="step-take_over"' not in page
        early = client.post(f"{case_url}/take_over", data={"on": "2020-02-01"})
        assert early.status_code == 409 and "方案已备案" in early.text

    def test_the_work_list_puts_overdue_plans_first(self, client: TestClient,
                                                    session: Session) -> None:
        h.accepted_plan(session)
        _clerk(client, session)
        site = h.mine(session, status="abandoned", geometry=polygon(square(107.6, 29.5)))
        client.post("/ecology/restoration/new", data={
            "mine_id": str(site.id), "mode": "natural", "target_land_use": "forest",
            "planned_area_ha": "3", "budget": "0", "deadline": "2020-06-30"})
        page = client.get("/ecology/restoration").text
        rows = re.findall(r"<tr(?: data-overdue=\"true\")?>", page)
        assert 'data-overdue="true"' in rows[1]
        assert 'data-testid="overdue-count">1<' in page


class TestOtherForms:
    def test_land_and_sand_forms(self, client: TestClient, session: Session) -> None:
        _clerk(client, session)
        land = client.post("/ecology/land/new", follow_redirects=False, data={
            "name": "珍溪镇高标准农田建设项目", "region": "500102", "investment": "3000000",
            "high_standard_farmland_mu": "1200", "new_cultivated_mu": "80",
            "national_pilot": "on", "crs": "EPSG:4490", "area_method": "planar",
            "geometry": json.dumps(polygon(square()))})
        assert land.status_code == 303, land.text
        page = client.get(land.headers["location"]).text
        assert "国家试点" in page and "EPSG:4545 高斯-克吕格3度带 · 记录采用" in page
        sand = client.post("/ecology/sand/new", follow_redirects=False, data={
            "project_name": "某道路工程", "region": "500102", "estimated_volume_m3": "1000",
            "project_use_m3": "2000", "crs": "EPSG:4490", "area_method": "geodesic",
            "geometry": json.dumps(polygon(square()))})
        assert sand.status_code == 422 and "项目自用方量不能超过" in sand.text

    def test_scoring_a_mine_through_the_form(self, client: TestClient,
                                             session: Session) -> None:
        h.standard_sets(session)
        site = h.mine(session)
        _clerk(client, session)
        form = {"set_code": "MNR-2020", "assessed_date": "2020-08-01", "investment": "100",
                **{f"pre.P{n}": "yes" for n in range(1, 6)}, "pre.P5": "no",
                "score.A1": "100", "evidence.A1": "现场核查"}
        response = client.post(f"/ecology/green-mines/new?mine_id={site.id}", data=form,
                               follow_redirects=False)
        assert response.status_code == 303, response.text
        sheet = client.get(response.headers["location"]).text
        assert "未通过" in sheet and "自然保护地" in sheet
        assert "现场核查" in sheet
