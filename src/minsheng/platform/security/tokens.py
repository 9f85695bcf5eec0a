"""Expiring signed bearer tokens (JWT, HS256); the same token serves as the page cookie.

Each token names the sign-in it belongs to (``sid``, a row of ``auth_session``), so that
signing out or changing the password revokes it before it expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from minsheng.platform.db import utcnow
from minsheng.platform.errors import Unauthenticated

_ALGORITHM = "HS256"


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    session_id: str


def issue_token(
    secret: str, *, user_id: int, ttl: timedelta, session_id: str = "",
    now: datetime | None = None,
) -> str:
    issued = now or utcnow()
    claims = {"sub": str(user_id), "sid": session_id, "iat": issued, "exp": issued + ttl}
    return jwt.encode(claims, secret, algorithm=_ALGORITHM)


def read_claims(secret: str, token: str) -> TokenClaims:
    """Who the token was issued to and in which sign-in; ``Unauthenticated`` if expired,
    altered, or issued without a sign-in session."""
    try:
        claims = jwt.decode(token, secret, algorithms=[_ALGORITHM],
                            options={"require": ["exp", "sub"]})
        sid = claims.get("sid")
        user_id = int(claims["sub"])
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("登录已过期，请重新登录", "Session expired, sign in again") from exc
    except (jwt.PyJWTError, ValueError) as exc:
        raise Unauthenticated("凭证无效", "Invalid credentials") from exc
    if not isinstance(sid, str) or not sid:
        raise Unauthenticated("凭证无效，请重新登录", "Invalid credentials, sign in again")
    return TokenClaims(user_id, sid)


def read_token(secret: str, token: str) -> int:
    """The user id the token was issued to; ``Unauthenticated`` if expired or altered."""
    return read_claims(secret, token).user_id
