"""Defences every request and response gets: security headers, ``Cache-Control:
no-store`` and CSRF tokens.

* :class:`DefenceHeaders` (ASGI middleware) adds a Content-Security-Policy that admits
  only the site's own scripts (no inline script, no ``eval``), forbids framing, turns off
  MIME sniffing, keeps the referrer on the site, and marks every answer but static files
  ``no-store`` so that a person page never comes back from a cache after sign-out.
* :func:`csrf_protect` (an application-wide dependency) refuses a state change made with
  the session cookie unless it carries the session's CSRF token: as the ``csrf_token``
  form field or the ``X-CSRF-Token`` header. ``static/js/app.js`` adds both, from the
  ``<meta name="csrf-token">`` of ``base.html``, to every POST form and HTMX request;
  ``csrf_field()`` renders the hidden field where a form must work without JavaScript.
  Bearer-token clients carry no ambient credential and are exempt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from fastapi import Request
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from minsheng.platform.errors import Forbidden
from minsheng.platform.web.deps import SESSION_COOKIE

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
#: Sign-in acts on no existing session (and is throttled); cross-site posts to it are
#: still refused by the browser's ``Sec-Fetch-Site``.
#: The exchange's inbox acts on the envelope's signature alone, never on a session.
CSRF_EXEMPT_PATHS = frozenset({"/login", "/api/v1/auth/token", "/api/v1/exchange/inbox"})

#: The pages' policy: only this site's scripts, styles, images and connections. Style
#: *attributes* stay allowed (ECharts' tooltips and a few templates use them); ``<style>``
#: elements and ``<link>`` follow ``style-src-elem`` (browsers without CSP 3 fall back to
#: ``style-src``).
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "style-src-elem 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
#: The interactive API documentation (FastAPI's Swagger UI and ReDoc) loads its bundle
#: from a CDN and starts it with an inline script; it shows no personal data.
API_DOCS_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com",
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly",
    "font-src 'self' https://fonts.gstatic.com",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
))
API_DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
STATIC_PREFIX = "/static/"
HSTS = "max-age=31536000"


def response_headers(path: str, *, https_only: bool) -> list[tuple[str, str]]:
    """The defence headers of the answer to ``path``."""
    policy = API_DOCS_POLICY if path in API_DOCS_PATHS else CONTENT_SECURITY_POLICY
    headers = [
        ("Content-Security-Policy", policy),
        ("X-Frame-Options", "DENY"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
    ]
    if not path.startswith(STATIC_PREFIX):
        headers.append(("Cache-Control", "no-store"))
    if https_only:
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


class DefenceHeaders:
    """ASGI middleware: the headers of :func:`response_headers` on every HTTP answer
    (a header the handler set itself, such as a photo's ``Cache-Control``, is kept)."""

    def __init__(self, app: ASGIApp, *, https_only: bool = False) -> None:
        self.app = app
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = response_headers(scope["path"], https_only=self.https_only)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


# --- CSRF ------------------------------------------------------------------------------


def csrf_token_for(session_cookie: str) -> str:
    """The CSRF token of a session: an HMAC keyed by the (HttpOnly, secret) session cookie,
    so a page of another site can neither read nor compute it, and a new sign-in gets a
    new one."""
    digest = hmac.new(session_cookie.encode(), b"minsheng-csrf-v1", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def csrf_token(request: Request | None) -> str:
    """The CSRF token of the request's session ("" without a session cookie)."""
    cookie = request.cookies.get(SESSION_COOKIE) if request is not None else None
    return csrf_token_for(cookie) if cookie else ""


@pass_context
def csrf_token_global(context: Context) -> str:
    """Template global ``csrf_token()``."""
    return csrf_token(context.get("request"))


@pass_context
def csrf_field_global(context: Context) -> Markup:
    """Template global ``csrf_field()``: the hidden form field carrying the token."""
    token = csrf_token(context.get("request"))
    if not token:
        return Markup("")
    return Markup(f'<input type="hidden" name="{CSRF_FIELD}" value="{escape(token)}">')


_REFUSED = ("页面已过期或请求来源无法确认，操作未执行；请刷新页面后重试",
            "CSRF check failed: reload the page and try again")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def _supplied_token(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.headers.get("content-type", "").split(";")[0].strip().lower() in _FORM_TYPES:
        value = (await request.form()).get(CSRF_FIELD)  # parsed once; handlers reuse it
        if isinstance(value, str):
            return value
    return ""


async def csrf_protect(request: Request) -> None:
    """Refuse a cross-site or token-less state change made with the session cookie (403:
    an error page for pages, a problem for the API)."""
    if request.method in SAFE_METHODS:
        return
    if request.headers.get("authorization", "").lower().startswith("bearer "):
        return  # a bearer client: no ambient credential a page of another site could use
    if request.headers.get("sec-fetch-site") in ("cross-site", "same-site"):
        raise Forbidden(*_REFUSED, extra={"reason": "cross_site"})
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie or request.url.path in CSRF_EXEMPT_PATHS:
        return
    supplied = await _supplied_token(request)
    if not supplied or not hmac.compare_digest(supplied.encode(), csrf_token_for(cookie).encode()):
        raise Forbidden(*_REFUSED, extra={"reason": "csrf"})
