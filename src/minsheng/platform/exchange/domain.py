"""The exchange between nodes, as the app assembles it."""

from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.exchange import api, cli, models, pages, service
from minsheng.platform.web.templating import NavItem

DOMAIN = Domain(
    name="exchange", label="报文交换", order=2, models=models, api=[api.router],
    pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("报文交换", "/exchange", "exchange", "exchange:read", order=93)],
    cli=[("peer", cli.peer_app), ("exchange", cli.exchange_app)],
    envelope_kinds=service.KINDS,
)
