"""The rulebook, as the app assembles it: a read-only page and ``minsheng rules``."""

from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.rulebook import cli, pages
from minsheng.platform.web.templating import NavItem

DOMAIN = Domain(name="rulebook", label="政策参数", order=3, pages=[pages.router],
                nav=[NavItem("政策参数", "/rules", "rules", "rules:read", order=90)],
                templates=templates_beside(__file__), cli=[("rules", cli.app)])
