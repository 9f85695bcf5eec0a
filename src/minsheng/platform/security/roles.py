"""Roles and what each may do. Permissions are declared on routes, checked here."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CITIZEN = "citizen"
    EMPLOYER = "employer"
    CLERK = "clerk"
    CASE_OFFICER = "case_officer"
    REVIEWER = "reviewer"
    STATISTICIAN = "statistician"
    ADMIN = "admin"
    AUDITOR = "auditor"
    PEER_NODE = "peer_node"


STAFF_ROLES = frozenset(
    {Role.CLERK, Role.CASE_OFFICER, Role.REVIEWER, Role.STATISTICIAN, Role.ADMIN, Role.AUDITOR}
)

ROLE_LABELS = {
    Role.CITIZEN: "参保人",
    Role.EMPLOYER: "用人单位",
    Role.CLERK: "窗口经办员",
    Role.CASE_OFFICER: "案件承办人",
    Role.REVIEWER: "复核员",
    Role.STATISTICIAN: "统计员",
    Role.ADMIN: "系统管理员",
    Role.AUDITOR: "审计员",
    Role.PEER_NODE: "对端节点",
}

#: What every staff role may read (region scope still applies).
_STAFF_READ = {"registry:read", "cards:read", "insurance:read", "pension:read"}
#: Front-desk work at a service counter.
_COUNTER = {"registry:write", "registry:import", "registry:export", "insurance:write",
            "insurance:employer", "insurance:pay", "cards:write", "pension:certify"}
PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.CITIZEN: frozenset({"insurance:self", "cards:self", "pension:self"}),
    Role.EMPLOYER: frozenset({"insurance:employer", "insurance:pay"}),
    Role.CLERK: frozenset(_STAFF_READ | _COUNTER),
    Role.CASE_OFFICER: frozenset(_STAFF_READ | {"registry:write", "pension:certify"}),
    Role.REVIEWER: frozenset(_STAFF_READ | {"pension:award"}),
    Role.STATISTICIAN: frozenset(_STAFF_READ | {"registry:export", "insurance:coverage"}),
    Role.ADMIN: frozenset(
        _STAFF_READ | _COUNTER | {"users:manage", "calendar:manage", "insurance:rules",
                                  "insurance:assess", "insurance:coverage", "pension:award",
                                  "pension:payroll"}
    ),
    Role.AUDITOR: frozenset(_STAFF_READ | {"audit:read"}),
    Role.PEER_NODE: frozenset(),
}


def has_permission(role: str, permission: str) -> bool:
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False
