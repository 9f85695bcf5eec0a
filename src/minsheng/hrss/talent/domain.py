"""Talent records (人才服务): vocational skill level certificates, professional titles,
scarce-talent introductions and talent events, skills-competition results, postdoctoral
stations and intake, and the counts of talent for the scorecard."""

from minsheng.hrss.talent import api, indicators, models, pages
from minsheng.platform.domain import Domain, templates_beside
from minsheng.platform.web.templating import NavItem

DOMAIN = Domain(
    name="talent", label="人才服务", order=100, models=models,
    api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
    nav=[NavItem("人才服务", "/talent", "talent", "talent:read", order=100)],
    indicators=indicators.INDICATORS,
)
