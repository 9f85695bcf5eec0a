"""What green-mine assessment feeds to the scorecard (民生答卷): the mines that passed the
green-mine assessment and their construction investment (seed-figures.md, Ecology; the
Fuling report: “累计投入8000余万元，完成了14家大中型矿山的‘绿色矿山’建设任务”).

The figures are :func:`service.green_figures`, the statement the ecology summary page
reads too, so the page and the scorecard cannot disagree.
"""

from __future__ import annotations

from decimal import Decimal

from minsheng.ecology.greenmines import service
from minsheng.ecology.kernel import common
from minsheng.platform.indicators import (
    Indicator,
    Kind,
)

SOURCE = "绿色矿山"
PERMISSION = "ecology:read"
PERIOD_RULE = ("评估结论为“通过”的评分表，按评估日期计入统计期间（流量，含首尾两日）；未通过或"
               "无结论的评分表不计；地区按评分表登记的矿山所在区县，已撤销区划代码计入现承继区县")
DEDUP = "同一矿山在期间内多次评估通过的只计一次，取其最后登记的通过评分表的数据"


FIGURES = common.FigureSource(service.green_figures, service.green_records,
                              service.green_features)


GREEN_MINES = Indicator(
    id="eco_green_mines", name="建成绿色矿山", name_en="Green mines built", unit="家",
    kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=215, flow=True,
    numerator="按绿色矿山评价指标评估通过的矿山", period_rule=PERIOD_RULE, dedup=DEDUP,
    compute=FIGURES.compute(1), records=FIGURES.records, features=FIGURES.features,
    article="完成了14家大中型矿山的“绿色矿山”建设任务", article_value=Decimal(14))

GREEN_MINE_INVESTMENT = Indicator(
    id="eco_green_mine_investment", name="绿色矿山建设投入", name_en="Green-mine investment",
    unit="元", kind=Kind.AMOUNT, domain=SOURCE, permission=PERMISSION, order=216, flow=True,
    numerator="上述矿山通过评分表登记的绿色矿山建设投入之和", period_rule=PERIOD_RULE,
    dedup=DEDUP, compute=FIGURES.compute(2), records=FIGURES.records, features=FIGURES.features,
    article="累计投入8000余万元", article_value=Decimal(80_000_000))

INDICATORS = [GREEN_MINES, GREEN_MINE_INVESTMENT]
