"""Social-insurance enrolment and contributions (参保缴费)."""

from minsheng.hrss.insurance import api, certificate_api, cli, models, pages
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.web.templating import NavItem

DOMAIN = Domain(
    name="insurance", label="参保缴费", order=20, models=models,
    api=[api.router, certificate_api.router], pages=[pages.router],
    templates=templates_beside(__file__),
    nav=[NavItem("参保缴费", "/insurance", "insurance", "insurance:read", order=20)],
    cli=[("contributions", cli.app)],
)
