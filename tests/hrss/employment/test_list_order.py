"""The zero-employment work-list sorts by the column clicked: the order is checked against
one computed here from the cases made, an unknown order is the default (nearest deadline
first, never an error), and the export link holds the rows in the order shown."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.employment.models import ZeroEmploymentCase
from minsheng.hrss.registry.models import Household
from tests import factories as f
from tests.exports import sheet_rows
from tests.factories.employment import household, member, register_unemployed
from tests.live import sign_in

REGION = "500156"  # 武隆区
PATH = "/employment/zero-employment"


def _link(page: str, testid: str) -> str:
    match = re.search(r'href="([^"]+)"[^>]*data-testid="' + testid + '"', page)
    assert match, f"no link {testid}"
    return html.unescape(match.group(1))


def _listed(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="case-(\d+)"', page)]


def _cases(client: TestClient, session: Session) -> dict[int, tuple[str, date, date]]:
    """Four open cases, each detected on another day with deadlines in another order;
    ``{case id: (household no, detected, deadline)}``."""
    for n in range(4):
        hh = household(session, region=REGION)
        head = member(session, hh, "head", birth=date(1980, 1, 1), name=f"武隆户主{n}")
        register_unemployed(session, head, date(2026, 1, 5))
    sign_in(client, f.staff(session, "clerk", REGION))
    client.post(f"{PATH}/detect")
    cases = list(session.scalars(select(ZeroEmploymentCase)
                                 .where(ZeroEmploymentCase.region == REGION)))
    assert len(cases) == 4
    for case, (detected, days) in zip(cases, ((3, 40), (1, 10), (4, 20), (2, 30)), strict=True):
        case.detected_date = date(2026, 2, detected)
        case.deadline = date(2026, 3, 1) + timedelta(days=days)
    session.flush()
    numbers = {i: no for i, no in session.execute(select(Household.id, Household.household_no))}
    return {c.id: (numbers[c.household_id], c.detected_date, c.deadline) for c in cases}


class TestZeroEmploymentOrder:
    def test_sorted_by_detection_day_and_by_household_and_exported_in_that_order(
        self, client: TestClient, session: Session
    ) -> None:
        made = _cases(client, session)
        page = client.get(PATH, params={"sort": "detected"}).text
        assert _listed(page) == sorted(made, key=lambda i: made[i][1])
        header = _link(page, "sort-detected")
        assert "sort=-detected" in header
        page = client.get(PATH, params={"sort": "-household"}).text
        shown = _listed(page)
        assert shown == sorted(made, key=lambda i: made[i][0], reverse=True)
        export = _link(page, "export-xlsx")
        assert "sort=-household" in export
        rows = sheet_rows(client.get(export).content)
        assert [r[0] for r in rows[1:]] == [made[i][0] for i in shown]

    def test_an_unknown_order_is_the_nearest_deadline_first(
        self, client: TestClient, session: Session
    ) -> None:
        made = _cases(client, session)
        default = _listed(client.get(PATH).text)
        assert default == sorted(made, key=lambda i: made[i][2])
        for bogus in ("id;drop table household", "-", "deadline desc", "x" * 500):
            response = client.get(PATH, params={"sort": bogus})
            assert response.status_code == 200
            assert _listed(response.text) == default
            assert client.get(f"{PATH}.xlsx", params={"sort": bogus}).status_code == 200
