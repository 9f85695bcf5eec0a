"""Employment services in headless Chromium: a clerk runs the zero-employment detection
and sees the household on the work-list; a job seeker from that household searches jobs
in Chinese, reads why each matches and applies; the employer posts a vacancy, opens the
applicants and hires her; the household leaves the work-list by itself.

The app runs on a database of its own (``<db>_e2e_employment`` or a temporary SQLite
file), so its committed rows never reach the other tests' rolled-back database.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from minsheng.hrss.employment import service
from minsheng.hrss.employment.schemas import SeekerInput
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.factories.employment import household, member, register_unemployed, vacancy
from tests.live import e2e_database, playwright_or_skip, seed, serve_on, shot, sign_in_page

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()

expect = sync_api.expect


@dataclass
class Site:
    url: str
    clerk: str
    citizen: str
    employer: str


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "employment")
    with factory.begin() as session:
        clerk, _ = seed(session)
        hh = household(session)
        mother = member(session, hh, "head", birth=date(1984, 4, 2), male=False, name="罗秀兰")
        father = member(session, hh, "spouse", birth=date(1982, 9, 9), name="何志强")
        registered = date.today() - timedelta(days=40)
        register_unemployed(session, mother, registered)
        register_unemployed(session, father, registered)
        service.register_seeker(session, SYSTEM, mother.id, SeekerInput(
            region="500103", occupation_code="4-02", education=2, min_pay=Decimal("4500"),
            skills="叉车证 仓库管理", summary="在物流园做过三年仓库管理"))
        security.add_user(session, actor=SYSTEM, username="luoxiulan", role="citizen",
                          password=f.PASSWORD, person_id=mother.id, display_name="罗秀兰")
        firm = f.employer(session, name="渝中智慧物流有限公司", industry="G")
        security.add_user(session, actor=SYSTEM, username="wuliu", role="employer",
                          password=f.PASSWORD, employer_id=firm.id,
                          display_name="渝中智慧物流有限公司")
        vacancy(session, firm, "叉车司机（长白班）", occupation_code="4-02",
                education_required=1, pay_min=Decimal("5200"), pay_max=Decimal("6800"),
                description="岗位职责：仓库装卸、货物搬运。任职要求：持叉车证。",
                on=date.today())
        vacancy(session, firm, "仓库管理员", occupation_code="4-02", education_required=2,
                pay_min=Decimal("4800"), pay_max=Decimal("6000"),
                description="出入库登记、库存盘点，会用 ERP。", on=date.today())
        other = f.employer(session, name="重庆山城软件有限公司")
        vacancy(session, other, "Java开发工程师", education_required=4,
                pay_min=Decimal("9000"), pay_max=Decimal("15000"),
                description="后端开发，熟悉 Spring Boot", on=date.today())
    with serve_on(url, engine, factory) as base:
        yield Site(base, clerk.username, "luoxiulan",
               "wuliu")


def test_search_apply_hire_clears_the_household(site: Site, page: Any,
                                                 tmp_path: Path) -> None:
    base = site.url

    # The clerk finds the household on detection.
    sign_in_page(page, base, site.clerk)
    page.click(".sidenav >> text=就业服务")
    expect(page.locator("h1")).to_have_text("就业服务")
    page.get_by_test_id("worklist-link").click()
    page.get_by_test_id("detect").click()
    expect(page.get_by_test_id("detect-result")).to_contain_text("新认定 1 户")
    expect(page.get_by_test_id("worklist")).to_contain_text("罗秀兰")
    expect(page.get_by_test_id("worklist")).to_contain_text("何志强")
    shot(page, tmp_path, "employment-worklist.png")

    # The job seeker: recommendations, a Chinese search with reasons, apply.
    sign_in_page(page, base, site.citizen)
    page.goto(base + "/jobs")
    expect(page.locator(".card-title").first).to_contain_text("为您推荐")
    page.fill("#f-q", "我有叉车证")
    page.click("[data-testid=job-search] button[type=submit]")
    results = page.get_by_test_id("job-results").locator("article")
    expect(results.first).to_contain_text("叉车司机")
    expect(results.first.locator(".job-why")).to_contain_text("关键词匹配：叉车")
    expect(page.get_by_test_id("job-results")).not_to_contain_text("Java开发工程师")
    shot(page, tmp_path, "employment-jobs.png")
    results.first.locator("button", has_text="投递简历").click()
    expect(page.locator(".alert-success")).to_contain_text("投递成功")
    expect(page.get_by_test_id("my-applications")).to_contain_text("叉车司机")
    shot(page, tmp_path, "employment-my-jobs.png")

    # The employer posts a vacancy and hires the applicant.
    sign_in_page(page, base, site.employer)
    page.goto(base + "/employer/vacancies")
    page.fill("#f-title", "理货员")
    page.select_option("#f-occupation_code", "4-02")
    page.select_option("#f-region", "500103")
    page.select_option("#f-education_required", "2")
    page.fill("#f-pay_min", "4500")
    page.fill("#f-pay_max", "5500")
    page.fill("#f-description", "商品理货、上架")
    page.get_by_test_id("vacancy-form").locator("button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text("岗位已发布")
    expect(page.get_by_test_id("vacancies")).to_contain_text("理货员")
    shot(page, tmp_path, "employment-employer.png")
    page.get_by_test_id("vacancies").locator("tr", has_text="叉车司机").locator(
        "a", has_text="查看应聘人员").click()
    expect(page.get_by_test_id("applicants")).to_contain_text("罗秀兰")
    expect(page.get_by_test_id("applicants")).to_contain_text("**********")
    page.get_by_test_id("applicants").locator("[data-testid^=hire-]").first.click()
    expect(page.locator(".alert-success")).to_contain_text("已录用")
    expect(page.get_by_test_id("applicants")).to_contain_text("已录用")
    shot(page, tmp_path, "employment-applicants.png")

    # The household has left the work-list by itself.
    sign_in_page(page, base, site.clerk)
    page.goto(base + "/employment/zero-employment")
    expect(page.locator(".empty")).to_contain_text("暂无待安置")
    page.goto(base + "/employment")
    expect(page.get_by_test_id("urban-new-employment")).to_have_text("1")
    shot(page, tmp_path, "employment-indicators.png")
