"""What social insurance feeds to the scorecard (民生答卷): pension coverage, the people
insured in each scheme and two of the poverty "三个100%" (seed-figures.md, hrss-rules §3).

Every figure runs the coverage service's own statement (``service.coverage_select``,
``insured_select``, ``poverty_select``), the one the coverage page shows, with the cut's
region and grouping: the page and the scorecard cannot disagree. People are counted
where they live (``person.residence_region``) as divided today."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import ColumnElement, Date, case, literal, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service
from minsheng.hrss.registry.service import Person
from minsheng.platform.indicators import (
    Compute,
    Cut,
    Figure,
    Indicator,
    Kind,
    Records,
    RecordSelect,
    figures,
)

SOURCE = "参保缴费"
#: The coverage statistics (参保扩面) are read with this permission (the coverage page).
PERMISSION = "insurance:coverage"

_STOCK = ("统计期末时点数：期末所在月份有在保的参保登记（起始月不晚于该月、终止月为空或不早于"
          "该月）；期末当月开始参保的计入，期末前一个月已终止的不计；地区按居住地，已撤销的区县"
          "代码计入现行区县")
_ONE_PERSON = "按人计：同一人有多段参保登记或多个险种只计一次"


def _person_records(cut: Cut, *conditions: ColumnElement[bool],
                    detail: ColumnElement[str]) -> RecordSelect:
    """The people behind a figure, one row each (person number, name, ID, residence,
    the period's end as the day the stock is read)."""
    return (select(Person.id.label("record"), Person.name.label("name"),
                   Person.resident_id.label("resident_id"),
                   Person.residence_region.label("region"),
                   literal(cut.period.end, Date).label("day"), detail.label("detail"))
            .where(cut.within(Person.residence_region), *conditions)
            .order_by(Person.residence_region, Person.id))


# --- 城乡养老保险参保率 -------------------------------------------------------------------


def _pension_coverage(session: Session, cut: Cut) -> dict[str, Figure]:
    key = cut.key(Person.residence_region)
    return figures(session.execute(service.coverage_select(
        cut.period.end, cut.within(Person.residence_region), key)).all())


def _pension_coverage_records(cut: Cut) -> RecordSelect:
    on = cut.period.end
    return _person_records(cut, *service.should_enrol_on(on), detail=case(
        (service.pension_insured_on(on), literal("已参加城乡养老保险")),
        else_=literal("应参保未参保")))


PENSION_COVERAGE = Indicator(
    id="pension_coverage", name="城乡养老保险参保率", name_en="Pension coverage rate",
    unit="%", kind=Kind.RATE, domain=SOURCE, permission=PERMISSION, order=50,
    numerator="应参保人员中，期末当月有职工基本养老保险或城乡居民基本养老保险在保登记、"
              "或正在领取养老金的人数",
    denominator="应参保人员：期末在世、年满16周岁的常住人员（国发〔2014〕8号；在校学生尚未"
                "单独登记，一并计入）",
    period_rule="统计期末时点（期末所在月份的参保状态）；地区按居住地，已撤销的区县代码计入"
                "现行区县；与“参保覆盖”页面同一口径",
    dedup=_ONE_PERSON + "（职工与居民养老保险、领取待遇不重复计）",
    levels=("市", "区县"),
    compute=_pension_coverage, records=_pension_coverage_records,
    article="城乡养老保险参保率巩固稳定在 95% 以上", article_value=Decimal(95))


# --- 参保人数 ------------------------------------------------------------------------------


def _insured(schemes: Sequence[str]) -> tuple[Compute, Records]:
    def compute(session: Session, cut: Cut) -> dict[str, Figure]:
        key = cut.key(Person.residence_region)
        return figures(session.execute(service.insured_select(
            schemes, cut.period.end, cut.within(Person.residence_region), key)).all())

    def records(cut: Cut) -> RecordSelect:
        on = cut.period.end
        month = on.year * 100 + on.month
        insured = (service.pension_insured_on(on) if set(schemes) == set(service.PENSION_SCHEMES)
                   else service.enrolled_between(schemes, month, month))
        label = {"unemployment": "失业保险在保", "work_injury": "工伤保险在保"}.get(
            schemes[0], "城乡养老保险在保（含领取养老金）")
        return _person_records(cut, service.alive_on(on), insured, detail=literal(label))

    return compute, records


_pension_insured, _pension_insured_records = _insured(service.PENSION_SCHEMES)
_unemployment_insured, _unemployment_insured_records = _insured(("unemployment",))
_work_injury_insured, _work_injury_insured_records = _insured(("work_injury",))

PENSION_INSURED = Indicator(
    id="pension_insured", name="城乡养老保险参保人数", name_en="People insured for pension",
    unit="人", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=45,
    numerator="期末在世、有职工基本养老保险或城乡居民基本养老保险在保登记的人员，"
              "以及正在领取养老金的离退休人员（与参保率的分子同一口径，不限年龄）",
    period_rule=_STOCK + "；领取养老金的以待遇开始月份不晚于期末月份、期末未终止为准",
    dedup=_ONE_PERSON + "（职工、居民养老保险和领取待遇不重复计）",
    compute=_pension_insured, records=_pension_insured_records,
    article="全市城乡养老保险参保人数达到 2370 万人", article_value=Decimal(23_700_000))

UNEMPLOYMENT_INSURED = Indicator(
    id="unemployment_insured", name="失业保险参保人数", name_en="People insured for unemployment",
    unit="人", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=46,
    numerator="期末在世、有失业保险在保登记的人员",
    period_rule=_STOCK, dedup=_ONE_PERSON,
    compute=_unemployment_insured, records=_unemployment_insured_records,
    article="失业保险参保人数达到 548 万人", article_value=Decimal(5_480_000))

WORK_INJURY_INSURED = Indicator(
    id="work_injury_insured", name="工伤保险参保人数", name_en="People insured for work injury",
    unit="人", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=47,
    numerator="期末在世、有工伤保险在保登记的人员",
    period_rule=_STOCK, dedup=_ONE_PERSON,
    compute=_work_injury_insured, records=_work_injury_insured_records,
    article="工伤保险参保人数达到 727 万人", article_value=Decimal(7_270_000))


# --- 建档立卡贫困人员：应保尽保、应缴尽缴 --------------------------------------------------------

_POVERTY_PERIOD = ("按统计期末所在年度考核（期间跨年时取最后一年）：当年任一时间在建档立卡贫困"
                   "人口名册中、年末在世且年满16周岁的人员；地区按居住地，已撤销的区县代码计入"
                   "现行区县；与“参保覆盖”“贫困人员三个100%”页面同一口径")


def _poverty(columns: tuple[int, int]) -> Compute:
    numerator, denominator = columns

    def compute(session: Session, cut: Cut) -> dict[str, Figure]:
        key = cut.key(Person.residence_region)
        rows = session.execute(service.poverty_select(
            cut.period.end.year, cut.within(Person.residence_region), key)).all()
        return figures([(row[0], row[numerator], row[denominator]) for row in rows])

    return compute


def _poverty_enrolled_records(cut: Cut) -> RecordSelect:
    r = service.poverty_rules(cut.period.end.year)
    return _person_records(cut, *r.base, detail=case(
        (r.in_pension, literal("已参加基本养老保险")), else_=literal("应保未保")))


def _poverty_paid_records(cut: Cut) -> RecordSelect:
    r = service.poverty_rules(cut.period.end.year)
    return _person_records(cut, *r.base, r.in_resident, detail=case(
        (r.has_paid, literal("当年已缴费（含政府代缴）")), else_=literal("应缴未缴")))


POVERTY_PENSION_ENROLLED = Indicator(
    id="poverty_pension_enrolled", name="建档立卡贫困人员应保尽保",
    name_en="Poverty-registered people enrolled in pension", unit="%", kind=Kind.RATE,
    domain=SOURCE, permission=PERMISSION, order=40,
    numerator="应参保的建档立卡贫困人员中，当年任一月份有职工或城乡居民基本养老保险在保登记、"
              "或正在领取养老金的人数",
    denominator="应参保的建档立卡贫困人员：当年在名册中、年末在世且年满16周岁",
    period_rule=_POVERTY_PERIOD, dedup=_ONE_PERSON,
    compute=_poverty((2, 1)), records=_poverty_enrolled_records,
    article="建档立卡贫困人员参加基本养老保险实现“应保尽保”（100%）",
    article_value=Decimal(100))

POVERTY_PENSION_PAID = Indicator(
    id="poverty_pension_paid", name="建档立卡贫困人员应缴尽缴",
    name_en="Poverty-registered enrollees whose contribution is paid", unit="%",
    kind=Kind.RATE, domain=SOURCE, permission=PERMISSION, order=41,
    numerator="应缴费人员中，当年城乡居民养老保险缴费（记在当年1月）已缴清的人数，"
              "本人缴纳或政府代缴（困难群体政府代缴）均计入",
    denominator="应缴费人员：应参保的建档立卡贫困人员中当年有城乡居民基本养老保险在保登记的人",
    period_rule=_POVERTY_PERIOD, dedup=_ONE_PERSON + "；每人每年一笔缴费",
    compute=_poverty((4, 3)), records=_poverty_paid_records,
    article="建档立卡贫困人员“应缴尽缴”（100%）", article_value=Decimal(100))

INDICATORS = [POVERTY_PENSION_ENROLLED, POVERTY_PENSION_PAID, PENSION_INSURED,
              UNEMPLOYMENT_INSURED, WORK_INJURY_INSURED, PENSION_COVERAGE]
