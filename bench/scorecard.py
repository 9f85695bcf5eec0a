"""Benchmark: the scorecard at city scale, against a plain COPY and a plain count.

    python bench/scorecard.py [--scale 0.01] [--database-url URL] [--reuse]

Loads a synthetic city (``minsheng synth --copy``: people, households, employers,
enrolments, contributions, cards, pensions, employment and unemployment records) into a
fresh PostgreSQL database (default ``h_scale_bench`` on 127.0.0.1, dropped and
re-created unless ``--reuse`` finds it loaded), then prints:

- rows per table, load seconds and rows/s, next to a plain ``COPY`` of the same rows
  (read back from the loaded tables) into bare tables without keys, indexes or checks;
- the database size;
- the full scorecard (every registered indicator, assembled as the app does) for the
  city and the fact year computed from the records: cold (new connection,
  operating-system cache dropped when permitted, ``fresh``) and warm (``fresh`` again);
  the refresh of the summary (``minsheng scorecard refresh``: the period and its trend
  years, total and by district); and what the dashboard reads from the summary (the
  city with its trend, one breakdown, a district with its trend) cold and warm — each
  next to the single largest ``SELECT count(*)`` (the biggest fact table) cold and warm;
- the slowest indicators of the warm run.

Prints figures and ratios; never fails on time.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, make_url, text

from minsheng.app.assembly import assemble
from minsheng.hrss.scorecard import service
from minsheng.platform import cli
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work, upgrade
from minsheng.platform.indicators import catalogue
from minsheng.platform.security.principal import SYSTEM
from minsheng.synth import copy_load
from minsheng.synth.records import fact_year

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/h_scale_bench"
T = TypeVar("T")


def recreate(url: str) -> None:
    parsed = make_url(url)
    admin = make_engine(parsed.set(database="postgres").render_as_string(False),
                        isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    upgrade(url)


def loaded(url: str) -> bool:
    parsed = make_url(url)
    admin = make_engine(parsed.set(database="postgres").render_as_string(False))
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"),
                              {"d": parsed.database}).first() is not None
    admin.dispose()
    if not exists:
        return False
    engine = make_engine(url)
    with engine.connect() as conn:
        ready = conn.execute(text(
            "SELECT to_regclass('person') IS NOT NULL AND to_regclass('synth_copy_state') "
            "IS NULL")).scalar_one()
        done = ready and conn.execute(text("SELECT EXISTS (SELECT 1 FROM person)")).scalar_one()
    engine.dispose()
    return bool(done)


def drop_os_cache() -> bool:
    """Drop the operating system's page cache (root only); PostgreSQL's own buffers stay,
    but they are small (shared_buffers) next to the database."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def table_rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in copy_load.TABLES}


def copy_baseline(engine: Engine, tables: list[str]) -> float:
    """Seconds to ``COPY`` the loaded rows, read back from each table, into a bare copy
    of it (columns only: no keys, indexes, defaults or checks); reading is not timed."""
    total = 0.0
    raw = engine.raw_connection()
    try:
        conn: Any = raw.driver_connection
        for table in tables:
            with tempfile.TemporaryFile(dir=os.environ.get("TMPDIR", "/tmp")) as spool:
                with conn.cursor() as cur, cur.copy(f"COPY {table} TO STDOUT") as out:
                    for block in out:
                        spool.write(block)
                spool.seek(0)
                with conn.cursor() as cur:
                    cur.execute(f"CREATE TABLE bare_{table} (LIKE {table})")
                conn.commit()
                started = time.perf_counter()
                with conn.cursor() as cur, cur.copy(f"COPY bare_{table} FROM STDIN") as copy:
                    while block := spool.read(1 << 20):
                        copy.write(block)
                conn.commit()
                total += time.perf_counter() - started
                with conn.cursor() as cur:
                    cur.execute(f"DROP TABLE bare_{table}")
                conn.commit()
    finally:
        raw.close()
    return total


@contextmanager
def progress() -> Any:
    labels = {"people": "人员、家庭、单位与参保", "indexes": "重建索引与外键"}
    tasks: dict[str, Any] = {}
    with cli.progress_bar() as bar:
        def start(kind: str, total: int) -> None:
            tasks[kind] = bar.add_task(labels.get(kind, kind), total=total)

        def advance(kind: str, n: int) -> None:
            bar.advance(tasks[kind], n)

        yield start, advance


def scorecard_seconds(url: str, region: str, period: str, *, fresh: bool,
                      only: list[str] | None = None, trend: bool = False) -> tuple[float, int]:
    """Seconds for one scorecard on a new connection (committed, so snapshots persist)."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    try:
        with unit_of_work(factory) as session:
            seconds, card = timed(lambda: service.scorecard(
                session, SYSTEM, region=region, period=period, fresh=fresh, only=only,
                trend=trend))
    finally:
        engine.dispose()
    return seconds, len(card.rows)


def dashboard_seconds(url: str, region: str, district: str, period: str) -> float:
    """Seconds for what the dashboard reads from the summary: the region's scorecard with
    its trend, one indicator by district, and a district's scorecard with its trend."""
    engine = make_engine(url)
    factory = make_session_factory(engine)
    try:
        with unit_of_work(factory) as session:
            def views() -> None:
                card = service.scorecard(session, SYSTEM, region=region, period=period,
                                         trend=True)
                service.breakdown(session, SYSTEM, card.rows[0].indicator.id, region=region,
                                  period=period)
                service.scorecard(session, SYSTEM, region=district, period=period, trend=True)
            seconds, _ = timed(views)
    finally:
        engine.dispose()
    return seconds


def refresh_seconds(url: str, region: str, period: str) -> tuple[float, int]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    try:
        with unit_of_work(factory) as session:
            seconds, done = timed(lambda: service.refresh(session, SYSTEM, region=region,
                                                          periods=[period]))
    finally:
        engine.dispose()
    return seconds, done.statements


def count_seconds(url: str, table: str) -> float:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            seconds, _ = timed(lambda: conn.execute(text(f"SELECT count(*) FROM {table}"))
                               .scalar_one())
    finally:
        engine.dispose()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reuse", action="store_true",
                        help="skip the load if the database is already loaded")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--chunk-size", type=int, default=100_000)
    parser.add_argument("--region", default="50")
    parser.add_argument("--period", default=str(fact_year()))
    parser.add_argument("--district", default="500102",
                        help="the district whose dashboard is read from the summary")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the plain COPY baseline")
    args = parser.parse_args()
    url = args.database_url
    assemble()  # the app's registry: every domain's indicators

    load_seconds = None
    report = None
    if not (args.reuse and loaded(url)):
        recreate(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        with progress() as (start, advance):
            load_seconds, report = timed(lambda: copy_load.load_city_copy(
                factory, scale=args.scale, seed=args.seed, chunk_size=args.chunk_size,
                start=start, advance=advance))
        engine.dispose()
    else:
        upgrade(url)  # indexes of later migrations, built over the loaded rows
    engine = make_engine(url)
    rows = table_rows(engine)
    total = sum(rows.values())
    with engine.connect() as conn:
        size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
    biggest = max(rows, key=lambda t: rows[t])

    print(f"scale {args.scale} (seed {args.seed}); database {make_url(url).database}")
    print(f"{'table':<28}{'rows':>14}")
    for table, count in rows.items():
        print(f"{table:<28}{count:>14,}")
    print(f"{'total':<28}{total:>14,}")
    print(f"database size: {size / 2**20:,.0f} MB ({size / total:,.0f} bytes a row)")

    baseline = None
    if load_seconds is not None and report is not None:
        print(f"load: {load_seconds:,.1f} s, {total / load_seconds:,.0f} rows/s "
              f"(COPY and generation {report.seconds['copy']:,.1f} s, keys, indexes and "
              f"foreign keys {report.seconds['indexes']:,.1f} s, analyse "
              f"{report.seconds['analyze']:,.1f} s)")
        if not args.no_baseline:
            baseline = copy_baseline(engine, list(rows))
            print(f"plain COPY of the same rows into bare tables (baseline): {baseline:,.1f} s, "
                  f"{total / baseline:,.0f} rows/s; load = {load_seconds / baseline:.2f} × COPY")
    else:
        print("load: skipped (--reuse, already loaded; migrations applied)")
    engine.dispose()

    items = catalogue()
    print(f"scorecard: region {args.region}, period {args.period}, {len(items)} indicators "
          "registered")
    dropped = drop_os_cache()
    count_cold = count_seconds(url, biggest)
    count_warm = count_seconds(url, biggest)
    dropped = drop_os_cache() and dropped
    cold, shown = scorecard_seconds(url, args.region, args.period, fresh=True)
    warm, _ = scorecard_seconds(url, args.region, args.period, fresh=True)
    refresh, statements = refresh_seconds(url, args.region, args.period)
    dropped = drop_os_cache() and dropped
    served_cold = dashboard_seconds(url, args.region, args.district, args.period)
    served_warm = dashboard_seconds(url, args.region, args.district, args.period)
    cache_note = "OS cache dropped" if dropped else "OS cache NOT dropped (not root)"
    print(f"SELECT count(*) FROM {biggest} ({rows[biggest]:,} rows): cold {count_cold:.2f} s, "
          f"warm {count_warm:.2f} s ({cache_note})")
    print(f"{'scorecard':<44}{'seconds':>10}{'× cold count':>14}{'× warm count':>14}")
    for label, seconds in (
            ("from the records, cold (fresh)", cold),
            ("from the records, warm (fresh)", warm),
            (f"refresh of the summary ({statements} statements)", refresh),
            ("dashboard from the summary, cold", served_cold),
            ("dashboard from the summary, warm", served_warm)):
        print(f"{label:<44}{seconds:>10.3f}{seconds / count_cold:>14.2f}"
              f"{seconds / count_warm:>14.2f}")
    print(f"{shown} indicators. Served from the summary (region {args.region} with trend, one "
          f"breakdown, district {args.district} with trend): warm < 1 s "
          f"({'met' if served_warm < 1 else 'not met'}, {served_warm:.2f} s); cold ≤ 3 × count "
          f"({'met' if served_cold <= 3 * count_cold else 'not met'}, "
          f"{served_cold / count_cold:.2f} ×). From the records (what a refresh pays per "
          f"period): warm {warm:.2f} s, cold {cold / count_cold:.1f} × count")

    per_item = sorted(((scorecard_seconds(url, args.region, args.period, fresh=True,
                                          only=[i.id])[0], i.id) for i in items), reverse=True)
    print("slowest indicators (warm, each alone, incl. connection):")
    for seconds, item_id in per_item[:10]:
        print(f"  {item_id:<40}{seconds:>8.3f} s")


if __name__ == "__main__":
    main()
