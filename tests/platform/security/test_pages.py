"""The administrator's account pages and the auditor's audit log, through the pages."""

from __future__ import annotations

import io

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.platform.db import utcnow
from minsheng.platform.security import audit
from minsheng.platform.security.models import AuditEvent, LoginThrottle, UserAccount
from tests import factories as f
from tests.live import sign_in


def _user(session: Session, username: str) -> UserAccount:
    user = session.scalar(select(UserAccount).where(UserAccount.username == username))
    assert user is not None
    return user


def _actions(session: Session, subject_id: int) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).where(
        AuditEvent.subject_type == "user_account", AuditEvent.subject_id == str(subject_id))
        .order_by(AuditEvent.seq)))


class TestAccounts:
    def test_admin_sees_only_accounts_of_their_region(self, client: TestClient,
                                                      session: Session) -> None:
        mine = f.staff(session, "clerk", "500103", username="yz-clerk")
        f.staff(session, "clerk", "510104", username="cd-clerk")
        sign_in(client, f.staff(session, "admin", "500000", username="cq-admin"))
        page = client.get("/admin/users", params={"q": "clerk"})
        assert page.status_code == 200
        assert "yz-clerk" in page.text and "cd-clerk" not in page.text
        assert "窗口经办员" in page.text  # the role in Chinese, not its code
        other = _user(session, "cd-clerk")
        assert client.get(f"/admin/users/{other.id}").status_code == 403
        assert client.get(f"/admin/users/{mine.user_id}").status_code == 200

    def test_create_then_refuse_a_duplicate_and_a_region_outside(self, client: TestClient,
                                                                 session: Session) -> None:
        sign_in(client, f.staff(session, "admin", "500000"))
        made = client.post("/admin/users/new", data={
            "username": "new-clerk", "display_name": "王新", "role": "clerk",
            "region_code": "500106", "password": "Clerk@2026x"}, follow_redirects=False)
        assert made.status_code == 303
        user = _user(session, "new-clerk")
        assert (user.role, user.region_code, user.display_name) == ("clerk", "500106", "王新")
        assert _actions(session, user.id) == ["user.create"]
        again = client.post("/admin/users/new", data={
            "username": "new-clerk", "role": "clerk", "region_code": "500106",
            "password": "Clerk@2026x"})
        assert again.status_code == 409 and "已存在" in again.text
        outside = client.post("/admin/users/new", data={
            "username": "cd-new", "role": "clerk", "region_code": "510104",
            "password": "Clerk@2026x"})
        assert outside.status_code == 422 and "管辖范围" in outside.text
        assert session.scalar(select(UserAccount).where(UserAccount.username == "cd-new")) \
            is None

    def test_disable_signs_the_account_out_and_a_stale_form_is_refused(
            self, client: TestClient, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        admin_client = client
        sign_in(admin_client, f.staff(session, "admin", "500000"))
        user = _user(session, clerk.username)
        stale = admin_client.post(f"/admin/users/{user.id}", data={
            "version": str(user.version + 5), "display_name": "x", "role": "reviewer",
            "region_code": "500103", "active": "1"})
        assert stale.status_code == 409 and "已被他人修改" in stale.text
        session.refresh(user)
        assert user.role == "clerk"
        saved = admin_client.post(f"/admin/users/{user.id}", data={
            "version": str(user.version), "display_name": user.display_name, "role": "clerk",
            "region_code": "500103", "active": "0"}, follow_redirects=False)
        assert saved.status_code == 303
        session.refresh(user)
        assert user.active is False
        assert _actions(session, user.id)[-1] == "user.update"

    def test_admin_may_not_disable_themself(self, client: TestClient,
                                            session: Session) -> None:
        me = f.staff(session, "admin", "500000")
        sign_in(client, me)
        user = _user(session, me.username)
        refused = client.post(f"/admin/users/{user.id}", data={
            "version": str(user.version), "display_name": "", "role": "admin",
            "region_code": "500000", "active": "0"})
        assert refused.status_code == 422
        session.refresh(user)
        assert user.active is True

    def test_reset_password_and_unlock(self, client: TestClient, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        session.add(LoginThrottle(kind="account", key=clerk.username, failures=5,
                                  locked_at=utcnow(), locked_until=None))
        session.flush()
        sign_in(client, f.staff(session, "admin", "500000"))
        user = _user(session, clerk.username)
        page = client.get(f"/admin/users/{user.id}")
        assert "登录已锁定" in page.text and 'data-testid="unlock"' in page.text
        assert client.post(f"/admin/users/{user.id}/unlock").status_code == 200
        assert session.get(LoginThrottle, ("account", clerk.username)) is None
        differ = client.post(f"/admin/users/{user.id}/password", data={
            "password": "Another@2026", "password_again": "Another@2027"})
        assert differ.status_code == 422 and "不一致" in differ.text
        done = client.post(f"/admin/users/{user.id}/password", data={
            "password": "Another@2026", "password_again": "Another@2026"})
        assert done.status_code == 200 and "密码已重置" in done.text
        assert _actions(session, user.id)[-1] == "user.password"

    def test_other_roles_may_not(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        assert client.get("/admin/users").status_code == 403
        assert client.post("/admin/users/new", data={}).status_code == 403


class TestAuditLog:
    def test_filter_page_masks_ids_verifies_and_exports(self, client: TestClient,
                                                        session: Session) -> None:
        number = f.resident_id("500103")
        for i in range(55):
            audit.record(session, actor="probe", action="probe.read", subject_type="person",
                         subject_id=i, payload={"resident_id": number})
        sign_in(client, f.staff(session, "auditor", ""))
        page = client.get("/audit", params={"actor": "probe"})
        assert page.status_code == 200
        assert "共 55 条事件" in page.text
        assert number not in page.text and number[:4] + "*" * 10 + number[-4:] in page.text
        assert "第 1 / 2 页" in page.text
        second = client.get("/audit", params={"actor": "probe", "page": "2"})
        assert second.text.count("probe.read") == 5
        verified = client.post("/audit/verify")
        assert "审计链完整" in verified.text
        export = client.get("/audit/export.xlsx", params={"actor": "probe"})
        assert export.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert len(rows) == 56 and rows[0][0] == "链上序号"
        assert all(number not in str(r) for r in rows)
        assert session.scalar(select(AuditEvent.action).order_by(AuditEvent.seq.desc())
                              .limit(1)) == "audit.export"

    def test_a_bad_date_is_explained(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "auditor", ""))
        page = client.get("/audit", params={"date_from": "2026-02-30"})
        assert page.status_code == 422 and "日期格式应为" in page.text

    def test_clerks_may_not_read_it(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        assert client.get("/audit").status_code == 403
