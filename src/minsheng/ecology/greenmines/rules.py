"""Green-mine assessment as pure functions: preconditions first, then the score sheet
against a versioned indicator set.

Sources (``reference/ecology-and-performance.md`` §1.1):

- MNR 矿产资源保护监督司, 《绿色矿山评价指标》 and 《绿色矿山遴选第三方评估工作要求》
  (letter of 2020-06-01, citing 国土资规〔2017〕4号 and 自然资办函〔2020〕839号): six
  first-level indicators, 100 items, scored out of **1,000**; a mine under **800** is
  normally not selected (provinces may move the line without lowering requirements);
  each first-level score should in principle reach **75 %** of the category's maximum.
  Five **preconditions** come before any scoring (valid licences; no penalty or major
  accident in 3 years; not on the abnormal-operation list; operating with ≥ 3 years of
  reserves; no overlap with protected natural areas).
- 《国家级绿色矿山建设评价指标》 (2024, seven departments incl. MNR and MEE): 49 items
  scored out of **100**.

The figures (maximum, pass line, category floor, preconditions, items) are data of the
indicator set, not constants here: "exactly 800" passes (``total >= pass line``), and a
category floor is ``category score >= floor × category maximum`` in exact decimals.
A set without a pass line records scores and gives no verdict (``passed is None``)
unless a precondition or a category floor already fails the mine.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from minsheng.platform.errors import FieldError, RuleViolation

PPM = 1_000_000


@dataclass(frozen=True)
class Item:
    code: str
    category: str
    max_score: Decimal


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    max_score: Decimal


@dataclass(frozen=True)
class IndicatorSetSpec:
    """The parts of an indicator set the verdict depends on."""

    max_score: Decimal
    pass_score: Decimal | None
    category_floor_ppm: int | None
    categories: Sequence[Category]
    items: Sequence[Item]
    preconditions: Sequence[tuple[str, str]] = ()  # (code, text)


@dataclass(frozen=True)
class Reason:
    zh: str
    en: str


@dataclass(frozen=True)
class CategoryResult:
    code: str
    name: str
    score: Decimal
    max_score: Decimal
    floor: Decimal | None
    below_floor: bool


@dataclass(frozen=True)
class Verdict:
    total: Decimal
    passed: bool | None  # None: the set has no pass line and nothing else failed
    reasons: list[Reason] = field(default_factory=list)
    categories: list[CategoryResult] = field(default_factory=list)
    preconditions_met: bool = True


def check_set(spec: IndicatorSetSpec) -> None:
    """An indicator set is consistent: items sum to their category, categories to the
    set's maximum, the pass line within it, every item in a known category."""
    errors: list[FieldError] = []
    codes = {c.code for c in spec.categories}
    if len(codes) != len(spec.categories):
        errors.append(FieldError("categories", "一级指标编码重复", "duplicate category codes"))
    if len({i.code for i in spec.items}) != len(spec.items):
        errors.append(FieldError("items", "指标编码重复", "duplicate item codes"))
    for item in spec.items:
        if item.category not in codes:
            errors.append(FieldError("items", f"指标 {item.code} 的一级指标 {item.category} 不存在",
                                     f"item {item.code}: unknown category {item.category}"))
        if item.max_score <= 0:
            errors.append(FieldError("items", f"指标 {item.code} 的分值应大于0",
                                     f"item {item.code}: points must be positive"))
    for category in spec.categories:
        items_total = sum((i.max_score for i in spec.items if i.category == category.code),
                          Decimal(0))
        if items_total != category.max_score:
            errors.append(FieldError(
                "items", f"一级指标“{category.name}”下各项分值合计 {items_total}，应为 "
                f"{category.max_score}", f"items of {category.code} add up to {items_total}, "
                f"not {category.max_score}"))
    categories_total = sum((c.max_score for c in spec.categories), Decimal(0))
    if categories_total != spec.max_score:
        errors.append(FieldError("categories", f"一级指标分值合计 {categories_total}，应为总分 "
                                 f"{spec.max_score}", f"categories add up to {categories_total}, "
                                 f"not {spec.max_score}"))
    if spec.pass_score is not None and not 0 < spec.pass_score <= spec.max_score:
        errors.append(FieldError("pass_score", "合格线应在0与总分之间",
                                 "the pass line must lie within the maximum"))
    if errors:
        raise RuleViolation("指标体系不一致", "Inconsistent indicator set", errors=errors)


def evaluate(spec: IndicatorSetSpec, preconditions: Mapping[str, bool],
             scores: Mapping[str, Decimal]) -> Verdict:
    """The verdict of a score sheet.

    1. Every precondition of the set must be answered and met; an unmet one fails the
       mine whatever its score (the 2020 letter: preconditions before scoring).
    2. Every item is scored within ``0 … item maximum`` (unscored items count 0).
    3. Pass: ``total >= pass line`` and, where the set has a floor, every category
       ``>= floor × its maximum``.
    """
    errors: list[FieldError] = []
    known = {i.code: i for i in spec.items}
    for code, score in scores.items():
        item = known.get(code)
        if item is None:
            errors.append(FieldError(f"scores.{code}", "本指标体系没有该指标",
                                     "no such item in this indicator set"))
        elif not 0 <= score <= item.max_score:
            errors.append(FieldError(f"scores.{code}", f"得分应在 0～{item.max_score} 之间",
                                     f"the score must lie within 0-{item.max_score}"))
    unanswered = [code for code, _ in spec.preconditions if code not in preconditions]
    for code in unanswered:
        errors.append(FieldError(f"preconditions.{code}", "前置条件未填写是否满足",
                                 "say whether the precondition is met"))
    if errors:
        raise RuleViolation("评分表有误", "Invalid score sheet", errors=errors)

    reasons: list[Reason] = []
    unmet = [(code, text) for code, text in spec.preconditions if not preconditions[code]]
    for code, text in unmet:
        reasons.append(Reason(f"不满足前置条件：{text}", f"precondition {code} not met"))

    categories: list[CategoryResult] = []
    for category in spec.categories:
        score = sum((scores.get(i.code, Decimal(0)) for i in spec.items
                     if i.category == category.code), Decimal(0))
        floor = (category.max_score * spec.category_floor_ppm / PPM
                 if spec.category_floor_ppm is not None else None)
        below = floor is not None and score < floor
        categories.append(CategoryResult(category.code, category.name, score,
                                          category.max_score, floor, below))
        if below and floor is not None:
            reasons.append(Reason(
                f"一级指标“{category.name}”得分 {_points(score)} 低于该项满分 "
                f"{_points(category.max_score)} 的 {_percent(spec.category_floor_ppm)}"
                f"（{_points(floor)} 分）",
                f"category {category.code} scored {_points(score)}, under "
                f"{_percent(spec.category_floor_ppm)} of {_points(category.max_score)} "
                f"({_points(floor)})"))
    total = sum((c.score for c in categories), Decimal(0))
    if spec.pass_score is not None and total < spec.pass_score:
        reasons.append(Reason(f"总分 {_points(total)} 低于合格线 {_points(spec.pass_score)} 分",
                              f"total {_points(total)} is under the pass line "
                              f"{_points(spec.pass_score)}"))
    passed: bool | None = not reasons
    if spec.pass_score is None and not reasons:
        passed = None
        reasons.append(Reason("该指标体系未规定合格分数线，仅记录得分，不作评定",
                              "the indicator set has no pass line: scores only, no verdict"))
    return Verdict(total, passed, reasons, categories, preconditions_met=not unmet)


def _percent(ppm: int | None) -> str:
    return f"{Decimal(ppm or 0) / 10_000:g}%"


def _points(value: Decimal) -> str:
    return f"{value.normalize():f}"
