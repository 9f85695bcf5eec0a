"""The FastAPI application: JSON API under ``/api/v1`` and HTML pages for people."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker

from minsheng import __version__
from minsheng.ecology.greenmines import api as greenmines_api
from minsheng.ecology.land import api as land_api
from minsheng.ecology.mines import api as mines_api
from minsheng.ecology.overview import api as ecology_overview_api
from minsheng.ecology.restoration import api as restoration_api
from minsheng.ecology.sand import api as sand_api
from minsheng.hrss.cards import api as cards_api
from minsheng.hrss.insurance import api as insurance_api
from minsheng.hrss.insurance import certificate_api
from minsheng.hrss.pension import api as pension_api
from minsheng.hrss.pension import estimator_api
from minsheng.hrss.registry import api as registry_api
from minsheng.hrss.unemployment import api as unemployment_api
from minsheng.platform.calendar import api as calendar_api
from minsheng.platform.config import Settings, get_settings
from minsheng.platform.db import make_engine, make_session_factory
from minsheng.platform.security import api as auth_api
from minsheng.web import errors

STATIC_DIR = Path(__file__).resolve().parent / "static"


def create_app(
    settings: Settings | None = None, session_factory: sessionmaker[Session] | None = None
) -> FastAPI:
    settings = settings or get_settings()
    if session_factory is None:
        session_factory = make_session_factory(make_engine(settings.database_url))
    app = FastAPI(
        title="民生 Minsheng",
        version=__version__,
        description="人力社保公共服务与生态修复平台 API",
    )
    app.state.settings = settings
    app.state.session_factory = session_factory
    errors.install(app)
    app.include_router(auth_api.router)
    app.include_router(registry_api.router)
    app.include_router(insurance_api.router)
    app.include_router(certificate_api.router)
    app.include_router(pension_api.router)
    app.include_router(estimator_api.router)
    app.include_router(cards_api.router)
    app.include_router(calendar_api.router)
    app.include_router(unemployment_api.router)
    for ecology_api in (mines_api, restoration_api, greenmines_api, sand_api, land_api,
                        ecology_overview_api):
        app.include_router(ecology_api.router)
    from minsheng.web import pages

    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app
