"""The scorecard (民生答卷): every domain's indicators for a region and period, against
plan targets."""

from minsheng.hrss.scorecard import api, cli, models, pages, service
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.web.templating import NavItem

DOMAIN = Domain(
    name="scorecard", label="民生答卷", order=90, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("民生答卷", "/scorecard", "scorecard", "scorecard:read", order=97)],
    cli=[("scorecard", cli.app)], work=[service.waiting_work],
)
