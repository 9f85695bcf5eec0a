"""The person's history page (变更记录) and summary PDF (人员信息摘要), both reached from
the person page; scoped and audited by :mod:`minsheng.hrss.registry.timeline`."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from minsheng.hrss.registry import service, timeline
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.templating import PageUser, page_router, render

router = page_router()


@router.get("/persons/{person_id}/history")
def person_history(request: Request, session: SessionDep, viewer: PageUser,
                   person_id: IdPath, page: int = 1, reads: bool = False) -> HTMLResponse:
    """Every change and decision about the person, newest first, paged; ``reads``: also
    every read of the record."""
    found = timeline.person_history(session, viewer.principal, person_id,
                                    page=max(1, min(page, 1_000_000)), include_reads=reads)
    view = service.view_person(found.person, viewer.principal)
    return render(request, "registry/history.html", {
        "title": f"{view.name} 变更记录", "active": "persons", "person": view,
        "listing": found.listing, "reads": reads,
        "query": urlencode({"reads": "true"}) if reads else "",
    }, viewer=viewer)


@router.get("/persons/{person_id}/summary.pdf")
def person_summary(session: SessionDep, viewer: PageUser, person_id: IdPath) -> Response:
    """The person's summary as an official A4 PDF (an audited read)."""
    found = timeline.person_summary(session, viewer.principal, person_id)
    return Response(found.content, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{found.filename}"'})
