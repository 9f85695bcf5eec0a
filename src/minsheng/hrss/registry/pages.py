"""Registry pages for clerks: find, register and edit people and employers; bulk imports.

Handlers stay thin: parse the form, call the registry service (which checks, scopes and
audits), render. A form that the service refuses is shown again with each field's
error next to it, after the session is rolled back so that nothing partial is kept.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from minsheng.hrss.registry import imports, service
from minsheng.hrss.registry.models import Person
from minsheng.hrss.registry.schemas import EmployerCreate, PersonCreate, PersonUpdate
from minsheng.platform import imports as import_jobs
from minsheng.platform.errors import Conflict, DomainError, FieldError, NotFound, RuleViolation
from minsheng.platform.imports import ImportJob
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import field_messages, only_region, parse_form, region_groups
from minsheng.platform.web.links import links_for
from minsheng.platform.web.templating import (
    PageUser,
    Viewer,
    is_fragment_request,
    page_router,
    page_user_with,
    render,
)

router = page_router()

Reader = Annotated[Viewer, Depends(page_user_with("registry:read"))]
Writer = Annotated[Viewer, Depends(page_user_with("registry:write"))]
Importer = Annotated[Viewer, Depends(page_user_with("registry:import"))]

PAGE_SIZE = 20
RECENT_JOBS = 10
SHOWN_IMPORT_ERRORS = 200
#: The response depends on whether HTMX asked for a fragment.
VARY = {"Vary": "HX-Request, HX-Target"}

PERSON_LABELS = {
    "resident_id": "公民身份号码", "name": "姓名", "phone": "联系电话", "hukou_region": "户籍地",
    "residence_region": "居住地", "hukou_type": "户口性质", "household_no": "户编号",
    "household_relation": "与户主关系", "version": "版本",
}
EMPLOYER_LABELS = {
    "uscc": "统一社会信用代码", "name": "单位名称", "region": "所在地", "industry": "行业门类",
    "size_class": "企业规模", "work_injury_risk_class": "工伤风险类别",
}
#: GB/T 4754-2017 sections (门类).
INDUSTRY_NAMES = {
    "A": "农、林、牧、渔业", "B": "采矿业", "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业", "E": "建筑业", "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业", "H": "住宿和餐饮业", "I": "信息传输、软件和信息技术服务业",
    "J": "金融业", "K": "房地产业", "L": "租赁和商务服务业", "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业", "O": "居民服务、修理和其他服务业", "P": "教育",
    "Q": "卫生和社会工作", "R": "文化、体育和娱乐业", "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}
RELATION_LABELS = {"head": "户主", "spouse": "配偶", "child": "子女", "parent": "父母",
                   "other": "其他"}
HUKOU_OPTIONS = [("urban", "城镇"), ("rural", "农村")]
SIZE_OPTIONS = [("large", "大型"), ("medium", "中型"), ("small", "小型"), ("micro", "微型")]
RISK_OPTIONS = [(str(n), f"{n} 类") for n in range(1, 9)]
INDUSTRY_OPTIONS = [(code, f"{code} {name}") for code, name in INDUSTRY_NAMES.items()]
RELATION_OPTIONS = list(RELATION_LABELS.items())
KIND_LABELS = {"persons": "人员", "employers": "单位"}
EDITABLE_PERSON_FIELDS = ("name", "phone", "hukou_region", "residence_region", "hukou_type")

# --- helpers -------------------------------------------------------------------------


def _pages(total: int, size: int) -> int:
    return max(1, math.ceil(total / size))


def _blank_to_none(value: str) -> str | None:
    value = value.strip()
    return value or None


# --- people --------------------------------------------------------------------------


@router.get("/persons")
def persons(
    request: Request, session: SessionDep, viewer: Reader, q: str = "", page: int = 1,
    sort: str = "",
) -> HTMLResponse:
    """Find people by name or resident ID in the clerk's district; an exact full ID of
    a resident elsewhere in the city finds them by 全市通办 (audited, flagged on the
    page). HTMX live search swaps only the results; ``sort`` orders them."""
    actor = viewer.principal
    order = service.PERSON_SORTING.parse(sort)
    found = service.find_persons(session, actor, q=q, page=page, size=PAGE_SIZE, sort=order)
    context = {
        "person_sort": order,
        "sort_param": "" if order == service.PERSON_SORTING.default else order.param,
        "q": q.strip(), "total": found.total, "cross_region": found.cross_region,
        "page": found.page, "pages": _pages(found.total, found.size),
        "rows": [service.view_person(p, actor, full=False) for p in found.items],
    }
    if is_fragment_request(request, "person-results"):
        return render(request, "registry/_person_results.html", context, viewer=viewer,
                      headers=VARY)
    return render(request, "registry/persons.html",
                  {**context, "title": "人员登记", "active": "persons"}, viewer=viewer,
                  headers=VARY)


def _person_form(
    request: Request, viewer: Viewer, form: dict[str, str], *, error: DomainError | None = None
) -> HTMLResponse:
    return render(request, "registry/person_new.html", {
        "title": "人员登记", "active": "persons", "form": form,
        "errors": field_messages(error) if error else {},
        "problem": error.page_problem() if error else None,
        "labels": PERSON_LABELS, "residence_groups": region_groups(viewer.principal),
        "hukou_groups": region_groups(), "hukou_options": HUKOU_OPTIONS,
        "relation_options": RELATION_OPTIONS,
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/persons/new")
def person_new(request: Request, viewer: Writer) -> HTMLResponse:
    region = only_region(region_groups(viewer.principal))
    return _person_form(request, viewer, {
        "resident_id": "", "name": "", "phone": "", "hukou_region": region,
        "residence_region": region, "hukou_type": "", "household_no": "",
        "household_relation": "",
    })


@router.post("/persons/new")
def person_register(
    request: Request,
    session: SessionDep,
    viewer: Writer,
    resident_id: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    hukou_region: Annotated[str, Form()] = "",
    residence_region: Annotated[str, Form()] = "",
    hukou_type: Annotated[str, Form()] = "",
    household_no: Annotated[str, Form()] = "",
    household_relation: Annotated[str, Form()] = "",
) -> Response:
    form = {"resident_id": resident_id, "name": name, "phone": phone,
            "hukou_region": hukou_region, "residence_region": residence_region,
            "hukou_type": hukou_type, "household_no": household_no,
            "household_relation": household_relation}
    try:
        data = parse_form(PersonCreate, {
            **form, "household_no": _blank_to_none(household_no),
            "household_relation": _blank_to_none(household_relation),
        })
        with session.begin_nested():  # a refused form leaves nothing behind
            person = service.register_person(session, viewer.principal, data)
    except DomainError as error:
        return _person_form(request, viewer, form, error=error)
    return RedirectResponse(f"/persons/{person.id}?notice=registered", status_code=303)


def _person_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    person: Person,
    *,
    form: dict[str, str] | None = None,
    error: DomainError | None = None,
    conflict: dict[str, str] | None = None,
    attempted: dict[str, str] | None = None,
    notice: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    actor = viewer.principal
    view = service.view_person(person, actor)
    cross_region = service.is_cross_region(actor, person)
    household = None
    if person.household_id is not None and actor.can("registry:read"):
        try:
            household = service.read_household(session, actor, person.household_id)
        except NotFound:  # the household's address lies outside the clerk's district
            household = None
    current = {
        "name": view.name, "phone": "" if view.resident_id_masked else view.phone,
        "hukou_region": view.hukou_region, "residence_region": view.residence_region,
        "hukou_type": view.hukou_type,
    }
    return render(request, "registry/person_detail.html", {
        "title": view.name, "active": "persons", "person": view, "household": household,
        "form": form or current, "orig": {**current, "phone": view.phone},
        "errors": field_messages(error) if error else {},
        "problem": error.page_problem() if error else None, "conflict": conflict,
        "attempted": attempted or {}, "notice": notice, "labels": PERSON_LABELS,
        "relation_labels": RELATION_LABELS,
        "can_edit": actor.can("registry:write") and not cross_region,
        "cross_region": cross_region,
        "residence_groups": region_groups(actor), "hukou_groups": region_groups(),
        "hukou_options": HUKOU_OPTIONS,
        "links": links_for("person", session, actor, person.id, person.status),
    }, viewer=viewer, status_code=status_code)


@router.get("/persons/{person_id}")
def person_detail(
    request: Request, session: SessionDep, viewer: PageUser, person_id: int, notice: str = ""
) -> HTMLResponse:
    """The full record (an audited read); the full resident ID only for roles that
    handle identity (``service.view_person``)."""
    person = service.read_person(session, viewer.principal, person_id)
    return _person_page(request, session, viewer, person, notice=notice)


@router.post("/persons/{person_id}")
def person_update(
    request: Request,
    session: SessionDep,
    viewer: Writer,
    person_id: int,
    version: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    hukou_region: Annotated[str, Form()] = "",
    residence_region: Annotated[str, Form()] = "",
    hukou_type: Annotated[str, Form()] = "",
    orig_name: Annotated[str, Form()] = "",
    orig_phone: Annotated[str, Form()] = "",
    orig_hukou_region: Annotated[str, Form()] = "",
    orig_residence_region: Annotated[str, Form()] = "",
    orig_hukou_type: Annotated[str, Form()] = "",
    phone_masked: Annotated[str, Form()] = "",
) -> Response:
    """Save the fields the clerk changed, against the ``version`` they saw; someone
    else's save in between is a 409 and nothing of this edit is written."""
    actor = viewer.principal
    service.person_for_write(session, actor, person_id)  # in scope, even for "unchanged"
    submitted = {"name": name, "phone": phone, "hukou_region": hukou_region,
                 "residence_region": residence_region, "hukou_type": hukou_type}
    original = {"name": orig_name, "phone": orig_phone, "hukou_region": orig_hukou_region,
                "residence_region": orig_residence_region, "hukou_type": orig_hukou_type}
    changes: dict[str, str] = {}
    for key in EDITABLE_PERSON_FIELDS:
        value = submitted[key].strip()
        if key == "phone" and phone_masked and not value:
            continue  # a masked phone number left empty: unchanged
        if value != original[key]:
            changes[key] = value
    if not changes:
        return RedirectResponse(f"/persons/{person_id}?notice=unchanged", status_code=303)
    try:
        data = parse_form(PersonUpdate, {"version": version, **changes})
        with session.begin_nested():  # a refused edit leaves nothing behind
            service.update_person(session, actor, person_id, data)
    except (DomainError, StaleDataError) as exc:
        person = service.read_person(session, actor, person_id)
        if isinstance(exc, Conflict | StaleDataError):
            conflict = {"seen": version, "current": str(person.version)}
            return _person_page(request, session, viewer, person, conflict=conflict,
                                attempted=changes, status_code=409)
        return _person_page(request, session, viewer, person, form=submitted, error=exc,
                            status_code=exc.status_code)
    return RedirectResponse(f"/persons/{person_id}?notice=saved", status_code=303)


# --- employers -----------------------------------------------------------------------


@router.get("/employers")
def employers(
    request: Request, session: SessionDep, viewer: Reader, q: str = "", page: int = 1
) -> HTMLResponse:
    items, total = service.search_employers(session, viewer.principal, q=q, page=page,
                                            size=PAGE_SIZE)
    context = {"q": q.strip(), "total": total, "page": max(page, 1),
               "pages": _pages(total, PAGE_SIZE),
               "rows": [service.view_employer(e) for e in items],
               "industry_names": INDUSTRY_NAMES}
    if is_fragment_request(request, "employer-results"):
        return render(request, "registry/_employer_results.html", context, viewer=viewer,
                      headers=VARY)
    return render(request, "registry/employers.html",
                  {**context, "title": "单位登记", "active": "employers"}, viewer=viewer,
                  headers=VARY)


def _employer_form(
    request: Request, viewer: Viewer, form: dict[str, str], *, error: DomainError | None = None
) -> HTMLResponse:
    return render(request, "registry/employer_new.html", {
        "title": "单位登记", "active": "employers", "form": form,
        "errors": field_messages(error) if error else {},
        "problem": error.page_problem() if error else None, "labels": EMPLOYER_LABELS,
        "region_groups": region_groups(viewer.principal), "industry_options": INDUSTRY_OPTIONS,
        "size_options": SIZE_OPTIONS, "risk_options": RISK_OPTIONS,
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/employers/new")
def employer_new(request: Request, viewer: Writer) -> HTMLResponse:
    return _employer_form(request, viewer, {
        "uscc": "", "name": "", "region": only_region(region_groups(viewer.principal)),
        "industry": "", "size_class": "", "work_injury_risk_class": "",
    })


@router.post("/employers/new")
def employer_register(
    request: Request,
    session: SessionDep,
    viewer: Writer,
    uscc: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    region: Annotated[str, Form()] = "",
    industry: Annotated[str, Form()] = "",
    size_class: Annotated[str, Form()] = "",
    work_injury_risk_class: Annotated[str, Form()] = "",
) -> Response:
    form = {"uscc": uscc, "name": name, "region": region, "industry": industry,
            "size_class": size_class, "work_injury_risk_class": work_injury_risk_class}
    try:
        data = parse_form(EmployerCreate, {
            **form, "work_injury_risk_class": _blank_to_none(work_injury_risk_class)})
        with session.begin_nested():  # a refused form leaves nothing behind
            employer = service.register_employer(session, viewer.principal, data)
    except DomainError as error:
        return _employer_form(request, viewer, form, error=error)
    return RedirectResponse(f"/employers/{employer.id}?notice=registered", status_code=303)


@router.get("/employers/{employer_id}")
def employer_detail(
    request: Request, session: SessionDep, viewer: PageUser, employer_id: int, notice: str = ""
) -> HTMLResponse:
    employer = service.view_employer(
        service.read_employer(session, viewer.principal, employer_id))
    return render(request, "registry/employer_detail.html", {
        "title": employer.name, "active": "employers", "employer": employer, "notice": notice,
        "industry_names": INDUSTRY_NAMES,
    }, viewer=viewer)


# --- imports -------------------------------------------------------------------------


def _imports_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    job: ImportJob | None = None,
    kind: str = "persons",
    error: DomainError | None = None,
) -> HTMLResponse:
    report = import_jobs.report_of(job) if job is not None else None
    labels = EMPLOYER_LABELS if job is not None and job.kind == "employers" else PERSON_LABELS
    return render(request, "registry/imports.html", {
        "title": "批量导入", "active": "imports", "job": job, "report": report,
        "shown_errors": report.errors[:SHOWN_IMPORT_ERRORS] if report else [],
        "kind": job.kind if job is not None else kind, "kind_labels": KIND_LABELS,
        "labels": labels, "jobs": import_jobs.recent_jobs(session, viewer.principal, RECENT_JOBS),
        "problem": error.page_problem() if error else None,
        "person_columns": list(imports.COLUMN_HEADINGS[imports.ImportKind.PERSONS].values()),
        "employer_columns": list(imports.COLUMN_HEADINGS[imports.ImportKind.EMPLOYERS].values()),
        "aliases": imports.HEADER_ALIASES,
    }, viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/imports")
def imports_page(request: Request, session: SessionDep, viewer: Importer) -> HTMLResponse:
    return _imports_page(request, session, viewer)


@router.post("/imports")
def imports_upload(
    request: Request,
    session: SessionDep,
    viewer: Importer,
    kind: Annotated[str, Form()] = "persons",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Run an import (every row checked; good rows kept, bad rows reported) and show
    its report."""
    try:
        if file is None or not file.filename:
            raise RuleViolation("请选择要上传的文件（.xlsx 或 .csv）", "Choose a file to upload",
                                errors=[FieldError("file", "请选择文件", "choose a file")])
        if kind not in KIND_LABELS:
            raise RuleViolation("请选择导入类型", "Choose what to import",
                                errors=[FieldError("kind", "请选择导入类型", "choose a kind")])
        content = file.file.read()
        with session.begin_nested():  # a refused file leaves nothing behind
            job = imports.run_import(session, viewer.principal, kind, file.filename, content)
    except DomainError as error:
        return _imports_page(request, session, viewer, kind=kind, error=error)
    return RedirectResponse(f"/imports/{job.id}", status_code=303)


@router.get("/imports/{kind}/template.csv")
def import_template(kind: imports.ImportKind, viewer: Importer) -> Response:
    """An empty sheet with the expected header row in Chinese (UTF-8 with BOM, so Excel
    reads it)."""
    columns = imports.COLUMN_HEADINGS[kind].values()
    return Response("\ufeff" + ",".join(columns) + "\r\n", media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="{kind.value}-template.csv"'})


@router.get("/imports/{job_id}")
def import_report(
    request: Request, session: SessionDep, viewer: Importer, job_id: int
) -> HTMLResponse:
    job = import_jobs.get_job(session, viewer.principal, job_id)
    return _imports_page(request, session, viewer, job=job)

