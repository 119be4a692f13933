"""Benchmark of SBOM reading (issue 3, item 8).

Parses the largest real SBOMs of ../shared/data/bom-shelter and a generated
100,000-component CycloneDX and SPDX JSON document with crakit, and the same files
with cyclonedx-python-lib and spdx-tools for the ratio. Peak memory is the
resident-set high-water mark the parse adds, in a fresh process. Run:

    .venv/bin/python bench/sbom.py [--largest 4] [--components 100000] [--oracle-timeout 120]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CRAKIT_SHARED_DATA", REPO.parent / "shared" / "data"))


def generate_cyclonedx(n: int) -> dict[str, object]:
    comps = [
        {
            "type": "library",
            "bom-ref": f"pkg:npm/pkg-{i}@1.{i % 50}.0",
            "name": f"pkg-{i}",
            "version": f"1.{i % 50}.0",
            "purl": f"pkg:npm/pkg-{i}@1.{i % 50}.0",
            "supplier": {"name": f"Vendor {i % 97}"},
            "licenses": [{"license": {"id": "MIT"}}],
            "hashes": [{"alg": "SHA-512", "content": f"{i:0128x}"}],
        }
        for i in range(n)
    ]
    deps = [{"ref": c["bom-ref"], "dependsOn": [comps[(i + 1) % n]["bom-ref"]]} for i, c in enumerate(comps)]
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "version": 1,
        "metadata": {
            "timestamp": "2024-01-01T00:00:00Z",
            "component": {"type": "application", "bom-ref": "app", "name": "app", "version": "1"},
        },
        "components": comps,
        "dependencies": [{"ref": "app", "dependsOn": [c["bom-ref"] for c in comps[:10]]}, *deps],
    }


def generate_spdx(n: int) -> dict[str, object]:
    pkgs = [
        {
            "SPDXID": f"SPDXRef-Package-{i}",
            "name": f"pkg-{i}",
            "versionInfo": f"1.{i % 50}.0",
            "downloadLocation": "NOASSERTION",
            "supplier": f"Organization: Vendor {i % 97}",
            "licenseConcluded": "MIT",
            "licenseDeclared": "MIT",
            "copyrightText": "NOASSERTION",
            "filesAnalyzed": False,
            "checksums": [{"algorithm": "SHA512", "checksumValue": f"{i:0128x}"}],
            "externalRefs": [
                {
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": f"pkg:npm/pkg-{i}@1.{i % 50}.0",
                }
            ],
        }
        for i in range(n)
    ]
    rels = [
        {
            "spdxElementId": "SPDXRef-DOCUMENT",
            "relationshipType": "DESCRIBES",
            "relatedSpdxElement": "SPDXRef-Package-0",
        }
    ] + [
        {
            "spdxElementId": f"SPDXRef-Package-{i}",
            "relationshipType": "DEPENDS_ON",
            "relatedSpdxElement": f"SPDXRef-Package-{(i + 1) % n}",
        }
        for i in range(n)
    ]
    return {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "bench",
        "documentNamespace": "https://example.com/bench",
        "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: bench"]},
        "packages": pkgs,
        "relationships": rels,
    }


# Each runner is executed in a fresh interpreter: timing, then peak memory (VmHWM) separately.
RUNNERS = {
    # the lazily imported readers are imported up front: module memory is not parse memory
    "crakit": (
        "from crakit.sbom import read_sbom\n"
        "import crakit.sbom.cyclonedx_xml, crakit.sbom.spdx2_tagvalue, crakit.sbom.spdx2_yaml, crakit.sbom.spdx3, lxml.etree\n"
        "def run(p):\n    return len(read_sbom(p).components)\n"
    ),
    "cyclonedx-python-lib": (
        "import json\nfrom cyclonedx.model.bom import Bom\n"
        "def run(p):\n    with open(p) as fh:\n        return len(Bom.from_json(json.load(fh)).components)\n"
    ),
    "cyclonedx-python-lib-xml": (
        "from xml.etree import ElementTree\nfrom cyclonedx.model.bom import Bom\n"
        "def run(p):\n    return len(Bom.from_xml(ElementTree.parse(p).getroot()).components)\n"
    ),
    "spdx-tools": (
        "from spdx_tools.spdx.parser.parse_anything import parse_file\n"
        "def run(p):\n    return len(parse_file(p).packages)\n"
    ),
}

CHILD = """
import resource, sys, time
{runner}
path, mode = sys.argv[1], sys.argv[2]
if mode == "time":
    best = None
    for _ in range(int(sys.argv[3])):
        t = time.perf_counter(); n = run(path); dt = time.perf_counter() - t
        best = dt if best is None or dt < best else best
    print(best, n)
else:
    # Peak resident memory the parse added on top of the interpreter and its imports. VmHWM belongs
    # to this process image; ru_maxrss would inherit the parent's peak across fork/exec on Linux.
    def peak():
        try:
            with open("/proc/self/status") as fh:
                return next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:")) * 1024
        except OSError:
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    before = peak()
    n = run(path)
    print(peak() - before, n)
"""


def measure(tool: str, path: Path, mode: str, repeat: int, timeout: float) -> tuple[float, int] | str:
    """(seconds or bytes, components), or "timeout" / "failed"."""
    code = CHILD.format(runner=RUNNERS[tool])
    try:
        out = subprocess.run(
            [sys.executable, "-c", code, str(path), mode, str(repeat)],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        ).stdout.split()
    except subprocess.TimeoutExpired:
        return "timeout"
    except subprocess.CalledProcessError as exc:
        last = (exc.stderr.strip().splitlines() or [""])[-1]
        print(f"  {tool} failed on {path.name[:60]}: {last[:200]}", file=sys.stderr)
        return "failed"
    return float(out[0]), int(out[1])


def oracle_for(path: Path) -> str:
    head = path.read_bytes()[:4096].lstrip()
    if head.startswith(b"<"):
        return "cyclonedx-python-lib-xml"
    if b'"bomFormat"' in path.read_bytes()[:200_000] or b"bomFormat" in head:
        return "cyclonedx-python-lib"
    return "spdx-tools"


def _kind(path: Path) -> str:
    head = path.read_bytes()[:65536].lstrip()
    if head.startswith(b"<"):
        return "cyclonedx-xml"
    if head.startswith(b"{"):
        return "cyclonedx-json" if b'"bomFormat"' in head else "spdx-json"
    return "spdx-tag-value"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--largest", type=int, default=4, help="how many of bom-shelter's largest files")
    ap.add_argument("--components", type=int, default=100_000)
    ap.add_argument(
        "--oracle-timeout", type=float, default=120.0, help="seconds before an oracle run is given up"
    )
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args()

    sys.path.insert(0, str(REPO / "tests" / "sbom"))
    from oracle import expected  # the corpus tests' independent reader: keeps non-SBOMs out

    corpus = sorted(
        (
            p
            for p in (SHARED / "bom-shelter").rglob("*")
            if p.is_file() and p.suffix not in (".csv", ".md") and expected(p) is not None
        ),
        key=lambda p: p.stat().st_size,
        reverse=True,
    )
    files = corpus[: args.largest]
    # plus the largest file of every format/serialisation not yet covered (per-format throughput)
    seen = {_kind(p) for p in files}
    for p in corpus:
        if _kind(p) not in seen:
            seen.add(_kind(p))
            files.append(p)
    tmp = Path(tempfile.mkdtemp(prefix="crakit-bench-"))
    for name, doc in (
        ("generated-cdx.json", generate_cyclonedx(args.components)),
        ("generated-spdx.json", generate_spdx(args.components)),
    ):
        (tmp / name).write_text(json.dumps(doc))
        files.append(tmp / name)

    rows = []
    for path in files:
        size = path.stat().st_size
        ours = measure("crakit", path, "time", args.repeat, 600)
        mem = measure("crakit", path, "memory", 1, 600)
        oracle = oracle_for(path)
        theirs = measure(oracle, path, "time", 1, args.oracle_timeout)
        row = {
            "file": path.name[:60],
            "bytes": size,
            "components": ours[1] if not isinstance(ours, str) else ours,
            "crakit_s": round(ours[0], 4) if not isinstance(ours, str) else None,
            "mb_per_s": round(size / 1e6 / ours[0], 1) if not isinstance(ours, str) else None,
            "peak_mem_x_size": round(mem[0] / size, 2) if not isinstance(mem, str) else None,
            "oracle": oracle,
            "oracle_s": round(theirs[0], 3) if not isinstance(theirs, str) else theirs,
            "ratio": (
                round(theirs[0] / ours[0], 1)
                if not isinstance(theirs, str) and not isinstance(ours, str)
                else (
                    f">{args.oracle_timeout / ours[0]:.0f}"
                    if theirs == "timeout" and not isinstance(ours, str)
                    else None
                )
            ),
        }
        rows.append(row)
        if not args.json:
            print(
                f"{row['file']:<60} {size / 1e6:7.2f} MB {row['components']!s:>7} comps "
                f"crakit {row['crakit_s']}s ({row['mb_per_s']} MB/s, mem {row['peak_mem_x_size']}x) "
                + (
                    f"{oracle} {row['oracle_s']}s ratio {row['ratio']}x"
                    if row["ratio"] is not None
                    else f"{oracle} {row['oracle_s']}"
                ),
                flush=True,
            )
    if args.json:
        print(json.dumps(rows, indent=2))
    for p in tmp.iterdir():
        p.unlink()
    tmp.rmdir()


if __name__ == "__main__":
    main()
