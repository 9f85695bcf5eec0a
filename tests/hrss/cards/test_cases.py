"""A card applied for online is a case (办件) until the card is handed over; a card made
at the counter and a replacement are cases done while the holder waits (即办件)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from minsheng.hrss.cards import service as cards
from minsheng.platform.cases import service as cases
from minsheng.platform.security.principal import Principal
from tests import factories as f


def _stages(session: Session, card_no: str) -> tuple[str, list[str]]:
    case = cases.case_of(session, "social_security_card", card_no)
    assert case is not None
    view = cases.case_for(session, f.staff(session, "clerk", "500103"), case.number)
    return case.title, [s.stage for s in view.steps]


def test_an_online_application_waits_for_the_card(session: Session) -> None:
    person = f.person(session)
    holder = Principal(user_id=0, username=f"citizen-{person.id}", role="citizen",
                       person_id=person.id)
    card = cards.apply_for_card(session, holder, person.id)
    assert _stages(session, card.card_no) == ("社会保障卡申领", ["received", "accepted"])
    cards.issue_card(session, f.staff(session, "clerk", "500103"), card.card_no)
    assert _stages(session, card.card_no)[1] == ["received", "accepted", "decided", "done"]


def test_counter_cards_and_replacements_are_done_at_once(session: Session) -> None:
    old = f.card(session, state="loss_reported")
    new = cards.replace_card(session, f.staff(session, "clerk", "500103"), old.card_no)
    full = ["received", "accepted", "decided", "done"]
    assert _stages(session, old.card_no) == ("社会保障卡申领", full)
    assert _stages(session, new.card_no) == ("社会保障卡补换", full)
