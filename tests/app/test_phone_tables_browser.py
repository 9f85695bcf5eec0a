"""The citizen's and the employer's own pages on a phone (390×844), in headless Chromium on
the demo city: every table cell lies on screen (a table becomes cards, each value with its
column's name), so nothing needs a sideways scroll to read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from minsheng.app import demo
from tests.live import DemoSite, open_page, playwright_or_skip, shot, sign_in_page

pytestmark = pytest.mark.browser

playwright_or_skip()

WIDTH = 390
PAGES = {
    "citizen": ["/", "/my/insurance", "/my/card", "/my/cases", "/my/feedback", "/my/pension",
                "/my/unemployment", "/my/labour", "/my/talent/card", "/my/talent/file",
                "/my/jobs"],
    "employer": ["/", "/my/cases", "/my/feedback", "/my/refunds", "/my/labour/contracts",
                 "/my/talent/agency", "/my/talent/introductions"],
}
#: Every table cell's box that reaches past the screen's right edge (or starts left of it).
OFF_SCREEN = """(width) => [...document.querySelectorAll('table td, table th')]
  .filter((cell) => cell.offsetParent !== null)
  .map((cell) => [cell.getBoundingClientRect(), cell])
  .filter(([box]) => box.width > 0 && (box.left < -1 || box.right > width + 1))
  .map(([box, cell]) => (cell.closest('table').dataset.testid || cell.closest('table').className)
       + ': ' + cell.textContent.trim().slice(0, 20))"""


@pytest.mark.parametrize("username", sorted(PAGES))
def test_every_table_cell_is_on_a_phone_screen(browser: Any, demo_site: DemoSite,
                                               username: str, tmp_path: Path) -> None:
    off: dict[str, list[str]] = {}
    with open_page(browser, width=WIDTH, height=844) as page:
        sign_in_page(page, demo_site.url, username, demo.DEMO_PASSWORD)
        for path in PAGES[username]:
            answer = page.goto(demo_site.url + path)
            assert answer is not None and answer.status == 200, path
            cells = page.evaluate(OFF_SCREEN, WIDTH)
            if cells:
                off[path] = cells[:5]
                shot(page, tmp_path, f"{username}{path.replace('/', '-')}.png")
    assert off == {}, off
