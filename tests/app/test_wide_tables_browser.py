"""Wide tables in headless Chromium, as the district clerk who works with them: at
1366×900 the last column (the action or amount) of the unemployment claims, a person's
contributions, an employer's monthly bill and a card's history (and of the employers in
arrears, the person search and the dispute list) lies within the screen;
at 390×844 (a phone) every row is a card whose every value, the last one too, is on
screen with its column's name before it. One screenshot per table and size.

The app runs on a database of its own (``<db>_e2e_lists`` or a temporary SQLite file).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.insurance.service import assessment
from minsheng.hrss.labour import service as labour
from minsheng.hrss.labour.schemas import DisputeCreate
from minsheng.platform import bulk
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.factories.unemployment import claim, insured
from tests.live import e2e_database, open_page, playwright_or_skip, serve_on, shot, sign_in_page

pytestmark = pytest.mark.browser

sync_api = playwright_or_skip()
expect = sync_api.expect

DISTRICT = "500103"  # 渝中区
CLERK = "lists_clerk"
EXTRA_CLAIMS = 50  # with the three pending: 53 claims, two pages of 50


@dataclass
class Site:
    base: str
    person_id: int
    employer_id: int
    card_holder_id: int


def _assess(session: Any, month: int) -> None:
    assessment._stage_rules(session, month, "50")
    insurance.assess_batch(session, period=month, prefix="50", low=0, high=2**31 - 1,
                           run_id=None)
    bulk.drop_temp_table(session, "assess_rule")


@pytest.fixture(scope="module")
def site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "lists")
    with factory.begin() as session:
        f.staff(session, "clerk", DISTRICT, username=CLERK)
        f.contribution_rule(session)
        employer = f.employer(session, region=DISTRICT, work_injury_risk_class=2,
                              name="重庆市渝中区解放碑商业管理有限责任公司")
        worker = f.person(session, name="欧阳明远")
        for scheme in ("employee_pension", "unemployment", "work_injury"):
            f.enrolment(session, worker.id, scheme, employer_id=employer.id,
                        declared_wage=Decimal("12345.67"))
        for month in (202401, 202402, 202403):
            _assess(session, month)
        # Claims waiting for a decision: their action column holds two forms.
        for n in range(3):
            claim(session, insured(session, employer=employer, region=DISTRICT,
                                   name=f"司马相如{n}")[0], date(2020, 1, 6), approve=False)
        # Enough decided claims for a second page of the list.
        for n in range(EXTRA_CLAIMS):
            claim(session, insured(session, employer=employer, region=DISTRICT,
                                   name=f"上官{n:02d}")[0], date(2020, 1, 6))
        holder = f.card(session, state="replaced", name="诸葛孔明").person_id
        labour.disputes.apply(session, SYSTEM, DisputeCreate(
            applicant_person_id=worker.id, employer_id=employer.id, claim_type="wages",
            amount=Decimal("123456.78"), received_on=date(2025, 6, 2)))
    with serve_on(url, engine, factory) as base:
        yield Site(base, worker.id, employer.id, holder)


#: Each wide table: its page, the table's test id, a name for the screenshot.
TABLES = [
    ("/unemployment", "claims", "claims"),
    ("/persons/{person}/insurance", "contributions-table", "contributions"),
    ("/employers/{employer}/insurance", "bill-table", "bill"),
    ("/cards/person/{holder}", "card-history-table", "card-history"),
    # Other lists made the same way.
    ("/insurance", "arrears-employers", "arrears"),
    ("/persons", "person-results-table", "persons"),
    ("/labour/disputes", "disputes-table", "disputes"),
]

#: In the page: the first body row's cells of a table, each with its box and the text
#: its ::before shows (the column's name in the card layout), and the viewport width.
_CELLS_JS = """(table) => {
  const row = table.querySelector("tbody tr");
  const cells = Array.from(row.children).map((cell) => {
    const box = cell.getBoundingClientRect();
    const before = getComputedStyle(cell, "::before").content;
    return {left: box.left, right: box.right, width: box.width, height: box.height,
            label: cell.getAttribute("data-label") || "", before: before,
            text: cell.innerText.trim()};
  });
  return {cells: cells, viewport: document.documentElement.clientWidth,
          scrollWidth: document.documentElement.scrollWidth};
}"""


def _last_column_on_screen(name: str, found: dict[str, Any]) -> None:
    last = found["cells"][-1]
    assert last["width"] > 0 and last["text"], f"{name}: the last column is empty"
    assert last["left"] >= 0 and last["right"] <= found["viewport"], (
        f"{name}: the last column ({last['label']}) lies at {last['left']:.0f}–"
        f"{last['right']:.0f} px, off a {found['viewport']} px screen")


def _open(page: Any, site: Site, path: str, testid: str) -> Any:
    page.goto(site.base + path.format(person=site.person_id, employer=site.employer_id,
                                      holder=site.card_holder_id))
    table = page.get_by_test_id(testid)
    expect(table).to_be_visible()
    table.scroll_into_view_if_needed()
    return table


@pytest.mark.parametrize(("path", "testid", "name"), TABLES, ids=[t[2] for t in TABLES])
def test_at_1366_the_last_column_is_on_screen(browser: Any, site: Site, tmp_path: Path,
                                              path: str, testid: str, name: str) -> None:
    with open_page(browser, width=1366, height=900) as page:
        sign_in_page(page, site.base, CLERK)
        table = _open(page, site, path, testid)
        shot(page, tmp_path, f"{name}-1366.png")
        found = table.evaluate(_CELLS_JS)
        _last_column_on_screen(name, found)
        # Nothing makes the page itself wider than the screen, and at this width the
        # table fits: no column lies hidden under the last one.
        assert found["scrollWidth"] <= found["viewport"]
        before_last, last = found["cells"][-2], found["cells"][-1]
        assert before_last["right"] <= last["left"] + 1, (
            f"{name}: {before_last['label']} lies under the last column")

        # A table wider than any screen (longer names, more columns) still keeps its last
        # column in view; without the wide-table frame it would not, which is what the
        # check above would then report.
        table.evaluate("(t) => { t.style.minWidth = '2600px'; }")
        _last_column_on_screen(name, table.evaluate(_CELLS_JS))
        table.evaluate("(t) => t.closest('.table-wrap').classList.remove('list-wide')")
        cut = table.evaluate(_CELLS_JS)
        assert cut["cells"][-1]["right"] > cut["viewport"], f"{name}: the check cannot fail"


@pytest.mark.parametrize(("path", "testid", "name"), TABLES, ids=[t[2] for t in TABLES])
def test_on_a_phone_each_row_is_a_card_showing_every_value(
    browser: Any, site: Site, tmp_path: Path, path: str, testid: str, name: str
) -> None:
    with open_page(browser, width=390, height=844) as page:
        sign_in_page(page, site.base, CLERK)
        table = _open(page, site, path, testid)
        shot(page, tmp_path, f"{name}-390.png")
        found = table.evaluate(_CELLS_JS)
        assert found["scrollWidth"] <= found["viewport"], f"{name}: the page scrolls sideways"
        _last_column_on_screen(name, found)
        for cell in found["cells"]:
            where = f"{name}: {cell['label'] or cell['text']!r}"
            assert cell["width"] > 0 and cell["height"] > 0, f"{where} is hidden"
            assert cell["left"] >= 0 and cell["right"] <= found["viewport"], (
                f"{where} lies at {cell['left']:.0f}–{cell['right']:.0f} px, "
                f"off a {found['viewport']} px screen")
        for cell in found["cells"]:
            # The card names each value by its column.
            assert cell["label"] and cell["before"] == f'"{cell["label"]}"', (
                f"{name}: {cell['text']!r} shows no column name")
        # The header row is hidden: the cards carry its names.
        assert not table.locator("thead").is_visible()


def test_the_claims_list_searches_as_you_type_and_jumps_to_a_page(
    browser: Any, site: Site, tmp_path: Path
) -> None:
    with open_page(browser, width=1366, height=900) as page:
        sign_in_page(page, site.base, CLERK)
        page.goto(site.base + "/unemployment#claims")
        rows = page.get_by_test_id("claim-row")
        expect(rows).to_have_count(50)
        claims = page.locator("#claims-list")
        expect(claims.get_by_test_id("pager-info")).to_contain_text("第 1 / 2 页，共 53 条")
        jump = claims.get_by_test_id("pager-jump")
        jump.locator("input[type=number]").fill("2")
        jump.locator("button").click()
        expect(rows).to_have_count(3)
        expect(claims.get_by_test_id("pager-current")).to_have_text("2")
        assert "cpage=2" in page.url
        shot(page, tmp_path, "claims-page-2.png")

        # Typing a name narrows the list without a page load; the sort order stays.
        claims.get_by_test_id("sort-name").click()
        page.wait_for_url("**csort=name**")
        page.fill("#claims-q", "司马")
        expect(rows).to_have_count(3)
        assert "cq=" in page.url and "csort=name" in page.url
        names = [t.strip() for t in rows.locator("td[data-label='姓名']").all_inner_texts()]
        assert sorted(names) == names and all(n.startswith("司马") for n in names)


def test_a_search_box_answers_as_the_clerk_types(browser: Any, site: Site) -> None:
    with open_page(browser, width=390, height=844) as page:
        sign_in_page(page, site.base, CLERK)
        page.goto(site.base + "/pension")
        page.evaluate("window.__same_page = true")
        page.fill("#q", "诸葛")
        results = page.locator("#pension-person-results")
        expect(results).to_contain_text("诸葛孔明")
        assert "q=" in page.url
        # Swapped in place: the page itself was not loaded again.
        assert page.evaluate("window.__same_page === true")
