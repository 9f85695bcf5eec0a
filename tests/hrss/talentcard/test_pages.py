"""The talent card pages as their users use them: staff of each role see the card list
and the services work-list (overdue first, in red) and export them; a reviewer decides
an application and issues a card; the talent applies, sees the card with its QR code,
books a service and rates it; the public verification page."""

from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.registry.service import Person
from minsheng.hrss.talent.schemas import SkillCertificateCreate
from minsheng.hrss.talent.service.records import record_certificate
from minsheng.hrss.talentcard.models import TalentCard, TalentServiceBooking
from minsheng.hrss.talentcard.schemas import CardApply
from minsheng.hrss.talentcard.service import bookings, cards, verify
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f
from tests.live import sign_in


def _talent(session: Session, name: str = "周英才") -> tuple[int, Principal]:
    person = f.person(session, name=name)
    account = security.add_user(session, actor=SYSTEM, username=f"yc-{person.id}",
                                role="citizen", password=f.PASSWORD, person_id=person.id)
    return person.id, security.principal_of(account)


def _card(session: Session, person_id: int, on: date = date(2026, 9, 1)) -> TalentCard:
    return cards.issue_direct(session, SYSTEM, person_id, "A", note="测试", on=on)


@pytest.mark.parametrize("role", ["clerk", "case_officer", "reviewer", "statistician",
                                  "admin", "auditor"])
def test_every_staff_page_answers_in_chinese(client: TestClient, session: Session,
                                             role: str) -> None:
    card = _card(session, f.person(session, name="钱学森").id)
    assert card.card_no is not None
    bookings.book(session, SYSTEM, card.card_no, "housing", date(2026, 10, 9))
    sign_in(client, f.staff(session, role, "500103"))
    for url in ("/talent/cards", "/talent/cards/services", f"/talent/cards/{card.id}",
                "/talent/cards/services?overdue=true", "/talent/cards?state=active"):
        page = client.get(url)
        assert page.status_code == 200, (url, page.text[:300])
        assert "text/html" in page.headers["content-type"]
        assert "英才服务卡" in page.text
    detail = client.get(f"/talent/cards/{card.id}").text
    assert card.card_no in detail and "钱学森" in detail
    assert ('data-testid="revoke-form"' in detail) == (role in ("clerk", "case_officer",
                                                                 "reviewer", "admin"))
    listing = client.get("/talent/cards").text
    assert ('data-testid="issue-form"' in listing) == (role in ("reviewer", "admin"))


def test_citizens_and_employers_are_kept_out(client: TestClient, session: Session) -> None:
    _, talent = _talent(session)
    sign_in(client, talent)
    assert client.get("/talent/cards", follow_redirects=False).status_code == 403
    assert client.get("/my/talent/card").status_code == 200


def test_overdue_services_come_first_in_red_and_export(client: TestClient,
                                                       session: Session) -> None:
    card = _card(session, f.person(session, name="邓稼先").id)
    assert card.card_no is not None
    today = date.today()
    fresh = bookings.book(session, SYSTEM, card.card_no, "spouse_job", today)
    late = bookings.book(session, SYSTEM, card.card_no, "medical", date(2026, 10, 9))
    sign_in(client, f.staff(session, "clerk", "500103"))
    page = client.get("/talent/cards/services").text
    assert re.findall(r'data-testid="service-(\d+)"', page) == [str(late.id), str(fresh.id)]
    rows = re.split(r'data-testid="service-\d+"', page)[1:]
    assert page.split(f'data-testid="service-{late.id}"')[0].endswith('class="row-bad" ')
    assert "已超期" in rows[0] and "已超期" not in rows[1]
    export = re.search(r'href="([^"]+)" data-testid="export-xlsx"', page)
    assert export, "the list links its export"
    exported = client.get(html.unescape(export.group(1)))  # the page's own link
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["编号", "持卡人", "服务项目"]
    assert [r[2] for r in values[1:]] == ["医疗绿色通道", "配偶就业"]
    assert values[1][6] == "办理中（已超期）"
    cards_xlsx = client.get("/talent/cards.xlsx")
    book = load_workbook(io.BytesIO(cards_xlsx.content)).active
    assert book is not None
    first = [c.value for c in next(book.iter_rows(min_row=2))]
    assert first[0] == card.card_no and first[1] == "邓稼先"
    holder = session.get(Person, card.person_id)
    assert holder is not None
    assert first[2] == holder.resident_id  # a clerk handles identity: the whole number
    sign_in(client, f.staff(session, "statistician", "500103"))
    masked = load_workbook(io.BytesIO(client.get("/talent/cards.xlsx").content)).active
    assert masked is not None
    row = [c.value for c in next(masked.iter_rows(min_row=2))]
    assert row[2] == holder.resident_id[:4] + "*" * 10 + holder.resident_id[-4:]


def test_staff_deliver_from_the_work_list(client: TestClient, session: Session) -> None:
    card = _card(session, f.person(session).id)
    assert card.card_no is not None
    booking = bookings.book(session, SYSTEM, card.card_no, "medical", date(2026, 10, 9))
    sign_in(client, f.staff(session, "clerk", "500103"))
    early = client.post(f"/talent/cards/services/{booking.id}/deliver",
                        data={"on": "2026-10-01", "version": str(booking.version)})
    assert early.status_code == 422 and "办结日期不能早于申请日期" in early.text
    done = client.post(f"/talent/cards/services/{booking.id}/deliver",
                       data={"on": "2026-10-10", "version": str(booking.version)},
                       follow_redirects=False)
    assert done.status_code == 303
    session.refresh(booking)
    assert (booking.state, booking.delivered_on) == ("delivered", date(2026, 10, 10))


def test_a_reviewer_decides_and_issues(client: TestClient, session: Session) -> None:
    from minsheng.hrss.talentcard.schemas import CardApply
    person = f.person(session, name="黄大年")
    card = cards.apply(session, SYSTEM, CardApply.model_validate({
        "person_id": person.id, "tier": "B", "basis_kind": "skill_level",
        "basis_value": "2"}))
    sign_in(client, f.staff(session, "reviewer", "500103"))
    listing = client.get("/talent/cards").text
    assert 'data-testid="applied-count">1<' in listing
    refused = client.post(f"/talent/cards/{card.id}/refuse", data={"reason": ""})
    assert refused.status_code == 422 and "不予通过须说明理由" in refused.text
    assert client.post(f"/talent/cards/{card.id}/approve",
                       data={"reason": "证书核实", "version": "1"},
                       follow_redirects=False).status_code == 303
    assert client.post(f"/talent/cards/{card.id}/issue", data={"version": "2"},
                       follow_redirects=False).status_code == 303
    session.refresh(card)
    assert card.state == "active" and card.card_no
    again = client.post(f"/talent/cards/{card.id}/issue", data={})
    assert again.status_code == 409 and "不能办理这一步" in again.text
    direct = client.post("/talent/cards", data={"resident_id": f.person(session).resident_id,
                                                 "tier": "A", "note": "入选重庆英才计划"},
                         follow_redirects=False)
    assert direct.status_code == 303
    unknown = client.post("/talent/cards", data={"resident_id": "110101199001011234",
                                                  "tier": "A"})
    assert unknown.status_code == 422 and "未找到该公民身份号码的人员" in unknown.text


def test_the_talent_applies_sees_the_code_books_and_rates(client: TestClient,
                                                          session: Session) -> None:
    person, talent = _talent(session)
    sign_in(client, talent)
    first = client.get("/my/talent/card").text
    assert 'data-testid="apply-form"' in first and "英才服务卡A卡" in first
    bad = client.post("/my/talent/card/apply", data={"tier": "A", "basis_kind": "title",
                                                     "basis_value": "中级"})
    assert bad.status_code == 422 and "不接受该申领依据" in bad.text
    applied = client.post("/my/talent/card/apply", data={
        "tier": "A", "basis_kind": "title", "basis_value": "正高"}, follow_redirects=False)
    assert applied.status_code == 303
    assert 'data-testid="my-application"' in client.get("/my/talent/card").text
    card = session.scalar(select(TalentCard).where(TalentCard.person_id == person))
    assert card is not None
    cards.review(session, SYSTEM, card.id, approve=True)
    cards.issue(session, SYSTEM, card.id)
    page = client.get("/my/talent/card").text
    assert card.card_no in page and 'hx-get="/my/talent/card/code"' in page
    code = client.get("/my/talent/card/code").text
    assert "<svg" in code and 'data-testid="code-token"' in code
    token = code.split('data-testid="code-token">')[1].split("<")[0]
    assert verify.verify(session, token).valid
    booked = client.post("/my/talent/card/services", data={
        "card_no": card.card_no, "service_code": "schooling"}, follow_redirects=False)
    assert booked.status_code == 303
    booking = session.scalar(select(TalentServiceBooking).where(
        TalentServiceBooking.card_id == card.id))
    assert booking is not None and booking.requested_on == date.today()
    bookings.deliver(session, SYSTEM, booking.id, date.today())
    rated = client.post(f"/my/talent/card/services/{booking.id}/rate",
                        data={"satisfaction": "5"}, follow_redirects=False)
    assert rated.status_code == 303
    assert "非常满意" in client.get("/my/talent/card").text


def test_the_public_verification_page(client: TestClient, session: Session) -> None:
    person, talent = _talent(session, "孙家栋")
    card = _card(session, person, on=date.today() - timedelta(days=10))
    assert card.card_no is not None
    issued = verify.issue_code(session, talent, card.card_no)
    blank = client.get("/talent/cards/verify")
    assert blank.status_code == 200 and 'data-testid="verify-form"' in blank.text
    good = client.get("/talent/cards/verify", params={"token": issued.token})
    assert good.status_code == 200
    assert "英才服务卡有效" in good.text and "孙**" in good.text and "孙家栋" not in good.text
    bad = client.get("/talent/cards/verify", params={"token": issued.token[:-3] + "AAA"})
    assert bad.status_code == 404 and "签名无效" in bad.text


def test_the_reviewer_sees_whether_the_register_bears_out_the_basis(
        client: TestClient, session: Session) -> None:
    held, _ = _talent(session, "高技师")
    record_certificate(session, SYSTEM, SkillCertificateCreate(
        person_id=held, occupation_code="6-18-01-01", level=1,
        certificate_no="S500000000777", issued_on=date(2019, 6, 1)))
    bare, _ = _talent(session, "无记录")
    confirmed = cards.apply(session, SYSTEM, CardApply(
        person_id=held, tier="B", basis_kind="skill_level", basis_value="2"))
    unconfirmed = cards.apply(session, SYSTEM, CardApply(
        person_id=bare, tier="B", basis_kind="skill_level", basis_value="2"))
    sign_in(client, f.staff(session, "reviewer", "500103"))
    page = client.get(f"/talent/cards/{confirmed.id}").text
    assert "一级/高级技师" in page and "依据与登记记录一致" in page
    page = client.get(f"/talent/cards/{unconfirmed.id}").text
    assert "无登记记录" in page and "登记记录中未见该依据" in page
