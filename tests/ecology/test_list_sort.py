"""The ecology work-lists sort by the column a clerk clicks: the rows come in that order,
an unknown ``?sort=`` is the default order (never an error), and the export link of the
page holds the same rows in the same order."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests import factories as f
from tests.exports import sheet_rows
from tests.factories import ecology as h
from tests.live import sign_in

REGION = "500102"


def _link(page: str, testid: str) -> str:
    match = re.search(r'href="([^"]+)"[^>]*data-testid="' + testid + '"', page)
    assert match, f"no link {testid}"
    return html.unescape(match.group(1))


def _ids(page: str, kind: str) -> list[int]:
    """The record ids of the list's rows, in the order shown."""
    return [int(i) for i in re.findall(rf'data-testid="{kind}-row" data-{kind}="(\d+)"', page)]


class TestMines:
    def test_sorted_by_area_both_ways_and_exported_in_that_order(
            self, client: TestClient, session: Session) -> None:
        sides = [700.0, 300.0, 900.0, 500.0]
        made = []
        for n, side in enumerate(sides):
            lon, lat = h.offset(h.LON0, h.LAT0, 0, 2_000 * n)
            made.append(h.mine(session, name=f"排序矿{n}", region=REGION,
                               geometry=h.polygon(h.square(lon, lat, side))))
        sign_in(client, f.staff(session, "nr_officer", REGION))
        by_area = [m.id for m in sorted(made, key=lambda m: (m.record_area_m2, m.id))]
        page = client.get("/ecology/mines", params={"q": "排序矿", "sort": "area"}).text
        assert _ids(page, "mine") == by_area
        # The header offers the other direction and keeps the search.
        href = _link(page, "sort-area")
        assert "sort=-area" in href and "q=" in href
        assert _ids(client.get(href).text, "mine") == by_area[::-1]
        # The export link carries the order and the filter: the same rows, same order.
        export = _link(page, "export-xlsx")
        assert "sort=area" in export
        names = {m.id: m.name for m in made}
        rows = sheet_rows(client.get(export).content)
        assert [r[0] for r in rows[1:]] == [names[i] for i in by_area]

    def test_an_unknown_order_is_the_default(
            self, client: TestClient, session: Session) -> None:
        made = [h.mine(session, name=f"排序矿{n}", region=REGION,
                       geometry=h.polygon(h.square(*h.offset(h.LON0, h.LAT0, 0, 2_000 * i))))
                for i, n in enumerate([3, 1, 2])]
        sign_in(client, f.staff(session, "nr_officer", REGION))
        default = _ids(client.get("/ecology/mines", params={"q": "排序矿"}).text, "mine")
        # One district: the default order is by name.
        assert default == [m.id for m in sorted(made, key=lambda m: m.name)]
        for bogus in ("id;drop table mine", "-", "name desc", "x" * 300):
            response = client.get("/ecology/mines", params={"q": "排序矿", "sort": bogus})
            assert response.status_code == 200
            assert _ids(response.text, "mine") == default
            assert client.get("/ecology/mines.xlsx",
                              params={"q": "排序矿", "sort": bogus}).status_code == 200
