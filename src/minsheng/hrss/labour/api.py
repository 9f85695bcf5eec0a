"""Labour-relations JSON API: disputes in arbitration, labour-inspection complaints,
contracts and the signing rate, tripartite coordination bodies."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from minsheng.hrss.labour import rules
from minsheng.hrss.labour.models import (
    CollectiveContract,
    InspectionComplaint,
    LabourContract,
    LabourDispute,
    TripartiteBody,
)
from minsheng.hrss.labour.schemas import (
    ArrearsRead,
    CollectiveContractCreate,
    CollectiveContractRead,
    ComplaintClose,
    ComplaintCreate,
    ComplaintExtend,
    ComplaintRead,
    ContractCreate,
    ContractRead,
    DisputeClose,
    DisputeCreate,
    DisputeExtend,
    DisputeRead,
    SigningRateRead,
    StepOn,
    TripartiteBodyCreate,
    TripartiteBodyRead,
)
from minsheng.hrss.labour.service import complaints, contracts, disputes
from minsheng.platform.money import money_str
from minsheng.platform.paging import Page, PageNumber, PageSize
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import DayQuery, IdPath, RegionQuery
from minsheng.platform.web.deps import CurrentUser, SessionDep, require

router = APIRouter(prefix="/api/v1/labour", tags=["labour"])
Reader = Annotated[Principal, Depends(require("labour:read"))]
CaseOfficer = Annotated[Principal, Depends(require("labour:case"))]
Approver = Annotated[Principal, Depends(require("labour:approve"))]
Registrar = Annotated[Principal, Depends(require("labour:write"))]
StateQuery = Annotated[str, Query(max_length=16, pattern=r"^[a-z]*$", description="案件状态")]


def _dispute(d: LabourDispute) -> DisputeRead:
    return DisputeRead(
        id=d.id, case_no=d.case_no, state=d.state, applicant_person_id=d.applicant_person_id,
        employer_id=d.employer_id, region=d.region, claim_type=d.claim_type,
        amount=money_str(d.amount), received_on=d.received_on, acceptance_due=d.acceptance_due,
        accepted_on=d.accepted_on, award_due=d.award_due, final_award=d.final_award,
        mediation_started_on=d.mediation_started_on, mediation_due=d.mediation_due,
        extension_days=d.extension_days, outcome=d.outcome, closed_on=d.closed_on,
        overdue=disputes.is_overdue(d, date.today()), version=d.version)


def _complaint(c: InspectionComplaint) -> ComplaintRead:
    due = complaints.due_of(c)
    return ComplaintRead(
        id=c.id, case_no=c.case_no, state=c.state,
        complainant_person_id=c.complainant_person_id, employer_id=c.employer_id,
        region=c.region, received_on=c.received_on, acceptance_due=c.acceptance_due,
        accepted_on=c.accepted_on, investigation_due=c.investigation_due, extended=c.extended,
        wage_arrears_amount=money_str(c.wage_arrears_amount),
        workers_affected=c.workers_affected, outcome=c.outcome, closed_on=c.closed_on,
        recovered_amount=money_str(c.recovered_amount),
        overdue=due is not None and due < date.today(), version=c.version)


# --- disputes ------------------------------------------------------------------------


@router.post("/disputes", status_code=201, response_model=DisputeRead)
def apply(data: DisputeCreate, session: SessionDep, actor: CurrentUser) -> DisputeRead:
    """劳动争议仲裁申请 (the worker themself, or a case officer at the counter)."""
    return _dispute(disputes.apply(session, actor, data))


@router.get("/disputes", response_model=Page[DisputeRead])
def list_disputes(session: SessionDep, actor: Reader, overdue: bool = False,
                  state: StateQuery = "", page: PageNumber = 1,
                  size: PageSize = 50) -> Page[DisputeRead]:
    """The region's cases by next statutory date; ``overdue=true`` only those past it."""
    found = disputes.disputes_page(session, actor, overdue=overdue, state=state, page=page,
                                   size=size)
    return Page(items=[_dispute(d) for d in found.rows], total=found.total, page=found.page,
                size=found.size)


@router.get("/disputes/{dispute_id}", response_model=DisputeRead)
def read_dispute(dispute_id: IdPath, session: SessionDep, actor: CurrentUser) -> DisputeRead:
    return _dispute(disputes.read(session, actor, dispute_id))


@router.post("/disputes/{dispute_id}/accept", response_model=DisputeRead)
def accept_dispute(dispute_id: IdPath, data: StepOn, session: SessionDep,
                   actor: CaseOfficer) -> DisputeRead:
    return _dispute(disputes.accept(session, actor, dispute_id, data.on, data.version))


@router.post("/disputes/{dispute_id}/mediate", response_model=DisputeRead)
def mediate(dispute_id: IdPath, data: StepOn, session: SessionDep,
            actor: CaseOfficer) -> DisputeRead:
    return _dispute(disputes.start_mediation(session, actor, dispute_id, data.on,
                                             data.version))


@router.post("/disputes/{dispute_id}/mediation-failed", response_model=DisputeRead)
def mediation_failed(dispute_id: IdPath, data: StepOn, session: SessionDep,
                     actor: CaseOfficer) -> DisputeRead:
    return _dispute(disputes.mediation_failed(session, actor, dispute_id, data.on,
                                              data.version))


@router.post("/disputes/{dispute_id}/extend", response_model=DisputeRead)
def extend_dispute(dispute_id: IdPath, data: DisputeExtend, session: SessionDep,
                   actor: Approver) -> DisputeRead:
    return _dispute(disputes.extend(session, actor, dispute_id, data.days,
                                    data.approved_by_note, data.version))


@router.post("/disputes/{dispute_id}/close", response_model=DisputeRead)
def close_dispute(dispute_id: IdPath, data: DisputeClose, session: SessionDep,
                  actor: CaseOfficer) -> DisputeRead:
    return _dispute(disputes.close(session, actor, dispute_id, data.outcome, data.on,
                                   data.note, data.version))


# --- complaints ----------------------------------------------------------------------


@router.post("/complaints", status_code=201, response_model=ComplaintRead)
def file_complaint(data: ComplaintCreate, session: SessionDep,
                   actor: CurrentUser) -> ComplaintRead:
    """劳动保障监察投诉 (the worker themself, or a case officer at the counter)."""
    return _complaint(complaints.file_complaint(session, actor, data))


@router.get("/complaints", response_model=Page[ComplaintRead])
def list_complaints(session: SessionDep, actor: Reader, overdue: bool = False,
                    state: StateQuery = "", page: PageNumber = 1,
                    size: PageSize = 50) -> Page[ComplaintRead]:
    found = complaints.complaints_page(session, actor, overdue=overdue, state=state,
                                       page=page, size=size)
    return Page(items=[_complaint(c) for c in found.rows], total=found.total,
                page=found.page, size=found.size)


@router.get("/complaints/{complaint_id}", response_model=ComplaintRead)
def read_complaint(complaint_id: IdPath, session: SessionDep,
                   actor: CurrentUser) -> ComplaintRead:
    return _complaint(complaints.read(session, actor, complaint_id))


@router.post("/complaints/{complaint_id}/accept", response_model=ComplaintRead)
def accept_complaint(complaint_id: IdPath, data: StepOn, session: SessionDep,
                     actor: CaseOfficer) -> ComplaintRead:
    return _complaint(complaints.accept(session, actor, complaint_id, data.on, data.version))


@router.post("/complaints/{complaint_id}/extend", response_model=ComplaintRead)
def extend_complaint(complaint_id: IdPath, data: ComplaintExtend, session: SessionDep,
                     actor: Approver) -> ComplaintRead:
    return _complaint(complaints.extend(session, actor, complaint_id, data.approved_by_note,
                                        data.version))


@router.post("/complaints/{complaint_id}/close", response_model=ComplaintRead)
def close_complaint(complaint_id: IdPath, data: ComplaintClose, session: SessionDep,
                    actor: CaseOfficer) -> ComplaintRead:
    return _complaint(complaints.close(session, actor, complaint_id, data.outcome, data.on,
                                       data.recovered_amount, data.note, data.version))


@router.get("/arrears", response_model=list[ArrearsRead])
def employers_in_arrears(session: SessionDep, actor: Reader) -> list[ArrearsRead]:
    """Employers of the region with unpaid wages in complaints (欠薪单位名单)."""
    return [ArrearsRead(employer_id=a.employer_id, employer_name=a.employer_name,
                        uscc=a.uscc, region=a.region, cases=a.cases,
                        amount=money_str(a.amount), workers=a.workers)
            for a in complaints.arrears(session, actor)]


# --- contracts -----------------------------------------------------------------------


def _contract(c: LabourContract) -> ContractRead:
    return ContractRead(id=c.id, person_id=c.person_id, employer_id=c.employer_id,
                        region=c.region, kind=c.kind, start_on=c.start_on, end_on=c.end_on,
                        probation_months=c.probation_months, terminated_on=c.terminated_on,
                        version=c.version)


@router.post("/contracts", status_code=201, response_model=ContractRead)
def file_contract(data: ContractCreate, session: SessionDep, actor: CurrentUser) -> ContractRead:
    """劳动合同备案 (the employer for its employees, or the counter)."""
    return _contract(contracts.file_contract(session, actor, data))


@router.post("/contracts/{contract_id}/terminate", response_model=ContractRead)
def terminate_contract(contract_id: IdPath, data: StepOn, session: SessionDep,
                       actor: CurrentUser) -> ContractRead:
    return _contract(contracts.terminate_contract(session, actor, contract_id, data.on,
                                                  data.version))


@router.get("/signing-rate", response_model=SigningRateRead)
def signing_rate(session: SessionDep, actor: Reader, region: RegionQuery = "",
                 on: DayQuery | None = None) -> SigningRateRead:
    """劳动合同签订率: insured employees with a filed contract in force ÷ insured
    employees, by the employer's district."""
    found = contracts.signing_rate(session, actor, region=region, on=on)
    return SigningRateRead(region=found.region, on=found.on, insured=found.insured,
                           with_contract=found.with_contract,
                           rate=None if found.rate is None else f"{found.rate:.2f}")


# --- collective contracts -----------------------------------------------------------


def _collective(c: CollectiveContract) -> CollectiveContractRead:
    return CollectiveContractRead(
        id=c.id, employer_id=c.employer_id, region=c.region, kind=c.kind, start_on=c.start_on,
        end_on=c.end_on, employees_covered=c.employees_covered, filed_on=c.filed_on,
        in_force_from=rules.collective_in_force_from(c.filed_on, c.start_on))


@router.post("/collective-contracts", status_code=201, response_model=CollectiveContractRead)
def file_collective(data: CollectiveContractCreate, session: SessionDep,
                    actor: CurrentUser) -> CollectiveContractRead:
    """集体合同备案 with the employees it covers."""
    return _collective(contracts.file_collective(session, actor, data))


@router.get("/collective-contracts", response_model=list[CollectiveContractRead])
def list_collective(session: SessionDep, actor: CurrentUser) -> list[CollectiveContractRead]:
    return [_collective(c) for c, _ in contracts.collective_contracts(session, actor)]


# --- tripartite bodies ---------------------------------------------------------------


@router.post("/tripartite-bodies", status_code=201, response_model=TripartiteBodyRead)
def register_body(data: TripartiteBodyCreate, session: SessionDep,
                  actor: Registrar) -> TripartiteBodyRead:
    return _body(contracts.register_body(session, actor, data))


@router.get("/tripartite-bodies", response_model=list[TripartiteBodyRead])
def list_bodies(session: SessionDep, actor: Reader) -> list[TripartiteBodyRead]:
    return [_body(b) for b in contracts.bodies(session, actor)]


def _body(b: TripartiteBody) -> TripartiteBodyRead:
    return TripartiteBodyRead(id=b.id, name=b.name, level=b.level, region=b.region,
                              established_on=b.established_on, dissolved_on=b.dissolved_on)
