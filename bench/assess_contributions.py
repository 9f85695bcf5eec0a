"""Benchmark: assess one month for 1,000,000 insured people, against one hand-written
``INSERT ... SELECT`` doing the same arithmetic, in the same run.

    MINSHENG_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_bench \\
        python bench/assess_contributions.py [--insured 1000000]

The database named by the URL is dropped and re-created. Prints figures; never fails
on time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_persons import DEFAULT_URL, fresh_database

from minsheng.hrss.insurance import service
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work
from minsheng.platform.security.principal import SYSTEM
from minsheng.synth.employers import generate_employers
from minsheng.synth.load import write_employers, write_people
from minsheng.synth.people import generate_people

SCHEMES = ("employee_pension", "unemployment", "work_injury")


def build(factory: object, insured: int) -> None:
    """``insured`` people, each an employee in all three employee schemes."""
    scale = insured / 35_000_000
    for (households, people), employers in zip(
        generate_people(scale, seed=11, chunk_size=100_000),
        generate_employers(scale / 10, seed=11, chunk_size=1_000), strict=False,
    ):
        with unit_of_work(factory) as session:  # type: ignore[arg-type]
            write_employers(session, employers)
            write_people(session, households, people)
        print(f"  loaded {people.chunk_index + 1} chunk(s)", end="\r", flush=True)
    with unit_of_work(factory) as session:  # type: ignore[arg-type]
        session.execute(text("UPDATE employer SET work_injury_risk_class = 1 + id % 8"))
        employers = session.execute(text("SELECT count(*) FROM employer")).scalar_one()
        for scheme in SCHEMES:
            session.execute(text(
                "INSERT INTO enrolment (person_id, scheme, employer_id, start_month, end_month, "
                "declared_wage, version, created_at, updated_at) "
                "SELECT p.id, :scheme, 1 + p.id % :employers, 202001, NULL, "
                "3000 + (CAST(p.id AS BIGINT) * 7919) % 30000, 1, now(), now() FROM person p"),
                {"scheme": scheme, "employers": employers})
        for region in ("50", "51"):
            service.add_rule(session, SYSTEM, service.RuleInput(
                region_prefix=region, valid_from="2020-01", valid_to=None,
                average_wage=Decimal("8000.00"), pension_employer=Decimal("0.16"),
                pension_personal=Decimal("0.08"), unemployment_employer=Decimal("0.005"),
                unemployment_personal=Decimal("0.005"),
                work_injury=[Decimal(x) for x in ("0.002", "0.004", "0.007", "0.009", "0.011",
                                                  "0.013", "0.016", "0.019")],
                source="benchmark"))
    with unit_of_work(factory) as session:  # type: ignore[arg-type]
        session.execute(text("ANALYZE"))


#: The same arithmetic as ``rules.assess`` for this data set (one rule: average wage
#: 8,000, floor 60 %, ceiling 300 %), written by hand as one statement into a bare table.
BASELINE = """
CREATE TABLE contribution_baseline AS
SELECT x.*, (x.base_fen * x.er + 500000) / 1000000 AS er_fen,
       (x.base_fen * x.pr + 500000) / 1000000 AS pr_fen
FROM (
  SELECT e.person_id, 202611 AS period, e.scheme, e.employer_id, emp.region,
         (CASE WHEN e.declared_wage * 100 < 480000 THEN 480000
               WHEN e.declared_wage * 100 > 2400000 THEN 2400000
               ELSE round(e.declared_wage * 100) END)::bigint AS base_fen,
         (CASE e.scheme WHEN 'employee_pension' THEN 160000 WHEN 'unemployment' THEN 5000
               ELSE (ARRAY[2000, 4000, 7000, 9000, 11000, 13000, 16000, 19000])
                    [emp.work_injury_risk_class] END)::bigint AS er,
         (CASE e.scheme WHEN 'employee_pension' THEN 80000 WHEN 'unemployment' THEN 5000
               ELSE 0 END)::bigint AS pr
  FROM enrolment e JOIN employer emp ON emp.id = e.employer_id
  WHERE e.start_month <= 202611 AND (e.end_month IS NULL OR e.end_month >= 202611)
) x
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--insured", type=int, default=1_000_000)
    args = parser.parse_args()
    url = os.environ.get("MINSHENG_BENCH_DATABASE_URL", DEFAULT_URL)
    print(f"building {args.insured:,} insured people …")
    fresh_database(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    build(factory, args.insured)

    started = time.perf_counter()
    run = service.assess_month(factory, SYSTEM, month="2026-11")
    ours = time.perf_counter() - started
    started = time.perf_counter()
    again = service.assess_month(factory, SYSTEM, month="2026-11")
    rerun = time.perf_counter() - started

    with engine.begin() as conn:
        started = time.perf_counter()
        conn.execute(text(BASELINE))
        baseline = time.perf_counter() - started
        baseline_rows = conn.execute(
            text("SELECT count(*) FROM contribution_baseline")).scalar_one()
        mismatches = conn.execute(text(
            "SELECT count(*) FROM contribution c JOIN contribution_baseline b "
            "ON b.person_id = c.person_id AND b.scheme = c.scheme AND b.period = c.period "
            "WHERE round(c.employer_amount * 100) <> b.er_fen "
            "OR round(c.personal_amount * 100) <> b.pr_fen")).scalar_one()
    engine.dispose()
    people = args.insured
    print(f"\ninsured people: {people:,}; contribution rows: {run.inserted_rows:,} "
          f"(baseline {baseline_rows:,}; amounts differing: {mismatches})")
    print(f"{'run':<40}{'seconds':>10}{'rows/s':>12}{'× baseline':>12}")
    print(f"{'hand-written INSERT … SELECT (baseline)':<40}{baseline:>10.2f}"
          f"{baseline_rows / baseline:>12,.0f}{1.0:>12.2f}")
    print(f"{'minsheng contributions assess':<40}{ours:>10.2f}"
          f"{run.inserted_rows / ours:>12,.0f}{ours / baseline:>12.2f}")
    print(f"{'re-run (idempotent, inserts ' + str(again.inserted_rows) + ')':<40}{rerun:>10.2f}"
          f"{'':>12}{rerun / baseline:>12.2f}")


if __name__ == "__main__":
    main()
