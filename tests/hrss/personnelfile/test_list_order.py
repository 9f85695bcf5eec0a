"""The in-transit transfer list sorts by the column a clerk clicks (``tsort``, the page
holds three lists): the order is checked against one computed here from the transfers
made, an unknown order is the default (never an error), and the export link of the page
holds the rows in the page's order."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.personnelfile.models import FileTransfer
from minsheng.hrss.personnelfile.service import transfers
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.exports import sheet_rows
from tests.hrss.personnelfile._build import custodian, held_file
from tests.live import sign_in


def _link(page: str, testid: str) -> str:
    match = re.search(r'href="([^"]+)"[^>]*data-testid="' + testid + '"', page)
    assert match, f"no link {testid}"
    return html.unescape(match.group(1))


def _made(session: Session) -> list[FileTransfer]:
    yuzhong = custodian(session, "YZ-RC", "500103")
    fuling = custodian(session, "FL-RC", "500102")
    made = []
    for n, days in enumerate([5, 40, 20]):
        person, _ = held_file(session, yuzhong, name=f"转递{n}")
        made.append(transfers.dispatch(session, SYSTEM, person, fuling.code,
                                       on=date.today() - timedelta(days=days)))
    return made


def _shown(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="transfer-row" data-transfer="(\d+)"', page)]


def _section(page: str) -> str:
    return page.split('data-testid="transfer-list"')[1].split("</section>")[0]


def test_the_transfer_list_sorts_and_exports_in_that_order(client: TestClient,
                                                           session: Session) -> None:
    made = _made(session)
    sign_in(client, f.staff(session, "clerk", "500103"))
    latest = sorted(made, key=lambda t: (t.dispatched_on, t.id), reverse=True)
    page = client.get("/talent/files", params={"tsort": "-dispatched", "mpage": 1}).text
    assert _shown(page) == [t.id for t in latest]
    section = _section(page)
    header = _link(section, "sort-dispatched")
    assert "tsort=dispatched" in header and "mpage=1" in header
    assert _shown(client.get(header).text) == [t.id for t in reversed(latest)]
    assert 'name="tsort" value="-dispatched"' in section
    by_number = sorted(made, key=lambda t: t.transfer_no)
    assert _shown(client.get("/talent/files", params={"tsort": "transfer_no"}).text) \
        == [t.id for t in by_number]
    export = _link(section, "export-xlsx")
    assert "tsort=-dispatched" in export and export.startswith("/talent/files/transfers.xlsx?")
    rows = sheet_rows(client.get(export).content)
    assert [r[0] for r in rows[1:]] == [t.transfer_no for t in latest]


def test_an_unknown_order_is_the_default(client: TestClient, session: Session) -> None:
    made = _made(session)
    sign_in(client, f.staff(session, "clerk", "500103"))
    due_first = [t.id for t in sorted(made, key=lambda t: (t.receipt_due, t.id))]
    assert _shown(client.get("/talent/files").text) == due_first
    for bogus in ("id;drop table person", "-", "due desc", "x" * 300):
        response = client.get("/talent/files", params={"tsort": bogus})
        assert response.status_code == 200
        assert _shown(response.text) == due_first
        export = client.get("/talent/files/transfers.xlsx", params={"tsort": bogus})
        assert export.status_code == 200
