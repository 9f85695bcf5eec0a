"""Regional parameters as data (benefit amount and its bounds, statutory bands and the
regional ladder, what the fund pays) and the public estimate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, literal, literal_column, select, union_all
from sqlalchemy.orm import Session

from minsheng.hrss.unemployment import rules
from minsheng.hrss.unemployment.models import (
    MinimumWage,
    SubsistenceAllowance,
    UnemploymentBenefitRate,
    UnemploymentDurationStep,
)
from minsheng.platform import regions, rulebook
from minsheng.platform.config import get_settings
from minsheng.platform.errors import Conflict, RuleViolation, invalid_field
from minsheng.platform.indicators import Cut
from minsheng.platform.months import month_of, parse_month
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal

#: The statutory bands are the national rows (prefix "") of the duration table.
NATIONAL = ""


def benefit_rate(session: Session, region: str, month: int) -> UnemploymentBenefitRate | None:
    """The monthly benefit in force for ``region`` in ``month`` (the rulebook's most
    specific rate)."""
    return rulebook.one_in_force(session, UnemploymentBenefitRate, region, month)


def statutory_bands(session: Session, month: int) -> list[rules.LadderStep]:
    """The statutory bands in force in ``month`` (社会保险法 art. 46: the national rows of
    ``unemployment_duration_step``); a database without them is misconfigured."""
    rows = rulebook.in_force(session, UnemploymentDurationStep, NATIONAL, month,
                             UnemploymentDurationStep.region_prefix == NATIONAL)
    if not rows:
        raise RuleViolation("未设置失业保险金法定领取期限", "No statutory duration bands in force")
    return _as_ladder(rows)


def duration_ladder(session: Session, region: str, month: int) -> list[rules.LadderStep]:
    """The region's month ladder in force in ``month`` (empty: the statutory bands)."""
    return _as_ladder(rulebook.in_force(session, UnemploymentDurationStep, region, month,
                                        UnemploymentDurationStep.region_prefix != NATIONAL))


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
    ladder_rows = rulebook.in_force(session, UnemploymentDurationStep, region, month,
                                    UnemploymentDurationStep.region_prefix != NATIONAL)
    ladder = _as_ladder(ladder_rows)
    settings = get_settings()
    result = rules.entitlement(
        contribution_months, bands=statutory_bands(session, month), ladder=ladder,
        unused_months=unused_months,
        carry_over_without_new_year=settings.unemployment_carry_over_without_new_year)
    ladder_region = ladder_rows[0].region_prefix if ladder_rows else None
    return Estimate(result, region, month, rate, ladder_region)


# --- the bounds of the benefit amount ------------------------------------------------


@dataclass(frozen=True)
class BenefitBounds:
    """The bounds of a region's benefit amount in a month: the urban minimum living
    allowance (社会保险法 art. 47) and the minimum wage of the region's lowest class
    (条例 art. 18: a benefit set for the region must be below it everywhere it applies).
    ``None`` where nothing is on record."""

    subsistence: SubsistenceAllowance | None
    minimum_wage: MinimumWage | None

    def problems(self, amount: Decimal) -> list[tuple[str, str, str]]:
        return rules.benefit_bound_problems(
            amount, subsistence=self.subsistence.monthly_amount if self.subsistence else None,
            minimum_wage=self.minimum_wage.monthly_amount if self.minimum_wage else None)


def benefit_bounds(session: Session, region: str, month: int) -> BenefitBounds:
    """The subsistence allowance and lowest minimum wage in force for ``region``."""
    wages = rulebook.in_force(session, MinimumWage, region, month)
    return BenefitBounds(rulebook.one_in_force(session, SubsistenceAllowance, region, month),
                         min(wages, key=lambda w: w.monthly_amount, default=None))


@dataclass(frozen=True)
class RateCheck:
    """A benefit amount in force and where it stands against its bounds."""

    rate: UnemploymentBenefitRate
    bounds: BenefitBounds
    problems: list[tuple[str, str, str]]

    @property
    def unchecked(self) -> list[str]:
        """The bounds with no figure on record (名称)."""
        return [name for name, row in (("城市居民最低生活保障标准", self.bounds.subsistence),
                                       ("最低工资标准", self.bounds.minimum_wage))
                if row is None]


def benefit_rate_checks(session: Session, month: int) -> list[RateCheck]:
    """Every benefit amount in force in ``month`` checked against the bounds in force
    then: the rows configured before the bounds were kept are flagged, not changed."""
    rates = session.scalars(select(UnemploymentBenefitRate).where(
        UnemploymentBenefitRate.valid_from <= month,
        (UnemploymentBenefitRate.valid_to.is_(None)) | (UnemploymentBenefitRate.valid_to >= month)
    ).order_by(UnemploymentBenefitRate.region_prefix, UnemploymentBenefitRate.valid_from))
    latest: dict[str, UnemploymentBenefitRate] = {}
    for rate in rates:
        latest[rate.region_prefix] = rate  # the latest start per prefix is the one in force
    checks = []
    for prefix, rate in sorted(latest.items()):
        bounds = benefit_bounds(session, prefix, month)
        checks.append(RateCheck(rate, bounds, bounds.problems(rate.monthly_amount)))
    return checks


def publish_benefit_rate(session: Session, actor: Principal, *, region_prefix: str,
                         valid_from: str, monthly_amount: Decimal, source: str,
                         source_status: str, valid_to: str = "") -> UnemploymentBenefitRate:
    """Publish a region's benefit amount from a month on. Refused when it is below the
    urban minimum living allowance or not below the minimum wage in force in its first
    month (社会保险法 art. 47; 条例 art. 18), or when a row of the region already covers
    the months."""
    actor.require("unemployment:rules")
    region_prefix = region_prefix.strip()
    if region_prefix and not (region_prefix.isdigit() and len(region_prefix) in (2, 4, 6)):
        raise invalid_field("region_prefix", "区划代码应为 2、4 或 6 位数字",
                            "a region code is 2, 4 or 6 digits")
    start = parse_month(valid_from, "valid_from")
    end = parse_month(valid_to, "valid_to") if valid_to.strip() else None
    if end is not None and end < start:
        raise invalid_field("valid_to", "截止月份不能早于起始月份", "ends before it starts")
    if monthly_amount <= 0:
        raise invalid_field("monthly_amount", "发放标准应大于零", "the amount must be positive")
    if not source.strip():
        raise invalid_field("source", "须注明发布依据", "cite the published source")
    if source_status not in rulebook.SOURCE_STATUS_LABELS:
        raise invalid_field("source_status", "依据核实状态应为 已核实、单一来源 或 未核实",
                            "source status must be confirmed, secondary or unconfirmed")
    problems = benefit_bounds(session, region_prefix, start).problems(monthly_amount)
    if problems:
        raise RuleViolation(
            "失业保险金标准" + "，".join(m for _, m, _ in problems),
            "The benefit amount is " + "; ".join(e for _, _, e in problems),
            errors=[invalid_field("monthly_amount", m, e).errors[0] for _, m, e in problems])
    clash = rulebook.overlapping(session, UnemploymentBenefitRate, region_prefix, start, end)
    if clash is not None:
        raise Conflict("该地区该期间已有失业保险金标准",
                       "A benefit amount already covers this region and period",
                       extra={"rate_id": clash.id})
    rate = UnemploymentBenefitRate(region_prefix=region_prefix, valid_from=start, valid_to=end,
                                   monthly_amount=monthly_amount, source=source.strip(),
                                   source_status=source_status)
    session.add(rate)
    session.flush()
    audit.record(session, actor=actor.username, action="unemployment.rate",
                 subject_type="unemployment_benefit_rate", subject_id=rate.id,
                 payload={"region": region_prefix, "from": start, "to": end,
                          "amount": str(monthly_amount), "status": source_status})
    return rate



def benefit_standard_query(cut: Cut) -> Select[Any]:
    """失业保险金标准 at the period's end: ``(key, monthly amount)`` of the rate in force
    in the end's month for the region itself (the cut's own code: the city's rate for
    ``50`` even where a district publishes its own), or for each district as divided
    today. The lookup is the rulebook's SQL, the one the payroll prices a month with."""
    if cut.by_district:
        codes = [d.code for d in regions.current_counties(cut.region[:2])
                 if d.code.startswith(cut.region)]
    else:
        codes = [cut.region]
    if not codes:
        codes = [cut.region]
    places = union_all(*[select(literal(code).label("code"),
                                literal(code if cut.by_district else "").label("key"))
                         for code in codes]).subquery("place")
    amount: Any = literal_column(rulebook.in_force_sql(
        UnemploymentBenefitRate, "monthly_amount", "place.code", str(cut.period.last_month)))
    return select(places.c.key, amount).select_from(places)
