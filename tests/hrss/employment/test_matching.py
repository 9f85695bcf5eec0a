"""Matching in Chinese free text with hard filters, ranked and explained; applications,
referrals and hires."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from minsheng.hrss.employment import service
from minsheng.hrss.employment.service import VacancyQuery
from minsheng.platform.errors import Conflict, NotFound
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f
from tests.factories.employment import seeker, vacancy


@pytest.fixture
def market(session: Session) -> dict[str, int]:
    soft = f.employer(session, name="重庆山城软件有限公司")
    logistics = f.employer(session, name="渝中物流有限公司", industry="G")
    v = {
        "java": vacancy(session, soft, "Java软件工程师",
                        description="负责后端开发，熟悉Spring Boot和MySQL数据库",
                        pay_min=Decimal("9000"), pay_max=Decimal("15000"), education_required=4),
        "frontend": vacancy(session, soft, "前端开发工程师", description="Vue 网页开发",
                            pay_min=Decimal("8000"), pay_max=Decimal("12000")),
        "forklift": vacancy(session, logistics, "叉车司机", occupation_code="4-02",
                            description="仓库装卸，持叉车证", education_required=1,
                            pay_min=Decimal("5000"), pay_max=Decimal("6500")),
        "accountant": vacancy(session, logistics, "会计", occupation_code="2-06",
                              description="负责财务报表、税务申报，会用友软件",
                              pay_min=Decimal("6000"), pay_max=Decimal("8000")),
        "java_sp": vacancy(session, soft, "Java开发工程师", region="500106",
                           description="沙坪坝区 Java 开发", pay_min=Decimal("9000"),
                           pay_max=Decimal("14000")),
    }
    return {k: x.id for k, x in v.items()}


class TestSearchVacancies:
    def test_chinese_query_ranks_the_best_match_first(
            self, session: Session, market: dict[str, int]) -> None:
        found = service.search_vacancies(session, SYSTEM, VacancyQuery(text="java 软件工程师"))
        assert [m.vacancy.id for m in found][:1] == [market["java"]]
        assert market["forklift"] not in [m.vacancy.id for m in found]
        best = found[0]
        assert "java" in best.matched_terms and "软件" in best.matched_terms
        assert any(r.startswith("关键词匹配") for r in best.reasons)

    def test_forklift_driver(self, session: Session, market: dict[str, int]) -> None:
        found = service.search_vacancies(session, SYSTEM, VacancyQuery(text="我会开叉车"))
        assert [m.vacancy.id for m in found] == [market["forklift"]]
        assert found[0].employer_name == "渝中物流有限公司"

    def test_region_filter(self, session: Session, market: dict[str, int]) -> None:
        found = service.search_vacancies(session, SYSTEM,
                                         VacancyQuery(text="Java", region_prefix="500106"))
        assert [m.vacancy.id for m in found] == [market["java_sp"]]

    def test_pay_and_education_filters(self, session: Session, market: dict[str, int]) -> None:
        found = service.search_vacancies(session, SYSTEM, VacancyQuery(
            text="开发 工程师", min_pay=Decimal("13000"), education=3))
        # java needs 本科 (4); frontend tops out at 12,000; java_sp fits both filters.
        assert [m.vacancy.id for m in found] == [market["java_sp"]]

    def test_occupation_filter_without_text(self, session: Session,
                                            market: dict[str, int]) -> None:
        found = service.search_vacancies(session, SYSTEM, VacancyQuery(occupation_code="2-06"))
        assert [m.vacancy.id for m in found] == [market["accountant"]]

    def test_closed_vacancy_is_not_found(self, session: Session, market: dict[str, int]) -> None:
        service.close_vacancy(session, SYSTEM, market["forklift"])
        assert service.search_vacancies(session, SYSTEM, VacancyQuery(text="叉车")) == []


class TestMatchForSeeker:
    def test_accountant_seeker(self, session: Session, market: dict[str, int]) -> None:
        p = f.person(session, name="陈静")
        s = seeker(session, p, occupation_code="2-06", education=3, min_pay=Decimal("5500"),
                   skills="会计 财务报表 用友软件", summary="五年企业会计经验")
        found = service.match_vacancies_for_seeker(session, SYSTEM, s.id)
        assert found[0].vacancy.id == market["accountant"]
        assert "职业相同：经济和金融专业人员" in found[0].reasons
        assert market["java_sp"] not in [m.vacancy.id for m in found]  # other district
        assert market["java"] not in [m.vacancy.id for m in found]  # needs 本科

    def test_seekers_for_vacancy(self, session: Session, market: dict[str, int]) -> None:
        driver = seeker(session, f.person(session, name="王师傅"), occupation_code="4-02",
                        education=2, min_pay=Decimal("5000"), skills="叉车 驾驶 仓库管理")
        seeker(session, f.person(session, name="李会计"), occupation_code="2-06",
               education=3, min_pay=Decimal("5000"), skills="会计")
        greedy = seeker(session, f.person(session, name="赵某"), occupation_code="4-02",
                        education=2, min_pay=Decimal("9000"), skills="叉车")
        found = service.match_seekers_for_vacancy(session, SYSTEM, market["forklift"])
        assert found[0].seeker.id == driver.id
        assert greedy.id not in [m.seeker.id for m in found]  # asks above the top pay
        assert "*" in found[0].resident_id_masked


class TestApplications:
    def test_apply_hire_fills_the_vacancy(self, session: Session,
                                          market: dict[str, int]) -> None:
        p = f.person(session, name="刘洋")
        seeker(session, p, occupation_code="4-02", education=2, skills="叉车")
        citizen = Principal(user_id=0, username="liuyang", role="citizen", person_id=p.id)
        application = service.apply(session, citizen, market["forklift"])
        with pytest.raises(Conflict):
            service.apply(session, citizen, market["forklift"])
        placement = service.hire(session, SYSTEM, application.id)
        vacancy, _ = service.read_vacancy(session, market["forklift"])
        assert vacancy.status == "filled" and placement.person_id == p.id
        assert placement.counts_as_new_employment  # first job on record
        with pytest.raises(Conflict):
            service.apply(session, citizen, market["accountant"])  # placed: not seeking

    def test_referral_and_employer_scope(self, session: Session, market: dict[str, int]) -> None:
        clerk = f.staff(session, "clerk", "500103")
        s = seeker(session, f.person(session, name="周敏"), occupation_code="2-06", education=3)
        application = service.refer(session, clerk, s.id, market["accountant"])
        assert application.channel == "referral" and application.referred_by == clerk.username
        vacancy, _ = service.read_vacancy(session, market["accountant"])
        owner = Principal(user_id=0, username="boss", role="employer",
                          employer_id=vacancy.employer_id)
        assert [a.name for a in service.applicants(session, owner, vacancy.id)] == ["周敏"]
        other = Principal(user_id=0, username="other", role="employer",
                          employer_id=vacancy.employer_id + 1000)
        with pytest.raises(NotFound):
            service.applicants(session, other, vacancy.id)
