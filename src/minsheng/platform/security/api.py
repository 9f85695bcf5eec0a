"""``POST /api/v1/auth/token``: OAuth2 password form → expiring bearer token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from minsheng.platform.errors import Unauthenticated
from minsheng.platform.security import audit
from minsheng.platform.security import service as security_service
from minsheng.platform.web.deps import CurrentUser, SessionDep, SettingsDep, secret_of, token_ttl

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class MeResponse(BaseModel):
    username: str
    role: str
    region_code: str


@router.post("/token", response_model=TokenResponse)
def issue_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> TokenResponse | JSONResponse:
    try:
        user = security_service.authenticate(session, form.username, form.password)
    except Unauthenticated as exc:
        # Answer instead of raising, so that the audit event of the refusal is committed.
        security_service.record_failed_login(session, form.username, "api")
        return JSONResponse(exc.as_problem(), status_code=exc.status_code)
    audit.record(session, actor=user.username, action="auth.token", subject_type="user_account",
                 subject_id=user.id)
    ttl = token_ttl(settings)
    token = security_service.token_for(session, user, secret=secret_of(session, settings), ttl=ttl)
    return TokenResponse(access_token=token, expires_in=int(ttl.total_seconds()))


@router.get("/me", response_model=MeResponse)
def me(principal: CurrentUser) -> MeResponse:
    return MeResponse(username=principal.username, role=principal.role,
                      region_code=principal.region_code)
