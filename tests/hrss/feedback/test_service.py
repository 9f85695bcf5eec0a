"""Feedback use cases: a citizen or employer submits (all problems at once, nothing
written when any), staff of the submitter's district read and reply (once, on the version
they saw), the case follows, and every step is in the audit chain."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.feedback import rules, service
from minsheng.hrss.feedback.models import Feedback
from minsheng.platform.calendar.service import load_calendar
from minsheng.platform.cases.models import CaseFile
from minsheng.platform.config import get_settings
from minsheng.platform.errors import Conflict, Forbidden, NotFound, RuleViolation
from minsheng.platform.security import service as security
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM
from minsheng.platform.workdays import workdays_between
from tests import factories as f
from tests.hrss.feedback._build import citizen, employer, submit

DAY = date(2026, 9, 1)


@pytest.fixture
def since(session: Session) -> int:
    """The last audit event before the test: committed tests (the race, the demo) leave
    theirs, about ids the database may hand out again."""
    return session.scalar(select(func.max(AuditEvent.seq))) or 0


def _events(session: Session, since: int, action: str, feedback_id: int) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.seq > since, AuditEvent.action == action,
        AuditEvent.subject_id == str(feedback_id))) or 0


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Feedback)) or 0


def test_a_citizen_submits_in_their_district_due_in_working_days(session: Session,
                                                                 since: int) -> None:
    me = citizen(session, "500106")
    row = submit(session, me, on=DAY, phone="138 0013 8000", kind="complaint")
    assert row.region == "500106" and row.state == "open" and row.submitter_kind == "person"
    assert row.phone == "13800138000"
    cal = load_calendar(session)
    days = get_settings().feedback_reply_working_days
    assert workdays_between(DAY, row.due_on, cal) == days
    assert row.due_on > DAY
    assert _events(session, since, "feedback.submit", row.id) == 1
    case = session.scalar(select(CaseFile).where(CaseFile.subject_type == "feedback",
                                                 CaseFile.subject_id == str(row.id)))
    assert case is not None and case.stage == "accepted" and case.due_date == row.due_on
    assert case.applicant_id == me.person_id and "投诉" in case.title
    assert [r.id for r in service.mine(session, me)] == [row.id]


def test_the_deadline_is_a_setting(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    me = citizen(session)
    monkeypatch.setenv("MINSHENG_FEEDBACK_REPLY_WORKING_DAYS", "3")
    get_settings.cache_clear()
    try:
        row = submit(session, me, on=DAY)
    finally:
        monkeypatch.delenv("MINSHENG_FEEDBACK_REPLY_WORKING_DAYS")
        get_settings.cache_clear()
    assert workdays_between(DAY, row.due_on, load_calendar(session)) == 3


def test_an_employer_submits_in_its_seat_district(session: Session) -> None:
    unit = employer(session, "500102")
    row = submit(session, unit, on=DAY, kind="inquiry")
    assert row.region == "500102" and row.submitter_kind == "employer"
    assert row.employer_id == unit.employer_id and row.person_id is None
    assert [r.id for r in service.mine(session, unit)] == [row.id]


def test_bad_input_names_every_field_and_writes_nothing(session: Session) -> None:
    me = citizen(session)
    before = _count(session)
    with pytest.raises(RuleViolation) as caught, session.begin_nested():
        submit(session, me, kind="rant", subject="x", text="太短", phone="12345")
    assert {e.field for e in caught.value.errors} == {"kind", "subject", "text", "phone"}
    problem = caught.value.as_problem()
    assert problem["status"] == 422 and problem["detail_en"]
    assert all(e["message_en"] for e in problem["errors"])
    assert _count(session) == before


def test_an_account_without_a_record_cannot_submit(session: Session) -> None:
    account = security.add_user(session, actor=SYSTEM, username="fb-nobody", role="citizen",
                                password=f.PASSWORD)
    with pytest.raises(RuleViolation):
        submit(session, security.principal_of(account))


def test_staff_cannot_submit_and_citizens_cannot_reply(session: Session) -> None:
    clerk = f.staff(session, "clerk", "500103")
    with pytest.raises(Forbidden):
        submit(session, clerk)
    me = citizen(session)
    row = submit(session, me, on=DAY)
    with pytest.raises(Forbidden):
        service.reply(session, me, row.id, "这是我自己的答复意见")


def test_a_reply_closes_the_feedback_and_its_case(session: Session, since: int) -> None:
    row = submit(session, citizen(session), on=DAY)
    clerk = f.staff(session, "clerk", "500103")
    seen = service.read(session, clerk, row.id)
    assert _events(session, since, "feedback.read", row.id) == 1
    service.reply(session, clerk, row.id, "  已协调增设两台自助设备，感谢您的建议。 ",
                  version=seen.version, today=date(2026, 9, 3))
    assert row.state == "replied" and row.replied_on == date(2026, 9, 3)
    assert row.reply == "已协调增设两台自助设备，感谢您的建议。"
    assert row.replied_by == clerk.username
    assert _events(session, since, "feedback.reply", row.id) == 1
    case = session.scalar(select(CaseFile).where(CaseFile.subject_type == "feedback",
                                                 CaseFile.subject_id == str(row.id)))
    assert case is not None and case.stage == "done"
    with pytest.raises(Conflict):
        service.reply(session, clerk, row.id, "第二次答复意见内容", today=date(2026, 9, 4))


def test_a_reply_from_a_stale_page_is_refused(session: Session) -> None:
    row = submit(session, citizen(session), on=DAY)
    first, second = f.staff(session, "clerk", "500103"), f.staff(session, "admin", "")
    seen = row.version
    service.reply(session, first, row.id, "第一位经办员的答复意见", version=seen,
                  today=DAY)
    with pytest.raises(Conflict), session.begin_nested():
        service.reply(session, second, row.id, "第二位经办员的答复意见", version=seen,
                      today=DAY)
    assert row.reply == "第一位经办员的答复意见"


def test_a_too_short_reply_is_refused_and_nothing_changes(session: Session, since: int) -> None:
    row = submit(session, citizen(session), on=DAY)
    clerk = f.staff(session, "clerk", "500103")
    with pytest.raises(RuleViolation) as caught, session.begin_nested():
        service.reply(session, clerk, row.id, "好", today=DAY)
    assert caught.value.errors[0].field == "reply"
    assert row.state == "open" and _events(session, since, "feedback.reply", row.id) == 0


def test_staff_see_only_their_region(session: Session) -> None:
    here = submit(session, citizen(session, "500103"), on=DAY)
    there = submit(session, citizen(session, "500102"), on=DAY)
    yuzhong = f.staff(session, "clerk", "500103")
    listed = service.list_page(session, yuzhong, service.Filters(), today=DAY).rows
    assert here.id in {r.id for r in listed} and there.id not in {r.id for r in listed}
    with pytest.raises(NotFound):
        service.read(session, yuzhong, there.id)
    with pytest.raises(NotFound):
        service.reply(session, yuzhong, there.id, "越区答复意见内容", today=DAY)
    # another citizen cannot read someone else's feedback either
    with pytest.raises(NotFound):
        service.read(session, citizen(session, "500103", "王旁人"), here.id)
    city = f.staff(session, "reviewer", "500000")
    assert {here.id, there.id} <= {r.id for r in service.list_page(
        session, city, service.Filters(), today=DAY).rows}
    with pytest.raises(Forbidden):
        service.reply(session, city, here.id, "复核员不能答复", today=DAY)


def test_filters_and_order(session: Session) -> None:
    me = citizen(session, "500104")
    late = submit(session, me, on=date(2026, 6, 1), kind="complaint", subject="超期投诉事项")
    fresh = submit(session, me, on=DAY, kind="inquiry", subject="新近咨询事项")
    done = submit(session, me, on=date(2026, 5, 1), kind="praise", subject="表扬窗口人员")
    clerk = f.staff(session, "clerk", "500104")
    service.reply(session, clerk, done.id, "感谢您的表扬，我们会继续努力。", today=date(2026, 5, 6))
    today = DAY
    rows = service.list_page(session, clerk, service.Filters(), today=today).rows
    assert [r.id for r in rows] == [late.id, fresh.id, done.id]
    only = service.Filters.clean(overdue=True)
    assert [r.id for r in service.list_page(session, clerk, only, today=today).rows] == [late.id]
    assert [r.id for r in service.list_page(session, clerk, service.Filters.clean(
        kind="inquiry"), today=today).rows] == [fresh.id]
    assert [r.id for r in service.list_page(session, clerk, service.Filters.clean(
        state="replied"), today=today).rows] == [done.id]
    assert [r.id for r in service.list_page(session, clerk, service.Filters.clean(
        q="表扬"), today=today).rows] == [done.id]
    assert service.Filters.clean(state="bogus", kind="x%", q=" 表扬 ").as_dict() == {"q": "表扬"}
    assert service.open_counts(session, clerk, today) == (2, 1)
    assert rules.is_overdue(late.state, late.due_on, today)


def test_the_phone_is_masked_for_staff_who_do_not_reply(session: Session) -> None:
    row = submit(session, citizen(session), on=DAY, phone="13912345678")
    assert service.phone_for(f.staff(session, "clerk", "500103"), row) == "13912345678"
    masked = service.phone_for(f.staff(session, "statistician", "500103"), row)
    assert masked != "13912345678" and masked.endswith("5678") and "*" in masked
