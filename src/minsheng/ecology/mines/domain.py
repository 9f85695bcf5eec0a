"""Mines, closures and ecological red-line zones (矿山)."""

from minsheng.ecology.mines import api, indicators, models, pages
from minsheng.platform.domain import Domain, templates_beside

DOMAIN = Domain(name="mines", label="矿山", order=81, models=models, api=[api.router],
                pages=[pages.router], templates=templates_beside(__file__),
                indicators=indicators.INDICATORS)
