"""The defences in headless Chromium: the main pages run under the Content-Security-Policy
without a single violation, a form posted without its CSRF token is refused with a page
in Chinese, and after sign-out the Back button does not bring a person page back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.live import LiveServer, playwright_or_skip, watch_errors

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()

expect = sync_api.expect


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    watch_errors(page, errors)
    yield page, errors
    context.close()


def _sign_in(page: Any, server: LiveServer) -> None:
    page.goto(server.url + "/login")
    page.fill("#f-username", server.username)
    page.fill("#f-password", server.password)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("工作台")


def test_the_main_pages_run_without_a_policy_violation(
    live_server: LiveServer, page: tuple[Any, list[str]]
) -> None:
    tab, errors = page
    tab.goto(live_server.url + "/pension/estimate")  # public
    _sign_in(tab, live_server)
    links = tab.locator(".sidenav a.nav-link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) >= 5, hrefs
    person = live_server.people[0]
    visited = []
    for path in [*hrefs, f"/persons/{person.id}", "/persons/new", "/imports"]:
        response = tab.goto(live_server.url + path)
        assert response is not None and response.status < 500, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        tab.wait_for_load_state("networkidle")
        visited.append(path)
    # HTMX in action (live search) under the policy too.
    tab.goto(live_server.url + "/persons")
    tab.fill("#q", person.name[:2])
    expect(tab.locator("#person-results tbody tr")).to_have_count(1)
    assert errors == [], f"policy violations or script errors on {visited}: {errors}"


def test_a_violation_would_be_seen(live_server: LiveServer, page: tuple[Any, list[str]]) -> None:
    """The watch of the other tests works: an injected inline script is refused and
    reported."""
    tab, errors = page
    tab.goto(live_server.url + "/login")
    tab.evaluate("""() => {
        const s = document.createElement("script");
        s.textContent = "window.injected = true";
        document.body.appendChild(s);
    }""")
    expect(tab.locator("body")).to_be_visible()
    tab.wait_for_timeout(200)
    assert tab.evaluate("window.injected === undefined")
    assert any("Content Security Policy" in e for e in errors), errors
    errors.clear()


def test_a_form_without_its_token_is_refused_with_a_chinese_page(
    live_server: LiveServer, page: tuple[Any, list[str]]
) -> None:
    tab, errors = page
    _sign_in(tab, live_server)
    tab.goto(live_server.url + "/persons/new")
    # A page of another site could build the same form, but not the token.
    tab.evaluate("""() => document.querySelectorAll('meta[name="csrf-token"],'
                                                    + ' input[name="csrf_token"]')
                                  .forEach(e => e.remove())""")
    tab.fill("#f-name", "无令牌")
    tab.click("form.form button[type=submit]")
    expect(tab.locator("h1")).to_contain_text("请刷新页面后重试")
    expect(tab.locator(".error-code")).to_have_text("403")
    assert errors == []


def test_after_sign_out_back_does_not_show_the_person(
    live_server: LiveServer, page: tuple[Any, list[str]]
) -> None:
    tab, errors = page
    _sign_in(tab, live_server)
    person = live_server.people[1]
    tab.goto(f"{live_server.url}/persons/{person.id}")
    expect(tab.get_by_test_id("resident-id")).to_contain_text(person.resident_id)
    tab.click("text=退出登录")
    expect(tab).to_have_url(re.compile(r"/login$"))
    tab.go_back()
    expect(tab).to_have_url(re.compile(r"/login\?next="))
    assert person.resident_id not in tab.content()
    assert errors == []
