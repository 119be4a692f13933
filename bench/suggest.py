"""Accuracy report for `crakit suggest` on the labelled descriptions (tests/data/suggest_descriptions.yaml).

Usage: python bench/suggest.py [--show dev|heldout|all] [--json]

Top-1 is correct when the first suggestion is the expected entry (for a negative: no suggestion at all);
top-3 when the expected entry is among the first three (for a negative: no suggestion at all).
Failures are listed only for the split named by --show (default: dev), so that the held-out part can
stay unseen while the vocabulary is curated.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import yaml

from crakit.regulation.suggest import suggest

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "suggest_descriptions.yaml"


def load_cases(path: Path = DATA) -> list[dict[str, object]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"])


def evaluate(cases: list[dict[str, object]]) -> dict[str, object]:
    rows = []
    started = time.perf_counter()
    for case in cases:
        got = [s.entry for s in suggest(str(case["text"]))]
        expected = case["expected"]
        top1 = (not got) if expected is None else (bool(got) and got[0] == expected)
        top3 = (not got) if expected is None else expected in got[:3]
        rows.append(
            {
                "id": case["id"],
                "split": case["split"],
                "expected": expected,
                "got": got,
                "top1": top1,
                "top3": top3,
            }
        )
    elapsed = time.perf_counter() - started
    report: dict[str, object] = {
        "cases": len(rows),
        "ms_per_call": round(1000 * elapsed / max(1, len(rows)), 3),
    }
    for split in ("dev", "heldout", "all"):
        part = [r for r in rows if split == "all" or r["split"] == split]
        if part:
            report[split] = {
                "n": len(part),
                "top1": round(sum(bool(r["top1"]) for r in part) / len(part), 6),
                "top3": round(sum(bool(r["top3"]) for r in part) / len(part), 6),
                "negatives": sum(r["expected"] is None for r in part),
            }
    report["rows"] = rows
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=["dev", "heldout", "all", "none"], default="dev")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    suggest("warm-up: load the vocabulary once")
    report = evaluate(load_cases())
    rows = report.pop("rows")
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        print()
        return 0
    print(f"lexical ranker, {report['cases']} descriptions, {report['ms_per_call']} ms per call")
    for split in ("dev", "heldout", "all"):
        r = report.get(split)
        if isinstance(r, dict):
            print(
                f"  {split:8} n={r['n']:3}  negatives={r['negatives']:2}  top-1={r['top1']:.1%}  top-3={r['top3']:.1%}"
            )
    if args.show != "none":
        for row in rows:  # type: ignore[union-attr]
            if not row["top1"] and (args.show == "all" or row["split"] == args.show):
                print(f"  MISS {row['id']:18} expected={row['expected']} got={row['got']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
