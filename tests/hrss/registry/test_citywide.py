"""全市通办 (issue 11): a 渝中 (500103) window clerk finds a 涪陵 (500102) resident by the
exact full resident ID, audited as a cross-region read; names and partial IDs stay
within the clerk's district, and nothing else crosses the line.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance.models import Certificate
from minsheng.hrss.registry import rules
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.models import CrossRegionAccess, Person
from minsheng.platform import ids
from minsheng.platform.db import utcnow
from minsheng.platform.errors import NotFound
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import Principal
from tests import factories as f
from tests.live import sign_in

HX = {"HX-Request": "true", "HX-Target": "person-results"}
NOTICE = "全市通办 跨区查询已记录"


@pytest.fixture
def fuling_resident(session: Session) -> Person:
    return f.person(session, name="涪陵张三丰", residence_region="500102")


@pytest.fixture
def yuzhong_clerk(session: Session) -> Principal:
    return f.staff(session, "clerk", "500103")


def cross_region_events(session: Session, person: Person) -> list[dict[str, object]]:
    return [json.loads(p) for p in session.scalars(
        select(AuditEvent.payload).where(AuditEvent.action == "person.read_cross_region",
                                         AuditEvent.subject_id == str(person.id))
        .order_by(AuditEvent.seq))]


class TestCityPrefix:
    @pytest.mark.parametrize(("code", "prefix"), [
        ("500103", "50"), ("500102", "50"), ("500235", "50"),  # 重庆: one city
        ("110105", "11"), ("310115", "31"),                    # 北京, 上海
        ("510104", "5101"), ("510100", "5101"),                # 成都市
        ("", ""),
    ])
    def test_city_of_a_counter(self, code: str, prefix: str) -> None:
        assert rules.city_prefix(code) == prefix


class TestLookup:
    def test_full_id_finds_the_resident_of_another_district_and_is_audited(
        self, session: Session, fuling_resident: Person, yuzhong_clerk: Principal
    ) -> None:
        found = registry.find_persons(session, yuzhong_clerk, q=fuling_resident.resident_id)
        assert found.cross_region is True
        assert [p.id for p in found.items] == [fuling_resident.id] and found.total == 1
        (event,) = cross_region_events(session, fuling_resident)
        assert event["via"] == "lookup"
        assert event["clerk_region"] == "500103" and event["person_region"] == "500102"
        assert event["resident_id"] == ids.mask_resident_id(fuling_resident.resident_id)
        access = session.scalars(select(CrossRegionAccess)).one()
        assert (access.user_id, access.person_id) == (yuzhong_clerk.user_id,
                                                      fuling_resident.id)

    def test_name_and_partial_id_do_not_leak_even_after_a_lookup(
        self, session: Session, fuling_resident: Person, yuzhong_clerk: Principal
    ) -> None:
        registry.find_persons(session, yuzhong_clerk, q=fuling_resident.resident_id)
        for q in ("涪陵张三丰", "涪陵", fuling_resident.resident_id[:17],
                  fuling_resident.resident_id[:6]):
            found = registry.find_persons(session, yuzhong_clerk, q=q)
            assert found.total == 0 and not found.cross_region, q
        assert registry.search_persons(session, yuzhong_clerk,
                                       q=fuling_resident.resident_id).total == 0
        assert len(cross_region_events(session, fuling_resident)) == 1  # the one lookup

    def test_wrong_check_digit_other_city_and_non_counter_roles_find_nobody(
        self, session: Session, fuling_resident: Person, yuzhong_clerk: Principal
    ) -> None:
        wrong = f.bad_check_digit(fuling_resident.resident_id)
        assert registry.find_persons(session, yuzhong_clerk, q=wrong).total == 0
        chengdu = f.staff(session, "clerk", "510100")
        assert registry.find_persons(session, chengdu,
                                     q=fuling_resident.resident_id).total == 0
        for role in ("case_officer", "reviewer", "statistician", "auditor"):
            staff = f.staff(session, role, "500103")
            assert registry.find_persons(session, staff,
                                         q=fuling_resident.resident_id).total == 0, role
        assert cross_region_events(session, fuling_resident) == []
        assert session.scalar(select(func.count()).select_from(CrossRegionAccess)) == 0

    def test_own_district_is_an_ordinary_search(
        self, session: Session, yuzhong_clerk: Principal
    ) -> None:
        local = f.person(session, name="渝中李四", residence_region="500103")
        found = registry.find_persons(session, yuzhong_clerk, q=local.resident_id)
        assert found.total == 1 and not found.cross_region
        assert cross_region_events(session, local) == []

    def test_the_lookup_opens_the_record_for_reading_only(
        self, session: Session, fuling_resident: Person, yuzhong_clerk: Principal
    ) -> None:
        with pytest.raises(NotFound):
            registry.read_person(session, yuzhong_clerk, fuling_resident.id)
        registry.find_persons(session, yuzhong_clerk, q=fuling_resident.resident_id)
        assert registry.read_person(session, yuzhong_clerk, fuling_resident.id).id == \
            fuling_resident.id
        assert registry.person_for_read(session, yuzhong_clerk, fuling_resident.id)
        with pytest.raises(NotFound):
            registry.person_for_write(session, yuzhong_clerk, fuling_resident.id)
        assert [e["via"] for e in cross_region_events(session, fuling_resident)] == [
            "lookup", "record", "records"]
        # Another clerk of the same counter has not looked the person up.
        colleague = f.staff(session, "clerk", "500103")
        with pytest.raises(NotFound):
            registry.read_person(session, colleague, fuling_resident.id)

    def test_the_opening_lapses_at_the_end_of_the_day(
        self, session: Session, fuling_resident: Person, yuzhong_clerk: Principal
    ) -> None:
        registry.find_persons(session, yuzhong_clerk, q=fuling_resident.resident_id)
        access = session.scalars(select(CrossRegionAccess)).one()
        assert utcnow() < access.expires_at.replace(tzinfo=access.expires_at.tzinfo
                                                    or utcnow().tzinfo) \
            <= utcnow() + timedelta(days=1)
        access.expires_at = utcnow() - timedelta(seconds=1)
        session.flush()
        with pytest.raises(NotFound):
            registry.read_person(session, yuzhong_clerk, fuling_resident.id)


class TestPages:
    def test_person_search_page_full_id_out_of_region(
        self, client: TestClient, session: Session, fuling_resident: Person,
        yuzhong_clerk: Principal,
    ) -> None:
        sign_in(client, yuzhong_clerk)
        page = client.get("/persons", params={"q": fuling_resident.resident_id}, headers=HX)
        assert page.status_code == 200
        assert NOTICE in page.text and "涪陵张三丰" in page.text
        assert "export.xlsx" not in page.text
        assert ids.mask_resident_id(fuling_resident.resident_id) in page.text  # the row
        by_name = client.get("/persons", params={"q": "涪陵张三丰"}, headers=HX)
        assert "共 <strong>0</strong> 人" in by_name.text and NOTICE not in by_name.text
        assert f"/persons/{fuling_resident.id}" not in by_name.text
        partial = client.get("/persons", params={"q": fuling_resident.resident_id[:10]})
        assert "共 <strong>0</strong> 人" in partial.text
        assert "涪陵张三丰" not in partial.text

        record = client.get(f"/persons/{fuling_resident.id}")
        assert record.status_code == 200
        assert NOTICE in record.text and "涪陵区" in record.text
        assert 'action="/persons/' not in record.text  # no edit form across the line
        insurance = client.get(f"/persons/{fuling_resident.id}/insurance")
        assert insurance.status_code == 200 and NOTICE in insurance.text
        assert f"/persons/{fuling_resident.id}/insurance/enrol" not in insurance.text
        certificate = client.get(f"/api/v1/persons/{fuling_resident.id}/certificate.pdf")
        assert certificate.status_code == 200  # the 全市通办 service: a 参保证明 print-out
        assert session.scalar(select(func.count()).select_from(Certificate)) == 1
        actions = [e["via"] for e in cross_region_events(session, fuling_resident)]
        assert actions[0] == "lookup" and len(actions) >= 4

    def test_without_a_lookup_the_record_is_404(
        self, client: TestClient, session: Session, fuling_resident: Person,
        yuzhong_clerk: Principal,
    ) -> None:
        sign_in(client, yuzhong_clerk)
        assert client.get(f"/persons/{fuling_resident.id}").status_code == 404
        assert client.get(f"/persons/{fuling_resident.id}/insurance").status_code == 404

    def test_insurance_hub_search_by_full_id(
        self, client: TestClient, session: Session, fuling_resident: Person,
        yuzhong_clerk: Principal,
    ) -> None:
        sign_in(client, yuzhong_clerk)
        page = client.get("/insurance", params={"q": fuling_resident.resident_id})
        assert page.status_code == 200
        assert NOTICE in page.text and "涪陵张三丰" in page.text
