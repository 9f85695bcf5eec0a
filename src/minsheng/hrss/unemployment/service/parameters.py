"""Regional parameters as data (benefit amount, duration ladder) and the public estimate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from minsheng.hrss.unemployment import rules
from minsheng.hrss.unemployment.models import (
    UnemploymentBenefitRate,
    UnemploymentDurationStep,
)
from minsheng.platform import regions, rulebook
from minsheng.platform.config import get_settings
from minsheng.platform.errors import invalid_field
from minsheng.platform.months import month_of


def benefit_rate(session: Session, region: str, month: int) -> UnemploymentBenefitRate | None:
    """The monthly benefit in force for ``region`` in ``month`` (the rulebook's most
    specific rate)."""
    return rulebook.one_in_force(session, UnemploymentBenefitRate, region, month)


def duration_ladder(session: Session, region: str, month: int) -> list[rules.LadderStep]:
    """The region's month ladder in force in ``month`` (empty: the statutory bands)."""
    return _as_ladder(rulebook.in_force(session, UnemploymentDurationStep, region, month))


def _as_ladder(rows: list[UnemploymentDurationStep]) -> list[rules.LadderStep]:
    return sorted((rules.LadderStep(r.min_months, r.max_months, r.months) for r in rows),
                  key=lambda s: s.min_months)


@dataclass(frozen=True)
class Estimate:
    entitlement: rules.Entitlement
    region: str
    month: int
    rate: UnemploymentBenefitRate
    ladder_region: str | None


def _check_region(region: str) -> str:
    region = region.strip()
    if not (region.isdigit() and len(region) in (2, 4, 6)) or not (
            regions.name_of(region.ljust(6, "0")) or regions.name_of(region)):
        raise invalid_field("region", "区划代码无效（GB/T 2260，2、4 或 6 位）",
                            "unknown region code (GB/T 2260, 2, 4 or 6 digits)")
    return region


def estimate(session: Session, *, contribution_months: int, region: str,
             on: date | None = None, unused_months: int = 0) -> Estimate:
    """失业保险金测算: entitlement months for the contribution months (statutory band,
    or the region's ladder within it) and the region's monthly amount in force."""
    region = _check_region(region)
    if contribution_months < 0 or contribution_months > 1200:
        raise invalid_field("contribution_months", "缴费月数应在 0–1200 之间",
                            "contribution months must be 0-1200")
    month = month_of(on or date.today())
    rate = benefit_rate(session, region, month)
    if rate is None:
        raise invalid_field("region", "该地区尚未设置失业保险金标准",
                            "no benefit amount is set for this region")
    ladder_rows = rulebook.in_force(session, UnemploymentDurationStep, region, month)
    ladder = _as_ladder(ladder_rows)
    settings = get_settings()
    result = rules.entitlement(
        contribution_months, ladder=ladder, unused_months=unused_months,
        carry_over_without_new_year=settings.unemployment_carry_over_without_new_year)
    ladder_region = ladder_rows[0].region_prefix if ladder_rows else None
    return Estimate(result, region, month, rate, ladder_region)
