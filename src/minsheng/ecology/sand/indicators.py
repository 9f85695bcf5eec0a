"""What surplus sand-and-gravel disposal feeds to the scorecard (民生答卷): the cases
disposed of and their revenue (seed-figures.md, Ecology; the Fuling report: “成功处置剩余
砂石2宗，收益约1.5亿元”).

The figures are :func:`service.sand_figures`, the statement the ecology summary page reads
too, so the page and the scorecard cannot disagree.
"""

from __future__ import annotations

from decimal import Decimal

from minsheng.ecology.kernel import common
from minsheng.ecology.sand import service
from minsheng.platform.indicators import (
    Indicator,
    Kind,
)

SOURCE = "剩余砂石处置"
PERMISSION = "ecology:read"
PERIOD_RULE = ("已公开出让（成交）的处置案件，按成交（出让）日期计入统计期间（流量，含首尾两日）；"
               "已登记、公示中未成交的不计；地区按项目所在区县，已撤销区划代码计入现承继区县")
DEDUP = "每宗处置案件计一次（一个案件只记录一次成交）"


FIGURES = common.FigureSource(service.sand_figures, service.sand_records,
                              service.sand_features)


SURPLUS_CASES = Indicator(
    id="eco_surplus_cases", name="剩余砂石处置案件", name_en="Surplus sand-and-gravel disposals",
    unit="宗", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=205, flow=True,
    numerator="工程建设开挖剩余砂石经公示后在公共资源交易平台公开出让成交的处置案件",
    period_rule=PERIOD_RULE, dedup=DEDUP, compute=FIGURES.compute(1),
    records=FIGURES.records, features=FIGURES.features,
    article="成功处置剩余砂石2宗", article_value=Decimal(2))

SURPLUS_REVENUE = Indicator(
    id="eco_surplus_revenue", name="剩余砂石处置收益", name_en="Surplus sand-and-gravel revenue",
    unit="元", kind=Kind.AMOUNT, domain=SOURCE, permission=PERMISSION, order=206, flow=True,
    numerator="上述成交案件的成交价款之和（市、区分成前的全部收益）",
    period_rule=PERIOD_RULE, dedup=DEDUP, compute=FIGURES.compute(2),
    records=FIGURES.records, features=FIGURES.features,
    article="收益约1.5亿元", article_value=Decimal(150_000_000))

INDICATORS = [SURPLUS_CASES, SURPLUS_REVENUE]
