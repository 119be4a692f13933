"""PDFs through WeasyPrint: pages turned into PNG (pdftoppm) and their text read back (pdftotext)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from crakit.documents import build_declaration, build_technical, build_user_info, render
from crakit.documents.model import Document
from crakit.manifest import Manifest
from tests.documents.conftest import COMPLETE, manifest

TODAY = dt.date(2028, 2, 20)


def _tools() -> None:
    for tool in ("pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian package poppler-utils; .ci/run installs it)")


def _pages(document: Document, tmp_path: Path) -> tuple[list[Path], list[str]]:
    """The PNG of every page and the text of every page."""
    pdf = tmp_path / f"{document.kind}-{document.lang}.pdf"
    pdf.write_bytes(render(document, "pdf"))
    assert pdf.read_bytes().startswith(b"%PDF-")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120
    )
    pngs = sorted(tmp_path.glob("page-*.png"))
    texts = []
    for number in range(1, len(pngs) + 1):
        out = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        texts.append(out.stdout)
    return pngs, texts


def test_declaration_in_french_prints_every_point(router: Manifest, tmp_path: Path) -> None:
    _tools()
    pngs, texts = _pages(build_declaration(router, lang="fr", today=TODAY), tmp_path)
    assert pngs and all(p.stat().st_size > 1000 for p in pngs)
    text = " ".join(" ".join(t.split()) for t in texts)
    assert "Déclaration UE de conformité" in text
    assert "Nom et adresse du fabricant ou de son mandataire" in text
    assert "Example Notified Body" in text and "0123" in text
    assert "A. Janssens" in text
    assert "Page 1 sur" in text  # page numbers in the document's language


def test_technical_documentation_has_title_page_contents_header_and_numbers(
    router: Manifest, tmp_path: Path
) -> None:
    _tools()
    pngs, texts = _pages(build_technical(router, today=TODAY), tmp_path)
    assert len(pngs) >= 8
    assert "Technical documentation" in texts[0] and "Draft" in texts[0]
    assert "Contents" in texts[1] and "What is still missing" in texts[1]
    # Running header (product and version) from page 2 on, never on the title page.
    assert "HomeGate AX3000 2.1" in texts[2].splitlines()[0]
    assert "HomeGate AX3000 2.1" not in texts[0].strip().splitlines()[0]
    assert f"Page {len(pngs)} of {len(pngs)}" in texts[-1]
    assert "What is still missing" in " ".join(texts[-3:])


@pytest.mark.parametrize(
    ("lang", "phrase"), [("nl", "ondersteuningsperiode"), ("de", "Unterstützungszeitraums")]
)
def test_user_information_in_dutch_and_german(lang: str, phrase: str, tmp_path: Path) -> None:
    _tools()
    _, texts = _pages(build_user_info(manifest(**COMPLETE), lang=lang, today=TODAY), tmp_path)
    text = " ".join(" ".join(t.split()) for t in texts)
    assert phrase in text
    assert ("maart 2035" if lang == "nl" else "März 2035") in text


def test_photographs_from_the_evidence_folder_only(router: Manifest, tmp_path: Path) -> None:
    """Annex VII point 1(c): a local photograph is printed; remote or escaping links are never fetched."""
    if shutil.which("pdfimages") is None:
        pytest.skip("pdfimages is not installed (Debian package poppler-utils)")
    from crakit.documents import TechnicalInputs

    evidence = tmp_path / "evidence"
    evidence.mkdir()
    # A 1x1 PNG written from its bytes (no image library needed).
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc000000301"
        "0100c9fe92ef0000000049454e44ae426082"
    )
    (evidence / "front.png").write_bytes(png)
    (tmp_path / "secret.png").write_bytes(png)
    (evidence / "annex-vii-1c-photographs.md").write_text(
        "![front](front.png) ![remote](https://example.com/x.png) ![escape](../secret.png)\n"
    )
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(render(build_technical(router, TechnicalInputs(evidence=evidence), today=TODAY), "pdf"))
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    assert len(listing.strip().splitlines()) == 3  # two header lines and one image: front.png
