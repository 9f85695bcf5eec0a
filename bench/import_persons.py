"""Benchmark: import 100,000 synthetic people, against a plain COPY of the same rows.

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
import time
from pathlib import Path

from sqlalchemy import make_url, text

from minsheng.hrss.registry import imports
from minsheng.platform import bulk
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work, upgrade
from minsheng.platform.security.principal import SYSTEM
from minsheng.synth.people import generate_people

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_bench"
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

    # Baseline: the same rows appended to a plain table with no checks at all.
    with unit_of_work(factory) as session:
        session.execute(text(
            "CREATE TABLE copy_baseline (resident_id VARCHAR(18), name VARCHAR(64), "
            "phone VARCHAR(20), hukou_region VARCHAR(6), residence_region VARCHAR(6), "
            "hukou_type VARCHAR(8))"))
    started = time.perf_counter()
    with unit_of_work(factory) as session:
        bulk.load_rows(session, "copy_baseline", COLUMNS, parsed_rows)
    baseline = time.perf_counter() - started

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
    print(f"{'run':<26}{'seconds':>10}{'rows/s':>12}{'× COPY time':>14}  inserted/unchanged/errors")
    print(f"{'plain COPY (baseline)':<26}{baseline:>10.2f}{n / baseline:>12,.0f}{1.0:>14.2f}")
    for label, (seconds, counts) in timings.items():
        print(f"{label:<26}{seconds:>10.2f}{n / seconds:>12,.0f}{seconds / baseline:>14.2f}  "
              f"{counts[0]}/{counts[1]}/{counts[2]}")


if __name__ == "__main__":
    main()
