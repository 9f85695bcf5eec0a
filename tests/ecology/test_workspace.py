"""The natural-resources workspace: the bureau's staff work in a shell of their own (title,
bureau, menu of the ecology pages, accent colour); social-security staff keep theirs."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.ecology.overview.domain import ECOLOGY_MENU
from minsheng.platform.security.roles import NATURAL_RESOURCES_ROLES, Role, workspace_of
from tests import factories as f
from tests.live import sign_in

ECOLOGY_TITLE = "生态修复与土地整治平台"
HRSS_TITLE = "人力社保经办平台"
ECOLOGY_CSS = "/static/css/workspace-ecology.css"


def _menu(page: str) -> list[str]:
    nav = page.split('class="sidenav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'href="([^"]+)"', nav)


def _active(page: str) -> list[str]:
    return re.findall(r'<a href="[^"]+" class="nav-link is-active"\s*aria-current="page">([^<]+)',
                      page)


class TestWorkspaceOfRole:
    @pytest.mark.parametrize("role", list(Role))
    def test_only_the_natural_resources_roles_work_in_the_ecology_workspace(
            self, role: Role) -> None:
        expected = "ecology" if role in (Role.NR_OFFICER, Role.NR_ANALYST) else "hrss"
        assert workspace_of(role) == expected
        assert (role in NATURAL_RESOURCES_ROLES) == (expected == "ecology")

class TestEcologyShell:
    @pytest.mark.parametrize("role", ["nr_officer", "nr_analyst"])
    def test_ecology_staff_see_the_bureau_workspace_on_every_page(
            self, client: TestClient, session: Session, role: str) -> None:
        sign_in(client, f.staff(session, role, "500102"))
        for path in ("/", "/ecology", "/ecology/mines", "/ecology/land"):
            page = client.get(path)
            assert page.status_code == 200, path
            text = page.text
            assert ECOLOGY_TITLE in text and HRSS_TITLE not in text, path
            assert "人力社保" not in text, path
            assert 'data-testid="bureau-name">涪陵区规划和自然资源局<' in text, path
            assert ECOLOGY_CSS in text and 'class="app ws-ecology"' in text, path
            assert re.search(rf"<title>[^<]*民生 · {ECOLOGY_TITLE}</title>", text), path
            menu = _menu(text)
            # The workbench, every ecology page, the scorecard's ecology figures: no
            # social-security entry.
            assert menu[0] == "/" and [href for _, href, _ in ECOLOGY_MENU] == menu[1:-1]
            assert menu[-1] == "/scorecard"
            assert "nav-heading\">业务经办" not in text, "no empty heading over nothing planned"

    def test_the_menu_marks_the_page_being_viewed(
            self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "nr_officer", "500102"))
        expected = {"/": "工作台", "/ecology": "指标概览", "/ecology/map": "一张图",
                    "/ecology/mines": "矿山登记", "/ecology/closures": "红线关闭清单",
                    "/ecology/restoration": "生态修复", "/ecology/green-mines": "绿色矿山",
                    "/ecology/sand": "剩余砂石处置", "/ecology/land": "土地综合整治"}
        for path, label in expected.items():
            assert _active(client.get(path).text) == [label], path


    def test_the_city_analyst_works_for_the_city_bureau(
            self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "nr_analyst", "500000"))
        page = client.get("/ecology").text
        assert 'data-testid="bureau-name">重庆市规划和自然资源局<' in page


class TestSocialSecurityShell:
    def test_a_counter_clerk_keeps_the_social_security_shell(
            self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "clerk", "500102"))
        page = client.get("/").text
        assert HRSS_TITLE in page and ECOLOGY_TITLE not in page
        assert ECOLOGY_CSS not in page and "ws-ecology" not in page
        assert 'data-testid="bureau-name"' not in page
        assert "/ecology" not in _menu(page)

    def test_the_administrator_reads_ecology_inside_the_social_security_shell(
            self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "admin", ""))
        page = client.get("/ecology/mines").text
        assert HRSS_TITLE in page and ECOLOGY_TITLE not in page
        menu = _menu(page)
        # One entry for the ecology pages, which the pages' own tabs open up.
        assert [href for href in menu if href.startswith("/ecology")] == ["/ecology"]
        assert "/persons" in menu
        assert _active(page) == ["生态修复"]
