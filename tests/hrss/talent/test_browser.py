"""Talent records in headless Chromium: an employer declares an introduced talent from the
service hall; the clerk opens 人才服务 from the menu, finds the introduction, uploads a
certificate file with a bad row (the report names it, nothing is written), then the
corrected file, and finds the certificates under their level."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.live import (
    e2e_database,
    playwright_or_skip,
    seed,
    serve_on,
    shot,
    sign_in_page,
    watch_errors,
)

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()
expect = sync_api.expect


@dataclass
class Site:
    url: str
    talent: str
    holders: list[str]


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """渝中区: clerk ``rencai``; employer account ``firm-talent`` of 重庆两江智造有限公司;
    a talent 孙博 to introduce and two workers holding certificates."""
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "talent")
    with factory.begin() as session:
        seed(session)
        f.staff(session, "clerk", "500103", username="rencai", display_name="人才科王敏")
        firm = f.employer(session, name="重庆两江智造有限公司")
        security.add_user(session, actor=SYSTEM, username="firm-talent", role="employer",
                          password=f.PASSWORD, employer_id=firm.id,
                          display_name="两江智造人事部")
        talent = f.person(session, name="孙博")
        holders = [f.person(session, name=n).resident_id for n in ("李焊", "周车")]
        found = Site("", talent.resident_id, holders)
    with serve_on(url, engine, factory) as base:
        found.url = base
        yield found


def test_declare_then_import_certificates(site: Site, page: Any, tmp_path: Path) -> None:
    errors: list[str] = []
    watch_errors(page, errors)
    sign_in_page(page, site.url, "firm-talent")
    page.goto(site.url + "/my/talent/introductions")
    expect(page.locator("h1")).to_have_text("申报引进人才")
    form = page.locator("[data-testid=declare-form]")
    form.locator("#f-resident_id").fill(site.talent)
    form.locator("#f-category_code").select_option("D")
    form.locator("#f-introduced_on").fill("2020-11-21")
    form.locator("#f-project_name").fill("工业互联网平台")
    page.click("[data-testid=declare]")
    expect(page.locator("[data-testid=notice]")).to_contain_text("已申报")
    expect(page.locator("[data-testid=my-introductions]")).to_contain_text("工业互联网平台")
    shot(page, tmp_path, "talent-1-employer-declared.png")

    sign_in_page(page, site.url, "rencai")
    page.click("nav.sidenav >> text=人才服务")
    expect(page.locator("h1")).to_have_text("人才服务")
    page.click("[data-testid=talent-links] >> text=引进优秀紧缺人才")
    expect(page.locator("[data-testid=introduction-list]")).to_contain_text("孙博")
    expect(page.locator("[data-testid=introduction-list]")).to_contain_text("重庆两江智造有限公司")

    page.click("[data-testid=talent-links] >> text=批量导入")
    bad = tmp_path / "证书.csv"
    header = "公民身份号码,职业编码,等级,证书编号,发证日期\n"
    good_rows = (f"{site.holders[0]},6-18-01-01,高级工,SLJ20200001,2020-06-30\n"
                 f"{site.holders[1]},6-18-01-01,技师,SLJ20200002,2021-03-01\n")
    bad.write_text(header + good_rows + f"{site.holders[1]},6-18-01-01,9,SLJ20200003,"
                   "2021-03-01\n", encoding="utf-8")
    page.select_option("#f-kind", "skill-certificates")
    page.set_input_files("#f-file", str(bad))
    page.click("[data-testid=import]")
    report = page.locator("[data-testid=import-report]")
    expect(report).to_contain_text("共 3 行，其中 1 行有误")
    expect(page.locator("table").first).to_contain_text("职业技能等级应为1至5级")
    expect(page.locator("table").first).to_contain_text("职业技能等级")
    shot(page, tmp_path, "talent-2-import-report.png")

    good = tmp_path / "证书-改.csv"
    good.write_text(header + good_rows, encoding="utf-8")
    page.select_option("#f-kind", "skill-certificates")
    page.set_input_files("#f-file", str(good))
    page.click("[data-testid=import]")
    expect(page.locator("[data-testid=notice]")).to_contain_text("全部记录已入库")
    page.goto(site.url + "/talent/certificates?level=2")
    listing = page.locator("[data-testid=certificate-list]")
    expect(listing).to_contain_text("SLJ20200002")
    expect(listing).not_to_contain_text("SLJ20200001")
    shot(page, tmp_path, "talent-3-certificates.png")
    assert errors == []
