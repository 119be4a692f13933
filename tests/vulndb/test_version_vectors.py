"""Every ecosystem ordering against the third-party vectors OSV tooling itself is tested with.

The counts matter (issue 4: "report counts per ecosystem"); run with ``-s`` to see them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crakit.vulndb import versions as V
from crakit.vulndb.versions.rpm import rpmvercmp
from tests.vulndb.vectors import check, check_sorted, comparison_lines, sorted_lists, vers_contains

pytestmark = pytest.mark.corpus

SCALIBR = {
    "alpine": V.ALPINE,
    "debian": V.DEBIAN,
    "hackage": V.HACKAGE,
    "maven": V.MAVEN,
    "pub": V.PUB,
    "pypi": V.PYPI,
    "rubygems": V.RUBYGEMS,
    "semver": V.SEMVER,
    "cran": V.CRAN,
    "nuget": V.NUGET,
    "packagist": V.PACKAGIST,
    "redhat": V.RPM,
}


def _report(name: str, passed: int, failed: list[object]) -> None:
    print(f"\n{name}: {passed} passed, {len(failed)} failed")
    assert passed > 0, f"no cases read from {name}"
    assert failed == [], failed[:10]


def test_osv_scalibr_vectors(shared_data: Path) -> None:
    folder = shared_data / "osv-scalibr" / "semantic" / "testdata"
    files = sorted(folder.glob("*-versions*.txt"))
    assert files
    for path in files:
        scheme = SCALIBR.get(path.name.split("-")[0])
        # Every vector file must run: an ordering crakit lacks is a failure, not a silent skip.
        assert scheme is not None, f"osv-scalibr {path.name}: no ordering mapped for this ecosystem"
        cases = list(comparison_lines(path))
        _report(
            f"osv-scalibr {path.name}",
            sum(check(scheme, c) for c in cases),
            [c for c in cases if not check(scheme, c)],
        )


def test_osv_dev_packagist_vectors(shared_data: Path) -> None:
    path = shared_data / "osv.dev" / "osv" / "ecosystems" / "testdata" / "packagist_test_cases.txt"
    cases = list(comparison_lines(path))
    _report(
        "osv.dev packagist",
        sum(check(V.PACKAGIST, c) for c in cases),
        [c for c in cases if not check(V.PACKAGIST, c)],
    )


@pytest.mark.parametrize(
    ("relpath", "scheme", "name"),
    [
        ("vers-spec/tests/alpine_version_cmp_test.json", V.ALPINE, "apk"),
        ("vers-spec/tests/maven_version_cmp_test.json", V.MAVEN, "maven"),
        ("univers/tests/data/schema/alpine_version_cmp.json", V.ALPINE, "apk"),
        ("univers/tests/data/schema/maven_version_cmp.json", V.MAVEN, "maven"),
        ("univers/tests/data/schema/deb_version_python_pkg_test.json", V.DEBIAN, "deb"),
    ],
)
def test_vers_ordering_vectors(shared_data: Path, relpath: str, scheme: V.VersionScheme, name: str) -> None:
    path = shared_data / relpath
    assert path.exists(), f"{relpath} is missing from ../shared/data"
    cases = list(sorted_lists(path, name))
    failed = [c for c in cases if not check_sorted(scheme, *c)]
    _report(relpath, len(cases) - len(failed), failed)


def test_rpmvercmp_vectors(shared_data: Path) -> None:
    text = (shared_data / "univers" / "tests" / "data" / "rpmvercmp.at").read_text(encoding="utf-8")
    cases = [
        (m.group(1), m.group(2), int(m.group(3)))
        for m in re.finditer(r"^RPMVERCMP\(([^,]*), ([^,]*), (-?\d)\)", text, re.MULTILINE)
    ]
    failed = [c for c in cases if rpmvercmp(c[0], c[1]) != c[2]]
    _report("rpm rpmvercmp.at", len(cases) - len(failed), failed)


def test_apk_tools_vectors(shared_data: Path) -> None:
    cases = list(comparison_lines(shared_data / "univers" / "tests" / "data" / "alpine_test.txt"))
    _report(
        "apk-tools version.data",
        sum(check(V.ALPINE, c) for c in cases),
        [c for c in cases if not check(V.ALPINE, c)],
    )


@pytest.mark.parametrize(
    "relpath",
    [
        "vers-spec/tests/pypi_range_containment_test.json",
        "univers/tests/data/schema/range/pypi_range_containment.json",
    ],
)
def test_pypi_vers_containment_vectors(shared_data: Path, relpath: str) -> None:
    import json

    data = json.loads((shared_data / relpath).read_text(encoding="utf-8"))
    tests = data["tests"] if isinstance(data, dict) else data
    cases = [(t["input"]["vers"], t["input"]["version"], t["expected_output"]) for t in tests]
    failed = [c for c in cases if vers_contains(V.PYPI, c[0], c[1]) is not c[2]]
    _report(relpath, len(cases) - len(failed), failed)
