"""The compact form of one CPE match rule stored in ``cpe_affected``.

An NVD ``cpeMatch`` (criteria and version bounds) and a CVE 5 ``affected[].versions[]`` entry both
become one :class:`CpeRule`, keyed in the table by the CPE vendor and product they name.
"""

from __future__ import annotations

import msgspec


class CpeRule(msgspec.Struct, array_like=True, frozen=True):
    source: str  # "nvd" (NVD configurations) | "cve5" (CVE List V5 affected[])
    part: str  # a | o | h | * (CPE part)
    version: str  # an exact version (criteria version, CVE 5 single version), "*" for a range, "-" NA
    update: str = "*"  # the criteria's update field
    start: str | None = None
    start_incl: bool = True
    end: str | None = None
    end_incl: bool = False
    status: str = "affected"  # CVE 5: affected | unaffected
    default: bool = False  # CVE 5 defaultStatus "affected": every version not named otherwise
    # Running-on conditions (an NVD AND configuration): every group must be met by some component,
    # a group being CPE criteria of which any one will do.
    platforms: tuple[tuple[str, ...], ...] = ()
    by_name: bool = False  # CVE 5 entry without a CPE: vendor and product are the record's names
    entry: int = 0  # CVE 5: which affected[] entry (its versions decide together)
    criteria: str = ""  # the NVD criteria or CVE 5 CPE, as written


ENCODER = msgspec.msgpack.Encoder()
DECODER = msgspec.msgpack.Decoder(CpeRule)
