"""Employment pages over HTTP: job search with reasons, applying, the seeker form, the
employer's vacancies and applicants, the staff indicators and zero-employment work-list."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.employment.models import ZeroEmploymentCase
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.app.workbench import todos
from tests.exports import XLSX, last_export, sheet_rows
from tests.factories.employment import household, member, register_unemployed, vacancy
from tests.live import sign_in


def _citizen(session: Session, name: str = "刘洋") -> tuple[object, object]:
    person = f.person(session, name=name)
    user = security.add_user(session, actor=SYSTEM, username=f"c{person.id}", role="citizen",
                             password=f.PASSWORD, person_id=person.id)
    return person, security.principal_of(user)


class TestJobSearch:
    def test_search_shows_reasons_and_apply_needs_registration(
            self, client: TestClient, session: Session) -> None:
        firm = f.employer(session, name="渝中物流有限公司")
        v = vacancy(session, firm, "叉车司机", occupation_code="4-02", education_required=1,
                    description="仓库装卸，持叉车证")
        vacancy(session, firm, "会计", occupation_code="2-06")
        _, citizen = _citizen(session)
        sign_in(client, citizen)  # type: ignore[arg-type]
        page = client.get("/jobs", params={"q": "叉车"}).text
        assert "叉车司机" in page and "会计</h3>" not in page
        assert "关键词匹配：叉车" in page
        response = client.post(f"/jobs/{v.id}/apply", follow_redirects=False)
        assert response.headers["location"] == "/my/jobs?first=1"
        response = client.post("/my/jobs", data={
            "region": "500103", "occupation_code": "4-02", "education": "2",
            "min_pay": "4500", "skills": "叉车证", "summary": ""}, follow_redirects=False)
        assert response.status_code == 303
        recommended = client.get("/jobs").text
        assert "为您推荐" in recommended and "叉车司机" in recommended
        client.post(f"/jobs/{v.id}/apply")
        mine = client.get("/my/jobs").text
        assert "叉车司机" in mine and "待处理" in mine

    def test_seeker_form_errors_name_the_field(self, client: TestClient,
                                               session: Session) -> None:
        _, citizen = _citizen(session)
        sign_in(client, citizen)  # type: ignore[arg-type]
        response = client.post("/my/jobs", data={"region": "", "occupation_code": "",
                                                 "education": "", "min_pay": "abc"})
        assert response.status_code == 422
        assert "请选择学历" in response.text and "请填写期望月薪" in response.text


class TestEmployerPages:
    def test_post_vacancy_and_hire(self, client: TestClient, session: Session) -> None:
        firm = f.employer(session, name="重庆山城软件有限公司")
        boss = security.principal_of(security.add_user(
            session, actor=SYSTEM, username="boss", role="employer", password=f.PASSWORD,
            employer_id=firm.id))
        sign_in(client, boss)
        response = client.post("/employer/vacancies", data={
            "title": "Java开发工程师", "occupation_code": "4-04", "region": "500103",
            "education_required": "4", "pay_min": "9000", "pay_max": "8000",
            "headcount": "1", "description": "Spring Boot"})
        assert response.status_code == 422 and "薪资上限不能低于下限" in response.text
        client.post("/employer/vacancies", data={
            "title": "Java开发工程师", "occupation_code": "4-04", "region": "500103",
            "education_required": "4", "pay_min": "9000", "pay_max": "15000",
            "headcount": "1", "description": "Spring Boot"})
        page = client.get("/employer/vacancies").text
        assert "Java开发工程师" in page and "招聘中" in page


class TestStaffPages:
    def test_worklist_detect_and_indicators(self, client: TestClient, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        hh = household(session)
        head = member(session, hh, "head", birth=date(1980, 1, 1), name="王建国")
        register_unemployed(session, head, date(2026, 1, 5))
        sign_in(client, clerk)
        assert "暂无待安置" in client.get("/employment/zero-employment").text
        page = client.post("/employment/zero-employment/detect").text
        assert "新认定 1 户" in page and "王建国" in page
        home = client.get("/employment").text
        assert "城镇新增就业" in home and 'data-testid="open-households">1<' in home
        assert 'href="/employment"' in client.get("/").text

    def test_worklist_pages_with_its_total_and_exports_every_household(
        self, client: TestClient, session: Session
    ) -> None:
        region = "500154"  # 开州区: no other employment test uses it
        for n in range(52):
            hh = household(session, region=region)
            head = member(session, hh, "head", birth=date(1980, 1, 1), name=f"开州户主{n:02d}")
            register_unemployed(session, head, date(2026, 1, 5))
        sign_in(client, f.staff(session, "clerk", region))
        assert "新认定 52 户" in client.post("/employment/zero-employment/detect").text
        first = client.get("/employment/zero-employment").text
        assert 'data-testid="worklist-total">52 户' in first
        assert "第 1 / 2 页，共 52 条" in first and first.count('data-testid="case-') == 50
        second = client.get("/employment/zero-employment", params={"page": 2}).text
        assert second.count('data-testid="case-') == 2
        assert 'data-testid="open-households">52<' in client.get("/employment").text
        export = client.get("/employment/zero-employment.xlsx")
        assert export.status_code == 200 and export.headers["content-type"] == XLSX
        rows = sheet_rows(export.content)
        assert rows[0][0] == "户号" and len(rows) == 52 + 1
        assert all("开州户主" in r[3] and "*" in r[3] for r in rows[1:])  # IDs masked
        event = last_export(session, "employment.export")
        assert event is not None and event["rows"] == 52

    def test_open_households_wait_on_the_workbench_with_the_lists_total(
        self, client: TestClient, session: Session
    ) -> None:
        region = "500155"  # 梁平区
        for n in range(2):
            hh = household(session, region=region)
            head = member(session, hh, "head", birth=date(1980, 1, 1), name=f"梁平户主{n}")
            register_unemployed(session, head, date(2026, 1, 5))
        sign_in(client, f.staff(session, "clerk", region))
        client.post("/employment/zero-employment/detect")
        late = session.scalars(select(ZeroEmploymentCase)
                               .where(ZeroEmploymentCase.region == region)).first()
        assert late is not None
        late.detected_date, late.deadline = date(2020, 1, 1), date(2020, 1, 31)
        session.flush()
        todo = todos(client.get("/").text)["employment.zero_households"]
        listed = client.get(todo.href).text
        assert 'data-testid="worklist-total">2 户' in listed and todo.count == 2
        assert todo.overdue == 1 and "已逾期" in listed
        sign_in(client, f.staff(session, "reviewer", region))  # reads, never places
        assert "employment.zero_households" not in todos(client.get("/").text)

    def test_citizen_cannot_export_the_worklist(self, client: TestClient,
                                                session: Session) -> None:
        _, citizen = _citizen(session)
        sign_in(client, citizen)  # type: ignore[arg-type]
        assert client.get("/employment/zero-employment.xlsx").status_code == 403

    def test_citizen_cannot_see_the_worklist(self, client: TestClient,
                                             session: Session) -> None:
        _, citizen = _citizen(session)
        sign_in(client, citizen)  # type: ignore[arg-type]
        assert client.get("/employment/zero-employment").status_code == 403
