"""Every page speaks Chinese, to every role: a crawl of every GET page route of the app's
route table, signed in as each demo account, on the demo city (with an import job added).

A page fails when it answers in JSON, or when its visible text has a Latin-letter word that
is not on the allow-list (units, standard codes, file formats): a field key (``date_from``,
``urban/rural``, ``YYYY-MM``), a permission code (``insurance:coverage``) or English text.
The menu test signs in as each role and follows every link of the side navigation.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from minsheng.app import demo
from minsheng.app import pages as shell_pages
from minsheng.app.assembly import assemble
from minsheng.app.web import create_app
from minsheng.ecology.greenmines.models import GreenMineAssessment
from minsheng.ecology.land.models import LandConsolidationProject
from minsheng.ecology.mines.models import Mine
from minsheng.ecology.restoration.models import RestorationPlan, SubstitutedRestorationCase
from minsheng.ecology.sand.models import SurplusAggregateCase
from minsheng.hrss.employment.models import Vacancy
from minsheng.hrss.registry import imports as registry_imports
from minsheng.hrss.registry.models import Employer
from minsheng.platform import indicators
from minsheng.platform.config import Settings
from minsheng.platform.db import make_session_factory
from minsheng.platform.imports import ImportJob
from minsheng.platform.security.models import UserAccount
from minsheng.platform.security.principal import SYSTEM
from minsheng.platform.security.roles import PERMISSION_LABELS, PERMISSIONS, Role
from tests.conftest import build_database, scratch_database
from tests.live import drop_e2e_database

SECRET = "page-language-secret-not-for-production-0123456789"

#: Latin that is genuine on a Chinese page: units, standards, file formats, and the
#: skill names of the demo's vacancies (data people typed, not interface text).
ALLOWED_LATIN = frozenset({
    "m", "km", "ha", "kg", "t", "mu", "GB", "T", "USCC", "ID", "SM", "CSV", "Excel", "xlsx",
    "csv", "geojson", "json", "GeoJSON", "PDF", "QR", "PNG", "JPEG", "JPG", "UTF", "MB", "KB",
    "Java", "Python", "MySQL", "Redis", "Office", "ERP", "CAD", "PLC", "Photoshop", "Linux",
    "CGCS", "WGS", "RFC", "WebP",
})
#: Latin in stored data the pages show as it is (a parameter's source cites the
#: reference document by its file name).
DATA_LATIN = ("hrss-rules",)
#: A run of Latin letters, digits and joiners; a run with a digit is a code (a business
#: number, a USCC, a masked ID, an indicator set such as MNR-2020) and is not text.
CODE_RUN = re.compile(r"[A-Za-z0-9_:]+(?:[-/.][A-Za-z0-9_:]+)*")
#: A word of a run without digits: letters with ``_``/``:`` inside (field keys,
#: permission codes); ``-``, ``/`` and ``.`` split words (``urban/rural``, ``YYYY-MM``).
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_:]*")
PERMISSION_CODE = re.compile(r"\b[a-z]+:[a-z_]+\b")


class VisibleText(HTMLParser):
    """The text a reader sees (and hears: titles, placeholders, alt and aria labels),
    without scripts and styles."""

    HIDDEN = {"script", "style", "template"}
    SPOKEN = ("title", "placeholder", "alt", "aria-label", "data-empty")

    #: Elements without an end tag (never pushed on the no-translate stack).
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0
        #: Open elements inside one marked ``translate="no"``: data shown as it is stored
        #: (a login name, an audit event's action code and payload), not interface text.
        self._verbatim: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag not in self.VOID and (self._verbatim or dict(attrs).get("translate") == "no"):
            self._verbatim.append(tag)
        for name, value in attrs:
            if name in self.SPOKEN and value:
                self.parts.append(value)
        if tag == "input":
            kind = dict(attrs).get("type")
            value = dict(attrs).get("value")
            if kind in ("submit", "button") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if self._verbatim and self._verbatim[-1] == tag:
            self._verbatim.pop()

    def handle_data(self, data: str) -> None:
        if not self._hidden and not self._verbatim:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def latin_words(text: str) -> list[str]:
    """The Latin words of ``text`` that are not on the allow-list (a single capital
    letter is a code: an industry section, a grade)."""
    words = {w for run in CODE_RUN.findall(text) if not any(c.isdigit() for c in run)
             for w in LATIN_WORD.findall(run)}
    return sorted(w.strip(":") for w in words
                  if w not in ALLOWED_LATIN and not (len(w) == 1 and w.isupper()))


def language_problems(response_text: str, content_type: str) -> list[str]:
    """Why a page is not Chinese-only (empty when it is)."""
    if "json" in content_type or response_text.lstrip().startswith(("{", "[")):
        return [f"JSON body: {response_text[:120]}"]
    if "html" not in content_type:
        return []
    text = visible_text(response_text)
    for quoted in DATA_LATIN:
        text = text.replace(quoted, "")
    problems = [f"permission code {c}" for c in PERMISSION_CODE.findall(text)]
    words = latin_words(text)
    if words:
        problems.append(f"Latin words {words}")
    return problems


# --- the demo site ---------------------------------------------------------------------


@dataclass
class Site:
    client: TestClient
    accounts: list[demo.DemoAccount]
    ids: dict[str, str]


def _first(session: Session, stmt: object) -> str:
    value = session.scalar(stmt)  # type: ignore[call-overload]
    assert value is not None, f"the demo has no row for {stmt}"
    return str(value)


def seeded_ids(factory: sessionmaker[Session]) -> dict[str, str]:
    """A real record for each path parameter of the page routes, inside the scope of the
    district accounts (渝中区 for social security, 涪陵区 for ecology); an import job
    is added, the demo has none."""
    with factory.begin() as session:
        person = _first(session, select(UserAccount.person_id)
                        .where(UserAccount.username == "citizen"))
        citizen_employer = session.scalar(select(UserAccount.employer_id)
                                          .where(UserAccount.username == "employer"))
        employer = str(citizen_employer) if citizen_employer else _first(
            session, select(Employer.id).where(Employer.region == "500103"))
        vacancy = session.scalar(select(Vacancy.id).where(Vacancy.employer_id == int(employer))
                                 .order_by(Vacancy.id)) or _first(
            session, select(Vacancy.id).order_by(Vacancy.id))
        registry_imports.run_import(
            session, SYSTEM, "persons", "人员.csv",
            "公民身份号码,姓名,户籍地区划,居住地区划,户口性质\n1,无效,500103,500103,城镇\n"
            .encode())
        return {
            "person_id": person, "employer_id": employer, "vacancy_id": str(vacancy),
            "job_id": _first(session, select(ImportJob.id).order_by(ImportJob.id.desc())),
            "kind": "persons", "year": "2026",
            "mine_id": _first(session, select(Mine.id).where(Mine.region == "500102")
                              .order_by(Mine.id)),
            "plan_id": _first(session, select(RestorationPlan.id).order_by(RestorationPlan.id)),
            "restoration_case_id": _first(session, select(SubstitutedRestorationCase.id)
                                          .order_by(SubstitutedRestorationCase.id)),
            "assessment_id": _first(session, select(GreenMineAssessment.id)
                                    .order_by(GreenMineAssessment.id)),
            "sand_case_id": _first(session, select(SurplusAggregateCase.id)
                                   .order_by(SurplusAggregateCase.id)),
            "project_id": _first(session, select(LandConsolidationProject.id)
                                 .order_by(LandConsolidationProject.id)),
        }


def page_routes() -> list[APIRoute]:
    """Every page route of the app (the shell's and each domain's page routers)."""
    routers = [shell_pages.router, *(r for d in assemble() for r in d.pages)]
    return [r for router in routers for r in router.routes if isinstance(r, APIRoute)]


def get_pages() -> list[str]:
    return sorted({r.path for r in page_routes() if "GET" in r.methods})


def _dependants(dependant: Dependant) -> Iterator[Dependant]:
    yield dependant
    for sub in dependant.dependencies:
        yield from _dependants(sub)


#: Fields the page handlers read from the form themselves (not declared parameters).
COMMON_FORM_FIELDS = frozenset({
    "name", "resident_id", "phone", "hukou_region", "residence_region", "hukou_type", "uscc",
    "region", "industry", "size_class", "note", "on", "date", "month", "year", "amount",
    "reason", "kind", "scheme", "start_month", "end_month", "declared_wage", "employer_id",
    "geometry", "mine_id", "mode", "deadline", "quarter", "area_restored_ha", "money_spent",
    "accepted_date", "filed_date", "closed_date", "start_on", "auction_date", "notice_days",
    "workdays", "set_code", "assessed_date", "investment", "start_date", "acceptance_date",
    "version", "method", "evidence", "title", "min_pay", "pay_min", "pay_max", "headcount",
    "education", "skills", "decision", "refund_id", "separation_reason",
})


PARAM = re.compile(r"\{([a-z_]+)\}")


def fill(path: str, ids: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "case_id":
            name = "sand_case_id" if path.startswith("/ecology/sand") else "restoration_case_id"
        return ids.get(name, "1")  # a form's target that the demo may lack: a 404 is fine

    return PARAM.sub(value, path)


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    url = scratch_database(database_url, "lang", tmp_path_factory.mktemp("lang"))
    engine: Engine = build_database(url)
    factory = make_session_factory(engine)
    try:
        accounts = demo.load(factory)
        ids = seeded_ids(factory)
        app = create_app(Settings(database_url=url, secret_key=SECRET), session_factory=factory)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield Site(client, accounts, ids)
    finally:
        engine.dispose()
        drop_e2e_database(url)


def roles_to_crawl(site: Site) -> list[demo.DemoAccount]:
    """One demo account of each role, and the Chengdu clerk (a scope outside Chongqing)."""
    seen: set[str] = set()
    chosen = []
    for account in site.accounts:
        key = "chengdu" if account.region.startswith("51") else account.role
        if key not in seen:
            seen.add(key)
            chosen.append(account)
    return chosen


def signed_in(site: Site, account: demo.DemoAccount) -> TestClient:
    site.client.cookies.clear()
    response = site.client.post("/login", data={"username": account.username,
                                                "password": account.password},
                                follow_redirects=False)
    assert response.status_code == 303, (account.username, response.text[:200])
    return site.client


# --- the tests -------------------------------------------------------------------------


class TestEveryPageIsChinese:
    def test_every_get_page_as_every_role(self, site: Site) -> None:
        failures = []
        crawled = 0
        accounts = roles_to_crawl(site)
        assert {a.role for a in accounts} == set(Role) - {Role.PEER_NODE}
        for account in accounts:
            client = signed_in(site, account)
            for path in get_pages():
                if path == "/login":
                    continue
                url = fill(path, site.ids)
                response = client.get(url, follow_redirects=False)
                crawled += 1
                if response.status_code >= 500:
                    failures.append(f"{account.username} {url}: {response.status_code}")
                    continue
                for problem in language_problems(response.text,
                                                 response.headers.get("content-type", "")):
                    failures.append(f"{account.username} {url} ({response.status_code}): "
                                    f"{problem}")
        site.client.cookies.clear()
        assert crawled >= 11 * 40
        assert not failures, "\n".join(failures)

    def test_every_get_page_with_bad_query_parameters(self, site: Site) -> None:
        """Each query parameter of each page given a word, then a number beyond 64 bits:
        a Chinese page, never JSON, never a server error."""
        admin = next(a for a in site.accounts if a.role is Role.ADMIN)
        client = signed_in(site, admin)
        failures = []
        for route in page_routes():
            if "GET" not in route.methods or route.path == "/login":
                continue
            names = [p.alias for dep in _dependants(route.dependant) for p in dep.query_params]
            for bad in ("无效", "99999999999999999999999", "-1"):
                if not names:
                    continue
                url = fill(route.path, site.ids) + "?" + "&".join(f"{n}={bad}" for n in names)
                response = client.get(url, follow_redirects=False)
                if response.status_code >= 500:
                    failures.append(f"{url}: {response.status_code}")
                    continue
                for problem in language_problems(response.text,
                                                 response.headers.get("content-type", "")):
                    failures.append(f"{url} ({response.status_code}): {problem}")
        assert not failures, "\n".join(failures)

    def test_every_post_page_refusing_a_bad_form(self, site: Site) -> None:
        """Each form posted empty, then with every field a word: the refusal names the
        fields in Chinese, in a page or a toast, never JSON, English or a field code.
        (Last in the module's crawl: a form that is accepted changes the demo data.)"""
        admin = next(a for a in site.accounts if a.role is Role.ADMIN)
        failures = []
        for route in page_routes():
            if "POST" not in route.methods or route.path in ("/login", "/logout"):
                continue
            names = {p.alias for dep in _dependants(route.dependant) for p in dep.body_params}
            url = fill(route.path.replace("{decision}", "reject").replace(
                "{action}", "deposit_fund").replace("{month}", "2026-10"), site.ids)
            for form in ({}, dict.fromkeys(names | COMMON_FORM_FIELDS, "无效")):
                for headers in ({}, {"HX-Request": "true"}):
                    client = signed_in(site, admin)
                    response = client.post(url, data=form, headers=headers,
                                            follow_redirects=False)
                    if response.status_code >= 500:
                        failures.append(f"POST {url} {sorted(form)}: {response.status_code}")
                        continue
                    for problem in language_problems(
                            response.text, response.headers.get("content-type", "")):
                        failures.append(f"POST {url} {headers} ({response.status_code}): "
                                        f"{problem}")
        assert not failures, "\n".join(failures)

    def test_the_sign_in_page(self, site: Site) -> None:
        site.client.cookies.clear()
        response = site.client.get("/login")
        assert response.status_code == 200
        assert language_problems(response.text, response.headers["content-type"]) == []

    def test_the_crawl_would_see_english(self) -> None:
        assert language_problems('{"detail":"Not Found"}', "application/json")
        assert latin_words("备注 note：必须填写") == ["note"]
        assert latin_words("需要 insurance:coverage") == ["insurance:coverage"]
        assert latin_words("月份格式应为 YYYY-MM") == ["MM", "YYYY"]
        assert latin_words("户口性质 urban/rural") == ["rural", "urban"]
        assert latin_words("起始 date_from：格式不正确") == ["date_from"]
        assert latin_words("面积 12.5 m² · USCC 91500103MA0000001X · 5001**********123X") == []
        assert latin_words("标段 CQGGZY-KC-2026-001，指标体系 MNR-2020，GB/T 2260") == []


class TestErrorPages:
    @pytest.mark.parametrize("signed", [False, True])
    def test_an_unknown_url_is_a_chinese_404_page(self, site: Site, signed: bool) -> None:
        site.client.cookies.clear()
        if signed:
            signed_in(site, site.accounts[0])
        response = site.client.get("/no-such-page/at-all")
        assert response.status_code == 404
        assert "text/html" in response.headers["content-type"]
        assert "页面不存在" in response.text
        assert language_problems(response.text, response.headers["content-type"]) == []

    def test_an_unknown_api_url_is_a_json_problem_in_both_languages(self, site: Site) -> None:
        response = site.client.get("/api/v1/no-such-endpoint")
        assert response.status_code == 404
        body = response.json()
        assert body["detail"] == "您访问的页面不存在" and body["detail_en"] == "Not found"

    @pytest.mark.parametrize(("url", "label"), [
        ("/persons?page=abc", "页码"),
        ("/employment/zero-employment?closed=yes", "关闭"),
        ("/pension?within=many", "天数"),
        ("/ecology?date_from=someday", "起始日期"),
        ("/insurance/coverage?on=today", "日期"),
    ])
    def test_a_bad_query_parameter_names_the_field_in_chinese(
        self, site: Site, url: str, label: str
    ) -> None:
        signed_in(site, site.accounts[0])  # the administrator sees every page
        response = site.client.get(url)
        assert response.status_code in (200, 422)  # 200: the page shows the form again
        assert "text/html" in response.headers["content-type"]
        assert label in visible_text(response.text)
        assert language_problems(response.text, response.headers["content-type"]) == []

    @pytest.mark.parametrize("bad_id", ["not-a-number", "99999999999999999999999", "-1"])
    def test_a_malformed_id_in_a_path_is_not_found(self, site: Site, bad_id: str) -> None:
        signed_in(site, site.accounts[0])
        failures = []
        for path in get_pages():
            if "_id}" not in path or path.endswith(".csv"):
                continue
            url = PARAM.sub(bad_id, path)
            response = site.client.get(url)
            # 403: a page of another kind of account (an employer's vacancy)
            if response.status_code not in (403, 404) or language_problems(
                    response.text, response.headers["content-type"]):
                failures.append(f"{url}: {response.status_code}")
        assert not failures, "\n".join(failures)

    def test_a_refusal_names_the_permission_in_chinese(self, site: Site) -> None:
        clerk = next(a for a in site.accounts if a.role is Role.CLERK)
        signed_in(site, clerk)
        response = site.client.get("/insurance/coverage")
        assert response.status_code == 403
        assert PERMISSION_LABELS["insurance:coverage"] in response.text
        assert language_problems(response.text, response.headers["content-type"]) == []

    def test_the_api_keeps_both_texts(self, site: Site) -> None:
        site.client.cookies.clear()
        response = site.client.get("/api/v1/persons?page=abc")
        assert response.status_code in (401, 422)
        body = response.json()
        assert "detail" in body and "detail_en" in body


class TestSeparationOfBureaus:
    def menu(self, site: Site, account: demo.DemoAccount) -> list[str]:
        page = signed_in(site, account).get("/").text
        nav = page.split('class="sidenav"', 1)[1].split("</nav>", 1)[0] if "sidenav" in page \
            else ""
        return re.findall(r'href="([^"]+)"', nav)

    def test_every_menu_link_answers_200_for_its_role(self, site: Site) -> None:
        failures = []
        for account in site.accounts:
            for href in self.menu(site, account):
                status = site.client.get(href).status_code
                if status != 200:
                    failures.append(f"{account.username} {href}: {status}")
        assert not failures, "\n".join(failures)

    def test_social_security_staff_have_no_ecology_menu(self, site: Site) -> None:
        for account in site.accounts:
            if account.role in (Role.CLERK, Role.CASE_OFFICER, Role.REVIEWER,
                                Role.STATISTICIAN):
                assert "/ecology" not in self.menu(site, account), account.username
                assert site.client.get("/ecology").status_code == 403

    def test_natural_resources_staff_have_only_the_ecology_menu(self, site: Site) -> None:
        for account in site.accounts:
            if account.role in (Role.NR_OFFICER, Role.NR_ANALYST):
                menu = self.menu(site, account)
                # The scorecard shows them the ecology figures only.
                ecology = {href for href in menu if href.startswith("/ecology")}
                assert set(menu) - ecology == {"/", "/scorecard"}, (account.username, menu)
                assert {"/ecology", "/ecology/map", "/ecology/land"} <= ecology
                home = site.client.get("/").text
                assert "人员登记" not in home and "参保缴费" not in home
                assert "生态修复与土地整治平台" in home and "人力社保" not in home
                assert site.client.get("/persons").status_code == 403

    def test_a_counter_clerk_cannot_edit_ecology_records(self, site: Site) -> None:
        clerk = next(a for a in site.accounts if a.username == "fuling_clerk")
        signed_in(site, clerk)
        form = site.client.get("/ecology/mines/new")
        assert form.status_code == 403
        token = site.client.post("/api/v1/auth/token", data={
            "username": clerk.username, "password": clerk.password}).json()["access_token"]
        response = site.client.post("/api/v1/ecology/mines", json={},
                                    headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 403

    def test_the_natural_resources_officer_edits_ecology(self, site: Site) -> None:
        officer = next(a for a in site.accounts if a.role is Role.NR_OFFICER)
        signed_in(site, officer)
        assert site.client.get("/ecology/mines/new").status_code == 200


class TestRoleTables:
    def test_every_permission_has_a_chinese_description(self) -> None:
        granted = set().union(*PERMISSIONS.values())
        assert granted <= set(PERMISSION_LABELS)
        for label in PERMISSION_LABELS.values():
            assert not latin_words(label)

    def test_every_menu_entry_but_the_workbench_names_its_permission(self) -> None:
        assemble()
        from minsheng.platform.web import templating

        for item in templating._nav:
            assert item.permission is not None or item.key == "home", item

    def test_ecology_permissions_belong_to_the_natural_resources_family(self) -> None:
        for role in (Role.CLERK, Role.CASE_OFFICER, Role.REVIEWER, Role.STATISTICIAN):
            assert not {p for p in PERMISSIONS[role] if p.startswith("ecology:")}, role
        for role in (Role.NR_OFFICER, Role.NR_ANALYST):
            assert {p.split(":")[0] for p in PERMISSIONS[role]} == {"ecology", "scorecard"}, role



class TestTheDemoFlexibleWorker:
    def test_paid_two_months_alone_and_owes_october(self, site: Site) -> None:
        # The demo bills 2026-08…10 and the flexible worker pays August and September
        # herself, so one month (October) is left to make up.
        account = next(a for a in site.accounts if a.username == demo.FLEXIBLE_USERNAME)
        page = signed_in(site, account).get("/my/insurance")
        assert page.status_code == 200
        assert "灵活就业（个人缴费）" in page.text
        assert "补缴灵活就业养老保险费 1 个月" in page.text


class TestTheDemoCasesOfTheRules:
    """The demo's other worked cases of the pension and unemployment rules (README)."""

    def test_an_overage_resident_pensioner_without_contributions(self, site: Site) -> None:
        account = next(a for a in site.accounts if a.username == "yuzhong_clerk")
        client = signed_in(site, account)
        found = re.findall(r'href="/persons/(\d+)"', client.get("/persons?q=周玉兰").text)
        assert found, "周玉兰 is not found by the 渝中 clerk"
        page = client.get(f"/pension/person/{found[0]}")
        assert page.status_code == 200
        # Born 1945-05-10, 66 when the scheme began (2011-07): the basic pension 175.00
        # from 2011-08 without a contribution; the employee-pension notice does not raise it.
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
        assert "2011-08 退休待遇核定 175.00" in text
        assert "年度养老金调整" not in text

    def test_unemployed_within_a_year_of_retirement(self, site: Site) -> None:
        # 周建国, born 1966-08-15: 60 in 2026-08, 19 months after 2025-01, so
        # 19 // 4 + 1 = 5 months later: 2027-01; benefit runs on to that month.
        account = next(a for a in site.accounts if a.username == "yuzhong_clerk")
        page = signed_in(site, account).get("/unemployment")
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
        row = text[text.index("周建国"):][:300]
        assert "延长至 2027-01 退休" in row

    def test_the_employer_downloads_its_unit_certificate(self, site: Site) -> None:
        account = next(a for a in site.accounts if a.username == "employer")
        client = signed_in(site, account)
        links = re.findall(r'href="(/api/v1/employers/\d+/certificate\.pdf)"',
                           client.get("/").text)
        assert links, "the employer's home offers no 单位参保证明"
        pdf = client.get(links[0])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


class TestTheDemoScorecard:
    @pytest.mark.parametrize("region", ["50", "500102"])
    @pytest.mark.parametrize("period", ["2016-2020", str(date.today().year)])
    def test_every_figure_has_its_target(self, site: Site, region: str, period: str) -> None:
        account = next(a for a in site.accounts if a.username == "admin")
        client = signed_in(site, account)
        response = client.get(f"/api/v1/scorecard?region={region}&period={period}")
        assert response.status_code == 200, response.text
        rows = response.json()
        assert len(rows) == len(indicators.catalogue())
        assert [r["id"] for r in rows if r["target"] is None] == []

    @pytest.mark.parametrize("region", ["50", "500102"])
    @pytest.mark.parametrize("period", ["2016-2020", str(date.today().year)])
    def test_employment_and_unemployment_figures_have_demo_records(
            self, site: Site, region: str, period: str) -> None:
        # The demo records 2016–2020 and this year in 涪陵区 as in the city: each
        # employment and unemployment-insurance figure has a value there, every count or
        # amount above zero (zero-employment households too: some are on the work-list).
        account = next(a for a in site.accounts if a.username == "admin")
        rows = signed_in(site, account).get(
            f"/api/v1/scorecard?region={region}&period={period}").json()
        kinds = {i.id: i.kind for i in indicators.catalogue()
                 if i.domain in ("就业服务", "失业保险")}
        empty = [r["id"] for r in rows if r["id"] in kinds and (
            r["value"] is None
            or (kinds[r["id"]] is not indicators.Kind.RATE and Decimal(r["value"]) <= 0))]
        assert len(kinds) >= 14 and empty == []

    def test_the_dashboard_and_its_workbook(self, site: Site) -> None:
        account = next(a for a in site.accounts if a.username == "cq_statistician")
        client = signed_in(site, account)
        page = client.get("/scorecard?region=50&period=2016-2020")
        shown = {i.id for i in indicators.catalogue()
                 if i.permission in PERMISSIONS[Role.STATISTICIAN]}
        assert page.status_code == 200
        assert "未设定" not in page.text
        this_year = client.get(f"/scorecard?region=50&period={date.today().year}")
        assert this_year.status_code == 200 and "未设定" not in this_year.text
        workbook = client.get("/scorecard/export.xlsx?region=50&period=2016-2020")
        sheet = load_workbook(io.BytesIO(workbook.content)).active
        assert sheet is not None
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "指标" and len(rows) == 1 + len(shown)
