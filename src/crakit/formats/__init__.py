"""Every output format of ``crakit scan`` behind one enum: the JSON contract, SARIF 2.1.0,
CycloneDX VDR and an OpenVEX triage template (the table is the terminal's, drawn by the CLI)."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, BinaryIO

from crakit.vulndb import GateOutcome, ScanResult

if TYPE_CHECKING:
    from crakit.formats.cyclonedx_vdr import scan_to_vdr
    from crakit.formats.openvex import openvex_template
    from crakit.formats.sarif import iter_sarif
    from crakit.formats.scan_json import finding_to_json, info_to_json, iter_scan_json, scan_to_json

# Which module holds each public name: a scan imports only the writer of the format it writes.
_HOMES = {
    "scan_to_vdr": "cyclonedx_vdr",
    "openvex_template": "openvex",
    "iter_sarif": "sarif",
    "finding_to_json": "scan_json",
    "info_to_json": "scan_json",
    "iter_scan_json": "scan_json",
    "scan_to_json": "scan_json",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"crakit.formats.{home}"), name)


class ScanFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    SARIF = "sarif"
    CYCLONEDX_VDR = "cyclonedx-vdr"
    OPENVEX = "openvex"


def write_scan(
    result: ScanResult,
    fmt: ScanFormat,
    out: BinaryIO,
    *,
    gate: GateOutcome | None = None,
    show_suppressed: bool = False,
) -> None:
    """Write ``result`` to ``out`` in a machine format (suppressed findings only on request)."""
    if fmt is ScanFormat.JSON:
        from crakit.formats.scan_json import write_scan_json

        write_scan_json(result, out, gate, show_suppressed=show_suppressed)
    elif fmt is ScanFormat.SARIF:
        from crakit.formats.sarif import write_sarif

        write_sarif(result, out, show_suppressed=show_suppressed)
    elif fmt is ScanFormat.CYCLONEDX_VDR:
        from crakit.formats.cyclonedx_vdr import write_vdr

        write_vdr(result, out, show_suppressed=show_suppressed)
    elif fmt is ScanFormat.OPENVEX:
        from crakit.formats.openvex import write_openvex

        write_openvex(
            [f for f in result.findings if show_suppressed or not f.suppressed], out, result.skipped
        )
    else:
        raise ValueError(f"{fmt.value} is drawn by the terminal, not written by crakit.formats")


__all__ = [
    "ScanFormat",
    "finding_to_json",
    "info_to_json",
    "iter_sarif",
    "iter_scan_json",
    "openvex_template",
    "scan_to_json",
    "scan_to_vdr",
    "write_scan",
]
