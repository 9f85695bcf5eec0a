"""The staff card and service lists sort by the column a clerk clicks: the order is
checked against one computed here from the rows made, an unknown order is the default
(never an error), and the export link of the page holds the rows in the page's order."""

from __future__ import annotations

import html
import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from minsheng.hrss.talentcard.models import TalentCard, TalentServiceBooking
from minsheng.hrss.talentcard.schemas import CardApply
from minsheng.hrss.talentcard.service import bookings, cards
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.exports import sheet_rows
from tests.live import sign_in

REGION = "500103"
ISSUED = [date(2026, 3, 5), date(2026, 1, 20), date(2026, 6, 1)]
BOGUS = ("id;drop table talent_card", "-", "applied desc", "x" * 300)


def _link(page: str, testid: str) -> str:
    match = re.search(r'href="([^"]+)"[^>]*data-testid="' + testid + '"', page)
    assert match, f"no link {testid}"
    return html.unescape(match.group(1))


def _cards(session: Session) -> list[TalentCard]:
    """Three cards issued on different days and one pending application."""
    made = [cards.issue_direct(session, SYSTEM, f.person(session, name=name).id, "A",
                               note="测试", on=on)
            for name, on in zip(["钱一", "孙二", "李三"], ISSUED, strict=True)]
    made.append(cards.apply(session, SYSTEM, CardApply.model_validate({
        "person_id": f.person(session, name="周四").id, "tier": "B",
        "basis_kind": "skill_level", "basis_value": "2"})))
    return made


def _card_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="card-row" data-card="(\d+)"', page)]


def test_the_card_list_sorts_by_a_column_and_exports_in_that_order(
    client: TestClient, session: Session
) -> None:
    made = _cards(session)
    sign_in(client, f.staff(session, "clerk", REGION))
    by_applied = sorted(made, key=lambda c: (c.applied_on, -c.id))
    page = client.get("/talent/cards", params={"sort": "applied", "state": ""}).text
    assert _card_ids(page) == [c.id for c in by_applied]
    header = _link(page, "sort-applied")
    assert "sort=-applied" in header
    assert _card_ids(client.get(header).text) == [c.id for c in reversed(by_applied)]
    # Issued cards by validity, the application (no validity yet) last.
    issued = sorted((c for c in made if c.valid_until), key=lambda c: (c.valid_until, -c.id))
    by_validity = [c.id for c in issued] + [c.id for c in made if not c.valid_until]
    assert _card_ids(client.get("/talent/cards", params={"sort": "valid_until"}).text) \
        == by_validity
    # The export link carries the order and holds the same rows in it.
    export = _link(page, "export-xlsx")
    assert "sort=applied" in export
    rows = sheet_rows(client.get(export).content)
    numbers = {c.id: c.card_no or "" for c in made}
    assert [r[0] or "" for r in rows[1:]] == [numbers[c.id] for c in by_applied]
    # A filter stays in the sort links.
    filtered = client.get("/talent/cards", params={"state": "active", "sort": "-applied"}).text
    assert "state=active" in _link(filtered, "sort-tier")
    assert 'name="sort" value="-applied"' in filtered


def test_an_unknown_card_order_is_the_default(client: TestClient, session: Session) -> None:
    made = _cards(session)
    sign_in(client, f.staff(session, "clerk", REGION))
    rank = {"applied": 0, "approved": 1}
    default = [c.id for c in sorted(made, key=lambda c: (rank.get(c.state, 2),
                                                          -c.applied_on.toordinal(), -c.id))]
    assert _card_ids(client.get("/talent/cards").text) == default
    for bogus in BOGUS:
        response = client.get("/talent/cards", params={"sort": bogus})
        assert response.status_code == 200
        assert _card_ids(response.text) == default
        assert client.get("/talent/cards.xlsx", params={"sort": bogus}).status_code == 200


def _bookings(session: Session) -> list[TalentServiceBooking]:
    card = cards.issue_direct(session, SYSTEM, f.person(session, name="邓五").id, "A",
                              note="测试", on=date(2026, 9, 1))
    assert card.card_no is not None
    return [bookings.book(session, SYSTEM, card.card_no, kind, on) for kind, on in
            (("medical", date(2026, 10, 9)), ("housing", date(2026, 10, 2)),
             ("spouse_job", date(2026, 10, 5)))]


def _service_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-testid="service-(\d+)"', page)]


def test_the_service_list_sorts_by_a_column_and_exports_in_that_order(
    client: TestClient, session: Session
) -> None:
    made = _bookings(session)
    sign_in(client, f.staff(session, "clerk", REGION))
    by_requested = sorted(made, key=lambda b: (b.requested_on, b.id))
    page = client.get("/talent/cards/services", params={"sort": "-requested"}).text
    assert _service_ids(page) == [b.id for b in reversed(by_requested)]
    by_name = _service_ids(client.get("/talent/cards/services",
                                      params={"sort": "service"}).text)
    assert by_name[::-1] == _service_ids(client.get("/talent/cards/services",
                                                    params={"sort": "-service"}).text)
    assert sorted(by_name) == sorted(b.id for b in made)
    export = _link(page, "export-xlsx")
    assert "sort=-requested" in export
    rows = sheet_rows(client.get(export).content)
    assert [int(r[0]) for r in rows[1:]] == _service_ids(page)
    overdue = client.get("/talent/cards/services",
                         params={"overdue": "true", "sort": "-requested"}).text
    assert "overdue=true" in _link(overdue, "sort-due")


def test_an_unknown_service_order_is_the_default(client: TestClient, session: Session) -> None:
    made = _bookings(session)
    sign_in(client, f.staff(session, "clerk", REGION))
    default = [b.id for b in sorted(made, key=lambda b: (b.due_on, b.id))]
    assert _service_ids(client.get("/talent/cards/services").text) == default
    for bogus in BOGUS:
        response = client.get("/talent/cards/services", params={"sort": bogus})
        assert response.status_code == 200
        assert _service_ids(response.text) == default
        assert client.get("/talent/cards/services.xlsx",
                          params={"sort": bogus}).status_code == 200
