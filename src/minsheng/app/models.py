"""Every mapped model, loaded so that ``Base.metadata`` is complete (Alembic, tests, CLI).

The platform's own tables are named here; each domain's come from its declaration.
"""

from __future__ import annotations

from sqlalchemy import MetaData

from minsheng.app.assembly import domains
from minsheng.platform import imports
from minsheng.platform.calendar import models as calendar_models
from minsheng.platform.db import Base
from minsheng.platform.security import models as security_models

PLATFORM_MODELS = (imports, calendar_models, security_models)


def load_all() -> MetaData:
    """Import every model module (each declaration imports its domain's); the complete
    metadata."""
    domains()
    return Base.metadata


metadata = load_all()

__all__ = ["PLATFORM_MODELS", "Base", "load_all", "metadata"]
