"""Message catalogues for the documents, read with Babel from the packaged ``.po`` files.

The catalogues are compiled in memory when first used (no ``.mo`` build step: CI installs with pip only).
English is the source language: ``en.po`` holds every message id with an empty translation. Another
EU language is added by copying ``en.po`` to ``<code>.po`` and translating it; tests check that every
catalogue translates every message and keeps its placeholders.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from importlib import resources

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from crakit.documents.errors import DocumentError

SOURCE_LANGUAGE = "en"


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is used."""
    return message


@cache
def languages() -> tuple[str, ...]:
    """Language codes with a catalogue, English first."""
    names = [
        entry.name[: -len(".po")]
        for entry in resources.files("crakit.documents.locale").iterdir()
        if entry.name.endswith(".po")
    ]
    return tuple(sorted(names, key=lambda code: (code != SOURCE_LANGUAGE, code)))


@cache
def _translations(lang: str) -> Translations:
    source = resources.files("crakit.documents.locale").joinpath(f"{lang}.po")
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # untranslated and fuzzy entries fall back to the English source
    compiled.seek(0)
    return Translations(fp=compiled)


class Translator:
    """Translates messages into one language: ``t._("Annex %(n)s", n="V")``."""

    def __init__(self, lang: str) -> None:
        if lang not in languages():
            raise DocumentError(
                f"no catalogue for language {lang!r}",
                hint=f"available: {', '.join(languages())}; add one as src/crakit/documents/locale/{lang}.po",
            )
        self.lang = lang
        self.translations = _translations(lang)
        self.locale = Locale.parse(lang)

    def _(self, message: str, **values: object) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def month(self, year: int, month: int) -> str:
        """A month and year as people of this language write them ("mars 2035")."""
        return format_date(dt.date(year, month, 1), "MMMM y", locale=self.locale)

    def day(self, day: dt.date) -> str:
        return format_date(day, "long", locale=self.locale)
