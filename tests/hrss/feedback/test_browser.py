"""Feedback in headless Chromium: a citizen opens 意见建议 from the service hall, is told
what is wrong with a half-filled form, sends it; the 渝中区 clerk finds it on the
workbench and in the list (an overdue one first, in red), replies; the citizen reads the
reply."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.hrss.feedback._build import submit
from tests.live import e2e_database, playwright_or_skip, seed, serve_on, shot, sign_in_page

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()
expect = sync_api.expect


@dataclass
class Site:
    url: str
    overdue_id: int


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """渝中区: clerk ``yijian`` and citizen ``fb-li`` (李群众); another resident's
    complaint sent 40 days ago and never answered (overdue)."""
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "feedback")
    with factory.begin() as session:
        seed(session)
        f.staff(session, "clerk", "500103", username="yijian", display_name="意见建议专员")
        li = f.person(session, name="李群众")
        security.add_user(session, actor=SYSTEM, username="fb-li", role="citizen",
                          password=f.PASSWORD, person_id=li.id, display_name="李群众")
        other = f.person(session, name="吴其他")
        account = security.add_user(session, actor=SYSTEM, username="fb-wu", role="citizen",
                                    password=f.PASSWORD, person_id=other.id)
        late = submit(session, security.principal_of(account), kind="complaint",
                      subject="电话长期无人接听", on=date.today() - timedelta(days=40))
        site = Site("", late.id)
    with serve_on(url, engine, factory) as base:
        site.url = base
        yield site


def test_a_citizen_writes_and_a_clerk_replies(site: Site, page: Any, tmp_path: Path) -> None:
    sign_in_page(page, site.url, "fb-li")
    page.click("[data-testid=hall-feedback]")
    expect(page.locator("h1")).to_have_text("意见建议")
    form = page.locator("[data-testid=feedback-form]")
    form.locator("#f-subject").fill("办")
    form.locator("button[type=submit]").click()
    expect(page.locator("#kind-error")).to_contain_text("请选择")
    expect(page.locator("#subject-error")).to_contain_text("至少 2 个字")
    expect(page.locator("#text-error")).to_contain_text("请填写内容")
    expect(page.locator("#f-subject")).to_have_value("办")
    shot(page, tmp_path, "feedback-1-refused.png")
    page.check("input[name=kind][value=suggestion]")
    page.fill("#f-subject", "建议增加自助服务终端")
    page.fill("#f-text", "服务大厅社保卡补换排队时间较长，建议增加自助服务终端。")
    page.fill("#f-phone", "13800138000")
    page.locator("[data-testid=feedback-form] button[type=submit]").click()
    expect(page.locator("[data-testid=notice]")).to_contain_text("已提交")
    expect(page.locator("[data-testid=my-feedback]")).to_contain_text("待答复")

    sign_in_page(page, site.url, "yijian")
    todo = page.get_by_test_id("todo-feedback.reply")
    expect(todo.get_by_test_id("todo-count")).to_have_text("2")
    expect(todo).to_contain_text("已逾期 1 件")
    todo.locator("a").click()
    first = page.locator("[data-testid=feedback-list] tbody tr").first
    expect(first).to_have_attribute("data-testid", f"feedback-{site.overdue_id}")
    expect(first).to_have_class("row-bad")
    expect(first.locator("[data-overdue]")).to_contain_text("已超期")
    shot(page, tmp_path, "feedback-2-list.png")
    page.click("text=建议增加自助服务终端")
    expect(page.get_by_test_id("phone")).to_have_text("13800138000")
    page.fill("#f-reply", "已协调在服务大厅增设两台自助服务终端，感谢您的建议。")
    page.locator("[data-testid=reply-form] button[type=submit]").click()
    expect(page.locator("[data-testid=notice]")).to_contain_text("已答复")
    shot(page, tmp_path, "feedback-3-replied.png")

    sign_in_page(page, site.url, "fb-li")
    page.goto(site.url + "/my/feedback")
    expect(page.locator("[data-testid=my-feedback]")).to_contain_text("增设两台自助服务终端")
    shot(page, tmp_path, "feedback-4-mine.png")
