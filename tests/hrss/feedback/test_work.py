"""Feedback on the workbench: open feedback of the region goes to those who reply, with
the overdue counted, and its count equals the list it opens."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.feedback import service
from minsheng.platform import worklist
from tests import factories as f
from tests.app.workbench import todos
from tests.hrss.feedback._build import citizen, submit
from tests.live import sign_in

REGION = "500106"


def test_open_feedback_goes_to_the_roles_that_reply(session: Session) -> None:
    me = citizen(session, REGION)
    late = submit(session, me, on=date(2026, 3, 2))
    submit(session, me, on=date(2026, 8, 31))
    done = submit(session, me, on=date(2026, 8, 3))
    clerk = f.staff(session, "clerk", REGION)
    service.reply(session, clerk, done.id, "已答复完毕的意见建议", today=date(2026, 8, 4))
    today = date(2026, 9, 1)
    items = {i.key: i for i in worklist.waiting_work(session, clerk, today)}
    item = items["feedback.reply"]
    assert item.count == 2 and item.overdue == 1 and item.due is not None and item.due >= today
    assert item.count == service.list_page(session, clerk, service.Filters.clean(
        state="open"), today=today).total
    assert item.href == "/feedback?state=open"
    assert late.due_on < today
    for role in ("statistician", "auditor", "reviewer", "case_officer"):
        staff = f.staff(session, role, REGION)
        assert "feedback.reply" not in {i.key for i in worklist.waiting_work(
            session, staff, today)}
    elsewhere = f.staff(session, "clerk", "500103")
    assert "feedback.reply" not in {i.key for i in worklist.waiting_work(
        session, elsewhere, today)}


def test_the_workbench_shows_the_count_overdue_first(client: TestClient,
                                                     session: Session) -> None:
    me = citizen(session, REGION)
    for day in (date(2025, 1, 6), date(2025, 2, 3), date(2025, 3, 3)):
        submit(session, me, on=day)
    clerk = f.staff(session, "clerk", REGION)
    sign_in(client, clerk)
    page = client.get("/").text
    item = todos(page)["feedback.reply"]
    assert (item.count, item.overdue, item.href) == (3, 3, "/feedback?state=open")
    first = page.index('class="todo-item')
    assert page.startswith('class="todo-item is-overdue"', first)
    listed = client.get(item.href).text
    assert f"共 {item.count} 条" in listed
