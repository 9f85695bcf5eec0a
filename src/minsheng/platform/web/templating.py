"""Jinja2 for the HTML pages: one template environment, display filters, the page shell.

The kit's own templates (``base.html``, ``shell.html``, ``error.html``, ``_macros.html``)
live beside this module. Each domain's ``templates/`` folder is added by the app at start-up
(:func:`add_template_folder`) and addressed with the domain's name as prefix:
``registry/person_detail.html`` is ``hrss/registry/templates/person_detail.html``.

Page routers use :class:`PageRoute`, so that a ``DomainError`` a page does not handle
itself (404 for a record outside the clerk's district, 403 for a role without the
permission) is shown as a page instead of a JSON problem. HTMX requests and 401 keep
the JSON/toast/redirect behaviour of :mod:`minsheng.platform.web.problems`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from minsheng.platform import ids, paging, regions
from minsheng.platform.errors import DomainError, FieldError, NotFound, RuleViolation
from minsheng.platform.messages import field_label
from minsheng.platform.money import money_text
from minsheng.platform.offices import office_name
from minsheng.platform.security import service as security_service
from minsheng.platform.security.principal import Principal
from minsheng.platform.security.roles import (
    ECOLOGY_WORKSPACE,
    HRSS_WORKSPACE,
    ROLE_LABELS,
    Role,
    workspace_of,
)
from minsheng.platform.web.defences import csrf_field_global, csrf_token_global
from minsheng.platform.web.deps import CurrentUser, SessionDep
from minsheng.platform.web.printing import print_header

KIT_TEMPLATES = Path(__file__).resolve().parent / "templates"
_roots = jinja2.FileSystemLoader([KIT_TEMPLATES])
_prefixed: dict[str, jinja2.BaseLoader] = {}


def add_template_root(folder: Path) -> None:
    """Templates addressed without a prefix (the app's own: login, workbench, hall)."""
    if str(folder) not in _roots.searchpath:
        _roots.searchpath.append(str(folder))


def add_template_folder(prefix: str, folder: Path) -> None:
    """A domain's ``templates/`` folder, addressed as ``prefix/name.html``."""
    known = _prefixed.get(prefix)
    if isinstance(known, jinja2.FileSystemLoader) and known.searchpath != [str(folder)]:
        raise RuntimeError(f"two template folders claim the prefix {prefix!r}")
    _prefixed[prefix] = jinja2.FileSystemLoader(folder)


def _loader() -> jinja2.BaseLoader:
    return jinja2.ChoiceLoader([_roots, jinja2.PrefixLoader(_prefixed)])


# --- display filters --------------------------------------------------------------

GENDER_LABELS = {"M": "男", "F": "女"}
HUKOU_LABELS = {"urban": "城镇", "rural": "农村"}
SIZE_LABELS = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}


def mask_filter(number: str | None) -> str:
    """A resident ID masked for display (``5001**********1234``)."""
    return ids.mask_resident_id(number or "")


def region_name(code: str | None) -> str:
    """The GB/T 2260 name of a code, the code itself when unknown, "全部辖区" for ""."""
    if not code:
        return "全部辖区"
    return regions.name_of(code) or code


def gender_label(value: str | None) -> str:
    return GENDER_LABELS.get(value or "", value or "")


def hukou_label(value: str | None) -> str:
    return HUKOU_LABELS.get(value or "", value or "")


def size_label(value: str | None) -> str:
    return SIZE_LABELS.get(value or "", value or "")


def role_label(value: str | None) -> str:
    try:
        return ROLE_LABELS[Role(value or "")]
    except (ValueError, KeyError):
        return value or ""


#: China Standard Time (UTC+8, no daylight saving).
CHINA_TIME = timezone(timedelta(hours=8), "CST")


def local_time(moment: datetime | None) -> str:
    """A stored UTC timestamp as Beijing time, ``2026-11-28 14:05``."""
    if moment is None:
        return ""
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")


def due_in(days_left: int) -> str:
    """A deadline as people say it: 今天到期, 明天到期, 3 天后到期, 已逾期 2 天."""
    if days_left == 0:
        return "今天到期"
    if days_left == 1:
        return "明天到期"
    if days_left > 1:
        return f"{days_left} 天后到期"
    return f"已逾期 {-days_left} 天"


def utc_iso(moment: datetime) -> str:
    """A stored timestamp as ISO 8601 in UTC (``2026-12-05T08:30:00Z``), for scripts."""
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@jinja2.pass_context
def staff_name(context: jinja2.runtime.Context, username: str | None) -> str:
    """The display name of the account ``username`` (an audit actor, a payroll's starter),
    never the login name; looked up once per page and account."""
    if not username:
        return ""
    request = context.get("request")
    session = getattr(getattr(request, "state", None), "page_session", None)
    if session is None:
        return security_service.SYSTEM_DISPLAY_NAME if username == "system" else "工作人员"
    known: dict[str, str] | None = getattr(request.state, "staff_names", None)
    if known is None:
        known = request.state.staff_names = {}
    if username not in known:
        known.update(security_service.display_names(session, {username}))
    return known.get(username, username)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_loader(),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(
        mask=mask_filter,
        region_name=region_name,
        gender=gender_label,
        hukou=hukou_label,
        size_class=size_label,
        role_label=role_label,
        local_time=local_time,
        money=money_text,
        field_label=field_label,
        staff_name=staff_name,
        due_in=due_in,
        utc_iso=utc_iso,
    )
    env.globals["money"] = money_text
    env.globals["csrf_token"] = csrf_token_global
    env.globals["csrf_field"] = csrf_field_global
    env.globals["print_header"] = print_header
    # Lists: the pager's page numbers and a list's other filters in its links (_pager.html,
    # _sort.html).
    env.globals.update(page_window=paging.page_window, query_pairs=paging.query_pairs,
                       with_params=paging.with_params)
    return env


templates = Jinja2Templates(env=_environment())


# --- who is looking at the page -----------------------------------------------------


@dataclass(frozen=True)
class Workspace:
    """The shell a role works in: its platform title, its own stylesheet (a path under
    /static/: the accent colour) and body class; its menu is the navigation entries declared
    for it (``NavItem.workspace``)."""

    key: str
    title: str
    stylesheet: str = ""
    css_class: str = ""


WORKSPACES = {
    HRSS_WORKSPACE: Workspace(HRSS_WORKSPACE, "人力社保经办平台"),
    ECOLOGY_WORKSPACE: Workspace(ECOLOGY_WORKSPACE, "生态修复与土地整治平台",
                                 "css/workspace-ecology.css", "ws-ecology"),
}


@dataclass(frozen=True)
class Viewer:
    """The signed-in account as the page shell shows it."""

    principal: Principal
    display_name: str

    def can(self, permission: str) -> bool:
        return self.principal.can(permission)

    @property
    def is_staff(self) -> bool:
        return self.principal.is_staff

    @property
    def workspace(self) -> Workspace:
        """The workspace of the account's role (:func:`roles.workspace_of`)."""
        return WORKSPACES[workspace_of(self.principal.role)]

    @property
    def platform_name(self) -> str:
        """The platform the account works in: natural-resources staff see the ecology
        platform, everyone else the social-security one."""
        return self.workspace.title

    @property
    def bureau_name(self) -> str:
        """The office named in the shell of a workspace other than social security's (the
        social-security shell names none)."""
        if self.workspace.key == ECOLOGY_WORKSPACE:
            return office_name(self.principal.region_code, natural_resources=True)
        return ""


def page_user(principal: CurrentUser, session: SessionDep) -> Viewer:
    # The account was loaded to check the session cookie: no extra query.
    user = security_service.get_user(session, principal.user_id)
    return Viewer(principal, user.display_name or user.username)


def page_user_with(permission: str) -> Callable[[Viewer], Viewer]:
    """A page dependency that admits only accounts holding ``permission``."""

    def check(viewer: Annotated[Viewer, Depends(page_user)]) -> Viewer:
        viewer.principal.require(permission)
        return viewer

    check.__name__ = f"page_user_{permission.replace(':', '_')}"
    return check


PageUser = Annotated[Viewer, Depends(page_user)]


@dataclass(frozen=True)
class NavItem:
    """An entry of the staff workbench's left navigation; ``order`` sorts the entries."""

    label: str
    href: str | None  # None: shown disabled, "建设中"
    key: str
    permission: str | None = None
    order: int = 100
    #: The one workspace whose menu shows the entry ("": every workspace).
    workspace: str = ""


_nav: list[NavItem] = []


def add_nav(*items: NavItem) -> None:
    """Add entries to the navigation (the app does, from each domain's declaration)."""
    for item in items:
        if all(known.key != item.key for known in _nav):
            _nav.append(item)
    _nav.sort(key=lambda item: item.order)


def nav_for(viewer: Viewer) -> list[NavItem]:
    """Staff see the workbench navigation; citizens and employers the service hall only."""
    if not viewer.is_staff:
        return []
    workspace = viewer.workspace.key
    return [item for item in _nav if item.workspace in ("", workspace)
            and (item.permission is None or viewer.can(item.permission))]


def active_by_path(nav: list[NavItem], path: str) -> str:
    """The key of the menu entry a path belongs to: the longest ``href`` the path starts
    with (``/`` only for itself), "" when none."""
    best = ""
    key = ""
    for item in nav:
        href = item.href or ""
        if not href or (href == "/" and path != "/"):
            continue
        if (path == href or path.startswith(href.rstrip("/") + "/")) and len(href) > len(best):
            best, key = href, item.key
    return key


def render(
    request: Request,
    name: str,
    context: Mapping[str, Any] | None = None,
    *,
    viewer: Viewer | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render a page (or fragment); with a ``viewer`` the shell gets header and nav."""
    data: dict[str, Any] = {"me": viewer, "nav": nav_for(viewer) if viewer else [],
                            "active": "", "title": ""}
    data.update(context or {})
    if viewer is not None and viewer.workspace.key != HRSS_WORKSPACE:
        # A workspace's own menu names sub-pages: the entry of the page's path is active.
        data["active"] = active_by_path(data["nav"], request.url.path) or data["active"]
    return templates.TemplateResponse(request, name, data, status_code=status_code,
                                      headers=dict(headers or {}))


def is_fragment_request(request: Request, target: str) -> bool:
    """Whether HTMX asks for the fragment swapped into ``#target`` (not a history restore,
    which needs the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
        and request.headers.get("HX-Target") == target
    )


# --- errors on pages ---------------------------------------------------------------


def page_unit_of_work(request: Request, session: SessionDep) -> Iterator[None]:
    """A savepoint around a page handler: the error page of :class:`PageRoute` rolls it
    back, so nothing the handler wrote before failing is kept. The request's session
    dependency still commits (or rolls back) the whole request."""
    savepoint = session.begin_nested()
    request.state.page_savepoint = savepoint
    request.state.page_session = session
    try:
        yield
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    else:
        if savepoint.is_active:
            savepoint.commit()


#: The largest integer a database column of ours holds (BIGINT).
LARGEST_ID = 2**63 - 1
_INTEGER = re.compile(r"^[+-]?\d+$")


def _integer_params(route: APIRoute) -> tuple[set[str], set[str]]:
    """The names of ``route``'s integer path and query parameters."""
    path: set[str] = set()
    query: set[str] = set()
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        pending.extend(dependant.dependencies)
        for names, params in ((path, dependant.path_params), (query, dependant.query_params)):
            names.update(p.alias for p in params if "int" in str(p.field_info.annotation))
    return path, query


def page_numbers_in_range(request: Request) -> None:
    """A page's integer parameters fit the database: an id beyond 64 bits is a record
    that does not exist (404), a number beyond 64 bits in a query a refused input (422),
    never a server error."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    path, query = _integer_params(route)

    def too_large(value: str) -> bool:
        return bool(_INTEGER.match(value.strip())) and abs(int(value)) > LARGEST_ID

    if any(too_large(str(request.path_params.get(name, "0"))) for name in path):
        raise NotFound("您访问的记录不存在", "No such record")
    fields = [FieldError(name, "数值超出范围", "number out of range")
              for name in sorted(query) if too_large(request.query_params.get(name, "0"))]
    if fields:
        labels = "、".join(field_label(e.field) for e in fields)
        raise RuleViolation(f"请求数据无效：{labels}",
                            f"Invalid request: {', '.join(e.field for e in fields)}",
                            errors=fields)


#: Router dependencies of every page router (see :class:`PageRoute`).
PAGE_DEPENDENCIES = [Depends(page_unit_of_work, scope="function"),
                     Depends(page_numbers_in_range)]


#: The heading of an error page by HTTP status.
ERROR_TITLES = {400: "请求有误", 403: "无权访问", 404: "页面不存在", 405: "不支持的操作",
                409: "无法完成", 413: "文件过大", 422: "填写有误"}


def error_page(request: Request, error: DomainError) -> HTMLResponse:
    """A refusal as a page of its own: the Chinese text, fields named in Chinese."""
    return render(request, "error.html", {
        "problem": error.page_problem(),
        "title": ERROR_TITLES.get(error.status_code, "无法完成"),
    }, status_code=error.status_code)


class PageRoute(APIRoute):
    """A page route: an unhandled ``DomainError`` becomes an error page (after the page's
    savepoint is rolled back, so nothing partial is committed); HTMX requests and 401 go
    on to the application's handlers (toast, redirect to the login page)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_page(request: Request) -> Response:
            try:
                return await handle(request)
            except DomainError as error:
                if error.status_code == 401 or request.headers.get("HX-Request"):
                    raise
                savepoint = getattr(request.state, "page_savepoint", None)
                if savepoint is not None and savepoint.is_active:
                    await run_in_threadpool(savepoint.rollback)
                return error_page(request, error)

        return handle_page


def page_router() -> APIRouter:
    """A router of HTML pages: out of the OpenAPI document, each handler in a savepoint,
    an unhandled domain error shown as an error page (:class:`PageRoute`)."""
    return APIRouter(include_in_schema=False, route_class=PageRoute,
                     dependencies=PAGE_DEPENDENCIES)
