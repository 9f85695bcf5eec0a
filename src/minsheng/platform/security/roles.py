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
_STAFF_READ = {"registry:read", "cards:read", "insurance:read", "pension:read",
               "ecology:read", "rules:read"}
#: Front-desk work at a service counter.
_COUNTER = {"registry:write", "registry:import", "registry:export", "insurance:write",
            "insurance:employer", "insurance:pay", "cards:write", "pension:certify"}
PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.CITIZEN: frozenset({"insurance:self", "cards:self", "pension:self"}),
    Role.EMPLOYER: frozenset({"insurance:employer", "insurance:pay"}),
    Role.CLERK: frozenset(_STAFF_READ | _COUNTER | {"ecology:write"}),
    Role.CASE_OFFICER: frozenset(_STAFF_READ | {"registry:write", "pension:certify"}),
    Role.REVIEWER: frozenset(_STAFF_READ | {"pension:award"}),
    Role.STATISTICIAN: frozenset(_STAFF_READ | {"registry:export", "insurance:coverage"}),
    Role.ADMIN: frozenset(
        _STAFF_READ | _COUNTER | {"users:manage", "calendar:manage", "insurance:rules",
                                  "insurance:assess", "insurance:coverage", "pension:award",
                                  "pension:payroll", "ecology:write"}
    ),
    Role.AUDITOR: frozenset(_STAFF_READ | {"audit:read"}),
    Role.PEER_NODE: frozenset(),
}
#: Unemployment insurance and job-stabilisation refunds (``hrss/unemployment``): every
#: staff role reads; the counter registers and decides claims; the reviewer approves
#: refunds; the administrator runs the benefit payroll and the refund batch.
_UNEMPLOYMENT: dict[Role, set[str]] = {
    Role.CITIZEN: {"unemployment:self"},
    Role.EMPLOYER: {"unemployment:employer"},
    Role.CLERK: {"unemployment:read", "unemployment:write"},
    Role.CASE_OFFICER: {"unemployment:read", "unemployment:write"},
    Role.REVIEWER: {"unemployment:read", "unemployment:refund_approve"},
    Role.STATISTICIAN: {"unemployment:read"},
    Role.ADMIN: {"unemployment:read", "unemployment:write", "unemployment:payroll",
                 "unemployment:refunds", "unemployment:refund_approve"},
    Role.AUDITOR: {"unemployment:read"},
}
PERMISSIONS = {role: permissions | _UNEMPLOYMENT.get(role, set())
               for role, permissions in PERMISSIONS.items()}
#: Employment services (``hrss/employment``): every staff role reads (work-lists,
#: indicators); the counter registers seekers, refers, records placements and key groups;
#: citizens search and apply; employers post vacancies and decide on applicants.
_EMPLOYMENT: dict[Role, set[str]] = {
    Role.CITIZEN: {"employment:self"},
    Role.EMPLOYER: {"employment:employer"},
    Role.CLERK: {"employment:read", "employment:write"},
    Role.CASE_OFFICER: {"employment:read", "employment:write"},
    Role.REVIEWER: {"employment:read"},
    Role.STATISTICIAN: {"employment:read"},
    Role.ADMIN: {"employment:read", "employment:write"},
    Role.AUDITOR: {"employment:read"},
}
PERMISSIONS = {role: permissions | _EMPLOYMENT.get(role, set())
               for role, permissions in PERMISSIONS.items()}


def has_permission(role: str, permission: str) -> bool:
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False
