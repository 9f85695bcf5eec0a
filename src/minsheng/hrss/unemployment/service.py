"""Unemployment-insurance use cases: registration and its end, benefit claims (eligibility
and entitlement from the records), stops and suspensions, the monthly benefit payroll
with its bank file and reconciliation, and the job-stabilisation refund batch with its
approval and payment list.

The payroll is set-based SQL over ranges of ``person_id``, each range its own
transaction; ``unemployment_payment`` is unique per (person, benefit month), so a second
or resumed run pays no one twice. The refund batch aggregates a year of contributions
per employer in one query, applies :func:`rules.refund` to each aggregate and writes the
results with one batched insert; rerunning the year replaces only rows not yet reviewed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Subquery, func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Employer, Person
from minsheng.hrss.unemployment import rules
from minsheng.hrss.unemployment.models import (
    JobStabilisationRefund,
    JobStabilisationRefundRule,
    UnemploymentBenefitRate,
    UnemploymentClaim,
    UnemploymentDurationStep,
    UnemploymentPayment,
    UnemploymentPayrollRun,
    UnemploymentRegistration,
    UnemploymentSuspension,
)
from minsheng.platform import bulk, payroll, regions
from minsheng.platform.config import get_settings
from minsheng.platform.db import flush, utcnow
from minsheng.platform.errors import Conflict, NotFound, RuleViolation, invalid_field
from minsheng.platform.money import to_money
from minsheng.platform.months import add_months, label, month_of, parse_month
from minsheng.platform.payroll import PayrollResult, Progress
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter

#: People per transaction of the payroll (ranges of ``person_id``, the partition key).
PAYROLL_BATCH = 200_000
#: Claims that are still open (a person has at most one).
OPEN_CLAIM = ("pending", "active", "suspended")
#: Claims that paid or were meant to pay (count for the layoff rate and carry-over).
GRANTED_CLAIM = ("active", "suspended", "stopped", "exhausted")


# --- regional parameters (data) and the estimate ---------------------------------------


def benefit_rate(session: Session, region: str, month: int) -> UnemploymentBenefitRate | None:
    """The monthly benefit in force for ``region`` in ``month``: the longest matching
    region prefix, then the latest ``valid_from`` not after the month."""
    rows = session.scalars(select(UnemploymentBenefitRate)
                           .where(UnemploymentBenefitRate.valid_from <= month)).all()
    matching = [r for r in rows if region.startswith(r.region_prefix)]
    return max(matching, key=lambda r: (len(r.region_prefix), r.valid_from), default=None)


def duration_ladder(session: Session, region: str, month: int) -> list[rules.LadderStep]:
    """The region's month ladder in force in ``month`` (empty: the statutory bands)."""
    rows = session.scalars(select(UnemploymentDurationStep)
                           .where(UnemploymentDurationStep.valid_from <= month)).all()
    matching = [r for r in rows if region.startswith(r.region_prefix)]
    if not matching:
        return []
    key = max((len(r.region_prefix), r.valid_from) for r in matching)
    return sorted((rules.LadderStep(r.min_months, r.max_months, r.months) for r in matching
                   if (len(r.region_prefix), r.valid_from) == key),
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
    ladder = duration_ladder(session, region, month)
    settings = get_settings()
    result = rules.entitlement(
        contribution_months, ladder=ladder, unused_months=unused_months,
        carry_over_without_new_year=settings.unemployment_carry_over_without_new_year)
    ladder_region = None
    if ladder:
        ladder_region = max((r.region_prefix for r in session.scalars(
            select(UnemploymentDurationStep)) if region.startswith(r.region_prefix)), key=len)
    return Estimate(result, region, month, rate, ladder_region)


# --- registration -------------------------------------------------------------------------


def open_registration(session: Session, person_id: int) -> UnemploymentRegistration | None:
    return session.scalar(select(UnemploymentRegistration).where(
        UnemploymentRegistration.person_id == person_id,
        UnemploymentRegistration.ended_on.is_(None)))


def register_unemployed(session: Session, actor: Principal, person_id: int, *,
                        registered_on: date | None = None, separation_reason: str,
                        seeking_work: bool = True) -> UnemploymentRegistration:
    """失业登记: the person (or a clerk for them) registers as unemployed. Refused while
    a registration is open or while the person is still insured in a job."""
    actor.require_any("unemployment:write", "unemployment:self")
    person = registry.person_for_write(session, actor, person_id)
    on = registered_on or date.today()
    if on > date.today():
        raise invalid_field("registered_on", "登记日期不能晚于今天", "date in the future")
    if separation_reason not in rules.SEPARATION_REASONS:
        raise invalid_field("separation_reason", "请选择离职原因", "unknown separation reason")
    if person.status == "deceased":
        raise Conflict("该人员已登记死亡", "The person is recorded as deceased")
    if open_registration(session, person.id) is not None:
        raise Conflict("已办理失业登记，无需重复登记", "Already registered as unemployed")
    coverage = insurance.unemployment_coverage(session, person.id, month_of(on))
    if coverage.insured_now:
        raise Conflict("您目前仍在单位参加失业保险，请在单位办理减员后再进行失业登记",
                       "Still insured in a job: the employer must end the enrolment first")
    registration = UnemploymentRegistration(
        person_id=person.id, registered_on=on, region=person.residence_region,
        separation_reason=separation_reason, last_employer_id=coverage.last_employer_id,
        seeking_work=seeking_work, actor=actor.username)
    session.add(registration)
    flush(session)
    audit.record(session, actor=actor.username, action="unemployment.register",
                 subject_type="person", subject_id=person.id,
                 payload={"registered_on": on.isoformat(), "separation": separation_reason})
    return registration


def end_registration(session: Session, actor: Principal, person_id: int, on: date,
                     reason: str) -> UnemploymentRegistration | None:
    """失业登记注销: end the person's open registration on ``on`` for ``reason`` (one of
    :data:`rules.END_REASONS`: ``re_employed``, ``moved_away``, ``retired`` ...). An open
    benefit claim stops with it (社会保险法 art. 51). Returns ``None`` when the person has
    no open registration (nothing to end): the employment domain calls this on every
    placement."""
    actor.require_any("unemployment:write", "unemployment:self", "employment:write")
    if reason not in rules.END_REASONS:
        raise invalid_field("reason", "注销原因无效", "unknown reason")
    person = registry.person_for_write(session, actor, person_id)
    return _end_registration(session, actor, person.id, on, reason)


def stop_on_death(session: Session, actor: Principal, person_id: int,
                  death_date: date) -> None:
    """A recorded death ends the registration and stops the benefit after the month of
    death (called from ``registry.record_death``, whose checks cover it)."""
    _end_registration(session, actor, person_id, death_date, "deceased")


def _end_registration(session: Session, actor: Principal, person_id: int, on: date,
                      reason: str) -> UnemploymentRegistration | None:
    registration = open_registration(session, person_id)
    if registration is None:
        return None
    if on < registration.registered_on:
        raise invalid_field("on", "注销日期不能早于登记日期", "end before registration")
    registration.ended_on, registration.end_reason = on, reason
    flush(session)
    audit.record(session, actor=actor.username, action="unemployment.end_registration",
                 subject_type="person", subject_id=person_id,
                 payload={"on": on.isoformat(), "reason": reason})
    claim = open_claim(session, person_id)
    if claim is not None:
        _stop(session, actor, claim, on, rules.STOP_FOR_END[reason])
    return registration


@dataclass(frozen=True)
class RegistrationItem:
    registration: UnemploymentRegistration
    name: str
    resident_id: str
    claim_status: str | None


def registrations(session: Session, actor: Principal, *, open_only: bool = True,
                  limit: int = 200) -> list[RegistrationItem]:
    """Registrations in the actor's region, newest first, with the open claim's status."""
    actor.require("unemployment:read")
    stmt = (select(UnemploymentRegistration, Person.name, Person.resident_id)
            .join(Person, Person.id == UnemploymentRegistration.person_id)
            .where(region_filter(UnemploymentRegistration.region, actor)))
    if open_only:
        stmt = stmt.where(UnemploymentRegistration.ended_on.is_(None))
    rows = session.execute(stmt.order_by(UnemploymentRegistration.registered_on.desc(),
                                         UnemploymentRegistration.id.desc())
                           .limit(limit)).all()
    ids = [r.person_id for r, _, _ in rows]
    statuses = dict(session.execute(
        select(UnemploymentClaim.person_id, UnemploymentClaim.status)
        .where(UnemploymentClaim.person_id.in_(ids), UnemploymentClaim.status.in_(OPEN_CLAIM))
    ).all()) if ids else {}
    return [RegistrationItem(r, name, rid, statuses.get(r.person_id)) for r, name, rid in rows]


def registration_counts(session: Session, actor: Principal) -> dict[str, int]:
    """Open registrations and claims by status in the actor's region."""
    actor.require("unemployment:read")
    registered = session.scalar(select(func.count()).select_from(UnemploymentRegistration)
                                .where(UnemploymentRegistration.ended_on.is_(None),
                                       region_filter(UnemploymentRegistration.region,
                                                     actor))) or 0
    counts = {"registered": int(registered), "pending": 0, "active": 0, "suspended": 0}
    for status, count in session.execute(
            select(UnemploymentClaim.status, func.count())
            .where(region_filter(UnemploymentClaim.region, actor),
                   UnemploymentClaim.status.in_(OPEN_CLAIM))
            .group_by(UnemploymentClaim.status)).all():
        counts[status] = int(count)
    return counts


# --- claims -----------------------------------------------------------------------------


def open_claim(session: Session, person_id: int) -> UnemploymentClaim | None:
    return session.scalar(select(UnemploymentClaim).where(
        UnemploymentClaim.person_id == person_id, UnemploymentClaim.status.in_(OPEN_CLAIM)))


def _paid_months(session: Session, claim_id: int) -> int:
    return session.scalar(select(func.count()).select_from(UnemploymentPayment).where(
        UnemploymentPayment.claim_id == claim_id,
        UnemploymentPayment.status != "cancelled")) or 0


@dataclass(frozen=True)
class ClaimAssessment:
    """A claim as the records support it on a date (nothing stored)."""

    facts: rules.ClaimFacts
    refusals: list[tuple[str, str, str]]
    entitlement: rules.Entitlement
    registration: UnemploymentRegistration | None
    previous: UnemploymentClaim | None
    employer_id: int | None
    start_month: int
    rate: UnemploymentBenefitRate | None


def assess_claim(session: Session, person: Person, on: date) -> ClaimAssessment:
    """Eligibility and entitlement from the records: contribution months counted afresh
    after the previous claim's start month, its unused months carried over, the region's
    ladder and amount."""
    from minsheng.hrss.pension import service as pension

    registration = open_registration(session, person.id)
    start = month_of(registration.registered_on if registration else on)
    previous = session.scalar(
        select(UnemploymentClaim).where(UnemploymentClaim.person_id == person.id,
                                        UnemploymentClaim.status.in_(GRANTED_CLAIM))
        .order_by(UnemploymentClaim.start_month.desc()).limit(1))
    after = previous.start_month if previous is not None else None
    months = insurance.unemployment_months(session, person.id, start, after=after)
    unused = 0
    if previous is not None and previous.status in ("stopped", "exhausted"):
        unused = rules.unused_months(previous.entitled_months,
                                     _paid_months(session, previous.id))
    coverage = insurance.unemployment_coverage(session, person.id, month_of(on))
    facts = rules.ClaimFacts(
        contribution_months=months,
        separation_reason=registration.separation_reason if registration else None,
        registered=registration is not None,
        seeking_work=registration.seeking_work if registration else False,
        insured_now=coverage.insured_now,
        drawing_pension=pension.recipient_status(session, person.id) in ("active", "suspended"),
        unused_months=unused)
    carry = get_settings().unemployment_carry_over_without_new_year
    ladder = duration_ladder(session, person.residence_region, start)
    result = rules.entitlement(months, ladder=ladder, unused_months=unused,
                               carry_over_without_new_year=carry)
    return ClaimAssessment(facts, rules.claim_refusals(facts, carry_over_without_new_year=carry),
                           result, registration, previous,
                           registration.last_employer_id if registration else None, start,
                           benefit_rate(session, person.residence_region, start))


def preview_claim(session: Session, actor: Principal, person_id: int,
                  on: date | None = None) -> ClaimAssessment:
    """What a claim would give today (the citizen's page shows it before submitting)."""
    actor.require_any("unemployment:read", "unemployment:self")
    person = registry.person_for_read(session, actor, person_id)
    return assess_claim(session, person, on or date.today())


def claim_number(node_id: str, year: int, claim_id: int) -> str:
    return f"{node_id.upper()}SY{year}{claim_id:08d}"


def submit_claim(session: Session, actor: Principal, person_id: int, *,
                 bank_account: str = "", on: date | None = None) -> UnemploymentClaim:
    """失业保险金申领: checked against the records (社会保险法 art. 45); an eligible claim
    waits for a clerk's decision, an ineligible one is refused with every reason."""
    actor.require_any("unemployment:write", "unemployment:self")
    person = registry.person_for_write(session, actor, person_id)
    if not bank_account.isdigit() or not 12 <= len(bank_account) <= 32:
        raise invalid_field("bank_account", "请填写 12–32 位数字的银行账号",
                            "a bank account of 12-32 digits")
    if open_claim(session, person.id) is not None:
        raise Conflict("已有在办或领取中的失业保险金", "A claim is already open")
    found = assess_claim(session, person, on or date.today())
    if found.refusals or not found.entitlement.eligible:
        raise RuleViolation(
            "不符合失业保险金领取条件：" + "；".join(m for _, m, _ in found.refusals),
            "Not eligible: " + "; ".join(e for _, _, e in found.refusals),
            errors=[invalid_field(f, m, e).errors[0] for f, m, e in found.refusals])
    if found.rate is None:
        raise RuleViolation("参保地尚未设置失业保险金标准", "No benefit amount for the region")
    assert found.registration is not None
    claim = UnemploymentClaim(
        claim_no="pending", person_id=person.id, registration_id=found.registration.id,
        employer_id=found.employer_id, region=person.residence_region,
        start_month=found.start_month, contribution_months=found.facts.contribution_months,
        band=found.entitlement.band, spell_months=found.entitlement.spell_months,
        carried_months=found.entitlement.carried_months,
        entitled_months=found.entitlement.months, monthly_amount=found.rate.monthly_amount,
        status="pending", bank_account=bank_account)
    session.add(claim)
    flush(session)
    claim.claim_no = claim_number(get_settings().node_id, found.start_month // 100, claim.id)
    flush(session)
    audit.record(session, actor=actor.username, action="unemployment.claim",
                 subject_type="unemployment_claim", subject_id=claim.id,
                 payload={"person_id": person.id, "months": claim.entitled_months,
                          "carried": claim.carried_months, "band": claim.band})
    return claim


def claim_for(session: Session, actor: Principal, claim_id: int) -> UnemploymentClaim:
    """A claim the actor may see (staff in scope, or the claimant), else 404."""
    claim = session.get(UnemploymentClaim, claim_id)
    if claim is None:
        raise NotFound("未找到该失业保险金申领", "No such claim")
    if actor.is_staff:
        actor.require("unemployment:read")
        if not actor.sees_region(claim.region):
            raise NotFound("未找到该失业保险金申领", "No such claim")
    elif actor.person_id != claim.person_id:
        raise NotFound("未找到该失业保险金申领", "No such claim")
    return claim


def decide_claim(session: Session, actor: Principal, claim_id: int, *, approve: bool,
                 note: str = "") -> UnemploymentClaim:
    """A clerk approves a pending claim (payment from its start month in the next
    payroll) or refuses it with a note."""
    actor.require("unemployment:write")
    claim = claim_for(session, actor, claim_id)
    if claim.status != "pending":
        raise Conflict("该申领已处理", "The claim has already been decided")
    if not approve and not note.strip():
        raise invalid_field("note", "不予核准须说明理由", "a refusal needs a reason")
    if approve and open_registration(session, claim.person_id) is None:
        raise Conflict("失业登记已注销，不能核准", "The registration has ended")
    claim.status = "active" if approve else "rejected"
    claim.decided_by, claim.decided_at = actor.username, utcnow()
    claim.decision_note = note.strip()[:200]
    flush(session)
    audit.record(session, actor=actor.username, action="unemployment.decide",
                 subject_type="unemployment_claim", subject_id=claim.id,
                 payload={"approve": approve, "note": claim.decision_note})
    return claim


def _stop(session: Session, actor: Principal, claim: UnemploymentClaim, on: date,
          reason: str) -> None:
    claim.status, claim.stop_reason, claim.stopped_on = "stopped", reason, on
    session.execute(text(
        "UPDATE unemployment_payment SET status = 'cancelled' WHERE claim_id = :claim "
        "AND benefit_month > :last AND status IN ('queued','failed')"),
        {"claim": claim.id, "last": month_of(on)})
    session.execute(text("UPDATE unemployment_suspension SET to_month = from_month "
                         "WHERE claim_id = :claim AND to_month IS NULL"), {"claim": claim.id})
    flush(session)
    audit.record(session, actor=actor.username, action="unemployment.stop",
                 subject_type="unemployment_claim", subject_id=claim.id,
                 payload={"on": on.isoformat(), "reason": reason})


def stop_benefit(session: Session, actor: Principal, claim_id: int, *, on: date,
                 reason: str) -> UnemploymentClaim:
    """停发 (社会保险法 art. 51): payment stops after the month of ``on``; queued months
    after it are cancelled; the registration ends too unless the reason is refusing an
    offer (the person stays registered)."""
    actor.require("unemployment:write")
    if reason not in rules.STOP_REASONS:
        raise invalid_field("reason", "停发原因无效", "unknown stop reason")
    claim = claim_for(session, actor, claim_id)
    if claim.status not in OPEN_CLAIM:
        raise Conflict("该申领不在领取中", "The claim is not open")
    registration = open_registration(session, claim.person_id)
    if registration is not None and on < registration.registered_on:
        raise invalid_field("on", "停发日期不能早于失业登记日期", "stop before registration")
    _stop(session, actor, claim, on, reason)
    end = rules.END_FOR_STOP.get(reason)
    if end is not None and registration is not None:
        registration.ended_on, registration.end_reason = on, end
        flush(session)
        audit.record(session, actor=actor.username, action="unemployment.end_registration",
                     subject_type="person", subject_id=claim.person_id,
                     payload={"on": on.isoformat(), "reason": end})
    return claim


def suspend_benefit(session: Session, actor: Principal, claim_id: int, *, month: str,
                    reason: str) -> UnemploymentClaim:
    """暂停: no payment from ``month`` until resumed; the suspended months are neither
    paid nor counted against the entitlement."""
    actor.require("unemployment:write")
    if reason not in rules.SUSPEND_REASONS:
        raise invalid_field("reason", "暂停原因无效", "unknown reason")
    claim = claim_for(session, actor, claim_id)
    if claim.status != "active":
        raise Conflict("只有领取中的待遇可以暂停", "Only an active benefit can be suspended")
    start = parse_month(month)
    session.add(UnemploymentSuspension(claim_id=claim.id, from_month=start, reason=reason))
    claim.status = "suspended"
    session.execute(text(
        "UPDATE unemployment_payment SET status = 'cancelled' WHERE claim_id = :claim "
        "AND benefit_month >= :start AND status IN ('queued','failed')"),
        {"claim": claim.id, "start": start})
    flush(session)
    audit.record(session, actor=actor.username, action="unemployment.suspend",
                 subject_type="unemployment_claim", subject_id=claim.id,
                 payload={"from": start, "reason": reason})
    return claim


def resume_benefit(session: Session, actor: Principal, claim_id: int, *,
                   month: str) -> UnemploymentClaim:
    """恢复: payment resumes from ``month``; the suspended months stay unpaid."""
    actor.require("unemployment:write")
    claim = claim_for(session, actor, claim_id)
    if claim.status != "suspended":
        raise Conflict("该待遇未暂停", "The benefit is not suspended")
    resume = parse_month(month)
    for suspension in session.scalars(select(UnemploymentSuspension).where(
            UnemploymentSuspension.claim_id == claim.id,
            UnemploymentSuspension.to_month.is_(None))):
        if resume <= suspension.from_month:
            session.delete(suspension)
        else:
            suspension.to_month = add_months(resume, -1)
    claim.status = "active"
    flush(session)
    audit.record(session, actor=actor.username, action="unemployment.resume",
                 subject_type="unemployment_claim", subject_id=claim.id,
                 payload={"from": resume})
    return claim


@dataclass(frozen=True)
class ClaimItem:
    claim: UnemploymentClaim
    name: str
    resident_id: str
    paid_months: int


def claims(session: Session, actor: Principal, *, status: str | None = None,
           limit: int = 200) -> list[ClaimItem]:
    """Claims in the actor's region (pending first, then newest)."""
    actor.require("unemployment:read")
    stmt = (select(UnemploymentClaim, Person.name, Person.resident_id)
            .join(Person, Person.id == UnemploymentClaim.person_id)
            .where(region_filter(UnemploymentClaim.region, actor)))
    if status:
        stmt = stmt.where(UnemploymentClaim.status == status)
    rows = session.execute(stmt.order_by((UnemploymentClaim.status != "pending"),
                                         UnemploymentClaim.id.desc()).limit(limit)).all()
    ids = [c.id for c, _, _ in rows]
    paid = dict(session.execute(
        select(UnemploymentPayment.claim_id, func.count())
        .where(UnemploymentPayment.claim_id.in_(ids), UnemploymentPayment.status != "cancelled")
        .group_by(UnemploymentPayment.claim_id)).all()) if ids else {}
    return [ClaimItem(c, name, rid, int(paid.get(c.id, 0))) for c, name, rid in rows]


@dataclass(frozen=True)
class PersonView:
    registration: UnemploymentRegistration | None
    registrations: list[UnemploymentRegistration]
    claims: list[UnemploymentClaim]
    payments: list[UnemploymentPayment]
    paid_months: dict[int, int]


def person_view(session: Session, actor: Principal, person_id: int, *,
                audit_read: bool = True) -> PersonView:
    """A person's registrations, claims (newest first) and benefit payments."""
    actor.require_any("unemployment:read", "unemployment:self")
    person = registry.person_for_read(session, actor, person_id)
    if actor.is_staff and audit_read:
        audit.record(session, actor=actor.username, action="unemployment.read",
                     subject_type="person", subject_id=person.id)
    regs = list(session.scalars(select(UnemploymentRegistration)
                                .where(UnemploymentRegistration.person_id == person.id)
                                .order_by(UnemploymentRegistration.registered_on.desc())))
    claim_rows = list(session.scalars(select(UnemploymentClaim)
                                      .where(UnemploymentClaim.person_id == person.id)
                                      .order_by(UnemploymentClaim.id.desc())))
    payments = list(session.scalars(select(UnemploymentPayment)
                                    .where(UnemploymentPayment.person_id == person.id)
                                    .order_by(UnemploymentPayment.benefit_month.desc())))
    paid: dict[int, int] = {}
    for p in payments:
        if p.status != "cancelled":
            paid[p.claim_id] = paid.get(p.claim_id, 0) + 1
    current = next((r for r in regs if r.ended_on is None), None)
    return PersonView(current, regs, claim_rows, payments, paid)


# --- payroll ------------------------------------------------------------------------------

_RATE_AT = ("(SELECT r.monthly_amount FROM unemployment_benefit_rate r "
            "WHERE x.region LIKE r.region_prefix || '%' AND r.valid_from <= x.period "
            "ORDER BY length(r.region_prefix) DESC, r.valid_from DESC LIMIT 1)")


def _payroll_batch(session: Session, month: int, low: int, high: int) -> int:
    """Queue the benefit months due up to ``month`` of active claims in one id range
    (months missed since the start month included, suspended months skipped, never more
    than the entitlement), re-queue failed payments, and close exhausted claims."""
    params = {"month": month, "low": low, "high": high}
    inserted = bulk.execute_count(session, text(
        "INSERT INTO unemployment_payment (person_id, claim_id, benefit_month, payroll_month, "
        "amount, region, status) "
        f"SELECT x.person_id, x.id, x.period, :month, COALESCE({_RATE_AT}, x.monthly_amount), "
        "x.region, 'queued' FROM ("
        "SELECT c.id, c.person_id, c.region, c.monthly_amount, c.entitled_months, m.period, "
        "ROW_NUMBER() OVER (PARTITION BY c.id ORDER BY m.period) AS rn, "
        "(SELECT count(*) FROM unemployment_payment u WHERE u.claim_id = c.id "
        "AND u.status <> 'cancelled') AS used "
        "FROM unemployment_claim c JOIN payroll_months m "
        "ON m.period >= c.start_month AND m.period <= :month "
        "JOIN person p ON p.id = c.person_id "
        "WHERE c.status = 'active' AND c.person_id >= :low AND c.person_id < :high "
        "AND (p.death_date IS NULL OR p.death_date >= m.first_day) "
        "AND NOT EXISTS (SELECT 1 FROM unemployment_payment u WHERE u.person_id = c.person_id "
        "AND u.benefit_month = m.period) "
        "AND NOT EXISTS (SELECT 1 FROM unemployment_suspension s WHERE s.claim_id = c.id "
        "AND m.period >= s.from_month AND (s.to_month IS NULL OR m.period <= s.to_month))"
        ") x WHERE x.rn <= x.entitled_months - x.used "
        "ON CONFLICT (person_id, benefit_month) DO NOTHING").bindparams(**params))
    inserted += bulk.execute_count(session, text(
        "UPDATE unemployment_payment SET status = 'queued', payroll_month = :month, "
        "failure_reason = NULL WHERE status = 'failed' AND payroll_month < :month "
        "AND person_id >= :low AND person_id < :high AND claim_id IN "
        "(SELECT id FROM unemployment_claim WHERE status IN ('active','exhausted'))"
    ).bindparams(**params))
    session.execute(text(
        "UPDATE unemployment_claim SET status = 'exhausted', version = version + 1 "
        "WHERE status = 'active' AND person_id >= :low AND person_id < :high "
        "AND entitled_months <= (SELECT count(*) FROM unemployment_payment u "
        "WHERE u.claim_id = unemployment_claim.id AND u.status <> 'cancelled')"), params)
    return inserted


def run_payroll(factory: sessionmaker[Session], actor: Principal, *, month: str,
                progress: Progress | None = None) -> PayrollResult:
    """失业保险金发放 for a month: queue the months due per range of people (each its own
    transaction), then write the bank file of everything queued and mark it sent.
    Rerunning the month pays no one twice; a crashed run is completed by running it
    again."""
    actor.require("unemployment:payroll")
    period = parse_month(month)
    return payroll.run(
        factory, actor, month=period, run_model=UnemploymentPayrollRun,
        payment_model=UnemploymentPayment, people=UnemploymentClaim.person_id,
        queue_batch=_payroll_batch, bank_file=bank_file,
        audit_action="unemployment.payroll", batch_size=PAYROLL_BATCH, progress=progress)


def bank_file(session: Session, month: int) -> tuple[bytes, int, Decimal]:
    """The disbursement file of everything queued for ``month``."""
    rows = session.execute(text(
        "SELECT u.id, p.name, p.resident_id, c.bank_account, u.benefit_month, u.amount "
        "FROM unemployment_payment u JOIN person p ON p.id = u.person_id "
        "JOIN unemployment_claim c ON c.id = u.claim_id "
        "WHERE u.payroll_month = :month AND u.status = 'queued' ORDER BY u.id"),
        {"month": month}).all()
    return payroll.bank_file(
        month, ["payment_id", "name", "resident_id", "bank_account", "benefit_month", "amount"],
        ((i, n, rid, acc, label(b), a) for i, n, rid, acc, b, a in rows))


def summary_by_region(session: Session, month: int) -> list[tuple[str, int, Decimal]]:
    """Payments sent or paid in a payroll month, by district."""
    return payroll.summary_by_region(session, UnemploymentPayment, month)


def reconcile(session: Session, actor: Principal, *, month: str,
              failures: list[tuple[int, str]]) -> tuple[int, int]:
    """Bank returns: the listed payments failed (re-queued next month), every other
    payment sent in this payroll is paid. Returns (paid, failed)."""
    actor.require("unemployment:payroll")
    return payroll.reconcile(session, actor, UnemploymentPayment, month=parse_month(month),
                             failures=failures, audit_action="unemployment.reconcile")


# --- job-stabilisation refunds ------------------------------------------------------------


def refund_rule(session: Session, year: int) -> JobStabilisationRefundRule:
    rule = session.get(JobStabilisationRefundRule, year)
    if rule is None:
        raise invalid_field("year", f"{year} 年度稳岗返还政策参数未设置",
                            f"no job-stabilisation refund parameters for {year}")
    return rule


def refund_rules(session: Session) -> list[JobStabilisationRefundRule]:
    return list(session.scalars(select(JobStabilisationRefundRule)
                                .order_by(JobStabilisationRefundRule.year.desc())))


def _as_rule(row: JobStabilisationRefundRule) -> rules.RefundRule:
    return rules.RefundRule(
        year=row.year, contribution_year=row.contribution_year,
        large_share_ppm=row.large_share_ppm, sme_share_ppm=row.sme_share_ppm,
        layoff_threshold_ppm=row.layoff_threshold_ppm, small_headcount=row.small_headcount,
        small_threshold_ppm=row.small_threshold_ppm, large_headcount=row.large_headcount,
        min_paid_months=row.min_paid_months)


# Spans domains on purpose (set-based): unemployment contributions and arrears come from
# insurance's ``contribution`` table, claimants from this domain's claims.
_EMPLOYER_YEAR = (
    "SELECT c.employer_id, e.region, "
    "SUM(CASE WHEN c.status = 'paid' THEN CAST(ROUND((c.employer_amount + c.personal_amount) "
    "* 100) AS BIGINT) ELSE 0 END) AS paid_fen, "
    "COUNT(DISTINCT c.period) - COUNT(DISTINCT CASE WHEN c.status = 'due' THEN c.period END) "
    "AS paid_months, "
    "COUNT(*) AS person_months, COUNT(DISTINCT c.person_id) AS covered, "
    "(SELECT count(DISTINCT uc.person_id) FROM unemployment_claim uc "
    " WHERE uc.employer_id = c.employer_id AND uc.start_month BETWEEN :first AND :last "
    " AND uc.status IN ('active','suspended','stopped','exhausted')) AS claimants, "
    "CASE WHEN EXISTS (SELECT 1 FROM contribution d WHERE d.employer_id = c.employer_id "
    " AND d.status = 'due' AND d.period < :cutoff) THEN 1 ELSE 0 END AS in_arrears "
    "FROM contribution c JOIN employer e ON e.id = c.employer_id "
    "WHERE c.scheme = 'unemployment' AND c.period BETWEEN :first AND :last "
    "AND c.employer_id IS NOT NULL "
    "GROUP BY c.employer_id, e.region"
)


@dataclass(frozen=True)
class RefundRun:
    year: int
    contribution_year: int
    employers: int
    eligible: int
    kept: int
    total: Decimal
    employees_covered: int


def compute_refunds(session: Session, actor: Principal, *, year: int,
                    today: date | None = None,
                    progress: Progress | None = None) -> RefundRun:
    """稳岗返还 batch for a policy year: every employer with unemployment contributions in
    the rule's contribution year, judged by :func:`rules.refund` (arrears on ``today``
    exclude). Idempotent: rows already approved, rejected or paid are kept; the others
    are replaced."""
    actor.require("unemployment:refunds")
    row = refund_rule(session, year)
    rule = _as_rule(row)
    first, last = rule.contribution_year * 100 + 1, rule.contribution_year * 100 + 12
    cutoff = insurance.arrears_cutoff(today or date.today())
    reviewed = set(session.scalars(select(JobStabilisationRefund.employer_id).where(
        JobStabilisationRefund.year == year, JobStabilisationRefund.status != "computed")))
    session.execute(text("DELETE FROM job_stabilisation_refund WHERE year = :year "
                         "AND status = 'computed'"), {"year": year})
    aggregates = session.execute(text(_EMPLOYER_YEAR),
                                 {"first": first, "last": last, "cutoff": cutoff}).all()
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for employer_id, region, paid_fen, paid_months, person_months, covered, claimants, \
            arrears in aggregates:
        if employer_id in reviewed:
            continue
        decision = rules.refund(rules.EmployerYear(
            paid_fen=int(paid_fen or 0), paid_months=int(paid_months),
            insured_person_months=int(person_months), new_claimants=int(claimants),
            in_arrears=bool(arrears)), rule)
        rows.append({
            "year": year, "employer_id": employer_id, "region": region,
            "paid_amount": Decimal(int(paid_fen or 0)) / 100, "paid_months": int(paid_months),
            "average_headcount": decision.average_headcount, "employees_covered": int(covered),
            "new_claimants": int(claimants), "layoff_rate": decision.layoff_rate,
            "size": decision.size, "share_ppm": decision.share_ppm,
            "eligible": decision.eligible, "refusal": decision.reason,
            "amount": Decimal(decision.amount_fen) / 100, "status": "computed",
            "computed_at": now, "version": 1})
    for start in range(0, len(rows), 5_000):
        session.execute(insert(JobStabilisationRefund), rows[start:start + 5_000])
        if progress:
            progress(min(start + 5_000, len(rows)), len(rows))
    session.flush()
    eligible = [r for r in rows if r["eligible"]]
    total = sum((r["amount"] for r in eligible), Decimal("0.00"))
    covered_total = sum(r["employees_covered"] for r in eligible)
    audit.record(session, actor=actor.username, action="unemployment.refunds_compute",
                 subject_type="refund_year", subject_id=year,
                 payload={"employers": len(rows), "eligible": len(eligible),
                          "total": str(total), "kept": len(reviewed)})
    return RefundRun(year, rule.contribution_year, len(rows), len(eligible), len(reviewed),
                     total, covered_total)


@dataclass(frozen=True)
class RefundItem:
    refund: JobStabilisationRefund
    employer_name: str
    uscc: str


def refunds(session: Session, actor: Principal, *, year: int, status: str | None = None,
            eligible: bool | None = None, limit: int = 500) -> list[RefundItem]:
    """A policy year's refunds in the actor's region, largest first."""
    actor.require("unemployment:read")
    stmt = (select(JobStabilisationRefund, Employer.name, Employer.uscc)
            .join(Employer, Employer.id == JobStabilisationRefund.employer_id)
            .where(JobStabilisationRefund.year == year,
                   region_filter(JobStabilisationRefund.region, actor)))
    if status:
        stmt = stmt.where(JobStabilisationRefund.status == status)
    if eligible is not None:
        stmt = stmt.where(JobStabilisationRefund.eligible.is_(eligible))
    rows = session.execute(stmt.order_by(JobStabilisationRefund.amount.desc(),
                                         JobStabilisationRefund.id).limit(limit)).all()
    return [RefundItem(r, name, uscc) for r, name, uscc in rows]


@dataclass(frozen=True)
class RefundTotals:
    employers: int
    eligible: int
    by_status: dict[str, tuple[int, Decimal, int]]


def refund_totals(session: Session, actor: Principal, *, year: int) -> RefundTotals:
    """Counts, amounts and employees covered of eligible refunds by status."""
    actor.require("unemployment:read")
    base = (JobStabilisationRefund.year == year,
            region_filter(JobStabilisationRefund.region, actor))
    employers = session.scalar(select(func.count()).select_from(JobStabilisationRefund)
                               .where(*base)) or 0
    by_status = {s: (0, Decimal("0.00"), 0) for s in ("computed", "approved", "rejected",
                                                       "paid")}
    eligible = 0
    for status, count, amount, covered in session.execute(
            select(JobStabilisationRefund.status, func.count(),
                   func.sum(JobStabilisationRefund.amount),
                   func.sum(JobStabilisationRefund.employees_covered))
            .where(*base, JobStabilisationRefund.eligible.is_(True))
            .group_by(JobStabilisationRefund.status)).all():
        by_status[status] = (int(count), to_money(amount), int(covered or 0))
        eligible += int(count)
    return RefundTotals(int(employers), eligible, by_status)


def review_refunds(session: Session, actor: Principal, *, year: int,
                   refund_ids: list[int] | None = None, approve: bool = True) -> int:
    """复核: approve (or reject) computed, eligible refunds of the year in the reviewer's
    region, the listed ones or all. Returns how many changed."""
    actor.require("unemployment:refund_approve")
    stmt = select(JobStabilisationRefund).where(
        JobStabilisationRefund.year == year, JobStabilisationRefund.status == "computed",
        JobStabilisationRefund.eligible.is_(True),
        region_filter(JobStabilisationRefund.region, actor))
    if refund_ids is not None:
        stmt = stmt.where(JobStabilisationRefund.id.in_(refund_ids))
    changed = 0
    now = utcnow()
    for refund in session.scalars(stmt):
        refund.status = "approved" if approve else "rejected"
        refund.reviewed_by, refund.reviewed_at = actor.username, now
        changed += 1
    if refund_ids is not None and changed != len(set(refund_ids)):
        raise Conflict("部分返还记录已复核或不符合条件，请刷新后重试",
                       "Some refunds were already reviewed or are not eligible; reload")
    flush(session)
    audit.record(session, actor=actor.username, action="unemployment.refunds_review",
                 subject_type="refund_year", subject_id=year,
                 payload={"approve": approve, "count": changed})
    return changed


def payment_list(session: Session, actor: Principal, *, year: int) -> bytes:
    """The payment list of approved refunds (CSV for the treasury), audited."""
    actor.require("unemployment:refunds")
    rows = session.execute(
        select(JobStabilisationRefund.id, Employer.uscc, Employer.name,
               JobStabilisationRefund.region, JobStabilisationRefund.employees_covered,
               JobStabilisationRefund.paid_amount, JobStabilisationRefund.share_ppm,
               JobStabilisationRefund.amount, JobStabilisationRefund.status)
        .join(Employer, Employer.id == JobStabilisationRefund.employer_id)
        .where(JobStabilisationRefund.year == year,
               JobStabilisationRefund.status.in_(("approved", "paid")),
               region_filter(JobStabilisationRefund.region, actor))
        .order_by(JobStabilisationRefund.id)).all()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["refund_id", "uscc", "employer", "region", "employees_covered",
                     "contributions_paid", "share", "amount", "status"])
    total, covered = Decimal("0.00"), 0
    for rid, uscc, name, region, people, paid, share, amount, status in rows:
        total += to_money(amount)
        covered += int(people)
        writer.writerow([rid, uscc, name, region, people, f"{to_money(paid):.2f}",
                         f"{Decimal(share) / 10_000:.0f}%", f"{to_money(amount):.2f}", status])
    writer.writerow(["TOTAL", len(rows), "", "", covered, "", "", f"{total:.2f}", ""])
    audit.record(session, actor=actor.username, action="unemployment.refunds_payment_list",
                 subject_type="refund_year", subject_id=year, payload={"rows": len(rows)})
    return out.getvalue().encode("utf-8")


def mark_refunds_paid(session: Session, actor: Principal, *, year: int) -> int:
    """The treasury paid the list: approved refunds of the year become paid."""
    actor.require("unemployment:refunds")
    count = bulk.execute_count(session, text(
        "UPDATE job_stabilisation_refund SET status = 'paid', version = version + 1 "
        "WHERE year = :year AND status = 'approved'").bindparams(year=year))
    audit.record(session, actor=actor.username, action="unemployment.refunds_paid",
                 subject_type="refund_year", subject_id=year, payload={"count": count})
    return count


def employer_refunds(session: Session, actor: Principal,
                     employer_id: int) -> list[JobStabilisationRefund]:
    """An employer's refunds, newest year first (the employer itself, or staff)."""
    actor.require_any("unemployment:employer", "unemployment:read")
    employer = insurance.employer_for(session, actor, employer_id)
    return list(session.scalars(select(JobStabilisationRefund)
                                .where(JobStabilisationRefund.employer_id == employer.id)
                                .order_by(JobStabilisationRefund.year.desc())))


def registration_spans() -> Subquery:
    """SQL: every unemployment registration as ``(person_id, registered_on, ended_on)``,
    for set-based counts in other domains (employment's registered unemployed and
    zero-employment households)."""
    return select(UnemploymentRegistration.person_id, UnemploymentRegistration.registered_on,
                  UnemploymentRegistration.ended_on).subquery("unemployment_spans")
