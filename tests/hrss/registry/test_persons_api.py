"""People: register, read, search, mask, scope, validate, conflict."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.platform.security.models import AuditEvent
from tests import factories as f


def _payload(**overrides: str) -> dict[str, str]:
    data = {
        "resident_id": f.resident_id("500103"),
        "name": "李四",
        "phone": "13912345678",
        "hukou_region": "500103",
        "residence_region": "500103",
        "hukou_type": "urban",
    }
    data.update(overrides)
    return data


class TestRegisterPerson:
    def test_created_with_birth_date_and_gender_from_the_id(
        self, client: TestClient, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        rid = "11010519491231002X"  # GB 11643 example: born 1949-12-31, digit 17 = 2 (female)
        response = client.post("/api/v1/persons", json=_payload(resident_id=rid),
                               headers=f.login(client, clerk))
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["birth_date"] == "1949-12-31"
        assert body["gender"] == "F"
        assert body["resident_id"] == rid  # a clerk needs the full number
        assert isinstance(body["id"], int)

    def test_lowercase_x_is_accepted_and_normalised(
        self, client: TestClient, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        response = client.post("/api/v1/persons", json=_payload(resident_id="11010519491231002x"),
                               headers=f.login(client, clerk))
        assert response.status_code == 201
        assert response.json()["resident_id"].endswith("X")

    def test_bad_check_digit_is_422_naming_the_field(
        self, client: TestClient, session: Session
    ) -> None:
        clerk = f.staff(session, "clerk", "500103")
        response = client.post("/api/v1/persons", json=_payload(resident_id="110105194912310021"),
                               headers=f.login(client, clerk))
        assert response.status_code == 422
        fields = [e["field"] for e in response.json()["errors"]]
        assert fields == ["resident_id"]
        assert response.json()["errors"][0]["message_en"]

    def test_impossible_date_and_unknown_region_are_refused(
        self, client: TestClient, session: Session
    ) -> None:
        from stdnum.cn import ric

        headers = f.login(client, f.staff(session, "clerk", "500103"))
        feb30 = "50010319850230001"
        unknown = "99999919850101001"
        for body in (feb30, unknown):
            rid = body + ric.calc_check_digit(body + "0")
            response = client.post("/api/v1/persons", json=_payload(resident_id=rid),
                                   headers=headers)
            assert response.status_code == 422, body
            assert response.json()["errors"][0]["field"] == "resident_id"

    def test_abolished_residence_code_is_refused_but_historic_id_is_fine(
        self, client: TestClient, session: Session
    ) -> None:
        headers = f.login(client, f.staff(session, "clerk", "50"))
        # 500112 渝北区 was abolished in 2025: an ID issued under it stays valid ...
        ok = client.post("/api/v1/persons", headers=headers, json=_payload(
            resident_id=f.resident_id("500112"), residence_region="500157",
            hukou_region="500157"))
        assert ok.status_code == 201, ok.text
        # ... but a new residence address must use a current code.
        bad = client.post("/api/v1/persons", headers=headers,
                          json=_payload(residence_region="500112"))
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"] == "residence_region"

    def test_duplicate_id_is_409_pointing_at_the_existing_record(
        self, client: TestClient, session: Session
    ) -> None:
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        data = _payload()
        first = client.post("/api/v1/persons", json=data, headers=headers)
        second = client.post("/api/v1/persons", json={**data, "name": "王五"}, headers=headers)
        assert second.status_code == 409
        assert second.json()["existing_id"] == first.json()["id"]

    def test_missing_fields_are_422(self, client: TestClient, session: Session) -> None:
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        response = client.post("/api/v1/persons", json={"name": "x"}, headers=headers)
        assert response.status_code == 422
        fields = {e["field"] for e in response.json()["errors"]}
        assert {"resident_id", "hukou_region", "residence_region"} <= fields

    def test_statistician_may_not_register(self, client: TestClient, session: Session) -> None:
        headers = f.login(client, f.staff(session, "statistician", "50"))
        response = client.post("/api/v1/persons", json=_payload(), headers=headers)
        assert response.status_code == 403

    def test_anonymous_is_401(self, client: TestClient) -> None:
        assert client.post("/api/v1/persons", json=_payload()).status_code == 401

    def test_clerk_cannot_register_outside_the_district(
        self, client: TestClient, session: Session
    ) -> None:
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        response = client.post("/api/v1/persons", headers=headers, json=_payload(
            residence_region="500102", hukou_region="500102"))
        assert response.status_code == 403


class TestReadPerson:
    def test_masking_by_role(self, client: TestClient, session: Session) -> None:
        p = f.person(session, residence_region="500103")
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        stats = f.login(client, f.staff(session, "statistician", "50"))
        full = client.get(f"/api/v1/persons/{p.id}", headers=clerk).json()
        masked = client.get(f"/api/v1/persons/{p.id}", headers=stats).json()
        assert full["resident_id"] == p.resident_id
        assert masked["resident_id"] == p.resident_id[:4] + "*" * 10 + p.resident_id[-4:]
        assert masked["resident_id_masked"] is True

    def test_other_district_is_404_and_invisible_in_search(
        self, client: TestClient, session: Session
    ) -> None:
        other = f.person(session, residence_region="500102", name="涪陵人")
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        assert client.get(f"/api/v1/persons/{other.id}", headers=headers).status_code == 404
        found = client.get("/api/v1/persons", params={"q": "涪陵人"}, headers=headers).json()
        assert found["total"] == 0
        city = f.login(client, f.staff(session, "clerk", "500000"))
        assert client.get(f"/api/v1/persons/{other.id}", headers=city).status_code == 200

    def test_full_record_read_by_staff_is_audited(
        self, client: TestClient, session: Session
    ) -> None:
        p = f.person(session)
        clerk = f.staff(session, "clerk", "500103")
        client.get(f"/api/v1/persons/{p.id}", headers=f.login(client, clerk))
        reads = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "person.read", AuditEvent.subject_id == str(p.id))).all()
        assert [e.actor for e in reads] == [clerk.username]


class TestSearchPersons:
    def test_by_name_prefix_and_by_id_with_masked_results(
        self, client: TestClient, session: Session
    ) -> None:
        a = f.person(session, name="欧阳娜娜")
        f.person(session, name="欧阳修")
        f.person(session, name="司马光")
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        by_name = client.get("/api/v1/persons", params={"q": "欧阳"}, headers=headers).json()
        assert sorted(p["name"] for p in by_name["items"]) == ["欧阳修", "欧阳娜娜"]
        assert all("*" in p["resident_id"] for p in by_name["items"])
        by_id = client.get("/api/v1/persons", params={"q": a.resident_id}, headers=headers).json()
        assert [p["id"] for p in by_id["items"]] == [a.id]

    def test_paging(self, client: TestClient, session: Session) -> None:
        for _ in range(5):
            f.person(session, name="分页测试")
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        page2 = client.get("/api/v1/persons", params={"q": "分页测试", "size": 2, "page": 2},
                           headers=headers).json()
        assert page2["total"] == 5
        assert len(page2["items"]) == 2
        assert page2["page"] == 2


class TestUpdatePerson:
    def test_stale_version_is_409(self, client: TestClient, session: Session) -> None:
        p = f.person(session)
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        ok = client.patch(f"/api/v1/persons/{p.id}", json={"version": 1, "phone": "13700000000"},
                          headers=headers)
        assert ok.status_code == 200, ok.text
        assert ok.json()["version"] == 2
        stale = client.patch(f"/api/v1/persons/{p.id}", json={"version": 1, "name": "改名"},
                             headers=headers)
        assert stale.status_code == 409
        assert stale.json()["current_version"] == 2

    def test_invalid_change_writes_nothing(self, client: TestClient, session: Session) -> None:
        p = f.person(session)
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        bad = client.patch(f"/api/v1/persons/{p.id}", headers=headers,
                           json={"version": 1, "phone": "12345", "name": "新名字"})
        assert bad.status_code == 422
        session.refresh(p)
        assert (p.name, p.version) == ("张三", 1)
