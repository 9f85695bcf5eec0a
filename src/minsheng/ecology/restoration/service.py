"""Restoration use cases: per-mine plans (一矿一策), quarterly progress with photos,
acceptance, and substituted-restoration cases (代为修复) driven by ``rules``.

Every step of a case goes through :func:`rules.next_state` on a case loaded
``SELECT ... FOR UPDATE`` and written with its ``version``: a step the state (or the
money) does not allow, or a stale version, is a 409. Each step writes a
``substituted_restoration_event`` (the timeline) and an audit event.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, case, cast, func, null, select
from sqlalchemy.orm import Session

from minsheng.ecology.kernel import common
from minsheng.ecology.kernel.footprint import feature
from minsheng.ecology.mines import service as mines
from minsheng.ecology.restoration import rules
from minsheng.ecology.restoration.models import (
    RestorationNoticeRule,
    RestorationPhoto,
    RestorationPlan,
    RestorationProgress,
    SubstitutedRestorationCase,
    SubstitutedRestorationEvent,
)
from minsheng.ecology.restoration.rules import CaseAction, CaseMoney, CaseState
from minsheng.ecology.restoration.schemas import (
    AcceptanceCreate,
    CaseCreate,
    CaseEventRead,
    CaseRead,
    CaseStep,
    PhotoRead,
    PlanCreate,
    PlanDetail,
    PlanRead,
    ProgressCreate,
    ProgressRead,
)
from minsheng.platform import paging, regions, rulebook, uploads
from minsheng.platform.db import flush
from minsheng.platform.errors import Conflict, invalid_field
from minsheng.platform.indicators import RecordSelect
from minsheng.platform.months import month_of
from minsheng.platform.paging import LIST_PAGE_SIZE, Listing, count_of, page_count
from minsheng.platform.security import audit
from minsheng.platform.security.principal import Principal, scoped
from minsheng.platform.worklist import WorkItem

MODE_LABELS = {"natural": "自然恢复", "assisted": "辅助再生", "engineered": "工程治理"}
LAND_USE_LABELS = {"farmland": "耕地", "forest": "林地", "grassland": "草地",
                   "built_land": "建设用地", "water": "水域"}
STATUS_LABELS = {"planned": "待实施", "in_progress": "实施中", "accepted": "已验收"}
#: The work-list's filters: a status, or every plan not yet accepted.
FILTER_LABELS = {"open": "未验收", **STATUS_LABELS}
#: States in which a plan under a case may be accepted through the case only.
CASE_CLOSED_STATES = frozenset({CaseState.ACCEPTED, CaseState.NOTICE_PUBLISHED})


# --- plans ---------------------------------------------------------------------------


def file_plan(session: Session, actor: Principal, data: PlanCreate) -> RestorationPlan:
    """File the restoration plan of a closed or abandoned mine (one plan per mine)."""
    actor.require("ecology:write")
    mine = mines.read_mine(session, actor, data.mine_id)
    if not rules.restorable(mine.status):
        raise Conflict(f"矿山“{mine.name}”状态为{mines.STATUS_LABELS[mine.status]}，"
                       "一矿一策修复方案适用于已关闭或废弃的矿山",
                       f"the mine is {mine.status}; restoration plans are for closed or "
                       "abandoned mines", extra={"mine_status": mine.status})
    existing = session.scalar(select(RestorationPlan.id)
                              .where(RestorationPlan.mine_id == mine.id))
    if existing is not None:
        raise Conflict(f"该矿山已有修复方案（方案 {existing}）",
                       f"The mine already has a restoration plan ({existing})",
                       extra={"existing_id": existing})
    obligor = (data.obligor_name or "").strip() or None
    uscc = common.check_uscc(data.obligor_uscc, "obligor_uscc")
    if uscc and not obligor:
        raise invalid_field("obligor_name", "填写了义务人信用代码，请同时填写义务人名称",
                            "name the obligor whose USCC is given")
    plan = RestorationPlan(
        mine_id=mine.id, region=mine.region, mode=data.mode,
        target_land_use=data.target_land_use,
        planned_area_m2=common.ha_to_m2(data.planned_area_ha), budget=data.budget,
        obligor_name=obligor, obligor_uscc=uscc, deadline=data.deadline,
        notes=data.notes.strip())
    session.add(plan)
    session.flush()
    audit.record(session, actor=actor.username, action="restoration_plan.file",
                 subject_type="restoration_plan", subject_id=plan.id,
                 payload={"mine_id": mine.id, "mode": plan.mode,
                          "planned_area_m2": str(plan.planned_area_m2),
                          "budget": str(plan.budget), "obligor": obligor})
    return plan


def read_plan(session: Session, actor: Principal, plan_id: int, *,
              for_update: bool = False) -> RestorationPlan:
    actor.require("ecology:read")
    stmt = select(RestorationPlan).where(RestorationPlan.id == plan_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    plan = session.scalar(stmt)
    if plan is None or not common.in_scope(actor, plan.region):
        raise common.not_found("修复方案", "Restoration plan", plan_id)
    return plan


@dataclass(frozen=True)
class PlanTotals:
    restored_m2: Decimal
    spent: Decimal
    case_id: int | None


def _progress_totals() -> Any:
    return (select(RestorationProgress.plan_id,
                   func.sum(RestorationProgress.area_restored_m2).label("area"),
                   func.sum(RestorationProgress.money_spent).label("money"))
            .group_by(RestorationProgress.plan_id).subquery())


def _plan_rows(stmt: Select[Any], session: Session) -> list[tuple[RestorationPlan, PlanTotals]]:
    totals = _progress_totals()
    rows = session.execute(
        stmt.add_columns(totals.c.area, totals.c.money, SubstitutedRestorationCase.id)
        .outerjoin(totals, totals.c.plan_id == RestorationPlan.id)
        .outerjoin(SubstitutedRestorationCase,
                   SubstitutedRestorationCase.plan_id == RestorationPlan.id)).all()
    return [(plan, PlanTotals(common.yuan(area), common.yuan(money), case_id))
            for plan, area, money, case_id in rows]


def view_plan(plan: RestorationPlan, totals: PlanTotals, mine_name: str,
              today: date | None = None) -> PlanRead:
    today = today or date.today()
    planned = float(plan.planned_area_m2)
    return PlanRead(
        id=plan.id, mine_id=plan.mine_id, mine_name=mine_name, region=plan.region,
        region_name=regions.name_of(plan.region), mode=plan.mode,
        target_land_use=plan.target_land_use, planned_area_ha=common.m2_to_ha(planned),
        budget=plan.budget, obligor_name=plan.obligor_name, obligor_uscc=plan.obligor_uscc,
        deadline=plan.deadline, status=plan.status,
        overdue=plan.status != "accepted" and plan.deadline < today,
        accepted_date=plan.accepted_date,
        accepted_area_ha=common.m2_to_ha(plan.accepted_area_m2)
        if plan.accepted_area_m2 is not None else None,
        restored_area_ha=common.m2_to_ha(totals.restored_m2), money_spent=totals.spent,
        progress_share=round(float(totals.restored_m2) / planned, 4) if planned else 0.0,
        case_id=totals.case_id, notes=plan.notes, version=plan.version)


_STATUS_ORDER = {"in_progress": 0, "planned": 1, "accepted": 2}


def plan_sorting(today: date) -> paging.Sorting:
    """The orders the plan list and its export allow (``?sort=``). The default
    ("priority"): overdue first, then in progress, planned, accepted; by deadline."""
    overdue = and_(RestorationPlan.status != "accepted", RestorationPlan.deadline < today)
    return paging.Sorting({
        "priority": [case((overdue, 0), else_=1),
                     case(_STATUS_ORDER, value=RestorationPlan.status, else_=3),
                     RestorationPlan.deadline],
        "mode": [RestorationPlan.mode, RestorationPlan.target_land_use],
        "area": RestorationPlan.planned_area_m2,
        "deadline": RestorationPlan.deadline,
        "status": [case(_STATUS_ORDER, value=RestorationPlan.status, else_=3),
                   RestorationPlan.deadline],
    }, default="priority", tie_breakers=[RestorationPlan.id])


def _plans_query(actor: Principal, status: str, today: date,
                 sort: paging.Sort | None = None) -> Select[RestorationPlan]:
    """Plans in scope in the order ``sort`` (by default: overdue first, then in progress,
    planned, accepted; by deadline)."""
    stmt = scoped(select(RestorationPlan), RestorationPlan.region, actor)
    if status == "open":
        stmt = stmt.where(RestorationPlan.status != "accepted")
    elif status:
        stmt = stmt.where(RestorationPlan.status == status)
    sorting = plan_sorting(today)
    return stmt.order_by(*sorting.order_by(sort or sorting.default))


def _plan_views(session: Session, stmt: Select[Any], today: date) -> list[PlanRead]:
    rows = _plan_rows(stmt, session)
    names = mines.mines_by_id(session, [p.mine_id for p, _ in rows])
    return [view_plan(p, t, names[p.mine_id].name, today) for p, t in rows]


def list_plans(session: Session, actor: Principal, *, status: str = "",
               limit: int = 500) -> list[PlanRead]:
    """The restoration work-list: plans in scope with their progress, overdue first."""
    actor.require("ecology:read")
    today = date.today()
    return _plan_views(session, _plans_query(actor, status, today).limit(limit), today)


def plans_page(session: Session, actor: Principal, *, status: str = "", page: int = 1,
               sort: paging.Sort | None = None) -> Listing[PlanRead]:
    """One page of :func:`list_plans` in the order ``sort``, with the total."""
    actor.require("ecology:read")
    today = date.today()
    stmt = _plans_query(actor, status, today, sort)
    total = count_of(session, stmt)
    pages = page_count(total)
    page = min(max(page, 1), pages)
    rows = _plan_views(session, stmt.limit(LIST_PAGE_SIZE)
                       .offset((page - 1) * LIST_PAGE_SIZE), today)
    return Listing(rows, total, page, pages)


def all_plans(session: Session, actor: Principal, *, status: str = "",
              sort: paging.Sort | None = None) -> Iterator[PlanRead]:
    """Every plan of :func:`list_plans` in the order ``sort``, a thousand at a time (for
    the Excel export)."""
    actor.require("ecology:read")
    today = date.today()
    stmt = _plans_query(actor, status, today, sort)
    offset = 0
    while batch := _plan_views(session, stmt.limit(1_000).offset(offset), today):
        yield from batch
        offset += len(batch)


@dataclass(frozen=True)
class PlanCounts:
    total: int
    accepted: int
    overdue: int


def plan_counts(session: Session, actor: Principal, *, status: str = "") -> PlanCounts:
    """The figures above the work-list, counted in SQL."""
    actor.require("ecology:read")
    listed = _plans_query(actor, status, date.today()).order_by(None).subquery()
    total, accepted, overdue = session.execute(select(
        func.count(), func.count().filter(listed.c.status == "accepted"),
        func.count().filter(and_(listed.c.status != "accepted",
                                 listed.c.deadline < date.today())),
    ).select_from(listed)).one()
    return PlanCounts(int(total), int(accepted), int(overdue))


def waiting_work(session: Session, actor: Principal, today: date) -> list[WorkItem]:
    """The workbench's to-do for restoration staff: plans of the region not yet accepted,
    those past their deadline (方案期限) overdue, and the nearest coming deadline."""
    if not actor.can("ecology:write"):
        return []
    listed = _plans_query(actor, "open", today).order_by(None).subquery()
    late = listed.c.deadline < today
    count, overdue, nearest = session.execute(select(
        func.count(), func.count().filter(late), func.min(listed.c.deadline).filter(~late),
    ).select_from(listed)).one()
    return [WorkItem("restoration.plans", "修复方案待实施验收", int(count),
                     "/ecology/restoration?status=open", int(overdue), nearest)]


def plan_detail(session: Session, actor: Principal, plan_id: int) -> PlanDetail:
    plan = read_plan(session, actor, plan_id)
    [(row, totals)] = _plan_rows(select(RestorationPlan).where(RestorationPlan.id == plan.id),
                                 session)
    reports = session.scalars(select(RestorationProgress)
                              .where(RestorationProgress.plan_id == plan.id)
                              .order_by(RestorationProgress.quarter)).all()
    photos: dict[int, list[PhotoRead]] = {}
    for photo in session.execute(
            select(RestorationPhoto.id, RestorationPhoto.progress_id, RestorationPhoto.file_name,
                   RestorationPhoto.content_type, RestorationPhoto.size)
            .where(RestorationPhoto.progress_id.in_([r.id for r in reports]))
            .order_by(RestorationPhoto.id)):
        photos.setdefault(photo.progress_id, []).append(PhotoRead(
            id=photo.id, file_name=photo.file_name, content_type=photo.content_type,
            size=photo.size, url=f"/api/v1/ecology/restoration-photos/{photo.id}"))
    mine = mines.read_mine(session, actor, plan.mine_id)
    base = view_plan(row, totals, mine.name)
    return PlanDetail(**base.model_dump(), progress=[ProgressRead(
        id=r.id, quarter=rules.quarter_label(r.quarter),
        area_restored_ha=common.m2_to_ha(r.area_restored_m2), money_spent=r.money_spent,
        note=r.note, actor=r.actor, reported_at=r.reported_at,
        photos=photos.get(r.id, [])) for r in reports])


def mines_to_plan(session: Session, actor: Principal, *, page: int = 1
                  ) -> Listing[mines.Mine]:
    """Closed and abandoned mines in scope that have no plan yet (一矿一策 to do), a page
    with the total."""
    return mines.mines_without_plan(session, actor, select(RestorationPlan.mine_id),
                                    page=page)


def all_mines_to_plan(session: Session, actor: Principal) -> Iterator[mines.Mine]:
    """Every mine of :func:`mines_to_plan`, in its order (for the Excel export)."""
    return mines.all_mines_without_plan(session, actor, select(RestorationPlan.mine_id))


def plan_of_mine(session: Session, actor: Principal, mine_id: int) -> RestorationPlan | None:
    actor.require("ecology:read")
    plan = session.scalar(select(RestorationPlan).where(RestorationPlan.mine_id == mine_id))
    return plan if plan is not None and common.in_scope(actor, plan.region) else None


def report_progress(session: Session, actor: Principal, plan_id: int,
                    data: ProgressCreate) -> RestorationProgress:
    """A quarterly report (area restored, money spent). One report per quarter; an
    accepted plan takes no more reports; the restored total stays within the plan."""
    actor.require("ecology:write")
    plan = read_plan(session, actor, plan_id, for_update=True)
    if plan.status == "accepted":
        raise Conflict("修复方案已验收，不能再报送进度", "The plan is accepted; no more reports")
    quarter = rules.parse_quarter(data.quarter)
    if session.scalar(select(RestorationProgress.id).where(
            RestorationProgress.plan_id == plan.id, RestorationProgress.quarter == quarter)):
        raise Conflict(f"{rules.quarter_label(quarter)} 的进度已报送",
                       f"Progress of {rules.quarter_label(quarter)} is already reported")
    before = session.scalar(select(func.coalesce(func.sum(RestorationProgress.area_restored_m2),
                                                 0))
                            .where(RestorationProgress.plan_id == plan.id))
    area = common.ha_to_m2(data.area_restored_ha)
    rules.check_cumulative_area(plan.planned_area_m2, common.yuan(before), area)
    report = RestorationProgress(plan_id=plan.id, quarter=quarter, area_restored_m2=area,
                                 money_spent=data.money_spent, note=data.note.strip(),
                                 actor=actor.username)
    session.add(report)
    if plan.status == "planned":
        plan.status = "in_progress"
    flush(session)
    audit.record(session, actor=actor.username, action="restoration_plan.progress",
                 subject_type="restoration_plan", subject_id=plan.id,
                 payload={"quarter": rules.quarter_label(quarter), "area_m2": str(area),
                          "money_spent": str(data.money_spent)})
    return report


def add_photo(session: Session, actor: Principal, progress_id: int, file_name: str,
              content_type: str, content: bytes) -> RestorationPhoto:
    """Attach a photo: a JPEG, PNG or WebP image of at most 5 MB that decodes completely
    (:func:`minsheng.platform.uploads.verify_image`); it is stored with the type its
    content has, whatever ``content_type`` the client declared."""
    actor.require("ecology:write")
    report = session.get(RestorationProgress, progress_id)
    if report is None:
        raise common.not_found("进度报告", "Progress report", progress_id)
    read_plan(session, actor, report.plan_id)
    content_type = uploads.verify_image(content)
    photo = RestorationPhoto(progress_id=report.id, file_name=file_name[:255],
                             content_type=content_type, size=len(content),
                             sha256=hashlib.sha256(content).hexdigest(), content=content,
                             actor=actor.username)
    session.add(photo)
    session.flush()
    audit.record(session, actor=actor.username, action="restoration_plan.photo",
                 subject_type="restoration_plan", subject_id=report.plan_id,
                 payload={"progress_id": report.id, "sha256": photo.sha256})
    return photo


def read_photo(session: Session, actor: Principal, photo_id: int) -> RestorationPhoto:
    photo = session.get(RestorationPhoto, photo_id)
    if photo is None:
        raise common.not_found("照片", "Photo", photo_id)
    report = session.get(RestorationProgress, photo.progress_id)
    assert report is not None
    read_plan(session, actor, report.plan_id)
    return photo


def _accept(session: Session, actor: Principal, plan: RestorationPlan, on: date,
            area_ha: Decimal | None) -> None:
    if plan.status == "accepted":
        raise Conflict("修复方案已验收", "The plan is already accepted")
    restored = common.yuan(session.scalar(
        select(func.coalesce(func.sum(RestorationProgress.area_restored_m2), 0))
        .where(RestorationProgress.plan_id == plan.id)))
    area = common.ha_to_m2(area_ha) if area_ha is not None else restored
    if area <= 0:
        raise invalid_field("accepted_area_ha", "尚无修复进度，请填写验收面积",
                            "no area reported yet: give the accepted area")
    plan.status, plan.accepted_date, plan.accepted_area_m2 = "accepted", on, area
    flush(session)
    audit.record(session, actor=actor.username, action="restoration_plan.accept",
                 subject_type="restoration_plan", subject_id=plan.id,
                 payload={"accepted_date": on.isoformat(), "accepted_area_m2": str(area)})


def accept_plan(session: Session, actor: Principal, plan_id: int,
                data: AcceptanceCreate) -> RestorationPlan:
    """Acceptance (验收, 土地复垦条例 art. 28) with the accepted area (default: the area
    reported restored). A plan under a substituted-restoration case is accepted on the
    case, so that the case's money is settled first."""
    actor.require("ecology:write")
    plan = read_plan(session, actor, plan_id, for_update=True)
    common.check_version(plan.version, data.version)
    case = session.scalar(select(SubstitutedRestorationCase)
                          .where(SubstitutedRestorationCase.plan_id == plan.id))
    if case is not None:
        raise Conflict(f"该方案正在代为修复案件 {case.case_no} 中办理，请在案件中验收",
                       f"the plan is under substituted-restoration case {case.case_no}; "
                       "accept it on the case", extra={"case_id": case.id})
    _accept(session, actor, plan, data.accepted_date, data.accepted_area_ha)
    return plan


# --- substituted restoration -----------------------------------------------------------


def open_case(session: Session, actor: Principal, data: CaseCreate
              ) -> SubstitutedRestorationCase:
    """Open the supervision case of a plan with an obligor: state ``plan_filed``."""
    actor.require("ecology:write")
    plan = read_plan(session, actor, data.plan_id, for_update=True)
    rules.needs_obligor_for_substitution(plan.obligor_name)
    if plan.status == "accepted":
        raise Conflict("修复方案已验收，无需代为修复", "The plan is already accepted")
    existing = session.scalar(select(SubstitutedRestorationCase.id)
                              .where(SubstitutedRestorationCase.plan_id == plan.id))
    if existing is not None:
        raise Conflict(f"该方案已有代为修复案件（案件 {existing}）",
                       f"The plan already has a case ({existing})", extra={"existing_id": existing})
    case = SubstitutedRestorationCase(
        case_no=common.business_no(session, SubstitutedRestorationCase.case_no, "DX",
                                   plan.region),
        plan_id=plan.id, region=plan.region, state=CaseState.PLAN_FILED.value,
        filed_date=data.filed_date)
    session.add(case)
    session.flush()
    session.add(SubstitutedRestorationEvent(
        case_id=case.id, action="file_plan", from_state=None, to_state=case.state,
        step_date=data.filed_date, details=json.dumps({"plan_id": plan.id}), actor=actor.username))
    audit.record(session, actor=actor.username, action="substituted_restoration.file_plan",
                 subject_type="substituted_restoration_case", subject_id=case.id,
                 payload={"case_no": case.case_no, "plan_id": plan.id})
    session.flush()
    return case


def _load_case(session: Session, actor: Principal, case_id: int, *,
               for_update: bool = False) -> SubstitutedRestorationCase:
    actor.require("ecology:read")
    stmt = select(SubstitutedRestorationCase).where(SubstitutedRestorationCase.id == case_id)
    if for_update:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    case = session.scalar(stmt)
    if case is None or not common.in_scope(actor, case.region):
        raise common.not_found("代为修复案件", "Substituted-restoration case", case_id)
    return case


def money_of(case: SubstitutedRestorationCase) -> CaseMoney:
    shortfall = Decimal("0.00")
    if case.actual_cost is not None:
        shortfall = case.actual_cost + case.assessment_fee - case.drawn_amount
    return CaseMoney(shortfall=shortfall,
                     arrears=case.receivable_amount - case.recovered_amount)


def _need(value: Any, field: str, zh: str) -> Any:
    if value is None or value == "":
        raise invalid_field(field, f"请填写{zh}", f"{field} is required for this step")
    return value


def notice_min_days(session: Session, region: str, on: date) -> int | None:
    """The fewest days an acceptance result is posted in ``region`` for a notice starting
    ``on`` (the ``RestorationNoticeRule`` in force that month), ``None`` if none."""
    rule = rulebook.one_in_force(session, RestorationNoticeRule, region, month_of(on))
    return None if rule is None else rule.min_days


def act(session: Session, actor: Principal, case_id: int, action: CaseAction,
        data: CaseStep) -> SubstitutedRestorationCase:
    """One step of a case (see ``rules.TRANSITIONS``) with the step's facts."""
    actor.require("ecology:write")
    case = _load_case(session, actor, case_id, for_update=True)
    common.check_version(case.version, data.version)
    before = CaseState(case.state)
    after = rules.next_state(before, action, money_of(case))  # 409 names the state
    details: dict[str, Any] = {}
    if action is CaseAction.DEPOSIT_FUND:
        amount = _need(data.amount, "amount", "存入金额")
        if amount <= 0:
            raise invalid_field("amount", "存入金额应大于0", "the deposit must be positive")
        case.deposit_amount = amount
        case.deposit_bank = _need(data.bank.strip(), "bank", "监管银行")
        case.agreement_no = _need(data.agreement_no.strip(), "agreement_no", "监管协议编号")
        details = {"amount": str(amount), "bank": case.deposit_bank,
                   "agreement_no": case.agreement_no}
    elif action is CaseAction.ISSUE_REMINDER:
        case.reminders += 1
        details = {"reminder": case.reminders}
    elif action is CaseAction.RECORD_DEFAULT:
        case.default_kind = _need(data.default_kind, "default_kind", "认定情形")
        details = {"default_kind": case.default_kind}
    elif action is CaseAction.TAKE_OVER:
        case.contractor = _need(data.contractor.strip(), "contractor", "施工单位")
        case.cost_estimate = _need(data.cost_estimate, "cost_estimate", "费用估算")
        details = {"contractor": case.contractor, "cost_estimate": str(case.cost_estimate)}
    elif action is CaseAction.DRAW_DEPOSIT:
        cost = _need(data.actual_cost, "actual_cost", "修复实际费用")
        settled = rules.draw_down(case.deposit_amount, cost, data.assessment_fee)
        case.actual_cost, case.assessment_fee = cost, data.assessment_fee
        case.drawn_amount, case.refund_amount = settled.drawn, settled.refund
        details = {"actual_cost": str(cost), "assessment_fee": str(data.assessment_fee),
                   "drawn": str(settled.drawn), "refund": str(settled.refund),
                   "shortfall": str(settled.shortfall)}
    elif action is CaseAction.OPEN_RECOVERY:
        case.receivable_amount = money_of(case).shortfall
        details = {"receivable": str(case.receivable_amount)}
    elif action is CaseAction.RECORD_PAYMENT:
        amount = _need(data.amount, "amount", "到账金额")
        case.recovered_amount = rules.apply_payment(case.receivable_amount,
                                                    case.recovered_amount, amount)
        details = {"amount": str(amount), "recovered": str(case.recovered_amount),
                   "arrears": str(case.receivable_amount - case.recovered_amount)}
    elif action is CaseAction.ACCEPT:
        plan = read_plan(session, actor, case.plan_id, for_update=True)
        _accept(session, actor, plan, data.on, data.accepted_area_ha)
        details = {"accepted_area_m2": str(plan.accepted_area_m2)}
    elif action is CaseAction.PUBLISH_NOTICE:
        days = rules.notice_days(data.notice_days,
                                 notice_min_days(session, case.region, data.on))
        case.notice_start = data.on
        case.notice_end = data.on + timedelta(days=days - 1)
        details = {"notice_start": data.on.isoformat(),
                   "notice_end": case.notice_end.isoformat()}
    if data.note.strip():
        details["note"] = data.note.strip()
    case.state = after.value
    flush(session)
    session.add(SubstitutedRestorationEvent(
        case_id=case.id, action=action.value, from_state=before.value, to_state=after.value,
        step_date=data.on, details=json.dumps(details, ensure_ascii=False),
        actor=actor.username))
    audit.record(session, actor=actor.username, action=f"substituted_restoration.{action.value}",
                 subject_type="substituted_restoration_case", subject_id=case.id,
                 payload={"from": before.value, "to": after.value, "on": data.on.isoformat(),
                          **details})
    session.flush()
    return case


def read_case(session: Session, actor: Principal, case_id: int) -> CaseRead:
    case = _load_case(session, actor, case_id)
    plan = read_plan(session, actor, case.plan_id)
    mine = mines.read_mine(session, actor, plan.mine_id)
    events = session.scalars(select(SubstitutedRestorationEvent)
                             .where(SubstitutedRestorationEvent.case_id == case.id)
                             .order_by(SubstitutedRestorationEvent.id)).all()
    money = money_of(case)
    state = CaseState(case.state)
    return CaseRead(
        id=case.id, case_no=case.case_no, plan_id=plan.id, mine_id=mine.id, mine_name=mine.name,
        region=case.region, obligor_name=plan.obligor_name, state=case.state,
        state_label=rules.STATE_LABELS[state], filed_date=case.filed_date,
        deposit_amount=case.deposit_amount, deposit_bank=case.deposit_bank,
        agreement_no=case.agreement_no, reminders=case.reminders,
        default_kind=case.default_kind, contractor=case.contractor,
        cost_estimate=case.cost_estimate, actual_cost=case.actual_cost,
        assessment_fee=case.assessment_fee, drawn_amount=case.drawn_amount,
        refund_amount=case.refund_amount, shortfall=money.shortfall,
        receivable_amount=case.receivable_amount, recovered_amount=case.recovered_amount,
        arrears=money.arrears, notice_start=case.notice_start, notice_end=case.notice_end,
        allowed_actions=[a.value for a in rules.allowed_actions(state, money)],
        version=case.version,
        events=[CaseEventRead(
            action=e.action,
            action_label=_action_label(e.action),
            from_state=e.from_state, to_state=e.to_state,
            to_state_label=rules.STATE_LABELS[CaseState(e.to_state)], step_date=e.step_date,
            details=json.loads(e.details), actor=e.actor, occurred_at=e.occurred_at)
            for e in events])


def _action_label(action: str) -> str:
    try:
        return rules.ACTION_LABELS[CaseAction(action)]
    except ValueError:
        return "立案（修复方案备案）"


def list_cases(session: Session, actor: Principal) -> list[SubstitutedRestorationCase]:
    actor.require("ecology:read")
    stmt = scoped(select(SubstitutedRestorationCase), SubstitutedRestorationCase.region, actor)
    return list(session.scalars(stmt.order_by(SubstitutedRestorationCase.id)))


# --- figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictRestoration:
    plans: int
    area_m2: Decimal
    funds: Decimal


def _accepted(prefix: str, period: common.Period, site_kind: str = "mine"
              ) -> tuple[ColumnElement[bool], ...]:
    """Plans accepted in the period (by ``accepted_date``) in the region ``prefix`` as
    divided today, of sites of one kind; mines count when they are open-pit mines
    (废弃露天矿山), the report's figure."""
    sites = mines.site_ids(site_kind, "open_pit" if site_kind == "mine" else None)
    return (RestorationPlan.status == "accepted",
            regions.within_sql(RestorationPlan.region, prefix),
            period.contains(RestorationPlan.accepted_date),
            RestorationPlan.mine_id.in_(sites))


def restored_figures(prefix: str, period: common.Period, by_district: bool = False,
                     site_kind: str = "mine") -> Select[Any]:
    """The one definition of the restoration figures (the summary page, its ranking and
    the scorecard): rows ``(key, plans, accepted area m², money spent)`` of the plans
    accepted in the period in the region ``prefix`` as divided today (a plan filed in
    500105 江北区 counts under 500157 两江新区), for sites of one kind. The money is all
    the quarterly spending reported for those plans, whatever the quarter."""
    totals = _progress_totals()
    key = common.district_key(RestorationPlan.region, by_district)
    return common.grouped(
        select(key, func.count(RestorationPlan.id),
               func.coalesce(func.sum(RestorationPlan.accepted_area_m2), 0),
               func.coalesce(func.sum(totals.c.money), 0))
        .outerjoin(totals, totals.c.plan_id == RestorationPlan.id)
        .where(*_accepted(prefix, period, site_kind)), key, by_district)


def share_city(prefix: str) -> str:
    """The city a region's share is taken of: its province (``50`` for 500102), or
    Chongqing when the region names none."""
    return prefix[:2] or common.CITY


def restored_share(prefix: str, period: common.Period, by_district: bool = False
                   ) -> Select[Any]:
    """The share of the city's restored area (修复面积占全市比例): rows ``(key, accepted
    area m² in the region, accepted area m² in the whole city)``; the denominator is
    the same figure for the whole city (:func:`share_city`), whatever region is asked."""
    city = (select(func.coalesce(func.sum(RestorationPlan.accepted_area_m2), 0))
            .where(*_accepted(share_city(prefix), period)).scalar_subquery())
    key = common.district_key(RestorationPlan.region, by_district)
    return common.grouped(
        select(key, func.coalesce(func.sum(RestorationPlan.accepted_area_m2), 0), city)
        .where(*_accepted(prefix, period)), key, by_district)


def restored_records(prefix: str, period: common.Period) -> RecordSelect:
    """The plans behind :func:`restored_figures` (mines), one row per mine."""
    return (select(RestorationPlan.id.label("record"), mines.Mine.name.label("name"),
                   cast(null(), String).label("resident_id"),
                   RestorationPlan.region.label("region"),
                   RestorationPlan.accepted_date.label("day"),
                   ("验收修复面积（平方米）" + cast(RestorationPlan.accepted_area_m2, String))
                   .label("detail"))
            .join(mines.Mine, mines.Mine.id == RestorationPlan.mine_id)
            .where(*_accepted(prefix, period))
            .order_by(RestorationPlan.accepted_date, RestorationPlan.id))


def restored_features(session: Session, prefix: str, period: common.Period
                      ) -> list[dict[str, Any]]:
    """Where the plans behind :func:`restored_figures` lie: each restored mine's polygon
    (layer ``restored``), in the plan's region (the scorecard's map)."""
    rows = session.execute(
        select(mines.Mine, RestorationPlan.region, RestorationPlan.accepted_date,
               RestorationPlan.accepted_area_m2)
        .join(RestorationPlan, RestorationPlan.mine_id == mines.Mine.id)
        .where(*_accepted(prefix, period))
        .order_by(RestorationPlan.accepted_date, RestorationPlan.id)).all()
    return [feature(mine, "restored", f"/ecology/mines/{mine.id}", {
        "name": mine.name, "region": region,
        "detail": f"{day} 验收 · 修复面积 {common.m2_to_ha(area):,.2f} 公顷"})
        for mine, region, day, area in rows]


def restored_totals(session: Session, prefix: str, period: common.Period,
                    site_kind: str = "mine") -> DistrictRestoration:
    """:func:`restored_figures` of one region as a whole."""
    _, n, area, money = session.execute(restored_figures(prefix, period,
                                                         site_kind=site_kind)).one()
    return DistrictRestoration(int(n), common.yuan(area), common.yuan(money))


def share_totals(session: Session, prefix: str, period: common.Period
                 ) -> tuple[Decimal, Decimal]:
    """:func:`restored_share` of one region: (its accepted area m², the city's)."""
    _, area, city = session.execute(restored_share(prefix, period)).one()
    return common.yuan(area), common.yuan(city)


def accepted_by_district(session: Session, province: str, period: common.Period,
                         site_kind: str = "mine") -> dict[str, DistrictRestoration]:
    """:func:`restored_figures` per district of a province (today's districts):
    aggregates only, for the city total and the districts' ranking."""
    rows = session.execute(restored_figures(province, period, True, site_kind)).all()
    return {region: DistrictRestoration(int(n), common.yuan(area), common.yuan(money))
            for region, n, area, money in rows}


def restored_mine_ids(session: Session, actor: Principal) -> set[int]:
    """Mines in scope whose restoration is accepted (the map colours them)."""
    actor.require("ecology:read")
    stmt = scoped(select(RestorationPlan.mine_id).where(RestorationPlan.status == "accepted"),
                  RestorationPlan.region, actor)
    return set(session.scalars(stmt))
