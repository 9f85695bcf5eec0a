"""Benchmark: the card service under load through the real HTTP server.

    MINSHENG_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_bench \\
        python bench/cards_api.py [--clients 50] [--seconds 30] [--workers 2] [--cards 20000] \\
        [--client wrk|python]

The database named by the URL is dropped and re-created with ``--cards`` people, each
holding an active card. The app runs under uvicorn with ``--workers`` processes (one per
core is how production would run it), sealing the audit chain in one thread per worker as
``minsheng serve`` does. ``--clients`` concurrent clients on loopback
(keep-alive) do card look-ups (9 in 10,
``GET /api/v1/cards/{card_no}``, each audited as a full-record read) and temporary loss
reports (1 in 10, ``POST /api/v1/cards/{card_no}/report-loss``, each on a card not yet
reported) for ``--seconds``. Prints throughput and p50/p95/p99 per operation, then
``pgbench`` simple-update with the same number of clients on the same server for the
same time, and the ratio. Never fails on time.

The clients are ``wrk`` (Debian package ``wrk``; C, two threads, script
``bench/cards_api.lua``) when it is installed, otherwise asyncio + httpx in this process.
Python clients spend as much CPU per request as the server does, and on a small machine
they take it from the server; ``wrk`` spends a small fraction of that. ``wrk`` reports
the look-ups and loss reports together.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_persons import DEFAULT_URL, fresh_database

from minsheng.app.assembly import assemble
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work
from minsheng.platform.security.principal import SYSTEM
from minsheng.platform.security.service import add_user
from minsheng.synth.load import write_people
from minsheng.synth.people import generate_people

PASSWORD = "Bench@2026x"
SECRET = "bench-secret-0123456789abcdef-0123456789"


def build(factory: sessionmaker[Session], cards: int) -> list[str]:
    """``cards`` people, each with an active card; the card numbers."""
    for households, people in generate_people(cards / 35_000_000, seed=9, chunk_size=100_000):
        with unit_of_work(factory) as session:
            write_people(session, households, people)
    with unit_of_work(factory) as session:
        session.execute(text(
            "INSERT INTO social_security_card (card_no, person_id, state, replacement_reason, "
            "applied_at, issued_at, activated_at, created_at, updated_at, version) SELECT 'CQ' || "
            "lpad(id::text, 9, '0'), id, 'active', '', now(), now(), now(), now(), now(), 1 "
            "FROM person"))
        add_user(session, actor=SYSTEM, username="bench_clerk", role="clerk",
                 password=PASSWORD, region_code="")
        session.execute(text("ANALYZE"))
        return list(session.scalars(text("SELECT card_no FROM social_security_card")))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def bare(base: str, clients: int, seconds: float) -> list[float]:
    """The same clients calling ``/healthz`` (no database, no sign-in): what this server
    and these clients can do at all on this machine."""
    timings: list[float] = []
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:

        async def one_client() -> None:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                await client.get("/healthz")
                timings.append((time.perf_counter() - started) * 1000)

        await asyncio.gather(*(one_client() for _ in range(clients)))
    return timings


async def load(base: str, token: str, cards: list[str], clients: int,
               seconds: float) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"look-up": [], "loss report": [], "error": []}
    unreported = cards[:]
    random.Random(3).shuffle(unreported)
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits,
                                 timeout=30) as client:

        async def one_client(seed: int) -> None:
            chooser = random.Random(seed)
            while time.perf_counter() < deadline:
                if chooser.random() < 0.1 and unreported:
                    kind, card = "loss report", unreported.pop()
                    request = client.post(f"/api/v1/cards/{card}/report-loss",
                                          json={"kind": "temporary"})
                else:
                    kind, card = "look-up", chooser.choice(cards)
                    request = client.get(f"/api/v1/cards/{card}")
                started = time.perf_counter()
                response = await request
                took = (time.perf_counter() - started) * 1000
                timings[kind if response.status_code == 200 else "error"].append(took)

        await asyncio.gather(*(one_client(n) for n in range(clients)))
    return timings


WRK_SCRIPT = Path(__file__).resolve().parent / "cards_api.lua"


def wrk_run(base: str, clients: int, seconds: float, *script_args: str) -> dict[str, int]:
    """One ``wrk`` run with ``bench/cards_api.lua``; the figures its ``done`` prints."""
    threads = 2
    done = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds:.0f}s",
         "--timeout", "30s", "-s", str(WRK_SCRIPT), base, "--", *script_args, str(threads)],
        check=True, capture_output=True, text=True)
    found = re.search(r"^WRK (.*)$", done.stdout, re.MULTILINE)
    assert found, done.stdout + done.stderr
    return {key: int(value) for key, value in
            (pair.split("=") for pair in found.group(1).split())}


def report_wrk(base: str, token: str, cards: list[str], clients: int,
               seconds: float) -> tuple[float, float]:
    """The bare baseline and the card load, both driven by ``wrk``; prints both and
    returns (requests per second, p99 in ms) of the card load."""
    healthz = wrk_run(base, clients, min(seconds, 10), "healthz")
    with tempfile.TemporaryDirectory() as folder:
        card_file = Path(folder) / "cards.txt"
        card_file.write_text("\n".join(cards) + "\n")
        load = wrk_run(base, clients, seconds, str(card_file), token)
    for name, figures in (("bare baseline GET /healthz (no database)", healthz),
                          ("card look-ups and loss reports", load)):
        rate = figures["requests"] / (figures["duration_us"] / 1e6)
        print(f"  {name}: {rate:,.0f} requests/s, p50 {figures['p50_us'] / 1000:.1f} ms, "
              f"p95 {figures['p95_us'] / 1000:.1f} ms, p99 {figures['p99_us'] / 1000:.1f} ms "
              f"({figures['status_errors']} error statuses, "
              f"{figures['socket_errors']} socket errors)")
    bare_rate = healthz["requests"] / (healthz["duration_us"] / 1e6)
    rate = load["requests"] / (load["duration_us"] / 1e6)
    print(f"  {rate / bare_rate:.2f}× the bare /healthz rate")
    return rate, load["p99_us"] / 1000


def report_python(base: str, token: str, cards: list[str], clients: int,
                  seconds: float) -> tuple[float, float]:
    """The same, driven by asyncio + httpx clients in this process."""
    healthz = asyncio.run(bare(base, clients, min(seconds, 10)))
    timings = asyncio.run(load(base, token, cards, clients, seconds))
    done = len(timings["look-up"]) + len(timings["loss report"])
    rate = done / seconds
    bare_rate = len(healthz) / min(seconds, 10)
    print(f"  bare baseline GET /healthz (no database): {bare_rate:,.0f} requests/s, "
          f"p50 {statistics.median(healthz):.1f} ms, p99 {percentile(healthz, 0.99):.1f} ms")
    print(f"  throughput: {rate:,.0f} requests/s ({len(timings['error'])} errors), "
          f"{rate / bare_rate:.2f}× the bare /healthz rate")
    for kind in ("look-up", "loss report"):
        values = timings[kind]
        if values:
            print(f"  {kind}: {len(values):,}, p50 {statistics.median(values):.1f} ms, "
                  f"p95 {percentile(values, 0.95):.1f} ms, p99 {percentile(values, 0.99):.1f} ms")
    return rate, percentile(timings["look-up"] + timings["loss report"], 0.99)


def pgbench_tps(url: str, clients: int, seconds: int) -> float:
    parsed = make_url(url)
    name = f"{parsed.database}_pgbench"
    admin = make_engine(parsed.set(database="postgres").render_as_string(False),
                        isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    connection = ["-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432),
                  "-U", parsed.username or "postgres"]
    subprocess.run(["pgbench", *connection, "-i", "-q", "-s", "10", name], check=True,
                   capture_output=True)
    done = subprocess.run(["pgbench", *connection, "-n", "-b", "simple-update", "-c",
                           str(clients), "-j", "2", "-T", str(seconds), name],
                          check=True, capture_output=True, text=True)
    found = re.search(r"tps = ([\d.]+)", done.stdout)
    assert found, done.stdout
    return float(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--cards", type=int, default=20_000)
    parser.add_argument("--client", choices=("wrk", "python"),
                        default="wrk" if shutil.which("wrk") else "python")
    args = parser.parse_args()
    url = os.environ.get("MINSHENG_BENCH_DATABASE_URL", DEFAULT_URL)
    assemble()
    fresh_database(url)
    engine = make_engine(url)
    cards = build(make_session_factory(engine), args.cards)
    engine.dispose()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "minsheng.app.web:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers),
         "--log-level", "warning", "--no-access-log"],
        env={**os.environ, "MINSHENG_DATABASE_URL": url, "MINSHENG_SECRET_KEY": SECRET,
             "MINSHENG_AUDIT_SEAL_IN_BACKGROUND": "true"})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(base + "/healthz").is_success:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        token = httpx.post(base + "/api/v1/auth/token", data={
            "username": "bench_clerk", "password": PASSWORD}).json()["access_token"]
        print(f"card service: {len(cards):,} active cards, {args.clients} clients "
              f"({args.client}), {args.seconds:.0f} s, uvicorn with {args.workers} worker "
              f"process(es), {os.cpu_count()} cores (the clients run on the same machine)")
        report = report_wrk if args.client == "wrk" else report_python
        rate, p99 = report(base, token, cards, args.clients, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    tps = pgbench_tps(url, args.clients, int(args.seconds))
    print(f"  pgbench simple-update, {args.clients} clients, same server and time: "
          f"{tps:,.0f} TPS")
    print(f"  ratio: {rate / tps:.2f}× the pgbench TPS (goal ≥ 0.5); p99 {p99:.1f} ms "
          f"(goal < 50 ms)")


if __name__ == "__main__":
    main()
