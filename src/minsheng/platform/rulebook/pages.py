"""The rulebook page (政策参数): every regional parameter in force in a month, with its
source and how sure we are of it. Read-only: parameters are published by the domains'
own forms and commands."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from minsheng.platform.errors import RuleViolation
from minsheng.platform.months import label, month_of, parse_month
from minsheng.platform.rulebook.views import prefix_name, rulebook_in_force
from minsheng.platform.web.deps import SessionDep
from minsheng.platform.web.forms import region_groups
from minsheng.platform.web.templating import Viewer, page_router, page_user_with, render

router = page_router()
RulesReader = Annotated[Viewer, Depends(page_user_with("rules:read"))]


@router.get("/rules")
def rules_page(request: Request, session: SessionDep, viewer: RulesReader,
               month: str = "", region: str = "") -> HTMLResponse:
    problem = None
    try:
        period = parse_month(month) if month.strip() else month_of(date.today())
    except RuleViolation as error:
        period, problem = month_of(date.today()), error
    region = region.strip()
    if region and not (region.isdigit() and len(region) in (2, 4, 6)):
        region = ""
    return render(request, "rulebook/rules.html", {
        "title": "政策参数", "active": "rules", "month": label(period), "region": region,
        "region_name": prefix_name(region) if region else "全部地区",
        "views": rulebook_in_force(session, period, region),
        "region_groups": region_groups(), "problem": problem,
    }, viewer=viewer, status_code=422 if problem else 200)
