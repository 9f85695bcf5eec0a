"""川渝招聘求职一点通 over the exchange: a vacancy posted in Chongqing appears on the
Sichuan job board; closing it takes it off, whatever order the two envelopes arrive in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from minsheng.hrss.employment import service
from minsheng.hrss.employment.models import PeerVacancy
from minsheng.platform.db import unit_of_work
from minsheng.platform.exchange.models import ExchangeOutbox
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.factories import employment as e
from tests.platform.exchange.nodes import Node, deliver, federation, node, sign_in


@pytest.fixture
def pair(database_url: str, tmp_path: Path) -> Iterator[tuple[Node, Node]]:
    with federation(database_url, tmp_path, ("sc", "chengdu", "clerk", "510100")) as nodes:
        yield nodes


def post(cq: Node, title: str) -> int:
    with unit_of_work(cq.factory) as session:
        firm = f.employer(session, name="重庆两江电气有限公司")
        vacancy_id: int = e.vacancy(session, firm, title, pay_min=6000, pay_max=9000).id
        return vacancy_id


def board(sc: Node, q: str = "") -> str:
    sign_in(sc, "chengdu")
    page = sc.client.get("/jobs", params={"q": q} if q else None)
    assert page.status_code == 200
    return page.text


def test_posted_in_chongqing_shown_in_sichuan_then_closed(pair: tuple[Node, Node]) -> None:
    cq, sc = pair
    vacancy_id = post(cq, "高压电工")
    assert deliver(cq, sc).delivered == 1
    page = board(sc)
    assert "川渝共享岗位" in page and "高压电工" in page and "重庆两江电气有限公司" in page
    assert f'data-testid="shared-cq-{vacancy_id}"' in page
    assert "高压电工" not in board(sc, "焊工").split("川渝共享岗位")[-1]
    api = sc.client.get("/api/v1/employment/peer-vacancies", params={"q": "电工"}).json()
    assert [(v["origin_id"], v["pay_min"]) for v in api] == [(vacancy_id, "6000.00")]
    with unit_of_work(cq.factory) as session:
        service.close_vacancy(session, SYSTEM, vacancy_id)
    assert deliver(cq, sc).delivered == 1
    assert "川渝共享岗位" not in board(sc)


def test_a_late_older_version_does_not_reopen(pair: tuple[Node, Node]) -> None:
    cq, sc = pair
    vacancy_id = post(cq, "数控车工")
    with unit_of_work(cq.factory) as session:
        service.close_vacancy(session, SYSTEM, vacancy_id)
        first, second = session.scalars(select(ExchangeOutbox).order_by(ExchangeOutbox.id))
        # The close overtakes the post on the way.
        session.execute(update(ExchangeOutbox).where(ExchangeOutbox.id == first.id)
                        .values(due_ms=second.due_ms + 1))
    report = deliver(cq, sc)
    assert report.delivered == 2
    with unit_of_work(sc.factory) as session:
        row = session.scalars(select(PeerVacancy)).one()
        assert (row.origin_id, row.status, row.origin_version) == (vacancy_id, "closed", 2)


def test_without_a_peer_nothing_is_sent(database_url: str, tmp_path: Path) -> None:
    with node(database_url, tmp_path, "cq") as alone:
        post(alone, "仓库管理员")
        with unit_of_work(alone.factory) as session:
            assert session.scalars(select(ExchangeOutbox)).all() == []
