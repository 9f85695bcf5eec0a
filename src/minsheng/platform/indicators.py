"""The indicator catalogue behind the scorecard (民生答卷).

Each domain declares what it measures next to its own code (``<domain>/indicators.py``,
listed in its ``domain.py`` as ``indicators=[...]``); the app registers them here and the
scorecard domain computes, compares with targets and drills down without importing any
domain. An indicator is a definition (numerator, denominator, period semantics,
de-duplication rule) and one set-based function that answers a :class:`Cut` — a region
prefix, a period and whether to group by district — with :class:`Figure` s.

Region: any GB/T 2260 prefix; a record under an abolished code counts under the code
that stands for its area today (``regions.within_sql`` / ``rollup_sql``).
Period: a month (``2020-03``), a quarter (``2020Q1``), a year (``2020``) or a span of years
(``2016-2020``, 十三五).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, literal
from sqlalchemy.orm import Session

from minsheng.platform import regions
from minsheng.platform.errors import invalid_field

#: The earliest and latest year a scorecard period may name.
FIRST_YEAR, LAST_YEAR = 1990, 2100

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-?(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_SPAN = re.compile(r"^(\d{4})\s*[-–—~]\s*(\d{4})$")


@dataclass(frozen=True)
class Period:
    """A closed range of days with the text it was written as."""

    start: date
    end: date
    text: str

    @property
    def label(self) -> str:
        """The period in Chinese (``2016—2020年``, ``2020年第1季度``, ``2020年3月``)."""
        if self.start.year != self.end.year:
            return f"{self.start.year}—{self.end.year}年"
        if self.start.month == 1 and self.end.month == 12:
            return f"{self.start.year}年"
        if self.start.month == self.end.month:
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"

    def years(self) -> list[Period]:
        """Each calendar year the period touches, clipped to the period (the trend)."""
        return [Period(max(self.start, date(y, 1, 1)), min(self.end, date(y, 12, 31)), str(y))
                for y in range(self.start.year, self.end.year + 1)]

    @property
    def first_month(self) -> int:
        return self.start.year * 100 + self.start.month

    @property
    def last_month(self) -> int:
        return self.end.year * 100 + self.end.month


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str, field: str = "period") -> Period:
    """``2020-03`` (month), ``2020Q1`` (quarter), ``2020`` (year) or ``2016-2020`` (years);
    anything else, or a year outside 1990–2100, is a ``RuleViolation`` naming ``field``."""
    value = text.strip()
    start: date | None = None
    end: date | None = None
    try:
        if m := _YEAR.match(value):
            start, end = date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
        elif m := _QUARTER.match(value):
            year, quarter = int(m[1]), int(m[2])
            start, end = date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        elif m := _SPAN.match(value):
            if int(m[2]) >= int(m[1]):
                start, end = date(int(m[1]), 1, 1), date(int(m[2]), 12, 31)
        elif (m := _MONTH.match(value)) and 1 <= int(m[2]) <= 12:
            start, end = date(int(m[1]), int(m[2]), 1), _month_end(int(m[1]), int(m[2]))
    except ValueError:
        start = None
    if start is None or end is None or not FIRST_YEAR <= start.year <= end.year <= LAST_YEAR:
        raise invalid_field(
            field, "统计期间应写作年（2020）、季度（2020Q1）、月（2020-03）或年度区间"
                   "（2016-2020），年份在1990—2100之间",
            "a period is a year (2020), a quarter (2020Q1), a month (2020-03) or a span of "
            "years (2016-2020), between 1990 and 2100")
    return Period(start, end, value)


@dataclass(frozen=True)
class Cut:
    """What to compute: a region (GB/T 2260 prefix, "" for everything), a period, and
    whether to answer per district (as divided today) or as one total."""

    region: str
    period: Period
    by_district: bool = False

    def within(self, column: Any) -> ColumnElement[bool]:
        """SQL: the record's region lies in the cut's region (abolished codes rolled up)."""
        return regions.within_sql(column, self.region)

    def key(self, column: Any) -> ColumnElement[Any]:
        """SQL for the ``GROUP BY`` key: the district as divided today, or '' for the
        total."""
        return regions.rollup_sql(column) if self.by_district else literal("")


@dataclass(frozen=True)
class Figure:
    """A numerator and, for a rate, its denominator."""

    numerator: Decimal
    denominator: Decimal | None = None

    def __add__(self, other: Figure) -> Figure:
        denominator = (None if self.denominator is None or other.denominator is None
                       else self.denominator + other.denominator)
        return Figure(self.numerator + other.numerator, denominator)


class Kind(StrEnum):
    """How an indicator's value is formed from its figure."""

    COUNT = "count"        # the numerator, a whole number
    AMOUNT = "amount"      # the numerator, yuan or an area, two decimals
    RATE = "rate"          # numerator ÷ denominator, in per cent
    SETTING = "setting"    # a published parameter in force at the period's end


class Direction(StrEnum):
    """How a target reads: the value should be at least, or at most, the target."""

    AT_LEAST = ">="
    AT_MOST = "<="


#: Computes a cut: ``{"": Figure}`` for a total, ``{district: Figure}`` by district.
Compute = Callable[[Session, Cut], Mapping[str, Figure]]
#: The records behind a figure: a selection whose columns are labelled ``record``
#: (a business number or id), ``name``, ``resident_id`` (or NULL), ``region``, ``day``
#: and ``detail``; the scorecard masks, pages and audits it.
RecordSelect = Select[*tuple[Any, ...]]
Records = Callable[[Cut], RecordSelect]
#: The places behind a figure: GeoJSON features (lon/lat polygons) of the records in the
#: cut, each with ``properties`` ``{id, layer, name, detail, href, region, area_ha}`` —
#: ``id`` unique across indicators for the same site (the scorecard de-duplicates by it),
#: ``layer`` a colour key of ``static/js/map.js``, ``href`` the record's page. One select of
#: the same rows as the figure, built from the same where-clause.
Features = Callable[[Session, Cut], list[dict[str, Any]]]


@dataclass(frozen=True)
class Indicator:
    """One figure of the scorecard and its definition."""

    id: str
    name: str
    name_en: str
    unit: str
    kind: Kind
    #: The source domain as users name it (就业服务, 参保缴费, 生态修复).
    domain: str
    #: The permission that reads the source records (``employment:read``,
    #: ``ecology:read``): the scorecard shows an indicator only to those who hold it.
    permission: str
    numerator: str
    period_rule: str
    compute: Compute
    denominator: str | None = None
    dedup: str = "—"
    levels: tuple[str, ...] = ("市", "区县")
    #: The article's figure, as the article writes it, and as a number where it is one.
    article: str | None = None
    article_value: Decimal | None = None
    #: The years the article's figure covers (十三五 unless it reports a single year).
    article_years: tuple[int, int] = (2016, 2020)
    records: Records | None = None
    #: Where the records lie, for the scorecard's map (分布图); None when they have no
    #: geometry (:data:`Features`).
    features: Features | None = None
    direction: Direction = Direction.AT_LEAST
    #: A flow sums what happened in the period (new employment, refunds paid); its plan
    #: target is the total of the plan's span. A stock or rate is read at the period's end.
    flow: bool = False
    #: The order on the scorecard (the article's order).
    order: int = 100

    def value(self, figure: Figure | None) -> Decimal | None:
        """The indicator's value: the count or amount, or the rate in per cent (two
        decimals, rounded half up — 四舍五入, as the domains' own summaries round; None
        when the denominator is zero)."""
        if figure is None:
            return Decimal(0) if self.kind in (Kind.COUNT, Kind.AMOUNT) else None
        if self.kind is Kind.RATE:
            if not figure.denominator:
                return None
            return (figure.numerator * 100 / figure.denominator).quantize(Decimal("0.01"),
                                                                          ROUND_HALF_UP)
        if self.kind is Kind.COUNT:
            return figure.numerator.quantize(Decimal(1))
        return figure.numerator.quantize(Decimal("0.01"), ROUND_HALF_UP)


_catalogue: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    """Add indicators to the catalogue (each id once)."""
    for indicator in indicators:
        known = _catalogue.get(indicator.id)
        if known is not None and known is not indicator:
            raise RuntimeError(f"two indicators share the id {indicator.id!r}")
        _catalogue[indicator.id] = indicator


def unregister(indicator_id: str) -> None:
    """Take an indicator out of the catalogue (tests that declare their own)."""
    _catalogue.pop(indicator_id, None)


def catalogue() -> list[Indicator]:
    """Every registered indicator in the scorecard's order."""
    return sorted(_catalogue.values(), key=lambda i: (i.order, i.id))


def get(indicator_id: str) -> Indicator | None:
    return _catalogue.get(indicator_id)


def figures(rows: Sequence[Any]) -> dict[str, Figure]:
    """``{key: Figure}`` from result rows ``(key, numerator[, denominator])``."""
    result: dict[str, Figure] = {}
    for row in rows:
        numerator = Decimal(row[1] or 0)
        denominator = Decimal(row[2] or 0) if len(row) > 2 else None
        result[row[0] or ""] = Figure(numerator, denominator)
    return result
