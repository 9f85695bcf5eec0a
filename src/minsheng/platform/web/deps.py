"""Request-scoped dependencies: the unit of work, the caller, and permission checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session, sessionmaker

from minsheng.platform.config import Settings
from minsheng.platform.db import run_after_commit
from minsheng.platform.errors import Unauthenticated
from minsheng.platform.security import service as security_service
from minsheng.platform.security.principal import Principal

SESSION_COOKIE = "minsheng_session"
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """The request's unit of work: commit on success, roll back on any exception; then
    the ``after_commit`` work (sealing the request's audit events)."""
    with request.app.state.session_factory() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        else:
            session.commit()
            run_after_commit(session)


# scope="function": commit before the response goes out, so a redirect that follows a
# write never reads ahead of the commit.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_session_factory(request: Request) -> sessionmaker[Session]:
    """For batch jobs started from a request: they commit range by range themselves."""
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]


def client_address(request: Request) -> str:
    """The client's IP address as the server saw it (behind a reverse proxy, run uvicorn
    with ``--proxy-headers --forwarded-allow-ips`` so that this is the real client)."""
    return request.client.host if request.client else ""


def cookie_secure(request: Request, settings: Settings) -> bool:
    """Whether the session cookie carries ``Secure`` (``MINSHENG_COOKIE_SECURE``, or the
    request came over HTTPS)."""
    return settings.cookie_secure or request.url.scheme == "https"


def token_ttl(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.token_ttl_minutes)


def secret_of(session: Session, settings: Settings) -> str:
    return security_service.get_secret(session, settings.secret_key)


def optional_principal(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    bearer: Annotated[str | None, Depends(oauth2_scheme)],
) -> Principal | None:
    token = bearer or request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return security_service.principal_from_token(
        session, secret=secret_of(session, settings), token=token
    )


def current_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise Unauthenticated("请先登录", "Sign in first")
    return principal


CurrentUser = Annotated[Principal, Depends(current_principal)]


def require(permission: str) -> Callable[[Principal], Principal]:
    """A dependency that lets the request through only with ``permission``."""

    def check(principal: CurrentUser) -> Principal:
        principal.require(permission)
        return principal

    check.__name__ = f"require_{permission.replace(':', '_')}"
    return check
