"""Request and response shapes of the green-mine API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from minsheng.ecology.kernel.schemas import Yuan
from minsheng.platform.types import Count, Day, Input


class PreconditionIn(Input):
    code: str = Field(min_length=1, max_length=16)
    text: str = Field(min_length=1, max_length=300)


class ItemIn(Input):
    code: str = Field(min_length=1, max_length=16)
    name: str = Field(min_length=1, max_length=200)
    max_score: Decimal = Field(gt=0, max_digits=7, decimal_places=2)


class CategoryIn(Input):
    code: str = Field(min_length=1, max_length=16)
    name: str = Field(min_length=1, max_length=64)
    max_score: Decimal = Field(gt=0, max_digits=7, decimal_places=2)
    items: list[ItemIn] = Field(min_length=1)


class IndicatorSetCreate(Input):
    """A version of the indicators: categories with their items, the pass line, the
    per-category floor (percent of the category maximum) and the preconditions."""

    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=128)
    max_score: Decimal = Field(gt=0, max_digits=7, decimal_places=2)
    pass_score: Decimal | None = Field(default=None, gt=0, max_digits=7, decimal_places=2)
    category_floor_percent: Decimal | None = Field(default=None, gt=0, le=100, max_digits=7,
                                                   decimal_places=4)
    preconditions: list[PreconditionIn] = Field(default_factory=list)
    source: str = Field(default="", max_length=2000)
    effective_from: Day | None = None
    categories: list[CategoryIn] = Field(min_length=1)


class ItemRead(ItemIn):
    id: int


class CategoryRead(BaseModel):
    code: str
    name: str
    max_score: Decimal
    items: list[ItemRead]


class IndicatorSetRead(BaseModel):
    id: int
    code: str
    name: str
    max_score: Decimal
    pass_score: Decimal | None
    category_floor_percent: Decimal | None
    preconditions: list[PreconditionIn]
    source: str
    effective_from: date | None
    categories: list[CategoryRead]


class ScoreIn(Input):
    score: Decimal = Field(ge=0, max_digits=7, decimal_places=2)
    evidence: str = Field(default="", max_length=2000)


class PreconditionAnswer(Input):
    met: bool
    evidence: str = Field(default="", max_length=2000)


class ConstructionMetrics(Input):
    """绿色矿山建设指标: works built for the green mine."""

    industrial_square_m2: Decimal = Field(default=Decimal(0), ge=0, max_digits=16,
                                          decimal_places=2)
    enclosed_workshop_m2: Decimal = Field(default=Decimal(0), ge=0, max_digits=16,
                                          decimal_places=2)
    greening_m2: Decimal = Field(default=Decimal(0), ge=0, max_digits=16, decimal_places=2)
    trees_planted: Count = 0
    roads_hardened_m: Decimal = Field(default=Decimal(0), ge=0, max_digits=12,
                                      decimal_places=2)
    reclaimed_m2: Decimal = Field(default=Decimal(0), ge=0, max_digits=16, decimal_places=2)


class AssessmentCreate(Input):
    set_code: str = Field(max_length=32, description="the indicator set, e.g. MNR-2020")
    assessed_date: Day
    assessor: str = Field(default="", max_length=128)
    preconditions: dict[str, PreconditionAnswer]
    scores: dict[str, ScoreIn] = Field(description="item code → score and evidence")
    investment: Yuan = Decimal("0.00")
    metrics: ConstructionMetrics = Field(default_factory=ConstructionMetrics)


class ReasonRead(BaseModel):
    zh: str
    en: str


class ItemScoreRead(BaseModel):
    code: str
    name: str
    max_score: Decimal
    score: Decimal
    evidence: str


class CategoryScoreRead(BaseModel):
    code: str
    name: str
    max_score: Decimal
    score: Decimal
    floor: Decimal | None
    below_floor: bool
    items: list[ItemScoreRead]


class PreconditionRead(BaseModel):
    code: str
    text: str
    met: bool
    evidence: str


class AssessmentRead(BaseModel):
    id: int
    mine_id: int
    mine_name: str
    region: str
    set_code: str
    set_name: str
    assessed_date: date
    assessor: str
    max_score: Decimal
    pass_score: Decimal | None
    category_floor_percent: Decimal | None
    total_score: Decimal
    passed: bool | None
    reasons: list[ReasonRead]
    preconditions: list[PreconditionRead]
    categories: list[CategoryScoreRead]
    investment: Decimal
    metrics: ConstructionMetrics
