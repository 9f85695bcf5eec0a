"""What the talent service card feeds to the scorecard (民生答卷), seed-figures.md:
英才服务卡 cards issued (3,600+) and services delivered on them (about 60,000) — the
statements the staff overview shows (``service.figures``), with the cut's region and
grouping. Cards and services count in the holder's district at application."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import case, literal, select
from sqlalchemy.orm import Session

from minsheng.hrss.registry.service import Person
from minsheng.hrss.talentcard import rules
from minsheng.hrss.talentcard.models import TalentCard, TalentServiceBooking
from minsheng.hrss.talentcard.service import figures
from minsheng.platform.indicators import Cut, Figure, Indicator, Kind, RecordSelect

SOURCE = "人才服务"
PERMISSION = "talent:read"
_ARTICLE = "累计发放“重庆英才服务卡”3600余张，提供服务6万余人次"
_PLACE = "地区按持卡人申领时的居住区县，已撤销的区县代码计入现行区县"


def _counts(rows: Any) -> dict[str, Figure]:
    return {row[0] or "": Figure(Decimal(row[1] or 0)) for row in rows}


def _issued(session: Session, cut: Cut) -> dict[str, Figure]:
    return _counts(session.execute(figures.cards_issued_select(
        cut.within(TalentCard.region), cut.key(TalentCard.region), cut.period.start,
        cut.period.end)).all())


def _issued_records(cut: Cut) -> RecordSelect:
    c = TalentCard
    state = case(*((c.state == s.value, literal(label))
                   for s, label in rules.STATE_LABELS.items()), else_=c.state)
    return (select(c.card_no.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"), c.region.label("region"),
                   c.issued_on.label("day"), state.label("detail"))
            .join(Person, Person.id == c.person_id)
            .where(cut.within(c.region), c.issued_on >= cut.period.start,
                   c.issued_on <= cut.period.end)
            .order_by(c.issued_on, c.id))


CARDS_ISSUED = Indicator(
    id="talent_cards_issued", name="英才服务卡发放数", name_en="Talent service cards issued",
    unit="张", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=80,
    numerator="期间内发放（制发）的英才服务卡张数，此后注销或到期的仍计入；续期不另计",
    period_rule="按发卡日期归属期间；" + _PLACE,
    dedup="按卡计：同一人先后持有的卡分别计算", compute=_issued, records=_issued_records,
    flow=True, article=_ARTICLE, article_value=Decimal(3600))


def _delivered(session: Session, cut: Cut) -> dict[str, Figure]:
    return _counts(session.execute(figures.services_delivered_select(
        cut.within(TalentServiceBooking.region), cut.key(TalentServiceBooking.region),
        cut.period.start, cut.period.end)).all())


def _delivered_records(cut: Cut) -> RecordSelect:
    b = TalentServiceBooking
    return (select(b.id.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"), b.region.label("region"),
                   b.delivered_on.label("day"), b.service_name.label("detail"))
            .join(Person, Person.id == b.person_id)
            .where(cut.within(b.region), b.delivered_on >= cut.period.start,
                   b.delivered_on <= cut.period.end)
            .order_by(b.delivered_on, b.id))


SERVICES_DELIVERED = Indicator(
    id="talent_card_services_delivered", name="英才服务卡服务人次",
    name_en="Services delivered to talent card holders", unit="人次", kind=Kind.COUNT,
    domain=SOURCE, permission=PERMISSION, order=81,
    numerator="期间内已办结的持卡人预约服务事项件数（人次）",
    period_rule="按办结日期归属期间；" + _PLACE,
    dedup="按服务事项计：同一持卡人的多次服务分别计算", compute=_delivered,
    records=_delivered_records, flow=True, article=_ARTICLE, article_value=Decimal(60000))

INDICATORS = [CARDS_ISSUED, SERVICES_DELIVERED]
