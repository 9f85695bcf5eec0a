"""Registry pages through the test client: search, forms, conflicts, imports.

Data is built before the first sign-in: a page that refuses a form rolls the request's
session back, and in these tests that session is the test's own.
"""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.models import Employer, Person
from minsheng.platform import ids
from minsheng.platform.imports import ImportJob
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.live import sign_in

HX = {"HX-Request": "true", "HX-Target": "person-results"}


def _count(session: Session, model: type[Person] | type[Employer]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0



class TestPersonSearch:
    def test_full_page_lists_masked_ids_with_export_link(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session, name="欧阳娜娜")
        sign_in(client, f.staff(session, "clerk", "500103"))
        response = client.get("/persons", params={"q": "欧阳"})
        assert response.status_code == 200
        assert "<html" in response.text
        assert ids.mask_resident_id(person.resident_id) in response.text
        assert person.resident_id not in response.text
        assert "/api/v1/persons/export.xlsx?q=%E6%AC%A7%E9%98%B3" in response.text

    def test_htmx_gets_only_the_results_fragment(
        self, client: TestClient, session: Session
    ) -> None:
        f.person(session, name="上官婉儿")
        f.person(session, name="上官云")
        f.person(session, name="司马光")
        sign_in(client, f.staff(session, "clerk", "500103"))
        response = client.get("/persons", params={"q": "上官"}, headers=HX)
        assert response.status_code == 200
        assert "<html" not in response.text and "<table" in response.text
        assert "上官婉儿" in response.text and "上官云" in response.text
        assert "司马光" not in response.text
        assert "HX-Request" in response.headers["vary"]

    def test_no_export_link_without_the_permission(
        self, client: TestClient, session: Session
    ) -> None:
        f.person(session, name="诸葛亮")
        sign_in(client, f.staff(session, "reviewer", "500103"))
        response = client.get("/persons", params={"q": "诸葛"})
        assert "诸葛亮" in response.text
        assert "export.xlsx" not in response.text

    def test_people_outside_the_district_are_not_listed(
        self, client: TestClient, session: Session
    ) -> None:
        f.person(session, name="夏侯惇", residence_region="500106")
        sign_in(client, f.staff(session, "clerk", "500103"))
        response = client.get("/persons", params={"q": "夏侯"}, headers=HX)
        assert "夏侯惇" not in response.text
        assert "未找到匹配的人员" in response.text

    def test_paging(self, client: TestClient, session: Session) -> None:
        for n in range(23):
            f.person(session, name=f"翻页{n:02d}")
        sign_in(client, f.staff(session, "clerk", "500103"))
        first = client.get("/persons", params={"q": "翻页"}, headers=HX).text
        second = client.get("/persons", params={"q": "翻页", "page": 2}, headers=HX).text
        assert first.count("<tr>") == 1 + 20 and second.count("<tr>") == 1 + 3
        assert "第 1 / 2 页" in first and "page=2" in first


class TestRegisterPerson:
    def _form(self, **overrides: str) -> dict[str, str]:
        return {"resident_id": f.resident_id("500103"), "name": "钱多多",
                "phone": "13911112222", "hukou_region": "500103",
                "residence_region": "500103", "hukou_type": "urban", **overrides}

    def test_form_offers_only_districts_in_scope(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        page = client.get("/persons/new").text
        residence = page[page.index('id="f-residence_region"'):]
        residence = residence[:residence.index("</select>")]
        assert 'value="500103" selected' in residence
        assert 'value="500106"' not in residence and 'value="510104"' not in residence

    def test_bad_id_is_422_with_the_error_next_to_the_field(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        before = _count(session, Person)
        form = self._form(resident_id=f.bad_check_digit(f.resident_id("500103")), phone="12345")
        response = client.post("/persons/new", data=form)
        assert response.status_code == 422
        page = response.text
        assert re.search(r'id="resident_id-error"[^>]*>校验码错误', page)
        assert re.search(r'id="phone-error"[^>]*>电话号码格式不正确', page)
        assert 'aria-invalid="true" aria-describedby="resident_id-error"' in page
        assert 'value="钱多多"' in page  # what the clerk typed is kept
        assert _count(session, Person) == before

    def test_success_redirects_to_the_new_record(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        form = self._form()
        response = client.post("/persons/new", data=form, follow_redirects=False)
        assert response.status_code == 303
        person = session.scalar(select(Person).where(Person.resident_id == form["resident_id"]))
        assert person is not None and person.name == "钱多多"
        assert response.headers["location"] == f"/persons/{person.id}?notice=registered"
        page = client.get(response.headers["location"]).text
        assert "登记成功" in page and form["resident_id"] in page

    def test_duplicate_is_409_with_a_link_to_the_existing_record(
        self, client: TestClient, session: Session
    ) -> None:
        existing = f.person(session)
        sign_in(client, f.staff(session, "clerk", "500103"))
        response = client.post("/persons/new", data=self._form(resident_id=existing.resident_id))
        assert response.status_code == 409
        assert "已登记" in response.text
        assert f'href="/persons/{existing.id}"' in response.text

    def test_region_outside_scope_is_refused(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        response = client.post("/persons/new", data=self._form(residence_region="500106"))
        assert response.status_code == 403
        assert "不在您的管辖范围内" in response.text

    def test_a_role_that_may_not_write_gets_an_error_page(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "reviewer", "500103"))
        response = client.get("/persons/new")
        assert response.status_code == 403
        assert "text/html" in response.headers["content-type"]


class TestPersonDetail:
    def test_clerk_sees_the_full_id_and_the_read_is_audited(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session, name="全号可见")
        clerk = f.staff(session, "clerk", "500103")
        sign_in(client, clerk)
        page = client.get(f"/persons/{person.id}").text
        assert person.resident_id in page
        assert f'name="version" value="{person.version}"' in page
        reads = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "person.read", AuditEvent.subject_id == str(person.id),
            AuditEvent.actor == clerk.username)).all()
        assert len(reads) == 1 and '"full_id": true' in reads[0].payload

    def test_statistician_sees_a_masked_id_and_no_edit_form(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session)
        sign_in(client, f.staff(session, "statistician", "500103"))
        page = client.get(f"/persons/{person.id}").text
        assert person.resident_id not in page
        assert ids.mask_resident_id(person.resident_id) in page and "已脱敏" in page
        assert "保存修改" not in page

    def test_outside_the_district_is_a_404_page(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session, residence_region="500106")
        sign_in(client, f.staff(session, "clerk", "500103"))
        response = client.get(f"/persons/{person.id}")
        assert response.status_code == 404
        assert "text/html" in response.headers["content-type"]
        assert "不存在" in response.text and person.resident_id not in response.text

    def test_household_panel(self, client: TestClient, session: Session) -> None:
        from minsheng.hrss.registry.schemas import HouseholdCreate

        head = f.person(session, name="户主甲")
        child = f.person(session, name="子女乙")
        household = registry.create_household(session, SYSTEM,
                                              HouseholdCreate(address_region="500103"))
        registry.add_household_member(session, SYSTEM, household.id, head.id, "head")
        registry.add_household_member(session, SYSTEM, household.id, child.id, "child")
        sign_in(client, f.staff(session, "clerk", "500103"))
        page = client.get(f"/persons/{child.id}").text
        panel = page[page.index('data-testid="household"'):]
        assert household.household_no in panel
        assert "户主甲" in panel and "户主" in panel and "子女" in panel
        assert ids.mask_resident_id(head.resident_id) in panel


class TestUpdatePerson:
    def _form(self, person: Person, **changes: str) -> dict[str, str]:
        current = {"name": person.name, "phone": person.phone,
                   "hukou_region": person.hukou_region,
                   "residence_region": person.residence_region, "hukou_type": person.hukou_type}
        return {"version": str(person.version), **current,
                **{f"orig_{k}": v for k, v in current.items()}, **changes}

    def test_saves_only_what_changed(self, client: TestClient, session: Session) -> None:
        person = f.person(session, name="改名前")
        clerk = f.staff(session, "clerk", "500103")
        sign_in(client, clerk)
        response = client.post(f"/persons/{person.id}", data=self._form(person, name="改名后"),
                               follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"] == f"/persons/{person.id}?notice=saved"
        session.refresh(person)
        assert (person.name, person.version) == ("改名后", 2)
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "person.update", AuditEvent.subject_id == str(person.id),
            AuditEvent.actor == clerk.username)).one()
        assert '"before": {"name": "改名前"}' in event.payload

    def test_nothing_changed_writes_nothing(self, client: TestClient, session: Session) -> None:
        person = f.person(session)
        sign_in(client, f.staff(session, "clerk", "500103"))
        response = client.post(f"/persons/{person.id}", data=self._form(person))
        assert "未作任何修改" in response.text
        session.refresh(person)
        assert person.version == 1

    def test_stale_version_is_409_telling_the_clerk_to_reload(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session, name="原名")
        sign_in(client, f.staff(session, "clerk", "500103"))
        seen = self._form(person, name="甲的修改")
        first = client.post(f"/persons/{person.id}", data=seen, follow_redirects=False)
        assert first.status_code == 303
        second = client.post(f"/persons/{person.id}", data={**seen, "name": "乙的修改"})
        assert second.status_code == 409
        page = second.text
        assert "已被他人修改" in page and "您的修改未保存" in page and "重新加载" in page
        assert "乙的修改" in page  # what they tried is shown, not silently lost
        assert 'name="version" value="2"' in page  # the form now carries the current version
        session.refresh(person)
        assert (person.name, person.version) == ("甲的修改", 2)

    def test_invalid_change_is_422_next_to_the_field(
        self, client: TestClient, session: Session
    ) -> None:
        person = f.person(session)
        sign_in(client, f.staff(session, "clerk", "500103"))
        response = client.post(f"/persons/{person.id}",
                               data=self._form(person, phone="123", name="新名字"))
        assert response.status_code == 422
        assert re.search(r'id="phone-error"[^>]*>电话号码格式不正确', response.text)
        assert 'value="123"' in response.text
        session.refresh(person)
        assert person.name != "新名字" and person.version == 1


class TestEmployers:
    def test_register_search_and_open(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        uscc = f.uscc_code("500103")
        bad = client.post("/employers/new", data={"uscc": uscc[:-1] + "?", "name": "",
                                                  "region": "500103", "industry": "Z",
                                                  "size_class": "small"})
        assert bad.status_code == 422
        for field in ("uscc", "name", "industry"):
            assert f'id="{field}-error"' in bad.text, field
        ok = client.post("/employers/new", data={"uscc": uscc, "name": "重庆页面测试有限公司",
                                                 "region": "500103", "industry": "I",
                                                 "size_class": "micro",
                                                 "work_injury_risk_class": "2"},
                         follow_redirects=False)
        assert ok.status_code == 303
        detail = client.get(ok.headers["location"]).text
        assert "登记成功" in detail and uscc in detail and "微型" in detail
        assert "信息传输、软件和信息技术服务业" in detail
        found = client.get("/employers", params={"q": "页面测试"},
                           headers={"HX-Request": "true", "HX-Target": "employer-results"})
        assert "<html" not in found.text and "重庆页面测试有限公司" in found.text


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["resident_id", "name", "phone", "hukou_region", "residence_region",
                     "hukou_type"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


class TestImportsPage:
    def test_page_shows_the_column_template(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        page = client.get("/imports").text
        headings = "公民身份号码，姓名，联系电话，户籍地区划，居住地区划，户口性质"
        assert headings in page and "resident_id" not in page
        template = client.get("/imports/persons/template.csv")
        assert template.content.decode("utf-8-sig").strip() == headings.replace("，", ",")

    def test_the_chinese_template_imports(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        header = client.get("/imports/persons/template.csv").content.decode("utf-8-sig").strip()
        row = f"{f.resident_id('500103')},钱多多,13800138000,500103,500103,城镇"
        response = client.post("/imports", data={"kind": "persons"}, files={
            "file": ("people.csv", f"{header}\n{row}\n".encode(), "text/csv")})
        assert response.status_code == 200
        assert 'data-testid="inserted-rows">1<' in response.text

    def test_upload_with_good_and_bad_rows_shows_the_report(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        good = f.resident_id("500103")
        bad = f.bad_check_digit(f.resident_id("500103"))
        content = _csv([[good, "导入甲", "13800001111", "500103", "500103", "urban"],
                        [bad, "导入乙", "", "500103", "500103", "rural"]])
        response = client.post("/imports", data={"kind": "persons"},
                               files={"file": ("名单.csv", content, "text/csv")})
        assert response.status_code == 200
        job = session.scalars(select(ImportJob).order_by(ImportJob.id.desc())).first()
        assert job is not None
        assert str(response.url).endswith(f"/imports/{job.id}")
        page = response.text
        for testid, value in (("total-rows", 2), ("inserted-rows", 1), ("unchanged-rows", 0),
                              ("error-rows", 1)):
            assert re.search(rf'data-testid="{testid}">{value}<', page), testid
        report = page[page.index('data-testid="import-report"'):]
        assert re.search(r'<td class="num mono">3</td>\s*<td>公民身份号码', report)
        assert "校验码错误" in report
        assert f"/api/v1/imports/{job.id}/errors.xlsx" in report
        assert "名单.csv" in page[page.index("我的导入记录"):]
        assert session.scalar(select(Person.name).where(Person.resident_id == good)) == "导入甲"

    def test_wrong_file_type_is_422_and_nothing_is_recorded(
        self, client: TestClient, session: Session
    ) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        jobs = session.scalar(select(func.count()).select_from(ImportJob))
        response = client.post("/imports", data={"kind": "persons"},
                               files={"file": ("名单.txt", b"x", "text/plain")})
        assert response.status_code == 422
        assert "只支持 .xlsx 或 .csv 文件" in response.text
        assert session.scalar(select(func.count()).select_from(ImportJob)) == jobs

    def test_no_file_chosen(self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        response = client.post("/imports", data={"kind": "persons"})
        assert response.status_code == 422
        assert "请选择要上传的文件" in response.text

    def test_another_users_job_is_not_shown(self, client: TestClient, session: Session) -> None:
        other = f.staff(session, "clerk", "500103")
        job = ImportJob(kind="persons", file_name="x.csv", file_sha256="0" * 64,
                        actor=other.username)
        session.add(job)
        session.flush()
        sign_in(client, f.staff(session, "clerk", "500103"))
        assert client.get(f"/imports/{job.id}").status_code == 404
