"""The national green-mine indicator sets as data, loaded by ``ensure_standard_sets``.

What is confirmed (``reference/ecology-and-performance.md`` §1.1) and what is not:

- **2020** (MNR letter of 2020-06-01): 6 first-level indicators, scored out of 1,000,
  pass line 800, each first-level score ≥ 75 % of its maximum, five preconditions — all
  confirmed. 矿区环境 and 资源开发方式 carry 220 points each (one secondary source).
  The points of the other four categories and the item list below are **placeholders**
  (the official table has 24 second-level and 100 third-level items): load the
  official table as a new version before using the set for real assessments.
- **2024** (《国家级绿色矿山建设评价指标》): 6 first-level indicators incl. green/low-carbon
  and ecological restoration, 23 second-level, 49 items, scored out of 100 — confirmed;
  the category points, the items and a pass line are **not** confirmed, so the set has
  no pass line (scores are recorded without a verdict).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

PRECONDITIONS_2020 = [
    {"code": "P1", "text": "营业执照、采矿许可证、安全生产许可证等证照合法有效"},
    {"code": "P2", "text": "近3年未受自然资源、生态环境等部门行政处罚（或已整改到位），"
                           "未发生重大生产安全事故"},
    {"code": "P3", "text": "未被列入企业信息公示系统经营异常名录或严重违法失信名单"},
    {"code": "P4", "text": "矿山正常生产，保有资源储量可供开采不少于3年"},
    {"code": "P5", "text": "矿区范围与自然保护地不重叠"},
]


def _category(code: str, name: str, items: list[tuple[str, int]]) -> dict[str, Any]:
    return {"code": code, "name": name, "max_score": Decimal(sum(p for _, p in items)),
            "items": [{"code": f"{code}{n}", "name": item, "max_score": Decimal(points)}
                      for n, (item, points) in enumerate(items, start=1)]}


NATIONAL_2020: dict[str, Any] = {
    "code": "MNR-2020",
    "name": "绿色矿山评价指标（自然资源部，2020）",
    "max_score": Decimal(1000),
    "pass_score": Decimal(800),
    "category_floor_percent": Decimal(75),
    "effective_from": date(2020, 6, 1),
    "source": "自然资源部矿产资源保护监督司2020年6月1日函《绿色矿山评价指标》《绿色矿山遴选第三方"
              "评估工作要求》（引国土资规〔2017〕4号、自然资办函〔2020〕839号）：总分1000分、"
              "800分合格线、一级指标得分原则上不低于该项满分的75%、五项前置条件（已核实）；"
              "矿区环境、资源开发方式各220分（二手资料）；其余一级指标分值与二级指标分项为示意，"
              "未核实，正式评审前请按官方评分表导入新版本。",
    "preconditions": PRECONDITIONS_2020,
    "categories": [
        _category("A", "矿区环境", [("矿容矿貌", 110), ("矿区绿化", 110)]),
        _category("B", "资源开发方式", [("资源开采", 60), ("资源加工", 40),
                                   ("矿山环境恢复治理与土地复垦", 80), ("矿区生态环境保护", 40)]),
        _category("C", "资源综合利用", [("共伴生资源综合利用", 50),
                                   ("固体废弃物处置与综合利用", 60), ("废水处置与综合利用", 50)]),
        _category("D", "节能减排", [("节能降耗", 60), ("废气与粉尘排放", 40),
                                 ("噪声与振动控制", 40)]),
        _category("E", "科技创新与智能矿山", [("科技创新", 70), ("智能矿山", 70)]),
        _category("F", "企业管理与企业形象", [("绿色矿山管理体系", 40), ("企业文化", 30),
                                      ("企业诚信", 25), ("企业形象与社区和谐", 25)]),
    ],
}

NATIONAL_2024: dict[str, Any] = {
    "code": "MNR-2024",
    "name": "国家级绿色矿山建设评价指标（2024）",
    "max_score": Decimal(100),
    "pass_score": None,
    "category_floor_percent": None,
    "effective_from": date(2024, 1, 1),
    "source": "自然资源部、生态环境部等七部门《关于进一步加强绿色矿山建设的通知》附《国家级绿色矿山"
              "建设评价指标》：前置条件、6项一级指标（含绿色低碳、生态修复）、23项二级指标、"
              "49项、总分100分（已核实）；一级指标分值、分项与合格线未核实，暂不设合格线。",
    "preconditions": PRECONDITIONS_2020,
    "categories": [
        _category("A", "矿区环境", [("矿容矿貌", 8), ("矿区绿化美化", 7)]),
        _category("B", "资源开发", [("绿色开采", 10), ("资源高效利用", 10)]),
        _category("C", "综合利用", [("共伴生资源利用", 7), ("固废与废水利用", 8)]),
        _category("D", "绿色低碳", [("节能降碳", 8), ("污染防治", 7)]),
        _category("E", "生态修复", [("边开采边修复", 10), ("修复成效", 10)]),
        _category("F", "科技与管理", [("科技创新与智能化", 8), ("企业管理与社区和谐", 7)]),
    ],
}

STANDARD_SETS = (NATIONAL_2020, NATIONAL_2024)
