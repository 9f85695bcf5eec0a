"""Demo plan targets: one for every catalogue indicator in 重庆市 and in 涪陵区, for
2016–2020 (and the year the article reports, where it reports one year) and for this
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
    """(region, first year, last year, value) of the demo targets of ``item``: every
    indicator has one for 2016–2020 and one for this year, in both demo regions."""
    article = item.article_value
    if item.kind in (Kind.RATE, Kind.SETTING):
        value = article if article is not None else FALLBACK[item.kind]
        return [(CITY, 2016, 2020, value), (CITY, year, year + 4, value)]
    own, other = (FULING, CITY) if _ecology(item) else (CITY, FULING)
    if article is None:
        annual = FALLBACK[item.kind]
        span = annual * 5 if item.flow else annual
        return [(region, first, last, value) for region in (CITY, FULING)
                for first, last, value in ((2016, 2020, span), (year, year, annual))]
    # The article's region gets its figure for the years it covers and, for 2016–2020,
    # five years at the same pace (a flow) or the figure itself (a stock); this year a
    # year's share (a flow) or all of it (a stock), scaled to the demo city's size for
    # HRSS figures. The other region gets the same in proportion to its size.
    scale = Decimal(1) if _ecology(item) else Decimal(str(population_scale))
    first, last = item.article_years
    annual = article / (last - first + 1) if item.flow else article
    rounding = Decimal(1) if item.kind is Kind.COUNT else Decimal("0.01")
    targets = {(first, last): article, (2016, 2020): annual * 5 if item.flow else article,
               (year, year): annual * scale}
    other_share = 1 / FULING_SHARE if _ecology(item) else FULING_SHARE
    return [(region, span_first, span_last, (value * share).quantize(rounding, ROUND_HALF_UP))
            for region, share in ((own, Decimal(1)), (other, other_share))
            for (span_first, span_last), value in targets.items()]


def seed_demo_targets(session: Session, population_scale: float) -> int:
    """Add the demo targets that are not there yet; returns how many were added."""
    known = set(session.execute(select(ScorecardTarget.indicator_id, ScorecardTarget.region,
                                       ScorecardTarget.first_year)).all())
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
