"""Accounts, sign-in and the audit chain, as the app assembles them."""

from minsheng.platform.domain import Domain
from minsheng.platform.security import api, cli, models

DOMAIN = Domain(
    name="security", label="账户与审计", order=1, models=models, api=[api.router],
    cli=[("user", cli.user_app), ("audit", cli.audit_app)],
)
