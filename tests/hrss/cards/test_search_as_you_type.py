"""The card search answers as the clerk types: only the results are swapped, a whole card
number is offered as a link to its holder (the form itself still goes straight there)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests import factories as f
from tests.live import sign_in

HX = {"HX-Request": "true", "HX-Target": "card-results"}


class TestCardSearch:
    def test_typing_swaps_the_results_alone(self, client: TestClient, session: Session) -> None:
        card = f.card(session, name="欧阳打字")
        sign_in(client, f.staff(session, "clerk", "500103"))
        page = client.get("/cards").text
        assert 'hx-trigger="input changed delay:300ms from:#q' in page
        assert 'id="card-results"' in page

        by_name = client.get("/cards", params={"q": "欧阳打"}, headers=HX)
        assert by_name.status_code == 200
        assert "<html" not in by_name.text and "持卡人数" not in by_name.text
        assert card.card_no in by_name.text and "欧阳打字" in by_name.text

        by_number = client.get("/cards", params={"q": card.card_no.lower()}, headers=HX,
                               follow_redirects=False)
        assert by_number.status_code == 200
        assert f'href="/cards/person/{card.person_id}?card={card.card_no}"' in by_number.text

        nobody = client.get("/cards", params={"q": "无此人名"}, headers=HX).text
        assert "未找到匹配" in nobody
