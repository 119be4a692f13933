"""Jinja2 pages: one environment over ``templates/``, each render given the request's language,
caller, CSRF token and the features' navigation."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from crakit.web import i18n


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("crakit.web", "templates"),
        autoescape=select_autoescape(("html",)),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(request: Request, name: str, context: dict[str, Any], *, status_code: int = 200) -> HTMLResponse:
    settings = request.app.state.settings
    lang = i18n.negotiate(request, settings.languages)
    principal = getattr(request.state, "principal", None)
    nav = [
        item
        for feature in request.app.state.features
        for item in feature.nav
        if principal and item.visible(principal)
    ]
    full = {
        "request": request,
        "_": i18n.translator(lang),
        "when": lambda value: i18n.when(value, lang),
        "lang": lang,
        "languages": settings.languages,
        "site_name": settings.site_name,
        "principal": principal,
        "csrf_token": principal.csrf_token
        if principal is not None
        else request.state.__dict__.get("login_csrf", ""),
        "nav": nav,
        "footer": next((f.footer for f in request.app.state.features if f.footer), ""),
        "path": request.url.path,
        **context,
    }
    response = HTMLResponse(environment().get_template(name).render(full), status_code=status_code)
    if request.query_params.get("lang") in settings.languages:
        response.set_cookie(
            i18n.COOKIE, lang, max_age=365 * 86400, samesite="lax", secure=settings.secure_cookies
        )
    return response
