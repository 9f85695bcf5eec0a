"""Case pages: 我的办件 (the applicant's cases), a case's progress page (for its applicant
and for staff of its region), its decision notice as a PDF, and the public progress query
by case number and ID number."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUpload

from minsheng.platform import ids, uploads
from minsheng.platform.cases import notice, rules, service
from minsheng.platform.errors import DomainError
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import attempt, error_context
from minsheng.platform.web.templating import PageUser, Viewer, page_router, page_user_with, render

router = page_router()
Applicant = Annotated[Viewer, Depends(page_user_with("cases:self"))]


@router.get("/my/cases")
def my_cases(request: Request, session: SessionDep, viewer: Applicant) -> HTMLResponse:
    return render(request, "cases/mine.html", {
        "title": "我的办件", "cases": service.my_cases(session, viewer.principal),
        "stage_labels": rules.STAGE_LABELS},
        viewer=viewer)


NOTICES = {"attached": "材料已上传，审核人员办理时会看到。"}


def _case_page(request: Request, session: Session, viewer: Viewer, number: str, *,
               error: DomainError | None = None, notice: str = "") -> HTMLResponse:
    view = service.case_for(session, viewer.principal, number)
    may_attach = (viewer.can("cases:self")
                  and rules.may_advance(view.case.stage, rules.Stage.DECIDED))
    return render(request, "cases/progress.html", {
        "title": f"办件进度 {view.case.number}", "view": view, "public": False,
        "applicant_name": view.case.applicant_name,
        "documents": service.documents(session, view.case), "may_attach": may_attach,
        "max_megabytes": uploads.MAX_ATTACHMENT_BYTES // (1024 * 1024),
        "notice": NOTICES.get(notice, ""), **error_context(error)},
        viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/cases/{number}")
def case_page(request: Request, session: SessionDep, viewer: PageUser, number: str,
              notice: str = "") -> HTMLResponse:
    return _case_page(request, session, viewer, number, notice=notice)


@router.post("/cases/{number}/attachments")
async def case_attach(request: Request, session: SessionDep, viewer: Applicant,
                      number: str) -> Response:
    """Upload a supporting document (multipart field ``file``); a refusal is shown on the
    case page next to the form, and nothing is stored."""
    upload = (await request.form()).get("file")

    def store() -> None:
        name, content = "", b""
        if isinstance(upload, StarletteUpload):
            name = upload.filename or ""
            content = uploads.read_limited(upload.file, uploads.MAX_ATTACHMENT_BYTES)
        service.attach(session, viewer.principal, number, name, content)

    error = attempt(session, store)
    if error is not None:
        return _case_page(request, session, viewer, number, error=error)
    case = service.case_for(session, viewer.principal, number).case
    return RedirectResponse(f"/cases/{case.number}?notice=attached#documents", status_code=303)


@router.get("/cases/{number}/attachments/{attachment_id}")
def case_attachment(session: SessionDep, viewer: PageUser, number: str,
                    attachment_id: IdPath) -> Response:
    document = service.attachment_for(session, viewer.principal, number, attachment_id)
    return Response(document.content, media_type=document.media_type, headers={
        "Content-Disposition": "attachment; filename*=UTF-8''" + quote(document.name)})


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
