"""Pension JSON API for staff and recipients (the public estimator is in ``estimator.api``)."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Depends, UploadFile
from fastapi.responses import Response

from minsheng.hrss.pension import peer, service
from minsheng.hrss.pension.models import PensionAward
from minsheng.hrss.pension.schemas import (
    AwardCreate,
    AwardRead,
    CertificationCreate,
    CertificationRead,
    CounterCertificationCreate,
    CounterCertificationRead,
    DueRead,
    PayrollRead,
    PayrollRequest,
    PensionStatus,
    PovertyDistrict,
    PovertyReportRead,
    UpliftCreate,
)
from minsheng.platform import uploads
from minsheng.platform.errors import invalid_field
from minsheng.platform.months import label
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import (
    MAX_ID,
    DayCount,
    IdPath,
    MonthPath,
    MonthQuery,
    RegionQuery,
    YearQuery,
)
from minsheng.platform.web.deps import (
    CurrentUser,
    SessionDep,
    SessionFactoryDep,
    SettingsDep,
    require,
)

router = APIRouter(prefix="/api/v1", tags=["pension"])
PensionReader = Annotated[Principal, Depends(require("pension:read"))]
Awarder = Annotated[Principal, Depends(require("pension:award"))]
PayrollOfficer = Annotated[Principal, Depends(require("pension:payroll"))]


def _award(a: PensionAward) -> AwardRead:
    return AwardRead(version=a.version, scheme=a.scheme, effective_month=label(a.effective_month),
                     basic_amount=a.basic_amount, account_amount=a.account_amount,
                     transitional_amount=a.transitional_amount, total_amount=a.total_amount,
                     reason=a.reason)


@router.post("/pension/awards", status_code=201, response_model=AwardRead)
def create_award(data: AwardCreate, session: SessionDep, actor: Awarder) -> AwardRead:
    return _award(service.award_pension(
        session, actor, data.person_id, retirement_date=data.retirement_date,
        scheme=data.scheme, category=data.category, route=data.route,
        route_evidence=data.route_evidence, local_average_wage=data.local_average_wage,
        resident_basic_pension=data.resident_basic_pension, bank_account=data.bank_account))


@router.get("/persons/{person_id}/pension", response_model=PensionStatus)
def pension_status(person_id: IdPath, session: SessionDep, actor: CurrentUser) -> PensionStatus:
    view = service.pension_view(session, actor, person_id)
    return PensionStatus(
        person_id=person_id, status=view.recipient.status,
        start_month=label(view.recipient.start_month),
        last_certified_date=view.recipient.last_certified_date,
        certification_due_date=view.recipient.certification_due_date,
        awards=[_award(a) for a in view.awards],
        payments=[{"benefit_month": label(p.benefit_month), "kind": p.kind,
                   "amount": f"{p.amount:.2f}", "status": p.status} for p in view.payments],
        overpayments=[{"benefit_month": label(o.benefit_month), "amount": f"{o.amount:.2f}",
                       "status": o.status} for o in view.overpayments])


@router.post("/persons/{person_id}/pension/certifications", status_code=201,
             response_model=CertificationRead)
def certify(person_id: IdPath, data: CertificationCreate, session: SessionDep,
            actor: CurrentUser) -> CertificationRead:
    row = service.certify(session, actor, person_id, method=data.method, on=data.on,
                          node=data.node, evidence=data.evidence)
    view = service.pension_view(session, actor, person_id, audit_read=False)
    return CertificationRead(person_id=person_id, certified_date=row.certified_date,
                             method=row.method, node=row.node,
                             next_due=view.recipient.certification_due_date)


@router.post("/pension/certifications", status_code=201,
             response_model=CounterCertificationRead,
             responses={202: {"description": "已转送待遇发放地节点（川渝通办）"}})
def certify_at_counter(data: CounterCertificationCreate, session: SessionDep,
                       settings: SettingsDep, actor: CurrentUser) -> Response:
    """就地认: a recipient paid here is certified (201); a recipient of the other
    province's node is sent there over the exchange (202, with the envelope id)."""
    outcome = peer.certify_at_counter(session, actor, resident_id=data.resident_id,
                                      place=data.place, method=data.method, on=data.on,
                                      node_id=settings.node_id)
    body = CounterCertificationRead(state=outcome.state,
                                    person_id=outcome.person_id, next_due=outcome.next_due,
                                    envelope_id=outcome.envelope_id,
                                    paying_node=outcome.paying_node)
    return Response(body.model_dump_json(), media_type="application/json",
                    status_code=201 if outcome.state == "certified" else 202)


@router.get("/pension/certifications/due", response_model=list[DueRead])
def due(session: SessionDep, actor: PensionReader, within_days: DayCount = 31) -> list[DueRead]:
    return [DueRead(**item.__dict__)
            for item in service.due_list(session, actor, within_days=within_days)]


@router.post("/pension/payroll", response_model=PayrollRead)
def payroll(data: PayrollRequest, session: SessionDep, factory: SessionFactoryDep,
            actor: PayrollOfficer) -> PayrollRead:
    # The batch commits range by range in sessions of its own; end this request's
    # transaction first (on SQLite it would otherwise hold the write lock).
    session.commit()
    result = service.run_payroll(factory, actor, month=data.month)
    return PayrollRead(run_id=result.run_id, month=label(result.month),
                       payments=result.payments, total=result.total,
                       control_sum=result.control_sum, by_region=result.by_region)


@router.get("/pension/payroll/{month}/disbursement.csv")
def disbursement(month: MonthPath, session: SessionDep, actor: PayrollOfficer) -> Response:
    content = service.disbursement_list(session, actor, month=month)
    return Response(content, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="pension-{month}.csv"'})


@router.post("/pension/payroll/{month}/returns")
def bank_returns(month: MonthPath, file: UploadFile, session: SessionDep,
                 actor: PayrollOfficer) -> dict[str, int]:
    content = uploads.read_limited(file.file, uploads.MAX_TABLE_BYTES)
    try:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise invalid_field("file", "银行回盘文件不是 UTF-8 编码的 CSV",
                            "the bank return file is not a UTF-8 CSV") from exc
    failures: list[tuple[int, str]] = []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip().isdigit() or not 1 <= int(row[0]) <= MAX_ID:
            raise invalid_field("file", f"第 {number} 行缺少支付编号",
                                f"line {number}: no payment id")
        failures.append((int(row[0]), row[1][:200] if len(row) > 1 else ""))
    paid, failed = service.reconcile(session, actor, month=month, failures=failures)
    return {"paid": paid, "failed": failed}


@router.post("/pension/uplifts", status_code=201)
def uplift(data: UpliftCreate, session: SessionDep, actor: Awarder) -> dict[str, int]:
    count = service.apply_uplift(session, actor, year=data.year, percent=data.percent,
                                 fixed_amount=data.fixed_amount,
                                 effective_month=data.effective_month, source=data.source)
    return {"awards": count}


@router.get("/pension/poverty", response_model=PovertyReportRead)
def poverty(session: SessionDep, actor: PensionReader, year: YearQuery, month: MonthQuery,
            region: RegionQuery = "") -> PovertyReportRead:
    report = service.poverty_report(session, actor, region=region, year=year, month=month)
    return PovertyReportRead(
        region=report.region, year=report.year, month=label(report.month),
        districts=[PovertyDistrict(**d.__dict__) for d in report.districts],
        not_enrolled_ids=report.not_enrolled_ids, not_paid_ids=report.not_paid_ids,
        benefit_not_paid_ids=report.benefit_not_paid_ids)
