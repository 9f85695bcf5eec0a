"""Fault scenarios between two real node processes (``minsheng serve`` as cq and sc,
each with its own database) with a TCP proxy under the test's control in between.

Each scenario queues link-test envelopes at cq (``minsheng exchange ping`` in a fresh
process), breaks something while cq's delivery worker sends them, and waits for the two
nodes to converge; it prints sent, delivered, applied, duplicated, lost, rejected and
the time to converge, and asserts that nothing was lost and nothing applied twice.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import BigInteger, Engine, delete, func, literal, select, update

from minsheng.platform.db import make_engine, make_session_factory, unit_of_work, upgrade
from minsheng.platform.exchange import envelope as env
from minsheng.platform.exchange import service
from minsheng.platform.exchange.models import (
    ExchangeInbox,
    ExchangeKey,
    ExchangeOutbox,
    ExchangeProbe,
    ExchangeRejection,
)
from tests.conftest import scratch_database
from tests.live import drop_e2e_database
from tests.platform.exchange.proxy import Proxy

COMMAND = Path(sys.executable).with_name("minsheng")
CONVERGE_SECONDS = 90
SECRET = "fault-test-secret-0123456789abcdef-xyz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class NodeProcess:
    node_id: str
    url: str
    port: int
    folder: Path
    engine: Engine
    process: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)

    def command(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([str(COMMAND), *args], env=self.env, cwd=self.folder,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    def start(self) -> None:
        log = (self.folder / f"{self.node_id}.log").open("ab")
        self.process = subprocess.Popen(
            [str(COMMAND), "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).is_success:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise AssertionError(f"node {self.node_id} did not start")

    def kill(self) -> None:
        """kill -9: no shutdown, no flush, the transaction in flight is lost."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


@dataclass
class Federation:
    cq: NodeProcess
    sc: NodeProcess
    proxy: Proxy

    def probes(self) -> tuple[int, set[str]]:
        """(rows, envelope ids) of the link-test effect at sc."""
        with unit_of_work(make_session_factory(self.sc.engine)) as session:
            ids = list(session.scalars(select(ExchangeProbe.envelope_id)))
        return len(ids), set(ids)

    def outbox(self) -> dict[str, int]:
        with unit_of_work(make_session_factory(self.cq.engine)) as session:
            return dict(session.execute(select(ExchangeOutbox.state, func.count())
                                        .group_by(ExchangeOutbox.state)).all())

    def sent_ids(self) -> set[str]:
        with unit_of_work(make_session_factory(self.cq.engine)) as session:
            return set(session.scalars(select(ExchangeOutbox.envelope_id).where(
                ExchangeOutbox.kind == "exchange.probe")))

    def rejected(self) -> int:
        with unit_of_work(make_session_factory(self.sc.engine)) as session:
            return session.scalar(select(func.count()).select_from(ExchangeRejection)) or 0

    def duplicates_dropped(self) -> int:
        return service_status(self.sc.engine).inbox["duplicates_dropped"]

    def wait_applied(self, at_least: int) -> None:
        deadline = time.monotonic() + CONVERGE_SECONDS
        while self.probes()[0] < at_least:
            assert time.monotonic() < deadline, "no progress"
            time.sleep(0.05)

    def converge(self, name: str, started: float, expect_rejected: int = 0) -> None:
        deadline = started + CONVERGE_SECONDS
        sent = self.sent_ids()
        while True:
            rows, applied = self.probes()
            if applied >= sent and self.outbox().get("pending", 0) == 0:
                break
            assert time.monotonic() < deadline, f"{name}: not converged {self.outbox()}"
            time.sleep(0.1)
        seconds = time.monotonic() - started
        delivered = self.outbox().get("delivered", 0)
        duplicated, lost = rows - len(applied), len(sent - applied)
        rejected = self.rejected()
        print(f"\n[{name}] sent {len(sent)}, delivered {delivered}, applied {len(applied)}, "
              f"duplicated {duplicated}, lost {lost}, rejected {rejected}, "
              f"duplicates dropped {self.duplicates_dropped()}, "
              f"converged in {seconds:.1f} s")
        assert (duplicated, lost) == (0, 0)
        assert applied == sent and delivered == len(sent)
        assert rejected == expect_rejected


def service_status(engine: Engine) -> service.Status:
    with unit_of_work(make_session_factory(engine)) as session:
        return service.status(session)


@pytest.fixture(scope="module")
def nodes(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Federation]:
    """Both nodes, set up once for the module: databases, keys, peers, processes."""
    tmp_path = tmp_path_factory.mktemp("federation")
    if not COMMAND.exists():
        pytest.skip(f"the minsheng command is not installed next to {sys.executable}")
    nodes: dict[str, NodeProcess] = {}
    for node_id in ("cq", "sc"):
        folder = tmp_path / node_id
        folder.mkdir()
        url = scratch_database(database_url, f"fault_{node_id}_{uuid.uuid4().hex[:6]}",
                               folder)
        upgrade(url)
        port = free_port()
        nodes[node_id] = NodeProcess(node_id, url, port, folder, make_engine(url), env={
            **os.environ, "MINSHENG_DATABASE_URL": url, "MINSHENG_NODE_ID": node_id,
            "MINSHENG_SECRET_KEY": SECRET, "MINSHENG_EXCHANGE_POLL_SECONDS": "0.1",
            "MINSHENG_EXCHANGE_RETRY_BASE_SECONDS": "0.1",
            "MINSHENG_EXCHANGE_RETRY_MAX_SECONDS": "1.0",
            "MINSHENG_EXCHANGE_TIMEOUT_SECONDS": "3"})
    cq, sc = nodes["cq"], nodes["sc"]
    proxy = Proxy(sc.port)
    keys = {n.node_id: n.command("exchange", "key", "--json").stdout for n in (cq, sc)}
    for me, other, url in ((cq, sc, f"http://127.0.0.1:{proxy.port}"),
                           (sc, cq, f"http://127.0.0.1:{cq.port}")):
        them = json.loads(keys[other.node_id])
        me.command("peer", "add", other.node_id, "--url", url, "--public-key",
                   them["public_key"], "--key-id", them["key_id"])
    for n in (cq, sc):
        n.start()
    try:
        yield Federation(cq, sc, proxy)
    finally:
        proxy.close()
        for n in (cq, sc):
            n.stop()
            n.engine.dispose()
            drop_e2e_database(n.url)


@pytest.fixture
def federation(nodes: Federation) -> Federation:
    """The nodes running, with empty outboxes, inboxes and link-test effects."""
    for n in (nodes.cq, nodes.sc):
        if n.process is None or n.process.poll() is not None:
            n.start()
        with unit_of_work(make_session_factory(n.engine)) as session:
            for model in (ExchangeOutbox, ExchangeInbox, ExchangeProbe, ExchangeRejection):
                session.execute(delete(model))
    nodes.proxy.restore()
    return nodes


def queue(fed: Federation, count: int) -> float:
    started = time.monotonic()
    fed.cq.command("exchange", "ping", "--to", "sc", "--count", str(count))
    return started


def test_kill_the_sender_mid_stream(federation: Federation) -> None:
    started = queue(federation, 300)
    federation.wait_applied(20)
    federation.cq.kill()
    federation.cq.start()
    federation.converge("kill -9 sender", started)


def test_kill_the_receiver_mid_apply(federation: Federation) -> None:
    started = queue(federation, 300)
    federation.wait_applied(20)
    federation.sc.kill()
    time.sleep(1.0)  # the sender backs off while the receiver is down
    federation.sc.start()
    federation.converge("kill -9 receiver", started)


def test_cut_the_link_and_restore_it(federation: Federation) -> None:
    started = queue(federation, 200)
    federation.wait_applied(10)
    federation.proxy.cut()
    time.sleep(0.5)
    stalled = federation.probes()[0]
    time.sleep(2.0)
    assert federation.probes()[0] == stalled  # nothing passes a cut link
    federation.proxy.restore()
    federation.converge("link cut 2 s", started)


def test_duplicate_and_reordered_deliveries(federation: Federation) -> None:
    started = queue(federation, 100)
    federation.converge("first delivery", started)
    # Every acknowledgement lost: all 100 are sent again, newest first.
    with unit_of_work(make_session_factory(federation.cq.engine)) as session:
        session.execute(update(ExchangeOutbox).values(
            state="pending", due_ms=literal(service.now_ms(), BigInteger) - ExchangeOutbox.id))
    again = time.monotonic()
    federation.converge("duplicated and reordered", again)
    assert federation.duplicates_dropped() == 100


def _cq_key(fed: Federation) -> tuple[str, str]:
    with unit_of_work(make_session_factory(fed.cq.engine)) as session:
        key = session.scalars(select(ExchangeKey)).one()
        return key.key_id, key.private_pem


def _post(fed: Federation, letter: env.Envelope) -> httpx.Response:
    return httpx.post(f"http://127.0.0.1:{fed.proxy.port}{service.INBOX_PATH}",
                      content=env.canonical(letter.to_json()), timeout=10,
                      headers={"content-type": "application/json"})


def _letter(fed: Federation, pem: str, key_id: str, *, at_ms: int,
            envelope_id: str | None = None) -> env.Envelope:
    return env.sign(env.Envelope(id=envelope_id or str(uuid.uuid4()), sender="cq",
                                 recipient="sc", kind="exchange.probe",
                                 sent_at=env.stamp(at_ms), key_id=key_id,
                                 body={"seq": 1}), pem)


def test_forged_and_replayed_envelopes(federation: Federation) -> None:
    key_id, pem = _cq_key(federation)
    forger, _ = env.new_private_key()
    forged = _post(federation, _letter(federation, forger, key_id, at_ms=service.now_ms()))
    assert forged.status_code == 401
    captured = _letter(federation, pem, key_id, at_ms=service.now_ms())
    assert _post(federation, captured).json()["status"] == "applied"
    assert _post(federation, captured).json()["status"] == "duplicate"  # replayed at once
    window = 300_000
    stale = _letter(federation, pem, key_id, at_ms=service.now_ms() - window - 60_000)
    assert _post(federation, stale).json()["code"] == "outside_window"  # replayed late
    rows, applied = federation.probes()
    print(f"\n[forged and replayed] sent 4, applied {len(applied)}, duplicated "
          f"{rows - len(applied)}, rejected {federation.rejected()}, duplicates dropped "
          f"{federation.duplicates_dropped()}")
    assert (rows, applied) == (1, {captured.id})
    assert federation.rejected() == 2 and federation.duplicates_dropped() == 1


def test_sender_clock_skewed_beyond_the_window(federation: Federation) -> None:
    key_id, pem = _cq_key(federation)
    ahead = service.now_ms() + 300_000 + 120_000  # the sender's clock 7 minutes fast
    skewed = [_letter(federation, pem, key_id, at_ms=ahead) for _ in range(20)]
    started = time.monotonic()
    answers = [_post(federation, letter).json() for letter in skewed]
    assert {(a["code"], a["retryable"]) for a in answers} == {("outside_window", True)}
    assert federation.probes() == (0, set())
    # The clock put right, the same envelopes are sent again and applied once each.
    fixed = [_letter(federation, pem, key_id, at_ms=service.now_ms(), envelope_id=letter.id)
             for letter in skewed]
    assert {_post(federation, letter).json()["status"] for letter in fixed} == {"applied"}
    rows, applied = federation.probes()
    print(f"\n[clock skew +7 min] sent 20, rejected {federation.rejected()}, applied "
          f"{len(applied)}, duplicated {rows - len(applied)}, lost "
          f"{len({s.id for s in skewed} - applied)}, converged in "
          f"{time.monotonic() - started:.1f} s")
    assert (rows, applied) == (20, {s.id for s in skewed})
    assert federation.rejected() == 20

