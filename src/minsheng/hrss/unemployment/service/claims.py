"""Benefit claims (失业保险金申领): assess, submit, decide, stop, suspend and resume."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Select, func, or_, select, text
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.kernel.retirement import RetirementCategory, statutory_retirement
from minsheng.hrss.pension import service as pension
from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Person
from minsheng.hrss.unemployment import rules
from minsheng.hrss.unemployment.models import (
    UnemploymentBenefitRate,
    UnemploymentClaim,
    UnemploymentFundContribution,
    UnemploymentPayment,
    UnemploymentRegistration,
    UnemploymentSuspension,
)
from minsheng.hrss.unemployment.service._common import (
    GRANTED_CLAIM,
    OPEN_CLAIM,
    open_claim,
    open_registration,
    stop_claim,
)
from minsheng.hrss.unemployment.service.fund import cancel_fund_contributions
from minsheng.hrss.unemployment.service.parameters import (
    benefit_rate,
    duration_ladder,
    statutory_bands,
)
from minsheng.platform.cases import service as cases
from minsheng.platform.config import get_settings
from minsheng.platform.db import LOCAL_TIME, flush, utcnow
from minsheng.platform.errors import Conflict, NotFound, RuleViolation, invalid_field
from minsheng.platform.months import add_months, month_of, parse_month
from minsheng.platform.paging import Listing, Sort, Sorting, paginate
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter
from minsheng.platform.worklist import WorkItem


def _paid_months(session: Session, claim_id: int) -> int:
    """Months of the entitlement used (months paid until retirement use none)."""
    return session.scalar(select(func.count()).select_from(UnemploymentPayment).where(
        UnemploymentPayment.claim_id == claim_id, UnemploymentPayment.extended.is_(False),
        UnemploymentPayment.status != "cancelled")) or 0


def retirement_month(person: Person, category: str | None = None) -> int:
    """The month ``person`` reaches the statutory retirement age (kernel
    ``statutory_retirement``, 2024 decision): men by the men's schedule; women by
    ``category`` when given, else by the setting ``unemployment_female_retirement_category``
    (the records do not say whether a woman is a worker or a cadre)."""
    if person.gender == "M":
        chosen: RetirementCategory = "male"
    elif category in ("female_worker", "female_cadre"):
        chosen = cast(RetirementCategory, category)
    else:
        chosen = get_settings().unemployment_female_retirement_category
    return month_of(statutory_retirement(person.birth_date, chosen).retirement_date)


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
    registration = open_registration(session, person.id)
    start = month_of(registration.registered_date if registration else on)
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
    bands = statutory_bands(session, start)
    facts = rules.ClaimFacts(
        contribution_months=months,
        separation_reason=registration.separation_reason if registration else None,
        registered=registration is not None,
        seeking_work=registration.seeking_work if registration else False,
        insured_now=coverage.insured_now,
        drawing_pension=pension.recipient_status(session, person.id) in ("active", "suspended"),
        qualifying_months=rules.qualifying_months(bands), unused_months=unused)
    carry = get_settings().unemployment_carry_over_without_new_year
    ladder = duration_ladder(session, person.residence_region, start)
    result = rules.entitlement(months, bands=bands, ladder=ladder, unused_months=unused,
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
                 bank_account: str = "", on: date | None = None,
                 retirement_category: str | None = None) -> UnemploymentClaim:
    """失业保险金申领: checked against the records (社会保险法 art. 45); an eligible claim
    waits for a clerk's decision, an ineligible one is refused with every reason. The
    claim keeps the person's statutory retirement month (:func:`retirement_month`), until
    which the payroll may continue the benefit."""
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
        retirement_month=retirement_month(person, retirement_category),
        status="pending", bank_account=bank_account)
    session.add(claim)
    flush(session)
    claim.claim_no = claim_number(get_settings().node_id, found.start_month // 100, claim.id)
    flush(session)
    audit.record(session, actor=actor.username, action="unemployment.claim",
                 subject_type="unemployment_claim", subject_id=claim.id,
                 payload={"person_id": person.id, "months": claim.entitled_months,
                          "carried": claim.carried_months, "band": claim.band})
    cases.open_case(
        session, actor, kind="unemployment.claim", title=CASE_TITLE,
        subject_type="unemployment_claim", subject_id=claim.id,
        applicant=cases.Applicant(cases.PERSON, person.id, person.name, person.resident_id),
        region=claim.region, accepted=True,
        note="申请材料齐全，参保缴费记录经系统核对符合申领条件，已受理，等待审核决定")
    return claim


#: The case (办件) a claim opens, as the applicant's list names it.
CASE_TITLE = "失业保险金申领"
#: Where a decision may be challenged: 行政复议法 art. 20 (60 days from knowing of the
#: decision) and 行政诉讼法 art. 46 (six months).
_REMEDIES = ("如对本决定不服，可以自收到本决定书之日起六十日内依法申请行政复议，"
             "或者在六个月内依法向人民法院提起行政诉讼。")


def _month_zh(period: int) -> str:
    return f"{period // 100}年{period % 100}月"


def decision_notice(claim: UnemploymentClaim, filed_on: date) -> cases.Notice:
    """The written decision on a claim (核准 or 不予核准 通知书), served on the claimant."""
    filed = f"{filed_on.year}年{filed_on.month}月{filed_on.day}日"
    if claim.status == "rejected":
        return cases.Notice("失业保险金不予核准通知书", (
            f"你于{filed}提交的失业保险金申领，经审核，不予核准。",
            f"理由：{claim.decision_note}。",
            _REMEDIES))
    return cases.Notice("失业保险金核准通知书", (
        f"你于{filed}提交的失业保险金申领，经审核，符合《中华人民共和国社会保险法》"
        "第四十五条规定的条件，准予领取失业保险金。",
        f"领取期限为 {claim.entitled_months} 个月，自{_month_zh(claim.start_month)}起按月发放，"
        f"每月 {claim.monthly_amount} 元，发放至你本人尾号 {claim.bank_account[-4:]} 的银行账户。",
        "领取期间重新就业、应征服兵役、移居境外、享受基本养老保险待遇或者无正当理由拒不接受"
        "介绍的工作的，停止领取失业保险金（社会保险法第五十一条），请及时告知经办机构。",
        _REMEDIES))


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
    case = cases.case_of(session, "unemployment_claim", claim.id)
    if case is not None:
        notice = decision_notice(claim, case.filed_at.astimezone(LOCAL_TIME).date())
        outcome = cases.Outcome.APPROVED if approve else cases.Outcome.REFUSED
        cases.advance(session, actor, subject_type="unemployment_claim", subject_id=claim.id,
                      stage=cases.Stage.DECIDED, outcome=outcome,
                      outcome_label="核准" if approve else "不予核准", notice=notice,
                      note=("准予领取失业保险金" if approve
                            else f"不予核准：{claim.decision_note}"))
        cases.advance(session, actor, subject_type="unemployment_claim", subject_id=claim.id,
                      stage=cases.Stage.DONE, note=f"{notice.title}已在网上服务大厅送达")
    return claim


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
    if registration is not None and on < registration.registered_date:
        raise invalid_field("on", "停发日期不能早于失业登记日期", "stop before registration")
    stop_claim(session, actor, claim, on, reason)
    end = rules.END_FOR_STOP.get(reason)
    if end is not None and registration is not None:
        registration.ended_date, registration.end_reason = on, end
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
    cancel_fund_contributions(session, claim.id)
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
    #: Of them, months paid until retirement beyond the entitlement (2024 decision art. 7).
    extended_months: int = 0
    #: The claim's case (办件) and how many supporting documents the claimant attached.
    case_number: str | None = None
    documents: int = 0


#: The orders of the staff claims list (``csort`` in the page's query string): pending
#: claims first by default, then the newest.
CLAIM_SORTING = Sorting({
    "status": UnemploymentClaim.status != "pending",
    "claim_no": UnemploymentClaim.claim_no,
    "name": Person.name,
    "start": UnemploymentClaim.start_month,
    "months": UnemploymentClaim.contribution_months,
    "entitled": UnemploymentClaim.entitled_months,
    "amount": UnemploymentClaim.monthly_amount,
}, default="status", tie_breakers=[UnemploymentClaim.id.desc()])


def _claims_query(actor: Principal, status: str | None, *, q: str = "",
                  sort: Sort | None = None) -> Select[Any]:
    def paid(*criteria: Any) -> Any:
        return (select(func.count()).select_from(UnemploymentPayment)
                .where(UnemploymentPayment.claim_id == UnemploymentClaim.id,
                       UnemploymentPayment.status != "cancelled", *criteria)
                .correlate(UnemploymentClaim).scalar_subquery())

    stmt = (select(UnemploymentClaim, Person.name, Person.resident_id, paid(),
                   paid(UnemploymentPayment.extended.is_(True)),
                   cases.number_sql("unemployment_claim", UnemploymentClaim.id),
                   cases.documents_sql("unemployment_claim", UnemploymentClaim.id))
            .join(Person, Person.id == UnemploymentClaim.person_id)
            .where(region_filter(UnemploymentClaim.region, actor)))
    if status:
        stmt = stmt.where(UnemploymentClaim.status == status)
    q = q.strip()
    if q:
        # A name or claim number by its beginning, a resident ID only whole.
        stmt = stmt.where(or_(Person.name.startswith(q, autoescape=True),
                              UnemploymentClaim.claim_no.startswith(q.upper(), autoescape=True),
                              Person.resident_id == q.upper()))
    return CLAIM_SORTING.apply(stmt, sort or CLAIM_SORTING.default)


def _claim_item(row: Any) -> ClaimItem:
    claim, name, rid, paid, extended, number, documents = row
    return ClaimItem(claim, name, rid, int(paid or 0), int(extended or 0), number,
                     int(documents or 0))


def claims(session: Session, actor: Principal, *, status: str | None = None,
           limit: int = 200) -> list[ClaimItem]:
    """Claims in the actor's region (pending first, then newest)."""
    actor.require("unemployment:read")
    return [_claim_item(row) for row in
            session.execute(_claims_query(actor, status).limit(limit)).all()]


def claims_page(session: Session, actor: Principal, *, status: str | None = None,
                page: int = 1, q: str = "", sort: Sort | None = None) -> Listing[ClaimItem]:
    """One page of :func:`claims`, with the total: ``q`` a name or claim number by its
    beginning or a whole resident ID, ``sort`` one of :data:`CLAIM_SORTING`'s orders."""
    actor.require("unemployment:read")
    listing = paginate(session, _claims_query(actor, status, q=q, sort=sort), page,
                       scalars=False)
    return replace(listing, rows=[_claim_item(row) for row in listing.rows])


def waiting_work(session: Session, actor: Principal, today: date) -> list[WorkItem]:
    """The workbench's to-do for staff who decide claims: claims of the region awaiting a
    decision. No decision deadline is counted: none is on record here (a setting once
    confirmed), so none is shown as overdue."""
    if not actor.can("unemployment:write"):
        return []
    pending = session.scalar(select(func.count()).select_from(UnemploymentClaim).where(
        UnemploymentClaim.status == "pending", region_filter(UnemploymentClaim.region, actor)))
    return [WorkItem("unemployment.claims", "失业保险金申领待审核", int(pending or 0),
                     "/unemployment?claims=pending#claims")]


def all_claims(session: Session, actor: Principal, *, status: str | None = None,
               q: str = "", sort: Sort | None = None) -> Iterator[ClaimItem]:
    """Every claim of :func:`claims_page`'s filter and order, read in batches (for the
    export: the same rows as the list)."""
    actor.require("unemployment:read")
    rows = session.execute(_claims_query(actor, status, q=q, sort=sort)
                           .execution_options(yield_per=2_000))
    return (_claim_item(row) for row in rows)


@dataclass(frozen=True)
class PersonView:
    registration: UnemploymentRegistration | None
    registrations: list[UnemploymentRegistration]
    claims: list[UnemploymentClaim]
    payments: list[UnemploymentPayment]
    paid_months: dict[int, int]
    #: What the fund paid for each benefit month: {month: {scheme: amount}}.
    fund: dict[int, dict[str, Decimal]] = field(default_factory=dict)


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
                                .order_by(UnemploymentRegistration.registered_date.desc())))
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
    fund: dict[int, dict[str, Decimal]] = {}
    for line in session.scalars(select(UnemploymentFundContribution).where(
            UnemploymentFundContribution.person_id == person.id,
            UnemploymentFundContribution.status == "recorded")):
        fund.setdefault(line.benefit_month, {})[line.scheme] = line.amount
    current = next((r for r in regs if r.ended_date is None), None)
    return PersonView(current, regs, claim_rows, payments, paid, fund)
