"""Registry rows carried over from an older register keep the division codes of their
own date (issue 11, point 12): 500105 江北区 was in force through 2025-12-31 and its
successor is 500157 两江新区 (``reference/hrss-rules.md`` §2)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.registry import imports, rules
from minsheng.hrss.registry.models import Employer, Person
from tests import factories as f

HEADER = ["resident_id", "name", "phone", "hukou_region", "residence_region", "hukou_type",
          "登记日期"]


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


class TestImportPersonsWithRecordDate:
    def test_each_row_is_checked_on_its_own_date(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500000")
        old, late, undated, early = (f.resident_id("500105", date(1980, 1, 1))
                                     for _ in range(4))
        job = imports.run_import(session, clerk, "persons", "legacy.csv", _csv(HEADER, [
            [old, "江北甲", "", "500105", "500105", "urban", "2024-05-01"],    # row 2: in force
            [late, "江北乙", "", "500157", "500105", "urban", "2026-03-01"],   # row 3: abolished
            [undated, "江北丙", "", "500157", "500105", "urban", ""],          # row 4: today
            [early, "两江丁", "", "500157", "500157", "urban", "2024-05-01"],  # row 5: not yet
        ]))
        assert (job.total_rows, job.inserted_rows, job.error_rows) == (4, 1, 3)
        errors = {(e["row"], e["field"]): e for e in json.loads(job.errors)}
        assert set(errors) == {(3, "residence_region"), (4, "residence_region"),
                               (5, "hukou_region"), (5, "residence_region")}
        refused = errors[3, "residence_region"]
        assert "2025-12-31" in refused["message"] and "500157（两江新区）" in refused["message"]
        assert "2026-03-01" in refused["message_en"] and "500157" in refused["message_en"]
        assert "2024" in errors[5, "residence_region"]["message_en"]
        stored = session.scalars(select(Person).where(Person.resident_id == old)).one()
        assert (stored.residence_region, stored.hukou_region) == ("500105", "500105")

    def test_employer_rows_too(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500000")
        header = ["uscc", "name", "region", "industry", "size_class", "record_date"]
        old, late = f.uscc_code("500105"), f.uscc_code("500105")
        job = imports.run_import(session, clerk, "employers", "e.csv", _csv(header, [
            [old, "江北老企业", "500105", "C", "small", "2023-12-31"],
            [late, "江北新企业", "500105", "C", "small", "2026-01-01"],
        ]))
        assert (job.inserted_rows, job.error_rows) == (1, 1)
        assert session.scalars(select(Employer.region).where(Employer.uscc == old)).one() \
            == "500105"


class TestRecordDateRule:
    def test_blank_is_today_and_a_bad_or_future_date_is_refused(self) -> None:
        assert rules.record_date([], {"record_date": ""}) is None
        assert rules.record_date([], {"record_date": "2024-05-01"}) == date(2024, 5, 1)
        errors: list[rules.FieldError] = []
        assert rules.record_date(errors, {"record_date": "2024-13-01"}) is None
        assert rules.record_date(errors, {"record_date": "2999-01-01"}) is None
        assert [e.field for e in errors] == ["record_date", "record_date"]
