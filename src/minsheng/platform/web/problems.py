"""The one place where errors become HTTP responses (JSON problem, or an HTMX toast)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import escape
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from minsheng.platform.errors import Conflict, DomainError, FieldError, RuleViolation
from minsheng.platform.types import messages_of

_STALE = Conflict(
    "记录已被他人修改，请刷新后重试", "Record changed by someone else; reload and retry"
)


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/")


def _toast(problem: dict[str, Any]) -> HTMLResponse:
    lines = "".join(
        f"<li>{escape(e['field'])}：{escape(e['message'])}</li>" for e in problem.get("errors", [])
    )
    body = (
        f'<div class="toast toast-error" role="alert"><strong>{escape(problem["detail"])}</strong>'
        f'<span class="en">{escape(problem["detail_en"])}</span>'
        f"{'<ul>' + lines + '</ul>' if lines else ''}</div>"
    )
    # HTMX swaps only 2xx by default; the toast goes to the #toasts area.
    return HTMLResponse(body, status_code=200, headers={"HX-Retarget": "#toasts",
                                                         "HX-Reswap": "innerHTML"})


def render_problem(request: Request, error: DomainError) -> Response:
    problem = error.as_problem()
    if request.headers.get("HX-Request"):
        return _toast(problem)
    if error.status_code == 401 and _wants_html(request):
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    return JSONResponse(problem, status_code=error.status_code)


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        return render_problem(request, exc)

    @app.exception_handler(StaleDataError)
    async def _stale(request: Request, exc: StaleDataError) -> Response:
        return render_problem(request, _STALE)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        # FastAPI answers a body it cannot parse (a multipart body without its boundary
        # or cut short, a form it cannot decode) with a bare 400: that is bad input, a
        # 422 problem with the reason. Every other HTTP error keeps its default answer.
        if exc.status_code == 400:
            return render_problem(request, RuleViolation(
                "请求内容无法解析（格式损坏或不完整）", f"Malformed request body: {exc.detail}",
                errors=[FieldError("body", "请求内容无法解析", str(exc.detail))]))
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            FieldError(
                ".".join(str(p) for p in e["loc"] if p not in ("body", "query", "path", "form")),
                *messages_of(e, "格式不正确或缺失"),
            )
            for e in exc.errors()
        ]
        names = ", ".join(e.field for e in errors)
        return render_problem(
            request,
            RuleViolation(f"请求数据无效：{names}", f"Invalid request: {names}", errors=errors),
        )
