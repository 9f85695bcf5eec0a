"""Talent pages: the staff overview (人才服务) with the counts by level, the certificate,
title and introduction lists (paged, filtered, exported, IDs masked) with their forms, the
bulk import with its row report; the employer's 申报引进人才.

Handlers parse the form, call one service function inside a savepoint (a refused form
leaves nothing behind) and redirect, or show the page again with the problem.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from minsheng.hrss.registry import service as registry
from minsheng.hrss.registry.service import Employer
from minsheng.hrss.talent import rules
from minsheng.hrss.talent.schemas import (
    EventCreate,
    IntroductionCreate,
    SkillCertificateCreate,
    TitleCreate,
)
from minsheng.hrss.talent.service import counts, introductions, records, uploads
from minsheng.hrss.talent.service.records import ListFilter
from minsheng.platform import exports, imports
from minsheng.platform import uploads as upload_kit
from minsheng.platform.errors import DomainError, invalid_field
from minsheng.platform.paging import PageNumber, Sort, Sorting
from minsheng.platform.types import IdPath, YearQuery
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import attempt, page_problem, parse_form, required_date
from minsheng.platform.web.templating import Viewer, page_router, page_user_with, render

router = page_router()

Reader = Annotated[Viewer, Depends(page_user_with("talent:read"))]
Writer = Annotated[Viewer, Depends(page_user_with("talent:write"))]
EmployerUser = Annotated[Viewer, Depends(page_user_with("talent:employer"))]
LevelQuery = Annotated[str, Query(max_length=16, pattern=r"^[a-z0-9_]*$", description="等级")]
TextQuery = Annotated[str, Query(max_length=40, pattern=r"^[^\x00]*$", description="检索词")]
SeriesQuery = Annotated[str, Query(max_length=16, pattern=r"^[a-z]*$", description="职称系列")]

T = "talent/"
NOTICES = {
    "certificate": "职业技能等级证书已登记。",
    "title": "职称已登记。",
    "introduction": "引进人才已申报。",
    "event": "人才活动已登记。",
    "imported": "批量导入已完成，全部记录已入库。",
}


def _helpers() -> dict[str, Any]:
    return {"skill_levels": rules.SKILL_LEVEL_LABELS, "title_levels": rules.TITLE_LEVEL_LABELS,
            "series_labels": rules.TITLE_SERIES, "today": date.today()}






def _person(session: Session, resident_id: str) -> int:
    person = registry.find_by_resident_id(session, resident_id.strip().upper())
    if person is None:
        raise invalid_field("person_id", "未找到该公民身份号码的人员",
                            "no person with that ID number")
    return person.id


# --- overview -------------------------------------------------------------------------


@router.get("/talent")
def overview(request: Request, session: SessionDep, viewer: Reader,
             year: YearQuery | None = None) -> HTMLResponse:
    """人才服务: skilled and professional-technical talent by level, the year's
    introductions and postdoctoral intake, the talent events."""
    actor = viewer.principal
    found = counts.talent_counts(session, actor, year=year)
    return render(request, T + "index.html", {
        "title": "人才服务", "active": "talent", "counts": found,
        "events": introductions.events(session, actor)[:10], **_helpers(),
    }, viewer=viewer)


# --- certificates -----------------------------------------------------------------------


def _filter(level: str, year: int | None, q: str, sort: Sort | None = None) -> ListFilter:
    return ListFilter(level=level, year=year, q=q.strip(), sort=sort)


def _sort_param(sorting: Sorting, flt: ListFilter) -> str:
    """The ``sort`` value links carry: none for the default order."""
    order = flt.sort or sorting.default
    return "" if order == sorting.default else order.param


def _certificates(request: Request, session: Session, viewer: Viewer, flt: ListFilter,
                  page: int, *, problem: DomainError | None = None, notice: str = "",
                  status_code: int = 200) -> HTMLResponse:
    listing = records.certificates_page(session, viewer.principal, flt, page)
    query = urlencode({k: v for k, v in {
        "level": flt.level, "year": flt.year or "", "q": flt.q,
        "sort": _sort_param(records.CERTIFICATE_SORTING, flt)}.items() if v})
    sorting = {"list_sort": flt.sort or records.CERTIFICATE_SORTING.default,
               "list_sorting_default": records.CERTIFICATE_SORTING.default}
    return render(request, T + "certificates.html", {
        "title": "职业技能等级证书", "active": "talent", "listing": listing, "flt": flt,
        **sorting,
        "query": query, "problem": page_problem(problem), "notice": NOTICES.get(notice, ""),
        **_helpers()}, viewer=viewer, status_code=status_code)


@router.get("/talent/certificates")
def certificate_list(request: Request, session: SessionDep, viewer: Reader,
                     level: LevelQuery = "", year: YearQuery | None = None, q: TextQuery = "",
                     page: PageNumber = 1, done: str = "", sort: str = "") -> HTMLResponse:
    return _certificates(request, session, viewer,
                         _filter(level, year, q, records.CERTIFICATE_SORTING.parse(sort)),
                         page, notice=done)


@router.get("/talent/certificates.xlsx")
def certificate_export(session: SessionDep, viewer: Reader, level: LevelQuery = "",
                       year: YearQuery | None = None, q: TextQuery = "",
                       sort: str = "") -> Response:
    """The certificate list as .xlsx in the list's order, resident IDs masked; audited
    (``talent.export``)."""
    actor = viewer.principal
    flt = _filter(level, year, q, records.CERTIFICATE_SORTING.parse(sort))
    content = exports.audited_xlsx(
        session, actor, action="talent.export", subject_type="skill_certificates",
        subject_id=actor.region_code or "", filters={"level": level, "year": year, "q": q},
        sheet="职业技能等级证书",
        headers=["证书编号", "姓名", "公民身份号码", "职业编码", "等级", "发证机构", "发证日期"],
        rows=([c.certificate_no, name, exports.resident_id_for(actor, rid), c.occupation_code,
               rules.skill_level_label(c.level), c.issuing_body, c.issued_on.isoformat()]
              for c, name, rid in records.all_certificates(session, actor, flt)))
    return exports.xlsx_response(content, "职业技能等级证书.xlsx")


@router.post("/talent/certificates")
def certificate_record(request: Request, session: SessionDep, viewer: Writer,
                       resident_id: Annotated[str, Form()] = "",
                       occupation_code: Annotated[str, Form()] = "",
                       level: Annotated[str, Form()] = "",
                       certificate_no: Annotated[str, Form()] = "",
                       issued_on: Annotated[str, Form()] = "",
                       issuing_body: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal

    def save() -> None:
        if not level.isdigit():
            raise invalid_field("level", "请选择职业技能等级", "choose a level")
        records.record_certificate(session, actor, parse_form(SkillCertificateCreate, {
            "person_id": _person(session, resident_id), "occupation_code": occupation_code,
            "level": int(level), "certificate_no": certificate_no,
            "issued_on": required_date(issued_on, "issued_on"), "issuing_body": issuing_body}))

    error = attempt(session, save)
    if error:
        return _certificates(request, session, viewer, ListFilter(), 1, problem=error,
                             status_code=error.status_code)
    return RedirectResponse("/talent/certificates?done=certificate", status_code=303)


# --- titles ------------------------------------------------------------------------------


def _titles(request: Request, session: Session, viewer: Viewer, flt: ListFilter, series: str,
            page: int, *, problem: DomainError | None = None, notice: str = "",
            status_code: int = 200) -> HTMLResponse:
    listing = records.titles_page(session, viewer.principal, flt, series, page)
    query = urlencode({k: v for k, v in {
        "level": flt.level, "series": series, "year": flt.year or "", "q": flt.q,
        "sort": _sort_param(records.TITLE_SORTING, flt)}.items() if v})
    sorting = {"list_sort": flt.sort or records.TITLE_SORTING.default,
               "list_sorting_default": records.TITLE_SORTING.default}
    return render(request, T + "titles.html", {
        "title": "职称", "active": "talent", "listing": listing, "flt": flt, "series": series,
        **sorting,
        "query": query, "problem": page_problem(problem), "notice": NOTICES.get(notice, ""),
        **_helpers()}, viewer=viewer, status_code=status_code)


@router.get("/talent/titles")
def title_list(request: Request, session: SessionDep, viewer: Reader, level: LevelQuery = "",
               series: SeriesQuery = "", year: YearQuery | None = None, q: TextQuery = "",
               page: PageNumber = 1, done: str = "", sort: str = "") -> HTMLResponse:
    return _titles(request, session, viewer,
                   _filter(level, year, q, records.TITLE_SORTING.parse(sort)), series, page,
                   notice=done)


@router.get("/talent/titles.xlsx")
def title_export(session: SessionDep, viewer: Reader, level: LevelQuery = "",
                 series: SeriesQuery = "", year: YearQuery | None = None,
                 q: TextQuery = "", sort: str = "") -> Response:
    actor = viewer.principal
    flt = _filter(level, year, q, records.TITLE_SORTING.parse(sort))
    content = exports.audited_xlsx(
        session, actor, action="talent.export", subject_type="professional_titles",
        subject_id=actor.region_code or "",
        filters={"level": level, "series": series, "year": year, "q": q}, sheet="职称",
        headers=["证书编号", "姓名", "公民身份号码", "职称系列", "职称等级", "发证机构",
                 "取得日期"],
        rows=([t.certificate_no, name, exports.resident_id_for(actor, rid),
               rules.TITLE_SERIES.get(t.series, t.series), rules.TITLE_LEVEL_LABELS[t.level],
               t.issuing_body, t.granted_on.isoformat()]
              for t, name, rid in records.all_titles(session, actor, flt, series)))
    return exports.xlsx_response(content, "职称.xlsx")


@router.post("/talent/titles")
def title_record(request: Request, session: SessionDep, viewer: Writer,
                 resident_id: Annotated[str, Form()] = "",
                 series: Annotated[str, Form()] = "", level: Annotated[str, Form()] = "",
                 certificate_no: Annotated[str, Form()] = "",
                 granted_on: Annotated[str, Form()] = "",
                 issuing_body: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal

    def save() -> None:
        records.record_title(session, actor, parse_form(TitleCreate, {
            "person_id": _person(session, resident_id), "series": series, "level": level,
            "certificate_no": certificate_no, "granted_on": required_date(granted_on, "granted_on"),
            "issuing_body": issuing_body}))

    error = attempt(session, save)
    if error:
        return _titles(request, session, viewer, ListFilter(), "", 1, problem=error,
                       status_code=error.status_code)
    return RedirectResponse("/talent/titles?done=title", status_code=303)


# --- introductions and events -----------------------------------------------------------


def _introductions(request: Request, session: Session, viewer: Viewer, year: int | None,
                   page: int, *, problem: DomainError | None = None, notice: str = "",
                   status_code: int = 200, sort: str = "") -> HTMLResponse:
    actor = viewer.principal
    sorting = introductions.INTRODUCTION_SORTING
    order = sorting.parse(sort)
    listing = introductions.introductions_page(session, actor, year=year, page=page,
                                               sort=order)
    return render(request, T + "introductions.html", {
        "title": "引进优秀紧缺人才", "active": "talent", "listing": listing, "year": year,
        "query": urlencode({k: v for k, v in {
            "year": year or "", "sort": "" if order == sorting.default else order.param
        }.items() if v}),
        "list_sort": order, "list_sorting_default": sorting.default,
        "categories": introductions.category_names(session),
        "catalogue": introductions.categories(session, actor.region_code or "50",
                                              date.today()),
        "events": introductions.events(session, actor), "problem": page_problem(problem),
        "notice": NOTICES.get(notice, ""), **_helpers()}, viewer=viewer,
        status_code=status_code)


@router.get("/talent/introductions")
def introduction_list(request: Request, session: SessionDep, viewer: Reader,
                      year: YearQuery | None = None, page: PageNumber = 1,
                      done: str = "", sort: str = "") -> HTMLResponse:
    return _introductions(request, session, viewer, year, page, notice=done, sort=sort)


@router.get("/talent/introductions.xlsx")
def introduction_export(session: SessionDep, viewer: Reader,
                        year: YearQuery | None = None, sort: str = "") -> Response:
    actor = viewer.principal
    names = introductions.category_names(session)
    content = exports.audited_xlsx(
        session, actor, action="talent.export", subject_type="talent_introductions",
        subject_id=actor.region_code or "", filters={"year": year}, sheet="引进优秀紧缺人才",
        headers=["姓名", "公民身份号码", "引进单位", "人才类别", "引进日期", "项目"],
        rows=([name, exports.resident_id_for(actor, rid), employer,
               names.get(i.category_code, i.category_code), i.introduced_on.isoformat(),
               i.project_name]
              for i, name, rid, employer in introductions.all_introductions(
                  session, actor, year=year,
                  sort=introductions.INTRODUCTION_SORTING.parse(sort))))
    return exports.xlsx_response(content, "引进优秀紧缺人才.xlsx")


def _introduction_form(session: Session, employer_id: int, resident_id: str,
                       category_code: str, introduced_on: str, event_id: str,
                       project_name: str) -> IntroductionCreate:
    return parse_form(IntroductionCreate, {
        "person_id": _person(session, resident_id), "employer_id": employer_id,
        "category_code": category_code,
        "introduced_on": required_date(introduced_on, "introduced_on"),
        "event_id": int(event_id) if event_id.isdigit() else None,
        "project_name": project_name})


@router.post("/talent/introductions")
def introduction_record(request: Request, session: SessionDep, viewer: Writer,
                        resident_id: Annotated[str, Form()] = "",
                        uscc: Annotated[str, Form()] = "",
                        category_code: Annotated[str, Form()] = "",
                        introduced_on: Annotated[str, Form()] = "",
                        event_id: Annotated[str, Form()] = "",
                        project_name: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal

    def save() -> None:
        employer = session.scalar(select(Employer.id).where(
            Employer.uscc == uscc.strip().upper()))
        if employer is None:
            raise invalid_field("employer_id", "未找到该统一社会信用代码的用人单位",
                                "no employer with that credit code")
        introductions.declare(session, actor, _introduction_form(
            session, employer, resident_id, category_code, introduced_on, event_id,
            project_name))

    error = attempt(session, save)
    if error:
        return _introductions(request, session, viewer, None, 1, problem=error,
                              status_code=error.status_code)
    return RedirectResponse("/talent/introductions?done=introduction", status_code=303)


@router.post("/talent/events")
def event_record(request: Request, session: SessionDep, viewer: Writer,
                 name: Annotated[str, Form()] = "", region: Annotated[str, Form()] = "",
                 held_on: Annotated[str, Form()] = "",
                 projects_signed: Annotated[str, Form()] = "0") -> Response:
    actor = viewer.principal

    def save() -> None:
        introductions.create_event(session, actor, parse_form(EventCreate, {
            "name": name, "region": region or actor.region_code or "50",
            "held_on": required_date(held_on, "held_on"),
            "projects_signed": projects_signed or "0"}))

    error = attempt(session, save)
    if error:
        return _introductions(request, session, viewer, None, 1, problem=error,
                              status_code=error.status_code)
    return RedirectResponse("/talent/introductions?done=event", status_code=303)


# --- bulk import --------------------------------------------------------------------------


def _import_page(request: Request, session: Session, viewer: Viewer, *,
                 report: imports.ImportReport | None = None, problem: DomainError | None = None,
                 notice: str = "", status_code: int = 200) -> HTMLResponse:
    return render(request, T + "import.html", {
        "title": "批量导入证书与职称", "active": "talent", "report": report,
        "jobs": [j for j in imports.recent_jobs(session, viewer.principal, 20)
                 if j.kind in {k.job_kind for k in uploads.KINDS.values()}],
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""), **_helpers()},
        viewer=viewer, status_code=status_code)


@router.get("/talent/import")
def import_form(request: Request, session: SessionDep, viewer: Writer,
                done: str = "") -> HTMLResponse:
    return _import_page(request, session, viewer, notice=done)


@router.post("/talent/import")
def import_upload(request: Request, session: SessionDep, viewer: Writer,
                  kind: Annotated[str, Form()] = "",
                  file: Annotated[UploadFile | None, File()] = None) -> Response:
    """批量导入: every row checked; all inserted, or none and the bad rows listed."""
    actor = viewer.principal
    report: list[imports.ImportReport] = []

    def upload() -> None:
        if kind not in uploads.KINDS:
            raise invalid_field("kind", "请选择导入类别", "choose what to import")
        if file is None or not file.filename:
            raise invalid_field("file", "请选择要上传的文件（.xlsx 或 .csv）", "choose a file")
        content = upload_kit.read_limited(file.file, imports.MAX_IMPORT_BYTES)
        report.append(uploads.import_records(session, actor, kind, file.filename, content))

    error = attempt(session, upload)
    if error:
        return _import_page(request, session, viewer, problem=error,
                            status_code=error.status_code)
    if report[0].error_rows:
        return _import_page(request, session, viewer, report=report[0], status_code=422)
    return RedirectResponse("/talent/import?done=imported", status_code=303)


@router.get("/talent/import/{job_id}/errors.xlsx")
def import_errors(session: SessionDep, viewer: Writer, job_id: IdPath) -> Response:
    """The row report of an upload as a workbook (the uploader's own jobs)."""
    content = imports.error_sheet(session, viewer.principal, job_id)
    return exports.xlsx_response(content, f"导入错误报告-{job_id}.xlsx")


# --- the employer's declaration ------------------------------------------------------------


def _employer_page(request: Request, session: Session, viewer: Viewer, *,
                   problem: DomainError | None = None, notice: str = "",
                   status_code: int = 200) -> HTMLResponse:
    actor = viewer.principal
    employer = session.get(Employer, actor.employer_id) if actor.employer_id else None
    rows = (introductions.introductions_page(session, actor, page=1).rows
            if employer else [])
    return render(request, T + "my_introductions.html", {
        "title": "申报引进人才", "rows": rows,
        "categories": introductions.category_names(session),
        "catalogue": introductions.categories(session, employer.region if employer else "50",
                                              date.today()),
        "events": introductions.events(session, actor)[:20],
        "problem": page_problem(problem), "notice": NOTICES.get(notice, ""), **_helpers()},
        viewer=viewer, status_code=status_code)


@router.get("/my/talent/introductions")
def my_introductions(request: Request, session: SessionDep, viewer: EmployerUser,
                     done: str = "") -> HTMLResponse:
    return _employer_page(request, session, viewer, notice=done)


@router.post("/my/talent/introductions")
def my_declare(request: Request, session: SessionDep, viewer: EmployerUser,
               resident_id: Annotated[str, Form()] = "",
               category_code: Annotated[str, Form()] = "",
               introduced_on: Annotated[str, Form()] = "",
               event_id: Annotated[str, Form()] = "",
               project_name: Annotated[str, Form()] = "") -> Response:
    actor = viewer.principal
    if actor.employer_id is None:
        return _employer_page(request, session, viewer)
    employer_id = actor.employer_id

    def save() -> None:
        introductions.declare(session, actor, _introduction_form(
            session, employer_id, resident_id, category_code, introduced_on, event_id,
            project_name))

    error = attempt(session, save)
    if error:
        return _employer_page(request, session, viewer, problem=error,
                              status_code=error.status_code)
    return RedirectResponse("/my/talent/introductions?done=introduction", status_code=303)


