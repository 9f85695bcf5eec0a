"""The employment JSON API: search, seeker registration, vacancies, applications,
placements and indicators — each with bad input, a wrong role and another district."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests import factories as f
from tests.factories.employment import seeker, vacancy

SEEKER = {"region": "500103", "occupation_code": "4-04", "education": 4, "min_pay": "5000",
          "skills": "电工 维修", "summary": ""}
VACANCY = {"title": "配电维修电工", "occupation_code": "4-04", "region": "500103",
           "education_required": 3, "pay_min": "6000", "pay_max": "9000", "headcount": 2}


class TestSearch:
    def test_matches_text_best_first_with_reasons(self, client: TestClient,
                                                  session: Session) -> None:
        employer = f.employer(session)
        vacancy(session, employer, "配电维修电工", description="持电工证")
        vacancy(session, employer, "收银员", occupation_code="4-01")
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        r = client.get("/api/v1/employment/vacancies", params={"q": "电工"}, headers=headers)
        assert r.status_code == 200, r.text
        titles = [v["title"] for v in r.json()]
        assert titles[0] == "配电维修电工" and "收银员" not in titles
        assert r.json()[0]["reasons"] and r.json()[0]["pay_min"] == "5000.00"

    def test_bad_filters_are_422_naming_the_field(self, client: TestClient,
                                                  session: Session) -> None:
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        r = client.get("/api/v1/employment/vacancies", params={"limit": 0, "region": "abc"},
                       headers=headers)
        assert r.status_code == 422
        assert {e["field"] for e in r.json()["errors"]} == {"limit", "region"}

    def test_needs_a_signed_in_caller(self, client: TestClient) -> None:
        assert client.get("/api/v1/employment/vacancies").status_code == 401


class TestSeekerRegistration:
    def test_clerk_registers_then_updates(self, client: TestClient, session: Session) -> None:
        person = f.person(session)
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        first = client.put(f"/api/v1/employment/persons/{person.id}/seeker", json=SEEKER,
                           headers=headers)
        assert first.status_code == 200, first.text
        again = client.put(f"/api/v1/employment/persons/{person.id}/seeker",
                           json={**SEEKER, "occupation_code": "4-01"}, headers=headers)
        assert again.json()["id"] == first.json()["id"]
        assert (again.json()["occupation_code"], again.json()["status"]) == ("4-01", "seeking")

    def test_unknown_occupation_and_negative_pay(self, client: TestClient,
                                                 session: Session) -> None:
        person = f.person(session)
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        r = client.put(f"/api/v1/employment/persons/{person.id}/seeker",
                       json={**SEEKER, "min_pay": "-1"}, headers=headers)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "min_pay"
        r = client.put(f"/api/v1/employment/persons/{person.id}/seeker",
                       json={**SEEKER, "occupation_code": "9-99"}, headers=headers)
        assert r.status_code == 422
        assert "occupation_code" in {e["field"] for e in r.json()["errors"]}

    def test_person_of_another_district_is_404(self, client: TestClient,
                                               session: Session) -> None:
        person = f.person(session, residence_region="500106",
                          resident_id=f.resident_id("500106", date(1990, 5, 1)))
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        r = client.put(f"/api/v1/employment/persons/{person.id}/seeker", json=SEEKER,
                       headers=headers)
        assert r.status_code == 404

    def test_statistician_may_not_register(self, client: TestClient, session: Session) -> None:
        person = f.person(session)
        headers = f.login(client, f.staff(session, "statistician", "500103"))
        r = client.put(f"/api/v1/employment/persons/{person.id}/seeker", json=SEEKER,
                       headers=headers)
        assert r.status_code == 403

    def test_an_id_beyond_64_bits_is_422(self, client: TestClient, session: Session) -> None:
        headers = f.login(client, f.staff(session, "clerk", "500103"))
        r = client.put(f"/api/v1/employment/persons/{2**64}/seeker", json=SEEKER,
                       headers=headers)
        assert r.status_code == 422


class TestVacancyAndApplication:
    def test_employer_posts_citizen_applies(self, client: TestClient,
                                            session: Session) -> None:
        employer = f.employer(session)
        boss = f.staff(session, "employer", "", employer_id=employer.id)
        posted = client.post(f"/api/v1/employment/employers/{employer.id}/vacancies",
                             json=VACANCY, headers=f.login(client, boss))
        assert posted.status_code == 201, posted.text
        assert posted.json()["status"] == "open"
        person = f.person(session)
        seeker(session, person)
        citizen = f.staff(session, "citizen", "", person_id=person.id)
        applied = client.post(f"/api/v1/employment/vacancies/{posted.json()['id']}/applications",
                              headers=f.login(client, citizen))
        assert applied.status_code == 201, applied.text
        assert applied.json()["status"] == "submitted"

    def test_pay_range_upside_down_is_422(self, client: TestClient, session: Session) -> None:
        employer = f.employer(session)
        boss = f.staff(session, "employer", "", employer_id=employer.id)
        r = client.post(f"/api/v1/employment/employers/{employer.id}/vacancies",
                        json={**VACANCY, "pay_min": "9000", "pay_max": "6000"},
                        headers=f.login(client, boss))
        assert r.status_code == 422

    def test_another_employer_may_not_post(self, client: TestClient, session: Session) -> None:
        mine, theirs = f.employer(session), f.employer(session)
        boss = f.staff(session, "employer", "", employer_id=mine.id)
        r = client.post(f"/api/v1/employment/employers/{theirs.id}/vacancies", json=VACANCY,
                        headers=f.login(client, boss))
        assert r.status_code in (403, 404)


class TestPlacementAndIndicators:
    def test_placement_counts_as_urban_new_employment(self, client: TestClient,
                                                      session: Session) -> None:
        person = f.person(session)
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        r = client.post("/api/v1/employment/placements", headers=clerk,
                        json={"person_id": person.id, "on": "2026-03-02", "region": "500103"})
        assert r.status_code == 201, r.text
        assert r.json()["counts_as_new_employment"] is True
        stats = f.login(client, f.staff(session, "statistician", "500103"))
        figures = client.get("/api/v1/employment/indicators", headers=stats,
                             params={"year": 2026, "region": "500103"})
        assert figures.status_code == 200, figures.text
        assert figures.json()["urban_new_employment"] == 1

    def test_statistician_may_not_place(self, client: TestClient, session: Session) -> None:
        person = f.person(session)
        stats = f.login(client, f.staff(session, "statistician", "500103"))
        r = client.post("/api/v1/employment/placements", headers=stats,
                        json={"person_id": person.id, "on": "2026-03-02", "region": "500103"})
        assert r.status_code == 403

    def test_bad_kind_and_year(self, client: TestClient, session: Session) -> None:
        clerk = f.login(client, f.staff(session, "clerk", "500103"))
        r = client.post("/api/v1/employment/placements", headers=clerk,
                        json={"person_id": 1, "on": "2026-03-02", "region": "500103",
                              "kind": "hired"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "kind"
        r = client.get("/api/v1/employment/indicators", headers=clerk, params={"year": 0})
        assert r.status_code == 422
