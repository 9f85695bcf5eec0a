"""Land consolidation projects (土地综合整治)."""

from minsheng.ecology.land import api, indicators, models, pages
from minsheng.platform.domain import Domain, templates_beside

DOMAIN = Domain(name="land", label="土地综合整治", order=85, models=models, api=[api.router],
                pages=[pages.router], templates=templates_beside(__file__),
                indicators=indicators.INDICATORS)
