"""The one place where errors become HTTP responses: a JSON problem for the API (Chinese
``detail`` and English ``detail_en``), an error page in Chinese for everything else, an
HTMX toast for partial requests."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from markupsafe import escape
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from minsheng.platform.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    NotFound,
    RuleViolation,
    Unauthenticated,
)
from minsheng.platform.messages import field_label, validation_message
from minsheng.platform.types import messages_of
from minsheng.platform.web.templating import error_page

_STALE = Conflict(
    "记录已被他人修改，请刷新后重试", "Record changed by someone else; reload and retry"
)


def wants_html(request: Request) -> bool:
    """Pages (everything outside ``/api/``) answer in HTML, the API in JSON."""
    return not request.url.path.startswith("/api/")


def _toast(problem: dict[str, Any]) -> HTMLResponse:
    lines = "".join(
        f"<li>{escape(e['field'])}：{escape(e['message'])}</li>" for e in problem.get("errors", [])
    )
    body = (
        f'<div class="toast toast-error" role="alert"><strong>{escape(problem["detail"])}</strong>'
        f"{'<ul>' + lines + '</ul>' if lines else ''}</div>"
    )
    # HTMX swaps only 2xx by default; the toast goes to the #toasts area.
    return HTMLResponse(body, status_code=200, headers={"HX-Retarget": "#toasts",
                                                         "HX-Reswap": "innerHTML"})


def render_problem(request: Request, error: DomainError) -> Response:
    """``error`` as the caller reads it: a toast (HTMX), the sign-in page (401 on a page),
    an error page (other pages) or a JSON problem (the API)."""
    if request.headers.get("HX-Request"):
        return _toast(error.page_problem())
    if wants_html(request):
        if error.status_code == 401:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return error_page(request, error)
    return JSONResponse(error.as_problem(), status_code=error.status_code)


#: What an HTTP error of the framework (no route, wrong method, ...) means, by status.
_HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("请求有误", "Bad request"),
    401: ("请先登录", "Sign in first"),
    403: ("无权访问", "Forbidden"),
    404: ("您访问的页面不存在", "Not found"),
    405: ("不支持此操作方式", "Method not allowed"),
    413: ("上传的内容过大", "Request entity too large"),
    415: ("不支持的内容类型", "Unsupported media type"),
}


def _http_error_class(status: int) -> type[DomainError]:
    known: dict[int, type[DomainError]] = {401: Unauthenticated, 403: Forbidden, 404: NotFound}
    if status in known:
        return known[status]
    return type(f"HTTPError{status}", (DomainError,), {"status_code": status,
                                                        "code": "http_error"})


#: Domain errors standing for the framework's HTTP errors, by status.
_HTTP_ERROR_CLASSES: dict[int, type[DomainError]] = {}


def http_error(status: int) -> DomainError:
    """A framework HTTP error (no such route, wrong method, ...) as a domain error of the
    same status, with its Chinese and English text."""
    if status not in _HTTP_ERROR_CLASSES:
        _HTTP_ERROR_CLASSES[status] = _http_error_class(status)
    zh, en = _HTTP_ERRORS.get(status, ("请求无法处理", "The request cannot be processed"))
    return _HTTP_ERROR_CLASSES[status](zh, en)


def _path_is_wrong(errors: list[dict[str, Any]]) -> bool:
    return bool(errors) and all(e["loc"] and e["loc"][0] == "path" for e in errors)


def validation_problem(request: Request, exc: RequestValidationError) -> DomainError:
    """The request parser's refusal: each field named (by code for the API, by its Chinese
    label in the Chinese text) with what is wrong with it."""
    raw = list(exc.errors())
    if wants_html(request) and _path_is_wrong(raw):
        # /persons/abc: no such record, whatever the id's shape.
        return NotFound("您访问的记录不存在", "No such record")
    errors = []
    for e in raw:
        code = ".".join(str(p) for p in e["loc"] if p not in ("body", "query", "path", "form"))
        errors.append(FieldError(code, *messages_of(e, validation_message(e["type"],
                                                                          e.get("ctx")))))
    # Pages name fields in Chinese only; API clients also get the field's code where it
    # has no Chinese name (an unknown field they sent, say).
    html = wants_html(request)
    labels = "、".join(dict.fromkeys(
        label if html or label != field_label("?") else e.field
        for e in errors for label in [field_label(e.field)]))
    names = ", ".join(e.field for e in errors)
    return RuleViolation(f"请求数据无效：{labels}", f"Invalid request: {names}", errors=errors)


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
        # 422 problem with the reason.
        if exc.status_code == 400:
            return render_problem(request, RuleViolation(
                "请求内容无法解析（格式损坏或不完整）", f"Malformed request body: {exc.detail}",
                errors=[FieldError("body", "请求内容无法解析", str(exc.detail))]))
        response = render_problem(request, http_error(exc.status_code))
        for key, value in (exc.headers or {}).items():
            response.headers.setdefault(key, value)
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        return render_problem(request, validation_problem(request, exc))
