"""Employers and households through the API; citizen access; token expiry."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.platform.security import service as security
from minsheng.platform.security.tokens import issue_token
from tests import factories as f


def _employer(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {"uscc": f.uscc_code("500103"), "name": "重庆渝中商贸有限公司",
                               "region": "500103", "industry": "F", "size_class": "micro"}
    data.update(overrides)
    return data


class TestRegisterEmployer:
    def test_created_and_read_back(self, client: TestClient, session: Session) -> None:
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        created = client.post("/api/v1/employers", json=_employer(), headers=headers)
        assert created.status_code == 201, created.text
        got = client.get(f"/api/v1/employers/{created.json()['id']}", headers=headers).json()
        assert got["region_name"] == "渝中区"
        assert got["size_class"] == "micro"

    def test_uscc_with_rural_collective_prefix_n_is_accepted(
        self, client: TestClient, session: Session
    ) -> None:
        from stdnum.cn import uscc

        body = "N2500103MA0000001"
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        created = client.post("/api/v1/employers", headers=headers,
                              json=_employer(uscc=body + uscc.calc_check_digit(body)))
        assert created.status_code == 201, created.text

    def test_bad_uscc_duplicate_and_scope(self, client: TestClient, session: Session) -> None:
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        good = _employer()
        code = str(good["uscc"])
        bad = client.post("/api/v1/employers", headers=headers,
                          json=_employer(uscc=code[:-1] + ("0" if code[-1] != "0" else "1")))
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"] == "uscc"
        first = client.post("/api/v1/employers", json=good, headers=headers)
        again = client.post("/api/v1/employers", json=good, headers=headers)
        assert again.status_code == 409
        assert again.json()["existing_id"] == first.json()["id"]
        other = f.employer(session, region="500102")
        assert client.get(f"/api/v1/employers/{other.id}", headers=headers).status_code == 404
        listed = client.get("/api/v1/employers", params={"q": other.uscc}, headers=headers)
        assert listed.json()["total"] == 0


class TestHouseholds:
    def test_create_household_and_add_members(self, client: TestClient, session: Session) -> None:
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        created = client.post("/api/v1/households", headers=headers,
                              json={"address_region": "500103", "address": "解放碑街道1号"})
        assert created.status_code == 201, created.text
        household = created.json()
        assert household["household_no"].startswith("CQ500103H")
        head, child = f.person(session, name="户主"), f.person(session, name="孩子")
        url = f"/api/v1/households/{household['id']}/members"
        assert client.put(f"{url}/{head.id}", params={"relation": "head"},
                          headers=headers).status_code == 200
        result = client.put(f"{url}/{child.id}", params={"relation": "child"}, headers=headers)
        assert sorted(m["name"] for m in result.json()["members"]) == ["孩子", "户主"]
        second_head = f.person(session, name="另一户主")
        clash = client.put(f"{url}/{second_head.id}", params={"relation": "head"},
                           headers=headers)
        assert clash.status_code == 409


class TestCitizenAccess:
    def test_citizen_sees_own_record_in_full_and_nobody_elses(
        self, client: TestClient, session: Session
    ) -> None:
        me, other = f.person(session), f.person(session)
        user = security.add_user(session, actor=f.SYSTEM, username="citizen-me",
                                 role="citizen", password=f.PASSWORD, person_id=me.id)
        headers = f.login(client, security.principal_of(user))
        mine = client.get(f"/api/v1/persons/{me.id}", headers=headers)
        assert mine.status_code == 200
        assert mine.json()["resident_id"] == me.resident_id
        assert client.get(f"/api/v1/persons/{other.id}", headers=headers).status_code == 404
        assert client.get("/api/v1/persons", headers=headers).status_code == 403


class TestTokens:
    def test_wrong_password_is_401(self, client: TestClient, session: Session) -> None:
        clerk = f.staff(session)
        response = client.post("/api/v1/auth/token",
                               data={"username": clerk.username, "password": "wrong-password"})
        assert response.status_code == 401

    def test_expired_and_altered_tokens_are_401(
        self, client: TestClient, session: Session, settings: object
    ) -> None:
        clerk = f.staff(session)
        secret = "test-secret-not-for-production-use-0123456789"
        expired = issue_token(secret, user_id=clerk.user_id, ttl=timedelta(seconds=-1))
        response = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {expired}"})
        assert response.status_code == 401
        good = f.login(client, clerk)["Authorization"]
        tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
        assert client.get("/api/v1/auth/me",
                          headers={"Authorization": tampered}).status_code == 401
        assert client.get("/api/v1/auth/me", headers={"Authorization": good}).json()[
            "username"] == clerk.username


class TestExportApi:
    def test_statistician_exports_masked_rows(self, client: TestClient, session: Session) -> None:
        p = f.person(session, name="导出接口")
        headers = f.login(client, f.staff(session, "statistician", "50"))
        response = client.get("/api/v1/persons/export.xlsx", params={"q": "导出接口"},
                              headers=headers)
        assert response.status_code == 200
        rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
                    .iter_rows(min_row=2, values_only=True))
        assert [r[1] for r in rows] == [p.resident_id[:4] + "*" * 10 + p.resident_id[-4:]]

    def test_reviewer_may_not_export(self, client: TestClient, session: Session) -> None:
        headers = f.login(client, f.staff(session, "reviewer", "50"))
        assert client.get("/api/v1/persons/export.xlsx", headers=headers).status_code == 403


class TestFailedLoginAudit:
    def test_refused_sign_in_is_in_the_chain(self, client: TestClient, session: Session) -> None:
        from sqlalchemy import select

        from minsheng.platform.security.models import AuditEvent

        clerk = f.staff(session)
        response = client.post("/api/v1/auth/token",
                               data={"username": clerk.username, "password": "nope-nope"})
        assert response.status_code == 401
        assert response.json()["detail_en"] == "Wrong username or password"
        actions = session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject_id == clerk.username)).all()
        assert "auth.failed" in actions
