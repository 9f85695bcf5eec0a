"""Request and response shapes of the scorecard. Figures go out as strings
(``"95.12"``), never as floats."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel, Field, model_validator

from minsheng.platform.types import Input, Version, Year, field_error


def figure_text(value: Decimal | None) -> str | None:
    """A figure as the API and ``--json`` write it: ``"95.12"``, never a float."""
    return None if value is None else f"{value:f}"


#: A period in a query: ``2020``, ``2020Q1``, ``2020-03`` or ``2016-2020``.
PeriodQuery = Annotated[str, Query(max_length=16, pattern=r"^[0-9Qq\-–]{0,16}$",
                                   description="统计期间：2020、2020Q1、2020-03 或 2016-2020")]
#: An indicator id in a path.
IndicatorId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")]


class TargetSet(Input):
    """规划目标: an indicator's bound in a region over a span of years."""

    indicator_id: IndicatorId
    region: str = Field(default="", max_length=6, pattern=r"^\d{0,6}$",
                        description="区划代码或前缀，空为本人辖区")
    first_year: Year
    last_year: Year
    direction: Literal[">=", "<="] = ">="
    value: Decimal = Field(ge=0, max_digits=16, decimal_places=2)
    note: str = Field(default="", max_length=200)
    version: Version | None = None

    @model_validator(mode="after")
    def _span(self) -> TargetSet:
        if self.last_year < self.first_year:
            raise field_error("截止年度早于起始年度", "last_year is before first_year")
        return self


class ScorecardRowRead(BaseModel):
    id: str
    name: str
    name_en: str
    value: str | None
    unit: str
    target: str | None
    target_direction: str | None
    standing: str | None
    region: str
    period: str
    source: str
    article: str | None


class DistrictRead(BaseModel):
    region: str
    name: str
    value: str | None
    numerator: str | None
    denominator: str | None


class BreakdownRead(BaseModel):
    id: str
    name: str
    unit: str
    region: str
    period: str
    total: str | None
    districts: list[DistrictRead]


class IndicatorRead(BaseModel):
    id: str
    name: str
    name_en: str
    unit: str
    kind: str
    source: str
    numerator: str
    denominator: str | None
    period_rule: str
    dedup: str
    levels: list[str]
    article: str | None


class TargetRead(BaseModel):
    id: int
    indicator_id: str
    region: str
    first_year: int
    last_year: int
    direction: str
    value: str
    note: str
    set_by: str
    version: int
