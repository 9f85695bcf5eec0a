"""Test helpers for the estimator: an app that serves its routes whether or not they are
already wired into ``create_app``."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.routing import NoMatchFound

from minsheng.app.web import create_app
from minsheng.hrss.pension.estimator import api as estimator_api
from minsheng.hrss.pension.estimator import pages as estimator_pages
from minsheng.platform.config import Settings


def _has_route(app: FastAPI, name: str) -> bool:
    try:
        app.url_path_for(name)
    except NoMatchFound:
        return False
    return True


def with_estimator(app: FastAPI) -> FastAPI:
    """``app`` with the estimator API and page routers included unless already there
    (looked up by endpoint name, which also finds routes of nested routers)."""
    if not _has_route(app, estimator_api.estimate_pension.__name__):
        app.include_router(estimator_api.router)
    if not _has_route(app, estimator_pages.estimator_page.__name__):
        app.include_router(estimator_pages.router)
    return app


def estimator_app(settings: Settings) -> FastAPI:
    """The real application (error handlers, static files, templates) with the estimator.
    The estimator reads no database: the app's database is never touched by these tests
    (the page routes may open a session on it once they sit under the page router)."""
    return with_estimator(create_app(settings))
