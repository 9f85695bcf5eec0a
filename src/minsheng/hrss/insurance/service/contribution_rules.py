"""Contribution rules as data: the base limits and rates in force for a region and month."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from minsheng.hrss.insurance.models import (
    ContributionRule,
)
from minsheng.platform import money, rulebook
from minsheng.platform.errors import Conflict, invalid_field
from minsheng.platform.months import parse_month
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal


def rule_for(session: Session, region: str, period: int) -> ContributionRule | None:
    """The rule of the longest region prefix that covers ``region`` in ``period``."""
    return rulebook.one_in_force(session, ContributionRule, region, period)


def rules_in_force(session: Session, period: int) -> Callable[[str], ContributionRule | None]:
    """:func:`rule_for` for many regions of one month: the rules are read once (bulk jobs
    of other domains, e.g. the contributions the unemployment fund pays)."""
    of = rulebook.resolver(session, ContributionRule, period)
    return lambda region: next(iter(of(region)), None)


@dataclass(frozen=True)
class RuleInput:
    region_prefix: str
    valid_from: str
    valid_to: str | None
    average_wage: Decimal
    pension_employer: Decimal
    pension_personal: Decimal
    unemployment_employer: Decimal
    unemployment_personal: Decimal
    work_injury: Sequence[Decimal]
    source: str
    source_status: str = "confirmed"
    flexible_pension: Decimal = Decimal("0.20")
    personal_account: Decimal = Decimal("0.08")
    floor_ratio: Decimal = Decimal("0.6")
    ceiling_ratio: Decimal = Decimal("3")


def add_rule(session: Session, actor: Principal, data: RuleInput) -> ContributionRule:
    """Publish the contribution parameters of a region from a month on."""
    actor.require("insurance:rules")
    if len(data.work_injury) != 8:
        raise invalid_field("work_injury", "工伤保险费率须按8个行业风险类别给出",
                            "give eight work-injury rates, one per risk class")
    start = parse_month(data.valid_from, "valid_from")
    end = parse_month(data.valid_to, "valid_to") if data.valid_to else None
    if not data.source.strip():
        raise invalid_field("source", "须注明发布依据", "cite the published source")
    if data.source_status not in rulebook.SOURCE_STATUS_LABELS:
        raise invalid_field("source_status", "依据核实状态应为 已核实、单一来源 或 未核实",
                            "source status must be confirmed, secondary or unconfirmed")
    overlapping = rulebook.overlapping(session, ContributionRule, data.region_prefix,
                                       start, end)
    if overlapping is not None:
        raise Conflict("该地区该期间已有缴费参数", "A rule already covers this region and period",
                       extra={"rule_id": overlapping.id})
    rule = ContributionRule(
        region_prefix=data.region_prefix, valid_from=start, valid_to=end,
        average_wage=data.average_wage, floor_ppm=money.ppm_of(data.floor_ratio),
        ceiling_ppm=money.ppm_of(data.ceiling_ratio),
        pension_employer_ppm=money.ppm_of(data.pension_employer),
        pension_personal_ppm=money.ppm_of(data.pension_personal),
        unemployment_employer_ppm=money.ppm_of(data.unemployment_employer),
        unemployment_personal_ppm=money.ppm_of(data.unemployment_personal),
        work_injury_ppm=json.dumps([money.ppm_of(r) for r in data.work_injury]),
        flexible_pension_ppm=money.ppm_of(data.flexible_pension),
        account_ppm=money.ppm_of(data.personal_account),
        source=data.source.strip(), source_status=data.source_status)
    session.add(rule)
    session.flush()
    audit.record(session, actor=actor.username, action="contribution_rule.create",
                 subject_type="contribution_rule", subject_id=rule.id,
                 payload={"region": data.region_prefix, "from": start, "to": end,
                          "source": rule.source})
    return rule
