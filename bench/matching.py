"""Benchmark: seeker → vacancy matching on 1,000,000 vacancies, next to a plain SQL
``LIKE`` scan answering the same seekers with the same hard filters, in the same run.

    MINSHENG_BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/minsheng_bench_matching \\
        python bench/matching.py [--vacancies 1000000] [--queries 200]

The database named by the URL is dropped and re-created (SQLite: the file). Vacancies
and their jieba terms are written with COPY (``platform.bulk``); on PostgreSQL the term
table's key and foreign key are built after the load. Prints figures; never fails on time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, or_, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_persons import fresh_database

from minsheng.hrss.employment import service
from minsheng.hrss.employment import text as terms_of
from minsheng.hrss.employment.models import Vacancy, VacancyTerm
from minsheng.platform.bulk import dialect_name, load_rows
from minsheng.platform.db import make_engine, make_session_factory, unit_of_work, utcnow
from minsheng.platform.security.principal import SYSTEM
from minsheng.synth.vacancies import generate_seekers, generate_vacancies

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/minsheng_bench_matching"
EMPLOYERS = 5_000
BATCH = 100_000


def _employers(now: Any) -> Iterator[tuple[Any, ...]]:
    for n in range(1, EMPLOYERS + 1):
        yield (n, f"91500103{n:09d}X", f"重庆第{n}号企业有限公司", "500103", "C", "small", 1,
               now, now)


def load(session: Session, count: int) -> tuple[int, int]:
    now = utcnow()
    load_rows(session, "employer", ["id", "uscc", "name", "region", "industry", "size_class",
                                    "version", "created_at", "updated_at"], _employers(now))
    postgres = dialect_name(session) == "postgresql"
    if postgres:
        session.execute(text("ALTER TABLE vacancy_term DROP CONSTRAINT pk_vacancy_term"))
        session.execute(text(
            "ALTER TABLE vacancy_term DROP CONSTRAINT fk_vacancy_term_vacancy_id_vacancy"))
        session.execute(text("DROP INDEX ix_vacancy_term_vacancy_id"))
    vacancies = terms = 0
    rows: list[tuple[Any, ...]] = []
    term_rows: list[tuple[Any, ...]] = []

    def flush() -> None:
        nonlocal rows, term_rows
        load_rows(session, "vacancy", [
            "id", "employer_id", "title", "occupation_code", "region", "education_required",
            "pay_min", "pay_max", "headcount", "description", "status", "posted_date", "version",
            "created_at", "updated_at"], rows)
        load_rows(session, "vacancy_term", ["term", "region", "vacancy_id", "weight",
                                            "pay_max", "education_required",
                                            "occupation_code", "posted_date"], term_rows)
        rows, term_rows = [], []

    for n, v in enumerate(generate_vacancies(count), start=1):
        rows.append((n, 1 + n % EMPLOYERS, v.title, v.occupation_code, v.region,
                     v.education_required, v.pay_min, v.pay_max, 1, v.description, "open",
                     v.posted_date, 1, now, now))
        for term, weight in terms_of.weighted_terms(v.title, v.description).items():
            term_rows.append((term, v.region, n, weight, v.pay_max, v.education_required,
                              v.occupation_code, v.posted_date))
        vacancies += 1
        if len(rows) >= BATCH:
            terms += len(term_rows)
            flush()
            print(f"  {vacancies:>9,} vacancies loaded", end="\r", flush=True)
    terms += len(term_rows)
    flush()
    if postgres:
        session.execute(text("ALTER TABLE vacancy_term ADD CONSTRAINT pk_vacancy_term "
                             "PRIMARY KEY (term, region, vacancy_id) INCLUDE (weight, "
                             "pay_max, education_required, occupation_code, posted_date)"))
        session.execute(text("CREATE INDEX ix_vacancy_term_vacancy_id ON vacancy_term "
                             "(vacancy_id)"))
        session.execute(text(
            "ALTER TABLE vacancy_term ADD CONSTRAINT fk_vacancy_term_vacancy_id_vacancy "
            "FOREIGN KEY (vacancy_id) REFERENCES vacancy (id) ON DELETE CASCADE"))
        session.execute(text("SELECT setval('vacancy_id_seq', (SELECT max(id) FROM vacancy))"))
    return vacancies, terms


def like_scan(session: Session, query: service.VacancyQuery) -> list[int]:
    """The naive way: every query term as ``%term%`` against title and description, the
    same hard filters, newest first (a LIKE scan has no relevance to rank by). It reads
    the vacancy table with all its keys and indexes: it is the bare and the fair
    baseline at once (a read benchmark writes nothing)."""
    words = terms_of.terms(query.text)
    stmt = select(Vacancy.id).where(
        Vacancy.status == "open", Vacancy.region.startswith(query.region_prefix),
        Vacancy.education_required <= (query.education or 6))
    if query.min_pay is not None:
        stmt = stmt.where(Vacancy.pay_max >= query.min_pay)
    if words:
        stmt = stmt.where(or_(*[Vacancy.title.contains(w) | Vacancy.description.contains(w)
                                for w in words]))
    return list(session.scalars(stmt.order_by(Vacancy.posted_date.desc()).limit(query.limit)))


def joined_search(session: Session, query: service.VacancyQuery) -> list[int]:
    """The search as it was before issue 16: every posting of the query terms in the
    region summed by weight, joined to its vacancy, the hard filters read from the
    vacancy, then ranked. The reference for the ranking: ours must return the same
    vacancies in the same order."""
    terms = terms_of.terms(query.text)
    hits = (select(VacancyTerm.vacancy_id, func.sum(VacancyTerm.weight).label("hits"))
            .where(VacancyTerm.term.in_(terms), VacancyTerm.region == query.region_prefix)
            .group_by(VacancyTerm.vacancy_id).subquery())
    bonus = service.matching._occupation_bonus(Vacancy.occupation_code,
                                               query.wanted_occupation)
    score = hits.c.hits + bonus
    filters = [Vacancy.status == "open", Vacancy.region.startswith(query.region_prefix)]
    if query.min_pay is not None:
        filters.append(Vacancy.pay_max >= query.min_pay)
    if query.education is not None:
        filters.append(Vacancy.education_required <= query.education)
    return list(session.scalars(
        select(Vacancy.id).join(hits, hits.c.vacancy_id == Vacancy.id).where(*filters)
        .order_by(score.desc(), Vacancy.posted_date.desc(), Vacancy.id.desc())
        .limit(query.limit)))


def seekers(count: int) -> list[service.VacancyQuery]:
    """``count`` seekers of varied selectivity: the synthetic seekers (one county each,
    one to eight terms), their pay floor moved in turn from 2,000 below their job's
    floor (nearly every posting passes) to 6,000 above it (a few do), and every fifth
    asking for no particular education."""
    queries = []
    for n, s in enumerate(generate_seekers(count)):
        queries.append(service.VacancyQuery(
            text=s.skills, region_prefix=s.region,
            min_pay=max(Decimal(0), s.min_pay + Decimal((n % 5) * 2000 - 2000)),
            education=6 if n % 5 == 4 else s.education,
            wanted_occupation=s.occupation_code, limit=20))
    return queries


def explain(factory: Callable[[], Session], query: service.VacancyQuery, ms: float) -> None:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of our statement for the slowest seeker."""
    statement, params = service.vacancy_search_statement(query, terms_of.terms(query.text))
    sql = str(statement.params(**params).compile(
        dialect=postgresql.dialect(),
        compile_kwargs={"literal_binds": True, "render_postcompile": True}))
    print(f"slowest seeker ({ms:.1f} ms): {query}")
    with factory() as session:
        for (line,) in session.execute(text("EXPLAIN (ANALYZE, BUFFERS) "
                                            + sql.replace("%%", "%"))):
            print("   ", line)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vacancies", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--reuse", action="store_true",
                        help="query the vacancies a previous run loaded")
    args = parser.parse_args()
    url = os.environ.get("MINSHENG_BENCH_DATABASE_URL", DEFAULT_URL)
    if not args.reuse:
        fresh_database(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    started = time.perf_counter()
    if args.reuse:
        with factory() as session:
            vacancies = session.scalar(text("SELECT count(*) FROM vacancy")) or 0
            terms = session.scalar(text("SELECT count(*) FROM vacancy_term")) or 0
    else:
        with unit_of_work(factory) as session:
            vacancies, terms = load(session, args.vacancies)
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                # VACUUM sets the visibility map that index-only scans need (what
                # autovacuum does to a table that has settled).
                conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                    text("VACUUM (ANALYZE)"))
            else:
                conn.execute(text("ANALYZE"))
    print(f"{'reused' if args.reuse else 'loaded'} {vacancies:,} vacancies with {terms:,} "
          f"terms in {time.perf_counter() - started:,.1f} s ({engine.dialect.name})")

    queries = seekers(args.queries)
    timings: dict[str, list[float]] = {"ours": [], "joined": [], "scan": []}
    results = differ = 0
    with factory() as session:
        service.search_vacancies(session, SYSTEM, queries[0])  # warm the tokenizer
        for query in queries:
            ms, found = timed(lambda q=query: service.search_vacancies(session, SYSTEM, q))
            timings["ours"].append(ms)
            results += len(found)
            ms, reference = timed(lambda q=query: joined_search(session, q))
            timings["joined"].append(ms)
            differ += [m.vacancy.id for m in found] != reference
            timings["scan"].append(timed(lambda q=query: like_scan(session, q))[0])
    print(f"{len(queries)} seekers (their county; pay floor and education varied; skills "
          f"as text), top 20, {results / len(queries):.1f} results on average, "
          f"{date.today()}")
    print(f"{'':36}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
    for key, label in (("ours", "matching (search rows, ranked)"),
                       ("joined", "reference: terms joined to vacancy"),
                       ("scan", "baseline: plain LIKE scan")):
        values = timings[key]
        print(f"{label:36}{percentile(values, 50):>9.1f}{percentile(values, 95):>9.1f}"
              f"{percentile(values, 99):>9.1f}{statistics.fmean(values):>9.1f}")
    for p in (50, 95, 99):
        ours = percentile(timings["ours"], p)
        print(f"at p{p}: LIKE scan ÷ matching {percentile(timings['scan'], p) / ours:.1f}×, "
              f"joined reference ÷ matching {percentile(timings['joined'], p) / ours:.1f}×")
    if engine.dialect.name == "postgresql":
        slowest = max(range(len(queries)), key=timings["ours"].__getitem__)
        explain(factory, queries[slowest], timings["ours"][slowest])
    print(f"ranking: {len(queries) - differ} of {len(queries)} seekers get the same "
          f"vacancies in the same order as the joined reference")
    engine.dispose()


if __name__ == "__main__":
    main()
