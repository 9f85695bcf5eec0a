"""HR service agencies (人力资源服务机构): the licence registry, annual reports, the
late-report work-list, counts and revenue by region; the scorecard's agency figures."""

from minsheng.hrss.hragency import api, indicators, models, pages
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.web.templating import NavItem

DOMAIN = Domain(
    name="hragency", label="人力资源服务机构", order=113, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("人力资源服务机构", "/talent/agencies", "hragency", "talent:read", order=113)],
    indicators=indicators.INDICATORS,
)
