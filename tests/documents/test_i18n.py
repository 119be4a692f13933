"""The message catalogues: every message of the code and templates translated in every language."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import crakit.documents
from crakit.documents import DocumentError, Translator, languages

PACKAGE = Path(crakit.documents.__file__).parent
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> set[str]:
    return {
        message
        for _, _, message, _, _ in extract_from_dir(
            str(PACKAGE),
            method_map=[("**.py", "python"), ("**/templates/**.j2", "jinja2.ext:babel_extract")],
            keywords={"_": None, "N_": None},
        )
    }


def _catalog(lang: str):  # type: ignore[no-untyped-def]
    with resources.files("crakit.documents.locale").joinpath(f"{lang}.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def test_the_belgian_languages_and_english_are_there() -> None:
    assert {"en", "fr", "nl", "de"} <= set(languages())
    assert languages()[0] == "en"


def test_english_source_catalogue_holds_exactly_the_messages_in_use() -> None:
    used = _extracted()
    ids = {m.id for m in _catalog("en") if m.id}
    assert used - ids == set(), "messages missing from en.po: regenerate it (locale/README.md)"
    assert ids - used == set(), "en.po holds messages no longer used"


@pytest.mark.parametrize("lang", [code for code in languages() if code != "en"])
def test_every_message_translated_with_its_placeholders(lang: str) -> None:
    catalog = _catalog(lang)
    for message in _extracted():
        entry = catalog.get(message)
        assert entry is not None and entry.string, f"{lang}.po: no translation for {message[:60]!r}"
        assert not entry.fuzzy, f"{lang}.po: fuzzy {message[:60]!r}"
        assert sorted(PLACEHOLDER.findall(entry.string)) == sorted(PLACEHOLDER.findall(message)), message


def test_sources_are_stated_in_each_translated_catalogue() -> None:
    for lang in ("fr", "nl", "de"):
        header = resources.files("crakit.documents.locale").joinpath(f"{lang}.po").read_text("utf-8")[:1500]
        assert "could NOT be read" in header  # the official Annex V/VI text was not read: say so


def test_months_in_the_users_language() -> None:
    assert Translator("fr").month(2035, 3) == "mars 2035"
    assert Translator("nl").month(2035, 3) == "maart 2035"
    assert Translator("de").month(2035, 3) == "März 2035"


def test_unknown_language_is_a_clear_error() -> None:
    with pytest.raises(DocumentError) as caught:
        Translator("xx")
    assert "available: en" in caught.value.diagnostics()
