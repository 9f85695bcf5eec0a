"""Employment services: seekers, vacancies, matching, placements (就业服务)."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.employment import api, cli, indicators, models, pages, service
from minsheng.hrss.employment.service import peer
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.security.history import HistorySource
from minsheng.platform.web.templating import NavItem


def person_subjects(session: Session, person_id: int) -> Iterable[tuple[str, Iterable[object]]]:
    """The person's seeker record, placements and key-group memberships."""
    return [
        ("job_seeker", session.scalars(select(models.JobSeeker.id)
                                       .where(models.JobSeeker.person_id == person_id))),
        ("placement", session.scalars(select(models.Placement.id)
                                      .where(models.Placement.person_id == person_id))),
        ("key_group_member", session.scalars(
            select(models.KeyGroupMember.id)
            .where(models.KeyGroupMember.person_id == person_id))),
    ]


HISTORY = HistorySource(
    labels={"employment.seeker.register": "求职登记", "employment.placement": "就业登记（安置）",
            "employment.employment_registration": "就业登记",
            "employment.key_group.add": "认定就业重点群体",
            "employment.work_incapacity": "登记丧失劳动能力"},
    fields={"on": "日期"}, subjects=person_subjects)

DOMAIN = Domain(
    name="employment", label="就业服务", order=50, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("就业服务", "/employment", "employment", "employment:read", order=50)],
    cli=[("employment", cli.app)], indicators=indicators.INDICATORS,
    envelope_kinds=peer.KINDS, work=[service.waiting_work], history=[HISTORY],
)
