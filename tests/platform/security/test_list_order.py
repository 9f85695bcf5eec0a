"""The account list and the audit log sort by the column clicked: the order is checked
against one computed here from the rows made, an unknown order is the default (never an
error), and the audit export holds the rows in the order the page shows."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.platform.security import audit
from minsheng.platform.security.models import AuditEvent, UserAccount
from tests import factories as f
from tests.exports import sheet_rows
from tests.live import sign_in

REGION = "500154"
BOGUS = ("id;drop table user_account", "-", "username desc", "x" * 500)


def _link(page: str, testid: str) -> str:
    match = re.search(r'href="([^"]+)"[^>]*data-testid="' + testid + '"', page)
    assert match, f"no link {testid}"
    return html.unescape(match.group(1))


def _users(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="user-row" data-user="(\d+)"', page)]


def _events(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="event-row" data-event="(\d+)"', page)]


class TestAccountList:
    def _accounts(self, session: Session) -> list[UserAccount]:
        for name, role in (("srtc", "clerk"), ("srta", "reviewer"), ("srtd", "clerk"),
                           ("srtb", "case_officer")):
            f.staff(session, role, REGION, username=name)
        return list(session.scalars(select(UserAccount).where(UserAccount.username.like("srt%"))))

    def test_sorted_by_role_and_by_name_descending_keeping_the_search(
        self, client: TestClient, session: Session
    ) -> None:
        made = self._accounts(session)
        sign_in(client, f.staff(session, "admin", REGION, username="boss1"))
        by_role = sorted(made, key=lambda u: (u.role, u.username))
        page = client.get("/admin/users", params={"q": "srt", "sort": "role"}).text
        assert _users(page) == [u.id for u in by_role]
        # The header offers the other direction and keeps the search.
        header = _link(page, "sort-username")
        assert "q=srt" in header and "sort=username" in header
        page = client.get("/admin/users", params={"q": "srt", "sort": "-username"}).text
        descending = sorted(made, key=lambda u: u.username, reverse=True)
        assert _users(page) == [u.id for u in descending]
        assert 'name="sort" value="-username"' in page

    def test_an_unknown_order_is_the_default(self, client: TestClient,
                                             session: Session) -> None:
        made = self._accounts(session)
        sign_in(client, f.staff(session, "admin", REGION, username="boss1"))
        default = _users(client.get("/admin/users", params={"q": "srt"}).text)
        assert default == [u.id for u in sorted(made, key=lambda u: u.username)]
        for bogus in BOGUS:
            response = client.get("/admin/users", params={"q": "srt", "sort": bogus})
            assert response.status_code == 200
            assert _users(response.text) == default


class TestAuditLogOrder:
    def _record(self, session: Session) -> dict[int, AuditEvent]:
        for n, action in enumerate(("probe.b", "probe.c", "probe.a", "probe.b")):
            audit.record(session, actor="sorter", action=action, subject_type="person",
                         subject_id=f"s{n}", payload={})
        session.flush()
        rows = session.scalars(select(AuditEvent).where(AuditEvent.actor == "sorter"))
        return {e.seq: e for e in rows}

    def test_sorted_by_action_and_exported_in_that_order(
        self, client: TestClient, session: Session
    ) -> None:
        made = self._record(session)
        sign_in(client, f.staff(session, "auditor", ""))
        page = client.get("/audit", params={"actor": "sorter", "sort": "action"}).text
        expected = sorted(made.values(), key=lambda e: (e.action, -e.seq))
        assert _events(page) == [e.seq for e in expected]
        export = _link(page, "export")
        assert "sort=action" in export and "actor=sorter" in export
        rows = sheet_rows(client.get(export).content)
        assert [(r[3], r[5]) for r in rows[1:]] == [(e.action, e.subject_id) for e in expected]
        header = _link(page, "sort-action")
        assert "actor=sorter" in header and "sort=-action" in header

    def test_newest_first_by_default_and_for_an_unknown_order(
        self, client: TestClient, session: Session
    ) -> None:
        made = self._record(session)
        sign_in(client, f.staff(session, "auditor", ""))
        default = _events(client.get("/audit", params={"actor": "sorter"}).text)
        assert default == sorted(made, reverse=True)
        for bogus in BOGUS:
            response = client.get("/audit", params={"actor": "sorter", "sort": bogus})
            assert response.status_code == 200
            assert _events(response.text) == default
            assert client.get("/audit/export.xlsx", params={"sort": bogus}).status_code == 200
