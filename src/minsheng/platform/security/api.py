"""``POST /api/v1/auth/token``: OAuth2 password form → expiring bearer token;
``POST /api/v1/auth/logout``: revoke it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from minsheng.platform.errors import Unauthenticated
from minsheng.platform.security import audit
from minsheng.platform.security import service as security_service
from minsheng.platform.security.throttle import LockedOut, ThrottlePolicy
from minsheng.platform.web.deps import (
    SESSION_COOKIE,
    CurrentUser,
    SessionDep,
    SettingsDep,
    client_address,
    oauth2_scheme,
    secret_of,
    token_ttl,
)

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class MeResponse(BaseModel):
    username: str
    role: str
    region_code: str


@router.post("/token", response_model=TokenResponse,
             responses={401: {"description": "用户名或密码错误"},
                        429: {"description": "登录失败次数过多，已锁定"}})
def issue_token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> TokenResponse | JSONResponse:
    address = client_address(request)
    try:
        user = security_service.sign_in(session, form.username, form.password, address=address,
                                        channel="api", policy=ThrottlePolicy.of(settings))
    except (Unauthenticated, LockedOut) as exc:
        # Answer instead of raising, so that the audit event of the refusal is committed.
        return JSONResponse(exc.as_problem(), status_code=exc.status_code)
    audit.record(session, actor=user.username, action="auth.token", subject_type="user_account",
                 subject_id=user.id)
    ttl = token_ttl(settings)
    token = security_service.start_session(session, user, secret=secret_of(session, settings),
                                           ttl=ttl, channel="api", address=address)
    return TokenResponse(access_token=token, expires_in=int(ttl.total_seconds()))


@router.post("/logout", status_code=204, response_class=Response)
def revoke_token(
    request: Request,
    principal: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    bearer: Annotated[str | None, Depends(oauth2_scheme)],
) -> Response:
    """Revoke the token of this request (bearer, else session cookie): it is refused from
    now on."""
    token = bearer or request.cookies.get(SESSION_COOKIE)
    if token:
        security_service.end_session(session, secret=secret_of(session, settings), token=token)
    return Response(status_code=204)


@router.get("/me", response_model=MeResponse)
def me(principal: CurrentUser) -> MeResponse:
    return MeResponse(username=principal.username, role=principal.role,
                      region_code=principal.region_code)
