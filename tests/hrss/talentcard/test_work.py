"""The talent card's to-do on the workbench: each count equals the list it opens, and each
kind goes only to the role that acts on it."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from minsheng.hrss.talentcard.schemas import CardApply
from minsheng.hrss.talentcard.service import cards
from minsheng.hrss.talentcard.service.work import waiting_work
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f

REGION = "500106"  # 沙坪坝区


def _apply(session: Session) -> int:
    person = f.person(session, residence_region=REGION)
    return cards.apply(session, SYSTEM, CardApply(
        person_id=person.id, tier="B", basis_kind="skill_level", basis_value="2"),
        today=date(2026, 9, 1)).id


def test_review_and_issue_go_to_the_roles_that_act(session: Session) -> None:
    waiting = [_apply(session) for _ in range(3)]
    cards.review(session, SYSTEM, waiting[0], approve=True, on=date(2026, 9, 2))
    reviewer = f.staff(session, "reviewer", REGION)
    clerk = f.staff(session, "clerk", REGION)
    statistician = f.staff(session, "statistician", REGION)
    today = date(2026, 9, 3)
    by_key = {i.key: i for i in waiting_work(session, reviewer, today)}
    assert by_key["talentcard.review"].count == 2
    assert by_key["talentcard.review"].count == cards.cards_page(
        session, reviewer, state="applied").total
    assert "talentcard.issue" not in by_key
    clerk_items = {i.key: i for i in waiting_work(session, clerk, today)}
    assert "talentcard.review" not in clerk_items
    assert clerk_items["talentcard.issue"].count == 1 == cards.cards_page(
        session, clerk, state="approved").total
    assert waiting_work(session, statistician, today) == []
    elsewhere = f.staff(session, "reviewer", "500103")
    assert {i.key: i.count for i in waiting_work(session, elsewhere, today)} == {
        "talentcard.review": 0}
