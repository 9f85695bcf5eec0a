"""The administrator's account pages (账户管理) and the auditor's audit log (审计日志)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.platform.errors import DomainError, invalid_field
from minsheng.platform.security import admin
from minsheng.platform.security.admin import AuditFilter
from minsheng.platform.security.roles import ROLE_LABELS, Role
from minsheng.platform.security.service import add_user
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import FormFields, error_context, region_groups
from minsheng.platform.web.templating import Viewer, page_router, page_user_with, render

router = page_router()
Admin = Annotated[Viewer, Depends(page_user_with("users:manage"))]
Auditor = Annotated[Viewer, Depends(page_user_with("audit:read"))]
UserId = Annotated[int, Path(ge=1, le=2**31 - 1)]

NOTICES = {"created": "账户已创建。", "updated": "账户信息已保存。",
           "password": "密码已重置，该账户已在所有设备上退出登录。",
           "unlocked": "已解除登录锁定。", "not_locked": "该账户当前未被锁定。"}
LABELS = {"username": "用户名", "display_name": "姓名", "role": "角色", "region": "地区",
          "region_code": "地区", "password": "密码", "version": "版本",
          "date_from": "起始日期", "date_to": "截止日期"}


def _page_number(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 7 else 1


# --- accounts ------------------------------------------------------------------------


@router.get("/admin/users")
def users_page(request: Request, session: SessionDep, viewer: Admin, q: str = "",
               role: str = "", page: str = "1", notice: str = "",
               sort: str = "") -> HTMLResponse:
    role = role if role in {r.value for r in Role} else ""
    order = admin.USER_SORTING.parse(sort)
    sort_param = "" if order == admin.USER_SORTING.default else order.param
    listing = admin.list_users(session, viewer.principal, q=q[:64], role=role,
                               page=_page_number(page), sort=order)
    return render(request, "security/users.html", {
        "title": "账户管理", "active": "users", "listing": listing, "q": q[:64], "role": role,
        "roles": admin.role_options(), "role_labels": ROLE_LABELS,
        "locked": admin.locked_names(session, [u.username for u in listing.rows]),
        "query": urlencode({k: v for k, v in {"q": q[:64], "role": role,
                                              "sort": sort_param}.items() if v}),
        "user_sort": order, "user_sorting_default": admin.USER_SORTING.default,
        "notice": NOTICES.get(notice, ""),
    }, viewer=viewer)


def _new_form(request: Request, viewer: Viewer, form: dict[str, str],
              error: DomainError | None = None) -> HTMLResponse:
    return render(request, "security/user_new.html", {
        "title": "新增账户", "active": "users", "form": form, "roles": admin.role_options(),
        "region_groups": region_groups(viewer.principal), "labels": LABELS,
        **error_context(error),
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/admin/users/new")
def user_new(request: Request, viewer: Admin) -> HTMLResponse:
    return _new_form(request, viewer, {"role": "clerk"})


@router.post("/admin/users/new")
def user_create(request: Request, session: SessionDep, viewer: Admin,
                form: FormFields) -> Response:
    region = form.get("region_code", "").strip()
    try:
        if not viewer.principal.sees_region(region):
            raise invalid_field("region_code", "只能分配您管辖范围内的地区",
                                "assign a region within your own")
        if form.get("role", "") == Role.PEER_NODE:
            raise invalid_field("role", "请选择有效的角色", "choose a valid role")
        with session.begin_nested():
            user = add_user(session, actor=viewer.principal, username=form.get("username", ""),
                            role=form.get("role", ""), password=form.get("password", ""),
                            region_code=region, display_name=form.get("display_name", ""))
    except DomainError as error:
        return _new_form(request, viewer, {k: v for k, v in form.items() if k != "password"},
                         error)
    return RedirectResponse(f"/admin/users/{user.id}?notice=created", status_code=303)


def _user_page(request: Request, session: Session, viewer: Viewer, user_id: int, *,
               notice: str = "", form: dict[str, str] | None = None, which: str = "",
               error: DomainError | None = None) -> HTMLResponse:
    user = admin.user_for_admin(session, viewer.principal, user_id)
    return render(request, "security/user.html", {
        "title": "账户详情", "active": "users", "user": user,
        "locked": user.username in admin.locked_names(session, [user.username]),
        "roles": admin.role_options(), "role_labels": ROLE_LABELS,
        "region_groups": region_groups(viewer.principal), "labels": LABELS,
        "form": form or {}, "which": which, "notice": NOTICES.get(notice, ""),
        "is_self": user.id == viewer.principal.user_id, **error_context(error),
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/admin/users/{user_id}")
def user_page(request: Request, session: SessionDep, viewer: Admin, user_id: UserId,
              notice: str = "") -> HTMLResponse:
    return _user_page(request, session, viewer, user_id, notice=notice)


@router.post("/admin/users/{user_id}")
def user_update(request: Request, session: SessionDep, viewer: Admin, user_id: UserId,
                form: FormFields) -> Response:
    version = form.get("version", "")
    try:
        with session.begin_nested():
            admin.update_user(
                session, viewer.principal, user_id,
                version=int(version) if version.isdigit() and len(version) < 10 else -1,
                display_name=form.get("display_name", ""), role=form.get("role", ""),
                region_code=form.get("region_code", ""), active=form.get("active") == "1")
    except DomainError as error:
        return _user_page(request, session, viewer, user_id, form=form, which="edit",
                          error=error)
    return RedirectResponse(f"/admin/users/{user_id}?notice=updated", status_code=303)


@router.post("/admin/users/{user_id}/password")
def user_password(request: Request, session: SessionDep, viewer: Admin,
                  user_id: UserId, form: FormFields) -> Response:
    try:
        if form.get("password", "") != form.get("password_again", ""):
            raise invalid_field("password", "两次输入的密码不一致", "the passwords differ")
        with session.begin_nested():
            admin.reset_password(session, viewer.principal, user_id, form.get("password", ""))
    except DomainError as error:
        return _user_page(request, session, viewer, user_id, which="password", error=error)
    return RedirectResponse(f"/admin/users/{user_id}?notice=password", status_code=303)


@router.post("/admin/users/{user_id}/unlock")
def user_unlock(session: SessionDep, viewer: Admin, user_id: UserId) -> Response:
    lifted = admin.unlock_user(session, viewer.principal, user_id)
    return RedirectResponse(f"/admin/users/{user_id}?notice="
                            f"{'unlocked' if lifted else 'not_locked'}", status_code=303)


# --- the audit log -------------------------------------------------------------------


def _filter(actor: str, action: str, subject_type: str, subject_id: str, date_from: str,
            date_to: str) -> AuditFilter:
    return AuditFilter(actor=actor.strip()[:64], action=action.strip()[:64],
                       subject_type=subject_type.strip()[:32],
                       subject_id=subject_id.strip()[:64],
                       date_from=admin.parse_day(date_from, "date_from"),
                       date_to=admin.parse_day(date_to, "date_to"))


def _audit_page(request: Request, session: Session, viewer: Viewer, raw: dict[str, str],
                page: str, report: object = None, sort: str = "") -> HTMLResponse:
    error = None
    try:
        where = _filter(**raw)
    except DomainError as bad:
        where, error = AuditFilter(), bad
    order = admin.AUDIT_SORTING.parse(sort)
    sort_param = "" if order == admin.AUDIT_SORTING.default else order.param
    listing = admin.search_events(session, viewer.principal, where, _page_number(page),
                                  sort=order)
    return render(request, "security/audit.html", {
        "title": "审计日志", "active": "audit", "listing": listing, "filters": raw,
        "query": urlencode({**raw, **({"sort": sort_param} if sort_param else {})}),
        "event_sort": order, "event_sorting_default": admin.AUDIT_SORTING.default,
        "payload": admin.masked_payload, "report": report,
        "labels": LABELS, **error_context(error),
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/audit")
def audit_page(request: Request, session: SessionDep, viewer: Auditor, actor: str = "",
               action: str = "", subject_type: str = "", subject_id: str = "",
               date_from: str = "", date_to: str = "", page: str = "1",
               sort: str = "") -> HTMLResponse:
    raw = {"actor": actor, "action": action, "subject_type": subject_type,
           "subject_id": subject_id, "date_from": date_from, "date_to": date_to}
    return _audit_page(request, session, viewer, raw, page, sort=sort)


@router.post("/audit/verify")
def audit_verify(request: Request, session: SessionDep, viewer: Auditor) -> HTMLResponse:
    report = admin.verify(session, viewer.principal)
    raw = dict.fromkeys(("actor", "action", "subject_type", "subject_id", "date_from",
                         "date_to"), "")
    return _audit_page(request, session, viewer, raw, "1", report)


@router.get("/audit/export.xlsx")
def audit_export(session: SessionDep, viewer: Auditor, actor: str = "", action: str = "",
                 subject_type: str = "", subject_id: str = "", date_from: str = "",
                 date_to: str = "", sort: str = "") -> Response:
    where = _filter(actor, action, subject_type, subject_id, date_from, date_to)
    content = admin.export_events_xlsx(session, viewer.principal, where,
                                       admin.AUDIT_SORTING.parse(sort))
    return Response(content, media_type="application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet",
                    headers={"Content-Disposition": 'attachment; filename="audit-log.xlsx"'})
