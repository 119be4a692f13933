"""Helpers for the CSAF tests: a minimal valid document to mutate."""

from __future__ import annotations

import copy
from typing import Any

import pytest

MINIMAL: dict[str, Any] = {
    "document": {
        "category": "csaf_base",
        "csaf_version": "2.0",
        "lang": "en",
        "distribution": {"tlp": {"label": "WHITE"}},
        "publisher": {"category": "vendor", "name": "Example", "namespace": "https://example.com"},
        "references": [
            {
                "category": "self",
                "summary": "this",
                "url": "https://example.com/.well-known/csaf/white/2024/ex-1.json",
            }
        ],
        "title": "Test",
        "tracking": {
            "current_release_date": "2024-01-02T00:00:00Z",
            "id": "EX-1",
            "initial_release_date": "2024-01-01T00:00:00Z",
            "revision_history": [{"date": "2024-01-01T00:00:00Z", "number": "1", "summary": "Initial"}],
            "status": "final",
            "version": "1",
        },
    },
    "product_tree": {
        "full_product_names": [
            {
                "name": "Example Router 1.0",
                "product_id": "P1",
                "product_identification_helper": {"purl": "pkg:generic/example/router@1.0"},
            }
        ]
    },
    "vulnerabilities": [
        {
            "cve": "CVE-2024-0001",
            "cwe": {
                "id": "CWE-79",
                "name": "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
            },
            "product_status": {"fixed": ["P1"]},
        }
    ],
}


@pytest.fixture()
def minimal() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL)
