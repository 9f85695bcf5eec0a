"""``POST /api/v1/pension/estimate`` and the public page, through the real application:
public (no sign-in), exact amounts as strings, not-eligible answers, and 422s naming
each field in Chinese and English. The estimator reads the rulebook (index bounds from
the contribution rule in force, early-retirement ages), so each test has a database
with Chongqing's contribution rule (average wage 8,000, base 60 %–300 %)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.platform.config import Settings
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM, Principal
from tests import factories as f
from tests.conftest import joined_app
from tests.live import sign_in

URL = "/api/v1/pension/estimate"

#: A man born 1965-05-10 retiring on his statutory date (60y2m):
#: (8000 + 8000 × 1.2) / 2 × 31 × 1 % = 2728.00; 120000 / 139 = 863.31 (60y2m, floor).
EMPLOYEE = {
    "scheme": "employee", "birth_date": "1965-05-10", "retirement_date": "2025-07-10",
    "category": "male", "contribution_months": 372, "average_index": "1.2",
    "local_average_wage": "8000", "account_balance": "120000",
}
RESIDENT = {
    "scheme": "resident", "birth_date": "1964-03-01", "retirement_date": "2024-03-01",
    "contribution_months": 180, "account_balance": "27800", "basic_pension": "200",
}


def _client(session: Session, settings: Settings, **changes: Any) -> Iterator[TestClient]:
    f.contribution_rule(session)
    app = joined_app(session, settings.model_copy(update=changes))
    with TestClient(app) as client:
        yield client


@pytest.fixture
def client(session: Session, settings: Settings) -> Iterator[TestClient]:
    yield from _client(session, settings)


def _errors(response: Any) -> dict[str, dict[str, str]]:
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["type"] == "rule_violation"
    assert problem["detail"] and problem["detail_en"]
    return {e["field"]: e for e in problem["errors"]}


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


class TestEstimateEmployee:
    def test_eligible_without_signing_in(self, client: TestClient) -> None:
        response = client.post(URL, json=EMPLOYEE)
        assert response.status_code == 200, response.text
        body = response.json()
        assert {k: body[k] for k in ("eligible", "missing_months", "months_divisor",
                                     "basic_pension", "account_pension",
                                     "transitional_pension", "total")} == {
            "eligible": True, "missing_months": 0, "months_divisor": 139,
            "basic_pension": "2728.00", "account_pension": "863.31",
            "transitional_pension": "0.00", "total": "3591.31",
        }
        assert body["explanation"] is None and body["explanation_en"] is None

    def test_inputs_used_are_returned(self, client: TestClient) -> None:
        inputs = client.post(URL, json=EMPLOYEE).json()["inputs"]
        assert inputs["scheme"] == "employee"
        assert inputs["birth_date"] == "1965-05-10"
        assert inputs["retirement_date"] == "2025-07-10"
        assert inputs["retirement_date_source"] == "given"
        assert inputs["retirement_age"] == {"years": 60, "months": 2, "label": "60岁2个月"}
        assert inputs["contribution_months"] == 372
        assert inputs["contribution_years"] == "31.0000"
        assert inputs["minimum_contribution_months"] == 180
        assert Decimal(inputs["average_index"]) == Decimal("1.2")
        assert inputs["local_average_wage"] == "8000.00"
        assert inputs["indexed_wage"] == "9600.00"
        assert inputs["account_balance"] == "120000.00"
        assert inputs["divisor_rule"] == "floor"
        assert Decimal(inputs["transitional_rate"]) == 0

    def test_statutory_retirement_from_category(self, client: TestClient) -> None:
        data = {**EMPLOYEE, "birth_date": "1965-01-15", "category": "male"}
        del data["retirement_date"]
        body = client.post(URL, json=data).json()
        assert body["inputs"]["retirement_date"] == "2025-02-15"  # 60y1m (annex 1, row 1)
        assert body["inputs"]["retirement_date_source"] == "statutory"
        statutory = body["inputs"]["statutory_retirement"]
        assert (statutory["years"], statutory["months"], statutory["delay_months"]) == (60, 1, 1)

    def test_not_eligible_says_how_many_months_are_missing(self, client: TestClient) -> None:
        # Retiring in 2032 needs 198 months (180 + 3 × 6).
        # A woman worker born 1971-03 (statutory 50, reached in 2021).
        data = {**EMPLOYEE, "birth_date": "1971-03-01", "retirement_date": "2032-03-01",
                "contribution_months": 190, "category": "female_worker"}
        response = client.post(URL, json=data)
        assert response.status_code == 200
        body = response.json()
        assert body["eligible"] is False
        assert body["missing_months"] == 8
        assert body["inputs"]["minimum_contribution_months"] == 198
        assert body["total"] == body["basic_pension"] == "0.00"
        assert "尚缺8个月" in body["explanation"]
        assert "8 months are missing" in body["explanation_en"]

    def test_interpolation_setting(self, session: Session, settings: Settings) -> None:
        for client in _client(session, settings, pension_divisor_rule="interpolate"):
            body = client.post(URL, json=EMPLOYEE).json()
            assert body["months_divisor"] == 138  # 139 − 7 × 2/12 = 137.83 → 138
            assert body["account_pension"] == "869.57"
            assert body["inputs"]["divisor_rule"] == "interpolate"

    def test_transitional_rate_setting(self, session: Session, settings: Settings) -> None:
        for client in _client(session, settings, pension_transitional_rate=Decimal("0.012")):
            body = client.post(URL, json={**EMPLOYEE, "deemed_contribution_months": 120}).json()
            assert body["transitional_pension"] == "1152.00"  # 9600 × 10 × 1.2 %
            assert body["total"] == "4743.31"


class TestEstimateResident:
    def test_basic_plus_balance_over_139(self, client: TestClient) -> None:
        body = client.post(URL, json=RESIDENT).json()
        assert body["eligible"] is True
        assert body["months_divisor"] == 139
        assert (body["basic_pension"], body["account_pension"], body["total"]) == (
            "200.00", "200.00", "400.00")
        assert body["transitional_pension"] == "0.00"
        assert body["inputs"]["basic_pension"] == "200.00"

    def test_too_few_years(self, client: TestClient) -> None:
        body = client.post(URL, json={**RESIDENT, "contribution_months": 170}).json()
        assert body["eligible"] is False
        assert body["missing_months"] == 10
        assert body["explanation"] and body["explanation_en"]


    def test_overage_with_the_scheme_start(self, client: TestClient) -> None:
        # Born 1945-05-10, 66 when the scheme began on 2011-07-01: no contribution
        # needed; 0 paid → the basic pension alone, 175.00. Without the start date the
        # same request is 180 months short.
        overage = {"scheme": "resident", "birth_date": "1945-05-10",
                   "retirement_date": "2011-07-01", "contribution_months": 0,
                   "basic_pension": "175"}
        body = client.post(URL, json={**overage, "resident_scheme_start": "2011-07-01"}).json()
        assert (body["eligible"], body["total"]) == (True, "175.00")
        assert body["inputs"]["minimum_contribution_months"] == 0
        assert client.post(URL, json=overage).json()["missing_months"] == 180


class TestEstimateRefused:
    def test_retirement_before_birth(self, client: TestClient) -> None:
        errors = _errors(client.post(URL, json={**EMPLOYEE, "retirement_date": "1960-01-01"}))
        assert "retirement_date" in errors
        assert _has_chinese(errors["retirement_date"]["message"])
        assert "birth" in errors["retirement_date"]["message_en"]

    def test_negative_months(self, client: TestClient) -> None:
        errors = _errors(client.post(URL, json={**EMPLOYEE, "contribution_months": -12}))
        assert "不能为负数" in errors["contribution_months"]["message"]
        assert "negative" in errors["contribution_months"]["message_en"]

    @pytest.mark.parametrize("index", ["0.59", "3.01", "0"])
    def test_index_outside_60_to_300_percent(self, client: TestClient, index: str) -> None:
        errors = _errors(client.post(URL, json={**EMPLOYEE, "average_index": index}))
        assert "0.6 至 3 之间" in errors["average_index"]["message"]
        assert "between 0.6 and 3" in errors["average_index"]["message_en"]

    def test_index_bounds_are_the_rule_in_force(self, session: Session,
                                                settings: Settings) -> None:
        """A region publishing 40 %–350 % (the bounds are data, not 0.6/3.0 literals):
        0.5 is accepted and 3.6 refused."""
        f.contribution_rule(session, region="500103", floor_ratio=Decimal("0.4"),
                            ceiling_ratio=Decimal("3.5"))
        f.contribution_rule(session)
        app = joined_app(session, settings)
        with TestClient(app) as client:
            # The public estimator uses the node's city (50): 0.6–3.0 there.
            assert client.post(URL, json={**EMPLOYEE, "average_index": "0.5"}
                               ).status_code == 422
            citizen = _citizen(session, date(1965, 5, 10), region="500103")
            sign_in(client, citizen)
            page = client.post("/pension/estimate/result",
                               data={**TestEstimatorPage.FORM, "average_index": "0.5"})
            assert "1,860.00" in page.text  # basic: (8,000 + 4,000) / 2 × 31 × 1 %
            refused = client.post("/pension/estimate/result",
                                  data={**TestEstimatorPage.FORM, "average_index": "3.6"})
            assert "平均缴费指数应在 0.4 至 3.5 之间" in refused.text

    def test_retirement_before_the_statutory_date(self, client: TestClient) -> None:
        """A man born 1970-01-15 at 55: statutory 61y4m on 2031-05-15 (k = 60 months after
        2025-01, delay 60 // 4 + 1 = 16)."""
        data = {**EMPLOYEE, "birth_date": "1970-01-15", "retirement_date": "2025-01-15",
                "contribution_months": 360}
        errors = _errors(client.post(URL, json=data))
        assert "2031-05-15" in errors["retirement_date"]["message"]
        assert "2031-05-15" in errors["retirement_date"]["message_en"]
        special = client.post(URL, json={**data, "route": "special_work"})
        assert special.status_code == 200, special.text  # men from 55 (seeded rulebook row)
        assert special.json()["inputs"]["route"] == "special_work"
        flexible = _errors(client.post(URL, json={**data, "route": "flexible"}))
        assert "不得低于原法定退休年龄60周岁" in flexible["retirement_date"]["message"]

    def test_category_is_required_for_the_employee_scheme(self, client: TestClient) -> None:
        errors = _errors(client.post(URL, json={k: v for k, v in EMPLOYEE.items()
                                                if k != "category"}))
        assert "category" in errors

    def test_unknown_scheme(self, client: TestClient) -> None:
        errors = _errors(client.post(URL, json={**EMPLOYEE, "scheme": "enterprise"}))
        assert _has_chinese(errors["scheme"]["message"])
        assert "employee or resident" in errors["scheme"]["message_en"]

    def test_employee_needs_wage_and_index(self, client: TestClient) -> None:
        data = {k: v for k, v in EMPLOYEE.items()
                if k not in ("average_index", "local_average_wage")}
        errors = _errors(client.post(URL, json=data))
        assert {"average_index", "local_average_wage"} <= set(errors)

    def test_resident_needs_basic_pension(self, client: TestClient) -> None:
        errors = _errors(client.post(URL, json={k: v for k, v in RESIDENT.items()
                                                if k != "basic_pension"}))
        assert "basic_pension" in errors

    def test_unreadable_date_uses_the_generic_field_error(self, client: TestClient) -> None:
        errors = _errors(client.post(URL, json={**EMPLOYEE, "birth_date": "1965-13-40"}))
        assert "birth_date" in errors
        assert errors["birth_date"]["message"] and errors["birth_date"]["message_en"]


class TestContract:
    def test_openapi_documents_the_estimator(self, client: TestClient) -> None:
        document = client.get("/openapi.json").json()
        operation = document["paths"][URL]["post"]
        assert "422" in operation["responses"]
        schema = document["components"]["schemas"]["EstimateRequest"]
        assert schema["properties"]["scheme"]["enum"] == ["employee", "resident"]
        assert set(schema["required"]) == {"scheme", "birth_date", "contribution_months"}


class TestEstimatorPage:
    FORM = {
        "scheme": "employee", "birth_date": "1965-05-10", "retirement_date": "2025-07-10",
        "category": "male", "route": "statutory",
        "contribution_years": "31", "contribution_extra_months": "0", "average_index": "1.2",
        "local_average_wage": "8,000", "account_balance": "120000",
    }

    def test_public_page_renders_without_signing_in(self, client: TestClient) -> None:
        response = client.get("/pension/estimate", follow_redirects=False)
        assert response.status_code == 200
        assert "养老金测算" in response.text
        assert 'hx-post="/pension/estimate/result"' in response.text

    def test_htmx_fragment_shows_result_and_inputs(self, client: TestClient) -> None:
        response = client.post("/pension/estimate/result", data=self.FORM,
                               headers={"HX-Request": "true", "HX-Target": "estimator"})
        assert response.status_code == 200
        html = response.text
        assert "<html" not in html  # a fragment
        assert "3,591.31" in html and "2,728.00" in html and "863.31" in html
        assert "计算所用数据" in html and "60岁2个月" in html

    def test_form_without_javascript_gets_the_whole_page(self, client: TestClient) -> None:
        response = client.post("/pension/estimate", data=self.FORM)
        assert response.status_code == 200
        assert "<html" in response.text and "3,591.31" in response.text

    def test_not_eligible_explains(self, client: TestClient) -> None:
        form = {**self.FORM, "birth_date": "1971-03-01", "retirement_date": "2032-03-01",
                "contribution_years": "15", "contribution_extra_months": "10",
                "category": "female_worker"}
        html = client.post("/pension/estimate/result", data=form).text
        assert "暂不符合按月领取条件" in html
        assert "尚缺8个月" in html

    def test_field_errors_are_shown_next_to_the_fields(self, client: TestClient) -> None:
        response = client.post("/pension/estimate", data={**self.FORM, "average_index": "3.5"})
        assert response.status_code == 422
        assert "平均缴费指数应在 0.6 至 3 之间" in response.text
        form = {**self.FORM, "contribution_extra_months": "14"}
        fragment = client.post("/pension/estimate/result", data=form,
                               headers={"HX-Request": "true"})
        assert fragment.status_code == 200  # HTMX swaps 2xx only
        assert 'aria-invalid="true"' in fragment.text
        assert "月数应在 0 至 11 之间" in fragment.text

    def test_unreadable_and_refused_fields_are_reported_together(
            self, client: TestClient) -> None:
        form = {**self.FORM, "contribution_years": "三十", "average_index": "3.5",
                "local_average_wage": ""}
        html = client.post("/pension/estimate", data=form).text
        assert "请输入整数" in html
        assert "平均缴费指数应在 0.6 至 3 之间" in html
        assert "请填写上年度当地月平均工资" in html


def _citizen(session: Session, born: date, region: str = "500103") -> Principal:
    person = f.person(session, residence_region=region,
                      resident_id=f.resident_id(region, born, male=True))
    user = security.add_user(session, actor=SYSTEM, username=f"citizen-{person.id}",
                             role="citizen", password=f.PASSWORD, person_id=person.id)
    return security.principal_of(user)


def _value(html: str, name: str) -> str:
    marker = f'name="{name}"'
    tag = html[html.rindex("<", 0, html.index(marker)):]
    tag = tag[:tag.index(">")]
    return tag.split('value="', 1)[1].split('"', 1)[0] if 'value="' in tag else ""


class TestPrefill:
    """The estimator no longer makes people type the average wage and their index: the
    rule in force and, signed in, their own record fill the form."""

    def test_anonymous_gets_the_average_wage_of_the_rule_in_force(
            self, client: TestClient) -> None:
        html = client.get("/pension/estimate").text
        assert _value(html, "local_average_wage") == "8000.00"
        assert _value(html, "average_index") == ""
        assert "按现行缴费参数预填" in html

    def test_a_citizen_gets_the_own_record(self, client: TestClient,
                                           session: Session) -> None:
        """History 2022-01..2024-12 at 10,000 of an 8,000 average: 36 months, index 1.25,
        credits 800 a month; account 9,600 (2022) → × 3.97 % = 381.12 → 19,581.12 (2023)
        → × 2.62 % = 513.025… → 513.03 → 29,694.15 (2024); no rate on record for 2025–26
        (the account earns nothing there)."""
        citizen = _citizen(session, date(1975, 6, 1))
        assert citizen.person_id is not None
        f.enrolment(session, citizen.person_id, start_month="2022-01", end_month="2024-12",
                    declared_wage=Decimal("10000.00"))
        sign_in(client, citizen)
        html = client.get("/pension/estimate").text
        assert _value(html, "birth_date").startswith("1975-06-")
        assert '<option value="male" selected>' in html
        assert (_value(html, "contribution_years"),
                _value(html, "contribution_extra_months")) == ("3", "0")
        assert _value(html, "average_index") == "1.2500"
        assert _value(html, "account_balance") == "29694.15"
        assert "已缴费36个月" in html
