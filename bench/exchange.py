"""Benchmark: the exchange between two real node processes on loopback (川渝通办).

    python bench/exchange.py [--envelopes 2000] [--trickle 200]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_bench]

Two ``minsheng serve`` processes (cq sends, sc receives), each with its own database
(two SQLite files in a temporary folder by default; with a PostgreSQL URL, the databases
``<name>_cq`` and ``<name>_sc``, dropped and re-created). Prints, in the same run:

- end to end: envelopes queued at cq in one transaction until all are applied at sc,
  envelopes per second;
- delivery latency of a trickle (one envelope at a time, below capacity): from the
  outbox row's creation at cq to the inbox row's application at sc, p50 and p95;
- the baseline: a bare HTTP POST round trip to the same server (FastAPI routing and
  uvicorn, no work: ``POST /healthz`` answers 405), per second and p50/p95;

and the ratios. Never fails on time.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from minsheng.app.assembly import assemble
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work, upgrade
from minsheng.platform.exchange import service
from minsheng.platform.exchange.models import ExchangeInbox, ExchangeOutbox
from minsheng.platform.security.principal import SYSTEM

COMMAND = Path(sys.executable).with_name("minsheng")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def node_databases(base: str | None, folder: Path) -> dict[str, str]:
    if base is None:
        return {n: f"sqlite:///{folder / f'{n}.db'}" for n in ("cq", "sc")}
    from sqlalchemy import text

    url = make_url(base)
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False),
                        isolation_level="AUTOCOMMIT")
    found = {}
    with admin.connect() as conn:
        for n in ("cq", "sc"):
            name = f"{url.database}_{n}"
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            found[n] = url.set(database=name).render_as_string(hide_password=False)
    admin.dispose()
    return found


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--envelopes", type=int, default=2000)
    parser.add_argument("--trickle", type=int, default=200)
    parser.add_argument("--database-url", default=os.environ.get("MINSHENG_BENCH_DATABASE_URL"))
    args = parser.parse_args()
    assemble()
    folder = Path(tempfile.mkdtemp(prefix="exchange-bench-"))
    urls = node_databases(args.database_url, folder)
    ports = {"cq": free_port(), "sc": free_port()}
    engines = {n: make_engine(u) for n, u in urls.items()}
    factories = {n: make_session_factory(e) for n, e in engines.items()}
    for url in urls.values():
        upgrade(url)
    identities = {}
    for n in urls:
        with unit_of_work(factories[n]) as session:
            identities[n] = service.identity(session, n)
    for me, other in (("cq", "sc"), ("sc", "cq")):
        with unit_of_work(factories[me]) as session:
            service.add_peer(session, SYSTEM, node_id=other,
                             url=f"http://127.0.0.1:{ports[other]}",
                             public_key=identities[other].public_key,
                             key_id=identities[other].key_id, self_node=me)
    processes = []
    for n in ("cq", "sc"):
        env = {**os.environ, "MINSHENG_DATABASE_URL": urls[n], "MINSHENG_NODE_ID": n,
               "MINSHENG_SECRET_KEY": "bench-secret-0123456789abcdef-0123",
               "MINSHENG_EXCHANGE_POLL_SECONDS": "0.02"}
        processes.append(subprocess.Popen(
            [str(COMMAND), "serve", "--port", str(ports[n])], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        for n in ("cq", "sc"):
            for _ in range(300):
                try:
                    if httpx.get(f"http://127.0.0.1:{ports[n]}/healthz").is_success:
                        break
                except httpx.HTTPError:
                    time.sleep(0.1)
        database = "PostgreSQL" if args.database_url else "SQLite"
        print(f"exchange on loopback, {database}, two node processes")

        def applied() -> int:
            with unit_of_work(factories["sc"]) as session:
                return session.scalar(select(func.count()).select_from(ExchangeInbox)) or 0

        # --- baseline: a bare HTTP POST round trip -----------------------------------
        times = []
        with httpx.Client(base_url=f"http://127.0.0.1:{ports['sc']}") as client:
            for _ in range(50):
                client.post("/healthz")
            started = time.perf_counter()
            for _ in range(args.envelopes):
                t = time.perf_counter()
                client.post("/healthz", content=b"{}")
                times.append(time.perf_counter() - t)
            bare_rate = args.envelopes / (time.perf_counter() - started)
        bare_p50, bare_p95 = percentile(times, 0.5) * 1000, percentile(times, 0.95) * 1000
        print(f"  bare HTTP POST round trip: {bare_rate:,.0f}/s, p50 {bare_p50:.2f} ms, "
              f"p95 {bare_p95:.2f} ms")

        # --- throughput: a burst queued in one transaction --------------------------
        with unit_of_work(factories["cq"]) as session:
            service.probe(session, SYSTEM, "sc", args.envelopes)
        started = time.perf_counter()
        while applied() < args.envelopes:
            time.sleep(0.05)
        seconds = time.perf_counter() - started
        rate = args.envelopes / seconds
        print(f"  end to end: {args.envelopes:,} envelopes in {seconds:.2f} s = {rate:,.0f}/s "
              f"(signed, sent, verified, de-duplicated, applied, acknowledged); "
              f"{rate / bare_rate:.2f}× the bare POST rate")

        # --- latency: a trickle below capacity ---------------------------------------
        before = applied()
        for _ in range(args.trickle):
            with unit_of_work(factories["cq"]) as session:
                service.probe(session, SYSTEM, "sc", 1)
            time.sleep(0.02)
        while applied() < before + args.trickle:
            time.sleep(0.05)
        with unit_of_work(factories["cq"]) as session:
            created = dict(session.execute(select(ExchangeOutbox.envelope_id,
                                                  ExchangeOutbox.created_at)).all())
        with unit_of_work(factories["sc"]) as session:
            done = dict(session.execute(select(ExchangeInbox.envelope_id,
                                               ExchangeInbox.applied_at)).all())
        latencies = []
        for envelope_id, at in created.items():
            if envelope_id in done:
                start, end = at, done[envelope_id]
                start = start if start.tzinfo else start.replace(tzinfo=UTC)
                end = end if end.tzinfo else end.replace(tzinfo=UTC)
                latencies.append((end - start).total_seconds() * 1000)
        latencies = latencies[-args.trickle:]
        p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
        print(f"  delivery latency of a trickle ({args.trickle} at about 50/s, worker polling "
              f"every 20 ms): p50 {p50:.1f} ms, p95 {p95:.1f} ms "
              f"({p95 / bare_p95:.1f}× the bare POST p95)")
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
        for engine in engines.values():
            engine.dispose()


if __name__ == "__main__":
    main()
