"""Benchmark: one month's unemployment-benefit payroll for 200,000 active claims, five
months of catch-up each, a fifth of them paid until retirement (2024 decision art. 7), with
the contribution lines the fund pays (社会保险法 art. 48), against a hand-written
``INSERT ... SELECT`` of the entitlement months alone, all in the same run.

    MINSHENG_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_bench \\
        python bench/unemployment_payroll.py [--claims 200000]

The database named by the URL is dropped and re-created. Prints figures; never fails
on time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_persons import DEFAULT_URL, fresh_database

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.unemployment import service
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work
from minsheng.platform.security.principal import SYSTEM
from minsheng.synth.load import write_people
from minsheng.synth.people import generate_people

WAGES = [Decimal("0.002")] * 8


def build(factory: sessionmaker[Session], claims: int) -> None:
    """``claims`` people with an active claim from 2026-07 of 3 months (Chongqing's
    1 to < 2 years); one in five retires in 2026-12, so 2026-10 … 12 follow."""
    for households, people in generate_people(claims / 35_000_000, seed=7, chunk_size=100_000):
        with unit_of_work(factory) as session:
            write_people(session, households, people)
    with unit_of_work(factory) as session:
        insurance.add_rule(session, SYSTEM, insurance.RuleInput(
            region_prefix="", valid_from="2020-01", valid_to=None,
            average_wage=Decimal("8200.00"), pension_employer=Decimal("0.16"),
            pension_personal=Decimal("0.08"), unemployment_employer=Decimal("0.005"),
            unemployment_personal=Decimal("0.005"), work_injury=WAGES, source="bench"))
        session.execute(text(
            "INSERT INTO unemployment_registration (person_id, registered_date, region, "
            "separation_reason, seeking_work, actor, created_at, version) "
            "SELECT id, DATE '2026-07-06', residence_region, 'dismissed', TRUE, 'bench', now(), "
            "1 FROM person"))
        session.execute(text(
            "INSERT INTO unemployment_claim (claim_no, person_id, registration_id, region, "
            "start_month, contribution_months, band, spell_months, carried_months, "
            "entitled_months, monthly_amount, retirement_month, status, bank_account, "
            "decision_note, created_at, version) "
            "SELECT 'B' || r.id, r.person_id, r.id, r.region, 202607, 13, '1y', 3, 0, 3, 1440, "
            "CASE WHEN r.person_id % 5 = 0 THEN 202612 ELSE 203001 END, 'active', "
            "'6222' || lpad(r.person_id::text, 12, '0'), '', now(), 1 "
            "FROM unemployment_registration r"))
        session.execute(text("ANALYZE"))


BASELINE = """
CREATE TABLE payment_baseline AS
SELECT c.person_id, c.id AS claim_id, m AS benefit_month, 1440 AS amount, c.region
FROM unemployment_claim c CROSS JOIN (VALUES (202607), (202608), (202609)) v(m)
"""


T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--claims", type=int, default=200_000)
    args = parser.parse_args()
    url = os.environ.get("MINSHENG_BENCH_DATABASE_URL", DEFAULT_URL)
    print(f"building {args.claims:,} claims …")
    fresh_database(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    build(factory, args.claims)

    # First without the fund's rules (no lines can be priced), then the re-run writes
    # the lines of the same payroll month: the cost of the contribution lines alone.
    shift = "UPDATE unemployment_fund_contribution_rule SET valid_from = valid_from {} 100000"
    with engine.begin() as conn:
        conn.execute(text(shift.format("+")))  # out of force until the re-run
    ours, result = timed(lambda: service.run_payroll(factory, SYSTEM, month="2026-11"))
    with engine.begin() as conn:
        conn.execute(text(shift.format("-")))
    lines, _ = timed(lambda: service.run_payroll(factory, SYSTEM, month="2026-11"))
    rerun, again = timed(lambda: service.run_payroll(factory, SYSTEM, month="2026-11"))
    with engine.begin() as conn:
        baseline, _ = timed(lambda: conn.execute(text(BASELINE)))
        base_rows = conn.execute(text("SELECT count(*) FROM payment_baseline")).scalar()
        counts = dict(conn.execute(text(
            "SELECT scheme, count(*) FROM unemployment_fund_contribution GROUP BY scheme")).all())
        extended = conn.execute(text(
            "SELECT count(*) FROM unemployment_payment WHERE extended")).scalar()
    engine.dispose()

    print(f"\nclaims: {args.claims:,}; paid {result.payments:,} months ({extended:,} until "
          f"retirement); baseline {base_rows:,} entitlement months")
    print(f"fund lines: medical {counts.get('medical', 0):,}, pension {counts.get('pension', 0):,}")
    print(f"{'run':<52}{'seconds':>10}{'× baseline':>12}")
    print(f"{'hand-written INSERT … SELECT, entitlement only':<52}{baseline:>10.2f}{1.0:>12.2f}")
    print(f"{'minsheng payroll (both kinds of month, bank file)':<52}{ours:>10.2f}"
          f"{ours / baseline:>12.2f}")
    print(f"{'re-run writing the contribution lines only':<52}{lines:>10.2f}"
          f"{lines / baseline:>12.2f}")
    print(f"{'re-run, pays ' + str(again.payments) + ' (idempotent)':<52}{rerun:>10.2f}"
          f"{rerun / baseline:>12.2f}")


if __name__ == "__main__":
    main()
