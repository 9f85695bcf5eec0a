"""Benchmark: assess one month for 1,000,000 insured people, against hand-written
``INSERT ... SELECT`` statements doing the same arithmetic, in the same run.

    MINSHENG_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_bench \\
        python bench/assess_contributions.py [--insured 1000000]

Two baselines: *bare*, ``CREATE TABLE AS`` into a table without keys or indexes (what
the rows cost to compute and write), and *fair*, one ``INSERT ... SELECT`` into a copy
of ``contribution`` with the same keys, constraints, indexes and triggers (what they
cost to write where ours go): the ratio to the fair baseline is our own overhead.
The re-run of the month (it inserts nothing) is timed too. The database named by the
URL is dropped and re-created. Prints figures; never fails on time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Connection, Engine, text

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


#: The same arithmetic as ``rules.assess`` for this data set (one rule: average wage
#: 8,000, floor 60 %, ceiling 300 %), written by hand as one statement.
SELECT = """
SELECT x.*, (x.base_fen * x.er + 500000) / 1000000 AS er_fen,
       (x.base_fen * x.pr + 500000) / 1000000 AS pr_fen
FROM (
  SELECT e.person_id, 202611 AS period, e.scheme, e.employer_id, emp.region, e.declared_wage,
         (CASE WHEN e.declared_wage * 100 < 480000 THEN 480000
               WHEN e.declared_wage * 100 > 2400000 THEN 2400000
               ELSE round(e.declared_wage * 100) END)::bigint AS base_fen,
         CASE WHEN e.declared_wage * 100 < 480000 THEN 'floor'
              WHEN e.declared_wage * 100 > 2400000 THEN 'ceiling' END AS clamp,
         (CASE e.scheme WHEN 'employee_pension' THEN 160000 WHEN 'unemployment' THEN 5000
               ELSE (ARRAY[2000, 4000, 7000, 9000, 11000, 13000, 16000, 19000])
                    [emp.work_injury_risk_class] END)::bigint AS er,
         (CASE e.scheme WHEN 'employee_pension' THEN 80000 WHEN 'unemployment' THEN 5000
               ELSE 0 END)::bigint AS pr
  FROM enrolment e JOIN employer emp ON emp.id = e.employer_id
  WHERE e.start_month <= 202611 AND (e.end_month IS NULL OR e.end_month >= 202611)
) x
"""

#: Bare: into a table without keys, constraints or indexes.
BARE = f"CREATE TABLE contribution_baseline AS {SELECT}"

#: Fair: into ``contribution_fair``, a copy of ``contribution`` (see ``fair_table``).
FAIR = f"""
INSERT INTO contribution_fair (person_id, period, scheme, employer_id, region, declared_wage,
    base, clamp, employer_amount, personal_amount, government_amount, subsidy_amount,
    status, rule_id, run_id)
SELECT b.person_id, b.period, b.scheme, b.employer_id, b.region, b.declared_wage,
       b.base_fen / 100.0, b.clamp, b.er_fen / 100.0, b.pr_fen / 100.0, 0, 0, 'due', 1, 1
FROM ({SELECT}) b
"""


def fair_table(conn: Connection) -> None:
    """``contribution_fair``: ``contribution``'s columns, defaults (an id sequence of its
    own), checks, primary key, unique keys and indexes (``LIKE ... INCLUDING ALL``), its
    foreign keys and its triggers (read from the catalogue, whatever they are)."""
    conn.execute(text("DROP TABLE IF EXISTS contribution_fair"))
    conn.execute(text("DROP SEQUENCE IF EXISTS contribution_fair_id_seq"))
    conn.execute(text("CREATE TABLE contribution_fair (LIKE contribution INCLUDING ALL)"))
    conn.execute(text("CREATE SEQUENCE contribution_fair_id_seq OWNED BY contribution_fair.id"))
    conn.execute(text("ALTER TABLE contribution_fair ALTER COLUMN id "
                      "SET DEFAULT nextval('contribution_fair_id_seq')"))
    foreign_keys = conn.execute(text(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = 'contribution'::regclass AND contype = 'f'")).all()
    for name, definition in foreign_keys:
        conn.execute(text(f"ALTER TABLE contribution_fair ADD CONSTRAINT fair_{name} "
                          f"{definition}"))
    triggers = conn.execute(text(
        "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
        "WHERE tgrelid = 'contribution'::regclass AND NOT tgisinternal")).scalars().all()
    for definition in triggers:
        conn.execute(text(definition.replace(" ON public.contribution ",
                                             " ON public.contribution_fair ")
                          .replace("CREATE TRIGGER ", "CREATE TRIGGER fair_")))


def timed(engine: Engine, statement: str,
          before: Callable[[Connection], None] | None = None) -> float:
    """Seconds of ``statement`` in a transaction of its own, after a checkpoint (every
    timed step starts with no dirty pages left to write back)."""
    if before:
        with engine.begin() as conn:
            before(conn)
    checkpoint(engine)
    with engine.connect() as conn:
        started = time.perf_counter()
        with conn.begin():
            conn.execute(text(statement))
        return time.perf_counter() - started


def checkpoint(engine: Engine) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("CHECKPOINT"))


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
    # As after any bulk load: statistics and the visibility map, and no autovacuum of
    # the 3,000,000 new enrolments running under the timed statements.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))

    checkpoint(engine)
    started = time.perf_counter()
    run = service.assess_month(factory, SYSTEM, month="2026-11")
    ours = time.perf_counter() - started
    checkpoint(engine)
    started = time.perf_counter()
    again = service.assess_month(factory, SYSTEM, month="2026-11")
    rerun = time.perf_counter() - started

    bare = timed(engine, BARE)
    fair = timed(engine, FAIR, before=fair_table)
    with engine.begin() as conn:
        baseline_rows = conn.execute(
            text("SELECT count(*) FROM contribution_baseline")).scalar_one()
        fair_rows = conn.execute(text("SELECT count(*) FROM contribution_fair")).scalar_one()
        mismatches = conn.execute(text(
            "SELECT count(*) FROM contribution c FULL JOIN contribution_baseline b "
            "ON b.person_id = c.person_id AND b.scheme = c.scheme AND b.period = c.period "
            "WHERE c.id IS NULL OR b.person_id IS NULL "
            "OR round(c.employer_amount * 100) <> b.er_fen "
            "OR round(c.personal_amount * 100) <> b.pr_fen "
            "OR round(c.base * 100) <> b.base_fen "
            "OR c.clamp IS DISTINCT FROM b.clamp")).scalar_one()
        conn.execute(text("DROP TABLE contribution_fair"))
    engine.dispose()
    print(f"\ninsured people: {args.insured:,}; contribution rows: {run.inserted_rows:,} "
          f"(baselines {baseline_rows:,} and {fair_rows:,}; rows differing or missing: "
          f"{mismatches})")
    print(f"{'run':<50}{'seconds':>9}{'rows/s':>12}{'× bare':>9}{'× fair':>9}")
    for name, seconds, rows in (
            ("baseline, bare: CREATE TABLE AS", bare, baseline_rows),
            ("baseline, fair: INSERT into a contribution copy", fair, fair_rows),
            ("minsheng contributions assess", ours, run.inserted_rows),
            (f"re-run (idempotent, inserts {again.inserted_rows})", rerun, 0)):
        speed = f"{rows / seconds:>12,.0f}" if rows else f"{'':>12}"
        print(f"{name:<50}{seconds:>9.2f}{speed}{seconds / bare:>9.2f}{seconds / fair:>9.2f}")


if __name__ == "__main__":
    main()
