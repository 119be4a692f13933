"""Entry point of the ``crakit`` command.

Sub-commands are imported only when invoked, so ``crakit --help`` stays well under
0.3 s even though the domain packages pull in SQLAlchemy, lxml and friends.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from crakit import __version__

# name -> (module, attribute, one-line help). The help is repeated here so that
# listing commands never imports them.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("crakit.cli.manifest_cmd", "init", "Write a commented product manifest template."),
    "manifest": (
        "crakit.cli.manifest_cmd",
        "manifest",
        "Validate a product manifest or export its JSON Schema.",
    ),
    "classify": (
        "crakit.cli.classify_cmd",
        "classify",
        "Decide CRA scope, role, category, conformity routes and obligations.",
    ),
    "suggest": (
        "crakit.cli.classify_cmd",
        "suggest",
        "Rank the Annex III/IV entries a product description may fall under.",
    ),
    "sbom": ("crakit.cli.sbom_cmd", "sbom", "Read, validate, quality-check, convert and merge SBOMs."),
    "db": ("crakit.cli.db_cmd", "db", "Build, update and inspect the offline vulnerability database."),
    "scan": (
        "crakit.cli.scan_cmd",
        "scan",
        "Match SBOM components against the vulnerability database (Annex I Part I(2)(a) gate).",
    ),
    "report": (
        "crakit.cli.report_cmd",
        "report",
        "Article 14 reporting: cases, legal clocks, ENISA form drafts, user notices.",
    ),
    "csaf": ("crakit.cli.csaf_cmd", "csaf", "Write, validate, render and publish CSAF 2.0 advisories."),
    "docs": (
        "crakit.cli.docs_cmd",
        "docs",
        "Conformity documents: declaration, technical documentation, user information, security.txt.",
    ),
    "platform": (
        "crakit.cli.platform_cmd",
        "platform",
        "Reference reporting platform: receive, route and disseminate Art 14 notifications.",
    ),
    "serve": (
        "crakit.cli.workbench_cmd",
        "serve",
        "Portfolio workbench: products, SBOMs, findings, triage, alerts, Art 14 cases (web + API).",
    ),
    "workbench": ("crakit.cli.workbench_cmd", "workbench", "Workbench accounts: machine tokens and people."),
    "monitor": (
        "crakit.cli.workbench_cmd",
        "monitor",
        "Continuous monitoring: import new vulnerability data, re-match what it touches, alert.",
    ),
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module_name, attr, _ = entry
        module = importlib.import_module(module_name)
        command: click.Command = getattr(module, attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_) for name, (_, _, help_) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


EPILOG = """\b
Exit codes: 0 ok; 1 findings, invalid document or a --fail-on gate tripped;
2 bad input or usage; 3 internal error.
Machine output goes to stdout (use --format json), messages to stderr.
Start with:  crakit init product.yaml  then  crakit classify product.yaml
"""


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="crakit")
def cli() -> None:
    """crakit: the EU Cyber Resilience Act (Regulation (EU) 2024/2847) made workable.

    Classify products, read SBOMs, scan them offline for known exploited
    vulnerabilities, run the Article 14 reporting clock and write CSAF advisories.
    Every decision cites its article.
    """


def main(argv: list[str] | None = None) -> Any:
    """Run a command in this process: converts crakit errors into exit codes."""
    from crakit.cli.errors import run

    return run(cli, argv)


def command() -> None:
    """The ``crakit`` executable: :func:`main`, then, when the command says its work is all
    written (:func:`crakit.cli.errors.done_with_heap`), leave without releasing the heap object
    by object. A scan of 100,000 components ends with millions of objects, and freeing them
    one by one costs a tenth of a second after the report is already on disk."""
    from crakit.cli.errors import leave

    try:
        main()
    except SystemExit as exc:
        leave(exc)
        raise
    leave(None)


if __name__ == "__main__":  # pragma: no cover
    command()
