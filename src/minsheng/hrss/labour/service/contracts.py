"""Labour contracts (劳动合同备案), the signing rate, the contracts ending soon, the
employees working without one (double-pay exposure), and tripartite coordination
bodies. Rules: ``labour.rules`` (劳动合同法 arts. 10, 19, 82)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.labour import rules
from minsheng.hrss.labour.models import CollectiveContract, LabourContract, TripartiteBody
from minsheng.hrss.labour.schemas import (
    CollectiveContractCreate,
    ContractCreate,
    TripartiteBodyCreate,
)
from minsheng.hrss.labour.service._common import not_found
from minsheng.hrss.registry.service import Employer, Person
from minsheng.platform import imports, paging, regions
from minsheng.platform.db import flush, utcnow
from minsheng.platform.errors import Conflict, RuleViolation, invalid_field
from minsheng.platform.messages import field_label
from minsheng.platform.months import month_of
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, region_filter, scoped


def file_contract(session: Session, actor: Principal, data: ContractCreate) -> LabourContract:
    """劳动合同备案: an employer files its own employee's contract, or the counter files
    one for an employer of its region; the terms are checked (arts. 12, 19)."""
    actor.require_any("labour:write", "labour:employer")
    person = session.get(Person, data.person_id)
    if person is None:
        raise invalid_field("person_id", "人员不存在", "no such person")
    employer = session.get(Employer, data.employer_id)
    in_scope = employer is not None and (
        actor.sees_region(employer.region) if actor.is_staff
        else actor.employer_id == employer.id)
    if employer is None or not in_scope:
        raise invalid_field("employer_id", "用人单位不存在或不是本单位",
                            "no such employer, or not yours")
    kind = rules.ContractKind(data.kind)
    problems = rules.contract_problems(kind, data.start_on, data.end_on, data.probation_months)
    if problems:
        raise RuleViolation("；".join(p.message for p in problems),
                            "; ".join(p.message_en for p in problems),
                            errors=[invalid_field(p.field, p.message, p.message_en).errors[0]
                                    for p in problems])
    overlapping = session.scalar(select(LabourContract.id).where(
        LabourContract.person_id == person.id, LabourContract.employer_id == employer.id,
        LabourContract.terminated_on.is_(None),
        or_(LabourContract.end_on.is_(None), LabourContract.end_on >= data.start_on),
        *([LabourContract.start_on <= data.end_on] if data.end_on else [])).limit(1))
    if overlapping is not None:
        raise Conflict("该职工与本单位已有期间重叠的劳动合同",
                       "A contract of this employee with this employer overlaps")
    contract = LabourContract(person_id=person.id, employer_id=employer.id,
                              region=employer.region, kind=kind, start_on=data.start_on,
                              end_on=data.end_on, probation_months=data.probation_months,
                              filed_by=actor.username)
    session.add(contract)
    flush(session)
    audit.record(session, actor=actor.username, action="labour.contract_file",
                 subject_type="labour_contract", subject_id=contract.id,
                 payload={"person_id": person.id, "employer_id": employer.id, "kind": kind.value,
                          "start_on": data.start_on.isoformat(),
                          "end_on": data.end_on.isoformat() if data.end_on else None})
    return contract


def terminate_contract(session: Session, actor: Principal, contract_id: int, on: date,
                       version: int | None = None) -> LabourContract:
    """解除或终止 a filed contract on ``on``."""
    actor.require_any("labour:write", "labour:employer")
    contract = session.get(LabourContract, contract_id)
    visible = contract is not None and (
        actor.sees_region(contract.region) if actor.is_staff
        else actor.employer_id == contract.employer_id)
    if contract is None or not visible:
        raise not_found("劳动合同", "contract")
    if version is not None and version != contract.version:
        raise Conflict("合同已被他人更新，请刷新后重试", "The contract was changed by someone else")
    if contract.terminated_on is not None:
        raise Conflict("该合同已解除或终止", "The contract has already ended")
    if on < contract.start_on:
        raise invalid_field("on", "解除日期不能早于合同起始日期", "before the contract's start")
    contract.terminated_on = on
    flush(session)
    audit.record(session, actor=actor.username, action="labour.contract_terminate",
                 subject_type="labour_contract", subject_id=contract.id,
                 payload={"on": on.isoformat()})
    return contract


def _in_force(on: date) -> ColumnElement[bool]:
    c = LabourContract
    return and_(c.start_on <= on, or_(c.end_on.is_(None), c.end_on >= on),
                or_(c.terminated_on.is_(None), c.terminated_on > on))


def _spans(on: date) -> Any:
    return insurance.employee_spans(month_of(on)).subquery("spans")


def _signed(spans: Any, on: date) -> ColumnElement[bool]:
    return exists().where(LabourContract.person_id == spans.c.person_id,
                          LabourContract.employer_id == spans.c.employer_id, _in_force(on))


def signing_select(within: ColumnElement[bool], key: ColumnElement[Any], on: date
                   ) -> Select[*tuple[Any, ...]]:
    """Per ``key`` (the employer's district): ``(key, insured employees with a filed
    contract in force with that employer on ``on``, insured employees)`` — each
    employee-pension enrolment through an employer open in the month of ``on`` is one
    employment (insurance's ``employee_spans``)."""
    spans = _spans(on)
    return (select(key, func.count().filter(_signed(spans, on)), func.count())
            .select_from(spans).join(Employer, Employer.id == spans.c.employer_id)
            .where(within).group_by(key))


def employees_select(on: date) -> Select[*tuple[Any, ...]]:
    """The employments :func:`signing_select` counts, one row each: ``person_id``,
    ``employer_id``, ``region`` (the employer's) and ``signed``."""
    spans = _spans(on)
    return (select(spans.c.person_id, spans.c.employer_id, Employer.region.label("region"),
                   _signed(spans, on).label("signed"))
            .select_from(spans).join(Employer, Employer.id == spans.c.employer_id))


@dataclass(frozen=True)
class SigningRate:
    region: str
    on: date
    insured: int
    with_contract: int

    @property
    def rate(self) -> Decimal | None:
        return rules.rate(self.with_contract, self.insured)


def signing_rate(session: Session, actor: Principal, *, region: str = "",
                 on: date | None = None) -> SigningRate:
    """劳动合同签订率 of the actor's region (or a part of it)."""
    actor.require("labour:read")
    day = on or date.today()
    prefix = region or actor.region_prefix
    if not prefix.startswith(actor.region_prefix):
        raise invalid_field("region", "不在您的管辖范围内", "outside your scope")
    row = session.execute(signing_select(regions.within_sql(Employer.region, prefix),
                                         literal(""), day)).first()
    return SigningRate(prefix, day, int(row[2]) if row else 0, int(row[1]) if row else 0)


@dataclass(frozen=True)
class NoContract:
    person_id: int
    name: str
    resident_id: str
    employer_id: int
    employer_name: str
    since: date
    double_pay_from: date


def without_contract_query(actor: Principal, on: date) -> Select[*tuple[Any, ...]]:
    """Insured employees of the actor's region working for more than a month on ``on``
    with no filed contract in force with that employer (劳动合同法 art. 82 exposure),
    longest first."""
    actor.require("labour:read")
    spans = _spans(on)
    grace = month_of(on - timedelta(days=31))
    signed = _signed(spans, on)
    stmt = (select(Person.id, Person.name, Person.resident_id, Employer.id, Employer.name,
                   spans.c.start_month)
            .select_from(spans).join(Employer, Employer.id == spans.c.employer_id)
            .join(Person, Person.id == spans.c.person_id)
            .where(~signed, spans.c.start_month <= grace)
            .order_by(spans.c.start_month, Person.id))
    return scoped(stmt, Employer.region, actor)


def _since(start_month: int) -> date:
    return date(start_month // 100, start_month % 100, 1)


def without_contract_page(session: Session, actor: Principal, *, on: date | None = None,
                          page: int = 1) -> paging.Listing[NoContract]:
    day = on or date.today()
    found = paging.paginate(session, without_contract_query(actor, day), page, scalars=False)
    rows = [NoContract(r[0], r[1], r[2], r[3], r[4], _since(r[5]),
                       rules.double_wage_from(_since(r[5]))) for r in found.rows]
    return paging.Listing(rows, found.total, found.page, found.pages, found.size)


def ending_soon_query(actor: Principal, on: date) -> Select[*tuple[Any, ...]]:
    """Contracts of the actor's region ending within 30 days of ``on``, soonest first."""
    actor.require("labour:read")
    c = LabourContract
    stmt = (select(c, Person.name, Employer.name)
            .join(Person, Person.id == c.person_id).join(Employer, Employer.id == c.employer_id)
            .where(c.terminated_on.is_(None), c.end_on >= on,
                   c.end_on <= on + timedelta(days=rules.ENDING_ALERT_DAYS))
            .order_by(c.end_on, c.id))
    return scoped(stmt, c.region, actor)


def ending_soon_page(session: Session, actor: Principal, *, on: date | None = None,
                     page: int = 1) -> paging.Listing[Any]:
    return paging.paginate(session, ending_soon_query(actor, on or date.today()), page,
                           scalars=False)


def employer_contracts(session: Session, actor: Principal) -> list[Any]:
    """The signed-in employer's filed contracts with the employees' names, newest first."""
    actor.require("labour:employer")
    c = LabourContract
    return list(session.execute(
        select(c, Person.name).join(Person, Person.id == c.person_id)
        .where(c.employer_id == actor.employer_id).order_by(c.start_on.desc(), c.id.desc())
        .limit(200)).all())


# --- tripartite coordination bodies --------------------------------------------------


def register_body(session: Session, actor: Principal,
                  data: TripartiteBodyCreate) -> TripartiteBody:
    """登记三方协调机制 at a level, in the actor's region."""
    actor.require("labour:write")
    if regions.name_of(data.region) is None:
        raise invalid_field("region", "未知的行政区划代码", "unknown division code")
    if not actor.sees_region(data.region):
        raise invalid_field("region", "不在您的管辖范围内", "outside your scope")
    body = TripartiteBody(name=data.name, level=data.level, region=data.region,
                          established_on=data.established_on)
    session.add(body)
    flush(session)
    audit.record(session, actor=actor.username, action="labour.tripartite_register",
                 subject_type="labour_tripartite_body", subject_id=body.id,
                 payload={"name": data.name, "level": data.level, "region": data.region})
    return body


def bodies(session: Session, actor: Principal) -> list[TripartiteBody]:
    actor.require("labour:read")
    return list(session.scalars(scoped(select(TripartiteBody), TripartiteBody.region, actor)
                                .order_by(TripartiteBody.region, TripartiteBody.level,
                                          TripartiteBody.id)))


def bodies_select(within: ColumnElement[bool], key: ColumnElement[Any], on: date
                  ) -> Select[*tuple[Any, ...]]:
    """Per ``key``: ``(key, bodies in being on ``on``)``."""
    b = TripartiteBody
    return (select(key, func.count()).where(
        within, b.established_on <= on, or_(b.dissolved_on.is_(None), b.dissolved_on > on))
        .group_by(key))


def body_count(session: Session, actor: Principal, on: date | None = None) -> int:
    row = session.execute(bodies_select(region_filter(TripartiteBody.region, actor),
                                        literal(""), on or date.today())).first()
    return int(row[1]) if row else 0


# --- Excel upload -----------------------------------------------------------------------

#: Column headings of a contract upload (Chinese, or the field names).
UPLOAD_ALIASES = {**imports.RESIDENT_ID_ALIASES, "合同类型": "kind", "合同期限类型": "kind",
                  "起始日期": "start_on", "终止日期": "end_on", "试用期（月）": "probation_months",
                  "试用期": "probation_months"}
_KINDS = {**{k.value: k for k in rules.ContractKind},
          **{label: k for k, label in rules.CONTRACT_KIND_LABELS.items()}}


def _cell_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def import_contracts(session: Session, actor: Principal, employer_id: int, file_name: str,
                     content: bytes) -> imports.ImportReport:
    """劳动合同批量备案 from an .xlsx or .csv (columns 公民身份号码, 合同类型, 起始日期,
    终止日期, 试用期（月）): every row is checked — the person on record, the terms
    (arts. 12, 19), no overlap with a filed contract or another row — and either every
    row is filed, in batched inserts, or none is and the report names each bad row."""
    actor.require_any("labour:write", "labour:employer")
    employer = session.get(Employer, employer_id)
    if employer is None or not (actor.sees_region(employer.region) if actor.is_staff
                                else actor.employer_id == employer.id):
        raise invalid_field("employer_id", "用人单位不存在或不是本单位",
                            "no such employer, or not yours")
    header, rows = imports.read_table(file_name, content, UPLOAD_ALIASES)
    missing = [c for c in ("resident_id", "kind", "start_on") if c not in header]
    if missing:
        raise RuleViolation("缺少必填列：" + "、".join(field_label(c) for c in missing),
                            "Missing columns: " + ", ".join(missing))
    parsed: list[tuple[int, dict[str, Any]]] = [
        (n, dict(zip(header, row, strict=False))) for n, row in rows]
    numbers = {str(r.get("resident_id") or "").strip().upper() for _, r in parsed}
    people = {rid: pid for pid, rid in session.execute(
        select(Person.id, Person.resident_id).where(Person.resident_id.in_(numbers)))}
    errors: list[dict[str, Any]] = []
    values: list[dict[str, Any]] = []
    seen: set[int] = set()

    def refuse(row: int, field: str, message: str, message_en: str) -> None:
        errors.append({"row": row, "field": field, "message": message,
                       "message_en": message_en})

    for n, r in parsed:
        before = len(errors)
        person_id = people.get(str(r.get("resident_id") or "").strip().upper())
        kind = _KINDS.get(str(r.get("kind") or "").strip())
        try:
            start, end = _cell_date(r.get("start_on")), _cell_date(r.get("end_on"))
        except ValueError:
            refuse(n, "start_on", "日期格式应为“年-月-日”", "dates are YYYY-MM-DD")
            continue
        try:
            probation = int(r.get("probation_months") or 0)
        except (TypeError, ValueError):
            refuse(n, "probation_months", "试用期应为整数月数", "probation in whole months")
            continue
        if person_id is None:
            refuse(n, "resident_id", "未找到该公民身份号码的人员", "no person with that ID")
        elif person_id in seen:
            refuse(n, "resident_id", "同一职工在文件中出现多次", "the employee appears twice")
        if kind is None:
            refuse(n, "kind", "合同类型应为固定期限、无固定期限或以完成一定工作任务为期限",
                   "unknown kind of contract")
        if start is None:
            refuse(n, "start_on", "请填写起始日期", "a start date is required")
        if len(errors) > before or person_id is None or kind is None or start is None:
            continue
        problems = rules.contract_problems(kind, start, end, probation)
        for p in problems:
            refuse(n, p.field, p.message, p.message_en)
        if problems:
            continue
        seen.add(person_id)
        values.append({"person_id": person_id, "employer_id": employer.id,
                       "region": employer.region, "kind": kind.value, "start_on": start,
                       "end_on": end, "probation_months": probation, "filed_by": actor.username,
                       "version": 1, "created_at": utcnow(), "updated_at": utcnow(),
                       "_row": n})
    open_now = set(session.scalars(select(LabourContract.person_id).where(
        LabourContract.employer_id == employer.id, LabourContract.terminated_on.is_(None),
        LabourContract.person_id.in_([v["person_id"] for v in values]),
        or_(LabourContract.end_on.is_(None), LabourContract.end_on >= date.today()))))
    for v in values:
        if v["person_id"] in open_now:
            refuse(v["_row"], "resident_id", "该职工已有在有效期内的劳动合同",
                   "the employee already has a contract in force")
    errors.sort(key=lambda e: (e["row"], e["field"]))
    inserted = 0
    if not errors and values:
        for start_at in range(0, len(values), 1000):
            session.execute(insert(LabourContract), [
                {k: v for k, v in row.items() if k != "_row"}
                for row in values[start_at:start_at + 1000]])
        inserted = len(values)
    job = imports.ImportJob(kind="contracts", file_name=file_name[:255],
                            file_sha256=hashlib.sha256(content).hexdigest(),
                            actor=actor.username, total_rows=len(parsed),
                            inserted_rows=inserted, unchanged_rows=0,
                            error_rows=len({e["row"] for e in errors}),
                            errors=json.dumps(errors, ensure_ascii=False))
    session.add(job)
    flush(session)
    audit.record(session, actor=actor.username, action="labour.contract_import",
                 subject_type="employer", subject_id=employer.id,
                 payload={"job": job.id, "rows": len(parsed), "filed": inserted,
                          "errors": job.error_rows})
    return imports.report_of(job)


# --- collective contracts -----------------------------------------------------------------


def file_collective(session: Session, actor: Principal,
                    data: CollectiveContractCreate) -> CollectiveContract:
    """集体合同备案 by the employer, or at the counter for an employer of the region; the
    employees it covers are recorded with it (劳动合同法 arts. 51–54)."""
    actor.require_any("labour:write", "labour:employer")
    employer = session.get(Employer, data.employer_id)
    if employer is None or not (actor.sees_region(employer.region) if actor.is_staff
                                else actor.employer_id == employer.id):
        raise invalid_field("employer_id", "用人单位不存在或不是本单位",
                            "no such employer, or not yours")
    problems = rules.collective_problems(data.start_on, data.end_on)
    if problems:
        raise invalid_field(problems[0].field, problems[0].message, problems[0].message_en)
    contract = CollectiveContract(
        employer_id=employer.id, region=employer.region, kind=data.kind,
        start_on=data.start_on, end_on=data.end_on, employees_covered=data.employees_covered,
        filed_on=data.filed_on, filed_by=actor.username)
    session.add(contract)
    flush(session)
    audit.record(session, actor=actor.username, action="labour.collective_file",
                 subject_type="labour_collective_contract", subject_id=contract.id,
                 payload={"employer_id": employer.id, "kind": data.kind,
                          "covered": data.employees_covered})
    return contract


def collective_contracts(session: Session, actor: Principal) -> list[Any]:
    """The collective contracts of the actor's region (or the employer's own), with the
    employer's name, latest first."""
    actor.require_any("labour:read", "labour:employer")
    c = CollectiveContract
    mine = (region_filter(c.region, actor) if actor.is_staff
            else c.employer_id == actor.employer_id)
    stmt = select(c, Employer.name).join(Employer, Employer.id == c.employer_id).where(mine)
    return list(session.execute(stmt.order_by(c.filed_on.desc(), c.id.desc()).limit(200)))
