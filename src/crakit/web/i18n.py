"""Message catalogues (Babel): ``locale/<lang>/LC_MESSAGES/messages.po`` read at start-up.

The .po files are read directly with Babel's reader (no compile step, so an install from pip
is complete); the language comes from ``?lang=``, then the ``crakit_lang`` cookie, then the
browser's Accept-Language, then English.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import cache
from importlib import resources

from babel import Locale, negotiate_locale
from babel.dates import format_datetime
from babel.messages.pofile import read_po
from starlette.requests import Request

DEFAULT = "en"
COOKIE = "crakit_lang"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """msgid → translation (empty or fuzzy entries fall back to the English message id)."""
    path = resources.files("crakit.web").joinpath("locale", lang, "LC_MESSAGES", "messages.po")
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=lang)
    return {
        str(message.id): str(message.string)
        for message in parsed
        if message.id and message.string and not message.fuzzy and isinstance(message.id, str)
    }


def translator(lang: str) -> Callable[[str], str]:
    table = catalogue(lang)

    def gettext(message: str) -> str:
        return table.get(message, message)

    return gettext


def negotiate(request: Request, languages: Sequence[str]) -> str:
    wanted = request.query_params.get("lang") or request.cookies.get(COOKIE)
    if wanted is not None and wanted in languages:
        return wanted
    header = request.headers.get("accept-language", "")
    preferred = [part.split(";")[0].strip().replace("-", "_") for part in header.split(",") if part.strip()]
    chosen = negotiate_locale(preferred, list(languages))
    return chosen if isinstance(chosen, str) else DEFAULT


def when(value: datetime | str | None, lang: str) -> str:
    """A moment for people, in the page's language (always UTC, as the legal clocks are)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return format_datetime(value, "medium", tzinfo=value.tzinfo, locale=Locale.parse(lang)) + " UTC"
