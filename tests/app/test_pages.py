"""The shell pages through the test client: sign-in, the workbench and service hall,
templating, error pages.

Data is built before the first sign-in: a page that refuses a form rolls the request's
session back, and in these tests that session is the test's own.
"""

from __future__ import annotations

import re
from decimal import Decimal

from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.registry import service as registry
from minsheng.platform.errors import Forbidden
from minsheng.platform.security import audit
from minsheng.platform.security import service as security
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM
from minsheng.platform.web.deps import SESSION_COOKIE, SessionDep
from minsheng.platform.web.templating import PAGE_DEPENDENCIES, PageRoute, region_name, templates
from tests import factories as f
from tests.live import sign_in


class TestSignIn:
    def test_login_page_is_chinese(self, client: TestClient) -> None:
        response = client.get("/login?next=/persons")
        assert response.status_code == 200
        assert '<html lang="zh-CN">' in response.text
        assert "用户名" in response.text and "密码" in response.text
        assert 'name="next" value="/persons"' in response.text

    def test_success_sets_an_httponly_cookie_audits_and_goes_next(
        self, client: TestClient, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        response = client.post("/login", data={"username": clerk.username,
                                               "password": f.PASSWORD, "next": "/persons"},
                               follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/persons"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{SESSION_COOKIE}=")
        assert "HttpOnly" in cookie
        assert "samesite=lax" in cookie.lower()
        assert "Max-Age=28800" in cookie  # the default token lifetime, 8 hours
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.login")).all()
        assert [e.actor for e in events] == [clerk.username]
        assert client.get("/").status_code == 200

    def test_wrong_password_is_401_with_a_chinese_message(
        self, client: TestClient, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        response = client.post("/login", data={"username": clerk.username,
                                               "password": "not-the-password"})
        assert response.status_code == 401
        assert "用户名或密码错误" in response.text
        assert f'value="{clerk.username}"' in response.text  # the username stays filled in
        assert SESSION_COOKIE not in response.headers.get("set-cookie", "")

    def test_empty_form_is_401(self, client: TestClient) -> None:
        response = client.post("/login", data={})
        assert response.status_code == 401
        assert "请输入用户名和密码" in response.text

    def test_next_must_be_a_local_path(self, client: TestClient, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example",
                       "javascript:alert(1)"):
            response = client.post("/login", data={"username": clerk.username,
                                                   "password": f.PASSWORD, "next": target},
                                   follow_redirects=False)
            assert response.headers["location"] == "/", target

    def test_anonymous_visitors_are_sent_to_the_login_page(self, client: TestClient) -> None:
        for path in ("/", "/persons", "/persons/new", "/employers", "/imports"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 303, path
            assert response.headers["location"] == f"/login?next={path}"

    def test_logout_clears_the_cookie(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        response = client.post("/logout", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == "/login"
        assert 'Max-Age=0' in response.headers["set-cookie"]
        assert client.get("/", follow_redirects=False).status_code == 303


class TestHome:
    def test_workbench_counts_the_clerks_district_only(
        self, client: TestClient, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103", display_name="王芳")
        f.person(session, name="渝中甲")
        f.person(session, name="渝中乙")
        f.person(session, name="沙坪坝丙", residence_region="500106")
        f.employer(session)
        people = registry.search_persons(session, clerk, size=1).total
        employers = registry.search_employers(session, clerk, size=1)[1]
        sign_in(client, clerk)
        page = client.get("/").text
        assert re.search(rf'data-testid="person-count">{people:,}<', page)
        assert re.search(rf'data-testid="employer-count">{employers:,}<', page)
        assert "王芳" in page and "窗口经办员" in page and "渝中区" in page
        for live in ('href="/persons"', 'href="/employers"', 'href="/imports"'):
            assert live in page
        for building in ("参保缴费", "社会保障卡", "养老待遇", "就业服务", "失业保险", "劳动关系",
                         "跨省通办", "民生答卷"):
            assert building in page
        assert "生态修复" not in page  # the natural-resources bureau's
        # Every social-security module is live, 跨省通办 (the counter's 川渝通办) too.
        assert "建设中" not in page
        assert 'href="/labour"' in page and 'href="/crossregion"' in page

    def test_reviewer_has_no_import_link(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "reviewer", "500103"))
        page = client.get("/").text
        assert 'href="/imports"' not in page
        assert client.get("/imports").status_code == 403

    def test_citizen_sees_the_service_hall_with_their_own_record(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session, name="赵市民")
        user = security.add_user(session, actor=SYSTEM, username="citizen-zhao", role="citizen",
                                 password=f.PASSWORD, person_id=person.id)
        sign_in(client, security.principal_of(user))
        page = client.get("/").text
        assert "网上服务大厅" in page and "我的信息" in page
        assert person.resident_id in page  # their own number, in full
        assert "工作台" not in page and 'href="/persons"' not in page
        forbidden = client.get("/persons")
        assert forbidden.status_code == 403
        assert "text/html" in forbidden.headers["content-type"]
        assert "无权" in forbidden.text


    def test_the_hall_shows_the_citizens_contribution_years_from_their_record(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        person = f.person(session, name="钱缴费")
        f.enrolment(session, person.id, start_month="2019-01", end_month="2020-02",
                    declared_wage=Decimal("6000.00"))  # 14 months
        user = security.add_user(session, actor=SYSTEM, username="citizen-qian", role="citizen",
                                 password=f.PASSWORD, person_id=person.id)
        sign_in(client, security.principal_of(user))
        hall = client.get("/").text
        assert re.search(r'data-testid="contribution-years">1 年 2 个月<', hall)
        record = client.get("/my/insurance").text
        assert re.search(r'data-testid="record-months">14<', record)


class TestTemplating:
    def test_domain_templates_are_found_by_prefix(self) -> None:
        assert templates.get_template("registry/persons.html") is not None
        assert templates.get_template("shell.html") is not None

    def test_filters(self) -> None:
        env = templates.env
        assert env.filters["mask"]("500103198506150012") == "5001**********0012"
        assert env.filters["gender"]("F") == "女"
        assert env.filters["hukou"]("rural") == "农村"
        assert env.filters["size_class"]("micro") == "微型"
        assert env.filters["role_label"]("clerk") == "窗口经办员"
        assert region_name("500103") == "渝中区" and region_name("") == "全部辖区"

    def test_htmx_errors_become_a_toast(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        response = client.get("/persons/999999", headers={"HX-Request": "true"})
        assert response.headers["HX-Retarget"] == "#toasts"
        assert "toast" in response.text


class TestErrorPages:
    def test_an_error_page_keeps_nothing_the_handler_wrote(
        self, client: TestClient, session: Session
    ) -> None:
        router = APIRouter(route_class=PageRoute, dependencies=PAGE_DEPENDENCIES)

        @router.get("/test-partial-write")
        def partial(session: SessionDep) -> None:
            audit.record(session, actor="page-test", action="test.partial",
                         subject_type="test", subject_id=1)
            raise Forbidden("不可以", "Not allowed")

        client.app.include_router(router)  # type: ignore[attr-defined]
        response = client.get("/test-partial-write")
        assert response.status_code == 403
        assert "text/html" in response.headers["content-type"] and "不可以" in response.text
        written = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "test.partial")).all()
        assert written == []
