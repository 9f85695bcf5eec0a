"""The search rows (``vacancy_term``) carry each open vacancy's hard filters, and the
ranked search over them returns exactly what a brute-force pass over the vacancies
would: the same vacancies, scores, order and matched terms (issue 16)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import islice
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.employment import service
from minsheng.hrss.employment import text as terms_of
from minsheng.hrss.employment.models import Vacancy, VacancyTerm
from minsheng.hrss.employment.service import VacancyQuery
from minsheng.platform.security.principal import SYSTEM, Principal
from minsheng.synth.vacancies import generate_seekers, generate_vacancies
from tests import factories as f
from tests.factories.employment import seeker, vacancy

REGIONS = ("500103", "500106", "500230")


def _rows(session: Session, vacancy_id: int) -> list[VacancyTerm]:
    return list(session.scalars(select(VacancyTerm).where(VacancyTerm.vacancy_id == vacancy_id)))


class TestSearchRowsFollowTheVacancy:
    def test_posting_writes_the_filters_on_every_row(self, session: Session) -> None:
        v = vacancy(session, f.employer(session), "叉车司机", occupation_code="4-02",
                    description="仓库装卸", education_required=2, pay_min=Decimal("5000"),
                    pay_max=Decimal("6500"), region="500106", on=date(2026, 4, 2))
        rows = _rows(session, v.id)
        assert {r.term for r in rows} >= {"叉车", "叉车司机", "仓库"}
        assert {(r.region, r.pay_max, r.education_required, r.occupation_code, r.posted_date)
                for r in rows} == {("500106", Decimal("6500"), 2, "4-02", date(2026, 4, 2))}
        assert {r.term: r.weight for r in rows}["叉车"] == 3  # a word of the title
        assert {r.term: r.weight for r in rows}["仓库"] == 1  # of the description only

    def test_closing_removes_the_rows(self, session: Session) -> None:
        v = vacancy(session, f.employer(session), "会计", description="财务报表")
        assert _rows(session, v.id)
        service.close_vacancy(session, SYSTEM, v.id)
        assert _rows(session, v.id) == []
        assert service.search_vacancies(session, SYSTEM, VacancyQuery(text="会计")) == []

    def test_filling_removes_the_rows(self, session: Session) -> None:
        v = vacancy(session, f.employer(session), "叉车司机", occupation_code="4-02")
        p = f.person(session, name="刘洋")
        seeker(session, p, occupation_code="4-02", education=2, skills="叉车")
        citizen = Principal(user_id=0, username="liuyang", role="citizen", person_id=p.id)
        service.hire(session, SYSTEM, service.apply(session, citizen, v.id).id)
        assert session.get(Vacancy, v.id).status == "filled"  # type: ignore[union-attr]
        assert _rows(session, v.id) == []


def _expected(open_: list[dict[str, Any]], query: VacancyQuery
              ) -> list[tuple[int, int, tuple[str, ...]]]:
    """Brute force over the open vacancies: the filters as the search states them, the
    score as the sum of the matched terms' weights (3 title, 1 description) plus 4 for
    the wanted occupation or 1 for its major group; best score, then newest, then
    highest id first."""
    words = terms_of.terms(query.text)
    found = []
    for v in open_:
        if not v["region"].startswith(query.region_prefix):
            continue
        if query.occupation_code and not v["occupation_code"].startswith(query.occupation_code):
            continue
        if query.min_pay is not None and v["pay_max"] < query.min_pay:
            continue
        if query.education is not None and v["education_required"] > query.education:
            continue
        weights = terms_of.weighted_terms(v["title"], v["description"])
        matched = tuple(w for w in words if w in weights)
        if not matched:
            continue
        bonus = 0
        if query.wanted_occupation == v["occupation_code"]:
            bonus = 4
        elif query.wanted_occupation and (query.wanted_occupation.split("-")[0]
                                          == v["occupation_code"].split("-")[0]):
            bonus = 1
        found.append((sum(weights[w] for w in matched) + bonus, v["posted_date"], v["id"],
                      matched))
    found.sort(key=lambda x: (x[0], x[1], x[2]), reverse=True)
    return [(i, s, m) for s, _, i, m in found[:query.limit]]


@pytest.fixture
def board(session: Session) -> list[dict[str, Any]]:
    """90 synthetic vacancies over three districts, every seventh closed."""
    employer = f.employer(session)
    posted = []
    for n, s in enumerate(generate_vacancies(90, seed=3, today=date(2026, 6, 30))):
        v = vacancy(session, employer, s.title, occupation_code=s.occupation_code,
                    region=REGIONS[n % 3], education_required=s.education_required,
                    pay_min=s.pay_min, pay_max=s.pay_max, description=s.description,
                    on=s.posted_date)
        if n % 7 == 3:
            service.close_vacancy(session, SYSTEM, v.id)
            continue
        posted.append({"id": v.id, "title": v.title, "description": v.description,
                       "region": v.region, "occupation_code": v.occupation_code,
                       "education_required": v.education_required, "pay_max": v.pay_max,
                       "posted_date": v.posted_date})
    return posted


def _queries() -> list[VacancyQuery]:
    queries = []
    for n, s in enumerate(islice(generate_seekers(40, seed=5), 40)):
        queries.append(VacancyQuery(
            text=s.skills, region_prefix=("", "5001", REGIONS[n % 3], "50")[n % 4],
            min_pay=None if n % 3 == 0 else s.min_pay + Decimal((n % 4) * 1000),
            education=None if n % 5 == 0 else s.education,
            occupation_code=s.occupation_code[:1] if n % 6 == 1 else "",
            wanted_occupation=None if n % 8 == 7 else s.occupation_code,
            limit=(5, 20)[n % 2]))
    # Text shared by many postings: the ties on score are broken by date and id.
    queries.append(VacancyQuery(text="工程师 管理 服务 司机", limit=30))
    return queries


def test_search_equals_brute_force(session: Session, board: list[dict[str, Any]]) -> None:
    nonempty = 0
    for query in _queries():
        found = service.search_vacancies(session, SYSTEM, query)
        expected = _expected(board, query)
        assert [(m.vacancy.id, m.score, m.matched_terms) for m in found] == expected, query
        nonempty += bool(expected)
    assert nonempty >= 20  # the queries do find vacancies


def test_occupation_filter_is_a_prefix_not_a_pattern(session: Session,
                                                    board: list[dict[str, Any]]) -> None:
    """``_`` in a filter is a character, not a LIKE wildcard."""
    assert service.search_vacancies(session, SYSTEM,
                                    VacancyQuery(text="工程师 司机", occupation_code="4_")) == []
    assert service.search_vacancies(session, SYSTEM,
                                    VacancyQuery(text="工程师 司机", occupation_code="4-"))
