"""The certification due-list sorted by the column a clerk clicks: the order stays in the
URL (pager, export, the window filter) and the export holds the list's rows in its order."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests import factories as f
from tests.exports import sheet_rows
from tests.hrss.pension.test_pages import TODAY, _recipient, add_months_day
from tests.live import sign_in


def _listed(page: str) -> list[int]:
    return [int(p) for p in re.findall(r'data-person="(\d+)"', page)]


class TestDueOrder:
    def test_sorted_by_last_certification_both_ways_and_exported_so(
        self, client: TestClient, session: Session
    ) -> None:
        f.contribution_rule(session)
        made = [_recipient(session, last_certified=add_months_day(TODAY, -months))
                for months in (11, 13, 12)]
        sign_in(client, f.staff(session, "clerk", "500103"))
        default = _listed(client.get("/pension").text)
        oldest_first = [made[1].id, made[2].id, made[0].id]
        assert default == oldest_first  # the earliest deadline first
        page = client.get("/pension", params={"sort": "-last"}).text
        assert _listed(page) == oldest_first[::-1]
        assert 'name="sort" value="-last"' in page  # the window filter keeps it
        header = re.search(r'href="([^"]+)"[^>]*data-testid="sort-last"', page)
        assert header and "sort=last" in html.unescape(header.group(1))
        export = re.search(r'href="([^"]+)"[^>]*data-testid="export-xlsx"', page)
        assert export and "sort=-last" in html.unescape(export.group(1))
        rows = sheet_rows(client.get(html.unescape(export.group(1))).content)
        assert rows[0][:5] == ("人员编号", "姓名", "居住地", "上次认证", "认证截止")
        assert [r[0] for r in rows[1:]] == oldest_first[::-1]
        assert _listed(client.get("/pension", params={"sort": "due;--"}).text) == default
