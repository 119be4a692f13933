"""Manifest fields of issue 14 (conformity documents): read into typed values, bad values refused."""

from __future__ import annotations

import datetime as dt

import orjson
import pytest

from crakit.manifest import ManifestError, parse_manifest
from tests.manifest_factory import manifest_dict


def _parse(**overrides: object):  # type: ignore[no-untyped-def]
    return parse_manifest(orjson.dumps(manifest_dict(**overrides)), "t.json")  # type: ignore[arg-type]


def test_fields_are_read() -> None:
    m = _parse(
        **{
            "product.type": "HG-1",
            "manufacturer.address": "Street 1, Brussels",
            "security_contact": {
                "contact": ["mailto:s@example.be", "tel:+32-2-000-00-00"],
                "languages": ["nl-BE"],
            },
            "cvd": {"acknowledge_days": 2, "safe_harbour": None},
            "conformity": {
                "module": "module-b+c",
                "notified_body": {"name": "NB", "number": "0123"},
                "certificate": {"id": "C-1", "issued": "2028-01-02"},
            },
            "declaration": {
                "url": "https://example.be/doc",
                "date": "2028-02-01",
                "signatory": {"name": "A", "function": "CEO"},
                "other_legislation": ["Directive 2014/53/EU"],
            },
            "support.automatic_updates": True,
            "documents": {"sbom_url": "https://example.be/sbom.json"},
        }
    )
    assert m.product.type == "HG-1" and m.manufacturer.address == "Street 1, Brussels"
    assert m.security_contact.contact == ("mailto:s@example.be", "tel:+32-2-000-00-00")
    assert m.cvd.acknowledge_days == 2 and m.cvd.safe_harbour is None
    assert m.conformity.module == "module-b+c" and m.conformity.notified_body.number == "0123"
    assert m.conformity.certificate.issued == dt.date(2028, 1, 2)
    assert m.declaration.date == dt.date(2028, 2, 1) and m.declaration.signatory.function == "CEO"
    assert m.declaration.other_legislation == ("Directive 2014/53/EU",)
    assert m.support.automatic_updates is True and m.documents.sbom_url == "https://example.be/sbom.json"


def test_defaults_when_absent() -> None:
    m = _parse()
    assert m.security_contact.contact == () and m.conformity.module is None and m.declaration.url is None


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        ({"security_contact": {"contact": ["security@example.be"]}}, "security_contact.contact[0]"),
        ({"security_contact": {"policy": "http://example.be/cvd"}}, "security_contact.policy"),
        ({"conformity": {"notified_body": {"number": "NB 0123"}}}, "conformity.notified_body.number"),
        ({"conformity": {"module": "module-c"}}, "conformity.module"),
        ({"declaration": {"date": "2028-02-30"}}, "declaration.date"),
        ({"cvd": {"disclosure_days": 0}}, "cvd.disclosure_days"),
        ({"declaration": {"signatory": {"title": "CEO"}}}, "declaration.signatory.title"),
    ],
)
def test_bad_values_are_refused_with_their_path(overrides: dict[str, object], path: str) -> None:
    with pytest.raises(ManifestError) as caught:
        _parse(**overrides)
    assert path in caught.value.message


def test_the_templates_commented_document_fields_are_valid_once_uncommented(tmp_path: object) -> None:
    import re
    from importlib import resources

    text = resources.files("crakit.manifest").joinpath("template.yaml").read_text("utf-8")
    lines = []
    for line in text.splitlines():
        field = re.match(
            r"^(\s*)# ((?:type|identification|address|email|website|automatic_updates|update_mechanism): .*)$",
            line,
        )
        section = re.match(r"^# ((?:security_contact|cvd|conformity|declaration|documents):.*|  .*)$", line)
        lines.append(field.group(1) + field.group(2) if field else section.group(1) if section else line)
    m = parse_manifest("\n".join(lines), "template")
    assert m.conformity.notified_body.number == "0123" and m.security_contact.contact
    assert m.support.automatic_updates is True and m.declaration.signatory.name


@pytest.mark.parametrize(
    ("override", "message"),
    [
        # RFC 3966; security.txt must parse what crakit writes (was an internal error, exit 3)
        ({"security_contact": {"contact": ["tel:+32 2 000 00 00"]}}, "without spaces"),
        ({"product.name": "ACME\u202etxt.exe"}, "U\\+202E"),  # reorders the rendered name
        ({"product.version": "1.0\x00"}, "U\\+0000"),
    ],
)
def test_values_the_documents_cannot_carry_safely_are_refused(override: dict, message: str) -> None:
    with pytest.raises(ManifestError, match=message):
        _parse(**override)
