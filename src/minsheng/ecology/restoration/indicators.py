"""What restoration feeds to the scorecard (民生答卷): the accepted restoration of abandoned
open-pit mines, its funds and the district's share of the city's restored area
(seed-figures.md, Ecology; the Fuling report: “市区统筹生态修复资金2.32亿元，共完成392.2公顷
长江经济带废弃露天矿山生态修复任务，占全市修复总量的17.71%”).

The figures are :func:`service.restored_figures` and :func:`service.restored_share`, the
statements the ecology summary page (and its ranking of districts) reads too.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session

from minsheng.ecology.kernel import common, geometry
from minsheng.ecology.restoration import service
from minsheng.platform.indicators import (
    Cut,
    Figure,
    Indicator,
    Kind,
)

SOURCE = "生态修复"
PERMISSION = "ecology:read"
PERIOD_RULE = ("修复方案通过验收的日期（验收日期）在统计期间内（流量，含首尾两日）；未验收的不计；"
               "地区按矿山所在区县，已撤销区划代码计入现承继区县")
DEDUP = ("每座矿山只有一个修复方案（一矿一策），按矿山计一次；"
         "废渣（磷石膏）库等非矿山场地另计，不在其内")
SITES = "废弃露天矿山（露天开采的已关闭、废弃矿山）"
M2_PER_HA = Decimal(geometry.M2_PER_HA)


def _share(session: Session, cut: Cut) -> dict[str, Figure]:
    return common.figures_at(session, service.restored_share(
        cut.region, common.period_of(cut), cut.by_district), 1, 2)


FIGURES = common.FigureSource(service.restored_figures, service.restored_records,
                              service.restored_features)


RESTORED_AREA = Indicator(
    id="eco_restored_area", name="废弃露天矿山生态修复面积", name_en="Abandoned mines restored",
    unit="公顷", kind=Kind.AMOUNT, domain=SOURCE, permission=PERMISSION, order=210, flow=True,
    numerator=f"{SITES}修复方案的验收面积之和（平方米折公顷，1公顷＝10000平方米）",
    period_rule=PERIOD_RULE, dedup=DEDUP, compute=FIGURES.compute(2, scale=M2_PER_HA),
    records=FIGURES.records, features=FIGURES.features,
    article="完成392.2公顷长江经济带废弃露天矿山生态修复任务", article_value=Decimal("392.2"))

RESTORATION_INVESTMENT = Indicator(
    id="eco_restoration_investment", name="废弃露天矿山生态修复资金",
    name_en="Funds spent on mine restoration", unit="元", kind=Kind.AMOUNT, domain=SOURCE,
    permission=PERMISSION, order=211, flow=True,
    numerator=f"验收的{SITES}修复方案各季度报告的资金投入之和（含报告在统计期间之前的季度）",
    period_rule=PERIOD_RULE, dedup=DEDUP, compute=FIGURES.compute(3),
    records=FIGURES.records, features=FIGURES.features,
    article="市区统筹生态修复资金2.32亿元", article_value=Decimal(232_000_000))

RESTORED_SHARE = Indicator(
    id="eco_restored_share", name="修复面积占全市比例", name_en="Share of the city's restored area",
    unit="%", kind=Kind.RATE, domain=SOURCE, permission=PERMISSION, order=212,
    numerator=f"本地区验收的{SITES}修复面积",
    denominator=(f"同一期间全市（所选地区所在的省级区划，即重庆市区划代码50开头的全部区县）验收的"
                 f"{SITES}修复面积，不随所选区县变化"),
    period_rule=PERIOD_RULE + "；分子、分母取同一期间", dedup=DEDUP, compute=_share,
    records=FIGURES.records, features=FIGURES.features, article="占全市修复总量的17.71%",
    article_value=Decimal("17.71"))

INDICATORS = [RESTORED_AREA, RESTORATION_INVESTMENT, RESTORED_SHARE]
