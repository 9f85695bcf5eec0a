"""Green-mine scoring: preconditions first, the 800 line, the 75 % category floor, a set
out of 100 without a pass line, and score sheets through the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from minsheng.ecology.greenmines import rules
from minsheng.ecology.greenmines.standard_sets import NATIONAL_2020, NATIONAL_2024
from minsheng.platform.errors import RuleViolation
from tests import factories as f
from tests.factories import ecology as h

D = Decimal


def _spec(data: dict[str, Any]) -> rules.IndicatorSetSpec:
    categories = data["categories"]
    floor = data["category_floor_percent"]
    return rules.IndicatorSetSpec(
        max_score=D(str(data["max_score"])),
        pass_score=D(str(data["pass_score"])) if data["pass_score"] is not None else None,
        category_floor_ppm=int(D(str(floor)) * 10_000) if floor is not None else None,
        categories=[rules.Category(c["code"], c["name"], c["max_score"]) for c in categories],
        items=[rules.Item(i["code"], c["code"], i["max_score"]) for c in categories
               for i in c["items"]],
        preconditions=[(p["code"], p["text"]) for p in data["preconditions"]])


SPEC_2020 = _spec(NATIONAL_2020)
SPEC_2024 = _spec(NATIONAL_2024)
ALL_MET = {code: True for code, _ in SPEC_2020.preconditions}


def _scores(spec: rules.IndicatorSetSpec, share: Decimal,
            category_shares: dict[str, Decimal] | None = None) -> dict[str, Decimal]:
    shares = category_shares or {}
    return {i.code: i.max_score * shares.get(i.category, share) for i in spec.items}


class TestTheTwentyTwentySet:
    def test_the_stored_set_is_out_of_1000_with_six_categories(self) -> None:
        rules.check_set(SPEC_2020)
        assert SPEC_2020.max_score == 1000 and SPEC_2020.pass_score == 800
        assert len(SPEC_2020.categories) == 6
        assert {c.name: c.max_score for c in SPEC_2020.categories}["矿区环境"] == 220

    def test_exactly_800_with_every_category_at_80_percent_passes(self) -> None:
        verdict = rules.evaluate(SPEC_2020, ALL_MET, _scores(SPEC_2020, D("0.8")))
        assert verdict.total == D(800)
        assert verdict.passed is True and verdict.reasons == []

    def test_799_5_fails_on_the_total(self) -> None:
        scores = _scores(SPEC_2020, D("0.8"))
        scores["A1"] -= D("0.5")
        verdict = rules.evaluate(SPEC_2020, ALL_MET, scores)
        assert verdict.total == D("799.5")
        assert verdict.passed is False
        assert [r.zh for r in verdict.reasons] == ["总分 799.5 低于合格线 800 分"]

    def test_a_category_just_under_75_percent_fails_despite_a_high_total(self) -> None:
        # 矿区环境: 220 × 75 % = 165; 164.5 is half a point under the floor.
        scores = _scores(SPEC_2020, D("0.95"))
        scores["A1"], scores["A2"] = D("82"), D("82.5")
        verdict = rules.evaluate(SPEC_2020, ALL_MET, scores)
        assert verdict.total > 800
        assert verdict.passed is False
        [reason] = verdict.reasons
        assert "矿区环境" in reason.zh and "164.5" in reason.zh and "165" in reason.zh
        [env] = [c for c in verdict.categories if c.code == "A"]
        assert env.floor == D(165) and env.below_floor

    def test_a_category_exactly_at_75_percent_passes(self) -> None:
        scores = _scores(SPEC_2020, D("0.95"))
        scores["A1"], scores["A2"] = D("82.5"), D("82.5")
        assert rules.evaluate(SPEC_2020, ALL_MET, scores).passed is True

    def test_an_unmet_precondition_fails_whatever_the_score(self) -> None:
        verdict = rules.evaluate(SPEC_2020, {**ALL_MET, "P5": False},
                                 _scores(SPEC_2020, D("1")))
        assert verdict.total == 1000 and verdict.passed is False
        assert not verdict.preconditions_met
        assert "自然保护地" in verdict.reasons[0].zh

    def test_unanswered_preconditions_and_impossible_scores_are_refused(self) -> None:
        with pytest.raises(RuleViolation) as caught:
            rules.evaluate(SPEC_2020, {"P1": True}, {"A1": D("111"), "Z9": D("1")})
        fields = {e.field for e in caught.value.errors}
        assert {"scores.A1", "scores.Z9", "preconditions.P2"} <= fields

    @given(st.decimals(min_value=0, max_value=1, places=3))
    def test_uniform_shares_pass_exactly_from_80_percent(self, share: Decimal) -> None:
        verdict = rules.evaluate(SPEC_2020, ALL_MET, _scores(SPEC_2020, share))
        assert verdict.passed is (share >= D("0.8"))


class TestTheTwentyTwentyFourSet:
    def test_out_of_100_scores_are_recorded_without_a_verdict(self) -> None:
        rules.check_set(SPEC_2024)
        verdict = rules.evaluate(SPEC_2024, ALL_MET, _scores(SPEC_2024, D("0.9")))
        assert verdict.total == D(90)
        assert verdict.passed is None
        assert "未规定合格分数线" in verdict.reasons[0].zh

    def test_an_unmet_precondition_still_fails(self) -> None:
        verdict = rules.evaluate(SPEC_2024, {**ALL_MET, "P1": False}, _scores(SPEC_2024, D(1)))
        assert verdict.passed is False


class TestIndicatorSetConsistency:
    def test_items_must_add_up(self) -> None:
        broken = rules.IndicatorSetSpec(
            max_score=D(100), pass_score=D(60), category_floor_ppm=None,
            categories=[rules.Category("A", "甲", D(100))],
            items=[rules.Item("A1", "A", D(60)), rules.Item("A2", "A", D(30))])
        with pytest.raises(RuleViolation, match="指标体系不一致"):
            rules.check_set(broken)


def _sheet(share: float = 0.9, **extra: object) -> dict[str, object]:
    scores = {i.code: {"score": str(i.max_score * D(str(share))), "evidence": "现场核查"}
              for i in SPEC_2020.items}
    return {"set_code": "MNR-2020", "assessed_date": "2020-08-01", "assessor": "第三方",
            "preconditions": {code: {"met": True} for code, _ in SPEC_2020.preconditions},
            "scores": scores, "investment": "5600000",
            "metrics": {"enclosed_workshop_m2": "12000", "trees_planted": 5800}, **extra}


class TestScoreSheetApi:
    def test_a_clerk_scores_a_mine_and_reads_the_sheet(self, client: TestClient,
                                                       session: Session) -> None:
        h.standard_sets(session)
        site = h.mine(session)
        auth = f.login(client, h.fuling_clerk(session))
        response = client.post(f"/api/v1/ecology/mines/{site.id}/green-assessments",
                               headers=auth, json=_sheet())
        assert response.status_code == 201, response.text
        sheet = response.json()
        assert D(sheet["total_score"]) == D(900)
        assert sheet["passed"] is True
        assert sheet["category_floor_percent"] == "75"
        assert [c["code"] for c in sheet["categories"]] == ["A", "B", "C", "D", "E", "F"]
        assert sheet["metrics"]["trees_planted"] == 5800
        read = client.get(f"/api/v1/ecology/green-assessments/{sheet['id']}", headers=auth)
        assert read.json()["categories"][0]["items"][0]["evidence"] == "现场核查"

    def test_unknown_set_and_other_districts(self, client: TestClient,
                                             session: Session) -> None:
        h.standard_sets(session)
        auth = f.login(client, h.fuling_clerk(session))
        site = h.mine(session)
        unknown = client.post(f"/api/v1/ecology/mines/{site.id}/green-assessments",
                              headers=auth, json=_sheet(set_code="NOPE"))
        assert unknown.status_code == 422
        other = h.mine(session, region="500101", geometry=h.polygon(h.square(108.4, 30.8)))
        assert client.post(f"/api/v1/ecology/mines/{other.id}/green-assessments",
                           headers=auth, json=_sheet()).status_code == 404

    def test_a_new_version_of_the_indicators_is_data(self, client: TestClient,
                                                    session: Session) -> None:
        city = f.login(client, f.staff(session, "admin", "500000"))
        body = {"code": "CQ-2025-试行", "name": "重庆市绿色矿山评价指标（试行）", "max_score": 100,
                "pass_score": 85, "category_floor_percent": 60,
                "preconditions": [{"code": "P1", "text": "证照齐全"}],
                "categories": [{"code": "A", "name": "矿区环境", "max_score": 40,
                                "items": [{"code": "A1", "name": "矿容", "max_score": 40}]},
                               {"code": "B", "name": "生态修复", "max_score": 60,
                                "items": [{"code": "B1", "name": "复绿", "max_score": 60}]}]}
        created = client.post("/api/v1/ecology/green-mine/indicator-sets", headers=city,
                              json=body)
        assert created.status_code == 201, created.text
        assert created.json()["category_floor_percent"] == "60"
        assert client.post("/api/v1/ecology/green-mine/indicator-sets", headers=city,
                           json=body).status_code == 409
        district = f.login(client, h.fuling_clerk(session))
        assert client.post("/api/v1/ecology/green-mine/indicator-sets", headers=district,
                           json={**body, "code": "X"}).status_code == 403
