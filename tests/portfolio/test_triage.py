"""VEX triage: decisions with who and when, every one in the hash-chained history, kept when the
monitor re-matches the finding, exported as OpenVEX; a not_affected decision needs a justification."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from crakit.cli.main import cli
from tests.workbench_kit import SBOM, build_initial, make_app, manifest_yaml, new_data, token

FINDING = {"purl": "pkg:pypi/demo-pkg@1.0", "id": "GHSA-wb13-demo-0001"}


@pytest.fixture
def setup(database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], int, Path]]:
    vulndb = build_initial(tmp_path)
    from crakit.vulndb import build_database

    osv, kev = new_data(tmp_path)
    build_database(vulndb, [osv], kev)
    app = make_app(database_url, vulndb)
    with TestClient(app, base_url="https://testserver") as client:
        auth = {"Authorization": f"Bearer {token(database_url, 'product_owner')}"}
        product = client.post("/api/v1/products", content=manifest_yaml(), headers=auth).json()["id"]
        assert client.post(f"/api/v1/products/{product}/sboms", content=SBOM, headers=auth).status_code == 201
        yield client, auth, product, vulndb
    app.state.store.close()


def _triage(client: TestClient, auth: dict[str, str], product: int, **decision: Any) -> Any:
    return client.post(f"/api/v1/products/{product}/triage", json={**FINDING, **decision}, headers=auth)


def test_decisions_are_audited_and_kept_across_rescans(
    setup: tuple[TestClient, dict[str, str], int, Path], database_url: str
) -> None:
    client, auth, product, vulndb = setup
    first = _triage(client, auth, product, state="in_triage", detail="looking")
    assert first.status_code == 200, first.text
    second = _triage(
        client,
        auth,
        product,
        state="not_affected",
        justification="code_not_reachable",
        detail="no HTTP/2 server",
    )
    history = second.json()["history"]
    assert [h["detail"]["after"]["state"] for h in history] == ["in_triage", "not_affected"]
    assert history[1]["detail"]["before"]["state"] == "in_triage"
    assert all(h["actor"].startswith("token:") and h["at"] for h in history)

    # a full re-match (no new data: every package counts as touched) keeps the decision
    result = CliRunner().invoke(
        cli, ["monitor", "run", "--database-url", database_url, "--vulndb", str(vulndb), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    finding = client.get(f"/api/v1/products/{product}/findings", headers=auth).json()["findings"][0]
    assert finding["triage"]["state"] == "not_affected"
    assert finding["triage"]["justification"] == "code_not_reachable"

    vex = client.get(f"/api/v1/products/{product}/openvex", headers=auth).json()
    assert vex["@context"] == "https://openvex.dev/ns/v0.2.0"
    [statement] = vex["statements"]
    assert statement["vulnerability"]["name"] == "GHSA-wb13-demo-0001"
    assert statement["vulnerability"]["aliases"] == ["CVE-2099-1313"]
    assert statement["products"] == [{"@id": "pkg:pypi/demo-pkg@1.0"}]
    assert statement["status"] == "not_affected"
    assert statement["justification"] == "vulnerable_code_not_in_execute_path"
    assert statement["impact_statement"] == "no HTTP/2 server"

    from crakit.vex import parse_vex

    [read_back] = parse_vex(json.dumps(vex).encode(), "openvex")
    assert read_back.status == "not_affected" and read_back.vulnerability == "GHSA-wb13-demo-0001"
    cdx = client.get(f"/api/v1/products/{product}/cyclonedx-vex", headers=auth).json()
    [vuln] = cdx["vulnerabilities"]
    assert vuln["id"] == "GHSA-wb13-demo-0001" and vuln["affects"] == [{"ref": "pkg:pypi/demo-pkg@1.0"}]
    assert vuln["analysis"]["state"] == "not_affected"
    assert vuln["analysis"]["justification"] == "code_not_reachable"
    # crakit reads its own export back as VEX
    [statement] = parse_vex(json.dumps(cdx).encode(), "export")
    assert statement.vulnerability == "GHSA-wb13-demo-0001" and statement.status == "not_affected"

    # the history is the store's hash chain: intact
    from crakit.store import open_database, verify_chain

    with open_database(database_url, [], migrate=False) as store, store.transaction(write=False) as session:
        from sqlalchemy import select

        from crakit.store import HistoryRow

        subjects = set(
            session.scalars(
                select(HistoryRow.subject_id).where(HistoryRow.subject_type == "workbench-triage")
            )
        )
        assert len(subjects) == 1
        from crakit.store import entries

        assert verify_chain(entries(session, "workbench-triage", subjects.pop()))


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        ({"state": "not_affected"}, "needs a justification"),
        ({"state": "maybe"}, "unknown triage state"),
        ({"state": "exploitable", "response": "panic"}, "unknown response"),
    ],
)
def test_bad_decisions_are_refused(
    setup: tuple[TestClient, dict[str, str], int, Path], decision: dict[str, str], message: str
) -> None:
    client, auth, product, _ = setup
    reply = _triage(client, auth, product, **decision)
    assert reply.status_code == 422 and message in reply.json()["error"]["message"]


def test_triage_of_a_finding_that_does_not_exist(setup: tuple[TestClient, dict[str, str], int, Path]) -> None:
    client, auth, product, _ = setup
    reply = client.post(
        f"/api/v1/products/{product}/triage",
        json={"purl": "pkg:pypi/demo-pkg@1.0", "id": "GHSA-none", "state": "in_triage"},
        headers=auth,
    )
    assert reply.status_code == 404
