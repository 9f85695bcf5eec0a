"""The personnel-file demo on a small committed city: custodians in every district and
one on the Sichuan node, four in five residents' files in custody (set-based), the index
with its gaps, transfers in transit, overdue and received, the citizen's file on its way;
a second run changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from minsheng.hrss.personnelfile.demo import seed_demo_personnel_files
from minsheng.hrss.personnelfile.models import (
    FileCustodian,
    FileCustody,
    FileItem,
    FileTransfer,
)
from minsheng.platform import regions
from tests import factories as f
from tests.live import drop_e2e_database, e2e_database


def test_the_demo(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "files_demo")
    try:
        with factory.begin() as s:
            people = [f.person(s, residence_region="500103").id for _ in range(30)]
            people += [f.person(s, residence_region="500102").id for _ in range(5)]
        citizen = next(p for p in people if p % 5 == 0)  # no file of its own in the demo
        made = seed_demo_personnel_files(factory, citizen_person_id=citizen)
        held = [p for p in people if p % 5]
        assert made == len(held)
        with factory.begin() as s:
            assert s.scalar(select(func.count()).select_from(FileCustodian)) == len(
                regions.current_counties("50")) + 1
            # every file plus the citizen's, taken in for the demo
            assert s.scalar(select(func.count()).select_from(FileCustody)) == (
                len(held) + 1 + 3)  # + the three received transfers' new custody
            items = s.execute(select(FileItem.person_id, FileItem.category)).all()
            by_person: dict[int, set[int]] = {}
            for person, category in items:
                by_person.setdefault(person, set()).add(category)
            for person in held:
                expected = {1, 3, 4, 9} - ({3, 4} if person % 7 == 0 else set()) - (
                    {9} if person % 11 == 0 else set())
                assert by_person.get(person, set()) == expected, person
            states = dict(s.execute(select(FileTransfer.state, func.count())
                                    .group_by(FileTransfer.state)).all())
            # nine planned from 渝中区 (its held files but the citizen), plus the citizen's
            yuzhong = [p for p in held if p <= people[29] and p != citizen][:9]
            assert states == {"dispatched": len(yuzhong) - 3 + 1, "received": 3}
            mine = s.scalars(select(FileTransfer).where(FileTransfer.person_id == citizen)).one()
            assert mine.state == "dispatched" and mine.dispatched_on < date.today()
        assert seed_demo_personnel_files(factory, citizen_person_id=citizen) == 0
    finally:
        engine.dispose()
        drop_e2e_database(url)
