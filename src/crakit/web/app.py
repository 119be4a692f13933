"""The app factory shared by crakit's web applications (reporting platform, workbench).

``create_app(settings, features)``: opens and migrates the database (accounts plus each
feature's tree), mounts the features' routers, the static files and the sign-in pages, installs
the error mapping, the body limit and security headers, and runs the features' background tasks
(e.g. webhook delivery) in a thread. Nothing that matters lives in process memory.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from crakit import __version__, accounts
from crakit.store import open_database
from crakit.web import errors
from crakit.web.feature import Feature
from crakit.web.limits import BodyLimit, NoNul, SecurityHeaders
from crakit.web.settings import WebSettings

log = logging.getLogger("crakit.web")


def _background(app: FastAPI, stop: threading.Event) -> None:
    tasks = [task for feature in app.state.features for task in feature.background]
    while not stop.wait(app.state.settings.background_interval):
        for task in tasks:
            try:
                task(app.state.store)
            except Exception:  # a failing task must not stop the others or the server
                log.exception("background task %s failed", getattr(task, "__name__", task))


def create_app(settings: WebSettings, features: Sequence[Feature]) -> FastAPI:
    trees = [accounts.MIGRATIONS, *(tree for feature in features for tree in feature.trees)]
    store = open_database(settings.database_url, trees, migrate=settings.migrate)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        worker = threading.Thread(target=_background, args=(app, stop), name="crakit-background", daemon=True)
        if any(feature.background for feature in features):
            worker.start()
        try:
            yield
        finally:
            stop.set()
            if worker.is_alive():
                worker.join(timeout=10)
            store.close()

    app = FastAPI(
        title=f"{settings.site_name} API",
        version=__version__,
        lifespan=lifespan,
        responses=errors.ERROR_RESPONSES,
        description="Versioned REST API (v1). Machines authenticate with `Authorization: Bearer <token>`.",
    )
    app.state.settings = settings
    app.state.store = store
    app.state.features = list(features)
    for feature in features:
        for key, value in feature.state.items():
            setattr(app.state, key, value)
    errors.install(app, [pair for feature in features for pair in feature.error_statuses])
    app.mount(
        "/static", StaticFiles(directory=str(resources.files("crakit.web").joinpath("static"))), name="static"
    )
    from crakit.web.api import health
    from crakit.web.pages import account

    app.include_router(health.router)
    app.include_router(account.router)
    for feature in features:
        for router in feature.routers:
            app.include_router(router)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(NoNul)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app
