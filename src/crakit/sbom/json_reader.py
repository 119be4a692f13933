"""The JSON family: CycloneDX JSON, SPDX 2 JSON and SPDX 3 JSON-LD share one typed decode."""

from __future__ import annotations

from crakit.sbom import cyclonedx_json, spdx2, spdx3
from crakit.sbom.errors import SbomError
from crakit.sbom.jsonmodel import decode_json
from crakit.sbom.model import Sbom


def read_bytes(data: bytes, source: str | None = None) -> Sbom:
    try:
        doc = decode_json(data)
    except SbomError as exc:
        if exc.message.startswith("/"):  # a value of the wrong kind: is this an SBOM at all?
            _refuse_if_not_sbom(data)
        raise
    if cyclonedx_json.is_cyclonedx(doc):
        return cyclonedx_json.read(doc, source)
    if spdx2.is_spdx2(doc):
        return spdx2.read(doc, "json", source)
    if spdx3.is_spdx3(doc):
        return spdx3.read(doc, source)
    _refuse_if_not_sbom(data)
    raise SbomError("JSON but not an SBOM")  # reached when the top level names a format but is empty


def _refuse_if_not_sbom(data: bytes) -> None:
    """Raise the "not an SBOM" error unless the top level names a CycloneDX or SPDX document."""
    import msgspec

    try:
        top = msgspec.json.decode(data)
    except (msgspec.DecodeError, RecursionError):
        return  # the caller's own error says more
    if isinstance(top, dict):
        if top.get("bomFormat") == "CycloneDX" or "spdxVersion" in top or "@graph" in top:
            return
        if "bomFormat" in top:  # e.g. the CycloneDX specification's invalid-bomformat fixtures
            raise SbomError(
                f'JSON but not an SBOM: bomFormat {str(top["bomFormat"])[:40]!r} (a CycloneDX BOM says "CycloneDX")'
            )
        keys = ", ".join(sorted(str(k) for k in top)[:5])
        raise SbomError(
            f'JSON but not an SBOM: no bomFormat "CycloneDX", spdxVersion or SPDX 3 @graph (top-level keys: {keys})'
        )
    raise SbomError(
        f"JSON but not an SBOM: the top level is {'an array' if isinstance(top, list) else 'a value'}"
    )
