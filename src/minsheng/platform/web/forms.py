"""Helpers every domain's pages share: form parsing into the API's request models,
field messages for a refused form, and the region choices of a signed-in user."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from minsheng.platform import regions
from minsheng.platform.errors import DomainError, FieldError, RuleViolation, invalid_field
from minsheng.platform.messages import DATE_FORMAT
from minsheng.platform.security.principal import Principal
from minsheng.platform.types import messages_of
from minsheng.platform.web.defences import CSRF_FIELD

#: Areas whose current districts and counties are offered in region selects.
REGION_AREAS = (("50", "重庆市"), ("5101", "四川省成都市"))

M = TypeVar("M", bound=BaseModel)


def region_groups(actor: Principal | None = None) -> list[tuple[str, list[regions.Division]]]:
    """Current districts/counties of Chongqing and Chengdu, inside ``actor``'s scope."""
    groups = []
    for prefix, label in REGION_AREAS:
        divisions = [d for d in regions.current_counties(prefix)
                     if actor is None or actor.sees_region(d.code)]
        if divisions:
            groups.append((label, divisions))
    return groups


def only_region(groups: list[tuple[str, list[regions.Division]]]) -> str:
    """The single region a district clerk can choose, to preselect it."""
    codes = [d.code for _, divisions in groups for d in divisions]
    return codes[0] if len(codes) == 1 else ""


def parse_form(model: type[M], data: dict[str, Any]) -> M:
    """The request model of the JSON API built from form fields; shape errors become a
    ``RuleViolation`` naming the fields, like the service's own checks."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [
            FieldError(str(e["loc"][0]) if e["loc"] else "form",
                       *messages_of(e, "格式不正确或超出长度限制"))
            for e in exc.errors()
        ]
        raise RuleViolation("填写的信息有误，请按提示修改", "Invalid form data",
                            errors=errors) from None


def field_messages(error: DomainError) -> dict[str, list[str]]:
    messages: dict[str, list[str]] = {}
    for e in error.errors:
        messages.setdefault(e.field, []).append(e.message)
    return messages


async def form_fields(request: Request) -> dict[str, str]:
    """The submitted form's text fields as they were typed (to show them again); the
    CSRF token is the defences' business, not a field of the record."""
    form = await request.form()
    return {key: value for key, value in form.items()
            if isinstance(value, str) and key != CSRF_FIELD}


#: A page dependency: the submitted form's text fields.
FormFields = Annotated[dict[str, str], Depends(form_fields)]


def error_context(error: DomainError | None) -> dict[str, Any]:
    """What a form template needs to show a refusal: messages by field, the problem."""
    return {"errors": field_messages(error) if error else {},
            "problem": error.page_problem() if error else None}


def attempt(session: Session, action: Callable[[], object]) -> DomainError | None:
    """Run one service call of a form post in a savepoint: a refusal leaves nothing
    behind and comes back to be shown on the page."""
    try:
        with session.begin_nested():
            action()
    except DomainError as error:
        return error
    return None


def optional_date(text: str, field: str) -> date | None:
    """A date typed into a form (YYYY-MM-DD); empty is None, anything else a 422 naming
    the field."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise invalid_field(field, *DATE_FORMAT) from exc


def required_date(text: str, field: str) -> date:
    """A date a form must carry: empty is a 422 naming the field, as is a bad one."""
    found = optional_date(text, field)
    if found is None:
        raise invalid_field(field, "请填写日期", "a date is required")
    return found


def page_problem(error: DomainError | None) -> dict[str, Any] | None:
    """A refusal as the page templates show it (``None``: nothing to show)."""
    return error.page_problem() if error else None
