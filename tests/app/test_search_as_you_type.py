"""Search boxes of staff lists answer as they are typed (HTMX ``input changed`` after
300 ms): the page marks the form so, and the response holds the results' container the
form swaps (``hx-select``), filtered by what was typed."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests import factories as f
from tests.live import sign_in

TYPED = re.compile(r'hx-trigger="submit, input changed delay:300ms from:#([\w-]+)')


def _container(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start:]


def test_the_account_list_filters_as_the_admin_types(
        client: TestClient, session: Session) -> None:
    f.staff(session, "clerk", "500103", username="typing_clerk_a")
    f.staff(session, "clerk", "500103", username="other_clerk_b")
    sign_in(client, f.staff(session, "admin", "500000"))
    page = client.get("/admin/users").text
    typed = TYPED.search(page)
    assert typed is not None and typed.group(1) == "f-q"
    assert 'hx-select="#user-results"' in page
    found = _container(client.get("/admin/users", params={"q": "typing_"},
                                  headers={"HX-Request": "true"}).text, "user-results")
    assert "typing_clerk_a" in found and "other_clerk_b" not in found


def test_the_pension_person_search_answers_as_the_clerk_types(
        client: TestClient, session: Session) -> None:
    f.person(session, name="打字查人")
    sign_in(client, f.staff(session, "clerk", "500103"))
    page = client.get("/pension").text
    assert 'hx-select="#pension-person-results"' in page
    assert "from:#q" in page
    found = _container(client.get("/pension", params={"q": "打字"},
                                  headers={"HX-Request": "true"}).text, "pension-person-results")
    assert "打字查人" in found


def test_the_insurance_searches_answer_as_the_clerk_types(
        client: TestClient, session: Session) -> None:
    f.person(session, name="参保打字")
    f.employer(session, name="打字参保公司")
    sign_in(client, f.staff(session, "clerk", "500103"))
    page = client.get("/insurance").text
    assert 'hx-select="#insurance-person-results"' in page
    assert 'hx-select="#insurance-employer-results"' in page
    people = _container(client.get("/insurance", params={"q": "参保打"},
                                   headers={"HX-Request": "true"}).text,
                        "insurance-person-results")
    assert "参保打字" in people.split('id="insurance-employer-results"')[0]
    employers = _container(client.get("/insurance", params={"uscc": "打字参保"},
                                      headers={"HX-Request": "true"}).text,
                           "insurance-employer-results")
    assert "打字参保公司" in employers
