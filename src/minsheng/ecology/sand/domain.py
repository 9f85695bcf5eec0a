"""Surplus sand and gravel from projects (剩余砂石处置)."""

from minsheng.ecology.sand import api, indicators, models, pages
from minsheng.platform.domain import Domain, templates_beside

DOMAIN = Domain(name="sand", label="剩余砂石处置", order=84, models=models, api=[api.router],
                pages=[pages.router], templates=templates_beside(__file__),
                indicators=indicators.INDICATORS)
