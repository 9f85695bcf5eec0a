"""What social security cards feed to the scorecard (民生答卷): cardholders and e-card
holders (seed-figures.md, hrss-rules §10).

Both figures run the cards service's own statements (``service.cardholders_select``,
``e_card_holders_select``), the ones the cards page shows, with the cut's region and
grouping, read at the end of the period's last day (China Standard Time). People are
counted where they live (``person.residence_region``) as divided today."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Date, func, literal, select
from sqlalchemy.orm import Session

from minsheng.hrss.cards import service
from minsheng.hrss.cards.models import ECard, SocialSecurityCard
from minsheng.hrss.registry.service import Person
from minsheng.platform.indicators import Cut, Figure, Indicator, Kind, RecordSelect, figures

SOURCE = "社会保障卡"
PERMISSION = "cards:read"
_PLACE = "地区按持卡人居住地，已撤销的区县代码计入现行区县"


def _cardholders(session: Session, cut: Cut) -> dict[str, Figure]:
    key = cut.key(Person.residence_region)
    return figures(session.execute(service.cardholders_select(
        cut.within(Person.residence_region), key, service.end_of_day(cut.period.end))).all())


def _cardholders_records(cut: Cut) -> RecordSelect:
    card = SocialSecurityCard
    return (select(card.card_no.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"),
                   Person.residence_region.label("region"),
                   func.date(card.issued_at, type_=Date).label("day"),
                   literal("持有社会保障卡（发卡日期）").label("detail"))
            .join(Person, Person.id == card.person_id)
            .where(cut.within(Person.residence_region),
                   *service.holding_card(service.end_of_day(cut.period.end)))
            .order_by(Person.residence_region, Person.id, card.id))


CARDHOLDERS = Indicator(
    id="cardholders", name="社会保障卡持卡人数", name_en="Social security cardholders",
    unit="人", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=55,
    numerator="期末持有有效社会保障卡的人员：社保卡已发卡，且期末时未因补换作废、未注销"
              "（挂失中的卡仍计为持卡；已申领尚未发卡的不计）",
    period_rule="统计期末时点数（期末当日24时，北京时间）；期末当日发卡的计入，期末前一日已注销"
                "或补换作废的不计；" + _PLACE,
    dedup="按人计：补换前后的两张卡、同一人的多张卡只计一次",
    compute=_cardholders, records=_cardholders_records,
    article="全市社会保障卡持卡人数达到 3545 万人", article_value=Decimal(35_450_000))


def _e_cardholders(session: Session, cut: Cut) -> dict[str, Figure]:
    key = cut.key(Person.residence_region)
    return figures(session.execute(service.e_card_holders_select(
        cut.within(Person.residence_region), key, service.end_of_day(cut.period.end))).all())


def _e_cardholders_records(cut: Cut) -> RecordSelect:
    first = (select(ECard.person_id, func.min(ECard.issued_at).label("first_issued"))
             .where(ECard.issued_at < service.end_of_day(cut.period.end))
             .group_by(ECard.person_id).subquery("first_e_card"))
    return (select(Person.id.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"),
                   Person.residence_region.label("region"),
                   func.date(first.c.first_issued, type_=Date).label("day"),
                   literal("首次领用电子社保卡（日期）").label("detail"))
            .join(first, first.c.person_id == Person.id)
            .where(cut.within(Person.residence_region))
            .order_by(Person.residence_region, Person.id))


E_CARDHOLDERS = Indicator(
    id="e_cardholders", name="电子社保卡领用人数", name_en="Electronic card holders",
    unit="人", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=56,
    numerator="截至期末签发过电子社保卡（二维码）的人员（累计领用）",
    period_rule="截至统计期末的累计数（期末当日24时，北京时间）；" + _PLACE,
    dedup="按人计：同一人多次签发二维码只计一次",
    compute=_e_cardholders, records=_e_cardholders_records,
    article="签发电子社保卡 788 万余张", article_value=Decimal(7_880_000))

INDICATORS = [CARDHOLDERS, E_CARDHOLDERS]
