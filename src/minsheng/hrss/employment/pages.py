"""Employment pages: job search and applying (citizens), the job-seeker registration,
vacancies and applicants (employers), and for staff the indicators and the
zero-employment work-list.

Handlers parse the form, call one employment service function (inside the page's
savepoint, so a refused form leaves nothing behind) and redirect, or show the form again
with each field's error next to it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from minsheng.hrss.employment import occupations, rules, service
from minsheng.hrss.employment.schemas import SeekerInput, VacancyInput
from minsheng.hrss.employment.service import peer
from minsheng.hrss.employment.settings import get_employment_settings
from minsheng.platform import exports, regions
from minsheng.platform.errors import DomainError, NotFound
from minsheng.platform.paging import PageNumber
from minsheng.platform.web import charts
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import field_messages, region_groups
from minsheng.platform.web.templating import PageUser, Viewer, page_router, page_user_with, render

router = page_router()

Reader = Annotated[Viewer, Depends(page_user_with("employment:read"))]
Writer = Annotated[Viewer, Depends(page_user_with("employment:write"))]
Citizen = Annotated[Viewer, Depends(page_user_with("employment:self"))]
EmployerUser = Annotated[Viewer, Depends(page_user_with("employment:employer"))]

T = "employment/"
STATUS_LABELS = {"submitted": "待处理", "hired": "已录用", "rejected": "未录用",
                 "withdrawn": "已撤回"}
STATUS_BADGES = {"submitted": "badge-info", "hired": "badge-ok", "rejected": "badge-muted",
                 "withdrawn": "badge-muted"}
VACANCY_LABELS = {"open": "招聘中", "filled": "已招满", "closed": "已关闭"}
VACANCY_BADGES = {"open": "badge-ok", "filled": "badge-info", "closed": "badge-muted"}
CHANNEL_LABELS = {"self": "本人投递", "referral": "经办推荐"}
FIELD_LABELS = {"region": "工作地点", "occupation_code": "职业", "education": "学历",
                "min_pay": "期望月薪", "title": "岗位名称", "pay_min": "薪资下限",
                "pay_max": "薪资上限", "education_required": "学历要求",
                "headcount": "招聘人数", "seeker": "求职登记"}
NOTICES = {"applied": "投递成功，用人单位将尽快与您联系。",
           "registered": "求职登记已保存，下面是为您推荐的岗位。",
           "posted": "岗位已发布，求职者现在可以搜索并投递。",
           "hired": "已录用，就业信息已登记。",
           "rejected": "已标记为未录用。",
           "detected": "已完成零就业家庭排查。"}


def _context(**extra: Any) -> dict[str, Any]:
    return {"occupation_options": occupations.options(),
            "education_options": [(str(k), v) for k, v in occupations.EDUCATION_LEVELS.items()],
            "occupation_name": occupations.name_of,
            "education_label": occupations.education_label,
            "field_labels": FIELD_LABELS, **extra}


#: The largest pay or code a search filter takes (beyond it the filter is ignored).
_FILTER_LIMIT = 10**9


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value.strip()) if value.strip() else None
    except InvalidOperation:
        return None
    return number if number is not None and number.is_finite() \
        and abs(number) < _FILTER_LIMIT else None


def _int(value: str) -> int | None:
    return int(value) if value.strip().isdigit() and int(value) < _FILTER_LIMIT else None


# --- citizens: search jobs, apply, register as a seeker ---------------------------------------


@router.get("/jobs")
def jobs(
    request: Request, session: SessionDep, viewer: PageUser,
    q: str = "", region: str = "", occupation: str = "", min_pay: str = "",
    education: str = "", notice: str = "",
) -> HTMLResponse:
    """招聘求职一点通: search open vacancies; a registered seeker with no query sees the
    vacancies matched to their registration."""
    actor = viewer.principal
    seeker = None
    if actor.person_id is not None and actor.can("employment:self"):
        seeker = service.seeker_of_person(session, actor, actor.person_id)
    searched = any(v.strip() for v in (q, region, occupation, min_pay, education))
    if not searched and seeker is not None and seeker.status == "seeking":
        matches = service.search_vacancies(session, actor, service.query_for_seeker(seeker))
        mode = "recommended"
    else:
        query = service.VacancyQuery(
            # a region is a GB/T 2260 code (prefix); anything else selects no region
            text=q, region_prefix=region.strip() if region.strip().isdigit() else "",
            occupation_code=occupation.strip(),
            min_pay=_decimal(min_pay), education=_int(education),
            wanted_occupation=occupation.strip() or None,
            limit=get_employment_settings().match_limit)
        matches = service.search_vacancies(session, actor, query)
        mode = "search" if searched else "latest"
    applied: set[int] = set()
    if actor.can("employment:self") and actor.person_id is not None:
        applied = {a.vacancy_id for a, _, _ in service.my_applications(session, actor)}
    return render(request, T + "jobs.html", _context(
        title="招聘求职一点通", active="employment", matches=matches, mode=mode, seeker=seeker,
        form={"q": q, "region": region, "occupation": occupation, "min_pay": min_pay,
              "education": education},
        groups=region_groups(), applied=applied, notice=NOTICES.get(notice),
        can_apply=actor.can("employment:self") and actor.person_id is not None,
        shared=peer.peer_vacancies_page(session, text=q, size=10),
    ), viewer=viewer)


@router.post("/jobs/{vacancy_id}/apply")
def apply(vacancy_id: int, session: SessionDep, viewer: Citizen) -> Response:
    try:
        service.apply(session, viewer.principal, vacancy_id)
    except DomainError as error:
        if any(e.field == "seeker" for e in error.errors):
            return RedirectResponse("/my/jobs?first=1", status_code=303)
        raise
    return RedirectResponse("/my/jobs?notice=applied", status_code=303)


def _seeker_page(request: Request, session: Session, viewer: Viewer, *,
                 form: dict[str, Any] | None = None, error: DomainError | None = None,
                 notice: str = "", first: bool = False) -> HTMLResponse:
    actor = viewer.principal
    assert actor.person_id is not None
    seeker = service.seeker_of_person(session, actor, actor.person_id)
    if form is None:
        form = ({"region": seeker.region, "occupation_code": seeker.occupation_code,
                 "education": str(seeker.education), "min_pay": f"{seeker.min_pay:.0f}",
                 "skills": seeker.skills, "summary": seeker.summary} if seeker else
                {"region": "", "occupation_code": "", "education": "", "min_pay": "",
                 "skills": "", "summary": ""})
    return render(request, T + "my_jobs.html", _context(
        title="我的求职", seeker=seeker, form=form, groups=region_groups(),
        errors=field_messages(error) if error else {}, error=error,
        applications=service.my_applications(session, actor), notice=NOTICES.get(notice),
        first=first, status_labels=STATUS_LABELS, status_badges=STATUS_BADGES,
    ), viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/my/jobs")
def my_jobs(request: Request, session: SessionDep, viewer: Citizen, notice: str = "",
            first: str = "") -> HTMLResponse:
    if viewer.principal.person_id is None:
        raise NotFound("您的账户尚未关联人员信息", "Your account is not linked to a person")
    return _seeker_page(request, session, viewer, notice=notice, first=bool(first))


@router.post("/my/jobs")
def register_seeker(
    request: Request, session: SessionDep, viewer: Citizen,
    region: Annotated[str, Form()] = "", occupation_code: Annotated[str, Form()] = "",
    education: Annotated[str, Form()] = "", min_pay: Annotated[str, Form()] = "",
    skills: Annotated[str, Form()] = "", summary: Annotated[str, Form()] = "",
) -> Response:
    actor = viewer.principal
    if actor.person_id is None:
        raise NotFound("您的账户尚未关联人员信息", "Your account is not linked to a person")
    form = {"region": region, "occupation_code": occupation_code, "education": education,
            "min_pay": min_pay, "skills": skills, "summary": summary}
    savepoint = session.begin_nested()
    try:
        data = _seeker_input(form)
        service.register_seeker(session, actor, actor.person_id, data)
    except DomainError as error:
        savepoint.rollback()
        return _seeker_page(request, session, viewer, form=form, error=error)
    savepoint.commit()
    return RedirectResponse("/jobs?notice=registered", status_code=303)


def _seeker_input(form: dict[str, str]) -> SeekerInput:
    from minsheng.platform.errors import FieldError, RuleViolation

    errors = []
    level = _int(form["education"])
    pay = _decimal(form["min_pay"])
    if level is None or level not in occupations.EDUCATION_LEVELS:
        errors.append(FieldError("education", "请选择学历", "choose the education level"))
    if pay is None or pay < 0:
        errors.append(FieldError("min_pay", "请填写期望月薪（元）", "enter the wanted pay"))
    if errors:
        raise RuleViolation("求职登记信息有误", "Invalid job-seeker data", errors=errors)
    assert level is not None and pay is not None
    return SeekerInput(region=form["region"], occupation_code=form["occupation_code"],
                       education=level, min_pay=pay, skills=form["skills"][:500],
                       summary=form["summary"][:2000])


# --- employers: post vacancies, see applicants ------------------------------------------------


def _employer_id(viewer: Viewer) -> int:
    if viewer.principal.employer_id is None:
        raise NotFound("您的账户尚未关联单位信息", "Your account is not linked to an employer")
    return viewer.principal.employer_id


def _vacancies_page(request: Request, session: Session, viewer: Viewer, *,
                    form: dict[str, str] | None = None, error: DomainError | None = None,
                    notice: str = "") -> HTMLResponse:
    employer_id = _employer_id(viewer)
    blank = {"title": "", "occupation_code": "", "region": "", "education_required": "",
             "pay_min": "", "pay_max": "", "headcount": "1", "description": ""}
    return render(request, T + "employer_vacancies.html", _context(
        title="招聘岗位", rows=service.employer_vacancies(session, viewer.principal, employer_id),
        form=form or blank, errors=field_messages(error) if error else {}, error=error,
        groups=region_groups(), notice=NOTICES.get(notice), vacancy_labels=VACANCY_LABELS,
        vacancy_badges=VACANCY_BADGES, open_form=error is not None,
    ), viewer=viewer, status_code=error.status_code if error else 200)


@router.get("/employer/vacancies")
def employer_vacancies(request: Request, session: SessionDep, viewer: EmployerUser,
                       notice: str = "") -> HTMLResponse:
    return _vacancies_page(request, session, viewer, notice=notice)


@router.post("/employer/vacancies")
def post_vacancy(
    request: Request, session: SessionDep, viewer: EmployerUser,
    title: Annotated[str, Form()] = "", occupation_code: Annotated[str, Form()] = "",
    region: Annotated[str, Form()] = "", education_required: Annotated[str, Form()] = "",
    pay_min: Annotated[str, Form()] = "", pay_max: Annotated[str, Form()] = "",
    headcount: Annotated[str, Form()] = "1", description: Annotated[str, Form()] = "",
) -> Response:
    from minsheng.platform.errors import FieldError, RuleViolation

    form = {"title": title, "occupation_code": occupation_code, "region": region,
            "education_required": education_required, "pay_min": pay_min,
            "pay_max": pay_max, "headcount": headcount, "description": description}
    savepoint = session.begin_nested()
    try:
        errors = []
        level, low, high, count = (_int(education_required), _decimal(pay_min),
                                   _decimal(pay_max), _int(headcount))
        if level not in occupations.EDUCATION_LEVELS:
            errors.append(FieldError("education_required", "请选择学历要求", "choose one"))
        for name, value in (("pay_min", low), ("pay_max", high)):
            if value is None or value < 0:
                errors.append(FieldError(name, "请填写金额（元/月）", "enter an amount"))
        if not count:
            errors.append(FieldError("headcount", "请填写招聘人数", "enter the headcount"))
        if not title.strip():
            errors.append(FieldError("title", "请填写岗位名称", "the title is required"))
        if errors:
            raise RuleViolation("岗位信息有误", "Invalid vacancy data", errors=errors)
        assert level is not None and low is not None and high is not None and count
        service.post_vacancy(session, viewer.principal, _employer_id(viewer), VacancyInput(
            title=title.strip()[:100], occupation_code=occupation_code, region=region,
            education_required=level, pay_min=low, pay_max=high, headcount=count,
            description=description[:4000]))
    except DomainError as error:
        savepoint.rollback()
        return _vacancies_page(request, session, viewer, form=form, error=error)
    savepoint.commit()
    return RedirectResponse("/employer/vacancies?notice=posted", status_code=303)


@router.get("/employer/vacancies/{vacancy_id}")
def vacancy_applicants(request: Request, vacancy_id: int, session: SessionDep,
                       viewer: EmployerUser, notice: str = "") -> HTMLResponse:
    people = service.applicants(session, viewer.principal, vacancy_id)
    vacancy, employer_name = service.read_vacancy(session, vacancy_id)
    return render(request, T + "applicants.html", _context(
        title=f"应聘人员 · {vacancy.title}", vacancy=vacancy, employer_name=employer_name,
        people=people, status_labels=STATUS_LABELS, status_badges=STATUS_BADGES,
        channel_labels=CHANNEL_LABELS, vacancy_labels=VACANCY_LABELS,
        vacancy_badges=VACANCY_BADGES, notice=NOTICES.get(notice),
    ), viewer=viewer)


@router.post("/employer/applications/{application_id}/{decision}")
def decide(application_id: int, decision: str, session: SessionDep,
           viewer: EmployerUser) -> Response:
    if decision == "hire":
        placement = service.hire(session, viewer.principal, application_id)
        vacancy_id = placement.vacancy_id
    elif decision == "reject":
        application = service.reject(session, viewer.principal, application_id)
        vacancy_id = application.vacancy_id
    else:
        raise NotFound("操作不存在", "No such action")
    notice = "hired" if decision == "hire" else "rejected"
    return RedirectResponse(f"/employer/vacancies/{vacancy_id}?notice={notice}", status_code=303)


# --- staff: indicators and the zero-employment work-list --------------------------------------


@router.get("/employment")
def employment_home(request: Request, session: SessionDep, viewer: Reader,
                    year: Annotated[int | None, Query(ge=1949, le=2100)] = None
                    ) -> HTMLResponse:
    today = date.today()
    year = year or today.year
    end = min(date(year, 12, 31), today) if year == today.year else date(year, 12, 31)
    figures = service.indicators(session, viewer.principal, viewer.principal.region_prefix,
                                 date(year, 1, 1), end)
    by_month = service.new_employment_by_month(session, viewer.principal,
                                               viewer.principal.region_prefix, year)
    return render(request, T + "index.html", _context(
        title="就业服务", active="employment", figures=figures, year=year,
        years=list(range(today.year, today.year - 5, -1)),
        open_cases=service.zero_employment_count(session, viewer.principal),
        charts=_indicator_charts(figures, year, by_month), by_month=by_month,
    ), viewer=viewer)


def _indicator_charts(figures: service.Indicators, year: int, by_month: list[int]
                      ) -> dict[str, Any]:
    """The indicators page's charts: the counts of people helped into work, urban new
    employment month by month, and the rates on dials."""
    return {
        "counts": charts.bar(
            ["城镇新增就业", "失业人员再就业", "就业困难人员就业"],
            [charts.series("人数", [figures.urban_new_employment, figures.unemployed_helped,
                                    figures.hard_to_employ_helped])], unit="人"),
        "months": charts.line(
            [f"{month}月" for month in range(1, 13)],
            [charts.series(f"{year} 年城镇新增就业", by_month)], unit="人"),
        "unemployment_rate": charts.gauge(figures.registered_unemployment_rate,
                                          name="城镇登记失业率", digits=2),
        "graduates_rate": charts.gauge(figures.graduates_employment_rate,
                                       name="高校毕业生年末就业率", digits=2),
        "fishers_rate": charts.gauge(figures.ex_fisher_transfer_rate,
                                     name="退捕渔民转产就业率", digits=2),
    }


@router.get("/employment/zero-employment")
def worklist(request: Request, session: SessionDep, viewer: Reader, notice: str = "",
             opened: int = 0, closed: int = 0, page: PageNumber = 1,
             sort: str = "") -> HTMLResponse:
    today = date.today()
    order = service.ZERO_EMPLOYMENT_SORTING.parse(sort)
    query = "" if order == service.ZERO_EMPLOYMENT_SORTING.default else urlencode(
        {"sort": order.param})
    listing = service.zero_employment_page(session, viewer.principal, page=page, sort=order)
    return render(request, T + "worklist.html", _context(
        title="零就业家庭动态清零", active="employment", items=listing.rows,
        listing=listing, query=query, case_sort=order,
        export_url="/employment/zero-employment.xlsx?" + query, today=today,
        deadline_days=get_employment_settings().zero_household_days,
        notice=NOTICES.get(notice), opened=opened, closed=closed,
        relation_labels={"head": "户主", "spouse": "配偶", "child": "子女", "parent": "父母",
                         "other": "其他"},
        region_label=lambda code: regions.name_of(code) or code,
        hard_categories=rules.HARD_TO_EMPLOY_CATEGORIES,
    ), viewer=viewer)


@router.get("/employment/zero-employment.xlsx")
def worklist_export(session: SessionDep, viewer: Reader, sort: str = "") -> Response:
    """Every household of the zero-employment work-list as .xlsx (members' IDs masked),
    in the list's order; audited (``employment.export``)."""
    actor = viewer.principal
    order = service.ZERO_EMPLOYMENT_SORTING.parse(sort)
    today = date.today()
    content = exports.audited_xlsx(
        session, actor, action="employment.export", subject_type="zero_employment",
        subject_id=actor.region_code or "", filters={"status": "open"},
        sheet="零就业家庭",
        headers=["户号", "地区", "地址", "家庭成员", "认定日期", "安置期限", "剩余天数"],
        rows=([i.household_no, regions.name_of(i.case.region) or i.case.region, i.address,
               "；".join(f"{m.name} {m.resident_id_masked}" for m in i.members),
               i.case.detected_date.isoformat(), i.case.deadline.isoformat(),
               i.days_left(today)]
              for i in service.all_zero_employment(session, actor, sort=order)))
    return exports.xlsx_response(content, f"零就业家庭-{today.isoformat()}.xlsx")


@router.post("/employment/zero-employment/detect")
def detect(session: SessionDep, viewer: Writer) -> Response:
    result = service.detect_zero_employment(session, viewer.principal)
    return RedirectResponse(
        f"/employment/zero-employment?notice=detected&opened={result.opened}"
        f"&closed={result.closed}", status_code=303)
