"""CycloneDX fields shared by the JSON and XML readers (BSI TR-03183-2 v2.0 §5.2.2-§5.4).

CycloneDX has no field of its own for the component's filename: the BSI taxonomy
property ``bsi:component:filename`` carries it. Licences carry an acknowledgement
from 1.6 on, which tells the concluded licence from the declared one.
"""

from __future__ import annotations

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
