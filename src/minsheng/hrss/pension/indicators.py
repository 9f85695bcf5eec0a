"""What pension benefits feed to the scorecard (民生答卷): people drawing a pension, the
eligibility certification rate and 应发尽发 of the poverty "三个100%" (seed-figures.md,
hrss-rules §5).

Each figure runs the pension service's own statement (``service.pensioners_select``,
``certification_select``, ``poverty_benefit_select`` — the last is the one the poverty
report page shows) with the cut's region and grouping. People are counted where they
live (``person.residence_region``) as divided today."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Date, case, literal, select
from sqlalchemy.orm import Session

from minsheng.hrss.pension import service
from minsheng.hrss.pension.models import PensionRecipient
from minsheng.hrss.registry.service import Person
from minsheng.platform.indicators import Cut, Figure, Indicator, Kind, RecordSelect, figures

SOURCE = "养老待遇"
PERMISSION = "pension:read"

_IN_PAYMENT = ("领取养老金人员：待遇开始月份不晚于统计月份、该月末仍在世（因死亡停发的，死亡月份"
               "之后不计）、且该月未暂停发放（如认证过期暂停）")
_PLACE = "地区按居住地，已撤销的区县代码计入现行区县"
_ONE = "按人计：每人一条待遇领取记录，只计一次"


def _recipients(cut: Cut, *conditions: ColumnElement[bool], day: ColumnElement[Any],
                detail: ColumnElement[str]) -> RecordSelect:
    """Recipients behind a figure, one row each (person number, name, ID, residence)."""
    return (select(Person.id.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"),
                   Person.residence_region.label("region"), day.label("day"),
                   detail.label("detail"))
            .select_from(PensionRecipient)
            .join(Person, Person.id == PensionRecipient.person_id)
            .where(cut.within(Person.residence_region), *conditions)
            .order_by(Person.residence_region, Person.id))


def _scheme() -> ColumnElement[str]:
    return case((PensionRecipient.scheme == "resident", literal("城乡居民养老金")),
                else_=literal("职工基本养老金"))


# --- 领取养老金人数 ---------------------------------------------------------------------------


def _pensioners(session: Session, cut: Cut) -> dict[str, Figure]:
    key = cut.key(Person.residence_region)
    return figures(session.execute(service.pensioners_select(
        cut.period.last_month, cut.within(Person.residence_region), key)).all())


def _pensioners_records(cut: Cut) -> RecordSelect:
    return _recipients(cut, *service.in_payment(cut.period.last_month),
                       day=literal(cut.period.end, Date), detail=_scheme())


PENSIONERS_IN_PAYMENT = Indicator(
    id="pensioners_in_payment", name="领取养老金人数", name_en="Pensioners in payment",
    unit="人", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=60,
    numerator=_IN_PAYMENT + "；职工基本养老金和城乡居民养老金合计",
    period_rule="统计期末时点数（期末所在月份）；" + _PLACE,
    dedup=_ONE, compute=_pensioners, records=_pensioners_records)


# --- 养老金领取资格认证率 ---------------------------------------------------------------------


def _certification(session: Session, cut: Cut) -> dict[str, Figure]:
    key = cut.key(Person.residence_region)
    return figures(session.execute(service.certification_select(
        cut.period.last_month, cut.period.end, cut.within(Person.residence_region),
        key)).all())


def _certification_records(cut: Cut) -> RecordSelect:
    month, end = cut.period.last_month, cut.period.end
    return _recipients(cut, *service.in_payment(month), day=service.last_certified(end),
                       detail=case((service.certified_within_cycle(month, end),
                                    literal("认证周期内已认证")),
                                   else_=literal("未在认证周期内认证")))


PENSION_CERTIFICATION_RATE = Indicator(
    id="pension_certification_rate", name="养老金领取资格认证率",
    name_en="Pension eligibility certification rate", unit="%", kind=Kind.RATE,
    domain=SOURCE, permission=PERMISSION, order=61,
    numerator="期末领取养老金人员中，期末仍在认证周期内的人数：最近一次待遇资格认证在期末或"
              "之前，且按期末所在月份、居住地适用的认证周期（政策参数“养老待遇资格认证周期”，如12个月）"
              "计算的下次认证到期日晚于期末（即期末前周期月数内认证过；自助、数据比对、上门、"
              "川渝就地认证均计入）",
    denominator="期末领取养老金人员（" + _IN_PAYMENT + "）",
    period_rule="统计期末时点（期末所在月份）；" + _PLACE,
    dedup=_ONE + "；周期内多次认证只计一次",
    compute=_certification, records=_certification_records)


# --- 建档立卡贫困人员应发尽发 ----------------------------------------------------------------


def _benefit_month(cut: Cut) -> ColumnElement[int]:
    return service.last_payroll_month(cut.period.first_month, cut.period.last_month)


def _poverty_benefit(session: Session, cut: Cut) -> dict[str, Figure]:
    key = cut.key(Person.residence_region)
    return figures(session.execute(service.poverty_benefit_select(
        _benefit_month(cut), cut.within(Person.residence_region), key)).all())


def _poverty_benefit_records(cut: Cut) -> RecordSelect:
    month = _benefit_month(cut)
    return _recipients(cut, *service.poverty_eligible(month),
                       day=literal(cut.period.end, Date),
                       detail=case((service.benefit_paid(month), literal("当月待遇已发放")),
                                   else_=literal("应发未发")))


POVERTY_PENSION_BENEFIT_PAID = Indicator(
    id="poverty_pension_benefit_paid", name="建档立卡贫困人员应发尽发",
    name_en="Poverty-registered pensioners paid", unit="%", kind=Kind.RATE,
    domain=SOURCE, permission=PERMISSION, order=42,
    numerator="应发人员中，该月待遇已列入发放的人数（已排入发放批次、已送银行或已到账；银行退回"
              "失败或已取消的不计）",
    denominator="应发人员：统计月份在建档立卡贫困人口名册中的领取养老金人员（" + _IN_PAYMENT + "）",
    period_rule="统计月份为期间内最近一个已完成发放的月份（当月发放尚未进行时取上月）；期间内"
                "没有完成的发放则无数值；" + _PLACE + "；与“贫困人员三个100%”页面同一口径",
    dedup=_ONE + "；每人每月一笔待遇",
    compute=_poverty_benefit, records=_poverty_benefit_records,
    article="建档立卡贫困人员养老保险待遇“应发尽发”（100%）", article_value=Decimal(100))

INDICATORS = [POVERTY_PENSION_BENEFIT_PAID, PENSIONERS_IN_PAYMENT, PENSION_CERTIFICATION_RATE]
