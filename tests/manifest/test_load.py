"""Manifest loading: the documented example, typo protection, hostile input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson
import pytest
import yaml

from crakit.manifest import SCHEMA, ManifestError, load_manifest, parse_manifest
from tests.manifest_factory import BASE, manifest_dict

REPO = Path(__file__).resolve().parents[2]


def _yaml(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False)


def test_examples_load() -> None:
    files = sorted((REPO / "examples").glob("*.yaml"))
    assert len(files) >= 3
    for path in files:
        assert load_manifest(path).product.name


def test_yaml_and_json_forms_are_equal() -> None:
    assert parse_manifest(_yaml(BASE)) == parse_manifest(orjson.dumps(BASE))


def test_issue_example_text_loads() -> None:
    # The manifest exactly as docs/manifest.md shows it (unquoted dates, YYYY-MM end).
    text = (REPO / "examples" / "homegate-router.yaml").read_text()
    manifest = parse_manifest(text)
    assert manifest.market.placed_on_market is not None
    assert manifest.market.placed_on_market.isoformat() == "2028-03-01"
    assert str(manifest.support.end) == "2035-03"
    assert manifest.market.member_states == ("BE", "NL", "FR")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"product.nmae": "x"}, "product.nmae: unknown key (did you mean 'name'?)"),
        ({"market.comercial": True}, "market.comercial: unknown key (did you mean 'commercial'?)"),
        ({"colour": "red"}, "colour: unknown key"),
        ({"product.name": ...}, "product.name: required field is missing"),
        ({"product.version": ...}, "product.version: required field is missing"),
        ({"crakit": ...}, "crakit: required field is missing"),
        ({"crakit": 2}, "crakit: must be 1"),
        ({"product.version": 2.1}, 'product.version: expected a string, got number 2.1 (quote it: "2.1")'),
        ({"market.commercial": "yes"}, "market.commercial: expected true or false"),
        ({"product.functions": ["III.I.20"]}, "product.functions[0]: 'III.I.20' is not an Annex III/IV id"),
        ({"product.functions": "III.I.12"}, "product.functions: expected a list"),
        ({"product.kind": "firmware"}, "product.kind: 'firmware' is not allowed"),
        ({"manufacturer.country": "XX"}, "manufacturer.country"),
        ({"manufacturer.size": "tiny"}, "manufacturer.size"),
        ({"market.placed_on_market": "2028-02-30"}, "not a real calendar date"),
        ({"market.placed_on_market": "March 2028"}, "market.placed_on_market"),
        ({"support.end": 2035}, "gives only a year"),
        ({"support.end": "2035"}, "gives only a year"),
        ({"support.end": "2035-13"}, "support.end"),
        ({"support.end": "2035-03-31"}, "YYYY-MM"),
        ({"support.expected_use_years": -1}, "support.expected_use_years"),
        ({"support.expected_use_years": 0}, "support.expected_use_years: 0 is out of range"),
        ({"support.end": "9999-12"}, "is not a month YYYY-MM between 1970 and 2199"),
        ({"market.placed_on_market": "9990-03-01"}, "is not a date YYYY-MM-DD"),
        ({"crakit": True}, "crakit: must be 1"),
        ({"crakit": 1.0}, "crakit: must be 1"),
        ({"market.member_states": ["US"]}, "market.member_states[0]"),
        ({"product.name": None}, "product.name: expected a string, got null"),
        ({"standards.eucc_level": "medium"}, "standards.eucc_level"),
        ({"market.sectoral": ["toys"]}, "market.sectoral[0]"),
    ],
)
def test_bad_manifests_name_the_path(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ManifestError) as info:
        parse_manifest(orjson.dumps(manifest_dict(**overrides)), "m.json")
    assert message in info.value.message
    assert "\n" not in info.value.message


def test_norway_stays_a_country_code() -> None:
    manifest = parse_manifest(
        _yaml(manifest_dict(**{"market.member_states": ["BE"]})).replace("- BE", "- NO")
    )
    assert manifest.market.member_states == ("NO",)


def test_greece_el_is_accepted() -> None:
    manifest = parse_manifest(orjson.dumps(manifest_dict(**{"manufacturer.country": "EL"})))
    assert manifest.manufacturer.country == "GR"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("crakit: 1\nproduct: [unclosed\n", "invalid YAML at line"),
        ('{"crakit": 1,', "invalid JSON at line 1"),
        ("- just\n- a list\n", "a manifest is a mapping"),
        ("", "a manifest is a mapping"),
    ],
)
def test_unparsable(text: str, message: str) -> None:
    with pytest.raises(ManifestError, match=message.replace("(", r"\(")):
        parse_manifest(text)


def test_invalid_utf8() -> None:
    with pytest.raises(ManifestError, match="not UTF-8"):
        parse_manifest(b"crakit: 1\nproduct: {name: \xff\xfe}\n")


def test_yaml_alias_bomb_is_refused_fast() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = "crakit: 1\n" + "\n".join(lines) + "\nproduct: {name: *a9, version: '1'}\n"
    with pytest.raises(ManifestError, match="aliases"):
        parse_manifest(bomb)


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(ManifestError):
        parse_manifest("crakit: 1\nproduct: " + "[" * 50_000 + "]" * 50_000 + "\n")


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.write(b"crakit: 1\n# " + b"x" * (50 * 1024 * 1024) + b"\n")
    # VmHWM is this process's own peak (ru_maxrss would include the forking pytest parent's).
    code = (
        "from crakit.cli.main import main\n"
        "try:\n"
        f"    main(['classify', {str(big)!r}])\n"
        "except SystemExit as e:\n"
        "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]\n"
        "    print(e.code, hwm)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    exit_code, max_rss_kb = out.stdout.split()
    assert exit_code == "2"
    assert "too large for a manifest" in out.stderr
    assert "Traceback" not in out.stderr
    assert int(max_rss_kb) < 40 * 1024  # below the 50 MB file: it was never read


def test_missing_file() -> None:
    with pytest.raises(ManifestError, match="no such file"):
        load_manifest("/nonexistent/product.yaml")


def test_schema_is_a_valid_json_schema_and_accepts_the_example() -> None:
    import jsonschema_rs

    validator = jsonschema_rs.validator_for(SCHEMA)
    assert validator.is_valid(BASE)
    assert not validator.is_valid(manifest_dict(**{"product.colour": "red"}))


def test_explicit_null_means_not_given() -> None:
    manifest = parse_manifest(
        orjson.dumps(manifest_dict(**{"support.expected_use_years": None, "manufacturer.size": None}))
    )
    assert manifest.support.expected_use_years is None
    assert manifest.manufacturer.size is None


@pytest.mark.parametrize(
    "text",
    [
        "crakit: 1\nproduct: {name: A, version: '1'}\nmarket:\n  steward: true\n  steward: false\n",
        '{"crakit": 1, "product": {"name": "A", "version": "1", "name": "B"}}',
    ],
)
def test_duplicate_keys_are_refused(text: str) -> None:
    with pytest.raises(ManifestError, match="duplicate key"):
        parse_manifest(text)


def test_huge_integer_is_an_input_error() -> None:
    with pytest.raises(ManifestError):
        parse_manifest(
            "crakit: 1\nproduct: {name: A, version: '1'}\nsupport: {expected_use_years: " + "9" * 5000 + "}\n"
        )


def test_named_pipe_is_not_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ManifestError, match="not a regular file"):
        load_manifest(fifo)


def test_directory_is_one_line_error(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "crakit.cli.main", "classify", str(tmp_path)], capture_output=True, text=True
    )
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "is a directory" in out.stderr
