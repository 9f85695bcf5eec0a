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
    #: The district natural-resources bureau (生态修复与土地整治): a role family of its own,
    #: with no social-security permission.
    NR_OFFICER = "nr_officer"
    NR_ANALYST = "nr_analyst"


STAFF_ROLES = frozenset(
    {Role.CLERK, Role.CASE_OFFICER, Role.REVIEWER, Role.STATISTICIAN, Role.ADMIN, Role.AUDITOR,
     Role.NR_OFFICER, Role.NR_ANALYST, Role.PEER_NODE}
)
#: Staff of the natural-resources bureau: the ecology pages, none of social security.
NATURAL_RESOURCES_ROLES = frozenset({Role.NR_OFFICER, Role.NR_ANALYST})

#: The workspace (title, menu, colours) each role works in: the natural-resources bureau's
#: staff in the ecology workspace (生态修复与土地整治), every other role in the
#: social-security one (人力社保).
HRSS_WORKSPACE = "hrss"
ECOLOGY_WORKSPACE = "ecology"


def workspace_of(role: str) -> str:
    """The workspace of ``role``: ``ecology`` for the natural-resources roles, else ``hrss``."""
    return ECOLOGY_WORKSPACE if role in NATURAL_RESOURCES_ROLES else HRSS_WORKSPACE


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
    Role.NR_OFFICER: "生态修复经办员",
    Role.NR_ANALYST: "生态修复统计员",
}

#: What every social-security staff role may read (region scope still applies).
_STAFF_READ = {"registry:read", "cards:read", "insurance:read", "pension:read", "rules:read"}
#: The natural-resources bureau's records (mines, restoration, green mines, sand, land).
_ECOLOGY_READ = {"ecology:read"}
_ECOLOGY_WRITE = {"ecology:read", "ecology:write"}
#: Front-desk work at a service counter.
#: ``registry:citywide``: 全市通办 — any counter of the city serves any resident of it:
#: a look-up by the exact full resident ID across the city (never browsing or search).
_COUNTER = {"registry:write", "registry:import", "registry:export", "registry:citywide",
            "insurance:write", "insurance:employer", "insurance:pay", "cards:write",
            "pension:certify"}
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
                                  "pension:payroll"} | _ECOLOGY_WRITE
    ),
    Role.AUDITOR: frozenset(_STAFF_READ | _ECOLOGY_READ | {"audit:read"}),
    #: The other province's node applying what it sent (``platform.exchange``): only the
    #: acts the exchange carries; it has no account and never signs in.
    Role.PEER_NODE: frozenset({"registry:read", "registry:write", "cards:read",
                               "cards:write", "pension:read", "pension:certify"}),
    Role.NR_OFFICER: frozenset(_ECOLOGY_WRITE),
    Role.NR_ANALYST: frozenset(_ECOLOGY_READ),
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
                 "unemployment:refunds", "unemployment:refund_approve", "unemployment:rules"},
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
#: Labour relations (``hrss/labour`` contracts and tripartite bodies, ``hrss/arbitration``
#: disputes, ``hrss/inspection`` complaints): every staff role reads; the counter files
#: contracts and registers tripartite bodies; the case officer handles disputes and
#: complaints; the reviewer approves extensions of the statutory periods; employers file
#: their own contracts; workers apply, complain and follow their own cases.
_LABOUR: dict[Role, set[str]] = {
    Role.CITIZEN: {"labour:self"},
    Role.EMPLOYER: {"labour:employer"},
    Role.CLERK: {"labour:read", "labour:write"},
    Role.CASE_OFFICER: {"labour:read", "labour:write", "labour:case"},
    Role.REVIEWER: {"labour:read", "labour:approve"},
    Role.STATISTICIAN: {"labour:read"},
    Role.ADMIN: {"labour:read", "labour:write", "labour:case", "labour:approve"},
    Role.AUDITOR: {"labour:read"},
}
PERMISSIONS = {role: permissions | _LABOUR.get(role, set())
               for role, permissions in PERMISSIONS.items()}
#: Talent services (``hrss/talent`` records, ``hrss/talentcard`` 英才服务卡,
#: ``hrss/personnelfile`` 人事档案, ``hrss/hragency`` HR service agencies): every staff
#: role reads; the counter records certificates, titles and introductions, keeps files
#: and registers agencies; the reviewer decides card applications; employers declare
#: their introduced talent and agencies report; talents hold their card and book services.
_TALENT: dict[Role, set[str]] = {
    Role.CITIZEN: {"talent:self"},
    Role.EMPLOYER: {"talent:employer"},
    Role.CLERK: {"talent:read", "talent:write"},
    Role.CASE_OFFICER: {"talent:read", "talent:write"},
    Role.REVIEWER: {"talent:read", "talent:review"},
    Role.STATISTICIAN: {"talent:read"},
    Role.ADMIN: {"talent:read", "talent:write", "talent:review"},
    Role.AUDITOR: {"talent:read"},
}
PERMISSIONS = {role: permissions | _TALENT.get(role, set())
               for role, permissions in PERMISSIONS.items()}
#: The exchange between nodes (``platform/exchange``): the administrator operates it
#: (peers, retries, key rotation), the auditor reads its status and refusals.
_EXCHANGE: dict[Role, set[str]] = {
    Role.ADMIN: {"exchange:read", "exchange:operate"},
    Role.AUDITOR: {"exchange:read"},
}
PERMISSIONS = {role: permissions | _EXCHANGE.get(role, set())
               for role, permissions in PERMISSIONS.items()}
#: The scorecard (``hrss/scorecard``): every staff role reads the figures of the source
#: records it may read; the statisticians and the administrator enter plan targets.
_SCORECARD: dict[Role, set[str]] = {
    **{role: {"scorecard:read"} for role in STAFF_ROLES},
    Role.STATISTICIAN: {"scorecard:read", "scorecard:targets"},
    Role.NR_ANALYST: {"scorecard:read", "scorecard:targets"},
    Role.ADMIN: {"scorecard:read", "scorecard:targets"},
}
PERMISSIONS = {role: permissions | _SCORECARD.get(role, set())
               for role, permissions in PERMISSIONS.items()}

#: Cases (``platform/cases``, 办件): citizens and employers follow their own applications;
#: every social-security staff role reads the cases of its region.
_CASES: dict[Role, set[str]] = {
    Role.CITIZEN: {"cases:self"},
    Role.EMPLOYER: {"cases:self"},
    **{role: {"cases:read"} for role in (Role.CLERK, Role.CASE_OFFICER, Role.REVIEWER,
                                         Role.STATISTICIAN, Role.ADMIN, Role.AUDITOR)},
}
PERMISSIONS = {role: permissions | _CASES.get(role, set())
               for role, permissions in PERMISSIONS.items()}

#: Feedback (``hrss/feedback``, 意见建议): citizens and employers submit and follow their
#: own; every social-security staff role reads its region's; the counter and the
#: administrator reply.
_FEEDBACK: dict[Role, set[str]] = {
    Role.CITIZEN: {"feedback:self"},
    Role.EMPLOYER: {"feedback:self"},
    **{role: {"feedback:read"} for role in (Role.CASE_OFFICER, Role.REVIEWER,
                                            Role.STATISTICIAN, Role.AUDITOR)},
    Role.CLERK: {"feedback:read", "feedback:reply"},
    Role.ADMIN: {"feedback:read", "feedback:reply"},
}
PERMISSIONS = {role: permissions | _FEEDBACK.get(role, set())
               for role, permissions in PERMISSIONS.items()}


def has_permission(role: str, permission: str) -> bool:
    try:
        return permission in PERMISSIONS[Role(role)]
    except ValueError:
        return False


#: What each permission lets its holder do, as a refusal names it to the user (the codes
#: stay in the API's English message and in the code).
PERMISSION_LABELS: dict[str, str] = {
    "registry:read": "查询人员和单位登记信息",
    "rules:read": "查阅政策参数",
    "registry:write": "办理人员和单位登记",
    "registry:import": "批量导入登记信息",
    "registry:export": "导出登记信息",
    "registry:citywide": "全市通办（按完整公民身份号码跨区查询）",
    "insurance:read": "查询参保缴费信息",
    "insurance:write": "办理参保登记",
    "insurance:employer": "办理单位参保业务",
    "insurance:pay": "办理缴费",
    "insurance:self": "查询本人参保缴费信息",
    "cases:self": "查询本人办件进度",
    "cases:read": "查询办件进度",
    "insurance:coverage": "查看参保扩面工作清单",
    "insurance:rules": "维护缴费参数",
    "insurance:assess": "核定月度缴费",
    "cards:read": "查询社会保障卡",
    "cards:write": "办理社会保障卡业务",
    "cards:self": "办理本人社会保障卡业务",
    "pension:read": "查询养老待遇",
    "pension:certify": "办理待遇资格认证",
    "pension:award": "核定养老待遇",
    "pension:payroll": "发放养老金",
    "pension:self": "查询本人养老待遇",
    "unemployment:read": "查询失业保险业务",
    "unemployment:write": "办理失业登记和失业保险金",
    "unemployment:payroll": "发放失业保险金",
    "unemployment:rules": "发布失业保险金标准",
    "unemployment:refunds": "核算稳岗返还",
    "unemployment:refund_approve": "审核稳岗返还",
    "unemployment:self": "办理本人失业保险业务",
    "unemployment:employer": "查询本单位稳岗返还",
    "employment:read": "查询就业服务业务",
    "employment:write": "办理就业服务业务",
    "employment:self": "求职和投递岗位",
    "employment:employer": "发布岗位和处理应聘",
    "ecology:read": "查询生态修复与土地整治信息",
    "ecology:write": "办理生态修复与土地整治业务",
    "labour:read": "查询劳动关系业务",
    "labour:write": "办理劳动合同备案和三方协调机制登记",
    "labour:case": "办理劳动争议仲裁和劳动保障监察案件",
    "labour:approve": "审批延长办案期限",
    "labour:employer": "办理本单位劳动合同备案",
    "labour:self": "申请劳动仲裁、投诉和查询本人案件",
    "talent:read": "查询人才服务业务",
    "talent:write": "办理人才服务业务",
    "talent:review": "审核英才服务卡申请",
    "talent:employer": "申报本单位引进人才",
    "talent:self": "办理本人人才服务业务",
    "exchange:read": "查看川渝通办报文交换状态",
    "exchange:operate": "管理对端节点和重新投递报文",
    "scorecard:read": "查看民生答卷统计指标",
    "scorecard:targets": "设定规划目标",
    "users:manage": "管理用户账号",
    "calendar:manage": "维护工作日历",
    "audit:read": "查阅审计日志",
    "feedback:self": "提交和查询本人意见建议",
    "feedback:read": "查询意见建议",
    "feedback:reply": "答复意见建议",
}


def permission_label(permission: str) -> str:
    """The Chinese description of ``permission`` (a generic one for an unknown code)."""
    return PERMISSION_LABELS.get(permission, "执行此项业务")
