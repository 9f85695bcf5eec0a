"""What the unemployment fund pays besides the benefit: the contributions of every benefit
month (basic medical insurance, 社会保险法 art. 48; basic pension insurance for the months
paid until retirement, 2024 decision art. 7), and the one-off grants on a recipient's
death (art. 49)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.registry.service import Person
from minsheng.hrss.unemployment import rules
from minsheng.hrss.unemployment.models import (
    UnemploymentClaim,
    UnemploymentDeathGrant,
    UnemploymentDeathGrantRule,
    UnemploymentFundContribution,
    UnemploymentFundContributionRule,
)
from minsheng.platform import bulk, rulebook
from minsheng.platform.db import flush
from minsheng.platform.money import to_money
from minsheng.platform.months import month_of
from minsheng.platform.paging import Listing, Sort, Sorting, paginate
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter

#: A payment ``u`` of the range and payroll month that still lacks the line of a scheme.
_WANTING = (
    "u.payroll_month = :month AND u.status <> 'cancelled' "
    "AND u.person_id >= :low AND u.person_id < :high "
    "AND ({scheme} = 'medical' OR u.extended) "
    "AND NOT EXISTS (SELECT 1 FROM unemployment_fund_contribution f "
    "WHERE f.person_id = u.person_id AND f.benefit_month = u.benefit_month "
    "AND f.scheme = {scheme})")


def record_fund_contributions(session: Session, month: int, low: int, high: int) -> int:
    """The payroll's contribution lines for the payments it queued in ``month`` (people
    ``low`` ≤ id < ``high``): medical for every benefit month, pension for every month
    paid until retirement, one line per (person, benefit month, scheme) whatever runs.
    Each (district, benefit month, scheme) is priced once — the fund's rule in force then
    and the contribution rule's average wage (insurance's ``rules_in_force``, read once a
    month) — and the lines are written in one statement. A month whose district has no
    rule or average wage on record gets no line; running the same payroll month again once
    they are on record writes it. Returns the lines written."""
    params = {"month": month, "low": low, "high": high}
    pairs = session.execute(text(
        "SELECT DISTINCT u.region, u.benefit_month, s.scheme FROM unemployment_payment u "
        "JOIN (SELECT 'medical' AS scheme UNION ALL SELECT 'pension') s ON "
        + _WANTING.format(scheme="s.scheme")), params).all()
    priced = []
    for period in sorted({period for _, period, _ in pairs}):
        wage_of = insurance.rules_in_force(session, period)
        rule_of = {scheme: rulebook.resolver(session, UnemploymentFundContributionRule, period,
                                             UnemploymentFundContributionRule.scheme == scheme)
                   for scheme in rules.FUND_SCHEMES}
        for region, _, scheme in (pair for pair in pairs if pair[1] == period):
            wage, found = wage_of(region), rule_of[scheme](region)
            if wage is None or not found:
                continue
            rule = found[0]
            line = rules.fund_contribution(wage.average_wage, rule.base_ppm, rule.rate_ppm)
            priced.append((region, period, scheme, line.base, line.amount, rule.id))
    if not priced:
        return 0
    bulk.create_temp_table(session, "fund_prices",
                           "region VARCHAR(6), period INTEGER, scheme VARCHAR(8), "
                           "base NUMERIC(14, 2), amount NUMERIC(14, 2), rule_id INTEGER, "
                           "PRIMARY KEY (region, period, scheme)")
    bulk.load_rows(session, "fund_prices",
                   ("region", "period", "scheme", "base", "amount", "rule_id"), priced)
    # Set-based across the unemployment payments and the priced table; the average wage
    # came from the insurance domain's published rule lookup above.
    written = bulk.insert_staged(
        session, "unemployment_fund_contribution",
        ("person_id", "claim_id", "benefit_month", "payroll_month", "scheme", "region", "base",
         "amount", "status", "rule_id"),
        "SELECT u.person_id, u.claim_id, u.benefit_month, u.payroll_month, r.scheme, u.region, "
        "r.base, r.amount, 'recorded' AS status, r.rule_id FROM unemployment_payment u "
        "JOIN fund_prices r ON r.region = u.region AND r.period = u.benefit_month WHERE "
        + _WANTING.format(scheme="r.scheme"), params, "person_id, benefit_month, scheme")
    bulk.drop_temp_table(session, "fund_prices")
    if written:
        bulk.analyze(session, "unemployment_fund_contribution")
    return written


def cancel_fund_contributions(session: Session, claim_id: int) -> None:
    """The lines of a claim's cancelled payments are cancelled with them (a stop, a
    suspension, a death)."""
    session.execute(text(
        "UPDATE unemployment_fund_contribution SET status = 'cancelled' "
        "WHERE claim_id = :claim AND status = 'recorded' AND EXISTS (SELECT 1 FROM "
        "unemployment_payment u WHERE u.person_id = unemployment_fund_contribution.person_id "
        "AND u.benefit_month = unemployment_fund_contribution.benefit_month "
        "AND u.status = 'cancelled')"), {"claim": claim_id})


@dataclass(frozen=True)
class FundTotal:
    scheme: str
    label: str
    person_months: int
    amount: Decimal


def fund_totals(session: Session, actor: Principal, month: int) -> list[FundTotal]:
    """The contributions the fund paid with ``month``'s payroll in the actor's region, by
    scheme (person-months and amount)."""
    actor.require("unemployment:read")
    rows = dict((scheme, (count, amount)) for scheme, count, amount in session.execute(
        select(UnemploymentFundContribution.scheme, func.count(),
               func.sum(UnemploymentFundContribution.amount))
        .where(UnemploymentFundContribution.payroll_month == month,
               UnemploymentFundContribution.status == "recorded",
               region_filter(UnemploymentFundContribution.region, actor))
        .group_by(UnemploymentFundContribution.scheme)).all())
    return [FundTotal(scheme, label, int(rows.get(scheme, (0, 0))[0]),
                      to_money(rows.get(scheme, (0, 0))[1]))
            for scheme, label in rules.FUND_SCHEMES.items()]


def latest_fund_month(session: Session, actor: Principal) -> int | None:
    """The latest payroll month with contribution lines in the actor's region."""
    actor.require("unemployment:read")
    return session.scalar(select(func.max(UnemploymentFundContribution.payroll_month))
                          .where(region_filter(UnemploymentFundContribution.region, actor)))


# --- death during the benefit period ---------------------------------------------------


def grant_on_death(session: Session, actor: Principal, claim: UnemploymentClaim,
                   death_date: date) -> UnemploymentDeathGrant | None:
    """丧葬补助金和抚恤金 for the survivors of a person who died while receiving benefit
    (社会保险法 art. 49; 条例 art. 20): a claim being paid (active or suspended) whose
    start month is not after the month of death. Amounts from the region's rule in force
    in the month of death; without one the grant is recorded ``unpriced``. Survivors
    entitled to the funeral grant of pension or work-injury insurance too choose one
    (art. 49, second paragraph): the grant records the right, the payment office the
    choice. Audited."""
    if claim.status not in ("active", "suspended") or claim.start_month > month_of(death_date):
        return None
    rule = rulebook.one_in_force(session, UnemploymentDeathGrantRule, claim.region,
                                 month_of(death_date))
    grant = UnemploymentDeathGrant(
        person_id=claim.person_id, claim_id=claim.id, region=claim.region,
        death_date=death_date, status="granted" if rule is not None else "unpriced",
        funeral_amount=rule.funeral_amount if rule else None,
        survivor_amount=rule.survivor_amount if rule else None,
        rule_id=rule.id if rule else None, actor=actor.username)
    session.add(grant)
    flush(session)
    audit.record(session, actor=actor.username, action="unemployment.death_grant",
                 subject_type="unemployment_claim", subject_id=claim.id,
                 payload={"person_id": claim.person_id, "death_date": death_date.isoformat(),
                          "funeral": str(grant.funeral_amount),
                          "survivor": str(grant.survivor_amount), "status": grant.status})
    return grant


@dataclass(frozen=True)
class DeathGrantItem:
    grant: UnemploymentDeathGrant
    name: str
    resident_id: str

    @property
    def total(self) -> Decimal | None:
        g = self.grant
        if g.funeral_amount is None or g.survivor_amount is None:
            return None
        return g.funeral_amount + g.survivor_amount


#: The orders of the death-grants list (``gsort``): by default the latest death first.
GRANT_SORTING = Sorting({
    "death": UnemploymentDeathGrant.death_date,
    "name": Person.name,
}, default="death", default_descending=True,
    tie_breakers=[UnemploymentDeathGrant.death_date.desc(), UnemploymentDeathGrant.id.desc()])


def _grants_query(actor: Principal, sort: Sort | None = None
                  ) -> Select[UnemploymentDeathGrant, str, str]:
    return (select(UnemploymentDeathGrant, Person.name, Person.resident_id)
            .join(Person, Person.id == UnemploymentDeathGrant.person_id)
            .where(region_filter(UnemploymentDeathGrant.region, actor))
            .order_by(*GRANT_SORTING.order_by(sort or GRANT_SORTING.default)))


def death_grants_page(session: Session, actor: Principal, *, page: int = 1,
                      sort: Sort | None = None) -> Listing[DeathGrantItem]:
    """One page of the grants on recipients' deaths in the actor's region, by default
    newest first, with the total."""
    actor.require("unemployment:read")
    listing = paginate(session, _grants_query(actor, sort), page, scalars=False)
    return replace(listing, rows=[DeathGrantItem(*row) for row in listing.rows])
