"""Security headers, ``Cache-Control: no-store``, CSRF tokens and the session cookie's
``Secure`` flag, through the test client; and the templates hold nothing the
Content-Security-Policy would refuse."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.registry.models import Person
from minsheng.platform.config import Settings
from minsheng.platform.web.defences import CSRF_FIELD, CSRF_HEADER, csrf_token_for
from minsheng.platform.web.deps import SESSION_COOKIE
from tests import factories as f
from tests.live import csrf_headers, sign_in

SRC = Path(__file__).resolve().parents[3] / "src" / "minsheng"


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (p.split() for p in policy.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def _person_form(**overrides: str) -> dict[str, str]:
    return {"resident_id": f.resident_id("500103"), "name": "钱多多",
            "phone": "13911112222", "hukou_region": "500103",
            "residence_region": "500103", "hukou_type": "urban", **overrides}


def _without_comments(template: str) -> str:
    """The template without its ``{# … #}`` comments (line numbers kept)."""
    return re.sub(r"\{#.*?#\}", lambda m: "\n" * m.group().count("\n"), template, flags=re.S)


def _persons(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Person)) or 0


class TestSecurityHeaders:
    def _assert_defended(self, response: object, what: str) -> None:
        headers = response.headers  # type: ignore[attr-defined]
        policy = _directives(headers["content-security-policy"])
        assert policy["default-src"] == ["'self'"], what
        assert policy["script-src"] == ["'self'"], what  # no 'unsafe-inline', no 'unsafe-eval'
        assert policy["frame-ancestors"] == ["'none'"], what
        assert policy["object-src"] == ["'none'"], what
        assert headers["x-frame-options"] == "DENY", what
        assert headers["x-content-type-options"] == "nosniff", what
        assert headers["referrer-policy"] in ("same-origin", "strict-origin",
                                              "no-referrer"), what

    def test_pages_api_errors_and_static_files_carry_them(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session, name="头部检查")
        anonymous = {"login page": client.get("/login"),
                     "unknown URL": client.get("/no-such-page"),
                     "API refusal": client.get("/api/v1/auth/me"),
                     "static file": client.get("/static/js/app.js"),
                     "public estimator": client.get("/pension/estimate")}
        sign_in(client, f.staff(session, "clerk", "500103"))
        signed_in = {"workbench": client.get("/"),
                     "person page": client.get(f"/persons/{person.id}"),
                     "API": client.get(f"/api/v1/persons/{person.id}")}
        for what, response in {**anonymous, **signed_in}.items():
            self._assert_defended(response, what)
        assert signed_in["person page"].status_code == 200
        assert signed_in["API"].status_code == 200

    def test_pages_and_api_answers_are_not_stored_static_files_may_be(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session, name="不缓存")
        sign_in(client, f.staff(session, "clerk", "500103"))
        for path in ("/", f"/persons/{person.id}", f"/api/v1/persons/{person.id}",
                     "/persons?q=不缓存", "/login"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.headers["cache-control"] == "no-store", path
        static = client.get("/static/css/app.css")
        assert static.status_code == 200
        assert "no-store" not in static.headers.get("cache-control", "")

    def test_no_hsts_over_plain_http_by_default(self, client: TestClient) -> None:
        assert "strict-transport-security" not in client.get("/login").headers


class TestTemplatesObeyThePolicy:
    """What the policy refuses must not be in a template: the browser would drop it."""

    TEMPLATES = sorted(SRC.rglob("templates/*.html"))

    def test_templates_were_found(self) -> None:
        assert len(self.TEMPLATES) > 50

    @pytest.mark.parametrize("pattern, what", [
        (r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", "inline <script>"),
        (r"<[a-zA-Z][^>]*\son[a-z]+\s*=", "on…= handler attribute"),
        (r"<style[\s>]", "<style> element"),
        (r"""href=["']javascript:(?!history\.back\(\))""", "javascript: link"),
    ])
    def test_nothing_inline(self, pattern: str, what: str) -> None:
        found = [f"{path.relative_to(SRC)}:{text.count(chr(10), 0, m.start()) + 1}"
                 for path in self.TEMPLATES
                 for text in [_without_comments(path.read_text(encoding="utf-8"))]
                 for m in re.finditer(pattern, text)]
        assert found == [], f"{what} in templates: {found}"

    def test_only_local_scripts_and_styles(self) -> None:
        for path in self.TEMPLATES:
            text = _without_comments(path.read_text(encoding="utf-8"))
            for url in re.findall(r"<(?:script|link)[^>]*(?:src|href)=\"([^\"]+)\"", text):
                assert url.startswith("/static/"), f"{path.relative_to(SRC)}: {url}"


class TestCsrf:
    def test_the_token_is_on_every_signed_in_page(
        self, client: TestClient, session: Session
    ) -> None:
        assert 'name="csrf-token"' not in client.get("/login").text  # no session, no token
        sign_in(client, f.staff(session, "clerk", "500103"))
        token = csrf_token_for(client.cookies[SESSION_COOKIE])
        page = client.get("/").text
        assert f'<meta name="csrf-token" content="{token}">' in page
        # The sign-out form carries it as a field too (works without script).
        assert f'name="{CSRF_FIELD}" value="{token}"' in page

    def test_a_page_post_without_or_with_a_wrong_token_is_a_chinese_403_page(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        good = client.headers.pop(CSRF_HEADER)
        before = _persons(session)
        for headers in ({}, {CSRF_HEADER: "forged"}, {CSRF_HEADER: good[:-1] + "x"}):
            response = client.post("/persons/new", data=_person_form(), headers=headers)
            assert response.status_code == 403, headers
            assert response.headers["content-type"].startswith("text/html")
            assert '<html lang="zh-CN">' in response.text
            assert "请刷新页面后重试" in response.text
        wrong_field = client.post("/persons/new", data={**_person_form(), CSRF_FIELD: "x"})
        assert wrong_field.status_code == 403
        assert _persons(session) == before

    def test_the_token_as_form_field_or_header_is_accepted(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        token = client.headers.pop(CSRF_HEADER)
        by_field = client.post("/persons/new", data={**_person_form(), CSRF_FIELD: token},
                               follow_redirects=False)
        assert by_field.status_code == 303, by_field.text
        by_header = client.post("/persons/new", data=_person_form(),
                                headers={CSRF_HEADER: token}, follow_redirects=False)
        assert by_header.status_code == 303, by_header.text

    def test_multipart_uploads_carry_it_as_a_field(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        token = client.headers.pop(CSRF_HEADER)
        rows = "resident_id,name,phone,hukou_region,residence_region,hukou_type\n"
        upload = {"file": ("people.csv", rows.encode(), "text/csv")}
        refused = client.post("/imports", data={"kind": "persons"}, files=upload)
        assert refused.status_code == 403
        accepted = client.post("/imports", data={"kind": "persons", CSRF_FIELD: token},
                               files=upload)
        assert accepted.status_code != 403

    def test_htmx_requests_are_refused_without_the_header(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        client.headers.pop(CSRF_HEADER)
        before = _persons(session)
        response = client.post("/persons/new", data=_person_form(),
                               headers={"HX-Request": "true"})
        assert "请刷新页面后重试" in response.text  # the refusal, as a toast
        assert _persons(session) == before

    def test_api_with_the_session_cookie_needs_it_too_as_a_problem(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        token = client.headers.pop(CSRF_HEADER)
        body = {"resident_id": f.resident_id("500103"), "name": "接口人",
                "hukou_region": "500103", "residence_region": "500103", "hukou_type": "urban"}
        refused = client.post("/api/v1/persons", json=body)
        assert refused.status_code == 403
        assert refused.json()["type"] == "forbidden"
        assert refused.json()["reason"] == "csrf"
        accepted = client.post("/api/v1/persons", json=body, headers={CSRF_HEADER: token})
        assert accepted.status_code == 201, accepted.text

    def test_bearer_clients_are_exempt(self, client: TestClient, session: Session) -> None:
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        body = {"resident_id": f.resident_id("500103"), "name": "令牌人",
                "hukou_region": "500103", "residence_region": "500103", "hukou_type": "urban"}
        response = client.post("/api/v1/persons", json=body, headers=headers)
        assert response.status_code == 201, response.text

    def test_a_cross_site_post_is_refused_even_to_the_login_form(
        self, client: TestClient, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        response = client.post("/login", data={"username": clerk.username,
                                               "password": f.PASSWORD},
                               headers={"Sec-Fetch-Site": "cross-site"},
                               follow_redirects=False)
        assert response.status_code == 403
        assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
        same_origin = client.post("/login", data={"username": clerk.username,
                                                  "password": f.PASSWORD},
                                  headers={"Sec-Fetch-Site": "same-origin"},
                                  follow_redirects=False)
        assert same_origin.status_code == 303

    def test_posts_without_a_session_are_not_checked(self, client: TestClient) -> None:
        response = client.post("/pension/estimate/result", data={"scheme": "employee"})
        assert response.status_code != 403

    def test_a_new_sign_in_gets_a_new_token(self, client: TestClient, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        sign_in(client, clerk)
        first = csrf_headers(client)[CSRF_HEADER]
        sign_in(client, clerk)
        second = csrf_headers(client)[CSRF_HEADER]
        assert first != second
        response = client.post("/logout", headers={CSRF_HEADER: first}, follow_redirects=False)
        assert response.status_code == 403


class TestSessionCookie:
    def _cookie(self, client: TestClient, session: Session) -> str:
        clerk = f.staff(session, "clerk", "500103")
        response = client.post("/login", data={"username": clerk.username,
                                               "password": f.PASSWORD},
                               follow_redirects=False)
        assert response.status_code == 303
        cookie: str = response.headers["set-cookie"]
        assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
        return cookie

    def test_not_secure_over_http_by_default(self, client: TestClient, session: Session) -> None:
        assert "secure" not in self._cookie(client, session).lower().split("; ")


class TestSecureSetting:
    @pytest.fixture
    def settings(self, database_url: str) -> Iterator[Settings]:
        yield Settings(database_url=database_url, cookie_secure=True,
                       secret_key="test-secret-not-for-production-use-0123456789")

    def test_cookie_secure_sets_the_flag_and_hsts(
        self, client: TestClient, session: Session
    ) -> None:
        cookie = TestSessionCookie()._cookie(client, session)
        assert "secure" in cookie.lower().split("; ")
        assert client.get("/login").headers["strict-transport-security"].startswith("max-age=")

    def test_the_setting_comes_from_the_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("MINSHENG_COOKIE_SECURE", "true")
        assert Settings().cookie_secure is True
        monkeypatch.setenv("MINSHENG_COOKIE_SECURE", "false")
        assert Settings().cookie_secure is False
