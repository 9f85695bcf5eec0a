"""Expiring signed bearer tokens (JWT, HS256); the same token serves as the page cookie."""

from __future__ import annotations

from datetime import datetime, timedelta

import jwt

from minsheng.platform.db import utcnow
from minsheng.platform.errors import Unauthenticated

_ALGORITHM = "HS256"


def issue_token(secret: str, *, user_id: int, ttl: timedelta, now: datetime | None = None) -> str:
    issued = now or utcnow()
    claims = {"sub": str(user_id), "iat": issued, "exp": issued + ttl}
    return jwt.encode(claims, secret, algorithm=_ALGORITHM)


def read_token(secret: str, token: str) -> int:
    """The user id the token was issued to; ``Unauthenticated`` if expired or altered."""
    try:
        claims = jwt.decode(token, secret, algorithms=[_ALGORITHM], options={"require": ["exp"]})
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("登录已过期，请重新登录", "Session expired, sign in again") from exc
    except jwt.PyJWTError as exc:
        raise Unauthenticated("凭证无效", "Invalid credentials") from exc
    return int(claims["sub"])
