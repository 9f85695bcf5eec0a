"""Benchmark: import skill certificates (职业技能等级证书) from a CSV, against a plain
executemany/COPY of the same rows into a table with no checks, in the same run.

    python bench/talent_import.py [--rows 20000]
    MINSHENG_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/talent_bench \
        python bench/talent_import.py --rows 20000

The database named by the URL is dropped and re-created (PostgreSQL) or replaced (SQLite;
the default is ``/tmp/talent_bench.db``). Prints figures and ratios; never fails on time.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from datetime import date
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_persons import fresh_database

from minsheng.hrss.talent.service import uploads
from minsheng.platform import bulk
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work, utcnow
from minsheng.platform.security.principal import SYSTEM

DEFAULT_URL = "sqlite:////tmp/talent_bench.db"
HEADER = ["公民身份号码", "职业编码", "等级", "证书编号", "发证日期", "发证机构"]




def resident_id(n: int) -> str:
    return f"500103{1960 + n % 40}{n:08d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000)
    args = parser.parse_args()
    n = args.rows
    url = os.environ.get("MINSHENG_BENCH_DATABASE_URL", DEFAULT_URL)
    fresh_database(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    now = utcnow()
    with unit_of_work(factory) as session:
        stamp = now.isoformat() if bulk.dialect_name(session) == "sqlite" else now
        bulk.load_rows(session, "person", [
            "resident_id", "name", "birth_date", "gender", "phone", "hukou_region",
            "residence_region", "hukou_type", "status", "version", "created_at", "updated_at"],
            ((resident_id(i), "测试", date(1960 + i % 40, 1, 1).isoformat(), "M", "",
              "500103", "500103", "urban", "alive", 1, stamp, stamp)
             for i in range(n)))
        # A live register has its planner statistics (autovacuum); a fresh load has none.
        bulk.analyze(session, "person")
    rows = [[resident_id(i), "6-18-01-01", 1 + i % 5, f"SB{i:010d}", "2020-06-30", "鉴定中心"]
            for i in range(n)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    content = out.getvalue().encode("utf-8")

    # Baseline: the same rows appended to a plain table with no checks at all.
    with unit_of_work(factory) as session:
        session.execute(text(
            "CREATE TABLE baseline_certificate (resident_id VARCHAR(18), "
            "occupation_code VARCHAR(12), level INTEGER, certificate_no VARCHAR(32), "
            "issued_on DATE, issuing_body VARCHAR(100))"))
    started = time.perf_counter()
    with unit_of_work(factory) as session:
        bulk.load_rows(session, "baseline_certificate",
                       ["resident_id", "occupation_code", "level", "certificate_no",
                        "issued_on", "issuing_body"], rows)
    baseline = time.perf_counter() - started

    bad = [*rows[:-1], [resident_id(0), "6-18-01-01", 9, f"SB{0:010d}", "2020-06-30", ""]]
    bad_out = io.StringIO()
    csv.writer(bad_out).writerows([HEADER, *bad])
    timings = {}
    for label, body in (("refused (1 bad row)", bad_out.getvalue().encode("utf-8")),
                        ("import (all rows good)", content)):
        started = time.perf_counter()
        with unit_of_work(factory) as session:
            report = uploads.import_records(session, SYSTEM, "skill-certificates",
                                            "bench.csv", body)
        timings[label] = (time.perf_counter() - started,
                          (report.inserted_rows, report.error_rows))

    backend = engine.dialect.name
    engine.dispose()
    print(f"database: {backend}; rows: {n:,}")
    print(f"{'run':<26}{'seconds':>10}{'rows/s':>12}{'× baseline':>12}  inserted/bad rows")
    print(f"{'plain load (baseline)':<26}{baseline:>10.2f}{n / baseline:>12,.0f}{1.0:>12.2f}")
    for label, (seconds, counts) in timings.items():
        print(f"{label:<26}{seconds:>10.2f}{n / seconds:>12,.0f}{seconds / baseline:>12.2f}  "
              f"{counts[0]}/{counts[1]}")


if __name__ == "__main__":
    main()
