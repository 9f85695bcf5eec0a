"""``minsheng demo --federated`` in a fresh process: both nodes load, serve on PORT and
PORT+1 and deliver to each other; the two cases the demo names work end to end (a
certification at the Sichuan counter resumes a Chongqing pension; a Chongqing card is
reported lost at the Sichuan counter)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from minsheng.app.demo_federation import node_urls
from minsheng.hrss.cards.models import SocialSecurityCard
from minsheng.hrss.pension.models import PensionRecipient
from minsheng.hrss.registry.models import Person
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work
from tests.conftest import scratch_database
from tests.live import drop_e2e_database

COMMAND = Path(sys.executable).with_name("minsheng")


def two_free_ports() -> int:
    for _ in range(50):
        with socket.socket() as a:
            a.bind(("127.0.0.1", 0))
            port: int = a.getsockname()[1]
        with socket.socket() as b:
            try:
                b.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise AssertionError("no two free ports in a row")


def wait_until(check: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"timed out: {what}")


@pytest.fixture(scope="module")
def federation(database_url: str, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[tuple[int, str, dict[str, str]]]:
    if not COMMAND.exists():
        pytest.skip(f"the minsheng command is not installed next to {sys.executable}")
    folder = tmp_path_factory.mktemp("federated")
    base = scratch_database(database_url, "fed", folder)
    port = two_free_ports()
    log = folder / "demo.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(COMMAND), "demo", "--federated", "--port", str(port)], cwd=folder,
            env={**os.environ, "MINSHENG_DATABASE_URL": base, "COLUMNS": "240",
                 "MINSHENG_EXCHANGE_POLL_SECONDS": "0.2"},
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        for p in (port, port + 1):
            wait_until(lambda p=p: httpx.get(f"http://127.0.0.1:{p}/healthz",
                                             timeout=2).is_success,
                       900, f"node on port {p} ({log.read_text()[-2000:]})")
        yield port, log.read_text(), node_urls(base)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        for url in node_urls(base).values():
            drop_e2e_database(url)


def token(port: int, username: str) -> dict[str, str]:
    answer = httpx.post(f"http://127.0.0.1:{port}/api/v1/auth/token",
                        data={"username": username, "password": "Demo@2026"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def read_cq(urls: dict[str, str], stmt: object) -> object:
    engine = make_engine(urls["cq"])
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            return session.scalar(stmt)  # type: ignore[call-overload]
    finally:
        engine.dispose()


def test_certification_at_the_sichuan_counter_resumes_the_pension(
        federation: tuple[int, str, dict[str, str]]) -> None:
    port, printed, urls = federation
    found = re.search(r"重庆待遇领取人\s*\S+（(\d{17}[\dX])）", printed)
    assert found, printed[-3000:]
    resident_id = found.group(1)
    status = select(PensionRecipient.status).join(
        Person, Person.id == PensionRecipient.person_id).where(Person.resident_id == resident_id)
    assert read_cq(urls, status) == "suspended"
    answer = httpx.post(f"http://127.0.0.1:{port + 1}/api/v1/pension/certifications",
                        json={"resident_id": resident_id, "place": "sc"},
                        headers=token(port + 1, "chengdu_clerk"), timeout=10)
    assert answer.status_code == 202, answer.text
    wait_until(lambda: read_cq(urls, status) == "active", 60, "the pension resumed at cq")


def test_a_chongqing_card_reported_lost_at_the_sichuan_counter(
        federation: tuple[int, str, dict[str, str]]) -> None:
    port, printed, urls = federation
    found = re.search(r"重庆持卡人\s*(\S+)（(\d{17}[\dX])，\s*卡号\s*(CQ\d+)）", printed)
    assert found, printed[-3000:]
    name, resident_id, card_no = found.groups()
    answer = httpx.post(f"http://127.0.0.1:{port + 1}/api/v1/cards/counter-services", json={
        "card_no": card_no, "resident_id": resident_id, "name": name,
        "action": "report_loss"}, headers=token(port + 1, "chengdu_clerk"), timeout=10)
    assert answer.status_code == 202, answer.text
    state = select(SocialSecurityCard.state).where(SocialSecurityCard.card_no == card_no)
    wait_until(lambda: read_cq(urls, state) == "loss_reported", 60, "the card lost at cq")
    status = httpx.get(f"http://127.0.0.1:{port + 1}/api/v1/exchange/status",
                       headers=token(port + 1, "sc_admin"), timeout=10).json()
    assert status["outbox"]["failed"] == 0 and status["outbox"]["delivered"] >= 1


def test_chongqing_vacancies_on_the_sichuan_job_board(
        federation: tuple[int, str, dict[str, str]]) -> None:
    port, printed, _ = federation
    shared = re.search(r"重庆最新\s*(\d+)\s*个岗位已共享", printed)
    assert shared and int(shared.group(1)) > 0, printed[-2000:]

    def listed() -> int:
        return len(httpx.get(f"http://127.0.0.1:{port + 1}/api/v1/employment/peer-vacancies",
                             headers=token(port + 1, "chengdu_clerk"), timeout=10).json())

    wait_until(lambda: listed() == min(20, int(shared.group(1))), 60,
               "the shared vacancies on the Sichuan board")
