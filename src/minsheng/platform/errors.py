"""Domain errors: what went wrong, in Chinese and English, and the HTTP status it means.

Services raise these; one handler in ``minsheng.platform.web.problems`` renders them as JSON
problems with both texts (or an HTMX toast, or an error page, in Chinese only:
:meth:`DomainError.page_problem`, :mod:`minsheng.platform.messages`). Nothing else maps
exceptions to HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from minsheng.platform.messages import field_label, page_problem


@dataclass
class FieldError:
    """One problem with one input field (or one cell of an imported row)."""

    field: str
    message: str
    message_en: str
    row: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "field": self.field,
            "message": self.message,
            "message_en": self.message_en,
        }
        if self.row is not None:
            data["row"] = self.row
        return data


@dataclass
class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    message: str
    message_en: str
    errors: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "domain_error"

    def __post_init__(self) -> None:
        super().__init__(self.message_en)

    def __str__(self) -> str:
        return f"{self.message} / {self.message_en}"

    def as_problem(self) -> dict[str, Any]:
        problem: dict[str, Any] = {
            "type": self.code,
            "status": self.status_code,
            "detail": self.message,
            "detail_en": self.message_en,
        }
        if self.errors:
            problem["errors"] = [e.as_dict() for e in self.errors]
        problem.update(self.extra)
        return problem

    def page_problem(self) -> dict[str, Any]:
        """The problem as a page shows it: Chinese only, fields named by their labels."""
        return page_problem(self.as_problem())


class NotFound(DomainError):
    status_code = 404
    code = "not_found"


class Forbidden(DomainError):
    status_code = 403
    code = "forbidden"


class Unauthenticated(DomainError):
    status_code = 401
    code = "unauthenticated"


class Conflict(DomainError):
    """An illegal state change, a duplicate, or a stale version."""

    status_code = 409
    code = "conflict"


class RuleViolation(DomainError):
    """Input that breaks a business rule (bad ID number, unknown region, ...)."""

    status_code = 422
    code = "rule_violation"


def invalid_field(field_name: str, message: str, message_en: str) -> RuleViolation:
    """A ``RuleViolation`` about a single field, naming it in the message (by its Chinese
    label in the Chinese text, by its code in the English one)."""
    return RuleViolation(
        message=f"{field_label(field_name)}：{message}",
        message_en=f"{field_name}: {message_en}",
        errors=[FieldError(field_name, message, message_en)],
    )


def not_found(kind_zh: str, kind_en: str, key: object) -> NotFound:
    """``人员 12 不存在`` / ``Person 12 not found``."""
    return NotFound(f"{kind_zh} {key} 不存在", f"{kind_en} {key} not found")


def stale_record() -> Conflict:
    """Someone saved the record first (its ``version`` moved on): reload and retry."""
    return Conflict("记录已被他人修改，请刷新后重试",
                    "Record changed by someone else; reload and retry")
