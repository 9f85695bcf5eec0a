"""The inspection complaint work-list exports to Excel like the dispute list: the list's
filter and rows under Chinese headers, audited, for the roles that read labour cases."""

from __future__ import annotations

import html
import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.labour import service
from minsheng.hrss.labour.schemas import ComplaintCreate, DisputeCreate
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.exports import XLSX, last_export, sheet_rows
from tests.live import sign_in

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_filtered_list_and_its_export_hold_the_same_rows(
        client: TestClient, session: Session) -> None:
    person, employer = f.person(session, name="投诉人甲"), f.employer(session, name="欠薪公司")
    late, fresh = (service.complaints.file_complaint(session, SYSTEM, ComplaintCreate(
        complainant_person_id=person.id, employer_id=employer.id, received_on=received))
        for received in (date(2025, 6, 2), date.today()))
    sign_in(client, f.staff(session, "case_officer", "500103"))
    page = client.get("/labour/complaints", params={"overdue": "true"}).text
    shown = re.findall(r'href="/labour/complaints/\d+">([^<]+)</a>', page)
    assert shown == [late.case_no]
    link = re.search(r'href="([^"]+)"[^>]*data-testid="export-xlsx"', page)
    assert link and "overdue=true" in html.unescape(link.group(1))
    export = client.get(html.unescape(link.group(1)))
    assert export.status_code == 200 and export.headers["content-type"] == XLSX
    rows = sheet_rows(export.content)
    assert all(CJK.search(str(h)) for h in rows[0]), rows[0]
    assert [r[0] for r in rows[1:]] == shown
    assert rows[1][1:3] == ("投诉人甲", "欠薪公司")
    event = last_export(session, "labour.export")
    assert event is not None and event["rows"] == 1 and event["filter"]["overdue"] == "True"

    every = sheet_rows(client.get("/labour/complaints.xlsx").content)
    assert {r[0] for r in every[1:]} >= {late.case_no, fresh.case_no}

    sign_in(client, f.staff(session, "nr_officer", "500102"))  # ecology only
    assert client.get("/labour/complaints.xlsx").status_code == 403


def test_the_dispute_list_sorts_and_its_export_follows(
        client: TestClient, session: Session) -> None:
    from decimal import Decimal

    person, employer = f.person(session), f.employer(session)
    made = [service.disputes.apply(session, SYSTEM, DisputeCreate(
        applicant_person_id=person.id, employer_id=employer.id, claim_type="wages",
        amount=Decimal(amount), received_on=date(2026, 3, 2)))
        for amount in ("5000", "90000", "300")]
    sign_in(client, f.staff(session, "case_officer", "500103"))

    def listed(text: str) -> list[str]:
        return re.findall(r'href="/labour/disputes/\d+">([^<]+)</a>', text)

    page = client.get("/labour/disputes", params={"sort": "-amount"}).text
    by_amount = [made[1].case_no, made[0].case_no, made[2].case_no]
    assert listed(page) == by_amount
    assert 'name="sort" value="-amount"' in page  # the filter form keeps the order
    link = re.search(r'href="([^"]+)"[^>]*data-testid="export-xlsx"', page)
    assert link and "sort=-amount" in html.unescape(link.group(1))
    rows = sheet_rows(client.get(html.unescape(link.group(1))).content)
    assert [r[0] for r in rows[1:]] == by_amount
    ascending = listed(client.get("/labour/disputes", params={"sort": "amount"}).text)
    assert ascending == by_amount[::-1]
    assert listed(client.get("/labour/disputes", params={"sort": "amount)"}).text) == \
        listed(client.get("/labour/disputes").text)


def test_the_unfiltered_lists_links_answer(client: TestClient, session: Session) -> None:
    """The pager and export links of an unfiltered list carry no empty ``overdue=`` (no
    boolean: it was refused with 422)."""
    person, employer = f.person(session), f.employer(session)
    service.complaints.file_complaint(session, SYSTEM, ComplaintCreate(
        complainant_person_id=person.id, employer_id=employer.id, received_on=date.today()))
    service.disputes.apply(session, SYSTEM, DisputeCreate(
        applicant_person_id=person.id, employer_id=employer.id, claim_type="wages",
        received_on=date.today()))
    sign_in(client, f.staff(session, "case_officer", "500103"))
    for path in ("/labour/disputes", "/labour/complaints"):
        page = client.get(path).text
        assert "overdue=&" not in html.unescape(page) and "overdue=\"" not in page
        link = re.search(r'href="([^"]+)"[^>]*data-testid="export-xlsx"', page)
        assert link, path
        assert client.get(html.unescape(link.group(1))).status_code == 200
