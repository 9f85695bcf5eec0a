"""The statutory holiday calendar, as the app assembles it."""

from minsheng.platform.calendar import api, cli, models
from minsheng.platform.domain import Domain

DOMAIN = Domain(name="calendar", label="法定节假日", order=2, models=models, api=[api.router],
                cli=[("calendar", cli.app)])
