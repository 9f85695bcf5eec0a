"""Accounts, sign-in and the audit chain, as the app assembles them."""

from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.security import admin, api, cli, models, pages
from minsheng.platform.web.templating import NavItem

DOMAIN = Domain(
    name="security", label="账户与审计", order=1, models=models, api=[api.router],
    pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("账户管理", "/admin/users", "users", "users:manage", order=91),
         NavItem("审计日志", "/audit", "audit", "audit:read", order=92)],
    cli=[("user", cli.user_app), ("audit", cli.audit_app)], work=[admin.waiting_work],
)
