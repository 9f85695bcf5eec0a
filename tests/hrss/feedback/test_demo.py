"""The feedback demo on a small committed city: residents' feedback in 渝中区 and 涪陵区
(some answered, some waiting, some overdue), the demo citizen's and employer's own; the
渝中区 clerk's workbench counts what waits; a second run changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from minsheng.hrss.feedback import service
from minsheng.hrss.feedback.demo import ITEMS, seed_demo_feedback
from minsheng.hrss.feedback.models import Feedback
from minsheng.platform.security.principal import Principal
from tests import factories as f
from tests.live import drop_e2e_database, e2e_database


def test_the_demo(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    url, engine, factory = e2e_database(database_url, tmp_path_factory, "feedback_demo")
    try:
        with factory.begin() as s:
            people = [f.person(s, residence_region="500103").id for _ in range(8)]
            people += [f.person(s, residence_region="500102").id for _ in range(8)]
            unit = f.employer(s, region="500103").id
        citizen = people[0]
        made = seed_demo_feedback(factory, citizen_person_id=citizen, employer_id=unit)
        assert made == 2 * len(ITEMS) + 3
        today = date.today()
        with factory.begin() as s:
            states = dict(s.execute(select(Feedback.state, func.count())
                                    .group_by(Feedback.state)).all())
            answered = sum(1 for item in ITEMS if item[4] is not None)
            assert states == {"replied": 2 * answered + 1,
                              "open": made - 2 * answered - 1}
            mine = s.scalars(select(Feedback).where(Feedback.person_id == citizen)).all()
            assert sorted(r.state for r in mine) == ["open", "replied"]
            clerk = Principal(user_id=0, username="t", role="clerk", region_code="500103")
            waiting, overdue = service.open_counts(s, clerk, today)
            assert overdue >= 2 and waiting > overdue
            work = service.waiting_work(s, clerk, today)
            assert work[0].count == waiting and work[0].overdue == overdue
        assert seed_demo_feedback(factory, citizen_person_id=citizen) == 0
    finally:
        engine.dispose()
        drop_e2e_database(url)
