"""Case pages: 我的办件 (the applicant's cases), a case's progress page (for its applicant
and for staff of its region), its decision notice as a PDF, and the public progress query
by case number and ID number."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response

from minsheng.platform import ids
from minsheng.platform.cases import notice, rules, service
from minsheng.platform.errors import DomainError
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import error_context
from minsheng.platform.web.templating import PageUser, Viewer, page_router, page_user_with, render

router = page_router()
Applicant = Annotated[Viewer, Depends(page_user_with("cases:self"))]


@router.get("/my/cases")
def my_cases(request: Request, session: SessionDep, viewer: Applicant) -> HTMLResponse:
    return render(request, "cases/mine.html", {
        "title": "我的办件", "cases": service.my_cases(session, viewer.principal),
        "stage_labels": rules.STAGE_LABELS},
        viewer=viewer)


@router.get("/cases/{number}")
def case_page(request: Request, session: SessionDep, viewer: PageUser,
              number: str) -> HTMLResponse:
    view = service.case_for(session, viewer.principal, number)
    return render(request, "cases/progress.html", {
        "title": f"办件进度 {view.case.number}", "view": view, "public": False,
        "applicant_name": view.case.applicant_name}, viewer=viewer)


@router.get("/cases/{number}/notice.pdf")
def case_notice(session: SessionDep, viewer: PageUser, number: str) -> Response:
    view = service.notice_of(session, viewer.principal, number)
    return Response(notice.render_notice_pdf(view), media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{view.case.number}.pdf"'})


@router.get("/progress")
def progress_form(request: Request) -> HTMLResponse:
    return render(request, "cases/query.html", {"title": "办件进度查询", "number": "",
                                                "view": None, **error_context(None)})


@router.post("/progress")
async def progress_query(request: Request, session: SessionDep) -> HTMLResponse:
    """The public query: the pair typed is posted (an ID number never goes in a URL)."""
    form = await request.form()
    number = str(form.get("number", ""))[:40]
    code = str(form.get("code", ""))[:40]
    try:
        view = service.public_progress(session, number, code)
    except DomainError as error:
        return render(request, "cases/query.html", {
            "title": "办件进度查询", "number": number, "view": None, **error_context(error)},
            status_code=error.status_code)
    return render(request, "cases/query.html", {
        "title": "办件进度查询", "number": view.case.number, "view": view,
        **error_context(None),
        "applicant_name": ids.mask_name(view.case.applicant_name)})
