"""What employment services feed to the scorecard (民生答卷), hrss-rules §9 and
seed-figures.md: each figure computed from records by one grouped SQL statement."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from minsheng.hrss.employment.models import UrbanNewEmployment
from minsheng.hrss.registry.service import Person
from minsheng.platform.indicators import Cut, Figure, Indicator, Kind, RecordSelect, figures

SOURCE = "就业服务"
PERMISSION = "employment:read"


def _urban_new_employment(session: Session, cut: Cut) -> dict[str, Figure]:
    key = cut.key(UrbanNewEmployment.region)
    return figures(session.execute(
        select(key, func.count()).where(
            cut.within(UrbanNewEmployment.region),
            UrbanNewEmployment.event_date.between(cut.period.start, cut.period.end))
        .group_by(key)).all())


def _urban_new_employment_records(cut: Cut) -> RecordSelect:
    return (select(UrbanNewEmployment.placement_id.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"),
                   UrbanNewEmployment.region.label("region"),
                   UrbanNewEmployment.event_date.label("day"),
                   literal("城镇新增就业").label("detail"))
            .join(Person, Person.id == UrbanNewEmployment.person_id)
            .where(cut.within(UrbanNewEmployment.region),
                   UrbanNewEmployment.event_date.between(cut.period.start, cut.period.end))
            .order_by(UrbanNewEmployment.event_date, UrbanNewEmployment.person_id))


URBAN_NEW_EMPLOYMENT = Indicator(
    id="urban_new_employment", name="城镇新增就业", name_en="Urban new employment",
    unit="人", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=10, flow=True,
    numerator="在城镇新就业的人员（城镇新增就业登记事件）",
    period_rule="期间内发生的就业事件（流量）；地区按就业地",
    dedup="每人每年至多计一次（同一年内多次就业只计首次）；跨年度的期间按年分别计",
    compute=_urban_new_employment, records=_urban_new_employment_records,
    article="“十三五”期间累计 362 万人", article_value=Decimal(3_620_000))

INDICATORS = [URBAN_NEW_EMPLOYMENT]
