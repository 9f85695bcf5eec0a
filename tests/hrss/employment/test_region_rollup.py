"""Employment indicators count records of abolished districts under today's district
(issue 11, point 12): a 2024 placement in 500105 江北区 is new employment of 500157
两江新区 (``reference/hrss-rules.md`` §2)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from minsheng.hrss.employment import service
from tests import factories as f


class TestIndicatorsRollUp:
    def test_placements_of_jiangbei_count_in_liangjiang(self, session: Session) -> None:
        clerk = f.staff(session, "clerk", "500000")
        people = [f.person(session, residence_region="500157") for _ in range(4)]
        # Placed in 2024 under the codes of that year, and one in 2026 in 两江.
        service.record_placement(session, clerk, people[0].id, on=date(2024, 5, 10),
                                 region="500105")
        service.record_placement(session, clerk, people[1].id, on=date(2024, 8, 1),
                                 region="500112")
        service.record_placement(session, clerk, people[2].id, on=date(2026, 3, 2),
                                 region="500157")
        service.record_placement(session, clerk, people[3].id, on=date(2024, 9, 1),
                                 region="500103")  # 渝中: elsewhere
        figures = service.indicators(session, clerk, "500157", date(2024, 1, 1),
                                     date(2026, 12, 31))
        # 江北 1 + 渝北 1 + 两江 1 = 3 new jobs in 两江新区 as divided today.
        assert figures.urban_new_employment == 3
        city = service.indicators(session, clerk, "50", date(2024, 1, 1), date(2026, 12, 31))
        assert city.urban_new_employment == 4
