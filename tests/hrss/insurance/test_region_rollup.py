"""Coverage counts residents where they live as divided today: a residence recorded under
an abolished code (500105 江北区, 500112 渝北区) counts in 500157 两江新区 (issue 11,
point 12; ``reference/hrss-rules.md`` §2)."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service
from minsheng.hrss.registry import imports
from minsheng.hrss.registry.models import Person
from minsheng.platform.security.principal import SYSTEM
from tests import factories as f

ON = date(2026, 11, 1)


def _legacy_people(session: Session, codes: list[str]) -> list[str]:
    """Adults registered in 2024 under the codes of that year (a carried-over file)."""
    ids = [f.resident_id(code, date(1980, 1, 1)) for code in codes]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["resident_id", "name", "hukou_region", "residence_region", "hukou_type",
                     "record_date"])
    writer.writerows([rid, "旧户", code, code, "urban", "2024-06-01"]
                     for rid, code in zip(ids, codes, strict=True))
    job = imports.run_import(session, SYSTEM, "persons", "legacy.csv",
                             out.getvalue().encode("utf-8"))
    assert job.inserted_rows == len(codes), job.errors
    return ids


class TestCoverageRollUp:
    def test_abolished_codes_count_in_liangjiang(self, session: Session) -> None:
        _legacy_people(session, ["500105", "500112"])
        today = [f.person(session, residence_region="500157") for _ in range(2)]
        f.enrolment(session, today[0].id, "resident_pension", start_month="2021-01")
        result = service.coverage(session, SYSTEM, region="500157", on=ON)
        # Two living adults recorded under 江北/渝北 + two under 两江 = 4 should be
        # enrolled; one is: 1 / 4 = 0.2500 (before the roll-up: 1 / 2 = 0.5000).
        assert (result.should_enrol, result.enrolled) == (4, 1)
        assert result.rate == Decimal("0.2500")

    def test_poverty_checks_group_by_today_s_district(self, session: Session) -> None:
        old = _legacy_people(session, ["500105"])
        new = f.person(session, residence_region="500157")
        old_id = session.scalars(select(Person.id).where(Person.resident_id == old[0])).one()
        for person_id in (old_id, new.id):
            service.designate(session, SYSTEM, person_id, "poverty_registered",
                              date(2020, 1, 1))
        f.enrolment(session, new.id, "resident_pension", start_month="2021-01")
        checks = service.poverty_checks(session, SYSTEM, region="500157", year=2026)
        # One district row (两江新区): 2 should enrol (the 江北 record and the 两江 one),
        # 1 enrolled, 1 enrolled in resident pension, 0 paid.
        assert checks.districts == [("500157", 2, 1, 1, 0)]
        assert checks.not_enrolled_ids == [old_id]
