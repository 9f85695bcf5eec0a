"""The FastAPI application: JSON API under ``/api/v1`` and HTML pages for people.

Routers, template folders and navigation come from the domains' declarations
(:mod:`minsheng.app.assembly`); this module only puts them together.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import anyio
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker

from minsheng import __version__
from minsheng.app import crossregion, pages
from minsheng.app.assembly import assemble
from minsheng.platform.config import Settings, get_settings
from minsheng.platform.db import make_engine, make_session_factory
from minsheng.platform.security import audit
from minsheng.platform.web import problems
from minsheng.platform.web.defences import DefenceHeaders, csrf_protect

STATIC_DIR = Path(__file__).resolve().parents[1] / "platform" / "web" / "static"


def _lifespan(settings: Settings, session_factory: sessionmaker[Session],
              ) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # A request's transaction (holding, say, a card's row lock) is committed
        # by its session dependency's exit, which needs a thread of the pool again. With
        # the default 40 threads, 40 requests waiting on that lock would leave none for
        # the exit: the pool must be larger than the requests a worker takes at once.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.web_threads
        sealer = None
        if settings.audit_seal_in_background and settings.database_url.startswith("postgresql"):
            sealer = audit.start_sealer(session_factory, settings.audit_seal_seconds, woken=True)
        try:
            yield
        finally:
            if sealer is not None:
                await anyio.to_thread.run_sync(sealer.stop)

    return lifespan


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
        dependencies=[Depends(csrf_protect)],
        lifespan=_lifespan(settings, session_factory),
    )
    app.add_middleware(DefenceHeaders, https_only=settings.cookie_secure)
    app.state.settings = settings
    app.state.session_factory = session_factory
    problems.install(app)
    domains = assemble()
    for domain in domains:
        for router in domain.api:
            app.include_router(router)
    app.include_router(pages.router)
    app.include_router(crossregion.router)
    for domain in domains:
        for router in domain.pages:
            app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app
