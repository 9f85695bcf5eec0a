"""The ecology indicators, map and dashboard (生态修复总览)."""

from minsheng.ecology.overview import api, cli, pages, service
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.web.templating import NavItem

DOMAIN = Domain(
    name="overview", label="生态修复总览", order=80,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("生态修复", "/ecology", "ecology", "ecology:read", order=98)],
    cli=[("ecology", cli.app)],
    provides={"ecology.drawing_background": service.drawing_background},
)
