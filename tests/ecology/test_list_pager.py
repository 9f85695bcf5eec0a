"""The ecology lists page through the shared pager: page numbers, a jump and the total,
with the search and status filter kept in every link."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.ecology.mines import pages as mine_pages
from tests import factories as f
from tests.factories import ecology as h
from tests.live import sign_in


def test_the_mine_list_pages_with_numbers_a_jump_and_its_filters(
        client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mine_pages, "PAGE_SIZE", 2)
    for n in range(5):
        lon, lat = h.offset(h.LON0, h.LAT0, 0, 1_500 * n)
        h.mine(session, name=f"分页矿{n}", geometry=h.polygon(h.square(lon, lat, 200.0)))
    sign_in(client, f.staff(session, "nr_officer", "500102"))
    page = html.unescape(client.get("/ecology/mines", params={"q": "分页矿",
                                                             "status": "operating"}).text)
    assert "第 1 / 3 页，共 5 条" in page
    assert 'href="/ecology/mines?q=%E5%88%86%E9%A1%B5%E7%9F%BF&status=operating&page=3"' in page
    assert "跳转到第" in page and '<input type="hidden" name="status" value="operating">' in page
    last = client.get("/ecology/mines", params={"q": "分页矿", "status": "operating",
                                                "page": 3}).text
    assert "第 3 / 3 页" in last and last.count('">分页矿') == 1
