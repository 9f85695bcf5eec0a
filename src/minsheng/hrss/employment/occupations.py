"""Occupations by GB/T 6565-2015 《职业分类与代码》 (the coding of 《中华人民共和国职业分类大典》
2015): the eight major categories (大类) and a subset of their medium categories (中类),
written ``<major>-<medium>`` (``2-02`` 工程技术人员). The full table is data that can be
extended here without a schema change; codes on records are these strings.

Education levels (学历) are ordered integers so that "at least" is a comparison.
"""

from __future__ import annotations

from typing import Final

MAJOR_CATEGORIES: Final[dict[str, str]] = {
    "1": "党的机关、国家机关、群众团体和社会组织、企事业单位负责人",
    "2": "专业技术人员",
    "3": "办事人员和有关人员",
    "4": "社会生产服务和生活服务人员",
    "5": "农、林、牧、渔业生产及辅助人员",
    "6": "生产制造及有关人员",
    "7": "军人",
    "8": "不便分类的其他从业人员",
}

MEDIUM_CATEGORIES: Final[dict[str, str]] = {
    "1-06": "企事业单位负责人",
    "2-02": "工程技术人员",
    "2-05": "卫生专业技术人员",
    "2-06": "经济和金融专业人员",
    "2-08": "教学人员",
    "3-01": "行政办事及辅助人员",
    "4-01": "批发与零售服务人员",
    "4-02": "交通运输、仓储和邮政业服务人员",
    "4-03": "住宿和餐饮服务人员",
    "4-04": "信息传输、软件和信息技术服务人员",
    "4-07": "租赁和商务服务人员",
    "4-10": "居民服务人员",
    "4-14": "健康服务人员",
    "5-01": "农业生产人员",
    "5-04": "渔业生产人员",
    "6-02": "食品、饮料生产加工人员",
    "6-18": "机械制造基础加工人员",
    "6-22": "汽车制造人员",
    "6-29": "建筑施工人员",
    "6-31": "生产辅助人员",
}

#: 学历: ordered so that a vacancy's requirement is met by any level at or above it.
EDUCATION_LEVELS: Final[dict[int, str]] = {
    1: "初中及以下",
    2: "高中/中专/技校",
    3: "大专",
    4: "本科",
    5: "硕士研究生",
    6: "博士研究生",
}


def is_known(code: str) -> bool:
    return code in MEDIUM_CATEGORIES or code in MAJOR_CATEGORIES


def name_of(code: str) -> str:
    """``2-02`` → ``工程技术人员``; a major code → its name; unknown → the code."""
    return MEDIUM_CATEGORIES.get(code) or MAJOR_CATEGORIES.get(code) or code


def major_of(code: str) -> str:
    """The major category (大类) of a code: ``6-22`` → ``6``."""
    return code.split("-", 1)[0]


def options() -> list[tuple[str, str]]:
    """Medium categories grouped under their major one, for a select box."""
    return [(code, f"{code} {name}") for code, name in MEDIUM_CATEGORIES.items()]


def education_label(level: int | None) -> str:
    return EDUCATION_LEVELS.get(level or 0, "不限")
