"""The person search sorted by the column a clerk clicks: the order stays in the search
box, the pager and the export, whose rows come in the same order."""

from __future__ import annotations

import html
import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests import factories as f
from tests.exports import sheet_rows
from tests.live import sign_in

REGION = "500154"  # 开州区


def _ids(page: str) -> list[int]:
    table = page[page.index('data-testid="person-results-table"'):]
    return [int(i) for i in re.findall(r'<a href="/persons/(\d+)" class="strong-link">', table)]


class TestPersonOrder:
    def test_by_birth_date_both_ways_and_exported_so(
        self, client: TestClient, session: Session
    ) -> None:
        born = [date(1990, 5, 1), date(1970, 1, 1), date(1985, 3, 1)]
        people = [f.person(session, name=f"排序{n}", residence_region=REGION,
                           resident_id=f.resident_id(REGION, birth=b))
                  for n, b in enumerate(born)]
        sign_in(client, f.staff(session, "clerk", REGION))
        oldest_first = [p.id for p in sorted(people, key=lambda p: p.birth_date)]
        page = client.get("/persons", params={"q": "排序", "sort": "birth"}).text
        assert _ids(page) == oldest_first
        assert 'name="sort" value="birth"' in page  # typing keeps the order
        header = re.search(r'href="([^"]+)"[^>]*data-testid="sort-birth"', page)
        assert header and "sort=-birth" in html.unescape(header.group(1))
        youngest = client.get(html.unescape(header.group(1))).text
        assert _ids(youngest) == oldest_first[::-1]
        export = re.search(r'href="([^"]+)"[^>]*data-testid="export-xlsx"', page)
        assert export and "sort=birth" in html.unescape(export.group(1))
        rows = sheet_rows(client.get(html.unescape(export.group(1))).content)
        assert [r[0] for r in rows[1:]] == oldest_first
        # An unknown order is the default (registration order), never an error.
        default = client.get("/persons", params={"q": "排序", "sort": "birth'--"})
        assert default.status_code == 200 and _ids(default.text) == sorted(oldest_first)
