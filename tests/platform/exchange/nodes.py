"""Two nodes in one test process: each its own database and app; the sender's deliveries
go to the receiver's app through a ``TestClient`` (an ``httpx.Client``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from minsheng.app.web import create_app
from minsheng.platform.config import Settings
from minsheng.platform.db import make_session_factory, unit_of_work
from minsheng.platform.exchange import service
from minsheng.platform.security.principal import SYSTEM
from minsheng.platform.security.service import add_user
from tests import factories as f
from tests.conftest import build_database, scratch_database
from tests.live import drop_e2e_database

SECRET = "exchange-test-secret-0123456789abcdef"
URL = "http://testserver"
#: The password of every account the two-node tests add (the factories', so that the
#: browser helpers sign them in).
PASSWORD = f.PASSWORD


@dataclass
class Node:
    node_id: str
    url: str
    engine: Engine
    factory: sessionmaker[Session]
    settings: Settings
    client: TestClient

    def status(self) -> service.Status:
        with unit_of_work(self.factory) as session:
            return service.status(session)


@contextmanager
def node(base_url: str, tmp: Path, node_id: str, **options: object) -> Iterator[Node]:
    url = scratch_database(base_url, f"node_{node_id}", tmp)
    engine = build_database(url)
    factory = make_session_factory(engine)
    settings = Settings(database_url=url, secret_key=SECRET, node_id=node_id,
                        exchange_retry_base_seconds=0.05, exchange_retry_max_seconds=0.2,
                        **options)  # type: ignore[arg-type]
    app = create_app(settings, session_factory=factory)
    try:
        with TestClient(app, base_url=URL, raise_server_exceptions=True) as client:
            yield Node(node_id, url, engine, factory, settings, client)
    finally:
        engine.dispose()
        drop_e2e_database(url)


def introduce(a: Node, b: Node) -> None:
    """Each node registers the other as its peer, with the other's current key."""
    for me, other in ((a, b), (b, a)):
        with unit_of_work(other.factory) as session:
            them = service.identity(session, other.node_id)
        with unit_of_work(me.factory) as session:
            service.add_peer(session, SYSTEM, node_id=other.node_id, url=URL,
                             public_key=them.public_key, key_id=them.key_id,
                             self_node=me.node_id)


def deliver(sender: Node, receiver: Node) -> service.DeliveryReport:
    return service.deliver_due(sender.factory, receiver.client, settings=sender.settings)


#: An account a test adds on one node: (node, username, role, region).
Account = tuple[str, str, str, str]


@contextmanager
def federation(base_url: str, tmp: Path, *accounts: Account) -> Iterator[tuple[Node, Node]]:
    """cq and sc, each the other's peer, with the given accounts."""
    with node(base_url, tmp, "cq") as cq, node(base_url, tmp, "sc") as sc:
        introduce(cq, sc)
        for node_id, username, role, region in accounts:
            with unit_of_work((cq if node_id == "cq" else sc).factory) as session:
                add_user(session, actor=SYSTEM, username=username, role=role,
                         password=PASSWORD, region_code=region)
        yield cq, sc


def bearer(at: Node, username: str) -> dict[str, str]:
    """The API headers of an account of the node."""
    answer = at.client.post("/api/v1/auth/token", data={"username": username,
                                                        "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def sign_in(at: Node, username: str) -> None:
    """A browser session of an account of the node."""
    at.client.cookies.clear()
    answer = at.client.post("/login", data={"username": username, "password": PASSWORD},
                            follow_redirects=False)
    assert answer.status_code == 303, answer.text[:300]
