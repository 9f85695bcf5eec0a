"""HTML pages: sign-in, sign-out, the staff workbench and the citizens' service hall.

Domain pages (``/persons``, ``/employers``, ``/imports`` ...) live in each domain's
``pages.py``; the app includes them from the domains' declarations.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from minsheng.hrss.insurance import service as insurance_service
from minsheng.hrss.registry import service as registry_service
from minsheng.platform import worklist
from minsheng.platform.cases import rules as case_rules
from minsheng.platform.cases import service as cases_service
from minsheng.platform.errors import RuleViolation, Unauthenticated
from minsheng.platform.security import audit
from minsheng.platform.security import service as security_service
from minsheng.platform.security.throttle import LockedOut, ThrottlePolicy
from minsheng.platform.web.deps import (
    SESSION_COOKIE,
    SessionDep,
    SettingsDep,
    client_address,
    cookie_secure,
    secret_of,
    token_ttl,
)
from minsheng.platform.web.templating import PageUser, add_template_root, page_router, render

add_template_root(Path(__file__).resolve().parent / "templates")
router = page_router()

WEEKDAYS = "一二三四五六日"
HALL_SERVICES = ("参保信息查询", "缴费记录", "社会保障卡", "我的养老金", "养老待遇资格认证",
                 "失业保险金申领", "求职招聘", "劳动保障投诉", "英才服务卡", "我的人事档案",
                 "川渝通办")
#: Hall services that are live: label → page.
HALL_LINKS = {"社会保障卡": "/my/card", "参保信息查询": "/my/insurance",
              "缴费记录": "/my/insurance#contributions-card", "我的养老金": "/my/pension",
              "失业保险金申领": "/my/unemployment",
              "养老待遇资格认证": "/my/pension#certification",
              "求职招聘": "/jobs", "劳动保障投诉": "/my/labour",
              "英才服务卡": "/my/talent/card", "我的人事档案": "/my/talent/file"}

#: How many of the newest cases the hall lists (all of them: 我的办件).
HALL_CASES = 5


def local_path(target: str | None) -> str:
    """``target`` if it is a path on this site, else ``/`` (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target or any(ord(c) < 32 for c in target):
        return "/"
    return target


def _login_page(
    request: Request, settings: SettingsDep, *, next_path: str, username: str = "",
    error: str | None = None, status_code: int = 200,
) -> HTMLResponse:
    return render(request, "login.html", {
        "title": "登录", "next": local_path(next_path), "username": username, "error": error,
        "ttl_hours": f"{token_ttl(settings).total_seconds() / 3600:g}",
    }, status_code=status_code)


@router.get("/login")
def login_form(
    request: Request, settings: SettingsDep,
    next_path: Annotated[str, Query(alias="next")] = "/",
) -> HTMLResponse:
    return _login_page(request, settings, next_path=next_path)


@router.post("/login")
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next_path: Annotated[str, Form(alias="next")] = "/",
) -> Response:
    """Check the password (throttled per account and client address), set the HttpOnly
    session cookie and go where the user was heading."""
    username = username.strip()
    if not username or not password:
        return _login_page(request, settings, next_path=next_path, username=username,
                           error="请输入用户名和密码", status_code=401)
    address = client_address(request)
    try:
        user = security_service.sign_in(session, username, password, address=address,
                                        channel="page", policy=ThrottlePolicy.of(settings))
    except (Unauthenticated, LockedOut) as exc:
        # Answer instead of raising, so that the audit event and the count are committed.
        return _login_page(request, settings, next_path=next_path, username=username,
                           error=exc.message, status_code=exc.status_code)
    audit.record(session, actor=user.username, action="auth.login",
                 subject_type="user_account", subject_id=user.id)
    previous = request.cookies.get(SESSION_COOKIE)
    if previous:  # a new sign-in in this browser ends the one it replaces
        security_service.end_session(session, secret=secret_of(session, settings),
                                     token=previous)
    ttl = token_ttl(settings)
    token = security_service.start_session(session, user, secret=secret_of(session, settings),
                                           ttl=ttl, channel="page", address=address)
    response = RedirectResponse(local_path(next_path), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=int(ttl.total_seconds()), httponly=True,
        samesite="lax", secure=cookie_secure(request, settings), path="/",
    )
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """Revoke the sign-in (a copy of the cookie is refused from now on) and clear the cookie."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        security_service.end_session(session, secret=secret_of(session, settings), token=token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=cookie_secure(request, settings))
    return response


@router.get("/")
def home(request: Request, session: SessionDep, viewer: PageUser) -> HTMLResponse:
    """Staff: the workbench with counts in their region scope. Citizens and employers:
    the online service hall with their own record."""
    actor = viewer.principal
    if not viewer.is_staff:
        person = employer = record = None
        if actor.person_id is not None:
            person = registry_service.view_person(
                registry_service.read_person(session, actor, actor.person_id), actor)
            try:
                record = insurance_service.pension_record(session, actor, actor.person_id)
            except RuleViolation:  # no contribution rule on record: /my/insurance says why
                record = None
        elif actor.employer_id is not None:
            employer = registry_service.view_employer(
                registry_service.read_employer(session, actor, actor.employer_id))
        return render(request, "hall.html", {
            "title": "网上服务大厅", "person": person, "employer": employer, "record": record,
            "services": HALL_SERVICES, "links": HALL_LINKS,
            "cases": cases_service.my_cases(session, actor)[:HALL_CASES],
            "stage_labels": case_rules.STAGE_LABELS,
        }, viewer=viewer)
    person_count = employer_count = 0
    if viewer.can("registry:read"):
        person_count = registry_service.search_persons(session, actor, size=1).total
        employer_count = registry_service.search_employers(session, actor, size=1)[1]
    today = date.today()
    return render(request, "workbench.html", {
        "title": "工作台", "active": "home", "person_count": person_count,
        "employer_count": employer_count, "work": worklist.waiting_work(session, actor, today),
        "date": today,
        "today": f"{today.year}年{today.month}月{today.day}日 星期{WEEKDAYS[today.weekday()]}",
    }, viewer=viewer)
