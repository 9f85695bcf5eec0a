"""Who is asking: the signed-in account as services see it, and region scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, literal
from sqlalchemy.orm import InstrumentedAttribute

from minsheng.platform.errors import Forbidden
from minsheng.platform.regions import scope_prefix
from minsheng.platform.security.roles import STAFF_ROLES, Role, has_permission, permission_label

S = TypeVar("S", bound=Select[Any])
RegionColumn = ColumnElement[str] | InstrumentedAttribute[str]


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    role: str
    region_code: str = ""
    person_id: int | None = None
    employer_id: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def region_prefix(self) -> str:
        return scope_prefix(self.region_code)

    def can(self, permission: str) -> bool:
        return has_permission(self.role, permission)

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise Forbidden(
                f"当前角色无权{permission_label(permission)}",
                f"Your role may not do this (needs {permission})",
            )

    def require_any(self, *permissions: str) -> None:
        if not any(self.can(p) for p in permissions):
            self.require(permissions[0])

    def sees_region(self, region: str) -> bool:
        return region.startswith(self.region_prefix)


SYSTEM = Principal(user_id=0, username="system", role=Role.ADMIN)


def region_filter(column: RegionColumn, principal: Principal) -> ColumnElement[bool]:
    """The one place region scope becomes SQL: ``column LIKE 'prefix%'``."""
    prefix = principal.region_prefix
    if not prefix:
        return literal(True)
    return column.startswith(prefix, autoescape=True)


def scoped(stmt: S, column: RegionColumn, principal: Principal) -> S:
    """Restrict a query to the rows whose region ``column`` lies in the principal's scope."""
    prefix = principal.region_prefix
    return stmt.where(region_filter(column, principal)) if prefix else stmt
