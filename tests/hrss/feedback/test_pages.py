"""The feedback pages as their users use them: a citizen or employer submits from 我的意见
建议 (a refused form shows every problem next to its field and keeps what was typed) and
reads the reply there; staff list their region's feedback (overdue first, in red, filters
in the URL, Excel export), open one and reply; the hall links to the form."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.feedback import service
from minsheng.hrss.feedback.models import Feedback
from tests import factories as f
from tests.exports import XLSX, last_export, sheet_rows
from tests.hrss.feedback._build import TEXT, citizen, employer, submit
from tests.live import sign_in


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Feedback)) or 0


@pytest.mark.parametrize("who", ["citizen", "employer"])
def test_submit_from_the_hall_and_see_it_listed(client: TestClient, session: Session,
                                                who: str) -> None:
    me = citizen(session) if who == "citizen" else employer(session)
    sign_in(client, me)
    hall = client.get("/").text
    assert 'href="/my/feedback"' in hall
    page = client.get("/my/feedback")
    assert page.status_code == 200 and 'data-testid="feedback-form"' in page.text
    sent = client.post("/my/feedback", data={
        "kind": "inquiry", "subject": "灵活就业参保咨询", "text": TEXT,
        "phone": "023-63891234"}, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == "/my/feedback?done=submitted"
    mine = client.get(sent.headers["location"]).text
    assert "灵活就业参保咨询" in mine and "待答复" in mine and 'data-testid="notice"' in mine
    rows = service.mine(session, me)
    assert len(rows) == 1 and rows[0].phone == "023-63891234"
    cases = client.get("/my/cases").text
    assert "意见建议（咨询）" in cases


def test_a_refused_form_shows_each_problem_and_writes_nothing(client: TestClient,
                                                              session: Session) -> None:
    sign_in(client, citizen(session))
    before = _count(session)
    page = client.post("/my/feedback", data={"kind": "", "subject": "我",
                                             "text": "太短了", "phone": "12345"})
    assert page.status_code == 422
    for name in ("kind", "subject", "text", "phone"):
        assert f'id="{name}-error"' in page.text, name
    assert "主题至少 2 个字" in page.text and "请选择咨询、建议、投诉或表扬" in page.text
    assert 'value="12345"' in page.text and ">太短了</textarea>" in page.text
    assert _count(session) == before


def test_staff_are_kept_out_of_the_citizen_form(client: TestClient, session: Session) -> None:
    sign_in(client, f.staff(session, "clerk", "500103"))
    assert client.get("/my/feedback", follow_redirects=False).status_code == 403


@pytest.mark.parametrize("role", ["clerk", "case_officer", "reviewer", "statistician",
                                  "admin", "auditor"])
def test_every_staff_role_reads_the_list_and_the_detail(client: TestClient, session: Session,
                                                        role: str) -> None:
    row = submit(session, citizen(session, name="赵反映"), on=date(2026, 9, 1),
                 phone="13912345678")
    sign_in(client, f.staff(session, role, "500103"))
    listing = client.get("/feedback")
    assert listing.status_code == 200 and "赵反映" in listing.text
    detail = client.get(f"/feedback/{row.id}")
    assert detail.status_code == 200 and TEXT in detail.text
    assert ('data-testid="reply-form"' in detail.text) == (role in ("clerk", "admin"))
    assert ("13912345678" in detail.text) == (role in ("clerk", "admin"))


def test_citizens_are_kept_out_of_the_staff_pages(client: TestClient, session: Session) -> None:
    me = citizen(session)
    row = submit(session, me)
    sign_in(client, me)
    assert client.get("/feedback", follow_redirects=False).status_code == 403
    assert client.get(f"/feedback/{row.id}", follow_redirects=False).status_code == 403
    assert client.get("/feedback.xlsx", follow_redirects=False).status_code == 403


def test_overdue_first_in_red_filters_and_export(client: TestClient, session: Session) -> None:
    me = citizen(session, "500104", name="钱超期")
    late = submit(session, me, on=date(2025, 3, 3), kind="complaint", subject="超期未答复的投诉")
    fresh = submit(session, me, kind="suggestion", subject="今天提交的建议")
    other = submit(session, citizen(session, "500102", name="孙外区"), subject="外区的建议")
    clerk = f.staff(session, "clerk", "500104")
    sign_in(client, clerk)
    page = client.get("/feedback").text
    assert page.index(f'data-testid="feedback-{late.id}"') < page.index(
        f'data-testid="feedback-{fresh.id}"')
    late_row = page[page.rindex("<tr", 0, page.index(f'data-testid="feedback-{late.id}"')):]
    assert late_row.startswith('<tr class="row-bad"') and "已超期" in late_row.split("</tr>")[0]
    assert f'data-testid="feedback-{other.id}"' not in page
    assert 'data-testid="pager"' in page
    only = client.get("/feedback?overdue=true&kind=complaint").text
    assert f'data-testid="feedback-{late.id}"' in only
    assert f'data-testid="feedback-{fresh.id}"' not in only
    assert 'href="/feedback.xlsx?kind=complaint&amp;overdue=true"' in only
    # the pager's and the form's empty parameters are a page, not a refusal
    assert client.get("/feedback?state=&kind=&overdue=&q=&page=1").status_code == 200
    export = client.get("/feedback.xlsx?overdue=true")
    assert export.status_code == 200 and export.headers["content-type"].startswith(XLSX)
    rows = sheet_rows(export.content)
    assert rows[0][:4] == ("编号", "类别", "主题", "提交人")
    assert [r[0] for r in rows[1:]] == [late.id]
    assert rows[1][1] == "投诉" and "已超期" in rows[1][8]
    logged = last_export(session, "feedback.export")
    assert logged is not None and logged["rows"] == 1


def test_reply_closes_it_and_the_citizen_reads_it(client: TestClient,
                                                  session: Session) -> None:
    me = citizen(session)
    row = submit(session, me)
    clerk = f.staff(session, "clerk", "500103", display_name="渝中区窗口 回复")
    sign_in(client, clerk)
    short = client.post(f"/feedback/{row.id}/reply", data={"reply": "好",
                                                           "version": str(row.version)})
    assert short.status_code == 422 and 'id="reply-error"' in short.text
    answer = "已在渝中区服务大厅增设两台自助终端。"
    done = client.post(f"/feedback/{row.id}/reply",
                       data={"reply": answer, "version": str(row.version)},
                       follow_redirects=False)
    assert done.status_code == 303
    detail = client.get(done.headers["location"]).text
    assert answer in detail and 'data-testid="reply-form"' not in detail
    assert '<span data-testid="replier">渝中区窗口 回复</span>' in detail
    again = client.post(f"/feedback/{row.id}/reply",
                        data={"reply": "重复的答复意见", "version": "1"})
    assert again.status_code == 409 and "已被他人处理" in again.text
    sign_in(client, me)
    mine = client.get("/my/feedback").text
    assert answer in mine and "已答复" in mine
