"""What land consolidation feeds to the scorecard (民生答卷): projects of the period, their
investment, the high-standard farmland built and the new cultivated land (seed-figures.md,
Ecology; the Fuling report for the 13th five-year plan: 74 projects, 5.4亿元, 26.3万亩
high-standard farmland, 2.71万亩 new cultivated land).

The figures are :func:`service.land_figures`, the statement the ecology summary page reads
too, so the page and the scorecard cannot disagree.
"""

from __future__ import annotations

from decimal import Decimal

from minsheng.ecology.kernel import common
from minsheng.ecology.land import service
from minsheng.platform.indicators import (
    Indicator,
    Kind,
)

SOURCE = "土地综合整治"
PERMISSION = "ecology:read"
PERIOD_RULE = ("统计期间内实施的项目：开工日期不晚于期末（未填开工日期的视为已开工），"
               "且竣工验收日期不早于期初（尚未验收的视为仍在实施），含首尾两日；跨年项目在其实施的每一年都计入，"
               "各年之和可大于多年合计；地区按项目所在区县，已撤销区划代码计入现承继区县")
DEDUP = "每个项目计一次，计入项目登记的全部投资和面积（不按年度拆分）"


FIGURES = common.FigureSource(service.land_figures, service.land_records,
                              service.land_features)


def _indicator(id: str, name: str, name_en: str, unit: str, kind: Kind, order: int,
               column: int, numerator: str, article: str, article_value: int) -> Indicator:
    return Indicator(
        id=id, name=name, name_en=name_en, unit=unit, kind=kind, domain=SOURCE,
        permission=PERMISSION, order=order, flow=True, numerator=numerator,
        period_rule=PERIOD_RULE, dedup=DEDUP, compute=FIGURES.compute(column),
        records=FIGURES.records, features=FIGURES.features,
        article=f"“十三五”期间{article}", article_value=Decimal(article_value))


LAND_PROJECTS = _indicator(
    "eco_land_projects", "土地综合整治项目", "Land-consolidation projects", "个", Kind.COUNT,
    220, 1, "统计期间内实施的土地综合整治项目（项目登记）", "实施土地综合整治项目74个", 74)
LAND_INVESTMENT = _indicator(
    "eco_land_investment", "土地综合整治投入资金", "Investment in land consolidation", "元",
    Kind.AMOUNT, 221, 2, "上述项目登记的投资额之和", "投入资金5.4亿元", 540_000_000)
HIGH_STANDARD_FARMLAND = _indicator(
    "eco_high_standard_farmland", "建成高标准农田", "High-standard farmland built", "亩",
    Kind.AMOUNT, 222, 5, "上述项目登记的高标准农田建设面积之和（亩）", "建成高标准农田26.3万亩",
    263_000)
NEW_CULTIVATED_LAND = _indicator(
    "eco_new_cultivated_land", "新增耕地", "New cultivated land", "亩", Kind.AMOUNT, 223, 4,
    "上述项目登记的新增耕地面积之和（亩）", "新增耕地2.71万亩", 27_100)

INDICATORS = [LAND_PROJECTS, LAND_INVESTMENT, HIGH_STANDARD_FARMLAND, NEW_CULTIVATED_LAND]
