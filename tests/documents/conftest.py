"""Manifests for the documents tests, written from the law (not from crakit's output)."""

from __future__ import annotations

from typing import Any

import pytest

from crakit.manifest import Manifest
from tests.manifest_factory import make

COMPLETE: dict[str, Any] = {
    "product.type": "HG-AX3000-EU",
    "product.identification": "serial numbers HG3K-2800000 to HG3K-2899999",
    "manufacturer.address": "Rue de l'Exemple 1, 1000 Brussels, Belgium",
    "manufacturer.email": "info@example.be",
    "manufacturer.website": "https://example.be",
    "security_contact": {
        "contact": ["mailto:security@example.be", "https://example.be/security"],
        "policy": "https://example.be/security/cvd",
        "languages": ["en", "fr", "nl"],
        "canonical": ["https://example.be/.well-known/security.txt"],
        "csaf": "https://example.be/.well-known/csaf/provider-metadata.json",
    },
    "cvd": {"acknowledge_days": 3, "assessment_days": 10, "disclosure_days": 90, "safe_harbour": True},
    "conformity": {
        "module": "module-h",
        "notified_body": {"name": "Example Notified Body", "number": "0123"},
        "certificate": {"id": "QS-2028-17", "issued": "2028-01-10"},
    },
    "declaration": {
        "url": "https://example.be/doc/hg-ax3000",
        "place": "Brussels",
        "date": "2028-02-20",
        "signatory": {"name": "A. Janssens", "function": "CEO"},
    },
    "support.type": "Security updates for the firmware, delivered over the air",
    "support.update_mechanism": "Signed firmware images fetched over HTTPS and verified before installation",
    "documents": {"instructions_url": "https://example.be/hg-ax3000/manual"},
}


def manifest(**overrides: Any) -> Manifest:
    return make(**overrides)


@pytest.fixture
def router() -> Manifest:
    """The Class I router with every declaration fact given."""
    return make(**COMPLETE)
