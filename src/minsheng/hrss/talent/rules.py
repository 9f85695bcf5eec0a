"""The rules of talent records: skill levels, title levels, what a certificate number and
an occupation code look like, which dates a record may carry.

Sources:
- 《国家职业技能标准编制技术规程（2018年版）》 and 人社部发〔2019〕117号 / 人社厅发〔2020〕104号
  (职业技能等级认定): five levels — 五级/初级工, 四级/中级工, 三级/高级工, 二级/技师,
  一级/高级技师. Level 1 is the highest.
- 《中华人民共和国职业分类大典（2015年版，2022年版）》: an occupation is coded
  ``大类-中类-小类-细类``, e.g. ``6-18-01-01``; the first digit is the major group 1–8.
- 《关于深化职称制度改革的意见》（中办发〔2016〕77号）: titles are 初级、中级、高级, the
  senior one divided into 副高级 and 正高级, within a series (工程、卫生、教育 …).
- 全国技能大赛 (人社部): 金牌、银牌、铜牌、优胜奖.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum


class SkillLevel(IntEnum):
    """职业技能等级: 1 is the highest."""

    SENIOR_TECHNICIAN = 1   # 一级/高级技师
    TECHNICIAN = 2          # 二级/技师
    SENIOR_WORKER = 3       # 三级/高级工
    INTERMEDIATE_WORKER = 4  # 四级/中级工
    JUNIOR_WORKER = 5       # 五级/初级工


SKILL_LEVEL_LABELS: dict[int, str] = {1: "高级技师", 2: "技师", 3: "高级工", 4: "中级工",
                                      5: "初级工"}
#: 高技能人才: 高级工 and above (中办、国办《关于加强新时代高技能人才队伍建设的意见》, 2022).
HIGH_SKILL_LEVELS = (1, 2, 3)


class TitleLevel(StrEnum):
    """职称 levels, lowest first."""

    JUNIOR = "junior"
    INTERMEDIATE = "intermediate"
    DEPUTY_SENIOR = "deputy_senior"
    SENIOR = "senior"


TITLE_LEVEL_LABELS: dict[str, str] = {"junior": "初级", "intermediate": "中级",
                                      "deputy_senior": "副高级", "senior": "正高级"}
#: The rank of a title level: a higher number is a higher title.
TITLE_RANK: dict[str, int] = {"junior": 1, "intermediate": 2, "deputy_senior": 3, "senior": 4}

#: The title series (职称系列) of 中办发〔2016〕77号 this register keeps.
TITLE_SERIES: dict[str, str] = {
    "engineering": "工程", "health": "卫生", "education": "教育", "agriculture": "农业",
    "economics": "经济", "accounting": "会计", "research": "自然科学研究",
    "arts": "艺术", "journalism": "新闻", "law": "律师", "other": "其他",
}

AWARD_LABELS: dict[str, str] = {"gold": "金牌", "silver": "银牌", "bronze": "铜牌",
                                "excellence": "优胜奖", "participant": "参赛"}
STATION_KIND_LABELS: dict[str, str] = {"research": "博士后科研流动站",
                                       "enterprise": "博士后科研工作站"}

_OCCUPATION = re.compile(r"^[1-8]-\d{2}-\d{2}-\d{2}$")
_CERTIFICATE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{5,31}$")


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    message_en: str


def skill_level_label(level: int) -> str:
    """高级技师 … 初级工 for levels 1 … 5."""
    return SKILL_LEVEL_LABELS[SkillLevel(level)]


def is_skill_level(level: object) -> bool:
    """A skill level is a whole number from 1 (高级技师) to 5 (初级工)."""
    return isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= 5


def is_occupation_code(code: str) -> bool:
    """An occupation code of the 职业分类大典: ``d-dd-dd-dd`` with the major group 1–8."""
    return _OCCUPATION.match(code) is not None


def normal_certificate_no(text: str) -> str:
    """A certificate number as stored: trimmed, upper case."""
    return text.strip().upper()


def is_certificate_no(text: str) -> bool:
    """A certificate number: 6 to 32 letters, digits or hyphens, starting with a letter or
    digit (the national certificate query service issues them in this alphabet)."""
    return _CERTIFICATE.match(text) is not None


def highest_skill_level(levels: list[int]) -> int | None:
    """The highest of a person's skill levels (the smallest number), None if none."""
    return min(levels) if levels else None


def highest_title(levels: list[str]) -> str | None:
    """The highest of a person's title levels (正高级 over 副高级 over 中级 over 初级)."""
    return max(levels, key=TITLE_RANK.__getitem__) if levels else None


def record_date_problems(field: str, on: date, today: date, birth_date: date | None
                         ) -> list[Problem]:
    """A certificate, title or introduction is dated on a day that has happened, and not
    before its holder was born."""
    problems = []
    if on > today:
        problems.append(Problem(field, "日期不能晚于今天", "the date is in the future"))
    if birth_date is not None and on < birth_date:
        problems.append(Problem(field, "日期不能早于本人出生日期",
                                "the date is before the holder's birth"))
    return problems


def certificate_problems(level: int, occupation_code: str, certificate_no: str,
                         issued_on: date, today: date, birth_date: date | None
                         ) -> list[Problem]:
    """What is wrong with a skill certificate's fields (level 1–5, an occupation code of
    the 大典, a certificate number, a date that has happened)."""
    problems = []
    if not is_skill_level(level):
        problems.append(Problem("level", "职业技能等级应为1至5级（1级为高级技师，5级为初级工）",
                                "level must be 1 (senior technician) to 5 (junior worker)"))
    if not is_occupation_code(occupation_code):
        problems.append(Problem("occupation_code",
                                "职业编码应为职业分类大典的细类编码，如 6-18-01-01",
                                "occupation_code must look like 6-18-01-01"))
    if not is_certificate_no(certificate_no):
        problems.append(Problem("certificate_no", "证书编号应为6至32位字母、数字或连字符",
                                "certificate_no must be 6-32 letters, digits or hyphens"))
    problems += record_date_problems("issued_on", issued_on, today, birth_date)
    return problems


def postdoc_problems(entered_on: date, left_on: date | None, today: date) -> list[Problem]:
    """进站 has happened; 出站 is not before 进站."""
    problems = []
    if entered_on > today:
        problems.append(Problem("entered_on", "进站日期不能晚于今天",
                                "entered_on is in the future"))
    if left_on is not None and left_on < entered_on:
        problems.append(Problem("left_on", "出站日期不能早于进站日期",
                                "left_on is before entered_on"))
    return problems
