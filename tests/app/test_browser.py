"""End to end in headless Chromium: a clerk signs in, finds and opens a person,
registers a new one (after a refused ID), and imports a CSV with a good and a bad row."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from stdnum.cn import ric

from tests import factories as f
from tests.live import LiveServer, playwright_or_skip, shot

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()

expect = sync_api.expect



def test_clerk_day_at_the_counter(live_server: LiveServer, page: Any, tmp_path: Path) -> None:
    base = live_server.url

    # Anonymous: sent to the login page, then back where they were heading.
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))
    page.fill("#f-username", live_server.username)
    page.fill("#f-password", "wrong-password")
    page.click("button[type=submit]")
    expect(page.locator(".alert-error")).to_contain_text("用户名或密码错误")
    page.fill("#f-password", live_server.password)
    page.click("button[type=submit]")

    # The workbench: header, navigation, counts of the clerk's district only.
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.get_by_test_id("user-name")).to_have_text("王芳")
    expect(page.locator(".topbar")).to_contain_text("窗口经办员")
    expect(page.locator(".topbar")).to_contain_text("渝中区")
    expect(page.get_by_test_id("person-count")).to_have_text(str(len(live_server.people)))
    expect(page.locator(".sidenav")).to_contain_text("跨省通办")
    shot(page, tmp_path, "workbench.png")

    # Live search by name; the result opens the person's detail with the full ID.
    page.click(".sidenav >> text=人员登记")
    expect(page.locator("h1")).to_have_text("人员查询")
    shot(page, tmp_path, "persons.png")
    target = live_server.people[0]
    page.fill("#q", target.name[:2])
    rows = page.locator("#person-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(target.resident_id[:4] + "**********")
    expect(page).to_have_url(re.compile(r"/persons\?q="))
    rows.first.locator(f"text={target.name}").click()
    expect(page.locator("h1")).to_contain_text(target.name)
    expect(page.get_by_test_id("resident-id")).to_contain_text(target.resident_id)
    expect(page.get_by_test_id("household")).to_contain_text("户主")
    shot(page, tmp_path, "person-detail.png")

    # Register a new person: a wrong check digit is refused next to the field.
    page.goto(base + "/persons/new")
    good_id = f.resident_id("500103")
    page.fill("#f-resident_id", f.bad_check_digit(good_id))
    page.fill("#f-name", "钱多多")
    page.fill("#f-phone", "13911112222")
    page.fill("#f-hukou_region", "500103")
    page.select_option("#f-residence_region", "500103")
    page.select_option("#f-hukou_type", "urban")
    page.click("form.form button[type=submit]")
    expect(page.locator("#resident_id-error")).to_contain_text("校验码错误")
    expect(page.locator("#f-name")).to_have_value("钱多多")
    shot(page, tmp_path, "person-new-error.png")
    page.fill("#f-resident_id", good_id)
    page.click("form.form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("登记成功")
    expect(page.get_by_test_id("resident-id")).to_contain_text(good_id)

    # Import a CSV with one good and one bad row and read the report.
    page.click(".sidenav >> text=批量导入")
    expect(page.get_by_test_id("person-columns")).to_contain_text(
        "公民身份号码，姓名，联系电话，户籍地区划，居住地区划，户口性质")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["resident_id", "name", "phone", "hukou_region", "residence_region",
                     "hukou_type"])
    writer.writerow([f.resident_id("500103"), "孔一", "13800001111", "500103", "500103", "城镇"])
    bad = f.bad_check_digit(f.resident_id("500103"))
    assert not ric.is_valid(bad)
    writer.writerow([bad, "孔二", "", "500103", "500103", "rural"])
    page.set_input_files("#f-file", files=[{
        "name": "人员名单.csv", "mimeType": "text/csv", "buffer": out.getvalue().encode("utf-8")}])
    page.click("text=上传并导入")
    report = page.get_by_test_id("import-report")
    expect(report).to_be_visible()
    expect(page.get_by_test_id("total-rows")).to_have_text("2")
    expect(page.get_by_test_id("inserted-rows")).to_have_text("1")
    expect(page.get_by_test_id("error-rows")).to_have_text("1")
    expect(report.locator("tbody tr")).to_have_count(1)
    expect(report.locator("tbody tr").first).to_contain_text("校验码错误")
    expect(report.locator("a[href$='/errors.xlsx']")).to_be_visible()
    picture = shot(page, tmp_path, "import-report.png")
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shot(page, tmp_path, "import-report.png")

    # Sign out: the cookie is gone and pages send the clerk back to the login form.
    page.click("text=退出登录")
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto(base + "/persons")
    expect(page).to_have_url(re.compile(r"/login\?next=/persons$"))
