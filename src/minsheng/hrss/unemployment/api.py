"""Unemployment JSON API: the public estimate, registrations, claims, the benefit
payroll, and job-stabilisation refunds."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from minsheng.hrss.unemployment import service
from minsheng.hrss.unemployment.models import UnemploymentClaim, UnemploymentRegistration
from minsheng.hrss.unemployment.refunds import service as refunds
from minsheng.hrss.unemployment.schemas import (
    BenefitClaimCreate,
    BenefitClaimDecision,
    BenefitClaimRead,
    BenefitClaimStop,
    BenefitPayrollRead,
    BenefitPayrollRequest,
    StabilisationRefundCompute,
    StabilisationRefundRead,
    StabilisationRefundReview,
    StabilisationRefundRunRead,
    UnemploymentEstimateRead,
    UnemploymentEstimateRequest,
    UnemploymentRegistrationCreate,
    UnemploymentRegistrationEnd,
    UnemploymentRegistrationRead,
)
from minsheng.platform.money import money_str
from minsheng.platform.months import label
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import IdPath, YearPath
from minsheng.platform.web.deps import CurrentUser, SessionDep, SessionFactoryDep, require

router = APIRouter(prefix="/api/v1/unemployment", tags=["unemployment"])
Writer = Annotated[Principal, Depends(require("unemployment:write"))]
Reader = Annotated[Principal, Depends(require("unemployment:read"))]
PayrollOfficer = Annotated[Principal, Depends(require("unemployment:payroll"))]
RefundOfficer = Annotated[Principal, Depends(require("unemployment:refunds"))]
RefundReviewer = Annotated[Principal, Depends(require("unemployment:refund_approve"))]


@router.post("/estimate", response_model=UnemploymentEstimateRead)
def estimate(data: UnemploymentEstimateRequest, session: SessionDep) -> UnemploymentEstimateRead:
    """失业保险金测算 (no sign-in): months by the statutory band, or the region's ladder
    within it, and the region's monthly amount in force today."""
    result = service.estimate(session, contribution_months=data.contribution_months,
                              region=data.region, unused_months=data.unused_months)
    e = result.entitlement
    return UnemploymentEstimateRead(
        eligible=e.eligible, months=e.months, monthly_amount=money_str(result.rate.monthly_amount),
        band=e.band, statutory_band=e.statutory.code,
        statutory_max_months=e.statutory.months, spell_months=e.spell_months,
        carried_months=e.carried_months, ladder_region=result.ladder_region,
        amount_valid_from=label(result.rate.valid_from), amount_source=result.rate.source,
        amount_source_status=result.rate.source_status)


def _registration(r: UnemploymentRegistration) -> UnemploymentRegistrationRead:
    return UnemploymentRegistrationRead(
        id=r.id, person_id=r.person_id, registered_date=r.registered_date, ended_date=r.ended_date,
        end_reason=r.end_reason, region=r.region, separation_reason=r.separation_reason)


def _claim(c: UnemploymentClaim) -> BenefitClaimRead:
    return BenefitClaimRead(id=c.id, claim_no=c.claim_no, person_id=c.person_id, status=c.status,
                     start_month=label(c.start_month), contribution_months=c.contribution_months,
                     band=c.band, spell_months=c.spell_months, carried_months=c.carried_months,
                     entitled_months=c.entitled_months, monthly_amount=money_str(c.monthly_amount),
                     retirement_month=label(c.retirement_month) if c.retirement_month else None,
                     stop_reason=c.stop_reason)


@router.post("/registrations", status_code=201, response_model=UnemploymentRegistrationRead)
def register(data: UnemploymentRegistrationCreate, session: SessionDep,
             actor: CurrentUser) -> UnemploymentRegistrationRead:
    return _registration(service.register_unemployed(
        session, actor, data.person_id, registered_date=data.registered_date,
        separation_reason=data.separation_reason, seeking_work=data.seeking_work))


@router.post("/registrations/{person_id}/end", response_model=UnemploymentRegistrationRead | None)
def end_registration(person_id: IdPath, data: UnemploymentRegistrationEnd, session: SessionDep,
                     actor: CurrentUser) -> UnemploymentRegistrationRead | None:
    ended = service.end_registration(session, actor, person_id, data.on, data.reason)
    return _registration(ended) if ended else None


@router.post("/claims", status_code=201, response_model=BenefitClaimRead)
def submit_claim(data: BenefitClaimCreate, session: SessionDep,
                 actor: CurrentUser) -> BenefitClaimRead:
    return _claim(service.submit_claim(session, actor, data.person_id,
                                       bank_account=data.bank_account,
                                       retirement_category=data.retirement_category))


@router.get("/claims/{claim_id}", response_model=BenefitClaimRead)
def read_claim(claim_id: IdPath, session: SessionDep, actor: CurrentUser) -> BenefitClaimRead:
    return _claim(service.claim_for(session, actor, claim_id))


@router.post("/claims/{claim_id}/decision", response_model=BenefitClaimRead)
def decide(claim_id: IdPath, data: BenefitClaimDecision, session: SessionDep,
           actor: Writer) -> BenefitClaimRead:
    return _claim(service.decide_claim(session, actor, claim_id, approve=data.approve,
                                       note=data.note))


@router.post("/claims/{claim_id}/stop", response_model=BenefitClaimRead)
def stop(claim_id: IdPath, data: BenefitClaimStop, session: SessionDep,
         actor: Writer) -> BenefitClaimRead:
    return _claim(service.stop_benefit(session, actor, claim_id, on=data.on,
                                       reason=data.reason))


@router.post("/payroll", response_model=BenefitPayrollRead)
def payroll(data: BenefitPayrollRequest, session: SessionDep, factory: SessionFactoryDep,
            actor: PayrollOfficer) -> BenefitPayrollRead:
    # The batch commits range by range in sessions of its own; end this request's
    # transaction first (on SQLite it holds the write lock: every transaction there
    # begins IMMEDIATE, the one that signed the caller in too).
    session.commit()
    result = service.run_payroll(factory, actor, month=data.month)
    return BenefitPayrollRead(run_id=result.run_id, month=label(result.month),
                       payments=result.payments, total=money_str(result.total),
                       control_sum=result.control_sum)


@router.post("/refunds/compute", response_model=StabilisationRefundRunRead)
def compute_refunds(data: StabilisationRefundCompute, session: SessionDep,
                    actor: RefundOfficer) -> StabilisationRefundRunRead:
    run = refunds.compute_refunds(session, actor, year=data.year)
    return StabilisationRefundRunRead(year=run.year, contribution_year=run.contribution_year,
                         employers=run.employers, eligible=run.eligible, kept=run.kept,
                         total=money_str(run.total), employees_covered=run.employees_covered)


@router.get("/refunds/{year}", response_model=list[StabilisationRefundRead])
def list_refunds(year: YearPath, session: SessionDep,
                 actor: Reader) -> list[StabilisationRefundRead]:
    return [StabilisationRefundRead(
        id=i.refund.id, year=i.refund.year, employer_id=i.refund.employer_id,
        employer_name=i.employer_name, paid_amount=money_str(i.refund.paid_amount),
        paid_months=i.refund.paid_months,
        average_headcount=f"{i.refund.average_headcount:.2f}",
        employees_covered=i.refund.employees_covered, new_claimants=i.refund.new_claimants,
        layoff_rate=None if i.refund.layoff_rate is None else f"{i.refund.layoff_rate:.4f}",
        size=i.refund.size, share=f"{Decimal(i.refund.share_ppm) / 1_000_000:.2f}",
        eligible=i.refund.eligible, refusal=i.refund.refusal, amount=money_str(i.refund.amount),
        status=i.refund.status) for i in refunds.refunds(session, actor, year=year)]


@router.post("/refunds/{year}/review")
def review_refunds(year: YearPath, data: StabilisationRefundReview, session: SessionDep,
                   actor: RefundReviewer) -> dict[str, int]:
    return {"changed": refunds.review_refunds(session, actor, year=year,
                                              refund_ids=data.refund_ids, approve=data.approve)}


@router.get("/refunds/{year}/payment-list")
def payment_list(year: YearPath, session: SessionDep, actor: RefundOfficer) -> Response:
    return Response(refunds.payment_list(session, actor, year=year), media_type="text/csv",
                    headers={"Content-Disposition":
                             f'attachment; filename="refunds-{year}.csv"'})
