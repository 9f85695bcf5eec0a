"""The agency demo on a small committed registry: a licence for each employer (up to
sixty) but the demo employer's, one revoked and some expired, reports for 2020 to last
year with last year's missing for one in six and late for one in nine; the demo
employer licensed with last year's report to file; a second run changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from minsheng.hrss.hragency.demo import FIRST_YEAR, seed_demo_agencies
from minsheng.hrss.hragency.models import AgencyLicence, AgencyReport
from tests import factories as f
from tests.live import drop_e2e_database, e2e_database


def test_the_demo(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "agency_demo")
    try:
        with factory.begin() as s:
            employers = [f.employer(s).id for _ in range(20)]
        demo, others = employers[0], employers[1:]
        assert seed_demo_agencies(factory, employer_id=demo) == len(others) + 1
        last = date.today().year - 1
        with factory.begin() as s:
            revoked = s.scalars(select(AgencyLicence.employer_id).where(
                AgencyLicence.state == "revoked")).all()
            assert sorted(revoked) == [e for e in others if e % 17 == 0]
            reports = s.execute(select(AgencyReport.licence_id, AgencyReport.year,
                                       AgencyReport.filed_on)).all()
            licences = {lic.id: lic for lic in s.scalars(select(AgencyLicence))}
            ours = next(i for i, lic in licences.items() if lic.employer_id == demo)
            assert not [r for r in reports if r[0] == ours]
            filed_last = {r[0] for r in reports if r[1] == last}
            for lid, lic in licences.items():
                if lid == ours or lic.revoked_on is not None or lic.valid_until.year < last:
                    continue
                assert (lid in filed_last) == (lid % 6 != 0), lid
            for lid, year, filed in reports:
                assert FIRST_YEAR <= year <= last
                assert (filed > date(year + 1, 3, 31)) == (lid % 9 == 0)
            assert s.scalar(select(func.count()).select_from(AgencyReport)) == len(reports)
        assert seed_demo_agencies(factory, employer_id=demo) == 0
    finally:
        engine.dispose()
        drop_e2e_database(url)
