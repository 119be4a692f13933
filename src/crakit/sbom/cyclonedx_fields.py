"""CycloneDX fields shared by the JSON and XML readers (BSI TR-03183-2 v2.0 §5.2.2-§5.4), and the versions read.

CycloneDX has no field of its own for the component's filename: the BSI taxonomy
property ``bsi:component:filename`` carries it. Licences carry an acknowledgement
from 1.6 on, which tells the concluded licence from the declared one.
"""

from __future__ import annotations

from crakit.sbom.errors import SbomError

FILENAME_PROPERTY = "bsi:component:filename"


def filename_property(properties: tuple[tuple[str, str], ...]) -> str | None:
    """The first non-empty ``bsi:component:filename`` value; an empty one says nothing."""
    for name, value in properties:
        if name == FILENAME_PROPERTY and (value := value.strip()):
            return value
    return None


def file_licence(value: str, ack: str, declared: list[str], concluded: list[str]) -> None:
    """File a licence under its acknowledgement; values outside the schema's two say nothing."""
    ack = ack.strip().lower()
    target = declared if ack == "declared" else concluded if ack == "concluded" else None
    if target is not None and value not in target:
        target.append(value)


# Every version the specification has published; XML has all of them, JSON exists from 1.2 on.
VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7")


def supported_version(version: str) -> str:
    """``version`` when it is a published CycloneDX version; otherwise refuse the document.

    A version that does not exist (namespace ``.../bom/12``, ``specVersion: "2.0"``) gives no
    rules to read the document by: guessing would report numbers the document may not mean.
    """
    if version not in VERSIONS:
        raise SbomError(
            f"unsupported CycloneDX version {version!r} (crakit reads {VERSIONS[0]}–{VERSIONS[-1]})"
        )
    return version
