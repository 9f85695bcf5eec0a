"""What the mine registry feeds to the scorecard (民生答卷): the closures of non-coal mines
in ecologically sensitive zones and their investment (seed-figures.md, Ecology; the
Fuling report: “投入资金2.9亿元，关闭了生态敏感区18家非煤矿山”).

The figures are :func:`service.closure_figures`, the statement the ecology summary page
reads too, so the page and the scorecard cannot disagree.
"""

from __future__ import annotations

from decimal import Decimal

from minsheng.ecology.kernel import common
from minsheng.ecology.mines import service
from minsheng.platform.indicators import (
    Indicator,
    Kind,
)

SOURCE = "矿山"
PERMISSION = "ecology:read"
PERIOD_RULE = ("关闭日期（关闭记录的关闭日期）在统计期间内（流量，含首尾两日）；"
               "地区按矿山所在区县，已撤销区划代码计入现承继区县")
DEDUP = "每座矿山只能登记一次关闭，按矿山计一次"


FIGURES = common.FigureSource(service.closure_figures, service.closure_records,
                              service.closure_features)


CLOSED_MINES = Indicator(
    id="eco_closed_mines", name="关闭生态敏感区非煤矿山", name_en="Mines closed in sensitive zones",
    unit="家", kind=Kind.COUNT, domain=SOURCE, permission=PERMISSION, order=200, flow=True,
    numerator="因位于生态保护红线内或生态敏感区而关闭的矿山（关闭记录；关闭原因为“其他”的不计）",
    period_rule=PERIOD_RULE, dedup=DEDUP, compute=FIGURES.compute(1),
    records=FIGURES.records, features=FIGURES.features,
    article="投入资金2.9亿元，关闭了生态敏感区18家非煤矿山",
    article_value=Decimal(18))

CLOSURE_INVESTMENT = Indicator(
    id="eco_closure_investment", name="关闭矿山投入资金", name_en="Investment in mine closures",
    unit="元", kind=Kind.AMOUNT, domain=SOURCE, permission=PERMISSION, order=201, flow=True,
    numerator="上述关闭记录登记的投入资金（关闭补偿、设备拆除、安全处置等）之和",
    period_rule=PERIOD_RULE, dedup=DEDUP, compute=FIGURES.compute(2),
    records=FIGURES.records, features=FIGURES.features, article="投入资金2.9亿元",
    article_value=Decimal(290_000_000))

INDICATORS = [CLOSED_MINES, CLOSURE_INVESTMENT]
