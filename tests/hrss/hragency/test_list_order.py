"""The licence registry sorts by the column a clerk clicks: the order is checked against
one computed here from the licences made, an unknown order is the default (never an
error), and the export link of the page holds the rows in the page's order."""

from __future__ import annotations

import html
import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.hragency import service
from minsheng.hrss.hragency.schemas import LicenceCreate
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.exports import sheet_rows
from tests.live import sign_in

REGION = "500103"
# Licence numbers and issue dates in different orders.
LICENCES = [("渝人服证字2023002", date(2023, 5, 1)), ("渝人服证字2023003", date(2021, 3, 1)),
            ("渝人服证字2023001", date(2022, 8, 1))]


def _link(page: str, testid: str) -> str:
    match = re.search(r'href="([^"]+)"[^>]*data-testid="' + testid + '"', page)
    assert match, f"no link {testid}"
    return html.unescape(match.group(1))


def _made(session: Session) -> dict[str, int]:
    made = {}
    for no, issued in LICENCES:
        employer = f.employer(session, region=REGION, name=f"{no}人力资源公司")
        made[no] = service.register(session, SYSTEM, LicenceCreate(
            licence_no=no, employer_id=employer.id, scope=["job_intermediary"],
            issued_on=issued, valid_until=date(2030, 12, 31))).id
    return made


def _shown(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="licence-row" data-licence="(\d+)"', page)]


def test_the_registry_sorts_by_a_column_and_exports_in_that_order(
    client: TestClient, session: Session
) -> None:
    made = _made(session)
    sign_in(client, f.staff(session, "clerk", REGION))
    by_issued = [no for no, _ in sorted(LICENCES, key=lambda lic: lic[1])]
    page = client.get("/talent/agencies", params={"sort": "issued", "year": 2024}).text
    assert _shown(page) == [made[no] for no in by_issued]
    header = _link(page, "sort-issued")
    assert "sort=-issued" in header and "year=2024" in header
    assert _shown(client.get(header).text) == [made[no] for no in reversed(by_issued)]
    assert 'name="sort" value="issued"' in page
    export = _link(page.split('data-testid="registry"')[1], "export-xlsx")
    assert "sort=issued" in export and export.startswith("/talent/agencies.xlsx?")
    rows = sheet_rows(client.get(export).content)
    assert [r[0] for r in rows[1:]] == by_issued


def test_an_unknown_order_is_the_default(client: TestClient, session: Session) -> None:
    made = _made(session)
    sign_in(client, f.staff(session, "clerk", REGION))
    by_number = [made[no] for no in sorted(made)]  # one district: by licence number
    assert _shown(client.get("/talent/agencies").text) == by_number
    for bogus in ("id;drop table person", "-", "issued desc", "x" * 300):
        response = client.get("/talent/agencies", params={"sort": bogus})
        assert response.status_code == 200
        assert _shown(response.text) == by_number
        assert client.get("/talent/agencies.xlsx", params={"sort": bogus}).status_code == 200
