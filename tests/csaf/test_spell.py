"""Informative test 6.3.8 (spell check): with a fake dictionary, and with hunspell where installed."""

from __future__ import annotations

from typing import Any

import pytest

from crakit.csaf import ValidationOptions, validate
from crakit.csaf.spell import hunspell_checker


class WordList:
    """A spell checker that knows a fixed English vocabulary."""

    def __init__(self, known: set[str]) -> None:
        self.known = {w.lower() for w in known}

    def misspelled(self, words: set[str], lang: str) -> set[str] | None:
        if not lang.lower().startswith("en"):
            return None
        return {w for w in words if w.lower() not in self.known}


def test_misspelling_is_reported_where_it_is(minimal: dict[str, Any]) -> None:
    minimal["document"]["notes"] = [
        {"category": "summary", "text": "Secruity fix, see https://example.com/xyzzy"}
    ]
    checker = WordList({"security", "fix", "see"} | {"Example", "Test", "Initial", "Router"})
    report = validate(minimal, ValidationOptions(spellchecker=checker))
    found = [m for m in report.messages if m.test == "6.3.8"]
    assert any(m.path == "/document/notes/0/text" and "Secruity" in m.text for m in found)
    assert not any("xyzzy" in m.text for m in found)  # URLs are not words
    assert all(m.severity == "info" for m in found)
    assert "6.3.8" not in report.skipped


def test_unsupported_language_is_skipped(minimal: dict[str, Any]) -> None:
    minimal["document"]["lang"] = "de"
    report = validate(minimal, ValidationOptions(spellchecker=WordList(set())))
    assert "6.3.8" in report.skipped and "6.3.8" not in report.failed()


@pytest.mark.skipif(hunspell_checker() is None, reason="hunspell with a dictionary is not installed")
def test_hunspell(minimal: dict[str, Any]) -> None:
    minimal["document"]["title"] = "Secruity advisory"
    report = validate(minimal, ValidationOptions(spellchecker=hunspell_checker()))
    assert any(m.test == "6.3.8" and "Secruity" in m.text for m in report.messages)
    assert not any(
        m.test == "6.3.8" and "advisory" in m.text.split(": ", 1)[1].split(", ") for m in report.messages
    )
