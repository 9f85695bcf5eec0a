"""The public pension estimator in headless Chromium: no sign-in, an employee estimate
with every input shown, a not-yet-eligible answer, the resident scheme (its own fields),
and a field error next to its field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import factories as f
from tests.live import e2e_database, open_page, playwright_or_skip, serve_on, shot

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()

expect = sync_api.expect


@pytest.fixture(scope="module")
def estimator_server(database_url: str, tmp_path_factory: pytest.TempPathFactory
                     ) -> Iterator[str]:
    """The real app served on a migrated database of its own with Chongqing's
    contribution rule (average wage 8,000, base 60 %–300 %): the estimator stores
    nothing but reads the rulebook (index bounds, the wage it pre-fills)."""
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "estimator")
    with factory.begin() as session:
        f.contribution_rule(session)
    with serve_on(url, engine, factory) as base:
        yield base


def _fill_employee(page: Any, *, birth: str, retirement: str, years: str, months: str) -> None:
    page.check("#scheme-employee", force=True)
    page.fill("#f-birth_date", birth)
    page.select_option("#f-category", "male")
    page.fill("#f-retirement_date", retirement)
    page.fill("#f-contribution_years", years)
    page.fill("#f-contribution_extra_months", months)
    page.fill("#f-average_index", "1.2")
    page.fill("#f-local_average_wage", "8000")
    page.fill("#f-account_balance", "120000")


def test_citizen_estimates_a_pension(estimator_server: str, page: Any, tmp_path: Path) -> None:
    response = page.goto(estimator_server + "/pension/estimate")
    assert response is not None and response.status == 200
    expect(page).to_have_url(estimator_server + "/pension/estimate")  # no login redirect
    expect(page.get_by_role("heading", name="养老金测算")).to_be_visible()
    expect(page.get_by_test_id("estimate-result")).to_contain_text("填写左侧信息")
    # The average wage comes from the rule in force, not from the visitor.
    expect(page.locator("#f-local_average_wage")).to_have_value("8000.00")
    expect(page.get_by_test_id("prefill")).to_contain_text("按现行缴费参数预填")

    # An employee retiring at the statutory age (born 1965-05 → 60y2m, July 2025).
    _fill_employee(page, birth="1965-05-10", retirement="", years="31", months="0")
    page.get_by_role("button", name="开始测算").click()
    result = page.get_by_test_id("estimate-result")
    expect(page.get_by_test_id("total")).to_contain_text("3,591.31")
    expect(result.get_by_test_id("eligibility")).to_have_text("符合按月领取条件")
    expect(result.get_by_test_id("basic-pension")).to_have_text("2,728.00")
    expect(result.get_by_test_id("account-pension")).to_have_text("863.31")
    inputs = result.get_by_test_id("inputs")
    expect(inputs).to_contain_text("2025-07-10")
    expect(inputs).to_contain_text("按法定退休年龄推算")
    expect(inputs).to_contain_text("60岁2个月")
    expect(inputs).to_contain_text("9,600.00")  # indexed wage
    expect(inputs).to_contain_text("139")
    # HTMX swapped the panel in place: still on the page, form kept its values.
    expect(page).to_have_url(estimator_server + "/pension/estimate")
    expect(page.locator("#f-contribution_years")).to_have_value("31")
    shot(page, tmp_path, "estimator.png")

    # Too few years for 2032 (needs 198 months): not eligible, 8 months missing (a woman
    # worker born 1971-03, statutory age 50 reached in 2021).
    _fill_employee(page, birth="1971-03-01", retirement="2032-03-01", years="15", months="10")
    page.select_option("#f-category", "female_worker")
    page.get_by_role("button", name="开始测算").click()
    expect(page.get_by_test_id("missing-months")).to_have_text("8")
    expect(page.get_by_test_id("explanation")).to_contain_text("最低缴费年限为16年6个月")
    shot(page, tmp_path, "estimator-not-eligible.png")

    # A field error is shown next to its field.
    page.fill("#f-average_index", "3.5")
    page.fill("#f-retirement_date", "2030-03-01")
    page.get_by_role("button", name="开始测算").click()
    expect(page.locator("#average_index-error")).to_contain_text("0.6 至 3 之间")
    expect(page.locator("#f-average_index")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("form-errors")).to_be_visible()

    # A man born 1970-01 at 55: refused, naming his statutory date (61y4m, 2031-05-15).
    page.fill("#f-average_index", "1.2")
    _fill_employee(page, birth="1970-01-15", retirement="2025-01-15", years="30", months="0")
    page.get_by_role("button", name="开始测算").click()
    expect(page.locator("#retirement_date-error")).to_contain_text("2031-05-15")
    shot(page, tmp_path, "estimator-before-statutory.png")

    # The resident scheme hides the employee fields and asks for the basic pension.
    page.locator("label.segment", has_text="城乡居民基本养老保险").click()
    expect(page.locator("#f-average_index")).to_be_hidden()
    expect(page.locator("#f-basic_pension")).to_be_visible()
    page.fill("#f-birth_date", "1964-03-01")
    page.fill("#f-retirement_date", "")
    page.fill("#f-contribution_years", "15")
    page.fill("#f-contribution_extra_months", "0")
    page.fill("#f-basic_pension", "200")
    page.fill("#f-account_balance", "27800")
    page.get_by_role("button", name="开始测算").click()
    expect(page.get_by_test_id("total")).to_contain_text("400.00")
    expect(page.get_by_test_id("inputs")).to_contain_text("按年满60周岁推算")
    shot(page, tmp_path, "estimator-resident.png")


def test_estimator_on_a_phone(estimator_server: str, browser: Any, tmp_path: Path) -> None:
    with open_page(browser, width=390, height=844) as page:
        page.goto(estimator_server + "/pension/estimate")
        _fill_employee(page, birth="1965-05-10", retirement="2025-07-10", years="31",
                       months="0")
        page.get_by_role("button", name="开始测算").click()
        expect(page.get_by_test_id("total")).to_contain_text("3,591.31")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        shot(page, tmp_path, "estimator-phone.png")
