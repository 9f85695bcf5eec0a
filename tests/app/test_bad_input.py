"""Bad input is a 422 problem naming the field, never a 5xx, and writes nothing: one test
class per kind of bad input (ids, pages, years, day counts, dates, months, money, unknown
fields, text, uploads)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.ecology.restoration import service as restoration
from minsheng.ecology.restoration.models import RestorationPhoto
from minsheng.ecology.restoration.schemas import PlanCreate, ProgressCreate
from minsheng.ecology.sand import service as sand
from minsheng.ecology.sand.models import SurplusAggregateCase
from minsheng.ecology.sand.schemas import SandCaseCreate
from minsheng.hrss.registry.models import Employer, Person
from minsheng.platform.imports import ImportJob
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.factories import ecology as h

API = "/api/v1"
#: One past the largest value of the INTEGER id columns, and past a BIGINT.
BEYOND_INT32, BEYOND_INT64 = 2**31, 2**63


@pytest.fixture
def admin(client: TestClient, session: Session) -> dict[str, str]:
    return f.login(client, f.staff(session, "admin", "50"))


def count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def writes(session: Session) -> tuple[int, ...]:
    """What a refused request must leave as it was: audit trail, people, employers,
    import jobs and photos."""
    session.expire_all()
    return tuple(count(session, m) for m in (AuditEvent, Person, Employer, ImportJob,
                                              RestorationPhoto))


def refused(response: Any, field: str | None = None) -> dict[str, Any]:
    """The response is a 422 rule_violation problem (naming ``field``)."""
    assert response.status_code == 422, response.text
    problem: dict[str, Any] = response.json()
    assert problem["type"] == "rule_violation" and problem["status"] == 422
    assert problem["detail"] and problem["detail_en"]
    if field is not None:
        assert field in {e["field"] for e in problem["errors"]}, problem
    return problem


def _png(width: int = 4, height: int = 3) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


class TestIds:
    @pytest.mark.parametrize("path", [
        "/persons/{id}", "/employers/{id}", "/households/{id}", "/persons/{id}/enrolments",
        "/ecology/mines/{id}", "/ecology/land-projects/{id}", "/unemployment/claims/{id}",
        "/ecology/green-assessments/{id}", "/imports/{id}/errors.xlsx"])
    @pytest.mark.parametrize("value", [0, -1, BEYOND_INT32, BEYOND_INT64, 10**40, "1.5"])
    def test_an_id_out_of_range_in_a_path(self, client: TestClient, admin: dict[str, str],
                                          path: str, value: object) -> None:
        name = path.split("{")[0].rstrip("/").split("/")[-1]
        assert name
        refused(client.get(API + path.format(id=value), headers=admin))

    def test_the_largest_id_is_a_404(self, client: TestClient, admin: dict[str, str]) -> None:
        response = client.get(f"{API}/persons/{BEYOND_INT32 - 1}", headers=admin)
        assert response.status_code == 404

    @pytest.mark.parametrize("value", [0, BEYOND_INT32, BEYOND_INT64, -7])
    def test_an_id_out_of_range_in_a_body(self, client: TestClient, session: Session,
                                          admin: dict[str, str], value: int) -> None:
        before = writes(session)
        refused(client.post(f"{API}/cards", headers=admin, json={"person_id": value}),
                "person_id")
        refused(client.post(f"{API}/unemployment/registrations", headers=admin,
                            json={"person_id": value, "separation_reason": "dismissed"}),
                "person_id")
        assert writes(session) == before

    def test_a_state_change_with_a_version_beyond_the_column(
            self, client: TestClient, session: Session, admin: dict[str, str]) -> None:
        person = f.person(session)
        before = writes(session)
        refused(client.patch(f"{API}/persons/{person.id}", headers=admin,
                             json={"version": BEYOND_INT64, "name": "李四"}), "version")
        assert writes(session) == before


class TestPages:
    @pytest.mark.parametrize("query", ["page=0", "page=1000001", f"page={BEYOND_INT64}",
                                       "page=67994563458346534587345", "size=0", "size=201",
                                       "page=abc"])
    def test_page_and_size_out_of_range(self, client: TestClient, admin: dict[str, str],
                                        query: str) -> None:
        for path in ("/persons", "/employers", "/ecology/mines", "/ecology/land-projects"):
            refused(client.get(f"{API}{path}?{query}", headers=admin))


class TestYears:
    @pytest.mark.parametrize("year", [0, -3788856, 1948, 2101, 10**20])
    def test_a_year_out_of_range_in_a_query_or_path(
            self, client: TestClient, session: Session, admin: dict[str, str], year: int
    ) -> None:
        person = f.person(session)
        refused(client.get(f"{API}/coverage/poverty?year={year}", headers=admin), "year")
        refused(client.get(f"{API}/persons/{person.id}/contributions?year={year}",
                           headers=admin), "year")
        refused(client.get(f"{API}/employment/indicators?year={year}", headers=admin), "year")
        refused(client.get(f"{API}/unemployment/refunds/{year}", headers=admin), "year")
        refused(client.get(f"{API}/pension/poverty?year={year}&month=2024-01",
                           headers=admin), "year")

    @pytest.mark.parametrize("year", [0, -1, 2101])
    def test_a_year_out_of_range_in_a_body(self, client: TestClient, session: Session,
                                           admin: dict[str, str], year: int) -> None:
        before = writes(session)
        refused(client.post(f"{API}/unemployment/refunds/compute", headers=admin,
                            json={"year": year}), "year")
        refused(client.post(f"{API}/pension/uplifts", headers=admin, json={
            "year": year, "percent": "0.02", "effective_month": "2024-01", "source": "测试"}),
            "year")
        assert writes(session) == before


class TestDaysAndDates:
    @pytest.mark.parametrize("days", [211954713, -739954, 3661, 2**64])
    def test_a_day_count_out_of_range(self, client: TestClient, admin: dict[str, str],
                                      days: int) -> None:
        refused(client.get(f"{API}/pension/certifications/due?within_days={days}",
                           headers=admin), "within_days")
        refused(client.get(f"{API}/calendar/deadline?start=2024-01-02&workdays={days}",
                           headers=admin), "workdays")

    def test_a_day_count_in_range_is_answered(self, client: TestClient,
                                              admin: dict[str, str]) -> None:
        response = client.get(f"{API}/pension/certifications/due?within_days=3660",
                              headers=admin)
        assert response.status_code == 200, response.text

    @pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01",
                                     "2024-02-30", "tomorrow"])
    def test_a_date_out_of_range(self, client: TestClient, session: Session,
                                 admin: dict[str, str], day: str) -> None:
        person = f.person(session)
        before = writes(session)
        refused(client.post(f"{API}/persons/{person.id}/death", headers=admin,
                            json={"death_date": day}), "death_date")
        refused(client.get(f"{API}/calendar/deadline?start={day}&workdays=5", headers=admin),
                "start")
        assert writes(session) == before
        session.refresh(person)
        assert person.status == "alive"


class TestSandNotice:
    @pytest.mark.parametrize("body", [
        {"start_on": "2024-03-01", "workdays": 0},
        {"start_on": "2024-03-01", "workdays": 61},
        {"start_on": "2024-03-01", "workdays": -5},
        {"start_on": "2024-03-01", "workdays": 2.5},
        {"start_on": "2024-03-01", "workdays": "五"},
        {"start_on": "2024-03-01", "workdays": 2**70},
        {"start_on": "9999-12-31", "workdays": 5},
        {"start_on": "2024-03-01", "workdays": 5, "version": 2**40},
        {"start_on": "2024-03-01", "workdays": 5, "publish_twice": True},
    ])
    def test_odd_notices_are_refused_and_the_case_stays_registered(
            self, client: TestClient, session: Session, body: dict[str, Any]) -> None:
        case = sand.register_case(session, SYSTEM, SandCaseCreate(
            project_name="测试道路工程", region="500102",
            geometry=h.polygon(h.square(side_m=200.0)), estimated_volume_m3=Decimal("1000")))
        auth = f.login(client, h.fuling_clerk(session))
        before = writes(session)
        refused(client.post(f"{API}/ecology/sand-cases/{case.id}/notice", headers=auth,
                            json=body))
        assert writes(session) == before
        session.expire_all()
        stored = session.get(SurplusAggregateCase, case.id)
        assert stored is not None and stored.state == "registered"
        assert stored.notice_end is None


class TestMonthsAndMoney:
    @pytest.mark.parametrize("month", ["", "2024-13", "2024-00", "0000-01", "2101-01",
                                       "24-01", "2024-1", "2024/01", "2024-01-01"])
    def test_a_malformed_month(self, client: TestClient, session: Session,
                               admin: dict[str, str], month: str) -> None:
        employer = f.employer(session)
        before = writes(session)
        problem = refused(client.post(f"{API}/employers/{employer.id}/payments",
                                      headers=admin, json={"period": month, "amount": "10"}),
                          "period")
        message = next(e for e in problem["errors"] if e["field"] == "period")
        assert message["message"].startswith("月份格式应为“年-月”")
        refused(client.post(f"{API}/pension/payroll", headers=admin, json={"month": month}),
                "month")
        assert writes(session) == before

    @pytest.mark.parametrize("amount", ["-1", "0", "1e20", "12.345", "NaN", "Infinity",
                                        "1234567890123.00"])
    def test_an_amount_out_of_range(self, client: TestClient, session: Session,
                                    admin: dict[str, str], amount: str) -> None:
        employer = f.employer(session)
        before = writes(session)
        refused(client.post(f"{API}/employers/{employer.id}/payments", headers=admin,
                            json={"period": "2024-01", "amount": amount}), "amount")
        assert writes(session) == before


class TestBodies:
    def test_an_unknown_field_is_refused(self, client: TestClient, session: Session,
                                         admin: dict[str, str]) -> None:
        person = f.person(session)
        before = writes(session)
        problem = refused(client.post(f"{API}/persons/{person.id}/death", headers=admin,
                                      json={"death_date": "2024-01-01", "cause": "x"}),
                          "cause")
        assert "cause" in problem["detail"]
        refused(client.post(f"{API}/persons", headers=admin, json={
            "resident_id": f.resident_id(), "name": "张三", "hukou_region": "500103",
            "residence_region": "500103", "hukou_type": "urban", "is_admin": True}),
            "is_admin")
        assert writes(session) == before
        session.refresh(person)
        assert person.status == "alive"

    @pytest.mark.parametrize("body", [None, "", "[]", "null", "{", '{"status": "closed"}',
                                      '{"status": "closed", "version": "one"}'])
    def test_a_malformed_body_on_a_state_change(self, client: TestClient, session: Session,
                                                admin: dict[str, str], body: str | None
                                                ) -> None:
        mine = h.mine(session)
        claim_path = f"{API}/unemployment/claims/1/decision"
        before = writes(session)
        for path in (f"{API}/ecology/mines/{mine.id}/status", claim_path,
                     f"{API}/enrolments/1/end", f"{API}/persons/1/death"):
            response = client.post(path, headers={**admin, "Content-Type": "application/json"},
                                   content=body)
            refused(response)
        assert writes(session) == before

    def test_text_with_a_nul_character(self, client: TestClient, session: Session,
                                       admin: dict[str, str]) -> None:
        before = writes(session)
        refused(client.post(f"{API}/employers", headers=admin, json={
            "uscc": f.uscc_code(), "name": "重庆\x00公司", "region": "500103",
            "industry": "I", "size_class": "small"}), "name")
        refused(client.get(f"{API}/persons?q=%00", headers=admin), "q")
        assert writes(session) == before

    def test_text_longer_than_its_column(self, client: TestClient, session: Session,
                                         admin: dict[str, str]) -> None:
        before = writes(session)
        refused(client.post(f"{API}/employers", headers=admin, json={
            "uscc": f.uscc_code(), "name": "公" * 129, "region": "500103",
            "industry": "IJ", "size_class": "small"}))
        assert writes(session) == before


def _xlsx_without_sheet_data() -> bytes:
    """A ZIP that opens as a workbook but whose sheet XML is cut off."""
    buffer = io.BytesIO()
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["resident_id", "name"])
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return damaged.getvalue()


class TestUploads:
    @pytest.mark.parametrize("content", [
        b"", b"not a workbook", b"PK\x03\x04" + b"\x00" * 64, _xlsx_without_sheet_data()],
        ids=["empty", "text", "zip-header-only", "sheet-cut-in-half"])
    def test_a_damaged_xlsx_is_refused_with_a_reason(
            self, client: TestClient, session: Session, admin: dict[str, str], content: bytes
    ) -> None:
        employer = f.employer(session)
        before = writes(session)
        for path in (f"{API}/imports/persons", f"{API}/employers/{employer.id}/employees/upload"):
            problem = refused(client.post(path, headers=admin, files={
                "file": ("people.xlsx", content, "application/octet-stream")}))
            assert "Excel" in problem["detail"] or "文件" in problem["detail"]
        assert writes(session) == before

    def test_a_csv_with_nul_characters(self, client: TestClient, session: Session,
                                       admin: dict[str, str]) -> None:
        before = writes(session)
        refused(client.post(f"{API}/imports/persons", headers=admin, files={
            "file": ("people.csv", b"resident_id,name\n1\x002,a\n", "text/csv")}))
        assert writes(session) == before

    def test_a_corrupt_multipart_body(self, client: TestClient, session: Session,
                                      admin: dict[str, str]) -> None:
        before = writes(session)
        for content_type, body in (
            ("multipart/form-data; boundary=xyz", b"--xyz\r\nContent-Disposition: form-da"),
            ("multipart/form-data", b"no boundary at all"),
            ("application/json", b'{"file": "x"}'),
        ):
            refused(client.post(f"{API}/imports/persons",
                                headers={**admin, "Content-Type": content_type}, content=body))
        assert writes(session) == before

    def test_a_bank_return_that_is_not_utf8(self, client: TestClient, session: Session,
                                            admin: dict[str, str]) -> None:
        before = writes(session)
        for content in (b"\xff\xfe\x00b\x00a\x00d", b"payment_id\n99999999999999999999\n"):
            refused(client.post(f"{API}/pension/payroll/2024-01/returns", headers=admin,
                                files={"file": ("returns.csv", content, "text/csv")}), "file")
        assert writes(session) == before


class TestPhotos:
    @pytest.fixture
    def progress_id(self, session: Session) -> int:
        site = h.mine(session, status="abandoned")
        plan = restoration.file_plan(session, SYSTEM, PlanCreate(
            mine_id=site.id, mode="engineered", target_land_use="forest",
            planned_area_ha=Decimal("5"), budget=Decimal("100000"),
            deadline=date(2030, 12, 31)))
        progress = restoration.report_progress(session, SYSTEM, plan.id, ProgressCreate(
            quarter="2024Q1", area_restored_ha=Decimal("1"), money_spent=Decimal("10")))
        return int(progress.id)

    def _upload(self, client: TestClient, auth: dict[str, str], progress_id: int,
                content: bytes, content_type: str = "image/png") -> Any:
        return client.post(f"{API}/ecology/restoration-progress/{progress_id}/photos",
                           headers=auth, files={"file": ("site.png", content, content_type)})

    @pytest.mark.parametrize("damage", ["truncated", "bad_crc", "header_only", "garbage",
                                        "text_as_png", "gif"])
    def test_a_corrupt_image_is_refused_and_not_stored(
            self, client: TestClient, session: Session, progress_id: int, damage: str) -> None:
        good = _png(64, 64)
        content = {
            "truncated": good[: len(good) - 30],
            "bad_crc": good[:29] + bytes([good[29] ^ 0xFF]) + good[30:],
            "header_only": b"\x89PNG\r\n\x1a\n",
            "garbage": b"\x89PNG\r\n\x1a\n" + b"\x00\x01" * 500,
            "text_as_png": "照片".encode(),
            "gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        }[damage]
        auth = f.login(client, h.fuling_clerk(session))
        before = writes(session)
        problem = refused(self._upload(client, auth, progress_id, content), "file")
        assert "JPEG" in problem["errors"][0]["message"]
        assert writes(session) == before

    def test_a_photo_too_large_is_refused(self, client: TestClient, session: Session,
                                          progress_id: int) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        before = writes(session)
        content = _png() + b"\x00" * (5 * 1024 * 1024)
        problem = refused(self._upload(client, auth, progress_id, content), "file")
        assert "5 MB" in problem["errors"][0]["message"]
        assert writes(session) == before

    def test_a_real_image_is_stored_with_the_type_of_its_content(
            self, client: TestClient, session: Session, progress_id: int) -> None:
        auth = f.login(client, h.fuling_clerk(session))
        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, format="JPEG")
        response = self._upload(client, auth, progress_id, buffer.getvalue(), "image/png")
        assert response.status_code == 201, response.text
        assert response.json()["content_type"] == "image/jpeg"
