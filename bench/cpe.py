#!/usr/bin/env python3
"""Benchmark the CPE path: a full-size NVD import and a firmware scan (issue 15).

* Synthesises NVD JSON 2.0 yearly feed files (``nvdcve-2.0-<year>.json.gz``) of ``--records``
  CVEs (default 300,000, NVD's size in 2026) shaped like the records in ``../shared/data/nvd-dev``
  (1-3 configurations, 1-8 ``cpeMatch`` each, bounded ranges and exact versions, 5% running-on
  ``AND`` configurations) over ``--products`` vendor:product pairs, plus the real dev records.
* Times ``crakit db build --nvd`` (full import), the same build again (every record unchanged:
  the incremental path) and ``crakit scan`` of a synthetic firmware SBOM (``--components``
  components with CPEs: common firmware packages at real versions, random products, and 400
  kernel modules sharing the kernel's CPE).
* Baselines, in the same run: parsing the feed files with orjson and nothing else (the floor of
  any import), and a naive scan that reads the whole rule table into memory, grouped by vendor and
  product, and evaluates every component on its own.

Wall time, CPU time and peak RSS per process from GNU time; compare the printed ratios, never
absolute times across machines.

usage: python bench/cpe.py [--records 300000] [--products 25000] [--components 2000] [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PYTHON = sys.executable
TIME = Path("/usr/bin/time")

FIRMWARE = [
    ("openssl", "openssl", "1.1.1w"),
    ("haxx", "curl", "7.88.1"),
    ("gnu", "glibc", "2.34"),
    ("busybox", "busybox", "1.36.1"),
    ("thekelleys", "dnsmasq", "2.89"),
    ("arm", "mbed_tls", "3.6.2"),
    ("wolfssl", "wolfssl", "5.6.4"),
    ("xmlsoft", "libxml2", "2.9.14"),
    ("zlib", "zlib", "1.2.13"),
    ("openbsd", "openssh", "9.3p1"),
    ("openvpn", "openvpn", "2.6.8"),
    ("libpng", "libpng", "1.6.37"),
    ("sqlite", "sqlite", "3.40.0"),
    ("avahi", "avahi", "0.8"),
]


def measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS MiB) of one process."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        full = [str(TIME), "-f", "%e %U %S %M", "-o", out.name, *cmd] if TIME.exists() else cmd
        subprocess.run(full, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not TIME.exists():
            return (0.0, 0.0, 0.0)
        wall, user, system, rss = out.read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss) / 1024


def _version(rng: random.Random) -> str:
    return f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"


def synthesise(folder: Path, records: int, products: int, seed: int = 20261203) -> None:
    rng = random.Random(seed)
    pairs = [(f"vendor{i % (products // 2 + 1)}", f"product{i}") for i in range(products)]
    pairs[: len(FIRMWARE)] = [(v, p) for v, p, _ in FIRMWARE]
    folder.mkdir(parents=True, exist_ok=True)
    per_year: dict[int, list[dict[str, Any]]] = {}

    def flush(year: int) -> None:  # one feed file per year, written as soon as the year is complete
        page = {
            "format": "NVD_CVE",
            "version": "2.0",
            "vulnerabilities": [{"cve": r} for r in per_year.pop(year)],
        }
        with gzip.open(folder / f"nvdcve-2.0-{year}.json.gz", "wt", compresslevel=1) as handle:
            json.dump(page, handle)

    for n in range(records):
        year = 2002 + n * 25 // records
        if per_year and year not in per_year:
            flush(min(per_year))
        configs = []
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            vendor, product = rng.choice(pairs)
            matches = []
            for _ in range(rng.randint(1, 8)):
                if rng.random() < 0.3:
                    matches.append(
                        {
                            "criteria": f"cpe:2.3:a:{vendor}:{product}:{_version(rng)}:*:*:*:*:*:*:*",
                            "vulnerable": True,
                        }
                    )
                else:
                    lo, hi = sorted((_version(rng), _version(rng)))
                    matches.append(
                        {
                            "criteria": f"cpe:2.3:a:{vendor}:{product}:*:*:*:*:*:*:*:*",
                            "vulnerable": True,
                            "versionStartIncluding": lo,
                            "versionEndExcluding": hi,
                        }
                    )
            nodes = [{"operator": "OR", "negate": False, "cpeMatch": matches}]
            config: dict[str, Any] = {"nodes": nodes}
            if rng.random() < 0.05:
                config["operator"] = "AND"
                nodes.append(
                    {
                        "operator": "OR",
                        "negate": False,
                        "cpeMatch": [
                            {"criteria": "cpe:2.3:o:microsoft:windows:-:*:*:*:*:*:*:*", "vulnerable": False}
                        ],
                    }
                )
            configs.append(config)
        per_year.setdefault(year, []).append(
            {
                "id": f"CVE-{year}-{100000 + n}",
                "sourceIdentifier": "cve@mitre.org",
                "published": f"{year}-01-01T00:00:00.000",
                "lastModified": f"{year}-06-01T00:00:00.000",
                "vulnStatus": "Analyzed",
                "descriptions": [{"lang": "en", "value": "synthetic record " * 8}],
                "metrics": {
                    "cvssMetricV31": [
                        {
                            "type": "Primary",
                            "cvssData": {
                                "version": "3.1",
                                "baseScore": round(rng.uniform(2, 10), 1),
                                "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                            },
                        }
                    ]
                },
                "configurations": configs,
                "references": [{"url": f"https://example.invalid/{n}"}],
            }
        )
    for year in list(per_year):
        flush(year)


def firmware_sbom(path: Path, components: int, products: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    comps = [
        {
            "type": "library",
            "bom-ref": f"fw{i}",
            "name": p,
            "version": v,
            "cpe": f"cpe:2.3:a:{ven}:{p}:{v}:*:*:*:*:*:*:*",
        }
        for i, (ven, p, v) in enumerate(FIRMWARE)
    ]
    kernel = "cpe:2.3:o:linux:linux_kernel:5.15.100:*:*:*:*:*:*:*"
    comps += [
        {
            "type": "library",
            "bom-ref": f"km{i}",
            "name": f"kernel-module-m{i}",
            "version": "5.15.100",
            "cpe": kernel,
        }
        for i in range(400)
    ]
    while len(comps) < components:
        i = rng.randrange(products)
        v = _version(rng)
        comps.append(
            {
                "type": "library",
                "bom-ref": f"c{len(comps)}",
                "name": f"product{i}",
                "version": v,
                "cpe": f"cpe:2.3:a:vendor{i % (products // 2 + 1)}:product{i}:{v}:*:*:*:*:*:*:*",
            }
        )
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": comps[:components]}
    path.write_text(json.dumps(doc))


PARSE_ONLY = """
import gzip, sys, orjson
from pathlib import Path
n = 0
for f in sorted(Path(sys.argv[1]).glob("*.json.gz")):
    with gzip.open(f, "rb") as h:
        n += len(orjson.loads(h.read())["vulnerabilities"])
print(n)
"""

NAIVE_SCAN = """
import sys, sqlite3, orjson, msgspec
from crakit.vulndb.cpe_records import DECODER
from crakit.vulndb.versions.upstream import upstream_key, VersionRefused
conn = sqlite3.connect(sys.argv[1])
comps = orjson.loads(open(sys.argv[2], "rb").read())["components"]
rules = {}
for v, p, vid, blob in conn.execute("SELECT vendor, product, vuln_id, data FROM cpe_affected"):
    rules.setdefault((v, p), []).append((vid, blob))  # the whole table in memory, grouped once
hits = 0
for c in comps:  # every component evaluated on its own: no folding of equal CPE + version
    _, _, _, vendor, product, version = c["cpe"].split(":")[:6]
    key = upstream_key(version)
    for vid, blob in rules.get((vendor, product), ()):
        r = DECODER.decode(blob)
        try:
            if r.version not in ("*", "-"):
                hits += upstream_key(r.version) == key
            elif (r.start is None or upstream_key(r.start) <= key) and (r.end is None or key < upstream_key(r.end)):
                hits += 1
        except VersionRefused:
            pass
print(hits)
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=300_000)
    ap.add_argument("--products", type=int, default=25_000)
    ap.add_argument("--components", type=int, default=2_000)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    args = ap.parse_args()
    crakit = [PYTHON, "-m", "crakit.cli.main"]
    with tempfile.TemporaryDirectory(prefix="crakit-bench-cpe-") as tmp:
        work = Path(tmp)
        feeds = work / "nvd"
        synthesise(feeds, args.records, args.products)
        dev = args.shared / "nvd-dev" / "nvd" / "anchore-overrides"
        extra = ["--nvd", str(dev)] if dev.is_dir() else []
        size = sum(f.stat().st_size for f in feeds.iterdir()) / 2**20
        print(f"synthetic NVD feeds: {args.records} CVEs, {size:.0f} MiB gzipped, {args.products} products")
        db = work / "v.db"
        parse = measure([PYTHON, "-c", PARSE_ONLY, str(feeds)])
        build = measure([*crakit, "db", "build", "--nvd", str(feeds), *extra, "--db", str(db)])
        again = measure([*crakit, "db", "build", "--nvd", str(feeds), *extra, "--db", str(db)])
        sbom = work / "fw.cdx.json"
        firmware_sbom(sbom, args.components, args.products)
        scan = measure([*crakit, "scan", str(sbom), "--db", str(db), "--format", "json", "--max-db-age", "0"])
        naive = measure([PYTHON, "-c", NAIVE_SCAN, str(db), str(sbom)])
        print(f"database: {db.stat().st_size / 2**20:.0f} MiB")
        print(f"{'step':<34}{'wall s':>9}{'cpu s':>9}{'peak MiB':>10}{'ratio':>9}")
        rows = [
            ("parse feeds only (baseline)", parse, None),
            ("db build --nvd (full import)", build, parse),
            ("db build --nvd again (unchanged)", again, parse),
            ("naive scan (baseline)", naive, None),
            (f"crakit scan ({args.components} comps)", scan, naive),
        ]
        for name, (wall, cpu, rss), base in rows:
            ratio = f"{wall / base[0]:.2f}x" if base and base[0] else "-"
            print(f"{name:<34}{wall:>9.2f}{cpu:>9.2f}{rss:>10.0f}{ratio:>9}")
        out = subprocess.run(
            [*crakit, "scan", str(sbom), "--db", str(db), "--format", "json", "--max-db-age", "0"],
            capture_output=True,
            check=True,
            env={**os.environ},
        )
        doc = json.loads(out.stdout)
        kernel = [f for f in doc["findings"] if f["package"] == "linux:linux_kernel"]
        print(
            f"findings: {len(doc['findings'])}; kernel modules folded: {all(len(f['modules']) == 399 for f in kernel)}"
        )


if __name__ == "__main__":
    main()
