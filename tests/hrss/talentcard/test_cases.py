"""A talent card application is a case (办件): accepted on filing, decided by the
reviewer, done when the card is issued; a refusal is served with a written notice."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from minsheng.hrss.talentcard.schemas import CardApply
from minsheng.hrss.talentcard.service import cards
from minsheng.platform.cases import service as cases
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f


def _apply(session: Session) -> tuple[int, str]:
    person = f.person(session, name="秦岭松")
    card = cards.apply(session, SYSTEM, CardApply(
        person_id=person.id, tier="B", basis_kind="skill_level", basis_value="2"),
        today=date(2026, 9, 1))
    case = cases.case_of(session, "talent_card", card.id)
    assert case is not None and case.title == "重庆英才服务卡申领"
    return card.id, case.number


def test_approved_then_issued(session: Session) -> None:
    card_id, number = _apply(session)
    reviewer = f.staff(session, "reviewer", "500103")
    cards.review(session, reviewer, card_id, approve=True, on=date(2026, 9, 2))
    assert cases.case_for(session, SYSTEM, number).case.stage == "decided"
    cards.issue(session, reviewer, card_id, on=date(2026, 9, 3))
    view = cases.case_for(session, SYSTEM, number)
    assert [s.stage for s in view.steps] == ["received", "accepted", "decided", "done"]
    assert view.case.outcome_label == "审核通过" and view.case.notice_title is None
    assert "已发卡" in view.steps[-1].note


def test_refused_with_a_notice(session: Session) -> None:
    card_id, number = _apply(session)
    reviewer = f.staff(session, "reviewer", "500103")
    cards.review(session, reviewer, card_id, approve=False, note="技能等级证书未在登记记录中",
                 on=date(2026, 9, 2))
    view = cases.case_for(session, SYSTEM, number)
    assert view.case.stage == "done" and view.case.outcome == "refused"
    assert view.case.notice_title == "重庆英才服务卡申领不予通过通知书"
    assert any("技能等级证书未在登记记录中" in p for p in view.notice_paragraphs)
