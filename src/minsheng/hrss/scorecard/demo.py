"""Demo plan targets: one for every catalogue indicator in 重庆市 and in 涪陵区, for the
years the article's figure covers (2016–2020 unless it reports one year) and for this
year.

These are demonstration values, marked as such: a rate keeps the article's bound; a count
or an amount is the article's figure scaled to the demo city (the HRSS figures are the
city's, the ecology figures 涪陵区's)."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.scorecard.models import ScorecardTarget
from minsheng.platform.indicators import Indicator, Kind, catalogue

NOTE = "演示目标（依据文章数字，计数类按演示城市规模折算）"
CITY, FULING = "50", "500102"
#: Share of Chongqing's people living in 涪陵区 (about 1.1 of 32 million).
FULING_SHARE = Decimal("0.034")
#: For indicators the article gives no number for: a demonstration bound.
FALLBACK: dict[Kind, Decimal] = {Kind.RATE: Decimal(90), Kind.SETTING: Decimal(1440),
                                 Kind.COUNT: Decimal(1), Kind.AMOUNT: Decimal(1)}


def _ecology(item: Indicator) -> bool:
    return item.permission.startswith("ecology")


def plan(item: Indicator, population_scale: float, year: int
         ) -> list[tuple[str, int, int, Decimal]]:
    """(region, first year, last year, value) of the demo targets of ``item``."""
    article = item.article_value
    if item.kind in (Kind.RATE, Kind.SETTING):
        value = article if article is not None else FALLBACK[item.kind]
        return [(CITY, 2016, 2020, value), (CITY, year, year + 4, value)]
    if article is None:
        return [(region, y, y, FALLBACK[item.kind]) for region in (CITY, FULING)
                for y in (2020, year)]
    # The article's region gets its figure for the years it covers; this year a year's
    # share of it (a flow) or all of it (a stock), scaled to the demo city's size for HRSS
    # figures.
    own, other = (FULING, CITY) if _ecology(item) else (CITY, FULING)
    scale = Decimal(1) if _ecology(item) else Decimal(str(population_scale))
    first, last = item.article_years
    annual = article / (last - first + 1) if item.flow else article
    other_share = 1 / FULING_SHARE if _ecology(item) else FULING_SHARE
    rounding = Decimal(1) if item.kind is Kind.COUNT else Decimal("0.01")
    this_year = (annual * scale).quantize(rounding, ROUND_HALF_UP)
    return [(own, first, last, article), (own, year, year, this_year),
            (other, first, last, (article * other_share).quantize(rounding, ROUND_HALF_UP)),
            (other, year, year, (this_year * other_share).quantize(rounding, ROUND_HALF_UP))]


def seed_demo_targets(session: Session, population_scale: float) -> int:
    """Add the demo targets that are not there yet; returns how many were added."""
    known = set(session.execute(select(ScorecardTarget.indicator_id, ScorecardTarget.region,
                                       ScorecardTarget.first_year)).tuples())
    added = 0
    for item in catalogue():
        for region, first, last, value in plan(item, population_scale, date.today().year):
            if (item.id, region, first) in known:
                continue
            session.add(ScorecardTarget(
                indicator_id=item.id, region=region, first_year=first, last_year=last,
                direction=item.direction.value, value=value, note=NOTE, set_by="演示数据"))
            added += 1
    session.flush()
    return added
