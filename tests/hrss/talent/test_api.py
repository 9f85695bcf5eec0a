"""The talent JSON API as its users call it: certificates and titles with the input the
rules refuse, introductions declared by the employer and staff, events, competition
results, postdoctoral intake, the counts by region and level, a person's credentials."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minsheng.hrss.talent.models import ProfessionalTitle, SkillCertificate, TalentIntroduction
from minsheng.hrss.talent.service import credentials
from minsheng.platform.security import service as security
from minsheng.platform.security.models import AuditEvent
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f

API = "/api/v1/talent"


def _certificate(person_id: int, number: str = "S500000000001", **kw: Any) -> dict[str, Any]:
    return {"person_id": person_id, "occupation_code": "6-18-01-01", "level": 3,
            "certificate_no": number, "issued_on": "2020-06-30", **kw}


def _count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _employer_login(client: TestClient, session: Session, employer_id: int) -> dict[str, str]:
    account = security.add_user(session, actor=SYSTEM, username=f"emp-{employer_id}",
                                role="employer", password=f.PASSWORD, employer_id=employer_id)
    return f.login(client, security.principal_of(account))


class TestSkillCertificates:
    def test_recorded_with_the_level_label(self, client: TestClient, session: Session) -> None:
        person = f.person(session)
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        created = client.post(f"{API}/skill-certificates", headers=clerk,
                              json=_certificate(person.id, "s500000000001"))
        assert created.status_code == 201, created.text
        body = created.json()
        assert (body["level"], body["level_label"], body["certificate_no"], body["region"]) == (
            3, "高级工", "S500000000001", "500103")
        assert session.scalar(select(AuditEvent.action).where(
            AuditEvent.subject_type == "skill_certificate")) == "talent.certificate_record"

    def test_bad_input_names_the_field_in_both_languages(self, client: TestClient,
                                                         session: Session) -> None:
        person = f.person(session)
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        tomorrow = (date.today() + timedelta(days=1)).isoformat()
        cases = [({"level": 0}, "level"), ({"level": 6}, "level"), ({"level": "3"}, "level"),
                 ({"level": True}, "level"), ({"occupation_code": "618"}, "occupation_code"),
                 ({"certificate_no": "S1"}, "certificate_no"),
                 ({"issued_on": tomorrow}, "issued_on"), ({"issued_on": "1970-01-01"},
                                                          "issued_on"),
                 ({"person_id": 2_000_000_000}, "person_id"), ({"extra": 1}, "extra")]
        for change, field in cases:
            answer = client.post(f"{API}/skill-certificates", headers=clerk,
                                 json={**_certificate(person.id), **change})
            assert answer.status_code == 422, (change, answer.text)
            problem = answer.json()
            assert any(field in str(e.get("field", "")) or field in str(e.get("loc", ""))
                       for e in problem.get("errors", [])) or field in problem["detail_en"], \
                (change, problem)
            assert problem["detail"] and problem["detail_en"]
        level = client.post(f"{API}/skill-certificates", headers=clerk,
                            json=_certificate(person.id, level=9)).json()
        assert "职业技能等级" in str(level) and "level" in str(level)
        assert _count(session, SkillCertificate) == 0

    def test_a_certificate_number_is_recorded_once(self, client: TestClient,
                                                   session: Session) -> None:
        first, second = f.person(session), f.person(session)
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        assert client.post(f"{API}/skill-certificates", headers=clerk,
                           json=_certificate(first.id)).status_code == 201
        again = client.post(f"{API}/skill-certificates", headers=clerk,
                            json=_certificate(second.id, " s500000000001 "))
        assert again.status_code == 409 and "certificate_no" in again.json()["detail_en"]
        assert _count(session, SkillCertificate) == 1

    def test_outside_the_region_and_without_the_permission(self, client: TestClient,
                                                           session: Session) -> None:
        fuling = f.person(session, residence_region="500102")
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        assert client.post(f"{API}/skill-certificates", headers=clerk,
                           json=_certificate(fuling.id)).status_code == 422
        reviewer = f.login(client, f.staff(session, "statistician", "500103"))
        assert client.post(f"{API}/skill-certificates", headers=reviewer,
                           json=_certificate(fuling.id)).status_code == 403
        assert _count(session, SkillCertificate) == 0


class TestTitles:
    def test_recorded_and_refused(self, client: TestClient, session: Session) -> None:
        person = f.person(session)
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        body = {"person_id": person.id, "series": "engineering", "level": "deputy_senior",
                "certificate_no": "GC2019000123", "granted_on": "2019-12-20"}
        created = client.post(f"{API}/titles", headers=clerk, json=body)
        assert created.status_code == 201, created.text
        assert created.json()["level_label"] == "副高级"
        assert client.post(f"{API}/titles", headers=clerk, json=body).status_code == 409
        for change in ({"level": "senior_plus"}, {"series": "magic"},
                       {"granted_on": (date.today() + timedelta(days=3)).isoformat()}):
            answer = client.post(f"{API}/titles", headers=clerk,
                                 json={**body, "certificate_no": "GC2019000999", **change})
            assert answer.status_code == 422, (change, answer.text)
        assert _count(session, ProfessionalTitle) == 1


class TestIntroductions:
    def test_the_employer_declares_its_own_talent(self, client: TestClient,
                                                  session: Session) -> None:
        person, employer, other = f.person(session), f.employer(session), f.employer(session)
        staff = f.login(client, f.staff(session, "clerk", "500103"))
        event = client.post(f"{API}/events", headers=staff, json={
            "name": "重庆英才大会", "region": "500103", "held_on": "2020-11-20",
            "projects_signed": 3})
        assert event.status_code == 201, event.text
        headers = _employer_login(client, session, employer.id)
        body = {"person_id": person.id, "employer_id": employer.id, "category_code": "d",
                "introduced_on": "2020-11-21", "event_id": event.json()["id"],
                "project_name": "智能网联汽车研发"}
        declared = client.post(f"{API}/introductions", headers=headers, json=body)
        assert declared.status_code == 201, declared.text
        assert (declared.json()["category_code"], declared.json()["category_name"]) == (
            "D", "急需紧缺专业技术人才")
        assert client.post(f"{API}/introductions", headers=headers,
                           json=body).status_code == 409
        refused = [
            {**body, "employer_id": other.id},            # not its own employer
            {**body, "category_code": "Z"},               # not in the catalogue
            {**body, "introduced_on": "2015-06-01", "event_id": None},  # before the catalogue
            {**body, "introduced_on": "2020-11-19"},      # before the event
            {**body, "event_id": 2_000_000},              # no such event
        ]
        for change in refused:
            assert client.post(f"{API}/introductions", headers=headers,
                               json=change).status_code == 422, change
        events = client.get(f"{API}/events", headers=staff).json()
        assert [(e["name"], e["talents"], e["projects_signed"]) for e in events] == [
            ("重庆英才大会", 1, 3)]
        assert _count(session, TalentIntroduction) == 1

    def test_staff_declare_for_an_employer_of_their_region(self, client: TestClient,
                                                           session: Session) -> None:
        person = f.person(session)
        fuling = f.employer(session, region="500102")
        staff = f.login(client, f.staff(session, "clerk", "500103"))
        body = {"person_id": person.id, "employer_id": fuling.id, "category_code": "A",
                "introduced_on": "2019-03-01"}
        assert client.post(f"{API}/introductions", headers=staff,
                           json=body).status_code == 422
        city = f.login(client, f.staff(session, "clerk", "50"))
        assert client.post(f"{API}/introductions", headers=city,
                           json=body).status_code == 201


class TestPostdocAndCompetitions:
    def test_a_station_admits_once_at_a_time(self, client: TestClient,
                                             session: Session) -> None:
        person = f.person(session)
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        station = client.post(f"{API}/postdoc-stations", headers=clerk, json={
            "name": "重庆大学机械工程博士后科研流动站", "kind": "research", "region": "500103",
            "established_on": "2001-01-01"})
        assert station.status_code == 201, station.text
        body = {"station_id": station.json()["id"], "person_id": person.id,
                "entered_on": "2020-09-01"}
        assert client.post(f"{API}/postdoc-intakes", headers=clerk, json=body).status_code == 201
        assert client.post(f"{API}/postdoc-intakes", headers=clerk, json={
            **body, "entered_on": "2021-01-01"}).status_code == 409
        assert client.post(f"{API}/postdoc-intakes", headers=clerk, json={
            **body, "entered_on": "2022-01-01", "left_on": "2021-01-01"}).status_code == 422

    def test_competition_results(self, client: TestClient, session: Session) -> None:
        person = f.person(session)
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        body = {"competition": "中华人民共和国第一届职业技能大赛", "held_on": "2020-12-10",
                "trade": "焊接", "person_id": person.id, "award": "gold"}
        assert client.post(f"{API}/competition-results", headers=clerk,
                           json=body).status_code == 201
        assert client.post(f"{API}/competition-results", headers=clerk,
                           json=body).status_code == 409
        assert client.post(f"{API}/competition-results", headers=clerk,
                           json={**body, "award": "platinum"}).status_code == 422


class TestCounts:
    def test_people_once_at_their_highest_level(self, client: TestClient,
                                               session: Session) -> None:
        clerk = f.staff(session, "clerk", "500103")
        headers = f.login(client, clerk)
        a, b = f.person(session), f.person(session)
        c = f.person(session, residence_region="500102")
        city = f.login(client, f.staff(session, "clerk", "50"))
        numbers = iter(f"S50000000{n:04d}" for n in range(100))
        for person, level, on in ((a, 3, "2019-01-01"), (a, 1, "2025-05-01"),
                                  (b, 5, "2025-02-01"), (c, 2, "2024-01-01"),
                                  (b, 4, "2026-01-05")):
            assert client.post(f"{API}/skill-certificates", headers=city, json=_certificate(
                person.id, next(numbers), level=level, issued_on=on)).status_code == 201
        for person, level, on in ((a, "junior", "2010-01-01"), (a, "senior", "2025-01-01"),
                                  (c, "intermediate", "2025-03-01")):
            assert client.post(f"{API}/titles", headers=city, json={
                "person_id": person.id, "series": "health", "level": level,
                "certificate_no": next(numbers), "granted_on": on}).status_code == 201
        employer = f.employer(session)
        for person, on in ((a, "2025-03-01"), (b, "2025-07-01"), (c, "2024-07-01")):
            assert client.post(f"{API}/introductions", headers=city, json={
                "person_id": person.id, "employer_id": employer.id, "category_code": "B",
                "introduced_on": on}).status_code == 201
        found = client.get(f"{API}/counts", headers=headers, params={"year": 2025})
        assert found.status_code == 200, found.text
        body = found.json()
        # 渝中 at the end of 2025: a at level 1 (not also at 3), b at level 5 (the level-4
        # certificate is from 2026); c lives in 涪陵.
        assert body["skilled"] == 2
        assert {x["level"]: x["people"] for x in body["skilled_by_level"]} == {
            "1": 1, "2": 0, "3": 0, "4": 0, "5": 1}
        assert body["professional"] == 1
        assert {x["level"]: x["people"] for x in body["professional_by_level"]}["senior"] == 1
        assert body["introductions"] == 2
        assert client.get(f"{API}/counts", headers=headers,
                          params={"region": "500102"}).status_code == 422
        everywhere = client.get(f"{API}/counts", headers=city, params={"year": 2025}).json()
        assert (everywhere["skilled"], everywhere["professional"],
                everywhere["introductions"]) == (3, 2, 2)
        assert client.get(f"{API}/counts", headers=city,
                          params={"year": 2024}).json()["skilled"] == 2
        assert credentials(session, a.id).skill_levels == [1, 3]
        assert credentials(session, a.id).titles == ["senior", "junior"]
        assert credentials(session, a.id).introduction_categories == ["B"]
        assert credentials(session, b.id).highest_skill_level == 4
