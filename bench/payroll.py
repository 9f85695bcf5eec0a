"""Benchmark: one month's pension payroll for 1,000,000 recipients, against two
hand-written statements producing the same payments, measured in the same run: a BARE
baseline (``CREATE TABLE … AS SELECT``: no key, no index) and a FAIR one (``INSERT …
SELECT`` into a table with the keys, constraints and indexes of ``pension_payment``);
then a second run of the closed month, and an ORM row-by-row loop over 10,000
recipients scaled up. Payments are compared with the baseline's amount by amount.

    MINSHENG_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_bench \\
        python bench/payroll.py [--recipients 1000000]

The database named by the URL is dropped and re-created. Prints figures; never fails
on time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_persons import DEFAULT_URL, fresh_database

from minsheng.hrss.pension import service
from minsheng.hrss.pension.models import PensionAward, PensionPayment, PensionRecipient
from minsheng.hrss.registry.models import Person
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work
from minsheng.platform.security.principal import SYSTEM
from minsheng.synth.load import write_people
from minsheng.synth.people import generate_people

MONTH = 202611
ORM_SAMPLE = 10_000


def build(factory: sessionmaker[Session], recipients: int) -> None:
    """``recipients`` people in payment since 2020-02, certified in 2026."""
    for households, people in generate_people(recipients / 35_000_000, seed=5,
                                              chunk_size=100_000):
        with unit_of_work(factory) as session:
            write_people(session, households, people)
        print(f"  loaded {people.chunk_index + 1} chunk(s)", end="\r", flush=True)
    with unit_of_work(factory) as session:
        session.execute(text(
            "INSERT INTO pension_award (person_id, version, scheme, effective_month, "
            "basic_amount, account_amount, transitional_amount, total_amount, basis, reason, "
            "created_at, actor) SELECT id, 1, 'employee', 202002, 1500 + id % 2000, 600, 0, "
            "2100 + id % 2000, '{}', 'award', now(), 'bench' FROM person"))
        session.execute(text(
            "INSERT INTO pension_recipient (person_id, scheme, start_month, status, "
            "last_certified_date, certification_due_date, bank_account, version) "
            "SELECT id, 'employee', 202002, 'active', DATE '2026-06-01', DATE '2027-06-01', "
            "'6222' || lpad(id::text, 12, '0'), 1 FROM person"))
        session.execute(text("ANALYZE"))


#: Who is paid for 2026-11 and with which award: the baselines' own hand-written join.
PAID = """
FROM pension_recipient r JOIN person p ON p.id = r.person_id
JOIN pension_award a ON a.person_id = r.person_id AND a.version = (
  SELECT max(b.version) FROM pension_award b
  WHERE b.person_id = r.person_id AND b.effective_month <= 202611)
WHERE r.status = 'active' AND r.start_month <= 202611
  AND (p.death_date IS NULL OR p.death_date >= DATE '2026-11-01')
"""
BASELINE = """
CREATE TABLE payment_baseline AS
SELECT r.person_id, 202611 AS benefit_month, a.total_amount AS amount, p.residence_region
""" + PAID

#: The same payments into a table built like ``pension_payment`` (primary key, unique
#: (person, month), checks, the payroll index); its person check is left out, which
#: only makes the baseline faster.
FAIR_TABLE = "CREATE TABLE payment_fair (LIKE pension_payment INCLUDING ALL)"
FAIR = """
INSERT INTO payment_fair (person_id, benefit_month, payroll_month, kind, amount, region,
                          award_id, status, run_id)
SELECT r.person_id, 202611, 202611, 'regular', a.total_amount, p.residence_region, a.id,
       'sent', 0
""" + PAID
#: Payments of ours that differ from the baseline's (or are missing on either side).
DIFFERENCES = """
SELECT count(*) FROM payment_baseline b
FULL JOIN (SELECT * FROM pension_payment WHERE payroll_month = 202611) o
  ON o.person_id = b.person_id AND o.benefit_month = b.benefit_month
WHERE o.person_id IS NULL OR b.person_id IS NULL OR o.amount <> b.amount
  OR o.region <> b.residence_region
"""


def orm_loop(factory: sessionmaker[Session], limit: int) -> float:
    """What not to do: one recipient at a time through the ORM (rolled back)."""
    started = time.perf_counter()
    with factory() as session:
        recipients = session.scalars(select(PensionRecipient).order_by(PensionRecipient.person_id)
                                     .limit(limit)).all()
        for recipient in recipients:
            person = session.get_one(Person, recipient.person_id)
            award = session.scalars(select(PensionAward).where(
                PensionAward.person_id == recipient.person_id,
                PensionAward.effective_month <= MONTH)
                .order_by(PensionAward.version.desc()).limit(1)).one()
            exists = session.scalar(select(PensionPayment.id).where(
                PensionPayment.person_id == recipient.person_id,
                PensionPayment.benefit_month == MONTH + 1))
            if recipient.status == "active" and person.death_date is None and exists is None:
                session.add(PensionPayment(person_id=recipient.person_id,
                                           benefit_month=MONTH + 1, payroll_month=MONTH + 1,
                                           kind="regular", amount=award.total_amount,
                                           region=person.residence_region, award_id=award.id,
                                           status="queued"))
                session.flush()
        session.rollback()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=1_000_000)
    args = parser.parse_args()
    url = os.environ.get("MINSHENG_BENCH_DATABASE_URL", DEFAULT_URL)
    print(f"building {args.recipients:,} recipients …")
    fresh_database(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    build(factory, args.recipients)

    started = time.perf_counter()
    result = service.run_payroll(factory, SYSTEM, month="2026-11")
    ours = time.perf_counter() - started
    started = time.perf_counter()
    again = service.run_payroll(factory, SYSTEM, month="2026-11")
    rerun = time.perf_counter() - started
    with engine.begin() as conn:
        started = time.perf_counter()
        conn.execute(text(BASELINE))
        baseline = time.perf_counter() - started
        rows, total = conn.execute(text(
            "SELECT count(*), sum(amount) FROM payment_baseline")).one()
        differences = conn.execute(text(DIFFERENCES)).scalar_one()
    with engine.begin() as conn:
        conn.execute(text(FAIR_TABLE))
    with engine.begin() as conn:
        started = time.perf_counter()
        conn.execute(text(FAIR))
    fair = time.perf_counter() - started
    sample = min(ORM_SAMPLE, args.recipients)
    orm = orm_loop(factory, sample) * (args.recipients / sample)
    engine.dispose()

    print(f"\nrecipients: {args.recipients:,}; paid {result.payments:,} totalling "
          f"{result.total:,.2f} (baseline {rows:,} totalling {total:,.2f}); "
          f"payments differing from the baseline: {differences:,}")
    print(f"{'run':<46}{'seconds':>9}{'× bare':>9}{'× fair':>9}")

    def line(name: str, seconds: float) -> None:
        print(f"{name:<46}{seconds:>9.2f}{seconds / baseline:>9.2f}{seconds / fair:>9.2f}")

    line("bare: CREATE TABLE … AS SELECT", baseline)
    line("fair: INSERT … SELECT, same keys and indexes", fair)
    line("minsheng pension payroll (with bank file)", ours)
    line(f"re-run of the closed month, pays {again.payments}", rerun)
    line(f"ORM loop, {sample:,} recipients scaled up", orm)
    print(f"payroll vs ORM loop: {orm / ours:.1f}× faster")


if __name__ == "__main__":
    main()
