"""The rulebook: the most specific regional parameter in force, in Python and in SQL,
its page and its command."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from minsheng.hrss.unemployment.models import UnemploymentBenefitRate
from minsheng.platform import rulebook
from minsheng.platform.db import upgrade
from minsheng.platform.security import service as security
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f
from tests.conftest import scratch_database
from tests.live import sign_in

PREFIXES = ("", "50", "5001", "500103", "500106", "51", "510104")
REGIONS = ("500103", "500106", "500112", "510104", "510105", "110101")


@dataclass
class Row:
    region_prefix: str
    valid_from: int
    valid_to: int | None


months = st.integers(2018, 2027).flatmap(
    lambda y: st.integers(1, 12).map(lambda m: y * 100 + m))


@st.composite
def rows(draw: st.DrawFn) -> Row:
    start = draw(months)
    end = draw(st.none() | months.filter(lambda m: m >= start))
    return Row(draw(st.sampled_from(PREFIXES)), start, end)


def _covers(row: Row, region: str, period: int) -> bool:
    return (region.startswith(row.region_prefix) and row.valid_from <= period
            and (row.valid_to is None or row.valid_to >= period))


@given(st.lists(rows(), max_size=12), st.sampled_from(REGIONS), months)
def test_the_winner_covers_and_nothing_more_specific_is_in_force(
        candidates: list[Row], region: str, period: int) -> None:
    in_force = [r for r in candidates if r.valid_from <= period
                and (r.valid_to is None or r.valid_to >= period)]
    found = rulebook.most_specific(in_force, region)  # type: ignore[type-var]
    covering = [r for r in candidates if _covers(r, region, period)]
    assert bool(found) == bool(covering)
    for winner in found:
        assert _covers(winner, region, period)
        for other in covering:
            assert len(other.region_prefix) <= len(winner.region_prefix)
            if len(other.region_prefix) == len(winner.region_prefix):
                assert other.valid_from <= winner.valid_from
    # A table-valued parameter: every row sharing the winning prefix and start comes back.
    if found:
        same = [r for r in covering if (r.region_prefix, r.valid_from)
                == (found[0].region_prefix, found[0].valid_from)]
        assert len(found) == len(same)


def _rate(prefix: str, start: int, end: int | None, amount: str) -> UnemploymentBenefitRate:
    return UnemploymentBenefitRate(region_prefix=prefix, valid_from=start, valid_to=end,
                                   monthly_amount=Decimal(amount), source="测试")


def test_district_rate_for_its_months_then_the_city_rate(session: Session) -> None:
    """Hand-made: Chongqing 2,000 from 2024-01; Yuzhong 2,100 for 2025-07…2025-12."""
    session.execute(delete(UnemploymentBenefitRate))
    session.add_all([_rate("50", 202401, None, "2000.00"),
                     _rate("500103", 202507, 202512, "2100.00")])
    session.flush()

    def amount(region: str, period: int) -> Decimal | None:
        row = rulebook.one_in_force(session, UnemploymentBenefitRate, region, period)
        return row.monthly_amount if row else None

    assert amount("500103", 202508) == Decimal("2100.00")
    assert amount("500103", 202512) == Decimal("2100.00")
    assert amount("500103", 202601) == Decimal("2000.00")
    assert amount("500106", 202508) == Decimal("2000.00")
    assert amount("500103", 202312) is None
    assert amount("510104", 202508) is None


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(rows(), max_size=8, unique_by=lambda r: (r.region_prefix, r.valid_from)),
       st.sampled_from(REGIONS), months)
def test_sql_lookup_agrees_with_python(session: Session, candidates: list[Row], region: str,
                                       period: int) -> None:
    """The payroll prices months in SQL; the estimate and the claim in Python: the two
    must pick the same row."""
    with session.begin_nested() as savepoint:
        session.execute(delete(UnemploymentBenefitRate))
        session.add_all([_rate(r.region_prefix, r.valid_from, r.valid_to, f"{1000 + i}.00")
                         for i, r in enumerate(candidates)])
        session.flush()
        python = rulebook.one_in_force(session, UnemploymentBenefitRate, region, period)
        subquery = rulebook.in_force_sql(UnemploymentBenefitRate, "monthly_amount",
                                         "x.region", "x.period")
        sql = session.execute(text(f"SELECT {subquery} FROM (SELECT :region AS region, "
                                   ":period AS period) x"),
                              {"region": region, "period": period}).scalar()
        assert (Decimal(str(sql)) if sql is not None else None) == (
            python.monthly_amount if python else None)
        savepoint.rollback()


def test_overlapping_span_of_the_same_region_is_found(session: Session) -> None:
    session.execute(delete(UnemploymentBenefitRate))
    session.add(_rate("50", 202401, 202412, "2000.00"))
    session.flush()
    assert rulebook.overlapping(session, UnemploymentBenefitRate, "50", 202412, None)
    assert rulebook.overlapping(session, UnemploymentBenefitRate, "50", 202301, 202401)
    assert rulebook.overlapping(session, UnemploymentBenefitRate, "50", 202501, None) is None
    assert rulebook.overlapping(session, UnemploymentBenefitRate, "5001", 202401, None) is None


def test_every_parameter_model_is_in_the_rulebook() -> None:
    labels = {m.rulebook_label for m in rulebook.parameter_models()}
    assert {"社会保险缴费基数与费率", "城乡居民养老保险缴费档次", "困难群体政府代缴比例",
            "失业保险金标准", "失业保险金领取期限阶梯"} <= labels


class TestPage:
    def test_staff_read_the_seeded_benefit_rate_with_its_status(
            self, client: TestClient, session: Session) -> None:
        sign_in(client, f.staff(session, "statistician", "500103"))
        page = client.get("/rules", params={"month": "2026-11", "region": "500103"})
        assert page.status_code == 200
        assert "失业保险金标准" in page.text
        # Seeded by the migration: 1,440 from 2019-01, a value not yet confirmed.
        assert "1,440.00" in page.text and "2019-01 起" in page.text
        assert "未核实" in page.text
        assert "1,200.00" not in page.text  # the 2018 value is no longer in force

    def test_a_bad_month_is_explained_in_chinese(self, client: TestClient,
                                                 session: Session) -> None:
        sign_in(client, f.staff(session, "clerk", "500103"))
        page = client.get("/rules", params={"month": "2026-13"})
        assert page.status_code == 422
        assert page.headers["content-type"].startswith("text/html")
        assert "月份格式应为" in page.text

    def test_citizens_may_not(self, client: TestClient, session: Session) -> None:
        person = f.person(session)
        sign_in(client, security.principal_of(security.add_user(
            session, actor=SYSTEM, username=f"citizen-{person.id}", role="citizen",
            password=f.PASSWORD, person_id=person.id)))
        assert client.get("/rules").status_code == 403


def test_rules_show_in_a_fresh_process(database_url: str, tmp_path: Path) -> None:
    url = scratch_database(database_url, "rules", tmp_path)
    upgrade(url)
    command = Path(sys.executable).with_name("minsheng")
    env = {**os.environ, "MINSHENG_DATABASE_URL": url, "COLUMNS": "200"}
    done = subprocess.run([str(command), "rules", "show", "--month", "2019-03",
                           "--region", "500103"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "失业保险金标准" in done.stdout and "1,440.00" in done.stdout
    assert "月份格式" not in done.stdout
    bad = subprocess.run([str(command), "rules", "show", "--month", "2019-13"], env=env,
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "月份格式应为" in bad.stdout
