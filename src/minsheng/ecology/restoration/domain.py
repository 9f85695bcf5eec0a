"""Restoration plans, progress and substituted restoration (生态修复)."""

from minsheng.ecology.restoration import api, indicators, models, pages, service
from minsheng.platform.domain import Domain, templates_beside

DOMAIN = Domain(name="restoration", label="生态修复", order=82, models=models,
                api=[api.router], pages=[pages.router], templates=templates_beside(__file__),
                provides={"ecology.mine_plan": service.plan_of_mine},
                indicators=indicators.INDICATORS, work=[service.waiting_work])
