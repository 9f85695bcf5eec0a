"""The counter's 跨省通办 page on the Sichuan node: 就地认 and 就近办 for Chongqing
records are sent to the Chongqing node and their delivery shows on the page; a card of
this node is served at once; bad input is shown next to the form, nothing sent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from minsheng.hrss.cards import service as cards
from minsheng.hrss.cards.models import SocialSecurityCard
from minsheng.hrss.pension.models import PensionRecipient
from minsheng.hrss.registry.models import Person
from minsheng.platform.db import unit_of_work
from minsheng.platform.exchange.models import ExchangeOutbox
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.live import csrf_headers
from tests.platform.exchange.nodes import Node, deliver, federation, sign_in


@pytest.fixture
def pair(database_url: str, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    with federation(database_url, tmp_path, ("sc", "chengdu", "clerk", "510100"),
                    ("sc", "desk_stats", "statistician", "510100")) as nodes:
        yield nodes


def post(at: Node, path: str, data: dict[str, str]) -> str:
    answer = at.client.post(path, data=data, headers=csrf_headers(at.client))
    if answer.status_code == 303:
        answer = at.client.get(answer.headers["location"])
    return answer.text


def test_both_services_are_sent_and_their_delivery_shows(pair: tuple[Node, Node]) -> None:
    cq, sc = pair
    with unit_of_work(cq.factory) as session:
        f.contribution_rule(session)
        pensioner = f.recipient(session, last_certified=date(2025, 8, 15))
        issued = f.card(session, name="王卡主")
        holder = session.get(Person, issued.person_id)
        assert holder is not None
        pensioner_id, card_no, holder_id = pensioner.resident_id, issued.card_no, holder.resident_id
    sign_in(sc, "chengdu")
    page = sc.client.get("/crossregion")
    assert page.status_code == 200 and "还没有转送过跨省业务" in page.text
    text = post(sc, "/crossregion/certification", {"resident_id": pensioner_id,
                                                    "on": "2026-11-03"})
    assert "已转送对方节点办理" in text and "待送达" in text
    text = post(sc, "/crossregion/card", {"card_no": card_no, "resident_id": holder_id,
                                          "name": "王卡主", "action": "report_loss",
                                          "kind": "formal"})
    assert text.count('data-testid="state">待送达<') == 2
    assert deliver(sc, cq).delivered == 2
    page = sc.client.get("/crossregion").text
    assert page.count('data-testid="state">对方已办理<') == 2 and "养老待遇资格就地认证" in page
    with unit_of_work(cq.factory) as session:
        assert session.scalars(select(SocialSecurityCard.state).where(
            SocialSecurityCard.card_no == card_no)).one() == "loss_reported"
        assert session.scalars(select(PensionRecipient.last_certified_date)).all() == [
            date(2026, 11, 3)]


def test_a_card_of_this_node_is_done_here(pair: tuple[Node, Node]) -> None:
    _, sc = pair
    with unit_of_work(sc.factory) as session:
        issued = f.card(session, name="罗本地", resident_id=f.resident_id("510104"),
                        hukou_region="510104", residence_region="510104")
        holder = session.get(Person, issued.person_id)
        assert holder is not None
        holder_id = holder.resident_id
        session.execute(SocialSecurityCard.__table__.update().where(
            SocialSecurityCard.card_no == issued.card_no).values(card_no="SC000000001"))
    sign_in(sc, "chengdu")
    text = post(sc, "/crossregion/card", {"card_no": "SC000000001", "resident_id": holder_id,
                                          "name": "罗本地", "action": "report_loss",
                                          "kind": "temporary"})
    assert "已当场办结" in text
    with unit_of_work(sc.factory) as session:
        assert session.scalars(select(ExchangeOutbox)).all() == []
        card = cards.read_card(session, SYSTEM, "SC000000001")
        assert card.state == "loss_reported_temporary"


@pytest.mark.parametrize(("path", "data", "shown"), [
    ("/crossregion/certification", {"resident_id": "51010419790402001", "on": ""},
     "公民身份号码"),
    ("/crossregion/certification", {"resident_id": "", "on": "2099-01-01"}, "认证日期"),
    ("/crossregion/card", {"card_no": "CQ1", "resident_id": "", "name": "", "action": "x"},
     "请选择业务"),
])
def test_bad_input_stays_on_the_page(pair: tuple[Node, Node], path: str,
                                     data: dict[str, str], shown: str) -> None:
    _, sc = pair
    sign_in(sc, "chengdu")
    answer = sc.client.post(path, data=data, headers=csrf_headers(sc.client))
    assert answer.status_code == 422 and shown in answer.text
    assert "<form" in answer.text
    with unit_of_work(sc.factory) as session:
        assert session.scalars(select(ExchangeOutbox)).all() == []


def test_a_role_without_the_services_sees_no_form(pair: tuple[Node, Node]) -> None:
    _, sc = pair
    sign_in(sc, "desk_stats")
    page = sc.client.get("/crossregion").text
    assert "certification-form" not in page and "card-form" not in page
    assert sc.client.post("/crossregion/certification", data={"resident_id": "x"},
                          headers=csrf_headers(sc.client)).status_code == 403
