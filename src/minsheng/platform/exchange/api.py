"""``/api/v1/exchange``: the inbox peers deliver to (authenticated by the envelope's
signature, not by a session), this node's public key, and the operators' status and
retry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from minsheng.platform.exchange import service
from minsheng.platform.exchange.schemas import NodeRead, RetryRead, RetryRequest, StatusRead
from minsheng.platform.security.principal import Principal
from minsheng.platform.web.deps import SessionDep, SessionFactoryDep, SettingsDep, require

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange"])

#: The largest envelope accepted.
MAX_ENVELOPE_BYTES = 256 * 1024


@router.post("/inbox", responses={
    200: {"description": "已办理或重复投递（不再办理）"},
    401: {"description": "签名、密钥或报文格式无效"},
    403: {"description": "发送方不是已登记的对端节点"},
    422: {"description": "拒收：收件方、时间窗、报文类型或内容不符"}})
async def inbox(request: Request, factory: SessionFactoryDep,
                settings: SettingsDep) -> JSONResponse:
    raw = await request.body()
    if len(raw) > MAX_ENVELOPE_BYTES:
        return JSONResponse({"status": "rejected", "code": "malformed",
                             "reason": "报文过大", "retryable": False}, status_code=413)
    # Off the event loop: applying waits on database locks, which a request being served
    # meanwhile (its commit scheduled on the loop) may hold.
    outcome = await run_in_threadpool(service.receive, factory, raw, settings=settings)
    return JSONResponse(outcome.body, status_code=outcome.status_code)


@router.get("/node", response_model=NodeRead)
def node(session: SessionDep, settings: SettingsDep) -> NodeRead:
    """This node's id and current public key (what a peer's ``minsheng peer add`` needs)."""
    found = service.identity(session, settings.node_id)
    return NodeRead(node_id=found.node_id, key_id=found.key_id, public_key=found.public_key)


@router.get("/status", response_model=StatusRead)
def status(session: SessionDep,
           _: Annotated[Principal, Depends(require("exchange:read"))]) -> StatusRead:
    return StatusRead.model_validate(service.status(session).as_json())


@router.post("/retry", response_model=RetryRead)
def retry(data: RetryRequest, session: SessionDep,
          actor: Annotated[Principal, Depends(require("exchange:operate"))]) -> RetryRead:
    count = service.retry(session, actor, data.ids)
    return RetryRead(retried=count)
