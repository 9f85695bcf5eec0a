"""The operations page of the exchange (川渝通办报文交换): outbox and inbox by state, the
oldest undelivered envelope's age, failed and rejected envelopes with their reasons, and
the retry button."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from minsheng.platform.exchange import kinds, service
from minsheng.platform.web.deps import SessionDep, SettingsDep
from minsheng.platform.web.templating import Viewer, page_router, page_user_with, render

router = page_router()
Reader = Annotated[Viewer, Depends(page_user_with("exchange:read"))]
Operator = Annotated[Viewer, Depends(page_user_with("exchange:operate"))]

NOTICES = {"retried": "失败报文已重新排队，投递程序将立即重试。"}


@router.get("/exchange")
def exchange_page(request: Request, session: SessionDep, settings: SettingsDep,
                  viewer: Reader, notice: str = "", retried: str = "") -> HTMLResponse:
    found = service.status(session)
    return render(request, "exchange/index.html", {
        "title": "川渝通办报文交换", "active": "exchange", "status": found,
        "node": service.NODE_NAMES.get(settings.node_id, settings.node_id),
        "node_id": settings.node_id, "peers": service.peers(session),
        "failed": service.failed_outbox(session), "rejected": service.recent_rejections(session),
        "kind_label": kinds.label, "node_names": service.NODE_NAMES,
        "can_operate": viewer.principal.can("exchange:operate"),
        "notice": NOTICES.get(notice, ""),
        "retried": retried[:6] if retried.isdigit() else "0"}, viewer=viewer)


@router.post("/exchange/retry")
async def exchange_retry(request: Request, session: SessionDep, viewer: Operator) -> Response:
    form = await request.form()
    raw = str(form.get("id", ""))
    ids = [int(raw)] if raw.isdigit() and len(raw) < 10 else None
    if ids is not None:
        service.outbox_entry(session, ids[0])
    count = service.retry(session, viewer.principal, ids)
    return RedirectResponse(f"/exchange?notice=retried&retried={count}", status_code=303)
