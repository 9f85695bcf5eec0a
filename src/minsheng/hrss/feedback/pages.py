"""意见建议 pages: the citizen's or employer's 我的意见建议 (the form, and their own
submissions with the status and the reply); the staff's list (open ones by deadline,
overdue first in red, filters in the URL, paged, Excel export), a feedback's page with
the reply form.

Handlers parse the form, call one service function inside a savepoint (a refused form
leaves nothing behind) and redirect, or show the page again with the problem next to
the fields.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.hrss.feedback import rules, service
from minsheng.hrss.feedback.models import Feedback
from minsheng.hrss.feedback.schemas import FeedbackCreate
from minsheng.platform import exports, regions
from minsheng.platform.config import get_settings
from minsheng.platform.errors import DomainError
from minsheng.platform.paging import PageNumber
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import attempt, error_context
from minsheng.platform.web.templating import Viewer, page_router, page_user_with, render

router = page_router()

Reader = Annotated[Viewer, Depends(page_user_with("feedback:read"))]
Replier = Annotated[Viewer, Depends(page_user_with("feedback:reply"))]
Submitter = Annotated[Viewer, Depends(page_user_with("feedback:self"))]

T = "feedback/"
BADGES = {"open": "badge-warn", "replied": "badge-ok"}
NOTICES = {"submitted": "已提交。我们将在承诺时限内答复，您可在本页或“我的办件”中查看进度。",
           "replied": "已答复，该意见建议已办结。"}


def _helpers() -> dict[str, Any]:
    return {"kinds": rules.KIND_LABELS, "states": rules.STATE_LABELS, "badges": BADGES,
            "today": date.today(), "region_name": regions.name_of,
            "limits": {"subject": (rules.SUBJECT_MIN, rules.SUBJECT_MAX),
                       "text": (rules.TEXT_MIN, rules.TEXT_MAX),
                       "reply": (rules.REPLY_MIN, rules.REPLY_MAX)},
            "working_days": get_settings().feedback_reply_working_days}


# --- the citizen or employer -----------------------------------------------------------


def _my_page(request: Request, session: Session, viewer: Viewer, *,
             error: DomainError | None = None, form: dict[str, str] | None = None,
             notice: str = "", status_code: int = 200) -> HTMLResponse:
    actor = viewer.principal
    return render(request, T + "mine.html", {
        "title": "意见建议", "active": "home", "rows": service.mine(session, actor),
        "linked": actor.person_id is not None or actor.employer_id is not None,
        "form": form or {}, "notice": NOTICES.get(notice, ""), **error_context(error),
        **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/my/feedback")
def my_feedback(request: Request, session: SessionDep, viewer: Submitter,
                done: str = "") -> HTMLResponse:
    return _my_page(request, session, viewer, notice=done)


@router.post("/my/feedback")
def my_submit(request: Request, session: SessionDep, viewer: Submitter,
              kind: Annotated[str, Form(max_length=16)] = "",
              subject: Annotated[str, Form(max_length=4000)] = "",
              text: Annotated[str, Form(max_length=4000)] = "",
              phone: Annotated[str, Form(max_length=40)] = "") -> Response:
    data = FeedbackCreate(kind=kind, subject=subject, text=text, phone=phone)
    error = attempt(session, lambda: service.submit(session, viewer.principal, data))
    if error:
        form = {"kind": kind, "subject": subject, "text": text, "phone": phone}
        return _my_page(request, session, viewer, error=error, form=form,
                        status_code=error.status_code)
    return RedirectResponse("/my/feedback?done=submitted", status_code=303)


# --- staff ------------------------------------------------------------------------------


@router.get("/feedback")
def feedback_list(request: Request, session: SessionDep, viewer: Reader, state: str = "",
                  kind: str = "", overdue: str = "", q: str = "",
                  page: PageNumber = 1, sort: str = "") -> HTMLResponse:
    actor = viewer.principal
    filters = service.Filters.clean(state, kind, overdue == "true", q)
    order = service.SORTING.parse(sort)
    sort_param = {} if order == service.SORTING.default else {"sort": order.param}
    today = date.today()
    listing = service.list_page(session, actor, filters, today=today, page=page, sort=order)
    return render(request, T + "list.html", {
        "title": "意见建议", "active": "feedback", "listing": listing, "filters": filters,
        "query": urlencode({**filters.as_dict(), **sort_param}), "feedback_sort": order,
        "feedback_sorting_default": service.SORTING.default,
        "counts": service.open_counts(session, actor, today), **_helpers(),
    }, viewer=viewer)


@router.get("/feedback.xlsx")
def feedback_export(session: SessionDep, viewer: Reader, state: str = "", kind: str = "",
                    overdue: str = "", q: str = "", sort: str = "") -> Response:
    """The list as .xlsx with Chinese headers, in the list's order; audited
    (``feedback.export``)."""
    actor = viewer.principal
    filters = service.Filters.clean(state, kind, overdue == "true", q)
    order = service.SORTING.parse(sort)
    today = date.today()

    names: dict[str, str] = {}

    def replier(username: str | None) -> str:
        if not username:
            return ""
        if username not in names:  # one look-up per clerk, not per row
            names.update(service.staff_names(session, {username}))
        return names[username]

    def row(f: Feedback) -> list[Any]:
        late = rules.is_overdue(f.state, f.due_on, today)
        return [f.id, rules.KIND_LABELS.get(f.kind, f.kind), f.subject, f.submitter_name,
                regions.name_of(f.region) or f.region, service.phone_for(actor, f),
                f.submitted_on.isoformat(), f.due_on.isoformat(),
                rules.STATE_LABELS.get(f.state, f.state) + ("（已超期）" if late else ""),
                f.replied_on.isoformat() if f.replied_on else "", replier(f.replied_by)]

    content = exports.audited_xlsx(
        session, actor, action="feedback.export", subject_type="feedback_list",
        subject_id=actor.region_code or "", filters=filters.as_dict(), sheet="意见建议",
        headers=["编号", "类别", "主题", "提交人", "所在区县", "联系电话", "提交日期",
                 "答复时限", "状态", "答复日期", "答复人"],
        rows=(row(f) for f in service.all_rows(session, actor, filters, today=today,
                                                     sort=order)))
    return exports.xlsx_response(content, "意见建议.xlsx")


def _detail(request: Request, session: Session, viewer: Viewer, feedback_id: int, *,
            error: DomainError | None = None, form: dict[str, str] | None = None,
            notice: str = "", status_code: int = 200) -> HTMLResponse:
    actor = viewer.principal
    row = service.read(session, actor, feedback_id)
    return render(request, T + "detail.html", {
        "title": f"意见建议 {row.id}", "active": "feedback", "f": row,
        "phone": service.phone_for(actor, row), "case_number": service.case_number(session, row),
        "replier": service.staff_names(session, {row.replied_by or ""}).get(
            row.replied_by or "", ""),
        "form": form or {}, "notice": NOTICES.get(notice, ""), **error_context(error),
        **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/feedback/{feedback_id}")
def feedback_detail(request: Request, session: SessionDep, viewer: Reader,
                    feedback_id: IdPath, done: str = "") -> HTMLResponse:
    return _detail(request, session, viewer, feedback_id, notice=done)


@router.post("/feedback/{feedback_id}/reply")
def feedback_reply(request: Request, session: SessionDep, viewer: Replier,
                   feedback_id: IdPath, reply: Annotated[str, Form(max_length=4000)] = "",
                   version: Annotated[str, Form(max_length=12)] = "") -> Response:
    seen = int(version) if version.strip().isdigit() and len(version.strip()) < 10 else None
    error = attempt(session, lambda: service.reply(session, viewer.principal, feedback_id,
                                                   reply, version=seen))
    if error:
        return _detail(request, session, viewer, feedback_id, error=error,
                       form={"reply": reply}, status_code=error.status_code)
    return RedirectResponse(f"/feedback/{feedback_id}?done=replied", status_code=303)
