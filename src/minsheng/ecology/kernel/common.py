"""Helpers the ecology services share: regions and scope, periods, numbers, units.

Ecology records carry no personal data (mines, zones, projects and their enterprise
operators), so reads are not audited; every change is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, select
from sqlalchemy.orm import Session

from minsheng.ecology.kernel import geometry
from minsheng.platform import ids, regions
from minsheng.platform.config import get_settings
from minsheng.platform.errors import Conflict, Forbidden, NotFound, invalid_field
from minsheng.platform.indicators import Compute, Cut, Figure, RecordSelect
from minsheng.platform.security.principal import Principal

CENT = Decimal("0.01")


def not_found(kind_zh: str, kind_en: str, key: object) -> NotFound:
    return NotFound(f"{kind_zh} {key} 不存在", f"{kind_en} {key} not found")


def check_region(code: str, field: str = "region", on: date | None = None) -> str:
    """A county-level GB/T 2260 code of the service area (a district bureau) in force on
    the record's own date ``on`` (default today): a 2024 project keeps 500105 江北区."""
    return regions.validate_region(code.strip(), on, field)


def require_region(actor: Principal, region: str) -> None:
    """A record is created only inside the actor's region scope."""
    if not actor.sees_region(region):
        raise Forbidden(f"地区 {region} 不在您的管辖范围内",
                        f"Region {region} is outside your scope")


def in_scope(actor: Principal, region: str) -> bool:
    return actor.is_staff and actor.sees_region(region)


def check_uscc(value: str | None, field: str) -> str | None:
    """An optional USCC (GB 32100), checked when given."""
    if value is None or not value.strip():
        return None
    return ids.validate_uscc(value, field)


def check_version(current: int, seen: int | None) -> None:
    if seen is not None and seen != current:
        raise Conflict(f"记录已被他人修改（当前版本 {current}），请刷新后重试",
                       f"Record changed by someone else (now version {current}); reload and retry",
                       extra={"current_version": current})


def business_no(session: Session, column: Any, kind: str, region: str) -> str:
    """A number people quote: node code, region, a kind letter pair and a serial
    (``CQ500102DX00001``), so the two provinces' numbers never collide."""
    prefix = f"{get_settings().node_id.upper()}{region}{kind}"
    highest = session.scalar(select(func.max(column)).where(column.startswith(prefix)))
    serial = int(highest[len(prefix):]) + 1 if highest else 1
    return f"{prefix}{serial:05d}"


def yuan(value: Decimal | float | int | None) -> Decimal:
    """An amount as exact yuan with two decimals (SQLite hands sums back as floats)."""
    if value is None:
        return Decimal("0.00")
    if isinstance(value, float):
        value = Decimal(repr(value))
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> Decimal:
    """A decimal without trailing zeros or exponent: 30.0000 → 30, never 3E+1."""
    return Decimal(f"{value.normalize():f}")


def ha_to_m2(hectares: Decimal) -> Decimal:
    """Hectares as m² with two decimals (1 ha = 10 000 m²)."""
    return (hectares * geometry.M2_PER_HA).quantize(CENT, rounding=ROUND_HALF_UP)


def m2_to_ha(value: Decimal | float | None) -> float:
    return round(geometry.ha(float(value or 0)), 4)


@dataclass(frozen=True)
class Period:
    """An inclusive span of dates; either end may be open."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise invalid_field("to", "结束日期不能早于开始日期", "the end is before the start")

    def contains(self, column: Any) -> ColumnElement[bool]:
        """SQL: ``column`` (a date) lies in the period."""
        clauses = []
        if self.start is not None:
            clauses.append(column >= self.start)
        if self.end is not None:
            clauses.append(column <= self.end)
        return and_(literal(True), *clauses)

    def overlaps(self, start: Any, end: Any) -> ColumnElement[bool]:
        """SQL: a span ``[start, end]`` (either may be null = open) meets the period."""
        clauses = []
        if self.end is not None:
            clauses.append((start.is_(None)) | (start <= self.end))
        if self.start is not None:
            clauses.append((end.is_(None)) | (end >= self.start))
        return and_(literal(True), *clauses)

    @property
    def label(self) -> str:
        if self.start is None and self.end is None:
            return "全部年度"
        return f"{self.start or '…'} 至 {self.end or '…'}"


# --- figures shared by the summary page and the scorecard -------------------------------

#: The city whose totals a share is taken of when a region names no province.
CITY = "50"


def period_of(cut: Cut) -> Period:
    """The scorecard cut's period as an ecology period (both ends closed)."""
    return Period(cut.period.start, cut.period.end)


def district_key(column: Any, by_district: bool) -> ColumnElement[Any]:
    """The ``key`` column of a figures query: the district as divided today (a record
    under 500105 江北区 counts under 500157 两江新区), or '' for one total."""
    return (regions.rollup_sql(column) if by_district else literal("")).label("key")


def grouped(stmt: Select[Any], key: ColumnElement[Any], by_district: bool) -> Select[Any]:
    """Group a figures query by district; a total is one aggregate row (zeros when no
    record matches), so the summary and the scorecard read the same statement."""
    return stmt.group_by(key) if by_district else stmt


def figures_at(session: Session, stmt: Select[Any], numerator: int,
               denominator: int | None = None, *, scale: Decimal = Decimal(1)
               ) -> dict[str, Figure]:
    """``{key: Figure}`` from one figures query: the numerator (and denominator) are the
    columns at these positions, divided by ``scale`` (m² → ha: 10 000)."""
    result: dict[str, Figure] = {}
    for row in session.execute(stmt):
        num = exact(row[numerator]) / scale
        den = None if denominator is None else exact(row[denominator]) / scale
        result[row[0] or ""] = Figure(num, den)
    return result


def exact(value: Decimal | float | int | None) -> Decimal:
    """A summed column as an exact decimal (SQLite may hand sums back as floats)."""
    if value is None:
        return Decimal(0)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


@dataclass(frozen=True)
class FigureSource:
    """A sub-domain's figures statement, its records and its sites over a period, bound
    to the scorecard's :class:`Cut` (what each ecology ``indicators.py`` declares)."""

    figures: Callable[[str, Period, bool], Select[Any]]
    records_of: Callable[[str, Period], RecordSelect]
    features_of: Callable[[Session, str, Period], list[dict[str, Any]]]

    def compute(self, numerator: int, *, scale: Decimal = Decimal(1)) -> Compute:
        """The indicator whose numerator is the figures statement's column ``numerator``."""
        def compute(session: Session, cut: Cut) -> dict[str, Figure]:
            return figures_at(session, self.figures(cut.region, period_of(cut),
                                                    cut.by_district), numerator, scale=scale)
        return compute

    def records(self, cut: Cut) -> RecordSelect:
        return self.records_of(cut.region, period_of(cut))

    def features(self, session: Session, cut: Cut) -> list[dict[str, Any]]:
        return self.features_of(session, cut.region, period_of(cut))
