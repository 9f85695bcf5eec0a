"""Employment services: seekers, vacancies, matching, placements (就业服务)."""

from minsheng.hrss.employment import api, cli, indicators, models, pages, service
from minsheng.hrss.employment.service import peer
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.web.templating import NavItem

DOMAIN = Domain(
    name="employment", label="就业服务", order=50, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("就业服务", "/employment", "employment", "employment:read", order=50)],
    cli=[("employment", cli.app)], indicators=indicators.INDICATORS,
    envelope_kinds=peer.KINDS, work=[service.waiting_work],
)
