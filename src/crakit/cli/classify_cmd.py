"""``crakit classify`` and ``crakit suggest``."""

from __future__ import annotations

from pathlib import Path

import click

from crakit.cli.output import console, emit_json, format_option


@click.command()
@click.argument("manifest", type=click.Path(path_type=Path))
@format_option("text", "markdown", default="text")
def classify(manifest: Path, fmt: str) -> None:
    """Decide scope, role, category, conformity routes and obligations for MANIFEST.

    \b
    Every decision is given with its article of Regulation (EU) 2024/2847:
      scope and exclusions (Art 2), role (Arts 13, 19-21, 24), category
      (Arts 7-8, Annexes III-IV), conformity routes (Art 32), whether the
      essential requirements apply (Art 69(2)) and Art 14 reporting (Art 69(3)),
      the support period (Art 13(8), 13(19)), the coordinator CSIRT (Art 14(7))
      and obligations with penalty tiers (Art 64). Warnings name what the law
      calls for that is not an error (claims that open nothing, questions to answer).
    \b
    Examples:
      crakit classify product.yaml
      crakit classify product.yaml --format json | jq .category
      crakit classify product.yaml --format markdown > classification.md
    """
    from crakit.manifest import load_manifest
    from crakit.regulation import classify as run_classify
    from crakit.regulation import render_markdown, summary_rows

    result = run_classify(load_manifest(manifest)).to_json()
    if fmt == "json":
        emit_json(result)
        return
    if fmt == "markdown":
        click.echo(render_markdown(result), nl=False)
        return
    from rich.table import Table

    from crakit.cli.render import hanging_list, plain_width

    out = console()
    plain_width(out)
    product = result["product"]
    out.print(f"[bold]{product['name']} {product['version']}[/bold]  (CRA rules {result['rules_version']})")
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(no_wrap=True)
    table.add_column()
    for key, value in summary_rows(result):
        table.add_row(f"[bold]{key}[/bold]", value)
    out.print(table)
    out.print("\n[bold]Reasons[/bold]")
    out.print(
        hanging_list(
            [(f"{i:>2}.", f"{r['text']} [dim]({r['ref']})[/dim]") for i, r in enumerate(result["reasons"], 1)]
        )
    )
    if result.get("warnings"):
        out.print("\n[bold yellow]Warnings[/bold yellow]")
        out.print(hanging_list([("  !", f"{w['text']} [dim]({w['ref']})[/dim]") for w in result["warnings"]]))
    if result.get("suggestions"):
        out.print("\n[bold]Suggestions[/bold] (not a decision: add the matching id to product.functions)")
        out.print(
            hanging_list(
                [
                    (f"  {s['entry']:<9}", f"{s['title']}  [dim]score {s['score']:.2f}[/dim]")
                    for s in result["suggestions"]
                ]
            )
        )
    if result["obligations"]:
        out.print("\n[bold]Obligations[/bold]")
        rows: list[tuple[str, str]] = []
        for o in result["obligations"]:
            when = o["due"] or (f"until {o['until']}" if o["until"] else o["when"])
            rows.append(("  -", f"{o['text']} [dim]({o['ref']}; {when}; fines {o['penalty']['ref']})[/dim]"))
            rows.extend(("", f"[dim]{note}[/dim]") for note in o["notes"])
        out.print(hanging_list(rows))


@click.command()
@click.argument("text")
@click.option(
    "--limit", default=5, show_default=True, type=click.IntRange(1, 26), help="Most entries to list."
)
@format_option("text", default="text")
def suggest(text: str, limit: int, fmt: str) -> None:
    """Rank the Annex III/IV entries that the product description TEXT may fall under.

    A suggestion is never a decision: the manufacturer confirms the product's core
    functionality (Art 7(1), Art 8(1)) and lists the ids in product.functions.
    Prints nothing (JSON: []) when no entry applies.

    \b
    Example:
      crakit suggest "mesh Wi-Fi system with parental controls" --format json
    """
    from crakit.regulation import suggest_entries as run_suggest
    from crakit.regulation import suggestion_to_json

    results = run_suggest(text, limit=limit)
    if fmt == "json":
        emit_json([suggestion_to_json(s) for s in results])
        return
    if not results:
        click.echo("No Annex III or Annex IV entry matches: the product would be in the default category.")
        return
    for s in results:
        click.echo(f"{s.entry:<9} {s.score:4.2f}  {s.title}  (matched: {', '.join(s.matched)})")
