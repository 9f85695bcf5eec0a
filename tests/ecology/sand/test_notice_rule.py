"""The public notice of a surplus-aggregate case runs the working days of the dated
regional rule in force in the month it starts (issue 11, point 13): seeded 5 working
days (Linyi practice, ◐); a district rule of 7 takes effect from its month; a case may
still set its own period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from minsheng.ecology.sand import service as sand
from minsheng.ecology.sand.models import SandNoticeRule
from minsheng.ecology.sand.schemas import NoticeCreate, SandCaseCreate
from minsheng.platform.security.principal import SYSTEM
from tests.factories import ecology as h

D = Decimal
_lat = iter(29.50 + k / 50 for k in range(50))


def _notice(session: Session, start: date, workdays: int | None = None) -> date:
    case = sand.register_case(session, SYSTEM, SandCaseCreate(
        project_name="某道路工程", region="500102", estimated_volume_m3=D("1000"),
        project_use_m3=D("400"), geometry=h.polygon(h.square(107.6, next(_lat)))))
    published = sand.publish_notice(session, SYSTEM, case.id,
                                    NoticeCreate(start_on=start, workdays=workdays))
    assert published.notice_end is not None
    return published.notice_end


class TestNoticeWorkdays:
    def test_seeded_five_working_days(self, session: Session) -> None:
        assert sand.notice_workdays(session, "500102", date(2026, 5, 11)) == 5
        # From Monday 2026-05-11, the day of publication not counted: Tue 12 (1), Wed 13
        # (2), Thu 14 (3), Fri 15 (4), [weekend], Mon 18 (5).
        assert _notice(session, date(2026, 5, 11)) == date(2026, 5, 18)

    def test_a_changed_value_takes_effect_from_its_month(self, session: Session) -> None:
        session.add(SandNoticeRule(region_prefix="500102", valid_from=202606, workdays=7,
                                   source="测试：区级通知", source_status="unconfirmed"))
        session.flush()
        # May: still 5 → 2026-05-18 as above.
        assert _notice(session, date(2026, 5, 11)) == date(2026, 5, 18)
        # June: 7 from Monday 2026-06-08: Tue 9 (1), Wed 10 (2), Thu 11 (3), Fri 12 (4),
        # [weekend], Mon 15 (5), Tue 16 (6), Wed 17 (7).
        assert _notice(session, date(2026, 6, 8)) == date(2026, 6, 17)
        # A case that sets its own 5 days keeps them: … Fri 12 (4), Mon 15 (5).
        assert _notice(session, date(2026, 6, 8), workdays=5) == date(2026, 6, 15)
        assert sand.notice_workdays(session, "500101", date(2026, 6, 8)) == 5
