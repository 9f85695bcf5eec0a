"""The public pension estimator page ``/pension/estimate`` (养老金测算, no sign-in).

The form posts with HTMX to ``/pension/estimate/result``, which answers with the
estimator panel (the form with any field errors, and the result with every input used
and an explanation); without JavaScript the form posts to ``/pension/estimate`` and the
whole page comes back. Nothing is stored.

The empty form is pre-filled: the local average wage from the contribution rule in force
(the node's city, or the signed-in person's district), and, for a signed-in citizen, the
birth date, category and the own record — paid contribution months, average index and
personal-account balance with interest (:func:`insurance.pension_record`), as 掌上12333's
estimator does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from minsheng.hrss.insurance import service as insurance
from minsheng.hrss.kernel import retirement
from minsheng.hrss.pension import rules, service
from minsheng.hrss.pension.estimator.api import (
    default_region,
    run_estimate,
    view_estimate,
    with_rulebook,
)
from minsheng.hrss.registry import service as registry
from minsheng.platform.config import Settings
from minsheng.platform.errors import RuleViolation, Unauthenticated
from minsheng.platform.months import label, month_of
from minsheng.platform.security.principal import Principal
from minsheng.platform.web.deps import SessionDep, SettingsDep, optional_principal
from minsheng.platform.web.templating import PageRoute, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)

PAGE = "pension/estimator.html"
PANEL = "pension/_estimator_panel.html"

SCHEME_OPTIONS = [("employee", "职工基本养老保险"), ("resident", "城乡居民基本养老保险")]
CATEGORY_OPTIONS = list(retirement.CATEGORY_LABELS.items())
ROUTE_OPTIONS = list(rules.ROUTE_LABELS.items())
#: Field names of the rules → the form field under which their errors are shown.
ERROR_FIELDS = {"contribution_months": "contribution_years"}
FIELD_LABELS = {
    "scheme": "养老保险类型", "birth_date": "出生日期", "category": "人员类别",
    "retirement_date": "退休日期", "contribution_years": "累计缴费年限",
    "contribution_extra_months": "累计缴费年限", "contribution_months": "累计缴费年限",
    "deemed_contribution_months": "视同缴费月数", "average_index": "平均缴费指数",
    "local_average_wage": "上年度当地职工月平均工资", "account_balance": "个人账户储存额",
    "basic_pension": "基础养老金标准", "route": "退休途径",
}


@dataclass
class EstimatorForm:
    """The form as typed (strings), so that it comes back as the person left it."""

    scheme: str = "employee"
    birth_date: str = ""
    category: str = ""
    retirement_date: str = ""
    contribution_years: str = ""
    contribution_extra_months: str = ""
    deemed_contribution_months: str = ""
    average_index: str = ""
    local_average_wage: str = ""
    account_balance: str = ""
    basic_pension: str = ""
    route: str = "statutory"


Errors = dict[str, list[str]]


def _add(errors: Errors, name: str, message: str) -> None:
    errors.setdefault(ERROR_FIELDS.get(name, name), []).append(message)


def _date(errors: Errors, name: str, text: str, *, required: bool = False) -> date | None:
    text = text.strip()
    if not text:
        if required:
            _add(errors, name, "请填写" + FIELD_LABELS[name])
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        _add(errors, name, "日期格式应为“年-月-日”，如 2026-10-08")
        return None


def _int(errors: Errors, name: str, text: str, *, default: int | None = None) -> int | None:
    text = text.strip()
    if not text:
        if default is None:
            _add(errors, name, "请填写" + FIELD_LABELS[name])
        return default
    try:
        return int(text)
    except ValueError:
        _add(errors, name, "请输入整数")
        return None


def _decimal(
    errors: Errors, name: str, text: str, *, places: int, default: Decimal | None = None
) -> Decimal | None:
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return default
    try:
        value = Decimal(text)
    except InvalidOperation:
        _add(errors, name, "请输入数字")
        return None
    exponent = value.as_tuple().exponent
    if not value.is_finite() or (isinstance(exponent, int) and -exponent > places):
        _add(errors, name, f"请输入数字，最多{places}位小数")
        return None
    return value


def parse_form(form: EstimatorForm,
               enrich: Callable[[rules.EstimateInput], rules.EstimateInput] | None = None,
               ) -> tuple[rules.EstimateInput | None, Errors]:
    """The form as estimator input, or the errors of the fields that cannot be read.
    Fields of the other scheme (hidden on the page) are ignored. ``enrich`` adds what
    the rulebook says (index bounds, early-route ages) before the fields that could be
    read are checked too."""
    errors: Errors = {}
    employee = form.scheme != "resident"
    birth = _date(errors, "birth_date", form.birth_date, required=True)
    retirement = _date(errors, "retirement_date", form.retirement_date)
    years = _int(errors, "contribution_years", form.contribution_years)
    extra = _int(errors, "contribution_extra_months", form.contribution_extra_months, default=0)
    if extra is not None and not 0 <= extra <= 11:
        _add(errors, "contribution_extra_months", "月数应在 0 至 11 之间")
    balance = _decimal(errors, "account_balance", form.account_balance, places=2,
                       default=Decimal("0"))
    deemed: int | None = 0
    index = wage = basic = None
    if employee:
        deemed = _int(errors, "deemed_contribution_months", form.deemed_contribution_months,
                      default=0)
        index = _decimal(errors, "average_index", form.average_index, places=4)
        wage = _decimal(errors, "local_average_wage", form.local_average_wage, places=2)
    else:
        basic = _decimal(errors, "basic_pension", form.basic_pension, places=2)
    data = rules.EstimateInput(
        scheme=form.scheme,
        birth_date=birth or date(1900, 1, 1),
        retirement_date=retirement,
        contribution_months=(years or 0) * 12 + (extra or 0),
        account_balance=balance if balance is not None else Decimal("0"),
        average_index=index,
        local_average_wage=wage,
        basic_pension=basic,
        deemed_contribution_months=deemed or 0,
        category=(form.category or None) if employee else None,
        route=(form.route or "statutory") if employee else "statutory",
    )
    if not errors:
        return data, errors
    if birth is not None:
        # Say at once what the rules would refuse too, for the fields that could be read.
        unread = set(errors)
        for error in rules.check_estimate_input(enrich(data) if enrich else data):
            if ERROR_FIELDS.get(error.field, error.field) not in unread:
                _add(errors, error.field, error.message)
    return None, errors


def _yuan(amount: str | Decimal | None) -> str:
    """``"12345.6"`` → ``"12,345.60"`` for display."""
    if amount is None or amount == "":
        return "—"
    return f"{Decimal(amount):,.2f}"


def _years(months: int) -> str:
    years, rest = divmod(months, 12)
    if not years:
        return f"{rest}个月"
    return f"{years}年{rest}个月" if rest else f"{years}年"


def _rate_label(rate: Decimal) -> str:
    """``0.012`` → ``每年 1.2%``; 0 → not set."""
    if rate <= 0:
        return "未设置（不计入）"
    return f"每年 {(rate * 100).normalize():f}%"


def _context(settings: Settings, form: EstimatorForm, errors: Errors | None = None,
             result: Any = None, prefill: list[str] | None = None) -> dict[str, Any]:
    return {
        "title": "养老金测算", "form": form, "errors": errors or {}, "result": result,
        "prefill": prefill or [],
        "scheme_options": SCHEME_OPTIONS, "category_options": CATEGORY_OPTIONS,
        "route_options": ROUTE_OPTIONS,
        "field_labels": FIELD_LABELS, "yuan": _yuan, "years": _years,
        "divisor_rule_label": rules.DIVISOR_RULE_LABELS[settings.pension_divisor_rule],
        "transitional_rate_label": _rate_label(settings.pension_transitional_rate),
        "divisor_table": sorted(rules.MONTHS_DIVISOR.items()),
        "resident_divisor": rules.RESIDENT_DIVISOR,
    }


def _visitor(request: Request, session: SessionDep, settings: SettingsDep
             ) -> Principal | None:
    """The signed-in account, if any (an expired or revoked cookie is no account here:
    the page is public)."""
    try:
        return optional_principal(request, session, settings, None)
    except Unauthenticated:
        return None


Visitor = Annotated[Principal | None, Depends(_visitor)]


def _region(session: Session, settings: Settings, visitor: Principal | None) -> str:
    """Whose parameters: the signed-in person's district, else the node's city."""
    if visitor is not None and visitor.person_id is not None:
        person = registry.person_for_read(session, visitor, visitor.person_id)
        return person.residence_region
    return default_region(settings)


def _yuan_text(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def prefilled_form(session: Session, settings: Settings, visitor: Principal | None
                   ) -> tuple[EstimatorForm, list[str]]:
    """The form as the page first shows it, and what was pre-filled from where."""
    form = EstimatorForm()
    notes: list[str] = []
    today = date.today()
    parameters = service.estimate_parameters(session, _region(session, settings, visitor),
                                             month_of(today))
    if parameters.average_wage is not None:
        form.local_average_wage = f"{parameters.average_wage:.2f}"
        notes.append(f"当地职工月平均工资按现行缴费参数预填：{_yuan_text(parameters.average_wage)} "
                     f"元（{parameters.source}）。")
    if visitor is None or visitor.person_id is None:
        return form, notes
    person = registry.person_for_read(session, visitor, visitor.person_id)
    form.birth_date = person.birth_date.isoformat()
    form.category = "male" if person.gender == "M" else ""
    try:
        record = insurance.pension_record(session, visitor, person.id)
    except RuleViolation as missing:
        notes.append(f"未能按您的缴费记录预填：{missing.message}。")
        return form, notes
    years, months = divmod(record.months, 12)
    form.contribution_years, form.contribution_extra_months = str(years), str(months)
    if record.months:
        form.average_index = f"{record.average_index:f}"
    form.account_balance = f"{record.account_balance:.2f}"
    notes.append(
        f"已按您截至{label(month_of(today))}的职工养老保险缴费记录预填：已缴费{record.months}个月，"
        f"平均缴费指数{record.average_index}，个人账户储存额{_yuan_text(record.account_balance)}元"
        f"（含记账利息{_yuan_text(record.interest)}元）。")
    if record.gaps:
        notes.append(f"另有{len(record.gaps)}个月已参保但未缴费，未计入缴费年限，可补缴后计入。")
    if person.gender != "M":
        notes.append("请选择人员类别（原法定退休年龄55周岁或50周岁），用于推算法定退休年龄。")
    return form, notes


def _estimate(session: Session, settings: Settings, form: EstimatorForm,
              visitor: Principal | None = None) -> tuple[dict[str, Any], int]:
    region = _region(session, settings, visitor)
    data, errors = parse_form(form, lambda d: with_rulebook(session, d, settings, region))
    result = None
    if data is not None:
        try:
            result = view_estimate(run_estimate(session, data, settings, region))
        except RuleViolation as violation:
            for error in violation.errors:
                _add(errors, error.field, error.message)
    return _context(settings, form, errors, result), 422 if errors else 200


FormText = Annotated[str, Form()]


def estimator_form(
    scheme: FormText = "employee", birth_date: FormText = "", category: FormText = "",
    retirement_date: FormText = "", contribution_years: FormText = "",
    contribution_extra_months: FormText = "", deemed_contribution_months: FormText = "",
    average_index: FormText = "", local_average_wage: FormText = "",
    account_balance: FormText = "", basic_pension: FormText = "",
    route: FormText = "statutory",
) -> EstimatorForm:
    return EstimatorForm(
        scheme=scheme, birth_date=birth_date, category=category,
        retirement_date=retirement_date, contribution_years=contribution_years,
        contribution_extra_months=contribution_extra_months,
        deemed_contribution_months=deemed_contribution_months, average_index=average_index,
        local_average_wage=local_average_wage, account_balance=account_balance,
        basic_pension=basic_pension, route=route)


SubmittedForm = Annotated[EstimatorForm, Depends(estimator_form)]


@router.get("/pension/estimate")
def estimator_page(request: Request, session: SessionDep, settings: SettingsDep,
                   visitor: Visitor) -> HTMLResponse:
    """The estimator form, pre-filled from the rules in force and, for a signed-in
    citizen, from the own record."""
    form, notes = prefilled_form(session, settings, visitor)
    return render(request, PAGE, _context(settings, form, prefill=notes))


@router.post("/pension/estimate")
def estimator_submit(request: Request, session: SessionDep, settings: SettingsDep,
                     form: SubmittedForm, visitor: Visitor) -> HTMLResponse:
    """Without JavaScript: the whole page with the result (422 when the form has errors)."""
    context, status = _estimate(session, settings, form, visitor)
    return render(request, PAGE, context, status_code=status)


@router.post("/pension/estimate/result")
def estimator_result(request: Request, session: SessionDep, settings: SettingsDep,
                     form: SubmittedForm, visitor: Visitor) -> HTMLResponse:
    """HTMX: the estimator panel (the form with its field errors, and the result). Always
    200, so that HTMX swaps it in."""
    context, _status = _estimate(session, settings, form, visitor)
    return render(request, PANEL, context)
