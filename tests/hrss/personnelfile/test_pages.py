"""The personnel-file pages as their users use them: every staff role opens the register
and a file; the sender dispatches from the file page and the receiver confirms receipt;
the work-lists (overdue in red, missing items) and their exports; the person sees where
the file is and the transfer's progress."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.personnelfile.models import FileTransfer
from minsheng.hrss.personnelfile.service import transfers
from minsheng.hrss.registry.service import Person
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.hrss.personnelfile._build import custodian, held_file, scan
from tests.live import sign_in


@pytest.mark.parametrize("role", ["clerk", "case_officer", "reviewer", "statistician",
                                  "admin", "auditor"])
def test_every_staff_page_answers_in_chinese(client: TestClient, session: Session,
                                             role: str) -> None:
    yuzhong = custodian(session, "YZ-RC", "500103", "渝中区人才服务中心")
    person, _ = held_file(session, yuzhong, name="档案甲")
    sign_in(client, f.staff(session, role, "500103"))
    for url in ("/talent/files", f"/talent/files/{person}"):
        page = client.get(url)
        assert page.status_code == 200, (url, page.text[:300])
        assert "text/html" in page.headers["content-type"]
    file_page = client.get(f"/talent/files/{person}").text
    assert "渝中区人才服务中心" in file_page and "档案甲" in file_page
    assert ('data-testid="dispatch-form"' in file_page) == (role in ("clerk", "case_officer",
                                                                     "admin"))


def test_dispatch_and_receive_through_the_pages(client: TestClient, session: Session) -> None:
    yuzhong = custodian(session, "YZ-RC", "500103", "渝中区人才服务中心")
    custodian(session, "FL-RC", "500102", "涪陵区人才服务中心")
    person, held = held_file(session, yuzhong)
    sign_in(client, f.staff(session, "clerk", "500103"))
    same = client.post(f"/talent/files/{person}/transfer",
                       data={"to_custodian": "YZ-RC", "version": str(held.version)})
    assert same.status_code == 422 and "无需转递" in same.text
    sent = client.post(f"/talent/files/{person}/transfer", data={
        "to_custodian": "FL-RC", "on": date.today().isoformat(),
        "version": str(held.version)}, follow_redirects=False)
    assert sent.status_code == 303, sent.text
    page = client.get(f"/talent/files/{person}?done=dispatched").text
    assert "档案已转出" in page and "在途（待接收）" in page
    assert 'data-testid="receive-form"' not in page
    wrong = client.post(f"/talent/files/{person}/receive", data={})
    assert wrong.status_code == 403 and "接收档案管理机构" in wrong.text
    client.cookies.clear()
    sign_in(client, f.staff(session, "clerk", "500102"))
    incoming = client.get("/talent/files").text
    transfer = session.scalars(select(FileTransfer)).one()
    assert transfer.transfer_no in incoming
    page = client.get(f"/talent/files/{person}").text
    assert 'data-testid="receive-form"' in page
    got = client.post(f"/talent/files/{person}/receive", data={
        "on": date.today().isoformat(), "version": str(transfer.version)},
        follow_redirects=False)
    assert got.status_code == 303
    page = client.get(f"/talent/files/{person}?done=received").text
    assert "已确认接收" in page
    assert page.count("涪陵区人才服务中心") >= 2


def test_work_lists_and_exports(client: TestClient, session: Session) -> None:
    yuzhong = custodian(session, "YZ-RC", "500103")
    fuling = custodian(session, "FL-RC", "500102")
    late, _ = held_file(session, yuzhong, name="超期者")
    transfers.dispatch(session, SYSTEM, late, fuling.code,
                       on=date.today() - timedelta(days=40))
    gap, _ = held_file(session, yuzhong, name="缺件者")
    sign_in(client, f.staff(session, "clerk", "500103"))
    page = client.get("/talent/files").text
    assert "已超期" in page and "text-bad" in page
    assert "缺件者" in page and "第3类" in page
    only = client.get("/talent/files?overdue=true").text
    assert "超期者" in only
    book = load_workbook(io.BytesIO(client.get("/talent/files/missing.xlsx").content))
    sheet = book.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and {r[0] for r in rows[1:]} == {"超期者", "缺件者"}
    assert all(len(str(r[1])) == 18 for r in rows[1:])  # a clerk handles identity
    moving = load_workbook(io.BytesIO(client.get("/talent/files/transfers.xlsx").content))
    sheet = moving.active
    assert sheet is not None
    found = list(sheet.iter_rows(values_only=True))
    assert len(found) == 2 and found[1][1] == "超期者" and found[1][7] == "已超期"
    assert gap
    client.cookies.clear()
    sign_in(client, f.staff(session, "statistician", "500103"))
    book = load_workbook(io.BytesIO(client.get("/talent/files/missing.xlsx").content))
    sheet = book.active
    assert sheet is not None
    assert all("*" in str(r[1]) for r in list(sheet.iter_rows(values_only=True))[1:])


def test_a_custodian_is_registered_in_the_own_region(client: TestClient,
                                                     session: Session) -> None:
    sign_in(client, f.staff(session, "clerk", "500103"))
    made = client.post("/talent/files/custodians", data={
        "code": "YZ-NEW", "name": "渝中区大坪街道人才服务站", "region": ""},
        follow_redirects=False)
    assert made.status_code == 303
    assert "渝中区大坪街道人才服务站" in client.get("/talent/files?done=custodian").text
    foreign = client.post("/talent/files/custodians", data={
        "code": "FL-NEW", "name": "涪陵区某中心", "region": "500102"})
    assert foreign.status_code == 422 and "本辖区" in foreign.text
    empty = client.post("/talent/files/custodians", data={})
    assert empty.status_code == 422 and "机构代码" in empty.text
    twice = client.post("/talent/files/custodians", data={
        "code": "YZ-NEW", "name": "重复机构", "region": "500103"})
    assert twice.status_code == 409


def test_search_and_items_on_the_page(client: TestClient, session: Session) -> None:
    yuzhong = custodian(session, "YZ-RC", "500103")
    person, _ = held_file(session, yuzhong, name="查找者")
    sign_in(client, f.staff(session, "clerk", "500103"))
    rid = session.scalar(select(Person.resident_id).where(Person.id == person))
    assert rid
    found = client.post("/talent/files/search", data={"resident_id": rid},
                        follow_redirects=False)
    assert found.status_code == 303 and found.headers["location"] == f"/talent/files/{person}"
    missing = client.post("/talent/files/search", data={"resident_id": "110101199001011234"})
    assert missing.status_code == 422 and "本辖区没有" in missing.text
    added = client.post(f"/talent/files/{person}/items", data={
        "category": "1", "title": "干部履历表", "pages": "4"},
        files={"file": ("a.png", scan(), "image/png")}, follow_redirects=False)
    assert added.status_code == 303
    page = client.get(f"/talent/files/{person}").text
    assert "干部履历表" in page and "缺件 3 类" in page
    bad = client.post(f"/talent/files/{person}/items", data={
        "category": "1", "title": "干部履历表", "pages": "四"},
        files={"file": ("a.png", scan(), "image/png")})
    assert bad.status_code == 422 and "页数" in bad.text


def test_the_person_sees_where_the_file_is(client: TestClient, session: Session) -> None:
    yuzhong = custodian(session, "YZ-RC", "500103", "渝中区人才服务中心")
    fuling = custodian(session, "FL-RC", "500102", "涪陵区人才服务中心")
    person, _ = held_file(session, yuzhong)
    sent = transfers.dispatch(session, SYSTEM, person, fuling.code)
    account = security.add_user(session, actor=SYSTEM, username="file-owner", role="citizen",
                                password=f.PASSWORD, person_id=person)
    sign_in(client, security.principal_of(account))
    assert 'href="/my/talent/file"' in client.get("/").text
    page = client.get("/my/talent/file").text
    assert "渝中区人才服务中心" in page and sent.transfer_no in page and "待接收" in page
    assert client.get(f"/talent/files/{person}").status_code in (302, 303, 403)
