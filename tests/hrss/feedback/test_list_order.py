"""The staff feedback list sorts by the column clicked: the order is checked against one
computed here from the feedback made, an unknown order is the default (open ones by
deadline, never an error), the filters stay in the headers, and the export link holds
the rows in the order shown."""

from __future__ import annotations

import html
import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.feedback.models import Feedback
from tests import factories as f
from tests.exports import sheet_rows
from tests.hrss.feedback._build import citizen, submit
from tests.live import sign_in

REGION = "500156"
# Submitted out of order: the ids, the days and the deadlines each give another order.
DAYS = (date(2025, 3, 10), date(2025, 3, 3), date(2025, 3, 17))


def _made(session: Session) -> list[Feedback]:
    me = citizen(session, REGION, name="周排序")
    return [submit(session, me, on=day, subject=f"排序测试{n}") for n, day in enumerate(DAYS)]


def _listed(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="feedback-(\d+)"', page)]


def _link(page: str, testid: str) -> str:
    match = re.search(r'href="([^"]+)"[^>]*data-testid="' + testid + '"', page)
    assert match, f"no link {testid}"
    return html.unescape(match.group(1))


def test_sorted_by_submission_day_newest_first_and_exported_in_that_order(
    client: TestClient, session: Session
) -> None:
    made = _made(session)
    sign_in(client, f.staff(session, "clerk", REGION))
    page = client.get("/feedback", params={"q": "排序测试", "sort": "-submitted"}).text
    shown = _listed(page)
    assert shown == [x.id for x in sorted(made, key=lambda x: x.submitted_on, reverse=True)]
    header = _link(page, "sort-id")
    assert "sort=id" in header and "q=" in header
    export = _link(page, "export-xlsx")
    assert "sort=-submitted" in export
    rows = sheet_rows(client.get(export).content)
    assert [r[0] for r in rows[1:]] == shown
    by_id = _listed(client.get("/feedback", params={"sort": "id"}).text)
    assert by_id == sorted(x.id for x in made)


def test_an_unknown_order_is_the_nearest_deadline_first(
    client: TestClient, session: Session
) -> None:
    made = _made(session)
    sign_in(client, f.staff(session, "clerk", REGION))
    default = _listed(client.get("/feedback").text)
    assert default == [x.id for x in sorted(made, key=lambda x: x.due_on)]
    for bogus in ("id;drop table feedback", "-", "due_on desc", "x" * 500):
        response = client.get("/feedback", params={"sort": bogus})
        assert response.status_code == 200
        assert _listed(response.text) == default
        assert client.get("/feedback.xlsx", params={"sort": bogus}).status_code == 200
