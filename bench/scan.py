#!/usr/bin/env python3
"""Benchmark ``crakit scan`` against Trivy and a naive Python matcher, side by side, in one run.

Same SBOMs, same OSV records for every tool:

* generated CycloneDX SBOMs of 0, 1,000, 10,000 and 100,000 PyPI components (boundary versions of
  the advisories, so findings-dense) against the shared OSV corpus scaled up tenfold (every record
  cloned nine times under new ids and package names);
* optionally (``--real``) the real SBOMs of ``../shared/data`` against the shared corpus.

Trivy runs offline on a database built from the same OSV records with ``../shared/bench``'s
builder (it converts PyPI records, as trivy-db does); the naive baseline loads every JSON record
on each run and evaluates ranges with ``packaging``. Wall time, CPU time (user + system) and peak
RSS are per process, from GNU time; the table prints ratios inside this one run. Compare ratios,
never absolute times across runs or machines. crakit runs twice: as a user runs it (a large scan
shared among the CPUs, ``--jobs 0``), where its CPU time includes its forked children and its
peak RSS is that of its largest process, and kept in one process (``--jobs 1``). Also measured:
``crakit --help``, the database build of the shared corpus and of the tenfold corpus.

usage: python bench/scan.py [--shared ../shared/data] [--trivy PATH] [--runs 3] [--quick] [--real]
       python bench/scan.py --naive OSV_DIR SBOM OUT   (the baseline itself)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PYTHON = sys.executable
REAL_SBOMS = [
    "cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.json",
    "cyclonedx-bom-examples/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.json",
    "bom-shelter/in-the-lab/spdx-popular-containers/data/spdx-trivy-ibmcom_microclimate-portal-sha256:ed5505e5c7ecfd5fafb87cde8ec5bc35d80f9fa0a9079cc064d55d4d6f60262c.json",
    "bom-shelter/in-the-lab/spdx-popular-containers/data/spdx-syft-bitnami_laravel-sha256:7aff7ad10ae5f405073f13f80464681073a0537f1673804c7c758b068b9ff3f1.json",
    "bom-shelter/in-the-wild/cyclonedx/harp-darwin-amd64.sbom.json",
]


# --------------------------------------------------------------------------- measuring


TIME = Path("/usr/bin/time")


def measure(
    cmd: list[str], *, env: dict[str, str] | None = None, stdout: Path | None = None
) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak RSS MiB, exit code) of one process, from GNU time (a
    child forked straight from this large Python process would inherit its resident pages)."""
    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        full = [str(TIME), "-f", "%e %U %S %M", "-o", report.name, *cmd] if TIME.exists() else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        cpu, rss_kib = usage.ru_utime + usage.ru_stime, float(usage.ru_maxrss)
        if TIME.exists():
            fields = (Path(report.name).read_text().strip().splitlines() or [""])[-1].split()
            if len(fields) == 4:
                wall = float(fields[0]) or wall
                cpu, rss_kib = float(fields[1]) + float(fields[2]), float(fields[3])
    if stdout:
        out.close()  # type: ignore[union-attr]
    return wall, cpu, rss_kib / 1024, code


def repeat(
    cmd: list[str], runs: int, *, fresh: Path | None = None, **kw: Any
) -> tuple[float, float, float, int]:
    """Medians of wall and CPU time over ``runs``, the highest peak RSS, the last exit code.
    ``fresh``: the run's output file, removed before each run (untimed), so that no run pays
    for freeing the previous run's report (150 MB at 100,000 components)."""
    results = []
    for _ in range(runs):
        if fresh is not None:
            fresh.unlink(missing_ok=True)
        results.append(measure(cmd, **kw))
    return (
        statistics.median(r[0] for r in results),
        statistics.median(r[1] for r in results),
        max(r[2] for r in results),
        results[-1][3],
    )


# --------------------------------------------------------------------------- inputs


def scale_corpus(src: Path, dest: Path, factor: int) -> int:
    """Write every record ``factor`` times: the original and clones under new ids/package names."""
    dest.mkdir(parents=True, exist_ok=True)
    n = 0
    for path in sorted(src.glob("*.json")):
        raw = path.read_bytes()
        (dest / path.name).write_bytes(raw)
        n += 1
        record = json.loads(raw)
        for k in range(1, factor):
            clone = json.loads(raw)
            clone["id"] = f"{record['id']}-X{k}"
            for affected in clone.get("affected") or ():
                pkg = affected.get("package") or {}
                if "name" in pkg:
                    sep = "/" if pkg.get("ecosystem") == "Go" else "-"
                    pkg["name"] = f"{pkg['name']}{sep}x{k}"
                pkg.pop("purl", None)
            (dest / f"{clone['id']}.json").write_text(json.dumps(clone), encoding="utf-8")
            n += 1
    return n


def pypi_versions(corpus: Path) -> dict[str, list[str]]:
    """PyPI package name -> boundary versions named by its records (plus a few others)."""
    out: dict[str, set[str]] = defaultdict(set)
    for path in corpus.glob("*.json"):
        record = json.loads(path.read_bytes())
        if record.get("withdrawn"):
            continue
        for affected in record.get("affected") or ():
            pkg = affected.get("package") or {}
            if pkg.get("ecosystem") != "PyPI":
                continue
            vs = out[pkg["name"]]
            for rng in affected.get("ranges") or ():
                if rng.get("type") == "GIT":
                    continue
                for event in rng.get("events") or ():
                    vs.update(v for v in event.values() if v != "0")
            vs.update(affected.get("versions") or ())
    return {name: sorted(vs) or ["1.0"] for name, vs in out.items()}


def generate_sbom(path: Path, size: int, packages: dict[str, list[str]], seed: int) -> None:
    rng = random.Random(seed)
    names = sorted(packages)
    components = []
    seen: set[tuple[str, str]] = set()
    while len(components) < size:
        if rng.random() < 0.2:  # components no advisory names (most of a real product)
            name, version = (
                f"filler-{len(components)}",
                f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
            )
        else:
            name = rng.choice(names)
            version = rng.choice(packages[name] + [f"{rng.randint(0, 5)}.{rng.randint(0, 20)}"])
        if (name, version) in seen or not re.fullmatch(r"[A-Za-z0-9._+!-]+", version):
            continue
        seen.add((name, version))
        purl = f"pkg:pypi/{name.lower()}@{version}"
        components.append(
            {"type": "library", "bom-ref": purl, "name": name, "version": version, "purl": purl}
        )
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": components}
    path.write_text(json.dumps(doc), encoding="utf-8")


# --------------------------------------------------------------------------- reading results


def crakit_pairs(path: Path) -> tuple[int, set[tuple[str, str]], dict[tuple[str, str], set[str]]]:
    """(all findings, PyPI (name@version, id) pairs, PyPI pair -> id and aliases)."""
    doc = json.loads(path.read_bytes())
    pairs: set[tuple[str, str]] = set()
    names: dict[tuple[str, str], set[str]] = {}
    for f in doc["findings"]:
        if f["ecosystem"] != "PyPI":
            continue
        key = (f"{f['package']}@{f['version']}", f["id"])
        pairs.add(key)
        names[key] = {f["id"], *f["aliases"]}
    return len(doc["findings"]), pairs, names


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def trivy_pairs(path: Path) -> set[tuple[str, str]]:
    doc = json.loads(path.read_bytes())
    out = set()
    for result in doc.get("Results") or ():
        for v in result.get("Vulnerabilities") or ():
            out.add((f"{_norm(v['PkgName'])}@{v['InstalledVersion']}", v["VulnerabilityID"]))
    return out


# --------------------------------------------------------------------------- the naive baseline


def naive(osv_dir: Path, sbom: Path, out: Path) -> None:
    """Load every record, index by package, evaluate PyPI ranges with packaging (spec pseudo-code)."""
    from packaging.version import InvalidVersion, Version

    index: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for path in osv_dir.glob("*.json"):
        record = json.loads(path.read_bytes())
        if record.get("withdrawn"):
            continue
        for affected in record.get("affected") or ():
            pkg = affected.get("package") or {}
            if pkg.get("ecosystem") == "PyPI":
                index[_norm(pkg["name"])].append({"id": record["id"], "affected": affected})
    doc = json.loads(sbom.read_bytes())
    purls = [c.get("purl") for c in doc.get("components") or ()]
    for pkg in doc.get("packages") or ():
        purls.extend(
            r.get("referenceLocator")
            for r in pkg.get("externalRefs") or ()
            if r.get("referenceType") == "purl"
        )
    findings = []
    for purl in purls:
        if not purl or not purl.startswith("pkg:pypi/") or "@" not in purl:
            continue
        name, version = purl[9:].split("?")[0].split("@", 1)
        try:
            v = Version(version)
        except InvalidVersion:
            continue
        for entry in index.get(_norm(name), ()):
            affected = entry["affected"]
            hit = version in (affected.get("versions") or ())
            for rng in affected.get("ranges") or ():
                if hit or rng.get("type") == "GIT":
                    continue
                events = []
                for event in rng.get("events") or ():
                    ((kind, value),) = event.items()
                    with contextlib.suppress(InvalidVersion):
                        events.append((Version("0") if value == "0" else Version(value), kind))
                vulnerable = False
                for ev, kind in sorted(events, key=lambda e: e[0]):
                    if kind == "introduced" and v >= ev:
                        vulnerable = True
                    elif (kind == "fixed" and v >= ev) or (kind == "last_affected" and v > ev):
                        vulnerable = False
                hit = vulnerable
            if hit:
                findings.append({"purl": purl, "id": entry["id"]})
    out.write_text(json.dumps({"findings": findings}), encoding="utf-8")


# --------------------------------------------------------------------------- main


def _trivy_run(
    trivy: Path, cache_template: Path, work: Path, sbom: Path, out: Path, runs: int
) -> tuple[float, float, float]:
    walls, cpus, peak = [], [], 0.0
    for _ in range(runs):
        cache = work / "trivy-run"
        shutil.rmtree(cache, ignore_errors=True)
        shutil.copytree(cache_template, cache)  # Trivy deletes a database it considers corrupt
        out.unlink(missing_ok=True)  # as for crakit: no run frees the previous run's report
        wall, cpu, rss, _code = measure(
            [
                str(trivy),
                "sbom",
                "--quiet",
                "--cache-backend",
                "memory",
                "--cache-dir",
                str(cache),
                "--skip-db-update",
                "--offline-scan",
                "--skip-java-db-update",
                "--skip-version-check",
                "--format",
                "json",
                "-o",
                str(out),
                str(sbom),
            ]
        )
        walls.append(wall)
        cpus.append(cpu)
        peak = max(peak, rss)
    return statistics.median(walls), statistics.median(cpus), peak


def compile_installed() -> None:
    """Byte-compile crakit and the libraries it loads, as ``pip install`` does. A machine that sets
    PYTHONDONTWRITEBYTECODE (this one does) would otherwise compile crakit's sources on every run
    of an editable install: 0.05 s of each scan that no installed crakit pays."""
    import compileall
    import importlib.util

    for name in ("crakit", "click", "msgspec", "orjson", "packageurl", "packaging", "rich"):
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            for folder in spec.submodule_search_locations:
                compileall.compile_dir(folder, quiet=1)


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "-"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument(
        "--trivy", type=Path, default=None, help="trivy binary (see ../shared/bench/README.md)"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-component SBOM")
    parser.add_argument("--real", action="store_true", help="also scan the real SBOMs of the shared data")
    parser.add_argument("--naive", nargs=3, type=Path, metavar=("OSV_DIR", "SBOM", "OUT"))
    parser.add_argument("--report", type=Path, default=None, help="also write the results as JSON here")
    args = parser.parse_args()
    if args.naive:
        naive(*args.naive)
        return
    shared: Path = args.shared
    osv = shared / "osv"
    kev = shared / "kev" / "known_exploited_vulnerabilities.json"
    builder = shared.parent / "bench" / "build_trivy_db.py"
    trivy = args.trivy
    if trivy and not trivy.exists():
        sys.exit(f"no trivy binary at {trivy}")
    crakit = [PYTHON, "-m", "crakit.cli.main"]
    compile_installed()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="crakit-bench-") as tmp:
        work = Path(tmp)
        scaled = work / "osv10"
        n_scaled = scale_corpus(osv, scaled, 10)
        n_base = len(list(osv.glob("*.json")))
        print(f"corpus: {n_base} records; scaled x10: {n_scaled} records", file=sys.stderr)
        help_wall, help_cpu, _, _ = repeat([*crakit, "--help"], max(args.runs, 5))

        builds: dict[str, dict[str, Any]] = {}
        for label, corpus in (("shared", osv), ("x10", scaled)):
            db = work / f"{label}.sqlite"
            wall, cpu, rss, code = measure(
                [*crakit, "db", "build", "--osv", str(corpus), "--kev", str(kev), "--db", str(db), "--fresh"]
            )
            assert code == 0, f"crakit db build failed on {corpus}"
            builds[label] = {"db": db, "build_s": wall, "build_cpu_s": cpu, "build_mib": rss}
            if trivy:
                cache = work / f"trivy-{label}"
                wall, cpu, rss, code = measure(
                    [PYTHON, str(builder), str(corpus), str(cache)],
                    env={**os.environ, "PYTHONPATH": str(builder.parent)},
                )
                assert code == 0, "trivy db build failed"
                builds[label].update(trivy_cache=cache, trivy_build_s=wall)
            print(f"built {label}: {builds[label]}", file=sys.stderr)

        packages = pypi_versions(scaled)
        cases: list[tuple[str, Path, str, Path]] = []
        for size in (0, 1_000, 10_000, 100_000):
            if size == 100_000 and args.quick:
                continue
            path = work / f"gen-{size}.cdx.json"
            generate_sbom(path, size, packages, seed=size)
            cases.append((f"generated {size:,}", path, "x10", scaled))
        if args.real:
            for rel in REAL_SBOMS:
                path = shared / rel
                if path.exists():
                    cases.append((path.name[:40], path, "shared", osv))

        for label, sbom, corpus_label, corpus_dir in cases:
            build = builds[corpus_label]
            runs = 1 if "100,000" in label else args.runs
            row: dict[str, Any] = {"sbom": label, "corpus": corpus_label}
            out = work / "crakit.json"
            env = {**os.environ, "CRAKIT_DB": str(build["db"])}
            row["crakit_s"], row["crakit_cpu"], row["crakit_mib"], code = repeat(
                [*crakit, "scan", str(sbom), "--format", "json", "-o", str(out), "--max-db-age", "0"],
                runs,
                fresh=out,
                env=env,
            )
            assert code in (0, 1), f"crakit scan failed on {label}"
            # The same scan kept in one process (--jobs 1): what sharing a large scan saves.
            out_one = work / "crakit-one.json"
            row["one_s"], row["one_cpu"], row["one_mib"], code = repeat(
                [
                    *crakit,
                    "scan",
                    str(sbom),
                    "--format",
                    "json",
                    "-o",
                    str(out_one),
                    "--max-db-age",
                    "0",
                    "-j",
                    "1",
                ],
                runs,
                fresh=out_one,
                env=env,
            )
            assert code in (0, 1), f"crakit scan -j 1 failed on {label}"
            assert crakit_pairs(out_one)[1] == crakit_pairs(out)[1], f"-j 1 found other findings on {label}"
            total, pairs, names = crakit_pairs(out)
            row["crakit_findings"], row["crakit_pypi"] = total, len(pairs)
            out_naive = work / "naive.json"
            row["naive_s"], row["naive_cpu"], row["naive_mib"], code = repeat(
                [PYTHON, __file__, "--naive", str(corpus_dir), str(sbom), str(out_naive)],
                runs,
                fresh=out_naive,
            )
            row["naive_pypi"] = len(
                {(f["purl"], f["id"]) for f in json.loads(out_naive.read_bytes())["findings"]}
            )
            if trivy:
                out_trivy = work / "trivy.json"
                row["trivy_s"], row["trivy_cpu"], row["trivy_mib"] = _trivy_run(
                    trivy, build["trivy_cache"], work, sbom, out_trivy, runs
                )
                tp = trivy_pairs(out_trivy)
                row["trivy_pypi"] = len(tp)
                # Trivy keys findings by CVE (one per alias); crakit folds aliases into one finding.
                crakit_ids: dict[str, set[str]] = defaultdict(set)
                for (pv, _), ids in names.items():
                    crakit_ids[pv] |= ids
                only_trivy = sorted(p for p in tp if p[1] not in crakit_ids[p[0]])
                trivy_ids: dict[str, set[str]] = defaultdict(set)
                for pv, vid in tp:
                    trivy_ids[pv].add(vid)
                only_crakit = sorted(k for k, ids in names.items() if not ids & trivy_ids[k[0]])
                row["only_trivy"], row["only_crakit"] = len(only_trivy), len(only_crakit)
                row["only_trivy_examples"], row["only_crakit_examples"] = only_trivy[:15], only_crakit[:15]
            rows.append(row)
            print(json.dumps({k: v for k, v in row.items() if "examples" not in k}), file=sys.stderr)

    print(f"\ncrakit --help: {help_wall:.3f} s wall, {help_cpu:.3f} s CPU (median of {max(args.runs, 5)})")
    for label in ("shared", "x10"):
        b = builds[label]
        print(
            f"db build ({label}): crakit {b['build_s']:.2f} s wall, {b['build_cpu_s']:.2f} s CPU, "
            f"{b['build_mib']:.0f} MiB"
            + (f"; trivy-db builder {b['trivy_build_s']:.2f} s" if "trivy_build_s" in b else "")
        )
    print(
        "\n| SBOM | corpus | crakit wall s | CPU s | MiB | -j 1 wall s | CPU s | naive wall s | CPU s | MiB | Trivy wall s | CPU s | MiB "
        "| crakit/naive wall | Trivy/crakit wall | findings crakit (PyPI) / naive / Trivy | only Trivy / only crakit |"
    )
    print("|---" * 17 + "|")
    for r in rows:
        print(
            f"| {r['sbom']} | {r['corpus']} | {r['crakit_s']:.3f} | {r['crakit_cpu']:.3f} | {r['crakit_mib']:.0f} "
            f"| {r['one_s']:.3f} | {r['one_cpu']:.3f} "
            f"| {r['naive_s']:.3f} | {r['naive_cpu']:.3f} | {r['naive_mib']:.0f} "
            f"| {r.get('trivy_s', float('nan')):.3f} | {r.get('trivy_cpu', float('nan')):.3f} | {r.get('trivy_mib', float('nan')):.0f} "
            f"| {_ratio(r['crakit_s'], r['naive_s'])} | {_ratio(r.get('trivy_s'), r['crakit_s'])} "
            f"| {r['crakit_findings']} ({r['crakit_pypi']}) / {r['naive_pypi']} / {r.get('trivy_pypi', '-')} "
            f"| {r.get('only_trivy', '-')} / {r.get('only_crakit', '-')} |"
        )
    if args.report:
        args.report.write_text(
            json.dumps(
                {
                    "rows": rows,
                    "builds": {k: {kk: str(vv) for kk, vv in v.items()} for k, v in builds.items()},
                },
                indent=2,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
