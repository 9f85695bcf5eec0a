"""Benchmark: import 100,000 synthetic people, against COPY of the same rows into a bare
table (BARE) and into a table with person's keys, constraints and indexes (FAIR).

    MINSHENG_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_bench \
        python bench/import_persons.py [--rows 100000]

The database named by the URL is dropped and re-created (PostgreSQL) or replaced (SQLite).
Prints figures and ratios; never fails on time.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import make_url, text
from sqlalchemy.orm import Session

from minsheng.hrss.registry import imports
from minsheng.platform import bulk
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work, upgrade
from minsheng.platform.security.principal import SYSTEM
from minsheng.synth.people import generate_people

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_bench"
FAIR_COLUMNS = ["resident_id", "name", "birth_date", "gender", "phone", "hukou_region",
                "residence_region", "hukou_type", "status", "version", "created_at",
                "updated_at"]
COLUMNS = ["resident_id", "name", "phone", "hukou_region", "residence_region", "hukou_type"]


def fresh_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database or "bench.db").unlink(missing_ok=True)
    else:
        admin = make_engine(parsed.set(database="postgres").render_as_string(False),
                            isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        admin.dispose()
    upgrade(url)


def fair_table_like_person(session: Session) -> None:
    """``copy_fair``: person's columns, defaults, keys, check constraints and indexes."""
    if bulk.dialect_name(session) == "postgresql":
        session.execute(text("CREATE TABLE copy_fair (LIKE person INCLUDING ALL)"))
        return
    for (sql,) in session.execute(text(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'person' AND sql IS NOT NULL "
            "AND type IN ('table', 'index') ORDER BY type DESC")):  # table, then indexes
        sql = re.sub(r"(INDEX\s+\S+)", r"\1_fair", sql)  # index names are per schema
        session.execute(text(re.sub(r"\bperson\b", "copy_fair", sql)))


def synthetic_csv(rows: int) -> bytes:
    """``rows`` people from the synthetic-city generator, as an import file."""
    households_people = next(generate_people(rows / 35_000_000, seed=7, chunk_size=rows))
    people = households_people[1]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(zip(people.resident_id.tolist(), people.name.tolist(),
                         people.phone.tolist(), people.hukou_region.tolist(),
                         people.residence_region.tolist(), people.hukou_type.tolist(),
                         strict=True))
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    url = os.environ.get("MINSHENG_BENCH_DATABASE_URL", DEFAULT_URL)
    fresh_database(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    content = synthetic_csv(args.rows)
    parsed_rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))[1:]
    n = len(parsed_rows)

    # BARE baseline: the same rows appended to a plain table with no keys, checks or indexes.
    with unit_of_work(factory) as session:
        session.execute(text(
            "CREATE TABLE copy_baseline (resident_id VARCHAR(18), name VARCHAR(64), "
            "phone VARCHAR(20), hukou_region VARCHAR(6), residence_region VARCHAR(6), "
            "hukou_type VARCHAR(8))"))
    started = time.perf_counter()
    with unit_of_work(factory) as session:
        bulk.load_rows(session, "copy_baseline", COLUMNS, parsed_rows)
    bare = time.perf_counter() - started

    # FAIR baseline: the finished rows (birth date and gender decoded, defaults filled)
    # appended to a table with person's keys, constraints and indexes — and no checks.
    now = datetime.now(UTC)
    fair_rows = [(rid, name, date(int(rid[6:10]), int(rid[10:12]), int(rid[12:14])),
                  "M" if int(rid[16]) % 2 else "F", phone, hukou, residence, kind,
                  "alive", 1, now, now)
                 for rid, name, phone, hukou, residence, kind in parsed_rows]
    with unit_of_work(factory) as session:
        fair_table_like_person(session)
    started = time.perf_counter()
    with unit_of_work(factory) as session:
        bulk.load_rows(session, "copy_fair", FAIR_COLUMNS, fair_rows)
    fair = time.perf_counter() - started

    timings = {}
    for label in ("first import", "re-import (no change)"):
        started = time.perf_counter()
        with unit_of_work(factory) as session:
            job = imports.run_import(session, SYSTEM, "persons", "bench.csv", content)
            result = (job.inserted_rows, job.unchanged_rows, job.error_rows)
        timings[label] = (time.perf_counter() - started, result)

    backend = engine.dialect.name
    engine.dispose()
    print(f"database: {backend}; rows: {n:,}")
    print(f"{'run':<26}{'seconds':>10}{'rows/s':>12}{'× BARE':>9}{'× FAIR':>9}"
          "  inserted/unchanged/errors")
    print(f"{'BARE COPY (plain table)':<26}{bare:>10.2f}{n / bare:>12,.0f}{1.0:>9.2f}"
          f"{bare / fair:>9.2f}")
    print(f"{'FAIR COPY (as person)':<26}{fair:>10.2f}{n / fair:>12,.0f}{fair / bare:>9.2f}"
          f"{1.0:>9.2f}")
    for label, (seconds, counts) in timings.items():
        print(f"{label:<26}{seconds:>10.2f}{n / seconds:>12,.0f}{seconds / bare:>9.2f}"
              f"{seconds / fair:>9.2f}  {counts[0]}/{counts[1]}/{counts[2]}")

if __name__ == "__main__":
    main()
