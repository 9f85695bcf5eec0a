"""Personnel-file pages: the staff register (人事档案: search by full ID in the region,
transfers in transit with the overdue in red, files lacking required items, each paged
with an Excel export), a file page with its index and transfer actions, and the
person's 我的人事档案 (where my file is, transfer progress)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.hrss.personnelfile import rules
from minsheng.hrss.personnelfile.schemas import CustodianCreate, CustodyOpen
from minsheng.hrss.personnelfile.service import custody, items, transfers
from minsheng.hrss.registry import service as registry
from minsheng.platform import exports, uploads
from minsheng.platform.errors import DomainError, invalid_field
from minsheng.platform.paging import PageNumber
from minsheng.platform.types import IdPath
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import attempt, optional_date, page_problem, parse_form
from minsheng.platform.web.templating import Viewer, page_router, page_user_with, render

router = page_router()

Reader = Annotated[Viewer, Depends(page_user_with("talent:read"))]
Writer = Annotated[Viewer, Depends(page_user_with("talent:write"))]
Talent = Annotated[Viewer, Depends(page_user_with("talent:self"))]

T = "personnelfile/"
NOTICES = {
    "dispatched": "档案已转出，待接收机构确认接收。",
    "received": "已确认接收，档案已转入本机构保管。",
    "added": "档案材料已登记，校验码已记录。",
    "opened": "已接收存档。",
    "custodian": "档案管理机构已登记。",
}


def _helpers() -> dict[str, Any]:
    return {"categories": rules.FILE_CATEGORIES, "today": date.today(),
            "is_overdue": transfers.is_overdue,
            "transfer_states": {s.value: label
                                for s, label in rules.TRANSFER_STATE_LABELS.items()}}






# --- the staff register -----------------------------------------------------------------


def _index(request: Request, session: Session, viewer: Viewer, *, page: int = 1,
           tpage: int = 1, mpage: int = 1, overdue: bool = False, problem: DomainError | None
           = None, notice: str = "", status_code: int = 200, tsort: str = "") -> HTMLResponse:
    actor = viewer.principal
    order = transfers.TRANSFER_SORTING.parse(tsort)
    sort_param = "" if order == transfers.TRANSFER_SORTING.default else order.param
    register = custody.register_page(session, actor, page)
    moving = transfers.in_transit_page(session, actor, overdue=overdue, page=tpage,
                                       sort=order)
    missing, lacking = items.missing_page(session, actor, page=mpage)
    return render(request, T + "index.html", {
        "title": "人事档案", "active": "personnelfile", "register": register,
        "moving": moving, "missing": missing, "lacking": lacking, "overdue": overdue,
        "held": custody.held_count(session, actor),
        "own_custodians": [(c.code, c.name) for c in custody.custodians(session, actor)
                           if actor.sees_region(c.region) and c.peer_node is None],
        "my_region": actor.region_code,
        "custodian_list": [c for c in custody.custodians(session, actor)
                           if actor.sees_region(c.region)],
        "q_register": urlencode({k: v for k, v in {
            "tpage": moving.page, "mpage": missing.page, "tsort": sort_param}.items() if v}),
        "q_moving": urlencode({k: v for k, v in {
            "page": register.page, "mpage": missing.page,
            "overdue": "true" if overdue else "", "tsort": sort_param}.items() if v}),
        "q_missing": urlencode({k: v for k, v in {
            "page": register.page, "tpage": moving.page, "tsort": sort_param}.items() if v}),
        "q_transfer_export": urlencode({k: v for k, v in {
            "overdue": "true" if overdue else "", "tsort": sort_param}.items() if v}),
        "transfer_sort": order, "transfer_sorting_default": transfers.TRANSFER_SORTING.default,
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""), **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/talent/files")
def file_index(request: Request, session: SessionDep, viewer: Reader, page: PageNumber = 1,
               tpage: PageNumber = 1, mpage: PageNumber = 1, overdue: bool = False,
               done: str = "", tsort: str = "") -> HTMLResponse:
    return _index(request, session, viewer, page=page, tpage=tpage, mpage=mpage,
                  overdue=overdue, notice=done, tsort=tsort)


@router.post("/talent/files/search")
def file_search(request: Request, session: SessionDep, viewer: Reader,
                resident_id: Annotated[str, Form()] = "") -> Response:
    """By full resident ID, among the files the region holds or receives."""
    actor = viewer.principal
    found: list[int] = []

    def search() -> None:
        person_id = custody.find_in_region(session, actor, resident_id.strip())
        if person_id is None:
            raise invalid_field("resident_id", "本辖区没有该公民身份号码的人事档案",
                                "no file of that ID in your region")
        found.append(person_id)

    error = attempt(session, search)
    if error:
        return _index(request, session, viewer, problem=error, status_code=error.status_code)
    return RedirectResponse(f"/talent/files/{found[0]}", status_code=303)


@router.post("/talent/files/custody")
def file_open(request: Request, session: SessionDep, viewer: Writer,
              resident_id: Annotated[str, Form()] = "",
              custodian: Annotated[str, Form()] = "",
              since: Annotated[str, Form()] = "") -> Response:
    """接收存档: a file no custodian holds is taken by one of the region's custodians."""
    actor = viewer.principal
    found: list[int] = []

    def take() -> None:
        person = registry.find_by_resident_id(session, resident_id.strip())
        if person is None:
            raise invalid_field("resident_id", "未找到该公民身份号码的人员",
                                "no person with that ID number")
        custody.take_into_custody(session, actor, person.id, parse_form(CustodyOpen, {
            "custodian": custodian.strip(),
            "since": optional_date(since, "since") or date.today()}))
        found.append(person.id)

    error = attempt(session, take)
    if error:
        return _index(request, session, viewer, problem=error, status_code=error.status_code)
    return RedirectResponse(f"/talent/files/{found[0]}?done=opened", status_code=303)


@router.post("/talent/files/custodians")
def custodian_register(request: Request, session: SessionDep, viewer: Writer,
                       code: Annotated[str, Form()] = "", name: Annotated[str, Form()] = "",
                       region: Annotated[str, Form()] = "") -> Response:
    """登记档案管理机构 of the clerk's region."""
    actor = viewer.principal

    def register() -> None:
        custody.register_custodian(session, actor, parse_form(CustodianCreate, {
            "code": code.strip(), "name": name.strip(),
            "region": region.strip() or actor.region_code}))

    error = attempt(session, register)
    if error:
        return _index(request, session, viewer, problem=error, status_code=error.status_code)
    return RedirectResponse("/talent/files?done=custodian", status_code=303)


def _transfer_rows(rows: list[Any], actor: Any) -> list[list[Any]]:
    return [[t.transfer_no, name, exports.resident_id_for(actor, rid), sender, receiver,
             t.dispatched_on.isoformat(), t.receipt_due.isoformat(),
             "已超期" if transfers.is_overdue(t) else ""]
            for t, name, rid, sender, receiver in rows]


@router.get("/talent/files/transfers.xlsx")
def transfers_export(session: SessionDep, viewer: Reader, overdue: bool = False,
                     tsort: str = "") -> Response:
    """The in-transit list as .xlsx, in the list's order; audited."""
    actor = viewer.principal
    content = exports.audited_xlsx(
        session, actor, action="personnelfile.export", subject_type="file_transfers",
        subject_id=actor.region_code or "", filters={"overdue": overdue}, sheet="在途档案",
        headers=["转递编号", "姓名", "公民身份号码", "转出机构", "接收机构", "转出日期",
                 "回执期限", "超期"],
        rows=_transfer_rows(list(transfers.all_in_transit(
            session, actor, overdue=overdue, sort=transfers.TRANSFER_SORTING.parse(tsort))),
            actor))
    return exports.xlsx_response(content, "在途人事档案.xlsx")


@router.get("/talent/files/missing.xlsx")
def missing_export(session: SessionDep, viewer: Reader) -> Response:
    actor = viewer.principal
    rows = ([name, exports.resident_id_for(actor, rid), holder,
             "、".join(f"第{c}类{rules.FILE_CATEGORIES[c]}" for c in lacks)]
            for (_, name, rid, holder, _held), lacks in items.all_missing(session, actor))
    content = exports.audited_xlsx(
        session, actor, action="personnelfile.export", subject_type="file_missing",
        subject_id=actor.region_code or "", filters={}, sheet="档案缺件",
        headers=["姓名", "公民身份号码", "存档机构", "缺少材料"], rows=rows)
    return exports.xlsx_response(content, "人事档案缺件清单.xlsx")


# --- a file -----------------------------------------------------------------------------


def _file_page(request: Request, session: Session, viewer: Viewer, person_id: int, *,
               problem: DomainError | None = None, notice: str = "",
               status_code: int = 200) -> HTMLResponse:
    actor = viewer.principal
    found = custody.read_file(session, actor, person_id)
    required = items.required_categories(session, actor.region_code)
    moving = next((t for t in found.transfers if t.state == "dispatched"), None)
    return render(request, T + "file.html", {
        "title": f"人事档案 {found.person.name}", "active": "personnelfile", "f": found,
        "moving": moving,
        "missing": rules.missing_categories(required, {i.category for i in found.items}),
        "can_dispatch": (actor.can("talent:write") and moving is None
                         and found.custody is not None
                         and actor.sees_region(found.custody.region)),
        "can_receive": (actor.can("talent:write") and moving is not None
                        and actor.sees_region(moving.to_region)),
        "custodians": [(c.code, c.name) for c in custody.custodians(session, actor)
                       if found.custody is None or c.id != found.custody.custodian_id],
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""), **_helpers(),
    }, viewer=viewer, status_code=status_code)


@router.get("/talent/files/{person_id}")
def file_detail(request: Request, session: SessionDep, viewer: Reader, person_id: IdPath,
                done: str = "") -> HTMLResponse:
    return _file_page(request, session, viewer, person_id, notice=done)


@router.post("/talent/files/{person_id}/transfer")
def file_dispatch(request: Request, session: SessionDep, viewer: Writer, person_id: IdPath,
                  to_custodian: Annotated[str, Form()] = "",
                  on: Annotated[str, Form()] = "",
                  version: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal
    seen = int(version) if version.strip().isdigit() else None

    def send() -> None:
        if not to_custodian.strip():
            raise invalid_field("to_custodian", "请选择接收档案的机构", "choose the custodian")
        transfers.dispatch(session, actor, person_id, to_custodian.strip(),
                           optional_date(on, "on"), seen)

    error = attempt(session, send)
    if error:
        return _file_page(request, session, viewer, person_id, problem=error,
                          status_code=error.status_code)
    return RedirectResponse(f"/talent/files/{person_id}?done=dispatched", status_code=303)


@router.post("/talent/files/{person_id}/receive")
def file_receive(request: Request, session: SessionDep, viewer: Writer, person_id: IdPath,
                 on: Annotated[str, Form()] = "",
                 version: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal
    seen = int(version) if version.strip().isdigit() else None
    error = attempt(session, lambda: transfers.receive(session, actor, person_id,
                                                       optional_date(on, "on"), seen))
    if error:
        return _file_page(request, session, viewer, person_id, problem=error,
                          status_code=error.status_code)
    return RedirectResponse(f"/talent/files/{person_id}?done=received", status_code=303)


@router.post("/talent/files/{person_id}/items")
def file_add_item(request: Request, session: SessionDep, viewer: Writer, person_id: IdPath,
                  category: Annotated[str, Form()] = "", title: Annotated[str, Form()] = "",
                  pages: Annotated[str, Form()] = "",
                  file: Annotated[UploadFile | None, File()] = None) -> Response:
    actor = viewer.principal

    def add() -> None:
        if not category.strip().isdigit():
            raise invalid_field("category", "请选择材料类别", "choose the category")
        if not pages.strip().isdigit():
            raise invalid_field("pages", "页数应为正整数", "pages is a whole number")
        if file is None or not file.filename:
            raise invalid_field("file", "请选择扫描件", "choose the scan")
        content = uploads.read_limited(file.file, items.MAX_SCAN_BYTES)
        items.add_item(session, actor, person_id, category=int(category), title=title,
                       pages=int(pages), content=content)

    error = attempt(session, add)
    if error:
        return _file_page(request, session, viewer, person_id, problem=error,
                          status_code=error.status_code)
    return RedirectResponse(f"/talent/files/{person_id}?done=added", status_code=303)


# --- the person -------------------------------------------------------------------------


@router.get("/my/talent/file")
def my_file(request: Request, session: SessionDep, viewer: Talent) -> HTMLResponse:
    """我的人事档案: where my file is, and the progress of a transfer."""
    found = custody.my_file(session, viewer.principal)
    moving = (next((t for t in found.transfers if t.state == "dispatched"), None)
              if found else None)
    return render(request, T + "my_file.html", {
        "title": "我的人事档案", "f": found, "moving": moving, **_helpers(),
    }, viewer=viewer)
